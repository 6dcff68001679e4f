"""The slides of a deck about tasks: the overview (task and target cards, the areas by overdue rate), the overdue
outputs (by agency, unit and area, and the closing list), one district's or commune's slide and one agency's.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics import counts as cn
from analytics import frames as fr
from analytics import labels as lb
from analytics import targets as tg
from analytics import task_views as tv
from analytics.meeting import (
    BUCKET_STATUS,
    MAX_AGENCIES,
    MAX_COMMUNES,
    Chart,
    DeckError,
    Inputs,
    Kpi,
    Scope,
    Slide,
    chart_frame,
    count_scope,
    district_order,
    district_units,
    full,
    pct_text,
    scoped_status,
    slide_filters,
    unit_names,
    unit_text,
)
from analytics.slides_rankings import agency_rank
from analytics.slides_targets import targets_in_scope
from catalogue import AREAS, OVERDUE_COLUMNS, PROGRESS_STATUSES, RANK_GROUPS, TASK_STATUSES, UI
from formats import MISSING, fmt_date, fmt_int, fmt_number, fmt_percent
from quarter import Quarter


# --- overview ----------------------------------------------------------------------------------
def count_link(period: str, measure: str, scope: cn.Scope, map_now: bool = False) -> tuple[tuple[str, str], ...]:
    """The Nhiệm vụ parameters listing the rows of one count (analytics.counts), with "map=now" for a deck drawn on
    today's map (the list then counts against the same heirs and units)."""
    return tuple((cn.link_params(period, measure, scope) | ({"map": "now"} if map_now else {})).items())


def task_cards(status: pd.DataFrame, period: str = "", scope: cn.Scope = cn.Scope(),
               map_now: bool = False) -> tuple[Kpi, ...]:
    """On-time rate, done and overdue of the lead occurrences of a status frame (analytics.counts), each card
    linking to the Nhiệm vụ list of its rows for `scope` in `period` (on today's map too: `map_now`)."""
    k = cn.count(status) if not status.empty else cn.tally(pd.DataFrame(columns=["status", "output_id"]))
    done_c, over_c = TASK_STATUSES["done"], TASK_STATUSES["overdue"]

    def link(measure: str) -> tuple[tuple[str, str], ...]:
        return count_link(period, measure, scope, map_now) if period else ()

    return (
        Kpi(UI["kpi_on_time"], pct_text(k["on_time_rate"]),
            UI["cnt_note_on_time"].format(done=fmt_int(k["done"]), due=fmt_int(k["due"])), done_c.colour, done_c.symbol,
            link("done")),
        Kpi(UI["cnt_done_total"], fmt_int(k["done_total"]),
            UI["cnt_note_done"].format(total=fmt_int(k["total"]), outputs=fmt_int(k["outputs_done_total"])),
            done_c.colour, done_c.symbol, link("done_total")),
        Kpi(UI["cnt_overdue"], fmt_int(k["overdue"]),
            UI["cnt_note_overdue"].format(rate=pct_text(k["overdue_rate"]), outputs=fmt_int(k["outputs_overdue"])),
            over_c.colour, over_c.symbol, link("overdue")),
    )


def indicator_cards(assessed: pd.DataFrame) -> tuple[Kpi, ...]:
    """Per horizon: achieved + on track, and at risk + off track (each split in the note)."""
    cards = []
    ps = PROGRESS_STATUSES
    for h in tg.HORIZONS:
        c = tg.indicator_kpis(assessed, h) if not assessed.empty else {k: 0 for k in ps}
        cards.append(Kpi(UI["mt_kpi_good"].format(year=h), fmt_int(c["achieved"] + c["on_track"]),
                         UI["mt_note_good"].format(s1=ps["achieved"].symbol, a=c["achieved"], s2=ps["on_track"].symbol,
                                                   o=c["on_track"]), ps["on_track"].colour, ps["achieved"].symbol))
        cards.append(Kpi(UI["mt_kpi_risk"].format(year=h), fmt_int(c["at_risk"] + c["off_track"]),
                         UI["mt_note_risk"].format(s1=ps["at_risk"].symbol, r=c["at_risk"], s2=ps["off_track"].symbol,
                                                   x=c["off_track"]), ps["at_risk"].colour, ps["at_risk"].symbol))
    return tuple(cards)


def _no_data_note(assessed: pd.DataFrame) -> str:
    if assessed.empty:
        return ""
    n = {h: tg.indicator_kpis(assessed, h)["no_data"] for h in tg.HORIZONS}
    return UI["mt_no_data_targets"].format(n25=n[2025], n30=n[2030]) if any(n.values()) else ""


