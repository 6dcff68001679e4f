"""Pinned versions on the pages: the banner of a pinned view, and the panel that pins what a meeting showed."""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import settings
from catalogue import UI
from components import auth, data, filters
from formats import fmt_date, fmt_number
from store import pins


def banner() -> None:
    """Above a view opened with `pin=<id>`: which pinned version it shows (or that the pin is gone), and the way back
    to the current data."""
    wanted = data.pin_id()
    if wanted is None:
        return
    pin = data.pinned()
    if pin is None:
        st.warning(UI["pin_gone"].format(pin_id=wanted), icon=":material/push_pin:")
        return
    cols = st.columns([5, 1])
    cols[0].info(UI["pin_banner"].format(name=pin.name, date=fmt_date(pin.presented_on)), icon=":material/push_pin:")
    if cols[1].button(UI["pin_live"], key="pin_live", icon=":material/update:"):
        filters.set_param("pin", None)
        st.rerun()


def link(pin_id: int, page_path: str) -> str:
    """The relative link that reopens this view on a pinned version (the view's filters kept)."""
    params = {**filters.current(), "pin": str(pin_id)}
    return f"/{page_path}?{urlencode(params)}"


def panel(user: auth.User, page_path: str) -> None:
    """Editors and admins pin the data version shown under a meeting's name and date; admins unpin."""
    if user.role not in ("admin", "editor") or data.pin_id() is not None:
        return
    eng = data.engine()
    with st.expander(UI["pin_title"], icon=":material/push_pin:"):
        st.caption(UI["pin_help"])
        with st.form("pin_form", clear_on_submit=False, border=False):
            cols = st.columns([3, 1])
            name = cols[0].text_input(UI["pin_name"], placeholder=UI["pin_name_placeholder"], max_chars=pins.NAME_MAX)
            when = cols[1].date_input(UI["pin_date"], value=settings.today(), format="DD/MM/YYYY")
            made = st.form_submit_button(UI["pin_make"], icon=":material/push_pin:", type="primary")
        if made:
            try:
                pin_id = pins.pin(eng, name, when, user.username)
            except pins.PinError as exc:
                st.error(str(exc))
            else:
                data.refresh()
                st.session_state["pin_made"] = (pin_id, " ".join(name.split()))
        if "pin_made" in st.session_state:  # kept past the form's run, so the button below still answers a click
            pin_id, pin_name = st.session_state["pin_made"]
            st.success(UI["pin_made"].format(name=pin_name, pin_id=pin_id))
            st.code(link(pin_id, page_path), language=None)
            if st.button(UI["pin_open"], key="pin_open", icon=":material/open_in_new:"):
                del st.session_state["pin_made"]
                filters.set_param("pin", str(pin_id))
                st.rerun()
        listed = pins.pins(eng)
        st.markdown(f"**{UI['pin_list']}**")
        if not listed:
            st.caption(UI["pin_none"])
            return
        st.dataframe(pd.DataFrame({
            "#": [x.id for x in listed],
            UI["pin_col_name"]: [x.name for x in listed],
            UI["pin_col_date"]: [fmt_date(x.presented_on) for x in listed],
            UI["pin_col_by"]: [x.created_by for x in listed],
            UI["pin_col_at"]: [x.created_at.strftime("%d/%m/%Y %H:%M") for x in listed],
            UI["pin_col_size"]: [fmt_number(x.size_bytes / 1e6, 1) for x in listed],
        }), hide_index=True, width="stretch", key="pin_table")
        if user.role == "admin":
            chosen = st.selectbox("#", [x.id for x in listed], key="pin_pick", label_visibility="collapsed",
                                  format_func=lambda i: next(f"{x.id} · {x.name}" for x in listed if x.id == i))
            if st.button(UI["pin_unpin"].format(pin_id=chosen), key="pin_unpin", icon=":material/delete:"):
                pins.unpin(eng, int(chosen), user.username, is_admin=True)
                data.refresh()
                st.success(UI["pin_unpinned"].format(pin_id=chosen))
