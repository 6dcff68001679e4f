"""Lịch sử nhập: every import batch (who, when, file, hash, counts, status); admins roll a batch back
after confirming, and the rollback is written to the audit log."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import service
from catalogue import BATCH_KINDS, UI, label
from components import auth, data
from store import queries, users
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead


user = auth.require(auth.EDITORS)
st.title(UI["page_history"])
st.caption(UI["history_intro"])
eng = data.engine()

done = st.session_state.pop("history_done", None)
if done:
    st.success(done, icon=":material/undo:")


def _when(v) -> str:  # noqa: ANN001
    return "" if v is None or pd.isna(v) else pd.Timestamp(v).strftime("%d/%m/%Y %H:%M")


def _counts(c) -> str:  # noqa: ANN001
    return ", ".join(f"{v} {UI.get('count_' + k, k)}" for k, v in (c or {}).items())


b = queries.batches(eng)
if b.empty:
    st.info(UI["no_data"])
    st.stop()
table = pd.DataFrame({
    UI["col_batch"]: b["id"].astype(int),
    UI["col_when"]: b["uploaded_at"].map(_when),
    UI["col_who"]: b["uploaded_by"],
    UI["col_file"]: b["file_name"],
    UI["col_kind"]: b["kind"].map(lambda k: label(BATCH_KINDS, k)),
    UI["col_batch_status"]: [UI["status_rolled_back"] + f" ({_when(t)}, {w})" if s == "rolled_back" else UI["status_imported"]
                       for s, t, w in zip(b["status"], b["rolled_back_at"], b["rolled_back_by"])],
    UI["col_hash"]: b["sha256"].str[:12],
    UI["col_counts"]: b["counts"].map(_counts),
    UI["col_sample"]: b["is_sample"].map(lambda x: "✔" if x else ""),
})
st.dataframe(table, hide_index=True, width="stretch")

if user.is_admin:
    live = b[b["status"] == "imported"]
    if not live.empty:
        st.subheader(UI["history_pick"])
        ids = live["id"].astype(int).tolist()
        names = dict(zip(ids, live["file_name"]))
        chosen = st.selectbox(UI["history_pick"], ids, key="history_batch", label_visibility="collapsed",
                              format_func=lambda i: f"#{i} · {names[i]}")
        pending = st.session_state.get("history_confirm")
        if pending != chosen:
            if st.button(UI["history_rollback"].format(batch_id=chosen), key="history_rollback", icon=":material/undo:"):
                st.session_state["history_confirm"] = chosen
                st.rerun()
        else:
            st.warning(UI["history_confirm"].format(batch_id=chosen, file=names[chosen]), icon=":material/warning:")
            c1, c2 = st.columns([1, 4])
            if c1.button(UI["history_confirm_yes"], key="history_yes", type="primary"):
                st.session_state.pop("history_confirm", None)
                done = service.rollback(eng, chosen, user.username, scope=users.scope_for(
                    user.agencies, user.units, user.is_admin, eng))  # audited in the rollback's own transaction
                if done.errors:
                    st.error(" ".join(done.errors))
                else:
                    data.adopt(done.view)  # the service prepared the new version's view data
                    st.session_state["history_done"] = UI["history_done"].format(batch_id=chosen)
                    st.rerun()
            if c2.button(UI["history_cancel"], key="history_no"):
                st.session_state.pop("history_confirm", None)
                st.rerun()
