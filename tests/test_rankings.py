"""PAR INDEX rank tables, components against peers and rank-change explanations, against hand-computed tables."""
from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from analytics.rankings import components_vs, explain_change, rank_group, rank_table, subject_totals

P = pytest.param
MAXIMA = {"direction": 20.0, "procedure": 30.0, "survey": 50.0}
COMMUNE_MAXIMA = {"direction": 40.0, "survey": 60.0}


def _rows() -> list[tuple]:
    """The score rows: departments 2023 (totals + components) and 2024 (components only), a province, communes."""
    rows: list[tuple] = []
    dept_2024 = {
        "D1": (18, 27, 45), "D2": (17.5, 24.5, 40), "D3": (19.1, 19.9, 43),
        "D4": (15, 26, 39), "D5": (10, 15, 30), "D6": (14, 21, 35),
    }
    dept_2023 = {"D1": (18, 25, 45), "D2": (18, 27, 40), "D3": (16, 22, 40), "D4": (16, 25, 42), "D5": (10, 12, 28)}
    for year, table in ((2024, dept_2024), (2023, dept_2023)):
        for code, values in table.items():
            for comp, value in zip(MAXIMA, values):
                rows.append((year, "department", code, None, comp, float(value), MAXIMA[comp]))
    # 2023 totals given explicitly, with both spellings of the total row
    for i, (code, total) in enumerate({"D1": 88, "D2": 85, "D3": 78, "D4": 83, "D5": 50, "D7": 40}.items()):
        rows.append((2023, "department", code, None, "total" if i % 2 else None, float(total), 100.0))
    rows.append((2024, "province", "36", None, None, 85.0, 100.0))
    commune_2024 = {("H1", "X1"): (30, 50), ("H1", "X2"): (25, 45), ("H1", "X3"): (35, 45),
                    ("H2", "Y1"): (40, 55), ("H2", "Y2"): (20, 40)}
    for (district, code), values in commune_2024.items():
        for comp, value in zip(COMMUNE_MAXIMA, values):
            rows.append((2024, "commune", code, district, comp, float(value), COMMUNE_MAXIMA[comp]))
    for code, total in {"X1": 65.0, "X2": 75.0, "X3": 70.0}.items():
        rows.append((2023, "commune", code, "H1", None, total, 100.0))
    return rows


SCORES = pd.DataFrame(_rows(), columns=["year", "subject_kind", "subject_code", "parent_code", "component", "score", "max_score"])


def _v(value: Any) -> Any:
    """NA → None, numpy scalars → Python."""
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


# --- rank_table -----------------------------------------------------------------------------
# year, subject, rank, n, score, pct, group, prev_rank, rank_change, score_change
RANK_CASES = [
    P(2024, "D1", 1, 6, 90.0, 90.0, "good", 1, 0, 2.0, id="2024-D1-top-unchanged"),
    P(2024, "D2", 2, 6, 82.0, 82.0, "fair", 2, 0, -3.0, id="2024-D2-tie"),
    P(2024, "D3", 2, 6, 82.0, 82.0, "fair", 4, 2, 4.0, id="2024-D3-tie-up-2"),
    P(2024, "D4", 4, 6, 80.0, 80.0, "fair", 3, -1, -3.0, id="2024-D4-after-tie-down-1"),
    P(2024, "D6", 5, 6, 70.0, 70.0, "average", None, None, None, id="2024-D6-new-no-previous"),
    P(2024, "D5", 6, 6, 55.0, 55.0, "weak", 5, -1, 5.0, id="2024-D5-down-although-score-rose"),
    P(2023, "D1", 1, 6, 88.0, 88.0, "good", None, None, None, id="2023-D1-no-2022"),
    P(2023, "D2", 2, 6, 85.0, 85.0, "good", None, None, None, id="2023-D2-good-at-threshold"),
    P(2023, "D4", 3, 6, 83.0, 83.0, "fair", None, None, None, id="2023-D4"),
    P(2023, "D3", 4, 6, 78.0, 78.0, "fair", None, None, None, id="2023-D3"),
    P(2023, "D5", 5, 6, 50.0, 50.0, "weak", None, None, None, id="2023-D5"),
    P(2023, "D7", 6, 6, 40.0, 40.0, "weak", None, None, None, id="2023-D7-total-only"),
]


