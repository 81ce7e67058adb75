"""Date cells: Excel dates, ISO, 和暦 (incl. 年度末), fiscal years, periods; and clear errors."""

from __future__ import annotations

import datetime as dt

import pytest

from policykg.values import Interval, ValueFormatError
from policykg.loaders.workbook.dates import parse_date_cell


@pytest.mark.parametrize(("cell", "day", "unit"), [
    ("令和6年度末", dt.date(2025, 3, 31), "year"),
    ("令和6年3月31日", dt.date(2024, 3, 31), "day"),
    ("令和元年5月", dt.date(2019, 5, 31), "month"),
    ("2025-03-31", dt.date(2025, 3, 31), "day"),
    ("2025/3/31", dt.date(2025, 3, 31), "day"),
    ("2025-03", dt.date(2025, 3, 31), "month"),
    ("2027年度", dt.date(2028, 3, 31), "year"),
    ("2025/R7", dt.date(2026, 3, 31), "year"),
    ("Ｒ７", dt.date(2026, 3, 31), "year"),
    (dt.datetime(2024, 3, 29, 0, 0), dt.date(2024, 3, 29), "day"),
    (dt.date(2024, 3, 29), dt.date(2024, 3, 29), "day"),
    (2027, dt.date(2028, 3, 31), "year"),
])
def test_instants(cell, day, unit):
    value = parse_date_cell(cell)
    assert (value.date, value.unit) == (day, unit)


@pytest.mark.parametrize(("cell", "begin", "end"), [
    ("R2~R6", dt.date(2020, 4, 1), dt.date(2025, 3, 31)),
    ("令和6年度~令和10年度", dt.date(2024, 4, 1), dt.date(2029, 3, 31)),
    ("2024-04-01~2025-03-31", dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
    ("2021 2022 2023 2024 2025 … 2030", dt.date(2021, 4, 1), dt.date(2031, 3, 31)),
])
def test_periods(cell, begin, end):
    value = parse_date_cell(cell)
    assert isinstance(value, Interval) and (value.begin.date, value.end.date) == (begin, end)


@pytest.mark.parametrize("cell", ["2025-13-01", "2025-02-30", "明和3年", "来年度", "2025/R8", 45000, 3.5, True])
def test_bad_dates_say_so_in_japanese_then_english(cell):
    with pytest.raises(ValueFormatError) as info:
        parse_date_cell(cell)
    text = str(info.value)
    assert "/" in text and str(cell) in text or repr(cell) in text
