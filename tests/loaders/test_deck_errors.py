"""Malformed inputs: each raises SourceError naming the file, the 1-based line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.errors import SourceError
from policykg.loaders.deck import parse_deck, read_deck

from loader_helpers import edit_line

NAME = "deck.txt"


@pytest.mark.parametrize(("line", "old", "new", "field", "message"), [
    (479, "36件\t24件", "36件", "基準値", "truncated"),
    (479, "36件\t24件", "36件\t", "基準値", "truncated"),
    (479, "36件", "多数", "目標値", "not a number"),
    (479, "36件", "—", "目標値", "not a number"),
    (479, "36件", "36ヶ所", "目標値", "unknown unit"),
    (479, "24件", "24件 (明和3年)", "基準値", "unknown era"),
    (478, "目標値 (2025/R7)", "目標値 (2025/R8)", "目標値", "inconsistent year"),
    (493, "1,324万円 (2025/R7)", "1,324万円 (2024/R7)", "目標値", "inconsistent year"),
    (200, "1,500団体", "たくさん", "KPI", "not a number"),
], ids=["truncated", "empty-cell", "non-numeric", "dash-target", "unit", "era", "header-era", "cell-era", "kpi"])
def test_bad_values_name_line_and_field(deck_text, line, old, new, field, message) -> None:
    with pytest.raises(SourceError, match=message) as info:
        parse_deck(edit_line(deck_text, line, old, new), file_name=NAME)
    err = info.value
    assert (err.file, err.line) == (NAME, line)
    assert err.field is not None and err.field.startswith(field)


def test_values_row_without_indicator(deck_text) -> None:
    broken = edit_line(deck_text, 547, "道内 IT 企業従業員数の増加\t目 標 値 (2025/R7)\t基 準 値 (2018/H30)", "")
    with pytest.raises(SourceError, match="without an indicator") as info:
        parse_deck(broken, file_name=NAME)
    assert info.value.line == 548


@pytest.mark.parametrize(("text", "line", "field"), [
    ("", 1, "document"),
    ("  \n\n\t\n", 1, "document"),
    ("# 題\n\nただの文章です。\n", 1, "structure"),
])
def test_empty_or_unstructured(text, line, field) -> None:
    with pytest.raises(SourceError) as info:
        parse_deck(text, file_name=NAME)
    assert (info.value.line, info.value.field) == (line, field)


def test_national_part_alone_has_no_plan_structure(deck_text) -> None:
    national_only = "\n".join(deck_text.split("\n")[:366])
    with pytest.raises(SourceError, match="no recognisable plan structure"):
        parse_deck(national_only, file_name=NAME)


def test_direction_row_that_matches_nothing(deck_text) -> None:
    broken = edit_line(deck_text, 477, "住民の暮らしに欠かせない地域交通・物流の安定的な確保", "宇宙港の建設")
    with pytest.raises(SourceError, match="matches no direction") as info:
        parse_deck(broken, file_name=NAME)
    assert (info.value.line, info.value.field) == (477, "施策の展開方針")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "deck.txt"
    path.write_bytes(b"# title\n\nabc\x00def\n")
    with pytest.raises(SourceError, match="binary") as info:
        read_deck(path)
    assert (info.value.line, info.value.field) == (3, "encoding")


def test_non_utf8_file(tmp_path: Path, deck_text) -> None:
    path = tmp_path / "deck-sjis.txt"
    path.write_bytes(deck_text.encode("cp932", errors="replace"))
    with pytest.raises(SourceError, match="not UTF-8") as info:
        read_deck(path)
    assert (info.value.line, info.value.field) == (3, "encoding")  # line 3 is the first non-ASCII line


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read_deck(tmp_path / "nope.txt")


def test_read_deck_names_the_source_by_stem(tmp_path: Path, deck_text) -> None:
    path = tmp_path / "my-edition.txt"
    path.write_text(deck_text, encoding="utf-8")
    name, graph = read_deck(path)
    assert name == "my-edition" and len(graph) > 1000
