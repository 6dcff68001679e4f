"""Issue 10 through the real app in Debian's chromium, over the sample database: the admin uploads a plan whose
lead is typed "Sở N.Vụ", is asked what it means, chooses Sở Nội vụ, sees the second dry run pass, imports, and then
uploads a second plan with the same spelling that is read without a question.

Screenshots go to /tmp/shots10/ (or CCHC_SHOTS_DIR) for a person to look at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import resolve_books as rb
from tests.browser import ROOT, chromium, require_browser, streamlit_server
from tests.test_documents_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_browser()
from playwright.sync_api import expect  # noqa: E402

expect.set_options(timeout=60_000)
SHOTS = Path(os.environ.get("CCHC_SHOTS_DIR", "/tmp/shots10"))


@pytest.fixture(scope="module")
def site(sample_db, tmp_path_factory):
    import shutil

    import app
    from store.db import make_engine

    missing = [f for f, *_ in app.PAGES if not (ROOT / f).exists()]
    if missing:
        pytest.skip(f"pages not in the tree yet: {missing}")
    d = tmp_path_factory.mktemp("resolvesite")
    shutil.copy(sample_db, d / "cchc.db")
    eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
    try:
        with streamlit_server(d) as base:
            yield base, eng, d
    finally:
        eng.dispose()


def _shot(page, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _upload(pg, path: Path, shown: str) -> None:  # noqa: ANN001
    """Put a file into the uploader until its dry run (`shown`) is on the page. A try swallowed by a rerun is
    repeated with a fresh copy of the file (the same path again fires no change event)."""
    expect(pg.locator('[data-testid="stFileUploader"]')).to_be_visible()
    for attempt in range(4):
        copy = path.parent / f"try{attempt}" / path.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(path.read_bytes())
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(copy))
        try:
            expect(pg.get_by_role("heading", name=path.name)).to_be_visible(timeout=20_000 * (attempt + 1))
            expect(pg.get_by_text(shown).first).to_be_visible(timeout=20_000 * (attempt + 1))
            return
        except AssertionError:
            _shot(pg, f"00_upload_attempt_{attempt}")
    raise AssertionError(f"{path.name} never showed up after upload")


def test_unknown_abbreviation_chosen_rechecked_imported_then_read_without_asking(site, tmp_path):
    from store import aliases, queries

    base, eng, _d = site
    first, second = tmp_path / "ke_hoach_so_nv_81.xlsx", tmp_path / "ke_hoach_so_nv_82.xlsx"
    first.write_bytes(rb.plan("Sở N.Vụ", number=81))
    second.write_bytes(rb.plan("Sở N.Vụ", number=82, task="Tập huấn nghiệp vụ cải cách hành chính"))
    plans = queries.table_counts(eng)["plans"]
    with chromium(warm_up=base) as browser:
        page = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="vi-VN").new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{base}/tai-len")
        try:
            _login(page)
        except Exception:
            _shot(page, "00_login_failed")
            raise
        expect(page.get_by_role("heading", name="Tải mẫu").first).to_be_visible()
        _upload(page, first, "Cần bạn chọn (1)")
        expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_disabled()
        _shot(page, "01_asked")
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text="«Sở N.Vụ»")
        expect(box).to_have_count(1)
        box.click()
        page.locator('[role="option"]').filter(has_text="Sở Nội vụ (SNV)").click()
        page.get_by_role("button", name="Ghi nhận lựa chọn và kiểm tra lại").click()
        expect(page.get_by_text("Đã ghi nhận 1 lựa chọn", exact=False)).to_be_visible()
        expect(page.get_by_text("Cần bạn chọn", exact=False)).to_have_count(0)  # the second dry run passed
        expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_enabled()
        assert [a[:2] for a in aliases.load(eng).agencies] == [("Sở N.Vụ", "SNV")]
        _shot(page, "02_rechecked")
        page.get_by_role("button", name="Nhập dữ liệu").click()
        expect(page.get_by_text("Đã nhập lô", exact=False)).to_be_visible()
        assert queries.table_counts(eng)["plans"] == plans + 1
        _shot(page, "03_imported")
        # a second file with the same spelling: no question, ready to import
        page.goto(f"{base}/tai-len")
        expect(page.get_by_role("heading", name="Tải mẫu").first).to_be_visible()
        _upload(page, second, "Lỗi và cảnh báo")
        expect(page.get_by_text("Cần bạn chọn", exact=False)).to_have_count(0)
        expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_enabled()
        _shot(page, "04_second_file_no_question")
