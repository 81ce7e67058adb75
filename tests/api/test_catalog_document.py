"""The JSON API on the bundled graph, with every expected answer read off the source deck
(data/sources/hokkaido-society5-fy2023-secretariat-deck.txt; line numbers in the comments)."""

from __future__ import annotations

import pytest


def items(client, url: str, **params) -> list[dict]:
    body = client.get(url, params={"limit": 1000, **params}).json()
    assert body["total"] == len(body["items"]), "all items fit one page"
    return body["items"]


def by_label(client, url: str) -> dict[str, dict]:
    return {i["label"]: i for i in items(client, url)}


def test_five_areas_in_plan_order(client):
    # lines 372, 384, 397, 409, 422: (1) 暮らし … (5) 基盤整備
    areas = items(client, "/api/areas")
    assert [(a["notation"], a["label"]) for a in areas] == [
        ("1", "暮らし"), ("2", "産業"), ("3", "行政"), ("4", "データの利活用"), ("5", "基盤整備")]
    assert areas[0]["goal"] == "未来技術を活用して将来にわたり安全・安心で豊かな生活の実現"
    assert [len(a["directions"]) for a in areas] == [6, 5, 2, 2, 3]  # (a)–(f), (a)–(e), …


def test_eighteen_directions(client):
    notations = [d["notation"] for d in items(client, "/api/directions")]
    assert len(notations) == 18
    assert notations[:6] == ["1a", "1b", "1c", "1d", "1e", "1f"] and notations[-3:] == ["5a", "5b", "5c"]


def test_direction_wording_variant_is_an_alt_label(client):
    # line 375 「安全で…」 vs line 466 「安心で…」
    first = items(client, "/api/directions")[0]
    assert first["label"] == "安全で質の高い医療・福祉サービスの強化"
    assert "安心で質の高い医療・福祉サービスの強化" in first["alt_labels"]


def test_measures_with_relisted_directions(client):
    measures = by_label(client, "/api/measures")
    assert len(measures) == 39  # 13 + 8 + 6 + 7 + 5 (re-listings 「（再掲）」 are the same measure)
    assert [d["notation"] for d in measures["北海道型のMaaSの展開"]["directions"]] == ["1d", "2d"]   # lines 378, 390
    assert [d["notation"] for d in measures["建設現場でのICT活用の普及"]["directions"]] == ["1f", "2e"]  # 380, 391
    assert [d["notation"] for d in measures["データ利活用人材の育成"]["directions"]] == ["4a", "5c"]   # 412, 427
    assert [a["label"] for a in measures["北海道型のMaaSの展開"]["areas"]] == ["暮らし", "産業"]


def test_measure_detail_source_locations(client):
    maas = by_label(client, "/api/measures")["北海道型のMaaSの展開"]
    detail = client.get(f"/api/measures/{maas['id']}").json()
    assert [(s["line"], s["slide"]) for s in detail["source_locations"]] == [(378, 13), (390, 14)]
    assert detail["source_locations"][1]["section"].startswith("道の取組（②産業）")
    assert detail["trace_url"] == f"/api/measures/{maas['id']}/trace"


def test_indicator_autonomous_driving(client):
    # line 479: 自動運転実証試験件数	36件	24件 under 目標値 (2025/R7) 基準値 (2019/R1)
    ind = by_label(client, "/api/indicators")["自動運転実証試験件数"]
    assert ind["kind"] == "numeric" and ind["unit_text"] == "件" and ind["desired_direction"] == "HigherIsBetter"
    assert (ind["baseline"]["value"], ind["baseline"]["original_text"]) == (24, "2019/R1")
    assert len(ind["targets"]) == 1
    target = ind["targets"][0]
    assert (target["value"], target["due_date"], target["comparator"]) == (36, "2026-03-31", "AtLeast")
    assert ind["evaluates"][0]["id"] == "hokkaido-dir-1d"  # 住民の暮らしに欠かせない地域交通…


