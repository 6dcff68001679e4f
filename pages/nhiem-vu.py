"""Nhiệm vụ: every output of every plan, searchable without diacritics and filterable, with its status in the
chosen quarter and the three before it, and an Excel download of what is shown."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import agencies as ags
from analytics import counts as cn
from analytics import frames as fr
from analytics import labels as lb
from analytics import task_views as tv
from analytics import units as un
from catalogue import AREAS, DEADLINE_KINDS, TASK_STATUSES, UI
from components import data, exporting, filters, page, ui
from components.filters import quarters_between
from formats import fmt_date, fmt_int, fmt_quarter
from components.frame import ensure
from quarter import Quarter

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

STATUS_TEXT = {c: lb.status_text(c, TASK_STATUSES) for c in TASK_STATUSES}
SYMBOLS = {c: e.symbol for c, e in TASK_STATUSES.items()}


def _dues(d: object) -> str:
    dates = list(d) if isinstance(d, tuple) else []
    if len(dates) > 3:
        return ", ".join(fmt_date(x) for x in dates[:3]) + " …"
    return ", ".join(fmt_date(x) for x in dates)


def _frame(rows: pd.DataFrame, quarters: list[Quarter], agency: str | None, symbols: bool) -> pd.DataFrame:
    """The table as shown (symbols in the quarter columns) or as exported (labels)."""
    out = pd.DataFrame({
        UI["col_plan"]: rows["plan_number"].fillna(rows["plan_code"]),
        UI["col_area"]: rows["area_code"].map(lambda c: AREAS[c].label if c in AREAS else ""),
        UI["col_task"]: (rows["task_no"].fillna("").astype(str) + " " + rows["task"].fillna("")).str.strip(),
        UI["col_output"]: (rows["output_no"].fillna("").astype(str) + " " + rows["output"].fillna("")).str.strip(),
        UI["col_lead"]: rows["lead_text"].fillna(""),
    })
    if agency:
        out[UI["col_role"]] = rows["role"].map({"lead": UI["as_lead"], "partner": UI["as_partner"]}).fillna("")
    out[UI["filter_status"]] = rows["status"].map(lambda c: STATUS_TEXT.get(c, "–"))
    for i, q in enumerate(quarters):
        codes = rows[f"q{i}"] if f"q{i}" in rows else pd.Series([None] * len(rows))
        out[fmt_quarter(q.year, q.quarter)] = codes.map(
            lambda c: (SYMBOLS.get(c, "") if symbols else TASK_STATUSES[c].label) if c in TASK_STATUSES else "")
    out[UI["col_due"]] = rows["due"].map(_dues)
    out[UI["col_deadline"]] = rows["deadline_text"].fillna("")
    out[UI["col_partners"]] = rows["partner_text"].fillna("")
    out[UI["col_evidence"]] = rows["evidence"].fillna("")
    return out


def _choices(base: pd.DataFrame, agencies: pd.DataFrame) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Plan labels, agency names, and the agencies with assignments (by name): the filters' options."""
    plans = base.drop_duplicates("plan_code")
    plan_labels = {c: n if isinstance(n, str) and n else c for c, n in zip(plans["plan_code"], plans["plan_number"])}
    names = dict(zip(agencies["code"], agencies["name"]))
    return plan_labels, names, sorted(set(base["agency_code"]), key=lambda c: names.get(c, c))


ROLE_TEXT = {r: UI[f"cnt_role_{r}"] for r in cn.ROLES}
MEASURE_TEXT = {m: (UI["filter_all"] if m == "total" else STATUS_TEXT.get(m, UI["col_done_total"]))
                for m in cn.MEASURES}


def _agency_text(rows: pd.DataFrame) -> pd.Series:
    """The agency of each occurrence; on today's map an ended agency's work is its heir's, "(trước đây: …)"."""
    name = rows["agency_name"].fillna(rows["agency_code"])
    if "former_name" not in rows:
        return name
    former = rows["former_name"]
    return name.where(former.isna(), name + " (" + former.map(lambda n: UI["formerly"].format(names=n)) + ")")


