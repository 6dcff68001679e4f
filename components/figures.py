"""Figures are pure functions: a DataFrame in, a plotly Figure out, all through one fig_style().

No Streamlit here, so figures are tested without a browser and reused by the exports.
"""
from __future__ import annotations

import dataclasses
import html
import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from formats import PERCENT_SUFFIX, fmt_number
from analytics.progress import t_to_label
from catalogue import PAR_COMPONENTS, PROGRESS_STATUSES, RANK_GROUPS, TASK_STATUSES, ordered_labels, UI

if TYPE_CHECKING:
    from analytics.meeting import Chart

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
SEPARATORS = ",."  # 1.234,5
# A lean theme instead of plotly's default template: that template is about nine tenths of a small figure's
# specification, deep-copied and serialised on every rerun of every chart, and fig_style sets everything we
# want from a theme itself.
LEAN_TEMPLATE = go.layout.Template(layout={"hovermode": "closest"})


def fig_style(fig: go.Figure, height: int = 420, title: str | None = None, big: bool = False) -> go.Figure:
    """The one theme: Vietnamese separators, readable fonts, white background, legend on top."""
    size = 22 if big else 14
    fig.layout.template = LEAN_TEMPLATE
    fig.update_layout(
        separators=SEPARATORS, font={"family": FONT, "size": size, "color": "#111111"},
        paper_bgcolor="white", plot_bgcolor="white", height=height,
        margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 10},
        # the legend sits above the plot, its rows as wide as the figure, not only the plot (narrow beside long
        # labels on a phone): plotly wraps a horizontal legend at the plot's width plus the margin on its anchored
        # side only when it is placed beyond the plot's edge (x > 1 for the right one), hence a hair right of it,
        # anchored there: its rows grow leftwards and stay inside the figure at any width. On a narrow screen many
        # entries wrap onto rows: bounded, plotly scrolls the rest, never the plot's room.
        legend={"orientation": "h", "x": 1 + LEGEND_HAIR, "xanchor": "right", "y": 1.02, "yanchor": "bottom", "title": None,
                "maxheight": LEGEND_MAX_PX, "traceorder": "normal", "font": {"size": size - 2}},
        title={"text": title, "x": 0, "font": {"size": size + 4}} if title else None,
        hoverlabel={"font": {"family": FONT}},
        colorway=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"],  # Okabe–Ito
    )
    # automargin: tick labels and axis titles get the room they need (a 10 px margin would cut them off)
    fig.update_xaxes(gridcolor="#dddddd", zerolinecolor="#999999", automargin=True)
    fig.update_yaxes(gridcolor="#dddddd", zerolinecolor="#999999", automargin=True)
    return fig


