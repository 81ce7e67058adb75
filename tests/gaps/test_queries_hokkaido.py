"""The gap queries on the bundled Hokkaido graph, checked against answers worked out by hand from
data/sources/hokkaido-society5-fy2023-secretariat-deck.txt (参考資料 tables, 道の取組 tables, 国の動向 slides).

Lists that depend on curated alignments use a deck-only store, so adding an alignment CSV to
data/alignments does not change what is checked here; one test adds alignments on purpose.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from policykg.graph.analysis.progress_store import run_select
from policykg.namespaces import GRAPH, PK
from policykg.ids import normalize_label

from project_paths import SOURCE_DECK


def labels(rows, key="label"):
    return [normalize_label(str(r[key])) for r in rows]


# 参考資料: directions whose 評価の視点 table has only 推進目標 rows (5c has one 推進目標 AND a 目標値 row).
DIRECTIONS_ONLY_PROMOTION_GOALS = {
    "安全で質の高い医療・福祉サービスの強化",                      # 1a (table heading says 安心で…: altLabel)
    "道民生活の安全・安心の確保と利便性の向上",                    # 1c
    "産業活動や暮らしを支える社会資本の戦略的・効率的な整備",      # 2e
    "官民連携による安全・安心なデータの利活用を通じた道民生活の向上",  # 4b
    "「北海道Society5.0」を支えるセキュリティ対策",                 # 5b
}

# 参考資料 目標値 columns, resolved to fiscal-year ends: (2025/R7) → 2026-03-31, (2024/R6) and R2~R6 → 2025-03-31,
# (2022/R4) → 2023-03-31, (2030/R12) → 2031-03-31 (not yet due on 2026-12-03); デジ田 KPI: 1,000団体 by 2024年度.
DUE_BY_2026_12_03 = {
    "教育用コンピュータ1台当たりの児童生徒数": "2026-03-31",
    "授業にICTを活用して指導する能力があると回答した教員の割合": "2026-03-31",
    "自動運転実証試験件数": "2026-03-31",
    "リスク分散による企業立地件数": "2025-03-31",
    "農業産出額": "2026-03-31",
    "森林づくりに伴い産出され、利用される木材の量": "2025-03-31",
    "漁業生産額(漁業就業者一人当たり)": "2026-03-31",
    "製造業の付加価値生産性": "2026-03-31",
    "宇宙関連分野への新規参入/宇宙ビジネス創出件数": "2025-03-31",
    "産学官の共同研究の件数": "2025-03-31",
    "観光消費額(道内1人当たり)": "2026-03-31",
    "観光消費額(道外1人当たり)": "2026-03-31",
    "観光消費額(外国人1人当たり)": "2026-03-31",
    "申請・届出等の手続をオンライン化するためのシステム導入自治体の割合": "2023-03-31",
    "標準仕様が策定された業務における当該標準仕様に適合した情報システムを利用する道内自治体の割合": "2026-03-31",
    "マイナンバーカードの普及率": "2023-03-31",
    "オープンデータ取組済の市町村数": "2026-03-31",
    "ブロードバンドサービス人口普及率": "2026-03-31",
    "道内光ファイバ世帯整備率": "2026-03-31",
    "道内IT企業従業員数の増加": "2026-03-31",
    "デジタル実装に取り組む地方公共団体": "2025-03-31",
    # national reference data (data/national, docs/national.md): デジ田 KPIs with a target date passed
    "5Gの人口カバー率": "2026-03-31",
    "サテライトオフィス等を設置した地方公共団体": "2025-03-31",
    "1人1台端末を授業でほぼ毎日活用している学校の割合": "2026-03-31",
    "物流業務の自動化・機械化やデジタル化により、物流DXを実現している物流事業者の割合": "2026-03-31",
}


def test_directions_without_numeric_indicator(hokkaido_store):
    rows = run_select(hokkaido_store, "directions-without-numeric-indicator")
    assert set(labels(rows)) == {normalize_label(x) for x in DIRECTIONS_ONLY_PROMOTION_GOALS}
    assert all(int(r["qualitativeCount"].toPython()) >= 1 for r in rows)  # each has its 推進目標


def test_indicators_without_baseline(hokkaido_store):
    # 「—」 in the 基準値 column (3 行政), and the デジ田 KPIs, which state targets only (7 with data/national)
    rows = run_select(hokkaido_store, "indicators-without-baseline")
    assert set(labels(rows)) == {normalize_label(x) for x in (
        "標準仕様が策定された業務における当該標準仕様に適合した情報システムを利用する道内自治体の割合",
        "デジタル実装に取り組む地方公共団体", "光ファイバーの世帯カバー率", "5Gの人口カバー率",
        "サテライトオフィス等を設置した地方公共団体", "1人1台端末を授業でほぼ毎日活用している学校の割合",
        "物流業務の自動化・機械化やデジタル化により、物流DXを実現している物流事業者の割合",
        "デジタル推進人材の育成数（2022年度からの累計）",
    )}


def test_indicators_without_target(hokkaido_store):
    # every numeric row of the 参考資料 tables has a 目標値 (150%以上を維持 included)
    assert run_select(hokkaido_store, "indicators-without-target") == []


@pytest.mark.parametrize("as_of,expected", [
    ("2026-12-03", DUE_BY_2026_12_03),
    ("2024-01-01", {k: v for k, v in DUE_BY_2026_12_03.items() if v == "2023-03-31"}),
    ("2023-03-31", {}),  # due dates are not "past" on the day itself
])
def test_indicators_past_target_without_observation(hokkaido_store, as_of, expected):
    rows = run_select(hokkaido_store, "indicators-past-target-without-observation",
                      {"asOf": Literal(as_of, datatype=XSD.date)})
    got = {normalize_label(str(r["label"])): str(r["dueDate"]) for r in rows}
    assert got == {normalize_label(k): v for k, v in expected.items()}


def test_measures_without_alignment_deck_only(deck_store):
    # 39 distinct 主な取組: 13 (暮らし) + 8 (産業, MaaS and 建設現場 are 再掲) + 6 (行政) + 7 (データ) + 5 (基盤, 人材育成 再掲)
    rows = run_select(deck_store, "measures-without-alignment")
    assert len(rows) == 39
    assert "北海道型のMaaSの展開" in labels(rows)


# 国の動向 slides: デジ田 2 groups, 7 pillars, 13 + 18 pillar items; 自治体DX 5 改定概要; 手順書 4 steps;
# 重点計画 4 principle groups (理念・原則, 基本原則, 10原則, 3原則), 16 principles, 1 strategy group, 7 strategies.
NATIONAL_KINDS = Counter({"NationalMeasure": 31, "Principle": 16, "Pillar": 7, "BasicStrategy": 7, "RevisionPoint": 5,
                          "PrincipleGroup": 4, "ProcedureStep": 4, "PillarGroup": 2, "StrategyGroup": 1})


def test_national_items_without_measures_deck_only(deck_store):
    rows = run_select(deck_store, "national-items-without-measures")
    assert Counter(str(r["kind"]).rsplit("#", 1)[-1] for r in rows) == NATIONAL_KINDS
    by_label = {normalize_label(str(r["label"])): r for r in rows}
    assert str(by_label["観光DX"]["pillarLabel"]) == "地方に仕事をつくる"
    assert str(by_label["観光DX"]["planLabel"]) == "デジタル田園都市国家構想総合戦略"
    assert "pillar" not in by_label["クラウド・バイ・デフォルト"]


def _iri(store, query: str, key: str, label: str) -> URIRef:
    """The IRI of the entity labelled ``label`` in the rows of ``query``."""
    for r in run_select(store, query):
        if normalize_label(str(r["label"])) == normalize_label(label):
            return r[key]
    raise AssertionError(f"{label} not found by {query}")


def test_curated_alignment_supports_the_item_and_its_ancestors_only():
    from policykg.graph.build import build_store

    fresh_store = build_store([SOURCE_DECK])  # deck only: no curated alignments besides ours
    maas = _iri(fresh_store, "measures-without-alignment", "measure", "北海道型のMaaSの展開")
    transport = _iri(fresh_store, "national-items-without-measures", "item",
                     "ICTの活用による持続可能性と利便性の高い公共交通ネットワークの整備")
    tourism = _iri(fresh_store, "national-items-without-measures", "item", "観光DX")
    smart = _iri(fresh_store, "measures-without-alignment", "measure", "スマート農林水産業の推進")
    before = set(labels(run_select(fresh_store, "national-items-without-measures")))
    g = Graph()
    for name, local, national, evidence in (("t1", maas, transport, PK.Curated), ("t2", smart, tourism, PK.Inferred)):
        al = URIRef(f"https://w3id.org/policykg/id/alignment/al-test-{name}")
        g.add((al, RDF.type, PK.Alignment))
        g.add((al, PK.localItem, local))
        g.add((al, PK.nationalItem, national))
        g.add((al, PK.evidence, evidence))
    fresh_store.replace_graphs({GRAPH["alignments-test"]: list(g)})
    after = set(labels(run_select(fresh_store, "national-items-without-measures")))
    assert before - after == {
        "ICTの活用による持続可能性と利便性の高い公共交通ネットワークの整備", "デジタル基盤整備", "地方のデジタル実装の基礎3条件",
    }
    assert "観光DX" in after  # an inferred suggestion never counts
    unaligned = labels(run_select(fresh_store, "measures-without-alignment"))
    assert "北海道型のMaaSの展開" not in unaligned and "スマート農林水産業の推進" in unaligned
    cells = {(str(r["pillarLabel"]), str(r["areaLabel"])): int(r["measures"].toPython())
             for r in run_select(fresh_store, "coverage-matrix")}
    # MaaS is listed under 暮らし (d) and, 再掲, under 産業 (d): one measure in each area
    assert cells[("デジタル基盤整備", "暮らし")] == 1 and cells[("デジタル基盤整備", "産業")] == 1
    assert sum(cells.values()) == 2
    assert len(cells) == 7 * 5  # 7 pillars × 5 areas, zeros included


# The roadmap grid (slide 1) has empty year cells and no stated link from a row to a measure or
# indicator, so every one of its 13 区分 rows is listed; the phases left of "→" are initial focuses
# with no direction.
# Slide 1: ten of the thirteen fields are worded inside one of their area's directions (医療・福祉 →
# 安全で質の高い医療・福祉サービスの強化, …); 教育, 地域生活 and 地場産業 are not, so no measure or
# indicator reaches them through a direction.
ROADMAP_ROWS = ["教育", "地域生活", "地場産業"]
INITIAL_FOCUSES = {"感染症の流行に備えた対策", "経済活動への影響対策", "行政のデジタル化の推進",
                   "接触確認アプリ等を通じた感染まん延の防止", "光ファイバ整備を通じた情報通信基盤の確保"}


def test_roadmap_rows_without_measure_or_indicator(hokkaido_store):
    assert labels(run_select(hokkaido_store, "roadmap-rows-without-measure-or-indicator")) == ROADMAP_ROWS


def test_roadmap_phases_without_measure_or_indicator(hokkaido_store):
    rows = run_select(hokkaido_store, "roadmap-phases-without-measure-or-indicator")
    assert set(labels(rows)) == {normalize_label(x) for x in INITIAL_FOCUSES}
