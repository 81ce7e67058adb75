"""Progress of every numeric indicator in a store, and its record in ``graph/progress``.

Thin I/O around :mod:`policykg.graph.analysis.progress`: queries gather each indicator's baseline,
targets and observations (the rows of the canned ``progress-*.rq``, read by their faster internal twins,
:func:`indicator_series`); the pure :func:`~policykg.graph.analysis.progress.assess`
decides; :func:`record_progress` writes one ``pk:ProgressAssessment`` per indicator with every
input beside the result, so ``indicator-status.rq`` can re-derive each status from the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Identifier

from policykg.graph.analysis.progress import Assessment, Comparator, Point, Series, Status, TargetSpec, assess
from policykg.graph.pipeline import load_graphs
from policykg.graph.queries import internal_query, load_query, select
from policykg.graph.store import GraphResult, Store
from policykg.ids import digest, entity_iri
from policykg.values import fiscal_year_instant
from policykg.namespaces import ID, PK, PROGRESS_GRAPH

__all__ = [
    "IndicatorProgress", "STATUS_IRI", "COMPARATOR_IRI", "run_select",
    "indicator_series", "order_key", "compute_progress", "assessment_graph", "record_progress",
]

STATUS_IRI: dict[Status, URIRef] = {
    Status.ACHIEVED: PK.StatusAchieved,
    Status.ON_TRACK: PK.StatusOnTrack,
    Status.ACCELERATION_NEEDED: PK.StatusAccelerationNeeded,
    Status.LIMITED_PROGRESS: PK.StatusLimitedProgress,
    Status.DETERIORATION: PK.StatusDeterioration,
    Status.TARGET_PASSED_NO_DATA: PK.StatusTargetPassedNoData,
    Status.NO_DATA: PK.StatusNoData,
    Status.INSUFFICIENT_DATA: PK.StatusInsufficientData,
    Status.NO_TARGET: PK.StatusNoTarget,
}
COMPARATOR_IRI: dict[Comparator, URIRef] = {
    Comparator.AT_LEAST: PK.AtLeast, Comparator.AT_MOST: PK.AtMost, Comparator.EXACTLY: PK.Exactly,
}
_COMPARATOR_BY_IRI = {v: k for k, v in COMPARATOR_IRI.items()}


def run_select(store: Store, name: str, bindings: Mapping[str, Identifier] | None = None) -> list[dict[str, Identifier]]:
    """Rows of the canned SELECT ``name``, ``bindings`` bound by the store (never spliced).

    :raises QueryNotFound: no canned query has that name.
    :raises TypeError: the canned query is not a SELECT.
    """
    return select(store, load_query(name), bindings)


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's assessment with the names needed to show it."""

    iri: str
    label: str
    label_en: str | None
    unit_text: str | None
    baseline: Point | None
    assessment: Assessment


def _float(term: Identifier | None) -> float | None:
    return float(term.toPython()) if isinstance(term, Literal) else None


def _date(term: Identifier | None) -> date | None:
    value = term.toPython() if isinstance(term, Literal) else None
    return value if isinstance(value, date) else None


def _period_start(row: Mapping[str, Identifier]) -> date | None:
    year = row.get("periodStartYear")
    if isinstance(year, Literal):
        return fiscal_year_instant(int(str(year)[:4]), str(year), at="start").date
    return _date(row.get("periodStart"))


def _target(row: Mapping[str, Identifier], lower_is_better: bool) -> TargetSpec | None:
    value = _float(row.get("value"))
    if value is None:
        return None
    comparator = _COMPARATOR_BY_IRI.get(row.get("comparator"))  # type: ignore[arg-type]
    if comparator is None:
        comparator = Comparator.AT_MOST if lower_is_better else Comparator.AT_LEAST
    is_period = isinstance(row.get("periodTarget"), Literal) and bool(row["periodTarget"].toPython())
    return TargetSpec(
        value, _date(row.get("dueDate")), comparator,
        maintain=isinstance(row.get("maintain"), Literal) and bool(row["maintain"].toPython()),
        period_start=_period_start(row) if is_period else None,
        iri=str(row["target"]),
    )


