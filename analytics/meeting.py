"""Meeting decks: the slides of a quarterly meeting as data (title, filters, KPI cards, bar charts, a list).

One deck feeds the projector page (pages/trinh-chieu.py), the PowerPoint brief and the Excel handout
(exports/brief_data.py), so the three cannot disagree. Pure pandas: no Streamlit, no SQL, no plotly.

Decks (`outline`)
    province  overview, targets, overdue, rankings, then one "unit:<code>" slide per district (at most
              MAX_UNIT_SLIDES, the furthest behind first: on the 2025 map the units are the 129 communes),
              the district with the highest overdue rate first (`district_order`);
    district  overview, targets, overdue, rankings of that district, then "unit:<code>" (its communes
              and its overdue outputs by lead agency);
    agency    overview, overdue, rankings of that agency, then "agency:<code>" (its outputs by area).

Every slide carries its filters (Kỳ, Địa bàn, Cơ quan). A chart is a long frame with one row per bar:
label, code (what a click opens: a unit, an agency or a target id), series, value, colour (from the
catalogue), text (the value with its status symbol, so a washed-out projector still reads it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics import counts as cn
from analytics import dashboard as dash
from catalogue import AREAS, LEVELS, OVERDUE_COLUMNS, PAR_COMPONENTS, PROGRESS_STATUSES, RANK_GROUPS, TASK_STATUSES, UI
from formats import MISSING, PERCENT_SUFFIX, fmt_date, fmt_int, fmt_number, fmt_percent
from quarter import Quarter

SCOPES = ("province", "district", "agency")
FIXED_SLIDES: dict[str, tuple[str, ...]] = {
    "province": ("overview", "targets", "overdue", "rankings"),
    "district": ("overview", "targets", "overdue", "rankings"),
    "agency": ("overview", "overdue", "rankings"),
}
DRILLS = ("unit", "agency", "target")
MAX_TARGETS = 6      # at-risk targets drawn on the targets slide (the list in the brief has all)
MAX_AGENCIES = 8     # agencies on an overdue chart
MAX_COMMUNES = 10    # communes on a district slide
TOP_BOTTOM = 5       # best and worst on a ranking chart
LIST_ROWS = 6        # rows of a list shown on a slide
MAX_COMPONENTS = 5   # PAR components on an agency's ranking slide (the most points lost)
NAME_CHARS = 46      # a long indicator or output name is cut here on a slide
LABEL_LINE = 30      # one line of a two-line bar label
RISK = ("off_track", "at_risk")
DISTRICT_LEVELS = ("all", "district", "commune")  # province-wide target levels a district is judged on
# overdue buckets read like progress statuses (same mapping as analytics.dashboard.overdue_buckets)
BUCKET_STATUS = {"none": "achieved", "low": "on_track", "mid": "at_risk", "high": "off_track", "empty": "no_data"}
CHART_COLUMNS = ["label", "code", "series", "value", "colour", "text", "target"]


class DeckError(ValueError):
    """A deck that cannot be built: unknown scope, district or agency (the message is Vietnamese)."""


@dataclass(frozen=True)
class Kpi:
    """One card: label, headline value, a note, the catalogue colour of its bar and a status symbol."""

    label: str
    value: str
    note: str = ""
    colour: str = "#0072B2"
    symbol: str = ""
    link: tuple[tuple[str, str], ...] = ()  # Nhiệm vụ query parameters listing the rows counted (analytics.counts)

    @property
    def params(self) -> dict[str, str]:
        """The link as a query-parameter dict (empty: the card opens nothing)."""
        return dict(self.link)


@dataclass(frozen=True)
class Chart:
    """Bars: one row per bar (CHART_COLUMNS). grouped=True draws the series side by side per label;
    otherwise each label has one bar and `series` only names its colour in the legend."""

    key: str
    title: str
    frame: pd.DataFrame
    unit: str = ""
    decimals: int = 0
    drill: str | None = None
    grouped: bool = False
    value_title: str = ""
    max_value: float | None = None

    @property
    def empty(self) -> bool:
        return self.frame.empty


@dataclass(frozen=True)
class Slide:
    """One slide: what the projector, the brief and the handout show."""

    key: str
    title: str
    filters: dict[str, str]
    kpis: tuple[tuple[Kpi, ...], ...] = ()
    charts: tuple[Chart, ...] = ()
    table: pd.DataFrame | None = None
    table_title: str = ""
    table_kind: str = ""  # "targets" or "overdue" (the brief's closing slide already lists the overdue outputs)
    note: str = ""
    hint: str = ""
    unit: str | None = None
    agency: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def flat_kpis(self) -> list[Kpi]:
        return [k for row in self.kpis for k in row]


@dataclass(frozen=True)
class Inputs:
    """Everything a deck is computed from: the store's frames and their view of one quarter."""

    frames: dash.Frames
    year: int
    quarter: int
    status: pd.DataFrame
    assessed: pd.DataFrame
    series: pd.DataFrame
    par: pd.DataFrame

    @property
    def on(self) -> date:
        return Quarter(self.year, self.quarter).end

    @property
    def period_label(self) -> str:
        return Quarter(self.year, self.quarter).label

    @property
    def period_key(self) -> str:
        return Quarter(self.year, self.quarter).key


