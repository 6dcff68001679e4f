"""The value series of the indicators: every reported value with its time t, the roll-ups of rates by level,
the history of the units of today's map carried forward from their predecessors, and one history per subject.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analytics import progress as prog
from analytics.frames import EPS, MAP_2025, Frames, blank, lineage
from analytics.par_values import par_indicator_values
from analytics.units import parents_on, served_province
from catalogue import ADDITIVE_MEASURES
from quarter import Quarter


def value_series(f: Frames, on: date) -> pd.DataFrame:
    """Every value with its time t, plus weighted roll-ups for rates: districts from communes, province from districts.

    A stored district or province row is replaced by the roll-up when the roll-up exists (rates are
    numerator over denominator summed over children, never an average of percentages).
    """
    derived = par_indicator_values(f.par, set(f.indicators["code"]))
    v = pd.concat([f.values, derived], ignore_index=True) if not derived.empty else f.values.copy()
    if v.empty:
        return v.assign(t=pd.Series(dtype=float), source=pd.Series(dtype=object))
    # progress.quarter_to_t, column-wise: the end of the quarter (year + quarter/4), or of the year
    year = pd.to_numeric(v["year"]).astype(float).to_numpy()
    quarter = pd.to_numeric(v["quarter"], errors="coerce").astype(float).to_numpy()
    v["t"] = np.where(np.isnan(quarter), year + 1.0, year + quarter / 4.0)
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
    since = start["valid_from"] if start is not None and not blank(start["valid_from"]) else MAP_2025
    carried = carry_forward(v, f, since if isinstance(since, date) else MAP_2025)
    return pd.concat([v, carried], ignore_index=True) if not carried.empty else v


def indicator_kinds(indicators: pd.DataFrame) -> tuple[set[str], set[str]]:
    """(rate codes, additive codes): rates carry as Σnum/Σden, additive measures (people, units, money) as Σ."""
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
    `coverage` is the part of the successor's predecessors that have a figure at that time (1 = all of them; a
    province standing in by its districts counts as the part of its districts that reported).
    Only quarters and years ending before `on` are carried. An abolished district's own figures reach today's map
    through its province only (district_stand_ins), never a commune's series."""
    cols = ["indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator", "t", "source",
            "coverage"]
    start_t = prog.quarter_to_t(*Quarter.of(on)) - 0.25 + 1e-9
    old = values[pd.to_numeric(values["t"], errors="coerce") <= start_t]
    if old.empty:
        return pd.DataFrame(columns=cols)
    rates, additive = indicator_kinds(f.indicators)
    old = pd.concat([old.assign(_w=1.0), district_stand_ins(old, f, on, rates, additive)], ignore_index=True)
    links = successor_links(f, sorted({str(c) for c in old["unit_code"].unique()}), on)
    if links.empty:
        return pd.DataFrame(columns=cols)
    m = old.merge(links, on="unit_code", how="inner")
    if m.empty:
        return pd.DataFrame(columns=cols)
    num = pd.to_numeric(m["numerator"], errors="coerce")
    den = pd.to_numeric(m["denominator"], errors="coerce")
    val = pd.to_numeric(m["value"], errors="coerce")
    is_rate = m["indicator_code"].isin(rates).to_numpy()
    is_add = m["indicator_code"].isin(additive).to_numpy()
    with_parts = is_rate & num.notna().to_numpy() & den.notna().to_numpy()
    whole = (m["n_pred"] == 1).to_numpy() & (m["share"] >= 1 - EPS).to_numpy()
    keep = with_parts | (is_add & val.notna().to_numpy()) | whole
    m = m[keep].assign(_num=(num * m["share"])[keep], _den=(den * m["share"])[keep], _val=(val * m["share"])[keep],
                       _parts=with_parts[keep])
    if m.empty:
        return pd.DataFrame(columns=cols)
    key = ["indicator_code", "successor", "year", "quarter", "t"]
    g = m.groupby(key, dropna=False, as_index=False, sort=False).agg(
        numerator=("_num", "sum"), denominator=("_den", "sum"), value=("_val", "sum"), parts=("_parts", "all"),
        n=("_w", "sum"), n_pred=("n_pred", "first"))
    g["numerator"] = g["numerator"].where(g["parts"])
    g["denominator"] = g["denominator"].where(g["parts"])
    g_rate = g["indicator_code"].isin(rates)
    g["value"] = np.where(g_rate & g["parts"] & (g["denominator"] > 0),
                          100.0 * g["numerator"] / g["denominator"].where(g["denominator"] > 0, 1), g["value"])
    g.loc[g_rate & g["parts"] & ~(g["denominator"] > 0), "value"] = np.nan
    g["coverage"] = (g["n"] / g["n_pred"]).clip(upper=1.0)
    g = g.rename(columns={"successor": "unit_code"}).assign(source="carried")
    return g[cols].reset_index(drop=True)


