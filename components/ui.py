"""Small Streamlit building blocks shared by the pages: page header, sample banner, KPI cards, tables."""
from __future__ import annotations

import html
from datetime import date

import pandas as pd
import streamlit as st

from catalogue import UI


def banner_if_sample(is_sample: bool) -> None:
    """Mark sample data so nobody mistakes it for real figures."""
    if is_sample:
        st.info(UI["sample_banner"], icon=":material/science:")


def kpi_cards(cards: list[tuple[str, str, str | None, str | None]], big: bool = False) -> None:
    """A row of cards (label, value, note, colour). All text is escaped."""
    cols = st.columns(len(cards))
    size = "4.2rem" if big else "2.4rem"
    for col, (label, value, note, colour) in zip(cols, cards):
        col.markdown(
            f"<div class='kpi' style='border-left:10px solid {html.escape(colour or '#0072B2')};padding:0.4rem 0.9rem;'>"
            f"<div style='font-size:{'1.6rem' if big else '1rem'};color:#222'>{html.escape(label)}</div>"
            f"<div style='font-size:{size};font-weight:700;line-height:1.1;color:#000'>{html.escape(value)}</div>"
            + (f"<div style='font-size:{'1.4rem' if big else '0.9rem'};color:#333'>{html.escape(note)}</div>" if note else "")
            + "</div>", unsafe_allow_html=True)


def excel_button(df: pd.DataFrame, title: str, filters: dict[str, str], key: str, file_name: str) -> None:
    """Download a table as Excel with the filters and date on top."""
    from exports.excel import table_to_xlsx

    data = table_to_xlsx(df, title, filters, date.today())
    st.download_button(UI["download_excel"], data, file_name=file_name, key=key, icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def empty(message: str) -> None:
    """An empty state that says what is missing."""
    st.info(message, icon=":material/info:")
