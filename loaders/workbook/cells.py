"""Cell values → Python values, each failure a :class:`SourceError` naming sheet, row and column.

>>> number_text(36.0), number_text(0.5), number_text(1200)
('36', '0.5', '1200')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from policykg.errors import SourceError
from policykg.values import Quantity, TimeValue, ValueFormatError, parse_quantity
from policykg.loaders.workbook.dates import parse_date_cell
from policykg.loaders.workbook.read import Row
from policykg.loaders.workbook.schema import CHOICES, ENGLISH_CHOICES, LIST_SEPARATORS, Sheet

_SAFE_ID = re.compile(r"^[A-Za-z0-9._~-]+$")


def number_text(value: Any) -> str:
    """A number cell as the text a planner would type (no ``.0`` tail, no exponent)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        d = Decimal(repr(value))
        text = format(d, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


@dataclass
class Cells:
    """Typed access to one row of one sheet; every error names file, sheet, row and column (ja / en)."""

    file: str
    sheet: Sheet
    row: Row

    def fail(self, key: str | None, message: str) -> SourceError:
        field = self.sheet.column(key).header if key else None
        return SourceError(message, file=self.file, line=self.row.number, field=field, sheet=self.sheet.label)

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.row.get(key)
        if value is None:
            if required or self.sheet.column(key).required:
                raise self.fail(key, "空欄です。値を書いてください / this cell is empty; a value is required")
            return ""
        if isinstance(value, (int, float)):
            return number_text(value)
        return str(value).strip()

    def integer(self, key: str) -> int | None:
        value = self.row.get(key)
        if value is None:
            if self.sheet.column(key).required:
                raise self.fail(key, "空欄です。番号を書いてください / this cell is empty; a number is required")
            return None
        try:
            number = float(value) if not isinstance(value, str) else float(value.strip())
        except ValueError:
            raise self.fail(key, f"整数ではありません: {value!r} / not a whole number: {value!r}") from None
        if not number.is_integer() or number < 1:
            raise self.fail(key, f"1以上の整数を書いてください: {value!r} / not a whole number ≥ 1: {value!r}")
        return int(number)

    def date(self, key: str, *, required: bool = False) -> TimeValue | None:
        value = self.row.get(key)
        if value is None:
            if required or self.sheet.column(key).required:
                raise self.fail(key, "空欄です。日付を書いてください / this cell is empty; a date is required")
            return None
        try:
            return parse_date_cell(value)
        except ValueFormatError as exc:
            raise self.fail(key, str(exc)) from None

    def items(self, key: str) -> list[str]:
        text = self.text(key)
        return [t.strip() for t in re.split(LIST_SEPARATORS, text) if t.strip()]

    def choice(self, key: str) -> str | None:
        text = self.text(key)  # raises for an empty required cell
        if not text:
            return None
        name = self.sheet.column(key).choices or ""
        table = {**CHOICES.get(name, {}), **ENGLISH_CHOICES.get(name, {})}
        found = table.get(text) or table.get(text.lower())
        if found is None:
            allowed = "、".join(CHOICES.get(name, {}))
            raise self.fail(key, f"選べない値です: {text!r}（選べる値: {allowed}） / not an allowed value {text!r} "
                                 f"(allowed: {', '.join(ENGLISH_CHOICES.get(name, {}))})")
        return found

    def ident(self, key: str = "id") -> str | None:
        text = self.text(key)
        if not text:
            return None
        if not _SAFE_ID.match(text):
            raise self.fail(key, f"ID は半角英数字と . _ ~ - だけです: {text!r} / an id may only hold A-Z a-z 0-9 . _ ~ -: {text!r}")
        return text

    def quantity(self, key: str, *, unit_text: str) -> Quantity | None:
        text = self.text(key)
        if not text:
            return None
        try:
            return parse_quantity(text, default_unit_text=unit_text)
        except ValueFormatError as exc:
            raise self.fail(key, f"数値として読めません / not a value: {exc}") from None


__all__ = ["Cells", "number_text"]
