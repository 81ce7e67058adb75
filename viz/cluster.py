"""Overview first, detail on demand: a large network drawn as groups, a group's members fetched on request.

Above :data:`CLUSTER_THRESHOLD` nodes (after the server-side filters) the page does not ship every node:
it draws one node per group, sized by how many nodes the group holds, and one edge per pair of groups
with the number of links between them. A planner expands a group in place (its members come from
``/viz/cluster``, at most :data:`MAX_MEMBERS` of them) or opens the filtered view of that group alone.

Groups (``mode``):

- ``jurisdiction`` (several local plans shown): local nodes by their jurisdiction (the first path segment
  of their local plan's IRI, :func:`policykg.graph.jurisdictions.key_of`); national nodes by national plan.
- ``area`` (one jurisdiction): local nodes by policy area (nodes of the plan but of no area, with the
  plan); national nodes by national plan.

Nodes of no plan at all form one "other" group. All functions here are pure (model in, model out).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from policykg.errors import EntityNotFound, ParameterError
from policykg.graph.jurisdictions import key_of
from policykg.ids import local_id
from policykg.viz.filters import VizFilter
from policykg.viz.layout import SPACIOUS_NODES, Layout, precompute_positions
from policykg.words import t

CLUSTER_THRESHOLD = 2000
"""Above this many nodes (after filtering) /viz draws groups instead of nodes."""
MAX_UNGROUPED = 25_000
"""At most this many nodes drawn or sent one by one (``grouped=false``): a national graph is 168,000 nodes and
190 MB of JSON; above it the planner narrows the view (jurisdiction, plan, area, kind, focus) or groups it."""
MAX_MEMBERS = 1500
"""At most this many member nodes per expansion (``/viz/cluster``); the rest: open the group's own view."""
MAX_LINKS = 5000
"""At most this many edges from an expanded group's members to nodes outside it."""
MIN_GROUP_SIZE = 10
MAX_GROUP_SIZE = 40
"""Radius of a group node in canvas units, growing with the square root of its member count."""
GROUP_GAP = 150.0
"""Grid spacing of group nodes in canvas units (room for a wrapped label under the largest group)."""
GROUP_PREFIX = "group:"
"""Group node ids are ``group:<key>``; keys are ``j:<jurisdiction>``, ``a:<area IRI>``, ``p:<plan IRI>``, ``other``."""

MODES = ("jurisdiction", "area")
GROUP_KINDS = {
    # kind key: (word key, colour, level in the overview)
    "group_national": ("group_national", "#2874a6", 0),
    "group_jurisdiction": ("group_jurisdiction", "#1e8449", 1),
    "group_area": ("group_area", "#c0392b", 1),
    "group_plan": ("group_plan", "#34495e", 1),
    "group_other": ("group_other", "#7f8c8d", 2),
}
"""Group node kinds, their words (:mod:`policykg.words`), colours and column."""


@dataclass(frozen=True)
class Grouping:
    """How nodes are grouped: the mode and each jurisdiction's names (``{key: {"ja": …, "en": …}}``)."""

    mode: str = "jurisdiction"
    names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def name(self, key: str) -> dict[str, str] | None:
        pairs = _name_index(self.names).get(key)
        return dict(pairs) if pairs is not None else None


@lru_cache(maxsize=8)
def _name_index(names: tuple) -> dict[str, tuple]:
    return dict(names)


def grouping(mode: str, names: dict[str, dict[str, str]] | None = None) -> Grouping:
    """A hashable :class:`Grouping` (usable in cache keys) from a mode and ``{key: {lang: name}}``."""
    if mode not in MODES:
        raise ParameterError(f"まとまりの単位は {'・'.join(MODES)} のいずれかです / mode must be one of "
                             f"{', '.join(MODES)}, got {mode!r}", field="mode")
    return Grouping(mode, tuple(sorted((k, tuple(sorted(v.items()))) for k, v in (names or {}).items())))


def should_cluster(model: dict, requested: bool | None = None) -> bool:
    """Group when asked to (``True``), never when asked not to (``False``), else above the threshold.

    >>> should_cluster({"nodes": [{}] * 3}), should_cluster({"nodes": [{}] * 3}, True)
    (False, True)
    """
    if requested is not None:
        return requested
    return len(model["nodes"]) > CLUSTER_THRESHOLD


