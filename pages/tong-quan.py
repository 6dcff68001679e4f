"""Tổng quan: where we stand this quarter — outputs on time, indicators against 2025/2030, areas behind, changes."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import counts as cn
from analytics import labels as lb
from analytics import targets as tg
from analytics import tasks as tk
from catalogue import PROGRESS_STATUSES, TASK_STATUSES, UI
from components import counts as count_links
from components import data, exporting, figures, page, ui
from components.nav import go
from formats import fmt_int, fmt_number, fmt_percent, fmt_quarter
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead


def _change_summary(prev_status: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """How many lead assignments moved from one status to another since the previous quarter (empty: none did)."""
    ch = tk.changes(prev_status[prev_status["role"] == "lead"], status[status["role"] == "lead"])
    if ch.empty:
        return pd.DataFrame()
    ch["from"] = ch["status_prev"].map(lambda c: TASK_STATUSES[c].label if c in TASK_STATUSES else UI["ov_new"])
    ch["to"] = ch["status_curr"].map(lambda c: TASK_STATUSES[c].label if c in TASK_STATUSES else c)
    summary = ch.groupby(["from", "to"]).size().reset_index(name="n").sort_values("n", ascending=False)
    return summary.rename(columns={"from": UI["ov_col_from"], "to": UI["ov_col_to"], "n": UI["ov_col_count"]})


def _risky(assessed: pd.DataFrame) -> pd.DataFrame:
    """The 2025 and 2030 targets at risk or off track (empty: none)."""
    risky = assessed[assessed["status"].isin(["at_risk", "off_track"]) & assessed["year"].isin([2025, 2030])]
    return pd.DataFrame({
        UI["col_indicator"]: risky["name"], UI["col_level"]: risky["level"].map(lb.level_label),
        UI["ov_col_year"]: risky["year"].astype(int), UI["col_target"]: risky["text"],
        UI["col_current"]: risky["observed"].map(fmt_number),
        UI["col_status"]: risky["status"].map(lambda c: f"{PROGRESS_STATUSES[c].symbol} {PROGRESS_STATUSES[c].label}"),
    })


cols = st.columns([1, 3])
ctx = page.start("page_overview", container=cols[0], on_todays_map=True)
if ctx is not None:
    p = ctx.period
    # on today's map the work of ended agencies is their heirs' (the province's totals are the same on both maps)
    status = data.status_on_map(p.year, p.quarter, ctx.current_map)
    prev = p.previous()
    prev_status = data.status_on_map(prev.year, prev.quarter, ctx.current_map)
    k = data.task_kpis(p.year, p.quarter) if not status.empty else {}
    kp = data.task_kpis(prev.year, prev.quarter) if not prev_status.empty else {}
    assessed = data.assessed(p.year, p.quarter)
    k25 = data.memo((p.year, p.quarter, 2025), tg.indicator_kpis, assessed, 2025)
    k30 = data.memo((p.year, p.quarter, 2030), tg.indicator_kpis, assessed, 2030)
    where = page.export_filters(p, unit_name=page.province_name(p, ctx.current_map))
    if ctx.current_map:
        st.caption(UI["map_now_caption"])
    st.caption(UI["ov_scope"].format(period=fmt_quarter(p.year, p.quarter), prev=fmt_quarter(prev.year, prev.quarter)))

    def delta(key: str) -> str | None:
        if not k or not kp or pd.isna(k.get(key)) or pd.isna(kp.get(key)):
            return None
        d = k[key] - kp[key]
        return f"{'+' if d >= 0 else ''}{fmt_percent(100 * d, 1) if key == 'on_time_rate' else fmt_int(d)} {UI['kpi_vs_prev']}"

    if k:
        ui.kpi_cards([
            (UI["kpi_on_time"], fmt_percent(100 * k["on_time_rate"], 0) if not pd.isna(k["on_time_rate"]) else "–",
             delta("on_time_rate"), TASK_STATUSES["done"].colour),
            (UI["cnt_done_total"], fmt_int(k["done_total"]), delta("done_total"), TASK_STATUSES["done"].colour),
            (UI["cnt_overdue"], fmt_int(k["overdue"]), delta("overdue"), TASK_STATUSES["overdue"].colour),
            (UI["kpi_targets_2025"], UI["ov_targets_value"].format(good=k25["achieved"] + k25["on_track"], total=sum(k25.values())),
             UI["ov_targets_note"].format(**k25), PROGRESS_STATUSES["at_risk"].colour),
            (UI["kpi_targets_2030"], UI["ov_targets_value"].format(good=k30["achieved"] + k30["on_track"], total=sum(k30.values())),
             UI["ov_targets_note"].format(**k30), PROGRESS_STATUSES["on_track"].colour),
        ])
        st.caption(UI["cnt_note_done"].format(total=fmt_int(k["total"]), outputs=fmt_int(k["outputs_total"]))
                   + " · " + UI["cnt_help"])
        count_links.links([(UI["cnt_done"], fmt_int(k["done"]), cn.link_params(p.key, "done")),
                           (UI["cnt_done_total"], fmt_int(k["done_total"]), cn.link_params(p.key, "done_total")),
                           (UI["cnt_overdue"], fmt_int(k["overdue"]), cn.link_params(p.key, "overdue"))], "ov")
    else:
        ui.empty(UI["no_tasks"])

    left, right = st.columns(2)
    with left:
        st.subheader(UI["areas_behind"])
        if status.empty:
            ui.empty(UI["no_data_quarter"])
        else:
            areas = data.area_rollup(p.year, p.quarter)
            fig = data.figure((p.year, p.quarter, "area"), figures.status_bars, areas, "area")
            event = exporting.chart(fig, "ov_areas", UI["areas_behind"], where, on_select=True)
            points = (event or {}).get("selection", {}).get("points", []) if event else []
            if points:
                label = points[0].get("y")
                code = next((c for c, lab in zip(areas["area_code"], areas["area"]) if lab == label), None)
                if code:  # the bar's lead occurrences of that area (and of the clicked status segment)
                    shown = [c for c in figures._TASK_ORDER if c in areas]  # noqa: SLF001 - the bars' trace order
                    curve = points[0].get("curve_number")
                    status_code = shown[curve] if isinstance(curve, int) and 0 <= curve < len(shown) else None
                    params = count_links.on_map(cn.link_params(p.key, status_code or "total", cn.Scope(area=code)))
                    go(count_links.page_file("nhiem-vu"), **{k: v for k, v in params.items() if k != "period"})
    with right:
        st.subheader(UI["ov_targets_title"])
        if assessed.empty:
            ui.empty(UI["no_targets"])
        else:
            counts = data.figure((p.year, p.quarter), figures.progress_counts, {"2025": k25, "2030": k30})
            exporting.chart(counts, "ov_targets", UI["ov_targets_title"], where)

    show = data.memo((p.year, p.quarter), _risky, assessed) if not assessed.empty else pd.DataFrame()
    if not show.empty:
        # the whole width, under the two charts: in half a screen at 1280 px only the name and two more columns
        # were in view, the current value and the status behind a scroll bar
        st.caption(UI["ov_risky_caption"])
        small = st.column_config.TextColumn(width="small")
        exporting.table(show, "ov_risky", UI["ov_risky_caption"], where, f"chi-tieu-nguy-co-{p.key}", height=260,
                        column_config={UI["col_indicator"]: st.column_config.TextColumn(width="large"),
                                       UI["col_level"]: small, UI["col_target"]: st.column_config.TextColumn(width="medium"),
                                       UI["col_current"]: small, UI["col_status"]: st.column_config.TextColumn(width="medium"),
                                       UI["ov_col_year"]: st.column_config.NumberColumn(width="small", format="%d")})

    st.subheader(UI["changes_since"])
    if status.empty or prev_status.empty:
        ui.empty(UI["no_data_quarter"])
    else:
        summary = data.memo((p.year, p.quarter, ctx.current_map), _change_summary, prev_status, status)
        if summary.empty:
            st.write(UI["ov_no_changes"])
        else:
            exporting.table(summary, "ov_changes", UI["changes_since"], where, f"thay-doi-{p.key}")
