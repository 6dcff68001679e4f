"""A link someone sent opens exactly that view, after logging in, in a real browser and in a fresh session.

Runs `streamlit run app.py` on a copy of the sample database and drives Debian's chromium with Playwright.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "test-admin-password"
INDICATOR = "TTHC_ONLINE_DOSSIER_RATE"
LINK = f"/chi-tieu?period=2024-Q4&unit=365&indicator={INDICATOR}"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is missing", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (a local URL we built)
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="module")
def browser():
    """Chromium, launched once for the module."""
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory, browser):
    """`streamlit run app.py` on a copy of the sample database; the base URL once /_stcore/health answers."""
    d = tmp_path_factory.mktemp("server")
    shutil.copy(sample_db, d / "cchc.db")
    port = _free_port()
    env = dict(os.environ, CCHC_DATA_DIR=str(d), CCHC_LOAD_SAMPLES="0", CCHC_ADMIN_PASSWORD=PASSWORD,
               CCHC_TODAY="2025-07-15", CCHC_COOKIE_KEY=secrets.token_hex(32))
    env.pop("DATABASE_URL", None)
    log = open(d / "server.log", "wb")  # noqa: SIM115 (closed in finally)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    waiter = browser.new_page()  # only to wait between polls (no time.sleep in tests)
    try:
        for _ in range(240):
            if _healthy(f"{base}/_stcore/health") or proc.poll() is not None:
                break
            waiter.wait_for_timeout(250)
        if proc.poll() is not None or not _healthy(f"{base}/_stcore/health"):
            pytest.fail("streamlit did not start:\n" + (d / "server.log").read_text(errors="replace")[-3000:])
        # Warm-up visit: on the very first session after a start Streamlit answers a deep link with
        # "Page not found" and runs the main page (measured: 1 of 6 cold starts, never afterwards).
        waiter.goto(base + "/")
        waiter.get_by_label("Tên đăng nhập").wait_for(timeout=60_000)
        waiter.close()
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _open_and_login(context, url: str):  # noqa: ANN001, ANN202
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
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
    expect = sync_api.expect
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
