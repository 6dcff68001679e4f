"""Task occurrences, derived statuses, roll-ups and changes, against hand-computed tables."""
from __future__ import annotations

import math
from datetime import date as D
from typing import Any

import pandas as pd
import pytest

from analytics.tasks import STATUS_CODES, changes, occurrences, rollup, task_status
from catalogue import TASK_STATUSES

# Recurring due dates used below.
QUARTERLY = (D(2023, 3, 31), D(2023, 6, 30), D(2023, 9, 30), D(2023, 12, 31), D(2024, 3, 31), D(2024, 6, 30))
Q1_EVERY_YEAR = (D(2023, 3, 31), D(2024, 3, 31), D(2025, 3, 31))  # "Quý I hàng năm"
END_OF_YEAR = (D(2023, 12, 31), D(2024, 12, 31))  # "Hàng năm"
HALF_YEARLY = (D(2023, 6, 30), D(2023, 12, 31))
MONTHLY = (D(2023, 1, 31), D(2023, 2, 28), D(2023, 3, 31), D(2023, 4, 30))


def _assignments(rows: list[tuple[Any, str, tuple]]) -> pd.DataFrame:
    """Assignments frame from (assignment_id, deadline_kind, due_dates) rows."""
    return pd.DataFrame({
        "assignment_id": [r[0] for r in rows],
        "output_id": [f"O{r[0]}" for r in rows],
        "agency_code": ["STP"] * len(rows),
        "role": ["lead"] * len(rows),
        "deadline_kind": [r[1] for r in rows],
        "due_dates": pd.Series([r[2] for r in rows], dtype=object),
    })


def _reports(assignment_id: Any, rows: list[tuple]) -> pd.DataFrame:
    """Reports frame from (year, quarter, status[, percent, evidence]) rows of one assignment."""
    full = [(*r, *(math.nan, None)[len(r) - 3:]) for r in rows]
    return pd.DataFrame(
        [(assignment_id, *r) for r in full],
        columns=["assignment_id", "year", "quarter", "status", "percent", "evidence"],
    )


def _statuses(df: pd.DataFrame) -> list[tuple[D | None, str, bool]]:
    """(due_date or None, status, reported) per row."""
    return [
        (None if pd.isna(r.due_date) else r.due_date, r.status, bool(r.reported))
        for r in df.itertuples(index=False)
    ]


# --- occurrences ----------------------------------------------------------------------------
OCCURRENCE_CASES = [
    pytest.param("once", (D(2023, 6, 30),), [(D(2023, 6, 30), 1)], id="once-dated"),
    pytest.param("once", (D(2022, 12, 31), D(2021, 12, 31)), [(D(2022, 12, 31), 1)], id="once-latest-date"),
    pytest.param("once", (), [(None, 1)], id="once-undated"),
    pytest.param("recurring", (D(2024, 3, 31), D(2023, 3, 31), D(2023, 3, 31)),
                 [(D(2023, 3, 31), 1), (D(2024, 3, 31), 2)], id="recurring-sorted-distinct"),
    pytest.param("recurring", (), [(None, 1)], id="recurring-undated"),
    pytest.param("continuous", (), [(None, 1)], id="continuous"),
    pytest.param("continuous", (D(2023, 1, 1),), [(None, 1)], id="continuous-ignores-dates"),
    pytest.param("unspecified", (), [(None, 1)], id="unspecified"),
]


@pytest.mark.parametrize("kind, dues, expected", OCCURRENCE_CASES)
def test_occurrences(kind: str, dues: tuple, expected: list[tuple]) -> None:
    """Each deadline kind expands to the expected (due_date, occurrence_no) rows."""
    out = occurrences(_assignments([(7, kind, dues)]))
    got = [(None if pd.isna(r.due_date) else r.due_date, r.occurrence_no) for r in out.itertuples()]
    assert got == expected
    assert set(out["assignment_id"]) == {7}
    assert list(out.columns[-2:]) == ["due_date", "occurrence_no"]


