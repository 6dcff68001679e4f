"""Địa bàn: province → district → commune. Every unit coloured by task status (overdue rate) or by progress
against one indicator target, on an offline map and in a table; a click goes one level down."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import counts as cn
from analytics import frames as fr
from analytics import labels as lb
from analytics import targets as tg
from analytics import task_views as tv
from analytics import units as un
from catalogue import AREAS, PROGRESS_STATUSES, TASK_STATUSES, UI
from components import counts as count_links
from components import data, exporting, figures, filters, page, ui
from formats import fmt_date, fmt_int, fmt_percent, fmt_quarter, unit_suffix
from components.frame import ensure
from quarter import Quarter

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

MODES = {"tasks": "by_tasks", "indicator": "by_indicator"}


def _drill_from(units: pd.DataFrame, map_event, table_event, key: str) -> None:  # noqa: ANN001
    """Go one level down when a unit was clicked on the map or selected in the table: a district shows its
    communes, a commune opens its own page."""
    picked = ui.picked_point(map_event, f"{key}_map")
    row = ui.picked_row(table_event, f"{key}_table")
    if row is not None:
        picked = str(units.iloc[row]["code"])
    if picked in set(units["code"]):
        filters.drill(unit=picked)


def _tasks_model(status: pd.DataFrame, f: fr.Frames, parent: str, on, area: str):  # noqa: ANN001, ANN202
    """The units under `parent` with their lead outputs' overdue rate: (units, map, table as shown)."""
    units = tv.area_units(status, f.units, f.parents, parent, on, area or None)
    if units.empty:
        return units, None, None
    buckets = tv.overdue_buckets()
    labels = {c: lab for c, (lab, _col) in buckets.items()}
    colours = {c: col for c, (_lab, col) in buckets.items()}
    units = units.assign(overdue_pct=100 * units["overdue_rate"])
    fig = data.by_content(figures.unit_map, units, "bucket", labels, colours, value_col="overdue_pct",
                          unit=UI["unit_overdue_pct"])
    show = pd.DataFrame({
        UI["col_unit"]: units["name"],
        UI["col_total_occ"]: units["total"].map(fmt_int),
        UI["col_done_total"]: units["done_total"].map(fmt_int),
        UI["col_overdue"]: units["overdue"].map(fmt_int),
        UI["col_overdue_rate"]: units["overdue_pct"].map(lambda v: fmt_percent(v, 1)),
        UI["col_bucket"]: units["bucket"].map(labels),
    })
    return units, fig, show


def _indicator_model(f: fr.Frames, target: pd.Series, year: int, quarter: int, parent: str, series: pd.DataFrame,
                     map_on=None):  # noqa: ANN001, ANN202
    """The units under `parent` (on the map of `map_on`) judged against one target: (units, map, table as shown)."""
    units = tg.unit_assessment(f, int(target["id"]), year, quarter, parent, series, map_on)
    if units.empty or units["observed"].isna().all():
        return units, None, None
    labels = {c: lb.status_text(c) for c in PROGRESS_STATUSES}
    colours = {c: e.colour for c, e in PROGRESS_STATUSES.items()}
    u = target["unit"]
    fig = data.by_content(figures.unit_map, units, "status", labels, colours, value_col="observed", unit=unit_suffix(u))
    show = pd.DataFrame({
        UI["col_unit"]: units["name"],
        UI["col_current"]: units["observed"].map(lambda v: lb.fmt_value(v, u)),
        UI["required_now"]: units["required_now"].map(lambda v: lb.fmt_value(v, u)),
        UI["col_status"]: units["status"].map(labels),
    })
    return units, fig, show


def _tasks_view(f: fr.Frames, p: Quarter, d: un.Drill, area: str, key: str, where: dict[str, str],
                current_map: bool) -> None:
    """Units coloured by the overdue rate of their agencies' lead outputs."""
    parent, on = d.parent, d.map_on
    status = data.status_on_map(p.year, p.quarter, current_map)
    if status.empty:
        ui.empty(UI["no_data_quarter"])
        return
    units, fig, show = data.memo((p.year, p.quarter, parent, area, on), _tasks_model, status, f, parent, on, area)
    if units.empty:
        ui.empty(UI["no_units"])
        return
    left, right = st.columns([1, 1])
    title = f"{UI['page_areas']}: {UI['by_tasks']}"
    with left:
        map_ev = exporting.chart(fig, f"{key}_map", title, where, on_select=True)
    drill = True
    with right:
        table_ev = exporting.table(show, f"{key}_table", title, where, f"dia-ban-tien-do-{p.key}",
                                   memo=(p.year, p.quarter, parent, area, on),
                                   colours={UI["col_bucket"]: dict(tv.overdue_buckets().values())}, hide_index=True,
                                   width="stretch", height=min(560, 38 + 35 * len(show)),
                                   on_select="rerun" if drill else "ignore", selection_mode="single-row",
                                   column_config={UI["col_unit"]: st.column_config.TextColumn(width="medium")})
    if drill:
        _drill_from(units, map_ev, table_ev, key)


