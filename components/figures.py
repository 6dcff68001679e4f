"""Figures are pure functions: a DataFrame in, a plotly Figure out, all through one fig_style().

No Streamlit here, so figures are tested without a browser and reused by the exports.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from formats import PERCENT_SUFFIX, fmt_number
from catalogue import PAR_COMPONENTS, PROGRESS_STATUSES, RANK_GROUPS, TASK_STATUSES, ordered_labels, UI

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
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
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


_TASK_ORDER = ["done", "done_late", "in_progress", "not_started", "overdue", "continuous", "no_report"]


def status_bars(df: pd.DataFrame, category: str, title: str | None = None, big: bool = False,
                height: int | None = None) -> go.Figure:
    """Horizontal stacked bars: one bar per category, one segment per task status, as shares of the category's
    assignments (areas of different sizes compare by rates); the counts are in the hover."""
    if df.empty:
        return empty_figure(UI["fig_no_data"])
    codes = [c for c in _TASK_ORDER if c in df]
    total = df[codes].sum(axis=1).where(lambda t: t > 0)
    fig = go.Figure()
    for code in codes:
        e = TASK_STATUSES[code]
        share = 100 * df[code] / total
        hover = [f"{cat}<br>{e.label}: {fmt_number(p, 1)} % ({fmt_number(n, 0)}/{fmt_number(t, 0)})"
                 for cat, p, n, t in zip(df[category], share, df[code], total)]
        fig.add_bar(y=df[category], x=share, name=e.label, orientation="h", marker_color=e.colour,
                    hovertext=hover, hoverinfo="text", customdata=df[category])
    fig.update_layout(barmode="stack", yaxis={"autorange": "reversed", "automargin": True})
    fig.update_xaxes(range=[0, 100], ticksuffix=" %", title=UI["fig_share_of_assignments"])
    return fig_style(fig, height or max(300, 40 * len(df) + 160), title, big)


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
    from analytics.progress import t_to_label

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
    last_t = max((t for _l, t, _v in targets), default=None)
    for label, t, v in targets:
        # labels below and to the right of the star, clear of the history line; the last one to the left
        fig.add_scatter(x=[t], y=[v], mode="markers+text", name=label, text=[f"{label}: {fmt_number(v)}{unit}"],
                        textposition="bottom left" if t == last_t else "bottom right",
                        marker={"symbol": "star", "size": 16, "color": "#000000"},
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
        fig.add_scatter(x=part["lon"], y=part["lat"], mode="markers+text", name=labels.get(code, code),
                        text=text, textposition="top center", customdata=part["code"], hovertext=hover, hoverinfo="text",
                        marker={"size": size, "color": colours.get(code, "#999999"), "line": {"width": 2, "color": "#111"}})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.07)
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
    fig.update_layout(yaxis={"autorange": "reversed", "automargin": True})
    fig.update_traces(cliponaxis=False)
    fig.update_xaxes(range=[0, float(t["score"].max()) * 1.12])
    return fig_style(fig, max(320, 26 * len(t) + 120), title, big)


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
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed", "automargin": True})
    # the axis starts near the lowest score, not at 0: scores of 90–100 % differ by half points, which a 0–100
    # axis flattens into equal bars
    shown = pd.concat([100 * d[c] / d["max_score"].where(d["max_score"] > 0)
                       for c in ("score", "leader_score", "average_score")]).dropna()
    low = max(0.0, float(np.floor((shown.min() - 2) / 5) * 5)) if not shown.empty else 0.0
    high = float(shown.max()) + max(2.0, (float(shown.max()) - low) * 0.12) if not shown.empty else 105.0
    fig.update_xaxes(title=UI["fig_pct_of_max"] + (UI["fig_axis_from"].format(low=fmt_number(low, 0)) if low > 0 else ""),
                     range=[low, high])
    return fig_style(fig, 120 + 60 * len(d), title, big)


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
    if reference is not None and not pd.isna(reference):
        fig.add_vline(x=reference, line={"dash": "dash", "color": "#000", "width": 2},
                      annotation_text=reference_label or fmt_number(reference), annotation_position="top")
    order = list(d["name"])
    fig.update_layout(yaxis={"categoryorder": "array", "categoryarray": order[::-1], "automargin": True}, barmode="overlay")
    fig.update_traces(cliponaxis=False)
    top = max(float(d[value_col].max()), float(reference) if reference is not None and not pd.isna(reference) else 0.0)
    fig.update_xaxes(range=[min(0.0, float(d[value_col].min())), top * 1.15 if top > 0 else 1.0])
    fig.update_xaxes(title=unit or None)
    return fig_style(fig, max(300, 30 * len(d) + 140), title, big)


def count_bars(df: pd.DataFrame, category: str, value: str, colour: str, title: str | None = None,
               big: bool = False) -> go.Figure:
    """Horizontal bars of one count per category (largest first), one colour."""
    if df.empty:
        return empty_figure(UI["fig_no_data"])
    d = df.sort_values(value, ascending=False)
    fig = go.Figure(go.Bar(y=d[category], x=d[value], orientation="h", marker_color=colour,
                           text=[fmt_number(v, 0) for v in d[value]], textposition="outside",
                           hovertemplate="%{y}: %{x:,.0f}<extra></extra>", customdata=d[category]))
    fig.update_layout(yaxis={"autorange": "reversed", "automargin": True})
    fig.update_traces(cliponaxis=False)
    fig.update_xaxes(visible=False, range=[0, float(d[value].max()) * 1.15])
    return fig_style(fig, max(240, 30 * len(d) + 110), title, big)


def score_line(df: pd.DataFrame, x: str, y: str, labels: list[str] | None = None, title: str | None = None,
               height: int = 260, y_title: str | None = None) -> go.Figure:
    """A small line with markers and value labels (a score by year)."""
    d = df.dropna(subset=[y])
    if d.empty:
        return empty_figure(UI["fig_no_data"], height)
    text = labels if labels is not None else [fmt_number(v, 2) for v in d[y]]
    fig = go.Figure(go.Scatter(x=d[x], y=d[y], mode="lines+markers+text", text=text, textposition="top center",
                               line={"width": 3, "color": "#0072B2"}, marker={"size": 10}, cliponaxis=False,
                               hovertext=text, hoverinfo="text"))
    fig.update_xaxes(tickvals=list(d[x]), ticktext=[str(v) for v in d[x]], title=None)
    lo, hi = float(d[y].min()), float(d[y].max())
    pad = max(1.0, (hi - lo) * 0.3)
    fig.update_yaxes(range=[lo - pad, hi + pad], title=y_title)
    fig = fig_style(fig, height, title)
    fig.update_layout(showlegend=False)
    return fig
