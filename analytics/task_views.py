"""The task views: the status of every assignment occurrence at the end of a quarter with its context (plan,
output, agency), the roll-ups by area and unit, the task table and its search, the overdue buckets of the units.
"""
from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from analytics import counts
from analytics import tasks as tk
from analytics.agencies import carry_agencies
from analytics.frames import EPS, Frames, blank
from analytics.units import children, descendants
from catalogue import AREAS, PROGRESS_STATUSES, UI
from loaders.text import clean, fold
from quarter import Quarter


# --- the status of the assignments and its roll-ups ------------------------------------------
def task_base(f: Frames) -> pd.DataFrame:
    """Assignments joined with their output (deadline, area, plan) and agency (name, unit, level)."""
    a = f.assignments.merge(f.outputs, on="output_id", how="inner")
    ag = f.agencies[["code", "name", "short_name", "kind", "unit_code"]].rename(
        columns={"code": "agency_code", "name": "agency_name", "short_name": "agency_short", "kind": "agency_kind",
                 "unit_code": "agency_unit"})
    a = a.merge(ag, on="agency_code", how="left")
    lv = f.units[["code", "level"]].rename(columns={"code": "agency_unit", "level": "agency_level"})
    return a.merge(lv, on="agency_unit", how="left")


def task_status(f: Frames, year: int, quarter: int, base: pd.DataFrame | None = None,
                occurrences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Status of every live assignment occurrence at the end of a quarter, with its context columns.
    `occurrences`: the quarter's occurrence_status, when already known (the read model store.readmodels keeps)."""
    base = task_base(f) if base is None else base
    st = occurrence_status(f, year, quarter, base) if occurrences is None else occurrences
    started = base[base["period_from"] <= year]
    ctx = started.drop(columns=["output_id", "agency_code", "role"])
    return carry_agencies(st.merge(ctx, on="assignment_id", how="left"), f, Quarter(year, quarter).end)


def occurrence_status(f: Frames, year: int, quarter: int, base: pd.DataFrame | None = None,
                      assignments: set[int] | None = None) -> pd.DataFrame:
    """The narrow status rows (analytics.tasks.STATUS_COLUMNS) of every live occurrence at the end of a quarter, or
    of some assignments' only: what depends on the quarter, before the context columns are joined."""
    base = task_base(f) if base is None else base
    started = base[base["period_from"] <= year]  # none (no plan yet): the same columns, no rows
    if assignments is not None:
        started = started[started["assignment_id"].isin(assignments)]
    reports = f.reports[["assignment_id", "year", "quarter", "status", "percent", "evidence"]]
    if assignments is not None:
        reports = reports[reports["assignment_id"].isin(assignments)]
    return tk.task_status(started[["assignment_id", "output_id", "agency_code", "role", "deadline_kind", "due_dates"]],
                          reports, year, quarter)


def task_kpis(status: pd.DataFrame) -> dict[str, float]:
    """Headline numbers over lead assignment occurrences (analytics.counts: one definition per number)."""
    if status.empty or "role" not in status:
        return counts.tally(pd.DataFrame(columns=["status", "output_id"]))
    return counts.count(status)


def area_rollup(status: pd.DataFrame) -> pd.DataFrame:
    """Lead outputs per reform area, worst overdue rate first, with Vietnamese area labels."""
    lead = status[status["role"] == "lead"].copy()
    lead["area_code"] = lead["area_code"].fillna("")
    r = tk.rollup(lead, ["area_code"])
    r["area"] = r["area_code"].map(lambda c: AREAS[c].label if c in AREAS else "Chưa phân lĩnh vực")
    return r.sort_values(["overdue_rate", "overdue"], ascending=False).reset_index(drop=True)


def unit_task_rollup(status: pd.DataFrame, units: pd.DataFrame, parents: pd.DataFrame, parent: str,
                     on: date) -> pd.DataFrame:
    """Per child unit of `parent`: the lead counts of the agencies seated in it or below it (analytics.counts)."""
    out = counts.per_child_unit(status, units, parents, parent, on)
    return out[["code", "name", "short_name", "level", "lat", "lon", *[c for c in out.columns if c not in units.columns
                                                                       and c != "parent_code"]]]


# --- the task table ---------------------------------------------------------------------------
# Worst first: the status an output shows when its lead agencies differ.
SEVERITY = ("overdue", "no_report", "not_started", "in_progress", "done_late", "continuous", "done")


def worst_status(codes: list[str] | pd.Series) -> str | None:
    """The worst of several task status codes (SEVERITY order); None when there is none."""
    present = {c for c in codes if isinstance(c, str)}
    return next((c for c in SEVERITY if c in present), None)


def output_status(status: pd.DataFrame, agency: str | None = None) -> pd.DataFrame:
    """Per output: the worst status of its lead assignments (or of `agency`'s assignments), the due dates of the
    live occurrences, the evidence and (with an agency) its role."""
    cols = ["output_id", "status", "due", "evidence", "role"]
    if status.empty:
        return pd.DataFrame(columns=cols)
    s = status[status["agency_code"] == agency] if agency else status[status["role"] == "lead"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for oid, g in s.groupby("output_id", sort=False):
        dues = sorted({d for d in g["due_date"] if not blank(d) and d is not pd.NaT})
        ev = [e for e in dict.fromkeys(g["evidence"]) if isinstance(e, str) and e.strip()]
        roles = set(g["role"])
        rows.append({"output_id": oid, "status": worst_status(g["status"]), "due": tuple(dues), "evidence": "; ".join(ev),
                     "role": "lead" if "lead" in roles else "partner"})
    return pd.DataFrame(rows, columns=cols)


def task_table(base: pd.DataFrame, now: pd.DataFrame, history: list[tuple[str, pd.DataFrame]],
               agency: str | None = None) -> pd.DataFrame:
    """One row per output (every output of every plan, or those `agency` is assigned to): context, lead and
    partners, deadline, the status at the chosen quarter (`now`), one status column per earlier quarter in
    `history` ([(label, status frame)]), evidence, and a folded search text."""
    if base.empty:
        return pd.DataFrame(columns=["output_id", "status", "search"])
    b = base if agency is None else base[base["agency_code"] == agency]
    keep = ["output_id", "ref", "output_no", "output", "lead_text", "partner_text", "deadline_text", "deadline_kind",
            "task_no", "task", "area_code", "plan_code", "plan_number", "plan_title", "due_dates"]
    out = b.drop_duplicates("output_id")[keep].reset_index(drop=True)
    agencies = base.groupby("output_id")["agency_code"].agg(lambda s: tuple(sorted(set(s))))
    out["agencies"] = out["output_id"].map(agencies)
    cur = output_status(now, agency).set_index("output_id")
    out["status"] = out["output_id"].map(cur["status"]) if not cur.empty else None
    out["due"] = out["output_id"].map(cur["due"]) if not cur.empty else None
    out["due"] = [d if isinstance(d, tuple) and d else (tuple(dd) if isinstance(dd, tuple) else ())
                  for d, dd in zip(out["due"], out["due_dates"])]
    out["evidence"] = out["output_id"].map(cur["evidence"]) if not cur.empty else None
    out["role"] = out["output_id"].map(cur["role"]) if not cur.empty and agency else None
    if agency and not b.empty:
        roles = b.groupby("output_id")["role"].agg(lambda s: "lead" if "lead" in set(s) else "partner")
        out["role"] = out["role"].fillna(out["output_id"].map(roles))
    for i, (_label, frame) in enumerate(history):
        st_ = output_status(frame, agency)
        out[f"q{i}"] = out["output_id"].map(st_.set_index("output_id")["status"]) if not st_.empty else None
    text = (out["plan_number"].fillna("") + " " + out["task"].fillna("") + " " + out["output"].fillna("") + " "
            + out["lead_text"].fillna("") + " " + out["partner_text"].fillna("") + " " + out["deadline_text"].fillna("")
            + " " + out["evidence"].fillna("") + " " + out["ref"].fillna(""))
    out["search"] = text.map(fold)
    out["search_vi"] = text.map(_vi_key)
    return out


def _vi_key(value: object) -> str:
    """Search form that keeps diacritics: clean, lower case, punctuation to spaces, single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w&%/.:\-]+", " ", clean(value).lower())).strip()


def search_mask(folded: pd.Series, exact: pd.Series, q: str | None) -> pd.Series:
    """Rows whose text contains the query as a phrase of whole words. A query typed without diacritics
    matches any spelling ("so hoa" finds "số hóa"); one typed with diacritics matches only that spelling
    ("số" does not find "sở")."""
    folded_q, exact_q = fold(q or ""), _vi_key(q or "")
    if not folded_q:
        return pd.Series(True, index=folded.index)
    text, needle = (folded, folded_q) if exact_q == folded_q else (exact, exact_q)
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    return text.str.contains(pattern, regex=True)


def filter_tasks(table: pd.DataFrame, plan: str | None = None, area: str | None = None, agency: str | None = None,
                 status: str | None = None, deadline_kind: str | None = None, q: str | None = None) -> pd.DataFrame:
    """Rows of task_table matching every given filter and the search text q (see search_mask)."""
    t = table
    if plan:
        t = t[t["plan_code"] == plan]
    if area:
        t = t[t["area_code"].fillna("") == ("" if area == "none" else area)]
    if agency:
        t = t[t["agencies"].map(lambda a: isinstance(a, tuple) and agency in a)]
    if status:
        t = t[t["status"] == status]
    if deadline_kind:
        t = t[t["deadline_kind"] == deadline_kind]
    t = t[search_mask(t["search"], t["search_vi"], q)]
    return t.reset_index(drop=True)


# --- areas (units coloured by task status) ---------------------------------------------------
OVERDUE_BUCKET_LIMITS: tuple[tuple[str, float], ...] = (("none", 0.0), ("low", 0.10), ("mid", 0.25), ("high", 1.0))


# Colours borrowed from the progress statuses so the map reads like the targets view.
_BUCKET_COLOURS = {"none": "achieved", "low": "on_track", "mid": "at_risk", "high": "off_track", "empty": "no_data"}


def overdue_bucket(rate: float, total: float) -> str:
    """Bucket of a unit's overdue rate: none (0 %), low (≤ 10 %), mid (≤ 25 %), high; "empty" without outputs."""
    if blank(total) or not total or blank(rate):
        return "empty"
    for code, limit in OVERDUE_BUCKET_LIMITS:
        if rate <= limit + EPS:
            return code
    return "high"


def overdue_buckets() -> dict[str, tuple[str, str]]:
    """Bucket code → (label, colour); labels from catalogue.UI, colours from PROGRESS_STATUSES."""
    return {code: (UI[f"bucket_{code}"], PROGRESS_STATUSES[p].colour) for code, p in _BUCKET_COLOURS.items()}


def area_units(status: pd.DataFrame, units: pd.DataFrame, parents: pd.DataFrame, parent: str, on: date,
               area: str | None = None) -> pd.DataFrame:
    """Child units of `parent` with their lead outputs (optionally of one reform area) and overdue bucket."""
    s = status
    if area and not s.empty:
        s = s[s["area_code"].fillna("") == area]
    if s.empty:
        kids = children(units, parents, parent, on)[["code", "name", "short_name", "level", "lat", "lon"]]
        out = kids.assign(total=0, overdue=0, done=0, done_late=0, done_total=0, overdue_rate=np.nan, on_time_rate=np.nan)
    else:
        out = unit_task_rollup(s, units, parents, parent, on)
    for c in ("total", "overdue", "done", "done_late", "done_total", "in_progress", "not_started", "no_report",
              "continuous"):
        if c in out:
            out[c] = out[c].fillna(0).astype(int)
    out["bucket"] = [overdue_bucket(r, t) for r, t in zip(out["overdue_rate"], out["total"])]
    return out.reset_index(drop=True)


def unit_overdue(status: pd.DataFrame, parents: pd.DataFrame, unit: str, on: date) -> pd.DataFrame:
    """Overdue lead outputs of the agencies of `unit` and of every unit below it, worst agency first."""
    cols = ["assignment_id", "agency_code", "agency_name", "output_id", "output", "plan_number", "due_date", "area_code"]
    if status.empty:
        return pd.DataFrame(columns=cols)
    inside = descendants(parents, unit, on) | {unit}
    s = status[(status["role"] == "lead") & (status["status"] == "overdue") & status["agency_unit"].isin(inside)]
    s = s[cols].copy()
    counts = s.groupby("agency_code")["output_id"].transform("size")
    s["_n"] = counts
    return s.sort_values(["_n", "agency_name", "due_date"], ascending=[False, True, True], kind="stable") \
        .drop(columns="_n").reset_index(drop=True)


def count_by(df: pd.DataFrame, col: str, name: str = "n") -> pd.DataFrame:
    """Rows per value of `col`, most first."""
    if df.empty:
        return pd.DataFrame(columns=[col, name])
    return df.groupby(col).size().reset_index(name=name).sort_values([name, col], ascending=[False, True]) \
        .reset_index(drop=True)
