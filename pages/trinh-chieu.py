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
import textwrap
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

from analytics import units as dash
from analytics import meeting as mt
from catalogue import FIRST_QUARTER, UI
from components import auth, data, exporting, figures, filters, ui
from components.errors import reported
from components.figures import FONT, SEPARATORS
from quarter import Quarter as Period
from catalogue import OVERDUE_COLUMNS
from formats import fmt_quarter
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# type sizes in px, for a 1080p projector read from 8 m (nothing under 24 px)
TITLE_PX, FILTER_PX, KPI_VALUE_PX, KPI_LABEL_PX, KPI_NOTE_PX, CHART_TITLE_PX, TEXT_PX = 52, 28, 76, 28, 24, 30, 28
CHART_FONT_PX, LEGEND_PX, PREVIEW_FONT_PX = 28, 24, 18
SCREEN_H = 1080
ROW_PX = 66  # height of one bar row at 28 px type
LABEL_CHARS = 44  # a bar label wraps onto a second line after this
MIN_CHART_PX = 24  # the smallest chart type on the projector (read from the back of the room)

CSS = f"""
<style>
.mt-title {{font-size:{TITLE_PX}px; font-weight:800; line-height:1.1; color:#000; margin:0;}}
.mt-filters {{font-size:{FILTER_PX}px; color:#000; margin:4px 0 6px 0; border-bottom:6px solid #0072B2;
  padding-bottom:6px;}}
.mt-filters b {{font-weight:700;}}
.mt-sample {{color:#B00020; font-weight:800;}}
.mt-counter {{font-size:{FILTER_PX}px; font-weight:700; text-align:center; color:#000;}}
.mt-card {{border:3px solid #000; border-left-width:18px; padding:6px 14px 8px 14px; background:#fff; height:100%;}}
.mt-card .v {{font-size:{KPI_VALUE_PX}px; font-weight:800; line-height:1.05; color:#000;}}
.mt-card .l {{font-size:{KPI_LABEL_PX}px; font-weight:700; line-height:1.2; color:#000;}}
.mt-card .n {{font-size:{KPI_NOTE_PX}px; line-height:1.25; color:#111;}}
.mt-chart-title {{font-size:{CHART_TITLE_PX}px; font-weight:800; color:#000; margin:6px 0 0 0;}}
.mt-legend {{font-size:{LEGEND_PX}px; color:#000; margin:2px 0 4px 0; line-height:1.5;}}
.mt-key {{margin-right:22px; white-space:nowrap;}}
.mt-key i {{display:inline-block; width:26px; height:22px; border:2px solid #000; margin-right:8px; vertical-align:-3px;}}
.mt-key b.tick {{display:inline-block; width:7px; height:28px; background:#000; margin:0 10px 0 6px; vertical-align:-6px;}}
.mt-text {{font-size:{TEXT_PX}px; color:#000; line-height:1.3;}}
.mt-list {{font-size:{TEXT_PX}px; color:#000; border-collapse:collapse; width:100%;}}
.mt-list th {{text-align:left; border-bottom:4px solid #000; padding:4px 8px;}}
.mt-list td {{border-bottom:2px solid #999; padding:6px 8px; vertical-align:top;}}
.st-key-mt_back button, .st-key-mt_next button {{min-height:56px; padding:2px 22px; border:3px solid #000;}}
.st-key-mt_back button p, .st-key-mt_next button p {{font-size:{FILTER_PX}px; font-weight:800; white-space:nowrap;
  overflow:visible; text-overflow:clip;}}
.mt-list td {{overflow-wrap:break-word;}}
.mt-list td.d {{white-space:nowrap;}}
</style>
"""
PRESENT_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stMainMenu"], #MainMenu, [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="collapsedControl"], [data-testid="stElementToolbar"], footer {display:none !important;}
[data-testid="stAppViewContainer"], [data-testid="stMain"], .stApp {background:#fff !important;}
[data-testid="stMainBlockContainer"], .block-container {padding:12px 28px 8px 28px !important; max-width:100% !important;
  zoom: var(--mt-zoom, 1);}
[data-testid="stMain"], [data-testid="stAppViewContainer"] {overflow-x:hidden;}
iframe[height="0"] {display:block;}
</style>
"""
# The slide is laid out on a canvas of at least 1920 × 1080 CSS px (the type sizes above are for it) and zoomed
# to the screen: zoom = min(width / 1920, height / 1080), so 1280 × 720, 1366 × 768 and 1024 × 768 show the same
# slide, smaller, never cut (the page sets --mt-zoom on resize; see _keyboard).
CANVAS_W, CANVAS_H = 1920, SCREEN_H


def _keyboard() -> None:
    """→ / space / PageDown press «▶ Tiếp», ← / PageUp press «◀ Lùi»: a listener installed once in the page
    (Streamlit has no key events), finding the buttons by their visible text."""
    inner = textwrap.dedent("""
        (function () {
          const NEXT = %s, BACK = %s;
          function press(label) {
            const b = Array.from(document.querySelectorAll("button"))
              .find(x => x.innerText.trim() === label && !x.disabled);
            if (!b) return false;
            if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
            b.click();
            return true;
          }
          function fit() {
            const z = Math.min(window.innerWidth / %s, window.innerHeight / %s);
            document.documentElement.style.setProperty("--mt-zoom", String(Math.min(z, 4)));
          }
          fit();
          window.addEventListener("resize", fit);
          document.addEventListener("keydown", function (e) {
            if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
            const t = e.target, tag = ((t && t.tagName) || "").toLowerCase();
            if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) return;
            let done = false;
            if (e.key === "ArrowRight" || e.key === " " || e.key === "PageDown") done = press(NEXT);
            else if (e.key === "ArrowLeft" || e.key === "PageUp") done = press(BACK);
            if (done) { e.preventDefault(); e.stopPropagation(); }
          }, true);
        })();
    """) % (json.dumps(UI["mt_next"]), json.dumps(UI["mt_back"]), CANVAS_W, CANVAS_H)
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


def _deck_subjects(inp: mt.Inputs, kind: str) -> dict[str, str]:
    """The units under the quarter's province (districts until 30/06/2025, then the new communes) or the agencies a
    deck can be about: code → name, in picker order."""
    f = inp.frames
    if kind == "district":
        rows = dash.children(f.units, f.parents, dash.province_on(f, inp.on), inp.on)
    else:
        rows = f.agencies.sort_values(["kind", "name"])
    return dict(zip(rows["code"].astype(str), rows["name"]))


def _deck_choice(inp: mt.Inputs, present: bool) -> tuple[str, str | None]:
    """(deck kind, code) from the URL; in the normal view also from the sidebar pickers bound to it."""
    kind = filters.param("deck", "province")
    if kind not in mt.SCOPES:
        kind = "province"
    if not present:
        kind = filters.choose("deck", UI["mt_deck"], list(mt.SCOPES), lambda k: UI[f"mt_deck_{k}"], "province", st.sidebar)
    if kind not in ("district", "agency"):
        return kind, None
    key, label = ("unit", UI["filter_district"]) if kind == "district" else ("agency", UI["filter_agency"])
    names = data.memo((inp.year, inp.quarter, kind), _deck_subjects, inp, kind)
    code = filters.param(key)
    if not present and names:
        codes = list(names)
        code = filters.choose(key, label, codes, lambda c: names.get(c, c), codes[0], st.sidebar)
    return kind, code


def _inputs(year: int, quarter: int) -> mt.Inputs:
    """What every slide of a quarter is built from (cached per data version and quarter)."""
    return data.meeting_inputs(year, quarter)


def _outline(year: int, quarter: int, kind: str, code: str | None) -> list[str]:
    return data.meeting_outline(year, quarter, kind, code)


def _slide(year: int, quarter: int, kind: str, code: str | None, key: str, target: str | None) -> mt.Slide:
    return data.meeting_slide(year, quarter, kind, code, key, target)


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


def _drill(kind: str | None, code: str, deck: str, keys: list[str], inp: mt.Inputs) -> None:
    """A click on a bar: a target shows its districts, a district opens its slide, an agency its deck."""
    if kind == "target":
        filters.drill(target=code)
    elif kind == "unit":
        at = mt.find_slide(keys, unit=code)
        if at is not None:
            filters.drill(slide=str(at + 1), unit=code, target=None)
        elif code in set(mt.district_order(inp)):
            district_keys = mt.outline(inp, "district", code)
            filters.drill(deck="district", unit=code, slide=str(mt.find_slide(district_keys, unit=code) + 1),
                          agency=None, target=None)
    elif kind == "agency" and code in set(inp.frames.agencies["code"].astype(str)):
        filters.drill(deck="agency", agency=code, slide="1", unit=None, target=None)


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
def _lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A bar label wrapped in full at `width` characters (an explicit line break in the label is kept): never cut."""
    lines: list[str] = []
    for part in (p for p in str(label).split("\n") if p.strip()):
        lines += textwrap.wrap(part, width, break_long_words=False) or [part]
    return lines or [str(label)]


