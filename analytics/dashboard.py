"""View models: the frames each dashboard view shows, computed from the store's frames.

Pure pandas: the caller passes the frames from store.queries; nothing here reads a database or
knows Streamlit. Each function answers one question a view asks.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analytics import progress as prog
from analytics import tasks as tk
from catalogue import AREAS, LEVELS, PROGRESS_STATUSES, TASK_STATUSES
from model import TargetSpec

PROVINCE = "36"


@dataclass(frozen=True)
class Frames:
    """Everything the views read, as loaded from the store (one object, cached per data version)."""

    units: pd.DataFrame
    parents: pd.DataFrame
    agencies: pd.DataFrame
    outputs: pd.DataFrame
    assignments: pd.DataFrame
    reports: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    values: pd.DataFrame
    par: pd.DataFrame


# --- units -----------------------------------------------------------------------------------
def parents_on(parents: pd.DataFrame, on: date) -> pd.DataFrame:
    """code → parent_code valid on a date."""
    p = parents
    ok = (p["valid_from"].isna() | (p["valid_from"] <= on)) & (p["valid_to"].isna() | (p["valid_to"] >= on))
    return p.loc[ok, ["code", "parent_code"]]


def units_on(units: pd.DataFrame, parents: pd.DataFrame, on: date) -> pd.DataFrame:
    """Units that exist on `on`, with their parent then."""
    u = units
    ok = (u["valid_from"].isna() | (u["valid_from"] <= on)) & (u["valid_to"].isna() | (u["valid_to"] >= on))
    return u[ok].merge(parents_on(parents, on), on="code", how="left")


def children(units: pd.DataFrame, parents: pd.DataFrame, code: str, on: date) -> pd.DataFrame:
    """The units directly under `code` on a date (districts of the province, communes of a district)."""
    u = units_on(units, parents, on)
    return u[u["parent_code"] == code].sort_values("name")


def quarter_date(year: int, quarter: int) -> date:
    """The last day of a quarter."""
    return tk.quarter_end(year, quarter)


# --- tasks -----------------------------------------------------------------------------------
def task_base(f: Frames) -> pd.DataFrame:
    """Assignments joined with their output (deadline, area, plan) and agency (name, unit, level)."""
    a = f.assignments.merge(f.outputs, on="output_id", how="inner")
    ag = f.agencies[["code", "name", "short_name", "kind", "unit_code"]].rename(
        columns={"code": "agency_code", "name": "agency_name", "short_name": "agency_short", "kind": "agency_kind",
                 "unit_code": "agency_unit"})
    a = a.merge(ag, on="agency_code", how="left")
    lv = f.units[["code", "level"]].rename(columns={"code": "agency_unit", "level": "agency_level"})
    return a.merge(lv, on="agency_unit", how="left")


def task_status(f: Frames, year: int, quarter: int, base: pd.DataFrame | None = None) -> pd.DataFrame:
    """Status of every live assignment occurrence at the end of a quarter, with its context columns."""
    base = task_base(f) if base is None else base
    started = base[base["period_from"] <= year]
    if started.empty:
        return pd.DataFrame(columns=["assignment_id", "status"])
    st = tk.task_status(started[["assignment_id", "output_id", "agency_code", "role", "deadline_kind", "due_dates"]],
                        f.reports[["assignment_id", "year", "quarter", "status", "percent", "evidence"]], year, quarter)
    ctx = started.drop(columns=["output_id", "agency_code", "role"])
    return st.merge(ctx, on="assignment_id", how="left")


def task_kpis(status: pd.DataFrame) -> dict[str, float]:
    """Headline numbers over lead assignments: done, overdue, on-time rate."""
    lead = status[status["role"] == "lead"]
    r = tk.rollup(lead, [])
    if r.empty:
        return {"total": 0, "done": 0, "done_late": 0, "overdue": 0, "in_progress": 0, "on_time_rate": np.nan,
                "no_report": 0}
    row = r.iloc[0]
    return {k: float(row[k]) for k in ("total", "done", "done_late", "overdue", "in_progress", "not_started",
                                        "continuous", "no_report", "on_time_rate", "done_total")}


def area_rollup(status: pd.DataFrame) -> pd.DataFrame:
    """Lead outputs per reform area, worst overdue rate first, with Vietnamese area labels."""
    lead = status[status["role"] == "lead"].copy()
    lead["area_code"] = lead["area_code"].fillna("")
    r = tk.rollup(lead, ["area_code"])
    r["area"] = r["area_code"].map(lambda c: AREAS[c].label if c in AREAS else "Chưa phân lĩnh vực")
    return r.sort_values(["overdue_rate", "overdue"], ascending=False).reset_index(drop=True)


def agency_rollup(status: pd.DataFrame) -> pd.DataFrame:
    """Per agency: assigned, done, done late and overdue as lead and as partner (kept separate)."""
    r = tk.rollup(status, ["agency_code", "agency_name", "agency_kind", "agency_unit", "role"])
    wide = r.pivot_table(index=["agency_code", "agency_name", "agency_kind", "agency_unit"], columns="role",
                         values=["total", "done", "done_late", "overdue"], aggfunc="sum", fill_value=0)
    wide.columns = [f"{stat}_{role}" for stat, role in wide.columns]
    for col in ("total_lead", "done_lead", "done_late_lead", "overdue_lead", "total_partner", "done_partner",
                "done_late_partner", "overdue_partner"):
        if col not in wide:
            wide[col] = 0
    wide = wide.reset_index()
    closed = wide["done_lead"] + wide["done_late_lead"] + wide["overdue_lead"]
    wide["on_time_rate"] = np.where(closed > 0, wide["done_lead"] / closed.where(closed > 0, 1), np.nan)
    return wide.sort_values(["overdue_lead", "total_lead"], ascending=[False, False]).reset_index(drop=True)


def unit_task_rollup(status: pd.DataFrame, units: pd.DataFrame, parents: pd.DataFrame, parent: str,
                     on: date) -> pd.DataFrame:
    """Per child unit of `parent`: lead outputs of the unit's own agencies (UBND, offices, its communes)."""
    kids = children(units, parents, parent, on)
    p = parents_on(parents, on)
    up = dict(zip(p["code"], p["parent_code"]))
    kid_codes = set(kids["code"])

    def owner(unit: str | None) -> str | None:
        seen = 0
        while unit is not None and unit not in kid_codes and seen < 5:
            unit = up.get(unit)
            seen += 1
        return unit if unit in kid_codes else None

    lead = status[status["role"] == "lead"].copy()
    lead["child"] = lead["agency_unit"].map(owner)
    lead = lead[lead["child"].notna()]
    r = tk.rollup(lead, ["child"]) if not lead.empty else pd.DataFrame(columns=["child", "total", "overdue_rate"])
    out = kids[["code", "name", "short_name", "level", "lat", "lon"]].merge(r, left_on="code", right_on="child", how="left")
    return out.drop(columns=["child"])


