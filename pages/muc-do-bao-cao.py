"""Mức độ báo cáo: the expected reports of a quarter as a data set (DHIS2's expected vs actual reports): every
department and every district and commune for the quarterly CCHC report, and every lead assignment due or open in
the quarter. Reporting rates per group and per unit, on time and late, who has not reported, and the pre-filled
template of any reporter (from the same expected set). Opens on the last quarter whose deadline has passed."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import settings
from analytics import agencies as ags
from catalogue import FIRST_QUARTER, UI
from components import auth, data, filters, ui
from formats import fmt_date, fmt_int, fmt_percent
from store import completeness as cmp
from components.frame import ensure
from quarter import Quarter
from components.exporting import progress_template

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("department", "provincial_other", "district", "commune", "district_office")
STATUS = {"on_time": UI["cmp_status_on_time"], "late": UI["cmp_status_late"], "missing": UI["cmp_status_missing"]}
COLOURS = {UI["cmp_status_on_time"]: "#009E73", UI["cmp_status_late"]: "#CC79A7", UI["cmp_status_missing"]: "#D55E00"}


def kind_label(k: str) -> str:
    return UI.get(f"agency_kind_{k}", k)


def _pct(v: object) -> str:
    return fmt_percent(100 * float(v), 1) if v is not None and not pd.isna(v) else "–"


# per data version in the process (components.data.memo): st.cache_data pickled a copy of each on every run, and
# re-read the decorated function's source each time the page's module ran
def _table(year: int, quarter: int) -> pd.DataFrame:
    return data.completeness(year, quarter)  # a view item (store.snapshot): prepared with each import


def _units(year: int, quarter: int) -> pd.DataFrame:
    return data.completeness_units(year, quarter)


def _template(code: str, year: int, quarter: int) -> bytes:
    return data.memo((code, year, quarter), progress_template, data.engine(), [code], year, quarter)


def _summary(df: pd.DataFrame) -> dict:
    """What the page reads of the quarter's table besides its three tables: the headline numbers, the groups
    present, the reporters' codes and names and the first missing one."""
    q = df[df["quarterly"]]
    missing = df.loc[~df["reported"], "agency_code"]
    present = set(df["kind"])
    return {"n_quarterly": len(q), "n_rep": int(q["reported"].sum()),
            "on_time": int((q["timeliness"] == "on_time").sum()), "late": int((q["timeliness"] == "late").sum()),
            "missing": int((q["timeliness"] == "missing").sum()), "reported_n": int(df["reported_n"].sum()),
            "assignments": int(df["assignments"].sum()), "kinds": [k for k in KINDS if k in present],
            "codes": df["agency_code"].tolist(), "names": dict(zip(df["agency_code"], df["agency"])),
            "first_missing": missing.iloc[0] if not missing.empty else None}


def _rates_frame(r: pd.DataFrame, first: str, first_label: str) -> pd.DataFrame:
    return pd.DataFrame({
        first_label: r[first],
        UI["cmp_col_expected"]: r["expected"].astype(int),
        UI["cmp_col_reported"]: r["reported"].astype(int),
        UI["cmp_col_on_time"]: r["on_time"].astype(int),
        UI["cmp_col_late"]: r["late"].astype(int),
        UI["cmp_col_missing"]: r["missing"].astype(int),
        UI["cmp_col_rate"]: r["rate"].map(_pct),
        UI["cmp_col_on_time_rate"]: r["on_time_rate"].map(_pct),
    })


def _kinds_frame(df: pd.DataFrame):  # noqa: ANN202 - as drawn (components.ui.arrow)
    by_kind = cmp.rates(df, "kind").assign(kind=lambda r: r["kind"].map(kind_label))
    return ui.arrow(_rates_frame(by_kind, "kind", UI["cmp_col_group"]))


def _units_frame(year: int, quarter: int):  # noqa: ANN202 - as drawn (components.ui.arrow)
    return ui.arrow(_rates_frame(_units(year, quarter), "unit", UI["col_unit"]))


def _reporters_frame(df: pd.DataFrame, group: str, only_missing: bool) -> tuple:
    """The reporters table of the chosen group as drawn (status badges, components.ui.arrow) and its column config,
    per data version and filter."""
    shown = df[df["kind"] == group] if group else df
    if only_missing:
        shown = shown[~shown["reported"]]
    frame = pd.DataFrame({
        UI["col_agency"]: shown["agency"],
        UI["cmp_col_group"]: shown["kind"].map(kind_label),
        UI["col_unit"]: shown["unit"],
        UI["cmp_col_quarterly"]: shown["quarterly"].map(lambda x: UI["cmp_yes"] if x else UI["cmp_no"]),
        UI["col_assignments"]: shown["assignments"].astype(int),
        UI["col_reported_n"]: shown["reported_n"].astype(int),
        UI["cmp_col_status"]: shown["timeliness"].map(STATUS),
        UI["cmp_col_first_upload"]: shown["first_upload"].map(
            lambda v: "" if v is None or pd.isna(v) else pd.Timestamp(v).strftime("%d/%m/%Y %H:%M")),
    })
    shown, config = ui.badges(frame, {UI["cmp_col_status"]: COLOURS})
    return ui.arrow(shown), config


