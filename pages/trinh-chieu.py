"""Trình chiếu: the quarterly meeting on a projector.

One link opens a deck at a slide: /trinh-chieu?present=1&deck=province&slide=1&period=2025-Q2
(deck=district&unit=365, deck=agency&agency=STP; &auto=15 advances every 15 s on a lobby screen).
The slides come from analytics.meeting; this page only draws them: big type, thick colour bars,
symbols next to colours, the filters on every slide, Next/Back buttons that the keyboard presses
(→, space, PageDown / ←, PageUp), and a click on a district or an agency opens its slide.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Collection
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

from analytics import units as un
from analytics import meeting as mt
import settings
from catalogue import FIRST_QUARTER, UI
from components import auth, data, exporting, figures, filters, page, pins, ui
from components.counts import tasks_url
from components.errors import reported
from quarter import Quarter as Period
from service import briefs
from catalogue import OVERDUE_COLUMNS
from formats import fmt_quarter
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# type sizes in px, for a 1080p projector read from 8 m (nothing under 24 px); the chart type is components.figures'
TITLE_PX, FILTER_PX, KPI_VALUE_PX, KPI_LABEL_PX, KPI_NOTE_PX, CHART_TITLE_PX, TEXT_PX = 52, 28, 76, 28, 24, 30, 28
CHART_FONT_PX, LEGEND_PX, PREVIEW_FONT_PX = figures.SLIDE_FONT_PX, 24, 18
SCREEN_H = 1080
# The slide is laid out on a canvas of at least 1920 × 1080 CSS px (the type sizes above are for it) and zoomed
# to the screen: zoom = min(width / 1920, height / 1080), so 1280 × 720, 1366 × 768 and 1024 × 768 show the same
# slide, smaller, never cut (components/static/meeting.js sets --mt-zoom on resize).
CANVAS_W, CANVAS_H = 1920, SCREEN_H
LABEL_SHARE = 0.42  # of a chart's column for its bar labels (44 characters at 28 px on the full width)

# The page's CSS and script live in files of their own, read once at import.
STATIC = Path(__file__).resolve().parent.parent / "components" / "static"
_SIZES = {"title": TITLE_PX, "filter": FILTER_PX, "kpi-value": KPI_VALUE_PX, "kpi-label": KPI_LABEL_PX,
          "kpi-note": KPI_NOTE_PX, "chart-title": CHART_TITLE_PX, "legend": LEGEND_PX, "text": TEXT_PX}
CSS = ("<style>:root {" + " ".join(f"--mt-{k}-px:{v}px;" for k, v in _SIZES.items()) + "}\n"
       + (STATIC / "meeting.css").read_text(encoding="utf-8") + "</style>")
PRESENT_CSS = "<style>" + (STATIC / "meeting-present.css").read_text(encoding="utf-8") + "</style>"
KEYS_JS = (STATIC / "meeting.js").read_text(encoding="utf-8")


def _keyboard() -> None:
    """→ / space / PageDown press «▶ Tiếp», ← / PageUp press «◀ Lùi», and the slide is zoomed to the screen: the
    script of components/static/meeting.js, installed once in the page (Streamlit has no key events)."""
    cfg = {"next": UI["mt_next"], "back": UI["mt_back"], "width": CANVAS_W, "height": CANVAS_H}
    inner = f"{KEYS_JS}\ncchcSlideKeys({json.dumps(cfg)});\n"
    snippet = f"""<script>
      (function () {{
        const doc = window.parent.document;
        if (doc.getElementById("cchc-slide-keys")) return;
        const s = doc.createElement("script");
        s.id = "cchc-slide-keys";
        s.textContent = {json.dumps(inner)};
        doc.head.appendChild(s);
      }})();
    </script>"""
    if hasattr(st, "iframe"):  # components.v1.html is deprecated (Streamlit 1.67 asks for st.iframe, ≥ 1 px high)
        st.iframe(snippet, height=1)
    else:
        components.html(snippet, height=0)


# --- reading the URL ---------------------------------------------------------------------------
def _period(latest: Period, present: bool) -> Period:
    if not present:
        return filters.period_filter(latest, Period(*FIRST_QUARTER), st.sidebar)
    p = Period.parse(filters.param("period"))
    return p if p is not None and FIRST_QUARTER <= (p.year, p.quarter) <= (latest.year, latest.quarter) else latest


def _deck_subjects(deck: _Deck, kind: str) -> dict[str, str]:
    """The units under the quarter's province (districts until 30/06/2025, then the new communes) or the agencies a
    deck can be about: code → name, in picker order."""
    inp = deck.inp
    f = inp.frames
    if kind == "district":
        rows = un.children(f.units, f.parents, inp.province, inp.map_on)
    else:
        rows = f.agencies.sort_values(["kind", "name"])
    return dict(zip(rows["code"].astype(str), rows["name"]))


def _deck_words(deck: _Deck) -> dict[str, str]:
    """The deck kinds' names and the unit picker's label, worded for the quarter's map (districts or communes)."""
    inp = deck.inp
    return {**{k: mt.unit_text(inp, f"mt_deck_{k}") for k in mt.SCOPES}, "unit": mt.unit_text(inp, "mt_filter_district")}