def check_ungrouped(model: dict) -> None:
    """:raises ParameterError: ``grouped=false`` asked for more than :data:`MAX_UNGROUPED` nodes.

    >>> check_ungrouped({"nodes": [{}] * 3})
    >>> check_ungrouped({"nodes": [{}] * (MAX_UNGROUPED + 1)})
    Traceback (most recent call last):
    ...
    policykg.errors.ParameterError: grouped: ノードが 25,001 個あり、1つずつは描けません（上限 25,000 個）。jurisdiction・plan・area・kind・focus で絞り込むか、まとめて表示してください / 25,001 nodes are too many to draw one by one (at most 25,000): narrow with jurisdiction, plan, area, kind or focus, or draw groups
    """
    count = len(model["nodes"])
    if count > MAX_UNGROUPED:
        raise ParameterError(
            f"ノードが {count:,} 個あり、1つずつは描けません（上限 {MAX_UNGROUPED:,} 個）。jurisdiction・plan・area・kind・focus "
            f"で絞り込むか、まとめて表示してください / {count:,} nodes are too many to draw one by one (at most "
            f"{MAX_UNGROUPED:,}): narrow with jurisdiction, plan, area, kind or focus, or draw groups", field="grouped")


def jurisdiction_of(node: dict) -> str | None:
    """The jurisdiction key of a local node: that of its first local plan (``None`` for national nodes).

    >>> jurisdiction_of({"kind": "measure", "side": "local", "plans": ["https://w3id.org/policykg/id/oita/plan"]})
    'oita'
    """
    if node["side"] != "local":
        return None
    plans = [node["id"]] if node["kind"] == "plan" else node["plans"]
    for plan in plans:
        key = key_of(plan)
        if key:
            return key
    return None


def choose_mode(model: dict, f: VizFilter) -> str:
    """``area`` when one jurisdiction is shown (asked for, or the only one present), else ``jurisdiction``."""
    if f.jurisdiction:
        return "area"
    keys = {jurisdiction_of(n) for n in model["nodes"] if n["side"] == "local"}
    return "area" if len(keys - {None}) <= 1 else "jurisdiction"


def group_key(node: dict, mode: str) -> str:
    """The group a node belongs to.

    >>> n = {"id": "x", "kind": "measure", "side": "local", "plans": ["https://w3id.org/policykg/id/oita/plan"],
    ...      "areas": ["https://w3id.org/policykg/id/oita/area/a1"]}
    >>> group_key(n, "jurisdiction"), group_key(n, "area")
    ('j:oita', 'a:https://w3id.org/policykg/id/oita/area/a1')
    """
    if node["side"] == "national":
        plans = [node["id"]] if node["kind"] == "plan" else node["plans"]
        return f"p:{plans[0]}" if plans else "other"
    if node["side"] == "local":
        if mode == "area":
            if node["kind"] == "area":
                return f"a:{node['id']}"
            if node["areas"]:
                return f"a:{node['areas'][0]}"
        else:
            key = jurisdiction_of(node)
            if key:
                return f"j:{key}"
        plans = [node["id"]] if node["kind"] == "plan" else node["plans"]
        return f"p:{plans[0]}" if plans else "other"
    return "other"


def group_kind(key: str, side: str) -> str:
    if key.startswith("j:"):
        return "group_jurisdiction"
    if key.startswith("a:"):
        return "group_area"
    if key.startswith("p:"):
        return "group_national" if side == "national" else "group_plan"
    return "group_other"


def natural_key(text: str) -> tuple:
    """Sort key that orders numbers by value: 合成市2 before 合成市10.

    >>> sorted(["市10", "市2", "町1"], key=natural_key)
    ['市2', '市10', '町1']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def group_size(count: int, largest: int) -> int:
    """Radius by member count: MIN_GROUP_SIZE for one, MAX_GROUP_SIZE for the largest (square-root scale).

    >>> group_size(1, 100), group_size(100, 100), group_size(25, 100)
    (10, 40, 25)
    """
    if largest <= 1:
        return MIN_GROUP_SIZE
    share = math.sqrt((count - 1) / (largest - 1))
    return round(MIN_GROUP_SIZE + share * (MAX_GROUP_SIZE - MIN_GROUP_SIZE))


def _local_plans(nodes: list[dict]) -> dict[str, dict]:
    """Jurisdiction key -> its (first) local plan node."""
    plans: dict[str, dict] = {}
    for n in nodes:
        if n["kind"] == "plan" and n["side"] == "local":
            key = jurisdiction_of(n)
            if key and key not in plans:
                plans[key] = n
    return plans


def _group_label(key: str, by_id: dict[str, dict], g: Grouping, plans: dict[str, dict]) -> dict[str, str | None]:
    """The group's name in each language: the jurisdiction's name, else its plan's label; the area's or
    plan's label; "other". Never an IRI or key where a label exists."""
    if key.startswith("j:"):
        name = g.name(key[2:])
        if name and name.get("ja") and name["ja"] != key[2:]:     # a real name, not the key standing in
            return {"ja": name["ja"], "en": name.get("en") if name.get("en") != name["ja"] else None}
        plan = plans.get(key[2:])
        return dict(plan["label"]) if plan else {"ja": key[2:], "en": None}
    if key.startswith(("a:", "p:")):
        node = by_id.get(key[2:])
        return dict(node["label"]) if node else {"ja": local_id(key[2:]), "en": None}
    return {"ja": t("group_other_label", "ja"), "en": t("group_other_label", "en")}


