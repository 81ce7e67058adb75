"""Each progress status on a small synthetic series (invented numbers, not real figures)."""

from __future__ import annotations

from datetime import date

import pytest

from policykg.graph.analysis.progress import (
    Comparator,
    Point,
    Series,
    Status,
    TargetSpec,
    annual_growth,
    assess,
    select_target,
)

AS_OF = date(2024, 6, 1)
BASE = Point(date(2020, 3, 31), 100.0)
DUE = date(2026, 3, 31)  # FY2025 end; baseline FY2019 end: exactly 6 years apart


def up(target=200.0, **kw):
    return TargetSpec(target, DUE, **kw)


def obs(*pairs):
    return tuple(Point(date(y, 3, 31), v) for y, v in pairs)


# required CAGR 100 -> 200 over 6 years = 12.25 %/yr
CASES = [
    ("achieved", Series(BASE, (up(),), obs((2023, 210.0))), Status.ACHIEVED),
    ("on_track", Series(BASE, (up(),), obs((2023, 150.0))), Status.ON_TRACK),  # 14.5%/yr
    ("acceleration_needed", Series(BASE, (up(),), obs((2023, 125.0))), Status.ACCELERATION_NEEDED),  # 7.7%: R 0.63
    ("limited_progress", Series(BASE, (up(),), obs((2023, 110.0))), Status.LIMITED_PROGRESS),  # 3.2%: R 0.26
    ("deterioration", Series(BASE, (up(),), obs((2023, 90.0))), Status.DETERIORATION),
    ("no_data", Series(BASE, (up(),), ()), Status.NO_DATA),
    ("target_passed_no_data", Series(BASE, (TargetSpec(200.0, date(2023, 3, 31)),), ()), Status.TARGET_PASSED_NO_DATA),
    ("insufficient_data: no baseline, one observation",
     Series(None, (up(),), obs((2023, 150.0))), Status.INSUFFICIENT_DATA),
    ("no_target", Series(BASE, (), obs((2023, 150.0))), Status.NO_TARGET),
    ("observations after as_of are ignored", Series(BASE, (up(),), obs((2025, 500.0))), Status.NO_DATA),
    # lower is better (温室効果ガス-like): 100 -> 50 at most
    ("lower-is-better on track",
     Series(BASE, (up(50.0, comparator=Comparator.AT_MOST),), obs((2023, 70.0))), Status.ON_TRACK),
    ("lower-is-better deterioration",
     Series(BASE, (up(50.0, comparator=Comparator.AT_MOST),), obs((2023, 120.0))), Status.DETERIORATION),
    ("lower-is-better achieved",
     Series(BASE, (up(50.0, comparator=Comparator.AT_MOST),), obs((2023, 49.0))), Status.ACHIEVED),
    # 150%以上を維持 with a baseline of 166.6: achieved while >= 150, deterioration once below
    ("maintain held", Series(Point(date(2020, 3, 31), 166.6), (up(150.0, maintain=True),), obs((2023, 151.0))),
     Status.ACHIEVED),
    ("maintain lost", Series(Point(date(2020, 3, 31), 166.6), (up(150.0, maintain=True),), obs((2023, 149.0))),
     Status.DETERIORATION),
    # missing baseline: the first observation is the start
    ("no baseline, first observation is the start",
     Series(None, (up(),), obs((2021, 100.0), (2023, 150.0))), Status.ON_TRACK),
    # zero start: CAGR undefined, linear fallback 0 -> 5 over 4 years vs 0 -> 5 over 4 years
    ("zero baseline uses linear", Series(Point(date(2020, 3, 31), 0.0), (TargetSpec(5.0, date(2025, 3, 31)),),
                                        obs((2023, 3.0))), Status.ON_TRACK),
]


@pytest.mark.parametrize("name,series,expected", CASES, ids=[c[0] for c in CASES])
def test_status(name, series, expected):
    assert assess(series, as_of=AS_OF).status is expected


def test_ratio_is_observed_over_required_cagr():
    a = assess(Series(BASE, (up(),), obs((2023, 150.0))), as_of=AS_OF)
    years_obs = (date(2023, 3, 31) - BASE.date).days / 365.25
    observed = 1.5 ** (1 / years_obs) - 1
    required = 2.0 ** (1 / 6.0012) - 1
    assert a.method == "open-sdg-cagr"
    assert a.observed_growth == pytest.approx(observed)
    assert a.required_growth == pytest.approx(required, rel=1e-3)
    assert a.ratio == pytest.approx(observed / required, rel=1e-3)