def _deck_choice(inp: _Deck, present: bool) -> tuple[str, str | None]:
    """(deck kind, code) from the URL; in the normal view also from the sidebar pickers bound to it."""
    kind = filters.param("deck", "province")
    if kind not in mt.SCOPES:
        kind = "province"
    words = data.memo((inp.year, inp.quarter, inp.current_map), _deck_words, inp)
    if not present:
        kind = filters.choose("deck", UI["mt_deck"], list(mt.SCOPES), words.__getitem__, "province", st.sidebar)
    if kind not in ("district", "agency"):
        return kind, None
    key, label = ("unit", words["unit"]) if kind == "district" else ("agency", UI["filter_agency"])
    names = data.memo((inp.year, inp.quarter, kind, inp.current_map), _deck_subjects, inp, kind)
    code = filters.param(key)
    if not present and names:
        codes = list(names)
        code = filters.choose(key, label, codes, lambda c: names.get(c, c), codes[0], st.sidebar)
    return kind, code


def _on_todays_map(period: Period, present: bool) -> bool:
    """The "theo địa giới hiện nay" choice (URL map=now) for a quarter whose map is not today's: the sidebar toggle in
    the normal view, the URL alone on the projector."""
    if not present:
        return page.map_toggle(period, st.sidebar)
    today = settings.today()
    return filters.param("map") == "now" and data.memo((period.key, today), _old_map, period, today)


def _old_map(period: Period, today) -> bool:  # noqa: ANN001 - a date
    f = data.frames()
    return un.province_on(f, period.end) != un.province_on(f, today)


class _Deck:
    """The quarter's decks: what every slide is built from (cached per data version, quarter and map), read only
    when a value made from it is not cached yet (a warm rerun reads none)."""

    def __init__(self, year: int, quarter: int, current_map: bool) -> None:
        self.year, self.quarter, self.current_map = year, quarter, current_map
        self._inp: mt.Inputs | None = None

    @property
    def inp(self) -> mt.Inputs:
        if self._inp is None:
            self._inp = data.meeting_inputs(self.year, self.quarter, self.current_map)
        return self._inp


def _outline(year: int, quarter: int, kind: str, code: str | None, current_map: bool) -> list[str]:
    return data.meeting_outline(year, quarter, kind, code, current_map)


def _slide(year: int, quarter: int, kind: str, code: str | None, key: str, target: str | None,
           current_map: bool) -> mt.Slide:
    return data.meeting_slide(year, quarter, kind, code, key, target, current_map)


# --- moving ------------------------------------------------------------------------------------
def _go_to(n: int) -> None:
    """Show slide n (1-based); a target picked on the old slide is forgotten."""
    st.query_params["slide"] = str(n)
    if "target" in st.query_params:
        del st.query_params["target"]


def _step(delta: int, total: int) -> None:
    """Next/Back callback: relative to the slide in the URL now, not to the one drawn when the button was made
    (a presenter pressing → twice fast clicks a button of the previous run)."""
    raw = st.query_params.get("slide", "1")
    current = int(raw) if raw.isdigit() else 1
    _go_to(min(max(current + delta, 1), total))


