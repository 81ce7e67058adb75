"""Namespaces and graph names shared by every part of policykg.

One module decides every IRI prefix so loaders, queries, API and viz agree.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, ORG, SOSA

BASE = "https://w3id.org/policykg/"
PK = Namespace(BASE + "ontology#")
"""The policykg ontology (ontology/policykg.ttl)."""
ID = Namespace(BASE + "id/")
"""Instance data: every entity IRI is ID + a path such as ``hokkaido/measure/abc123``."""
GRAPH = Namespace(BASE + "graph/")
"""Named graphs: one per loaded source (``GRAPH[source_name]``)."""
UNIT = Namespace(BASE + "unit/")
"""Units of measure used by indicators (ontology/policykg.ttl declares them)."""
QUDT = Namespace("http://qudt.org/schema/qudt/")
QUDT_UNIT = Namespace("http://qudt.org/vocab/unit/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
CURATED_ALIGNMENTS_GRAPH_PREFIX = "alignments-"
INFERRED_ALIGNMENTS_GRAPH = GRAPH["alignments-inferred"]
PROGRESS_GRAPH = GRAPH["progress"]

PREFIXES: dict[str, str] = {
    "pk": str(PK),
    "pkid": str(ID),
    "unit": str(UNIT),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "time": str(TIME),
    "org": str(ORG),
    "sosa": str(SOSA),
    "qudt": str(QUDT),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to prepend to canned queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def graph_name(source_name: str) -> URIRef:
    """The named graph that holds everything loaded from one source."""
    return GRAPH[source_name]


__all__ = [
    "BASE", "PK", "ID", "GRAPH", "UNIT", "QUDT", "QUDT_UNIT", "ONTOLOGY_GRAPH",
    "INFERRED_ALIGNMENTS_GRAPH", "PROGRESS_GRAPH", "CURATED_ALIGNMENTS_GRAPH_PREFIX",
    "PREFIXES", "sparql_prefixes", "graph_name",
    "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "TIME", "XSD", "ORG", "SOSA",
]
