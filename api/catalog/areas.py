"""Policy areas and policy directions of the local plans."""

from __future__ import annotations

from collections import defaultdict

from policykg.api.catalog.labels import label_index
from policykg.api.catalog.sparql import py_value, select
from policykg.labels import pick_label
from policykg.graph.store import Store


def list_areas(store: Store, lang: str) -> list[dict]:
    """Every policy area in plan order, each with its goal and its directions.

    Areas sort by ``pk:ordinal`` then notation, so the list reads like the plan.
    """
    index = label_index(store)
    goals: dict = defaultdict(list)
    info: dict = {}
    for row in select(store, "areas"):
        area = row["area"]
        entry = info.setdefault(area, {"notation": None, "ordinal": None, "plan": None})
        entry["notation"] = entry["notation"] or py_value(row.get("notation"))
        entry["ordinal"] = entry["ordinal"] if entry["ordinal"] is not None else py_value(row.get("ordinal"))
        entry["plan"] = entry["plan"] or row.get("plan")
        if row.get("goal") is not None and row["goal"] not in goals[area]:
            goals[area].append(row["goal"])
    by_area: dict[str, list[dict]] = defaultdict(list)  # one pass: each direction under its area, in list order
    for d in list_directions(store, lang):
        if d["area"]:
            by_area[d["area"]["iri"]].append(_short(d))
    items = []
    for area, entry in info.items():
        items.append({
            **index.ref(area, lang),
            "notation": None if entry["notation"] is None else str(entry["notation"]),
            "ordinal": entry["ordinal"],
            "goal": pick_label(goals[area], lang) or None,
            "plan": index.ref(entry["plan"], lang) if entry["plan"] is not None else None,
            "directions": by_area.get(str(area), []),
        })
    return sorted(items, key=lambda a: (_num(a["ordinal"]), a["notation"] or "", a["label"]))


def list_directions(store: Store, lang: str) -> list[dict]:
    """Every policy direction, ordered by area then letter, each with its area."""
    index = label_index(store)
    seen: dict = {}
    for row in select(store, "directions"):
        entry = seen.setdefault(row["dir"], {})
        for key in ("notation", "letter", "area", "areaOrdinal"):
            if row.get(key) is not None and key not in entry:
                entry[key] = row[key]
    items = []
    for direction, entry in seen.items():
        items.append({
            **index.ref(direction, lang),
            "notation": str(entry["notation"]) if "notation" in entry else None,
            "letter": str(entry["letter"]) if "letter" in entry else None,
            "alt_labels": index.alt_labels(direction),
            "area": index.ref(entry["area"], lang) if "area" in entry else None,
            "_order": (_num(py_value(entry.get("areaOrdinal"))), str(entry.get("notation", ""))),
        })
    items.sort(key=lambda d: (d["_order"], d["label"]))
    for item in items:
        del item["_order"]
    return items


def _short(direction: dict) -> dict:
    return {k: direction[k] for k in ("id", "iri", "label", "url", "notation")}


def _num(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else float("inf")


__all__ = ["list_areas", "list_directions"]
