"""Trace a local measure up to the national items it supports, and a national item down to its supporters.

The store is projected once per ``store.generation`` into a networkx graph (structure edges and
alignment edges), so tracing every measure costs one projection plus graph walks. The functions
return plain dicts: the JSON the CLI prints and the API serves (contract in docs/alignment.md).
Inferred links appear only when asked for, and always say ``"evidence": "inferred"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from rdflib import URIRef

from policykg.graph.cache import store_cached
from policykg.graph.queries import internal_query, read_label_index, select
from policykg.labels import NATIONAL_KINDS, NATIONAL_PLAN_CLASSES, LabelIndex
from policykg.namespaces import PK, SKOS

EVIDENCE_NAMES = {PK.Stated: "stated", PK.Curated: "curated", PK.Inferred: "inferred"}
EVIDENCE_ORDER = {"stated": 0, "curated": 1, "inferred": 2}
RELATION_NAMES = {PK.Supports: "supports", PK.ContributesTo: "contributes_to"}
STRUCTURE = {
    SKOS.broader: "broader", PK.direction: "direction", PK.area: "area", PK.inPlan: "in_plan",
    SKOS.inScheme: "in_scheme", SKOS.topConceptOf: "top_of", PK.evaluates: "evaluates",
    PK.legalBasis: "law", PK.responsibleAgency: "agency",
}
"""The structural predicates trace walks (``graph/queries/internal/trace-structure.rq`` reads these) and their edge names."""


@dataclass
class Projection:
    """The store as a networkx MultiDiGraph plus the label index, valid for one store generation."""

    graph: nx.MultiDiGraph
    index: LabelIndex
    order: dict[URIRef, str]

    def out(self, node: URIRef, kind: str) -> list[URIRef]:
        """Targets of ``node``'s edges of ``kind``, in source order."""
        targets = {v for _u, v, k in self.graph.out_edges(node, keys=True) if k == kind} if node in self.graph else set()
        return sorted(targets, key=self.sort_key)

    def into(self, node: URIRef, kind: str) -> list[URIRef]:
        sources = {u for u, _v, k in self.graph.in_edges(node, keys=True) if k == kind} if node in self.graph else set()
        return sorted(sources, key=self.sort_key)

    def sort_key(self, iri: URIRef) -> tuple[str, str, str]:
        return (self.order.get(iri, "~"), self.index.label(iri), str(iri))

    def ref(self, iri: URIRef, lang: str = "ja") -> dict:
        return {"iri": str(iri), "label": self.index.label(iri, lang)}

    def is_a(self, iri: URIRef, classes: Iterable[URIRef]) -> bool:
        return self.index.has_kind(iri, classes)


def project(store) -> Projection:
    """Build the projection of ``store`` (no caching; see :func:`projection`)."""
    g = nx.MultiDiGraph()
    for row in select(store, internal_query("trace-structure")):
        if row["p"] in STRUCTURE:
            g.add_edge(row["s"], row["o"], key=STRUCTURE[row["p"]])
    order: dict[URIRef, str] = {}
    for row in select(store, internal_query("trace-order")):
        if "n" in row:
            order[row["s"]] = str(row["n"]).rjust(6, "0")
        elif row["s"] not in order:
            order[row["s"]] = str(row["o"]).rjust(6, "0")
    for row in select(store, internal_query("trace-alignments")):
        score = row.get("score")
        g.add_edge(row["local"], row["national"], key=f"al:{row['a']}", kind="aligned", alignment=str(row["a"]),
                   evidence=EVIDENCE_NAMES.get(row["evidence"], str(row["evidence"])),
                   relation=RELATION_NAMES.get(row.get("relation"), None),
                   score=float(score) if score is not None else None,
                   rationale=str(row["rationale"]) if "rationale" in row else "")
    return Projection(g, read_label_index(store), order)


def projection(store) -> Projection:
    """The cached projection of ``store``, rebuilt when ``store.generation`` changes."""
    return store_cached(store, "trace-projection", lambda: project(store))


# --- pure walks over a projection ---------------------------------------------------------------