def test_occurrences_keeps_input_columns_and_rejects_unknown_kind() -> None:
    """Extra input columns pass through; an unknown deadline kind raises."""
    frame = _assignments([(1, "recurring", QUARTERLY[:2])]).assign(area="procedure")
    out = occurrences(frame)
    assert list(out["area"]) == ["procedure", "procedure"]
    assert list(out["role"]) == ["lead", "lead"]
    with pytest.raises(ValueError):
        occurrences(_assignments([(1, "sometimes", ())]))


# --- task_status ----------------------------------------------------------------------------
P = pytest.param
STATUS_CASES = [
    # once deadlines
    P("once", (D(2023, 6, 30),), [(2023, 2, "done")], (2023, 3),
      [(D(2023, 6, 30), "done", True)], id="once-done"),
    P("once", (D(2023, 6, 30),), [(2023, 2, "done_late")], (2023, 3),
      [(D(2023, 6, 30), "done_late", True)], id="once-done_late-typed"),
    P("once", (D(2023, 3, 31),), [(2023, 1, "in_progress"), (2023, 2, "done")], (2023, 2),
      [(D(2023, 3, 31), "done_late", True)], id="once-done_late-first-done-after-due"),
    P("once", (D(2023, 3, 31),), [(2023, 1, "done"), (2023, 2, "done")], (2023, 2),
      [(D(2023, 3, 31), "done", True)], id="once-done-streak-from-due-quarter"),
    P("once", (D(2023, 5, 15),), [(2023, 2, "done")], (2023, 2),
      [(D(2023, 5, 15), "done", True)], id="once-done-in-quarter-containing-due"),
    P("once", (D(2023, 4, 1),), [(2023, 2, "done")], (2023, 2),
      [(D(2023, 4, 1), "done", True)], id="once-done-quarter-starting-on-due-date"),
    P("once", (D(2023, 3, 31),), [(2023, 1, "done"), (2023, 2, "in_progress"), (2023, 3, "done")], (2023, 3),
      [(D(2023, 3, 31), "done_late", True)], id="once-reopened-then-done-late"),
    P("once", (D(2023, 12, 31),), [(2023, 2, "in_progress")], (2023, 3),
      [(D(2023, 12, 31), "in_progress", True)], id="once-in_progress"),
    P("once", (D(2023, 12, 31),), [(2023, 1, "not_started")], (2023, 2),
      [(D(2023, 12, 31), "not_started", True)], id="once-not_started"),
    P("once", (D(2023, 12, 31),), [(2023, 1, "done"), (2023, 2, "in_progress")], (2023, 2),
      [(D(2023, 12, 31), "in_progress", True)], id="once-latest-report-counts"),
    P("once", (D(2023, 12, 31),), [(2023, 2, "in_progress"), (2023, 4, "done")], (2023, 3),
      [(D(2023, 12, 31), "in_progress", True)], id="once-later-report-ignored"),
    P("once", (D(2023, 6, 30),), [(2023, 2, "in_progress")], (2023, 3),
      [(D(2023, 6, 30), "overdue", True)], id="once-overdue-with-report"),
    P("once", (D(2023, 6, 30),), [], (2023, 3),
      [(D(2023, 6, 30), "overdue", False)], id="once-overdue-without-report"),
    P("once", (D(2023, 6, 30),), [], (2023, 2),
      [(D(2023, 6, 30), "no_report", False)], id="once-due-on-quarter-end-not-overdue"),
    P("once", (D(2021, 12, 31), D(2022, 12, 31)), [], (2022, 4),
      [(D(2022, 12, 31), "no_report", False)], id="once-judged-on-latest-date"),
    P("once", (), [], (2030, 4), [(None, "no_report", False)], id="once-undated-never-overdue"),
    # unspecified and continuous
    P("unspecified", (), [(2022, 1, "in_progress")], (2025, 4),
      [(None, "in_progress", True)], id="unspecified-never-overdue"),
    P("unspecified", (), [], (2025, 4), [(None, "no_report", False)], id="unspecified-no_report"),
    P("continuous", (), [(2023, 3, "in_progress")], (2023, 3),
      [(None, "continuous", True)], id="continuous-reported"),
    P("continuous", (), [(2023, 1, "not_started")], (2024, 4),
      [(None, "continuous", True)], id="continuous-never-overdue"),
    P("continuous", (), [], (2023, 3), [(None, "no_report", False)], id="continuous-no_report"),
    P("continuous", (), [(2023, 3, "done")], (2023, 3), [(None, "done", True)], id="continuous-done"),
    # recurring yearly: "Quý I hàng năm"
    P("recurring", Q1_EVERY_YEAR, [(2023, 1, "done")], (2023, 3),
      [(D(2023, 3, 31), "done", True)], id="yearly-q1-done-in-q1-seen-in-q3"),
    P("recurring", Q1_EVERY_YEAR, [(2023, 1, "done"), (2024, 1, "in_progress")], (2024, 2),
      [(D(2024, 3, 31), "overdue", True)], id="yearly-q1-2024-overdue-with-report"),
    P("recurring", Q1_EVERY_YEAR, [(2023, 1, "done")], (2024, 2),
      [(D(2024, 3, 31), "overdue", False)], id="yearly-q1-2023-report-does-not-count-in-2024"),
    P("recurring", Q1_EVERY_YEAR, [(2024, 1, "in_progress"), (2024, 3, "done")], (2024, 3),
      [(D(2024, 3, 31), "done_late", True)], id="yearly-q1-late-completion"),
    P("recurring", Q1_EVERY_YEAR, [(2024, 1, "in_progress")], (2024, 1),
      [(D(2024, 3, 31), "in_progress", True)], id="yearly-q1-due-now-not-overdue"),
    # recurring yearly: due at year end
    P("recurring", END_OF_YEAR, [], (2023, 1),
      [(D(2023, 12, 31), "no_report", False)], id="yearly-end-upcoming-occurrence"),
    P("recurring", END_OF_YEAR, [(2023, 4, "done")], (2024, 2),
      [(D(2024, 12, 31), "no_report", False)], id="yearly-end-last-year-report-ignored"),
    # recurring quarterly
    P("recurring", QUARTERLY, [(2023, 1, "done"), (2023, 2, "in_progress")], (2023, 2),
      [(D(2023, 3, 31), "done", True), (D(2023, 6, 30), "in_progress", True),
       (D(2023, 9, 30), "no_report", False)], id="quarterly-q2"),
    P("recurring", QUARTERLY, [(2023, 1, "in_progress"), (2023, 2, "done")], (2023, 3),
      [(D(2023, 3, 31), "done_late", True), (D(2023, 6, 30), "done", True),
       (D(2023, 9, 30), "no_report", False), (D(2023, 12, 31), "no_report", False)],
      id="quarterly-late-completion-carries-over"),
    P("recurring", QUARTERLY, [(2023, 1, "done"), (2023, 2, "in_progress"), (2023, 3, "not_started")], (2023, 3),
      [(D(2023, 3, 31), "done", True), (D(2023, 6, 30), "overdue", True),
       (D(2023, 9, 30), "not_started", True), (D(2023, 12, 31), "no_report", False)],
      id="quarterly-q3-overdue"),
    P("recurring", QUARTERLY, [(2023, 4, "done")], (2024, 1),
      [(D(2024, 3, 31), "no_report", False), (D(2024, 6, 30), "no_report", False)],
      id="quarterly-new-year"),
    P("recurring", HALF_YEARLY, [(2023, 2, "in_progress"), (2023, 3, "done")], (2023, 3),
      [(D(2023, 6, 30), "done_late", True), (D(2023, 12, 31), "done", True)],
      id="half-yearly-q3-report-belongs-to-second-half"),
    P("recurring", MONTHLY, [(2023, 1, "done")], (2023, 1),
      [(D(2023, 1, 31), "done", True), (D(2023, 2, 28), "done", True),
       (D(2023, 3, 31), "done", True), (D(2023, 4, 30), "no_report", False)],
      id="monthly-share-one-quarterly-report"),
    P("recurring", MONTHLY, [(2023, 1, "in_progress")], (2023, 1),
      [(D(2023, 1, 31), "overdue", True), (D(2023, 2, 28), "overdue", True),
       (D(2023, 3, 31), "in_progress", True), (D(2023, 4, 30), "no_report", False)],
      id="monthly-in_progress-overdue-within-quarter"),
    P("recurring", (), [(2022, 4, "done")], (2023, 2),
      [(None, "no_report", False)], id="recurring-undated-only-this-year"),
    P("recurring", (), [(2023, 1, "in_progress")], (2023, 2),
      [(None, "in_progress", True)], id="recurring-undated-reported"),
]


