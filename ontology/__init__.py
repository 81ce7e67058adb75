"""The policykg ontology and SHACL shapes, shipped as Turtle package data.

Both files are read with :mod:`importlib.resources`, so they work from a wheel, a zip or an
editable install, and never from the network. Parsing happens once per process; every call
returns a fresh copy, so callers may add to or bind on the graph they get without changing
what the next caller sees.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from rdflib import Graph

ONTOLOGY_FILE = "policykg.ttl"
SHAPES_FILE = "shapes.ttl"
ONTOLOGY_IRI = "https://w3id.org/policykg/ontology"


def ontology_text() -> str:
    """The ontology as Turtle text (for serving ``/ontology.ttl`` byte for byte)."""
    return _read(ONTOLOGY_FILE)


def shapes_text() -> str:
    """The SHACL shapes as Turtle text."""
    return _read(SHAPES_FILE)


def ontology_graph() -> Graph:
    """The ontology as a new rdflib Graph (a copy: safe to modify).

    >>> from policykg.namespaces import PK, RDF, OWL
    >>> (PK.Measure, RDF.type, OWL.Class) in ontology_graph()
    True
    """
    return _copy(_parsed(ONTOLOGY_FILE))


def shapes_graph() -> Graph:
    """The SHACL shapes as a new rdflib Graph (a copy: safe to modify).

    >>> from rdflib import URIRef
    >>> from policykg.namespaces import RDF
    >>> len(list(shapes_graph().subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))) > 10
    True
    """
    return _copy(_parsed(SHAPES_FILE))


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _parsed(name: str) -> Graph:
    # Cached and never handed out: callers only ever see copies.
    return Graph().parse(data=_read(name), format="turtle")


def _copy(source: Graph) -> Graph:
    graph = Graph()
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace, override=True)
    graph += source
    return graph


__all__ = [
    "ontology_graph", "shapes_graph", "ontology_text", "shapes_text",
    "ONTOLOGY_FILE", "SHAPES_FILE", "ONTOLOGY_IRI",
]
