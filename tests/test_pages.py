"""Every page of app.PAGES rendered by AppTest for a logged-in admin on the sample data; deep links (query
parameters) change what is shown, and the numbers shown equal what the analytics compute from the same database."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

P = pytest.param
from streamlit.testing.v1 import AppTest

from analytics import agencies as ags
from analytics import frames as fr
from analytics import labels as lb
from analytics import ranking_views as rv
from analytics import series as sr
from analytics import targets as tg
from analytics import task_views as tv
from analytics.progress import quarter_to_t
from catalogue import PROGRESS_STATUSES, TASK_STATUSES, UI
from formats import fmt_int, fmt_percent, fmt_quarter
from quarter import Quarter

ROOT = Path(__file__).resolve().parent.parent
MINE = ("pages/tong-quan.py", "pages/chi-tieu.py", "pages/dia-ban.py", "pages/co-quan.py", "pages/xep-hang.py",
        "pages/nhiem-vu.py")
INDICATOR = "TTHC_ONLINE_DOSSIER_RATE"  # one province-wide target per horizon
LEVELLED = "WORK_FILE_ONLINE_RATE"  # targets per level: province, district, commune


@pytest.fixture(scope="module")
def frames(data_dir) -> fr.Frames:
    """The store's frames read straight from the same database file (what the pages should show)."""
    from store import queries as q
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    f = q.frames(eng)
    eng.dispose()
    return f


@pytest.fixture(scope="module")
def latest(data_dir) -> tuple[int, int]:
    """The latest quarter with data (the pages' default period)."""
    from store import queries as q
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    try:
        return q.latest_quarter(eng)
    finally:
        eng.dispose()


def _login(at: AppTest) -> None:
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["name"] = "Quản trị"
    at.session_state["roles"] = ["admin"]


def open_page(page: str, **params: str) -> AppTest:
    """Run the app, switch to a page with these query parameters, and fail on any exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    _login(at)
    at.run()
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def _labels(df: pd.DataFrame) -> pd.DataFrame:
    """Coloured-label columns (one-item lists drawn as badges, components.ui.badges) back to their text."""
    def text(v: object) -> object:
        return (str(v[0]) if len(v) else "") if isinstance(v, (list, tuple, np.ndarray)) else v
    return df.apply(lambda col: col.map(text) if col.dtype == object else col)


def _table(at: AppTest, key: str) -> pd.DataFrame:
    """The frame behind a keyed st.dataframe, badge columns as text."""
    hits = [d for d in at.dataframe if d.key == key]
    assert hits, f"no dataframe {key!r}; there are {[d.key for d in at.dataframe]}"
    return _labels(hits[0].value)


def _frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first st.dataframe that has all these columns (tables without selection carry no key)."""
    for d in at.dataframe:
        if all(c in d.value.columns for c in columns):
            return _labels(d.value)
    raise AssertionError(f"no dataframe with columns {columns}; there are {[list(d.value.columns) for d in at.dataframe]}")


def _status(frames: fr.Frames, year: int, quarter: int) -> pd.DataFrame:
    return tv.task_status(frames, year, quarter)


# --- every page renders ------------------------------------------------------------------------
def _page_ids() -> list:
    import app

    return [pytest.param(file, title, id=url) for file, title, _i, url, _r, _s in app.PAGES]


@pytest.mark.parametrize("file,title", _page_ids())
def test_every_page_renders(app_env, file, title):
    if file not in MINE and not (ROOT / file).exists():
        pytest.skip(f"{file} is written by someone else and does not exist yet")
    at = open_page(file)
    if file in MINE:
        assert _texts(at, "title")[0] == UI[title]


# --- overview ----------------------------------------------------------------------------------
def test_overview_kpis_equal_the_analytics(app_env, frames, latest):
    year, quarter = latest
    k = tv.task_kpis(_status(frames, year, quarter))
    k25 = tg.indicator_kpis(tg.assess_targets(frames, year, quarter), 2025)
    at = open_page("pages/tong-quan.py")
    expected = {
        UI["kpi_on_time"]: fmt_percent(100 * k["on_time_rate"], 0),
        UI["cnt_done_total"]: fmt_int(k["done_total"]),
        UI["cnt_overdue"]: fmt_int(k["overdue"]),
        UI["kpi_targets_2025"]: f"{k25['achieved'] + k25['on_track']}/{sum(k25.values())}",
    }
    cards = [m for m in _texts(at, "markdown") if "class='kpi'" in m]
    for label, value in expected.items():
        card = next(m for m in cards if f">{label}<" in m)
        assert f">{value}" in card, (label, value, card)
    assert fmt_quarter(year, quarter) in " ".join(_texts(at, "caption"))