def _wrap(label: str, width: int = LABEL_CHARS) -> str:
    """A bar label as plotly tick text: every line of it, escaped."""
    return "<br>".join(html.escape(x) for x in _lines(label, width))


def _label_px(labels: list, label_chars: int, px: int) -> int:
    """Room (px) for the widest wrapped bar label."""
    widest = max((len(line) for lab in labels for line in _lines(str(lab), label_chars)), default=4)
    return int(widest * px * 0.62 + px)


def _text_px(texts: list[str], px: int = CHART_FONT_PX) -> int:
    """Room (px) for the longest value text right of the bars at projector size."""
    return int(max((len(str(t)) for t in texts), default=4) * px * 0.6 + 30)


def figure(chart: mt.Chart, height: int, label_chars: int = LABEL_CHARS, px: int = CHART_FONT_PX) -> go.Figure:
    """A slide chart as horizontal bars in projector type: the value (with its status symbol) right of each bar
    (targets: in a column right of the target ticks), the target as a thick black tick, each bar's code as
    customdata (for a click). The legend is drawn by the page in HTML (see _legend)."""
    f = chart.frame
    labels = list(dict.fromkeys(f["label"]))
    wrapped = {lab: _wrap(str(lab), label_chars) for lab in labels}
    has_target = bool(f["target"].notna().any())
    fig = go.Figure()
    for name in dict.fromkeys(f["series"]):
        part = f[f["series"] == name]
        fig.add_bar(y=[wrapped[x] for x in part["label"]], x=part["value"], name=str(name), orientation="h",
                    marker={"color": part["colour"].iloc[0] if chart.grouped else list(part["colour"]),
                            "line": {"color": "#000", "width": 2}},
                    text=None if has_target else [f" {t}" for t in part["text"]], textposition="outside",
                    cliponaxis=False, constraintext="none",
                    textfont={"size": px, "color": "#000", "family": FONT},
                    customdata=list(part["code"]), hovertext=list(part["text"]), hoverinfo="text",
                    selected={"marker": {"opacity": 1}}, unselected={"marker": {"opacity": 0.45},
                                                                     "textfont": {"color": "#000"}})
    top = max([v for v in list(f["value"]) + list(f["target"]) if pd.notna(v)] or [1.0])
    if has_target:
        t = f.dropna(subset=["target"]).drop_duplicates("label")
        fig.add_scatter(y=[wrapped[x] for x in t["label"]], x=t["target"], mode="markers", name=UI["mt_series_target"],
                        marker={"symbol": "line-ns", "size": 40, "line": {"width": 7, "color": "#000"}},
                        hoverinfo="skip", customdata=list(t["code"]), unselected={"marker": {"opacity": 1}})
        first = f.drop_duplicates("label")
        fig.add_scatter(y=[wrapped[x] for x in first["label"]], x=[top * 1.02] * len(first), mode="text",
                        text=[f"  {t}" for t in first["text"]], textposition="middle right", cliponaxis=False,
                        showlegend=False, unselected={"textfont": {"color": "#000"}},
                        textfont={"size": px, "color": "#000", "family": FONT}, hoverinfo="skip",
                        customdata=list(first["code"]))
    figures.fig_style(fig, height, big=True)  # the one theme, then projector sizes on top of it
    fig.update_layout(
        barmode="group" if chart.grouped else "overlay", bargap=0.22, bargroupgap=0.04, showlegend=False,
        separators=SEPARATORS, font={"family": FONT, "size": px, "color": "#000"},
        # the label room is computed here, not by plotly's automargin: automargin measures text on screen, which
        # the slide's zoom (see CANVAS_W) makes smaller than it is, and would cut the labels at the left
        margin={"l": _label_px(labels, label_chars, px), "r": _text_px([f"  {x}" for x in f["text"]], px), "t": 6, "b": 6},
        hoverlabel={"font": {"size": 24, "family": FONT}}, dragmode=False, clickmode="event+select",
        yaxis={"categoryorder": "array", "categoryarray": [wrapped[x] for x in labels], "autorange": "reversed",
               "automargin": False, "tickfont": {"size": px, "color": "#000"}, "ticks": "", "ticksuffix": "  "},
    )
    fig.update_xaxes(showticklabels=False, showgrid=True, gridcolor="#cccccc", zeroline=True, zerolinecolor="#000",
                     zerolinewidth=3, range=[0, top * 1.03], fixedrange=True)
    fig.update_yaxes(fixedrange=True)
    return fig


