"""loaders/rules.py as tables: the rule table itself, number text, cells where a number belongs, targets,
hidden characters and dates typed where a year belongs."""
from __future__ import annotations

import math
import string
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from catalogue import MESSAGES
from loaders import rules
from loaders.targets import negative_figure, parse_target
from loaders.workbook import CellError
from model import TargetSpec


@pytest.mark.parametrize("code", sorted(rules.RULES))
def test_every_rule_has_a_severity_a_message_and_a_description(code):
    rule = rules.RULES[code]
    assert rule.severity in ("error", "warning") and rule.checks
    template = MESSAGES[rule.key]
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    text = rules.problem(code, "Trang", 3, "B", **dict.fromkeys(fields, "X")).message
    assert "{" not in text and text[0].isupper()


@pytest.mark.parametrize("text,value,code", [
    ("1.234,5", 1234.5, None), ("85,3", 85.3, None), ("85,3%", 85.3, None), (" 7,5 ", 7.5, None), ("1.234.567", 1234567.0, None),
    ("12 345,6", 12345.6, None), ("-5", -5.0, None), ("1.234", 1234.0, None),  # Vietnamese: a dot groups thousands
    ("85.3", 85.3, "number_separator"), ("1,234.5", 1234.5, "number_separator"),
    ("1234.567", None, "number_ambiguous"), ("abc", None, None), ("1,2,3", None, None), ("", None, None),
])
def test_parse_number_text(text, value, code):
    assert rules.parse_number_text(text) == (value, code)


@pytest.mark.parametrize("value,number,code", [
    (None, None, None), ("", None, None), (5, 5.0, None), (2.5, 2.5, None), (np.float64(3.0), 3.0, None),
    (math.inf, None, "not_finite"), (-math.inf, None, "not_finite"), (math.nan, None, "not_finite"), ("INF", None, "not_finite"),
    ("nan", None, "not_finite"), (1e308, None, "too_large"), (-2e12, None, "too_large"), ("99999999999999999999", None, "too_large"),
    (True, None, "boolean"), (False, None, "boolean"), (CellError("#DIV/0!"), None, "error_cell"),
    (date(2024, 1, 2), None, "date_in_number"), (datetime(2024, 1, 2, 3), None, "date_in_number"), ("85.3", 85.3, "number_separator"),
])
def test_cell_number(value, number, code):
    assert rules.cell_number(value) == (number, code)


def test_numbers_agrees_with_cell_number_cell_by_cell():
    cells = [None, 5, 2.5, math.inf, math.nan, "1.234,5", "2.000", "85.3", "abc", 1e308, date(2024, 1, 2), CellError("#N/A"), "INF"]
    num, codes, bad = rules.numbers(pd.Series(cells, dtype=object))
    for i, v in enumerate(cells):
        n, c = rules.cell_number(v)
        assert codes.iat[i] == c, v
        assert (num.iat[i] == n) or (n is None and (math.isnan(num.iat[i]) or c is not None)), v
        assert bad.iat[i] == (n is None and c is None and v is not None), v


def test_numbers_fast_path_keeps_plain_numbers():
    num, codes, bad = rules.numbers(pd.Series([1.0, None, 3, 4.5] * 1000, dtype=object))
    assert num.iloc[:4].tolist()[::2] == [1.0, 3.0] and codes.isna().all() and not bad.any()


@pytest.mark.parametrize("text,figure", [
    ("Tối thiểu -50%", -50.0), ("Tối thiểu −50%", -50.0), ("-5 điểm", -5.0), ("Đạt - 3,5%", -3.5),
    ("25% - 35%", None), ("25%-35%", None), ("2021-2025", None), ("Từ 25 - 35 điểm", None), ("Giảm 10% so với năm 2021", None),
    ("Tối thiểu 80%", None),
])
def test_negative_figure(text, figure):
    assert negative_figure(text) == figure


def _spec(kind: str, value: float | None = None, **kw) -> TargetSpec:  # noqa: ANN003
    return TargetSpec(kind=kind, year=2025, value=value, text="x", **kw)