@pytest.mark.parametrize("kind, dues, reports, as_of, expected", STATUS_CASES)
def test_task_status(kind: str, dues: tuple, reports: list[tuple], as_of: tuple[int, int],
                     expected: list[tuple]) -> None:
    """One assignment's live occurrences get the hand-derived statuses."""
    out = task_status(_assignments([(1, kind, dues)]), _reports(1, reports), *as_of)
    assert _statuses(out) == expected
    assert set(out["year"]) == {as_of[0]} and set(out["quarter"]) == {as_of[1]}


def test_every_task_status_is_exercised() -> None:
    """The status table covers every TASK_STATUSES code."""
    seen = {status for case in STATUS_CASES for _, status, _ in case.values[-1]}
    assert seen == set(TASK_STATUSES)


def test_status_columns_percent_and_evidence() -> None:
    """Output columns are as documented; percent/evidence come from the counted report."""
    assignments = _assignments([(1, "once", (D(2023, 6, 30),)), (2, "recurring", Q1_EVERY_YEAR), (3, "continuous", ())])
    reports = pd.concat([
        _reports(1, [(2023, 1, "in_progress", 40.0, None), (2023, 2, "done", 100.0, "QĐ 1955/QĐ-UBND")]),
        _reports(2, [(2023, 1, "in_progress", 50.0, None), (2023, 2, "done", 100.0, "KH 12/KH-STP"),
                     (2023, 4, "in_progress", 10.0, None)]),
    ], ignore_index=True)
    out = task_status(assignments, reports, 2023, 3)
    assert list(out.columns) == ["assignment_id", "output_id", "agency_code", "role", "due_date",
                                 "status", "percent", "evidence", "reported", "year", "quarter"]
    rows = {r.assignment_id: r for r in out.itertuples(index=False)}
    assert (rows[1].status, rows[1].percent, rows[1].evidence) == ("done", 100.0, "QĐ 1955/QĐ-UBND")
    # Q2 "done" is the first done quarter, after the 31/3 due date; the Q4 report is after the as-of quarter
    assert (rows[2].status, rows[2].percent, rows[2].evidence) == ("done_late", 100.0, "KH 12/KH-STP")
    assert rows[3].status == "no_report" and math.isnan(rows[3].percent) and rows[3].evidence is None
    assert out["reported"].tolist() == [True, True, False]