@dataclass(frozen=True)
class Scope:
    """Who a deck is about."""

    kind: str
    code: str | None
    name: str
    unit_name: str


def prepare(f: dash.Frames, year: int, quarter: int) -> Inputs:
    """Compute the quarter's task status, indicator series, target assessment and PAR peers from the frames."""
    on = Quarter(year, quarter).end
    series = dash.value_series(f, on)
    return Inputs(f, year, quarter, dash.task_status(f, year, quarter), dash.assess_targets(f, year, quarter, series),
                  series, dash.par_with_parents(f.par, f.parents))


# --- small helpers -----------------------------------------------------------------------------
def full(text: object) -> str:
    """A name in full on one line of text ("–" when missing): slides wrap names, they never cut them."""
    return " ".join(text.split()) if isinstance(text, str) and text.strip() else MISSING


def short(text: object, limit: int = NAME_CHARS) -> str:
    """Text cut at a word boundary with an ellipsis ("–" when missing)."""
    if not isinstance(text, str) or not text.strip():
        return MISSING
    t = " ".join(text.split())
    if len(t) <= limit:
        return t
    head = t[:limit - 1]
    if t[limit - 1] != " " and " " in head:  # do not end on half a word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.–-") + "…"


def _names(f: dash.Frames) -> dict[str, str]:
    return dict(zip(f.units["code"], f.units["name"]))


def _chart_frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=CHART_COLUMNS)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["target"] = pd.to_numeric(out["target"], errors="coerce").astype("float64")
    return out


def _pct(rate: object, decimals: int = 0) -> str:
    return fmt_percent(100 * float(rate), decimals) if not dash._blank(rate) else MISSING  # noqa: SLF001


def resolve(inp: Inputs, kind: str, code: str | None = None) -> Scope:
    """The scope of a deck; raises DeckError for an unknown kind, district or agency."""
    f = inp.frames
    province = _names(f).get(dash.province_on(inp.frames, inp.on), UI["filter_all"])
    if kind == "province":
        return Scope("province", None, province, province)
    if kind == "district":
        districts = dash.children(f.units, f.parents, dash.province_on(inp.frames, inp.on), inp.on)
        hit = districts[districts["code"] == str(code)]
        if hit.empty:
            raise DeckError(UI["mt_unknown_unit"].format(code=code))
        name = str(hit.iloc[0]["name"])
        return Scope("district", str(code), name, name)
    if kind == "agency":
        hit = f.agencies[f.agencies["code"] == str(code)]
        if hit.empty:
            raise DeckError(UI["mt_unknown_agency"].format(code=code))
        unit = hit.iloc[0]["unit_code"]
        return Scope("agency", str(code), str(hit.iloc[0]["name"]), _names(f).get(unit, province))
    raise DeckError(f"Không có bộ trình chiếu «{kind}» (chọn một trong: {', '.join(SCOPES)}).")


def slide_filters(inp: Inputs, scope: Scope, unit: str | None = None) -> dict[str, str]:
    """The filters printed on a slide: Kỳ, Địa bàn, Cơ quan."""
    place = _names(inp.frames).get(unit, scope.unit_name) if unit else scope.unit_name
    agency = scope.name if scope.kind == "agency" else UI["filter_all"]
    return {UI["mt_filter_period"]: inp.period_label, UI["filter_unit"]: place, UI["filter_agency"]: agency}


def filters_text(slide: Slide) -> str:
    """The filter line of a slide: "Kỳ: Quý II/2025 · Địa bàn: Tỉnh Nam Định · Cơ quan: Tất cả"."""
    from formats import fmt_filters

    return fmt_filters(slide.filters)


# --- which statuses belong to a scope ----------------------------------------------------------
def units_inside(inp: Inputs, unit: str) -> set[str]:
    """A unit and every unit under it on the quarter's last day."""
    return dash.descendants(inp.frames.parents, unit, inp.on) | {unit}


def count_scope(scope: Scope, unit: str | None = None, role: str = "lead") -> cn.Scope:
    """The analytics.counts scope of a deck scope (an agency, or a unit with everything under it)."""
    if scope.kind == "agency":
        return cn.Scope(role=role, agency=scope.code)
    return cn.Scope(role=role, unit=unit or scope.code)


def scoped_status(inp: Inputs, scope: Scope, unit: str | None = None) -> pd.DataFrame:
    """The task status rows of a scope, lead and partner: all, the agencies of a unit and below, or one agency."""
    return cn.rows(inp.status, count_scope(scope, unit, "any"), "total", inp.frames.parents, inp.on)


