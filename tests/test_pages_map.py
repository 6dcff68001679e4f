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
from tests.test_pages import _table, open_page, rerun

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
