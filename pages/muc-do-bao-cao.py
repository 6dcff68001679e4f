"""Mức độ báo cáo: for the chosen quarter, which agencies with lead assignments have reported; the
pre-filled template of one chosen agency to send them."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import settings
from catalogue import FIRST_QUARTER, UI
from components import auth, data, filters
from components.filters import Period
from exports.formats import fmt_quarter
from store.completeness import completeness, previous_quarter
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

user = auth.require(auth.EDITORS)
st.title(UI["page_completeness"])
st.caption(UI["completeness_intro"])
eng = data.engine()
today = settings.today()
just_ended = Period(*previous_quarter(today.year, (today.month - 1) // 3 + 1))
latest_data = data.latest_quarter()
latest = max(Period(*latest_data), just_ended, key=lambda p: (p.year, p.quarter)) if latest_data else just_ended
cols = st.columns([1, 3])
p = filters.period_filter(latest, Period(*FIRST_QUARTER), cols[0])
period = fmt_quarter(p.year, p.quarter)


@st.cache_data(max_entries=8, show_spinner=False)
def _table(_version: str, year: int, quarter: int) -> pd.DataFrame:
    return completeness(eng, year, quarter)


df = _table(data.version(), p.year, p.quarter)
if df.empty:
    st.info(UI["no_data_quarter"])
    st.stop()
missing = df[~df["reported"]]
st.markdown("### " + UI["completeness_summary"].format(
    reported=int(df["reported"].sum()), total=len(df), period=period,
    departments=int((missing["kind"] == "department").sum()), districts=int((missing["kind"] == "district").sum())))
only_missing = cols[1].toggle(UI["completeness_only_missing"], key="cmp_missing")
shown = missing if only_missing else df
st.dataframe(pd.DataFrame({
    UI["col_agency"]: shown["agency"],
    UI["col_kind"]: shown["kind"].map(lambda k: UI.get(f"agency_kind_{k}", k)),
    UI["col_unit"]: shown["unit"],
    UI["col_assignments"]: shown["assignments"].astype(int),
    UI["col_reported_n"]: shown["reported_n"].astype(int),
    UI["col_reported"]: shown["reported"].map(lambda x: "✔ Đã báo cáo" if x else "✘ Chưa báo cáo"),
    UI["col_last_upload"]: shown["last_upload"].map(lambda v: "" if v is None or pd.isna(v) else pd.Timestamp(v).strftime("%d/%m/%Y %H:%M")),
}), hide_index=True, width="stretch", height=min(600, 38 + 35 * len(shown)))

st.subheader(UI["completeness_pick"])
codes = df["agency_code"].tolist()
names = dict(zip(df["agency_code"], df["agency"]))
default = missing["agency_code"].iloc[0] if not missing.empty else codes[0]
chosen = st.selectbox(UI["completeness_pick"], codes, index=codes.index(default), key="cmp_agency",
                      format_func=lambda c: names[c], label_visibility="collapsed")


@st.cache_data(max_entries=16, show_spinner=False)
def _template(_version: str, code: str, year: int, quarter: int) -> bytes:
    from exports.templates import progress_template

    return progress_template(eng, [code], year, quarter)


st.download_button(UI["template_prefilled"].format(period=period, agencies=names[chosen]),
                   _template(data.version(), chosen, p.year, p.quarter), key="cmp_download",
                   file_name=f"bao_cao_tien_do_{chosen}_{p.year}_Q{p.quarter}.xlsx", mime=XLSX,
                   icon=":material/download:")
