"""The one formatter: percent with a space, Vietnamese numbers read back, quarter keys in words."""
from __future__ import annotations

import pytest

from formats import fmt_percent, fmt_quarter_key, parse_number, unit_suffix


@pytest.mark.parametrize("x,decimals,expected", [(35.5, 1, "35,5 %"), (21, 0, "21 %"), (1234.5, 1, "1.234,5 %")])
def test_percent_has_one_format(x, decimals, expected):
    assert fmt_percent(x, decimals) == expected


@pytest.mark.parametrize("text,expected", [
    ("73 %", (73.0, True)), ("35,5 %", (35.5, True)), ("619", (619.0, False)), ("1.234,5", (1234.5, False)),
    ("1.234.567", (1234567.0, False)), ("-2,5", (-2.5, False)), ("3/18", None), ("–", None), ("Hạng 3", None),
    ("12.5", None), (7, None),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("value,expected", [("2024-Q1", "Quý I/2024"), ("2025-q4", "Quý IV/2025"), ("Quý I", "Quý I"), (5, 5)])
def test_quarter_keys_in_words(value, expected):
    assert fmt_quarter_key(value) == expected


@pytest.mark.parametrize("unit,expected", [("%", " %"), ("% điểm tối đa", " %"), ("điểm", " điểm"), ("", ""), (None, "")])
def test_unit_suffix(unit, expected):
    assert unit_suffix(unit) == expected
