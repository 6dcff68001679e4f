"""PAR INDEX scores become indicator values: points, % of maximum and ranks."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.par_values import par_indicator_values

SCORES = pd.DataFrame([
    # year, kind, code, component, score, max
    (2024, "district", "356", "total", 91.0, 100.0),
    (2024, "district", "361", "total", 78.5, 100.0),
    (2024, "district", "365", "total", 91.0, 100.0),
    (2024, "district", "356", "procedure", 11.0, 12.0),
    (2024, "district", "361", "procedure", 12.0, 12.0),
    (2024, "department", "STP", "total", 86.0, 100.0),
    (2023, "district", "356", "total", 88.0, 100.0),
    (2023, "district", "361", "total", 90.0, 100.0),
], columns=["year", "subject_kind", "subject_code", "component", "score", "max_score"])


@pytest.mark.parametrize("code,unit,year,expected", [
    ("PAR_INDEX_SCORE", "356", 2024, 91.0),
    ("PAR_INDEX_GROUP", "361", 2024, 78.5),
    ("PAR_INDEX_RANK", "356", 2024, 1.0),  # tie with 365: both rank 1
    ("PAR_INDEX_RANK", "365", 2024, 1.0),
    ("PAR_INDEX_RANK", "361", 2024, 3.0),
    ("PAR_INDEX_RANK", "356", 2023, 2.0),
    ("PAR_PROCEDURE_SCORE", "356", 2024, pytest.approx(91.6667, rel=1e-4)),
    ("PAR_PROCEDURE_SCORE", "361", 2024, 100.0),
])
def test_values(code, unit, year, expected):
    v = par_indicator_values(SCORES)
    row = v[(v["indicator_code"] == code) & (v["unit_code"] == unit) & (v["year"] == year)]
    assert len(row) == 1
    assert row.iloc[0]["value"] == expected
    assert row.iloc[0]["quarter"] is None


def test_departments_are_not_units():
    v = par_indicator_values(SCORES)
    assert "STP" not in set(v["unit_code"])


def test_only_wanted_codes_and_empty_input():
    assert set(par_indicator_values(SCORES, {"PAR_INDEX_SCORE"})["indicator_code"]) == {"PAR_INDEX_SCORE"}
    assert par_indicator_values(SCORES.iloc[0:0]).empty