def _indicator_view(f: fr.Frames, p: Quarter, d: un.Drill, target: pd.Series, key: str,
                    where: dict[str, str]) -> None:
    """Units coloured by their progress against one target."""
    parent = d.parent
    units, fig, show = data.memo((p.year, p.quarter, parent, int(target["id"]), d.map_on), _indicator_model, f, target,
                                 p.year, p.quarter, parent, data.series(p.year, p.quarter), d.map_on)
    if units.empty:
        ui.empty(UI["no_units"])
        return
    st.caption(UI["target_line"].format(text=target["text"], year=int(target["year"])))
    if fig is None:
        ui.empty(UI["no_unit_values"])
        return
    left, right = st.columns([1, 1])
    title = f"{target['name']}: {target['text']} ({int(target['year'])})" if "name" in target else UI["page_areas"]
    where = where | {UI["filter_level"]: lb.level_label(target["level"]),
                     UI["filter_horizon"]: UI["col_target_year"].format(year=int(target["year"]))}
    with left:
        map_ev = exporting.chart(fig, f"{key}_map", title, where, on_select=True)
    drill = True
    with right:
        table_ev = exporting.table(show, f"{key}_table", title, where, f"dia-ban-chi-tieu-{p.key}",
                                   memo=(p.year, p.quarter, parent, int(target["id"]), d.map_on),
                                   colours={UI["col_status"]: lb.status_colours()}, hide_index=True, width="stretch",
                                   on_select="rerun" if drill else "ignore", selection_mode="single-row",
                                   height=min(560, 38 + 35 * len(show)))
    if drill:
        _drill_from(units, map_ev, table_ev, key)


def _overdue_model(status: pd.DataFrame, parents: pd.DataFrame, unit: str, on, area: str):  # noqa: ANN001, ANN202
    """A district's overdue lead outputs: (bars by lead agency, table as shown), or None when there is none."""
    rows = tv.unit_overdue(status, parents, unit, on)
    if area:
        rows = rows[rows["area_code"].fillna("") == area]
    if rows.empty:
        return None
    counts = tv.count_by(rows, "agency_name")
    return figures.count_bars(counts, "agency_name", "n", TASK_STATUSES["overdue"].colour), pd.DataFrame({
        UI["col_due"]: rows["due_date"].map(fmt_date),  # first, never cut: the long output name pushed it out of view
        UI["col_lead"]: rows["agency_name"],
        UI["col_output"]: rows["output"],
        UI["col_plan"]: rows["plan_number"],
    })


def _overdue_block(f: fr.Frames, p: Quarter, unit: str, area: str, where: dict[str, str], on,
                   current_map: bool) -> None:  # noqa: ANN001
    """A district's or a commune's overdue lead outputs, by lead agency."""
    model = data.memo((p.year, p.quarter, unit, area, on), _overdue_model, data.status_on_map(p.year, p.quarter, current_map),
                      f.parents, unit, on, area)
    st.markdown(f"#### {UI['overdue_by_agency']}")
    if model is None:
        st.success(UI["no_overdue"])
        return
    fig, rows = model
    left, right = st.columns([2, 3])
    with left:
        exporting.chart(fig, "area_overdue_bars", UI["overdue_by_agency"], where)
    with right:
        exporting.table(rows, "area_overdue_table", UI["overdue_by_agency"], where, f"qua-han-{unit}-{p.key}", hide_index=True,
            width="stretch", height=min(520, 38 + 35 * len(rows)),
            column_config={UI["col_due"]: ui.date_column(), UI["col_lead"]: st.column_config.TextColumn(width="medium")})