def _drill_params(kind: str | None, code: str, keys: list[str], inp: _Deck, units: Collection[str] = (),
                  agencies: Collection[str] = ()) -> dict[str, str | None] | None:
    """What a bar opens, as URL parameters: a target shows its districts, a district (a commune on the 2025 map) its
    slide (or its own deck, when it is one of `units`, when the province deck has no slide for it), an agency (one of
    `agencies`) its deck; None: nothing."""
    if kind == "target":
        return {"target": code}
    if kind == "unit":
        at = mt.find_slide(keys, unit=code)
        if at is not None:
            return {"slide": str(at + 1), "unit": code, "target": None}
        if code in units:
            district_keys = _outline(inp.year, inp.quarter, "district", code, inp.current_map)
            return {"deck": "district", "unit": code, "slide": str(mt.find_slide(district_keys, unit=code) + 1),
                    "agency": None, "target": None}
    if kind == "agency" and code in agencies:
        return {"deck": "agency", "agency": code, "slide": "1", "unit": None, "target": None}
    return None


def _agency_codes(deck: _Deck) -> frozenset[str]:
    return frozenset(deck.inp.frames.agencies["code"].astype(str))


def _hrefs(chart: mt.Chart, keys: list[str], inp: _Deck, here: dict[str, str]) -> dict[str, str]:
    """code → the link a bar of the chart opens (this page's URL, `here`, with the drill's parameters)."""
    if chart.drill is None:
        return {}
    units = data.memo((inp.year, inp.quarter, "district", inp.current_map), _deck_subjects, inp, "district") \
        if chart.drill == "unit" else {}
    agencies = data.memo((), _agency_codes, inp) if chart.drill == "agency" else frozenset()
    out = {}
    for code in dict.fromkeys(chart.frame["code"].astype(str)):
        change = _drill_params(chart.drill, code, keys, inp, units, agencies)
        if change is not None:
            params = {k: v for k, v in (here | change).items() if v not in (None, "")}
            out[code] = "?" + urlencode(params)
    return out


def _auto_advance(seconds: int, n: int, total: int) -> None:
    """Lobby screen: a fragment re-run every `seconds` moves to the next slide (back to the first after the last)."""
    st.session_state["_mt_run"] = st.session_state.get("_mt_run", 0) + 1

    @st.fragment(run_every=f"{seconds}s")
    def tick(run: int) -> None:
        with reported("trinh-chieu/tick"):  # a timer run is outside the page's run (app.py)
            _tick(run)

    def _tick(run: int) -> None:
        seen = st.session_state.get("_mt_tick_seen")
        st.session_state["_mt_tick_seen"] = run
        if seen == run:  # a timer run (the page's own run has a new number)
            _go_to(n % total + 1)
            st.rerun()

    tick(st.session_state["_mt_run"])


# --- drawing -----------------------------------------------------------------------------------
def _drawn(chart: mt.Chart, free: int, label_chars: int, px: int) -> tuple[mt.Chart, int, int, int, go.Figure]:
    """What a slide chart shows in the room left: the chart (its first bars when not all of them fit at the smallest
    type), its label width and type size, how many bars were left out, and the figure a PNG export writes (with its
    legend inside)."""
    more = 0
    if px == CHART_FONT_PX:  # the projector: fit the room (the desk preview keeps its small type)
        label_chars, px, rows = figures.slide_fit(chart, free, label_chars, px)
        more = chart.frame["label"].nunique() - rows
        if more:
            chart = figures.slide_head(chart, rows)
    fig = figures.slide_bars(chart, figures.slide_height(chart, free, label_chars, px), label_chars, px)
    export = go.Figure(fig).update_layout(showlegend=True, legend={"xref": "paper", "font": {"size": 22}})
    return chart, label_chars, px, more, export


def _chart_html(title: str, shown: mt.Chart, label_chars: int, px: int, more: int, keys: list[str], deck: _Deck,
                here: dict[str, str]) -> str:
    """A slide chart in HTML: its title, legend, bars (linked from the page's URL `here`) and the "and n more" line."""
    hrefs = _hrefs(shown, keys, deck, here)
    more_line = f"<div class='mt-text'>{html.escape(UI['mt_more'].format(n=more))}</div>" if more else ""
    return (f"<div class='mt-chart'><div class='mt-chart-title'>{html.escape(title)}</div>"
            f"{_legend(shown)}{figures.slide_bars_html(shown, label_chars, px, hrefs)}{more_line}</div>")