# --- indicators ------------------------------------------------------------------------------
def spec_of(row: pd.Series) -> TargetSpec:
    """Rebuild the TargetSpec of a stored target row."""
    def num(v: object) -> float | None:
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)

    def integer(v: object) -> int | None:
        n = num(v)
        return None if n is None else int(n)

    return TargetSpec(kind=row["kind"], year=int(row["year"]), value=num(row["value"]), value_high=num(row["value_high"]),
                      baseline_year=integer(row["baseline_year"]), step=num(row["step"]), cap=num(row["cap"]),
                      group=row["group_code"] if isinstance(row["group_code"], str) else None,
                      relative=bool(row["relative"]), text=row["text"])


def value_series(f: Frames, on: date) -> pd.DataFrame:
    """Every value with its time t, plus weighted roll-ups for rates: districts from communes, province from districts.

    A stored district or province row is replaced by the roll-up when the roll-up exists (rates are
    numerator over denominator summed over children, never an average of percentages).
    """
    v = f.values.copy()
    if v.empty:
        return v.assign(t=pd.Series(dtype=float), source=pd.Series(dtype=object))
    v["t"] = [prog.quarter_to_t(int(y), None if pd.isna(q) else int(q)) for y, q in zip(v["year"], v["quarter"])]
    v["source"] = "reported"
    rate_codes = set(f.indicators.loc[f.indicators["is_rate"].astype(bool), "code"])
    rated = v[v["indicator_code"].isin(rate_codes) & v["numerator"].notna() & v["denominator"].notna()]
    levels = dict(zip(f.units["code"], f.units["level"]))
    communes = rated[rated["unit_code"].map(levels) == "commune"]
    if communes.empty:
        return v
    rolled = []
    for (year, quarter), part in communes.groupby(["year", "quarter"], dropna=False):
        day = quarter_date(int(year), int(quarter)) if not pd.isna(quarter) else date(int(year), 12, 31)
        par = parents_on(f.parents, day)
        r = prog.rollup_rates(part[["unit_code", "indicator_code", "t", "numerator", "denominator"]], par)
        r["year"], r["quarter"] = year, quarter
        rolled.append(r)
    roll = pd.concat(rolled, ignore_index=True)
    roll["source"] = "rollup"
    key = ["indicator_code", "unit_code", "year", "quarter"]
    keep = v.merge(roll[key], on=key, how="left", indicator=True)
    v = v[(keep["_merge"] == "left_only").to_numpy()]
    cols = ["indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator", "t", "source"]
    return pd.concat([v[cols], roll[cols]], ignore_index=True)


