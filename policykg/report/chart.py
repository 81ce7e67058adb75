"""Indicator progress charts as server-side SVG: one pure function, shared by the pages and the report.

Why SVG made on the server rather than a charting library: the pages run under
``Content-Security-Policy: default-src 'self'`` with no inline script, the HTML report is one
self-contained file mailed around closed networks, and both must work offline. An SVG string
needs no JavaScript, no CDN and no vendored bundle, prints, and reads in every browser; a chart
library (Chart.js, Vega) would need a script on every page and a second rendering path for the
report. Every text in the SVG is escaped here (labels come from data), the drawing uses
presentation attributes only (no ``style=``, which the CSP would block), and the numbers are
also given as a table beside each chart (the text alternative).

What is drawn: the baseline (grey square), each target (diamond, with 以上/以下/維持), the path
the plan requires from the start to each target in due order (dashed), the observations (blue
dots joined by a line), the as-of date (dotted vertical line) and the zone where the final
target is met (pale green band above the target line for "at least", below it for lower-is-better
targets). A 維持 (maintain) target is a flat line from the start to its due date. A period target
(e.g. 125件 over R2~R6) is drawn cumulatively from zero at the period's start.

Examples
--------
>>> svg = chart_svg({"title": "<b>件数</b>", "unit": "件", "as_of": "2024-01-01",
...     "baseline": {"date": "2020-03-31", "value": 10.0},
...     "targets": [{"date": "2026-03-31", "value": 20.0, "comparator": "at_least"}],
...     "observations": [{"date": "2023-03-31", "value": 14.0}]}, ident="c1")
>>> svg.startswith("<svg") and "&lt;b&gt;件数&lt;/b&gt;" in svg and "<b>" not in svg
True
>>> svg.count('class="obs"'), svg.count('class="target"'), 'class="zone"' in svg
(1, 1, True)
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from html import escape

__all__ = ["chart_svg", "chart_from_status", "nice_ticks", "WORDS"]

WORDS = {
    "baseline": {"ja": "基準値", "en": "baseline"},
    "target": {"ja": "目標", "en": "target"},
    "observation": {"ja": "実績", "en": "observation"},
    "path": {"ja": "目標までの道筋", "en": "path to target"},
    "as_of": {"ja": "基準日", "en": "as of"},
    "zone": {"ja": "目標を満たす範囲", "en": "target met"},
    "at_least": {"ja": "以上", "en": "or more"},
    "at_most": {"ja": "以下", "en": "or less"},
    "exactly": {"ja": "", "en": ""},
    "maintain": {"ja": "を維持", "en": "maintained"},
    "cumulative": {"ja": "期間累計", "en": "period total"},
    "no_values": {"ja": "数値がないためグラフはありません", "en": "no values to chart"},
}
"""The chart's own few words (legend, annotations), ja and en."""

_INK, _MUTED, _GRID = "#1d232a", "#5b6670", "#d7dde3"
_OBS, _TARGET, _PATH, _ZONE = "#0b5cad", "#8a4b00", "#8a4b00", "#dff3e4"


