"""Read a workbook (.xlsx) or a folder of CSV files into rows keyed by the schema's column keys.

Only this module touches files. Cells keep their Python type (text, number, date); :mod:`parse`
interprets them. A formula cell gives its cached value (what Excel last calculated); a formula with
no cached value (a file written by a program that does not calculate) is an error, never a blank.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.errors import SourceError
from policykg.loaders.workbook.schema import INSTRUCTIONS_TITLE, MAX_ROWS, SHEETS_LIST, Column, Sheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Row:
    """One data row: its row number in the sheet (header = 1) and its non-empty cells by column key."""

    number: int
    cells: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.cells.get(key)


@dataclass
class SheetData:
    sheet: Sheet
    rows: list[Row] = field(default_factory=list)


@dataclass
class WorkbookData:
    """Everything read from one workbook or CSV folder; ``file`` names it in errors."""

    file: str
    sheets: dict[str, SheetData]
    digest_source: bytes = b""


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip().lower()


def _sheet_names(sheet: Sheet) -> set[str]:
    return {_norm(n) for n in (sheet.title, sheet.ja, sheet.en, sheet.key, sheet.label, sheet.en.replace(" ", "_"))}


def match_sheet(name: str) -> Sheet | None:
    """The schema sheet a sheet title (or CSV file stem) names, or None.

    >>> match_sheet("分野 areas").key, match_sheet("分野").key, match_sheet("Roadmap_Phases").key
    ('areas', 'areas', 'phases')
    """
    key = _norm(name)
    return next((s for s in SHEETS_LIST if key in _sheet_names(s)), None)


def _column_for(sheet: Sheet, header: str) -> Column | None:
    text = _norm(header)
    for c in sheet.columns:
        if text in {_norm(c.header), _norm(c.ja), _norm(c.en), _norm(f"{c.ja}/{c.en}"), _norm(c.key)}:
            return c
    return None


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _rows(
    file: str, sheet: Sheet, lines: Iterator[tuple[int, list[Any]]],
) -> SheetData:
    """Header on the first non-empty line, then data rows; checks columns and the row limit."""
    err = lambda msg, row=None, col=None: SourceError(msg, file=file, line=row, field=col, sheet=sheet.label)  # noqa: E731
    header_row, header = None, []
    for number, values in lines:
        if any(_cell(v) is not None for v in values):
            header_row, header = number, values
            break
    if header_row is None:
        raise err("見出し行がありません（テンプレートの1行目をそのまま残してください） / no header row "
                  "(keep the template's first row)", 1)
    columns: list[Column | None] = []
    seen: dict[str, int] = {}
    for i, text in enumerate(header):
        text = _cell(text)
        if text is None:
            columns.append(None)
            continue
        col = _column_for(sheet, str(text))
        if col is None:
            known = "、".join(c.header for c in sheet.columns)
            raise err(f"知らない列です: {text!r}。使える列: {known} / unknown column {text!r}; "
                      f"columns of this sheet: {', '.join(c.en for c in sheet.columns)}", header_row, str(text))
        if col.key in seen:
            raise err(f"同じ列が2回あります / the column appears twice (also column {seen[col.key] + 1})", header_row, col.header)
        seen[col.key] = i
        columns.append(col)
    missing = [c.header for c in sheet.columns if c.required and c.key not in seen]
    if missing:
        raise err(f"必須の列がありません: {'、'.join(missing)} / missing required column(s): {', '.join(missing)}",
                  header_row, missing[0])
    data = SheetData(sheet)
    for number, values in lines:
        cells: dict[str, Any] = {}
        for i, value in enumerate(values):
            value = _cell(value)
            if value is None:
                continue
            col = columns[i] if i < len(columns) else None
            if col is None:
                raise err(f"見出しのない列に値があります（{i + 1}列目） / a value in a column without a header "
                          f"(column {i + 1})", number, f"{i + 1}列目 / column {i + 1}")
            cells[col.key] = value
        if not cells:
            continue
        if len(data.rows) >= MAX_ROWS:
            raise err(f"行が多すぎます（1シート {MAX_ROWS:,} 行まで） / too many rows (at most {MAX_ROWS:,} per sheet)", number)
        data.rows.append(Row(number, cells))
    if sheet.single and len(data.rows) > 1:
        raise err("このシートは1行だけです / this sheet takes exactly one row", data.rows[1].number)
    if len(data.rows) < sheet.min_rows:
        raise err("少なくとも1行書いてください / at least one row is required", header_row + 1)
    return data


def _check_sheets(file: str, found: dict[str, SheetData], names: Iterable[str]) -> None:
    for sheet in SHEETS_LIST:
        if sheet.key not in found:
            raise SourceError(
                f"シート「{sheet.title}」がありません（ある: {'、'.join(names) or 'なし'}）。"
                f"`policykg template` の雛形から始めてください / missing sheet {sheet.title!r} "
                f"(found: {', '.join(names) or 'none'}); start from `policykg template`",
                file=file, sheet=sheet.label)


def _excel_value(cell: Any) -> Any:
    value = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        scaled = round(value * 100, 10)
        return f"{int(scaled) if float(scaled).is_integer() else scaled}%"
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def read_xlsx(path: str | Path) -> WorkbookData:
    """Read every schema sheet of an .xlsx file (openpyxl read-only; cached values of formulas).

    :raises SourceError: not an .xlsx workbook, a missing sheet, an unknown or missing column, a formula
        cell without a cached value, a sheet with more than :data:`MAX_ROWS` rows.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path)
    file = str(p)
    if p.suffix.lower() == ".xls":
        raise SourceError("古い .xls 形式は読めません。Excel で「.xlsx」として保存してください / the old .xls "
                          "format is not read; save as .xlsx", file=file, field="file")
    try:
        formula_book = openpyxl.load_workbook(p, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise SourceError(f"Excel ブック（.xlsx）として読めません / not an Excel workbook (.xlsx): {exc}",
                          file=file, field="file") from None
    values_book = None
    try:
        found: dict[str, SheetData] = {}
        for title in formula_book.sheetnames:
            sheet = match_sheet(title)
            if sheet is None or sheet.key in found:
                continue
            try:  # one pass while the sheet holds no formula (the common case) ...
                with closing(_plain_lines(formula_book[title])) as lines:  # closed at once on a refusal too
                    found[sheet.key] = _rows(file, sheet, lines)
            except _HasFormula:  # ... else cached values from a second, values-only reading
                values_book = values_book or openpyxl.load_workbook(p, read_only=True, data_only=True)
                with closing(_xlsx_lines(file, sheet, values_book[title], formula_book[title])) as lines:
                    found[sheet.key] = _rows(file, sheet, lines)
        _check_sheets(file, found, [t for t in formula_book.sheetnames if t != INSTRUCTIONS_TITLE])
    finally:
        formula_book.close()
        if values_book is not None:
            values_book.close()
    return WorkbookData(file, found, p.read_bytes())


class _HasFormula(Exception):
    """A sheet holds a formula: read it again for the cached values."""


def _plain_lines(ws: Any) -> Iterator[tuple[int, list[Any]]]:
    with closing(ws.iter_rows()) as rows:  # the sheet's part of the archive is closed with it, at once
        for number, row in enumerate(rows, start=1):
            if any(getattr(c, "data_type", None) == "f" for c in row):
                raise _HasFormula
            yield number, [_excel_value(c) for c in row]


def _xlsx_lines(file: str, sheet: Sheet, values_ws: Any, formula_ws: Any) -> Iterator[tuple[int, list[Any]]]:
    with closing(formula_ws.iter_rows(values_only=True)) as formulas, closing(values_ws.iter_rows()) as rows:
        yield from _values_with_formulas(file, sheet, rows, formulas)


def _values_with_formulas(file: str, sheet: Sheet, rows: Iterator, formulas: Iterator) -> Iterator[tuple[int, list[Any]]]:
    for number, row in enumerate(rows, start=1):
        raw = next(formulas, ())
        values = [_excel_value(c) for c in row]
        for i, value in enumerate(values):
            if value is None and i < len(raw) and isinstance(raw[i], str) and raw[i].startswith("="):
                raise SourceError(
                    f"数式 {raw[i]!r} の計算結果が保存されていません。Excel で開いて保存し直すか、値を直接書いてください / "
                    f"formula {raw[i]!r} has no cached value; open and save the file in Excel, or type the value",
                    file=file, line=number, field=f"{i + 1}列目 / column {i + 1}", sheet=sheet.label)
        yield number, values


def read_csv_folder(path: str | Path) -> WorkbookData:
    """Read a folder of CSV files, one per sheet (``areas.csv`` or ``分野.csv``), UTF-8 with or without BOM.

    :raises SourceError: a missing sheet file, bad encoding, or any check of :func:`read_xlsx`.
    """
    p = Path(path)
    found: dict[str, SheetData] = {}
    names: list[str] = []
    blob = b""
    for csv_path in sorted(p.glob("*.csv")):
        names.append(csv_path.name)
        sheet = match_sheet(csv_path.stem)
        if sheet is None or sheet.key in found:
            continue
        try:
            data = csv_path.read_bytes()
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(f"UTF-8 ではありません（「CSV UTF-8」で保存してください） / not UTF-8 "
                              f"(save as 'CSV UTF-8'): byte {exc.start}", file=str(csv_path), sheet=sheet.label) from None
        except OSError as exc:
            raise SourceError(f"読めません / cannot read: {exc.strerror}", file=str(csv_path), sheet=sheet.label) from None
        blob += data
        reader = csv.reader(text.splitlines())
        found[sheet.key] = _rows(str(csv_path), sheet, ((reader.line_num, row) for row in reader))
    _check_sheets(str(p), found, names)
    return WorkbookData(str(p), found, blob)


def read_workbook_data(path: str | Path) -> WorkbookData:
    """An .xlsx file or a CSV folder. :raises SourceError: see :func:`read_xlsx`, :func:`read_csv_folder`."""
    p = Path(path)
    if p.is_dir():
        return read_csv_folder(p)
    if not p.is_file():
        raise SourceError("ファイルがありません / no such file", file=str(p), field="file")
    return read_xlsx(p)


__all__ = ["Row", "SheetData", "WorkbookData", "read_xlsx", "read_csv_folder", "read_workbook_data", "match_sheet",
           "WORKBOOK_SUFFIXES"]
