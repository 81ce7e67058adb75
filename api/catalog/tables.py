"""Lists as CSV downloads: UTF-8 with BOM (Excel opens it as UTF-8), one header row, and no cell
that a spreadsheet would run as a formula.

Every page list has one of these (the ``CSV`` link beside it), built from the same data as the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

__all__ = ["to_csv", "safe_cell", "list_rows"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell value that spreadsheets show as text: strings starting like a formula get a ``'``.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell(-3), safe_cell("北海道"), safe_cell(None)
    ("'=HYPERLINK(1)", -3, '北海道', '')
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, object]], columns: list[str]) -> bytes:
    """``rows`` as CSV bytes with the header ``columns`` (missing keys are empty cells).

    >>> to_csv([{"label": "暮らし", "count": 3}], ["label", "count"]).decode("utf-8-sig").splitlines()
    ['label,count', '暮らし,3']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _labels(refs: list[dict] | None) -> str:
    return "、".join(r["label"] for r in refs or [])


def list_rows(name: str, items: list[dict]) -> tuple[list[dict], list[str]]:
    """The CSV rows and columns of a catalog list (``measures``, ``national_items``, ``directions``,
    ``areas``, ``search``), each row with the entity's label and IRI first.

    :raises KeyError: an unknown list name.
    """
    if name == "measures":
        rows = [{"label": m["label"], "iri": m["iri"], "directions": _labels(m["directions"]), "areas": _labels(m["areas"])}
                for m in items]
        return rows, ["label", "iri", "directions", "areas"]
    if name == "national_items":
        rows = [{"label": i["label"], "iri": i["iri"], "kind": i.get("kind"),
                 "parent": (i.get("parent") or {}).get("label"), "plan": (i.get("plan") or {}).get("label")} for i in items]
        return rows, ["label", "iri", "kind", "parent", "plan"]
    if name == "directions":
        rows = [{"notation": d.get("notation"), "label": d["label"], "iri": d["iri"], "area": (d.get("area") or {}).get("label")}
                for d in items]
        return rows, ["notation", "label", "iri", "area"]
    if name == "areas":
        rows = [{"notation": a.get("notation"), "label": a["label"], "iri": a["iri"], "goal": a.get("goal"),
                 "directions": _labels(a.get("directions"))} for a in items]
        return rows, ["notation", "label", "iri", "goal", "directions"]
    if name == "search":
        rows = [{"label": h["label"], "iri": h["iri"], "kind": h.get("kind"), "matched": h.get("matched")} for h in items]
        return rows, ["label", "iri", "kind", "matched"]
    raise KeyError(name)
