"""Small Streamlit building blocks shared by the pages: page header, sample banner, KPI cards, tables."""
from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from catalogue import UI


def banner_if_sample(is_sample: bool) -> None:
    """Mark sample data so nobody mistakes it for real figures."""
    if is_sample:
        st.info(UI["sample_banner"], icon=":material/science:")


def kpi_cards(cards: list[tuple[str, str, str | None, str | None]], big: bool = False) -> None:
    """A row of cards (label, value, note, colour), drawn as one element (a grid that wraps on narrow screens).
    All text is escaped."""
    size = "4.2rem" if big else "2.4rem"
    parts = [
        f"<div class='kpi' style='border-left:10px solid {html.escape(colour or '#0072B2')};padding:0.4rem 0.9rem;'>"
        f"<div style='font-size:{'1.6rem' if big else '1rem'};color:#222'>{html.escape(label)}</div>"
        f"<div style='font-size:{size};font-weight:700;line-height:1.1;color:#000'>{html.escape(value)}</div>"
        + (f"<div style='font-size:{'1.4rem' if big else '0.9rem'};color:#333'>{html.escape(note)}</div>" if note else "")
        + "</div>"
        for label, value, note, colour in cards]
    st.markdown(f"<div class='kpi-row' style='display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));"
                f"gap:1rem;margin-bottom:1rem'>{''.join(parts)}</div>", unsafe_allow_html=True)


# a dd/mm/yyyy column as wide as the whole date: at the grid's own width it was cut to "31/12/20"
DATE_COLUMN_PX = 104


def date_column() -> Any:
    """Column settings of a date (dd/mm/yyyy) column in a table: never cut."""
    return st.column_config.TextColumn(width=DATE_COLUMN_PX)


def empty(message: str) -> None:
    """An empty state that says what is missing."""
    st.info(message, icon=":material/info:")


def badges(df: pd.DataFrame, colours: Mapping[str, Mapping[str, str]],
           widths: Mapping[str, Any] | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Columns shown as coloured labels: {column: {cell text: catalogue colour}} → the frame to draw (those
    cells as one-item lists) and its column_config (read-only multiselect columns, one colour per label).
    Drawn by the grid itself, this is far cheaper than a pandas Styler, which st.dataframe renders cell by cell."""
    shown, config = df.copy(deep=False), {}
    for col, mapping in colours.items():
        if col not in df.columns:
            continue
        shown[col] = [[v] if isinstance(v, str) and v else [] for v in df[col]]
        config[col] = st.column_config.MultiselectColumn(width=(widths or {}).get(col), options=list(mapping),
                                                         color=list(mapping.values()))
    return shown, config


def arrow(df: pd.DataFrame) -> Any:  # noqa: ANN401 - a pyarrow.Table, or the frame itself
    """The Arrow table st.dataframe makes of a frame (pyarrow.Table.from_pandas, its costly step on every run: a
    per-column conversion), so a memoised table is converted once per data version and filter and drawn as the same
    bytes; the frame itself when pyarrow refuses it (st.dataframe then applies its own fixes)."""
    try:
        return pa.Table.from_pandas(df)
    except (pa.ArrowException, OverflowError):
        return df


def picked_row(event, key: str) -> int | None:  # noqa: ANN001
    """The row position the user has just selected in a st.dataframe (None when the selection did not change
    since the last run, so a remembered selection never drills down twice)."""
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or []) if event is not None else []
    current = rows[0] if rows else None
    memo = f"_picked_{key}"
    last = st.session_state.get(memo)
    st.session_state[memo] = current
    return current if current is not None and current != last else None


def picked_point(event, key: str) -> str | None:  # noqa: ANN001
    """The customdata (a code) of the point the user has just clicked in a st.plotly_chart, or None."""
    points = []
    if event is not None:
        sel = event.get("selection") if isinstance(event, dict) else getattr(event, "selection", None)
        points = (sel.get("points") if isinstance(sel, dict) else getattr(sel, "points", None)) or []
    current = None
    if points:
        cd = points[0].get("customdata")
        current = str(cd[0] if isinstance(cd, (list, tuple)) and cd else cd) if cd is not None else None
    memo = f"_picked_{key}"
    last = st.session_state.get(memo)
    st.session_state[memo] = current
    return current if current is not None and current != last else None


def preselect(key: str, row: int | None) -> None:
    """Keep the st.dataframe with this key showing `row` (the item the URL opens) as selected: on first draw
    and whenever the URL changed since the last run. Call it before the dataframe is drawn."""
    memo_url = f"_pre_{key}"
    if key in st.session_state and st.session_state.get(memo_url, -1) == row:
        return
    st.session_state[memo_url] = row
    st.session_state[key] = {"selection": {"rows": [] if row is None else [row], "columns": []}}
    st.session_state[f"_picked_{key}"] = row


def breadcrumb(path: list[tuple[str, str]]) -> str:
    """Province › District › Commune."""
    return " › ".join(name for _code, name in path)


def _css_string(text: str) -> str:
    """A CSS string literal of catalogue text (quotes, backslashes and line breaks escaped)."""
    return '"' + "".join(c if c.isalnum() or c in " .,;:()–•/%-" else f"\\{ord(c):x} " for c in text) + '"'


def uploader_texts(key: str, button: str, note: str) -> None:
    """Vietnamese texts on the st.file_uploader with this key. Streamlit 1.67 has no parameter for its
    "Upload" button or its "20MB per file • XLSX" line (streamlit#13500), so its own text is hidden and
    ours drawn in its place by CSS; the input keeps the widget's label for screen readers."""
    scope = f".st-key-{key}"
    st.html(f"""<style>
{scope} [data-testid="stFileUploaderDropzoneInstructions"] span, {scope} [data-testid="stFileUploaderDropzoneInstructions"] small
  {{font-size:0 !important;}}
{scope} [data-testid="stFileUploaderDropzoneInstructions"] > div::after
  {{content:{_css_string(note)}; font-size:0.875rem; color:rgba(49,51,63,0.75);}}
{scope} [data-testid="stFileUploaderDropzone"] button {{font-size:0 !important;}}
{scope} [data-testid="stFileUploaderDropzone"] button > * {{display:none !important;}}
{scope} [data-testid="stFileUploaderDropzone"] button::after {{content:{_css_string(button)}; font-size:1rem;}}
</style>""")
