"""Japanese dates and quantities (policykg/values.py): every form the deck uses, and the errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policykg.values import (
    Instant, Interval, ValueFormatError, era_year, find_time, parse_number, parse_quantity, parse_time,
    per_unit_from_label, unit_key_for,
)


@pytest.mark.parametrize(("text", "day", "unit", "fy"), [
    ("2025/R7", date(2026, 3, 31), "year", 2025),
    ("2019/R1", date(2020, 3, 31), "year", 2019),
    ("2013/H25", date(2014, 3, 31), "year", 2013),
    ("2030/R12", date(2031, 3, 31), "year", 2030),
    ("R1", date(2020, 3, 31), "year", 2019),
    ("H22", date(2011, 3, 31), "year", 2010),
    ("R2.8", date(2020, 8, 31), "month", None),
    ("R2.3", date(2020, 3, 31), "month", None),
    ("H31.3", date(2019, 3, 31), "month", None),
    ("令和4年6月", date(2022, 6, 30), "month", None),
    ("令和4年9月", date(2022, 9, 30), "month", None),
    ("令和3年7月", date(2021, 7, 31), "month", None),
    ("令和元年5月", date(2019, 5, 31), "month", None),
    ("令和4年度", date(2023, 3, 31), "year", 2022),
    ("昭和50年", date(1976, 3, 31), "year", 1975),
    ("2024年度", date(2025, 3, 31), "year", 2024),
    ("2024年度まで", date(2025, 3, 31), "year", 2024),
    ("２０２５／Ｒ７", date(2026, 3, 31), "year", 2025),
])
def test_instants(text, day, unit, fy) -> None:
    value = parse_time(text)
    assert isinstance(value, Instant)
    assert (value.date, value.unit, value.fiscal_year, value.text) == (day, unit, fy, text)


@pytest.mark.parametrize(("text", "begin", "end"), [
    ("H24~H30", date(2012, 4, 1), date(2019, 3, 31)),
    ("R2~R6", date(2020, 4, 1), date(2025, 3, 31)),
    ("H28～H30", date(2016, 4, 1), date(2019, 3, 31)),
    ("2023年度から2027年度まで", date(2023, 4, 1), date(2028, 3, 31)),
])
def test_periods(text, begin, end) -> None:
    value = parse_time(text)
    assert isinstance(value, Interval)
    assert (value.begin.date, value.end.date, value.text) == (begin, end, text)


@pytest.mark.parametrize(("text", "message"), [
    ("2025/R8", "inconsistent year"),
    ("2020/H31", "inconsistent year"),
    ("明和3年", "unknown era"),
    ("X5", "unknown era"),
    ("R0", "at least 1"),
    ("R2.13", "month out of range"),
    ("そのうち", "not a date"),
])
def test_bad_dates(text, message) -> None:
    with pytest.raises(ValueFormatError, match=message):
        parse_time(text)


def test_era_year() -> None:
    assert [era_year("R", 7), era_year("H", "元"), era_year("昭和", 64), era_year("M", 1)] == [2025, 1989, 1989, 1868]


def test_find_time_in_a_note() -> None:
    value, matched = find_time("H24~H30の最大値、最小値を除いた平均")
    assert matched == "H24~H30" and isinstance(value, Interval)
    assert find_time("全市町村") is None


@pytest.mark.parametrize(("text", "value", "rest"), [
    ("4,794万t-CO2", Decimal(47940000), "t-CO2"),
    ("11,675億円以上", Decimal(1167500000000), "円以上"),
    ("1,324万円", Decimal(13240000), "円"),
    ("166.6%", Decimal("166.6"), "%"),
    ("209,000円", Decimal(209000), "円"),
    ("1.0", Decimal(1), ""),
])
def test_numbers(text, value, rest) -> None:
    assert parse_number(text) == (value, rest)


@pytest.mark.parametrize(("text", "value", "unit", "unit_text", "comparator", "maintain", "time_text", "notes"), [
    ("11,675億円以上 (2025/R7)", "1167500000000", "Yen", "円", "AtLeast", False, "2025/R7", ()),
    ("11,675億円/年 (H24~H30の最大値、最小値を除いた平均)", "1167500000000", "Yen", "円/年", None, False, "H24~H30",
     ("H24~H30の最大値、最小値を除いた平均",)),
    ("150%以上を維持", "150", "Percent", "%", "AtLeast", True, None, ()),
    ("77% (138 市町村) (2019/R1)", "77", "Percent", "%", None, False, "2019/R1", ("138市町村",)),
    ("179 団体 (全市町村)", "179", "Organization", "団体", None, False, None, ("全市町村",)),
    ("4,794万t-CO2", "47940000", "TonneCO2", "t-CO2", None, False, None, ()),
    ("489万m3 (2024/R6)", "4890000", "CubicMetre", "m3", None, False, "2024/R6", ()),
    ("98.1% (H31.3)", "98.1", "Percent", "%", None, False, "H31.3", ()),
    ("24,863 人", "24863", "Person", "人", None, False, None, ()),
    ("5件以下", "5", "Count", "件", "AtMost", False, None, ()),
])
def test_quantities(text, value, unit, unit_text, comparator, maintain, time_text, notes) -> None:
    q = parse_quantity(text)
    assert (q.value, q.unit, q.unit_text, q.comparator, q.maintain, q.time_text, q.notes, q.text) == (
        Decimal(value), unit, unit_text, comparator, maintain, time_text, notes, text)


def test_missing_value_is_none() -> None:
    q = parse_quantity("—")
    assert q.value is None and q.text == "—"


def test_bare_number_takes_the_unit_implied_by_the_label() -> None:
    unit_text = per_unit_from_label("教育用コンピュータ1台当たりの児童生徒数")
    assert unit_text == "児童生徒数/台"
    q = parse_quantity("4.8", default_unit_text=unit_text)
    assert (q.value, q.unit) == (Decimal("4.8"), "PupilsPerComputer")


@pytest.mark.parametrize(("text", "message"), [
    ("多数", "not a number"),
    ("36ヶ所", "unknown unit"),
    ("36件 (2025/R8)", "inconsistent year"),
    ("36件 (明和3年)", "unknown era"),
])
def test_bad_quantities(text, message) -> None:
    with pytest.raises(ValueFormatError, match=message):
        parse_quantity(text)


def test_unit_keys() -> None:
    assert [unit_key_for(u) for u in ("%", "件", "団体", "人", "円", "t-CO2", "m3", "円/年", "km")] == [
        "Percent", "Count", "Organization", "Person", "Yen", "TonneCO2", "CubicMetre", "Yen", None]
