"""Vietnamese number, percent, date and quarter formatting."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from formats import (
    MISSING,
    PLOTLY_SEPARATORS,
    fmt_date,
    fmt_filters,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_quarter,
    is_missing,
    parse_quarter_key,
    quarter_key,
)


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234.5, 1, "1.234,5"),
    (1234567.891, 1, "1.234.567,9"),
    (1234567.891, 2, "1.234.567,89"),
    (0, 1, "0,0"),
    (0.15, 1, "0,2"),           # half up, as by hand
    (2.25, 1, "2,3"),
    (-1234.56, 1, "-1.234,6"),
    (-0.04, 1, "0,0"),          # no negative zero
    (999.95, 1, "1.000,0"),
    (12, 0, "12"),
    (np.float64(71.04), 1, "71,0"),
    (np.int64(5000), 1, "5.000,0"),
    (Decimal("3.14159"), 3, "3,142"),
    (None, 1, MISSING),
    (float("nan"), 1, MISSING),
    (pd.NA, 1, MISSING),
    (float("inf"), 1, MISSING),
    (True, 1, MISSING),          # a flag is not a number
    ("Thường xuyên", 1, "Thường xuyên"),
])
def test_fmt_number(value: object, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1234, "1.234"),
    (1234567, "1.234.567"),
    (2.5, "3"),
    (-1500.4, "-1.500"),
    (0, "0"),
    (np.int64(20), "20"),
    (None, MISSING),
    (float("nan"), MISSING),
])
def test_fmt_int(value: object, expected: str) -> None:
    assert fmt_int(value) == expected


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (71, 1, "71,0 %"),
    (71.04, 1, "71,0 %"),
    (100, 0, "100 %"),
    (33.333, 2, "33,33 %"),
    (-5.25, 1, "-5,3 %"),
    (1234.5, 1, "1.234,5 %"),
    (None, 1, MISSING),
    (np.nan, 1, MISSING),
])
def test_fmt_percent(value: object, decimals: int, expected: str) -> None:
    assert fmt_percent(value, decimals) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (date(2024, 9, 5), "05/09/2024"),
    (datetime(2024, 9, 5, 14, 30), "05/09/2024"),
    (pd.Timestamp("2024-09-05"), "05/09/2024"),
    (pd.Timestamp("2024-09-05 10:00", tz="Asia/Ho_Chi_Minh"), "05/09/2024"),
    (np.datetime64("2025-01-31"), "31/01/2025"),
    ("2024-09-05", "05/09/2024"),
    ("2024-09-05T08:15:00", "05/09/2024"),
    (" 2023-12-31 ", "31/12/2023"),
    (None, MISSING),
    (pd.NaT, MISSING),
    ("", MISSING),
    ("Thường xuyên", "Thường xuyên"),  # free-text deadlines are shown as written
])
def test_fmt_date(value: object, expected: str) -> None:
    assert fmt_date(value) == expected


@pytest.mark.parametrize(("year", "quarter", "expected"), [
    (2024, 1, "Quý I/2024"),
    (2024, 2, "Quý II/2024"),
    (2024, 3, "Quý III/2024"),
    (2025, 4, "Quý IV/2025"),
    (2024, None, "Năm 2024"),
])
def test_fmt_quarter(year: int, quarter: int | None, expected: str) -> None:
    assert fmt_quarter(year, quarter) == expected


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_fmt_quarter_rejects_bad_quarter(quarter: int) -> None:
    with pytest.raises(ValueError):
        fmt_quarter(2024, quarter)


@pytest.mark.parametrize(("key", "expected"), [
    ("2024-Q3", (2024, 3)),
    ("2021-Q1", (2021, 1)),
    ("2030-Q4", (2030, 4)),
    ("2024-q2", (2024, 2)),
    (" 2025-Q2 ", (2025, 2)),
])
def test_parse_quarter_key(key: str, expected: tuple[int, int]) -> None:
    assert parse_quarter_key(key) == expected
    assert quarter_key(*expected) == key.strip().upper()


@pytest.mark.parametrize("key", ["2024", "2024-Q5", "2024-Q0", "Q3-2024", "", "Quý III/2024", None])
def test_parse_quarter_key_rejects(key: object) -> None:
    with pytest.raises(ValueError):
        parse_quarter_key(key)  # type: ignore[arg-type]


def test_quarter_key_rejects_bad_quarter() -> None:
    with pytest.raises(ValueError):
        quarter_key(2024, 5)


@pytest.mark.parametrize(("filters", "expected"), [
    ({"Kỳ": "Quý III/2024", "Địa bàn": "Huyện Nghĩa Hưng"}, "Kỳ: Quý III/2024 · Địa bàn: Huyện Nghĩa Hưng"),
    ({"Kỳ": "Quý II/2025", "Lĩnh vực": "", "Cơ quan": None}, "Kỳ: Quý II/2025"),
    ({}, ""),
])
def test_fmt_filters(filters: dict[str, str | None], expected: str) -> None:
    assert fmt_filters(filters) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, True), (float("nan"), True), (pd.NaT, True), (pd.NA, True),
    (0, False), ("", False), ([1, None], False), (date(2024, 1, 1), False),
])
def test_is_missing(value: object, expected: bool) -> None:
    assert is_missing(value) is expected


def test_plotly_separators_are_decimal_comma_then_thousands_dot() -> None:
    assert PLOTLY_SEPARATORS == ",."
