"""Each gap query on tests/gaps/data/mini.ttl; the expected answers are worked out in the comments there.

Support rule under test: a stated or curated alignment of a MEASURE to the item or any sub-item;
inferred suggestions and alignments of directions never count.
"""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from policykg.graph.analysis.progress_store import compute_progress, record_progress, run_select
from policykg.graph.queries import load_query, query_names
from policykg.namespaces import PK

ID = "https://w3id.org/policykg/id/"

OWN_QUERIES = [
    "national-items-without-measures", "measures-without-alignment", "directions-without-numeric-indicator",
    "indicators-without-baseline", "indicators-without-target", "indicators-past-target-without-observation",
    "coverage-matrix", "roadmap-rows-without-measure-or-indicator", "roadmap-phases-without-measure-or-indicator",
    "indicator-status", "progress-indicators", "progress-targets", "progress-observations",
]

EXPECTED = {
    # n2 (under p1, no measure), n3 (only an inferred suggestion), r1 (only a direction is aligned)
    "national-items-without-measures": ("item", {"jp/digiden-strategy/n-n2", "jp/digiden-strategy/n-n3", "jp/juten-keikaku/n-r1"}),
    # m-2 has only an inferred suggestion, m-4 nothing
    "measures-without-alignment": ("measure", {"testpref/measure/m-2", "testpref/measure/m-4"}),
    # 1b has only a qualitative indicator
    "directions-without-numeric-indicator": ("direction", {"testpref/direction/testpref-dir-1b"}),
    "indicators-without-baseline": ("indicator", {"testpref/indicator/i-3"}),
    "indicators-without-target": ("indicator", {"testpref/indicator/i-4"}),
    # row-1 corresponds to 1a (which has measures); row-2 corresponds to nothing
    "roadmap-rows-without-measure-or-indicator": ("row", {"testpref/roadmap/row-2"}),
    # phase-1 is an initial focus with no direction
    "roadmap-phases-without-measure-or-indicator": ("phase", {"testpref/roadmap/phase-1"}),
}


@pytest.mark.parametrize("name", OWN_QUERIES)
def test_every_query_has_a_bilingual_header(name):
    q = load_query(name)
    assert name in query_names()
    assert q.title and q.title_en and q.title != q.title_en
    assert q.description and q.description_en
    assert "PREFIX" not in q.text.split("SELECT", 1)[1]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_gap_query_on_mini(mini, name):
    key, expected = EXPECTED[name]
    rows = run_select(mini, name)
    assert {str(r[key])[len(ID):] for r in rows} == expected


def test_national_items_carry_plan_and_pillar(mini_ox):
    rows = {str(r["item"])[len(ID):]: r for r in run_select(mini_ox, "national-items-without-measures")}
    assert str(rows["jp/digiden-strategy/n-n2"]["pillarLabel"]) == "デジタル基盤整備"
    assert str(rows["jp/digiden-strategy/n-n3"]["planLabel"]) == "デジタル田園都市国家構想総合戦略"
    assert "pillar" not in rows["jp/juten-keikaku/n-r1"]


@pytest.mark.parametrize("as_of,expected", [
    ("2026-03-30", set()),                        # i-1 due 2026-03-31: not yet passed
    ("2026-04-01", {"testpref/indicator/i-1"}),   # passed; its only observation is from 2023
    ("2031-04-01", {"testpref/indicator/i-1", "testpref/indicator/i-3"}),
])
def test_past_target_without_observation(mini, as_of, expected):
    rows = run_select(mini, "indicators-past-target-without-observation",
                      {"asOf": Literal(as_of, datatype=XSD.date)})
    assert {str(r["indicator"])[len(ID):] for r in rows} == expected


def test_coverage_matrix_counts_measures_per_pillar_and_area(mini):
    cells = {(str(r["pillarLabel"]), str(r["areaLabel"])): int(r["measures"].toPython())
             for r in run_select(mini, "coverage-matrix")}
    assert cells == {("デジタル基盤整備", "暮らし"): 1, ("デジタル基盤整備", "産業<b>"): 0,
                     ("地方に仕事をつくる", "暮らし"): 0, ("地方に仕事をつくる", "産業<b>"): 1}


def test_indicator_status_rederives_recorded_statuses(mini):
    as_of = date(2024, 6, 1)
    results = compute_progress(mini, as_of=as_of)
    record_progress(mini, results, as_of=as_of, validate=False)  # mini.ttl is not a complete graph
    rows = run_select(mini, "indicator-status", {"asOf": Literal(as_of.isoformat(), datatype=XSD.date)})
    assert len(rows) == 3
    for row in rows:
        assert row["recorded"] == row["derived"], row
    by_label = {str(r["label"]): r["recorded"] for r in rows}
    assert by_label == {"遠隔医療件数": PK.StatusOnTrack, "スマート農業導入率": PK.StatusNoData, "農業産出額": PK.StatusNoTarget}


def test_recording_twice_replaces_the_same_date_and_keeps_others(mini_ox):
    for day in (date(2024, 6, 1), date(2024, 6, 1), date(2025, 6, 1)):
        record_progress(mini_ox, compute_progress(mini_ox, as_of=day), as_of=day, validate=False)
    rows = run_select(mini_ox, "indicator-status")
    assert sorted(str(r["asOf"]) for r in rows) == ["2024-06-01"] * 3 + ["2025-06-01"] * 3
