"""The local plan: areas, directions, measures, wording variants, 再掲, provenance (slides 12–17, 20–21)."""

from __future__ import annotations

import pytest
from rdflib import Literal

from policykg.ids import digest, entity_iri
from policykg.namespaces import PK

SRC = entity_iri("source", "hokkaido-society5-fy2023-secretariat-deck")
PLAN = entity_iri("hokkaido", "plan", "hokkaido-plan")


@pytest.mark.parametrize(("cls", "count"), [
    ("LocalPlan", 1), ("PolicyArea", 5), ("PolicyDirection", 18), ("Measure", 39),
    ("NumericIndicator", 21), ("QualitativeIndicator", 9), ("Baseline", 20), ("Target", 21),
])
def test_counts(q, cls, count) -> None:
    prefix = Literal(str(entity_iri("hokkaido", "x"))[:-1])
    rows = q(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a pk:{cls} . FILTER(STRSTARTS(STR(?x), ?prefix)) }}", prefix=prefix)
    assert rows == [(count,)]


@pytest.mark.parametrize(("n", "label", "en", "goal"), [
    (1, "暮らし", "Living", "未来技術を活用して将来にわたり安全・安心で豊かな生活の実現"),
    (2, "産業", "Industry", "未来技術を活用した産業振興と多様な主体の連携による新たな価値創造"),
    (3, "行政", "Administration", "未来技術の活用を前提とした仕組みづくり"),
    (4, "データの利活用", "Data utilisation", "データの共有と活用の仕組みづくり"),
    (5, "基盤整備", "Infrastructure", "未来技術を支える社会的・人的基盤の整備"),
])
def test_areas(q, n, label, en, goal) -> None:
    iri = entity_iri("hokkaido", "area", f"hokkaido-area-{n}")
    rows = q("SELECT ?ja ?en ?goal ?o WHERE { ?a skos:prefLabel ?ja , ?en ; pk:goal ?goal ; pk:ordinal ?o ; skos:topConceptOf ?plan "
             "FILTER(lang(?ja)='ja' && lang(?en)='en') }", a=iri, plan=PLAN)
    assert rows == [(label, en, goal, n)]


def test_directions_per_area(q) -> None:
    rows = q("SELECT ?n (COUNT(?d) AS ?c) WHERE { ?d a pk:PolicyDirection ; pk:area/pk:ordinal ?n } GROUP BY ?n ORDER BY ?n")
    assert rows == [(1, 6), (2, 5), (3, 2), (4, 2), (5, 3)]


@pytest.mark.parametrize(("notation", "pref", "alt"), [
    ("1a", "安全で質の高い医療・福祉サービスの強化", "安心で質の高い医療・福祉サービスの強化"),
    ("1d", "住民の暮らしに欠かせない地域交通の安定的な確保", "住民の暮らしに欠かせない地域交通・物流の安定的な確保"),
])
def test_direction_wording_variants_are_alt_labels(q, notation, pref, alt) -> None:
    rows = q("SELECT ?p ?a WHERE { ?d skos:notation ?n ; a pk:PolicyDirection ; skos:prefLabel ?p ; skos:altLabel ?a }",
             n=Literal(notation))
    assert (pref, alt) in rows


def test_spacing_and_footnote_variants_are_not_new_labels(q) -> None:
    # 「北海道 Society5.0」 (ref tables) vs 「北海道Society5.0」; 観光立国… <sup>55</sup>
    for notation in ("2c", "2d", "5a", "5b", "5c"):
        assert q("SELECT ?a WHERE { ?d a pk:PolicyDirection ; skos:notation ?n ; skos:altLabel ?a }", n=Literal(notation)) == [], notation


@pytest.mark.parametrize(("label", "directions"), [
    ("北海道型のMaaSの展開", ["1d", "2d"]),
    ("建設現場でのICT活用の普及", ["1f", "2e"]),
    ("データ利活用人材の育成", ["4a", "5c"]),
    ("遠隔医療・遠隔介護等の推進", ["1a"]),
    ("個人情報流出防止対策", ["5b"]),
])
def test_reposted_measures_are_one_entity(q, label, directions) -> None:
    iri = entity_iri("hokkaido", "measure", f"m-{digest(label)}")
    rows = q("SELECT ?n WHERE { ?m pk:direction ?d . ?m skos:broader ?d . ?d skos:notation ?n } ORDER BY ?n", m=iri)
    assert [r[0] for r in rows] == directions
    assert q("SELECT ?l WHERE { ?m skos:prefLabel ?l }", m=iri) == [(label,)]


def test_no_measure_label_keeps_noise(q) -> None:
    for (label,) in q("SELECT ?l WHERE { ?m a pk:Measure ; skos:prefLabel ?l }"):
        assert "再掲" not in label and not label.endswith(("など", "ほか")) and "<" not in label and "□" not in label


@pytest.mark.parametrize(("kind", "label", "slide", "line", "section_part"), [
    ("measure", "遠隔医療・遠隔介護等の推進", 13, 375, "道の取組（①暮らし）"),
    ("measure", "北海道型のMaaSの展開", 14, 390, "道の取組（②産業）"),
    ("measure", "データ利活用人材の育成", 17, 427, "道の取組（⑤基盤整備）"),
    ("indicator", "自動運転実証試験件数", 20, 479, "参考資料"),
    ("indicator", "道内IT企業従業員数の増加", 21, 547, "基盤整備」の分野"),
])
def test_source_locations(q, kind, label, slide, line, section_part) -> None:
    iri = entity_iri("hokkaido", kind, f"{kind[0]}-{digest(label)}")
    rows = q("SELECT ?s ?sec ?doc WHERE { ?x pk:sourceLocation ?l ; prov:wasDerivedFrom ?doc . ?l pk:slide ?s ; pk:section ?sec ; pk:line ?ln ; pk:document ?doc }",
             x=iri, ln=Literal(line))
    assert len(rows) == 1, rows
    assert rows[0][0] == slide and section_part in rows[0][1] and rows[0][2] == SRC


def test_direction_seen_in_three_places_has_three_locations(q) -> None:
    rows = q("SELECT ?ln WHERE { ?d skos:notation '1a' ; a pk:PolicyDirection ; pk:sourceLocation/pk:line ?ln } ORDER BY ?ln")
    assert [r[0] for r in rows] == [25, 375, 466]


def test_plan_and_source(q) -> None:
    assert q("SELECT ?l ?j WHERE { ?p a pk:LocalPlan, skos:ConceptScheme ; skos:prefLabel ?l ; pk:jurisdiction ?j ; pk:realizes ?v }",
             p=PLAN, v=entity_iri("jp", "society5")) == [
        ("北海道Society5.0推進計画", "北海道")]
    rows = q("SELECT ?t ?fy ?f WHERE { ?s a pk:SourceDocument ; dcterms:title ?t ; pk:fiscalYear ?fy ; pk:fileName ?f }", s=SRC)
    assert len(rows) == 1 and rows[0][0] == "令和5年度の取組について (事務局案)" and str(rows[0][1]).startswith("2023")


def test_every_entity_has_provenance(deck_graph) -> None:
    from policykg.namespaces import PROV, SKOS
    for s in set(deck_graph.subjects(SKOS.prefLabel, None)):
        assert (s, PROV.wasDerivedFrom, SRC) in deck_graph, s
        assert (s, PK.sourceLocation, None) in deck_graph, s
