"""A chart or a table with its export under it: a PNG at projector resolution, an Excel file.

Both exports are made on demand (a click), never on every rerun: a PNG costs a kaleido render, and a
page with ten charts must stay fast. The title and the filters go onto the file, so a picture pasted
into a report still says which quarter and which place it shows.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine

import settings
from catalogue import UI
from components import data
from components.ui import arrow, badges
from exports.excel import table_to_xlsx
from exports.images import figure_png
from exports.templates import progress_workbook
from loaders.text import fold
from store.completeness import template_rows

PNG_WIDTH, PNG_HEIGHT = 1920, 1080  # a 1080p projector
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def slug(text: str, default: str = "bieu-do") -> str:
    """A file-name stem from a Vietnamese title: "Tỷ lệ quá hạn" → "ty-le-qua-han"."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(text or "")).strip("-")
    return stem[:60].strip("-") or default


def progress_template(engine: Engine, agency_codes: list[str], year: int, quarter: int) -> bytes:
    """The progress workbook of one quarter pre-filled with exactly these agencies' lead assignments, read from the
    store (the round trip: filled in, it imports unchanged)."""
    return progress_workbook(*template_rows(engine, agency_codes, year, quarter), year, quarter)


def _today():  # noqa: ANN202

    return settings.today()


def _signature(*parts: Any) -> str:
    """A short hash of what an export depends on, so a stale file is never offered for a changed view."""
    h = hashlib.sha1()
    for p in parts:
        h.update(repr(p).encode("utf-8", "replace"))
    return h.hexdigest()[:16]


def png_action(fig: go.Figure, key: str, title: str, filters: Mapping[str, Any]) -> None:
    """"Tải ảnh PNG": a button that renders the PNG (1920×1080, titled, with the filters), then its download."""
    memo = f"_png_{key}"
    # the figure's fingerprint is only needed once a PNG exists: not on every rerun of every chart
    signature = lambda: _signature(fig.to_json(), title, sorted(filters.items()))  # noqa: E731
    # a row of buttons as wide as their labels (a quarter-column cut "Tải ảnh PNG" to "Tải ả…" beside a half-screen
    # chart at 1280 px); the download appears beside the button, or under it when there is no room
    left = right = st.container(horizontal=True, gap="small")
    if left.button(UI["download_png"], key=f"{key}_png", icon=":material/image:"):
        try:
            with st.spinner(UI["download_png"] + "…"):
                st.session_state[memo] = (signature(), figure_png(fig, title, filters, PNG_WIDTH, PNG_HEIGHT,
                                                          generated_on=_today()))
        except Exception as exc:  # noqa: BLE001 - kaleido needs a browser; say so instead of crashing the page
            st.session_state.pop(memo, None)
            left.error(f"{UI['download_png']}: {exc}")
    stored = st.session_state.get(memo)
    if stored and stored[0] == signature():
        right.download_button(UI["mt_png_download"], stored[1], file_name=f"{slug(title)}.png", mime="image/png",
                              key=f"{key}_png_dl", icon=":material/download:")


def chart(fig: go.Figure, key: str, title: str, filters: Mapping[str, Any], *, on_select: bool = False,
          actions: bool = True, config: Mapping[str, Any] | None = None, export: go.Figure | None = None,
          width: int | str = "stretch") -> Any:
    """st.plotly_chart (clickable points when on_select) and, under it, the PNG action; returns the event.
    `export` is the figure to write when it differs from the one shown (e.g. with the legend the page draws in HTML)."""
    # theme=None: the figure keeps its own fonts and colours (components.figures.fig_style, projector sizes)
    kwargs: dict[str, Any] = {"key": key, "width": width, "theme": None, "config": dict(config or PLOTLY_CONFIG)}
    if on_select:
        kwargs.update(on_select="rerun", selection_mode=("points",))
    event = st.plotly_chart(fig, **kwargs)
    if actions:
        png_action(export if export is not None else fig, key, title, filters)
    return event


def excel_action(df: pd.DataFrame, key: str, title: str, filters: Mapping[str, Any], file_name: str,
                 column_formats: Mapping[str, str] | None = None) -> None:
    """An Excel download of a table, written only when clicked (the title, filters and date on top)."""
    frame, fmt = df.copy(deep=False), dict(column_formats or {})  # copy-on-write: the caller cannot change it
    st.download_button(UI["download_excel"], lambda: table_to_xlsx(frame, title, filters, _today(), fmt),
                       file_name=file_name if file_name.endswith(".xlsx") else f"{file_name}.xlsx", mime=XLSX_MIME,
                       key=f"{key}_xlsx", icon=":material/download:")


def _drawn(df: pd.DataFrame, colours: Mapping[str, Mapping[str, str]] | None,
           widths: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """What st.dataframe draws of a table: the frame with its coloured labels, as an Arrow table, and their config."""
    shown, config = badges(df, colours, widths) if colours else (df, {})
    return arrow(shown), config


def table(df: pd.DataFrame, key: str, title: str, filters: Mapping[str, Any], file_name: str, *,
          actions: bool = True, column_formats: Mapping[str, str] | None = None, export: pd.DataFrame | None = None,
          colours: Mapping[str, Mapping[str, str]] | None = None, memo: tuple | None = None, **dataframe: Any) -> Any:
    """st.dataframe (index hidden, full width unless told otherwise) and an Excel download under it.
    `colours` ({column: {cell text: colour}}) shows those cells as coloured labels (the Excel file keeps the text);
    `export` is the frame to write when it differs from the one shown (e.g. labels instead of symbols). `memo`: the
    key of `df` (components.data.memo: every input it varies with), so what is drawn of it is made once per data
    version, not on every run."""
    options: dict[str, Any] = {"hide_index": True, "width": "stretch"} | dataframe
    given = dict(options.get("column_config") or {})
    widths = {c: v.get("width") for c, v in given.items() if isinstance(v, dict)}
    if memo is not None:
        shown, config = data.memo((key, *memo), _drawn, df, colours, widths)
    else:
        shown, config = badges(df, colours, widths) if colours else (df, {})
    if config:
        options["column_config"] = given | config
    event = st.dataframe(shown, key=key, **options)
    if actions:
        excel_action(export if export is not None else df, key, title, filters, file_name, column_formats)
    return event
