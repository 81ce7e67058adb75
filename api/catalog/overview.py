"""What the graph holds: counts per kind, for the home page and ``/api/overview``."""

from __future__ import annotations

from functools import lru_cache

from policykg.api.catalog.labels import LabelIndex
from policykg.api.catalog.sparql import py_value, select
from policykg.graph.store import Store
from policykg.namespaces import PK

HEADLINE = {
    "areas": (PK.PolicyArea,),
    "directions": (PK.PolicyDirection,),
    "measures": (PK.Measure,),
    "indicators": (PK.NumericIndicator, PK.QualitativeIndicator),
    "national_plans": (PK.NationalPlan, PK.Guideline),
    "national_items": (PK.NationalItem,),
    "alignments": (PK.Alignment,),
    "roadmap_phases": (PK.RoadmapPhase,),
}
"""Headline kinds → the pk: classes counted for them."""


def overview(store: Store, lang: str) -> dict:
    """Triples, named graphs, headline counts and the count of every pk: class.

    Counted by two aggregate queries, named from the ontology: nothing reads every label of the store
    (at national scale the store's label index takes minutes to build; the home page must not wait for it).
    """
    per_class = {row["cls"]: py_value(row["n"]) for row in select(store, "class_counts")}
    headline = headline_counts(store)
    names = ontology_labels()
    classes = [
        {**names.ref(cls, lang), "count": n}
        for cls, n in per_class.items()
        if str(cls).startswith(str(PK))
    ]
    classes.sort(key=lambda c: (-c["count"], c["id"]))
    return {
        "triples": len(store),
        "graphs": [str(g) for g in store.graph_names()],
        "counts": headline,
        "classes": classes,
    }


def headline_counts(store: Store) -> dict[str, int]:
    """How many entities of each :data:`HEADLINE` kind the store holds (one aggregate query: the home page's
    counts; the per-class counts of :func:`overview` group every typed entity, 16 s at 10M quads on disk)."""
    counted = {str(row["kind"]): py_value(row["n"]) for row in select(store, "headline_counts")}
    return {kind: int(counted.get(kind, 0)) for kind in HEADLINE}


@lru_cache(maxsize=1)
def ontology_labels() -> LabelIndex:
    """The names of the ontology's classes and properties (the ontology graph every store holds)."""
    from policykg.ontology import ontology_graph

    return LabelIndex.from_graph(ontology_graph())


__all__ = ["overview", "headline_counts", "ontology_labels", "HEADLINE"]
