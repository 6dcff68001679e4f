"""Cơ quan chủ trì: every agency's outputs as lead and as partner; an opened agency shows its overdue list,
its outputs per area and its PAR INDEX rank and components."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import counts as cn
from analytics import agencies as ags
from analytics import frames as fr
from analytics import labels as lb
from analytics import ranking_views as rv
from analytics import task_views as tv
from catalogue import PAR_SUBJECTS, RANK_GROUPS, TASK_STATUSES, UI
from components import counts as count_links
from components import data, exporting, figures, filters, page, ui
from formats import fmt_date, fmt_int, fmt_number, fmt_percent, fmt_quarter
from components.frame import ensure
from quarter import Quarter

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

GROUPS = {g: UI[f"agency_group_{g}"] for g in ags.AGENCY_GROUPS}


def _show(rows: pd.DataFrame) -> pd.DataFrame:
    """Every agency with its counts as lead and as partner (as exported)."""
    return pd.DataFrame({
        UI["col_agency"]: [f"{n} ({fm})" if isinstance(fm, str) and fm else n
                           for n, fm in zip(rows["agency_name"], rows.get("formerly", pd.Series("", index=rows.index)))],
        UI["col_group"]: rows["group"].map(GROUPS),
        UI["lead_total"]: rows["total_lead"].astype(int),
        UI["lead_done_total"]: rows["done_total_lead"].astype(int),
        UI["lead_done"]: rows["done_lead"].astype(int),
        UI["lead_done_late"]: rows["done_late_lead"].astype(int),
        UI["lead_overdue"]: rows["overdue_lead"].astype(int),
        UI["col_on_time"]: rows["on_time_rate"].map(lambda v: fmt_percent(100 * v, 0)),
        UI["partner_total"]: rows["total_partner"].astype(int),
        UI["partner_done"]: rows["done_partner"].astype(int),
        UI["partner_done_late"]: rows["done_late_partner"].astype(int),
        UI["partner_overdue"]: rows["overdue_partner"].astype(int),
    })


def _overdue_text(show: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[str, str]]]:
    """The table with its overdue counts as text, and the colour of each count above zero (the overdue colour)."""
    red = TASK_STATUSES["overdue"].colour
    overdue = [UI["lead_overdue"], UI["partner_overdue"]]
    shown = show.astype({c: str for c in overdue})
    return shown, {c: {v: red for v in shown[c].unique() if v != "0"} for c in overdue}


def _table(show: pd.DataFrame, shown: pd.DataFrame, colours: dict[str, dict[str, str]], opened: int | None,
           where: dict[str, str], file_name: str, view: tuple) -> int | None:
    """The agencies table, overdue counts above zero in the overdue colour; returns a newly selected row."""
    ui.preselect("ag_table", opened)
    event = exporting.table(shown, "ag_table", UI["page_agencies"], where, file_name, export=show, memo=view,
                            colours=colours,
                            on_select="rerun", selection_mode="single-row", hide_index=True, width="stretch",
                            height=min(520, 38 + 35 * len(show)),
                            column_config={UI["col_agency"]: st.column_config.TextColumn(width="large")})
    return ui.picked_row(event, "ag_table")


def _par_detail(par: pd.DataFrame, kind: str, subject: str) -> dict | None:
    """The subject's latest PAR INDEX detail, with its components as a figure and as a table."""
    detail = rv.par_detail(par, kind, subject)
    if detail is None:
        return None
    return detail | {"figure": figures.components_vs(detail["components"]),
                     "display": rv.components_display(detail["components"])}


def _agency_model(status: pd.DataFrame, code: str):  # noqa: ANN202
    """One agency's overdue list as shown (None: nothing overdue) and its lead outputs by area (None: none)."""
    over = ags.agency_overdue(status, code)
    # the key columns first (the due date, never cut, and the role): the long output name would push them out of a
    # half-screen table
    listing = None if over.empty else pd.DataFrame({
        UI["col_due"]: over["due_date"].map(fmt_date),
        UI["col_role"]: over["role"].map({"lead": UI["as_lead"], "partner": UI["as_partner"]}),
        UI["col_output"]: (over["output_no"].fillna("").astype(str) + " " + over["output"]).str.strip(),
        UI["col_plan"]: over["plan_number"],
    })
    mine = status[status["agency_code"] == code]
    areas = None if mine.empty or (mine["role"] != "lead").all() else figures.status_bars(tv.area_rollup(mine), "area")
    return listing, areas


def _par_block(f: fr.Frames, code: str, name: str) -> None:
    """The agency's PAR INDEX rank, explanation and components (its latest scored year)."""
    subject = data.memo((code,), ags.par_subject, f.agencies, code)
    st.markdown(f"#### {UI['par_of_agency']}")
    if subject is None:
        ui.empty(UI["par_not_ranked"])
        return
    kind, sc = subject
    detail = data.memo((code,), _par_detail, data.par(), kind, sc)
    if detail is None:
        ui.empty(UI["no_par"])
        return
    r = detail["row"]
    group = RANK_GROUPS.get(r["group"])
    where = page.export_filters(agency_name=name, extra={UI["filter_year"]: str(detail["year"])})
    ui.kpi_cards([
        (UI["par_rank_in"].format(year=detail["year"], kind=PAR_SUBJECTS[kind].label), f"{int(r['rank'])}/{int(r['n'])}",
         lb.rank_arrow(r["rank_change"]) + " " + UI["vs_prev_year"], group.colour if group else None),
        (UI["col_score"], fmt_number(r["score"], 2), lb.signed(r["score_change"], 2) + " " + UI["vs_prev_year"],
         group.colour if group else None),
        (UI["col_group"], group.label if group else "–", fmt_percent(r["pct"], 1) + " " + UI["of_max"],
         group.colour if group else None),
    ])
    st.info(detail["explanation"], icon=":material/lightbulb:")
    left, right = st.columns([1, 1])
    with left:
        exporting.chart(detail["figure"], "ag_components", UI["par_of_agency"], where)
    with right:
        exporting.table(detail["display"], "ag_components_table", UI["par_of_agency"],
                        where, f"chi-so-cchc-{code}-{detail['year']}", hide_index=True, width="stretch")
    st.page_link("pages/xep-hang.py", label=UI["open_rankings"], icon=":material/leaderboard:",
                 query_params=filters.current() | {"kind": kind, "agency": code, "year": str(detail["year"])}
                 | ({"unit": detail["parent"]} if detail["parent"] else {}))


