"""Slides, page numbers and cell fragments (segment.py, cells.py)."""

from __future__ import annotations

import pytest

from policykg.loaders.deck.cells import Item, cell_items, clean_label, paragraphs, split_joined, strip_markup
from policykg.loaders.deck.segment import segment

# (first line, slide number, printed?) for the bundled deck: 1 roadmap, 2–11 national, 12–17 道の取組,
# 18 publicity, 19 meetings, 20–21 indicator tables.
SLIDES = [(1, 1, False), (29, 2, True), (32, 3, True), (81, 4, True), (104, 5, True), (151, 6, False),
          (190, 7, False), (225, 8, True), (256, 9, True), (292, 10, True), (308, 11, True), (367, 12, False),
          (370, 13, False), (382, 14, True), (394, 15, True), (404, 16, True), (419, 17, True), (430, 18, True),
          (446, 19, True), (459, 20, False), (511, 21, False)]


def test_bundled_deck_slides(deck_text) -> None:
    deck = segment(deck_text)
    assert [(s.start, s.number, s.printed) for s in deck.slides] == SLIDES
    assert len(deck.lines) == 548 and 393 in deck.page_lines and 472 not in deck.page_lines


@pytest.mark.parametrize(("line", "slide", "section"), [
    (86, 4, "国の動向 デジタル社会の実現に向けた重点計画①"),
    (265, 9, "国の動向 デジタル田園都市国家構想総合戦略③ > デジタルの力を活用した地方の社会課題解決 > 地方に仕事をつくる"),
    (390, 14, "道の取組（②産業） > (2) 「産業」～未来技術を活用した産業振興と多様な主体の連携による新たな価値創造"),
    (548, 21, "北海道Society5.0推進計画 > 第4章「施策の展開方針」における「評価の視点」 > 「5 基盤整備」の分野"),
])
def test_locate(deck_text, line, slide, section) -> None:
    assert segment(deck_text).locate(line) == (slide, section)


def test_missing_numbers_split_at_headings() -> None:
    text = "# A\n\na\n\n1\n\n# B\n\n## C\n\nc\n\n## D\n\nd\n\n4\n\n# E\n\ne\n"
    deck = segment(text)
    assert [(s.number, s.printed) for s in deck.slides] == [(1, True), (2, False), (3, False), (4, True), (5, False)]
    assert deck.locate(15)[0] == 4 and deck.locate(21)[0] == 5


def test_number_inside_text_is_not_a_page() -> None:
    deck = segment("# A\n1\nx\n\n2\n")
    assert deck.page_lines == {5}


@pytest.mark.parametrize(("cell", "items"), [
    ('<input type="checkbox"/> 遠隔医療・遠隔介護等の推進 <input type="checkbox"/> 介護ロボット導入の推進 など',
     [Item("遠隔医療・遠隔介護等の推進"), Item("介護ロボット導入の推進")]),
    ('<ul style="list-style-type: none"> <li>□ 情報システムのセキュリティ対策</li> <li>□ 個人情報流出防止対策 ほか</li> </ul>',
     [Item("情報システムのセキュリティ対策"), Item("個人情報流出防止対策")]),
    ('<li>□ データ利活用人材の育成（再掲） など</li>', [Item("データ利活用人材の育成", repost=True)]),
    ("□ ICTを活用した構造物の点検 □ ドローン(再掲)", [Item("ICTを活用した構造物の点検"), Item("ドローン", repost=True)]),
    ("<p>&lt;script&gt;x</p>", [Item("<script>x")]),
])
def test_cell_items(cell, items) -> None:
    assert cell_items(cell) == items


@pytest.mark.parametrize(("raw", "clean"), [
    ("4,794万t-CO <sub>2</sub>", "4,794万t-CO2"),
    ("489万m <sup>3</sup> (2024/R6)", "489万m3 (2024/R6)"),
    ("観光立国北海道の更なる推進 <sup>55</sup>", "観光立国北海道の更なる推進"),
    ("**首長や幹部職員によるリーダーシップ**が重要", "首長や幹部職員によるリーダーシップが重要"),
])
def test_strip_markup(raw, clean) -> None:
    assert strip_markup(raw) == clean


@pytest.mark.parametrize(("raw", "clean"), [
    ("道内 IT 企業従業員数の増加", "道内IT企業従業員数の増加"),
    ("「北海道 Society5.0」の実現", "「北海道Society5.0」の実現"),
    ("多彩な地域資源を活かした世界が憧れる観光立国北海道の更なる推進 14", "多彩な地域資源を活かした世界が憧れる観光立国北海道の更なる推進"),
    ("Web 3 の推進", "Web 3の推進"),
    ("ステップ0", "ステップ0"),
])
def test_clean_label(raw, clean) -> None:
    assert clean_label(raw) == clean


def test_split_joined_and_paragraphs() -> None:
    assert split_joined("スタートアップ・エコシステムの確立 □ 中小・中堅企業DX") == ["スタートアップ・エコシステムの確立", "中小・中堅企業DX"]
    frags = paragraphs("<p><b>目標</b></p> <p>A → B  C</p>")
    assert [(f.text, f.bold) for f in frags] == [("目標", True), ("A → B C", False)]
