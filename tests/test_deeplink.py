"""A link someone sent opens exactly that view, after logging in, in a real browser and in a fresh session.

Runs `streamlit run app.py` on a copy of the sample database and drives Debian's chromium with Playwright.
"""
from __future__ import annotations

import shutil

import pytest

from tests.browser import ADMIN_PASSWORD as PASSWORD
from tests.browser import ROOT, chromium, login, require_browser, streamlit_server

pytestmark = pytest.mark.browser
require_browser()
INDICATOR = "TTHC_ONLINE_DOSSIER_RATE"
LINK = f"/chi-tieu?period=2024-Q4&unit=365&indicator={INDICATOR}"


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    """`streamlit run app.py` on a copy of the sample database."""
    d = tmp_path_factory.mktemp("server")
    shutil.copy(sample_db, d / "cchc.db")
    with streamlit_server(d) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    """Chromium, warmed up on the main page."""
    with chromium(warm_up=server + "/") as b:
        yield b


def _open_and_login(context, url: str):  # noqa: ANN001, ANN202
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    login(page, "admin", PASSWORD)
    return page


def _indicator_name() -> str:
    """The indicator's name as the catalogue workbook gives it (read from the reference targets)."""
    import csv

    with open(ROOT / "data" / "reference" / "seed_targets.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["indicator_code"] == INDICATOR:
                return row["indicator_name"]
    raise AssertionError(f"{INDICATOR} is not in seed_targets.csv")


def _assert_view(page) -> None:  # noqa: ANN001
    """The targets view of the link: that indicator, that district, Q4 2024."""
    from playwright.sync_api import expect
    # .first: while a run replaces the previous one, its elements can briefly be on the page twice
    expect(page.get_by_role("heading", name=_indicator_name()).first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Chỉ tiêu 2025 / 2030").first).to_be_visible()
    expect(page.get_by_text("Huyện Giao Thủy", exact=False).first).to_be_visible()
    expect(page.get_by_text("Quý IV/2024").first).to_be_visible()
    assert "period=2024-Q4" in page.url and "unit=365" in page.url and f"indicator={INDICATOR}" in page.url, page.url


def test_deep_link_survives_login(browser, server):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    try:
        page = _open_and_login(context, server + LINK)
        _assert_view(page)
    finally:
        context.close()


def test_deep_link_in_a_fresh_session(browser, server):
    first = browser.new_context(viewport={"width": 1600, "height": 1000})
    second = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        _assert_view(_open_and_login(first, server + LINK))
        _assert_view(_open_and_login(second, server + LINK))  # no cookie, no session state: only the URL
    finally:
        first.close()
        second.close()


# --- every page's link, opened by the FIRST visitor of a fresh server process (Streamlit has not run
# st.navigation yet and treats pages/ as an old-style multipage app), and the default page "/" too ---
def _first_visit_cases() -> list[tuple[str, str]]:
    """(url, a heading the view shows once logged in as admin) for the start page and every page of app.PAGES."""
    import app
    from catalogue import UI

    cases = [("/", UI["page_overview"])]  # the start page opens Tổng quan for an admin
    for _file, title, _icon, url, _roles, _section in app.PAGES:
        query = "?present=1&deck=province&slide=1" if url == "trinh-chieu" else "?period=2024-Q3"
        cases.append((f"/{url}{query}", "" if url == "trinh-chieu" else UI[title]))
    return cases


@pytest.mark.parametrize("url,heading", _first_visit_cases(), ids=lambda v: v if str(v).startswith("/") else "")
def test_first_visitor_of_a_fresh_server(sample_db, tmp_path, browser, url, heading):
    """The module's chromium (warmed on another server) with a new context: no cookie, and this server's first visitor."""
    from playwright.sync_api import expect

    shutil.copy(sample_db, tmp_path / "cchc.db")
    with streamlit_server(tmp_path) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        try:
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(base + url)
            expect(page.get_by_label("Mật khẩu")).to_be_visible(timeout=60_000)
            assert page.get_by_text("Page not found").count() == 0
            # the pre-login sidebar lists no file names (client.showSidebarNavigation = false)
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0
            login(page, "admin", PASSWORD)
            if heading:
                expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
            else:  # the deck: its first slide's Next button
                expect(page.get_by_role("button", name="Tiếp").first).to_be_visible(timeout=60_000)
            assert page.get_by_text("Page not found").count() == 0
            path = url.split("?")[0]
            if path != "/":
                assert path in page.url, page.url
                assert url.split("?")[1].split("&")[0] in page.url, page.url
            else:
                assert "/tong-quan" in page.url, page.url
        finally:
            context.close()