@pytest.mark.parametrize("year, code, rank, n, score, pct, group, prev_rank, rank_change, score_change", RANK_CASES)
def test_rank_table_departments(year: int, code: str, rank: int, n: int, score: float, pct: float, group: str,
                                prev_rank: int | None, rank_change: int | None, score_change: float | None) -> None:
    """Department ranks, groups and year-on-year changes."""
    table = rank_table(SCORES, year, "department")
    row = table.loc[table["subject_code"] == code].iloc[0]
    assert (_v(row["rank"]), _v(row["n"]), row["group"]) == (rank, n, group)
    assert row["score"] == pytest.approx(score) and row["pct"] == pytest.approx(pct)
    assert row["max_score"] == pytest.approx(100.0)
    assert (_v(row["prev_rank"]), _v(row["rank_change"])) == (prev_rank, rank_change)
    assert _v(row["score_change"]) == (None if score_change is None else pytest.approx(score_change))


def test_rank_table_order_and_ties() -> None:
    """Sorted by rank; ties share the lowest rank (1, 2, 2, 4); other kinds stay out."""
    table = rank_table(SCORES, 2024, "department")
    assert table["subject_code"].tolist() == ["D1", "D2", "D3", "D4", "D6", "D5"]
    assert [int(r) for r in table["rank"]] == [1, 2, 2, 4, 5, 6]
    assert "36" not in set(table["subject_code"])
    assert rank_table(SCORES, 2024, "province")["subject_code"].tolist() == ["36"]


# parent filter, subject, parent, rank, n, prev_rank, rank_change, group
COMMUNE_CASES = [
    P("H1", "X1", "H1", 1, 3, 3, 2, "fair", id="H1-X1-tie-up-2"),
    P("H1", "X3", "H1", 1, 3, 2, 1, "fair", id="H1-X3-tie-up-1"),
    P("H1", "X2", "H1", 3, 3, 1, -2, "average", id="H1-X2-down-2"),
    P(None, "X2", "H1", 3, 3, 1, -2, "average", id="all-X2-within-H1"),
    P(None, "Y1", "H2", 1, 2, None, None, "good", id="all-Y1-first-of-H2-despite-H1"),
    P(None, "Y2", "H2", 2, 2, None, None, "average", id="all-Y2-average-at-threshold"),
]


@pytest.mark.parametrize("parent, code, district, rank, n, prev_rank, rank_change, group", COMMUNE_CASES)
def test_rank_table_communes(parent: str | None, code: str, district: str, rank: int, n: int,
                             prev_rank: int | None, rank_change: int | None, group: str) -> None:
    """Communes are ranked within their district only."""
    table = rank_table(SCORES, 2024, "commune", parent)
    row = table.loc[table["subject_code"] == code].iloc[0]
    assert row["parent_code"] == district
    assert (_v(row["rank"]), _v(row["n"]), _v(row["prev_rank"]), _v(row["rank_change"]), row["group"]) == (
        rank, n, prev_rank, rank_change, group)


def test_commune_table_filtered_to_one_district() -> None:
    """A district's table holds only its communes."""
    assert rank_table(SCORES, 2024, "commune", "H1")["subject_code"].tolist() == ["X1", "X3", "X2"]
    assert rank_table(SCORES, 2024, "commune")["subject_code"].tolist() == ["X1", "X3", "X2", "Y1", "Y2"]