def district_units(inp: Inputs) -> pd.DataFrame:
    """The districts with their lead outputs, overdue rate and bucket, the highest overdue rate first."""
    f = inp.frames
    u = dash.area_units(inp.status, f.units, f.parents, dash.province_on(inp.frames, inp.on), inp.on)
    u = u.assign(_r=u["overdue_rate"].fillna(-1.0))
    return u.sort_values(["_r", "overdue", "name"], ascending=[False, False, True], kind="stable") \
        .drop(columns="_r").reset_index(drop=True)


def district_order(inp: Inputs) -> list[str]:
    """District codes, the highest overdue rate first (ties: more overdue outputs, then name)."""
    return [str(c) for c in district_units(inp)["code"]]


# A province deck has one slide per unit under the province, the highest overdue rate first: Nam Định's ten
# districts until 30/06/2025; on the 2025 map (129 communes directly under the province) the ten furthest behind.
MAX_UNIT_SLIDES = 10


def outline(inp: Inputs, kind: str, code: str | None = None) -> list[str]:
    """The slide keys of a deck, in order."""
    scope = resolve(inp, kind, code)
    keys = list(FIXED_SLIDES[scope.kind])
    if scope.kind == "province":
        keys += [f"unit:{c}" for c in district_order(inp)[:MAX_UNIT_SLIDES]]
    elif scope.kind == "district":
        keys.append(f"unit:{scope.code}")
    else:
        keys.append(f"agency:{scope.code}")
    return keys


def find_slide(keys: list[str], unit: str | None = None, agency: str | None = None) -> int | None:
    """The 0-based position of a unit's or an agency's slide in an outline; None when absent."""
    wanted = f"unit:{unit}" if unit else f"agency:{agency}" if agency else None
    return keys.index(wanted) if wanted in keys else None


# --- overview ----------------------------------------------------------------------------------
def task_cards(status: pd.DataFrame, period: str = "", scope: cn.Scope = cn.Scope()) -> tuple[Kpi, ...]:
    """On-time rate, done and overdue of the lead occurrences of a status frame (analytics.counts), each card
    linking to the Nhiệm vụ list of its rows for `scope` in `period`."""
    k = cn.count(status) if not status.empty else cn.tally(pd.DataFrame(columns=["status", "output_id"]))
    done_c, over_c = TASK_STATUSES["done"], TASK_STATUSES["overdue"]

    def link(measure: str) -> tuple[tuple[str, str], ...]:
        return tuple(cn.link_params(period, measure, scope).items()) if period else ()

    return (
        Kpi(UI["kpi_on_time"], _pct(k["on_time_rate"]),
            UI["cnt_note_on_time"].format(done=fmt_int(k["done"]), due=fmt_int(k["due"])), done_c.colour, done_c.symbol,
            link("done")),
        Kpi(UI["cnt_done_total"], fmt_int(k["done_total"]),
            UI["cnt_note_done"].format(total=fmt_int(k["total"]), outputs=fmt_int(k["outputs_done_total"])),
            done_c.colour, done_c.symbol, link("done_total")),
        Kpi(UI["cnt_overdue"], fmt_int(k["overdue"]),
            UI["cnt_note_overdue"].format(rate=_pct(k["overdue_rate"]), outputs=fmt_int(k["outputs_overdue"])),
            over_c.colour, over_c.symbol, link("overdue")),
    )


def indicator_cards(assessed: pd.DataFrame) -> tuple[Kpi, ...]:
    """Per horizon: achieved + on track, and at risk + off track (each split in the note)."""
    cards = []
    ps = PROGRESS_STATUSES
    for h in dash.HORIZONS:
        c = dash.indicator_kpis(assessed, h) if not assessed.empty else {k: 0 for k in ps}
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
    n = {h: dash.indicator_kpis(assessed, h)["no_data"] for h in dash.HORIZONS}
    return UI["mt_no_data_targets"].format(n25=n[2025], n30=n[2030]) if any(n.values()) else ""


def areas_rate_chart(status: pd.DataFrame) -> Chart:
    """Lead outputs per reform area by overdue rate (%), the highest first, coloured by overdue bucket."""
    lead = status[status["role"] == "lead"] if not status.empty else status
    rows = []
    if not lead.empty:
        buckets = dash.overdue_buckets()
        for _, a in dash.area_rollup(lead).iterrows():
            b = dash.overdue_bucket(a["overdue_rate"], a["total"])
            label, colour = buckets[b]
            sym = PROGRESS_STATUSES[BUCKET_STATUS[b]].symbol
            pct = 100 * float(a["overdue_rate"]) if not dash._blank(a["overdue_rate"]) else np.nan  # noqa: SLF001
            rows.append({"label": full(a["area"]), "code": str(a["area_code"]), "series": f"{sym} {label}",
                         "value": pct, "colour": colour,
                         "text": f"{sym} {fmt_percent(pct, 0)} ({fmt_int(a['overdue'])}/{fmt_int(a['total'])})",
                         "target": np.nan})
    return Chart("areas_rate", UI["mt_chart_areas_rate"], _chart_frame(rows), unit="%",
                 value_title=UI["mt_series_overdue_rate"])


