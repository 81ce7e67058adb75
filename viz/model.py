"""The network model: nodes and edges as plain dicts, read from the store with canned SPARQL.

Split like a networkx reader: :func:`fetch_rows` is the only I/O (one SELECT per ``viz/queries/*.rq``),
:func:`build_model` is pure and turns those rows into ``{"nodes": [...], "edges": [...], ...}``.
The HTML page, the JSON twin (``/viz.json``) and the exported file all render this one model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from policykg.graph import queries
from policykg.graph.store import Store
from policykg.ids import local_id
from policykg.labels import NATIONAL_PLAN_CLASSES, choose_label, label_key
from policykg.namespaces import term_name
from policykg.viz.kinds import (
    KIND_BY_KEY,
    LOCAL_PLAN_LEVEL,
    NATIONAL_INDICATOR_LEVEL,
    STRUCTURE_PREDICATES,
    kind_of,
    legend,
)
from policykg.viz.urls import entity_links

QUERY_NAMES = ("entities", "labels", "locations", "membership", "structure", "transitions", "alignments", "progress")
CONTAINMENT = {"direction", "evaluates", "correspondsTo", "area", "broader", "topConceptOf", "indicatorOf"}
"""Relations along which a child inherits its parent's plan and area (not plan-to-plan links)."""

Rows = Mapping[str, list[dict]]


def _query(name: str) -> queries.CannedQuery:
    """``viz/queries/<name>.rq``; ``labels`` is the shared ``graph/queries/internal/labels.rq``."""
    return queries.internal_query(name) if name == "labels" else queries.read_query("policykg.viz", name)


def load_viz_query(name: str) -> str:
    """The text of a viz query (see :data:`QUERY_NAMES`) with the shared PREFIX lines prepended."""
    return _query(name).text


def fetch_rows(store: Store) -> dict[str, list[dict]]:
    """Run every viz query against the store (the union of all named graphs)."""
    return {name: queries.select(store, _query(name)) for name in QUERY_NAMES}


def build_network(store: Store, *, base_url: str = "") -> dict:
    """The whole graph as a network model (fetch + build)."""
    model = build_model(fetch_rows(store), base_url=base_url)
    model["generation"] = getattr(store, "generation", 0)
    return model


def build_model(rows: Rows, *, base_url: str = "") -> dict:
    """Pure: query rows -> network model.

    Nodes carry kind, side (national/local), ja/en labels, alt labels, plans, areas, source
    locations, progress status and links; edges carry relation, evidence, score and rationale.
    Edges always point child -> parent (measure -> direction -> area -> plan) or local -> national.
    """
    classes: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in rows["entities"]:
        classes[row["s"]].add(row["type"])
    kinds = {s: k for s, cs in classes.items() if (k := kind_of(cs)) is not None}

    edges = _structure_edges(rows, kinds) + _transition_edges(rows, kinds) + _alignment_edges(rows, kinds)
    direct_plans: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in rows["membership"]:
        if row["plan"] in kinds and kinds[row["plan"]] == "plan":
            direct_plans[row["s"]].add(row["plan"])
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for e in edges:
        if e["rel"] in CONTAINMENT:
            parents[URIRef(e["from"])].add(URIRef(e["to"]))
    plans = _inherit(kinds, parents, lambda s: {s} if kinds[s] == "plan" else direct_plans.get(s, set()))
    areas = _inherit(kinds, parents, lambda s: {s} if kinds[s] == "area" else set())
    national_plans = {s for s, k in kinds.items() if k == "plan" and classes[s].intersection(NATIONAL_PLAN_CLASSES)}

    labels = _labels(rows["labels"], kinds)
    locations = _locations(rows["locations"], kinds)
    status = _latest_status(rows["progress"], kinds)
    nodes = []
    for s, kind in kinds.items():
        side = "national" if plans[s] & national_plans else ("local" if plans[s] else "other")
        if kind == "plan":
            side = "national" if s in national_plans else "local"
        level = KIND_BY_KEY[kind].level
        if kind == "plan" and side == "local":
            level = LOCAL_PLAN_LEVEL
        elif kind == "indicator" and side == "national":
            level = NATIONAL_INDICATOR_LEVEL
        ja, en, alt = labels.get(s, (local_id(s), None, []))
        node = {
            "id": str(s),
            "key": local_id(s),
            "kind": kind,
            "side": side,
            "level": level,
            "label": {"ja": ja, "en": en},
            "alt": alt,
            "plans": sorted(str(p) for p in plans[s]),
            "areas": sorted(str(a) for a in areas[s]),
            "loc": locations.get(s, []),
            "status": status.get(s),
            "search": _search_keys(s, ja, en, alt),
            **entity_links(str(s), kind, base_url=base_url),
        }
        nodes.append(node)
    nodes.sort(key=lambda n: (n["level"], n["plans"], n["label"]["ja"], n["id"]))
    return {"nodes": nodes, "edges": edges, "legend": legend()}


def _inherit(kinds, parents, own) -> dict[URIRef, set[URIRef]]:
    """Each node's own values plus everything its containment ancestors have (cycle-safe)."""
    memo: dict[URIRef, set[URIRef]] = {}

    def visit(s: URIRef, seen: frozenset) -> set[URIRef]:
        if s in memo:
            return memo[s]
        acc = set(own(s))
        for parent in parents.get(s, ()):
            if parent in kinds and parent not in seen:
                acc |= visit(parent, seen | {s})
        memo[s] = acc
        return acc

    for s in kinds:
        visit(s, frozenset())
    return memo


