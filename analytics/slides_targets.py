"""The targets slide of a deck: the targets of a scope at risk or off track, as a table and as charts (by target
and, for one target, by unit).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import frames as fr
from analytics import labels as lb
from analytics import progress as prog
from analytics import targets as tg
from analytics import units as un
from analytics.meeting import (
    DISTRICT_LEVELS,
    MAX_COMMUNES,
    MAX_TARGETS,
    RISK,
    Chart,
    Inputs,
    Kpi,
    Scope,
    Slide,
    chart_frame,
    full,
    slide_filters,
    unit_names,
    unit_text,
)
from catalogue import LEVELS, PROGRESS_STATUSES, UI
from formats import MISSING, PERCENT_SUFFIX, fmt_int, fmt_number


# --- targets -----------------------------------------------------------------------------------
def targets_in_scope(inp: Inputs, scope: Scope) -> pd.DataFrame:
    """The assessed targets a deck judges: all of them for the province; for a district, the district's
    own plan targets and every province-wide target of the horizons, judged on the district's figures."""
    a = inp.assessed
    if scope.kind != "district" or a.empty:
        return a
    own = a[a["scope_unit_code"].map(lambda s: isinstance(s, str) and s == scope.code)]
    wide = a[a["scope_unit_code"].map(lambda s: not (isinstance(s, str) and s)) & a["year"].isin(tg.HORIZONS)
             & a["level"].isin(DISTRICT_LEVELS)]
    wide = wide[~wide.set_index(["indicator_code", "level", "year"]).index.isin(
        own.set_index(["indicator_code", "level", "year"]).index)]
    if not wide.empty:
        frame = pd.DataFrame({"target_id": wide["id"].to_numpy(), "indicator_code": wide["indicator_code"].to_numpy(),
                              "unit_code": scope.code, "level": wide["level"].to_numpy(), "year": wide["year"].to_numpy(),
                              "spec": wide["spec"].to_numpy(), "direction": wide["direction"].to_numpy(),
                              "unit": wide["unit"].to_numpy()})
        res = prog.assess_frame(frame, inp.series[["indicator_code", "unit_code", "t", "value", "numerator", "denominator"]],
                                prog.quarter_to_t(inp.year, inp.quarter))
        cols = [c for c in ("status", "observed", "observed_at", "required_now", "target_value", "projected", "ratio",
                            "note", "base_value", "base_at") if c in res]
        wide = wide.drop(columns=cols).reset_index(drop=True)
        wide = pd.concat([wide, res[cols].reset_index(drop=True)], axis=1)
        wide["subject"] = scope.code
    return pd.concat([own, wide], ignore_index=True)


def _sense(row: pd.Series) -> int:
    return -1 if row.get("direction") == "down" or row.get("kind") in ("at_most", "rank") else 1


def risky_targets(assessed: pd.DataFrame) -> pd.DataFrame:
    """Targets of the 2025 and 2030 horizons that are off track or at risk: off track first, then the
    furthest below their target (observed / target), then by name."""
    if assessed.empty:
        return assessed
    r = assessed[assessed["year"].isin(tg.HORIZONS) & assessed["status"].isin(RISK)].copy()
    if r.empty:
        return r
    obs, tgt = r["observed"].astype(float), r["target_value"].astype(float)
    sense = r.apply(_sense, axis=1)
    share = np.where(sense > 0, obs / tgt.where(tgt != 0), tgt / obs.where(obs != 0))
    r["_sev"] = r["status"].map({c: i for i, c in enumerate(RISK)})
    r["_share"] = pd.Series(share, index=r.index).fillna(np.inf)
    return r.sort_values(["_sev", "_share", "year", "name"], kind="stable").drop(columns=["_sev", "_share"]) \
        .reset_index(drop=True)


def _where(row: pd.Series, names: dict[str, str], units: pd.DataFrame) -> str:
    """"cấp xã", "Huyện Nghĩa Hưng" or "chung": the level or scope a target is set for."""
    scope = row.get("scope_unit_code")
    if isinstance(scope, str) and scope:
        short_names = dict(zip(units["code"], units["short_name"]))
        place = short_names.get(scope, names.get(scope, scope))
        return f"{place}, {LEVELS[row['level']].label.lower()}" if row["level"] in LEVELS else str(place)
    return lb.level_label(row["level"]).lower()


def _suffix(unit: object) -> str:
    return PERCENT_SUFFIX if unit == "%" else f" {unit}" if isinstance(unit, str) and unit.strip() else ""


def _short_suffix(unit: object) -> str:
    """A unit for a bar's value text: "%" for any percentage ("% điểm tối đa" too), a short unit, or nothing."""
    if not isinstance(unit, str) or not unit.strip():
        return ""
    u = unit.strip()
    return PERCENT_SUFFIX if u.startswith("%") else f" {u}" if len(u) <= 6 else ""


def targets_table(risky: pd.DataFrame, f: fr.Frames) -> pd.DataFrame:
    """The at-risk list: indicator, level or place, horizon, target wording, current, required now, status."""
    names = unit_names(f)
    return pd.DataFrame({
        UI["col_indicator"]: risky["name"].astype(str),
        UI["mt_col_scope"]: [_where(r, names, f.units) for _, r in risky.iterrows()],
        UI["mt_col_year"]: risky["year"].astype(int).astype(str),  # a year, not a number ("2025", never "2.025")
        UI["col_target"]: risky["text"].astype(str),
        UI["col_current"]: [fmt_number(v) + _suffix(u) if not fr.blank(v) else MISSING  # noqa: SLF001
                            for v, u in zip(risky["observed"], risky["unit"])],
        UI["required_now"]: [fmt_number(v) + _suffix(u) if not fr.blank(v) else MISSING  # noqa: SLF001
                             for v, u in zip(risky["required_now"], risky["unit"])],
        UI["col_status"]: risky["status"].map(lb.status_text),
    })


