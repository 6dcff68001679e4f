"""Chỉ tiêu 2025 / 2030: every target with its current value, both horizons and a trend; a row opens the
indicator (history against the trajectories), its districts, then a district's communes."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import frames as fr
from analytics import labels as lb
from analytics import series as sr
from analytics import targets as tg
from analytics import units as un
from analytics.progress import quarter_to_t, t_to_label
from catalogue import AREAS, PROGRESS_STATUSES, UI
from components import data, exporting, figures, filters, page, ui
from formats import fmt_quarter, unit_suffix
from components.frame import ensure
from quarter import Quarter

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

STATUS_COLOURS = lb.status_colours(PROGRESS_STATUSES)
STATUS_LABELS = {c: lb.status_text(c) for c in PROGRESS_STATUSES}
STATUS_HEX = {c: e.colour for c, e in PROGRESS_STATUSES.items()}


def _row_title(r: pd.Series, names: dict[str, str]) -> str:
    scope = f" · {names.get(r['scope'], r['scope'])}" if r["scope"] else ""
    return f"{r['name']} ({lb.level_label(r['level'])}{scope})"


def _show(rows: pd.DataFrame, names: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets table as shown (with a trend line per row) and as exported (without)."""
    show = pd.DataFrame({
        UI["col_indicator"]: rows["name"] + rows["scope"].map(lambda s: f" · {names.get(s, s)}" if s else ""),
        UI["col_level"]: rows["level"].map(lb.level_label),
        UI["col_current"]: [lb.fmt_value(v, u) for v, u in zip(rows["current"], rows["unit"])],
        UI["col_trend"]: rows["history"],
    })
    for h in tg.HORIZONS:
        show[UI["col_target_year"].format(year=h)] = rows[f"text_{h}"].fillna("")
        show[UI["col_required_year"].format(year=h)] = [lb.fmt_value(v, u) if pd.notna(v) else "" for v, u in
                                                       zip(rows[f"target_{h}"], rows["unit"])]
        show[UI["col_status_year"].format(year=h)] = rows[f"status_{h}"].map(lambda c: STATUS_LABELS.get(c, ""))
    return show, show.drop(columns=[UI["col_trend"]])


def _table(shown: tuple[pd.DataFrame, pd.DataFrame], opened: int | None, where: dict[str, str],
           p: Quarter) -> int | None:
    """The targets table (as shown, as exported); returns the row position the user has just selected."""
    show, export = shown
    colours = {UI["col_status_year"].format(year=h): STATUS_COLOURS for h in tg.HORIZONS}
    ui.preselect("tgt_table", opened)
    event = exporting.table(
        show, "tgt_table", UI["page_targets"], where, f"chi-tieu-{p.key}", colours=colours,
        export=export, on_select="rerun", selection_mode="single-row", hide_index=True,
        width="stretch", height=min(560, 38 + 35 * len(show)),
        column_config={
            UI["col_indicator"]: st.column_config.TextColumn(width="large"),
            UI["col_trend"]: st.column_config.LineChartColumn(width="small"),
            **{UI["col_target_year"].format(year=h): st.column_config.TextColumn(width="medium") for h in tg.HORIZONS},
        })
    return ui.picked_row(event, "tgt_table")


def _units_model(f: fr.Frames, target: pd.Series, year: int, quarter: int, parent: str, series: pd.DataFrame,
                 unit_label: object, map_on=None):  # noqa: ANN001, ANN202
    """Child units of `parent` (on the map of `map_on`) judged against one target: (units, bars, map, table as
    shown); no figures when there are no units or no values."""
    units = tg.unit_assessment(f, int(target["id"]), year, quarter, parent, series, map_on)
    if units.empty or (units["status"].eq("no_data").all() and units["observed"].isna().all()):
        return units, None, None, None
    unit = unit_suffix(unit_label)
    labels = {c: STATUS_LABELS[c] for c in PROGRESS_STATUSES}
    bars = figures.unit_bars(units, "observed", "status", labels, STATUS_HEX, unit,
                             reference=target.get("required_now"), reference_label=UI["required_now"])
    unit_map = figures.unit_map(units, "status", labels, STATUS_HEX, value_col="observed", unit=unit)
    show = pd.DataFrame({
        UI["col_unit"]: units["name"],
        UI["col_current"]: units["observed"].map(lambda v: lb.fmt_value(v, unit_label)),
        UI["required_now"]: units["required_now"].map(lambda v: lb.fmt_value(v, unit_label)),
        UI["col_projected"]: units["projected"].map(lambda v: lb.fmt_value(v, unit_label)),
        UI["col_status"]: units["status"].map(STATUS_LABELS),
    })
    return units, bars, unit_map, show


