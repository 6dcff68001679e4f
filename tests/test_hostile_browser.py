"""Issue 11's 5 KB workbook (one cell at XFD1048576) uploaded in a real browser: the page shows the Vietnamese
refusal, the server keeps answering, and another logged-in session keeps working. Twice: with the default
limits (the inspection refuses the file before any reader runs) and with the inspection's limits lifted
(python-calamine meets the file, asks for 512 GB and aborts: only the parse child dies)."""
from __future__ import annotations

import os
import urllib.request
from pathlib import Path

import pytest

from tests import hostile as h
from tests.browser import ADMIN_PASSWORD, chromium, require_browser, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_browser()
from playwright.sync_api import expect  # noqa: E402

T = 30_000  # ms: the longest any expectation waits
SHOTS = Path(os.environ.get("CCHC_SHOTS_DIR", "/tmp/shots4"))  # for a person to look at
LIFTED = {"CCHC_MAX_ROWS": "2000000", "CCHC_MAX_COLUMNS": "20000", "CCHC_MAX_CELLS": "100000000000000", "CCHC_PARSE_MEMORY_MB": "768"}


@pytest.fixture(scope="module", params=["inspected", "limits-lifted"])
def site(request, tmp_path_factory):
    """A server over a database with the first admin; yields (base url, variant)."""
    from service.bootstrap import bootstrap
    from store.db import make_engine

    d = tmp_path_factory.mktemp(f"hostile_site_{request.param}")
    saved = {k: os.environ.get(k) for k in ("CCHC_DATA_DIR", "CCHC_ADMIN_PASSWORD")}
    os.environ.update(CCHC_DATA_DIR=str(d), CCHC_ADMIN_PASSWORD=ADMIN_PASSWORD)
    try:
        eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
        bootstrap(eng, load_samples=False)
        eng.dispose()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    env = LIFTED if request.param == "limits-lifted" else {}
    with streamlit_server(d, **env) as base:
        yield base, request.param


def _login(pg) -> None:  # noqa: ANN001
    """Log in as the admin; submit again when a fresh session's cookie rerun swallowed the click."""
    expect(pg.locator('input[aria-label="Mật khẩu"]')).to_be_visible(timeout=T)
    pg.locator('input[aria-label="Tên đăng nhập"]').fill("admin")
    pg.locator('input[aria-label="Mật khẩu"]').fill(ADMIN_PASSWORD)
    for attempt in range(4):
        pg.get_by_role("button", name="Đăng nhập").click()
        try:
            expect(pg.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=8_000 * (attempt + 1))
            return
        except AssertionError:
            continue
    raise AssertionError("the admin could not log in")


def _upload(pg, path) -> None:  # noqa: ANN001
    for attempt in range(3):
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
        try:
            expect(pg.get_by_role("heading", name=path.name)).to_be_visible(timeout=10_000 * (attempt + 1))
            return
        except AssertionError:
            continue
    raise AssertionError(f"{path.name} never showed up after upload")


def _healthy(base: str) -> bool:
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as r:  # noqa: S310 - our local server
        return r.status == 200


def test_the_server_survives_the_xfd1048576_workbook(site, tmp_path):
    base, variant = site
    bad = tmp_path / "ke_hoach_xfd.xlsx"
    bad.write_bytes(h.plan_book({(1048576, 16383): 1}))
    good = tmp_path / "ke_hoach_dung.xlsx"
    good.write_bytes(h.plan_book())
    assert bad.stat().st_size < 6000
    with chromium(warm_up=base) as browser:
        watcher = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN").new_page()
        watcher.set_default_timeout(T)
        watcher.goto(f"{base}/lich-su")
        _login(watcher)
        expect(watcher.get_by_role("heading", name="Lịch sử nhập", exact=True).first).to_be_visible(timeout=T)

        uploader = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN").new_page()
        uploader.set_default_timeout(T)
        uploader.goto(f"{base}/tai-len")
        _login(uploader)
        expect(uploader.get_by_role("heading", name="Tải dữ liệu lên", exact=True).first).to_be_visible(timeout=T)
        _upload(uploader, bad)
        expect(uploader.get_by_text("bị từ chối, không đọc được", exact=False)).to_be_visible(timeout=T)
        if variant == "inspected":
            expect(uploader.get_by_text("XFD1048576", exact=False).first).to_be_visible(timeout=T)
            expect(uploader.get_by_text("Trang «Phụ lục», ô XFD1048576", exact=False)).to_be_visible(timeout=T)
        else:
            expect(uploader.get_by_text("hệ thống vẫn hoạt động bình thường", exact=False).first).to_be_visible(timeout=T)
        expect(uploader.get_by_text("Chưa thể nhập", exact=False)).to_be_visible(timeout=T)
        expect(uploader.get_by_role("button", name="Nhập dữ liệu")).to_be_disabled()
        assert not uploader.get_by_text("Connection error", exact=False).count()
        SHOTS.mkdir(parents=True, exist_ok=True)
        uploader.screenshot(path=str(SHOTS / f"hostile_xfd_{variant}.png"), full_page=True)

        assert _healthy(base)
        # the other session carries on: a new page of its own, with data from the server
        watcher.goto(f"{base}/nguoi-dung")
        expect(watcher.get_by_role("heading", name="Người dùng", exact=True).first).to_be_visible(timeout=T)
        expect(watcher.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=T)
        # and the uploader's next, valid file is read and may be imported
        _upload(uploader, good)
        expect(uploader.locator("button:has-text('Nhập dữ liệu'):not([disabled])")).to_have_count(1, timeout=T)
        assert _healthy(base)
