"""Japanese dates and quantities as they are written in planning documents.

Pure functions, no RDF: the deck loader (and any later loader) turns table cells such as
``11,675億円以上 (2025/R7)`` or ``令和4年6月`` into small value objects, then emits them.
Why a module of its own: every source in this field mixes era years (令和/平成), Western years,
fiscal years and 万/億 multipliers, and each rule must be tested once, not per loader.

Assumptions (documented in docs/loader.md):
- a year-only value is a Japanese fiscal year (April–March); it resolves to the fiscal
  year's last day, except the beginning of a period, which resolves to its first day;
- a month resolves to the month's last day (its first day at the beginning of a period).

Every malformed value raises :class:`ValueFormatError` (a ``ValueError``); callers add the
file, line and field by re-raising :class:`policykg.errors.SourceError`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

Unit = Literal["year", "month", "day"]


class ValueFormatError(ValueError):
    """A date or quantity that cannot be read; the message names the offending text."""


# --- eras ------------------------------------------------------------------------------------

ERAS: dict[str, tuple[int, date]] = {
    # name: (Western year of era year 1, first day of the era)
    "令和": (2019, date(2019, 5, 1)),
    "平成": (1989, date(1989, 1, 8)),
    "昭和": (1926, date(1926, 12, 25)),
    "大正": (1912, date(1912, 7, 30)),
    "明治": (1868, date(1868, 1, 25)),
}
ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}


def era_year(era: str, year: str | int) -> int:
    """The Western year of an era year (``元`` = 1).

    >>> era_year("R", 7), era_year("平成", "元"), era_year("H", 31)
    (2025, 1989, 2019)
    """
    name = ERA_LETTERS.get(era.upper(), era) if len(era) == 1 else era
    if name not in ERAS:
        raise ValueFormatError(f"unknown era {era!r} (known: {', '.join(ERAS)}, {', '.join(ERA_LETTERS)})")
    number = 1 if year == "元" else int(year)
    if number < 1:
        raise ValueFormatError(f"era year must be at least 1: {era}{year}")
    return ERAS[name][0] + number - 1


# --- time values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Instant:
    """A resolved date with its precision and the text it came from."""

    date: date
    unit: Unit
    text: str
    fiscal_year: int | None = None


@dataclass(frozen=True)
class Interval:
    """A period between two instants (e.g. ``H24~H30`` = FY2012–FY2018)."""

    begin: Instant
    end: Instant
    text: str


TimeValue = Instant | Interval


def fiscal_year_instant(year: int, text: str, *, at: Literal["start", "end"] = "end") -> Instant:
    """A Japanese fiscal year as an instant: its last day (due date) or its first day.

    >>> fiscal_year_instant(2025, "2025/R7").date
    datetime.date(2026, 3, 31)
    >>> fiscal_year_instant(2025, "R7", at="start").date
    datetime.date(2025, 4, 1)
    """
    when = date(year, 4, 1) if at == "start" else date(year + 1, 3, 31)
    return Instant(when, "year", text, fiscal_year=year)


def month_instant(year: int, month: int, text: str, *, at: Literal["start", "end"] = "end") -> Instant:
    """A month as an instant: its last day (or first day at the start of a period)."""
    if not 1 <= month <= 12:
        raise ValueFormatError(f"month out of range in {text!r}")
    day = 1 if at == "start" else calendar.monthrange(year, month)[1]
    return Instant(date(year, month, day), "month", text)


_ERA_NAMES = "|".join(ERAS)
_YEAR_NUM = r"(\d{1,2}|元)"
_RE_WEST_ERA = re.compile(rf"^(\d{{4}})\s*/\s*([A-Za-z])\s*{_YEAR_NUM}$")
_RE_LETTER = re.compile(rf"^([A-Za-z])\s*{_YEAR_NUM}(?:\s*\.\s*(\d{{1,2}}))?$")
_RE_KANJI = re.compile(
    rf"^([\u4e00-\u9fff]{{2}})\s*{_YEAR_NUM}\s*年\s*(?:度|(\d{{1,2}})\s*月(?:\s*(\d{{1,2}})\s*日)?)?$"
)
_RE_WEST = re.compile(r"^(\d{4})\s*(?:年\s*(?:度|(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?)?$")
_RANGE_SEP = re.compile(r"\s*(?:~|〜|～|－|–|—|から)\s*")


def _instant(text: str, at: Literal["start", "end"]) -> Instant:
    s = unicodedata.normalize("NFKC", text).strip().removesuffix("まで").strip()
    if m := _RE_WEST_ERA.match(s):
        west, era, num = int(m.group(1)), m.group(2), m.group(3)
        if era_year(era, num) != west:
            raise ValueFormatError(
                f"inconsistent year {text!r}: {era}{num} is {era_year(era, num)}, not {west}"
            )
        return fiscal_year_instant(west, text.strip(), at=at)
    if m := _RE_LETTER.match(s):
        year = era_year(m.group(1), m.group(2))
        if m.group(3):
            return month_instant(year, int(m.group(3)), text.strip(), at=at)
        return fiscal_year_instant(year, text.strip(), at=at)
    if m := _RE_KANJI.match(s):
        year = era_year(m.group(1), m.group(2))
        return _dated(year, m.group(3), m.group(4), text.strip(), at)
    if m := _RE_WEST.match(s):
        return _dated(int(m.group(1)), m.group(2), m.group(3), text.strip(), at)
    raise ValueFormatError(f"not a date: {text!r}")


def _dated(year: int, month: str | None, day: str | None, text: str, at: Literal["start", "end"]) -> Instant:
    if month is None:
        return fiscal_year_instant(year, text, at=at)
    if day is None:
        return month_instant(year, int(month), text, at=at)
    try:
        return Instant(date(year, int(month), int(day)), "day", text)
    except ValueError as exc:
        raise ValueFormatError(f"not a calendar date: {text!r}") from exc


def parse_time(text: str) -> TimeValue:
    """An instant (``令和4年6月``, ``R2.8``, ``2025/R7``, ``H22``) or a period (``H24~H30``).

    >>> parse_time("令和4年6月").date
    datetime.date(2022, 6, 30)
    >>> parse_time("R2~R6").end.date
    datetime.date(2025, 3, 31)

    :raises ValueFormatError: unknown era, inconsistent ``2025/R8``, or not a date.
    """
    s = unicodedata.normalize("NFKC", text).strip()
    parts = [p for p in _RANGE_SEP.split(s) if p]
    if len(parts) == 2:
        return Interval(_instant(parts[0], "start"), _instant(parts[1], "end"), text.strip())
    if len(parts) != 1:
        raise ValueFormatError(f"not a date or period: {text!r}")
    return _instant(text, "end")


_RE_TIME_TOKEN = re.compile(
    rf"(?:\d{{4}}\s*/\s*[A-Za-z]\s*{_YEAR_NUM}|\b[RHSTM]\s*{_YEAR_NUM}(?:\.\d{{1,2}})?"
    rf"|[\u4e00-\u9fff]{{2}}{_YEAR_NUM}年(?:度|\d{{1,2}}月)?|\d{{4}}年(?:度|\d{{1,2}}月)?)"
)
_RE_TIME_SPAN = re.compile(
    rf"{_RE_TIME_TOKEN.pattern}(?:\s*(?:~|〜|～)\s*{_RE_TIME_TOKEN.pattern})?"
)


def find_time(text: str) -> tuple[TimeValue, str] | None:
    """The first date or period inside free text, with the matched substring.

    >>> find_time("H24~H30の最大値、最小値を除いた平均")[1]
    'H24~H30'
    >>> find_time("令和4年9月に第2版に改定")[0].date
    datetime.date(2022, 9, 30)
    """
    s = unicodedata.normalize("NFKC", text)
    m = _RE_TIME_SPAN.search(s)
    if not m:
        return None
    return parse_time(m.group(0)), m.group(0)


_ERA_FINALS = set("和成正治応永暦保政化延文安亨禄徳寛慶長天宝")
"""Last characters of historical era names: enough to tell 明和3年 from 計画3年."""


def check_era_words(text: str) -> None:
    """Reject a kanji era name that is not a known era (``明和3年``), so typos do not pass silently.

    >>> check_era_words("昭和50年")
    >>> check_era_words("明和3年")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValueFormatError: unknown era '明和'...
    """
    for m in re.finditer(rf"([\u4e00-\u9fff]{{2}})\s*{_YEAR_NUM}\s*年", unicodedata.normalize("NFKC", text)):
        if m.group(1)[-1] in _ERA_FINALS:
            era_year(m.group(1), m.group(2))


# --- quantities ---------------------------------------------------------------------------

UNITS: dict[str, str] = {
    "%": "Percent",
    "件": "Count",
    "団体": "Organization",
    "人": "Person",
    "円": "Yen",
    "t-CO2": "TonneCO2",
    "m3": "CubicMetre",
    "児童生徒数/台": "PupilsPerComputer",
    "": "Dimensionless",
}
"""Unit text as written (after markup removal) → local name in the ``unit:`` namespace."""

_MULTIPLIERS = {"万": Decimal(10_000), "億": Decimal(100_000_000)}
_RE_NUMBER = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万|億)?\s*")
_RE_PAREN = re.compile(r"\(([^()]*)\)")
_PER_PERIOD = re.compile(r"/(?:年|年度|月)$")
_MISSING = {"—", "-", "―", "－", "ー", "–", ""}


@dataclass(frozen=True)
class Quantity:
    """One table cell: a number with unit, comparator, time and note, plus the original text."""

    text: str
    value: Decimal | None = None
    unit: str = "Dimensionless"
    unit_text: str = ""
    comparator: str | None = None
    maintain: bool = False
    time: TimeValue | None = None
    time_text: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def parse_number(text: str) -> tuple[Decimal, str]:
    """A number with thousands separators and an optional 万/億; returns (value, rest).

    >>> parse_number("4,794万t-CO2")
    (Decimal('47940000'), 't-CO2')
    >>> parse_number("11,675億円以上")
    (Decimal('1167500000000'), '円以上')
    """
    s = unicodedata.normalize("NFKC", text).strip()
    m = _RE_NUMBER.match(s)
    if not m:
        raise ValueFormatError(f"not a number: {text!r}")
    try:
        value = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise ValueFormatError(f"not a number: {text!r}") from exc
    if m.group(2):
        value *= _MULTIPLIERS[m.group(2)]
    return _canonical_number(value), s[m.end():].strip()


def _canonical_number(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def parse_quantity(text: str, *, default_unit_text: str = "") -> Quantity:
    """A value cell such as ``11,675億円以上 (2025/R7)``, ``77% (138 市町村) (2019/R1)`` or ``—``.

    Parenthesised dates become ``time``; other parentheses become ``notes`` (a note holding a
    period, like ``H24~H30の最大値…``, gives both). ``default_unit_text`` is used for a bare number.

    >>> q = parse_quantity("150%以上を維持")
    >>> (q.value, q.unit, q.comparator, q.maintain)
    (Decimal('150'), 'Percent', 'AtLeast', True)

    :raises ValueFormatError: non-numeric value, unknown unit, bad date.
    """
    original = text.strip()
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", original)).strip()
    time: TimeValue | None = None
    time_text: str | None = None
    notes: list[str] = []
    for inner in _RE_PAREN.findall(s):
        inner = inner.strip()
        try:
            value = parse_time(inner)
        except ValueFormatError:
            check_era_words(inner)
            found = find_time(inner)
            notes.append(compact(inner))
            if found and time is None:
                time, time_text = found
            continue
        if time is not None:
            raise ValueFormatError(f"two dates in one value: {original!r}")
        time, time_text = value, inner
    head = _RE_PAREN.sub(" ", s).strip()
    if head in _MISSING:
        return Quantity(original, time=time, time_text=time_text, notes=tuple(notes))
    number, rest = parse_number(head)
    comparator, maintain = None, False
    rest = rest.replace(" ", "")
    if rest.endswith("を維持"):
        maintain, rest = True, rest.removesuffix("を維持")
    for word, comp in (("以上", "AtLeast"), ("以下", "AtMost"), ("未満", "AtMost"), ("超", "AtLeast")):
        if rest.endswith(word):
            comparator, rest = comp, rest.removesuffix(word)
            break
    unit_text = rest or default_unit_text
    unit_key = unit_key_for(unit_text)
    if unit_key is None:
        raise ValueFormatError(f"unknown unit {unit_text!r} in {original!r} (known: {', '.join(u for u in UNITS if u)})")
    return Quantity(
        original, _canonical_number(number), unit_key, unit_text, comparator, maintain,
        time, time_text, tuple(notes),
    )


def unit_key_for(unit_text: str) -> str | None:
    """The ``unit:`` local name for a unit as written; per-period suffixes (``円/年``) are allowed.

    >>> unit_key_for("円/年"), unit_key_for("ヶ所")
    ('Yen', None)
    """
    text = unit_text.replace(" ", "")
    if text in UNITS:
        return UNITS[text]
    base = _PER_PERIOD.sub("", text)
    return UNITS.get(base) if base != text else None


def per_unit_from_label(label: str) -> str:
    """The implied unit of a bare number, read from an indicator label like ``…1台当たりの児童生徒数``.

    >>> per_unit_from_label("教育用コンピュータ1台当たりの児童生徒数")
    '児童生徒数/台'
    >>> per_unit_from_label("農業産出額")
    ''
    """
    m = re.search(r"[1１一](\w)当たりの(\w+?数)$", compact(label))
    return f"{m.group(2)}/{m.group(1)}" if m else ""


_CJK = r"\u3000-\u30ff\u3400-\u9fff\uff00-\uffef、。「」（）【】～"


def compact(text: str) -> str:
    """Remove the spaces that extraction puts inside Japanese text; keep those between ASCII words.

    >>> compact("道内 IT 企業従業員数 の増加")
    '道内IT企業従業員数の増加'
    >>> compact("Web 3 の推進")
    'Web 3の推進'
    """
    s = re.sub(r"[ \t\u3000\u00a0]+", " ", text.replace("\u200b", "")).strip()
    s = re.sub(rf"(?<=[{_CJK}]) (?=\S)", "", s)
    return re.sub(rf"(?<=\S) (?=[{_CJK}])", "", s)


__all__ = [
    "ValueFormatError", "Instant", "Interval", "TimeValue", "Quantity", "ERAS", "ERA_LETTERS", "UNITS",
    "era_year", "fiscal_year_instant", "month_instant", "parse_time", "find_time", "check_era_words",
    "parse_number", "parse_quantity", "unit_key_for", "per_unit_from_label", "compact",
]
