"""The report as an Excel workbook (openpyxl): coverage matrix, indicator table, one sheet per gap list.

Why a workbook: planners sort, filter and annotate in Excel. Cells hold plain values (numbers as
numbers, dates as ISO text); a label beginning with ``=`` is stored as text, never as a formula.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from policykg.graph.analysis.gaps import GAP_LISTS
from policykg.report.html import detail_text, entity_label
from policykg.words import status_word, t

__all__ = ["write_workbook", "build_workbook"]

_BOLD = Font(bold=True)


def _put(ws: Worksheet, row: int, column: int, value: object) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, not a formula: labels come from documents


def _header(ws: Worksheet, names: list[str]) -> None:
    for column, name in enumerate(names, start=1):
        _put(ws, 1, column, name)
        ws.cell(row=1, column=column).font = _BOLD
    ws.freeze_panes = "A2"


def _coverage(ws: Worksheet, doc: dict, lang: str) -> None:
    matrix = doc["coverage_matrix"]
    _header(ws, ["", *(entity_label(c, lang) for c in matrix["columns"])])
    maximum = max((c for row in matrix["counts"] for c in row), default=0)
    for r, (pillar, counts) in enumerate(zip(matrix["rows"], matrix["counts"]), start=2):
        _put(ws, r, 1, entity_label(pillar, lang))
        ws.cell(row=r, column=1).font = _BOLD
        for c, count in enumerate(counts, start=2):
            _put(ws, r, c, count)
            if count and maximum:
                shade = 255 - int(180 * count / maximum)
                ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor=f"{shade:02X}{shade:02X}FF")


def _indicators(ws: Worksheet, doc: dict, lang: str) -> None:
    _header(ws, [t("indicator", lang), t("status", lang), t("unit", lang),
                 f"{t('baseline', lang)}", f"{t('baseline', lang)} {t('date', lang)}",
                 f"{t('latest', lang)}", f"{t('latest', lang)} {t('date', lang)}",
                 f"{t('target', lang)}", f"{t('target', lang)} {t('date', lang)}", t("ratio", lang), "method", "IRI"])
    for r, row in enumerate(doc["indicator_status"], start=2):
        base, latest, target = row.get("baseline") or {}, row.get("latest") or {}, row.get("target") or {}
        values = [entity_label(row, lang), status_word(row["status"], lang), row.get("unit") or "",
                  base.get("value"), base.get("date"), latest.get("value"), latest.get("date"),
                  target.get("value"), target.get("date"), row.get("ratio"), row.get("method"), row["iri"]]
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)


def _gap_list(ws: Worksheet, key: str, items: list[dict], lang: str) -> None:
    _header(ws, [t("label", lang), t("detail", lang), "IRI"])
    for r, item in enumerate(items, start=2):
        for c, value in enumerate([entity_label(item, lang), detail_text(key, item), item.get("iri", "")], start=1):
            _put(ws, r, c, value)


def build_workbook(doc: dict, *, lang: str = "ja") -> Workbook:
    """The workbook for the gaps document ``doc`` (not yet saved)."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("coverage_sheet", lang)
    _coverage(ws, doc, lang)
    _indicators(wb.create_sheet(t("progress_title", lang)[:31]), doc, lang)
    for key in GAP_LISTS:
        _gap_list(wb.create_sheet(t(f"sheet_{key}", lang)), key, doc[key], lang)
    wb.properties.title = f"{t('report_title', lang)} {doc['as_of']}"
    return wb


def write_workbook(doc: dict, path: Path, *, lang: str = "ja") -> Path:
    """Save the workbook to ``path``; returns it."""
    build_workbook(doc, lang=lang).save(path)
    return path