def _fitted(chart: mt.Chart, free: int, label_chars: int, px: int) -> tuple[int, int]:
    """(label width in characters, type size) at which every bar and every line of its label fits the room left:
    labels wrap wider first, then the type shrinks, never under MIN_CHART_PX (names are never cut)."""
    tries = [(c, p) for p in range(px, MIN_CHART_PX - 1, -2) for c in (label_chars, int(label_chars * 1.3))]
    for c, p in tries:
        if _need(chart, c, p) <= free - (40 if _legend(chart) else 0):
            return c, p
    return tries[-1]


def _need(chart: mt.Chart, label_chars: int, px: int) -> int:
    """Height (px) the chart needs for all its bars and label lines at this type size."""
    labels = list(dict.fromkeys(chart.frame["label"]))
    per_label = ROW_PX * px / CHART_FONT_PX * (0.45 * chart.frame["series"].nunique() + 0.55 if chart.grouped else 1)
    # plotly gives every category the same height: the label with the most lines sets it for all
    lines = max((len(_lines(str(x), label_chars)) for x in labels), default=1)
    return int(len(labels) * max(per_label, lines * px * 1.2 + 12) + 20)


def _drawn(chart: mt.Chart, free: int, label_chars: int, px: int) -> tuple[str, go.Figure, go.Figure]:
    """The chart's HTML legend, the chart as shown, and as exported (with its legend inside the figure)."""
    if px == CHART_FONT_PX:  # the projector: fit the room (the desk preview keeps its small type)
        label_chars, px = _fitted(chart, free, label_chars, px)
    fig = figure(chart, _chart_height(chart, free, label_chars, px), label_chars, px)
    return _legend(chart), fig, go.Figure(fig).update_layout(showlegend=True, legend={"xref": "paper", "font": {"size": 22}})


