"""National side (slides 2–11): plans, laws, agencies, dates, editions, items, KPI, relations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Literal

from policykg.ids import entity_iri

JUTEN, DIGIDEN, DXPLAN, GUIDE = (entity_iri("jp", "plan", k) for k in
                                 ("juten-keikaku", "digiden-strategy", "jichitai-dx-plan", "jichitai-dx-guide"))


def test_four_plans_with_registry_keys(q) -> None:
    rows = q("SELECT ?p ?cls WHERE { ?p a pk:PolicyDocument , ?cls . FILTER(?cls IN (pk:NationalPlan, pk:Guideline)) }")
    assert {(p, str(c).rsplit("#", 1)[-1]) for p, c in rows} == {
        (JUTEN, "NationalPlan"), (DIGIDEN, "NationalPlan"), (DXPLAN, "NationalPlan"), (GUIDE, "Guideline")}


@pytest.mark.parametrize(("plan", "laws", "agencies"), [
    (JUTEN, {"デジタル社会形成基本法", "官民データ活用推進基本法"}, {"デジタル庁"}),
    (DIGIDEN, {"まち・ひと・しごと創生法"}, {"内閣府"}),
    (DXPLAN, set(), set()),
    (GUIDE, set(), {"総務省"}),
])
def test_laws_and_agencies(q, plan, laws, agencies) -> None:
    got_laws = {r[0] for r in q("SELECT ?l WHERE { ?p pk:legalBasis ?x . ?x a pk:Law ; skos:prefLabel ?l FILTER(lang(?l)='ja') }", p=plan)}
    got_ag = {r[0] for r in q("SELECT ?l WHERE { ?p pk:responsibleAgency ?x . ?x a pk:Agency ; skos:prefLabel ?l FILTER(lang(?l)='ja') }", p=plan)}
    assert (got_laws, got_ag) == (laws, agencies)


@pytest.mark.parametrize(("plan", "prop", "original", "day"), [
    (JUTEN, "decided", "令和4年6月", date(2022, 6, 30)),
    (DXPLAN, "revised", "令和4年9月", date(2022, 9, 30)),
    (GUIDE, "revised", "令和4年9月", date(2022, 9, 30)),
    (GUIDE, "created", "令和3年7月", date(2021, 7, 31)),
])
def test_plan_dates(q, plan, prop, original, day) -> None:
    rows = q(f"SELECT ?o ?d ?u WHERE {{ ?p pk:{prop} ?t . ?t a time:Instant ; pk:originalText ?o ; time:inXSDDate ?d ; time:unitType ?u }}", p=plan)
    assert len(rows) == 1 and rows[0][:2] == (original, day) and str(rows[0][2]).endswith("unitMonth")


def test_decision_type_and_editions(q) -> None:
    assert q("SELECT ?t WHERE { ?p pk:decisionType ?t }", p=JUTEN) == [("閣議決定",)]
    assert q("SELECT ?e WHERE { ?p pk:edition ?e }", p=DXPLAN) == [("第2版",)]
    assert q("SELECT ?e WHERE { ?p pk:edition ?e }", p=GUIDE) == [("第2.0版",)]


def test_digiden_period_fy2023_to_fy2027(q) -> None:
    rows = q("SELECT ?b ?e WHERE { ?p pk:planPeriod ?i . ?i time:hasBeginning/time:inXSDDate ?b ; time:hasEnd/time:inXSDDate ?e }", p=DIGIDEN)
    assert rows == [(date(2023, 4, 1), date(2028, 3, 31))]


def test_national_kpi(q) -> None:
    rows = q("""SELECT ?l ?v ?u ?due ?o WHERE { ?k a pk:NumericIndicator ; pk:indicatorOf ?p ; skos:prefLabel ?l ; pk:hasTarget ?t .
             ?t qudt:numericValue ?v ; pk:unitText ?u ; pk:dueDate ?due ; pk:targetTime/pk:originalText ?o } ORDER BY ?due""", p=DIGIDEN)
    assert rows == [
        ("デジタル実装に取り組む地方公共団体", Decimal(1000), "団体", date(2025, 3, 31), "2024年度"),
        ("デジタル実装に取り組む地方公共団体", Decimal(1500), "団体", date(2028, 3, 31), "2027年度"),
    ]
    assert q("SELECT ?b WHERE { ?k pk:indicatorOf ?p ; pk:hasBaseline ?b }", p=DIGIDEN) == []


@pytest.mark.parametrize(("plan", "cls", "count"), [
    (JUTEN, "PrincipleGroup", 4),      # 理念・原則, 基本原則, 10原則, オンライン化3原則
    (JUTEN, "Principle", 16),          # 誰一人…, 業務改革…, クラウド…, 10 + 3
    (JUTEN, "StrategyGroup", 1),
    (JUTEN, "BasicStrategy", 7),
    (DIGIDEN, "PillarGroup", 2),
    (DIGIDEN, "Pillar", 7),            # 3 基礎条件 + 4 社会課題解決
    (DIGIDEN, "NationalMeasure", 31),  # 5+3+5 and 5+4+3+6 (□ lines split)
    (DXPLAN, "RevisionPoint", 5),
    (GUIDE, "ProcedureStep", 4),
])
def test_national_item_counts(q, plan, cls, count) -> None:
    rows = q(f"SELECT (COUNT(?i) AS ?n) WHERE {{ ?i a pk:{cls}, pk:NationalItem ; pk:inPlan ?p ; skos:inScheme ?p }}", p=plan)
    assert rows == [(count,)]


@pytest.mark.parametrize("pair", [("スタートアップ・エコシステムの確立", "中小・中堅企業DX"),
                                  ("スマート農林水産業・食品産業", "観光DX"),
                                  ("まちづくりDX", "地域資源を活かした個性あふれる地域づくり")])
def test_joined_items_are_split(q, pair) -> None:
    for label in pair:
        assert q("SELECT ?i WHERE { ?i a pk:NationalMeasure ; skos:prefLabel ?l }", l=Literal(label, lang="ja")), label


@pytest.mark.parametrize(("label", "description_start"), [
    ("デジタルファースト", "個々の手続・サービスが一貫してデジタルで完結"),
    ("誰一人取り残されない", "個々人の多種多様な環境やニーズを踏まえて"),
    ("クラウド・バイ・デフォルト", "迅速・柔軟に情報システム整備を進めるための"),
    ("Web3.0の推進", "ブロックチェーン等の分散台帳技術"),
    ("②デジタル人材の確保・育成", "外部デジタル人材確保のための方向性を策定し"),
])
def test_item_descriptions(q, label, description_start) -> None:
    rows = q("SELECT ?d WHERE { ?i a pk:NationalItem ; skos:prefLabel ?l ; dcterms:description ?d }", l=Literal(label, lang="ja"))
    assert len(rows) == 1 and rows[0][0].startswith(description_start)


def test_ten_principles_in_order(q) -> None:
    rows = q("""SELECT ?o ?l WHERE { ?g skos:prefLabel "デジタル社会を形成するための10原則"@ja . ?i skos:broader ?g ;
             a pk:Principle ; pk:ordinal ?o ; skos:prefLabel ?l } ORDER BY ?o""")
    assert [r[0] for r in rows] == list(range(1, 11))
    assert rows[0][1] == "オープン・透明" and rows[-1][1] == "飛躍・国際貢献"


@pytest.mark.parametrize(("pref", "alt"), [
    ("サイバーセキュリティ等の安全・安心の確保", "サイバーセキュリティー等の安全・安心の確保"),
    ("デジタル社会の実現に向けた構造改革", "デジタル社会実現に向けた構造改革"),
])
def test_overview_short_names_are_alt_labels(q, pref, alt) -> None:
    rows = q("SELECT ?a ?ln WHERE { ?i a pk:BasicStrategy ; skos:prefLabel ?p ; skos:altLabel ?a ; pk:sourceLocation/pk:slide ?ln }",
             p=Literal(pref, lang="ja"))
    assert {r[0] for r in rows} == {alt} and {r[1] for r in rows} == {3, 6}


def test_procedure_steps(q) -> None:
    rows = q("SELECT ?o ?l (COUNT(?c) AS ?n) WHERE { ?s a pk:ProcedureStep ; pk:ordinal ?o ; skos:prefLabel ?l ; pk:checkpoint ?c } GROUP BY ?o ?l ORDER BY ?o")
    assert rows == [(0, "DXの認識共有・機運醸成", 4), (1, "全体方針の決定", 3), (2, "推進体制の整備", 4), (3, "DXの取組の実行", 2)]


@pytest.mark.parametrize(("subject", "prop", "obj"), [
    (DIGIDEN, "implements", JUTEN),
    (DXPLAN, "references", JUTEN),
    (DXPLAN, "references", DIGIDEN),
    (GUIDE, "accompanies", DXPLAN),
    (JUTEN, "realizes", entity_iri("jp", "society5")),
    (GUIDE, "realizes", entity_iri("jp", "society5")),
])
def test_plan_relations(deck_graph, subject, prop, obj) -> None:
    from policykg.namespaces import PK
    assert (subject, PK[prop], obj) in deck_graph


def test_english_names_from_registry(q) -> None:
    rows = q("SELECT ?en WHERE { ?p skos:prefLabel ?en FILTER(lang(?en)='en') }", p=JUTEN)
    assert rows == [("Priority Policy Program for Realizing Digital Society",)]


def test_diagram_boxes_locate_pillars_and_keep_their_wording(q) -> None:
    rows = q("""SELECT ?a ?ln WHERE { ?i a pk:Pillar ; skos:prefLabel "結婚・出産・子育ての希望をかなえる"@ja ; skos:altLabel ?a ;
             pk:sourceLocation [ pk:slide 7 ; pk:line ?ln ] }""")
    assert rows == [("結婚・出産子育ての希望をかなえる", 215)]
    group = q("""SELECT ?ln WHERE { ?i a pk:PillarGroup ; skos:prefLabel "デジタルの力を活用した地方の社会課題解決"@ja ;
              pk:sourceLocation [ pk:slide 7 ; pk:line ?ln ] }""")
    assert group == [(217,)]


def test_plan_descriptions(q) -> None:
    rows = dict(q("SELECT ?p ?d WHERE { ?p a pk:NationalPlan ; dcterms:description ?d }"))
    assert rows[JUTEN].startswith("デジタル技術の進展によりデータの重要性が飛躍的に高まる中")
    assert rows[DIGIDEN].startswith("デジタル田園都市国家構想を実現するために")
    assert "2024年度までに" not in rows[DIGIDEN]
