"""Của tôi: an editor's or agency head's own agency (or the people's committee of their unit): its PAR INDEX rank
and why it changed, its overdue outputs (each count opening its rows), and what it must report with the
pre-filled template, from the same expected set as Mức độ báo cáo."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import settings
from analytics import counts as cn
from analytics import agencies as ags
from analytics import frames as fr
from analytics import labels as lb
from analytics import ranking_views as rv
from catalogue import PAR_SUBJECTS, RANK_GROUPS, TASK_STATUSES, UI
from components import counts as count_links
from components import data, exporting, filters, page, ui
from formats import fmt_date, fmt_int, fmt_number, fmt_quarter
from store import completeness as cmp
from components.frame import ensure
from quarter import Quarter
from components.exporting import progress_template

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _my_agencies(user, f: fr.Frames) -> list[str]:  # noqa: ANN001
    """The user's agencies, then the people's committee of each of their units."""
    codes = [c for c in sorted(user.agencies) if c in set(f.agencies["code"])]
    ag = f.agencies
    for unit in sorted(user.units):
        codes += [c for c in ag.loc[(ag["unit_code"] == unit) & (ag["kind"] == "people_committee"), "code"] if c not in codes]
    return codes


def _rank(f: fr.Frames, code: str) -> None:
    """Rank, score and group of the latest PAR INDEX year, and the sentence that explains the change."""
    st.markdown(f"#### {UI['mine_rank']}")
    subject = data.memo((code,), ags.par_subject, f.agencies, code)
    detail = data.memo((code, "par"), rv.par_detail, data.par(), *subject) if subject else None
    if detail is None:
        ui.empty(UI["par_not_ranked"] if subject is None else UI["no_par"])
        return
    r = detail["row"]
    group = RANK_GROUPS.get(r["group"])
    ui.kpi_cards([
        (UI["par_rank_in"].format(year=detail["year"], kind=PAR_SUBJECTS[subject[0]].label),
         f"{int(r['rank'])}/{int(r['n'])}", lb.rank_arrow(r["rank_change"]) + " " + UI["vs_prev_year"],
         group.colour if group else None),
        (UI["col_score"], fmt_number(r["score"], 2), lb.signed(r["score_change"], 2) + " " + UI["vs_prev_year"],
         group.colour if group else None),
    ])
    st.info(detail["explanation"], icon=":material/lightbulb:")


def _overdue(p: Quarter, status: pd.DataFrame, code: str, name: str) -> None:
    """The agency's overdue occurrences as lead and as partner, and the list of them with the role."""
    lead, partner = cn.Scope(agency=code), cn.Scope(role="partner", agency=code)
    kl, kp = cn.count(status, lead), cn.count(status, partner)
    st.markdown("#### " + UI["mine_overdue"] + " · " + UI["overdue_list_roles"].format(
        lead=fmt_int(kl["overdue"]), partner=fmt_int(kp["overdue"])))
    ui.kpi_cards([
        (UI["lead_overdue"], fmt_int(kl["overdue"]), UI["cnt_note_outputs"].format(outputs=fmt_int(kl["outputs_overdue"])),
         TASK_STATUSES["overdue"].colour),
        (UI["partner_overdue"], fmt_int(kp["overdue"]), UI["cnt_note_outputs"].format(outputs=fmt_int(kp["outputs_overdue"])),
         TASK_STATUSES["overdue"].colour),
    ])
    count_links.links([(UI["lead_overdue"], fmt_int(kl["overdue"]), cn.link_params(p.key, "overdue", lead)),
                       (UI["partner_overdue"], fmt_int(kp["overdue"]), cn.link_params(p.key, "overdue", partner))],
                      f"mine_{code}")
    over = ags.agency_overdue(status, code)
    if over.empty:
        st.success(UI["no_overdue"])
        return
    listing = pd.DataFrame({  # the key columns first: the due date (never cut) and the role
        UI["col_due"]: over["due_date"].map(fmt_date),
        UI["col_role"]: over["role"].map({"lead": UI["as_lead"], "partner": UI["as_partner"]}),
        UI["col_output"]: (over["output_no"].fillna("").astype(str) + " " + over["output"]).str.strip(),
        UI["col_plan"]: over["plan_number"],
    })
    exporting.table(listing, "mine_overdue", UI["mine_overdue"], page.export_filters(p, agency_name=name),
                    f"qua-han-{code}-{p.key}", hide_index=True, width="stretch", height=min(420, 38 + 35 * len(listing)),
                    column_config={UI["col_due"]: ui.date_column(),
                                   UI["col_role"]: st.column_config.TextColumn(width="small"),
                                   UI["col_output"]: st.column_config.TextColumn(width="large")})


