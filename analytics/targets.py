"""The targets of the plans judged against the value series: the assessment of every target as of a quarter,
of every unit against one target, and the targets view's table (one row per indicator, level and scope).
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analytics import progress as prog
from analytics.frames import Frames, blank, lineage
from analytics.series import histories, subject_values, value_series
from analytics.units import children
from catalogue import AREAS, PROGRESS_STATUSES, UI
from loaders.reference import reference
from model import TargetSpec
from quarter import Quarter


# --- the assessment of the targets -----------------------------------------------------------
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


def target_rows(f: Frames) -> pd.DataFrame:
    """Targets with their indicator's name, unit, direction and area, and the TargetSpec."""
    t = f.targets.merge(f.indicators[["code", "name", "unit", "direction", "is_rate", "area_code"]],
                        left_on="indicator_code", right_on="code", how="left")
    t["spec"] = [spec_of(r) for _, r in t.iterrows()]
    return t


ASSESSED = ("status", "observed", "observed_at", "required_now", "target_value", "projected", "ratio", "note",
            "base_value", "base_at")  # what an assessment adds to a target row (store.readmodels keeps these)


def assess_targets(f: Frames, year: int, quarter: int, series: pd.DataFrame | None = None,
                   pieces: pd.DataFrame | None = None, kept: pd.DataFrame | None = None) -> pd.DataFrame:
    """The status of every current target as of a quarter, judged on the figure its level and scope name.

    - scope unit set (a district's or the city's plan): that unit's own series;
    - level commune / district (per-level targets of a provincial plan): the whole level, Σnum/Σden;
    - level province / all: the province's series (rolled up from communes for rates).
    `pieces`: subject_values of the series, when already known (it does not depend on the quarter). `kept`: the
    assessment already made (id and ASSESSED columns, store.readmodels), joined to the target rows as it is.
    """
    t = assessed_rows(f)
    if t.empty:
        return t.assign(status=pd.Series(dtype=object))
    if kept is None:
        if pieces is None:
            pieces = subject_values(value_series(f, Quarter(year, quarter).end) if series is None else series, f.units)
        kept = assess_quarters(f, [(year, quarter)], pieces, t)[0]
    return t.merge(kept[["id", *ASSESSED]], on="id", how="left")


def assessed_rows(f: Frames) -> pd.DataFrame:
    """target_rows with the subject each target is judged on (target_subject)."""
    t = target_rows(f)
    if t.empty:
        return t
    provinces = {int(y): target_province(f, int(y)) for y in t["year"].unique()}
    t["subject"] = [target_subject(lv, sc, provinces[int(y)]) for lv, sc, y in zip(t["level"], t["scope_unit_code"], t["year"])]
    return t


def assess_quarters(f: Frames, quarters: list[tuple[int, int]], pieces: pd.DataFrame,
                    rows: pd.DataFrame | None = None) -> list[pd.DataFrame]:
    """For each (year, quarter): every target's assessment (id and ASSESSED columns) on `pieces` (subject_values
    of the series). `rows`: assessed_rows(f), when already known."""
    t = assessed_rows(f) if rows is None else rows
    if t.empty:
        return [pd.DataFrame(columns=["id", *ASSESSED]) for _ in quarters]
    frame = pd.DataFrame({"target_id": t["id"], "indicator_code": t["indicator_code"], "unit_code": t["subject"],
                          "level": t["level"], "year": t["year"], "spec": t["spec"], "direction": t["direction"],
                          "unit": t["unit"]})
    results = prog.assess_quarters(frame, pieces, [prog.quarter_to_t(y, qq) for y, qq in quarters])
    return [res.rename(columns={"target_id": "id"})[["id", *ASSESSED]] for res in results]


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


# --- the targets view --------------------------------------------------------------------------
HORIZONS = (2025, 2030)


def target_subject(level: str, scope: object, province: str | None = None) -> str:
    """Whose figure a target is judged on: its scope unit, the whole level of its province
    ("level:commune@36"; "level:commune" without a province), or the province."""
    if isinstance(scope, str) and scope:
        return scope
    if level in ("commune", "district"):
        return f"level:{level}" if province is None else f"level:{level}@{province}"
    if province is None:
        return reference().history_province
    return province


def target_province(f: Frames, year: int) -> str:
    """The province a target of `year` is judged on: the map in force when its year began (a 2025 target of the
    2021–2025 plan on the old province, Nam Định; a 2030 target on the province served)."""
    return lineage(f).province_at(date(int(year), 1, 1))


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
    hist = histories(values, as_of, {(str(k[0]), s) for k, s in subject_of.items()})
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
            row[f"target_{hz}"] = float(r["target_value"]) if r is not None and not blank(r["target_value"]) else np.nan
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
    stars: list[tuple[str, float, float]] = []
    lines: list[tuple[str, float, float, float, float]] = []
    for _, r in rows[rows["year"].isin(horizons)].sort_values("year").iterrows():
        if blank(r.get("target_value")):
            continue
        t1, v1 = float(r["year"]) + 1.0, float(r["target_value"])
        stars.append((UI["chart_target"].format(year=int(r["year"])), t1, v1))
        if not blank(r.get("base_at")) and not blank(r.get("base_value")) and float(r["base_at"]) < t1:
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


def target_key_of(level: str, scope: object) -> str:
    """The URL key of one target row within an indicator: "commune", or "all@356" for a unit's own target."""
    return f"{level}@{scope}" if isinstance(scope, str) and scope else str(level)


def parse_target_key(key: str | None) -> tuple[str | None, str]:
    """(level, scope) from target_key_of's text; (None, "") when absent."""
    if not key:
        return None, ""
    level, _, scope = key.partition("@")
    return level, scope


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
    return [str(h) for h in horizons if not blank(row.get(f"id_{h}"))]
