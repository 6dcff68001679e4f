"""The views on the 2025 map, rendered by AppTest on the sample data (Nam Định, up to Quý II/2025): an earlier quarter
shown "theo địa giới hiện nay" lists the new province's communes with their history carried forward, the URL keeps
the choice, a commune opened shows where it came from, and without the toggle the quarter keeps its own map."""
from __future__ import annotations

from datetime import date

import pytest

from analytics import agencies as ags
from analytics import frames as fr
from analytics import series as sr
from analytics import targets as tg
from analytics import task_views as tv
from analytics import units as un
from catalogue import UI
from quarter import Quarter
from tests.test_pages import _frame_with, _table, open_page, rerun

NEW = "37-2025"


@pytest.fixture(scope="module")
def frames(data_dir) -> fr.Frames:
    from store import queries as q
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    f = q.frames(eng)
    eng.dispose()
    return f


def test_areas_on_todays_map_list_the_new_communes(app_env, frames):
    at = open_page("pages/dia-ban.py", period="2024-Q4", map="now")
    shown = _table(at, f"area_tasks_{NEW}_table")
    today = un.map_date(Quarter(2024, 4).end, True, date(2026, 12, 2))  # CCHC_TODAY of the page tests
    expected = un.children(frames.units, frames.parents, NEW, today)
    assert len(shown) == 129 and list(shown[UI["col_unit"]]) == list(expected["name"])
    assert at.toggle(key="flt_map").value is True and at.query_params.get("map") == "now"
    assert UI["map_now_caption"] in [c.value for c in at.caption]
    # the commune with the most carried tasks matches the analytics: the old district bodies' heirs
    status = ags.carry_agencies(tv.task_status(frames, 2024, 4), frames, today)
    units = tv.area_units(status, frames.units, frames.parents, NEW, today)
    assert list(shown[UI["col_total_occ"]]) == [f"{int(v):,}".replace(",", ".") for v in units["total"]]
    assert units["total"].sum() > 0


def test_the_toggle_off_keeps_the_quarters_own_map(app_env):
    at = open_page("pages/dia-ban.py", period="2024-Q4", map="now")
    at.toggle(key="flt_map").set_value(False)
    rerun(at)
    assert "map" not in at.query_params
    assert len(_table(at, "area_tasks_36_table")) == 10  # Nam Định's ten districts


def test_a_new_commune_on_todays_map_shows_where_it_came_from(app_env, frames):
    at = open_page("pages/dia-ban.py", period="2024-Q4", map="now", unit="13669-2025")
    heads = " ".join(m.value for m in at.markdown)
    assert "Tỉnh Ninh Bình › Phường Nam Định · Quý IV/2024" in heads
    infos = [i.value for i in at.info]
    assert any(i.startswith("Hình thành ngày 01/07/2025 từ:") and "Phường Vị Xuyên" in i for i in infos), infos


def test_an_old_commune_shows_where_it_went(app_env):
    at = open_page("pages/dia-ban.py", period="2024-Q4", unit="13636")  # Phường Vị Xuyên, Thành phố Nam Định
    heads = " ".join(m.value for m in at.markdown)
    assert "Tỉnh Nam Định › Thành phố Nam Định › Phường Vị Xuyên · Quý IV/2024" in heads
    assert "Không còn từ 01/07/2025; địa bàn nay thuộc: Phường Nam Định." in [i.value for i in at.info]


def test_the_targets_view_on_todays_map_judges_the_new_province(app_env, frames):
    at = open_page("pages/chi-tieu.py", period="2024-Q4", map="now")
    assert at.toggle(key="flt_map").value is True
    table = tg.target_overview(tg.assess_targets(frames, 2024, 4), sr.subject_values(
        sr.value_series(frames, Quarter(2024, 4).end), frames.units), 2025.0, province=NEW)
    province_rows = table[table["level"].isin(["province", "all"]) & (table["scope"] == "")]
    with_2030 = province_rows["id_2030"].notna()
    # a key with a 2030 target shows the new province's figures; one with only 2025 targets stays on Nam Định
    assert with_2030.any() and set(province_rows.loc[with_2030, "subject"]) == {NEW}
    assert set(province_rows.loc[~with_2030, "subject"]) <= {"36"}
    assert UI["map_now_caption"] in [c.value for c in at.caption]


# --- Nhiệm vụ and Tổng quan on today's map: the heirs of today carry the work, checked against the reference counts
TODAY = date(2026, 12, 2)  # CCHC_TODAY of the page tests


def _occurrences_on_todays_map(data_dir, year: int, quarter: int):
    """The reference occurrences of a quarter with every agency replaced by its heir of today (tests/reference_counts,
    which shares no code with the views)."""
    from dataclasses import replace

    from tests.reference_counts import Reference

    ref = Reference(data_dir / "cchc.db")
    out = []
    for o in ref.occurrences(year, quarter):
        heir = ref.heir(o.agency, TODAY)
        out.append(replace(o, agency=heir, agency_unit=ref.agencies[heir][0]) if heir != o.agency else o)
    return ref, out


