"""What the graph holds: counts per kind, for the home page and ``/api/overview``."""

from __future__ import annotations

from policykg.api.catalog.labels import label_index
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
    """Triples, named graphs, headline counts and the count of every pk: class."""
    index = label_index(store)
    per_class = {row["cls"]: py_value(row["n"]) for row in select(store, "class_counts")}
    headline = {}
    for kind, classes in HEADLINE.items():
        members = {s for s, types in index.types.items() if any(c in types for c in classes)}
        headline[kind] = len(members)
    classes = [
        {**index.ref(cls, lang), "count": n}
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


__all__ = ["overview", "HEADLINE"]
