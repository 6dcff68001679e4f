"""Task status per assignment occurrence and quarter, roll-ups and quarter-on-quarter changes.

Pure pandas/stdlib: no Streamlit, no SQL. Codes come from `catalogue`.

Occurrences (`occurrences`)
    * recurring with due dates: one occurrence per distinct due date, in date order;
    * once with due dates: one occurrence, due on the latest date;
    * continuous, unspecified, once without a date, recurring without dates: one occurrence, due NaT.
    `occurrence_no` counts from 1 within the assignment.

Status as of the END of quarter (year, quarter) (`task_status`); "qend" is that quarter's last day.
    1. Live occurrences. Recurring with dates: the occurrences whose due date falls in `year`,
       limited to those due on or before qend plus the next one after qend (a yearly task is
       judged on its occurrence of that year; a quarterly one on the year's occurrences due so far
       plus the upcoming one). Every other occurrence is always live.
    2. Counted report. Reports later than the as-of quarter never count. For duplicate reports of
       one (assignment, year, quarter) the last row wins; rows without a status are ignored.
       * once / continuous / unspecified: the latest report up to the as-of quarter (any year).
       * recurring without dates: the latest report of `year` up to the as-of quarter.
       * recurring occurrence k (due d_k, previous due d_{k-1}): quarter q(d) is the quarter that
         contains d. Its own quarters run from start_k = max(Q1 of d_k's year,
         min(q(d_k), q(d_{k-1}) + 1)) (Q1 of d_k's year for the first occurrence) to the quarter
         before the next occurrence's start (at least start_k), capped at the as-of quarter.
         The counted report is the latest report in its own quarters; when that is missing or not
         done, the first later report up to the as-of quarter that says done/done_late counts
         instead (a late completion).
    3. Status, in this order:
       * done / done_late: the counted report says done or done_late. It is done_late when it says
         done_late, or when the first quarter in which it was reported done (the start of the
         unbroken run of done reports ending at the counted report) starts after the due date;
         otherwise done. Without a due date only a typed done_late is late.
       * continuous: deadline kind continuous (never overdue): "continuous" when a counted report
         exists, "no_report" when none does.
       * overdue: a due date earlier than qend (derived, never typed); with or without a report.
       * in_progress / not_started: the counted report's status.
       * no_report: no counted report.
    `percent` and `evidence` come from the counted report (NaN / None without one); `reported`
    tells whether a counted report exists.

Roll-up (`rollup`): one count column per TASK_STATUSES code in catalogue order, then total,
done_total = done + done_late, on_time_rate = done / (done + done_late + overdue) and
overdue_rate = overdue / total (both NaN when the denominator is 0).

Changes (`changes`): occurrences of the current frame, matched to the previous frame on
(assignment_id, due_date), whose status differs; an occurrence absent from the previous frame has
status_prev NA and is listed; occurrences only in the previous frame are not listed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from catalogue import DEADLINE_KINDS, REPORT_STATUSES, TASK_STATUSES
from quarter import Quarter

DONE_CODES = frozenset({"done", "done_late"})
ASSIGNMENT_COLUMNS = ("assignment_id", "output_id", "agency_code", "role", "deadline_kind", "due_dates")
REPORT_COLUMNS = ("assignment_id", "year", "quarter", "status")
STATUS_COLUMNS = [
    "assignment_id", "output_id", "agency_code", "role", "due_date",
    "status", "percent", "evidence", "reported", "year", "quarter",
]
STATUS_CODES = [e.code for e in sorted(TASK_STATUSES.values(), key=lambda e: e.order)]
_INF = 10**9


# --- Small helpers --------------------------------------------------------------------------
def _require(df: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise when columns are missing."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks columns: {', '.join(missing)}")


def _is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA (never for containers)."""
    if value is None:
        return True
    if type(value) is str or type(value) is int:  # the common cells, answered without pandas
        return False
    if type(value) is float:
        return value != value
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Series)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_date(value: Any) -> date:
    """A datetime.date from a date, datetime, Timestamp or ISO string."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(f"not a date: {value!r}")


def _dates(value: Any) -> list[date]:
    """Sorted distinct due dates from a tuple/list (missing → empty)."""
    if _is_missing(value):
        return []
    if isinstance(value, (date, datetime, pd.Timestamp, str)):
        value = [value]
    return sorted({_as_date(v) for v in value if not _is_missing(v)})


def _occurrence_dates(kind: str, dates: list[date]) -> list[date | Any]:
    """Due dates of an assignment's occurrences (NaT for an undated one)."""
    if kind not in DEADLINE_KINDS:
        raise ValueError(f"unknown deadline kind {kind!r}")
    if kind == "recurring" and dates:
        return list(dates)
    if kind == "once" and dates:
        return [dates[-1]]
    return [pd.NaT]