@pytest.mark.parametrize("pct, group", [
    P(100.0, "good"), P(85.0, "good"), P(84.99, "fair"), P(75.0, "fair"),
    P(74.9, "average"), P(60.0, "average"), P(59.9, "weak"), P(0.0, "weak"), P(float("nan"), None),
])
def test_rank_group_thresholds(pct: float, group: str | None) -> None:
    """Group lower bounds are inclusive percentages of the maximum."""
    assert rank_group(pct) == group


def test_totals_rules() -> None:
    """A total row beats the component sum; its missing max takes the sum of component maxima."""
    rows = pd.DataFrame([
        (2024, "district", "A", None, "direction", 10.0, 20.0),
        (2024, "district", "A", None, "survey", 30.0, 50.0),
        (2024, "district", "A", None, "total", 39.5, None),
        (2024, "district", "B", None, "direction", 12.0, 20.0),
        (2024, "district", "B", None, "survey", 28.0, 50.0),
    ], columns=SCORES.columns)
    totals = subject_totals(rows).set_index("subject_code")
    assert (totals.at["A", "score"], totals.at["A", "max_score"]) == (39.5, 70.0)
    assert (totals.at["B", "score"], totals.at["B", "max_score"]) == (40.0, 70.0)
    assert rank_table(rows, 2024, "district")["subject_code"].tolist() == ["B", "A"]


def test_float_sum_ties_with_exact_total() -> None:
    """15.35 + 19.24 + 47.41 sums to 81.99999999999999 in floats yet ties with a total of 82."""
    rows = pd.DataFrame([
        (2024, "district", "A", None, "direction", 15.35, 20.0),
        (2024, "district", "A", None, "procedure", 19.24, 30.0),
        (2024, "district", "A", None, "survey", 47.41, 50.0),
        (2024, "district", "B", None, None, 82.0, 100.0),
        (2024, "district", "C", None, None, 81.99, 100.0),
    ], columns=SCORES.columns)
    table = rank_table(rows, 2024, "district")
    assert [int(r) for r in table["rank"]] == [1, 1, 3]
    assert table["subject_code"].tolist() == ["A", "B", "C"]


# --- components_vs --------------------------------------------------------------------------
# subject, parent, component, score, max, pct, leader, average, gap_to_leader, gap_to_average, prev, change
COMPONENT_CASES = [
    P("department", "D4", None, "direction", 15.0, 20.0, 75.0, 19.1, 15.6, 4.1, 0.6, 16.0, -1.0, id="D4-direction"),
    P("department", "D4", None, "procedure", 26.0, 30.0, 260 / 3, 27.0, 133.4 / 6, 1.0, 133.4 / 6 - 26, 25.0, 1.0,
      id="D4-procedure-above-average"),
    P("department", "D4", None, "survey", 39.0, 50.0, 78.0, 45.0, 232 / 6, 6.0, 232 / 6 - 39, 42.0, -3.0, id="D4-survey"),
    P("department", "D6", None, "survey", 35.0, 50.0, 70.0, 45.0, 232 / 6, 10.0, 232 / 6 - 35, None, None,
      id="D6-no-previous"),
    P("commune", "X2", None, "direction", 25.0, 40.0, 62.5, 35.0, 30.0, 10.0, 5.0, None, None,
      id="X2-direction-peers-H1-only"),
    P("commune", "X2", "H1", "survey", 45.0, 60.0, 75.0, 50.0, 140 / 3, 5.0, 140 / 3 - 45, None, None, id="X2-survey"),
]


@pytest.mark.parametrize(
    "kind, code, parent, component, score, max_score, pct, leader, average, gap_leader, gap_average, prev, change",
    COMPONENT_CASES)