def _w(key: str, lang: str) -> str:
    return WORDS[key].get(lang, WORDS[key]["ja"])


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _num(value: float) -> str:
    """A number as planners write it.

    >>> _num(47940000.0), _num(74.6), _num(0.125)
    ('47,940,000', '74.6', '0.125')
    """
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.4g}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values covering ``low``..``high``.

    >>> nice_ticks(0, 179)
    [0.0, 50.0, 100.0, 150.0, 200.0]
    """
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high + step * 0.999:
        ticks.append(float(round(value, 10)))
        value += step
    return ticks


def _points(data: dict) -> tuple[list, list, list, dict | None]:
    """(observations, targets, path points, baseline) as (date, value) tuples; period targets cumulative."""
    baseline = data.get("baseline")
    base = (_day(baseline.get("date")), float(baseline["value"])) if baseline and baseline.get("value") is not None else None
    if base and base[0] is None:
        base = None
    observations = sorted((_day(o["date"]), float(o["value"])) for o in data.get("observations", [])
                          if _day(o.get("date")) and o.get("value") is not None)
    targets = sorted(((_day(t.get("date")), float(t["value"]), t) for t in data.get("targets", [])
                      if t.get("value") is not None and _day(t.get("date"))), key=lambda x: x[0])
    period = next((t for t in targets if t[2].get("period_start")), None)
    if period:
        start = _day(period[2]["period_start"]) or period[0]
        running, cumulative = 0.0, []
        for when, value in observations:
            if start <= when <= period[0]:
                running += value
                cumulative.append((when, running))
        return cumulative, [period], [(start - timedelta(days=1), 0.0), (period[0], period[1])], None
    start = base or (observations[0] if observations else None)
    path = [start] if start else []
    for when, value, spec in targets:
        if start and when > path[-1][0]:
            if spec.get("maintain"):
                # a 維持 target asks to stay at or beyond the value all along: a flat line, not a slope
                path = [(start[0], value), (when, value)] if len(path) == 1 else [*path, (when, value)]
            else:
                path.append((when, value))
    return observations, targets, path, base


def chart_svg(data: dict, *, ident: str, lang: str = "ja", width: int = 640, height: int = 300) -> str:
    """An accessible SVG chart of one indicator (see the module docstring for what is drawn).

    ``data``: ``{title, unit, as_of, status_text?, baseline: {date, value} | None, targets: [{date,
    value, comparator, maintain, period_start?}], observations: [{date, value}]}`` (ISO dates).
    ``ident`` makes the ``<title>``/``<desc>`` ids unique on a page. Returns markup in which every
    text from ``data`` is escaped.
    """
    observations, targets, path, base = _points(data)
    title = escape(str(data.get("title") or ""))
    unit = escape(str(data.get("unit") or ""))
    as_of = _day(data.get("as_of"))
    sid = escape(ident)
    dates = [p[0] for p in observations] + [t[0] for t in targets] + [p[0] for p in path] + ([base[0]] if base else [])
    values = [p[1] for p in observations] + [t[1] for t in targets] + [p[1] for p in path] + ([base[1]] if base else [])
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-labelledby="{sid}-title {sid}-desc" font-family="system-ui, sans-serif" font-size="12">'
            f'<title id="{sid}-title">{title}</title>')
    if not dates:
        return (head + f'<desc id="{sid}-desc">{escape(_w("no_values", lang))}</desc>'
                f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{_MUTED}">'
                f'{escape(_w("no_values", lang))}</text></svg>')
    if as_of and min(dates) <= as_of <= max(dates) + timedelta(days=3 * 366):
        dates.append(as_of)
    first, last = min(dates), max(dates)
    first, last = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    ticks = nice_ticks(min(0.0, min(values)), max(values) * 1.05 if max(values) > 0 else 1.0, count=6)
    low, high = ticks[0], ticks[-1]
    left, right, top, bottom = 78, 16, 30, 64
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: date) -> float:
        return round(left + plot_w * (day - first).days / max((last - first).days, 1), 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - (value - low) / (high - low)), 1)

    parts = [head]
    summary = [f"{_w('baseline', lang)} {_num(base[1])}{unit} ({base[0].isoformat()})"] if base else []
    summary += [f"{_w('target', lang)} {_num(v)}{unit} ({d.isoformat()})" for d, v, _t in targets]
    if observations:
        summary.append(f"{_w('observation', lang)} {_num(observations[-1][1])}{unit} ({observations[-1][0].isoformat()})")
    if data.get("status_text"):
        summary.append(str(data["status_text"]))
    parts.append(f'<desc id="{sid}-desc">{escape("; ".join(summary))}</desc>')
    # the zone where the final target is met
    if targets:
        final_date, final_value, spec = targets[-1]
        comparator = spec.get("comparator") or "at_least"
        if comparator in ("at_least", "at_most") and not spec.get("period_start"):
            y0 = y(final_value)
            z_top, z_bottom = (top, y0) if comparator == "at_least" else (y0, top + plot_h)
            parts.append(f'<rect class="zone" x="{left}" y="{z_top}" width="{plot_w}" height="{round(z_bottom - z_top, 1)}" '
                         f'fill="{_ZONE}"/>')
    # grid and axes
    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick)}" y2="{y(tick)}" stroke="{_GRID}"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" fill="{_MUTED}">{escape(_num(tick))}</text>')
    years = list(range(first.year, last.year + 1))
    stride = max(1, math.ceil(len(years) / 10))
    for year in years[::stride]:
        xx = x(date(year, 1, 1))
        parts.append(f'<line x1="{xx}" x2="{xx}" y1="{top + plot_h}" y2="{top + plot_h + 4}" stroke="{_MUTED}"/>'
                     f'<text x="{xx}" y="{top + plot_h + 17}" text-anchor="middle" fill="{_MUTED}">{year}</text>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{_INK}"/>'
                 f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{_INK}"/>')
    if unit:
        parts.append(f'<text x="4" y="{top - 14}" fill="{_MUTED}">{unit}</text>')
    if as_of and first <= as_of <= last:
        parts.append(f'<line class="asof" x1="{x(as_of)}" x2="{x(as_of)}" y1="{top}" y2="{top + plot_h}" '
                     f'stroke="{_MUTED}" stroke-dasharray="2 3"/>'
                     f'<text x="{x(as_of) + (-3 if x(as_of) > left + plot_w * 0.85 else 3)}" y="{top - 4}" '
                     f'text-anchor="{"end" if x(as_of) > left + plot_w * 0.85 else "start"}" fill="{_MUTED}">'
                     f'{escape(_w("as_of", lang))} {as_of.isoformat()}</text>')
    if len(path) > 1:
        points = " ".join(f"{x(d)},{y(v)}" for d, v in path)
        parts.append(f'<polyline class="path" points="{points}" fill="none" stroke="{_PATH}" stroke-width="1.5" '
                     f'stroke-dasharray="6 4"/>')
    if base:
        parts.append(f'<rect class="baseline" x="{x(base[0]) - 5}" y="{y(base[1]) - 5}" width="10" height="10" '
                     f'fill="{_MUTED}"><title>{escape(_w("baseline", lang))} {escape(_num(base[1]))}{unit} '
                     f'({base[0].isoformat()})</title></rect>')
    for when, value, spec in targets:
        cx, cy = x(when), y(value)
        word = _w("maintain" if spec.get("maintain") else spec.get("comparator") or "at_least", lang)
        text = f"{_w('target', lang)} {_num(value)}{unit}{word}"
        parts.append(f'<path class="target" d="M{cx} {cy - 7}L{cx + 7} {cy}L{cx} {cy + 7}L{cx - 7} {cy}Z" '
                     f'fill="#fff" stroke="{_TARGET}" stroke-width="2"><title>{escape(text)} ({when.isoformat()})</title></path>'
                     f'<text x="{cx - 9 if cx > left + plot_w / 2 else cx + 9}" y="{cy - 10}" '
                     f'text-anchor="{"end" if cx > left + plot_w / 2 else "start"}" fill="{_TARGET}">{escape(text)}</text>')
    if len(observations) > 1:
        points = " ".join(f"{x(d)},{y(v)}" for d, v in observations)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{_OBS}" stroke-width="2"/>')
    for when, value in observations:
        parts.append(f'<circle class="obs" cx="{x(when)}" cy="{y(value)}" r="4.5" fill="{_OBS}">'
                     f'<title>{escape(_w("observation", lang))} {escape(_num(value))}{unit} ({when.isoformat()})</title></circle>')
    # legend
    ly = height - 18
    legend = [
        (f'<rect x="0" y="-9" width="10" height="10" fill="{_MUTED}"/>', _w("baseline", lang)),
        (f'<path d="M5 -11L11 -5L5 1L-1 -5Z" fill="#fff" stroke="{_TARGET}" stroke-width="2"/>', _w("target", lang)),
        (f'<line x1="-2" x2="16" y1="-4" y2="-4" stroke="{_PATH}" stroke-dasharray="6 4" stroke-width="1.5"/>', _w("path", lang)),
        (f'<circle cx="5" cy="-4" r="4.5" fill="{_OBS}"/>', _w("observation", lang)),
        (f'<rect x="0" y="-9" width="12" height="10" fill="{_ZONE}" stroke="{_GRID}"/>', _w("zone", lang)),
    ]
    lx = left
    for glyph, word in legend:
        parts.append(f'<g transform="translate({lx},{ly})">{glyph}<text x="20" y="0" fill="{_INK}">{escape(word)}</text></g>')
        lx += 34 + 13 * len(word) if lang == "ja" else 30 + 7 * len(word)
    parts.append("</svg>")
    return "".join(parts)


def chart_from_status(row: dict, *, title: str, as_of: str, status_text: str = "") -> dict:
    """Chart data from one ``indicator_status`` row of the gaps document (what the report has):
    the baseline, the target in use and the latest value (or period total).

    >>> chart_from_status({"baseline": {"value": 1.0, "date": "2020-03-31"}, "latest": None,
    ...     "target": {"value": 2.0, "date": "2026-03-31", "comparator": "at_least", "maintain": False,
    ...                "period": False}, "unit": "件"}, title="x", as_of="2026-12-03")["targets"][0]["value"]
    2.0
    """
    target = row.get("target")
    latest = row.get("latest")
    targets = []
    if target:
        spec = {"date": target.get("date"), "value": target.get("value"), "comparator": target.get("comparator"),
                "maintain": target.get("maintain")}
        if target.get("period") and row.get("start"):
            spec["period_start"] = (_day(row["start"]["date"]) + timedelta(days=1)).isoformat()
        targets.append(spec)
    return {"title": title, "unit": row.get("unit") or "", "as_of": as_of, "status_text": status_text,
            "baseline": row.get("baseline"), "targets": targets, "observations": [latest] if latest else []}
