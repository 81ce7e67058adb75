"""The planner report: an offline HTML page and an Excel workbook built from the gaps document.

Input is the dict of :func:`policykg.graph.analysis.gaps.build_gaps` (the same JSON as
``GET /api/gaps``), so the report never queries the store itself.
"""

from __future__ import annotations

from pathlib import Path

from policykg.report.excel import write_workbook
from policykg.report.html import render_html

__all__ = ["write_report", "render_html", "write_workbook"]


def write_report(doc: dict, out: Path, *, lang: str = "ja", base_url: str = "http://127.0.0.1:8000") -> list[Path]:
    """Write ``report.html`` and ``report.xlsx`` into ``out`` (created if needed); returns both paths."""
    out.mkdir(parents=True, exist_ok=True)
    html_path, xlsx_path = out / "report.html", out / "report.xlsx"
    html_path.write_text(render_html(doc, lang=lang, base_url=base_url), encoding="utf-8")
    write_workbook(doc, xlsx_path, lang=lang)
    return [html_path, xlsx_path]