def empty_figure(message: str, height: int = 300) -> go.Figure:
    """A blank figure that says what is missing."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 18})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig_style(fig, height)



# --- page charts at any width: a phone (400 px), a 1280 × 720 projector, a desk screen -------------------------
# Plotly lays a chart out in the browser at the width it gets there, which the figure does not know. So the room a
# chart's text needs is given in pixels that hold at every width: category labels wrap at TICK_CHARS characters
# (full names, never cut; the hover has them too), the values written right of the bars get a right margin as wide
# as the widest of them, and a legend is bounded in height (plotly scrolls the rest) so it never takes the plot.
TICK_CHARS = 24
CHAR_EM = 0.62  # the average width of a DejaVu Sans glyph, in em
LEGEND_MAX_PX = 96
LEGEND_HAIR = 0.0005  # of the plot's width: under a pixel (see fig_style)
TICK_LINE_PX = 18  # one line of a 14 px tick label
ABOVE_CHARS = 36  # a label written above its bar wraps here: it fits across a phone's chart


def wrapped_ticks(labels: list, width: int = TICK_CHARS) -> dict:
    """Axis settings that show each category wrapped at `width` characters; the data (and a click's point) keep
    the full name."""
    cats = list(dict.fromkeys(str(x) for x in labels))
    return {"tickmode": "array", "tickvals": cats, "ticktext": [wrap_label(c, width) for c in cats]}


def most_lines(labels: list, width: int = TICK_CHARS) -> int:
    """Lines of the longest wrapped category label (plotly gives every category the same height)."""
    return max((len(label_lines(str(x), width)) for x in labels), default=1)


def row_px(labels: list, bars: int = 1, width: int = TICK_CHARS) -> int:
    """Height (px) of one category row: its bars, or its label's lines, whichever is taller."""
    return max(14 + 12 * bars, most_lines(labels, width) * TICK_LINE_PX + 10)


def value_room(texts: list, size: int = 14) -> int:
    """Right margin (px) for the widest value label written right of a bar (its bar may end at the plot's edge)."""
    return int(max((len(str(t)) for t in texts), default=1) * size * CHAR_EM) + 16


_TASK_ORDER = ["done", "done_late", "in_progress", "not_started", "overdue", "continuous", "no_report"]


def status_bars(df: pd.DataFrame, category: str, title: str | None = None, big: bool = False,
                height: int | None = None) -> go.Figure:
    """Horizontal stacked bars: one bar per category, one segment per task status, as shares of the category's
    assignments (areas of different sizes compare by rates); the counts are in the hover."""
    if df.empty:
        return empty_figure(UI["fig_no_data"])
    codes = [c for c in _TASK_ORDER if c in df]
    total = df[codes].sum(axis=1).where(lambda t: t > 0)
    cats = df[category].to_numpy()  # arrays, not Series: plotly converts a Series through narwhals on every trace
    fig = go.Figure()
    for code in codes:
        e = TASK_STATUSES[code]
        share = 100 * df[code] / total
        hover = [f"{cat}<br>{e.label}: {fmt_number(p, 1)} % ({fmt_number(n, 0)}/{fmt_number(t, 0)})"
                 for cat, p, n, t in zip(df[category], share, df[code], total)]
        fig.add_bar(y=cats, x=share.to_numpy(), name=e.label, orientation="h", marker_color=e.colour,
                    hovertext=hover, hoverinfo="text", customdata=cats)
    cats = list(df[category])
    # each area's name above its bar, across the whole plot: beside the bars, long names took half of a narrow
    # chart, and the legend (rows as wide as the plot) took its height. A row is the label's lines, then the bar.
    label_size = 22 if big else 14  # the figure's type, which the labels keep (a PNG export sets a bigger one)
    label_px = most_lines(cats, ABOVE_CHARS) * label_size * 1.3 + 4
    bar_px = 30 if big else 22
    row = int(label_px + bar_px + 12)
    fig.update_traces(width=bar_px / row, offset=0.5 - (bar_px + 6) / row)
    for i, cat in enumerate(cats):
        fig.add_annotation(x=0, xref="paper", xanchor="left", y=i - 0.5 + 3 / row, yref="y", yanchor="top",
                           text=wrap_label(str(cat), ABOVE_CHARS), showarrow=False, align="left")
    # the first area on top: the axis runs downwards, from the top of the first row to the bottom of the last
    fig.update_layout(barmode="stack", yaxis={"autorange": False, "range": [len(cats) - 0.5, -0.5],
                                              "showticklabels": False, "showgrid": False})
    # plain numbers on the axis (its title says "%"): a "0 %" half under the plot's left edge would need a wider
    # left margin, which narrows the legend's rows (they reach from the plot's right edge to the figure's left one)
    fig.update_xaxes(range=[0, 100], title=UI["fig_share_of_assignments"])
    fig = fig_style(fig, height or max(300, row * len(df) + 170), title, big)
    # half of the "100" under the plot's right edge: room for it, or plotly leaves it out
    return fig.update_layout(margin={"r": value_room(["100"], 22 if big else 14) // 2})


def progress_counts(counts: dict[str, dict[str, int]], title: str | None = None, big: bool = False) -> go.Figure:
    """Indicator statuses per horizon: {"2025": {"achieved": 3, ...}, "2030": {...}} as stacked bars."""
    horizons = list(counts)
    fig = go.Figure()
    for code, e in PROGRESS_STATUSES.items():
        vals = [counts[h].get(code, 0) for h in horizons]
        fig.add_bar(x=[UI["fig_target_year"].format(year=h) for h in horizons], y=vals, name=f"{e.symbol} {e.label}", marker_color=e.colour,
                    text=[v if v else "" for v in vals], textposition="inside")
    fig.update_layout(barmode="stack")
    return fig_style(fig, 380, title, big)


def trend(series: pd.DataFrame, targets: list[tuple[str, float, float]], trajectories: list[tuple[str, float, float, float, float]],
          unit: str = PERCENT_SUFFIX, title: str | None = None, big: bool = False, by: str | None = None) -> go.Figure:
    """A history line (t, value[, by]) with target markers (label, t, value) and trajectory lines (label, t0, v0, t1, v1).

    t is a decimal year at the end of a period (2024.75 = end of Q3 2024); each year's label sits in the
    middle of its span, so a 2025 target (t = 2026.0) is drawn at the right edge of "2025".
    """
    if series.empty:
        return empty_figure(UI["fig_no_indicator_data"])
    fig = go.Figure()
    groups = [(None, series)] if by is None else list(series.groupby(by, sort=False))
    for name, part in groups:
        part = part.sort_values("t")
        hover = [f"{t_to_label(t)}: {fmt_number(v)}{unit}" for t, v in zip(part["t"], part["value"])]
        fig.add_scatter(x=part["t"], y=part["value"], mode="lines+markers", name=str(name) if name else UI["fig_actual"],
                        line={"width": 3}, hovertext=hover, hoverinfo="text")
    for label, t0, v0, t1, v1 in trajectories:
        fig.add_scatter(x=[t0, t1], y=[v0, v1], mode="lines", name=label, line={"dash": "dash", "width": 2, "color": "#555555"},
                        hoverinfo="skip")
    for label, t, v in targets:
        # the value is in the legend (and the hover): a label written beside the star ran out of a narrow chart
        fig.add_scatter(x=[t], y=[v], mode="markers", name=f"{label}: {fmt_number(v)}{unit}",
                        marker={"symbol": "star", "size": 16, "color": "#000000"}, cliponaxis=False,
                        hovertext=[f"{label}: {fmt_number(v)}{unit}"], hoverinfo="text")
    xs = list(series["t"]) + [t for _l, t, _v in targets] + [x for tr in trajectories for x in (tr[1], tr[3])]
    first, last = int(np.floor(min(xs) - 1e-6)), int(np.ceil(max(xs) - 1e-6))
    years = list(range(first, last))
    fig.update_xaxes(title=None, tickvals=[y + 0.5 for y in years], ticktext=[str(y) for y in years], showgrid=False,
                     range=[first - 0.05, last + 0.05])
    for y in range(first, last + 1):
        fig.add_vline(x=y, line={"color": "#dddddd", "width": 1}, layer="below")
    fig.update_yaxes(title=unit.strip())
    return fig_style(fig, 420, title, big)


def sparkline_values(series: pd.DataFrame) -> list[float]:
    """Values in time order, for a table sparkline column."""
    if series.empty:
        return []
    return [float(v) for v in series.sort_values("t")["value"].tolist() if not pd.isna(v)]


def unit_map(units: pd.DataFrame, colour_by: str, labels: dict[str, str], colours: dict[str, str],
             title: str | None = None, big: bool = False, value_col: str | None = None, unit: str = "") -> go.Figure:
    """Units placed at their coordinates (no map tiles: works offline), coloured by a status code column."""
    u = units.dropna(subset=["lat", "lon"])
    if u.empty:
        return empty_figure(UI["fig_no_coords"])
    fig = go.Figure()
    size = 34 if (u["level"] == "district").any() else 18
    for code, part in _in_order(u, colour_by, labels):
        text = part["short_name"]
        hover = part["name"] + ("<br>" + part[value_col].map(lambda v: fmt_number(v) + unit) if value_col else "")
        fig.add_scatter(x=part["lon"].to_numpy(), y=part["lat"].to_numpy(), mode="markers+text",  # arrays: see status_bars
                        name=labels.get(code, code), text=text.to_numpy(), textposition="top center",
                        customdata=part["code"].to_numpy(), hovertext=hover.to_numpy(), hoverinfo="text",
                        marker={"size": size, "color": colours.get(code, "#999999"), "line": {"width": 2, "color": "#111"}})
    # room around the outermost units for their names (written centred above them), at any width: a name is about
    # as wide as a fifth of a phone's map
    lon0, lon1, lat0, lat1 = float(u["lon"].min()), float(u["lon"].max()), float(u["lat"].min()), float(u["lat"].max())
    span = max(lon1 - lon0, lat1 - lat0, 0.02)
    fig.update_xaxes(visible=False, range=[lon0 - 0.16 * span, lon1 + 0.16 * span])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.07, range=[lat0 - 0.06 * span, lat1 + 0.12 * span])
    return fig_style(fig, 560, title, big)


def _in_order(df: pd.DataFrame, column: str, labels: dict[str, str]) -> list[tuple[str, pd.DataFrame]]:
    """Groups of df by a code column, in the order of `labels` (the catalogue's), unknown codes last."""
    groups = dict(list(df.groupby(column, sort=False)))
    order = [c for c in labels if c in groups] + [c for c in groups if c not in labels]
    return [(c, groups[c]) for c in order]


def ranking_bars(table: pd.DataFrame, names: dict[str, str], highlight: str | None = None, title: str | None = None,
                 big: bool = False) -> go.Figure:
    """Score per subject, best first, coloured by rank group; the selected subject outlined."""
    if table.empty:
        return empty_figure(UI["fig_no_par"])
    t = table.sort_values("rank")
    labels = [f"{int(r)}. {names.get(c, c)}" for r, c in zip(t["rank"], t["subject_code"])]
    colours = [RANK_GROUPS[g].colour if g in RANK_GROUPS else "#999999" for g in t["group"]]
    widths = [4 if c == highlight else 0 for c in t["subject_code"]]
    fig = go.Figure(go.Bar(y=labels, x=t["score"], orientation="h", marker={"color": colours, "line": {"width": widths, "color": "#000"}},
                           customdata=t["subject_code"], text=[fmt_number(v, 2) for v in t["score"]],
                           textposition="outside", hovertemplate="%{y}: %{x:,.2f}<extra></extra>"))
    fig.update_layout(yaxis={"autorange": "reversed", "automargin": True, **wrapped_ticks(labels)})
    fig.update_traces(cliponaxis=False)
    fig.update_xaxes(range=[0, float(t["score"].max()) * 1.02])
    fig = fig_style(fig, max(320, row_px(labels) * len(t) + 120), title, big)
    # the score is written right of its bar, the longest one ending at the plot's edge: room for it in the margin
    # (in pixels, whatever the chart's width), or it is cut at the chart's edge
    return fig.update_layout(margin={"r": value_room(fig.data[0].text, 22 if big else 14)})


def components_vs(df: pd.DataFrame, title: str | None = None, big: bool = False) -> go.Figure:
    """Component scores (% of maximum) of one subject against the leader and the average."""
    if df.empty:
        return empty_figure(UI["fig_no_components"])
    d = df.copy()
    d["label"] = d["component"].map(lambda c: PAR_COMPONENTS[c].label if c in PAR_COMPONENTS else c)
    fig = go.Figure()
    for col, name, colour in (("score", UI["fig_subject"], "#0072B2"), ("leader_score", UI["fig_leader"], "#009E73"),
                              ("average_score", UI["fig_average"], "#E69F00")):
        pct = 100 * d[col] / d["max_score"].where(d["max_score"] > 0)
        fig.add_bar(y=d["label"], x=pct, name=name, orientation="h", marker_color=colour,
                    hovertemplate="%{y}: %{x:,.1f} " + UI["fig_pct_of_max"] + "<extra>" + name + "</extra>")
        fig.data[-1].update(text=[fmt_number(v, 1) for v in pct], textposition="outside", cliponaxis=False)
    labels = list(d["label"])
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed", "automargin": True, **wrapped_ticks(labels)})
    # the axis starts near the lowest score, not at 0: scores of 90–100 % differ by half points, which a 0–100
    # axis flattens into equal bars
    shown = pd.concat([100 * d[c] / d["max_score"].where(d["max_score"] > 0)
                       for c in ("score", "leader_score", "average_score")]).dropna()
    low = max(0.0, float(np.floor((shown.min() - 2) / 5) * 5)) if not shown.empty else 0.0
    high = float(shown.max()) + max(0.5, (float(shown.max()) - low) * 0.02) if not shown.empty else 101.0
    fig.update_xaxes(title=UI["fig_pct_of_max"] + ("<br>" + UI["fig_axis_from"].format(low=fmt_number(low, 0)).strip() if low > 0 else ""),
                     range=[low, high])
    fig = fig_style(fig, 150 + row_px(labels, 3) * len(d), title, big)
    # the values are written right of the bars, the longest ending near the plot's edge: room for them in the margin;
    # the axis title's second line (where the axis starts) gets its own room at the bottom
    return fig.update_layout(margin={"r": value_room([x for t in fig.data for x in t.text], 22 if big else 14),
                                     "b": 10 + (int((22 if big else 14) * 1.4) if low > 0 else 0)})


def task_status_order() -> list[str]:
    """Task status labels in catalogue order."""
    return ordered_labels(TASK_STATUSES)


def safe_ratio(a: float, b: float) -> float:
    """a/b, NaN when b is 0."""
    return float(a) / float(b) if b else np.nan


def unit_bars(df: pd.DataFrame, value_col: str, colour_by: str, labels: dict[str, str], colours: dict[str, str],
              unit: str = "", title: str | None = None, big: bool = False, reference: float | None = None,
              reference_label: str | None = None) -> go.Figure:
    """One horizontal bar per unit (name, value), coloured by a status code column, the unit code as customdata
    (for click-through); an optional dashed reference line (the target)."""
    d = df.dropna(subset=[value_col]) if value_col in df else df.iloc[0:0]
    if d.empty:
        return empty_figure(UI["fig_no_unit_data"])
    d = d.sort_values(value_col, ascending=False)
    fig = go.Figure()
    for code, part in _in_order(d, colour_by, labels):
        fig.add_bar(y=part["name"], x=part[value_col], orientation="h", name=labels.get(code, code),
                    marker={"color": colours.get(code, "#999999"), "line": {"width": 1, "color": "#111"}},
                    customdata=part["code"], text=[fmt_number(v) + unit for v in part[value_col]], textposition="outside",
                    hovertext=[f"{n}: {fmt_number(v)}{unit}" for n, v in zip(part["name"], part[value_col])],
                    hoverinfo="text")
    fig.update_traces(cliponaxis=False)
    if reference is not None and not pd.isna(reference):
        # the line is named in the legend: a label written at its top ran out of a narrow chart
        fig.add_vline(x=reference, line={"dash": "dash", "color": "#000", "width": 2}, layer="below")  # under the values
        fig.add_scatter(x=[None], y=[None], mode="lines", line={"dash": "dash", "color": "#000", "width": 2},
                        name=f"{reference_label or UI['fig_reference']}: {fmt_number(reference)}{unit}", hoverinfo="skip")
    order = list(d["name"])
    fig.update_layout(yaxis={"categoryorder": "array", "categoryarray": order[::-1], "automargin": True,
                             **wrapped_ticks(order)}, barmode="overlay")
    top = max(float(d[value_col].max()), float(reference) if reference is not None and not pd.isna(reference) else 0.0)
    fig.update_xaxes(range=[min(0.0, float(d[value_col].min())), top * 1.02 if top > 0 else 1.0])
    fig.update_xaxes(title=unit.strip() or None)
    fig = fig_style(fig, max(300, row_px(order) * len(d) + 170), title, big)
    # the values are written right of the bars, the longest ending at the plot's edge: room for them in the margin
    return fig.update_layout(margin={"r": value_room([x for t in fig.data if t.type == "bar" for x in t.text],
                                                     22 if big else 14)})


def count_bars(df: pd.DataFrame, category: str, value: str, colour: str, title: str | None = None,
               big: bool = False) -> go.Figure:
    """Horizontal bars of one count per category (largest first), one colour."""
    if df.empty:
        return empty_figure(UI["fig_no_data"])
    d = df.sort_values(value, ascending=False)
    fig = go.Figure(go.Bar(y=d[category], x=d[value], orientation="h", marker_color=colour,
                           text=[fmt_number(v, 0) for v in d[value]], textposition="outside",
                           hovertemplate="%{y}: %{x:,.0f}<extra></extra>", customdata=d[category]))
    cats = list(d[category])
    fig.update_layout(yaxis={"autorange": "reversed", "automargin": True, **wrapped_ticks(cats)})
    fig.update_traces(cliponaxis=False)
    fig.update_xaxes(visible=False, range=[0, float(d[value].max()) * 1.02])
    fig = fig_style(fig, max(240, row_px(cats) * len(d) + 110), title, big)
    # the counts are written right of the bars, the longest ending at the plot's edge: room for them in the margin
    return fig.update_layout(margin={"r": value_room(fig.data[0].text, 22 if big else 14)})


def end_positions(n: int) -> list[str]:
    """Where the value labels of a line of n points go: above each point, the first one's to the right of it and
    the last one's to the left, so neither runs out of the chart at its edge."""
    if n < 2:
        return ["top center"] * n
    return ["top right"] + ["top center"] * (n - 2) + ["top left"]


def score_line(df: pd.DataFrame, x: str, y: str, labels: list[str] | None = None, title: str | None = None,
               height: int = 260, y_title: str | None = None) -> go.Figure:
    """A small line with markers and value labels (a score by year)."""
    d = df.dropna(subset=[y])
    if d.empty:
        return empty_figure(UI["fig_no_data"], height)
    text = labels if labels is not None else [fmt_number(v, 2) for v in d[y]]
    fig = go.Figure(go.Scatter(x=d[x], y=d[y], mode="lines+markers+text", text=text,
                               textposition=end_positions(len(d)), line={"width": 3, "color": "#0072B2"},
                               marker={"size": 10}, cliponaxis=False, hovertext=text, hoverinfo="text"))
    fig.update_xaxes(tickvals=list(d[x]), ticktext=[str(v) for v in d[x]], title=None)
    lo, hi = float(d[y].min()), float(d[y].max())
    pad = max(1.0, (hi - lo) * 0.3)
    fig.update_yaxes(range=[lo - pad, hi + pad], title=y_title)
    fig = fig_style(fig, height, title)
    fig.update_layout(showlegend=False)
    return fig


# --- slides on the projector (pages/trinh-chieu.py) ----------------------------------------------
# Type sizes in px for a 1080p projector read from 8 m: the chart type, one bar row at that type, where a bar label
# wraps onto a second line, and the smallest chart type (read from the back of the room).
SLIDE_FONT_PX = 28
ROW_PX = 66
LABEL_CHARS = 44
MIN_SLIDE_FONT_PX = 24
SLIDE_LEGEND_PX = 40  # the HTML legend the page draws over a chart (see slide_has_legend)
SLIDE_MORE_PX = 42  # the line under a chart cut to its first bars ("và 12 mục khác")


def label_lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A bar label wrapped in full at `width` characters (an explicit line break in the label is kept): never cut."""
    lines: list[str] = []
    for part in (p for p in str(label).split("\n") if p.strip()):
        lines += textwrap.wrap(part, width, break_long_words=False) or [part]
    return lines or [str(label)]


def wrap_label(label: str, width: int = LABEL_CHARS) -> str:
    """A bar label as plotly tick text: every line of it, escaped."""
    return "<br>".join(html.escape(x) for x in label_lines(label, width))


def label_px(labels: list, label_chars: int, px: int) -> int:
    """Room (px) for the widest wrapped bar label."""
    widest = max((len(line) for lab in labels for line in label_lines(str(lab), label_chars)), default=4)
    return int(widest * px * 0.62 + px)


def text_px(texts: list[str], px: int = SLIDE_FONT_PX) -> int:
    """Room (px) for the longest value text right of the bars at projector size."""
    return int(max((len(str(t)) for t in texts), default=4) * px * 0.6 + 30)


def slide_has_legend(chart: Chart) -> bool:
    """Whether a slide chart needs a legend: two series or more, or a target tick."""
    f = chart.frame
    return f["series"].nunique() >= 2 or bool(f["target"].notna().any())


def slide_need(chart: Chart, label_chars: int, px: int, rows: int | None = None) -> int:
    """Height (px) a slide chart needs for all its bars (or its first `rows` labels) and their label lines at this
    type size."""
    labels = list(dict.fromkeys(chart.frame["label"]))[:rows]
    per_label = ROW_PX * px / SLIDE_FONT_PX * (0.45 * chart.frame["series"].nunique() + 0.55 if chart.grouped else 1)
    # plotly gives every category the same height: the label with the most lines sets it for all
    lines = max((len(label_lines(str(x), label_chars)) for x in labels), default=1)
    return int(len(labels) * max(per_label, lines * px * 1.2 + 12) + 20)


def slide_fit(chart: Chart, free: int, label_chars: int, px: int) -> tuple[int, int, int]:
    """(label width in characters, type size, labels shown) at which every bar and every line of its label, drawn
    as HTML bars (bars_need), fits the room left: labels wrap wider first, then the type shrinks, never under
    MIN_SLIDE_FONT_PX (names are never cut). A chart with more bars than fit at the smallest type shows its first
    ones (the frames come worst first), with room for a line saying how many more there are (SLIDE_MORE_PX)."""
    n = chart.frame["label"].nunique()
    room = free - (SLIDE_LEGEND_PX if slide_has_legend(chart) else 0)
    tries = [(c, p) for p in range(px, MIN_SLIDE_FONT_PX - 1, -2) for c in (label_chars, int(label_chars * 1.3))]
    for c, p in tries:
        if bars_need(chart, c, p) <= room:
            return c, p, n
    c, p = tries[-1]
    rows = n
    while rows > 1 and bars_need(chart, c, p, rows) > room - SLIDE_MORE_PX:
        rows -= 1
    return c, p, rows


def slide_head(chart: Chart, rows: int) -> Chart:
    """The chart with its first `rows` labels only (all their series)."""
    f = chart.frame
    keep = list(dict.fromkeys(f["label"]))[:rows]
    return dataclasses.replace(chart, frame=f[f["label"].isin(keep)].reset_index(drop=True))


def slide_height(chart: Chart, free: int, label_chars: int = LABEL_CHARS, px: int = SLIDE_FONT_PX) -> int:
    """Tall enough for every bar and label line, no taller than the room left on the slide."""
    legend = SLIDE_LEGEND_PX if slide_has_legend(chart) else 0
    return max(200, min(slide_need(chart, label_chars, px), free - legend))


def slide_bars(chart: Chart, height: int, label_chars: int = LABEL_CHARS, px: int = SLIDE_FONT_PX) -> go.Figure:
    """A slide chart as horizontal bars in projector type: the value (with its status symbol) right of each bar
    (targets: in a column right of the target ticks), the target as a thick black tick, each bar's code as
    customdata (for a click). The legend is drawn by the page in HTML."""
    f = chart.frame
    labels = list(dict.fromkeys(f["label"]))
    wrapped = {lab: wrap_label(str(lab), label_chars) for lab in labels}
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
    fig_style(fig, height, big=True)  # the one theme, then projector sizes on top of it
    fig.update_layout(
        barmode="group" if chart.grouped else "overlay", bargap=0.22, bargroupgap=0.04, showlegend=False,
        separators=SEPARATORS, font={"family": FONT, "size": px, "color": "#000"},
        # the label room is computed here, not by plotly's automargin: automargin measures text on screen, which
        # the slide's zoom makes smaller than it is, and would cut the labels at the left
        margin={"l": label_px(labels, label_chars, px), "r": text_px([f"  {x}" for x in f["text"]], px), "t": 6, "b": 6},
        hoverlabel={"font": {"size": 24, "family": FONT}}, dragmode=False, clickmode="event+select",
        yaxis={"categoryorder": "array", "categoryarray": [wrapped[x] for x in labels], "autorange": "reversed",
               "automargin": False, "tickfont": {"size": px, "color": "#000"}, "ticks": "", "ticksuffix": "  "},
    )
    fig.update_xaxes(showticklabels=False, showgrid=True, gridcolor="#cccccc", zeroline=True, zerolinecolor="#000",
                     zerolinewidth=3, range=[0, top * 1.03], fixedrange=True)
    fig.update_yaxes(fixedrange=True)
    return fig


# --- slide charts in HTML (the projector page draws these; the plotly figure above is the PNG export) ---------------
# Plotly lays a chart out at the width Streamlit measures on screen, which the slide's zoom makes smaller than the
# canvas it was built for (a chart came out two thirds as wide at 1280 × 720, its labels cut at the left). Bars in
# HTML are laid out with the rest of the slide and zoom with it, and the browser wraps their labels.
BAR_EM, GROUPED_BAR_EM, LINE_EM, ROW_GAP_EM = 1.25, 0.85, 1.2, 0.3


def bars_need(chart: Chart, label_chars: int, px: int, rows: int | None = None) -> int:
    """Height (px) the HTML bars of a slide chart take at this type size (its first `rows` labels): each row as
    tall as its label's lines or its bars, whichever is taller."""
    f = chart.frame
    labels = list(dict.fromkeys(f["label"]))[:rows]
    series = f["series"].nunique() if chart.grouped else 1
    bars = series * LINE_EM * px + 6 if chart.grouped else 1.6 * px + 6
    total = sum(max(len(label_lines(str(x), label_chars)) * LINE_EM * px, bars) + ROW_GAP_EM * px for x in labels)
    return int(total + 16)


def _bar(value: object, scale: float, colour: str) -> str:
    share = max(0.0, float(value)) / scale if pd.notna(value) and scale > 0 else 0.0
    if share <= 0:
        return "<span class='mt-bar mt-bar-none'></span>"
    return (f"<span class='mt-bar' style='width:calc((100% - var(--mt-val)) * {share:.4f});"
            f"background:{html.escape(str(colour), quote=True)}'></span>")


def slide_bars_html(chart: Chart, label_chars: int, px: int, hrefs: dict[str, str] | None = None) -> str:
    """A slide chart as HTML bars: each label in full (wrapped by the browser, never cut), its bar (grouped: one per
    series) with the value and status symbol beside it, the target as a thick black tick with the values in a column
    right of the ticks. A bar whose code has an href (`hrefs`) is a link (data-mt-go: the page's script opens it in
    the same session)."""
    # plain records, grouped by label in one pass: a boolean selection per label cost more than the page's drawing
    records = chart.frame.to_dict("records")
    parts: dict[object, list[dict]] = {}
    for r in records:
        parts.setdefault(r["label"], []).append(r)
    has_target = any(pd.notna(r["target"]) for r in records)
    top = max([v for r in records for v in (r["value"], r["target"]) if pd.notna(v)] or [1.0])
    scale = float(top) * 1.03 if top > 0 else 1.0
    val_em = max((len(f"{r['text']}") for r in records), default=4) * 0.62 + 0.8
    rows = []
    for lab, part in parts.items():
        first = part[0]
        lines = []
        if chart.grouped:
            for r in part:
                lines.append(f"<div class='mt-line mt-grouped'>{_bar(r['value'], scale, r['colour'])}"
                             f"<span class='mt-val'>{html.escape(str(r['text']))}</span></div>")
        elif has_target:
            tick = (f"<span class='mt-tick' style='left:calc((100% - var(--mt-val)) * {float(first['target']) / scale:.4f})'>"
                    "</span>" if pd.notna(first["target"]) else "")
            lines.append(f"<div class='mt-line'>{_bar(first['value'], scale, first['colour'])}{tick}"
                         f"<span class='mt-fill'></span><span class='mt-val mt-col'>{html.escape(str(first['text']))}</span></div>")
        else:
            lines.append(f"<div class='mt-line'>{_bar(first['value'], scale, first['colour'])}"
                         f"<span class='mt-val'>{html.escape(str(first['text']))}</span></div>")
        label = "<br>".join(html.escape(x) for x in str(lab).split("\n") if x.strip()) or html.escape(str(lab))
        inner = f"<div class='mt-lab'>{label}</div><div class='mt-track'>{''.join(lines)}</div>"
        href = (hrefs or {}).get(str(first["code"]))
        if href:
            rows.append(f"<a class='mt-row mt-go' href='{html.escape(href, quote=True)}' target='_self' "
                        f"data-mt-go='1'>{inner}</a>")
        else:
            rows.append(f"<div class='mt-row'>{inner}</div>")
    style = f"--mt-lab:{int(label_chars)}ch;--mt-val:{val_em:.2f}em;font-size:{int(px)}px"
    return f"<div class='mt-bars' data-chart='{html.escape(chart.key, quote=True)}' style='{style}'>{''.join(rows)}</div>"