def _occurrence_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The occurrence list as shown and exported: one row per assignment occurrence (analytics.counts.rows)."""
    return pd.DataFrame({
        UI["col_plan"]: rows["plan_number"].fillna(rows["plan_code"]),
        UI["col_area"]: rows["area_code"].map(lambda c: AREAS[c].label if c in AREAS else ""),
        UI["col_output"]: (rows["output_no"].fillna("").astype(str) + " " + rows["output"].fillna("")).str.strip(),
        UI["col_agency_assigned"]: _agency_text(rows),
        UI["col_role"]: rows["role"].map({"lead": UI["as_lead"], "partner": UI["as_partner"]}).fillna(""),
        UI["col_due"]: rows["due_date"].map(fmt_date),
        UI["filter_status"]: rows["status"].map(lambda c: STATUS_TEXT.get(c, "–")),
        UI["col_deadline"]: rows["deadline_text"].fillna(""),
        UI["col_evidence"]: rows["evidence"].fillna(""),
    })


def _occurrences(ctx, f: fr.Frames, bar: list) -> None:  # noqa: ANN001
    """The assignment occurrences behind a count: exactly the rows a KPI card or a table row counted."""
    p = ctx.period
    status = data.status_on_map(p.year, p.quarter, ctx.current_map)
    on = un.map_date(p.end, ctx.current_map, page.today())
    names = dict(zip(f.agencies["code"], f.agencies["name"]))
    unit_names = dict(zip(f.units["code"], f.units["name"]))
    scope, _m = cn.scope_from_params(dict(st.query_params))
    area = filters.choose("area", UI["filter_area"], ["", *AREAS, "none"],
                          lambda c: UI["filter_all"] if c == "" else AREAS[c].label if c in AREAS else UI["area_none"], "",
                          bar[1])
    assigned = sorted(set(status["agency_code"]), key=lambda c: names.get(c, c)) if not status.empty else []
    agency = filters.choose("agency", UI["filter_agency"], ["", *assigned],
                            lambda c: UI["filter_all"] if c == "" else names.get(c, c), "", bar[2])
    role = filters.choose("role", UI["tasks_role_label"], list(cn.ROLES), lambda r: ROLE_TEXT[r], "lead", bar[3])
    row2 = st.columns([1, 1, 2])
    measure = filters.choose("status", UI["filter_status"], list(cn.MEASURES), lambda m: MEASURE_TEXT[m], "total", row2[0])
    province = un.province_on(f, p.end, ctx.current_map)
    units = sorted({*(data.memo((province, on), un.children, f.units, f.parents, province, on)["code"]),
                    *([scope.unit] if scope.unit else [])}, key=lambda c: unit_names.get(c, c))
    unit = filters.choose("unit", UI["filter_unit"], ["", *units],
                          lambda c: UI["filter_unit_all"] if c == "" else unit_names.get(c, c), "", row2[1])
    wanted = cn.Scope(role=role, agency=agency or None, unit=unit or None, area=area or None)
    rows = data.memo((p.year, p.quarter, wanted, measure, on), cn.rows, status, wanted, measure, f.parents, on)
    n_out = int(rows["output_id"].nunique()) if not rows.empty else 0
    st.caption(UI["tasks_occ_caption"].format(n=fmt_int(len(rows)), role=ROLE_TEXT[role], outputs=fmt_int(n_out),
                                              period=fmt_quarter(p.year, p.quarter)) + " · " + UI["cnt_help"])
    if rows.empty:
        ui.empty(UI["no_tasks_filter"])
        return
    rows = rows.sort_values(["plan_code", "output_id", "agency_code"], kind="stable")
    shown = data.memo((p.year, p.quarter, wanted, measure, on, "shown"), _occurrence_frame, rows)
    where = page.export_filters(
        p, agency_name=names.get(agency, agency) if agency else None, unit_name=unit_names.get(unit) if unit else None,
        area_label=AREAS[area].label if area in AREAS else (UI["area_none"] if area == "none" else None),
        extra={UI["tasks_role_label"]: ROLE_TEXT[role], UI["filter_status"]: MEASURE_TEXT[measure]})
    exporting.table(shown, "tk_occ_table", UI["page_tasks"], where, f"luot-giao-{p.key}",
                    memo=(p.year, p.quarter, wanted, measure, on),
                    colours={UI["filter_status"]: lb.status_colours(TASK_STATUSES)}, hide_index=True, width="stretch",
                    height=min(720, 38 + 35 * len(shown)),
                    column_config={UI["col_output"]: st.column_config.TextColumn(width="large")})


def main() -> None:
    """The page."""
    bar = st.columns(4)
    ctx = page.start("page_tasks", container=bar[0], on_todays_map=True)
    if ctx is None:
        return
    p = ctx.period
    f = data.frames()
    base = data.tasks_base()
    if base.empty:
        ui.empty(UI["no_tasks"])
        return
    if ctx.current_map:  # the assignments of agencies ended since then are their heirs' of today
        st.caption(UI["map_now_caption"])
        today = page.today()
        base = data.memo(("map-now", today), ags.carry_agencies, base, f, today)
    by = filters.choose("rows", UI["tasks_rows_label"], ["", "occ"],
                        lambda r: UI["tasks_rows_occ"] if r == "occ" else UI["tasks_rows_outputs"], "",
                        st.columns(4)[0])
    if by == "occ":
        _occurrences(ctx, f, bar)
        return
    plan_labels, names, assigned = data.memo((ctx.current_map,), _choices, base, f.agencies)
    plan = filters.choose("plan", UI["filter_plan"], ["", *plan_labels],
                          lambda c: UI["filter_all"] if c == "" else plan_labels[c], "", bar[1])
    area = filters.choose("area", UI["filter_area"], ["", *AREAS, "none"],
                          lambda c: UI["filter_all"] if c == "" else AREAS[c].label if c in AREAS else UI["area_none"], "",
                          bar[2])
    agency = filters.choose("agency", UI["filter_agency"], ["", *assigned],
                            lambda c: UI["filter_all"] if c == "" else names.get(c, c), "", bar[3])
    row2 = st.columns([1, 1, 2])
    status = filters.choose("status", UI["filter_status"], ["", *TASK_STATUSES],
                            lambda c: UI["filter_all"] if c == "" else STATUS_TEXT[c], "", row2[0])
    kind = filters.choose("deadline", UI["filter_deadline"], ["", *DEADLINE_KINDS],
                          lambda c: UI["filter_all"] if c == "" else DEADLINE_KINDS[c].label, "", row2[1])
    q = filters.text("q", UI["filter_search"], row2[2], placeholder=UI["search_placeholder"])

    quarters = [x for x in quarters_between(ctx.first, p)[:4]][::-1]
    if agency:
        history = [(fmt_quarter(x.year, x.quarter), data.status_on_map(x.year, x.quarter, ctx.current_map))
                   for x in quarters]
        table = data.memo((p.year, p.quarter, agency, ctx.current_map), tv.task_table, base,
                          data.status_on_map(p.year, p.quarter, ctx.current_map), history, agency)
    else:
        table = data.task_table(p.year, p.quarter)  # every output: prepared with the import for the latest quarter
    view = (p.year, p.quarter, agency, plan, area, status, kind, q, ctx.current_map)
    rows = data.memo(view, tv.filter_tasks, table, plan or None, area or None, None, status or None, kind or None, q)
    st.caption(UI["tasks_caption"].format(n=len(rows), total=len(table), period=fmt_quarter(p.year, p.quarter))
               + (" · " + UI["tasks_agency_note"].format(agency=names.get(agency, agency)) if agency else ""))
    if rows.empty:
        ui.empty(UI["no_tasks_filter"] if not table.empty else UI["no_tasks"])
        return
    shown = data.memo((*view, "shown"), _frame, rows, quarters, agency, symbols=True)
    colours = {UI["filter_status"]: lb.status_colours(TASK_STATUSES)}
    colours |= {fmt_quarter(x.year, x.quarter): {e.symbol: e.colour for e in TASK_STATUSES.values()} for x in quarters}
    widths = {UI["col_plan"]: 110, UI["col_area"]: "medium", UI["col_task"]: "medium", UI["col_output"]: "large",
              UI["col_lead"]: "medium", UI["filter_status"]: "medium"}
    widths |= {fmt_quarter(x.year, x.quarter): 105 for x in quarters}
    config = {c: st.column_config.TextColumn(width=w) for c, w in widths.items()}
    where = page.export_filters(
        p, agency_name=names.get(agency, agency) if agency else None,
        area_label=AREAS[area].label if area in AREAS else (UI["area_none"] if area == "none" else None),
        extra={UI["filter_plan"]: plan_labels[plan] if plan else None,
               UI["filter_status"]: TASK_STATUSES[status].label if status else None,
               UI["filter_deadline"]: DEADLINE_KINDS[kind].label if kind else None,
               UI["filter_search"]: q})
    # the Excel file carries the status labels where the screen shows symbols
    exporting.table(shown, "tk_table", UI["page_tasks"], where, f"nhiem-vu-{p.key}",
                    export=data.memo((*view, "export"), _frame, rows, quarters, agency, symbols=False), colours=colours,
                    memo=view,
                    hide_index=True, width="stretch",
                    height=min(720, 38 + 35 * len(shown)), column_config=config)
    st.caption(UI["symbols_legend"] + " · ".join(f"{e.symbol} {e.label}" for e in TASK_STATUSES.values()))


main()
