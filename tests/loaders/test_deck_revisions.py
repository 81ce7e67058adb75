"""Revised editions, made inside each test from the bundled deck, load with their changes and no code change."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal

from policykg.ids import digest, entity_iri
from policykg.loaders.deck import parse_deck

from loader_helpers import edit_line, run_query

NAME = "revised.txt"


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def test_added_indicator_row(deck_text) -> None:
    lines = lines_of(deck_text)
    assert lines[478].startswith("自動運転実証試験件数")
    lines.insert(479, "ドローン配送の実証件数\t12件\t3件")
    g = parse_deck("\n".join(lines), file_name=NAME)
    rows = run_query(g, """SELECT ?n ?tv ?bv ?ln WHERE { ?i skos:prefLabel "ドローン配送の実証件数"@ja ; pk:evaluates/skos:notation ?n ;
                     pk:hasTarget/qudt:numericValue ?tv ; pk:hasBaseline/qudt:numericValue ?bv ; pk:sourceLocation/pk:line ?ln }""")
    assert rows == [("1d", Decimal(12), Decimal(3), 480)]
    assert run_query(g, "SELECT (COUNT(?i) AS ?c) WHERE { ?i a pk:NumericIndicator ; pk:evaluates ?d }") == [(22,)]


def test_changed_number(deck_text) -> None:
    g = parse_deck(edit_line(deck_text, 479, "36件", "40件"), file_name=NAME)
    iri = entity_iri("hokkaido", "indicator", f"i-{digest('自動運転実証試験件数')}")
    assert run_query(g, "SELECT ?v WHERE { ?i pk:hasTarget/qudt:numericValue ?v }", i=iri) == [(Decimal(40),)]


def test_target_below_baseline_flips_direction(deck_text) -> None:
    g = parse_deck(edit_line(deck_text, 479, "36件", "20件"), file_name=NAME)
    iri = entity_iri("hokkaido", "indicator", f"i-{digest('自動運転実証試験件数')}")
    rows = run_query(g, "SELECT ?d ?c WHERE { ?i pk:desiredDirection ?d ; pk:hasTarget/pk:comparator ?c }", i=iri)
    assert [(str(d).rsplit("#")[-1], str(c).rsplit("#")[-1]) for d, c in rows] == [("LowerIsBetter", "AtMost")]


def test_moved_measure(deck_text) -> None:
    measure = '<input type="checkbox"/> ICTを活用した鳥獣害対策 '
    text = edit_line(deck_text, 377, measure, "")
    text = edit_line(text, 379, "など", measure + "など")
    g = parse_deck(text, file_name=NAME)
    iri = entity_iri("hokkaido", "measure", f"m-{digest('ICTを活用した鳥獣害対策')}")
    assert run_query(g, "SELECT ?n WHERE { ?m pk:direction/skos:notation ?n }", m=iri) == [("1e",)]


def test_reordered_local_slides(deck_text) -> None:
    lines = lines_of(deck_text)
    admin, data = lines[394:402], lines[406:417]      # ③行政 (395–402) and ④データ利活用 (407–417)
    assert admin[0].startswith("## 道の取組（③行政）") and data[0].startswith("## 道の取組（④データ利活用）")
    swapped = lines[:394] + data + lines[402:406] + admin + lines[417:]
    g = parse_deck("\n".join(swapped), file_name=NAME)
    assert run_query(g, "SELECT (COUNT(?d) AS ?c) WHERE { ?d a pk:PolicyDirection }") == [(18,)]
    iri = entity_iri("hokkaido", "measure", f"m-{digest('スマート道庁の推進')}")
    rows = run_query(g, "SELECT ?n ?s WHERE { ?m pk:direction/skos:notation ?n ; pk:sourceLocation/pk:slide ?s }", m=iri)
    assert rows == [("3a", 16)]


def test_reordered_national_slides(deck_text) -> None:
    lines = lines_of(deck_text)
    slide8, slide9 = lines[224:255], lines[256:291]   # デジ田② (225–255, ends with "8") and デジ田③ (257–291)
    assert slide8[0].startswith("# 国の動向 デジタル田園都市国家構想総合戦略②") and slide9[-1] == "9"
    slide8[-1], slide9[-1] = "9", "8"
    g = parse_deck("\n".join(lines[:224] + slide9 + [""] + slide8 + lines[291:]), file_name=NAME)
    rows = run_query(g, "SELECT ?l ?s WHERE { ?p a pk:PillarGroup ; skos:prefLabel ?l ; pk:sourceLocation/pk:slide ?s }")
    # slide 7's diagram also names the 社会課題解決 group; the swapped definitions are now on slides 8 and 9
    assert sorted(rows) == [("デジタルの力を活用した地方の社会課題解決", 7), ("デジタルの力を活用した地方の社会課題解決", 8),
                            ("地方のデジタル実装の基礎3条件", 9)]
    assert run_query(g, "SELECT (COUNT(?m) AS ?c) WHERE { ?m a pk:NationalMeasure }") == [(31,)]


def test_reworded_direction_in_indicator_table_is_a_variant(deck_text) -> None:
    g = parse_deck(edit_line(deck_text, 466, "安心で", "安全・安心で"), file_name=NAME)
    rows = run_query(g, "SELECT ?a WHERE { ?d skos:notation '1a' ; a pk:PolicyDirection ; skos:altLabel ?a }")
    assert ("安全・安心で質の高い医療・福祉サービスの強化",) in rows
    iri = entity_iri("hokkaido", "indicator", f"i-{digest('遠隔医療システム導入の促進')}")
    assert run_query(g, "SELECT ?n WHERE { ?i pk:evaluates/skos:notation ?n }", i=iri) == [("1a",)]


def test_unknown_plan_still_loads(deck_text) -> None:
    text = edit_line(deck_text, 78, "自治体DX推進計画", "地域交通DX推進計画")
    text = edit_line(text, 79, "", "国土交通省設置法  \n【国土交通省】")
    g = parse_deck(text, file_name=NAME)
    rows = run_query(g, "SELECT ?p WHERE { ?p a pk:NationalPlan ; skos:prefLabel ?l }", l=Literal("地域交通DX推進計画", lang="ja"))
    assert len(rows) == 1 and str(rows[0][0]).endswith("/plan-" + digest("地域交通DX推進計画"))


def test_unchanged_labels_keep_their_iris(deck_text, deck_graph) -> None:
    g = parse_deck(edit_line(deck_text, 479, "36件", "40件"), file_name=NAME)
    measures = "SELECT ?m WHERE { ?m a pk:Measure }"
    assert set(run_query(g, measures)) == set(run_query(deck_graph, measures))


def test_unknown_jurisdiction_still_loads(deck_text) -> None:
    text = edit_line(deck_text, 462, "北海道Society5.0推進計画", "青森県DX推進計画")
    text = edit_line(text, 511, "北海道Society5.0推進計画", "青森県DX推進計画 資料")
    g = parse_deck(text, file_name=NAME)
    key = "loc-" + digest("青森県DX推進計画")
    rows = run_query(g, "SELECT ?j WHERE { ?p a pk:LocalPlan ; pk:jurisdiction ?j }", p=entity_iri(key, "plan", f"{key}-plan"))
    assert rows == [("青森県DX推進計画",)]
    area = entity_iri(key, "area", f"{key}-area-1")
    assert run_query(g, "SELECT ?l WHERE { ?a skos:prefLabel ?l }", a=area) == [("暮らし",)]


def test_stray_page_digits_and_footnotes_are_dropped(deck_text) -> None:
    text = edit_line(deck_text, 479, "36件\t24件", "36件 14\t24件<sup>3</sup>")
    text = edit_line(text, 477, "住民の暮らしに欠かせない地域交通・物流の安定的な確保", "住民の暮らしに欠かせない地域交通・物流の安定的な確保 14")
    g = parse_deck(text, file_name=NAME)
    iri = entity_iri("hokkaido", "indicator", f"i-{digest('自動運転実証試験件数')}")
    rows = run_query(g, "SELECT ?n ?t ?b WHERE { ?i pk:evaluates/skos:notation ?n ; pk:hasTarget/qudt:numericValue ?t ; pk:hasBaseline/qudt:numericValue ?b }", i=iri)
    assert rows == [("1d", Decimal(36), Decimal(24))]
