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


def _links_on(parents: pd.DataFrame, on: date) -> dict[str, list[str]]:
    """parent code → the codes of its units on a date (the links valid then)."""
    p = parents
    ok = (p["valid_from"].isna() | (p["valid_from"] <= on)) & (p["valid_to"].isna() | (p["valid_to"] >= on))
    kids: dict[str, list[str]] = {}
    for c, par in zip(p.loc[ok, "code"].tolist(), p.loc[ok, "parent_code"].tolist()):  # lists: no per-cell boxing
        kids.setdefault(str(par), []).append(str(c))
    return kids


def _walk(kids: dict[str, list[str]], unit: str) -> set[str]:
    out, todo = {str(unit)}, [str(unit)]
    while todo:
        for c in kids.get(todo.pop(), ()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def units_under(parents: pd.DataFrame, unit: str, on: date) -> set[str]:
    """A unit and every unit below it on a date (the links valid then)."""
    return _walk(_links_on(parents, on), unit)


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
    if scoped.empty:
        out: dict[str, float] = {}
        for key in MEASURES:
            out[key] = 0
            out[f"outputs_{key}"] = 0
        out.update(on_time_rate=np.nan, overdue_rate=np.nan, due=0)
        return out
    row = tally_by(scoped.assign(_all=0), "_all").iloc[0]
    return {k: (float(v) if k.endswith("_rate") else int(v)) for k, v in row.items() if k != "_all"}


def count(status: pd.DataFrame, scope: Scope = Scope(), parents: pd.DataFrame | None = None,
          on: date | None = None) -> dict[str, float]:
    """`tally` of a scope: the numbers one card, one row or one bar shows."""
    return tally(rows(status, scope, "total", parents, on))


def tally_by(scoped: pd.DataFrame, key: str) -> pd.DataFrame:
    """`tally` of each group of rows sharing `key`, in one pass (one row per key value present)."""
    if scoped.empty:
        return pd.DataFrame(columns=[key, *tally(scoped)])
    # integer codes and counts (np.bincount) instead of grouping the frame by (key, status) several times; as a
    # groupby would: keys sorted, a row without key or status left out, an output counted once per key and status
    kc, keys = pd.factorize(scoped[key], sort=True)
    sc, statuses = pd.factorize(scoped["status"], sort=True)
    oc, outputs = pd.factorize(scoped["output_id"], use_na_sentinel=False)
    ok = (kc >= 0) & (sc >= 0)
    kc, sc, oc = kc[ok], sc[ok], oc[ok]
    n_k, n_s, n_o = len(keys), len(statuses), max(len(outputs), 1)
    cell = kc.astype(np.int64) * n_s + sc
    codes = np.bincount(cell, minlength=n_k * n_s).reshape(n_k, n_s)
    triples = np.unique(cell * n_o + oc)  # distinct (key, status, output)
    per_status = np.bincount(triples // n_o, minlength=n_k * n_s).reshape(n_k, n_s)
    present = codes.sum(axis=1) > 0
    index = keys[present]
    index.name = key
    status_col = {c: i for i, c in enumerate(statuses)}
    out = pd.DataFrame(index=index)
    for k, m in MEASURES.items():
        wanted = [status_col[c] for c in (statuses if m.statuses is None else m.statuses) if c in status_col]
        out[k] = codes[present][:, wanted].sum(axis=1).astype("int64") if wanted else 0
        if not wanted:
            out[f"outputs_{k}"] = 0
        elif len(wanted) == 1:
            out[f"outputs_{k}"] = per_status[present][:, wanted[0]].astype("int64")
        else:  # an output can sit in several of the statuses: count it once
            pairs = np.unique((kc * n_o + oc)[np.isin(sc, wanted)])
            out[f"outputs_{k}"] = np.bincount(pairs // n_o, minlength=n_k)[present].astype("int64")
    due = out["done"] + out["done_late"] + out["overdue"]
    out["on_time_rate"] = (out["done"] / due.where(due > 0)).astype("float64")
    out["overdue_rate"] = (out["overdue"] / out["total"].where(out["total"] > 0)).astype("float64")
    out["due"] = due
    return out.reset_index()


def per_child_unit(status: pd.DataFrame, units: pd.DataFrame, parents: pd.DataFrame, parent: str, on: date,
                   area: str | None = None, role: str = "lead") -> pd.DataFrame:
    """Per unit directly under `parent` on `on`: every measure and rate over the occurrences of the agencies seated
    in it or below it (the same rows `rows(..., Scope(unit=child))` returns), counted in one grouped pass."""
    kids = children(units, parents, parent, on)
    empty = tally(pd.DataFrame(columns=["status", "output_id"]))
    if status.empty or kids.empty:
        counted = pd.DataFrame([{"code": code, **empty} for code in kids["code"]], columns=["code", *empty])
        return kids.merge(counted, on="code", how="left")
    # every unit under each child on the date, as (unit, child) pairs: a unit seen under two children counts in both
    links = _links_on(parents, on)
    pairs = pd.DataFrame([(u, str(code)) for code in kids["code"].tolist() for u in _walk(links, str(code))],
                         columns=["agency_unit", "_child"])
    # only the columns the scope and the tally read: filtering the whole status frame moved every other column too
    needed = [c for c in ("role", "area_code", "agency_unit", "status", "output_id") if c in status.columns]
    scoped = rows(status[needed], Scope(role=role, area=area))
    scoped = scoped[["agency_unit", "status", "output_id"]].assign(agency_unit=scoped["agency_unit"].astype(str))
    counted = tally_by(scoped.merge(pairs, on="agency_unit", how="inner"), "_child").rename(columns={"_child": "code"})
    seen = set(counted["code"].tolist())
    missing = [str(c) for c in kids["code"].tolist() if str(c) not in seen]
    if missing:
        counted = pd.concat([counted, pd.DataFrame([{"code": c, **empty} for c in missing])], ignore_index=True)
    counted = counted.astype({"code": kids["code"].dtype}) if kids["code"].dtype != object else counted
    return kids.merge(counted[["code", *empty]], on="code", how="left")


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
