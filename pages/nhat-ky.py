"""Nhật ký: the append-only audit log, filtered by user, action and date range."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

import settings
from catalogue import UI
from components import audit_text, auth, data
from store import users
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

user = auth.require(auth.ADMINS)
st.title(UI["page_audit"])
st.caption(UI["audit_intro"])
eng = data.engine()
ALL = UI["filter_all"]

c1, c2, c3, c4 = st.columns(4)
everyone = users.all_users(eng)
people = {u["username"]: u["name"] for u in everyone}
names = [ALL] + [u["username"] for u in everyone]
who = c1.selectbox(UI["audit_user"], names, key="audit_user",
                   format_func=lambda n: n if n == ALL else audit_text.actor_label(n, people))
actions = [ALL] + users.audit_actions(eng)
what = c2.selectbox(UI["audit_action"], actions, key="audit_action",
                    format_func=lambda a: a if a == ALL else audit_text.action_label(a))
today = settings.today()
since = c3.date_input(UI["audit_from"], today - timedelta(days=90), format="DD/MM/YYYY", key="audit_from")
until = c4.date_input(UI["audit_to"], today, format="DD/MM/YYYY", key="audit_to")

log = users.audit_entries(None if who == ALL else who, None if what == ALL else what, since, until, engine=eng)
if log.empty:
    st.info(UI["no_data"])
else:
    f = data.frames()
    agency_names = dict(zip(f.agencies["code"].astype(str), f.agencies["name"]))
    unit_names = dict(zip(f.units["code"].astype(str), f.units["name"]))
    st.dataframe(pd.DataFrame({
        UI["col_when"]: log["at"].map(lambda v: pd.Timestamp(v).strftime("%d/%m/%Y %H:%M:%S")),
        UI["audit_user"]: [audit_text.actor_label(u, people) for u in log["username"]],
        UI["audit_action"]: log["action"].map(audit_text.action_label),
        UI["col_details"]: [audit_text.describe(a, d, people, agency_names, unit_names)
                            for a, d in zip(log["action"], log["details"])],
    }), hide_index=True, width="stretch",
        column_config={UI["col_when"]: st.column_config.TextColumn(width="small"),
                       UI["col_details"]: st.column_config.TextColumn(width="large")})