def _shown(data: dict, include_inferred: bool) -> bool:
    """Whether an edge is an alignment the caller wants (inferred ones only when asked for)."""
    return data.get("kind") == "aligned" and (include_inferred or data["evidence"] != "inferred")


def _strength(data: dict) -> tuple[int, float]:
    """Stated before curated before inferred; then the higher score first."""
    return EVIDENCE_ORDER.get(data["evidence"], 9), -(data["score"] or 0.0)


def _links(p: Projection, local: URIRef, include_inferred: bool) -> list[tuple[URIRef, dict]]:
    """``local``'s alignments: (national item, edge data), strongest first."""
    found = [(v, data) for _u, v, data in p.graph.out_edges(local, data=True)
             if _shown(data, include_inferred)] if local in p.graph else []
    return sorted(found, key=lambda t: (*_strength(t[1]), p.sort_key(t[0])))


def _links_into(p: Projection, national: URIRef, include_inferred: bool) -> list[tuple[URIRef, dict]]:
    """The alignments into ``national``: (local item, edge data), by local item, then strongest first."""
    found = [(u, data) for u, _v, data in p.graph.in_edges(national, data=True)
             if _shown(data, include_inferred)] if national in p.graph else []
    return sorted(found, key=lambda t: (p.sort_key(t[0]), *_strength(t[1])))


def ancestors(p: Projection, item: URIRef) -> list[URIRef]:
    """``item``'s skos:broader chain, nearest first (cycles cut)."""
    chain, seen, node = [], {item}, item
    while True:
        parents = [b for b in p.out(node, "broader") if b not in seen]
        if not parents:
            return chain
        node = parents[0]
        seen.add(node)
        chain.append(node)


def plan_of(p: Projection, item: URIRef) -> URIRef | None:
    """The plan an item belongs to: pk:inPlan, skos:inScheme, skos:topConceptOf, else its ancestors' plan."""
    if p.is_a(item, NATIONAL_PLAN_CLASSES) or p.is_a(item, {PK.PolicyDocument, PK.LocalPlan}):
        return item
    for node in [item, *ancestors(p, item)]:
        for kind in ("in_plan", "in_scheme", "top_of"):
            plans = p.out(node, kind)
            if plans:
                return plans[0]
    return None


def plan_ref(p: Projection, plan: URIRef | None, lang: str = "ja") -> dict | None:
    if plan is None:
        return None
    agencies = p.out(plan, "agency")
    return {**p.ref(plan, lang), "laws": [p.ref(law, lang) for law in p.out(plan, "law")],
            "agency": p.ref(agencies[0], lang) if agencies else None}


def directions_of(p: Projection, measure: URIRef, lang: str = "ja") -> list[dict]:
    directions = p.out(measure, "direction") or [
        b for b in p.out(measure, "broader") if p.is_a(b, {PK.PolicyDirection})]
    return [{**p.ref(d, lang), "area": _area(p, d, lang)} for d in directions]


def _area(p: Projection, local: URIRef, lang: str) -> dict | None:
    areas = p.out(local, "area") or [b for b in p.out(local, "broader") if p.is_a(b, {PK.PolicyArea})]
    return p.ref(areas[0], lang) if areas else None


def _link_json(data: dict) -> dict:
    """The evidence part of one alignment edge."""
    return {"evidence": data["evidence"], "relation": data["relation"], "score": data["score"], "rationale": data["rationale"]}


def measure_trace(p: Projection, measure: URIRef, *, include_inferred: bool = False, lang: str = "ja") -> dict:
    """The trace JSON of one measure IRI (see :func:`trace_measure`)."""
    supports = []
    for national, data in _links(p, measure, include_inferred):
        supports.append({
            **p.ref(national, lang),
            "plan": plan_ref(p, plan_of(p, national), lang),
            "ancestors": [p.ref(a, lang) for a in ancestors(p, national)],
            **_link_json(data),
        })
    return {"measure": p.ref(measure, lang), "directions": directions_of(p, measure, lang), "supports": supports}


