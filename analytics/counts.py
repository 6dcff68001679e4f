"""One definition per number: the task counts every view, the deck, the brief and the handout show.

What is counted is the *assignment occurrence* of one quarter: one row of `analytics.tasks.task_status` (an
assignment = an output given to one agency as lead or as partner; a recurring assignment has one occurrence per
due date live in the quarter). A status code belongs to exactly one measure below, so

    total = done + done_late + in_progress + not_started + overdue + continuous + no_report
    done_total = done + done_late
    on_time_rate = done / (done + done_late + overdue)      (NaN when nothing was due)
    overdue_rate = overdue / total                          (NaN without occurrences)

A count is always taken over a *scope* (`Scope`): the role (lead, the default of every headline number; partner;
or both), one agency, one unit (the agencies seated in it or in any unit below it on the quarter's last day), one
reform area. `outputs` counts the distinct outputs (sản phẩm) behind the same rows: a group lead ("Các Sở, ban,
ngành") gives one output many lead occurrences, so the two differ and their labels say which is which
(catalogue UI "cnt_*" and "cnt_outputs*").

`rows` returns the occurrence rows behind a count, `link_params` the Nhiệm vụ URL that lists exactly them
(`?rows=occ`), so a number on a card and the length of the list it opens are equal by construction.

Pure pandas: no Streamlit, no SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from analytics.units import children
from catalogue import TASK_STATUSES

ROLES = ("lead", "partner", "any")


@dataclass(frozen=True)
class Measure:
    """One count: its key, the status codes it adds up (None: every status) and its catalogue label key."""

    key: str
    statuses: tuple[str, ...] | None
    label: str


MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure("total", None, "cnt_total"),
    Measure("done_total", ("done", "done_late"), "cnt_done_total"),
    Measure("done", ("done",), "cnt_done"),
    Measure("done_late", ("done_late",), "cnt_done_late"),
    Measure("overdue", ("overdue",), "cnt_overdue"),
    Measure("in_progress", ("in_progress",), "cnt_in_progress"),
    Measure("not_started", ("not_started",), "cnt_not_started"),
    Measure("continuous", ("continuous",), "cnt_continuous"),
    Measure("no_report", ("no_report",), "cnt_no_report"),
)}
STATUS_MEASURES = [c for c in TASK_STATUSES]  # the measures that are one status each
assert set(STATUS_MEASURES) <= set(MEASURES)


@dataclass(frozen=True)
class Scope:
    """Which occurrences a count is taken over (None: no restriction)."""

    role: str = "lead"
    agency: str | None = None
    unit: str | None = None
    area: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {self.role!r}")


def units_under(parents: pd.DataFrame, unit: str, on: date) -> set[str]:
    """A unit and every unit below it on a date (the links valid then)."""
    p = parents
    ok = (p["valid_from"].isna() | (p["valid_from"] <= on)) & (p["valid_to"].isna() | (p["valid_to"] >= on))
    kids: dict[str, list[str]] = {}
    for c, par in zip(p.loc[ok, "code"], p.loc[ok, "parent_code"]):
        kids.setdefault(str(par), []).append(str(c))
    out, todo = {str(unit)}, [str(unit)]
    while todo:
        for c in kids.get(todo.pop(), ()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def rows(status: pd.DataFrame, scope: Scope = Scope(), measure: str = "total", parents: pd.DataFrame | None = None,
         on: date | None = None) -> pd.DataFrame:
    """The occurrence rows of a status frame behind one count (a unit scope needs `parents` and `on`)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    s = status
    if s.empty:
        return s
    keep = pd.Series(True, index=s.index)
    if scope.role != "any":
        keep &= s["role"] == scope.role
    if scope.agency:
        keep &= s["agency_code"] == scope.agency
    if scope.unit:
        if parents is None or on is None:
            raise ValueError("a unit scope needs the unit links and the date")
        keep &= s["agency_unit"].astype(str).isin(units_under(parents, scope.unit, on))
    if scope.area:
        keep &= s["area_code"].fillna("none" if scope.area == "none" else "") == scope.area
    wanted = MEASURES[measure].statuses
    if wanted is not None:
        keep &= s["status"].isin(wanted)
    return s[keep]