def occurrences(assignments: pd.DataFrame) -> pd.DataFrame:
    """One row per (assignment, occurrence): the input columns plus due_date and occurrence_no."""
    _require(assignments, ASSIGNMENT_COLUMNS, "assignments")
    columns = [*assignments.columns, "due_date", "occurrence_no"]
    rows: list[dict[str, Any]] = []
    for rec in assignments.to_dict("records"):
        for no, due in enumerate(_occurrence_dates(rec["deadline_kind"], _dates(rec["due_dates"])), 1):
            rows.append({**rec, "due_date": due, "occurrence_no": no})
    out = pd.DataFrame(rows, columns=columns)
    out["due_date"] = pd.Series([r["due_date"] for r in rows], index=out.index, dtype=object)
    out["occurrence_no"] = out["occurrence_no"].astype("int64")
    return out


# --- Reports --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Report:
    """One quarterly report of one assignment."""

    q: int
    status: str
    percent: float
    evidence: str | None


def _rows(df: pd.DataFrame, columns: Sequence[str]) -> Iterable[dict[str, Any]]:
    """The rows of a frame as dicts of the named columns (and of those present among the optional ones), read
    column-wise: DataFrame.to_dict("records") boxes every cell of every column and was most of task_status."""
    present = [c for c in columns if c in df.columns]
    arrays = [df[c].tolist() for c in present]
    for values in zip(*arrays):
        yield dict(zip(present, values))


def _report_index(reports: pd.DataFrame) -> dict[Any, list[_Report]]:
    """Reports grouped by assignment, sorted by quarter, the last row winning per quarter."""
    _require(reports, REPORT_COLUMNS, "reports")
    index: dict[Any, dict[int, _Report]] = {}
    for rec in _rows(reports, [*REPORT_COLUMNS, "percent", "evidence"]):
        status = rec["status"]
        if _is_missing(status):
            continue
        if status not in REPORT_STATUSES:
            raise ValueError(f"unknown report status {status!r}")
        percent = rec.get("percent")
        evidence = rec.get("evidence")
        report = _Report(
            q=Quarter.index_of(int(rec["year"]), int(rec["quarter"])),
            status=status,
            percent=math.nan if _is_missing(percent) else float(percent),
            evidence=None if _is_missing(evidence) else str(evidence),
        )
        index.setdefault(rec["assignment_id"], {})[report.q] = report
    return {key: [by_q[q] for q in sorted(by_q)] for key, by_q in index.items()}


def _pick(reports: list[_Report], lo: int, hi: int, late_hi: int) -> tuple[_Report | None, int | None]:
    """The counted report in [lo, hi] (or a later done one up to late_hi) and its first done quarter."""
    own = [r for r in reports if lo <= r.q <= hi]
    counted = own[-1] if own else None
    if counted is None or counted.status not in DONE_CODES:
        late = next((r for r in reports if hi < r.q <= late_hi and r.status in DONE_CODES), None)
        if late is not None:
            return late, late.q
        return counted, None
    first = counted.q
    for r in reversed(own):
        if r.status not in DONE_CODES:
            break
        first = r.q
    return counted, first


def _derive(kind: str, due: Any, counted: _Report | None, first_done: int | None, qend: date) -> str:
    """The TASK_STATUSES code of one occurrence."""
    dated = not _is_missing(due)
    if counted is not None and counted.status in DONE_CODES:
        late = counted.status == "done_late" or (
            dated and first_done is not None and Quarter.from_index(first_done).start > due
        )
        return "done_late" if late else "done"
    if kind == "continuous":
        return "continuous" if counted is not None else "no_report"
    if dated and due < qend:
        return "overdue"
    if counted is not None:
        return counted.status
    return "no_report"


def _windows(dues: Sequence[date], year: int, asof: int, qend: date) -> list[tuple[int, int, int, int]]:
    """(occurrence index, own-window start, own-window end, late-window end) of live recurring occurrences."""
    starts: list[int] = []
    for k, due in enumerate(dues):
        year_start = Quarter(due.year, 1).index
        start = year_start if k == 0 else max(year_start, min(Quarter.of(due).index, Quarter.of(dues[k - 1]).index + 1))
        starts.append(start)
    in_year = [k for k, due in enumerate(dues) if due.year == year]
    upcoming = next((k for k in in_year if dues[k] > qend), None)
    out = []
    for k in in_year:
        if dues[k] > qend and k != upcoming:
            continue
        own_end = max(starts[k], starts[k + 1] - 1) if k + 1 < len(dues) else _INF
        out.append((k, starts[k], min(own_end, asof), asof))
    return out


