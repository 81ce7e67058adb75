"""The report as one self-contained HTML page: inline CSS, no JavaScript, no external requests.

Why no JS: the page is mailed around and opened on closed government networks; a table, a
coloured heatmap and CSS bars say everything. Every label is escaped by Jinja's autoescape
(labels come from documents and may contain markup); links point at the entity pages of a
policykg server (``--base-url``), and only for policykg's own IRIs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from policykg.urls import entity_path, safe_href
from policykg.graph.analysis.gaps import GAP_LISTS
from policykg.namespaces import ID
from policykg.report.chart import chart_from_status, chart_svg
from policykg.words import SECTIONS, STATUS, STATUS_COLOUR, status_word, t

__all__ = ["render_html", "entity_label", "entity_href", "progress_fraction", "heat_style", "detail_text", "check_base_url", "format_number"]


_TEMPLATE_WORDS = {"title": "report_title", "indicators": "progress_title", "none": "none_found"}
"""The template's ``text.<name>`` → its :func:`policykg.words.t` key, where the two differ."""


def entity_label(entity: dict, lang: str) -> str:
    """An entity's name in the report: its English label in English (when it has one), else its label, else its IRI.

    >>> entity_label({"label": "暮らし", "label_en": "Living"}, "en"), entity_label({"iri": "x:a"}, "en")
    ('Living', 'x:a')
    """
    return (entity.get("label_en") if lang == "en" else None) or entity.get("label") or entity.get("iri", "")


def check_base_url(base_url: str) -> str:
    """``base_url`` without a trailing slash; empty = relative links (``/id/...``).

    >>> check_base_url("http://127.0.0.1:8000/"), check_base_url("")
    ('http://127.0.0.1:8000', '')

    :raises ValueError: a scheme other than http or https (``javascript:`` and the like).
    """
    scheme = urlsplit(base_url).scheme
    if base_url and scheme not in ("http", "https"):
        raise ValueError(f"--base-url must be http(s)://… or empty, got {base_url!r}")
    return base_url.rstrip("/")


def entity_href(iri: str | None, base_url: str) -> str | None:
    """The entity page of one of our IRIs (``/id/<path>``); ``None`` for other IRIs.

    >>> entity_href("https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-1", "http://x")
    'http://x/id/hokkaido/area/hokkaido-area-1'
    >>> entity_href("http://example.org/a", "http://x") is None
    True
    """
    if not iri or not iri.startswith(str(ID)):
        return None
    return base_url + entity_path(iri)


def progress_fraction(row: dict) -> float | None:
    """How far the latest value has come from the start towards the target, 0..1 (bar width).

    >>> progress_fraction({"status": "on_track", "start": {"value": 100.0}, "latest": {"value": 150.0},
    ...                    "target": {"value": 200.0, "period": False}})
    0.5
    """
    target, latest = row.get("target"), row.get("latest")
    if row["status"] == "achieved":
        return 1.0
    if not target or not latest:
        return None
    if target.get("period"):
        share = latest["value"] / target["value"] if target["value"] else 0.0
    else:
        start = (row.get("start") or row.get("baseline") or {}).get("value")
        if start is None or target["value"] == start:
            return None
        share = (latest["value"] - start) / (target["value"] - start)
    return max(0.0, min(1.0, share))


def heat_style(count: int, maximum: int) -> str:
    """Inline CSS for a heatmap cell: white for 0, deeper blue for more measures.

    >>> heat_style(0, 4)
    'background:#f6f8fa;color:#57606a'
    """
    if count <= 0 or maximum <= 0:
        return "background:#f6f8fa;color:#57606a"
    share = count / maximum
    return f"background:rgba(9,105,218,{0.15 + 0.85 * share:.2f});color:{'#fff' if share > 0.5 else '#0b1f33'}"


def detail_text(key: str, item: dict) -> str:
    """The second column of a gap list: plan/pillar, direction, area or target date."""
    if key == "national_items_without_measures":
        parts = [ref["label"] for ref in (item.get("plan"), item.get("pillar")) if ref]
        return " > ".join(parts)
    if key == "measures_without_alignment":
        return item.get("direction") or ""
    if key == "indicators_past_target_without_observation":
        return item.get("target_date") or ""
    ref = item.get("area") or item.get("evaluates")
    return ref["label"] if ref else ""


def format_number(value: float | None) -> str:
    """A value as planners write it: thousands separators, no trailing ``.0``.

    >>> format_number(47940000.0), format_number(74.6), format_number(None)
    ('47,940,000', '74.6', '')
    """
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.4g}"


def _view(doc: dict, lang: str, base_url: str) -> dict:
    matrix = doc["coverage_matrix"]
    maximum = max((c for row in matrix["counts"] for c in row), default=0)
    coverage = {
        "columns": [entity_label(c, lang) for c in matrix["columns"]],
        "rows": [
            {"label": entity_label(r, lang), "href": entity_href(r.get("iri"), base_url),
             "cells": [{"count": c, "style": heat_style(c, maximum)} for c in counts]}
            for r, counts in zip(matrix["rows"], matrix["counts"])
        ],
    }
    indicators = []
    for n, row in enumerate(doc["indicator_status"]):
        fraction = progress_fraction(row)
        chart = chart_from_status(row, title=entity_label(row, lang), as_of=doc["as_of"], status_text=status_word(row["status"], lang))
        indicators.append({
            # the same server-side SVG as the indicator pages (policykg.report.chart), escaped there
            "chart": Markup(chart_svg(chart, ident=f"chart-{n}", lang=lang, width=520, height=260)),
            "label": entity_label(row, lang), "href": entity_href(row["iri"], base_url), "unit": row.get("unit") or "",
            "status": status_word(row["status"], lang), "colour": STATUS_COLOUR[row["status"]],
            "baseline": row.get("baseline"), "latest": row.get("latest"), "target": row.get("target"),
            "ratio": None if row.get("ratio") is None else f"{row['ratio']:.2f}",
            "percent": None if fraction is None else round(fraction * 100),
        })
    sections = [
        {"title": SECTIONS[key][lang], "key": key,
         "entries": [{"label": entity_label(item, lang), "href": entity_href(item.get("iri"), base_url),
                    "detail": detail_text(key, item)} for item in doc[key]]}
        for key in GAP_LISTS
    ]
    counts = [{"label": STATUS[s][lang], "count": n, "colour": STATUS_COLOUR[s]}
              for s, n in doc.get("status_counts", {}).items()]
    return {"coverage": coverage, "indicators": indicators, "sections": sections, "counts": counts}


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("policykg.report", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = format_number
    env.filters["safe_href"] = safe_href  # the pages' one rule for links (policykg.urls)
    return env


def render_html(doc: dict, *, lang: str = "ja", base_url: str = "http://127.0.0.1:8000") -> str:
    """The report page for the gaps document ``doc``.

    :raises ValueError: a ``base_url`` that is not http(s) or empty.
    """
    base = check_base_url(base_url)
    text = {name: t(_TEMPLATE_WORDS.get(name, name), lang) for name in (
        "title", "as_of", "summary", "coverage", "indicators", "indicator", "status", "baseline", "latest",
        "target", "progress", "ratio", "unit", "none", "label", "detail", "count", "footer", "date", "charts")}
    return _environment().get_template("report.html").render(
        doc=doc, lang=lang, text=text, **_view(doc, lang, base))
