"""Progress of indicators against targets, and weighted roll-ups of rates.

The status method follows the "required versus observed pace" of Open SDG (Statistics Canada's
progress methodology): the pace observed from a base point to the latest observation is compared
with the pace required to go from that base point to the target by the horizon. Unlike Open SDG
the paces are linear (units per year), not compound growth rates: most CCHC indicators are
percentages close to a 100 % ceiling, where compound rates are misleading. Thresholds: a ratio of
at least 0.95 is on track, 0.5 to 0.95 at risk, below 0.5 off track (at risk if the linear trend
still reaches the target by the horizon), a pace in the wrong direction is off track.

Time is a decimal year: the end of a quarter is year + quarter/4 (2023.75 = end of Q3 2023), the
end of a year is year + 1.0. A target for year Y is due at its horizon Y + 1.0.

Pure pandas/numpy/stdlib: no Streamlit, no SQL.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from catalogue import PROGRESS_STATUSES, RANK_GROUP_THRESHOLDS
from model import TargetSpec
from quarter import Quarter

ON_TRACK_RATIO = 0.95  # observed pace / required pace at or above this: on track
AT_RISK_RATIO = 0.5  # at or above this (and below ON_TRACK_RATIO): at risk
_EPS = 1e-9  # tolerance for float comparisons of levels and times

# Kinds whose wording fixes the good direction (+1: higher is better, -1: lower is better).
_KIND_SENSE = {"at_least": 1, "rank_group": 1, "milestone": 1, "at_most": -1, "rank": -1}

assert {"achieved", "on_track", "at_risk", "off_track", "no_data"} <= set(PROGRESS_STATUSES)


@dataclass(frozen=True)
class Assessment:
    """Progress of one indicator series against one target at one report date."""

    status: str  # catalogue.PROGRESS_STATUSES code
    observed: float | None = None  # the judged observation (latest ≤ as_of, or at the horizon once past)
    observed_at: float | None = None  # its time (decimal year)
    required_now: float | None = None  # trajectory level at observed_at
    target_value: float | None = None  # level required at the horizon (spec.year + 1.0)
    required_pace: float | None = None  # units per year, from the base point to the target
    observed_pace: float | None = None  # units per year, from the base point to the observation
    ratio: float | None = None  # observed_pace / required_pace
    projected: float | None = None  # linear-trend level at the horizon (capped at the ceiling)
    note: str = ""  # short English reason
    base_value: float | None = None  # base point used for the paces
    base_at: float | None = None


ASSESSMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Assessment))


# --- Time ---------------------------------------------------------------------------------------
def quarter_to_t(year: int, quarter: int | None) -> float:
    """End of a quarter (or of the year when quarter is None) as a decimal year: (2023, 3) → 2023.75."""
    if quarter is None:
        return float(year) + 1.0
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4 or None, not {quarter!r}")
    return float(year) + quarter / 4.0


def t_to_label(t: float | None) -> str:
    """Vietnamese label of a decimal year: 2023.75 → "Quý III/2023", 2024.0 → "Năm 2023" ("" when missing)."""
    if t is None or not math.isfinite(float(t)):
        return ""
    t = float(t)
    year = math.floor(t + _EPS)
    k = math.ceil((t - year) * 4 - 1e-6)  # quarter whose end is at or after t; 0 = exactly a year end
    if k <= 0:
        return f"Năm {year - 1}"  # the end of Q4 is the end of the year: label it as the year
    return Quarter(year, min(k, 4)).label


def _year_of(t: float) -> int:
    """The calendar year an observation at t belongs to (2023.75 and 2024.0 both belong to 2023)."""
    return math.ceil(t - _EPS) - 1


# --- Levels -------------------------------------------------------------------------------------
def _group_threshold(group: str | None) -> float | None:
    for code, low in RANK_GROUP_THRESHOLDS:
        if code == group:
            return float(low)
    return None


def _num(x: object) -> float | None:
    """A finite float or None."""
    if x is None:
        return None
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def required_level(spec: TargetSpec, year: int, baseline_value: float | None) -> float | None:
    """The level the target demands in `year` (range: the low bound; None when it cannot be known)."""
    kind = spec.kind
    if kind in ("at_least", "at_most", "range", "rank"):
        return _num(spec.value)
    if kind == "change":
        base, change = _num(baseline_value), _num(spec.value)
        if base is None or change is None:
            return None
        return base * (1.0 + change / 100.0) if spec.relative else base + change
    if kind == "ramp":
        first = _num(spec.value)
        if first is None:
            return None
        if spec.baseline_year is None:
            return first
        if year < spec.baseline_year:
            return None
        step = _num(spec.step) or 0.0
        level = first + step * (year - spec.baseline_year)
        cap = _num(spec.cap)
        if cap is not None:
            level = min(cap, level) if step >= 0 else max(cap, level)
        return level
    if kind == "milestone":
        return 1.0
    if kind == "rank_group":
        return _group_threshold(spec.group)
    raise ValueError(f"unknown target kind: {kind!r}")


def _sense(spec: TargetSpec, direction: str | None) -> int:
    """+1 when higher is better, -1 when lower is better; the kind's wording wins over `direction`."""
    if spec.kind in _KIND_SENSE:
        return _KIND_SENSE[spec.kind]
    signed = _num(spec.value) if spec.kind == "change" else _num(spec.step) if spec.kind == "ramp" else None
    if signed:
        return 1 if signed > 0 else -1
    return -1 if direction == "down" else 1