def areas_rate_chart(status: pd.DataFrame) -> Chart:
    """Lead outputs per reform area by overdue rate (%), the highest first, coloured by overdue bucket."""
    lead = status[status["role"] == "lead"] if not status.empty else status
    rows = []
    if not lead.empty:
        buckets = tv.overdue_buckets()
        for _, a in tv.area_rollup(lead).iterrows():
            b = tv.overdue_bucket(a["overdue_rate"], a["total"])
            label, colour = buckets[b]
            sym = PROGRESS_STATUSES[BUCKET_STATUS[b]].symbol
            pct = 100 * float(a["overdue_rate"]) if not fr.blank(a["overdue_rate"]) else np.nan  # noqa: SLF001
            rows.append({"label": full(a["area"]), "code": str(a["area_code"]), "series": f"{sym} {label}",
                         "value": pct, "colour": colour,
                         "text": f"{sym} {fmt_percent(pct, 0)} ({fmt_int(a['overdue'])}/{fmt_int(a['total'])})",
                         "target": np.nan})
    return Chart("areas_rate", UI["mt_chart_areas_rate"], chart_frame(rows), unit="%",
                 value_title=UI["mt_series_overdue_rate"])


def overview_slide(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    title = UI["mt_title_overview"].format(scope=scope.name)
    status = scoped_status(inp, scope)
    if scope.kind == "agency":
        partner_scope = count_scope(scope, role="partner")
        pk = cn.count(status, partner_scope) if not status.empty else cn.tally(status)
        over_c = TASK_STATUSES["overdue"]
        second = [Kpi(UI["mt_kpi_partner_overdue_occ"], fmt_int(pk["overdue"]),
                      UI["cnt_note_partner"].format(total=fmt_int(pk["total"]), outputs=fmt_int(pk["outputs_overdue"])),
                      over_c.colour, over_c.symbol, count_link(inp.period_key, "overdue", partner_scope, inp.current_map))]
        rank = agency_rank(inp, scope.code or "")
        if rank is not None:
            row, year = rank["row"], rank["year"]
            group = RANK_GROUPS.get(row["group"])
            second.append(Kpi(UI["mt_kpi_rank"].format(year=year), f"{int(row['rank'])}/{int(row['n'])}",
                              UI["mt_note_rank"].format(score=fmt_number(row["score"], 2),
                                                        change=lb.rank_arrow(row["rank_change"])),
                              group.colour if group else "#999999"))
        return Slide("overview", title, filters, (task_cards(status, inp.period_key, count_scope(scope), inp.current_map), tuple(second)), (areas_rate_chart(status),),
                     agency=scope.code, note=rank["explanation"] if rank else "")
    assessed = targets_in_scope(inp, scope)
    return Slide("overview", title, filters, (task_cards(status, inp.period_key, count_scope(scope), inp.current_map),
                                              indicator_cards(assessed)), (areas_rate_chart(status),),
                 note=_no_data_note(assessed), unit=scope.code)


# --- overdue -----------------------------------------------------------------------------------
def overdue_rows(inp: Inputs, scope: Scope, unit: str | None = None) -> pd.DataFrame:
    """The overdue assignments of a scope: lead ones for a province or district, lead and partner for an agency."""
    s = scoped_status(inp, scope, unit)
    if s.empty:
        return s
    s = s[s["status"] == "overdue"]
    return s if scope.kind == "agency" else s[s["role"] == "lead"]


def overdue_since(due: object) -> str:
    """The quarter key in which an output became overdue (the quarter after its due date)."""
    d = due if isinstance(due, date) else pd.Timestamp(due).date() if not fr.blank(due) else None  # noqa: SLF001
    if d is None:
        return MISSING
    return Quarter.of(d + timedelta(days=1)).key


def overdue_outputs(inp: Inputs, scope: Scope, unit: str | None = None, max_agencies: int = 4) -> pd.DataFrame:
    """One row per overdue output of a scope with its lead agencies: Sản phẩm, Cơ quan chủ trì, Hạn, Quý quá hạn
    (the closing list of the brief), plus Vai trò for an agency's deck; most lead agencies first, then earliest due."""
    product, lead_col, due_col, since_col = OVERDUE_COLUMNS
    rows = overdue_rows(inp, scope, unit)
    columns = [*OVERDUE_COLUMNS, *([UI["mt_col_role"]] if scope.kind == "agency" else [])]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    if scope.kind == "agency":  # the output's lead agencies, whoever they are
        s = inp.status
        leads = s[(s["role"] == "lead") & s["output_id"].isin(set(rows["output_id"]))]
    else:
        leads = rows
    lead_names = leads.assign(n=leads["agency_name"].fillna(leads["agency_code"])).groupby("output_id")["n"] \
        .agg(lambda x: list(dict.fromkeys(x)))
    out = []
    for oid, g in rows.groupby("output_id", sort=False):
        first = g.iloc[0]
        names = lead_names.get(oid, [])
        who = ", ".join(names[:max_agencies]) if names else MISSING
        if len(names) > max_agencies:
            who += " " + UI["mt_more_agencies"].format(n=len(names) - max_agencies)
        due = min((d for d in g["due_date"] if not fr.blank(d)), default=None)  # noqa: SLF001
        plan = "" if fr.blank(first.get("plan_number")) else str(first.get("plan_number")).strip()  # noqa: SLF001 - NaN is no number
        row = {product: f"{plan} – {first['output']}" if plan else str(first["output"]), lead_col: who, due_col: due,
               since_col: overdue_since(due), "_n": len(names), "_lead": 0}
        if scope.kind == "agency":
            is_lead = bool((g["role"] == "lead").any())
            row[UI["mt_col_role"]] = UI["mt_role_lead"] if is_lead else UI["mt_role_partner"]
            row["_lead"], row["_n"] = (0 if is_lead else 1), 0
        out.append(row)
    df = pd.DataFrame(out)
    df["_due"] = pd.to_datetime(df[due_col])
    return df.sort_values(["_lead", "_n", "_due"], ascending=[True, False, True], kind="stable")[columns] \
        .reset_index(drop=True)


def agencies_chart(rows: pd.DataFrame, limit: int = MAX_AGENCIES) -> Chart:
    """Agencies with the most overdue outputs (one bar each, overdue colour, the code for a click)."""
    e = TASK_STATUSES["overdue"]
    data = []
    if not rows.empty:
        counts = rows.groupby(["agency_code", "agency_name"], dropna=False).size().reset_index(name="n") \
            .sort_values(["n", "agency_name"], ascending=[False, True], kind="stable").head(limit)
        for _, r in counts.iterrows():
            data.append({"label": str(r["agency_name"]), "code": str(r["agency_code"]), "series": e.label, "value": r["n"],
                         "colour": e.colour, "text": f"{e.symbol} {fmt_int(r['n'])}", "target": np.nan})
    return Chart("agencies", UI["mt_chart_agency_overdue"], chart_frame(data), drill="agency",
                 value_title=UI["mt_series_overdue"])


def units_overdue_chart(units: pd.DataFrame, key: str, title: str, drill: str | None, limit: int | None = None) -> Chart:
    """Units by overdue rate (%), the highest first, coloured by overdue bucket with its status symbol."""
    buckets = tv.overdue_buckets()
    u = units[units["total"] > 0] if "total" in units else units
    u = u.assign(_r=u["overdue_rate"].fillna(-1.0)).sort_values(["_r", "overdue", "name"], ascending=[False, False, True],
                                                                 kind="stable")
    if limit:
        u = u.head(limit)
    rows = []
    for _, r in u.iterrows():
        label, colour = buckets.get(r["bucket"], (r["bucket"], "#999999"))
        sym = PROGRESS_STATUSES[BUCKET_STATUS.get(r["bucket"], "no_data")].symbol
        pct = 100 * float(r["overdue_rate"]) if not fr.blank(r["overdue_rate"]) else np.nan  # noqa: SLF001
        rows.append({"label": str(r["name"]), "code": str(r["code"]), "series": f"{sym} {label}", "value": pct,
                     "colour": colour, "text": f"{sym} {fmt_percent(pct, 0)} ({fmt_int(r['overdue'])}/{fmt_int(r['total'])})",
                     "target": np.nan})
    return Chart(key, title, chart_frame(rows), unit="%", drill=drill, value_title=UI["mt_series_overdue_rate"])


def areas_overdue_chart(rows: pd.DataFrame) -> Chart:
    """An agency's overdue outputs per reform area."""
    e = TASK_STATUSES["overdue"]
    data = []
    if not rows.empty:
        counts = rows.assign(a=rows["area_code"].fillna("")).groupby("a").size().reset_index(name="n") \
            .sort_values(["n", "a"], ascending=[False, True], kind="stable")
        for _, r in counts.iterrows():
            data.append({"label": AREAS[r["a"]].label if r["a"] in AREAS else UI["area_none"], "code": str(r["a"]),
                         "series": e.label, "value": r["n"], "colour": e.colour, "text": f"{e.symbol} {fmt_int(r['n'])}",
                         "target": np.nan})
    return Chart("areas_overdue", UI["mt_chart_overdue_areas"], chart_frame(data), value_title=UI["mt_series_overdue"])


def list_table(overdue: pd.DataFrame) -> pd.DataFrame:
    t = overdue.copy()
    t[OVERDUE_COLUMNS[2]] = t[OVERDUE_COLUMNS[2]].map(fmt_date)
    t[OVERDUE_COLUMNS[3]] = [q.label if (q := Quarter.parse(k)) is not None else MISSING for k in t[OVERDUE_COLUMNS[3]]]
    return t


def overdue_table_title(inp: Inputs, scope: Scope, unit: str | None = None) -> str:
    """The overdue list's title with what it counts: outputs and lead occurrences (an agency: lead and partner)."""
    lead = cn.count(inp.status, count_scope(scope, unit), inp.frames.parents, inp.map_on)
    if scope.kind == "agency":
        partner = cn.count(inp.status, count_scope(scope, unit, "partner"), inp.frames.parents, inp.map_on)
        return UI["overdue_list_roles"].format(lead=fmt_int(lead["overdue"]), partner=fmt_int(partner["overdue"]))
    return UI["cnt_overdue_table"].format(outputs=fmt_int(lead["outputs_overdue"]), occ=fmt_int(lead["overdue"]))


def overdue_slide(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    rows = overdue_rows(inp, scope)
    outputs = overdue_outputs(inp, scope)
    table = list_table(outputs)
    title = overdue_table_title(inp, scope)
    if scope.kind == "province":
        charts = (units_overdue_chart(district_units(inp), "districts", unit_text(inp, "mt_chart_district_overdue"),
                                      "unit"), agencies_chart(rows))
        return Slide("overdue", UI["mt_title_overdue"], filters, charts=charts, table=table,
                     table_title=title, table_kind="overdue", hint=unit_text(inp, "mt_hint_units"))
    if scope.kind == "district":
        return Slide("overdue", UI["mt_title_overdue"], filters, charts=(agencies_chart(rows),), table=table,
                     table_title=title, table_kind="overdue", unit=scope.code)
    return Slide("overdue", f"{UI['overdue_list']}: {scope.name}", filters, charts=(areas_overdue_chart(rows),),
                 table=table, table_title=title, table_kind="overdue", agency=scope.code)


# --- one district, one agency ----------------------------------------------------------------
def unit_slide(inp: Inputs, scope: Scope, unit: str) -> Slide:
    f = inp.frames
    names = unit_names(f)
    if unit not in set(district_order(inp)):
        raise DeckError(unit_text(inp, "mt_unknown_unit").format(code=unit))
    filters = slide_filters(inp, scope, unit)
    unit_scope = Scope("district", unit, names.get(unit, unit), names.get(unit, unit))
    status = scoped_status(inp, unit_scope)
    cards = list(task_cards(status, inp.period_key, count_scope(unit_scope), inp.current_map))
    ranked = district_units(inp)
    mine = ranked[ranked["code"] == unit].iloc[0]
    position = int(ranked.index[ranked["code"] == unit][0]) + 1
    bucket = PROGRESS_STATUSES[BUCKET_STATUS.get(mine["bucket"], "no_data")]
    cards.append(Kpi(UI["mt_kpi_overdue_rate"], pct_text(mine["overdue_rate"]),
                     unit_text(inp, "mt_note_overdue_rank").format(rank=position, n=len(ranked)), bucket.colour,
                     bucket.symbol))
    communes = tv.area_units(inp.status, f.units, f.parents, unit, inp.map_on)
    charts = (units_overdue_chart(communes, "communes", UI["mt_chart_commune_overdue"], None, MAX_COMMUNES),
              agencies_chart(overdue_rows(inp, unit_scope)))
    table = list_table(overdue_outputs(inp, unit_scope))
    return Slide(f"unit:{unit}", UI["mt_title_unit"].format(name=names.get(unit, unit)), filters, (tuple(cards),), charts,
                 table, overdue_table_title(inp, unit_scope), "overdue", unit=unit)


def areas_chart(status: pd.DataFrame) -> Chart:
    """Lead outputs per reform area: done (on time or late), in progress and overdue, side by side."""
    lead = status[status["role"] == "lead"] if not status.empty else status
    rows = []
    if not lead.empty:
        r = tv.area_rollup(lead)
        series = (("done_total", UI["mt_series_done"], TASK_STATUSES["done"]),
                  ("in_progress", UI["mt_series_in_progress"], TASK_STATUSES["in_progress"]),
                  ("overdue", TASK_STATUSES["overdue"].label, TASK_STATUSES["overdue"]))
        for _, a in r.iterrows():
            for col, name, e in series:
                rows.append({"label": full(a["area"]), "code": str(a["area_code"]), "series": name, "value": a[col],
                             "colour": e.colour, "text": f"{e.symbol} {fmt_int(a[col])}" if a[col] else "",
                             "target": np.nan})
    return Chart("areas", UI["mt_chart_areas"], chart_frame(rows), grouped=True)


def agency_slide(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    status = scoped_status(inp, scope)
    return Slide(f"agency:{scope.code}", UI["mt_title_agency"].format(name=scope.name), filters,
                 (task_cards(status, inp.period_key, count_scope(scope), inp.current_map),), (areas_chart(status),),
                 agency=scope.code)
