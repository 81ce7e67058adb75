"""Every numeric indicator of the 参考資料 tables, checked against the document (lines 471–548)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Literal

from policykg.ids import digest, entity_iri

# label, direction, target (value, unit text, due date, comparator), baseline (value, unit text, date), desired
INDICATORS = [
    ("教育用コンピュータ1台当たりの児童生徒数", "1b", "1", "児童生徒数/台", date(2026, 3, 31), "AtMost", "4.8", "児童生徒数/台", date(2020, 3, 31), "LowerIsBetter"),
    ("授業にICTを活用して指導する能力があると回答した教員の割合", "1b", "100", "%", date(2026, 3, 31), "AtLeast", "74.6", "%", date(2020, 3, 31), "HigherIsBetter"),
    ("自動運転実証試験件数", "1d", "36", "件", date(2026, 3, 31), "AtLeast", "24", "件", date(2020, 3, 31), "HigherIsBetter"),
    ("温室効果ガスの排出量", "1e", "47940000", "t-CO2", date(2031, 3, 31), "AtMost", "73450000", "t-CO2", date(2014, 3, 31), "LowerIsBetter"),
    ("リスク分散による企業立地件数", "1f", "125", "件", date(2025, 3, 31), "AtLeast", "73", "件", date(2019, 3, 31), "HigherIsBetter"),
    ("農業産出額", "2a", "1167500000000", "円", date(2026, 3, 31), "AtLeast", "1167500000000", "円/年", date(2019, 3, 31), "HigherIsBetter"),
    ("森林づくりに伴い産出され、利用される木材の量", "2a", "4890000", "m3", date(2025, 3, 31), "AtLeast", "4590000", "m3", date(2018, 3, 31), "HigherIsBetter"),
    ("漁業生産額(漁業就業者一人当たり)", "2a", "13240000", "円", date(2026, 3, 31), "AtLeast", "10010000", "円", date(2018, 3, 31), "HigherIsBetter"),
    ("製造業の付加価値生産性", "2b", "12800000", "円", date(2026, 3, 31), "AtLeast", "8700000", "円", date(2015, 3, 31), "HigherIsBetter"),
    ("宇宙関連分野への新規参入/宇宙ビジネス創出件数", "2b", "5", "件", date(2025, 3, 31), "AtLeast", "0", "件", date(2021, 3, 31), "HigherIsBetter"),
    ("産学官の共同研究の件数", "2c", "1700", "件", date(2025, 3, 31), "AtLeast", "1543", "件", date(2019, 3, 31), "HigherIsBetter"),
    ("観光消費額(道内1人当たり)", "2d", "15000", "円", date(2026, 3, 31), "AtLeast", "13271", "円", date(2011, 3, 31), "HigherIsBetter"),
    ("観光消費額(道外1人当たり)", "2d", "79000", "円", date(2026, 3, 31), "AtLeast", "69670", "円", date(2011, 3, 31), "HigherIsBetter"),
    ("観光消費額(外国人1人当たり)", "2d", "209000", "円", date(2026, 3, 31), "AtLeast", "122128", "円", date(2011, 3, 31), "HigherIsBetter"),
    ("申請・届出等の手続をオンライン化するためのシステム導入自治体の割合", "3a", "100", "%", date(2023, 3, 31), "AtLeast", "77", "%", date(2020, 3, 31), "HigherIsBetter"),
    ("標準仕様が策定された業務における当該標準仕様に適合した情報システムを利用する道内自治体の割合", "3a", "100", "%", date(2026, 3, 31), "AtLeast", None, None, None, "HigherIsBetter"),
    ("マイナンバーカードの普及率", "3b", "100", "%", date(2023, 3, 31), "AtLeast", "13.5", "%", date(2020, 3, 31), "HigherIsBetter"),
    ("オープンデータ取組済の市町村数", "4a", "179", "団体", date(2026, 3, 31), "AtLeast", "50", "団体", date(2020, 8, 31), "HigherIsBetter"),
    ("ブロードバンドサービス人口普及率", "5a", "150", "%", date(2026, 3, 31), "AtLeast", "166.6", "%", date(2020, 3, 31), "HigherIsBetter"),
    ("道内光ファイバ世帯整備率", "5a", "100", "%", date(2026, 3, 31), "AtLeast", "98.1", "%", date(2019, 3, 31), "HigherIsBetter"),
    ("道内IT企業従業員数の増加", "5c", "35000", "人", date(2026, 3, 31), "AtLeast", "24863", "人", date(2019, 3, 31), "HigherIsBetter"),
]

TARGET_Q = """
SELECT ?dir ?tv ?tu ?due ?cmp ?better WHERE {
  ?i a pk:NumericIndicator ; pk:evaluates/skos:notation ?dir ; pk:desiredDirection ?better ; pk:hasTarget ?t .
  ?t pk:targetOf ?i ; qudt:numericValue ?tv ; pk:unitText ?tu ; pk:dueDate ?due ; pk:comparator ?cmp .
}"""
BASELINE_Q = """
SELECT ?bv ?bu ?bdate WHERE { ?i pk:hasBaseline ?b . ?b sosa:observedProperty ?i ;
  qudt:numericValue ?bv ; pk:unitText ?bu ; pk:date ?bdate . }"""


def test_every_numeric_indicator_is_in_the_table(q) -> None:
    labels = {r[0] for r in q("SELECT ?l WHERE { ?i a pk:NumericIndicator ; pk:evaluates ?d ; skos:prefLabel ?l . FILTER(lang(?l)='ja') }")}
    assert labels == {row[0] for row in INDICATORS}


@pytest.mark.parametrize(("label", "direction", "tv", "tu", "due", "cmp", "bv", "bu", "bdate", "better"), INDICATORS,
                         ids=[r[0][:12] for r in INDICATORS])
def test_indicator_values(q, label, direction, tv, tu, due, cmp, bv, bu, bdate, better) -> None:
    iri = entity_iri("hokkaido", "indicator", f"i-{digest(label)}")
    rows = q(TARGET_Q, i=iri)
    assert len(rows) == 1, f"{label}: expected one target, got {rows}"
    assert rows[0][0] == direction
    assert rows[0][1] == Decimal(tv) and rows[0][2] == tu and rows[0][3] == due
    assert str(rows[0][4]).endswith(cmp) and str(rows[0][5]).endswith(better)
    baseline = q(BASELINE_Q, i=iri)
    if bv is None:
        assert baseline == []
    else:
        assert baseline == [(Decimal(bv), bu, bdate)]


@pytest.mark.parametrize(("label", "original", "kind"), [
    ("リスク分散による企業立地件数", "R2~R6", "target"),
    ("リスク分散による企業立地件数", "H28~H30", "baseline"),
    ("農業産出額", "2025/R7", "target"),
    ("農業産出額", "H24~H30", "baseline"),
    ("オープンデータ取組済の市町村数", "R2.8", "baseline"),
    ("道内光ファイバ世帯整備率", "H31.3", "baseline"),
    ("マイナンバーカードの普及率", "R1", "baseline"),
    ("観光消費額(道内1人当たり)", "H22", "baseline"),
])
def test_time_keeps_original_text(q, label, original, kind) -> None:
    iri = entity_iri("hokkaido", "indicator", f"i-{digest(label)}")
    path = "pk:hasTarget/pk:targetTime" if kind == "target" else "pk:hasBaseline/sosa:phenomenonTime"
    rows = q(f"SELECT ?o WHERE {{ ?i {path}/pk:originalText ?o }}", i=iri)
    assert rows == [(original,)]


def test_period_target_and_maintain(q) -> None:
    period = q("SELECT ?l WHERE { ?t pk:periodTarget true ; pk:targetOf/skos:prefLabel ?l }")
    assert period == [("リスク分散による企業立地件数",)]
    maintain = q("SELECT ?l WHERE { ?t pk:maintain true ; pk:targetOf/skos:prefLabel ?l }")
    assert maintain == [("ブロードバンドサービス人口普及率",)]


@pytest.mark.parametrize(("label", "kind", "note"), [
    ("申請・届出等の手続をオンライン化するためのシステム導入自治体の割合", "hasBaseline", "138市町村"),
    ("オープンデータ取組済の市町村数", "hasTarget", "全市町村"),
    ("農業産出額", "hasBaseline", "H24~H30の最大値、最小値を除いた平均"),
])
def test_notes_are_kept(q, label, kind, note) -> None:
    iri = entity_iri("hokkaido", "indicator", f"i-{digest(label)}")
    assert q(f"SELECT ?n WHERE {{ ?i pk:{kind}/pk:note ?n }}", i=iri) == [(note,)]


def test_units_are_unit_individuals(q) -> None:
    units = {str(r[0]).rsplit("/", 1)[-1] for r in q("SELECT DISTINCT ?u WHERE { ?i a pk:NumericIndicator ; pk:unit ?u }")}
    assert units == {"PupilsPerComputer", "Percent", "Count", "TonneCO2", "Yen", "CubicMetre", "Organization", "Person"}


QUALITATIVE = [
    ("遠隔医療システム導入の促進", "1a", "遠隔医療システムを活用し、専門医と地方の医師間において助言等を行う、又は受ける医療機関の拡大"),
    ("介護ロボットの導入促進", "1a", "介護従事者の業務負担軽減による介護サービスの充実"),
    ("安全・安心の確保に向けた未来技術活用の促進", "1c", "道民生活の質を向上させる未来技術の導入事例の充実"),
    ("全面的なICT活用工事に向けた取組の促進", "2e", None),
    ("映像などICTを活用した工事現場の遠隔臨場の推進", "2e", None),
    ("道内自治体におけるIoT実装の推進", "4b", "地域課題の解決を図るIoT実装事例の充実"),
    ("官民のデータを活用した地域課題解決の促進", "4b", None),
    ("効率性・利便性の向上とセキュリティの確保の両立", "5b", "サイバーセキュリティのリスクを低減させる体制の強化"),
    ("デジタル人材の育成・確保に向けた取組の推進", "5c", "ICTに関する基礎的な理解から応用的な技術の習得まで幅広いデジタル人材の増加"),
]


@pytest.mark.parametrize(("label", "direction", "goal"), QUALITATIVE, ids=[r[0][:12] for r in QUALITATIVE])
def test_qualitative_indicators(q, label, direction, goal) -> None:
    rows = q("SELECT ?d ?g WHERE { ?i a pk:QualitativeIndicator ; skos:prefLabel ?l ; pk:evaluates/skos:notation ?d ; pk:promotionGoal ?g }",
             l=Literal(label, lang="ja"))
    assert len(rows) == 1 and rows[0][0] == direction
    if goal is not None:
        assert rows[0][1] == goal


def test_qualitative_count(q) -> None:
    assert q("SELECT (COUNT(?i) AS ?n) WHERE { ?i a pk:QualitativeIndicator }") == [(len(QUALITATIVE),)]
