"""A per-store-generation index of labels and types: who is called what, and what it is.

Built with two queries and reused until the store changes (``store.generation``), so list
endpoints and search never issue one label query per row.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from policykg import urls
from policykg.api.catalog.sparql import select
from policykg.namespaces import term_name
from policykg.graph.labels import pick_label
from policykg.graph.store import Store
from policykg.ids import local_id
from policykg.namespaces import DCTERMS, ID, PK, RDFS, SKOS

_PRIMARY = (SKOS.prefLabel, RDFS.label, DCTERMS.title)


@dataclass
class LabelIndex:
    """Labels (by predicate), types and the id → IRI table of one store generation."""

    names: dict[URIRef, dict[URIRef, list[Literal]]] = field(default_factory=dict)
    types: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    by_id: dict[str, URIRef] = field(default_factory=dict)

    def label(self, iri: URIRef, lang: str) -> str:
        """Best label in ``lang`` (skos:prefLabel > rdfs:label > dcterms:title), else the id."""
        per_pred = self.names.get(iri, {})
        for pred in _PRIMARY:
            if per_pred.get(pred):
                return pick_label(per_pred[pred], lang)
        return local_id(iri)

    def alt_labels(self, iri: URIRef) -> list[str]:
        return sorted({str(lit) for lit in self.names.get(iri, {}).get(SKOS.altLabel, [])})

    def all_labels(self, iri: URIRef) -> list[tuple[URIRef, Literal]]:
        return [(p, lit) for p, lits in self.names.get(iri, {}).items() for lit in lits]

    def has_type(self, iri: URIRef, cls: URIRef) -> bool:
        return cls in self.types.get(iri, set())

    def kind(self, iri: URIRef) -> str | None:
        """The local name of the most specific pk: class (ignoring the umbrella classes)."""
        own = sorted(str(t)[len(str(PK)):] for t in self.types.get(iri, ()) if str(t).startswith(str(PK)))
        specific = [k for k in own if k not in _UMBRELLA]
        return (specific or own or [None])[0]

    def ref(self, iri: URIRef, lang: str) -> dict:
        """The compact reference every list item and relation uses."""
        return {
            "id": local_id(iri) if urls.is_entity(iri) else term_name(iri),
            "iri": str(iri),
            "label": self.label(iri, lang),
            "url": urls.entity_url(iri, lang) if urls.is_entity(iri) else str(iri),
        }


_UMBRELLA = {"NationalItem", "Indicator", "PolicyDocument"}

_CACHE: "weakref.WeakKeyDictionary[object, tuple[int, LabelIndex]]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def label_index(store: Store) -> LabelIndex:
    """The index for the store's current generation (rebuilt after any write)."""
    with _LOCK:
        cached = _CACHE.get(store)
        if cached and cached[0] == store.generation:
            return cached[1]
    index = _build(store)
    with _LOCK:
        _CACHE[store] = (store.generation, index)
    return index


def _build(store: Store) -> LabelIndex:
    names: dict[URIRef, dict[URIRef, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    for row in select(store, "labels"):
        names[row["s"]][row["p"]].append(row["l"])
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in select(store, "types"):
        types[row["s"]].add(row["type"])
    by_id: dict[str, URIRef] = {}
    for iri in sorted(set(types) | set(names), key=str):
        if str(iri).startswith(str(ID)):
            by_id.setdefault(local_id(iri), iri)
    return LabelIndex(
        names={s: dict(p) for s, p in names.items()}, types=dict(types), by_id=by_id,
    )


__all__ = ["LabelIndex", "label_index"]