def _choose_target(f: fr.Frames, p: Quarter, bar: list, current_map: bool = False) -> pd.Series | None | bool:
    """Indicator, level and horizon selectors; the chosen target row, None without one, False without any target."""
    assessed = data.assessed(p.year, p.quarter)
    table = data.memo((p.year, p.quarter, current_map), tg.map_targets, data.target_overview(p.year, p.quarter, current_map))
    if table.empty:
        ui.empty(UI["no_targets"])
        return False
    codes = list(dict.fromkeys(table["indicator_code"]))
    names = dict(zip(table["indicator_code"], table["name"]))
    indicator = filters.choose("indicator", UI["filter_indicator"], codes, lambda c: names.get(c, c), codes[0], bar[2])
    rows = table[table["indicator_code"] == indicator]
    keys = [tg.target_key_of(lv, "") for lv in rows["level"]]
    level, _scope = tg.parse_target_key(
        filters.choose("target", UI["filter_level"], keys, lb.level_label, keys[0], bar[3]))
    horizons = tg.horizons_of(rows[rows["level"] == level].iloc[0])
    if not horizons:
        return None
    horizon = filters.choose("year", UI["filter_horizon"], horizons, lambda y: UI["col_target_year"].format(year=y),
                             horizons[0], bar[4])
    return tg.find_target(assessed, indicator, level, "", int(horizon))


def main() -> None:
    """The page."""
    bar = st.columns([1.4, 1, 1, 1, 1])  # the first holds the period and the map toggle, whose label needs room
    ctx = page.start("page_areas", container=bar[0], on_todays_map=True)
    if ctx is None:
        return
    p = ctx.period
    f = data.frames()
    by = filters.choose("by", UI["filter_by"], list(MODES), lambda m: UI[MODES[m]], "tasks", bar[1])

    target = None
    area = ""
    if by == "indicator":
        target = _choose_target(f, p, bar, ctx.current_map)
        if target is False:
            return
    else:
        area = filters.choose("area", UI["filter_area"], ["", *AREAS], lambda c: UI["filter_all"] if c == "" else AREAS[c].label,
                              "", bar[2])

    unit = filters.param("unit")
    d = data.drill(unit, p.year, p.quarter, ctx.current_map)
    shown = d.focus or d.parent
    path = data.memo((shown, d.map_on), un.unit_path, f.units, f.parents, shown, d.map_on)
    head, back = st.columns([4, 1])
    head.markdown(f"### {ui.breadcrumb(path)} · {fmt_quarter(p.year, p.quarter)}")
    if ctx.current_map:
        st.caption(UI["map_now_caption"])
    if d.focus is not None or d.parent != d.province:
        up = d.parent if d.focus is not None and d.parent != d.province else None
        label = UI["back_to_district"].format(name=path[-2][1]) if up and len(path) > 1 else UI["back_to_province"]
        if back.button(label, key="area_back", icon=":material/arrow_upward:"):
            filters.drill(unit=up)
    elif d.unknown:
        ui.empty(UI["unit_not_found" if data.memo((d.province, d.map_on), un.has_districts, f, d.province, d.map_on) else "unit_not_found_any"]
                 .format(code=unit))
    else:
        st.caption(UI["click_to_drill"] if data.memo((d.province, d.map_on), un.has_districts, f, d.province, d.map_on) else UI["click_to_drill_commune"])

    area_label = (AREAS[area].label if area in AREAS else UI["filter_all"]) if by == "tasks" else None
    where = page.export_filters(p, unit_name=path[-1][1] if path else page.province_name(p, ctx.current_map),
                                area_label=area_label, extra={UI["filter_map"]: UI["map_now"]} if ctx.current_map else None)
    if d.focus is not None:  # one commune: where it came from or went, and its overdue outputs
        for line in data.memo((d.focus,), un.unit_lineage, f, d.focus):
            st.info(line, icon=":material/account_tree:")
        _overdue_block(f, p, d.focus, area, where, d.map_on, ctx.current_map)
        return
    for line in data.memo((d.parent,), un.unit_lineage, f, d.parent) if d.parent != d.province else []:
        st.caption(line)
    key = f"area_{by}_{d.parent}"
    if by == "indicator":
        if target is None:
            ui.empty(UI["no_horizon_target"])
        else:
            _indicator_view(f, p, d, target, key, where)
    else:
        _tasks_view(f, p, d, area, key, where, ctx.current_map)
    if d.parent != d.province:
        _count_links(p, d.parent, area, path[-1][1] if path else d.parent)
        _overdue_block(f, p, d.parent, area, where, d.map_on, ctx.current_map)


def _count_links(p: Quarter, unit: str, area: str, name: str) -> None:
    """The opened unit's own counts (its agencies and everything below it), each opening its rows on Nhiệm vụ."""
    scope = cn.Scope(unit=unit, area=area or None)
    k = data.memo((p.year, p.quarter, unit, area, "counts"), cn.count, data.status(p.year, p.quarter), scope,
                  data.frames().parents, p.end)
    st.markdown(f"#### {name}")
    count_links.links([(UI[cn.MEASURES[m].label], fmt_int(k[m]), cn.link_params(p.key, m, scope))
                       for m in ("total", "done_total", "overdue")], f"area_{unit}")


main()
