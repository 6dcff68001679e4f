"""View models: the frames each dashboard view shows, computed from the store's frames.

Pure pandas: the caller passes the frames from store.queries; nothing here reads a database or
knows Streamlit. Each function answers one question a view asks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analytics import progress as prog
from analytics import tasks as tk
from catalogue import AREAS, LEVELS, PROGRESS_STATUSES, TASK_STATUSES
from model import TargetSpec
from quarter import Quarter

MAP_2025 = date(2025, 7, 1)  # the district level abolished, the new provinces (Resolution 202/2025/QH15)


def __getattr__(name: str) -> str:
    """`PROVINCE`, kept for callers that name one province for every date: the history province of the committed
    reference (the old map's province). New code asks `province_on(frames, date)`."""
    if name == "PROVINCE":
        from loaders.reference import reference

        return reference().history_province
    raise AttributeError(name)


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


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
    unit_successors: pd.DataFrame = field(default_factory=_empty)  # code, successor_code, valid_from, share
    agency_successors: pd.DataFrame = field(default_factory=_empty)  # code, successor_code, valid_from, share, note
    meta: dict = field(default_factory=dict)  # reference_meta: province (served, 2025 key), history_province

    def __getstate__(self) -> dict:
        """Pickled (the prepared view data on disk) without the lineage cache, which is rebuilt on use."""
        return {k: v for k, v in self.__dict__.items() if k != "_lineage"}


# --- the province served and its lineage ----------------------------------------------------
def lineage(f: Frames):  # noqa: ANN201 - loaders.reference.Reference
    """The date-aware look-ups (successors, territory, agencies' successors) over the frames' reference tables,
    built once per Frames object and kept on it (so it goes with the frames: no module-level cache holds a data
    version's tables after the views dropped them; tests/test_memory.py)."""
    from loaders.reference import Reference

    hit = f.__dict__.get("_lineage")
    if hit is not None:
        return hit
    meta = {"province_key": f.meta.get("province"), "history_province": f.meta.get("history_province")}
    if not meta["province_key"]:
        meta = _meta_from_units(f.units)
    ref = Reference(f.units, f.parents, f.agencies, pd.DataFrame(columns=["alias", "agency_code", "scope_unit_code"]),
                    f.unit_successors, f.agency_successors, {k: v for k, v in meta.items() if v})
    object.__setattr__(f, "_lineage", ref)  # a cache on the frozen dataclass, not one of its fields
    return ref


def _meta_from_units(units: pd.DataFrame) -> dict:
    """Without reference_meta (frames built by hand): the province still in force, and the one with most units."""
    prov = units[units["level"] == "province"]
    if prov.empty:
        return {}
    open_ = prov[prov["valid_to"].isna()] if "valid_to" in prov else prov
    served = str((open_ if not open_.empty else prov)["code"].iloc[-1])
    sizes = units["province_code"].value_counts() if "province_code" in units else pd.Series(dtype=int)
    old = [str(c) for c in sizes.index if str(c) != served and str(c) in set(prov["code"])]
    return {"province_key": served, "history_province": old[0] if old else served}


def served_province(f: Frames) -> str:
    """Key of the province this deployment serves (the 2025-map unit, e.g. "37-2025")."""
    return lineage(f).province


def history_province(f: Frames) -> str:
    """Key of the old province whose history the deployment carries (e.g. "36", Nam Định)."""
    return lineage(f).history_province


def province_on(f: Frames, on: date, current_map: bool = False) -> str:
    """The province a view of a quarter ending `on` is about: the province served, or for a quarter before it
    existed the period's own province (the history province); always the province served on today's map."""
    ref = lineage(f)
    return ref.province if current_map else ref.province_at(on)


def map_date(on: date, current_map: bool, today: date) -> date:
    """The date whose map a view draws: the quarter's own end, or today's map ("theo địa giới hiện nay")."""
    return max(on, today) if current_map else on


@dataclass(frozen=True)
class Drill:
    """Where a view of units stands: the province, the unit whose children are listed (the province, or a district
    of the old map), the commune opened (None), the date whose map is drawn, and whether `unit` was unknown."""

    province: str
    parent: str
    focus: str | None
    map_on: date
    unknown: bool = False


def drill_state(f: Frames, unit: str | None, on: date, current_map: bool, today: date) -> Drill:
    """The drill position of `unit` (URL) for a quarter ending `on`: a quarter after 30/06/2025, or any quarter on
    today's map, goes province → commune; an earlier one province → district → commune."""
    map_on = map_date(on, current_map, today)
    province = province_on(f, on, current_map)
    kids = children(f.units, f.parents, province, map_on)
    level = dict(zip(kids["code"], kids["level"]))
    if not unit:
        return Drill(province, province, None, map_on)
    if level.get(unit) == "district":
        return Drill(province, unit, None, map_on)
    if level.get(unit) == "commune":
        return Drill(province, province, unit, map_on)
    up = parents_on(f.parents, map_on)
    parent = dict(zip(up["code"], up["parent_code"])).get(unit)
    valid = set(units_on(f.units, f.parents, map_on)["code"])
    if parent in level and level[parent] == "district" and unit in valid:
        return Drill(province, parent, unit, map_on)
    return Drill(province, province, None, map_on, unknown=True)


def has_districts(f: Frames, province: str, on: date) -> bool:
    """Whether the province's map on `on` has a district level (before 01/07/2025)."""
    kids = children(f.units, f.parents, province, on)
    return bool((kids["level"] == "district").any())


def unit_lineage(f: Frames, code: str) -> list[str]:
    """Where a unit came from and where it went, in Vietnamese: "Hình thành ngày 01/07/2025 từ: Xã A, Xã B (50 %
    diện tích)." and "Không còn từ 01/07/2025; địa bàn nay thuộc: …"; [] for a unit that never changed."""
    from datetime import timedelta

    from catalogue import UI
    from formats import fmt_date, fmt_percent

    ref = lineage(f)
    row = ref.unit(code)
    if row is None:
        return []

    def named(codes: dict[str, float] | list[tuple[str, float]]) -> str:
        items = codes.items() if isinstance(codes, dict) else codes
        out = []
        for c, share in sorted(items, key=lambda x: (-x[1], ref.unit_name(x[0]))):
            name = ref.unit_name(c)
            out.append(UI["lineage_share"].format(name=name, share=fmt_percent(100 * share, 0))
                       if share < 1 - _EPS else name)
        return ", ".join(dict.fromkeys(out))

    lines = []
    preds = ref.predecessors(code)
    if preds and not _blank(row["valid_from"]):
        lines.append(UI["lineage_from"].format(since=fmt_date(row["valid_from"]), names=named(preds)))
    end = ref.end_of(code)
    if end is not None:
        after = end + timedelta(days=1)
        succ = ref.territory_successors(code, after)
        if succ:
            lines.append(UI["lineage_to"].format(since=fmt_date(after), names=named(succ)))
    return lines


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
    started = base[base["period_from"] <= year]  # none (no plan yet): the same columns, no rows
    st = tk.task_status(started[["assignment_id", "output_id", "agency_code", "role", "deadline_kind", "due_dates"]],
                        f.reports[["assignment_id", "year", "quarter", "status", "percent", "evidence"]], year, quarter)
    ctx = started.drop(columns=["output_id", "agency_code", "role"])
    return carry_agencies(st.merge(ctx, on="assignment_id", how="left"), f, Quarter(year, quarter).end)


def agency_heirs(f: Frames, codes: list[str], on: date) -> dict[str, str]:
    """Agency → the agency that carries its work on `on`, for agencies among `codes` that had ended by then: the
    successor that took the largest share (a merged department's new department; an abolished district's UBND the
    UBND of the new commune holding most of its territory). Agencies still in force are left out."""
    ref = lineage(f)
    a = f.agencies
    committees = dict(zip(a.loc[a["kind"] == "people_committee", "unit_code"].astype(str),
                          a.loc[a["kind"] == "people_committee", "code"].astype(str)))
    out = {}
    for c in codes:
        if c not in ref._agency_rows or ref.agency_valid(c, on):  # noqa: SLF001
            continue
        succ = {k: v for k, v in ref.agency_successors_on(c, on).items() if v > 0}
        if not succ:  # a district office (ended 01/07/2025, no successor of its own): its UBND's heir
            unit = ref._agency_rows[c].get("unit_code")  # noqa: SLF001
            ubnd = committees.get(str(unit))
            if ubnd and ubnd != c:
                succ = {k: v for k, v in ref.agency_successors_on(ubnd, on).items() if v > 0}
        if succ:
            out[c] = max(succ, key=lambda k: succ[k])  # first of equal shares: the table's order
    return out


def carry_agencies(status: pd.DataFrame, f: Frames, on: date) -> pd.DataFrame:
    """Assignments of agencies that had ended by `on` (merged departments 01/03/2025, district bodies
    01/07/2025) counted against the agency that carries their work, with the former agency kept
    (`former_code`, `former_name`: shown as "trước đây: …")."""
    if status.empty or "agency_code" not in status or f.agency_successors.empty:
        return status.assign(former_code=None, former_name=None) if not status.empty else status
    heirs = agency_heirs(f, sorted({str(c) for c in status["agency_code"].dropna().unique()}), on)
    out = status if "former_code" in status else status.assign(former_code=None, former_name=None)
    if not heirs:
        return out
    out = out.copy()
    moved = out["agency_code"].isin(heirs.keys())
    ag = f.agencies.set_index("code")
    levels = dict(zip(f.units["code"], f.units["level"]))
    first = moved & out["former_code"].isna()  # carried twice (a quarter's heirs, then today's): keep the first name
    out.loc[first, "former_code"] = out.loc[first, "agency_code"]
    if "agency_name" in out:
        out.loc[first, "former_name"] = out.loc[first, "agency_name"]
    new = out.loc[moved, "agency_code"].map(heirs)
    out.loc[moved, "agency_code"] = new
    for col, src in (("agency_name", "name"), ("agency_short", "short_name"), ("agency_kind", "kind"),
                     ("agency_unit", "unit_code")):
        if col in out:
            out.loc[moved, col] = new.map(ag[src])
    if "agency_level" in out:
        out.loc[moved, "agency_level"] = out.loc[moved, "agency_unit"].map(levels)
    return out


def formerly(status: pd.DataFrame) -> dict[str, str]:
    """Agency → "trước đây: …" naming the ended agencies whose assignments it carries in `status`."""
    from catalogue import UI

    if status.empty or "former_name" not in status:
        return {}
    moved = status[status["former_name"].notna()]
    return {str(c): UI["formerly"].format(names=", ".join(sorted({str(n) for n in g["former_name"]})))
            for c, g in moved.groupby("agency_code")}


def task_kpis(status: pd.DataFrame) -> dict[str, float]:
    """Headline numbers over lead assignment occurrences (analytics.counts: one definition per number)."""
    from analytics import counts

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


def agency_rollup(status: pd.DataFrame) -> pd.DataFrame:
    """Per agency: every count (analytics.counts) as lead and as partner (kept separate), worst lead first."""
    from analytics import counts

    wide = counts.per_agency(status)
    ctx = status.drop_duplicates("agency_code")[["agency_code", "agency_name", "agency_kind", "agency_unit"]]
    wide = ctx.merge(wide, on="agency_code", how="right")
    return wide.sort_values(["overdue_lead", "total_lead"], ascending=[False, False]).reset_index(drop=True)


def unit_task_rollup(status: pd.DataFrame, units: pd.DataFrame, parents: pd.DataFrame, parent: str,
                     on: date) -> pd.DataFrame:
    """Per child unit of `parent`: the lead counts of the agencies seated in it or below it (analytics.counts)."""
    from analytics import counts

    out = counts.per_child_unit(status, units, parents, parent, on)
    return out[["code", "name", "short_name", "level", "lat", "lon", *[c for c in out.columns if c not in units.columns
                                                                       and c != "parent_code"]]]


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
    from analytics.par_values import par_indicator_values

    derived = par_indicator_values(f.par, set(f.indicators["code"]))
    v = pd.concat([f.values, derived], ignore_index=True) if not derived.empty else f.values.copy()
    if v.empty:
        return v.assign(t=pd.Series(dtype=float), source=pd.Series(dtype=object))
    v["t"] = [prog.quarter_to_t(int(y), None if pd.isna(q) else int(q)) for y, q in zip(v["year"], v["quarter"])]
    v["source"] = "reported"
    rate_codes = set(f.indicators.loc[f.indicators["is_rate"].astype(bool), "code"])
    rated = v[v["indicator_code"].isin(rate_codes) & v["numerator"].notna() & v["denominator"].notna()]
    levels = dict(zip(f.units["code"], f.units["level"]))
    communes = rated[rated["unit_code"].map(levels) == "commune"]
    if communes.empty:
        return _with_carried(v, f)
    # periods sharing the same hierarchy are rolled up together (it changes rarely: Mỹ Lộc, 2025)
    periods = communes[["year", "quarter", "t"]].drop_duplicates()
    by_hierarchy: dict[frozenset, list[float]] = {}
    hierarchy_of: dict[frozenset, pd.DataFrame] = {}
    for year, quarter, t in periods.itertuples(index=False):
        day = Quarter(int(year), int(quarter)).end if not pd.isna(quarter) else date(int(year), 12, 31)
        par = parents_on(f.parents, day)
        key = frozenset(zip(par["code"], par["parent_code"]))
        by_hierarchy.setdefault(key, []).append(t)
        hierarchy_of[key] = par
    rolled = []
    for key, times in by_hierarchy.items():
        part = communes[communes["t"].isin(times)]
        rolled.append(prog.rollup_rates(part[["unit_code", "indicator_code", "t", "numerator", "denominator"]], hierarchy_of[key]))
    roll = pd.concat(rolled, ignore_index=True)
    yq = periods.drop_duplicates("t").set_index("t")
    roll["year"] = roll["t"].map(yq["year"])
    roll["quarter"] = roll["t"].map(yq["quarter"])
    roll["source"] = "rollup"
    key = ["indicator_code", "unit_code", "year", "quarter"]
    keep = v.merge(roll[key], on=key, how="left", indicator=True)
    v = v[(keep["_merge"] == "left_only").to_numpy()]
    cols = ["indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator", "t", "source"]
    return _with_carried(pd.concat([v[cols], roll[cols]], ignore_index=True), f)


def _with_carried(v: pd.DataFrame, f: Frames) -> pd.DataFrame:
    """The series plus the history of the units of today's map carried forward from their predecessors."""
    if f.unit_successors.empty or v.empty:
        return v
    start = lineage(f).unit(served_province(f))
    since = start["valid_from"] if start is not None and not _blank(start["valid_from"]) else MAP_2025
    carried = carry_forward(v, f, since if isinstance(since, date) else MAP_2025)
    return pd.concat([v, carried], ignore_index=True) if not carried.empty else v


def indicator_kinds(indicators: pd.DataFrame) -> tuple[set[str], set[str]]:
    """(rate codes, additive codes): rates carry as Σnum/Σden, additive measures (people, units, money) as Σ."""
    from catalogue import ADDITIVE_MEASURES

    rates = set(indicators.loc[indicators["is_rate"].astype(bool), "code"])
    unit = indicators["unit"].fillna("").astype(str).str.strip()
    additive = set(indicators.loc[~indicators["is_rate"].astype(bool) & unit.isin(ADDITIVE_MEASURES), "code"])
    return rates, additive


def successor_links(f: Frames, codes: list[str], on: date) -> pd.DataFrame:
    """(code, successor, share, n_pred) for units among `codes` that ended before `on`: the units of the map of
    `on` that carry them on (communes and provinces; an abolished district's territory is its communes', which
    carry it themselves). n_pred: how many predecessors the successor has in all."""
    ref = lineage(f)
    rows = []
    for c in codes:
        level = ref.unit_level(c)
        if level not in ("commune", "province") or ref.unit_valid(c, on):
            continue
        for succ, share in ref.successors_on(c, on).items():
            if share > 0:
                rows.append((c, succ, share))
    links = pd.DataFrame(rows, columns=["unit_code", "successor", "share"])
    if links.empty:
        return links.assign(n_pred=pd.Series(dtype=int))
    preds = {s: len(ref.predecessors(s)) for s in links["successor"].unique()}
    return links.assign(n_pred=links["successor"].map(preds))


def carry_forward(values: pd.DataFrame, f: Frames, on: date) -> pd.DataFrame:
    """The values of units that ended before `on`, carried to the units of the map of `on` (source "carried").

    - a rate with numerator and denominator: Σ share·num / Σ share·den over the predecessors (a divided commune
      contributes by its share of each successor);
    - an additive measure (people, units, money): Σ share·value;
    - anything else (a score, a rank, a milestone; a rate without its parts): only where the successor has a
      single predecessor, taken whole.
    `coverage` is the part of the successor's predecessors that have a figure at that time (1 = all of them).
    Only quarters and years ending before `on` are carried."""
    cols = ["indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator", "t", "source",
            "coverage"]
    start_t = prog.quarter_to_t(*Quarter.of(on)) - 0.25 + 1e-9
    old = values[pd.to_numeric(values["t"], errors="coerce") <= start_t]
    if old.empty:
        return pd.DataFrame(columns=cols)
    links = successor_links(f, sorted({str(c) for c in old["unit_code"].unique()}), on)
    if links.empty:
        return pd.DataFrame(columns=cols)
    rates, additive = indicator_kinds(f.indicators)
    m = old.merge(links, on="unit_code", how="inner")
    if m.empty:
        return pd.DataFrame(columns=cols)
    num = pd.to_numeric(m["numerator"], errors="coerce")
    den = pd.to_numeric(m["denominator"], errors="coerce")
    val = pd.to_numeric(m["value"], errors="coerce")
    is_rate = m["indicator_code"].isin(rates).to_numpy()
    is_add = m["indicator_code"].isin(additive).to_numpy()
    with_parts = is_rate & num.notna().to_numpy() & den.notna().to_numpy()
    whole = (m["n_pred"] == 1).to_numpy() & (m["share"] >= 1 - _EPS).to_numpy()
    keep = with_parts | (is_add & val.notna().to_numpy()) | whole
    m = m[keep].assign(_num=(num * m["share"])[keep], _den=(den * m["share"])[keep], _val=(val * m["share"])[keep],
                       _parts=with_parts[keep], _one=1)
    if m.empty:
        return pd.DataFrame(columns=cols)
    key = ["indicator_code", "successor", "year", "quarter", "t"]
    g = m.groupby(key, dropna=False, as_index=False, sort=False).agg(
        numerator=("_num", "sum"), denominator=("_den", "sum"), value=("_val", "sum"), parts=("_parts", "all"),
        n=("_one", "sum"), n_pred=("n_pred", "first"))
    g["numerator"] = g["numerator"].where(g["parts"])
    g["denominator"] = g["denominator"].where(g["parts"])
    g_rate = g["indicator_code"].isin(rates)
    g["value"] = np.where(g_rate & g["parts"] & (g["denominator"] > 0),
                          100.0 * g["numerator"] / g["denominator"].where(g["denominator"] > 0, 1), g["value"])
    g.loc[g_rate & g["parts"] & ~(g["denominator"] > 0), "value"] = np.nan
    g["coverage"] = (g["n"] / g["n_pred"]).clip(upper=1.0)
    g = g.rename(columns={"successor": "unit_code"}).assign(source="carried")
    return g[cols].reset_index(drop=True)


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
    on = Quarter(year, quarter).end
    series = value_series(f, on) if series is None else series
    t = target_rows(f)
    if t.empty:
        return t.assign(status=pd.Series(dtype=object))
    provinces = {int(y): target_province(f, int(y)) for y in t["year"].unique()}
    t["subject"] = [target_subject(lv, sc, provinces[int(y)]) for lv, sc, y in zip(t["level"], t["scope_unit_code"], t["year"])]
    pieces = subject_values(series, f.units)
    frame = pd.DataFrame({"target_id": t["id"], "indicator_code": t["indicator_code"], "unit_code": t["subject"],
                          "level": t["level"], "year": t["year"], "spec": t["spec"], "direction": t["direction"],
                          "unit": t["unit"]})
    res = prog.assess_frame(frame, pieces, prog.quarter_to_t(year, quarter))
    res = res.rename(columns={"target_id": "id"})
    keep = ["id", "status", "observed", "observed_at", "required_now", "target_value", "projected", "ratio", "note",
            "base_value", "base_at"]
    return t.merge(res[keep], on="id", how="left")


def indicator_kpis(assessed: pd.DataFrame, horizon: int) -> dict[str, int]:
    """How many targets of one horizon year are in each progress status."""
    part = assessed[assessed["year"] == horizon]
    counts = part["status"].value_counts()
    return {code: int(counts.get(code, 0)) for code in PROGRESS_STATUSES}


def unit_assessment(f: Frames, target_id: int, year: int, quarter: int, parent: str,
                    series: pd.DataFrame | None = None, map_on: date | None = None) -> pd.DataFrame:
    """Every child unit of `parent` judged against one target (drill-down: districts, then communes), on the map of
    `map_on` (the quarter's own by default; today's shows the new communes with their history carried forward)."""
    on = Quarter(year, quarter).end
    series = value_series(f, on) if series is None else series
    t = target_rows(f)
    row = t[t["id"] == target_id]
    kids = children(f.units, f.parents, parent, map_on or on)
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


# =============================================================================================
# View models of the dashboard views (targets, areas, agencies, rankings, tasks)
# =============================================================================================
HORIZONS = (2025, 2030)
_EPS = 1e-6


# --- units -----------------------------------------------------------------------------------
def descendants(parents: pd.DataFrame, code: str, on: date) -> set[str]:
    """Every unit below `code` on a date (its communes for a district), excluding `code` itself."""
    p = parents_on(parents, on)
    kids: dict[str, list[str]] = {}
    for c, parent in zip(p["code"], p["parent_code"]):
        kids.setdefault(parent, []).append(c)
    out: set[str] = set()
    stack = list(kids.get(code, []))
    while stack:
        c = stack.pop()
        if c not in out and c != code:
            out.add(c)
            stack.extend(kids.get(c, []))
    return out


def unit_path(units: pd.DataFrame, parents: pd.DataFrame, code: str, on: date) -> list[tuple[str, str]]:
    """(code, name) from the province down to `code` on a date (breadcrumb); [] for an unknown code."""
    names = dict(zip(units["code"], units["name"]))
    if code not in names:
        return []
    p = parents_on(parents, on)
    up = dict(zip(p["code"], p["parent_code"]))
    path = [code]
    while path[-1] in up and up[path[-1]] not in path and len(path) < 6:
        path.append(up[path[-1]])
    return [(c, names.get(c, c)) for c in reversed(path)]


# --- indicators and targets ------------------------------------------------------------------
def target_subject(level: str, scope: object, province: str | None = None) -> str:
    """Whose figure a target is judged on: its scope unit, the whole level of its province
    ("level:commune@36"; "level:commune" without a province), or the province."""
    if isinstance(scope, str) and scope:
        return scope
    if level in ("commune", "district"):
        return f"level:{level}" if province is None else f"level:{level}@{province}"
    if province is None:
        from loaders.reference import reference

        return reference().history_province
    return province


def target_province(f: Frames, year: int) -> str:
    """The province a target of `year` is judged on: the map in force when its year began (a 2025 target of the
    2021–2025 plan on the old province, Nam Định; a 2030 target on the province served)."""
    return lineage(f).province_at(date(int(year), 1, 1))


def subject_values(series: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The value series plus one province-wide series per level and province ("level:commune@36": the old
    communes of Nam Định; "level:commune@37-2025": the new ones, history carried forward). Units without a
    province column give one series per level ("level:commune")."""
    cols = ["indicator_code", "unit_code", "t", "value", "numerator", "denominator"]
    vals = [series[cols]]
    by_province = "province_code" in units
    for level in ("commune", "district"):
        if not by_province:
            ls = level_series(series, units, level)
            if not ls.empty:
                vals.append(ls.assign(unit_code=f"level:{level}")[cols])
            continue
        for prov, part in units[units["level"] == level].groupby("province_code"):
            ls = level_series(series, part, level)
            if not ls.empty:
                vals.append(ls.assign(unit_code=f"level:{level}@{prov}")[cols])
    return pd.concat(vals, ignore_index=True)


def _histories(values: pd.DataFrame, as_of: float | None,
               keys: set[tuple[str, str]] | None = None) -> dict[tuple[str, str], pd.DataFrame]:
    """(indicator, subject) → time-sorted (t, value) up to as_of, for `keys` only when given; a rate's value
    falls back to 100·num/den."""
    v = values
    if keys is not None and not v.empty:
        wanted = pd.MultiIndex.from_tuples(sorted(keys)) if keys else pd.MultiIndex.from_tuples([("", "")])
        v = v[pd.MultiIndex.from_arrays([v["indicator_code"].astype(str), v["unit_code"].astype(str)]).isin(wanted)]
    if v.empty:
        return {}
    val = pd.to_numeric(v["value"], errors="coerce")
    num = pd.to_numeric(v["numerator"], errors="coerce")
    den = pd.to_numeric(v["denominator"], errors="coerce")
    val = val.where(val.notna(), 100.0 * num / den.where(den > 0))
    d = pd.DataFrame({"indicator_code": v["indicator_code"].astype(str), "unit_code": v["unit_code"].astype(str),
                      "t": pd.to_numeric(v["t"], errors="coerce"), "value": val})
    d = d.dropna(subset=["t", "value"])
    if as_of is not None:
        d = d[d["t"] <= as_of + _EPS]
    d = d.drop_duplicates(["indicator_code", "unit_code", "t"], keep="last").sort_values("t", kind="stable")
    return {k: g[["t", "value"]].reset_index(drop=True) for k, g in d.groupby(["indicator_code", "unit_code"], sort=False)}


def subject_history(values: pd.DataFrame, indicator: str, subject: str, as_of: float | None = None) -> pd.DataFrame:
    """One subject's (t, value) history of one indicator, oldest first, up to as_of (values from subject_values)."""
    return _histories(values, as_of, {(indicator, subject)}).get(
        (indicator, subject), pd.DataFrame({"t": pd.Series(dtype=float), "value": pd.Series(dtype=float)}))


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA


def _row_subject(rows: pd.DataFrame, province: str | None) -> str:
    """The subject whose figures a target key's row shows: that of its target on the view's province (a 2024
    quarter on its own map shows Nam Định's figure), else that of its latest target."""
    subjects = rows.sort_values("year")["subject"].astype(str)
    if province is not None:
        mine = [s for s in subjects if s == province or s.endswith(f"@{province}")]
        if mine:
            return mine[-1]
    return subjects.iloc[-1]


def target_overview(assessed: pd.DataFrame, values: pd.DataFrame, as_of: float,
                    horizons: tuple[int, ...] = HORIZONS, province: str | None = None) -> pd.DataFrame:
    """One row per target key (indicator × level × scope): current value, history, and per horizon the
    wording ("" without a target), the required level, the status and the target id; other years' targets as text.
    The row's figures are those of the key's target on `province` (the view's), else of its latest target."""
    cols = ["key", "indicator_code", "name", "unit", "area_code", "level", "scope", "subject", "current", "current_at",
            "history", "other"] + [f"{c}_{h}" for h in horizons for c in ("text", "target", "status", "id")]
    if assessed.empty:
        return pd.DataFrame(columns=cols)
    a = assessed.copy()
    a["scope"] = a["scope_unit_code"].map(lambda s: s if isinstance(s, str) and s else "")
    if "subject" not in a:
        a["subject"] = [target_subject(lv, sc) for lv, sc in zip(a["level"], a["scope"])]
    subject_of = {k: _row_subject(g, province) for k, g in a.groupby(["indicator_code", "level", "scope"], sort=False)}
    hist = _histories(values, as_of, {(str(k[0]), s) for k, s in subject_of.items()})
    level_order = {"province": 1, "all": 0, "district": 2, "commune": 3}
    rows = []
    for (ind, level, scope), g in a.groupby(["indicator_code", "level", "scope"], sort=False):
        first = g.iloc[0]
        subject = subject_of[(ind, level, scope)]
        h = hist.get((str(ind), subject))
        row = {"key": f"{ind}|{level}|{scope}", "indicator_code": ind, "name": first["name"], "unit": first["unit"],
               "area_code": first["area_code"], "level": level, "scope": scope, "subject": subject,
               "current": float(h["value"].iloc[-1]) if h is not None and len(h) else np.nan,
               "current_at": float(h["t"].iloc[-1]) if h is not None and len(h) else np.nan,
               "history": [float(x) for x in h["value"]] if h is not None else []}
        for hz in horizons:
            hit = g[g["year"] == hz]
            r = hit.iloc[-1] if not hit.empty else None
            row[f"text_{hz}"] = str(r["text"]) if r is not None else ""
            row[f"target_{hz}"] = float(r["target_value"]) if r is not None and not _blank(r["target_value"]) else np.nan
            row[f"status_{hz}"] = r["status"] if r is not None else None
            row[f"id_{hz}"] = int(r["id"]) if r is not None else None
        others = g[~g["year"].isin(horizons)].sort_values("year")
        row["other"] = "; ".join(f"{int(y)}: {t}" for y, t in zip(others["year"], others["text"]))
        row["_order"] = (AREAS[first["area_code"]].order if first["area_code"] in AREAS else 99, str(first["name"]),
                         bool(scope), level_order.get(level, 9), scope)
        rows.append(row)
    out = pd.DataFrame(rows).sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    return out[cols]


def chart_lines(rows: pd.DataFrame, horizons: tuple[int, ...] = HORIZONS
                ) -> tuple[list[tuple[str, float, float]], list[tuple[str, float, float, float, float]]]:
    """Target stars (label, t, value) and trajectory lines (label, t0, v0, t1, v1) of one target key's assessed rows.

    A target sits at the end of its year (t = year + 1); its trajectory runs from the assessment's base point.
    """
    from catalogue import UI

    stars: list[tuple[str, float, float]] = []
    lines: list[tuple[str, float, float, float, float]] = []
    for _, r in rows[rows["year"].isin(horizons)].sort_values("year").iterrows():
        if _blank(r.get("target_value")):
            continue
        t1, v1 = float(r["year"]) + 1.0, float(r["target_value"])
        stars.append((UI["chart_target"].format(year=int(r["year"])), t1, v1))
        if not _blank(r.get("base_at")) and not _blank(r.get("base_value")) and float(r["base_at"]) < t1:
            lines.append((UI["chart_trajectory"].format(year=int(r["year"])), float(r["base_at"]), float(r["base_value"]), t1, v1))
    return stars, lines


def find_target(assessed: pd.DataFrame, indicator: str, level: str | None, scope: str | None, year: int
                ) -> pd.Series | None:
    """The assessed row of (indicator, level, scope, year); level None = the first level of the indicator."""
    a = assessed[(assessed["indicator_code"] == indicator) & (assessed["year"] == year)]
    if level is not None:
        a = a[a["level"] == level]
    sc = a["scope_unit_code"].map(lambda s: s if isinstance(s, str) else "")
    a = a[sc == (scope or "")]
    return None if a.empty else a.iloc[0]


# --- tasks -----------------------------------------------------------------------------------
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
        dues = sorted({d for d in g["due_date"] if not _blank(d) and d is not pd.NaT})
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
    from loaders.text import fold

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
    import re

    from loaders.text import clean

    return re.sub(r"\s+", " ", re.sub(r"[^\w&%/.:\-]+", " ", clean(value).lower())).strip()


def search_mask(folded: pd.Series, exact: pd.Series, q: str | None) -> pd.Series:
    """Rows whose text contains the query as a phrase of whole words. A query typed without diacritics
    matches any spelling ("so hoa" finds "số hóa"); one typed with diacritics matches only that spelling
    ("số" does not find "sở")."""
    import re

    from loaders.text import fold

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
    if _blank(total) or not total or _blank(rate):
        return "empty"
    for code, limit in OVERDUE_BUCKET_LIMITS:
        if rate <= limit + _EPS:
            return code
    return "high"


def overdue_buckets() -> dict[str, tuple[str, str]]:
    """Bucket code → (label, colour); labels from catalogue.UI, colours from PROGRESS_STATUSES."""
    from catalogue import UI

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


# --- agencies --------------------------------------------------------------------------------
AGENCY_GROUPS = ("department", "district", "commune", "office")


def agency_group(kind: str, level: object) -> str:
    """The filter group of an agency: Sở ngành (and other provincial bodies), UBND cấp huyện, UBND cấp xã,
    phòng chuyên môn."""
    if kind == "district_office":
        return "office"
    if kind == "people_committee" and level in ("district", "commune"):
        return str(level)
    return "department"


def agency_table(status: pd.DataFrame, agencies: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """agency_rollup with each agency's filter group and unit name."""
    if status.empty:
        return pd.DataFrame(columns=["agency_code", "agency_name", "group", "total_lead", "overdue_lead"])
    r = agency_rollup(status)
    lv = dict(zip(units["code"], units["level"]))
    names = dict(zip(units["code"], units["name"]))
    r["group"] = [agency_group(k, lv.get(u)) for k, u in zip(r["agency_kind"], r["agency_unit"])]
    r["unit_name"] = r["agency_unit"].map(names)
    former = formerly(status)
    r["formerly"] = [former.get(str(c), "") for c in r["agency_code"]]
    return r


def agency_overdue(status: pd.DataFrame, agency: str) -> pd.DataFrame:
    """The overdue outputs of one agency, as lead or partner, earliest due first."""
    cols = ["output_id", "output_no", "output", "plan_number", "plan_code", "due_date", "role", "area_code", "task"]
    if status.empty:
        return pd.DataFrame(columns=cols)
    s = status[(status["agency_code"] == agency) & (status["status"] == "overdue")]
    s = s.assign(_lead=(s["role"] != "lead").astype(int))
    return s.sort_values(["_lead", "due_date", "output_id"], kind="stable")[cols].reset_index(drop=True)


def par_subject(agencies: pd.DataFrame, agency: str) -> tuple[str, str] | None:
    """(subject_kind, subject_code) under which an agency is ranked: departments by agency code, UBND of a
    district or commune by unit code; None for agencies nobody ranks."""
    hit = agencies[agencies["code"] == agency]
    if hit.empty:
        return None
    r = hit.iloc[0]
    group = r.get("rank_group")
    if group == "department":
        return "department", agency
    if group in ("district", "commune"):
        return str(group), str(r["unit_code"])
    return None


def par_agency(agencies: pd.DataFrame, kind: str, subject: str) -> str | None:
    """The agency code of a ranked subject (the reverse of par_subject)."""
    if kind == "department":
        return subject if (agencies["code"] == subject).any() else None
    hit = agencies[(agencies["rank_group"] == kind) & (agencies["unit_code"] == subject)]
    return None if hit.empty else str(hit.iloc[0]["code"])


# --- rankings --------------------------------------------------------------------------------
def par_with_parents(par: pd.DataFrame, parents: pd.DataFrame) -> pd.DataFrame:
    """PAR scores with parent_code: a commune's district at the end of the score year (others None)."""
    p = par.copy()
    p["parent_code"] = None
    if p.empty:
        return p
    for year in p.loc[p["subject_kind"] == "commune", "year"].unique():
        par_on = parents_on(parents, date(int(year), 12, 31))
        up = dict(zip(par_on["code"], par_on["parent_code"]))
        mask = (p["subject_kind"] == "commune") & (p["year"] == year)
        p.loc[mask, "parent_code"] = p.loc[mask, "subject_code"].map(up)
    return p


def par_years(par: pd.DataFrame, kind: str, parent: str | None = None) -> list[int]:
    """Years with scores of one subject kind (within a district for communes), newest first."""
    p = par[par["subject_kind"] == kind]
    if parent is not None and "parent_code" in p:
        p = p[p["parent_code"] == parent]
    return sorted({int(y) for y in p["year"]}, reverse=True)


def subject_names(agencies: pd.DataFrame, units: pd.DataFrame) -> dict[str, str]:
    """Display name of every possible ranked subject: agency codes and unit codes."""
    names = dict(zip(units["code"], units["name"]))
    names.update(dict(zip(agencies["code"], agencies["short_name"])))
    return names


def rank_arrow(change: object) -> str:
    """▲ 3 (moved up), ▼ 2 (down), = (same); – without a previous rank."""
    if _blank(change):
        return "–"
    c = int(change)  # type: ignore[call-overload]
    return f"▲ {c}" if c > 0 else f"▼ {-c}" if c < 0 else "="


def signed(x: object, decimals: int = 1) -> str:
    """A signed Vietnamese number: +1,2 / −0,8 / 0,0; – when missing."""
    from formats import MISSING, fmt_number

    if _blank(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    text = fmt_number(abs(v), decimals)
    if text.strip("0,.") == "":
        return text
    return ("+" if v > 0 else "−") + text


def _points(x: float) -> str:
    from formats import fmt_number

    return fmt_number(abs(x), 2 if abs(x) < 0.1 else 1)


def explain_text(expl: dict) -> str:
    """The rank change in one Vietnamese sentence, e.g. "Hạng 12/20, giảm 3 bậc dù điểm tăng 1,2; mất điểm
    nhiều nhất ở «Cải cách thủ tục hành chính»; kém hạng trên 0,8 điểm"."""
    from catalogue import PAR_COMPONENTS, UI

    parts = [UI["explain_rank"].format(rank=expl["rank"], n=expl["n"])]
    rc, sc = expl.get("rank_change"), expl.get("score_change")
    if rc is not None:
        move = (UI["explain_up"] if rc > 0 else UI["explain_down"]).format(k=abs(rc)) if rc else UI["explain_same"]
        if sc is not None:
            score = (UI["explain_score_up"] if sc > 0 else UI["explain_score_down"]).format(x=_points(sc)) \
                if abs(sc) > _EPS else UI["explain_score_same"]
            contrary = (rc < 0 and sc > _EPS) or (rc > 0 and sc < -_EPS)
            move += (UI["explain_although"] if contrary else ", ") + score
        parts[0] += ", " + move
    elif expl.get("prev_rank") is None:
        parts[0] += ", " + UI["explain_no_prev"]
    loss = expl.get("largest_loss")
    if loss:
        label = PAR_COMPONENTS[loss].label if loss in PAR_COMPONENTS else loss
        parts.append(UI["explain_loss"].format(component=label))
    gap = expl.get("gap_to_above")
    if expl.get("above_code") is None:
        parts.append(UI["explain_leader"])
    elif gap is not None:
        parts.append(UI["explain_gap"].format(x=_points(gap)))
    return "; ".join(parts)


def province_history(par: pd.DataFrame) -> pd.DataFrame:
    """The province's own (MoHA) PAR INDEX by year: score, max_score, pct and the published rank when known."""
    from analytics.rankings import subject_totals

    p = par[par["subject_kind"] == "province"]
    cols = ["year", "score", "max_score", "pct", "official_rank"]
    if p.empty:
        return pd.DataFrame(columns=cols)
    base = p.assign(parent_code=None)
    tot = subject_totals(base)
    tot["pct"] = 100.0 * tot["score"] / tot["max_score"].where(tot["max_score"] > 0)
    ranks = p.dropna(subset=["official_rank"]).groupby("year")["official_rank"].max() if "official_rank" in p \
        else pd.Series(dtype=float)
    tot["official_rank"] = tot["year"].map(ranks)
    return tot.sort_values("year")[cols].reset_index(drop=True)


# --- display helpers shared by the views ----------------------------------------------------
def status_text(code: object, table: dict = PROGRESS_STATUSES) -> str:
    """"✔ Đã đạt": a status code as symbol and label (readable without colour); "" when missing."""
    e = table.get(code) if isinstance(code, str) else None
    return f"{e.symbol} {e.label}".strip() if e else ""


def status_colours(table: dict = PROGRESS_STATUSES) -> dict[str, str]:
    """status_text → catalogue colour, for painting table cells."""
    return {status_text(c, table): e.colour for c, e in table.items()}


def target_key_of(level: str, scope: object) -> str:
    """The URL key of one target row within an indicator: "commune", or "all@356" for a unit's own target."""
    return f"{level}@{scope}" if isinstance(scope, str) and scope else str(level)


def parse_target_key(key: str | None) -> tuple[str | None, str]:
    """(level, scope) from target_key_of's text; (None, "") when absent."""
    if not key:
        return None, ""
    level, _, scope = key.partition("@")
    return level, scope


def par_detail(par: pd.DataFrame, kind: str, subject: str, year: int | None = None) -> dict | None:
    """One ranked subject in one year (its latest scored year when None): the rank row, the components against
    the leader and the average, the explanation sentence and the peers' district (communes); None when unranked.

    `par` comes from par_with_parents.
    """
    from analytics import rankings

    mine = par[(par["subject_kind"] == kind) & (par["subject_code"] == subject)]
    if mine.empty:
        return None
    years = sorted({int(y) for y in mine["year"]}, reverse=True)
    year = year if year in years else years[0]
    parent = None
    if kind == "commune":
        ps = mine.loc[mine["year"] == year, "parent_code"].dropna().unique()
        if len(ps) != 1:
            return None
        parent = str(ps[0])
    try:
        table = rankings.rank_table(par, year, kind, parent)
        expl = rankings.explain_change(par, year, kind, subject, parent)
        comps = rankings.components_vs(par, year, kind, subject, parent)
    except ValueError:
        return None
    row = table[table["subject_code"] == subject]
    if row.empty:
        return None
    return {"year": year, "years": years, "parent": parent, "row": row.iloc[0], "table": table,
            "components": comps, "explanation": explain_text(expl), "explain": expl}


def rank_table_for(par: pd.DataFrame, year: int, kind: str, parent: str | None = None) -> pd.DataFrame:
    """rankings.rank_table, or an empty table when nothing of that kind was scored."""
    from analytics import rankings

    if par.empty or not ((par["subject_kind"] == kind) & (par["year"] == year)).any():
        return pd.DataFrame(columns=rankings.RANK_COLUMNS)
    return rankings.rank_table(par, year, kind, parent)


def fmt_value(v: object, unit: object) -> str:
    """An indicator value in its unit, Vietnamese style: "54,9 %", "86,40 điểm", "hạng 3", "Đã hoàn thành" (a
    milestone), "85,0 % điểm tối đa"; "–" when missing."""
    from catalogue import UI
    from formats import MISSING, fmt_int, fmt_number, fmt_percent

    if _blank(v):
        return MISSING
    u = unit.strip() if isinstance(unit, str) else ""
    x = float(v)  # type: ignore[arg-type]
    if u == "mốc":
        return UI["milestone_done"] if x >= 1.0 - _EPS else UI["milestone_not_done"]
    if u == "hạng":
        return f"hạng {fmt_int(x)}"
    if u.startswith("%"):
        return (fmt_percent(x, 1) + " " + u[1:].strip()).strip()
    if u == "điểm":
        return f"{fmt_number(x, 2)} điểm"
    return (fmt_number(x, 1) + " " + u).strip()


def unit_suffix(unit: object) -> str:
    """What a chart puts after a number of this unit: "%" or " điểm" ("" for none)."""
    from formats import unit_suffix as suffix

    return suffix(unit)


def components_display(comps: pd.DataFrame) -> pd.DataFrame:
    """components_vs as a table to show: component label, score/max, leader, average, change (Vietnamese numbers)."""
    from catalogue import PAR_COMPONENTS, UI
    from formats import fmt_number

    return pd.DataFrame({
        UI["col_component"]: comps["component"].map(lambda c: PAR_COMPONENTS[c].label if c in PAR_COMPONENTS else c),
        UI["col_score"]: [f"{fmt_number(s, 2)}/{fmt_number(m, 2)}" for s, m in zip(comps["score"], comps["max_score"])],
        UI["col_leader"]: comps["leader_score"].map(lambda v: fmt_number(v, 2)),
        UI["col_average"]: comps["average_score"].map(lambda v: fmt_number(v, 2)),
        UI["col_change"]: comps["change"].map(lambda v: signed(v, 2)),
    })


# --- the targets view's table ----------------------------------------------------------------
def filter_targets(table: pd.DataFrame, level: str | None = None, area: str | None = None) -> pd.DataFrame:
    """Rows of target_overview of one level and/or one reform area, renumbered from 0."""
    t = table
    if level:
        t = t[t["level"] == level]
    if area:
        t = t[t["area_code"] == area]
    return t.reset_index(drop=True)


def open_row(table: pd.DataFrame, indicator: str | None, key: str | None) -> int | None:
    """The position of the row a link opens: the indicator's row named by the target key (level[@scope]), else
    the indicator's first row; None when the indicator is not in the table."""
    if not indicator:
        return None
    match = table[table["indicator_code"] == indicator]
    level, scope = parse_target_key(key)
    if level is not None:
        exact = match[(match["level"] == level) & (match["scope"] == scope)]
        match = exact if not exact.empty else match
    return int(match.index[0]) if not match.empty else None


def key_rows(assessed: pd.DataFrame, indicator: str, level: str, scope: str) -> pd.DataFrame:
    """The assessed rows (every year) of one target key."""
    sc = assessed["scope_unit_code"].map(lambda s: s if isinstance(s, str) else "")
    return assessed[(assessed["indicator_code"] == indicator) & (assessed["level"] == level) & (sc == (scope or ""))]


def behind(table: pd.DataFrame, horizon: int) -> int:
    """How many rows of target_overview are at risk or off track for one horizon."""
    col = f"status_{horizon}"
    return int(table[col].isin(["at_risk", "off_track"]).sum()) if col in table else 0


def map_targets(table: pd.DataFrame) -> pd.DataFrame:
    """Province-wide rows of target_overview (no scope unit) to colour a map by, indicators with figures first."""
    t = table[table["scope"] == ""]
    return t.assign(_empty=t["current"].isna()).sort_values("_empty", kind="stable").drop(columns="_empty")


def horizons_of(row: pd.Series, horizons: tuple[int, ...] = HORIZONS) -> list[str]:
    """The horizon years ("2025", "2030") a target_overview row has a target for."""
    return [str(h) for h in horizons if not _blank(row.get(f"id_{h}"))]


def district_or_province(units: pd.DataFrame, parents: pd.DataFrame, unit: str | None, on: date) -> str:
    """The unit a view drills into: `unit` when it is a district of the province on that date, else the province."""
    from loaders.reference import reference

    return unit if unit in set(children(units, parents, reference().history_province, on)["code"]) \
        else reference().history_province


def commune_districts(par: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """Districts whose communes have PAR INDEX scores (par from par_with_parents), by name."""
    codes = {str(c) for c in par.loc[par["subject_kind"] == "commune", "parent_code"].dropna()}
    return sorted(codes, key=lambda c: names.get(c, c))
