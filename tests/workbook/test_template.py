"""Issue 12 item 1: the template has an instructions sheet, ja / en headers, dropdowns and one example row per sheet."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from policykg.loaders.workbook.schema import INSTRUCTIONS_TITLE, SHEETS, SHEETS_LIST
from policykg.loaders.workbook.template import LISTS_TITLE


@pytest.fixture(scope="module")
def book(template_file):
    return load_workbook(template_file)


def test_sheets_in_order_with_instructions_first_and_lists_hidden(book):
    assert book.sheetnames == [INSTRUCTIONS_TITLE, *(s.title for s in SHEETS_LIST), LISTS_TITLE]
    assert book[LISTS_TITLE].sheet_state == "hidden"
    text = "\n".join(str(c.value) for c in book[INSTRUCTIONS_TITLE]["A"] if c.value)
    assert "policykg build --add" in text and "令和6年度末" in text
    for sheet in SHEETS_LIST:
        assert sheet.title in text


@pytest.mark.parametrize("sheet", SHEETS_LIST, ids=[s.key for s in SHEETS_LIST])
def test_headers_are_japanese_then_english_with_one_example_row(book, sheet):
    ws = book[sheet.title]
    headers = [c.value for c in ws[1] if c.value]
    assert headers == [f"{c.ja} / {c.en}" for c in sheet.columns]
    filled = [r[0].row for r in ws.iter_rows(min_row=2) if any(c.value is not None for c in r)]
    assert filled == [2]
    required = {c.header for c in sheet.columns if c.required}
    assert {c.value for c in ws[1] if c.comment and c.comment.text.startswith("必須")} == required


@pytest.mark.parametrize(("sheet", "column", "values"), [
    ("alignments", "national", ["デジタル基盤整備", "職業訓練のデジタル分野の重点化"]),
    ("alignments", "relation", ["支える", "貢献する"]),
    ("alignments", "evidence", ["計画に明記", "確認済み"]),
    ("indicators", "unit", ["%", "件", "t-CO2"]),
    ("indicators", "comparator", ["以上", "以下", "以上を維持"]),
    ("indicators", "better", ["高いほど良い", "低いほど良い"]),
    ("observations", "unit", ["%", "円"]),
])
def test_dropdowns_offer_the_closed_lists(book, sheet, column, values):
    s = SHEETS[sheet]
    ws = book[s.title]
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[c.key for c in s.columns].index(column)]
    found = [dv for dv in ws.data_validations.dataValidation if any(f"{letter}2:" in str(r) for r in dv.sqref.ranges)]
    assert len(found) == 1 and found[0].type == "list"
    ref = found[0].formula1.lstrip("=")
    lists_sheet, cells = ref.rsplit("!", 1)
    first, last = cells.replace("$", "").split(":")
    offered = [c.value for row in book[lists_sheet.strip("'")][f"{first}:{last}"] for c in row]
    assert set(values) <= set(offered)