def targets_chart(risky: pd.DataFrame, f: fr.Frames, limit: int = MAX_TARGETS) -> Chart:
    """The worst at-risk targets: the current value as a bar coloured by status, the target as a marker."""
    names = unit_names(f)
    rows = []
    for _, r in risky.head(limit).iterrows():
        e = PROGRESS_STATUSES[r["status"]]
        # two lines: the indicator, then where and when (keeps two levels of one indicator apart)
        label = f"{full(r['name'])}\n({_where(r, names, f.units)}, {int(r['year'])})"
        value = r["observed"] if not fr.blank(r["observed"]) else np.nan  # noqa: SLF001
        suffix = _short_suffix(r["unit"])
        text = f"{e.symbol} {fmt_number(value)}{suffix} / {fmt_number(r['target_value'])}{suffix}"
        rows.append({"label": label, "code": str(int(r["id"])), "series": lb.status_text(r["status"]), "value": value,
                     "colour": e.colour, "text": text, "target": r["target_value"]})
    return Chart("targets", UI["mt_chart_targets"], chart_frame(rows), decimals=1, drill="target",
                 value_title=UI["mt_series_current"])


def target_units_chart(inp: Inputs, target: pd.Series, parent: str, limit: int = MAX_COMMUNES) -> Chart:
    """One target judged for the districts of the province (or the communes of a district), the worst `limit`."""
    f = inp.frames
    units = tg.unit_assessment(f, int(target["id"]), inp.year, inp.quarter, parent, inp.series, inp.map_on)
    sev = {c: i for i, c in enumerate(("off_track", "at_risk", "on_track", "achieved", "no_data"))}
    sense = _sense(target)
    if not units.empty:
        units = units.assign(_s=units["status"].map(sev).fillna(9),
                             _v=sense * units["observed"].astype(float).fillna(np.inf * sense))
        units = units.sort_values(["_s", "_v", "name"], kind="stable").head(limit)
    suffix = _short_suffix(target.get("unit"))
    rows = []
    for _, u in units.iterrows():
        e = PROGRESS_STATUSES.get(u["status"], PROGRESS_STATUSES["no_data"])
        value = u["observed"] if not fr.blank(u["observed"]) else np.nan  # noqa: SLF001
        rows.append({"label": str(u["name"]), "code": str(u["code"]), "series": f"{e.symbol} {e.label}", "value": value,
                     "colour": e.colour, "text": f"{e.symbol} {fmt_number(value)}{suffix}" if not pd.isna(value) else e.symbol,
                     "target": target.get("target_value")})
    drill = "unit" if parent == inp.province else None
    title = unit_text(inp, "mt_chart_target_districts") if parent == inp.province else UI["mt_chart_target_communes"]
    return Chart("target_units", title.format(name=full(target["name"])), chart_frame(rows), decimals=1, drill=drill,
                 value_title=UI["mt_series_current"])


def targets_slide(inp: Inputs, scope: Scope, target: str | None) -> Slide:
    filters = slide_filters(inp, scope)
    assessed = targets_in_scope(inp, scope)
    risky = risky_targets(assessed)
    title = UI["mt_title_targets"]
    if risky.empty:
        return Slide("targets", title, filters, note=UI["mt_no_risk_targets"], unit=scope.code)
    chosen = risky[risky["id"].astype(int).astype(str) == str(target)] if target else risky.iloc[0:0]
    if chosen.empty:  # by default the worst target set for the whole deck whose places report figures
        places = set(un.children(inp.frames.units, inp.frames.parents, scope.code or inp.province, inp.map_on)["code"])
        reported = set(inp.series.loc[inp.series["unit_code"].isin(places), "indicator_code"])
        wide = risky[risky["scope_unit_code"].map(lambda s: not (isinstance(s, str) and s) or s == scope.code)
                     & risky["indicator_code"].isin(reported)]
        chosen = wide if not wide.empty else risky
    picked = chosen.iloc[0]
    # a district's own target is judged commune by commune; a province-wide one district by district
    own = picked.get("scope_unit_code")
    parent = own if isinstance(own, str) and own else scope.code if scope.kind == "district" else inp.province
    charts = (targets_chart(risky, inp.frames), target_units_chart(inp, picked, parent))
    n = {h: int((risky["year"] == h).sum()) for h in tg.HORIZONS}
    ps = PROGRESS_STATUSES
    cards = tuple(Kpi(UI["mt_kpi_risk"].format(year=h), fmt_int(n[h]),
                      UI["mt_note_risk"].format(s1=ps["at_risk"].symbol,
                                                r=int(((risky["year"] == h) & (risky["status"] == "at_risk")).sum()),
                                                s2=ps["off_track"].symbol,
                                                x=int(((risky["year"] == h) & (risky["status"] == "off_track")).sum())),
                      ps["at_risk"].colour, ps["at_risk"].symbol) for h in tg.HORIZONS)
    return Slide("targets", title, filters, (cards,), charts, targets_table(risky, inp.frames), UI["mt_table_targets"], "targets",
                 hint=unit_text(inp, "mt_hint_targets"), unit=scope.code, extra={"target": str(int(picked["id"]))})
