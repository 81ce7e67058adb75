"""Filters over the network model: pure functions from a model and a :class:`VizFilter` to a smaller model.

Server-side filtering keeps large graphs usable (the browser only gets what it draws). Semantics:

- ``plans``: nodes of those plans (a plan node, or a node whose ``plans`` include one); several = union.
- ``areas``: drops area-bound (local) nodes outside those areas; nodes with no area (national items,
  plans) stay, so alignments to the national side remain visible.
- ``kinds``: only nodes of those kinds.
- ``evidence``: only alignment edges with that evidence (stated, curated, inferred); structural edges stay.
- ``min_score``: drops inferred alignments scoring below it (stated and curated have no score and stay).
- ``jurisdiction``: one government's plan with the national side (:class:`policykg.graph.jurisdictions.ScopedStore`:
  its named graphs, nothing copied); the model is built from that scope, the other filters apply after.
- ``focus`` + ``hops``: the n-hop neighbourhood (networkx ``ego_graph``, undirected) of one node,
  named by IRI, local id, or label (ja/en/alternative) by the one rule of :mod:`policykg.labels`.

Edges survive only when both ends do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from policykg.errors import ParameterError
from policykg.labels import LabelMatcher, label_key
from policykg.viz.kinds import ALIGNMENT_EVIDENCE, KIND_BY_KEY

MAX_HOPS = 6


@dataclass(frozen=True)
class VizFilter:
    """What to keep. Frozen and hashable, so it doubles as a cache key."""

    plans: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    min_score: float | None = None
    focus: str | None = None
    hops: int = 2
    jurisdiction: str | None = None

    def is_empty(self) -> bool:
        return (not (self.plans or self.areas or self.kinds or self.evidence or self.focus or self.jurisdiction)
                and self.min_score is None)


def split_values(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Repeated and comma-separated values as one tuple, order kept, blanks and repeats dropped.

    >>> split_values(["measure,indicator", " measure ", ""])
    ('measure', 'indicator')
    """
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    parts = (p.strip() for v in values for p in v.replace("、", ",").split(","))
    return tuple(dict.fromkeys(p for p in parts if p))


def make_filter(
    *,
    plans: Iterable[str] | str | None = None,
    areas: Iterable[str] | str | None = None,
    kinds: Iterable[str] | str | None = None,
    evidence: Iterable[str] | str | None = None,
    min_score: float | None = None,
    focus: str | None = None,
    hops: int = 2,
    jurisdiction: str | None = None,
) -> VizFilter:
    """A validated filter.

    :raises ParameterError: an unknown kind or evidence, hops outside 0..6, or a score outside 0..1
        (the message lists the allowed values).
    """
    f = VizFilter(
        plans=split_values(plans), areas=split_values(areas), kinds=split_values(kinds),
        evidence=tuple(e.lower() for e in split_values(evidence)), min_score=min_score,
        focus=(focus or "").strip() or None, hops=hops, jurisdiction=(jurisdiction or "").strip() or None,
    )
    unknown_kinds = [k for k in f.kinds if k not in KIND_BY_KEY]
    if unknown_kinds:
        raise ParameterError(f"種類「{'、'.join(unknown_kinds)}」はありません（使えるもの: {'、'.join(KIND_BY_KEY)}） / "
                             f"unknown kind {', '.join(unknown_kinds)}; allowed: {', '.join(KIND_BY_KEY)}", field="kind")
    unknown_ev = [e for e in f.evidence if e not in ALIGNMENT_EVIDENCE]
    if unknown_ev:
        raise ParameterError(f"根拠「{'、'.join(unknown_ev)}」はありません（使えるもの: {'、'.join(ALIGNMENT_EVIDENCE)}） / "
                             f"unknown evidence {', '.join(unknown_ev)}; allowed: {', '.join(ALIGNMENT_EVIDENCE)}",
                             field="evidence")
    if not 0 <= f.hops <= MAX_HOPS:
        raise ParameterError(f"ホップ数は 0 から {MAX_HOPS} までです（指定: {f.hops}） / "
                             f"hops must be between 0 and {MAX_HOPS}, got {f.hops}", field="hops")
    if f.min_score is not None and not 0 <= f.min_score <= 1:
        raise ParameterError(f"最低スコアは 0 から 1 までです（指定: {f.min_score}） / "
                             f"min_score must be between 0 and 1, got {f.min_score}", field="min_score")
    return f