def level_series(series: pd.DataFrame, units: pd.DataFrame, level: str) -> pd.DataFrame:
    """The province-wide figure of one administrative level: Σnum/Σden over all units of that level."""
    levels = dict(zip(units["code"], units["level"]))
    part = series[series["unit_code"].map(levels) == level]
    if part.empty:
        return part
    g = part.groupby(["indicator_code", "t"], as_index=False).agg(numerator=("numerator", "sum"),
                                                                   denominator=("denominator", "sum"),
                                                                   value_mean=("value", "mean"),
                                                                   n=("value", "count"))
    g["value"] = np.where(g["denominator"] > 0, 100.0 * g["numerator"] / g["denominator"].where(g["denominator"] > 0, 1),
                          g["value_mean"])
    return g


def target_rows(f: Frames) -> pd.DataFrame:
    """Targets with their indicator's name, unit, direction and area, and the TargetSpec."""
    t = f.targets.merge(f.indicators[["code", "name", "unit", "direction", "is_rate", "area_code"]],
                        left_on="indicator_code", right_on="code", how="left")
    t["spec"] = [spec_of(r) for _, r in t.iterrows()]
    return t


def assess_targets(f: Frames, year: int, quarter: int, series: pd.DataFrame | None = None) -> pd.DataFrame:
    """The status of every current target as of a quarter, judged on the figure its level and scope name.

    - scope unit set (a district's or the city's plan): that unit's own series;
    - level commune / district (per-level targets of a provincial plan): the whole level, Σnum/Σden;
    - level province / all: the province's series (rolled up from communes for rates).
    """
    on = quarter_date(year, quarter)
    series = value_series(f, on) if series is None else series
    t = target_rows(f)
    if t.empty:
        return t.assign(status=pd.Series(dtype=object))
    pieces = []
    subject = []
    for _, r in t.iterrows():
        if isinstance(r["scope_unit_code"], str) and r["scope_unit_code"]:
            subject.append((r["id"], r["scope_unit_code"]))
        elif r["level"] in ("commune", "district"):
            subject.append((r["id"], f"level:{r['level']}"))
        else:
            subject.append((r["id"], PROVINCE))
    subj = dict(subject)
    t["subject"] = t["id"].map(subj)
    vals = [series[["indicator_code", "unit_code", "t", "value", "numerator", "denominator"]]]
    for level in ("commune", "district"):
        ls = level_series(series, f.units, level)
        if not ls.empty:
            vals.append(ls.assign(unit_code=f"level:{level}")[["indicator_code", "unit_code", "t", "value", "numerator", "denominator"]])
    pieces = pd.concat(vals, ignore_index=True)
    frame = pd.DataFrame({"target_id": t["id"], "indicator_code": t["indicator_code"], "unit_code": t["subject"],
                          "level": t["level"], "year": t["year"], "spec": t["spec"], "direction": t["direction"],
                          "unit": t["unit"]})
    res = prog.assess_frame(frame, pieces, prog.quarter_to_t(year, quarter))
    res = res.rename(columns={"target_id": "id"})
    keep = ["id", "status", "observed", "observed_at", "required_now", "target_value", "projected", "ratio", "note"]
    return t.merge(res[keep], on="id", how="left")


def indicator_kpis(assessed: pd.DataFrame, horizon: int) -> dict[str, int]:
    """How many targets of one horizon year are in each progress status."""
    part = assessed[assessed["year"] == horizon]
    counts = part["status"].value_counts()
    return {code: int(counts.get(code, 0)) for code in PROGRESS_STATUSES}


def unit_assessment(f: Frames, target_id: int, year: int, quarter: int, parent: str,
                    series: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every child unit of `parent` judged against one target (drill-down: districts, then communes)."""
    on = quarter_date(year, quarter)
    series = value_series(f, on) if series is None else series
    t = target_rows(f)
    row = t[t["id"] == target_id]
    kids = children(f.units, f.parents, parent, on)
    if row.empty or kids.empty:
        return kids.assign(status="no_data")
    r = row.iloc[0]
    frame = pd.DataFrame({"target_id": kids["code"], "indicator_code": r["indicator_code"], "unit_code": kids["code"],
                          "level": r["level"], "year": r["year"], "spec": [r["spec"]] * len(kids),
                          "direction": r["direction"], "unit": r["unit"]})
    res = prog.assess_frame(frame, series[["indicator_code", "unit_code", "t", "value", "numerator", "denominator"]],
                            prog.quarter_to_t(year, quarter))
    out = kids[["code", "name", "short_name", "level", "lat", "lon"]].merge(
        res.rename(columns={"target_id": "code"})[["code", "status", "observed", "target_value", "required_now", "projected"]],
        on="code", how="left")
    out["status"] = out["status"].fillna("no_data")
    return out


def status_label(code: str, table: dict = TASK_STATUSES) -> str:
    """Vietnamese label of a status code."""
    e = table.get(code)
    return e.label if e else str(code)


def level_label(code: str) -> str:
    """Vietnamese label of a level code ("all" → "Chung")."""
    return LEVELS[code].label if code in LEVELS else "Chung"
