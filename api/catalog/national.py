"""National plans and their items (principles, strategies, pillars, measures, steps …)."""

from __future__ import annotations

from collections import defaultdict

from policykg.graph.queries import read_label_index_of
from policykg.api.catalog.sparql import py_value, select
from policykg.labels import pick_label
from policykg.graph.store import Store


def list_national_plans(store: Store, lang: str) -> list[dict]:
    """National plans and guidelines with decision type, decision date and edition."""
    rows = select(store, "national_plans")
    index = read_label_index_of(store, (row["plan"] for row in rows))  # a few plans, not the whole store's labels
    plans: dict = {}
    for row in rows:
        entry = plans.setdefault(row["plan"], defaultdict(list))
        for key in ("decisionType", "decided", "decidedText", "edition"):
            if row.get(key) is not None and row[key] not in entry[key]:
                entry[key].append(row[key])
    items = []
    for plan, entry in plans.items():
        items.append({
            **index.ref(plan, lang),
            "kind": index.kind(plan),
            "decision_type": pick_label(entry["decisionType"], lang) or None,
            "decided": py_value(entry["decided"][0]) if entry["decided"] else None,
            "decided_text": str(entry["decidedText"][0]) if entry["decidedText"] else None,
            "edition": pick_label(entry["edition"], lang) or None,
        })
    return sorted(items, key=lambda p: p["id"])


def list_national_items(store: Store, lang: str) -> list[dict]:
    """Every national item with its plan, specific class (kind), parent and order in the source."""
    rows = select(store, "national_items")
    index = read_label_index_of(store, (row[k] for row in rows for k in ("item", "plan", "parent") if row.get(k) is not None))
    items: dict = {}
    for row in rows:
        entry = items.setdefault(row["item"], {"plan": None, "parents": [], "ordinal": None, "desc": []})
        entry["plan"] = entry["plan"] or row.get("plan")
        if row.get("parent") is not None and row["parent"] not in entry["parents"]:
            entry["parents"].append(row["parent"])
        if entry["ordinal"] is None:
            entry["ordinal"] = py_value(row.get("ordinal"))
        if row.get("description") is not None and row["description"] not in entry["desc"]:
            entry["desc"].append(row["description"])
    result = []
    for item, entry in items.items():
        parents = sorted(entry["parents"], key=str)
        result.append({
            **index.ref(item, lang),
            "kind": index.kind(item),
            "plan": index.ref(entry["plan"], lang) if entry["plan"] is not None else None,
            "parent": index.ref(parents[0], lang) if parents else None,
            "ordinal": entry["ordinal"],
            "description": pick_label(entry["desc"], lang) or None,
        })
    order = {iri: n for n, iri in enumerate(_depth_first(result))}
    return sorted(result, key=lambda r: order[r["iri"]])


def _depth_first(items: list[dict]) -> list[str]:
    """Item IRIs plan by plan, each parent followed by its children in source order."""
    def source_order(r: dict) -> tuple:
        return r["plan"]["id"] if r["plan"] else "", _ordinal(r), r["label"]

    children: dict = defaultdict(list)
    for item in items:
        children[item["parent"]["iri"] if item["parent"] else None].append(item)
    for kids in children.values():
        kids.sort(key=source_order)
    known = {item["iri"] for item in items}
    roots = [i for i in items if not i["parent"] or i["parent"]["iri"] not in known]
    roots.sort(key=source_order)
    ordered: list[str] = []
    stack = list(reversed(roots))
    while stack:
        item = stack.pop()
        if item["iri"] in ordered:
            continue
        ordered.append(item["iri"])
        stack.extend(reversed(children.get(item["iri"], [])))
    ordered.extend(i["iri"] for i in items if i["iri"] not in ordered)
    return ordered


def _ordinal(item: dict) -> float:
    return float(item["ordinal"]) if isinstance(item["ordinal"], (int, float)) else float("inf")


__all__ = ["list_national_plans", "list_national_items"]