def _structure_edges(rows: Rows, kinds: Mapping[URIRef, str]) -> list[dict]:
    edges: dict[tuple[str, str], dict] = {}
    for row in rows["structure"]:
        rel, flipped = STRUCTURE_PREDICATES.get(row["p"], (None, False))
        child, parent = (row["o"], row["s"]) if flipped else (row["s"], row["o"])
        if rel is None or child not in kinds or parent not in kinds or child == parent:
            continue
        pair = (str(child), str(parent))
        # skos:broader often repeats pk:direction / pk:area: keep the more specific relation.
        if pair not in edges or edges[pair]["rel"] in ("broader", "topConceptOf"):
            edges[pair] = {"from": pair[0], "to": pair[1], "rel": rel, "ev": "structure"}
    ordered = sorted(edges.values(), key=lambda e: (e["from"], e["to"]))
    return [{"id": f"s:{i}", **e} for i, e in enumerate(ordered)]


def _transition_edges(rows: Rows, kinds: Mapping[URIRef, str]) -> list[dict]:
    """Sorted by id like the other edge lists, so the same store always gives the same page."""
    edges = [
        {"id": str(r["t"]), "from": str(r["from"]), "to": str(r["to"]), "rel": "transition", "ev": "structure"}
        for r in rows["transitions"]
        if r["from"] in kinds and r["to"] in kinds
    ]
    return sorted(edges, key=lambda e: e["id"])


def _alignment_edges(rows: Rows, kinds: Mapping[URIRef, str]) -> list[dict]:
    """One edge per alignment, local -> national; rationale kept per language."""
    by_id: dict[URIRef, dict] = {}
    for r in rows["alignments"]:
        if r["local"] not in kinds or r["national"] not in kinds:
            continue
        edge = by_id.setdefault(r["al"], {
            "id": str(r["al"]),
            "from": str(r["local"]),
            "to": str(r["national"]),
            "rel": local_id_of_term(r.get("relation"), "Supports"),
            "ev": local_id_of_term(r.get("evidence"), "curated").lower(),
            "score": _number(r.get("score")),
            "rationale": {},
        })
        rationale = r.get("rationale")
        if isinstance(rationale, Literal):
            edge["rationale"].setdefault(rationale.language or "ja", str(rationale))
    return sorted(by_id.values(), key=lambda e: e["id"])


def local_id_of_term(term, default: str) -> str:
    """The local name of an ontology individual (``pk:Curated`` -> ``Curated``)."""
    return default if term is None else term_name(term)


def _number(term) -> float | None:
    if term is None:
        return None
    try:
        return round(float(Decimal(str(term))), 4)
    except ArithmeticError:
        return None


def _labels(rows: list[dict], kinds: Mapping[URIRef, str]) -> dict[URIRef, tuple[str, str | None, list[str]]]:
    """(ja label, en label or None, alt labels) per node, named by :func:`policykg.labels.choose_label`."""
    by_node: dict[URIRef, dict[URIRef, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["s"] in kinds:
            by_node[r["s"]][r["p"]].append(r["label"])
    out = {}
    for s, preds in by_node.items():
        ja = str(choose_label(preds, "ja", local_id(s)))
        en = choose_label(preds, "en", None, strict=True)
        alt = sorted({str(lit) for lit in preds.get(SKOS.altLabel, []) if str(lit) != ja})
        out[s] = (ja, en, alt)
    return out


def _locations(rows: list[dict], kinds: Mapping[URIRef, str]) -> dict[URIRef, list[dict]]:
    out: dict[URIRef, list[dict]] = defaultdict(list)
    for r in rows:
        if r["s"] not in kinds:
            continue
        loc = {
            "slide": _int(r.get("slide")),
            "section": str(r["section"]) if "section" in r else None,
            "line": _int(r.get("line")),
        }
        if loc not in out[r["s"]]:
            out[r["s"]].append(loc)
    for locs in out.values():
        locs.sort(key=lambda x: (x["line"] is None, x["line"] or 0, x["slide"] or 0))
    return out


def _int(term) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None


def _latest_status(rows: list[dict], kinds: Mapping[URIRef, str]) -> dict[URIRef, str]:
    """The status of each indicator's most recent assessment (by pk:asOf)."""
    latest: dict[URIRef, tuple[str, str]] = {}
    for r in rows:
        ind = r["indicator"]
        if kinds.get(ind) != "indicator":
            continue
        as_of = str(r.get("asOf", ""))
        status = local_id_of_term(r["status"], "")
        if ind not in latest or (as_of, status) > latest[ind]:
            latest[ind] = (as_of, status)
    return {ind: st for ind, (_, st) in latest.items()}


def _search_keys(s: URIRef, ja: str, en: str | None, alt: list[str]) -> list[str]:
    """Normalised (NFKC, no spaces, lower-case) strings the search box matches against."""
    keys = [label_key(x) for x in (ja, en or "", *alt, local_id(s)) if x]
    return list(dict.fromkeys(k for k in keys if k))


__all__ = ["build_model", "build_network", "fetch_rows", "load_viz_query", "QUERY_NAMES", "CONTAINMENT"]