def descendants(p: Projection, national: URIRef) -> list[URIRef]:
    """``national`` and every item below it (skos:broader*; for a plan, every item in it)."""
    below = {national}
    frontier = [national]
    while frontier:
        node = frontier.pop()
        for child in p.into(node, "broader"):
            if child not in below:
                below.add(child)
                frontier.append(child)
    if p.is_a(national, NATIONAL_PLAN_CLASSES):
        below |= {u for u in p.index.entities(NATIONAL_KINDS) if plan_of(p, u) == national}
    return sorted(below, key=p.sort_key)


def national_trace(p: Projection, national: URIRef, *, include_inferred: bool = False, lang: str = "ja") -> dict:
    """The supporters JSON of one national item IRI (see :func:`trace_national`)."""
    groups: dict[str, dict[URIRef, dict]] = {"measures": {}, "directions": {}, "roadmap_rows": {}}
    for item in descendants(p, national):
        for local, data in _links_into(p, item, include_inferred):
            group = ("measures" if p.is_a(local, {PK.Measure}) else
                     "directions" if p.is_a(local, {PK.PolicyDirection}) else "roadmap_rows")
            entry = groups[group].setdefault(local, _local_entry(p, local, group, lang))
            entry["links"].append({"via": p.ref(item, lang), **_link_json(data)})
    indicators: dict[URIRef, dict] = {}
    directions = set(groups["directions"]) | {
        URIRef(d["iri"]) for entry in groups["measures"].values() for d in entry["directions"]}
    for direction in sorted(directions, key=p.sort_key):
        for indicator in p.into(direction, "evaluates"):
            indicators.setdefault(indicator, {**p.ref(indicator, lang), "direction": p.ref(direction, lang)})
    return {
        "national": {**p.ref(national, lang), "plan": plan_ref(p, plan_of(p, national), lang),
                     "ancestors": [p.ref(a, lang) for a in ancestors(p, national)]},
        **{name: [group[k] for k in sorted(group, key=p.sort_key)] for name, group in groups.items()},
        "indicators": [indicators[k] for k in sorted(indicators, key=p.sort_key)],
    }


def _local_entry(p: Projection, local: URIRef, group: str, lang: str) -> dict:
    entry = p.ref(local, lang)
    if group == "measures":
        entry["directions"] = directions_of(p, local, lang)
    else:
        entry["area"] = _area(p, local, lang)
    entry["links"] = []
    return entry


# --- public API over a store ----------------------------------------------------------------------


def trace_measure(store, label_or_iri: str, *, include_inferred: bool = False, lang: str = "ja") -> dict:
    """``{"measure", "directions", "supports"}`` for the measure named by a label or IRI.

    :raises LabelNotFound: no measure has that label (closest labels attached).
    :raises AmbiguousLabel: several measures have it.
    :raises EntityNotFound: an IRI that is not a measure.
    """
    p = projection(store)
    return measure_trace(p, p.index.resolve(label_or_iri, kinds={PK.Measure}), include_inferred=include_inferred, lang=lang)


def trace_all(store, *, include_inferred: bool = False, lang: str = "ja") -> list[dict]:
    """:func:`trace_measure` of every measure, in plan order (first direction's notation, then label)."""
    p = projection(store)
    measures = p.index.entities({PK.Measure})

    def key(m: URIRef) -> tuple:
        firsts = [p.sort_key(d) for d in (p.out(m, "direction") or [])]
        return (min(firsts) if firsts else ("~",), p.index.label(m), str(m))

    return [measure_trace(p, m, include_inferred=include_inferred, lang=lang) for m in sorted(measures, key=key)]


def trace_national(store, label_or_iri: str, *, include_inferred: bool = False, lang: str = "ja") -> dict:
    """Local measures, directions, roadmap rows and indicators supporting a national item or plan,
    directly or through its sub-items (skos:broader*), each link with its evidence.

    :raises LabelNotFound: / :raises AmbiguousLabel: / :raises EntityNotFound: as :func:`trace_measure`.
    """
    p = projection(store)
    return national_trace(p, p.index.resolve(label_or_iri, kinds=NATIONAL_KINDS), include_inferred=include_inferred, lang=lang)


__all__ = [
    "Projection", "project", "projection", "trace_measure", "trace_all", "trace_national",
    "measure_trace", "national_trace", "ancestors", "plan_of", "descendants",
]
