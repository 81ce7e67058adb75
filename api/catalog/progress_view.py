"""The planner's third question as page data: each indicator's latest value, status and trend on an
as-of date, and for one indicator everything its chart and number table show.

Statuses come from :func:`policykg.graph.analysis.progress_store.compute_progress` (the same rule as
``policykg gaps`` and ``/api/gaps``); the series (baseline, every target, every observation) from
:func:`~policykg.graph.analysis.progress_store.indicator_series`.
"""

from __future__ import annotations

from datetime import date

from rdflib import URIRef

from policykg import words
from policykg.api.catalog.labels import label_index
from policykg.graph.analysis.progress import Series
from policykg.graph.analysis.progress_store import compute_progress, indicator_series
from policykg.graph.store import Store
from policykg.namespaces import PK
from policykg.words import STATUS, STATUS_COLOUR

__all__ = ["progress_list", "indicator_progress", "trend", "progress_rows"]


def trend(values: list[float], lower_is_better: bool) -> dict:
    """The direction of the last change (last two values) and whether it is the good direction.

    >>> trend([100.0, 120.0], False)["direction"], trend([5.0, 4.0], True)["good"], trend([3.0], False)["direction"]
    ('up', True, None)
    """
    if len(values) < 2:
        return {"direction": None, "good": None}
    change = values[-1] - values[-2]
    direction = "flat" if abs(change) <= 1e-9 * max(abs(values[-2]), 1.0) else "up" if change > 0 else "down"
    good = None if direction == "flat" else (direction == "down") == lower_is_better
    return {"direction": direction, "good": good}


def _point(point) -> dict | None:
    return None if point is None else {"date": point.date.isoformat(), "value": point.value}


def _targets(series: Series) -> list[dict]:
    return [{"date": t.due.isoformat() if t.due else None, "value": t.value, "comparator": t.comparator.value,
             "maintain": t.maintain, "period_start": t.period_start.isoformat() if t.period_start else None}
            for t in sorted(series.targets, key=lambda t: (t.due is None, t.due or date.min))]


def progress_rows(store: Store, *, as_of: date, lang: str) -> dict[str, dict]:
    """Indicator IRI → its row (status, latest, trend, series) on ``as_of``."""
    index = label_index(store)
    series = {str(row["indicator"]): (row, s) for row, s in indicator_series(store)}
    rows: dict[str, dict] = {}
    for result in compute_progress(store, as_of=as_of):
        row, s = series[result.iri]
        a = result.assessment
        lower = row.get("desired") == PK.LowerIsBetter
        observed = sorted((p for p in s.observations if p.date <= as_of), key=lambda p: p.date)
        history = ([s.baseline.value] if s.baseline and (not observed or s.baseline.date < observed[0].date) else []) \
            + [p.value for p in observed]
        direction = trend(history, lower)
        status = a.status.value
        rows[result.iri] = {
            **index.ref(URIRef(result.iri), lang),
            "unit": result.unit_text or "",
            "status": status,
            "status_text": STATUS[status].get(lang, STATUS[status]["ja"]),
            "status_colour": STATUS_COLOUR[status],
            "lower_is_better": lower,
            "better_text": words.t("better_down" if lower else "better_up", lang),
            "baseline": _point(s.baseline),
            "latest": _point(observed[-1]) if observed else None,
            "period_total": _point(a.latest) if a.target is not None and a.target.is_period and a.latest else None,
            "target": None if a.target is None else {
                "date": a.target.due.isoformat() if a.target.due else None, "value": a.target.value,
                "comparator": a.target.comparator.value, "maintain": a.target.maintain, "period": a.target.is_period},
            "targets": _targets(s),
            "observations": [_point(p) for p in observed],
            "ratio": a.ratio,
            "method": a.method,
            "trend": direction["direction"],
            "trend_good": direction["good"],
            "trend_text": words.t(f"trend_{direction['direction'] or 'none'}", lang),
        }
    return rows


def progress_list(store: Store, *, as_of: date, lang: str, indicators: list[dict]) -> dict:
    """``/indicators``: numeric indicators with status, latest value and trend (in the catalog's
    order), then the promotion-goal indicators. ``indicators`` is the catalog list for ``lang``."""
    rows = progress_rows(store, as_of=as_of, lang=lang)
    numeric, qualitative = [], []
    for item in indicators:
        if item["iri"] in rows:
            # the deck's own wording of baseline and targets ("36件", "(2025/R7)") beside the numbers
            numeric.append({**rows[item["iri"]], "evaluates": item["evaluates"] or item["indicator_of"],
                            "baseline_source": item.get("baseline"), "targets_source": item.get("targets", [])})
        else:
            qualitative.append({k: item[k] for k in ("id", "iri", "label", "url", "promotion_goal")}
                               | {"evaluates": item["evaluates"] or item["indicator_of"]})
    counts: dict[str, int] = {}
    for row in numeric:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    status_counts = [{"status": s, "text": STATUS[s].get(lang, STATUS[s]["ja"]), "colour": STATUS_COLOUR[s], "count": counts[s]}
                     for s in STATUS if counts.get(s)]
    return {"as_of": as_of.isoformat(), "status_counts": status_counts, "indicators": numeric, "qualitative": qualitative}


def indicator_progress(store: Store, iri: URIRef, *, as_of: date, lang: str) -> dict | None:
    """One numeric indicator's progress with its chart data and its number table; ``None`` for an
    indicator without numbers (推進目標)."""
    row = progress_rows(store, as_of=as_of, lang=lang).get(str(iri))
    if row is None:
        return None
    table = []
    if row["baseline"]:
        table.append({"kind": words.t("series_baseline", lang), **row["baseline"]})
    for t in row["targets"]:
        word = words.t("maintain", lang) if t["maintain"] else ""
        table.append({"kind": f"{words.t('series_target', lang)}{(' ' + word) if word else ''}", "date": t["date"], "value": t["value"],
                      "comparator": t["comparator"]})
    for o in row["observations"]:
        table.append({"kind": words.t("series_observation", lang), **o})
    table.sort(key=lambda r: r["date"] or "")
    chart = {"title": row["label"], "unit": row["unit"], "as_of": as_of.isoformat(), "status_text": row["status_text"],
             "baseline": row["baseline"], "targets": row["targets"], "observations": row["observations"]}
    return {**row, "as_of": as_of.isoformat(), "chart": chart, "table": table}
