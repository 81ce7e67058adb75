"""Indicators with baseline, targets, comparator, desired direction and promotion goal."""

from __future__ import annotations

from collections import defaultdict

from policykg.api.catalog.labels import label_index
from policykg.api.catalog.sparql import py_value, select
from policykg.namespaces import term_name
from policykg.labels import pick_label
from policykg.graph.store import Store
from policykg.ids import local_id
from policykg.namespaces import PK


def list_indicators(store: Store, lang: str) -> list[dict]:
    """Every indicator: local ones first, each group in source order (then by label)."""
    index = label_index(store)
    found: dict = {}
    for row in select(store, "indicators"):
        entry = found.setdefault(row["ind"], defaultdict(list))
        for key in ("type", "evaluates", "indicatorOf", "unit", "unitText", "desired", "goal", "line"):
            if row.get(key) is not None and row[key] not in entry[key]:
                entry[key].append(row[key])
    values = _values(store)
    items = []
    for ind, entry in found.items():
        numeric = PK.NumericIndicator in entry["type"]
        baselines = values[ind]["baseline"]
        targets = sorted(values[ind]["target"], key=lambda t: (t["due_date"] or "", t["id"]))
        items.append({
            **index.ref(ind, lang),
            "kind": "numeric" if numeric else "qualitative",
            "evaluates": [index.ref(d, lang) for d in sorted(entry["evaluates"], key=str)],
            "indicator_of": [index.ref(p, lang) for p in sorted(entry["indicatorOf"], key=str)],
            "unit": local_id(entry["unit"][0]) if entry["unit"] else None,
            "unit_text": str(entry["unitText"][0]) if entry["unitText"] else None,
            "desired_direction": term_name(entry["desired"][0]) if entry["desired"] else None,
            "promotion_goal": pick_label(entry["goal"], lang) or None,
            "baseline": baselines[0] if baselines else None,
            "targets": targets,
            "_order": (0 if entry["evaluates"] else 1,
                       min((py_value(n) for n in entry["line"]), default=10**9)),
        })
    items.sort(key=lambda i: (i["_order"], i["label"]))
    for item in items:
        del item["_order"]
    return items


def _values(store: Store) -> dict:
    """Baseline and target nodes per indicator, as plain dicts."""
    by_ind: dict = defaultdict(lambda: {"baseline": [], "target": []})
    merged: dict = {}
    for row in select(store, "indicator_values"):
        key = (row["ind"], row["node"], str(row["role"]))
        entry = merged.setdefault(key, {})
        for name, value in row.items():
            if name not in entry and value is not None:
                entry[name] = value
    for (ind, node, role), row in merged.items():
        value = {
            "id": local_id(node),
            "value": py_value(row.get("value")),
            "value_text": py_value(row.get("valueText")),
            "unit_text": py_value(row.get("unitText")),
            "original_text": py_value(row.get("orig")),
            "period_start": py_value(row.get("begin")),
            "period_end": py_value(row.get("end")),
        }
        if role == "baseline":
            value["date"] = py_value(row.get("date"))
            value["note"] = py_value(row.get("note"))
        else:
            value["due_date"] = py_value(row.get("date"))
            value["comparator"] = term_name(row["comparator"]) if row.get("comparator") else None
            value["maintain"] = bool(py_value(row.get("maintain")))
            value["period_target"] = bool(py_value(row.get("period")))
        by_ind[ind][role].append(value)
    return by_ind


__all__ = ["list_indicators"]