def cluster_model(model: dict, g: Grouping) -> dict:
    """Pure: a (filtered) network model -> the grouped overview.

    Group nodes carry ``count`` (members) and ``counts`` (members per kind); group edges carry ``count``
    (links between the two groups, direction kept) and ``counts`` per evidence. Edges inside a group are
    counted on the group (``inner``). Groups are ordered national first, jurisdictions by key, others by label.
    """
    by_id = {n["id"]: n for n in model["nodes"]}
    member_of: dict[str, str] = {}
    members: dict[str, list[dict]] = defaultdict(list)
    for n in model["nodes"]:
        key = group_key(n, g.mode)
        member_of[n["id"]] = key
        members[key].append(n)
    inner: Counter = Counter()
    links: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for e in model["edges"]:
        a, b = member_of.get(e["from"]), member_of.get(e["to"])
        if a is None or b is None:
            continue
        if a == b:
            inner[a] += 1
        else:
            links[(a, b)][e["ev"]] += 1
    largest = max((len(v) for v in members.values()), default=1)
    plans = _local_plans(model["nodes"])
    nodes = []
    for key, group in members.items():
        side = "national" if key.startswith("p:") and all(m["side"] == "national" for m in group) else (
            "other" if key == "other" else "local")
        kind = group_kind(key, side)
        label = _group_label(key, by_id, g, plans)
        nodes.append({
            "id": GROUP_PREFIX + key, "key": key, "kind": kind, "side": side, "level": GROUP_KINDS[kind][2],
            "label": label, "alt": [], "plans": [], "areas": [], "loc": [], "status": None,
            "search": _search(label), "url": None, "trace": None, "supporters": None,
            "count": len(group), "counts": dict(Counter(m["kind"] for m in group)), "inner": inner[key],
            "size": group_size(len(group), largest),
        })
    # jurisdictions in key order (for keys made of 全国地方公共団体コード that is the code order planners know),
    # everything else by label
    nodes.sort(key=lambda n: (n["level"], natural_key(n["key"][2:] if n["key"].startswith("j:") else n["label"]["ja"]),
                              n["id"]))
    edges = [
        {"id": f"ge:{i}", "from": GROUP_PREFIX + a, "to": GROUP_PREFIX + b, "rel": "group", "ev": "group",
         "count": sum(c.values()), "counts": dict(sorted(c.items())), "score": None}
        for i, ((a, b), c) in enumerate(sorted(links.items()))
    ]
    return {
        "nodes": nodes, "edges": edges, "legend": group_legend(model["legend"]), "focus": None,
        "generation": model.get("generation", 0),
        "grouped": {"mode": g.mode, "nodes": len(model["nodes"]), "edges": len(model["edges"])},
    }


def _search(label: dict) -> list[str]:
    from policykg.labels import label_key

    return list(dict.fromkeys(k for k in (label_key(label.get("ja") or ""), label_key(label.get("en") or "")) if k))


