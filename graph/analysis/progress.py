"""Indicator progress status, modelled on the Open SDG progress measure (pure functions, no RDF).

Why a pure module: the rule that turns a baseline, a target and observations into a status is
what planners argue about, so it lives in one small place with examples, and the store code
(:mod:`policykg.graph.analysis.progress_store`) only gathers inputs and records results.
The rules are written out for planners in ``docs/progress.md``.

The measure: ``R = observed annual growth / required annual growth``, where the observed growth
runs from the start (the baseline, or the first observation when there is no baseline) to the
latest observation, and the required growth from the start to the target value at its due date.
Growth is the compound annual growth rate (CAGR); when any of the three values is zero or
negative CAGR is undefined, so both growths fall back to the linear rate (units per year).
Both growths are *directed*: multiplied by -1 when lower is better, so positive always means
"towards the target".

Examples
--------
>>> from datetime import date
>>> s = Series(baseline=Point(date(2020, 3, 31), 100.0),
...            targets=(TargetSpec(200.0, date(2026, 3, 31)),),
...            observations=(Point(date(2023, 3, 31), 150.0),))
>>> a = assess(s, as_of=date(2024, 1, 1))
>>> a.status.value, round(a.ratio, 2), a.method
('on_track', 1.18, 'open-sdg-cagr')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

__all__ = [
    "Status", "Comparator", "Point", "TargetSpec", "Series", "Assessment",
    "assess", "select_target", "meets", "annual_growth",
    "ON_TRACK_AT", "ACCELERATION_AT", "DAYS_PER_YEAR",
]

ON_TRACK_AT = 0.95
"""R at or above this is on track (Open SDG's threshold)."""
ACCELERATION_AT = 0.60
"""R at or above this (and below :data:`ON_TRACK_AT`) needs acceleration; below it, limited progress."""
DAYS_PER_YEAR = 365.25


class Status(str, Enum):
    """Progress statuses; the values are the stable JSON names."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    TARGET_PASSED_NO_DATA = "target_passed_no_data"
    NO_DATA = "no_data"
    INSUFFICIENT_DATA = "insufficient_data"
    NO_TARGET = "no_target"


class Comparator(str, Enum):
    """How the latest value is compared with the target (以上 / 以下 / exactly)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EXACTLY = "exactly"


@dataclass(frozen=True)
class Point:
    """A dated value: a baseline or an observation."""

    date: date
    value: float
    iri: str | None = None


@dataclass(frozen=True)
class TargetSpec:
    """One target. ``period_start`` set = a period target (a count summed over the period)."""

    value: float
    due: date | None
    comparator: Comparator = Comparator.AT_LEAST
    maintain: bool = False
    period_start: date | None = None
    iri: str | None = None

    @property
    def is_period(self) -> bool:
        return self.period_start is not None


@dataclass(frozen=True)
class Series:
    """Everything known about one indicator: baseline, targets (interim and final), observations."""

    baseline: Point | None
    targets: tuple[TargetSpec, ...]
    observations: tuple[Point, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """A status with every input that produced it, so the result can be checked and recorded."""

    status: Status
    as_of: date
    target: TargetSpec | None = None
    start: Point | None = None
    latest: Point | None = None
    observed_growth: float | None = None
    required_growth: float | None = None
    ratio: float | None = None
    method: str | None = None
    used: tuple[Point, ...] = field(default_factory=tuple)
    """The observations the latest value was taken or summed from."""


def meets(value: float, target: TargetSpec) -> bool:
    """Whether ``value`` satisfies the target's comparator.

    >>> meets(150.0, TargetSpec(150.0, None)), meets(4.0, TargetSpec(1.0, None, Comparator.AT_MOST))
    (True, False)
    """
    if target.comparator is Comparator.AT_MOST:
        return value <= target.value
    if target.comparator is Comparator.EXACTLY:
        return math.isclose(value, target.value)
    return value >= target.value


def select_target(targets: tuple[TargetSpec, ...], reference: date) -> TargetSpec | None:
    """The next target due on or after ``reference``; when all have passed, the last one.

    Interim and final targets: progress is judged against the nearest target still ahead of the
    latest observation (or of the as-of date when nothing is observed).

    >>> t1, t2 = TargetSpec(1000.0, date(2025, 3, 31)), TargetSpec(1500.0, date(2028, 3, 31))
    >>> select_target((t2, t1), date(2024, 3, 31)).value, select_target((t1, t2), date(2029, 1, 1)).value
    (1000.0, 1500.0)
    """
    if not targets:
        return None
    dated = sorted((t for t in targets if t.due is not None), key=lambda t: t.due)
    ahead = [t for t in dated if t.due >= reference]
    if ahead:
        return ahead[0]
    return dated[-1] if dated else targets[0]


def _years(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def annual_growth(start: Point, end: Point, *, method: str) -> float:
    """Annual growth from ``start`` to ``end``: CAGR (a fraction) or linear (units per year).

    >>> round(annual_growth(Point(date(2020, 1, 1), 100.0), Point(date(2022, 1, 1), 121.0), method="open-sdg-cagr"), 3)
    0.1
    >>> round(annual_growth(Point(date(2020, 1, 1), 0.0), Point(date(2022, 1, 1), 10.0), method="linear"), 2)
    5.0
    """
    years = _years(start.date, end.date)
    if method == "linear":
        return (end.value - start.value) / years
    return (end.value / start.value) ** (1.0 / years) - 1.0


def _direction(target: TargetSpec, start_value: float) -> int:
    if target.comparator is Comparator.AT_MOST:
        return -1
    if target.comparator is Comparator.EXACTLY and target.value < start_value:
        return -1
    return 1


def _band(ratio: float) -> Status:
    if ratio >= ON_TRACK_AT:
        return Status.ON_TRACK
    if ratio >= ACCELERATION_AT:
        return Status.ACCELERATION_NEEDED
    if ratio >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def _no_data(target: TargetSpec, as_of: date) -> Assessment:
    passed = target.due is not None and target.due < as_of
    return Assessment(Status.TARGET_PASSED_NO_DATA if passed else Status.NO_DATA, as_of, target)


def _assess_period(target: TargetSpec, observations: list[Point], as_of: date) -> Assessment:
    """A period target (e.g. 125件 over R2~R6): the sum of observations in the period vs the target.

    The required pace is linear: the target spread evenly over the period; the observed pace is
    the sum so far over the time elapsed up to the latest observation in the period.
    """
    assert target.period_start is not None
    end = target.due or as_of
    inside = [p for p in observations if target.period_start <= p.date <= end]
    if not inside:
        return _no_data(target, as_of)
    total = sum(p.value for p in inside)
    latest = Point(inside[-1].date, total)
    start = Point(target.period_start - timedelta(days=1), 0.0)
    observed = total / _years(start.date, latest.date)
    required = target.value / _years(start.date, end)
    ratio = observed / required if required > 0 else None
    if meets(total, target):
        status = Status.ACHIEVED
    elif ratio is None:
        status = Status.DETERIORATION
    else:
        status = _band(ratio)
    return Assessment(status, as_of, target, start, latest, observed, required, ratio, "period-sum-linear", tuple(inside))


def assess(series: Series, *, as_of: date) -> Assessment:
    """The progress status of one indicator on ``as_of`` (observations after it are ignored).

    Order of the rules: no target → ``no_target``; nothing observed → ``target_passed_no_data``
    when the chosen target's due date is before ``as_of``, else ``no_data``; latest value meets
    the target → ``achieved``; no start before the latest observation (no baseline and a single
    observation) or no due date → ``insufficient_data``; the start already met the target
    (required growth ≤ 0) → ``deterioration``; else the band of R.
    """
    observations = sorted((p for p in series.observations if p.date <= as_of), key=lambda p: p.date)
    # a target due on the day of the latest observation is already measured: look past it
    reference = observations[-1].date + timedelta(days=1) if observations else as_of
    target = select_target(series.targets, reference)
    latest = observations[-1] if observations else None
    if target is None:
        return Assessment(Status.NO_TARGET, as_of, None, series.baseline, latest,
                          used=(latest,) if latest else ())
    if target.is_period:
        return _assess_period(target, observations, as_of)
    if latest is None:
        return _no_data(target, as_of)
    start = series.baseline if series.baseline is not None else observations[0]
    growth_possible = start.date < latest.date and target.due is not None and target.due > start.date
    if not growth_possible:
        status = Status.ACHIEVED if meets(latest.value, target) else Status.INSUFFICIENT_DATA
        return Assessment(status, as_of, target, start, latest, used=(latest,))
    method = "open-sdg-cagr" if min(start.value, latest.value, target.value) > 0 else "linear"
    sign = _direction(target, start.value)
    assert target.due is not None
    observed = sign * annual_growth(start, latest, method=method)
    required = sign * annual_growth(start, Point(target.due, target.value), method=method)
    ratio = observed / required if required > 0 else None
    if meets(latest.value, target):
        status = Status.ACHIEVED
    elif required <= 0:
        status = Status.DETERIORATION
    else:
        assert ratio is not None
        status = _band(ratio)
    return Assessment(status, as_of, target, start, latest, observed, required, ratio, method, (latest,))
