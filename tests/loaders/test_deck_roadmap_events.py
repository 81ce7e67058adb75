"""Roadmap (slide 1) and meetings / schedule / publicity (slides 18–19)."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Literal

ROWS = [
    ("暮らし", "医療・福祉"), ("暮らし", "教育"), ("暮らし", "地域生活"),
    ("産業", "農林水産業"), ("産業", "地場産業"), ("産業", "研究開発"),
    ("行政", "利用者視点のデジタル化"), ("行政", "マイナンバー制度"),
    ("データの利活用", "オープンデータの推進"), ("データの利活用", "データの利活用"),
    ("基盤整備", "情報通信基盤の整備"), ("基盤整備", "セキュリティ対策"), ("基盤整備", "デジタル人材の育成・確保"),
]


def test_roadmap_rows(q) -> None:
    rows = q("""SELECT ?o ?a ?l WHERE { ?r a pk:Roadmap ; pk:hasRow ?row . ?row pk:ordinal ?o ; skos:prefLabel ?l ;
             pk:area/skos:prefLabel ?a FILTER(lang(?a)='ja') } ORDER BY ?o""")
    assert [(a, l) for _, a, l in rows] == ROWS and [r[0] for r in rows] == list(range(1, 14))


# Each field against the directions of its area (slides 13–17), worked out by reading both:
# a field corresponds where a direction's wording contains it.
ROW_DIRECTIONS = {
    "医療・福祉": {"1a"}, "教育": set(), "地域生活": set(),
    "農林水産業": {"2a"}, "地場産業": set(), "研究開発": {"2c"},
    "利用者視点のデジタル化": {"3a"}, "マイナンバー制度": {"3b"},
    "オープンデータの推進": {"4a"}, "データの利活用": {"4a", "4b"},
    "情報通信基盤の整備": {"5a"}, "セキュリティ対策": {"5b"}, "デジタル人材の育成・確保": {"5c"},
}


def test_roadmap_rows_correspond_to_the_directions_that_repeat_their_wording(q) -> None:
    rows = q("""SELECT ?l ?n WHERE { ?row a pk:RoadmapRow ; skos:prefLabel ?l .
             OPTIONAL { ?row pk:correspondsTo/skos:notation ?n } }""")
    found: dict[str, set[str]] = {}
    for label, notation in rows:
        found.setdefault(str(label), set())
        if notation is not None:
            found[str(label)].add(str(notation))
    assert found == ROW_DIRECTIONS


def test_roadmap_period_and_plan_period(q) -> None:
    for path in ("?x a pk:Roadmap ; pk:period ?i", "?x a pk:LocalPlan ; pk:planPeriod ?i"):
        rows = q(f"SELECT ?b ?e WHERE {{ {path} . ?i time:hasBeginning/time:inXSDDate ?b ; time:hasEnd/time:inXSDDate ?e }}")
        assert rows == [(date(2021, 4, 1), date(2031, 3, 31))], path


INITIAL = [
    (1, "感染症の流行に備えた対策", "1a"),
    (2, "経済活動への影響対策", "2a"),
    (3, "行政のデジタル化の推進", "3a"),
    (4, "接触確認アプリ等を通じた感染まん延の防止", "4a"),
    (5, "光ファイバ整備を通じた情報通信基盤の確保", "5a"),
]


@pytest.mark.parametrize(("area", "label", "to"), INITIAL)
def test_initial_focus_transitions(q, area, label, to) -> None:
    rows = q("""SELECT ?n WHERE { ?f a pk:RoadmapPhase ; skos:prefLabel ?l ; pk:phaseKind pk:InitialFocus ; pk:area/pk:ordinal ?a .
             ?t a pk:Transition ; pk:fromPhase ?f ; pk:toPhase/pk:correspondsTo/skos:notation ?n }""",
             l=Literal(label, lang="ja"), a=Literal(area))
    assert rows == [(to,)]


def test_every_direction_has_a_roadmap_phase(q) -> None:
    rows = q("SELECT DISTINCT ?n WHERE { ?p a pk:RoadmapPhase ; pk:phaseKind pk:PlanDirectionPhase ; pk:correspondsTo/skos:notation ?n }")
    assert len(rows) == 18
    assert q("SELECT (COUNT(?p) AS ?c) WHERE { ?p a pk:RoadmapPhase ; pk:phaseKind pk:InitialFocus }") == [(len(INITIAL),)]


def test_phase_label_with_space_is_one_phase(q) -> None:
    rows = q("SELECT ?n WHERE { ?p a pk:RoadmapPhase ; skos:prefLabel ?l ; pk:correspondsTo/skos:notation ?n }",
             l=Literal("多彩な地域資源を活かした世界が憧れる観光立国北海道の更なる推進", lang="ja"))
    assert rows == [("2d",)]


def test_shorter_roadmap_wording_is_alt_label(q) -> None:
    rows = q("SELECT ?a WHERE { ?d a pk:PolicyDirection ; skos:notation '2b' ; skos:altLabel ?a }")
    assert rows == [("地域経済を支える中小・小規模企業の産業力強化",)]


@pytest.mark.parametrize(("label", "day", "fy"), [("第1回会議", date(2022, 5, 31), "2022"), ("第2回会議", date(2023, 2, 28), "2022")])
def test_meetings(q, label, day, fy) -> None:
    rows = q("SELECT ?d ?fy ?s WHERE { ?m a pk:Meeting ; skos:prefLabel ?l ; pk:fiscalYear ?fy ; pk:scheduledTime/time:inXSDDate ?d ; pk:sourceLocation/pk:slide ?s }",
             l=Literal(label, lang="ja"))
    assert len(rows) == 1 and rows[0][0] == day and str(rows[0][1]).startswith(fy) and rows[0][2] == 19


def test_working_group_schedule(q) -> None:
    rows = q("""SELECT ?b ?e ?o ?d WHERE { ?s a pk:ScheduleItem ; skos:prefLabel "各ワーキンググループによる重点事項の検討"@ja ;
             pk:scheduledTime ?i ; dcterms:description ?d . ?i time:hasBeginning/time:inXSDDate ?b ; time:hasEnd/time:inXSDDate ?e ; pk:originalText ?o }""")
    assert rows == [(date(2022, 5, 1), date(2022, 12, 31), "5月～12月", "ワーキンググループは3～4回の会合を実施")]
    assert q("SELECT (COUNT(?w) AS ?n) WHERE { ?w a pk:WorkingGroup }") == [(1,)]


def test_publicity(q) -> None:
    rows = q("SELECT ?l ?d ?s WHERE { ?a a pk:PublicityActivity ; skos:prefLabel ?l ; dcterms:description ?d ; pk:sourceLocation/pk:slide ?s }")
    assert len(rows) == 3 and {r[2] for r in rows} == {18}
    panel = next(r for r in rows if r[0].startswith("「北海道Society5.0」推進のパネル"))
    assert "令和3年度は広報紙「ほっかいどう」" in panel[1]


def test_phase_and_transition_counts(q) -> None:
    assert q("SELECT (COUNT(?p) AS ?n) WHERE { ?r a pk:Roadmap ; pk:hasPhase ?p }") == [(23,)]
    rows = q("SELECT ?a (COUNT(?t) AS ?n) WHERE { ?t a pk:Transition ; pk:area/pk:ordinal ?a } GROUP BY ?a ORDER BY ?a")
    assert rows == [(1, 2), (2, 2), (3, 1), (4, 1), (5, 1)]


def test_direction_to_direction_arrow_is_kept(q) -> None:
    rows = q("""SELECT ?from ?to WHERE { ?t a pk:Transition ; pk:fromPhase/pk:correspondsTo/skos:notation ?from ;
             pk:toPhase/pk:correspondsTo/skos:notation ?to }""")
    assert sorted(rows) == [("1c", "1d"), ("2c", "2d")]
