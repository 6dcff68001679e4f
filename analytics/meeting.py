"""Meeting decks: the slides of a quarterly meeting as data (title, filters, KPI cards, bar charts, a list).

One deck feeds the projector page (pages/trinh-chieu.py), the PowerPoint brief and the Excel handout
(exports/brief_data.py), so the three cannot disagree. Pure pandas: no Streamlit, no SQL, no plotly.

The deck's model (Inputs, Scope, Kpi, Chart, Slide), its scopes and its outline live here; the slides are built
by analytics.slides (build_slide, deck) from analytics.slides_tasks, slides_targets and slides_rankings.

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
from functools import cached_property
from datetime import date

import pandas as pd

from analytics import agencies as ags
from analytics import counts as cn
from analytics import frames as fr
from analytics import ranking_views as rv
from analytics import series as sr
from analytics import targets as tg
from analytics import task_views as tv
from analytics import units as un
from catalogue import UI
from formats import MISSING, fmt_filters, fmt_percent
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
# overdue buckets read like progress statuses (same mapping as analytics.task_views.overdue_buckets)
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
    """Everything a deck is computed from: the store's frames and their view of one quarter, on the quarter's own map
    or on today's ("theo địa giới hiện nay": `current_map`, the units of `today` and the work of ended agencies
    counted against their heirs of `today` in `status`)."""

    frames: fr.Frames
    year: int
    quarter: int
    status: pd.DataFrame
    assessed: pd.DataFrame
    series: pd.DataFrame
    par: pd.DataFrame
    current_map: bool = False
    today: date | None = None

    @property
    def on(self) -> date:
        return Quarter(self.year, self.quarter).end

    @property
    def period_label(self) -> str:
        return Quarter(self.year, self.quarter).label

    @property
    def period_key(self) -> str:
        return Quarter(self.year, self.quarter).key

    @property
    def map_on(self) -> date:
        """The date whose map the deck draws (the units under the province, the units inside a unit)."""
        return un.map_date(self.on, True, self.today) if self.current_map and self.today else self.on

    @property
    def province(self) -> str:
        """The province the deck is about (Nam Định for a quarter before 01/07/2025, the new Ninh Bình after or on
        today's map)."""
        return un.province_on(self.frames, self.on, self.current_map)

    @cached_property
    def has_districts(self) -> bool:
        """Whether the deck's map has districts under the province (before 01/07/2025) or only communes."""
        return un.has_districts(self.frames, self.province, self.map_on)


@dataclass(frozen=True)
class Scope:
    """Who a deck is about."""

    kind: str
    code: str | None
    name: str
    unit_name: str


def prepare(f: fr.Frames, year: int, quarter: int, current_map: bool = False, today: date | None = None) -> Inputs:
    """Compute the quarter's task status, indicator series, target assessment and PAR peers from the frames; on
    today's map (`current_map`, `today` required) with the work of ended agencies carried to their heirs of today."""
    on = Quarter(year, quarter).end
    series = sr.value_series(f, on)
    status = tv.task_status(f, year, quarter)
    if current_map:
        status = ags.carry_agencies(status, f, today or on)
    return Inputs(f, year, quarter, status, tg.assess_targets(f, year, quarter, series), series,
                  rv.par_with_parents(f.par, f.parents), current_map, today)


# --- small helpers -----------------------------------------------------------------------------
# Texts that name the units under the province: districts ("huyện") on the old map; on the 2025 map, where the
# province's units are its communes, the "<key>_communes" wording ("xã, phường").
UNIT_TEXTS = ("mt_note_overdue_rank", "mt_chart_district_overdue", "mt_chart_target_districts", "mt_hint_targets",
              "mt_hint_units", "mt_unknown_unit", "mt_deck_district", "mt_filter_district")


def unit_text(inp: Inputs, key: str) -> str:
    """The catalogue text `key` worded for the deck's map (see UNIT_TEXTS)."""
    if key not in UNIT_TEXTS:
        return UI[key]
    if inp.has_districts:
        return UI["filter_district"] if key == "mt_filter_district" else UI[key]
    return UI[f"{key}_communes"]


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


def unit_names(f: fr.Frames) -> dict[str, str]:
    return dict(zip(f.units["code"], f.units["name"]))


def chart_frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=CHART_COLUMNS)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["target"] = pd.to_numeric(out["target"], errors="coerce").astype("float64")
    return out