def test_overview_period_from_the_url(app_env, frames):
    k = tv.task_kpis(_status(frames, 2024, 4))
    at = open_page("pages/tong-quan.py", period="2024-Q4")
    card = next(m for m in _texts(at, "markdown") if UI["cnt_overdue"] in m)
    assert f">{fmt_int(k['overdue'])}<" in card
    assert "Quý IV/2024" in " ".join(_texts(at, "caption"))


# --- targets -----------------------------------------------------------------------------------
def test_status_cells_are_coloured_labels_in_catalogue_colours(app_env):
    """The status columns are drawn as coloured labels by the grid (no pandas Styler), one catalogue colour each."""
    import json

    at = open_page("pages/chi-tieu.py")
    table = next(d for d in at.dataframe if d.key == "tgt_table")
    config = json.loads(table.proto.columns)[UI["col_status_year"].format(year=2025)]["type_config"]
    assert config["type"] == "multiselect"
    assert {o["value"]: o["color"] for o in config["options"]} == {
        lb.status_text(c): e.colour for c, e in PROGRESS_STATUSES.items()}
    cells = table.value[UI["col_status_year"].format(year=2025)]
    assert all(len(v) <= 1 for v in cells) and any(len(v) == 1 for v in cells)


def test_targets_table_lists_every_target_key(app_env, frames, latest):
    year, quarter = latest
    assessed = tg.assess_targets(frames, year, quarter)
    keys = assessed.assign(s=assessed["scope_unit_code"].fillna("")).drop_duplicates(["indicator_code", "level", "s"])
    at = open_page("pages/chi-tieu.py")
    table = _table(at, "tgt_table")
    assert len(table) == len(keys)
    assert set(table[UI["col_status_year"].format(year=2025)]) <= {lb.status_text(c) for c in PROGRESS_STATUSES} | {""}
    assert UI["pick_a_row"] in _texts(at, "caption")


def test_targets_deep_link_opens_indicator_district_and_period(app_env, frames):
    at = open_page("pages/chi-tieu.py", period="2024-Q4", unit="365", indicator=INDICATOR)
    name = frames.indicators.set_index("code").at[INDICATOR, "name"]
    assert any(s.startswith(name) for s in _texts(at, "subheader"))
    assert at.selectbox(key="flt_period").value == "2024-Q4"
    assert any("Huyện Giao Thủy" in m for m in _texts(at, "markdown"))
    # the communes of Giao Thủy at the end of 2024, judged against the indicator's first target
    assessed = tg.assess_targets(frames, 2024, 4)
    overview = tg.target_overview(assessed, sr.subject_values(sr.value_series(frames, Quarter(2024, 4).end),
                                                                   frames.units), quarter_to_t(2024, 4))
    first = overview[overview["indicator_code"] == INDICATOR].iloc[0]
    target = tg.find_target(assessed, INDICATOR, first["level"], first["scope"], 2025)
    expected = tg.unit_assessment(frames, int(target["id"]), 2024, 4, "365")
    shown = _frame_with(at, UI["required_now"], UI["col_projected"])
    assert list(shown[UI["col_unit"]]) == list(expected["name"])
    assert list(shown[UI["col_status"]]) == [lb.status_text(c) for c in expected["status"]]


def test_targets_level_filter_and_target_key(app_env, frames):
    at = open_page("pages/chi-tieu.py", level="commune")
    table = _table(at, "tgt_table")
    assert set(table[UI["col_level"]]) == {lb.level_label("commune")}
    # Quý II/2025: the last quarter drilled by district (later quarters go province → commune)
    at = open_page("pages/chi-tieu.py", indicator=LEVELLED, target="commune", year="2030", period="2025-Q2")
    assert any(lb.level_label("commune") in s for s in _texts(at, "subheader"))
    assert at.selectbox(key="flt_year").value == "2030"
    assert any(UI["by_district"] in m for m in _texts(at, "markdown"))