def test_duplicate_report_last_row_wins_and_bad_input_raises() -> None:
    """A re-uploaded quarter replaces the earlier row; unknown codes and quarters raise."""
    assignments = _assignments([(1, "once", (D(2023, 12, 31),))])
    reports = _reports(1, [(2023, 3, "done"), (2023, 3, "in_progress")])
    assert task_status(assignments, reports, 2023, 3)["status"].tolist() == ["in_progress"]
    with pytest.raises(ValueError):
        task_status(assignments, _reports(1, [(2023, 3, "finished")]), 2023, 3)
    with pytest.raises(ValueError):
        task_status(assignments, _reports(1, []), 2023, 5)


# --- rollup ---------------------------------------------------------------------------------
ROLLUP_INPUT = pd.DataFrame(
    [("STP", "lead", "done"), ("STP", "lead", "done"), ("STP", "lead", "overdue"), ("STP", "lead", "in_progress"),
     ("STP", "partner", "done_late"), ("STP", "partner", "overdue"),
     ("SNV", "lead", "continuous"), ("SNV", "lead", "no_report"), ("SNV", "lead", "not_started")],
    columns=["agency_code", "role", "status"],
)
NAN = math.nan
ROLLUP_CASES = [
    # by, group key, counts in catalogue order, total, done_total, on_time_rate, overdue_rate
    P(["agency_code", "role"], ("SNV", "lead"), [0, 0, 0, 1, 0, 1, 1], 3, 0, NAN, 0.0, id="SNV-lead"),
    P(["agency_code", "role"], ("STP", "lead"), [2, 0, 1, 0, 1, 0, 0], 4, 2, 2 / 3, 0.25, id="STP-lead"),
    P(["agency_code", "role"], ("STP", "partner"), [0, 1, 0, 0, 1, 0, 0], 2, 1, 0.0, 0.5, id="STP-partner"),
    P(["agency_code"], ("STP",), [2, 1, 1, 0, 2, 0, 0], 6, 3, 0.4, 1 / 3, id="STP-all-roles"),
    P([], (), [2, 1, 1, 1, 2, 1, 1], 9, 3, 0.4, 2 / 9, id="everything"),
]