def _legend(chart: mt.Chart) -> str:
    """The chart's legend in HTML at slide size: a thick colour swatch per series (its label carries the status
    symbol), and the target tick."""
    f = chart.frame
    items = [(str(name), str(f.loc[f["series"] == name, "colour"].iloc[0])) for name in dict.fromkeys(f["series"])]
    if len(items) < 2 and not f["target"].notna().any():
        return ""
    parts = [f"<span class='mt-key'><i style='background:{html.escape(c)}'></i>{html.escape(n)}</span>" for n, c in items]
    if f["target"].notna().any():
        parts.append(f"<span class='mt-key'><b class='tick'></b>{html.escape(UI['mt_series_target'])}</span>")
    return f"<div class='mt-legend'>{''.join(parts)}</div>"


def _card(k: mt.Kpi) -> str:
    value = f"{html.escape(k.symbol)} {html.escape(k.value)}" if k.symbol else html.escape(k.value)
    return (f"<div class='mt-card' style='border-left-color:{html.escape(k.colour)}'>"
            f"<div class='v'>{value}</div><div class='l'>{html.escape(k.label)}</div>"
            + (f"<div class='n'>{html.escape(k.note)}</div>" if k.note else "") + "</div>")


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
    import re

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


def _chart_height(chart: mt.Chart, free: int, label_chars: int = LABEL_CHARS, px: int = CHART_FONT_PX) -> int:
    """Tall enough for every bar and label line, no taller than the room left on the slide."""
    legend = 40 if _legend(chart) else 0
    return max(200, min(_need(chart, label_chars, px), free - legend))