def resolve_node(nodes: list[dict], term: str, *, kinds: tuple[str, ...] = ()) -> dict:
    """The one node named by ``term``: its IRI or local id, else a label (ja, en or alternative)
    found by the one rule of :mod:`policykg.labels` (exact, then normalised; no guessing).

    :raises LabelNotFound: nothing matches (carries the closest labels).
    :raises AmbiguousLabel: several nodes carry the label (carries their IRIs).
    """
    pool = {n["id"]: n for n in nodes if not kinds or n["kind"] in kinds}
    for n in pool.values():
        if term.strip() in (n["id"], n["key"]) or label_key(term) == label_key(n["key"]):
            return n
    matcher = LabelMatcher.of(
        (label, n["id"]) for n in pool.values() for label in (n["label"]["ja"], n["label"]["en"], *n["alt"]) if label
    )
    return pool[matcher.find(term)]


def apply_filters(model: dict, f: VizFilter) -> dict:
    """A new model with only the nodes and edges ``f`` keeps (``model`` is not changed).

    :raises LabelNotFound, AmbiguousLabel: a plan, area or focus term that names no node / several.
    """
    nodes: list[dict] = model["nodes"]
    if f.plans:
        plan_ids = {resolve_node(nodes, t, kinds=("plan",))["id"] for t in f.plans}
        nodes = [n for n in nodes if n["id"] in plan_ids or plan_ids.intersection(n["plans"])]
    if f.areas:
        area_ids = {resolve_node(model["nodes"], t, kinds=("area",))["id"] for t in f.areas}
        nodes = [n for n in nodes if not n["areas"] or area_ids.intersection(n["areas"])]
    if f.kinds:
        nodes = [n for n in nodes if n["kind"] in f.kinds]
    kept = {n["id"] for n in nodes}
    edges = [e for e in model["edges"] if e["from"] in kept and e["to"] in kept and _edge_kept(e, f)]
    focus_id = None
    if f.focus:
        focus_id = resolve_node(nodes, f.focus)["id"]
        graph = nx.Graph()
        graph.add_nodes_from(kept)
        graph.add_edges_from((e["from"], e["to"]) for e in edges)
        near = set(nx.ego_graph(graph, focus_id, radius=f.hops))
        nodes = [n for n in nodes if n["id"] in near]
        edges = [e for e in edges if e["from"] in near and e["to"] in near]
    return {**model, "nodes": nodes, "edges": edges, "focus": focus_id}


def _edge_kept(edge: dict, f: VizFilter) -> bool:
    if edge["ev"] == "structure":
        return True
    if f.evidence and edge["ev"] not in f.evidence:
        return False
    if f.min_score is not None and edge["ev"] == "inferred":
        return edge.get("score") is not None and edge["score"] >= f.min_score
    return True


def filter_params(f: VizFilter) -> dict[str, object]:
    """The filter as query parameters (for links to the JSON twin and back)."""
    return {
        "plan": ",".join(f.plans) or None, "area": ",".join(f.areas) or None,
        "kind": ",".join(f.kinds) or None, "evidence": ",".join(f.evidence) or None,
        "min_score": f.min_score, "focus": f.focus, "hops": f.hops if f.focus else None,
        "jurisdiction": f.jurisdiction,
    }


__all__ = ["VizFilter", "make_filter", "split_values", "resolve_node", "apply_filters", "filter_params", "MAX_HOPS"]
