"""Nhật ký: the append-only audit log, filtered by user, action and date range."""
from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
import streamlit as st

import settings
from catalogue import UI
from components import auth, data
from store import users
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

user = auth.require(auth.ADMINS)
st.title(UI["page_audit"])
st.caption(UI["audit_intro"])
eng = data.engine()
ALL = UI["filter_all"]

c1, c2, c3, c4 = st.columns(4)
names = [ALL] + [u["username"] for u in users.all_users(eng)]
who = c1.selectbox(UI["audit_user"], names, key="audit_user")
actions = [ALL] + users.audit_actions(eng)
what = c2.selectbox(UI["audit_action"], actions, key="audit_action")
today = settings.today()
since = c3.date_input(UI["audit_from"], today - timedelta(days=90), format="DD/MM/YYYY", key="audit_from")
until = c4.date_input(UI["audit_to"], today, format="DD/MM/YYYY", key="audit_to")

log = users.audit_entries(None if who == ALL else who, None if what == ALL else what, since, until, engine=eng)
if log.empty:
    st.info(UI["no_data"])
else:
    st.dataframe(pd.DataFrame({
        UI["col_when"]: log["at"].map(lambda v: pd.Timestamp(v).strftime("%d/%m/%Y %H:%M:%S")),
        UI["audit_user"]: log["username"].fillna(""),
        UI["audit_action"]: log["action"],
        UI["col_details"]: log["details"].map(lambda d: json.dumps(d, ensure_ascii=False) if d else ""),
    }), hide_index=True, width="stretch")
