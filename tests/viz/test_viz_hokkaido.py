"""The network of the real bundled graph, checked against the source deck
(data/sources/hokkaido-society5-fy2023-secretariat-deck.txt, slides 13-17 and the 評価の視点 tables)."""

from __future__ import annotations

from collections import Counter

import pytest

from policykg.namespaces import sparql_prefixes
from policykg.viz.filters import apply_filters, make_filter
from policykg.viz.model import build_network

from viz_support import sparql_count


@pytest.fixture(scope="module")
def model(hokkaido_store):
    return build_network(hokkaido_store)


@pytest.mark.parametrize("kind, classes, in_deck", [
    ("area", "pk:PolicyArea", 5),                 # (1)..(5)
    ("direction", "pk:PolicyDirection", 18),      # 6 + 5 + 2 + 2 + 3 rows
    ("measure", "pk:Measure", 39),                # 42 checkboxes, 3 of them （再掲）
    ("indicator", "pk:NumericIndicator pk:QualitativeIndicator", 37),   # 30 local + 7 デジ田 KPIs (data/national)
    ("phase", "pk:RoadmapPhase", 23),             # roadmap (slide 1): 5 initial foci + 18 plan-direction phases
    ("roadmap_row", "pk:RoadmapRow", 13),         # roadmap (slide 1): 医療・福祉 … デジタル人材の育成・確保
])
def test_counts_match_the_deck_and_sparql(model, hokkaido_store, kind, classes, in_deck):
    drawn = sum(1 for n in model["nodes"] if n["kind"] == kind)
    assert drawn == sparql_count(hokkaido_store, classes)
    if in_deck is not None:
        assert drawn == in_deck


def test_national_plans_left_local_plan_right(model):
    plans = {n["label"]["ja"]: n for n in model["nodes"] if n["kind"] == "plan"}
    assert plans["デジタル社会の実現に向けた重点計画"]["level"] == 0
    assert plans["デジタル田園都市国家構想総合戦略"]["side"] == "national"
    local = [n for n in plans.values() if n["side"] == "local"]
    assert len(local) == 1 and local[0]["level"] == max(n["level"] for n in model["nodes"])


def test_repeated_measure_spans_two_areas(model):
    maas = next(n for n in model["nodes"] if n["label"]["ja"] == "北海道型のMaaSの展開")
    assert len(maas["areas"]) == 2          # (1)(d) and （再掲） under (2)(d)
    near = apply_filters(model, make_filter(focus="北海道型の MaaS の展開", hops=1))
    directions = sorted(n["label"]["ja"] for n in near["nodes"] if n["kind"] == "direction")
    assert directions == ["住民の暮らしに欠かせない地域交通の安定的な確保", "多彩な地域資源を活かした世界が憧れる観光立国北海道の更なる推進"]


def test_area_filter_keeps_its_measures(model):
    kept = apply_filters(model, make_filter(areas="暮らし", kinds="measure"))
    # slide 13: 2 + 2 + 1 + 2 + 2 + 4 measures under (a)..(f)
    assert len(kept["nodes"]) == 13


def test_every_measure_has_a_source_line(model):
    measures = [n for n in model["nodes"] if n["kind"] == "measure"]
    assert all(n["loc"] and n["loc"][0]["line"] for n in measures)
    tele = next(n for n in measures if n["label"]["ja"] == "遠隔医療・遠隔介護等の推進")
    assert tele["loc"][0]["line"] == 375


def test_kinds_are_all_known(model):
    assert set(Counter(n["kind"] for n in model["nodes"])) <= {
        "plan", "pillar_group", "pillar", "national_item", "area", "direction", "measure", "indicator", "phase",
        "roadmap_row"}


def test_every_measure_alignment_is_an_edge(model, hokkaido_store):
    query = sparql_prefixes() + """SELECT ?ev (COUNT(DISTINCT ?al) AS ?n) WHERE {
        ?al a pk:Alignment ; pk:localItem ?m ; pk:evidence ?ev . ?m a pk:Measure } GROUP BY ?ev"""
    expected = {str(r["ev"]).rsplit("#", 1)[-1].lower(): int(r["n"]) for r in hokkaido_store.query(query).rows}
    measures = {n["id"] for n in model["nodes"] if n["kind"] == "measure"}
    drawn = Counter(e["ev"] for e in model["edges"] if e["ev"] != "structure" and e["from"] in measures)
    assert drawn == expected


def test_edge_lists_come_in_a_fixed_order(model):
    """Same store, same page: transition edges (7 in the deck) are sorted like the alignment edges."""
    transitions = [e["id"] for e in model["edges"] if e["rel"] == "transition"]
    assert len(transitions) == 7 and transitions == sorted(transitions)


def test_roadmap_rows_corresponds_to_edges_are_drawn(model, hokkaido_store):
    """Issue 11 item 8: each row -> the direction whose wording contains it (11 links from 13 rows, slide 1)."""
    query = sparql_prefixes() + "SELECT ?row ?d WHERE { ?row a pk:RoadmapRow ; pk:correspondsTo ?d }"
    expected = {(str(r["row"]), str(r["d"])) for r in hokkaido_store.query(query).rows}
    rows = {n["id"]: n for n in model["nodes"] if n["kind"] == "roadmap_row"}
    drawn = {(e["from"], e["to"]) for e in model["edges"] if e["rel"] == "correspondsTo" and e["from"] in rows}
    assert len(expected) == 11 and drawn == expected
    kinds = {n["id"]: n["kind"] for n in model["nodes"]}
    assert {kinds[to] for _, to in drawn} == {"direction"}
    by_label = {n["label"]["ja"]: n for n in rows.values()}
    assert by_label["データの利活用"]["areas"] and by_label["教育"]["areas"]     # every row sits in its area
