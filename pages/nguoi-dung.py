"""Người dùng: list users; add one (role, scope agencies/units); reset a password (shown once);
change role or scope; disable or enable. Every change goes through service.users (one transaction with its audit
line)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from catalogue import ROLES, UI, label
from components import auth, data
from service import users as accounts
from store import users
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

user = auth.require(auth.ADMINS)
st.title(UI["page_users"])
st.caption(UI["users_intro"])
eng = data.engine()

once = st.session_state.pop("users_once", None)  # a generated password: shown on this run only
if once:
    st.success(once, icon=":material/key:")



def _scope_names(agencies: pd.DataFrame, units: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """The names an editor's scope is chosen from: agencies, then units from the province down."""
    order = {"province": 0, "district": 1, "commune": 2}
    un = units.assign(_o=units["level"].map(order)).sort_values(["_o", "code"])
    return dict(zip(agencies["code"], agencies["name"])), {c: f"{n} ({c})" for c, n in zip(un["code"], un["name"])}


f = data.frames()
agency_names, unit_names = data.memo((), _scope_names, f.agencies, f.units)
role_codes = list(ROLES)


def _scope(u: dict) -> str:
    parts = [agency_names.get(a, a) for a in u["agencies"]] + [unit_names.get(x, x) for x in u["units"]]
    return "; ".join(parts) or "–"


everyone = users.all_users(eng)
st.dataframe(pd.DataFrame({
    UI["col_username"]: [u["username"] for u in everyone],
    UI["col_name"]: [u["name"] for u in everyone],
    UI["col_role"]: [label(ROLES, u["role"]) for u in everyone],
    UI["col_scope"]: [_scope(u) for u in everyone],
    UI["col_disabled"]: ["✔" if u["disabled"] else "" for u in everyone],
    UI["col_locked_until"]: [u["locked_until"].strftime("%d/%m/%Y %H:%M") if u["locked_until"] else "" for u in everyone],
}), hide_index=True, width="stretch")

left, right = st.columns(2)
with left, st.form("users_add", clear_on_submit=True):
    st.subheader(UI["users_add"])
    username = st.text_input(UI["users_username"], key="ua_username")
    name = st.text_input(UI["users_name"], key="ua_name")
    role = st.selectbox(UI["users_role"], role_codes, index=role_codes.index("editor"), key="ua_role",
                        format_func=lambda r: label(ROLES, r))
    agencies = st.multiselect(UI["users_agencies"], list(agency_names), key="ua_agencies", format_func=agency_names.get, placeholder=UI["choose_placeholder"])
    units = st.multiselect(UI["users_units"], list(unit_names), key="ua_units", format_func=unit_names.get, placeholder=UI["choose_placeholder"])
    if st.form_submit_button(UI["users_create"], type="primary"):
        try:
            password = accounts.add_user(eng, username, name or username, role, by=user.username, agencies=agencies,
                                         units=units)
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.session_state["users_once"] = UI["users_created"].format(username=username.strip().lower(), password=password)
            st.rerun()

with right:
    st.subheader(UI["users_edit"])
    names = [u["username"] for u in everyone]
    chosen = st.selectbox(UI["users_pick"], names, key="ue_user")
    target = next(u for u in everyone if u["username"] == chosen)
    is_self = chosen == user.username
    with st.form(f"users_edit_{chosen}"):
        new_role = st.selectbox(UI["users_role"], role_codes, index=role_codes.index(target["role"]),
                                format_func=lambda r: label(ROLES, r), key=f"ue_role_{chosen}")
        new_agencies = st.multiselect(UI["users_agencies"], list(agency_names), default=[a for a in target["agencies"] if a in agency_names],
                                      format_func=agency_names.get, key=f"ue_agencies_{chosen}", placeholder=UI["choose_placeholder"])
        new_units = st.multiselect(UI["users_units"], list(unit_names), default=[x for x in target["units"] if x in unit_names],
                                   format_func=unit_names.get, key=f"ue_units_{chosen}", placeholder=UI["choose_placeholder"])
        if st.form_submit_button(UI["users_save"]):
            try:
                accounts.change_role(eng, chosen, by=user.username, role=new_role, agencies=new_agencies,
                                     units=new_units)
            except ValueError as exc:  # demoting oneself
                st.error(str(exc))
            else:
                st.session_state["users_once"] = UI["users_saved"]
                st.rerun()
    c1, c2 = st.columns(2)
    if c1.button(UI["users_reset"], key="ue_reset", icon=":material/lock_reset:"):
        password = accounts.set_password(eng, chosen, by=user.username)
        st.session_state["users_once"] = UI["users_reset_done"].format(username=chosen, password=password)
        st.rerun()
    toggle = UI["users_enable"] if target["disabled"] else UI["users_disable"]
    if c2.button(toggle, key="ue_toggle", disabled=is_self, icon=":material/block:"):
        accounts.set_disabled(eng, chosen, by=user.username, disabled=not target["disabled"])
        st.session_state["users_once"] = UI["users_saved"]
        st.rerun()