def _overview(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    title = UI["mt_title_overview"].format(scope=scope.name)
    status = scoped_status(inp, scope)
    if scope.kind == "agency":
        partner_scope = count_scope(scope, role="partner")
        pk = cn.count(status, partner_scope) if not status.empty else cn.tally(status)
        over_c = TASK_STATUSES["overdue"]
        second = [Kpi(UI["mt_kpi_partner_overdue_occ"], fmt_int(pk["overdue"]),
                      UI["cnt_note_partner"].format(total=fmt_int(pk["total"]), outputs=fmt_int(pk["outputs_overdue"])),
                      over_c.colour, over_c.symbol, tuple(cn.link_params(inp.period_key, "overdue", partner_scope).items()))]
        rank = _agency_rank(inp, scope.code or "")
        if rank is not None:
            row, year = rank["row"], rank["year"]
            group = RANK_GROUPS.get(row["group"])
            second.append(Kpi(UI["mt_kpi_rank"].format(year=year), f"{int(row['rank'])}/{int(row['n'])}",
                              UI["mt_note_rank"].format(score=fmt_number(row["score"], 2),
                                                        change=dash.rank_arrow(row["rank_change"])),
                              group.colour if group else "#999999"))
        return Slide("overview", title, filters, (task_cards(status, inp.period_key, count_scope(scope)), tuple(second)), (areas_rate_chart(status),),
                     agency=scope.code, note=rank["explanation"] if rank else "")
    assessed = targets_in_scope(inp, scope)
    return Slide("overview", title, filters, (task_cards(status, inp.period_key, count_scope(scope)),
                                              indicator_cards(assessed)), (areas_rate_chart(status),),
                 note=_no_data_note(assessed), unit=scope.code)


# --- targets -----------------------------------------------------------------------------------
def targets_in_scope(inp: Inputs, scope: Scope) -> pd.DataFrame:
    """The assessed targets a deck judges: all of them for the province; for a district, the district's
    own plan targets and every province-wide target of the horizons, judged on the district's figures."""
    a = inp.assessed
    if scope.kind != "district" or a.empty:
        return a
    own = a[a["scope_unit_code"].map(lambda s: isinstance(s, str) and s == scope.code)]
    wide = a[a["scope_unit_code"].map(lambda s: not (isinstance(s, str) and s)) & a["year"].isin(dash.HORIZONS)
             & a["level"].isin(DISTRICT_LEVELS)]
    wide = wide[~wide.set_index(["indicator_code", "level", "year"]).index.isin(
        own.set_index(["indicator_code", "level", "year"]).index)]
    if not wide.empty:
        from analytics import progress as prog

        frame = pd.DataFrame({"target_id": wide["id"].to_numpy(), "indicator_code": wide["indicator_code"].to_numpy(),
                              "unit_code": scope.code, "level": wide["level"].to_numpy(), "year": wide["year"].to_numpy(),
                              "spec": wide["spec"].to_numpy(), "direction": wide["direction"].to_numpy(),
                              "unit": wide["unit"].to_numpy()})
        res = prog.assess_frame(frame, inp.series[["indicator_code", "unit_code", "t", "value", "numerator", "denominator"]],
                                prog.quarter_to_t(inp.year, inp.quarter))
        cols = [c for c in ("status", "observed", "observed_at", "required_now", "target_value", "projected", "ratio",
                            "note", "base_value", "base_at") if c in res]
        wide = wide.drop(columns=cols).reset_index(drop=True)
        wide = pd.concat([wide, res[cols].reset_index(drop=True)], axis=1)
        wide["subject"] = scope.code
    return pd.concat([own, wide], ignore_index=True)


def _sense(row: pd.Series) -> int:
    return -1 if row.get("direction") == "down" or row.get("kind") in ("at_most", "rank") else 1


def risky_targets(assessed: pd.DataFrame) -> pd.DataFrame:
    """Targets of the 2025 and 2030 horizons that are off track or at risk: off track first, then the
    furthest below their target (observed / target), then by name."""
    if assessed.empty:
        return assessed
    r = assessed[assessed["year"].isin(dash.HORIZONS) & assessed["status"].isin(RISK)].copy()
    if r.empty:
        return r
    obs, tgt = r["observed"].astype(float), r["target_value"].astype(float)
    sense = r.apply(_sense, axis=1)
    share = np.where(sense > 0, obs / tgt.where(tgt != 0), tgt / obs.where(obs != 0))
    r["_sev"] = r["status"].map({c: i for i, c in enumerate(RISK)})
    r["_share"] = pd.Series(share, index=r.index).fillna(np.inf)
    return r.sort_values(["_sev", "_share", "year", "name"], kind="stable").drop(columns=["_sev", "_share"]) \
        .reset_index(drop=True)


def _where(row: pd.Series, names: dict[str, str], units: pd.DataFrame) -> str:
    """"cấp xã", "Huyện Nghĩa Hưng" or "chung": the level or scope a target is set for."""
    scope = row.get("scope_unit_code")
    if isinstance(scope, str) and scope:
        short_names = dict(zip(units["code"], units["short_name"]))
        place = short_names.get(scope, names.get(scope, scope))
        return f"{place}, {LEVELS[row['level']].label.lower()}" if row["level"] in LEVELS else str(place)
    return dash.level_label(row["level"]).lower()


def _suffix(unit: object) -> str:
    return PERCENT_SUFFIX if unit == "%" else f" {unit}" if isinstance(unit, str) and unit.strip() else ""


def _short_suffix(unit: object) -> str:
    """A unit for a bar's value text: "%" for any percentage ("% điểm tối đa" too), a short unit, or nothing."""
    if not isinstance(unit, str) or not unit.strip():
        return ""
    u = unit.strip()
    return PERCENT_SUFFIX if u.startswith("%") else f" {u}" if len(u) <= 6 else ""


def targets_table(risky: pd.DataFrame, f: dash.Frames) -> pd.DataFrame:
    """The at-risk list: indicator, level or place, horizon, target wording, current, required now, status."""
    names = _names(f)
    return pd.DataFrame({
        UI["col_indicator"]: risky["name"].astype(str),
        UI["mt_col_scope"]: [_where(r, names, f.units) for _, r in risky.iterrows()],
        UI["mt_col_year"]: risky["year"].astype(int).astype(str),  # a year, not a number ("2025", never "2.025")
        UI["col_target"]: risky["text"].astype(str),
        UI["col_current"]: [fmt_number(v) + _suffix(u) if not dash._blank(v) else MISSING  # noqa: SLF001
                            for v, u in zip(risky["observed"], risky["unit"])],
        UI["required_now"]: [fmt_number(v) + _suffix(u) if not dash._blank(v) else MISSING  # noqa: SLF001
                             for v, u in zip(risky["required_now"], risky["unit"])],
        UI["col_status"]: risky["status"].map(dash.status_text),
    })


def targets_chart(risky: pd.DataFrame, f: dash.Frames, limit: int = MAX_TARGETS) -> Chart:
    """The worst at-risk targets: the current value as a bar coloured by status, the target as a marker."""
    names = _names(f)
    rows = []
    for _, r in risky.head(limit).iterrows():
        e = PROGRESS_STATUSES[r["status"]]
        # two lines: the indicator, then where and when (keeps two levels of one indicator apart)
        label = f"{full(r['name'])}\n({_where(r, names, f.units)}, {int(r['year'])})"
        value = r["observed"] if not dash._blank(r["observed"]) else np.nan  # noqa: SLF001
        suffix = _short_suffix(r["unit"])
        text = f"{e.symbol} {fmt_number(value)}{suffix} / {fmt_number(r['target_value'])}{suffix}"
        rows.append({"label": label, "code": str(int(r["id"])), "series": dash.status_text(r["status"]), "value": value,
                     "colour": e.colour, "text": text, "target": r["target_value"]})
    return Chart("targets", UI["mt_chart_targets"], _chart_frame(rows), decimals=1, drill="target",
                 value_title=UI["mt_series_current"])


def target_units_chart(inp: Inputs, target: pd.Series, parent: str, limit: int = MAX_COMMUNES) -> Chart:
    """One target judged for the districts of the province (or the communes of a district), the worst `limit`."""
    f = inp.frames
    units = dash.unit_assessment(f, int(target["id"]), inp.year, inp.quarter, parent, inp.series)
    sev = {c: i for i, c in enumerate(("off_track", "at_risk", "on_track", "achieved", "no_data"))}
    sense = _sense(target)
    if not units.empty:
        units = units.assign(_s=units["status"].map(sev).fillna(9),
                             _v=sense * units["observed"].astype(float).fillna(np.inf * sense))
        units = units.sort_values(["_s", "_v", "name"], kind="stable").head(limit)
    suffix = _short_suffix(target.get("unit"))
    rows = []
    for _, u in units.iterrows():
        e = PROGRESS_STATUSES.get(u["status"], PROGRESS_STATUSES["no_data"])
        value = u["observed"] if not dash._blank(u["observed"]) else np.nan  # noqa: SLF001
        rows.append({"label": str(u["name"]), "code": str(u["code"]), "series": f"{e.symbol} {e.label}", "value": value,
                     "colour": e.colour, "text": f"{e.symbol} {fmt_number(value)}{suffix}" if not pd.isna(value) else e.symbol,
                     "target": target.get("target_value")})
    drill = "unit" if parent == dash.province_on(inp.frames, inp.on) else None
    title = UI["mt_chart_target_districts" if parent == dash.province_on(inp.frames, inp.on) else "mt_chart_target_communes"]
    return Chart("target_units", title.format(name=full(target["name"])), _chart_frame(rows), decimals=1, drill=drill,
                 value_title=UI["mt_series_current"])


def _targets(inp: Inputs, scope: Scope, target: str | None) -> Slide:
    filters = slide_filters(inp, scope)
    assessed = targets_in_scope(inp, scope)
    risky = risky_targets(assessed)
    title = UI["mt_title_targets"]
    if risky.empty:
        return Slide("targets", title, filters, note=UI["mt_no_risk_targets"], unit=scope.code)
    chosen = risky[risky["id"].astype(int).astype(str) == str(target)] if target else risky.iloc[0:0]
    if chosen.empty:  # by default the worst target set for the whole deck whose places report figures
        places = set(dash.children(inp.frames.units, inp.frames.parents, scope.code or dash.province_on(inp.frames, inp.on), inp.on)["code"])
        reported = set(inp.series.loc[inp.series["unit_code"].isin(places), "indicator_code"])
        wide = risky[risky["scope_unit_code"].map(lambda s: not (isinstance(s, str) and s) or s == scope.code)
                     & risky["indicator_code"].isin(reported)]
        chosen = wide if not wide.empty else risky
    picked = chosen.iloc[0]
    # a district's own target is judged commune by commune; a province-wide one district by district
    own = picked.get("scope_unit_code")
    parent = own if isinstance(own, str) and own else scope.code if scope.kind == "district" else dash.province_on(inp.frames, inp.on)
    charts = (targets_chart(risky, inp.frames), target_units_chart(inp, picked, parent))
    n = {h: int((risky["year"] == h).sum()) for h in dash.HORIZONS}
    ps = PROGRESS_STATUSES
    cards = tuple(Kpi(UI["mt_kpi_risk"].format(year=h), fmt_int(n[h]),
                      UI["mt_note_risk"].format(s1=ps["at_risk"].symbol,
                                                r=int(((risky["year"] == h) & (risky["status"] == "at_risk")).sum()),
                                                s2=ps["off_track"].symbol,
                                                x=int(((risky["year"] == h) & (risky["status"] == "off_track")).sum())),
                      ps["at_risk"].colour, ps["at_risk"].symbol) for h in dash.HORIZONS)
    return Slide("targets", title, filters, (cards,), charts, targets_table(risky, inp.frames), UI["mt_table_targets"], "targets",
                 hint=UI["mt_hint_targets"], unit=scope.code, extra={"target": str(int(picked["id"]))})


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
    d = due if isinstance(due, date) else pd.Timestamp(due).date() if not dash._blank(due) else None  # noqa: SLF001
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
        due = min((d for d in g["due_date"] if not dash._blank(d)), default=None)  # noqa: SLF001
        plan = "" if dash._blank(first.get("plan_number")) else str(first.get("plan_number")).strip()  # noqa: SLF001 - NaN is no number
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
    return Chart("agencies", UI["mt_chart_agency_overdue"], _chart_frame(data), drill="agency",
                 value_title=UI["mt_series_overdue"])


def units_overdue_chart(units: pd.DataFrame, key: str, title: str, drill: str | None, limit: int | None = None) -> Chart:
    """Units by overdue rate (%), the highest first, coloured by overdue bucket with its status symbol."""
    buckets = dash.overdue_buckets()
    u = units[units["total"] > 0] if "total" in units else units
    u = u.assign(_r=u["overdue_rate"].fillna(-1.0)).sort_values(["_r", "overdue", "name"], ascending=[False, False, True],
                                                                 kind="stable")
    if limit:
        u = u.head(limit)
    rows = []
    for _, r in u.iterrows():
        label, colour = buckets.get(r["bucket"], (r["bucket"], "#999999"))
        sym = PROGRESS_STATUSES[BUCKET_STATUS.get(r["bucket"], "no_data")].symbol
        pct = 100 * float(r["overdue_rate"]) if not dash._blank(r["overdue_rate"]) else np.nan  # noqa: SLF001
        rows.append({"label": str(r["name"]), "code": str(r["code"]), "series": f"{sym} {label}", "value": pct,
                     "colour": colour, "text": f"{sym} {fmt_percent(pct, 0)} ({fmt_int(r['overdue'])}/{fmt_int(r['total'])})",
                     "target": np.nan})
    return Chart(key, title, _chart_frame(rows), unit="%", drill=drill, value_title=UI["mt_series_overdue_rate"])


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
    return Chart("areas_overdue", UI["mt_chart_overdue_areas"], _chart_frame(data), value_title=UI["mt_series_overdue"])


def _list_table(overdue: pd.DataFrame) -> pd.DataFrame:
    t = overdue.copy()
    t[OVERDUE_COLUMNS[2]] = t[OVERDUE_COLUMNS[2]].map(fmt_date)
    t[OVERDUE_COLUMNS[3]] = [q.label if (q := Quarter.parse(k)) is not None else MISSING for k in t[OVERDUE_COLUMNS[3]]]
    return t


def overdue_table_title(inp: Inputs, scope: Scope, unit: str | None = None) -> str:
    """The overdue list's title with what it counts: outputs and lead occurrences (an agency: lead and partner)."""
    lead = cn.count(inp.status, count_scope(scope, unit), inp.frames.parents, inp.on)
    if scope.kind == "agency":
        partner = cn.count(inp.status, count_scope(scope, unit, "partner"), inp.frames.parents, inp.on)
        return UI["overdue_list_roles"].format(lead=fmt_int(lead["overdue"]), partner=fmt_int(partner["overdue"]))
    return UI["cnt_overdue_table"].format(outputs=fmt_int(lead["outputs_overdue"]), occ=fmt_int(lead["overdue"]))


def _overdue(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    rows = overdue_rows(inp, scope)
    outputs = overdue_outputs(inp, scope)
    table = _list_table(outputs)
    title = overdue_table_title(inp, scope)
    if scope.kind == "province":
        charts = (units_overdue_chart(district_units(inp), "districts", UI["mt_chart_district_overdue"], "unit"),
                  agencies_chart(rows))
        return Slide("overdue", UI["mt_title_overdue"], filters, charts=charts, table=table,
                     table_title=title, table_kind="overdue", hint=UI["mt_hint_units"])
    if scope.kind == "district":
        return Slide("overdue", UI["mt_title_overdue"], filters, charts=(agencies_chart(rows),), table=table,
                     table_title=title, table_kind="overdue", unit=scope.code)
    return Slide("overdue", f"{UI['overdue_list']}: {scope.name}", filters, charts=(areas_overdue_chart(rows),),
                 table=table, table_title=title, table_kind="overdue", agency=scope.code)


# --- rankings ----------------------------------------------------------------------------------
def par_year(inp: Inputs, kind: str = "department") -> int | None:
    """The latest PAR INDEX year not after the period's year that has scores of this kind."""
    years = [y for y in dash.par_years(inp.par, kind) if y <= inp.year] if not inp.par.empty else []
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
                     "text": f"{fmt_number(r['score'], 2)} · {g.label if g else MISSING} {dash.rank_arrow(r['rank_change'])}",
                     "target": np.nan})
    return Chart(key, title, _chart_frame(rows), decimals=2, drill=drill, value_title=UI["mt_series_score"],
                 max_value=100.0)