def tally(scoped: pd.DataFrame) -> dict[str, float]:
    """Every measure over already scoped rows, the distinct outputs of each ("outputs_<key>") and the two rates."""
    codes = scoped["status"].value_counts() if not scoped.empty else pd.Series(dtype="int64")
    out: dict[str, float] = {}
    for key, m in MEASURES.items():
        hit = scoped if m.statuses is None else scoped[scoped["status"].isin(m.statuses)] if not scoped.empty else scoped
        out[key] = int(codes.sum()) if m.statuses is None else int(sum(int(codes.get(c, 0)) for c in m.statuses))
        out[f"outputs_{key}"] = int(hit["output_id"].nunique()) if not hit.empty else 0
    due = out["done"] + out["done_late"] + out["overdue"]
    out["on_time_rate"] = out["done"] / due if due else np.nan
    out["overdue_rate"] = out["overdue"] / out["total"] if out["total"] else np.nan
    out["due"] = due
    return out


def count(status: pd.DataFrame, scope: Scope = Scope(), parents: pd.DataFrame | None = None,
          on: date | None = None) -> dict[str, float]:
    """`tally` of a scope: the numbers one card, one row or one bar shows."""
    return tally(rows(status, scope, "total", parents, on))


def per_child_unit(status: pd.DataFrame, units: pd.DataFrame, parents: pd.DataFrame, parent: str, on: date,
                   area: str | None = None, role: str = "lead") -> pd.DataFrame:
    """Per unit directly under `parent` on `on`: every measure and rate over the occurrences of the agencies seated
    in it or below it (the same rows `rows(..., Scope(unit=child))` returns)."""
    kids = children(units, parents, parent, on)
    empty = tally(pd.DataFrame(columns=["status", "output_id"]))
    records = [{"code": code, **(count(status, Scope(role=role, unit=str(code), area=area), parents, on)
                                 if not status.empty else empty)} for code in kids["code"]]
    counted = pd.DataFrame(records, columns=["code", *empty])
    return kids.merge(counted, on="code", how="left")


def per_agency(status: pd.DataFrame) -> pd.DataFrame:
    """Per agency and role: every measure (columns "<measure>_<role>") and the lead on-time rate."""
    if status.empty:
        return pd.DataFrame(columns=["agency_code"])
    g = status.groupby(["agency_code", "role", "status"]).size().unstack("status", fill_value=0)
    g = g.reindex(columns=STATUS_MEASURES, fill_value=0)
    for key, m in MEASURES.items():
        if key not in STATUS_MEASURES:
            g[key] = g[list(m.statuses)].sum(axis=1) if m.statuses else g[STATUS_MEASURES].sum(axis=1)
    wide = g[list(MEASURES)].unstack("role", fill_value=0)
    wide.columns = [f"{key}_{role}" for key, role in wide.columns]
    for key in MEASURES:
        for role in ("lead", "partner"):
            if f"{key}_{role}" not in wide:
                wide[f"{key}_{role}"] = 0
    due = wide["done_lead"] + wide["done_late_lead"] + wide["overdue_lead"]
    wide["on_time_rate"] = np.where(due > 0, wide["done_lead"] / due.where(due > 0, 1), np.nan)
    return wide.astype({c: "int64" for c in wide.columns if c != "on_time_rate"}).reset_index()


# --- the list behind a number --------------------------------------------------------------------------------
def link_params(period: str, measure: str, scope: Scope = Scope()) -> dict[str, str]:
    """The Nhiệm vụ query parameters that list exactly the occurrences of one count (`?rows=occ`)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    out = {"period": period, "rows": "occ", "role": scope.role}
    if measure != "total":
        out["status"] = measure
    for key in ("agency", "unit", "area"):
        value = getattr(scope, key)
        if value:
            out[key] = str(value)
    return out


def scope_from_params(params: dict[str, str]) -> tuple[Scope, str]:
    """The scope and measure a Nhiệm vụ URL names (the inverse of `link_params`; unknown values fall back)."""
    role = params.get("role") or "lead"
    measure = params.get("status") or "total"
    return (Scope(role=role if role in ROLES else "lead", agency=params.get("agency") or None,
                  unit=params.get("unit") or None, area=params.get("area") or None),
            measure if measure in MEASURES else "total")


def with_role(scope: Scope, role: str) -> Scope:
    """The same scope for another role."""
    return replace(scope, role=role)