def test_targets_row_selection_opens_the_indicator(app_env):
    at = open_page("pages/chi-tieu.py")
    table = _table(at, "tgt_table")
    at.session_state["tgt_table"] = {"selection": {"rows": [2], "columns": []}}
    rerun(at)
    assert at.query_params.get("indicator"), dict(at.query_params)
    name = table.iloc[2][UI["col_indicator"]].split(" · ")[0]
    assert any(s.startswith(name) for s in _texts(at, "subheader"))


# --- areas -------------------------------------------------------------------------------------
def test_areas_province_then_district(app_env, frames, latest):
    # Quý II/2025: the last quarter with districts (the samples reach Quý III/2026, on the 2025 map without them)
    year, quarter = 2025, 2
    on = Quarter(year, quarter).end
    status = _status(frames, year, quarter)
    at = open_page("pages/dia-ban.py", period="2025-Q2")
    top = tv.area_units(status, frames.units, frames.parents, "36", on)
    shown = _table(at, "area_tasks_36_table")
    assert list(shown[UI["col_unit"]]) == list(top["name"])
    assert list(shown[UI["col_overdue"]]) == [fmt_int(v) for v in top["overdue"]]

    at = open_page("pages/dia-ban.py", unit="365", period="2025-Q2")
    communes = tv.area_units(status, frames.units, frames.parents, "365", on)
    shown = _frame_with(at, UI["col_bucket"])
    assert list(shown[UI["col_unit"]]) == list(communes["name"])
    assert any("Huyện Giao Thủy" in m for m in _texts(at, "markdown"))
    overdue = tv.unit_overdue(status, frames.parents, "365", on)
    if overdue.empty:
        assert UI["no_overdue"] in _texts(at, "success")
    else:
        assert len(_frame_with(at, UI["col_lead"], UI["col_due"])) == len(overdue)
    at.button(key="area_back").click()
    rerun(at)
    assert "unit" not in at.query_params
    assert len(_table(at, "area_tasks_36_table")) == len(top)


def test_areas_table_row_drills_down(app_env):
    at = open_page("pages/dia-ban.py", period="2024-Q4")
    shown = _table(at, "area_tasks_36_table")
    row = list(shown[UI["col_unit"]]).index("Huyện Giao Thủy")
    at.session_state["area_tasks_36_table"] = {"selection": {"rows": [row], "columns": []}}
    rerun(at)
    assert at.query_params.get("unit") == "365"
    assert "Quý IV/2024" in " ".join(_texts(at, "markdown"))


def test_areas_by_indicator(app_env, frames):
    at = open_page("pages/dia-ban.py", by="indicator", indicator=LEVELLED, target="commune", unit="365", period="2024-Q4")
    assessed = tg.assess_targets(frames, 2024, 4)
    target = tg.find_target(assessed, LEVELLED, "commune", "", 2025)
    assert target is not None
    expected = tg.unit_assessment(frames, int(target["id"]), 2024, 4, "365")
    shown = _frame_with(at, UI["required_now"])
    assert list(shown[UI["col_status"]]) == [lb.status_text(c) for c in expected["status"]]


# --- agencies ----------------------------------------------------------------------------------
def test_agencies_table_and_kind_filter(app_env, frames):
    year, quarter = 2025, 2  # the last quarter with district offices (they ended on 30/06/2025)
    table = ags.agency_table(_status(frames, year, quarter), frames.agencies, frames.units)
    at = open_page("pages/co-quan.py", period="2025-Q2")
    assert len(_table(at, "ag_table")) == len(table)
    at = open_page("pages/co-quan.py", kind="district", period="2025-Q2")
    shown = _table(at, "ag_table")
    assert len(shown) == (table["group"] == "district").sum()
    assert set(shown[UI["col_group"]]) == {UI["agency_group_district"]}