def district_stand_ins(old: pd.DataFrame, f: Frames, on: date, rates: set[str], additive: set[str]) -> pd.DataFrame:
    """The figures of ended provinces made of their districts' own figures, where a province has none of its own
    (neither reported nor rolled up from its communes) for that indicator and time: Σnum/Σden for a rate with its
    parts, Σvalue for an additive measure; nothing for anything else (a score, a rate without its parts). `_w` is
    the part of the province's districts of that period that have a figure.

    Why the province and not the communes: a district's own figure is the district's, whether its territory's total
    or its own office's work, and on today's map that territory is spread over new communes that also take in other
    districts' communes. Only the province holds all of it (Nam Định's districts lie wholly in today's Ninh Bình),
    so only there is the figure carried without a guess, and it never mixes into a commune's series."""
    cols = [*old.columns, "_w"]
    ref = lineage(f)
    level = dict(zip(f.units["code"].astype(str), f.units["level"]))
    province = dict(zip(f.units["code"].astype(str), f.units["province_code"])) if "province_code" in f.units else {}
    codes = old["unit_code"].astype(str)
    ended = {c for c in codes.unique() if level.get(c) == "district" and not ref.unit_valid(c, on)}
    d = old[codes.isin(ended).to_numpy()]
    if d.empty:
        return pd.DataFrame(columns=cols)
    num = pd.to_numeric(d["numerator"], errors="coerce")
    den = pd.to_numeric(d["denominator"], errors="coerce")
    val = pd.to_numeric(d["value"], errors="coerce")
    parts = d["indicator_code"].isin(rates) & num.notna() & den.notna()
    summed = d["indicator_code"].isin(additive) & ~d["indicator_code"].isin(rates) & val.notna()
    d = d[(parts | summed).to_numpy()].assign(province=lambda x: x["unit_code"].astype(str).map(province),
                                              _num=num, _den=den, _val=val)
    d = d[d["province"].notna()]
    own = set(zip(old["indicator_code"], old["unit_code"].astype(str), pd.to_numeric(old["t"], errors="coerce")))
    d = d[[k not in own for k in zip(d["indicator_code"], d["province"], pd.to_numeric(d["t"], errors="coerce"))]]
    if d.empty:
        return pd.DataFrame(columns=cols)
    g = d.groupby(["indicator_code", "province", "year", "quarter", "t"], dropna=False, as_index=False, sort=False).agg(
        numerator=("_num", "sum"), denominator=("_den", "sum"), value=("_val", "sum"), n=("unit_code", "nunique"))
    is_rate = g["indicator_code"].isin(rates)
    g["numerator"] = g["numerator"].where(is_rate)
    g["denominator"] = g["denominator"].where(is_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        g["value"] = np.where(is_rate, np.where(g["denominator"] > 0, 100.0 * g["numerator"] / g["denominator"], np.nan),
                              g["value"])
    districts = f.units[f.units["level"] == "district"]
    counts: dict[tuple, int] = {}
    for p, y, q in g[["province", "year", "quarter"]].drop_duplicates().itertuples(index=False):
        period = Quarter(int(y), int(q)) if not blank(q) else None
        a, b = (period.start, period.end) if period else (date(int(y), 1, 1), date(int(y), 12, 31))
        counts[(p, y, q)] = sum(ref.unit_valid(str(c), a, b) for c in districts.loc[districts["province_code"] == p, "code"])
    total = [counts.get((p, y, q), 0) for p, y, q in zip(g["province"], g["year"], g["quarter"])]
    g["_w"] = (g["n"] / pd.Series(total, index=g.index).where(lambda x: x > 0)).clip(upper=1.0).fillna(1.0)
    out = g.rename(columns={"province": "unit_code"}).assign(source="district")
    return out.reindex(columns=cols)


def level_series(series: pd.DataFrame, units: pd.DataFrame, level: str) -> pd.DataFrame:
    """The province-wide figure of one administrative level: Σnum/Σden over all units of that level."""
    levels = dict(zip(units["code"], units["level"]))
    return _level_totals(series[series["unit_code"].map(levels) == level])


def _level_totals(part: pd.DataFrame) -> pd.DataFrame:
    """Σnum/Σden (or the mean value) per indicator and time over the rows of one level."""
    if part.empty:
        return part
    g = part.groupby(["indicator_code", "t"], as_index=False).agg(numerator=("numerator", "sum"),
                                                                   denominator=("denominator", "sum"),
                                                                   value_mean=("value", "mean"),
                                                                   n=("value", "count"))
    g["value"] = np.where(g["denominator"] > 0, 100.0 * g["numerator"] / g["denominator"].where(g["denominator"] > 0, 1),
                          g["value_mean"])
    return g


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
        # one pass: each row's level and province looked up once (not once per province of the units)
        mine = units[units["level"] == level]
        province_of = dict(zip(mine["code"], mine["province_code"]))
        prov = series["unit_code"].map(province_of)
        rows = series[prov.notna().to_numpy()]
        for p, part in rows.groupby(prov[prov.notna()].to_numpy(), sort=True):
            ls = _level_totals(part)
            if not ls.empty:
                vals.append(ls.assign(unit_code=f"level:{level}@{p}")[cols])
    return pd.concat(vals, ignore_index=True)


def histories(values: pd.DataFrame, as_of: float | None,
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
        d = d[d["t"] <= as_of + EPS]
    d = d.drop_duplicates(["indicator_code", "unit_code", "t"], keep="last").sort_values("t", kind="stable")
    return {k: g[["t", "value"]].reset_index(drop=True) for k, g in d.groupby(["indicator_code", "unit_code"], sort=False)}


def subject_history(values: pd.DataFrame, indicator: str, subject: str, as_of: float | None = None) -> pd.DataFrame:
    """One subject's (t, value) history of one indicator, oldest first, up to as_of (values from subject_values)."""
    return histories(values, as_of, {(indicator, subject)}).get(
        (indicator, subject), pd.DataFrame({"t": pd.Series(dtype=float), "value": pd.Series(dtype=float)}))
