# A plan-direction phase without its direction: only a warning.
BASE <https://w3id.org/policykg/id/>
PREFIX pk: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX time: <http://www.w3.org/2006/time#>
DELETE WHERE { <hokkaido/roadmap/phase-p2> pk:correspondsTo ?d }