def order_key(term: Identifier | None) -> tuple:
    """A sort key ordering terms as SPARQL's ``ORDER BY`` does for the values the progress inputs hold:
    unbound first, then blank nodes, IRIs (by their text), literals; numbers by value, ``xsd:date`` by
    date, other literals by their text (so plain and language-tagged labels by code point, as Oxigraph).

    >>> from rdflib import Literal, URIRef
    >>> from rdflib.namespace import XSD
    >>> days = [Literal("2030-03-31", datatype=XSD.date), None, Literal("2026-03-31", datatype=XSD.date)]
    >>> [str(t) if t is not None else None for t in sorted(days, key=order_key)]
    [None, '2026-03-31', '2030-03-31']
    >>> order_key(URIRef("https://x/a")) < order_key(Literal("a"))
    True
    """
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (1, str(term))
    if not isinstance(term, Literal):
        return (2, str(term))
    value = term.toPython()
    if type(value) is date:  # equal values tie (the sort is stable), as in Oxigraph's ORDER BY
        return (3, 1, value.isoformat())
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (3, 0, float(value))
    return (3, 2, str(term), str(term.datatype or term.language or ""))


def _select_internal(store: Store, name: str) -> list[dict[str, Identifier]]:
    return select(store, internal_query(name))


def indicator_series(store: Store) -> list[tuple[dict[str, Identifier], Series]]:
    """Each numeric indicator's query row (label, unit, baseline) and its :class:`Series`.

    The rows are those of the canned ``progress-indicators``, ``progress-targets`` and
    ``progress-observations`` queries, read unsorted by their internal twins
    (``graph/queries/internal/progress-*-inputs.rq``: each property by one scan of its predicate, the
    hot path of ``/api/gaps?jurisdiction=``) and put in the canned queries' order here: the first row of
    an indicator is the one ``ORDER BY ?label ?indicator ?baselineDate`` puts first, targets follow
    ``ORDER BY ?indicator ?dueDate``, observations ``ORDER BY ?indicator ?date ?observation``.
    """
    rows = _select_internal(store, "progress-indicator-inputs")
    rows.sort(key=lambda r: (order_key(r.get("label")), order_key(r.get("indicator")), order_key(r.get("baselineDate"))))
    indicators: dict[str, dict[str, Identifier]] = {}
    for row in rows:
        indicators.setdefault(str(row["indicator"]), row)
    target_rows = _select_internal(store, "progress-target-inputs")
    target_rows.sort(key=lambda r: (order_key(r.get("indicator")), order_key(r.get("dueDate"))))
    targets: dict[str, list[TargetSpec]] = {}
    for row in target_rows:
        info = indicators.get(str(row["indicator"]), {})
        spec = _target(row, info.get("desired") == PK.LowerIsBetter)
        if spec is not None:
            targets.setdefault(str(row["indicator"]), []).append(spec)
    observation_rows = _select_internal(store, "progress-observation-inputs")
    observation_rows.sort(key=lambda r: (order_key(r.get("indicator")), order_key(r.get("date")),
                                         order_key(r.get("observation"))))
    observations: dict[str, list[Point]] = {}
    for row in observation_rows:
        when, value = _date(row.get("date")), _float(row.get("value"))
        if when is not None and value is not None:
            observations.setdefault(str(row["indicator"]), []).append(Point(when, value, str(row["observation"])))
    out = []
    for iri, row in indicators.items():
        when, value = _date(row.get("baselineDate")), _float(row.get("baselineValue"))
        baseline = Point(when, value, str(row["baseline"])) if when is not None and value is not None else None
        out.append((row, Series(baseline, tuple(targets.get(iri, ())), tuple(observations.get(iri, ())))))
    return out


