"""Date cells of a workbook: Excel dates, ISO text, 和暦 and fiscal years, periods. Pure functions.

Everything resolves to the OWL-Time values of :mod:`policykg.values` (docs/model.md "Time"),
so a workbook's dates look exactly like the deck's: a year alone is a Japanese fiscal year and
resolves to its last day; 年度末 is the same day; a month resolves to its last day.

>>> parse_date_cell("令和6年度末").date
datetime.date(2025, 3, 31)
>>> parse_date_cell("令和6年3月31日").date
datetime.date(2024, 3, 31)
>>> parse_date_cell("2025-03-31").date, parse_date_cell("2025-03-31").unit
(datetime.date(2025, 3, 31), 'day')
>>> import datetime; parse_date_cell(datetime.datetime(2024, 3, 29)).text
'2024-03-29'
>>> v = parse_date_cell("2021 2022 2023 2024 2025 … 2030"); (v.begin.date, v.end.date)
(datetime.date(2021, 4, 1), datetime.date(2031, 3, 31))
>>> parse_date_cell(2027).fiscal_year
2027
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from policykg.values import Instant, Interval, TimeValue, ValueFormatError, fiscal_year_instant, parse_time

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?$")
"""ISO-like days and months; a time of day after the day (a datetime saved as CSV) is ignored."""
_YEAR_RUN = re.compile(r"^\d{4}(?:[\s….・,、]+\d{4})+$")
_YEAR_RUN_SPLIT = re.compile(r"\d{4}")
_RANGE = re.compile(r"\s*(?:~|〜|～|－|–|—|から)\s*")
_FISCAL_END = re.compile(r"年度\s*末$")


def _iso(text: str) -> Instant | None:
    m = _ISO.match(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    if not 1 <= month <= 12:
        raise ValueFormatError(f"月が範囲外です / month out of range: {text!r}")
    if day is None:
        from policykg.values import month_instant

        return month_instant(year, month, text)
    try:
        return Instant(dt.date(year, month, int(day)), "day", text)
    except ValueError:
        raise ValueFormatError(f"存在しない日付です / not a calendar date: {text!r}") from None


def _instant_text(text: str) -> TimeValue:
    s = unicodedata.normalize("NFKC", text).strip()
    if (found := _iso(s)) is not None:
        return found
    if _FISCAL_END.search(s):
        value = parse_time(_FISCAL_END.sub("年度", s))
        if isinstance(value, Instant):
            return Instant(value.date, value.unit, text.strip(), value.fiscal_year)
        return value
    return parse_time(text)


def parse_date_text(text: str) -> TimeValue:
    """A date or a period written as text (ISO, 和暦, fiscal year, ``R2~R6``, a run of years).

    >>> parse_date_text("R2~R6").end.date
    datetime.date(2025, 3, 31)
    >>> parse_date_text("2024-04-01~2025-03-31").begin.unit
    'day'
    >>> parse_date_text("2024-03-29 00:00:00").date
    datetime.date(2024, 3, 29)

    :raises ValueFormatError: not a date (the message is Japanese then English).
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise ValueFormatError("日付が空です / empty date")
    if _YEAR_RUN.match(s):
        years = [int(y) for y in _YEAR_RUN_SPLIT.findall(s)]
        return Interval(fiscal_year_instant(min(years), str(min(years)), at="start"),
                        fiscal_year_instant(max(years), str(max(years))), text.strip())
    parts = [p for p in _RANGE.split(s) if p]
    try:
        if len(parts) == 2 and (_iso(parts[0]) or _iso(parts[1]) or _FISCAL_END.search(parts[1])):
            begin, end = _instant_text(parts[0]), _instant_text(parts[1])
            if not isinstance(begin, Instant) or not isinstance(end, Instant):
                raise ValueFormatError(f"not a period: {text!r}")
            if begin.unit == "year":
                begin = fiscal_year_instant(begin.fiscal_year or begin.date.year, begin.text, at="start")
            elif begin.unit == "month":
                begin = Instant(begin.date.replace(day=1), "month", begin.text)
            return Interval(begin, end, text.strip())
        return _instant_text(text)
    except ValueFormatError as exc:
        raise ValueFormatError(
            f"日付として読めません: {text!r}（例: 2025-03-31、令和6年度末、2027年度、R2~R6） / "
            f"not a date: {text!r} (e.g. 2025-03-31, 令和6年度末, 2027年度, R2~R6) [{exc}]"
        ) from None


def parse_date_cell(value: object) -> TimeValue:
    """A cell value as read from Excel or CSV: a ``datetime``/``date``, a year number, or text.

    :raises ValueFormatError: anything that is not a date.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Instant(value, "day", value.isoformat())
    if isinstance(value, bool):
        raise ValueFormatError(f"日付ではありません / not a date: {value!r}")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1900 <= value <= 2200:
            year = int(value)
            return fiscal_year_instant(year, str(year))
        raise ValueFormatError(
            f"数値は日付として読めません（年度なら 2027、日付なら 2027-03-31）: {value!r} / "
            f"a number is not a date (a fiscal year as 2027, a day as 2027-03-31): {value!r}")
    return parse_date_text(str(value))


def date_text(value: TimeValue) -> str:
    """The text to write back into a cell: the original text, so reading it again gives the same value.

    >>> date_text(parse_date_cell("2025/R7"))
    '2025/R7'
    """
    return value.text


__all__ = ["parse_date_cell", "parse_date_text", "date_text"]