def meets(spec: TargetSpec, observed: float, baseline_value: float | None, year: int,
          direction: str | None = None) -> bool:
    """Whether `observed` satisfies what the target demands in `year` (False when unknowable)."""
    obs = _num(observed)
    if obs is None:
        return False
    if spec.kind == "range":
        low, high = _num(spec.value), _num(spec.value_high)
        if low is None and high is None:
            return False
        return (low is None or obs >= low - _EPS) and (high is None or obs <= high + _EPS)
    required = required_level(spec, year, baseline_value)
    if required is None:
        return False
    if _sense(spec, direction) > 0:
        return obs >= required - _EPS
    return obs <= required + _EPS


# --- Assessment ---------------------------------------------------------------------------------
def _clean(t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Finite points sorted by time; of several values at one time the last one given wins."""
    t = np.asarray(t, dtype=float)
    v = np.asarray(v, dtype=float)
    ok = np.isfinite(t) & np.isfinite(v)
    t, v = t[ok], v[ok]
    order = np.argsort(t, kind="stable")
    t, v = t[order], v[order]
    if t.size > 1:
        keep = np.append(t[1:] != t[:-1], True)
        t, v = t[keep], v[keep]
    return t, v


def _slope(t: np.ndarray, v: np.ndarray) -> float | None:
    """Least-squares slope (units per year) of the points, None for fewer than two distinct times."""
    if t.size < 2:
        return None
    tc = t - t.mean()
    denom = float(np.dot(tc, tc))
    if denom <= _EPS:
        return None
    return float(np.dot(tc, v - v.mean()) / denom)


def _clip(x: float | None, low: float | None, high: float | None) -> float | None:
    if x is None:
        return None
    if high is not None and x > high:
        x = high
    if low is not None and x < low:
        x = low
    return x


def assess(spec: TargetSpec, series: pd.Series, as_of: float,
           baseline: tuple[float, float] | None = None, direction: str = "up",
           ceiling: float | None = 100.0) -> Assessment:
    """Status of `series` (indexed by decimal year) against `spec` at report time `as_of`."""
    index = pd.to_numeric(pd.Series(series.index, dtype=object), errors="coerce").to_numpy(dtype=float)
    values = pd.to_numeric(pd.Series(series.to_numpy(), dtype=object), errors="coerce").to_numpy(dtype=float)
    t, v = _clean(index, values)
    return _assess_arrays(spec, t, v, float(as_of), baseline, direction, ceiling)


def _assess_arrays(spec: TargetSpec, t: np.ndarray, v: np.ndarray, as_of: float,
                   baseline: tuple[float, float] | None, direction: str | None,
                   ceiling: float | None) -> Assessment:
    """The core of `assess` on clean, time-sorted arrays."""
    kind = spec.kind
    horizon = float(spec.year) + 1.0
    past = as_of >= horizon - _EPS
    cutoff = min(as_of, horizon)
    n_all = int(np.searchsorted(t, as_of + _EPS, side="right"))
    n = int(np.searchsorted(t, cutoff + _EPS, side="right"))
    t, v = t[:n], v[:n]

    if baseline is not None and (_num(baseline[0]) is None or _num(baseline[1]) is None):
        baseline = None
    if baseline is None and kind == "change" and spec.baseline_year is not None and n:
        # the value at (or nearest before) the end of the baseline year
        i = int(np.searchsorted(t, spec.baseline_year + 1.0 + _EPS, side="right")) - 1
        if i >= 0:
            baseline = (float(t[i]), float(v[i]))
    baseline_value = baseline[1] if baseline is not None else None
    final = required_level(spec, spec.year, baseline_value)

    if n == 0:
        note = "no observation by the horizon" if past and n_all else "no observation up to the report date"
        return Assessment("no_data", target_value=final, note=note)

    t_last, y_last = float(t[-1]), float(v[-1])
    latest = {"observed": y_last, "observed_at": t_last}

    if kind == "change" and final is None:
        return Assessment("no_data", **latest, note="no baseline value for a change target")

    if kind == "milestone":
        required_now = 1.0 if t_last >= horizon - _EPS else 0.0
        common = dict(latest, required_now=required_now, target_value=1.0)
        if y_last >= 1.0 - _EPS:
            return Assessment("achieved", **common, note="milestone done")
        if past:
            return Assessment("off_track", **common, note="milestone not done by the horizon")
        if horizon - as_of < 1.0:
            return Assessment("at_risk", **common, note="milestone not done, less than a year left")
        return Assessment("on_track", **common, note="milestone not done, more than a year left")

    # The level aimed at and the good direction.
    sense = _sense(spec, direction)
    target = final
    if kind == "range":
        low, high = _num(spec.value), _num(spec.value_high)
        if high is not None and y_last > high:
            target, sense = high, -1
        elif low is not None:
            target, sense = low, 1
        else:
            target = high
    if target is None:
        return Assessment("no_data", **latest, note="target level unknown")

    # Base point: the explicit (or derived) baseline, else the first observation.
    if baseline is not None and float(baseline[0]) < t_last - _EPS:
        t_base, y_base = float(baseline[0]), float(baseline[1])
    else:
        t_base, y_base = float(t[0]), float(v[0])
    elapsed = t_last - t_base
    have_base = elapsed > _EPS
    span = horizon - t_base
    required_pace = (target - y_base) / span if span > _EPS else None
    observed_pace = (y_last - y_base) / elapsed if have_base else None
    ratio = None
    if required_pace is not None and observed_pace is not None and abs(required_pace) > _EPS:
        ratio = observed_pace / required_pace

    # Linear trend from the latest observation: least-squares slope of the observations since the
    # base point, or the observed pace when there are fewer than two of them.
    since = t >= t_base - _EPS
    slope = _slope(t[since], v[since])
    if slope is None:
        slope = observed_pace
    low_cap, high_cap = (1.0, None) if kind == "rank" else (0.0 if ceiling is not None else None, ceiling)
    projected = _clip(y_last + slope * (horizon - t_last), low_cap, high_cap) if slope is not None else None

    if kind == "ramp":
        required_now = required_level(spec, _year_of(t_last), baseline_value)
    elif required_pace is not None:
        required_now = y_base + required_pace * (t_last - t_base)
    else:
        required_now = None

    def result(status: str, note: str) -> Assessment:
        return Assessment(status, y_last, t_last, required_now, final if kind != "range" else target,
                          required_pace, observed_pace, ratio, projected, note, y_base, t_base)

    if meets(spec, y_last, baseline_value, spec.year, direction):
        return result("achieved", "target met at the horizon" if past else "target already met")
    if past:
        return result("off_track", "horizon passed without meeting the target")
    if kind == "ramp" and meets(spec, y_last, baseline_value, _year_of(t_last), direction):
        return result("on_track", f"meets the ramp level for {_year_of(t_last)}")
    if not have_base:
        return result("no_data", "single observation")
    if required_pace is None or sense * required_pace <= _EPS:
        return result("off_track", "target was met at the base but is no longer met")
    if sense * observed_pace < 0:  # type: ignore[operator]
        return result("off_track", "moving away from the target")
    assert ratio is not None
    if ratio >= ON_TRACK_RATIO and kind != "ramp":
        return result("on_track", f"pace ratio {ratio:.2f}")
    if ratio >= AT_RISK_RATIO:
        extra = f", below the ramp level for {_year_of(t_last)}" if kind == "ramp" else ""
        return result("at_risk", f"pace ratio {ratio:.2f}{extra}")
    if projected is not None and sense * (projected - target) >= -_EPS:
        return result("at_risk", f"pace ratio {ratio:.2f} but the trend reaches the target")
    return result("off_track", f"pace ratio {ratio:.2f}")


# --- Batch --------------------------------------------------------------------------------------
def _code_str(x: object) -> str:
    """One spelling of a code for matching: 356, 356.0 and "356" all become "356"."""
    if isinstance(x, (float, np.floating)) and math.isfinite(x) and float(x).is_integer():
        return str(int(x))
    return str(x).strip()


def _norm_codes(col: pd.Series) -> np.ndarray:
    """Normalised code strings (missing → "") for a column, computed once per distinct value."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    names = np.array([_code_str(u) for u in uniques] + [""], dtype=object)
    return names[codes]  # the sentinel -1 picks the trailing ""


def _series_by_key(values: pd.DataFrame) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    """Clean, time-sorted (t, value) arrays per (indicator_code, unit_code), built in one pass."""
    t = pd.to_numeric(values["t"], errors="coerce").to_numpy(dtype=float)
    v = pd.to_numeric(values["value"], errors="coerce").to_numpy(dtype=float) if "value" in values \
        else np.full(len(values), np.nan)
    if "numerator" in values and "denominator" in values:
        num = pd.to_numeric(values["numerator"], errors="coerce").to_numpy(dtype=float)
        den = pd.to_numeric(values["denominator"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(den > 0, 100.0 * num / den, np.nan)
        v = np.where(np.isnan(v), rate, v)
    ind = _norm_codes(values["indicator_code"])
    unit = _norm_codes(values["unit_code"])
    ok = np.isfinite(t) & np.isfinite(v)
    ind, unit, t, v = ind[ok], unit[ok], t[ok], v[ok]
    if t.size == 0:
        return {}
    key = pd.Series(ind, dtype=object).str.cat(pd.Series(unit, dtype=object), sep="\x1f").to_numpy()
    codes, uniques = pd.factorize(key)
    order = np.lexsort((t, codes))  # stable: of duplicate times the last row given comes last
    codes, t, v = codes[order], t[order], v[order]
    keep = np.append((codes[1:] != codes[:-1]) | (t[1:] != t[:-1]), True)
    codes, t, v = codes[keep], t[keep], v[keep]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [codes.size]))
    out: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for s, e in zip(starts, ends):
        i, u = str(uniques[codes[s]]).split("\x1f", 1)
        out[(i, u)] = (t[s:e], v[s:e])
    return out


def assess_frame(targets: pd.DataFrame, values: pd.DataFrame, as_of: float) -> pd.DataFrame:
    """Assess every target against its indicator's series for its unit; one row per target_id."""
    return assess_quarters(targets, values, [as_of])[0]


def assess_quarters(targets: pd.DataFrame, values: pd.DataFrame, as_ofs: list[float]) -> list[pd.DataFrame]:
    """assess_frame at each time of `as_ofs`, the series grouped once (a read model assesses every quarter)."""
    groups = _series_by_key(values)
    return [_assess_at(targets, groups, as_of) for as_of in as_ofs]


def _assess_at(targets: pd.DataFrame, groups: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]],
               as_of: float) -> pd.DataFrame:
    empty = (np.empty(0), np.empty(0))
    t_ind = _norm_codes(targets["indicator_code"])
    t_unit = _norm_codes(targets["unit_code"])
    n = len(targets)
    directions = targets["direction"].tolist() if "direction" in targets else ["up"] * n
    units = targets["unit"].tolist() if "unit" in targets else [None] * n
    rows: list[tuple] = []
    for spec, ind, unit, direction, unit_label in zip(targets["spec"].tolist(), t_ind, t_unit, directions, units):
        if not isinstance(spec, TargetSpec):
            rows.append(tuple(Assessment("no_data", note="no target specification").__dict__.values()))
            continue
        t, v = groups.get((ind, unit), empty)
        ceiling = 100.0 if isinstance(unit_label, str) and unit_label.strip() == "%" else None
        direction = direction if direction in ("up", "down") else "up"
        try:
            a = _assess_arrays(spec, t, v, float(as_of), None, direction, ceiling)
        except ValueError as exc:
            a = Assessment("no_data", note=f"invalid target: {exc}")
        rows.append(tuple(a.__dict__.values()))
    out = pd.DataFrame.from_records(rows, columns=list(ASSESSMENT_FIELDS)) if rows \
        else pd.DataFrame(columns=list(ASSESSMENT_FIELDS))
    for col in ASSESSMENT_FIELDS:
        if col not in ("status", "note"):
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    passthrough = [c for c in ("target_id", "indicator_code", "unit_code", "level", "year") if c in targets]
    head = targets[passthrough].reset_index(drop=True)
    return pd.concat([head, out], axis=1)