def task_status(assignments: pd.DataFrame, reports: pd.DataFrame, year: int, quarter: int) -> pd.DataFrame:
    """Status of every live occurrence as of the end of (year, quarter); rules in the module docstring."""
    _require(assignments, ASSIGNMENT_COLUMNS, "assignments")
    asof = Quarter(year, quarter).index
    qend = Quarter(year, quarter).end
    by_assignment = _report_index(reports)
    rows: list[dict[str, Any]] = []
    for rec in _rows(assignments, ASSIGNMENT_COLUMNS):
        kind = rec["deadline_kind"]
        dues = _occurrence_dates(kind, _dates(rec["due_dates"]))
        reps = by_assignment.get(rec["assignment_id"], [])
        if kind == "recurring" and not _is_missing(dues[0]):
            picks = [(dues[k], *_pick(reps, lo, hi, late)) for k, lo, hi, late in _windows(dues, year, asof, qend)]
        elif kind == "recurring":
            picks = [(dues[0], *_pick(reps, Quarter(year, 1).index, asof, asof))]
        else:
            picks = [(dues[0], *_pick(reps, -_INF, asof, asof))]
        for due, counted, first_done in picks:
            rows.append({
                "assignment_id": rec["assignment_id"],
                "output_id": rec["output_id"],
                "agency_code": rec["agency_code"],
                "role": rec["role"],
                "due_date": due,
                "status": _derive(kind, due, counted, first_done, qend),
                "percent": counted.percent if counted is not None else math.nan,
                "evidence": counted.evidence if counted is not None else None,
                "reported": counted is not None,
                "year": int(year),
                "quarter": int(quarter),
            })
    out = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    out["due_date"] = pd.Series([r["due_date"] for r in rows], index=out.index, dtype=object)
    out["evidence"] = pd.Series([r["evidence"] for r in rows], index=out.index, dtype=object)
    out["percent"] = out["percent"].astype("float64")
    out["reported"] = out["reported"].astype(bool)
    out["year"] = out["year"].astype("int64")
    out["quarter"] = out["quarter"].astype("int64")
    return out


# --- Roll-ups and changes -------------------------------------------------------------------
def rollup(status_df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Counts per status code per group, with total, done_total, on_time_rate and overdue_rate."""
    by = list(by)
    _require(status_df, [*by, "status"], "status_df")
    unknown = sorted({str(s) for s in status_df["status"] if _is_missing(s) or s not in TASK_STATUSES})
    if unknown:
        raise ValueError(f"unknown task status codes: {', '.join(unknown)}")
    if by:
        if status_df.empty:
            counts = pd.DataFrame(columns=[*by, *STATUS_CODES])
        else:
            counts = (
                status_df.groupby([*by, "status"], dropna=False, sort=True).size()
                .unstack("status", fill_value=0)
                .reindex(columns=STATUS_CODES, fill_value=0)
                .reset_index()
            )
            counts.columns.name = None
    else:
        tally = status_df["status"].value_counts()
        counts = pd.DataFrame([{code: int(tally.get(code, 0)) for code in STATUS_CODES}])
    for code in STATUS_CODES:
        counts[code] = counts[code].astype("int64")
    counts["total"] = counts[STATUS_CODES].sum(axis=1).astype("int64")
    counts["done_total"] = (counts["done"] + counts["done_late"]).astype("int64")
    due = (counts["done_total"] + counts["overdue"]).astype("float64")
    counts["on_time_rate"] = (counts["done"] / due.where(due > 0)).astype("float64")
    total = counts["total"].astype("float64")
    counts["overdue_rate"] = (counts["overdue"] / total.where(total > 0)).astype("float64")
    return counts.reset_index(drop=True)


def _due_key(value: Any) -> str:
    """A merge key for a due date ('' for NaT)."""
    return "" if _is_missing(value) else _as_date(value).isoformat()


def _due_keys(values: pd.Series) -> np.ndarray:
    """_due_key of every cell, computed once per distinct due date (a quarter's frame repeats a few dozen dates
    over thousands of occurrences)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = np.array([_due_key(u) for u in uniques] + [""], dtype=object)  # code -1 (missing) → the last, ""
    return keys[codes]


def changes(prev: pd.DataFrame, curr: pd.DataFrame) -> pd.DataFrame:
    """Current occurrences whose status differs from the previous quarter's (new ones included)."""
    _require(prev, ["assignment_id", "due_date", "status"], "prev")
    _require(curr, ["assignment_id", "due_date", "status"], "curr")
    extra = [c for c in ("output_id", "agency_code", "role") if c in curr.columns]
    left = curr[["assignment_id", *extra, "due_date", "status"]].rename(columns={"status": "status_curr"})
    left = left.assign(_key=_due_keys(left["due_date"]))
    right = prev[["assignment_id", "due_date", "status"]].rename(columns={"status": "status_prev"})
    right = right.assign(_key=_due_keys(right["due_date"])).drop(columns="due_date")
    right = right.drop_duplicates(["assignment_id", "_key"], keep="last")
    merged = left.merge(right, on=["assignment_id", "_key"], how="left", sort=False)
    differs = merged["status_prev"].isna() | (merged["status_prev"] != merged["status_curr"])
    out = merged.loc[differs].sort_values(["assignment_id", "_key"], kind="stable")
    return out[["assignment_id", *extra, "due_date", "status_prev", "status_curr"]].reset_index(drop=True)