def _units_block(f: fr.Frames, target: pd.Series, p: Quarter, parent: str, key: str, unit_label: object,
                 title: str, where: dict[str, str], map_on=None) -> None:  # noqa: ANN001
    """Child units of `parent` judged against one target: bars and a map (click = drill down) and a table;
    `title` and `where` (the filters) go onto their exports."""
    units, bars, unit_map, show = data.memo((p.year, p.quarter, parent, int(target["id"]), map_on), _units_model, f,
                                            target, p.year, p.quarter, parent, data.series(p.year, p.quarter),
                                            unit_label, map_on)
    if units.empty:
        ui.empty(UI["no_units"])
        return
    if bars is None:
        ui.empty(UI["no_unit_values"])
        return
    drill = units["level"].eq("district").any()
    left, right = st.columns([3, 2])
    with left:
        ev = exporting.chart(bars, f"{key}_bars", title, where, on_select=True)
        picked = ui.picked_point(ev, f"{key}_bars")
    with right:
        ev2 = exporting.chart(unit_map, f"{key}_map", title, where, on_select=True)
        picked = ui.picked_point(ev2, f"{key}_map") or picked
    event = exporting.table(show, f"{key}_table", title, where, exporting.slug(title, "don-vi"),
                            colours={UI["col_status"]: STATUS_COLOURS}, hide_index=True, width="stretch",
                            on_select="rerun" if drill else "ignore", selection_mode="single-row")
    row = ui.picked_row(event, f"{key}_table") if drill else None
    if row is not None:
        picked = str(units.iloc[row]["code"])
    if drill and picked in set(units["code"]):
        filters.drill(unit=picked)


def _detail(f: fr.Frames, assessed: pd.DataFrame, values: pd.DataFrame, row: pd.Series, p: Quarter,
            names: dict[str, str], current_map: bool = False) -> None:
    """One target row opened: cards, history against the trajectories, then its units."""
    title = _row_title(row, names)
    st.subheader(title)
    cards = [(UI["col_current"], lb.fmt_value(row["current"], row["unit"]),
              t_to_label(row["current_at"]) if pd.notna(row["current_at"]) else UI["no_data"], "#0072B2")]
    for h in tg.HORIZONS:
        if row[f"text_{h}"]:
            code = row[f"status_{h}"]
            cards.append((UI["col_target_year"].format(year=h), row[f"text_{h}"], STATUS_LABELS.get(code, ""),
                          STATUS_HEX.get(code)))
    ui.kpi_cards(cards)
    trend = data.memo((p.year, p.quarter, row["key"]), _trend, assessed, values, row, quarter_to_t(p.year, p.quarter))
    exporting.chart(trend, "tgt_trend", title,
                    page.export_filters(p, unit_name=names.get(row["scope"]) if row["scope"] else None))

    horizons = tg.horizons_of(row)
    if not horizons:
        return
    horizon = filters.choose("year", UI["filter_horizon"], horizons, lambda y: UI["col_target_year"].format(year=y),
                             horizons[0], st.columns(4)[0])
    target = tg.find_target(assessed, row["indicator_code"], row["level"], row["scope"], int(horizon))
    if target is None:
        return
    scope = row["scope"]
    d = data.drill(filters.param("unit"), p.year, p.quarter, current_map)
    unit = d.parent
    place = names.get(scope, scope) if scope else names.get(unit, page.province_name(p, current_map))
    where = page.export_filters(p, unit_name=place, extra={UI["filter_horizon"]: UI["col_target_year"].format(year=horizon)})
    if scope:  # a unit's own target: its communes directly
        st.markdown(f"#### {UI['units_of'].format(name=names.get(scope, scope))}")
        _units_block(f, target, p, scope, "tgt_scope", row["unit"], title, where)
        return
    if unit != d.province:
        path = un.unit_path(f.units, f.parents, unit, d.map_on)
        c1, c2 = st.columns([4, 1])
        c1.markdown(f"#### {ui.breadcrumb(path)}")
        if c2.button(UI["back_to_province"], key="tgt_back", icon=":material/arrow_upward:"):
            filters.drill(unit=None)
        _units_block(f, target, p, unit, f"tgt_communes_{unit}", row["unit"], title, where, d.map_on)
    elif data.memo((d.province, d.map_on), un.has_districts, f, d.province, d.map_on):
        st.markdown(f"#### {UI['by_district']}")
        st.caption(UI["click_to_drill"])
        _units_block(f, target, p, d.province, "tgt_districts", row["unit"], title, where, d.map_on)
    else:  # the 2025 map: the province's communes directly
        st.markdown(f"#### {UI['units_of'].format(name=names.get(d.province, d.province))}")
        _units_block(f, target, p, d.province, "tgt_communes", row["unit"], title, where, d.map_on)


