"""Write a workbook: the blank template (one example row per sheet) or a filled one (export).

Headers read ``日本語 / English``; required columns are marked ``*`` in the header comment and on the
instructions sheet; dropdowns (data validation) offer the closed lists of :data:`schema.CHOICES`,
the units and the national items, which live on a hidden sheet ``選択肢 lists``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rdflib import Graph

from policykg.values import UNITS
from policykg.loaders.workbook.schema import CHOICES, INSTRUCTIONS_TITLE, MAX_ROWS, SHEETS_LIST, Sheet

LISTS_TITLE = "選択肢 lists"
HEADER_FILL = "DDEBF7"
REQUIRED_FILL = "FCE4D6"

INSTRUCTIONS = [
    ("自分の計画を読み込む（Bring your own plan）", "title"),
    ("このブックに自治体の計画を書き、`policykg build --add このファイル.xlsx` で北海道などの計画と並べて読み込みます。", ""),
    ("Fill in your government's plan here and load it next to the bundled ones with `policykg build --add plan.xlsx`.", "en"),
    ("", ""),
    ("書き方 / how to fill it", "title"),
    ("1. 各シートの2行目は例です。書き換えるか、行ごと削除してください。 / Row 2 of each sheet is an example: overwrite or delete it.", ""),
    ("2. 見出し（1行目）は変えないでください。色の濃い列（*）は必須です。 / Keep row 1; columns marked * are required.", ""),
    ("3. 日付は Excel の日付、2025-03-31、令和6年度末、令和6年3月31日、2027年度、R2~R6（期間）で書けます。年だけは年度（4月〜3月）です。"
     " / Dates: Excel dates, ISO, 和暦, fiscal years (a year alone is a Japanese fiscal year), periods such as R2~R6.", ""),
    ("4. 展開方針は「1a」（分野番号＋記号）か方針名で指します。複数は ; で区切ります。 / Refer to directions as 1a or by name; separate several with ;.", ""),
    ("5. 目標が複数ある指標は、同じ指標名の行を続けて目標の列だけ書きます。 / More targets: repeat the indicator name on a new row with only the target columns.", ""),
    ("6. ID 列は空欄でかまいません（自動で決まります）。 / Leave the ID columns blank unless you need fixed ids.", ""),
    ("7. 数式は使えますが、Excel で保存して計算結果を残してください。 / Formulas are fine once Excel has saved their values.", ""),
    ("8. 読み込みは全部かゼロか：一つでも誤りがあれば何も書き込まず、シート・行・列を示します。 / Loading is all or nothing; an error names sheet, row and column.", ""),
    (f"9. 1シート {MAX_ROWS:,} 行まで。CSV の場合はシートごとに areas.csv のようなファイルを一つのフォルダーに置きます。 / "
     f"At most {MAX_ROWS:,} rows per sheet. As CSV: one file per sheet (areas.csv …) in one folder.", ""),
    ("", ""),
    ("シート / sheets", "title"),
]


def national_item_labels(graph: Graph) -> list[str]:
    """Japanese labels of the national items and plans in ``graph`` (the alignment dropdown), sorted, unique."""
    from policykg.labels import NATIONAL_KINDS
    from policykg.namespaces import RDF, SKOS

    items = {s for cls in NATIONAL_KINDS for s in graph.subjects(RDF.type, cls)}
    labels = {str(o) for s in items for o in graph.objects(s, SKOS.prefLabel) if getattr(o, "language", None) == "ja"}
    return sorted(labels)


def _dropdowns(national: list[str]) -> dict[str, list[str]]:
    lists = {name: list(values) for name, values in CHOICES.items()}
    lists["unit"] = [u for u in UNITS if u]
    lists["national"] = national
    return lists


def write_workbook(
    path: str | Path,
    rows: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    national: list[str],
) -> Path:
    """Write every schema sheet with ``rows[sheet key]`` (dicts keyed by column key) below the headers."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = INSTRUCTIONS_TITLE
    lists_ws = wb.create_sheet(LISTS_TITLE)
    lists_ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for i, (name, values) in enumerate(sorted(_dropdowns(national).items()), start=1):
        letter = get_column_letter(i)
        lists_ws.cell(1, i, name)
        for r, value in enumerate(values, start=2):
            lists_ws.cell(r, i, value)
        ranges[name] = f"'{LISTS_TITLE}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
    for r, (text, style) in enumerate(INSTRUCTIONS, start=1):
        cell = info.cell(r, 1, text)
        if style == "title":
            cell.font = Font(bold=True, size=13)
    r = len(INSTRUCTIONS) + 1
    for sheet in SHEETS_LIST:
        info.cell(r, 1, f"「{sheet.title}」: {sheet.help}").font = Font(bold=True)
        r += 1
        for col in sheet.columns:
            mark = " *" if col.required else ""
            info.cell(r, 1, f"    {col.header}{mark}" + (f" — {col.help}" if col.help else ""))
            r += 1
    info.column_dimensions["A"].width = 140
    for sheet in SHEETS_LIST:
        _sheet(wb, sheet, list(rows.get(sheet.key, ())), ranges, Comment, Font, PatternFill, Alignment,
               get_column_letter, DataValidation)
    wb.move_sheet(LISTS_TITLE, offset=len(wb.sheetnames))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _sheet(wb, sheet: Sheet, rows, ranges, Comment, Font, PatternFill, Alignment, get_column_letter, DataValidation) -> None:
    ws = wb.create_sheet(sheet.title)
    for i, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, i, col.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if col.required else HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = ("必須 / required. " if col.required else "") + (col.help or "")
        if note:
            cell.comment = Comment(note, "policykg")
        ws.column_dimensions[get_column_letter(i)].width = max(14, min(48, len(col.header) * 2))
        if col.choices and col.choices in ranges:
            dv = DataValidation(type="list", formula1=f"={ranges[col.choices]}", allow_blank=True)
            if col.choices == "national":
                dv.errorStyle = "warning"  # items loaded from other sources are accepted too
            dv.error = "一覧から選んでください / pick a value from the list"
            dv.errorTitle = "policykg"
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{MAX_ROWS + 1}")
    ws.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for i, col in enumerate(sheet.columns, start=1):
            value = row.get(col.key)
            if value is None or value == "":
                continue
            if col.kind == "int":
                value = int(value)
            ws.cell(r, i, value)
    for i, col in enumerate(sheet.columns, start=1):
        if col.kind in ("code", "id"):  # text cells: Excel keeps the leading zeros of 010006
            for r in range(2, 12):
                ws.cell(r, i).number_format = "@"


def write_template(path: str | Path, *, national: list[str]) -> Path:
    """The blank template: headers, dropdowns, instructions and one example row per sheet."""
    return write_workbook(path, {s.key: [s.example] if s.example else [] for s in SHEETS_LIST}, national=national)


__all__ = ["write_template", "write_workbook", "national_item_labels", "LISTS_TITLE"]
