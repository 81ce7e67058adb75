"""Namespaces and graph names shared by every part of policykg.

One module decides every IRI prefix so loaders, queries, API and viz agree.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, ORG, SOSA


class VocabularyNamespace(Namespace):
    """A :class:`~rdflib.Namespace` that hands out one shared URIRef per name (vocabularies only:
    loaders ask for ``PK.hasTarget`` hundreds of thousands of times, and each new URIRef is validated).

    >>> V = VocabularyNamespace("http://example.org/v#")
    >>> V.a is V.a, V["a"] == URIRef("http://example.org/v#a")
    (True, True)
    """

    def term(self, name: str) -> URIRef:
        return _vocabulary_term(str(self), name if isinstance(name, str) else "")


@lru_cache(maxsize=8192)
def _vocabulary_term(namespace: str, name: str) -> URIRef:
    return URIRef(namespace + name)


BASE = "https://w3id.org/policykg/"
PK = VocabularyNamespace(BASE + "ontology#")
"""The policykg ontology (ontology/policykg.ttl)."""
ID = Namespace(BASE + "id/")
"""Instance data: every entity IRI is ID + a path such as ``hokkaido/measure/abc123``."""
GRAPH = Namespace(BASE + "graph/")
"""Named graphs: one per loaded source (``GRAPH[source_name]``)."""
UNIT = VocabularyNamespace(BASE + "unit/")
"""Units of measure used by indicators (ontology/policykg.ttl declares them)."""
QUDT = VocabularyNamespace("http://qudt.org/schema/qudt/")
QUDT_UNIT = VocabularyNamespace("http://qudt.org/vocab/unit/")

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

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to prepend to canned queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def curie(iri: str) -> str | None:
    """``iri`` as a prefixed name (``pk:Measure``) with the longest namespace above that fits; else ``None``.

    >>> curie("https://w3id.org/policykg/ontology#Measure"), curie("http://example.org/x")
    ('pk:Measure', None)
    """
    text = str(iri)
    for prefix, namespace in _BY_LENGTH:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return None


def expand_prefixed(text: str) -> str:
    """A prefixed name whose prefix is one of :data:`PREFIXES` as its full IRI; any other text unchanged.

    >>> expand_prefixed("pkid:hokkaido/plan"), expand_prefixed("https://x/y")
    ('https://w3id.org/policykg/id/hokkaido/plan', 'https://x/y')
    """
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return text


def graph_name(source_name: str) -> URIRef:
    """The named graph that holds everything loaded from one source."""
    return GRAPH[source_name]


def term_name(iri: object) -> str:
    """The local name of a vocabulary term: after ``#``, else after the last ``/``.

    >>> term_name("https://w3id.org/policykg/ontology#AtLeast")
    'AtLeast'
    """
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]


__all__ = [
    "BASE", "PK", "ID", "GRAPH", "UNIT", "QUDT", "QUDT_UNIT", "ONTOLOGY_GRAPH",
    "INFERRED_ALIGNMENTS_GRAPH", "PROGRESS_GRAPH", "CURATED_ALIGNMENTS_GRAPH_PREFIX",
    "PREFIXES", "sparql_prefixes", "curie", "expand_prefixed", "graph_name", "term_name",
    "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "TIME", "XSD", "ORG", "SOSA",
]