def _agency_rank(inp: Inputs, agency: str) -> dict | None:
    subject = dash.par_subject(inp.frames.agencies, agency)
    if subject is None or inp.par.empty:
        return None
    kind, code = subject
    years = [y for y in dash.par_years(inp.par, kind) if y <= inp.year]
    return dash.par_detail(inp.par, kind, code, max(years)) if years else None


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
    return Chart("components", UI["mt_chart_components"].format(k=limit), _chart_frame(rows), unit="%", grouped=True,
                 max_value=100.0)


def _rankings(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    f = inp.frames
    names = dash.subject_names(f.agencies, f.units)
    if scope.kind == "agency":
        rank = _agency_rank(inp, scope.code or "")
        if rank is None:
            return Slide("rankings", UI["mt_title_rankings_none"], filters, note=UI["par_not_ranked"], agency=scope.code)
        row = rank["row"]
        g = RANK_GROUPS.get(row["group"])
        cards = (Kpi(UI["mt_kpi_rank"].format(year=rank["year"]), f"{int(row['rank'])}/{int(row['n'])}",
                     dash.rank_arrow(row["rank_change"]) + " " + UI["vs_prev_year"], g.colour if g else "#999999"),
                 Kpi(UI["col_score"], fmt_number(row["score"], 2),
                     f"{dash.signed(row['score_change'])} {UI['vs_prev_year']}", g.colour if g else "#999999"))
        return Slide("rankings", UI["mt_title_rankings"].format(year=rank["year"]), filters, (cards,),
                     (components_chart(rank["components"]),), note=rank["explanation"], agency=scope.code)
    year = par_year(inp, "district")
    if year is None:
        return Slide("rankings", UI["mt_title_rankings_none"], filters, note=UI["no_par"], unit=scope.code)
    districts = dash.rank_table_for(inp.par, year, "district")
    dist_chart = ranking_chart(districts, names, "districts_rank", UI["mt_chart_districts_rank"], "unit",
                               highlight=scope.code)
    if scope.kind == "province":
        dyear = par_year(inp, "department") or year
        deps = dash.rank_table_for(inp.par, dyear, "department")
        dep_chart = ranking_chart(deps, names, "departments_rank", UI["mt_chart_departments"].format(k=TOP_BOTTOM),
                                  "agency", TOP_BOTTOM)
        return Slide("rankings", UI["mt_title_rankings"].format(year=year), filters, charts=(dep_chart, dist_chart),
                     hint=UI["mt_hint_units"])
    communes = dash.rank_table_for(inp.par, year, "commune", scope.code)
    com_chart = ranking_chart(communes, names, "communes_rank", UI["mt_chart_communes_rank"].format(k=TOP_BOTTOM), None,
                              TOP_BOTTOM)
    mine = districts[districts["subject_code"] == scope.code]
    cards: tuple[Kpi, ...] = ()
    if not mine.empty:
        r = mine.iloc[0]
        g = RANK_GROUPS.get(r["group"])
        cards = (Kpi(UI["mt_kpi_rank"].format(year=year), f"{int(r['rank'])}/{int(r['n'])}",
                     UI["mt_note_rank"].format(score=fmt_number(r["score"], 2), change=dash.rank_arrow(r["rank_change"])),
                     g.colour if g else "#999999"),)
    return Slide("rankings", UI["mt_title_rankings"].format(year=year), filters, (cards,) if cards else (),
                 (dist_chart, com_chart), unit=scope.code)


# --- one district, one agency ----------------------------------------------------------------
def _unit(inp: Inputs, scope: Scope, unit: str) -> Slide:
    f = inp.frames
    names = _names(f)
    if unit not in set(district_order(inp)):
        raise DeckError(UI["mt_unknown_unit"].format(code=unit))
    filters = slide_filters(inp, scope, unit)
    unit_scope = Scope("district", unit, names.get(unit, unit), names.get(unit, unit))
    status = scoped_status(inp, unit_scope)
    cards = list(task_cards(status, inp.period_key, count_scope(unit_scope)))
    ranked = district_units(inp)
    mine = ranked[ranked["code"] == unit].iloc[0]
    position = int(ranked.index[ranked["code"] == unit][0]) + 1
    bucket = PROGRESS_STATUSES[BUCKET_STATUS.get(mine["bucket"], "no_data")]
    cards.append(Kpi(UI["mt_kpi_overdue_rate"], _pct(mine["overdue_rate"]),
                     UI["mt_note_overdue_rank"].format(rank=position, n=len(ranked)), bucket.colour, bucket.symbol))
    communes = dash.area_units(inp.status, f.units, f.parents, unit, inp.on)
    charts = (units_overdue_chart(communes, "communes", UI["mt_chart_commune_overdue"], None, MAX_COMMUNES),
              agencies_chart(overdue_rows(inp, unit_scope)))
    table = _list_table(overdue_outputs(inp, unit_scope))
    return Slide(f"unit:{unit}", UI["mt_title_unit"].format(name=names.get(unit, unit)), filters, (tuple(cards),), charts,
                 table, overdue_table_title(inp, unit_scope), "overdue", unit=unit)


def areas_chart(status: pd.DataFrame) -> Chart:
    """Lead outputs per reform area: done (on time or late), in progress and overdue, side by side."""
    lead = status[status["role"] == "lead"] if not status.empty else status
    rows = []
    if not lead.empty:
        r = dash.area_rollup(lead)
        series = (("done_total", UI["mt_series_done"], TASK_STATUSES["done"]),
                  ("in_progress", UI["mt_series_in_progress"], TASK_STATUSES["in_progress"]),
                  ("overdue", TASK_STATUSES["overdue"].label, TASK_STATUSES["overdue"]))
        for _, a in r.iterrows():
            for col, name, e in series:
                rows.append({"label": full(a["area"]), "code": str(a["area_code"]), "series": name, "value": a[col],
                             "colour": e.colour, "text": f"{e.symbol} {fmt_int(a[col])}" if a[col] else "",
                             "target": np.nan})
    return Chart("areas", UI["mt_chart_areas"], _chart_frame(rows), grouped=True)


def _agency(inp: Inputs, scope: Scope) -> Slide:
    filters = slide_filters(inp, scope)
    status = scoped_status(inp, scope)
    return Slide(f"agency:{scope.code}", UI["mt_title_agency"].format(name=scope.name), filters,
                 (task_cards(status, inp.period_key, count_scope(scope)),), (areas_chart(status),),
                 agency=scope.code)


# --- the deck ----------------------------------------------------------------------------------
def build_slide(inp: Inputs, kind: str, code: str | None, key: str, target: str | None = None) -> Slide:
    """One slide of a deck by its key (see `outline`)."""
    scope = resolve(inp, kind, code)
    if key == "overview":
        return _overview(inp, scope)
    if key == "targets":
        return _targets(inp, scope, target)
    if key == "overdue":
        return _overdue(inp, scope)
    if key == "rankings":
        return _rankings(inp, scope)
    if key.startswith("unit:"):
        return _unit(inp, scope, key.split(":", 1)[1])
    if key.startswith("agency:") and scope.kind == "agency":
        return _agency(inp, scope)
    raise DeckError(f"Không có trang «{key}» trong bộ trình chiếu này.")


def deck(inp: Inputs, kind: str, code: str | None = None) -> list[Slide]:
    """Every slide of a deck, in order."""
    return [build_slide(inp, kind, code, key) for key in outline(inp, kind, code)]
