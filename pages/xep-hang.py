"""Xếp hạng: PAR INDEX rankings of departments, districts and a district's communes, year on year; a chosen
subject's components against the leader and the average and why its rank changed; the province's own index."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import agencies as ags
from analytics import labels as lb
from analytics import ranking_views as rv
from catalogue import PAR_SUBJECTS, RANK_GROUPS, UI
from components import data, exporting, figures, filters, page, ui
from formats import fmt_number, fmt_percent
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

KINDS = ("department", "district", "commune")
GROUP_TEXT = {c: e.label for c, e in RANK_GROUPS.items()}
GROUP_COLOURS = {e.label: e.colour for e in RANK_GROUPS.values()}


def _province_figure(hist: pd.DataFrame):  # noqa: ANN202
    """The province's own MoHA PAR INDEX by year (province_history) as a line (None without any)."""
    if hist.empty:
        return None
    labels = [fmt_number(s, 2) + (f" · {UI['rank_short']} {int(r)}" if pd.notna(r) else "")
              for s, r in zip(hist["score"], hist["official_rank"])]
    return figures.score_line(hist, "year", "score", labels, height=240)


def _province_line() -> None:
    """The province's own MoHA PAR INDEX by year."""
    fig = data.memo((), _province_figure, data.province_history())
    st.markdown(f"#### {UI['province_par']}")
    if fig is None:
        ui.empty(UI["no_par"])
        return
    exporting.chart(fig, "rk_province", UI["province_par"], page.export_filters(unit_name=page.province_name()))


def _show(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The ranking table as shown."""
    return pd.DataFrame({
        UI["col_rank"]: table["rank"].astype(int),
        UI["col_unit"]: table["subject_code"].map(lambda c: names.get(c, c)),
        UI["col_score"]: table["score"].map(lambda v: fmt_number(v, 2)),
        UI["col_pct_max"]: table["pct"].map(lambda v: fmt_percent(v, 1)),
        UI["col_group"]: table["group"].map(lambda g: GROUP_TEXT.get(g, "–")),
        UI["col_rank_change"]: table["rank_change"].map(lb.rank_arrow),
        UI["col_score_change"]: table["score_change"].map(lambda v: lb.signed(v, 2)),
    })


def _table(show: pd.DataFrame, opened: int | None, title: str, where: dict[str, str], file_name: str) -> int | None:
    """The ranking table; returns a newly selected row."""
    ui.preselect("rk_table", opened)
    event = exporting.table(show, "rk_table", title, where, file_name, colours={UI["col_group"]: GROUP_COLOURS},
                            on_select="rerun", selection_mode="single-row", hide_index=True, width="stretch",
                            height=min(640, 38 + 35 * len(show)),
                            column_config={UI["col_unit"]: st.column_config.TextColumn(width="medium")})
    return ui.picked_row(event, "rk_table")


def _detail(par: pd.DataFrame, kind: str, subject: str, year: int, names: dict[str, str], where: dict[str, str]) -> None:
    """The chosen subject: explanation, components against the leader and the average."""
    detail = data.memo((kind, subject, year), rv.par_detail, par, kind, subject, year)
    st.subheader(names.get(subject, subject))
    if detail is None or detail["year"] != year:
        ui.empty(UI["par_not_ranked_year"].format(year=year))
        return
    st.info(detail["explanation"], icon=":material/lightbulb:")
    comps = detail["components"]
    left, right = st.columns([1, 1])
    title = f"{UI['par_of_agency']}: {names.get(subject, subject)}"
    with left:
        exporting.chart(data.memo((kind, subject, year), figures.components_vs, comps), "rk_components", title, where)
    with right:
        exporting.table(data.memo((kind, subject, year), rv.components_display, comps), "rk_components_table", title, where,
                        f"chi-so-cchc-{subject}-{year}", hide_index=True, width="stretch")


def main() -> None:
    """The page."""
    bar = st.columns(4)
    ctx = page.start("page_rankings", container=bar[0])
    if ctx is None:
        return
    f = data.frames()
    if f.par.empty:
        ui.empty(UI["no_par"])
        return
    par = data.par()
    names = data.memo((), rv.subject_names, f.agencies, f.units)
    kind = filters.choose("kind", UI["filter_par_kind"], list(KINDS), lambda k: PAR_SUBJECTS[k].label, "department", bar[1])
    parent = None
    if kind == "commune":
        districts = data.memo((), rv.commune_districts, par, names)
        if not districts:
            ui.empty(UI["no_par"])
            return
        parent = filters.choose("unit", UI["filter_district"], districts, lambda c: names.get(c, c), districts[0], bar[2])
    years = data.memo((kind, parent), rv.par_years, par, kind, parent)
    if not years:
        ui.empty(UI["no_par"])
        return
    year = int(filters.choose("year", UI["filter_year"], [str(y) for y in years], str, str(years[0]), bar[3]))
    table = data.rank_table(year, kind, parent)
    if table.empty:
        ui.empty(UI["no_par"])
        return

    agency = filters.param("agency")
    subject = ags.par_subject(f.agencies, agency) if agency else None
    code = subject[1] if subject and subject[0] == kind else None
    hit = table.index[table["subject_code"] == code]
    opened = int(hit[0]) if len(hit) else None

    st.caption(UI["rankings_caption"].format(kind=PAR_SUBJECTS[kind].label, year=year, n=len(table),
                                             where=f" · {names.get(parent, parent)}" if parent else ""))
    title = f"{UI['page_rankings']}: {PAR_SUBJECTS[kind].label}"
    where = page.export_filters(unit_name=names.get(parent, parent) if parent else None,
                                extra={UI["filter_par_kind"]: PAR_SUBJECTS[kind].label, UI["filter_year"]: str(year)})
    left, right = st.columns([2, 3])
    with left:
        fig = data.memo((year, kind, parent, code), figures.ranking_bars, table, names, highlight=code)
        ev = exporting.chart(fig, f"rk_bars_{kind}", title, where, on_select=True)
        clicked = ui.picked_point(ev, f"rk_bars_{kind}")
    with right:
        picked = _table(data.memo((year, kind, parent), _show, table, names), opened, title, where,
                        f"xep-hang-{kind}-{year}" + (f"-{parent}" if parent else ""))
        _province_line()
    if picked is not None:
        clicked = str(table.iloc[picked]["subject_code"])
    if clicked is not None and clicked != code:
        filters.drill(agency=ags.par_agency(f.agencies, kind, clicked) or clicked)
    if code is not None:
        _detail(par, kind, code, year, names, where)
    else:
        st.caption(UI["pick_a_subject"])


main()