def _legend(chart: mt.Chart) -> str:
    """The chart's legend in HTML at slide size: a thick colour swatch per series (its label carries the status
    symbol), and the target tick."""
    if not figures.slide_has_legend(chart):
        return ""
    f = chart.frame
    items: dict[str, str] = {}  # series → the colour of its first bar
    for name, colour in zip(f["series"], f["colour"]):
        items.setdefault(str(name), str(colour))
    parts = [f"<span class='mt-key'><i style='background:{html.escape(c)}'></i>{html.escape(n)}</span>"
             for n, c in items.items()]
    if f["target"].notna().any():
        parts.append(f"<span class='mt-key'><b class='tick'></b>{html.escape(UI['mt_series_target'])}</span>")
    return f"<div class='mt-legend'>{''.join(parts)}</div>"


def _card(k: mt.Kpi) -> str:
    """A KPI card in HTML; a card that counts rows (k.params) is a link to the Nhiệm vụ list of exactly those rows,
    opened beside the deck (a new tab: the slide stays where it was)."""
    value = f"{html.escape(k.symbol)} {html.escape(k.value)}" if k.symbol else html.escape(k.value)
    body = (f"<div class='v'>{value}</div><div class='l'>{html.escape(k.label)}</div>"
            + (f"<div class='n'>{html.escape(k.note)}</div>" if k.note else ""))
    style = f"border-left-color:{html.escape(k.colour)}"
    if not k.params:
        return f"<div class='mt-card' style='{style}'>{body}</div>"
    what = html.escape(UI["cnt_open_rows_of"].format(n=k.value, what=k.label.lower()), quote=True)
    # inside a div: Streamlit's markdown reads a line that starts with <a> as a paragraph and breaks the card apart
    return (f"<div class='mt-cardbox'><a class='mt-card mt-open' style='{style}' "
            f"href='{html.escape(tasks_url(k.params), quote=True)}' target='_blank' rel='noopener' title='{what}'>"
            f"{body}</a></div>")


def _kpis(slide: mt.Slide) -> None:
    for row in slide.kpis:
        cols = st.columns(len(row) if len(row) >= 2 else 3)
        for col, k in zip(cols, row):
            col.markdown(_card(k), unsafe_allow_html=True)


