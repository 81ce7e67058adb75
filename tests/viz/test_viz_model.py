"""The network model read from a store: kinds, sides, labels, plans/areas, edges, statuses, links."""

from __future__ import annotations

from collections import Counter

import pytest

from policykg.viz.kinds import KINDS, MAX_NODE_SIZE, RELATIONS, STATUSES, kind_of, legend
from policykg.viz.model import QUERY_NAMES, load_viz_query

from project_paths import ROOT
from viz_support import sparql_count

ID = "https://w3id.org/policykg/id/"


def by_key(model, key):
    return next(n for n in model["nodes"] if n["key"] == key)


@pytest.mark.parametrize("kind, cls, expected", [
    ("measure", "pk:Measure", 3),
    ("direction", "pk:PolicyDirection", 2),
    ("area", "pk:PolicyArea", 2),
    ("phase", "pk:RoadmapPhase", 2),
    ("pillar", "pk:Pillar", 1),
    ("pillar_group", "pk:PillarGroup", 1),
])
def test_kind_counts_match_sparql(mini_model, mini_store, kind, cls, expected):
    counts = Counter(n["kind"] for n in mini_model["nodes"])
    assert counts[kind] == sparql_count(mini_store, cls) == expected


def test_every_drawable_entity_is_one_node(mini_model):
    ids = [n["id"] for n in mini_model["nodes"]]
    assert len(ids) == len(set(ids)) == 18
    counts = Counter(n["kind"] for n in mini_model["nodes"])
    assert counts == {"plan": 3, "pillar_group": 1, "pillar": 1, "national_item": 1, "area": 2,
                      "direction": 2, "measure": 3, "indicator": 3, "phase": 2}


SIZED_SHAPES = {"dot", "square", "diamond", "hexagon", "triangle", "triangleDown", "star"}
"""vis shapes whose size is their ``size`` option (label outside). Box, ellipse, circle and database
grow with their label: a long label made pillar groups huge purple cylinders (issue 11 item 8)."""


def test_kinds_have_distinct_colours_and_modest_shapes():
    assert len({k.color for k in KINDS}) == len(KINDS) == 10
    assert {k.shape for k in KINDS} <= SIZED_SHAPES


def test_node_size_by_role_is_bounded():
    size = {k.key: k.size for k in KINDS}
    assert max(size.values()) <= MAX_NODE_SIZE <= 30
    assert size["plan"] > size["pillar_group"] > size["pillar"] > size["national_item"] >= size["measure"]
    assert size["plan"] > size["area"] > size["direction"] > size["measure"]
    assert min(size.values()) >= 6                       # still a dot one can hover and click


def test_legend_names_kinds_in_words():
    kinds = legend()["kinds"]
    ja = {k["ja"] for k in kinds}
    for word in ("計画", "柱のグループ", "柱・基本戦略", "国の計画項目", "分野", "施策の展開方針", "主な取組", "指標",
                 "ロードマップの区分"):
        assert word in ja
    shapes = {"box", "database", "dot", "diamond", "hexagon", "square", "triangle", "triangledown", "star", "ellipse"}
    assert not any(k["ja"].lower() in shapes or k["en"].lower() in shapes for k in kinds)
    assert {k["en"] for k in kinds} >= {"Plan", "Measure", "Indicator", "Policy area", "Policy direction", "Roadmap row"}


def test_relation_words_match_the_pages():
    """The viz and the pages name the alignment relations alike: the ontology's labels (推進する / 寄与する)."""
    from policykg.words import t

    assert RELATIONS["Supports"][:2] == (t("rel_supports", "ja"), t("rel_supports", "en"))
    assert RELATIONS["ContributesTo"][:2] == (t("rel_contributes_to", "ja"), t("rel_contributes_to", "en"))
    assert RELATIONS["Supports"][:2] == ("推進する", "supports")


def test_specific_class_wins_over_national_item():
    from policykg.namespaces import PK

    assert kind_of({PK.NationalItem, PK.PillarGroup}) == "pillar_group"
    assert kind_of({PK.NationalItem, PK.NationalMeasure}) == "national_item"


@pytest.mark.parametrize("key, side, level", [
    ("digiden-strategy", "national", 0),
    ("kpi-k1", "national", 1),          # a national KPI sits by its plan, not among local indicators
    ("n-group1", "national", 1),
    ("n-item1", "national", 3),
    ("m-m1", "local", 4),
    ("testpref-area-1", "local", 8),
    ("plan", "local", 9),               # national plans on one side (0), the local plan on the other
])
def test_side_and_level(mini_model, key, side, level):
    node = by_key(mini_model, key)
    assert (node["side"], node["level"]) == (side, level)


