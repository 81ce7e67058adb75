"""Names of classes and properties in the page language: ontology first, then a small table."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rdflib import Graph, Literal, URIRef

from policykg.api.catalog.labels import label_index
from policykg.words import term_label
from policykg.labels import pick_label
from policykg.graph.store import Store
from policykg.namespaces import RDFS, SKOS, curie


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    """The shipped ontology (``policykg.ontology.ontology_graph``), read once."""
    from policykg.ontology import ontology_graph

    return ontology_graph()


def _ontology_labels(term: URIRef) -> list[Literal]:
    graph = _ontology()
    return [o for p in (RDFS.label, SKOS.prefLabel) for o in graph.objects(term, p) if isinstance(o, Literal)]


def prefixed(term: str) -> str:
    """``pk:Measure`` style short name, or the IRI when no prefix fits.

    >>> prefixed("http://www.w3.org/2004/02/skos/core#broader")
    'skos:broader'
    """
    return curie(term) or str(term)


def term_labeller(store: Store) -> Callable[[URIRef, str], str]:
    """A function naming a vocabulary term in a language, for one store generation.

    Order: the ontology's own rdfs:label (shipped ontology, else the copy in the store), then
    the i18n table for reused vocabularies, then the prefixed name.
    """
    def label(term: URIRef, lang: str) -> str:
        # the store's label index only for a term the ontology does not name (built once per generation,
        # and not at all for a page that names only ontology terms: at national scale it takes minutes)
        labels = _ontology_labels(URIRef(str(term))) or [
            lit for _, lit in label_index(store).all_labels(URIRef(str(term)))
        ]
        if labels:
            return pick_label(labels, lang)
        return term_label(str(term), lang) or prefixed(term)

    return label


__all__ = ["term_labeller", "prefixed"]