@st.cache_data(max_entries=16, show_spinner=False)
def _completeness(_version: str, year: int, quarter: int) -> pd.DataFrame:
    return cmp.completeness(data.engine(), year, quarter)


@st.cache_data(max_entries=16, show_spinner=False)
def _template(_version: str, code: str, year: int, quarter: int) -> bytes:
    return progress_template(data.engine(), [code], year, quarter)


def report_quarters(today) -> list[Quarter]:  # noqa: ANN001
    """The quarters to report on now: the last one whose deadline passed, then the current one when different."""
    due = Quarter(*cmp.last_due_quarter(today))
    current = Quarter.of(today)
    return [due] if due == current else [due, current]


def _report(code: str, name: str, user) -> None:  # noqa: ANN001
    """What the agency must report: per quarter due now, whether it did, and the pre-filled template."""
    st.markdown(f"#### {UI['mine_report']}")
    for q in report_quarters(settings.today()):
        period = fmt_quarter(q.year, q.quarter)
        table = _completeness(data.version(), q.year, q.quarter)
        row = table[table["agency_code"] == code]
        if row.empty:
            since, heirs = cmp.successors(data.engine(), code)
            st.caption(UI["mine_ended"].format(agency=name, since=fmt_date(since), successors=", ".join(heirs))
                       if since and heirs and since <= cmp.quarter_bounds(q.year, q.quarter)[1]
                       else UI["mine_report_not_expected"].format(period=period, agency=name))
            continue
        r = row.iloc[0]
        status = {"on_time": UI["cmp_status_on_time"], "late": UI["cmp_status_late"],
                  "missing": UI["cmp_status_missing"]}[r["timeliness"]]
        st.markdown(UI["mine_report_line"].format(period=period, status=status, n=fmt_int(r["assignments"]),
                                                  deadline=fmt_date(cmp.report_deadline(q.year, q.quarter))))
        left, right = st.columns([2, 1])
        left.download_button(UI["template_prefilled"].format(period=period, agencies=name),
                             _template(data.version(), code, q.year, q.quarter), key=f"mine_tpl_{q.key}",
                             file_name=f"bao_cao_tien_do_{code}_{q.year}_Q{q.quarter}.xlsx", mime=XLSX,
                             icon=":material/download:", type="primary" if r["timeliness"] == "missing" else "secondary")
        if user.role in ("admin", "editor"):
            right.page_link(count_links.page_file("muc-do-bao-cao"), label=UI["mine_open_completeness"].format(period=period),
                            icon=":material/fact_check:", query_params={"period": q.key})


def main() -> None:
    """The page."""
    bar = st.columns(4)
    ctx = page.start("page_mine", container=bar[0])
    if ctx is None:
        return
    f = data.frames()
    mine = _my_agencies(ctx.user, f)
    if not mine:
        ui.empty(UI["mine_no_scope"])
        st.page_link(count_links.page_file("tong-quan"), label=UI["page_overview"], icon=":material/dashboard:")
        return
    names = dict(zip(f.agencies["code"], f.agencies["name"]))
    code = filters.choose("agency", UI["mine_pick"], mine, lambda c: names.get(c, c), mine[0], bar[1])
    p = ctx.period
    # an agency that ended before the quarter (merged 01/03/2025, or the 2025 map): its work, and so the page,
    # is its heir's (the editor's scope covers the successors: store.accounts.scope_for)
    heir = ags.agency_heirs(f, [code], p.end).get(code, code)
    if heir != code:
        ended = f.agencies.loc[f.agencies["code"] == code, "valid_to"].iloc[0]
        since = pd.Timestamp(ended).date() + pd.Timedelta(days=1) if pd.notna(ended) else None
        st.caption(UI["mine_heir"].format(agency=names.get(code, code), since=fmt_date(since) if since else "",
                                          heir=names.get(heir, heir), period=fmt_quarter(p.year, p.quarter)))
        code = heir
    name = names.get(code, code)
    st.subheader(name)
    st.page_link(count_links.page_file("co-quan"), label=UI["mine_open_agency"], icon=":material/apartment:",
                 query_params={"period": p.key, "agency": code})
    left, right = st.columns(2)
    with left:
        _rank(f, code)
    with right:
        _report(code, name, ctx.user)
    _overdue(p, data.status(p.year, p.quarter), code, name)


main()