def test_zero_baseline_falls_back_to_linear():
    a = assess(Series(Point(date(2020, 3, 31), 0.0), (TargetSpec(5.0, date(2025, 3, 31)),), obs((2023, 3.0))),
               as_of=AS_OF)
    assert a.method == "linear"
    assert a.observed_growth == pytest.approx(3.0 / ((date(2023, 3, 31) - date(2020, 3, 31)).days / 365.25))
    assert a.ratio == pytest.approx(1.0, rel=1e-3)  # 1 a year observed, 1 a year required


@pytest.mark.parametrize("observed,expected", [
    ((2021, 30.0), Status.ON_TRACK),            # 30 in 1 of 5 years vs 125/5 = 25 a year
    ((2021, 20.0), Status.ACCELERATION_NEEDED),  # R 0.8
    ((2021, 5.0), Status.LIMITED_PROGRESS),      # R 0.2
])
def test_period_target_sums_counts_in_the_period(observed, expected):
    # リスク分散による企業立地件数-like: 125 over R2~R6 (FY2020-FY2024); one yearly count observed
    target = TargetSpec(125.0, date(2025, 3, 31), period_start=date(2020, 4, 1))
    a = assess(Series(Point(date(2019, 3, 31), 73.0), (target,), obs(observed)), as_of=AS_OF)
    assert a.status is expected
    assert a.method == "period-sum-linear"


def test_period_target_achieved_by_cumulative_sum_and_ignores_outside_counts():
    target = TargetSpec(125.0, date(2025, 3, 31), period_start=date(2020, 4, 1))
    series = Series(None, (target,), obs((2020, 999.0), (2021, 40.0), (2022, 40.0), (2023, 50.0)))
    a = assess(series, as_of=AS_OF)
    assert a.status is Status.ACHIEVED
    assert a.latest.value == 130.0  # 2020-03-31 is before the period and is not counted
    assert len(a.used) == 3


def test_interim_then_final_target():
    interim, final = TargetSpec(1000.0, date(2025, 3, 31)), TargetSpec(1500.0, date(2028, 3, 31))
    series = Series(Point(date(2022, 3, 31), 500.0), (final, interim), obs((2024, 900.0)))
    assert assess(series, as_of=AS_OF).target == interim
    later = Series(series.baseline, series.targets, obs((2024, 900.0), (2025, 1100.0)))
    assert assess(later, as_of=date(2026, 1, 1)).target == final


def test_select_target_all_passed_takes_the_last():
    t1, t2 = TargetSpec(1.0, date(2020, 3, 31)), TargetSpec(2.0, date(2021, 3, 31))
    assert select_target((t2, t1), date(2030, 1, 1)) == t2
    assert select_target((), date(2030, 1, 1)) is None


def test_annual_growth_linear_and_cagr():
    a, b = Point(date(2020, 1, 1), 100.0), Point(date(2021, 1, 1), 110.0)
    assert annual_growth(a, b, method="linear") == pytest.approx(10.0 * 365.25 / 366)
    assert annual_growth(a, b, method="open-sdg-cagr") == pytest.approx(1.1 ** (365.25 / 366) - 1)


RANK = [Status.DETERIORATION, Status.LIMITED_PROGRESS, Status.ACCELERATION_NEEDED, Status.ON_TRACK, Status.ACHIEVED]


@pytest.mark.parametrize("comparator", [Comparator.AT_LEAST, Comparator.AT_MOST])
def test_a_better_latest_value_never_gives_a_worse_status(comparator):
    """Property (hypothesis): moving the latest value towards the target never lowers the status."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    sign = 1 if comparator is Comparator.AT_LEAST else -1

    @settings(max_examples=200, deadline=None)
    @given(base=st.floats(1, 1e6), gain=st.floats(0.01, 5), a=st.floats(-0.9, 3), b=st.floats(-0.9, 3))
    def check(base, gain, a, b):
        target = base * (1 + gain) if sign > 0 else base / (1 + gain)
        worse, better = sorted((a, b))
        def status(share):  # share of the way from base to target
            latest = base + share * (target - base)
            series = Series(Point(date(2020, 3, 31), base), (TargetSpec(target, DUE, comparator),),
                            (Point(date(2023, 3, 31), max(latest, 1e-9)),))
            return assess(series, as_of=AS_OF).status
        assert RANK.index(status(worse)) <= RANK.index(status(better))

    check()