def _trend(assessed: pd.DataFrame, values: pd.DataFrame, row: pd.Series, as_of: float):  # noqa: ANN202
    """One target key's history against its trajectories and targets."""
    stars, lines = tg.chart_lines(tg.key_rows(assessed, row["indicator_code"], row["level"], row["scope"]))
    hist = sr.subject_history(values, row["indicator_code"], row["subject"], as_of)
    return figures.trend(hist, stars, lines, unit=unit_suffix(row["unit"]))


def _unit_names(units: pd.DataFrame) -> dict[str, str]:
    return dict(zip(units["code"], units["name"]))


def _choices(table: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The levels and the reform areas that have targets (the filters' options)."""
    present_levels, present_areas = set(table["level"]), set(table["area_code"])
    return ([lv for lv in ("all", "province", "district", "commune") if lv in present_levels],
            [c for c in AREAS if c in present_areas])


def main() -> None:
    """The page."""
    bar = st.columns(4)
    ctx = page.start("page_targets", container=bar[0], on_todays_map=True)
    if ctx is None:
        return
    p = ctx.period
    assessed = data.assessed(p.year, p.quarter)
    if assessed.empty:
        ui.empty(UI["no_targets"])
        return
    f = data.frames()
    names = data.memo((), _unit_names, f.units)
    values = data.subject_values(p.year, p.quarter)
    table = data.target_overview(p.year, p.quarter, ctx.current_map)
    if ctx.current_map:
        st.caption(UI["map_now_caption"])

    levels, area_codes = data.memo((p.year, p.quarter), _choices, table)
    level = filters.choose("level", UI["filter_level"], ["", *levels],
                           lambda c: UI["filter_all"] if c == "" else lb.level_label(c), "", bar[1])
    area = filters.choose("area", UI["filter_area"], ["", *area_codes],
                          lambda c: UI["filter_all"] if c == "" else AREAS[c].label, "", bar[2])
    shown = data.memo((p.year, p.quarter, level, area), tg.filter_targets, table, level, area)
    indicator = filters.param("indicator")
    opened = tg.open_row(shown, indicator, filters.param("target"))
    st.caption(UI["targets_caption"].format(period=fmt_quarter(p.year, p.quarter), n=len(shown),
                                            **{f"risk_{h}": tg.behind(shown, h) for h in tg.HORIZONS}))
    if shown.empty:
        ui.empty(UI["no_targets_filter"])
        return
    where = page.export_filters(p, unit_name=page.province_name(p, ctx.current_map),
                                area_label=AREAS[area].label if area in AREAS else UI["filter_all"],
                                extra={UI["filter_level"]: lb.level_label(level) if level else UI["filter_all"]})
    picked = _table(data.memo((p.year, p.quarter, level, area), _show, shown, names), opened, where, p)
    if picked is not None:
        r = shown.iloc[picked]
        filters.drill(indicator=r["indicator_code"], target=tg.target_key_of(r["level"], r["scope"]), unit=None)
    if indicator and opened is None:
        ui.empty(UI["indicator_not_found"].format(code=indicator))
    if opened is not None:
        _detail(f, assessed, values, shown.iloc[opened], p, names, ctx.current_map)
    else:
        st.caption(UI["pick_a_row"])


main()
