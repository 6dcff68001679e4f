"""The rankings slide of a deck: the PAR INDEX of the scope's subjects (best and worst), and for one agency its
components with the most points lost.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import agencies as ags
from analytics import labels as lb
from analytics import ranking_views as rv
from analytics.meeting import (
    MAX_COMPONENTS,
    TOP_BOTTOM,
    Chart,
    Inputs,
    Kpi,
    Scope,
    Slide,
    chart_frame,
    full,
    slide_filters,
    unit_text,
)
from catalogue import PAR_COMPONENTS, RANK_GROUPS, UI
from formats import MISSING, fmt_number


# --- rankings ----------------------------------------------------------------------------------
def par_year(inp: Inputs, kind: str = "department") -> int | None:
    """The latest PAR INDEX year not after the period's year that has scores of this kind."""
    years = [y for y in rv.par_years(inp.par, kind) if y <= inp.year] if not inp.par.empty else []
    return max(years) if years else None


def ranking_chart(table: pd.DataFrame, names: dict[str, str], key: str, title: str, drill: str | None,
                  top_bottom: int | None = None, highlight: str | None = None) -> Chart:
    """Score per subject, best first, coloured by rank group (the group named in the text too)."""
    t = table.sort_values(["rank", "subject_code"], kind="stable")
    if top_bottom and len(t) > 2 * top_bottom:
        t = pd.concat([t.head(top_bottom), t.tail(top_bottom)])
    rows = []
    for _, r in t.iterrows():
        g = RANK_GROUPS.get(r["group"])
        mark = "◆ " if highlight and str(r["subject_code"]) == highlight else ""
        rows.append({"label": f"{mark}{int(r['rank'])}. {names.get(r['subject_code'], r['subject_code'])}",
                     "code": str(r["subject_code"]), "series": g.label if g else MISSING, "value": r["score"],
                     "colour": g.colour if g else "#999999",
                     "text": f"{fmt_number(r['score'], 2)} · {g.label if g else MISSING} {lb.rank_arrow(r['rank_change'])}",
                     "target": np.nan})
    return Chart(key, title, chart_frame(rows), decimals=2, drill=drill, value_title=UI["mt_series_score"],
                 max_value=100.0)


def agency_rank(inp: Inputs, agency: str) -> dict | None:
    subject = ags.par_subject(inp.frames.agencies, agency)
    if subject is None or inp.par.empty:
        return None
    kind, code = subject
    mine = inp.par[(inp.par["subject_kind"] == kind) & (inp.par["subject_code"] == code)]
    years = [int(y) for y in mine["year"].unique() if int(y) <= inp.year]
    # its latest ranking known at the deck's period: an agency first scored later (a department merged in 2025, on a
    # 2024 deck) is not ranked yet, rather than shown with a later year's rank
    return rv.par_detail(inp.par, kind, code, max(years)) if years else None


def components_chart(components: pd.DataFrame, limit: int = MAX_COMPONENTS) -> Chart:
    """Component scores of one subject, the leader and the average, as % of each component's maximum: the
    components where it lost most against the leader first."""
    rows = []
    components = components.assign(_gap=(components["leader_score"] - components["score"])
                                   / components["max_score"].where(components["max_score"] > 0))
    components = components.sort_values("_gap", ascending=False, kind="stable").head(limit)
    series = (("score", UI["mt_series_unit"], "#0072B2"), ("leader_score", UI["mt_series_leader"], "#009E73"),
              ("average_score", UI["mt_series_average"], "#E69F00"))
    for _, c in components.iterrows():
        label = full(PAR_COMPONENTS[c["component"]].label if c["component"] in PAR_COMPONENTS else c["component"])
        for col, name, colour in series:
            pct = 100 * c[col] / c["max_score"] if c["max_score"] else np.nan
            rows.append({"label": label, "code": str(c["component"]), "series": name, "value": pct, "colour": colour,
                         "text": fmt_number(pct, 0), "target": np.nan})
    return Chart("components", UI["mt_chart_components"].format(k=limit), chart_frame(rows), unit="%", grouped=True,
                 max_value=100.0)


def rankings_slide(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    f = inp.frames
    names = rv.subject_names(f.agencies, f.units)
    if scope.kind == "agency":
        rank = agency_rank(inp, scope.code or "")
        if rank is None:
            return Slide("rankings", UI["mt_title_rankings_none"], filters, note=UI["par_not_ranked"], agency=scope.code)
        row = rank["row"]
        g = RANK_GROUPS.get(row["group"])
        cards = (Kpi(UI["mt_kpi_rank"].format(year=rank["year"]), f"{int(row['rank'])}/{int(row['n'])}",
                     lb.rank_arrow(row["rank_change"]) + " " + UI["vs_prev_year"], g.colour if g else "#999999"),
                 Kpi(UI["col_score"], fmt_number(row["score"], 2),
                     f"{lb.signed(row['score_change'])} {UI['vs_prev_year']}", g.colour if g else "#999999"))
        return Slide("rankings", UI["mt_title_rankings"].format(year=rank["year"]), filters, (cards,),
                     (components_chart(rank["components"]),), note=rank["explanation"], agency=scope.code)
    year = par_year(inp, "district")
    if year is None:
        return Slide("rankings", UI["mt_title_rankings_none"], filters, note=UI["no_par"], unit=scope.code)
    districts = rv.rank_table_for(inp.par, year, "district")
    # the districts' own ranking; on the 2025 map they are no units of the deck any more: named as former, no click
    dist_chart = ranking_chart(districts, names, "districts_rank",
                               UI["mt_chart_districts_rank" if inp.has_districts else "mt_chart_districts_rank_old"],
                               "unit" if inp.has_districts else None, highlight=scope.code)
    if scope.kind == "province":
        dyear = par_year(inp, "department") or year
        deps = rv.rank_table_for(inp.par, dyear, "department")
        dep_chart = ranking_chart(deps, names, "departments_rank", UI["mt_chart_departments"].format(k=TOP_BOTTOM),
                                  "agency", TOP_BOTTOM)
        return Slide("rankings", UI["mt_title_rankings"].format(year=year), filters, charts=(dep_chart, dist_chart),
                     hint=unit_text(inp, "mt_hint_units"))
    communes = rv.rank_table_for(inp.par, year, "commune", scope.code)
    com_chart = ranking_chart(communes, names, "communes_rank", UI["mt_chart_communes_rank"].format(k=TOP_BOTTOM), None,
                              TOP_BOTTOM)
    mine = districts[districts["subject_code"] == scope.code]
    cards: tuple[Kpi, ...] = ()
    if not mine.empty:
        r = mine.iloc[0]
        g = RANK_GROUPS.get(r["group"])
        cards = (Kpi(UI["mt_kpi_rank"].format(year=year), f"{int(r['rank'])}/{int(r['n'])}",
                     UI["mt_note_rank"].format(score=fmt_number(r["score"], 2), change=lb.rank_arrow(r["rank_change"])),
                     g.colour if g else "#999999"),)
    return Slide("rankings", UI["mt_title_rankings"].format(year=year), filters, (cards,) if cards else (),
                 (dist_chart, com_chart), unit=scope.code)