# --- Weighted roll-up of rates ------------------------------------------------------------------
_ROLLUP_COLUMNS = ["unit_code", "indicator_code", "t", "numerator", "denominator", "value",
                   "children", "missing_children"]


def _heights(children_of: dict[str, list[str]]) -> dict[str, int]:
    """Height of every parent: 1 when no child is itself a parent. Raises ValueError on a cycle."""
    heights: dict[str, int] = {}
    for root in children_of:
        stack: list[tuple[str, bool]] = [(root, False)]
        on_path: set[str] = set()
        while stack:
            node, done = stack.pop()
            if done:
                on_path.discard(node)
                heights[node] = 1 + max((heights.get(c, 0) for c in children_of[node]), default=0)
                continue
            if node in heights:
                continue
            if node in on_path:
                raise ValueError(f"cycle in the unit hierarchy at {node!r}")
            on_path.add(node)
            stack.append((node, True))
            for c in children_of[node]:
                if c in children_of and c not in heights:
                    if c in on_path:
                        raise ValueError(f"cycle in the unit hierarchy at {c!r}")
                    stack.append((c, False))
    return heights


def rollup_rates(values: pd.DataFrame, parents: pd.DataFrame) -> pd.DataFrame:
    """Sum numerators and denominators over children, level by level; value = 100*Σnum/Σden."""
    edges = pd.DataFrame({
        "child": _norm_codes(parents["code"]),
        "parent": _norm_codes(parents["parent_code"]),
    })
    edges = edges[(edges["parent"] != "") & (edges["child"] != "") & (edges["child"] != edges["parent"])]
    edges = edges.drop_duplicates().reset_index(drop=True)
    if edges.empty or values.empty:
        return pd.DataFrame(columns=_ROLLUP_COLUMNS)
    # Output parent codes in the caller's spelling.
    original = dict(zip(_norm_codes(parents["code"]), parents["code"]))
    original.update({k: v for k, v in zip(_norm_codes(parents["parent_code"]), parents["parent_code"])
                     if k not in original})

    reported = pd.DataFrame({
        "node": _norm_codes(values["unit_code"]),
        "indicator_code": values["indicator_code"].to_numpy(),
        "t": pd.to_numeric(values["t"], errors="coerce").to_numpy(dtype=float),
        "numerator": pd.to_numeric(values["numerator"], errors="coerce").to_numpy(dtype=float),
        "denominator": pd.to_numeric(values["denominator"], errors="coerce").to_numpy(dtype=float),
    })
    reported = reported.drop_duplicates(["node", "indicator_code", "t"], keep="last")
    keys = ["node", "indicator_code", "t"]

    children_of: dict[str, list[str]] = {}
    for child, parent in zip(edges["child"], edges["parent"]):
        children_of.setdefault(parent, []).append(child)
    heights = _heights(children_of)

    rolled: list[pd.DataFrame] = []
    for h in sorted(set(heights.values())):
        level_edges = edges[edges["parent"].map(heights) == h]
        # A child's figure: its own roll-up when at least one of its children was used, else its
        # own reported row, else its empty roll-up (which counts as missing).
        parts = [reported.assign(_prio=1)]
        if rolled:
            done = pd.concat(rolled, ignore_index=True).rename(columns={"unit_code": "node"})[
                keys + ["numerator", "denominator", "children"]]
            parts.append(done.assign(_prio=np.where(done["children"] > 0, 0, 2)).drop(columns="children"))
        figures = (pd.concat(parts, ignore_index=True).sort_values("_prio", kind="stable")
                   .drop_duplicates(keys, keep="first").drop(columns="_prio"))
        present = figures.merge(level_edges, left_on="node", right_on="child")[
            ["parent", "indicator_code", "t"]].drop_duplicates()
        if present.empty:
            continue
        grid = present.merge(level_edges, on="parent").merge(
            figures, left_on=["child", "indicator_code", "t"], right_on=keys, how="left")
        ok = grid["numerator"].notna() & grid["denominator"].notna()
        grid = grid.assign(
            numerator=grid["numerator"].where(ok), denominator=grid["denominator"].where(ok),
            _used=ok.astype(int), _missing=(~ok).astype(int))
        agg = grid.groupby(["parent", "indicator_code", "t"], sort=True).agg(
            numerator=("numerator", "sum"), denominator=("denominator", "sum"),
            children=("_used", "sum"), missing_children=("_missing", "sum")).reset_index()
        none_used = agg["children"] == 0
        agg.loc[none_used, ["numerator", "denominator"]] = np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            agg["value"] = np.where(agg["denominator"] > 0, 100.0 * agg["numerator"] / agg["denominator"], np.nan)
        rolled.append(agg.rename(columns={"parent": "unit_code"}))

    if not rolled:
        return pd.DataFrame(columns=_ROLLUP_COLUMNS)
    out = pd.concat(rolled, ignore_index=True)[_ROLLUP_COLUMNS]
    out = out.sort_values(["t", "unit_code"], kind="stable").reset_index(drop=True)
    out["unit_code"] = out["unit_code"].map(lambda c: original.get(c, c))
    out["children"] = out["children"].astype(int)
    out["missing_children"] = out["missing_children"].astype(int)
    return out