def _list(df: pd.DataFrame, rows: int = mt.LIST_ROWS) -> None:
    """The first rows of a list as a big HTML table (cells wrap, in full), "and n more" under it."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td class='d'>{html.escape(str(v))}</td>" if _is_date_text(v) else
                                    f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
                   for r in df.head(rows).itertuples(index=False, name=None))
    more = f"<div class='mt-text'>{html.escape(UI['mt_more'].format(n=len(df) - rows))}</div>" if len(df) > rows else ""
    st.markdown(f"<table class='mt-list'><tr>{head}</tr>{body}</table>{more}", unsafe_allow_html=True)


def _is_date_text(v: object) -> bool:
    """A dd/mm/yyyy date or a quarter ("Quý II/2025"): kept on one line, never cut."""
    return bool(re.fullmatch(r"\d{2}/\d{2}/\d{4}|Quý [IV]+/\d{4}", str(v).strip()))


def _rows_that_fit(table: pd.DataFrame, room: float, width_px: float) -> int:
    """How many rows of a list fit the room when every cell wraps in full (its lines estimated from its length
    and an even share of the column's width)."""
    chars = max(8, int(width_px / max(len(table.columns), 1) / (TEXT_PX * 0.55)))
    used, n = 4 * TEXT_PX * 1.3 / 2, 0  # the header row
    for row in table.itertuples(index=False, name=None):
        lines = max((-(-len(str(v)) // chars) for v in row), default=1)
        used += lines * TEXT_PX * 1.3 + 16
        if used > room:
            break
        n += 1
    return max(1, min(mt.LIST_ROWS, n))


def _charts(slide: mt.Slide, slide_id: tuple, deck: str, keys: list[str], inp: _Deck, present: bool) -> None:
    # header 165 px, a row of cards 180 px, a chart title 50 px, a line of text 42 px, a margin at the bottom
    used = 165 + 180 * len(slide.kpis) + 50 + (42 if slide.hint and not present else 0) + (42 if slide.note else 0) + 40
    free = SCREEN_H - used
    charts = [c for c in slide.charts if not c.empty]
    show_list = slide.table is not None and not slide.table.empty and len(charts) == 1 and slide.table_kind == "overdue"
    parts = charts + (["list"] if show_list else [])
    if not parts:
        return
    widths = [2, 3] if show_list else [1] * len(parts)
    here = {k: st.query_params.get(k) for k in st.query_params}
    cols = st.columns(widths) if len(parts) > 1 else [st.container()]
    for col, part in zip(cols, parts):
        column_px = (CANVAS_W - 56 - 16 * (len(parts) - 1)) * widths[parts.index(part)] / sum(widths)
        with col:
            if isinstance(part, str):
                st.markdown(f"<div class='mt-chart-title'>{html.escape(slide.table_title)}</div>", unsafe_allow_html=True)
                table = slide.table[[c for c in slide.table.columns if c != OVERDUE_COLUMNS[3]]]  # type: ignore[index]
                _list(table, _rows_that_fit(table, free - 60 - 42, column_px))
                continue
            # labels get a share of the column (wider where the column is wider); the normal view (with the sidebar)
            # is a preview on a desk screen, in smaller type
            px = CHART_FONT_PX if present else PREVIEW_FONT_PX
            label_chars = max(12, int(column_px * LABEL_SHARE / (CHART_FONT_PX * 0.636)))
            title_lines = -(-int(len(part.title) * CHART_TITLE_PX * 0.58) // int(column_px))  # a long title wraps
            room = free - 42 * max(0, title_lines - 1)
            drawn = (*slide_id, part.key, room, label_chars, px)
            shown, label_chars, px, more, export = data.memo(drawn, _drawn, part, room, label_chars, px)
            # the chart's HTML (its bars link to this URL with the drill's parameters) is the same on every rerun of
            # the slide at the same URL: made once
            url = tuple(sorted(here.items())) if shown.drill else ()
            st.markdown(data.memo((*drawn, *url), _chart_html, part.title, shown, label_chars, px, more, keys, inp,
                                  here), unsafe_allow_html=True)
            if not present:  # the desk preview offers the chart as a PNG (the plotly figure, its legend inside)
                exporting.png_action(export, f"mt_{slide.key}_{part.key}".replace(":", "_"),
                                     f"{slide.title}: {part.title}", slide.filters)


def _header(slide: mt.Slide, n: int, total: int, sample: bool) -> None:
    # the buttons as wide as their labels, in a row at the right: in fixed columns they were cut ("Tiế…") in the
    # desk preview at 1280 × 720, where the sidebar takes part of the width
    left, nav = st.columns([5, 3], vertical_alignment="center")
    left.markdown(f"<div class='mt-title'>{html.escape(slide.title)}</div>", unsafe_allow_html=True)
    row = nav.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small")
    row.button(UI["mt_back"], key="mt_back", on_click=_step, args=(-1, total), disabled=n <= 1, width="content")
    row.markdown(f"<div class='mt-counter'>{html.escape(UI['mt_counter'].format(n=n, total=total))}</div>",
                 unsafe_allow_html=True, width="content")
    row.button(UI["mt_next"], key="mt_next", on_click=_step, args=(1, total), disabled=n >= total, width="content")
    parts = [f"<b>{html.escape(k)}:</b> {html.escape(v)}" for k, v in slide.filters.items()]
    if sample:
        parts.append(f"<span class='mt-sample'>{html.escape(UI['col_sample'].upper())}</span>")
    st.markdown(f"<div class='mt-filters'>{' · '.join(parts)}</div>", unsafe_allow_html=True)


def _exports(deck: _Deck, kind: str, code: str | None, period: Period, version: str) -> None:
    """The brief and the handout, made on a click (a few seconds), then offered for download."""
    st.subheader(UI["mt_exports"])
    sig = (version, period.key, kind, code, deck.current_map)
    # Vietnamese file names ("Bản tin CCHC – Huyện Giao Thủy – Quý II-2025.pptx"); Streamlit sends an ASCII
    # fallback beside the UTF-8 name in Content-Disposition
    where = data.memo((period.key, kind, code, deck.current_map), _scope_name, deck, kind, code)
    stem = UI["mt_file_stem"].format(scope=where, period=fmt_quarter(period.year, period.quarter).replace("/", "-"))
    stem = "".join(c for c in stem if c not in '\\/:*?"<>|')
    left, right = st.columns(2)
    if left.button(UI["mt_brief_make"], key="mt_brief_make", icon=":material/slideshow:"):
        with st.spinner(UI["mt_brief_make"] + "…"):
            st.session_state["_mt_brief"] = (sig, briefs.brief(deck.inp, kind, code)[1])
    if right.button(UI["mt_excel_make"], key="mt_excel_make", icon=":material/table_view:"):
        with st.spinner(UI["mt_excel_make"] + "…"):
            st.session_state["_mt_xlsx"] = (sig, briefs.handout(deck.inp, kind, code))
    brief = st.session_state.get("_mt_brief")
    if brief and brief[0] == sig:
        left.download_button(UI["mt_brief_download"], brief[1], file_name=f"{stem}.pptx", mime=PPTX_MIME,
                             key="mt_brief_dl", icon=":material/download:", type="primary")
    xlsx = st.session_state.get("_mt_xlsx")
    if xlsx and xlsx[0] == sig:
        right.download_button(UI["mt_excel_download"], xlsx[1], file_name=f"{UI['mt_file_handout']} – {stem}.xlsx", mime=exporting.XLSX_MIME,
                              key="mt_excel_dl", icon=":material/download:", type="primary")


def _scope_name(deck: _Deck, kind: str, code: str | None) -> str:
    return mt.resolve(deck.inp, kind, code).name


def _present_link(kind: str, code: str | None, period: Period, n: int, current_map: bool = False) -> str:
    params = {"present": "1", "deck": kind, "slide": str(n), "period": period.key}
    if current_map:  # the projector shows the quarter on today's map too
        params["map"] = "now"
    if data.pinned() is not None:  # the projector shows the pinned version too
        params["pin"] = str(data.pin_id())
    if kind == "district" and code:
        params["unit"] = code
    if kind == "agency" and code:
        params["agency"] = code
    return "/trinh-chieu?" + urlencode(params)


def main() -> None:
    """The page."""
    present = filters.param("present") == "1"
    st.html(CSS + (PRESENT_CSS if present else ""))
    user = auth.require(auth.READERS)
    if not present:  # the preview has the page's title like every view; the projector shows the slide alone
        st.title(UI["page_present"])
        pins.banner()
    latest_q = data.latest_quarter()
    if latest_q is None:
        ui.empty(UI["no_data"])
        return
    period = _period(Period(*latest_q), present)
    version = data.version()
    now = _on_todays_map(period, present)
    if now and not present:
        st.caption(UI["map_now_caption"])
    inp = _Deck(period.year, period.quarter, now)
    kind, code = _deck_choice(inp, present)
    try:
        keys = _outline(period.year, period.quarter, kind, code, now)
    except mt.DeckError as exc:
        st.markdown(f"<div class='mt-text'>{html.escape(str(exc))}</div>", unsafe_allow_html=True)
        kind, code = "province", None
        keys = _outline(period.year, period.quarter, kind, code, now)
    total = len(keys)
    raw = filters.param("slide")
    if raw is None and kind == "province" and mt.find_slide(keys, unit=filters.param("unit")) is not None:
        n = mt.find_slide(keys, unit=filters.param("unit")) + 1  # type: ignore[operator]
    else:
        n = int(raw) if raw and raw.isdigit() else 1
    n = min(max(n, 1), total)
    filters.set_param("slide", str(n))
    slide_id = (period.year, period.quarter, kind, code, keys[n - 1], filters.param("target"), now)
    slide = _slide(*slide_id)
    if kind == "province":
        filters.set_param("unit", slide.unit)
    _header(slide, n, total, data.is_sample())
    _kpis(slide)
    if slide.note:
        st.markdown(f"<div class='mt-text'>{html.escape(slide.note)}</div>", unsafe_allow_html=True)
    _charts(slide, slide_id, kind, keys, inp, present)
    if slide.hint and any(c.drill for c in slide.charts) and not present:  # no instructions on the projector
        st.markdown(f"<div class='mt-text'>{html.escape(slide.hint)}</div>", unsafe_allow_html=True)
    _keyboard()
    auto = filters.param("auto")
    if auto and auto.isdigit() and total > 1:
        _auto_advance(min(max(int(auto), 5), 600), n, total)
    if not present:
        st.divider()
        st.caption(UI["mt_keys_help"])
        link = _present_link(kind, code, period, n, now)
        st.link_button(UI["mt_open_present"], link, icon=":material/co_present:")
        st.code(link, language=None)
        _exports(inp, kind, code, period, version)
        pins.panel(user, "trinh-chieu")
        if slide.table is not None and not slide.table.empty:
            exporting.table(slide.table, f"mt_table_{slide.key}".replace(":", "_"), slide.table_title, slide.filters,
                            exporting.slug(slide.table_title, "danh-sach"))


main()
