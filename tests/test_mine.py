"""Của tôi (issue 12): an editor or agency head lands on their own agency, admins and viewers on Tổng quan; the
page shows the rank and why it changed, the overdue outputs and what to report, with the pre-filled template.
The last test walks the Sở Tư pháp editor's journey in a real browser."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from catalogue import UI
from quarter import Quarter
from tests.browser import chromium, require_browser, streamlit_server
from tests.conftest import SAMPLES_TODAY

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-thu-nghiem-2"  # test-only password in a throw-away database


@pytest.fixture(scope="module")
def site_dir(sample_db, tmp_path_factory):
    """A copy of the sample database with the editor of Sở Tư pháp, an agency head (a viewer scoped to Sở Tư
    pháp) and a plain viewer."""
    from store import users
    from store.db import make_engine

    d = tmp_path_factory.mktemp("mine")
    shutil.copy(sample_db, d / "cchc.db")
    eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
    users.add_user("hoa", "Nguyễn Thị Hoa", "editor", PASSWORD, agencies=["STP"], engine=eng)
    users.add_user("giamdoc", "Giám đốc Sở Tư pháp", "viewer", PASSWORD, agencies=["STP"], engine=eng)
    users.add_user("xem", "Người xem", "viewer", PASSWORD, engine=eng)
    eng.dispose()
    return d


@pytest.fixture
def mine_env(site_dir, monkeypatch):
    import streamlit as st

    from store.db import shared_engine

    monkeypatch.setenv("CCHC_DATA_DIR", str(site_dir))
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "0")
    monkeypatch.setenv("CCHC_TODAY", SAMPLES_TODAY)
    shared_engine.cache_clear()
    st.cache_data.clear()
    return site_dir


def landing(username: str, role: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["roles"] = [role]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("username", "role", "title"), [
    ("hoa", "editor", "page_mine"), ("giamdoc", "viewer", "page_mine"), ("admin", "admin", "page_overview"),
    ("xem", "viewer", "page_overview"),
])
def test_who_lands_where(mine_env, username, role, title):
    at = landing(username, role)
    assert [t.value for t in at.title][0] == UI[title]


def test_start_page_of_the_editor(mine_env):
    from analytics import agencies as ags
    from analytics import counts as cn
    from analytics import ranking_views as rv
    from analytics import task_views as tv
    from store import completeness as cmp
    from store import queries as q
    from store.db import make_engine

    at = landing("hoa", "editor")
    eng = make_engine(f"sqlite:///{mine_env / 'cchc.db'}")
    f = q.frames(eng)
    # today (02/12/2026) her Sở Tư pháp of Nam Định has ended (30/06/2025): the page is its heir's, the new
    # province's Sở Tư pháp, in the last quarter with data (Quý III/2026)
    heir = ags.agency_heirs(f, ["STP"], Quarter(2026, 3).end)["STP"]
    assert heir != "STP" and f.agencies.set_index("code").loc[heir, "name"] == "Sở Tư pháp"
    st = tv.task_status(f, 2026, 3)
    lead, partner = cn.count(st, cn.Scope(agency=heir)), cn.count(st, cn.Scope(role="partner", agency=heir))
    detail = rv.par_detail(rv.par_with_parents(f.par, f.parents), *ags.par_subject(f.agencies, heir))
    expected_rows = len(cmp.live_assignments(eng, 2026, 3, [heir]))
    eng.dispose()
    text = " ".join(m.value for m in at.markdown)
    assert [s.value for s in at.subheader] == ["Sở Tư pháp"]
    assert any("không còn từ 01/07/2025" in c.value and "cơ quan kế thừa" in c.value for c in at.caption)
    assert f">{int(detail['row']['rank'])}/{int(detail['row']['n'])}<" in text  # the rank card
    assert detail["explanation"] in [i.value for i in at.info]  # why it changed
    assert UI["overdue_list_roles"].format(lead=lead["overdue"], partner=partner["overdue"]) in text
    overdue = next(d.value for d in at.dataframe if UI["col_role"] in d.value.columns)
    assert len(overdue) == lead["overdue"] + partner["overdue"]
    assert f"{expected_rows} nhiệm vụ chủ trì phải báo cáo" in text and "Quý III/2026" in text
    assert at.get("download_button")  # the pre-filled template


# --- the journey in a real browser --------------------------------------------------------------------------
def test_editor_of_so_tu_phap_in_a_browser(site_dir, tmp_path):
    require_browser()
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)

    from analytics import agencies as ags
    from analytics import counts as cn
    from analytics import ranking_views as rv
    from analytics import task_views as tv
    from store import completeness as cmp
    from store import queries as q
    from store.db import make_engine

    # today (02/12/2026) her Sở Tư pháp of Nam Định has ended: the page is its heir's, in Quý III/2026 (the last
    # quarter due) — every figure below is read from the database, not from the page's own functions
    eng = make_engine(f"sqlite:///{site_dir / 'cchc.db'}")
    f = q.frames(eng)
    heir = ags.agency_heirs(f, ["STP"], Quarter(2026, 3).end)["STP"]
    status = tv.task_status(f, 2026, 3)
    lead, partner = cn.count(status, cn.Scope(agency=heir)), cn.count(status, cn.Scope(role="partner", agency=heir))
    rank = rv.par_detail(rv.par_with_parents(f.par, f.parents), *ags.par_subject(f.agencies, heir))["row"]
    table = cmp.completeness(eng, 2026, 3)
    timeliness = table.loc[table["agency_code"] == heir, "timeliness"].iloc[0]
    label = {"on_time": UI["cmp_status_on_time"], "late": UI["cmp_status_late"], "missing": UI["cmp_status_missing"]}
    expected = cmp.live_assignments(eng, 2026, 3, [heir])
    eng.dispose()
    with streamlit_server(site_dir, CCHC_TODAY=SAMPLES_TODAY) as base, chromium(warm_up=base) as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN", accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        pg.goto(base)
        for attempt in range(3):  # a click during the cookie component's own rerun is lost: send it again
            pg.locator('input[aria-label="Tên đăng nhập"]').fill("hoa")
            pg.locator('input[aria-label="Mật khẩu"]').fill(PASSWORD)
            pg.get_by_role("button", name="Đăng nhập").click()
            try:
                expect(pg.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=15_000 * (attempt + 1))
                break
            except AssertionError:
                if not pg.locator('input[aria-label="Mật khẩu"]').count():
                    break  # logged in, the page is still drawing
        # she lands on "Của tôi": her agency, her rank, her overdue outputs, her quarter's template
        expect(pg.get_by_role("heading", name=UI["page_mine"], exact=True).first).to_be_visible()
        expect(pg.get_by_role("heading", name="Sở Tư pháp", exact=True).first).to_be_visible()
        expect(pg.get_by_text(f"Hạng {int(rank['rank'])}/{int(rank['n'])}", exact=False).first).to_be_visible()
        expect(pg.get_by_text(f"{lead['overdue']} lượt chủ trì · {partner['overdue']} lượt phối hợp",
                              exact=False).first).to_be_visible()
        expect(pg.get_by_text(f"Quý III/2026: {label[timeliness]}", exact=False).first).to_be_visible()
        button = pg.get_by_role("button", name=UI["template_prefilled"].format(period="Quý III/2026", agencies="Sở Tư pháp"))
        with pg.expect_download() as info:
            button.click()
        path = tmp_path / "mau.xlsx"
        info.value.save_as(path)
        ws = load_workbook(io.BytesIO(path.read_bytes()))["Tiến độ"]
        first = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Mã sản phẩm") + 1
        refs = [ws.cell(r, 1).value for r in range(first, first + len(expected) + 1)]
        assert refs[:-1] == expected["ref"].tolist() and refs[-1] is None  # pre-filled with exactly her assignments
        assert {ws.cell(r, 4).value for r in range(first, first + len(expected))} == {"Sở Tư pháp"}
        # and the completeness page counts her agency
        pg.get_by_role("link", name=UI["mine_open_completeness"].format(period="Quý III/2026")).click()
        expect(pg.get_by_role("heading", name=UI["page_completeness"], exact=True).first).to_be_visible()
        expect(pg.get_by_text(UI["cmp_mine"].format(agency="Sở Tư pháp", status=label[timeliness],
                                                    period="Quý III/2026", n=len(expected)), exact=False).first) \
            .to_be_visible()
        pg.screenshot(path=str(tmp_path / "completeness.png"), full_page=True)
        # the login cookie survived the landing: a fresh load of "/" is her start page, without the login form
        pg.goto(base)
        expect(pg.get_by_role("heading", name="Sở Tư pháp", exact=True).first).to_be_visible()
        assert not pg.locator('input[aria-label="Mật khẩu"]').count()
        context.close()