def _charts(slide: mt.Slide, slide_id: tuple, deck: str, keys: list[str], inp: mt.Inputs, present: bool) -> None:
    # header 165 px, a row of cards 180 px, a chart title 50 px, a line of text 42 px, a margin at the bottom
    used = 165 + 180 * len(slide.kpis) + 50 + (42 if slide.hint and not present else 0) + (42 if slide.note else 0) + 40
    free = SCREEN_H - used
    charts = [c for c in slide.charts if not c.empty]
    show_list = slide.table is not None and not slide.table.empty and len(charts) == 1 and slide.table_kind == "overdue"
    parts = charts + (["list"] if show_list else [])
    if not parts:
        return
    widths = [2, 3] if show_list else [1] * len(parts)
    cols = st.columns(widths) if len(parts) > 1 else [st.container()]
    for col, part in zip(cols, parts):
        column_px = (CANVAS_W - 56 - 16 * (len(parts) - 1)) * widths[parts.index(part)] / sum(widths)
        with col:
            if isinstance(part, str):
                st.markdown(f"<div class='mt-chart-title'>{html.escape(slide.table_title)}</div>", unsafe_allow_html=True)
                table = slide.table[[c for c in slide.table.columns if c != OVERDUE_COLUMNS[3]]]  # type: ignore[index]
                _list(table, _rows_that_fit(table, free - 60 - 42, column_px))
                continue
            # labels wrap narrower where the column is narrower (beside a list, two charts); the normal view (with
            # the sidebar) is a preview on a desk screen, in smaller type
            label_chars = 22 if show_list else 34 if len(parts) > 1 else LABEL_CHARS
            px = CHART_FONT_PX if present else PREVIEW_FONT_PX
            title_lines = -(-int(len(part.title) * CHART_TITLE_PX * 0.58) // int(column_px))  # a long title wraps
            room = free - 42 * max(0, title_lines - 1)
            legend, fig, export = data.memo((*slide_id, part.key, room, label_chars, px), _drawn, part, room, label_chars, px)
            st.markdown(f"<div class='mt-chart-title'>{html.escape(part.title)}</div>{legend}", unsafe_allow_html=True)
            key = f"mt_{slide.key}_{part.key}".replace(":", "_")
            event = exporting.chart(fig, key, f"{slide.title}: {part.title}", slide.filters, export=export,
                                    on_select=part.drill is not None, actions=not present,
                                    # on the projector a fixed width in canvas px: plotly measures its container on
                                    # screen, which the zoom makes smaller, and would lay the chart out twice smaller
                                    width=int(column_px) - 8 if present else "stretch",
                                    config={"displayModeBar": False, "displaylogo": False, "scrollZoom": False})
            picked = ui.picked_point(event, key) if part.drill else None
            if picked:
                _drill(part.drill, picked, deck, keys, inp)


def _header(slide: mt.Slide, n: int, total: int, sample: bool) -> None:
    left, back, count, nxt = st.columns([8, 1.3, 0.9, 1.3], vertical_alignment="center")
    left.markdown(f"<div class='mt-title'>{html.escape(slide.title)}</div>", unsafe_allow_html=True)
    back.button(UI["mt_back"], key="mt_back", on_click=_step, args=(-1, total), disabled=n <= 1, width="stretch")
    count.markdown(f"<div class='mt-counter'>{html.escape(UI['mt_counter'].format(n=n, total=total))}</div>",
                   unsafe_allow_html=True)
    nxt.button(UI["mt_next"], key="mt_next", on_click=_step, args=(1, total), disabled=n >= total, width="stretch")
    parts = [f"<b>{html.escape(k)}:</b> {html.escape(v)}" for k, v in slide.filters.items()]
    if sample:
        parts.append(f"<span class='mt-sample'>{html.escape(UI['col_sample'].upper())}</span>")
    st.markdown(f"<div class='mt-filters'>{' · '.join(parts)}</div>", unsafe_allow_html=True)


def _exports(inp: mt.Inputs, kind: str, code: str | None, period: Period, version: str) -> None:
    """The brief and the handout, made on a click (a few seconds), then offered for download."""
    import settings
    from exports.brief import build_brief
    from exports.brief_data import brief_deck, handout_for

    st.subheader(UI["mt_exports"])
    sig = (version, period.key, kind, code)
    # Vietnamese file names ("Bản tin CCHC – Huyện Giao Thủy – Quý II-2025.pptx"); Streamlit sends an ASCII
    # fallback beside the UTF-8 name in Content-Disposition
    where = mt.resolve(inp, kind, code).name
    stem = UI["mt_file_stem"].format(scope=where, period=fmt_quarter(period.year, period.quarter).replace("/", "-"))
    stem = "".join(c for c in stem if c not in '\\/:*?"<>|')
    left, right = st.columns(2)
    if left.button(UI["mt_brief_make"], key="mt_brief_make", icon=":material/slideshow:"):
        with st.spinner(UI["mt_brief_make"] + "…"):
            st.session_state["_mt_brief"] = (sig, build_brief(brief_deck(inp, kind, code, settings.today())))
    if right.button(UI["mt_excel_make"], key="mt_excel_make", icon=":material/table_view:"):
        with st.spinner(UI["mt_excel_make"] + "…"):
            st.session_state["_mt_xlsx"] = (sig, handout_for(inp, kind, code, settings.today()))
    brief = st.session_state.get("_mt_brief")
    if brief and brief[0] == sig:
        left.download_button(UI["mt_brief_download"], brief[1], file_name=f"{stem}.pptx", mime=PPTX_MIME,
                             key="mt_brief_dl", icon=":material/download:", type="primary")
    xlsx = st.session_state.get("_mt_xlsx")
    if xlsx and xlsx[0] == sig:
        right.download_button(UI["mt_excel_download"], xlsx[1], file_name=f"{UI['mt_file_handout']} – {stem}.xlsx", mime=exporting.XLSX_MIME,
                              key="mt_excel_dl", icon=":material/download:", type="primary")


def _present_link(kind: str, code: str | None, period: Period, n: int) -> str:
    params = {"present": "1", "deck": kind, "slide": str(n), "period": period.key}
    if kind == "district" and code:
        params["unit"] = code
    if kind == "agency" and code:
        params["agency"] = code
    return "/trinh-chieu?" + urlencode(params)


def main() -> None:
    """The page."""
    present = filters.param("present") == "1"
    st.html(CSS + (PRESENT_CSS if present else ""))
    auth.require(auth.READERS)
    if not present:  # the preview has the page's title like every view; the projector shows the slide alone
        st.title(UI["page_present"])
    latest_q = data.latest_quarter()
    if latest_q is None:
        ui.empty(UI["no_data"])
        return
    period = _period(Period(*latest_q), present)
    version = data.version()
    inp = _inputs(period.year, period.quarter)
    kind, code = _deck_choice(inp, present)
    try:
        keys = _outline(period.year, period.quarter, kind, code)
    except mt.DeckError as exc:
        st.markdown(f"<div class='mt-text'>{html.escape(str(exc))}</div>", unsafe_allow_html=True)
        kind, code = "province", None
        keys = _outline(period.year, period.quarter, kind, code)
    total = len(keys)
    raw = filters.param("slide")
    if raw is None and kind == "province" and mt.find_slide(keys, unit=filters.param("unit")) is not None:
        n = mt.find_slide(keys, unit=filters.param("unit")) + 1  # type: ignore[operator]
    else:
        n = int(raw) if raw and raw.isdigit() else 1
    n = min(max(n, 1), total)
    filters.set_param("slide", str(n))
    slide_id = (period.year, period.quarter, kind, code, keys[n - 1], filters.param("target"))
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
        link = _present_link(kind, code, period, n)
        st.link_button(UI["mt_open_present"], link, icon=":material/co_present:")
        st.code(link, language=None)
        _exports(inp, kind, code, period, version)
        if slide.table is not None and not slide.table.empty:
            exporting.table(slide.table, f"mt_table_{slide.key}".replace(":", "_"), slide.table_title, slide.filters,
                            exporting.slug(slide.table_title, "danh-sach"))


main()