def test_agency_deep_link_shows_overdue_and_par(app_env, frames):
    year, quarter = 2025, 2  # Nam Định's Sở Tư pháp (STP) ended on 30/06/2025
    status = _status(frames, year, quarter)
    at = open_page("pages/co-quan.py", agency="STP", period="2025-Q2")
    assert "Sở Tư pháp" in _texts(at, "subheader")
    over = ags.agency_overdue(status, "STP")
    if over.empty:
        assert UI["no_overdue"] in _texts(at, "success")
    else:
        assert len(_frame_with(at, UI["col_role"], UI["col_due"])) == len(over)
    detail = rv.par_detail(rv.par_with_parents(frames.par, frames.parents), "department", "STP")
    assert detail["explanation"] in _texts(at, "info")


def test_agency_row_selection(app_env):
    at = open_page("pages/co-quan.py", kind="district", period="2025-Q2")
    shown = _table(at, "ag_table")
    at.session_state["ag_table"] = {"selection": {"rows": [0], "columns": []}}
    rerun(at)
    assert at.query_params.get("agency", "").startswith("UBND-")
    assert shown.iloc[0][UI["col_agency"]] in _texts(at, "subheader")


# --- rankings ----------------------------------------------------------------------------------
def test_rankings_department_story(app_env, frames):
    par = rv.par_with_parents(frames.par, frames.parents)
    # 2024, Sở Tư pháp's last year as Nam Định's department (2025's subjects are the merged departments)
    year = [y for y in rv.par_years(par, "department") if y <= 2024][0]
    at = open_page("pages/xep-hang.py", kind="department", agency="STP", year=str(year))
    table = rv.rank_table_for(par, year, "department")
    assert len(_table(at, "rk_table")) == len(table)
    detail = rv.par_detail(par, "department", "STP", year)
    assert detail["explanation"] in _texts(at, "info")
    assert detail["explanation"].startswith(f"Hạng {int(detail['row']['rank'])}/{int(detail['row']['n'])}")


def test_rankings_communes_of_a_district_and_year(app_env, frames):
    par = rv.par_with_parents(frames.par, frames.parents)
    years = rv.par_years(par, "commune", "365")
    at = open_page("pages/xep-hang.py", kind="commune", unit="365", year=str(years[-1]))
    assert at.selectbox(key="flt_year").value == str(years[-1])
    assert len(_table(at, "rk_table")) == len(rv.rank_table_for(par, years[-1], "commune", "365"))
    assert any(str(years[-1]) in c and "Giao Thủy" in c for c in _texts(at, "caption"))


def test_rankings_row_selection_explains(app_env, frames):
    at = open_page("pages/xep-hang.py", kind="district")
    shown = _table(at, "rk_table")
    at.session_state["rk_table"] = {"selection": {"rows": [1], "columns": []}}
    rerun(at)
    assert at.query_params.get("agency", "").startswith("UBND-")
    assert shown.iloc[1][UI["col_unit"]] in _texts(at, "subheader")
    assert any(t.startswith("Hạng 2/") for t in _texts(at, "info"))


# --- tasks -------------------------------------------------------------------------------------
def _task_rows(frames: fr.Frames, year: int, quarter: int, agency: str | None = None, **kw) -> pd.DataFrame:
    from components.filters import quarters_between

    base = tv.task_base(frames)
    quarters = quarters_between(Quarter(2021, 1), Quarter(year, quarter))[:4][::-1]
    history = [(fmt_quarter(x.year, x.quarter), tv.task_status(frames, x.year, x.quarter, base)) for x in quarters]
    table = tv.task_table(base, tv.task_status(frames, year, quarter, base), history, agency)
    return tv.filter_tasks(table, **kw)


def test_tasks_search_without_diacritics(app_env, frames, latest):
    year, quarter = latest
    expected = _task_rows(frames, year, quarter, q="so hoa")
    assert len(expected) > 0
    at = open_page("pages/nhiem-vu.py", q="so hoa")
    assert at.text_input(key="flt_q").value == "so hoa"
    shown = _frame_with(at, UI["col_output"], UI["filter_status"])
    assert len(shown) == len(expected)
    assert list(shown[UI["col_output"]]) == [f"{n} {o}".strip() for n, o in
                                             zip(expected["output_no"].fillna("").astype(str), expected["output"])]
    assert at.download_button(key="tk_table_xlsx").label == UI["download_excel"]