@pytest.mark.parametrize(("label", "baseline", "target", "due", "comparator", "flags"), [
    ("温室効果ガスの排出量", 73_450_000, 47_940_000, "2031-03-31", "AtMost", {}),          # line 482
    ("リスク分散による企業立地件数", 73, 125, "2025-03-31", "AtLeast", {"period_target": True}),  # 485
    ("農業産出額", 1_167_500_000_000, 1_167_500_000_000, "2026-03-31", "AtLeast", {}),       # 491
    ("ブロードバンドサービス人口普及率", 166.6, 150, "2026-03-31", "AtLeast", {"maintain": True}),  # 539
    ("教育用コンピュータ1台当たりの児童生徒数", 4.8, 1.0, "2026-03-31", "AtMost", {}),       # 472
    ("標準仕様が策定された業務における当該標準仕様に適合した情報システムを利用する道内自治体の割合",
     None, 100, "2026-03-31", "AtLeast", {}),                                              # 520: — = no baseline
])
def test_indicator_values(client, label, baseline, target, due, comparator, flags):
    ind = by_label(client, "/api/indicators")[label]
    assert (ind["baseline"]["value"] if ind["baseline"] else None) == baseline
    first = ind["targets"][0]
    assert (first["value"], first["due_date"], first["comparator"]) == (target, due, comparator)
    for flag, value in flags.items():
        assert first[flag] is value


def test_qualitative_indicator_has_promotion_goal(client):
    ind = by_label(client, "/api/indicators")["遠隔医療システム導入の促進"]  # line 468
    assert ind["kind"] == "qualitative" and ind["baseline"] is None and ind["targets"] == []
    assert ind["promotion_goal"].startswith("遠隔医療システムを活用し")


def test_national_kpi_has_two_targets(client):
    # lines 198–200: 2024年度までに1,000団体 / 2027年度までに1,500団体
    kpi = next(i for i in items(client, "/api/indicators") if i["indicator_of"])
    assert [(t["value"], t["due_date"]) for t in kpi["targets"]] == [(1000, "2025-03-31"), (1500, "2028-03-31")]
    assert kpi["indicator_of"][0]["id"] == "digiden-strategy"


def test_indicator_count(client):
    # 30 local indicators on slides 20–21 plus the デジ田 KPI
    assert len(items(client, "/api/indicators")) == 37   # 30 local + 7 デジ田 KPIs (data/national)


def test_national_items(client):
    national = items(client, "/api/national-items")
    kinds = [i["kind"] for i in national]
    assert kinds.count("Pillar") == 7 and kinds.count("BasicStrategy") == 7      # lines 204–221, 44–67
    assert kinds.count("RevisionPoint") == 5 and kinds.count("ProcedureStep") == 4  # lines 301–305, 322–350
    ten = [i for i in national if i["parent"] and i["parent"]["label"] == "デジタル社会を形成するための10原則"]
    assert [i["label"] for i in ten][:3] == ["オープン・透明", "公平・倫理", "安全・安心"]  # lines 123–125
    assert len(ten) == 10 and {i["plan"]["id"] for i in ten} == {"juten-keikaku"}
    steps = [i for i in national if i["kind"] == "ProcedureStep"]
    assert [(s["ordinal"], s["label"]) for s in steps][0] == (0, "DXの認識共有・機運醸成")


def test_national_plans(client):
    plans = {p["id"]: p for p in items(client, "/api/national-plans")}
    assert set(plans) == {"juten-keikaku", "digiden-strategy", "jichitai-dx-plan", "jichitai-dx-guide"}
    assert plans["jichitai-dx-guide"]["kind"] == "Guideline"


@pytest.mark.parametrize(("q", "expected"), [
    ("ｉｃｔ　を活用した鳥獣害対策", "ICTを活用した鳥獣害対策"),   # line 377, typed in full width with a space
    ("マイナンバーカード", "マイナンバーカードの普及促進・利活用拡大"),
    ("Living", "暮らし"),
])
def test_search_on_the_document(client, q, expected):
    hits = items(client, "/api/search", q=q)
    assert expected in [h["label"] for h in hits[:5]], hits[:5]
    if q.startswith("ｉｃｔ"):
        assert hits[0]["label"] == expected and hits[0]["score"] == 1.0


def test_overview_counts_match_the_document(client):
    counts = client.get("/api/overview").json()["counts"]
    assert (counts["areas"], counts["directions"], counts["measures"], counts["indicators"]) == (5, 18, 39, 37)  # + 7 デジ田 KPIs
    assert counts["national_plans"] == 4


def test_english_area_labels(client):
    assert [a["label"] for a in items(client, "/api/areas", lang="en")][:2] == ["Living", "Industry"]