def test_plans_and_areas_are_inherited_along_the_structure(mini_model):
    m2 = by_key(mini_model, "m-m2")   # listed under directions of both areas
    assert m2["plans"] == [ID + "testpref/plan"]
    assert m2["areas"] == [ID + "testpref/area/testpref-area-1", ID + "testpref/area/testpref-area-2"]
    i2 = by_key(mini_model, "i-i2")   # indicator -> direction 2a -> area 2
    assert i2["areas"] == [ID + "testpref/area/testpref-area-2"]
    item = by_key(mini_model, "n-item1")
    assert item["plans"] == [ID + "jp/plan/digiden-strategy"] and item["areas"] == []


def test_labels_ja_en_and_alt(mini_model):
    area = by_key(mini_model, "testpref-area-1")
    assert area["label"] == {"ja": "暮らし", "en": "Living"}
    direction = by_key(mini_model, "testpref-dir-1a")
    assert direction["label"]["en"] is None
    assert direction["alt"] == ["安心で質の高い医療・福祉サービスの強化"]
    assert "安心で質の高い医療・福祉サービスの強化" in direction["search"]


def test_source_location(mini_model):
    assert by_key(mini_model, "m-m1")["loc"] == [{"slide": 13, "section": "道の取組（①暮らし）", "line": 377}]


def test_alignment_edges_carry_evidence_score_and_rationale(mini_model):
    aligned = {e["id"].rsplit("/", 1)[-1]: e for e in mini_model["edges"] if e["ev"] != "structure"}
    assert set(aligned) == {"al-curated1", "al-inferred1", "al-inferred2", "al-stated1"}
    assert aligned["al-inferred1"]["score"] == 0.42 and aligned["al-inferred1"]["rel"] == "ContributesTo"
    assert aligned["al-curated1"]["ev"] == "curated" and aligned["al-curated1"]["score"] is None
    assert aligned["al-curated1"]["rationale"] == {"ja": "鳥獣害対策にICTを使う", "en": "uses ICT against wildlife damage"}
    assert aligned["al-stated1"]["from"].endswith("testpref-dir-2a")   # local -> national


def test_structure_edges_point_child_to_parent_without_duplicates(mini_model):
    structure = [(e["from"].rsplit("/", 1)[-1], e["to"].rsplit("/", 1)[-1], e["rel"])
                 for e in mini_model["edges"] if e["ev"] == "structure"]
    pairs = [(a, b) for a, b, _ in structure]
    assert len(pairs) == len(set(pairs))
    # skos:broader repeats pk:direction; the specific relation is kept, once
    assert ("m-m1", "testpref-dir-1a", "direction") in structure
    # plan pk:hasArea area is flipped to area -> plan
    assert ("testpref-area-1", "plan", "topConceptOf") in structure
    assert ("phase-p1", "phase-p2", "transition") in structure
    assert len({e["id"] for e in mini_model["edges"]}) == len(mini_model["edges"])


def test_indicator_status_is_the_latest_assessment(mini_model):
    assert by_key(mini_model, "i-i1")["status"] == "StatusOnTrack"        # 2026 beats 2024's AccelerationNeeded
    assert by_key(mini_model, "i-i2")["status"] is None                   # grey
    assert set(STATUSES) >= {"StatusAchieved", "StatusOnTrack", "StatusTargetPassedNoData", "StatusNoData"}


def test_links_use_the_url_builder(mini_model):
    m1 = by_key(mini_model, "m-m1")
    assert m1["url"] == "/id/testpref/measure/m-m1"
    assert m1["trace"] == "/api/measures/m-m1/trace" and m1["supporters"] is None
    item = by_key(mini_model, "n-item1")
    assert item["supporters"] == "/api/national-items/n-item1/supporters" and item["trace"] is None


def test_canned_queries_have_headers():
    for name in QUERY_NAMES:
        text = load_viz_query(name)
        assert "# title:" in text and "# description:" in text and "SELECT" in text


def test_nothing_in_viz_is_hard_wired_to_one_jurisdiction():
    root = ROOT / "viz"
    for path in root.rglob("*"):
        if path.suffix in {".py", ".rq", ".js", ".html", ".css"}:
            text = path.read_text(encoding="utf-8")
            assert "北海道" not in text and "hokkaido" not in text.lower(), path
