"""A district's own figures on today's map (issue 9): an abolished district's values that were not rolled up from its
communes reach today's map through its province, where the province has no figure of its own, and never a commune.

The world is the small one of tests/test_history.py with one more old province R, holding two districts E and F
and no communes; the expected figures are written by hand from the rows below."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analytics import frames as fr
from analytics import series as sr
from tests.test_history import (AGENCIES, AGENCY_SUCC, END_OLD, INDICATORS, PAR_EMPTY, PARENTS, START_NEW, UNIT_SUCC,
                                UNITS, VALUES, _values)

P = pytest.param
NAN = float("nan")
MORE_UNITS = pd.DataFrame([
    ("R", "Tỉnh Ba", "province", "R", None, END_OLD),
    ("E", "Huyện Đông", "district", "R", None, END_OLD),
    ("F", "Huyện Tây", "district", "R", None, date(2024, 12, 31)),  # merged away at the end of 2024, as Mỹ Lộc was
], columns=["code", "name", "level", "province_code", "valid_from", "valid_to"]).assign(
    short_name=lambda d: d["name"], type="", lat=NAN, lon=NAN, official_code=lambda d: d["code"])
UNITS_R = pd.concat([UNITS, MORE_UNITS], ignore_index=True)
PARENTS_R = pd.concat([PARENTS, pd.DataFrame([("E", "R", None, END_OLD), ("F", "R", None, date(2024, 12, 31))],
                                             columns=PARENTS.columns)], ignore_index=True)
SUCC_R = pd.concat([UNIT_SUCC, pd.DataFrame([("R", "N", START_NEW, 1.0, "whole")], columns=UNIT_SUCC.columns)],
                   ignore_index=True)
DISTRICT_ROWS = _values([
    # R has no figure of its own: its districts stand in for it
    ("R", "E", 2024, 4, NAN, 20.0, 50.0), ("R", "F", 2024, 4, NAN, 6.0, 10.0),
    ("C", "E", 2024, 4, 7.0, NAN, NAN),
    ("S", "E", 2024, 4, 75.0, NAN, NAN),  # a score of one district is not the province's
    # Q1/2025: F no longer exists, E alone is all of R's districts
    ("R", "E", 2025, 1, NAN, 9.0, 30.0),
    # a district of P whose communes reported: P's roll-up is P's figure, D's own one goes nowhere
    ("R", "D", 2024, 4, NAN, 5.0, 10.0), ("C", "D", 2024, 4, 100.0, NAN, NAN),
])


def _frames() -> fr.Frames:
    empty = pd.DataFrame()
    return fr.Frames(units=UNITS_R, parents=PARENTS_R, agencies=AGENCIES, outputs=empty, assignments=empty,
                     reports=empty, indicators=INDICATORS, targets=empty,
                     values=pd.concat([VALUES, DISTRICT_ROWS], ignore_index=True), par=PAR_EMPTY,
                     unit_successors=SUCC_R, agency_successors=AGENCY_SUCC, meta={"province": "N", "history_province": "P"})


def _carried() -> pd.DataFrame:
    f = _frames()
    return sr.carry_forward(sr.value_series(f, date(2024, 12, 31)).query("source != 'carried'"), f, START_NEW)


def _row(indicator: str, unit: str, year: int, quarter: int) -> pd.Series | None:
    out = _carried()
    hit = out[(out["indicator_code"] == indicator) & (out["unit_code"] == unit) & (out["year"] == year)
              & (out["quarter"] == quarter)]
    assert len(hit) <= 1
    return None if hit.empty else hit.iloc[0]


@pytest.mark.parametrize("indicator,unit,year,quarter,numerator,denominator,value,coverage", [
    # N's predecessors are P, Q and R. P: its communes' roll-up 80/230 (D's own 5/10 is not added: P has a figure);
    # Q: nothing; R: its districts E + F = 26/60, all of R's districts of Q4/2024 → (80 + 26) / (230 + 60), 2 of 3
    P("R", "N", 2024, 4, 106.0, 290.0, 100 * 106 / 290, 2 / 3, id="rate-province-with-a-districts-stand-in"),
    # additive: P has no count of its own (counts are not rolled up) but D has one: P stands in by D = 100 of its one
    # district; R by E = 7 of its two districts (F did not report) → 107, coverage (1 + 1/2) / 3
    P("C", "N", 2024, 4, NAN, NAN, 107.0, (1 + 0.5) / 3, id="count-from-districts-of-two-provinces"),
    # Q1/2025: only E existed in R, and P's communes did not report: R = E = 9/30, 1 of 3 predecessors
    P("R", "N", 2025, 1, 9.0, 30.0, 30.0, 1 / 3, id="after-a-district-merged-away"),
])
def test_a_districts_own_figures_reach_todays_province(indicator, unit, year, quarter, numerator, denominator, value,
                                                        coverage):
    row = _row(indicator, unit, year, quarter)
    assert row is not None
    for got, want in ((row["numerator"], numerator), (row["denominator"], denominator)):
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)
    assert row["value"] == pytest.approx(value)
    assert row["coverage"] == pytest.approx(coverage)
    assert row["source"] == "carried"


@pytest.mark.parametrize("indicator,unit,numerator,denominator,value", [
    # the communes get their predecessors' figures only (as in tests/test_history.py), never a district's
    P("R", "A", 50.0, 140.0, 100 * 50 / 140, id="commune-rate-unchanged"),
    P("C", "A", NAN, NAN, 13.0, id="commune-count-unchanged"),
    P("C", "B", NAN, NAN, 7.0, id="other-commune-count-unchanged"),
])
def test_no_commune_takes_a_districts_figure(indicator, unit, numerator, denominator, value):
    row = _row(indicator, unit, 2024, 4)
    assert row is not None
    for got, want in ((row["numerator"], numerator), (row["denominator"], denominator)):
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)
    assert row["value"] == pytest.approx(value)


def test_what_districts_do_not_carry():
    out = _carried()
    assert out[(out["indicator_code"] == "S") & (out["unit_code"] == "N")].empty  # scores are not summed
    assert not out["unit_code"].isin(["D", "E", "F", "P", "Q", "R"]).any()  # nothing lands on an ended unit
    assert set(out["source"]) == {"carried"}