def compute_progress(store: Store, *, as_of: date) -> list[IndicatorProgress]:
    """The assessment of every numeric indicator on ``as_of``, ordered by label."""
    results = []
    for row, series in indicator_series(store):
        results.append(IndicatorProgress(
            iri=str(row["indicator"]),
            label=str(row.get("label", row["indicator"])),
            label_en=str(row["labelEn"]) if "labelEn" in row else None,
            unit_text=str(row["unitText"]) if "unitText" in row else None,
            baseline=series.baseline,
            assessment=assess(series, as_of=as_of),
        ))
    return sorted(results, key=lambda r: (r.label, r.iri))


def _assessment_iri(indicator: str, as_of: date) -> URIRef:
    jurisdiction = indicator[len(str(ID)):].split("/", 1)[0] if indicator.startswith(str(ID)) else "external"
    return entity_iri(jurisdiction or "external", "progress", "pa-" + digest(indicator, as_of.isoformat()))


def _number(value: float) -> Literal:
    return Literal(value, datatype=XSD.double)


def assessment_graph(results: list[IndicatorProgress], *, as_of: date) -> Graph:
    """One ``pk:ProgressAssessment`` per result, with every input beside the status."""
    g = Graph()
    day = Literal(as_of.isoformat(), datatype=XSD.date)
    for r in results:
        a, node = r.assessment, _assessment_iri(r.iri, as_of)
        g.add((node, RDF.type, PK.ProgressAssessment))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, PK.assesses, URIRef(r.iri)))
        g.add((node, PK.asOf, day))
        g.add((node, PK.status, STATUS_IRI[a.status]))
        if a.method:
            g.add((node, PK.method, Literal(a.method)))
        for predicate, value in ((PK.progressRatio, a.ratio), (PK.observedGrowth, a.observed_growth),
                                 (PK.requiredGrowth, a.required_growth)):
            if value is not None:
                g.add((node, predicate, _number(value)))
        if a.start is not None:
            g.add((node, PK.baselineValue, _number(a.start.value)))
            g.add((node, PK.baselineDate, Literal(a.start.date.isoformat(), datatype=XSD.date)))
            if a.start.iri:
                g.add((node, PROV.used, URIRef(a.start.iri)))
        if a.latest is not None:
            g.add((node, PK.latestValue, _number(a.latest.value)))
            g.add((node, PK.latestDate, Literal(a.latest.date.isoformat(), datatype=XSD.date)))
        for point in a.used:
            if point.iri:
                g.add((node, PROV.used, URIRef(point.iri)))
        if a.target is not None:
            g.add((node, PK.targetValue, _number(a.target.value)))
            g.add((node, PK.assessedComparator, COMPARATOR_IRI[a.target.comparator]))
            if a.target.due is not None:
                g.add((node, PK.targetDate, Literal(a.target.due.isoformat(), datatype=XSD.date)))
            if a.target.iri:
                g.add((node, PK.assessedTarget, URIRef(a.target.iri)))
                g.add((node, PROV.used, URIRef(a.target.iri)))
    return g


def record_progress(store: Store, results: list[IndicatorProgress], *, as_of: date, validate: bool = True) -> int:
    """Write the assessments into ``graph/progress``, replacing earlier ones for the same ``as_of``
    and keeping those for other dates. Returns the number of assessments written.

    :raises ValidationFailed: ``validate`` and the record breaks the SHACL shapes; the store is unchanged.
    """
    current = store.query(internal_query("graph-content").text, bindings={"g": PROGRESS_GRAPH})
    kept = Graph()
    if isinstance(current, GraphResult):
        day = Literal(as_of.isoformat(), datatype=XSD.date)
        replaced = {s for s, o in current.graph.subject_objects(PK.asOf) if o == day}
        for triple in current.graph:
            if triple[0] not in replaced:
                kept.add(triple)
    kept += assessment_graph(results, as_of=as_of)
    load_graphs(store, {PROGRESS_GRAPH: kept}, validate=validate)
    return len(results)