def group_positions(nodes: list[dict]) -> dict[str, tuple[float, float]]:
    """Group nodes in columns: national plans left, jurisdictions (or areas) right, each a near-square grid."""
    by_level: dict[int, list[dict]] = defaultdict(list)
    for n in nodes:
        by_level[n["level"]].append(n)
    positions: dict[str, tuple[float, float]] = {}
    left = 0.0
    for level in sorted(by_level):
        ids = [n["id"] for n in by_level[level]]
        columns = max(1, math.ceil(math.sqrt(len(ids) / 2)))
        rows = math.ceil(len(ids) / columns)
        top = -(rows - 1) * GROUP_GAP / 2
        for i, nid in enumerate(ids):
            positions[nid] = (left + (i // rows) * GROUP_GAP * 1.6, top + (i % rows) * GROUP_GAP)
        left += columns * GROUP_GAP * 1.6 + GROUP_GAP * 2
    return positions


def check_group(text: str | None) -> str:
    """A well-formed group key (``j:…``, ``a:…``, ``p:…`` or ``other``; a ``group:`` prefix is dropped).

    :raises ParameterError: missing or malformed (field ``group``).
    """
    key = (text or "").strip()
    if key.startswith(GROUP_PREFIX):
        key = key[len(GROUP_PREFIX):]
    if not key:
        raise ParameterError("展開するまとまりを指定してください / give the group to expand", field="group")
    if key != "other" and not (key[:2] in ("j:", "a:", "p:") and len(key) > 2):
        raise ParameterError(f"まとまり「{key}」の形式が正しくありません / malformed group {key!r} "
                             "(expected j:…, a:…, p:… or other)", field="group")
    return key


def group_members(model: dict, g: Grouping, key: str, *, limit: int = MAX_MEMBERS) -> dict:
    """Pure: one group's members (at most ``limit``, in the model's order), the edges among them, and
    the edges from them to nodes outside (at most :data:`MAX_LINKS`), each with the other end's group.
    Members carry positions relative to the group's centre (the page adds the group node's position).

    :raises EntityNotFound: no node of the model is in that group.
    """
    member_of = {n["id"]: group_key(n, g.mode) for n in model["nodes"]}
    all_members = [n for n in model["nodes"] if member_of[n["id"]] == key]
    if not all_members:
        raise EntityNotFound(f"group: まとまり「{key}」はこの表示にありません / no group {key!r} in this view")
    shown = all_members[:limit]
    ids = {n["id"] for n in shown}
    inner = [e for e in model["edges"] if e["from"] in ids and e["to"] in ids]
    outer = [
        {**e, "group": GROUP_PREFIX + member_of[e["to"] if e["from"] in ids else e["from"]]}
        for e in model["edges"]
        if (e["from"] in ids) != (e["to"] in ids) and e["from"] in member_of and e["to"] in member_of
        and member_of[e["to"] if e["from"] in ids else e["from"]] != key
    ]
    positions = precompute_positions(shown, inner, Layout.hierarchical)
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    # few members: every label is drawn large (the page's readable first view), so rows get more room
    spread = 3.0 if len(shown) <= SPACIOUS_NODES else 1.0
    nodes = [{**n, "x": round(positions[n["id"]][0] - cx, 1), "y": round((positions[n["id"]][1] - cy) * spread, 1)}
             for n in shown]
    by_id = {n["id"]: n for n in model["nodes"]}
    return {
        "group": GROUP_PREFIX + key,
        "label": _group_label(key, by_id, g, _local_plans(model["nodes"])),
        "total": len(all_members),
        "shown": len(shown),
        "truncated": len(shown) < len(all_members) or len(outer) > MAX_LINKS,
        "nodes": nodes,
        "edges": inner,
        "links": outer[:MAX_LINKS],
    }


def group_filter_params(key: str, f: VizFilter) -> dict[str, object]:
    """The /viz query parameters that show one group alone (the current filters kept).

    >>> group_filter_params("j:oita", VizFilter())["jurisdiction"]
    'oita'
    """
    from policykg.viz.filters import filter_params

    params = filter_params(f)
    if key.startswith("j:"):
        params["jurisdiction"] = key[2:]
    elif key.startswith("a:"):
        params["area"] = key[2:]
    elif key.startswith("p:"):
        params["plan"] = key[2:]
    return params


def group_legend(legend: dict) -> dict:
    """The legend with the group kinds first (only on grouped pages)."""
    kinds = [{"key": kind, "ja": t(word, "ja"), "en": t(word, "en"), "color": colour, "shape": "dot",
              "size": MIN_GROUP_SIZE, "font": 16} for kind, (word, colour, _l) in GROUP_KINDS.items()]
    return {**legend, "kinds": kinds + list(legend["kinds"])}


__all__ = [
    "CLUSTER_THRESHOLD", "MAX_MEMBERS", "MAX_LINKS", "GROUP_PREFIX", "GROUP_KINDS", "MODES", "Grouping", "grouping",
    "should_cluster", "check_ungrouped", "MAX_UNGROUPED", "jurisdiction_of", "choose_mode", "group_key", "group_kind", "group_size", "cluster_model",
    "group_positions", "check_group", "group_members", "group_filter_params", "group_legend",
]