def pct_text(rate: object, decimals: int = 0) -> str:
    return fmt_percent(100 * float(rate), decimals) if not fr.blank(rate) else MISSING  # noqa: SLF001


def resolve(inp: Inputs, kind: str, code: str | None = None) -> Scope:
    """The scope of a deck; raises DeckError for an unknown kind, district or agency."""
    f = inp.frames
    province = unit_names(f).get(inp.province, UI["filter_all"])
    if kind == "province":
        return Scope("province", None, province, province)
    if kind == "district":
        districts = un.children(f.units, f.parents, inp.province, inp.map_on)
        hit = districts[districts["code"] == str(code)]
        if hit.empty:
            raise DeckError(unit_text(inp, "mt_unknown_unit").format(code=code))
        name = str(hit.iloc[0]["name"])
        return Scope("district", str(code), name, name)
    if kind == "agency":
        hit = f.agencies[f.agencies["code"] == str(code)]
        if hit.empty:
            raise DeckError(UI["mt_unknown_agency"].format(code=code))
        unit = hit.iloc[0]["unit_code"]
        return Scope("agency", str(code), str(hit.iloc[0]["name"]), unit_names(f).get(unit, province))
    raise DeckError(f"Không có bộ trình chiếu «{kind}» (chọn một trong: {', '.join(SCOPES)}).")


def slide_filters(inp: Inputs, scope: Scope, unit: str | None = None) -> dict[str, str]:
    """The filters printed on a slide: Kỳ, Địa bàn, Cơ quan."""
    place = unit_names(inp.frames).get(unit, scope.unit_name) if unit else scope.unit_name
    agency = scope.name if scope.kind == "agency" else UI["filter_all"]
    out = {UI["mt_filter_period"]: inp.period_label, UI["filter_unit"]: place, UI["filter_agency"]: agency}
    return out | ({UI["filter_map"]: UI["map_now"]} if inp.current_map and inp.map_on != inp.on else {})


def filters_text(slide: Slide) -> str:
    """The filter line of a slide: "Kỳ: Quý II/2025 · Địa bàn: Tỉnh Nam Định · Cơ quan: Tất cả"."""
    return fmt_filters(slide.filters)


# --- which statuses belong to a scope ----------------------------------------------------------
def units_inside(inp: Inputs, unit: str) -> set[str]:
    """A unit and every unit under it on the quarter's last day."""
    return un.descendants(inp.frames.parents, unit, inp.map_on) | {unit}


def count_scope(scope: Scope, unit: str | None = None, role: str = "lead") -> cn.Scope:
    """The analytics.counts scope of a deck scope (an agency, or a unit with everything under it)."""
    if scope.kind == "agency":
        return cn.Scope(role=role, agency=scope.code)
    return cn.Scope(role=role, unit=unit or scope.code)


def scoped_status(inp: Inputs, scope: Scope, unit: str | None = None) -> pd.DataFrame:
    """The task status rows of a scope, lead and partner: all, the agencies of a unit and below, or one agency."""
    return cn.rows(inp.status, count_scope(scope, unit, "any"), "total", inp.frames.parents, inp.map_on)


def district_units(inp: Inputs) -> pd.DataFrame:
    """The districts with their lead outputs, overdue rate and bucket, the highest overdue rate first."""
    f = inp.frames
    u = tv.area_units(inp.status, f.units, f.parents, inp.province, inp.map_on)
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
