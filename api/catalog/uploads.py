"""Observations uploaded through the browser: a CSV (the template's columns) or an Excel workbook
(first sheet, same columns), loaded into the store all or nothing.

The file goes through the same loader and SHACL validation as ``policykg gaps --observations``
(:func:`policykg.graph.build.build_store` into the running store): one bad row and nothing is written.
Errors come back as rows a planner can act on, in Japanese and English: line, column, and what is
wrong (the loader's own message kept as the English detail).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from policykg.errors import SourceError, ValidationFailed
from policykg.graph.store import Store

__all__ = ["UploadError", "load_upload", "safe_stem", "explain", "ACCEPTED_SUFFIXES", "MAX_UPLOAD_BYTES"]

ACCEPTED_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 2_000_000
"""Largest accepted upload (an observation file of many thousand rows is far smaller)."""


@dataclass
class UploadError(Exception):
    """The upload was refused; ``errors`` are ``{line, column, ja, en}`` rows (line/column may be None)."""

    errors: list[dict]

    def __str__(self) -> str:
        return "; ".join(e["en"] for e in self.errors)


def safe_stem(filename: str | None) -> str:
    """A file stem safe as a graph and document name (ASCII letters, digits, ``._-``).

    >>> safe_stem("実績 2024年度.csv"), safe_stem("../../etc/obs.xlsx"), safe_stem(None)
    ('upload-2024', 'obs', 'upload')
    """
    stem = Path(filename or "").stem
    clean = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")
    if not clean or not re.search(r"[A-Za-z]", clean):
        clean = f"upload-{clean}" if clean else "upload"
    return clean[:60]


_JA_BY_COLUMN = {
    "indicator": "指標名が見つからないか、複数の指標に当てはまります",
    "date": "日付として読めません（2024-03-31、2024-03、令和5年度 などで書いてください）",
    "value": "数値として読めません（単位は unit 列に書いてください）",
    "unit": "単位がこの指標の単位と合いません（万・億・千の接頭辞のみ変えられます）",
    "synthetic": "synthetic 列は true か false で書いてください",
    "source": "出典が空です",
}


def explain(exc: SourceError) -> dict:
    """One loader error as a row for the page: line, column, Japanese and English wording.

    >>> explain(SourceError("value is empty", file="a.csv", line=3, field="value"))["ja"]
    '3 行目「value」列: value が空です'
    """
    where_ja = (f"{exc.line} 行目" if exc.line is not None else "") + (f"「{exc.field}」列" if exc.field else "")
    where_en = ", ".join(x for x in (f"line {exc.line}" if exc.line is not None else "",
                                     f"column {exc.field}" if exc.field else "") if x)
    message = exc.message
    if message.endswith(" is empty") and exc.field:
        ja = f"{exc.field} が空です"
    elif message.startswith("duplicate observation"):
        ja = "同じ指標・日付・出典の行がすでにあります（" + message.rsplit(" ", 1)[-1] + " 行目）"
    elif message.startswith("missing column") or "observations need" in message:
        if "observations need" in message:
            need = message.split("observations need ", 1)[1].split(";")[0]
            found = message.rsplit("found ", 1)[-1] if "found " in message else ""
            ja = f"必要な列がありません（必要: {need}／このファイル: {found}）"
        else:
            ja = "必要な列がありません: " + message.split(";")[0].removeprefix("missing column(s) ")
    elif message.startswith("no rows"):
        ja = "見出し行の下に実績値の行がありません"
    else:
        ja = _JA_BY_COLUMN.get(exc.field or "", "読み込めません")
    return {"line": exc.line, "column": exc.field,
            "ja": f"{where_ja}: {ja}" if where_ja else ja,
            "en": f"{where_en}: {message}" if where_en else message}


def _xlsx_to_csv(data: bytes) -> str:
    """The first sheet of a workbook as CSV text (cells as shown: numbers plain, dates ISO)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise UploadError([{"line": None, "column": None, "ja": "Excel ファイルとして読めません",
                            "en": f"not a readable .xlsx workbook ({type(exc).__name__})"}]) from None
    sheet = book.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in sheet.iter_rows(values_only=True):
        cells = []
        for value in row:
            if value is None:
                cells.append("")
            elif hasattr(value, "date") and hasattr(value, "isoformat"):
                cells.append(value.date().isoformat() if hasattr(value, "hour") else value.isoformat())
            elif isinstance(value, float) and value.is_integer():
                cells.append(str(int(value)))
            else:
                cells.append(str(value))
        if any(cells):
            writer.writerow(cells)
    book.close()
    return out.getvalue()


def load_upload(store: Store, filename: str | None, data: bytes) -> int:
    """Validate and load one uploaded observation file into ``store``; returns the rows loaded.

    :raises UploadError: wrong type, too large, not UTF-8, a bad row, or SHACL violations; nothing
        was written.
    """
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise UploadError([{"line": None, "column": None, "ja": "CSV（.csv）か Excel（.xlsx）のファイルを選んでください",
                            "en": f"choose a .csv or .xlsx file (got {suffix or 'no suffix'!r})"}])
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError([{"line": None, "column": None, "ja": f"ファイルが大きすぎます（上限 {MAX_UPLOAD_BYTES:,} バイト）",
                            "en": f"file larger than {MAX_UPLOAD_BYTES:,} bytes"}])
    if suffix == ".xlsx":
        text = _xlsx_to_csv(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UploadError([{"line": None, "column": None, "ja": "UTF-8 の CSV で保存してください（Excel の「CSV UTF-8」）",
                                "en": "the CSV is not UTF-8; save it as 'CSV UTF-8'"}]) from None
    rows = max(0, len([line for line in text.splitlines() if line.strip()]) - 1)
    from policykg.graph.build import build_store

    with tempfile.TemporaryDirectory(prefix="policykg-upload-") as folder:
        path = Path(folder) / f"{safe_stem(filename)}.csv"
        path.write_text(text, encoding="utf-8")
        try:
            build_store([path], store=store)
        except SourceError as exc:
            raise UploadError([explain(exc)]) from None
        except ValidationFailed as exc:
            raise UploadError([{"line": None, "column": None,
                                "ja": f"形の検証（SHACL）で {exc.violations} 件の違反がありました",
                                "en": exc.report_text[:2000]}]) from None
    return rows
