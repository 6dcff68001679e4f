"""Tests for analytics.progress: required levels, status rules, batch assessment and weighted roll-ups."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.progress import (
    Assessment,
    assess,
    assess_frame,
    meets,
    quarter_to_t,
    required_level,
    rollup_rates,
    t_to_label,
)
from catalogue import PROGRESS_STATUSES
from model import TargetSpec

NAN = float("nan")

# --- Specs used across the tables --------------------------------------------------------------
AT_LEAST_80 = TargetSpec("at_least", 2025, value=80.0)
AT_LEAST_100 = TargetSpec("at_least", 2025, value=100.0)
AT_LEAST_80_2023 = TargetSpec("at_least", 2023, value=80.0)  # horizon 2024.0
AT_MOST_5 = TargetSpec("at_most", 2025, value=5.0)
RANGE_25_35 = TargetSpec("range", 2030, value=25.0, value_high=35.0)
RANGE_25_35_2025 = TargetSpec("range", 2025, value=25.0, value_high=35.0)
CUT_10 = TargetSpec("change", 2025, value=-10.0, baseline_year=2021)  # "giảm 10% so với năm 2021"
RISE_5 = TargetSpec("change", 2025, value=5.0, baseline_year=2020)  # "tăng 5% so với năm 2020"
RISE_5_POINTS = TargetSpec("change", 2025, value=5.0, baseline_year=2020, relative=False)
RAMP = TargetSpec("ramp", 2025, value=30.0, baseline_year=2021, step=20.0, cap=100.0)
RANK_1 = TargetSpec("rank", 2025, value=1.0)
RANK_5 = TargetSpec("rank", 2025, value=5.0)
GROUP_GOOD = TargetSpec("rank_group", 2025, group="good")
GROUP_FAIR = TargetSpec("rank_group", 2025, group="fair")
MILESTONE_2025 = TargetSpec("milestone", 2025)
MILESTONE_2024 = TargetSpec("milestone", 2024)


def _series(points: dict[float, float]) -> pd.Series:
    return pd.Series(list(points.values()), index=list(points.keys()), dtype=float)


# --- Time helpers ------------------------------------------------------------------------------
@pytest.mark.parametrize(("year", "quarter", "expected"), [
    (2023, 1, 2023.25),
    (2023, 2, 2023.5),
    (2023, 3, 2023.75),
    (2023, 4, 2024.0),
    (2023, None, 2024.0),
])
def test_quarter_to_t(year: int, quarter: int | None, expected: float) -> None:
    assert quarter_to_t(year, quarter) == expected


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_to_t_rejects_bad_quarter(quarter: int) -> None:
    with pytest.raises(ValueError):
        quarter_to_t(2023, quarter)


@pytest.mark.parametrize(("t", "expected"), [
    (2023.25, "Quý I/2023"),
    (2023.5, "Quý II/2023"),
    (2023.75, "Quý III/2023"),
    (2024.0, "Năm 2023"),
    (2023.9, "Quý IV/2023"),
    (np.float64(2021.75), "Quý III/2021"),
    (None, ""),
    (NAN, ""),
])
def test_t_to_label(t: float | None, expected: str) -> None:
    assert t_to_label(t) == expected


# --- Required levels ---------------------------------------------------------------------------
@pytest.mark.parametrize(("spec", "year", "baseline", "expected"), [
    (AT_LEAST_80, 2025, None, 80.0),
    (AT_MOST_5, 2023, None, 5.0),
    (RANGE_25_35, 2030, None, 25.0),
    (CUT_10, 2025, 1000.0, 900.0),
    (RISE_5, 2025, 200.0, 210.0),
    (RISE_5_POINTS, 2025, 60.0, 65.0),
    (CUT_10, 2025, None, None),
    (RAMP, 2021, None, 30.0),
    (RAMP, 2023, None, 70.0),
    (RAMP, 2025, None, 100.0),  # 30 + 4*20 = 110, capped at 100
    (RAMP, 2020, None, None),  # before the ramp starts
    (RANK_1, 2025, None, 1.0),
    (MILESTONE_2025, 2025, None, 1.0),
    (GROUP_GOOD, 2025, None, 85.0),
    (GROUP_FAIR, 2025, None, 75.0),
    (TargetSpec("rank_group", 2025, group="average"), 2025, None, 60.0),
])
def test_required_level(spec: TargetSpec, year: int, baseline: float | None, expected: float | None) -> None:
    got = required_level(spec, year, baseline)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_required_level_unknown_kind() -> None:
    with pytest.raises(ValueError):
        required_level(TargetSpec("bogus", 2025, value=1.0), 2025, None)


@pytest.mark.parametrize(("spec", "observed", "baseline", "year", "expected"), [
    (AT_LEAST_80, 80.0, None, 2025, True),
    (AT_LEAST_80, 79.9, None, 2025, False),
    (AT_MOST_5, 5.0, None, 2025, True),
    (AT_MOST_5, 5.1, None, 2025, False),
    (RANGE_25_35, 25.0, None, 2030, True),
    (RANGE_25_35, 35.0, None, 2030, True),
    (RANGE_25_35, 24.9, None, 2030, False),
    (RANGE_25_35, 35.1, None, 2030, False),
    (CUT_10, 900.0, 1000.0, 2025, True),  # a decrease: lower is better
    (CUT_10, 901.0, 1000.0, 2025, False),
    (CUT_10, 800.0, None, 2025, False),  # no baseline: cannot be known
    (RISE_5, 210.0, 200.0, 2025, True),
    (RISE_5, 209.0, 200.0, 2025, False),
    (RAMP, 70.0, None, 2023, True),
    (RAMP, 69.0, None, 2023, False),
    (RANK_5, 5.0, None, 2025, True),  # rank position: 1 is best
    (RANK_5, 6.0, None, 2025, False),
    (GROUP_FAIR, 75.0, None, 2025, True),
    (GROUP_FAIR, 74.9, None, 2025, False),
    (MILESTONE_2025, 1.0, None, 2025, True),
    (MILESTONE_2025, 0.0, None, 2025, False),
    (AT_LEAST_80, NAN, None, 2025, False),
])
def test_meets(spec: TargetSpec, observed: float, baseline: float | None, year: int, expected: bool) -> None:
    assert meets(spec, observed, baseline, year) is expected


# --- Status table ------------------------------------------------------------------------------
# (id, spec, series points, as_of, explicit baseline, direction, expected status)
STATUS_CASES = [
    # at_least
    ("at_least achieved", AT_LEAST_80, {2023.0: 70, 2024.0: 82}, 2024.5, None, "up", "achieved"),
    ("at_least on_track", AT_LEAST_80, {2021.0: 50, 2024.0: 70}, 2024.5, None, "up", "on_track"),
    ("at_least at_risk", AT_LEAST_80, {2021.0: 50, 2024.0: 62}, 2024.5, None, "up", "at_risk"),
    ("at_least off_track slow", AT_LEAST_80, {2021.0: 50, 2024.0: 55}, 2024.5, None, "up", "off_track"),
    ("at_least ratio 0.55 at_risk", AT_LEAST_80, {2021.0: 50, 2024.0: 59.9}, 2024.5, None, "up", "at_risk"),
    ("at_least ratio 0.40 off_track", AT_LEAST_80, {2021.0: 50, 2024.0: 57.2}, 2024.5, None, "up", "off_track"),
    ("at_least off_track falling", AT_LEAST_80, {2021.0: 50, 2024.0: 45}, 2024.5, None, "up", "off_track"),
    # ratio 0.43 but the trend of the observations (slope 36/yr) still reaches 100 by 2026.0
    ("at_least at_risk by trend", AT_LEAST_100, {2024.0: 40, 2024.5: 58}, 2024.5, (2021.0, 40.0), "up", "at_risk"),
    ("at_least explicit baseline, one obs", AT_LEAST_80, {2024.0: 70}, 2024.5, (2021.0, 50.0), "up", "on_track"),
    ("at_least met at baseline and now", AT_LEAST_80, {2023.0: 88}, 2024.0, (2021.0, 85.0), "up", "achieved"),
    ("at_least met at baseline, lost", AT_LEAST_80, {2023.0: 78}, 2024.0, (2021.0, 85.0), "up", "off_track"),
    # at_most (lower is better whatever `direction` says)
    ("at_most achieved", AT_MOST_5, {2023.0: 8, 2024.0: 4}, 2024.5, None, "up", "achieved"),
    ("at_most on_track", AT_MOST_5, {2021.0: 20, 2024.0: 10}, 2024.5, None, "up", "on_track"),
    ("at_most at_risk", AT_MOST_5, {2021.0: 20, 2024.0: 14}, 2024.5, None, "down", "at_risk"),
    ("at_most off_track rising", AT_MOST_5, {2021.0: 20, 2024.0: 25}, 2024.5, None, "down", "off_track"),
    # range
    ("range achieved single obs", RANGE_25_35, {2024.0: 30}, 2024.5, None, "up", "achieved"),
    ("range on_track from below", RANGE_25_35_2025, {2021.0: 10, 2024.0: 22}, 2024.5, None, "up", "on_track"),
    ("range off_track above, rising", RANGE_25_35_2025, {2021.0: 50, 2024.0: 52}, 2024.5, None, "up", "off_track"),
    ("range at_risk above, falling", RANGE_25_35_2025, {2021.0: 50, 2024.0: 44}, 2024.5, None, "up", "at_risk"),
    ("range overshot", RANGE_25_35_2025, {2021.0: 30, 2024.0: 40}, 2024.5, None, "up", "off_track"),
    # change down: baseline = value at the end of 2021 (t = 2022.0), required 900
    ("change down achieved", CUT_10, {2022.0: 1000, 2024.0: 880}, 2024.5, None, "down", "achieved"),
    ("change down on_track", CUT_10, {2022.0: 1000, 2024.0: 950}, 2024.5, None, "down", "on_track"),
    ("change down at_risk", CUT_10, {2022.0: 1000, 2024.0: 970}, 2024.5, None, "down", "at_risk"),
    ("change down off_track", CUT_10, {2022.0: 1000, 2024.0: 1010}, 2024.5, None, "down", "off_track"),
    ("change baseline nearest before", CUT_10, {2021.5: 1000, 2023.0: 890}, 2024.0, None, "down", "achieved"),
    ("change explicit baseline", CUT_10, {2024.0: 950}, 2024.5, (2022.0, 1000.0), "down", "on_track"),
    ("change no baseline", CUT_10, {2023.0: 1000, 2024.0: 800}, 2024.5, None, "down", "no_data"),
    # change up: +5 % on 200 → 210; +5 points on 60 → 65
    ("change up on_track", RISE_5, {2021.0: 200, 2023.0: 206}, 2023.5, None, "up", "on_track"),
    ("change up off_track", RISE_5, {2021.0: 200, 2023.0: 198}, 2023.5, None, "up", "off_track"),
    ("change up points achieved", RISE_5_POINTS, {2021.0: 60, 2024.0: 66}, 2024.5, None, "up", "achieved"),
    # ramp 30 % in 2021, +20 a year, capped at 100 (final level 100)
    ("ramp achieved", RAMP, {2022.0: 30, 2025.0: 60, 2026.0: 100}, 2026.0, None, "up", "achieved"),
    ("ramp on_track meets its year", RAMP, {2022.0: 30, 2024.0: 75}, 2024.5, None, "up", "on_track"),
    ("ramp at_risk below its year", RAMP, {2022.0: 30, 2024.0: 60}, 2024.5, None, "up", "at_risk"),
    ("ramp fast but below its year", RAMP, {2022.0: 30, 2024.0: 68}, 2024.5, None, "up", "at_risk"),
    ("ramp off_track", RAMP, {2022.0: 30, 2024.0: 35}, 2024.5, None, "up", "off_track"),
    ("ramp single obs meets its year", RAMP, {2023.0: 55}, 2023.0, None, "up", "on_track"),
    ("ramp past horizon not final", RAMP, {2022.0: 30, 2026.0: 95}, 2026.25, None, "up", "off_track"),
    # rank (position, 1 best)
    ("rank achieved", RANK_1, {2023.0: 1}, 2023.5, None, "up", "achieved"),
    ("rank on_track", RANK_5, {2021.0: 20, 2024.0: 11}, 2024.5, None, "up", "on_track"),
    ("rank at_risk", RANK_5, {2021.0: 20, 2024.0: 14}, 2024.5, None, "up", "at_risk"),
    ("rank off_track", RANK_5, {2021.0: 20, 2024.0: 24}, 2024.5, None, "up", "off_track"),
    ("rank single obs", RANK_5, {2024.0: 9}, 2024.5, None, "up", "no_data"),
    # rank_group (score in % of maximum)
    ("rank_group achieved", GROUP_GOOD, {2024.0: 87.5}, 2024.5, None, "up", "achieved"),
    ("rank_group on_track", GROUP_FAIR, {2021.0: 60, 2024.0: 70}, 2024.5, None, "up", "on_track"),
    ("rank_group off_track", GROUP_FAIR, {2021.0: 70, 2024.0: 68}, 2024.5, None, "up", "off_track"),
    # milestone
    ("milestone achieved", MILESTONE_2025, {2024.0: 0, 2024.5: 1}, 2024.5, None, "up", "achieved"),
    ("milestone on_track", MILESTONE_2025, {2024.0: 0}, 2024.5, None, "up", "on_track"),
    ("milestone at_risk", MILESTONE_2025, {2025.25: 0}, 2025.5, None, "up", "at_risk"),
    ("milestone off_track", MILESTONE_2024, {2024.5: 0}, 2025.25, None, "up", "off_track"),
    ("milestone no data", MILESTONE_2025, {}, 2025.5, None, "up", "no_data"),
    # 100 % ceiling
    ("ceiling on_track", AT_LEAST_100, {2021.0: 96, 2023.0: 99.5}, 2023.0, None, "up", "on_track"),
    ("ceiling at_risk", AT_LEAST_100, {2021.0: 96, 2025.0: 98.5}, 2025.0, None, "up", "at_risk"),
    ("ceiling achieved", AT_LEAST_100, {2021.0: 96, 2025.0: 100}, 2025.0, None, "up", "achieved"),
    # no baseline: the first observation is the base point (60 at 2022 → pace 5.5 vs 5 required)
    ("first obs as base", AT_LEAST_80, {2022.0: 60, 2023.0: 65, 2024.0: 71}, 2024.5, None, "up", "on_track"),
    # single observations and missing data
    ("single obs not met", AT_LEAST_80, {2024.0: 70}, 2024.5, None, "up", "no_data"),
    ("single obs met", AT_LEAST_80, {2024.0: 81}, 2024.5, None, "up", "achieved"),
    ("NaN leaves one obs", AT_LEAST_80, {2022.0: NAN, 2023.0: 60, 2024.0: NAN}, 2024.5, None, "up", "no_data"),
    ("NaN skipped", AT_LEAST_80, {2021.0: 50, 2023.0: NAN, 2024.0: 70}, 2024.5, None, "up", "on_track"),
    ("all NaN", AT_LEAST_80, {2023.0: NAN, 2024.0: NAN}, 2024.5, None, "up", "no_data"),
    ("empty series", AT_LEAST_80, {}, 2024.5, None, "up", "no_data"),
    ("all after as_of", AT_LEAST_80, {2025.0: 90}, 2024.5, None, "up", "no_data"),
    ("later value ignored", AT_LEAST_80, {2022.0: 50, 2024.0: 60, 2025.0: 95}, 2024.0, None, "up", "at_risk"),
    # horizon already past: judge the observation at the horizon (2024.0 for a 2023 target)
    ("past horizon met at horizon", AT_LEAST_80_2023, {2022.0: 60, 2024.0: 85, 2025.0: 70}, 2025.5, None, "up",
     "achieved"),
    ("past horizon not met", AT_LEAST_80_2023, {2022.0: 60, 2024.0: 75, 2025.0: 90}, 2025.5, None, "up",
     "off_track"),
    ("past horizon only later obs", AT_LEAST_80_2023, {2024.5: 90}, 2025.5, None, "up", "no_data"),
]


@pytest.mark.parametrize(
    ("spec", "points", "as_of", "baseline", "direction", "expected"),
    [case[1:] for case in STATUS_CASES],
    ids=[case[0] for case in STATUS_CASES],
)
def test_assess_status(spec: TargetSpec, points: dict[float, float], as_of: float,
                       baseline: tuple[float, float] | None, direction: str, expected: str) -> None:
    result = assess(spec, _series(points), as_of, baseline=baseline, direction=direction)
    assert isinstance(result, Assessment)
    assert result.status == expected, result.note


def test_status_table_covers_every_kind_and_status() -> None:
    kinds = {case[1].kind for case in STATUS_CASES}
    statuses = {case[-1] for case in STATUS_CASES}
    assert kinds == {"at_least", "at_most", "range", "change", "ramp", "rank", "rank_group", "milestone"}
    assert statuses == set(PROGRESS_STATUSES)
    assert {case[1].value > 0 for case in STATUS_CASES if case[1].kind == "change"} == {True, False}


# --- Assessment fields -------------------------------------------------------------------------
def test_assess_fields_on_track() -> None:
    a = assess(AT_LEAST_80, _series({2021.0: 50, 2024.0: 70}), 2024.5)
    assert a.observed == 70 and a.observed_at == 2024.0
    assert a.target_value == 80
    assert a.base_value == 50 and a.base_at == 2021.0
    assert a.required_pace == pytest.approx(6.0)  # (80-50)/(2026-2021)
    assert a.observed_pace == pytest.approx(20 / 3)
    assert a.ratio == pytest.approx((20 / 3) / 6.0)
    assert a.required_now == pytest.approx(68.0)  # 50 + 6*3
    assert a.projected == pytest.approx(70 + 20 / 3 * 2)


def test_ceiling_caps_projection_at_100() -> None:
    a = assess(AT_LEAST_100, _series({2021.0: 96, 2023.0: 99.5}), 2023.0)
    assert a.status == "on_track"
    assert a.projected == 100.0  # 99.5 + 1.75*3 = 104.75 without the cap


def test_no_ceiling_leaves_projection_alone() -> None:
    a = assess(AT_LEAST_100, _series({2021.0: 96, 2023.0: 99.5}), 2023.0, ceiling=None)
    assert a.projected == pytest.approx(104.75)


def test_projection_for_a_rank_never_goes_below_first() -> None:
    a = assess(RANK_1, _series({2021.0: 10, 2024.0: 2}), 2024.5)
    assert a.status == "on_track"
    assert a.projected == 1.0


def test_change_baseline_is_the_value_at_the_end_of_the_baseline_year() -> None:
    a = assess(CUT_10, _series({2021.75: 1100, 2022.0: 1000, 2022.25: 990, 2024.0: 950}), 2024.5)
    assert a.base_value == 1000 and a.base_at == 2022.0
    assert a.target_value == pytest.approx(900.0)


def test_past_horizon_reports_the_observation_at_the_horizon() -> None:
    a = assess(AT_LEAST_80_2023, _series({2022.0: 60, 2024.0: 85, 2025.0: 70}), 2025.5)
    assert (a.observed, a.observed_at) == (85, 2024.0)


def test_ramp_required_now_is_the_level_of_the_observation_year() -> None:
    a = assess(RAMP, _series({2022.0: 30, 2023.75: 60}), 2024.0)
    assert a.required_now == pytest.approx(70.0)  # Q3 2023 belongs to 2023
    assert a.target_value == pytest.approx(100.0)


def test_series_order_and_duplicate_times() -> None:
    s = pd.Series([70.0, 50.0, 60.0], index=[2024.0, 2021.0, 2024.0])  # the last value at 2024.0 wins
    a = assess(AT_LEAST_80, s, 2024.5)
    assert a.observed == 60 and a.base_value == 50


# --- Batch -------------------------------------------------------------------------------------
def _targets(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["target_id", "indicator_code", "unit_code", "level", "year", "spec",
                                       "direction", "unit"])


def test_assess_frame_matches_assess() -> None:
    values = pd.DataFrame({
        "indicator_code": ["online", "online", "online", "online", "staff", "staff", "score"],
        "unit_code": [356, 356, "357", "357", 36, 36, 36],
        "t": [2021.0, 2024.0, 2021.0, 2024.0, 2022.0, 2024.0, 2024.0],
        "value": [50.0, 70.0, 50.0, 55.0, 1000.0, 880.0, NAN],
        "numerator": [NAN, NAN, NAN, NAN, NAN, NAN, 87.5],
        "denominator": [NAN, NAN, NAN, NAN, NAN, NAN, 100.0],
    })
    targets = _targets([
        (1, "online", "356", "district", 2025, AT_LEAST_80, "up", "%"),
        (2, "online", 357, "district", 2025, AT_LEAST_80, "up", "%"),
        (3, "staff", 36, "province", 2025, CUT_10, "down", "người"),
        (4, "online", 358, "district", 2025, AT_LEAST_80, "up", "%"),
        (5, "score", 36, "province", 2025, GROUP_GOOD, "up", "%"),
    ])
    out = assess_frame(targets, values, 2024.5).set_index("target_id")
    assert list(out.index) == [1, 2, 3, 4, 5]
    assert out.loc[[1, 2, 3, 4, 5], "status"].tolist() == ["on_track", "off_track", "achieved", "no_data", "achieved"]
    for col in ("status", "observed", "observed_at", "required_now", "target_value", "projected", "ratio"):
        assert col in out.columns
    assert out.loc[3, "target_value"] == pytest.approx(900.0)
    assert math.isnan(out.loc[4, "observed"]) and out.loc[4, "note"]  # floats, NaN for missing
    assert out.loc[5, "observed"] == pytest.approx(87.5)  # value computed from numerator/denominator
    single = assess(AT_LEAST_80, _series({2021.0: 50, 2024.0: 70}), 2024.5)
    assert out.loc[1, "ratio"] == pytest.approx(single.ratio)


def test_assess_frame_ceiling_only_for_percent_units() -> None:
    values = pd.DataFrame({"indicator_code": ["x", "x"], "unit_code": ["u", "u"], "t": [2021.0, 2023.0],
                           "value": [96.0, 99.5]})
    targets = _targets([
        ("pct", "x", "u", "province", 2025, AT_LEAST_100, "up", "%"),
        ("pts", "x", "u", "province", 2025, AT_LEAST_100, "up", "điểm"),
    ])
    out = assess_frame(targets, values, 2023.0).set_index("target_id")
    assert out.loc["pct", "projected"] == 100.0
    assert out.loc["pts", "projected"] == pytest.approx(104.75)


def test_assess_frame_handles_a_province_scale_frame() -> None:
    """Scale behaviour (not timing: `manage.py bench` measures speed)."""
    rng = np.random.default_rng(7)
    n_series, n_times = 5_000, 50  # 250,000 values
    times = np.array([quarter_to_t(2021 + i // 4, i % 4 + 1) for i in range(n_times)])
    ind = np.repeat(np.array([f"i{k % 50}" for k in range(n_series)]), n_times)
    unit = np.repeat(np.array([f"u{k // 50}" for k in range(n_series)]), n_times)
    values = pd.DataFrame({"indicator_code": ind, "unit_code": unit, "t": np.tile(times, n_series),
                           "value": rng.uniform(0, 100, n_series * n_times)})
    targets = _targets([(k, f"i{k % 50}", f"u{k // 50}", "commune", 2030,
                         AT_LEAST_80 if k % 2 else CUT_10, "up", "%") for k in range(n_series)])
    out = assess_frame(targets, values, 2030.0)
    assert len(out) == n_series
    assert out["status"].isin(list(PROGRESS_STATUSES)).all()
    assert (out["status"] != "no_data").all()


# --- Weighted roll-up --------------------------------------------------------------------------
HIERARCHY = pd.DataFrame({
    "code": ["A", "B", "C", "D1", "D2", "P"],
    "parent_code": ["D1", "D1", "D2", "P", "P", None],
})


def _rates(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_code", "indicator_code", "t", "numerator", "denominator"])


def _row(out: pd.DataFrame, unit: str, t: float = 2024.0, indicator: str = "online") -> pd.Series:
    hit = out[(out["unit_code"] == unit) & (out["t"] == t) & (out["indicator_code"] == indicator)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


# (id, rows, unit, expected value, children, missing_children)
ROLLUP_CASES = [
    ("weighted, not averaged", [("A", "online", 2024.0, 90, 100), ("B", "online", 2024.0, 1, 10)],
     "D1", 100 * 91 / 110, 2, 0),
    ("equal denominators", [("A", "online", 2024.0, 90, 100), ("B", "online", 2024.0, 10, 100)],
     "D1", 50.0, 2, 0),
    ("missing numerator excluded", [("A", "online", 2024.0, 90, 100), ("B", "online", 2024.0, NAN, 10)],
     "D1", 90.0, 1, 1),
    ("absent child counted missing", [("A", "online", 2024.0, 90, 100)], "D1", 90.0, 1, 1),
    ("grandparent sums districts", [("A", "online", 2024.0, 90, 100), ("B", "online", 2024.0, 1, 10),
                                    ("C", "online", 2024.0, 5, 10)], "P", 100 * 96 / 120, 2, 0),
    ("grandparent with a missing district", [("A", "online", 2024.0, 90, 100)], "P", 90.0, 1, 1),
    ("district's own row when no commune reported", [("A", "online", 2024.0, 90, 100),
                                                     ("D2", "online", 2024.0, 30, 100)], "P", 60.0, 2, 0),
]


@pytest.mark.parametrize(("rows", "unit", "value", "children", "missing"),
                         [c[1:] for c in ROLLUP_CASES], ids=[c[0] for c in ROLLUP_CASES])
def test_rollup_rates(rows: list[tuple], unit: str, value: float, children: int, missing: int) -> None:
    out = rollup_rates(_rates(rows), HIERARCHY)
    row = _row(out, unit)
    assert row["value"] == pytest.approx(value)
    assert row["value"] == pytest.approx(100 * row["numerator"] / row["denominator"])
    assert (row["children"], row["missing_children"]) == (children, missing)


def test_rollup_is_not_an_average_of_percentages() -> None:
    out = rollup_rates(_rates([("A", "online", 2024.0, 90, 100), ("B", "online", 2024.0, 1, 10)]), HIERARCHY)
    row = _row(out, "D1")
    assert (row["numerator"], row["denominator"]) == (91, 110)
    assert round(row["value"], 1) == 82.7
    assert not math.isclose(row["value"], 50.0)


def test_rollup_keeps_times_and_indicators_apart() -> None:
    rows = [("A", "online", 2024.0, 90, 100), ("B", "online", 2024.0, 1, 10),
            ("A", "online", 2024.25, 10, 100), ("A", "late", 2024.0, 3, 100)]
    out = rollup_rates(_rates(rows), HIERARCHY)
    assert _row(out, "D1")["value"] == pytest.approx(100 * 91 / 110)
    assert _row(out, "D1", t=2024.25)["value"] == pytest.approx(10.0)
    assert _row(out, "D1", indicator="late")["value"] == pytest.approx(3.0)
    assert _row(out, "D1", t=2024.25)["missing_children"] == 1


def test_rollup_all_children_missing() -> None:
    out = rollup_rates(_rates([("A", "online", 2024.0, NAN, 100), ("B", "online", 2024.0, 5, NAN)]), HIERARCHY)
    row = _row(out, "D1")
    assert row["children"] == 0 and row["missing_children"] == 2
    assert math.isnan(row["value"])
    # the province sees D1 as missing and D2 as absent
    prov = _row(out, "P")
    assert prov["children"] == 0 and prov["missing_children"] == 2


def test_rollup_matches_integer_and_string_codes() -> None:
    parents = pd.DataFrame({"code": [13702, 13705, 356], "parent_code": [356, 356, 36]})
    values = _rates([("13702", "online", 2024.0, 90, 100), ("13705", "online", 2024.0, 1, 10)])
    out = rollup_rates(values, parents)
    assert set(out["unit_code"]) == {356, 36}
    assert _row(out, 356)["value"] == pytest.approx(100 * 91 / 110)
    assert _row(out, 36)["value"] == pytest.approx(100 * 91 / 110)


def test_rollup_rejects_a_cycle() -> None:
    parents = pd.DataFrame({"code": ["X", "Y"], "parent_code": ["Y", "X"]})
    with pytest.raises(ValueError):
        rollup_rates(_rates([("X", "online", 2024.0, 1, 2)]), parents)
