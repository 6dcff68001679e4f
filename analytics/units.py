"""The map of units on a date: the province a view is about, the units under a unit, the drill position of a
view, the breadcrumb and where a unit came from.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from analytics.frames import EPS, Frames, blank, lineage
from catalogue import UI
from formats import fmt_date, fmt_percent
from loaders.reference import reference


# --- the province a view is about and the drill position ------------------------------------
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
                       if share < 1 - EPS else name)
        return ", ".join(dict.fromkeys(out))

    lines = []
    preds = ref.predecessors(code)
    if preds and not blank(row["valid_from"]):
        lines.append(UI["lineage_from"].format(since=fmt_date(row["valid_from"]), names=named(preds)))
    end = ref.end_of(code)
    if end is not None:
        after = end + timedelta(days=1)
        succ = ref.territory_successors(code, after)
        if succ:
            lines.append(UI["lineage_to"].format(since=fmt_date(after), names=named(succ)))
    return lines


# --- the units on a date --------------------------------------------------------------------
def parents_on(parents: pd.DataFrame, on: date) -> pd.DataFrame:
    """code → parent_code valid on a date."""
    p = parents
    ok = (p["valid_from"].isna() | (p["valid_from"] <= on)) & (p["valid_to"].isna() | (p["valid_to"] >= on))
    return p.loc[ok, ["code", "parent_code"]]


def units_on(units: pd.DataFrame, parents: pd.DataFrame, on: date) -> pd.DataFrame:
    """Units that exist on `on`, with their parent then."""
    u = units
    ok = (u["valid_from"].isna() | (u["valid_from"] <= on)) & (u["valid_to"].isna() | (u["valid_to"] >= on))
    p = parents_on(parents, on)
    if not p["code"].is_unique or p["code"].dtype != u["code"].dtype:
        return u[ok].merge(p, on="code", how="left")
    # one parent per unit on a date (the usual case): a positional look-up gives what the left merge gives, cheaper
    out = u[ok].reset_index(drop=True)
    at = pd.Index(p["code"]).get_indexer(out["code"])
    out["parent_code"] = p["parent_code"].array.take(at, allow_fill=True)
    return out


def children(units: pd.DataFrame, parents: pd.DataFrame, code: str, on: date) -> pd.DataFrame:
    """The units directly under `code` on a date (districts of the province, communes of a district)."""
    u = units_on(units, parents, on)
    return u[u["parent_code"] == code].sort_values("name")


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


def district_or_province(units: pd.DataFrame, parents: pd.DataFrame, unit: str | None, on: date) -> str:
    """The unit a view drills into: `unit` when it is a district of the province on that date, else the province."""
    return unit if unit in set(children(units, parents, reference().history_province, on)["code"]) \
        else reference().history_province