def main() -> None:
    user = auth.require(auth.EDITORS)
    st.title(UI["page_completeness"])
    st.caption(UI["cmp_intro"])
    today = settings.today()
    due = Quarter(*cmp.last_due_quarter(today))
    current = Quarter.of(today)
    latest_data = data.latest_quarter()
    newest = max([current, *([Quarter(*latest_data)] if latest_data else [])])
    cols = st.columns([1, 1, 2])
    options = [p.key for p in filters.quarters_between(Quarter(*FIRST_QUARTER), newest)]
    # its own widget key: the views' period selector ("flt_period") has other options and defaults
    wanted = filters.param("period", due.key)
    if st.session_state.get("_cmp_url") != wanted or st.session_state.get("cmp_period") not in options:
        st.session_state["cmp_period"] = wanted if wanted in options else due.key
        st.session_state["_cmp_url"] = wanted
    key = cols[0].selectbox(UI["filter_period"], options, key="cmp_period",
                            format_func=lambda k: Quarter.from_key(k).label)
    filters.set_param("period", key, due.key)
    st.session_state["_cmp_url"] = filters.param("period", due.key)
    p = Quarter.parse(key) or due
    period = p.label
    st.caption(UI["cmp_deadline"].format(period=period, deadline=fmt_date(cmp.report_deadline(p.year, p.quarter))))

    df = _table(p.year, p.quarter)
    if df.empty:
        ui.empty(UI["cmp_none"].format(period=period))
        st.stop()
    sm = data.memo((p.year, p.quarter), _summary, df)
    n_rep, n_q = sm["n_rep"], sm["n_quarterly"]
    ui.kpi_cards([
        (UI["cmp_kpi_rate"], _pct(n_rep / n_q if n_q else None),
         UI["cmp_kpi_rate_note"].format(reported=fmt_int(n_rep), expected=fmt_int(n_q)), "#0072B2"),
        (UI["cmp_kpi_on_time"], fmt_int(sm["on_time"]), None, "#009E73"),
        (UI["cmp_kpi_late"], fmt_int(sm["late"]), None, "#CC79A7"),
        (UI["cmp_kpi_missing"], fmt_int(sm["missing"]), None, "#D55E00"),
        (UI["cmp_kpi_assign"], fmt_int(sm["reported_n"]),
         UI["cmp_kpi_assign_note"].format(reported=fmt_int(sm["reported_n"]), expected=fmt_int(sm["assignments"])),
         "#56B4E9"),
    ])
    # the user's agencies, or the agencies that carry their work when they ended before the quarter (store.accounts
    # gives an editor of a merged department its successor's scope too)
    own = sorted(user.agencies)
    heirs = ags.agency_heirs(data.frames(), own, p.end) if own else {}
    mine = df[df["agency_code"].isin({heirs.get(c, c) for c in own})] if own else df.iloc[0:0]
    for _, r in (mine.iterrows() if not mine.empty else ()):  # iterrows converts every column even of no rows
        st.info(UI["cmp_mine"].format(agency=r["agency"], status=STATUS[r["timeliness"]], period=period,
                                      n=fmt_int(r["assignments"])), icon=":material/apartment:")

    left, right = st.columns(2)
    with left:
        st.markdown(f"#### {UI['cmp_by_kind']}")
        st.dataframe(data.memo((p.year, p.quarter), _kinds_frame, df), hide_index=True, width="stretch", key="cmp_kinds")
    with right:
        st.markdown(f"#### {UI['cmp_by_unit']}")
        units = data.memo((p.year, p.quarter), _units_frame, p.year, p.quarter)
        st.dataframe(units, hide_index=True, width="stretch", key="cmp_units", height=min(420, 38 + 35 * max(1, len(units))))

    st.markdown(f"#### {UI['cmp_reporters']}")
    group = filters.choose("kind", UI["cmp_filter_group"], ["", *sm["kinds"]],
                           lambda k: UI["filter_all"] if k == "" else kind_label(k), "", cols[1])
    only_missing = cols[2].toggle(UI["completeness_only_missing"], key="cmp_missing")
    drawn, config = data.memo((p.year, p.quarter, group, only_missing), _reporters_frame, df, group, only_missing)
    st.dataframe(drawn, column_config=config, hide_index=True, width="stretch", key="cmp_table",
                 height=min(600, 38 + 35 * max(1, len(drawn))))

    st.subheader(UI["completeness_pick"])
    codes, names = sm["codes"], sm["names"]
    default = next((c for c in mine["agency_code"]), sm["first_missing"] if sm["first_missing"] is not None else codes[0])
    chosen = st.selectbox(UI["completeness_pick"], codes, index=codes.index(default), key="cmp_agency",
                          format_func=lambda c: names[c], label_visibility="collapsed")
    st.download_button(UI["template_prefilled"].format(period=period, agencies=names[chosen]),
                       _template(chosen, p.year, p.quarter), key="cmp_download",
                       file_name=f"bao_cao_tien_do_{chosen}_{p.year}_Q{p.quarter}.xlsx", mime=XLSX,
                       icon=":material/download:")


main()
