"""The gap analysis as one JSON document: what the CLI (``policykg gaps``) and ``GET /api/gaps`` return.

Why one builder: planners compare the command output with the web API, so both call
:func:`build_gaps` and the shape is written down once (docs/gaps.md). Every list comes from a
canned query in ``graph/queries`` (so each answer can be re-run by hand in the SPARQL UI); the
indicator statuses come from :mod:`policykg.graph.analysis.progress_store`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Identifier

from policykg.graph.analysis.progress import Point, Status
from policykg.graph.analysis.progress_store import IndicatorProgress, compute_progress, record_progress, run_select
from policykg.graph.store import Store

__all__ = ["GAP_LISTS", "build_gaps", "parse_as_of", "status_counts"]

GAP_LISTS = (
    "national_items_without_measures",
    "measures_without_alignment",
    "directions_without_numeric_indicator",
    "indicators_without_baseline",
    "indicators_without_target",
    "indicators_past_target_without_observation",
    "roadmap_rows_without_measure_or_indicator",
    "roadmap_phases_without_measure_or_indicator",
)
"""The list-valued keys of the gaps document, in display order (report sheets follow it)."""


def parse_as_of(text: str | None) -> date:
    """An ISO date (``2026-04-01``); ``None`` or ``today`` = today.

    >>> parse_as_of("2026-04-01")
    datetime.date(2026, 4, 1)

    :raises ValueError: not an ISO calendar date (the CLI exits 2, the API answers 422).
    """
    if text is None or text == "today":
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"as_of must be an ISO date YYYY-MM-DD, got {text!r}") from None


def _s(row: Mapping[str, Identifier], key: str) -> str | None:
    value = row.get(key)
    return str(value) if value is not None else None


def _ref(row: Mapping[str, Identifier], iri: str, label: str, label_en: str | None = None) -> dict | None:
    if iri not in row:
        return None
    ref = {"iri": str(row[iri]), "label": _s(row, label) or str(row[iri])}
    if label_en and label_en in row:
        ref["label_en"] = str(row[label_en])
    return ref


def _entity(row: Mapping[str, Identifier], iri: str) -> dict:
    out = {"iri": str(row[iri]), "label": _s(row, "label") or str(row[iri])}
    if "labelEn" in row:
        out["label_en"] = str(row["labelEn"])
    return out


def _unique(items: list[dict]) -> list[dict]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item["iri"] not in seen:
            seen.add(item["iri"])
            out.append(item)
    return out


def _national_items(store: Store) -> list[dict]:
    return _unique([
        {**_entity(r, "item"), "kind": _s(r, "kind"),
         "plan": _ref(r, "plan", "planLabel"), "pillar": _ref(r, "pillar", "pillarLabel")}
        for r in run_select(store, "national-items-without-measures")
    ])


def _measures(store: Store) -> list[dict]:
    return [{**_entity(r, "measure"), "direction": _s(r, "direction"),
             "inferred_suggestions": int(r["inferredCount"].toPython()) if "inferredCount" in r else 0}
            for r in run_select(store, "measures-without-alignment")]


def _directions(store: Store) -> list[dict]:
    return _unique([
        {**_entity(r, "direction"), "notation": _s(r, "notation"),
         "area": _ref(r, "area", "areaLabel", "areaLabelEn"),
         "qualitative_indicators": int(r["qualitativeCount"].toPython()) if "qualitativeCount" in r else 0}
        for r in run_select(store, "directions-without-numeric-indicator")
    ])


def _indicators(store: Store, name: str) -> list[dict]:
    return _unique([{**_entity(r, "indicator"), "evaluates": _ref(r, "evaluates", "evaluatesLabel")}
                    for r in run_select(store, name)])


def _past_target(store: Store, as_of: date) -> list[dict]:
    rows = run_select(store, "indicators-past-target-without-observation",
                      {"asOf": Literal(as_of.isoformat(), datatype=XSD.date)})
    return [{**_entity(r, "indicator"), "target": str(r["target"]), "target_date": _s(r, "dueDate"),
             "target_value": float(r["targetValue"].toPython()) if "targetValue" in r else None}
            for r in rows]


def _roadmap(store: Store, name: str, key: str) -> list[dict]:
    return _unique([{**_entity(r, key), "area": _ref(r, "area", "areaLabel", "areaLabelEn"),
                     **({"kind": _s(r, "kind")} if key == "phase" else {})}
                    for r in run_select(store, name)])


def coverage_matrix(store: Store) -> dict:
    """National pillars (rows) × local areas (columns) → number of supporting measures."""
    rows: dict[str, dict] = {}
    columns: dict[str, dict] = {}
    cells: dict[tuple[str, str], int] = {}
    for r in run_select(store, "coverage-matrix"):
        pillar, area = str(r["pillar"]), str(r["area"])
        rows.setdefault(pillar, _ref(r, "pillar", "pillarLabel", "pillarLabelEn") or {})
        columns.setdefault(area, _ref(r, "area", "areaLabel", "areaLabelEn") or {})
        cells[(pillar, area)] = int(r["measures"].toPython())
    return {
        "rows": list(rows.values()),
        "columns": list(columns.values()),
        "counts": [[cells.get((p, a), 0) for a in columns] for p in rows],
    }


def _point(point: Point | None) -> dict | None:
    return None if point is None else {"value": point.value, "date": point.date.isoformat()}


def _status_row(r: IndicatorProgress) -> dict:
    a = r.assessment
    target = None if a.target is None else {
        "value": a.target.value, "date": a.target.due.isoformat() if a.target.due else None,
        "comparator": a.target.comparator.value, "maintain": a.target.maintain, "period": a.target.is_period,
    }
    return {
        "iri": r.iri, "label": r.label, "label_en": r.label_en, "unit": r.unit_text,
        "status": a.status.value,
        "baseline": _point(r.baseline), "start": _point(a.start), "target": target, "latest": _point(a.latest),
        "ratio": a.ratio, "observed_growth": a.observed_growth, "required_growth": a.required_growth,
        "method": a.method,
    }


def status_counts(statuses: list[dict]) -> dict[str, int]:
    """How many indicators have each status (every status listed, zeros included)."""
    counts = {s.value: 0 for s in Status}
    for row in statuses:
        counts[row["status"]] += 1
    return counts


def build_gaps(store: Store, *, as_of: date, record: bool = False) -> dict:
    """The gaps document for ``as_of`` (see docs/gaps.md). ``record`` also writes the progress
    assessments into ``graph/progress``."""
    progress = compute_progress(store, as_of=as_of)
    if record:
        record_progress(store, progress, as_of=as_of)
    statuses = [_status_row(r) for r in progress]
    return {
        "as_of": as_of.isoformat(),
        "national_items_without_measures": _national_items(store),
        "measures_without_alignment": _measures(store),
        "directions_without_numeric_indicator": _directions(store),
        "indicators_without_baseline": _indicators(store, "indicators-without-baseline"),
        "indicators_without_target": _indicators(store, "indicators-without-target"),
        "indicators_past_target_without_observation": _past_target(store, as_of),
        "indicator_status": statuses,
        "status_counts": status_counts(statuses),
        "coverage_matrix": coverage_matrix(store),
        "roadmap_rows_without_measure_or_indicator": _roadmap(store, "roadmap-rows-without-measure-or-indicator", "row"),
        "roadmap_phases_without_measure_or_indicator": _roadmap(store, "roadmap-phases-without-measure-or-indicator", "phase"),
    }