def test_tasks_filters_from_the_url(app_env, frames):
    at = open_page("pages/nhiem-vu.py", period="2024-Q4", agency="STP", status="overdue")
    expected = _task_rows(frames, 2024, 4, "STP", status="overdue")
    shown = _frame_with(at, UI["col_output"], UI["filter_status"]) if len(expected) else None
    if shown is None:
        assert UI["no_tasks_filter"] in _texts(at, "info")
    else:
        assert len(shown) == len(expected)
        assert set(shown[UI["filter_status"]]) == {lb.status_text("overdue", TASK_STATUSES)}
        cols = list(shown.columns)
        at_status = cols.index(UI["filter_status"])
        assert cols[at_status + 1:at_status + 5] == ["Quý I/2024", "Quý II/2024", "Quý III/2024", "Quý IV/2024"]


def test_tasks_area_link_from_overview(app_env, frames, latest):
    year, quarter = latest
    expected = _task_rows(frames, year, quarter, area="procedure")
    at = open_page("pages/nhiem-vu.py", area="procedure")
    assert len(_frame_with(at, UI["col_output"], UI["filter_status"])) == len(expected)
    assert at.selectbox(key="flt_area").value == "procedure"


# --- exports: every chart has its PNG, every table its Excel ------------------------------------
@pytest.mark.parametrize("page,params", [
    P("pages/tong-quan.py", {}),
    P("pages/chi-tieu.py", {"indicator": INDICATOR}),  # an opened target: trend, district bars and map
    P("pages/dia-ban.py", {"unit": "365", "period": "2025-Q2"}),  # a district (to Q2/2025): map, communes, overdue
    P("pages/co-quan.py", {"agency": "STP"}),
    P("pages/xep-hang.py", {"kind": "department", "agency": "STP"}),
    P("pages/nhiem-vu.py", {}),
], ids=lambda v: v if isinstance(v, str) else None)
def test_every_chart_and_table_can_be_downloaded(app_env, page, params):
    at = open_page(page, **params)
    charts = at.get("plotly_chart")
    png = [b for b in at.button if b.label == UI["download_png"]]
    excel = [b for b in at.get("download_button") if b.proto.label == UI["download_excel"]]
    if charts:
        assert len(png) >= 1
    assert len(png) == len(charts), (len(png), len(charts))  # one "Tải ảnh PNG" under each chart
    assert len(excel) >= 1
    assert len(excel) == len(at.dataframe), ([b.key for b in excel], [d.key for d in at.dataframe])


# --- odd links never break a page ---------------------------------------------------------------
@pytest.mark.parametrize("page,params,message", [
    P("pages/chi-tieu.py", {"indicator": "NOPE", "period": "2021-Q1"}, UI["indicator_not_found"].format(code="NOPE")),
    P("pages/chi-tieu.py", {"indicator": INDICATOR, "target": "commune@999", "unit": "999", "year": "1999"}, None),
    P("pages/dia-ban.py", {"unit": "999", "period": "2025-Q2"}, UI["unit_not_found"].format(code="999")),
    P("pages/dia-ban.py", {"unit": "999"}, UI["unit_not_found_any"].format(code="999")),  # 2026: no districts
    P("pages/dia-ban.py", {"by": "indicator", "indicator": "NOPE", "target": "nope", "period": "2021-Q1"}, None),
    P("pages/dia-ban.py", {"area": "nope", "period": "1999-Q9"}, None),
    P("pages/co-quan.py", {"agency": "NOPE", "kind": "nope"}, UI["pick_an_agency"]),
    P("pages/co-quan.py", {"agency": "PTCKH-356", "period": "2025-Q2"}, UI["par_not_ranked"]),  # a district office
    P("pages/xep-hang.py", {"kind": "commune", "unit": "999", "year": "1999", "agency": "NOPE"}, UI["pick_a_subject"]),
    P("pages/nhiem-vu.py", {"q": "%%% [ ( *", "status": "nope", "deadline": "nope", "plan": "nope"}, None),
    P("pages/nhiem-vu.py", {"q": "không có từ này ở đâu cả"}, UI["no_tasks_filter"]),
], ids=lambda v: v if isinstance(v, str) and v.startswith("pages/") else None)
def test_odd_links_show_an_explanation(app_env, page, params, message):
    at = open_page(page, **params)
    if message:
        shown = _texts(at, "info") + _texts(at, "caption") + _texts(at, "success")
        assert message in shown, shown