def _detail(f: fr.Frames, status: pd.DataFrame, row: pd.Series, p: Quarter) -> None:
    """One agency opened."""
    code = row["agency_code"]
    where = page.export_filters(p, agency_name=row["agency_name"])
    st.subheader(row["agency_name"])
    if isinstance(row.get("formerly"), str) and row["formerly"]:
        st.caption(row["formerly"])
    ui.kpi_cards([
        (UI["lead_total"], fmt_int(row["total_lead"]), None, "#0072B2"),
        (UI["lead_done_total"], fmt_int(row["done_total_lead"]), None, TASK_STATUSES["done"].colour),
        (UI["lead_overdue"], fmt_int(row["overdue_lead"]), None, TASK_STATUSES["overdue"].colour),
        (UI["partner_overdue"], fmt_int(row["overdue_partner"]), None, TASK_STATUSES["overdue"].colour),
    ])
    lead, partner = cn.Scope(agency=code), cn.Scope(role="partner", agency=code)
    count_links.links([(UI["lead_total"], fmt_int(row["total_lead"]), cn.link_params(p.key, "total", lead)),
                       (UI["lead_done_total"], fmt_int(row["done_total_lead"]), cn.link_params(p.key, "done_total", lead)),
                       (UI["lead_overdue"], fmt_int(row["overdue_lead"]), cn.link_params(p.key, "overdue", lead)),
                       (UI["partner_overdue"], fmt_int(row["overdue_partner"]), cn.link_params(p.key, "overdue", partner))],
                      f"ag_{code}")
    listing, areas = data.memo((p.year, p.quarter, code, filters.param("map")), _agency_model, status, code)
    left, right = st.columns(2)
    with left:
        st.markdown("#### " + UI["overdue_list_roles"].format(lead=fmt_int(row["overdue_lead"]),
                                                              partner=fmt_int(row["overdue_partner"])))
        if listing is None:
            st.success(UI["no_overdue"])
        else:
            exporting.table(listing, "ag_overdue", UI["overdue_list"], where, f"qua-han-{code}-{p.key}", hide_index=True,
                            width="stretch", height=min(420, 38 + 35 * len(listing)),
                            column_config={UI["col_due"]: ui.date_column(),
                                           UI["col_role"]: st.column_config.TextColumn(width="small"),
                                           UI["col_output"]: st.column_config.TextColumn(width="large")})
    with right:
        st.markdown(f"#### {UI['outputs_by_area']}")
        if areas is None:
            ui.empty(UI["no_lead_outputs"])
        else:
            exporting.chart(areas, "ag_areas", UI["outputs_by_area"], where)
    _par_block(f, code, row["agency_name"])


def main() -> None:
    """The page."""
    bar = st.columns(4)
    ctx = page.start("page_agencies", container=bar[0], on_todays_map=True)
    if ctx is None:
        return
    p = ctx.period
    f = data.frames()
    status = data.status_on_map(p.year, p.quarter, ctx.current_map)
    if status.empty:
        ui.empty(UI["no_data_quarter"])
        return
    table = data.memo((p.year, p.quarter, ctx.current_map), ags.agency_table, status, f.agencies, f.units)
    group = filters.choose("kind", UI["filter_agency_kind"], ["", *ags.AGENCY_GROUPS],
                           lambda g: UI["filter_all"] if g == "" else GROUPS[g], "", bar[1])
    rows = (table[table["group"] == group] if group else table).reset_index(drop=True)
    names = dict(zip(table["agency_code"], table["agency_name"]))
    agency = filters.choose("agency", UI["filter_agency"], ["", *rows["agency_code"]],
                            lambda c: UI["filter_none"] if c == "" else names.get(c, c), "", bar[2])
    st.caption(UI["agencies_caption"].format(period=fmt_quarter(p.year, p.quarter), n=len(rows)))
    if rows.empty:
        ui.empty(UI["no_agencies"])
        return
    hit = rows.index[rows["agency_code"] == agency]
    opened = int(hit[0]) if len(hit) else None
    where = page.export_filters(p, extra={UI["filter_agency_kind"]: GROUPS[group] if group else UI["filter_all"]})
    view = (p.year, p.quarter, group, ctx.current_map)
    show = data.memo(view, _show, rows)
    picked = _table(show, *data.memo(view, _overdue_text, show), opened, where, f"co-quan-{p.key}", view)
    if picked is not None:
        filters.drill(agency=rows.iloc[picked]["agency_code"])
    if opened is not None:
        _detail(f, status, rows.iloc[opened], p)
    else:
        st.caption(UI["pick_an_agency"])


main()