def test_components_vs(kind: str, code: str, parent: str | None, component: str, score: float, max_score: float,
                       pct: float, leader: float, average: float, gap_leader: float, gap_average: float,
                       prev: float | None, change: float | None) -> None:
    """A component against the peers' leader and average, and its year-on-year change."""
    table = components_vs(SCORES, 2024, kind, code, parent)
    row = table.loc[table["component"] == component].iloc[0]
    expected = [score, max_score, pct, leader, average, gap_leader, gap_average]
    got = [row[c] for c in ("score", "max_score", "pct", "leader_score", "average_score", "gap_to_leader", "gap_to_average")]
    assert got == pytest.approx(expected)
    assert _v(row["prev_score"]) == (None if prev is None else pytest.approx(prev))
    assert _v(row["change"]) == (None if change is None else pytest.approx(change))


def test_components_order_and_unknown_subject() -> None:
    """Components come in catalogue order; an unknown subject raises."""
    assert components_vs(SCORES, 2024, "department", "D4")["component"].tolist() == ["direction", "procedure", "survey"]
    with pytest.raises(ValueError):
        components_vs(SCORES, 2024, "department", "D9")


# --- explain_change -------------------------------------------------------------------------
# subject, kind, rank, n, prev_rank, rank_change, score, score_change, above, above_score, gap, deltas, loss
EXPLAIN_CASES = [
    P("department", "D4", 4, 6, 3, -1, 80.0, -3.0, "D2", 82.0, 2.0,
      [("survey", -3.0), ("direction", -1.0), ("procedure", 1.0)], "survey", id="D4-down-1-lost-survey"),
    P("department", "D5", 6, 6, 5, -1, 55.0, 5.0, "D6", 70.0, 15.0,
      [("direction", 0.0), ("survey", 2.0), ("procedure", 3.0)], None, id="D5-down-although-score-rose"),
    P("department", "D3", 2, 6, 4, 2, 82.0, 4.0, "D1", 90.0, 8.0,
      [("procedure", -2.1), ("survey", 3.0), ("direction", 3.1)], "procedure", id="D3-up-2-despite-loss"),
    P("department", "D1", 1, 6, 1, 0, 90.0, 2.0, None, None, None,
      [("direction", 0.0), ("survey", 0.0), ("procedure", 2.0)], None, id="D1-top-nobody-above"),
    P("department", "D6", 5, 6, None, None, 70.0, None, "D4", 80.0, 10.0, [], None, id="D6-new"),
    P("commune", "X2", 3, 3, 1, -2, 70.0, -5.0, "X1", 80.0, 10.0, [], None, id="X2-commune-district-inferred"),
]


@pytest.mark.parametrize("kind, code, rank, n, prev_rank, rank_change, score, score_change, above, above_score, gap, "
                         "deltas, loss", EXPLAIN_CASES)
def test_explain_change(kind: str, code: str, rank: int, n: int, prev_rank: int | None, rank_change: int | None,
                        score: float, score_change: float | None, above: str | None, above_score: float | None,
                        gap: float | None, deltas: list[tuple[str, float]], loss: str | None) -> None:
    """The numbers behind 'rank r of n, down k places although the score rose; points lost on X; g behind'."""
    out = explain_change(SCORES, 2024, kind, code)
    assert (out["rank"], out["n"], out["prev_rank"], out["rank_change"]) == (rank, n, prev_rank, rank_change)
    assert out["score"] == pytest.approx(score)
    assert out["score_change"] == (None if score_change is None else pytest.approx(score_change))
    assert (out["above_code"], out["above_score"]) == (above, above_score)
    assert out["gap_to_above"] == (None if gap is None else pytest.approx(gap))
    assert [d["component"] for d in out["component_deltas"]] == [c for c, _ in deltas]
    assert [d["delta"] for d in out["component_deltas"]] == pytest.approx([v for _, v in deltas])
    assert out["largest_loss"] == loss
    if loss is not None:
        assert out["largest_loss_delta"] == pytest.approx(deltas[0][1])


def test_explain_change_unknown_subject() -> None:
    """A subject that is not ranked that year raises."""
    with pytest.raises(ValueError):
        explain_change(SCORES, 2024, "department", "D7")