@pytest.mark.parametrize("by, key, counts, total, done_total, on_time, overdue_rate", ROLLUP_CASES)
def test_rollup(by: list[str], key: tuple, counts: list[int], total: int, done_total: int,
                on_time: float, overdue_rate: float) -> None:
    """Counts per group in catalogue order, lead and partner apart, with the rates."""
    out = rollup(ROLLUP_INPUT, by)
    assert list(out.columns) == [*by, *STATUS_CODES, "total", "done_total", "on_time_rate", "overdue_rate"]
    row = out.loc[(out[by] == pd.Series(key, index=by)).all(axis=1)] if by else out
    assert len(row) == 1
    row = row.iloc[0]
    assert [int(row[c]) for c in STATUS_CODES] == counts
    assert (int(row["total"]), int(row["done_total"])) == (total, done_total)
    assert row["on_time_rate"] == pytest.approx(on_time, nan_ok=True)
    assert row["overdue_rate"] == pytest.approx(overdue_rate, nan_ok=True)


def test_rollup_groups_and_errors() -> None:
    """Lead and partner rows stay apart; an unknown status raises."""
    out = rollup(ROLLUP_INPUT, ["agency_code", "role"])
    assert list(zip(out["agency_code"], out["role"])) == [("SNV", "lead"), ("STP", "lead"), ("STP", "partner")]
    assert STATUS_CODES == ["done", "done_late", "in_progress", "not_started", "overdue", "continuous", "no_report"]
    with pytest.raises(ValueError):
        rollup(ROLLUP_INPUT.assign(status="late"), ["role"])


# --- changes --------------------------------------------------------------------------------
def test_changes_between_quarters() -> None:
    """Only occurrences whose status moved (or that are new) are listed."""
    assignments = _assignments([(1, "recurring", QUARTERLY), (2, "once", (D(2023, 12, 31),))])
    reports = pd.concat([
        _reports(1, [(2023, 1, "done"), (2023, 2, "in_progress"), (2023, 3, "not_started")]),
        _reports(2, [(2023, 1, "in_progress")]),
    ], ignore_index=True)
    prev = task_status(assignments, reports, 2023, 2)
    curr = task_status(assignments, reports, 2023, 3)
    out = changes(prev, curr)
    got = [(r.assignment_id, r.due_date, None if pd.isna(r.status_prev) else r.status_prev, r.status_curr)
           for r in out.itertuples(index=False)]
    assert got == [
        (1, D(2023, 6, 30), "in_progress", "overdue"),
        (1, D(2023, 9, 30), "no_report", "not_started"),
        (1, D(2023, 12, 31), None, "no_report"),
    ]
    assert changes(curr, curr).empty
