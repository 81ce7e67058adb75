"""Every bad workbook gets a clear error naming sheet, row and column (ja, then en), and the store is unchanged."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from workbook_support import CITY_ROWS
from policykg.errors import SourceError
from policykg.loaders.workbook.schema import MAX_ROWS, SHEETS


@pytest.fixture(scope="module")
def store():
    """The bundled graph in memory; every bad build below must leave it exactly as it is."""
    from policykg.graph.build import build_store

    return build_store(validate=False)


def _quads(store) -> set:
    return set(store.quads())


def _where(sheet: str, row: int | None = None, column: str | None = None) -> list[str]:
    """The ja and en fragments an error must contain."""
    s = SHEETS[sheet]
    ja, en = f"シート「{s.label}」", f"sheet '{s.label}'"
    if row is not None:
        ja, en = ja + f"{row}行目", en + f", row {row}"
    if column is not None:
        header = s.column(column).header
        ja, en = ja + f"「{header}」", en + f", column '{header}'"
    return [ja, en]


def _edit(path: Path, sheet: str, edit) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    edit(wb, wb[SHEETS[sheet].title])
    wb.save(path)
    return path


def missing_sheet(make):
    return _edit(make(), "measures", lambda wb, ws: wb.remove(ws)), _where("measures"), "missing sheet"


def unknown_column(make):
    def edit(wb, ws):
        ws.cell(1, ws.max_column + 1, "予算 / budget")
    return _edit(make(), "measures", edit), _where("measures", 1), "unknown column '予算 / budget'"


def bad_date(make):
    rows = [dict(CITY_ROWS["indicators"][0], target_date="令和6年13月"), *CITY_ROWS["indicators"][1:]]
    return make(indicators=rows), _where("indicators", 2, "target_date"), "not a date"


def unknown_national_item(make):
    rows = [dict(CITY_ROWS["alignments"][0], national="存在しない国の施策")]
    return make(alignments=rows), _where("alignments", 2, "national"), "unknown national item"


def duplicate_measure(make):
    rows = [*CITY_ROWS["measures"], {"label": "電子申請の全手続対応", "directions": "2a"}]
    return make(measures=rows), _where("measures", 4, "label"), "duplicate measure"


def measure_under_missing_direction(make):
    rows = [*CITY_ROWS["measures"], {"label": "新しい施策", "directions": "3z"}]
    return make(measures=rows), _where("measures", 4, "directions"), "no direction '3z'"


def formula_without_cached_value(make):
    def edit(wb, ws):
        ws.cell(2, 1, '="電子申請"&"の全手続対応"')
    return _edit(make(), "measures", edit), _where("measures", 2), "no cached value"


def ten_thousand_rows(make):
    rows = [{"label": f"施策{i}", "directions": "1a"} for i in range(10_000)]
    return make(measures=rows), _where("measures", MAX_ROWS + 2), "too many rows"


def not_a_workbook(make):
    path = make().with_name("notes.xlsx")
    path.write_text("計画のメモ / just some notes\n", encoding="utf-8")
    return path, [], "not an Excel workbook"


def code_with_a_wrong_check_digit(make):
    rows = [dict(CITY_ROWS["jurisdiction"][0], code="999990")]
    return make(jurisdiction=rows), _where("jurisdiction", 2, "code"), "check digit"


def indicator_under_missing_direction(make):
    rows = [dict(CITY_ROWS["indicators"][0], direction="9a"), *CITY_ROWS["indicators"][1:]]
    return make(indicators=rows), _where("indicators", 2, "direction"), "no direction '9a'"


def second_plan_for_hokkaido(make):
    rows = [dict(CITY_ROWS["jurisdiction"][0], name="北海道", key="")]
    return make(jurisdiction=rows), _where("jurisdiction", 2, "name"), "already loaded"


def empty_required_cell(make):
    rows = [dict(CITY_ROWS["alignments"][0], relation=None)]
    return make(alignments=rows), _where("alignments", 2, "relation"), "a value is required"


def value_not_in_the_dropdown(make):
    rows = [dict(CITY_ROWS["alignments"][0], evidence="たぶん")]
    return make(alignments=rows), _where("alignments", 2, "evidence"), "not an allowed value 'たぶん'"


def numeric_indicator_without_target_date(make):
    rows = [dict(CITY_ROWS["indicators"][0], target_date=None), *CITY_ROWS["indicators"][1:]]
    return make(indicators=rows), _where("indicators", 2, "target_date"), "a target date is required"


CASES = [empty_required_cell, value_not_in_the_dropdown, numeric_indicator_without_target_date, missing_sheet, unknown_column, bad_date, unknown_national_item, duplicate_measure,
         measure_under_missing_direction, formula_without_cached_value, ten_thousand_rows, not_a_workbook,
         code_with_a_wrong_check_digit, indicator_under_missing_direction, second_plan_for_hokkaido]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_workbook_is_refused_and_the_store_is_unchanged(case, city_workbook, store):
    from policykg.graph.build import build_store

    path, where, english = case(city_workbook)
    before = _quads(store)
    with pytest.raises(SourceError) as info:
        build_store([path], store=store)
    text = str(info.value)
    assert english in text, text
    for fragment in where:
        assert fragment in text, text
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text.split(" / ", 1)[0]), "Japanese first: " + text
    assert _quads(store) == before


def test_formula_with_a_cached_value_reads_the_value(city_workbook, bundled_context):
    """A formula cell that Excel has calculated gives its cached value (the file carries <v> beside <f>)."""
    from policykg.loaders.workbook import read_workbook_data

    path = formula_without_cached_value(city_workbook)[0]
    patched = path.with_name("cached.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if re.search(rb"<f>[^<]*</f>", data) and item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<c r="A2"([^>]*)t="[^"]*"([^>]*)><f>([^<]*)</f><v\s*/>|<c r="A2"([^>]*)><f>([^<]*)</f>(<v\s*/>|<v></v>)?',
                              lambda m: b'<c r="A2" t="str"><f>' + (m.group(3) or m.group(5)) + b"</f><v>"
                              + "電子申請の全手続対応".encode() + b"</v>", data)
            dst.writestr(item, data)
    rows = read_workbook_data(patched).sheets["measures"].rows
    assert rows[0].cells["label"] == "電子申請の全手続対応"


def test_cli_build_add_exits_2_with_the_spot(tmp_path, city_workbook):
    from typer.testing import CliRunner

    from policykg.cli import app

    path = duplicate_measure(city_workbook)[0]
    result = CliRunner().invoke(app, ["build", "--add", str(path), "--no-validate", "--out", str(tmp_path / "g.trig")])
    assert result.exit_code == 2
    assert "duplicate measure" in result.output and "施策 / measures" in result.output
    assert not (tmp_path / "g.trig").exists()


def test_workbooks_and_csv_folders_are_sources(tmp_path):
    from policykg.loaders.registry import source_kind

    assert source_kind(Path("plan.xlsx")) == source_kind(tmp_path) == "workbook"
    with pytest.raises(SourceError, match="plan workbook"):
        source_kind(Path("plan.xls"))
