# A measure with no source location.
BASE <https://w3id.org/policykg/id/>
PREFIX pk: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX time: <http://www.w3.org/2006/time#>
DELETE WHERE { <hokkaido/measure/m-maas> pk:sourceLocation ?l . ?l ?p ?o }