@pytest.mark.parametrize("spec,unit,code", [
    (_spec("at_least", 80.0, extra={"unit": "%"}), "%", None),
    (_spec("at_least", 150.0, extra={"unit": "%"}), "%", "target_absurd"),
    (_spec("at_least", 150.0), "người", None),  # a count may be 150
    (_spec("at_least", 1e20), "người", "target_absurd"),
    (_spec("at_least", math.inf), "%", "target_absurd"),
    (_spec("at_least", -50.0), "%", "target_negative"),
    (_spec("range", 25.0, value_high=135.0, extra={"unit": "%"}), "%", "target_absurd"),
    (_spec("rank", 0.0), "hạng", "target_absurd"),
    (_spec("rank", 1.0), "hạng", None),
    (_spec("change", -10.0, baseline_year=2021, extra={"unit": "%"}), "%", None),
    (_spec("change", -150.0, baseline_year=2021, extra={"unit": "%"}), "%", "target_absurd"),
    (_spec("change", 5.0, baseline_year=2030, extra={"unit": "%"}), "%", "target_baseline"),
    (_spec("ramp", 30.0, baseline_year=2021, step=20.0, cap=100.0, extra={"unit": "%"}), "%", None),
    (_spec("ramp", 30.0, baseline_year=2021, step=20.0, cap=120.0, extra={"unit": "%"}), "%", "target_absurd"),
    (_spec("at_least", 94.0, extra={"unit": "điểm"}), "điểm", None),
    (_spec("milestone"), "mốc", None),
])
def test_target_problem(spec, unit, code):
    words = {"target_absurd": "bất hợp lý", "target_negative": "số âm", "target_baseline": "không hợp lý với năm mục tiêu"}
    p = rules.target_problem(spec, unit, "Danh mục", 3, "H")
    found = None if p is None else next(c for c, w in words.items() if w in p.message)
    assert found == code
    assert p is None or (p.sheet, p.row, p.column, p.severity) == ("Danh mục", 3, "H", "error")


@pytest.mark.parametrize("text,expected", [
    ("Tối thiểu -50%", "số âm (-50)"), ("99999999999999999999%", "bất hợp lý"), ("Tối thiểu 150%", "0–100 %"),
])
def test_implausible_targets_from_the_wording(text, expected):
    spec, error = parse_target(text, 2025)
    message = error or rules.target_problem(spec, "%", "S", 1, "A").message
    assert expected in message


@pytest.mark.parametrize("text,clean,kinds", [
    ("Sở Tư pháp", "Sở Tư pháp", []),
    ("Sở\u200b Tư pháp", "Sở Tư pháp", ["zero_width"]),
    ("\u202eSở Tư pháp\u202c", "Sở Tư pháp", ["bidi"]),
    ("Sở\x07Tư pháp", "Sở Tư pháp", ["control"]),
    ("a\u200fb\x0bc\ufeffd", "ab cd", ["bidi", "control", "zero_width"]),
    ("dòng 1\ndòng 2\tcột", "dòng 1\ndòng 2\tcột", []),  # line breaks and tabs are text
])
def test_strip_hidden(text, clean, kinds):
    assert rules.strip_hidden(text) == (clean, kinds)


def test_hidden_pass_cleans_every_copy_and_warns_once_per_cell():
    from loaders.workbook import Grid

    grid = Grid("T", [["x\u200b", "x\u200b"], ["ok", None]], origin={(0, 1): (0, 0)})
    problems = rules.hidden_pass(grid)
    assert grid.rows[0] == ["x", "x"]
    assert [(p.sheet, p.row, p.column, p.severity) for p in problems] == [("T", 1, "A", "warning")]


@pytest.mark.parametrize("value,period,guess,example", [
    (date(2024, 3, 15), False, "", "2024"),
    (datetime(1905, 7, 16), False, " (có lẽ là năm 2024 bị định dạng thành ngày)", "2024"),
    (date(2024, 8, 1), True, "", "Quý III/2024"),
])
def test_year_as_date(value, period, guess, example):
    v = rules.year_as_date(value, "Năm", period=period)
    assert (v["guess"], v["example"]) == (guess, example)
    assert v["what"] == ("kỳ báo cáo" if period else "năm")


@pytest.mark.parametrize("value,text", [(1234.5, "1.234,5"), (0.0, "0"), (1e308, "1e+308"), (math.inf, "vô cực"), (math.nan, "NaN")])
def test_num_text(value, text):
    assert rules.num_text(value) == text


def test_seed_rate_indicators():
    rates = rules.rate_indicators()
    assert "TTHC_ONLINE_DOSSIER_RATE" in rates and "PSU_PAYROLL_CHANGE" not in rates
    assert rules.rate_indicators({"X_COUNT": ("người", False, "Số người")}).get("X_COUNT") is None