def _caption_count(at) -> int:
    caps = [c.value for c in at.caption if "lượt giao" in c.value]
    assert caps, [c.value for c in at.caption]
    return int(caps[0].split(" lượt giao")[0].replace(".", ""))


@pytest.mark.parametrize("agency", ["SNV-37-2025", "SXD-37-2025", "STC-37-2025", "STP-37-2025"])
def test_task_occurrences_on_todays_map_count_the_heirs_work(app_env, data_dir, agency):
    """Quý IV/2024 on today's map: the new province's department carries its Nam Định predecessors' work (Sở Nội vụ
    also Lao động – Thương binh và Xã hội's, Xây dựng also Giao thông vận tải's, Tài chính also Kế hoạch và Đầu tư's)."""
    from tests.reference_counts import counts

    ref, occs = _occurrences_on_todays_map(data_dir, 2024, 4)
    expected = counts(occs, agency=agency)["total"]
    assert expected > 0 and counts(ref.occurrences(2024, 4), agency=agency)["total"] == 0  # it did not exist then
    at = open_page("pages/nhiem-vu.py", period="2024-Q4", rows="occ", agency=agency, map="now")
    assert at.toggle(key="flt_map").value is True and at.query_params.get("map") == "now"
    assert at.selectbox(key="flt_agency").value == agency
    assert _caption_count(at) == expected
    shown = _frame_with(at, UI["col_agency_assigned"])
    assert len(shown) == expected
    assert shown[UI["col_agency_assigned"]].str.contains("(trước đây: ", regex=False).all()  # each says where from
    at.toggle(key="flt_map").set_value(False)
    rerun(at)
    assert "map" not in at.query_params and agency not in at.selectbox(key="flt_agency").options


def test_task_occurrences_of_a_new_commune_on_todays_map(app_env, data_dir):
    from tests.reference_counts import counts

    ref, occs = _occurrences_on_todays_map(data_dir, 2024, 4)
    unit = "13669-2025"  # Phường Nam Định: the old city's wards and its bodies' work
    expected = counts(occs, role="any", units=ref.units_under(unit, TODAY))["total"]
    assert expected > 0
    at = open_page("pages/nhiem-vu.py", period="2024-Q4", rows="occ", role="any", unit=unit, map="now")
    assert _caption_count(at) == expected
    assert at.selectbox(key="flt_unit").value == unit
    assert len(at.selectbox(key="flt_unit").options) == 1 + 129  # "all" and today's communes


def test_the_outputs_of_a_merged_departments_heir_on_todays_map(app_env, data_dir):
    ref, _occs = _occurrences_on_todays_map(data_dir, 2024, 4)
    heir = "SNV-37-2025"  # today's Sở Nội vụ: Nam Định's, and Lao động – Thương binh và Xã hội's
    mine = {a[1] for a in ref.assignments if ref.heir(a[2], TODAY) == heir}  # (id, output_id, agency, …)
    own = {a[1] for a in ref.assignments if a[2] == heir}
    assert len(mine) > len(own)
    for params, expected in (({"map": "now"}, mine), ({}, own)):
        at = open_page("pages/nhiem-vu.py", period="2024-Q4", agency=heir, **params)
        caption = next(c.value for c in at.caption if "sản phẩm · trạng thái tại" in c.value)
        assert caption.split("/")[0].replace(".", "") == str(len(expected)), caption


def test_the_overview_offers_todays_map_and_names_the_province(app_env):
    at = open_page("pages/tong-quan.py", period="2024-Q4", map="now")
    assert at.toggle(key="flt_map").value is True
    assert UI["map_now_caption"] in [c.value for c in at.caption]
    own = open_page("pages/tong-quan.py", period="2024-Q4")
    cards = lambda t: [m.value for m in t.markdown if "kpi" in m.value][:1]  # noqa: E731
    assert cards(at) and cards(at) == cards(own)  # the province's totals are the same on both maps


@pytest.mark.parametrize("url_map, expected", [("now", {"period": "2024-Q4", "rows": "occ", "map": "now"}),
                                               (None, {"period": "2024-Q4", "rows": "occ"})])
def test_a_count_link_keeps_todays_map(url_map, expected):
    """A card's link opens Nhiệm vụ on the view's map, so the list counts the same rows as the card."""
    from streamlit.testing.v1 import AppTest

    setting = "st.query_params['map'] = 'now'" if url_map else "pass"
    script = ("import json, streamlit as st\n"
              "from components.counts import on_map\n"
              f"{setting}\n"
              "st.code(json.dumps(on_map({'period': '2024-Q4', 'rows': 'occ'}), sort_keys=True))\n")
    at = AppTest.from_string(script, default_timeout=60)
    at.run()
    import json

    assert json.loads(at.code[0].value) == expected
