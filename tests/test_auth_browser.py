"""The real app in Debian's chromium (Playwright): logged-out access, deep links through the login,
reload keeping the session, logout ending it, and a whole quarterly upload with rollback.

Screenshots go to /tmp/shots4/ (or CCHC_SHOTS_DIR) for a person to look at.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue import UI
from tests.browser import ADMIN_PASSWORD, ROOT, chromium, require_browser, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
require_browser()
from playwright.sync_api import expect  # noqa: E402

SHOTS = Path(os.environ.get("CCHC_SHOTS_DIR", "/tmp/shots4"))
PASSWORD = "mat-khau-thu-nghiem-1"  # test-only password of the editor, in a throw-away database
T = 30_000  # ms: the longest any expectation waits


def _filled(engine, agency: str, status_of) -> bytes:  # noqa: ANN001
    from components.exporting import progress_template

    wb = load_workbook(io.BytesIO(progress_template(engine, [agency], 2023, 3)))
    ws = wb["Tiến độ"]
    r = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Mã sản phẩm") + 1
    i = 0
    while ws.cell(r, 1).value:
        ws.cell(r, 6).value = status_of(i)
        r += 1
        i += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A streamlit server on a free port over a database holding the 2023 plan, an admin and the
    editor of Sở Thông tin và Truyền thông; yields (base url, engine, folder)."""
    import app

    missing = [f for f, *_ in app.PAGES if not (ROOT / f).exists()]
    if missing:
        pytest.skip(f"pages not in the tree yet: {missing}")
    from samples.plans import PLAN_2023, write_plan
    from store import users
    from service.bootstrap import bootstrap
    from store.db import make_engine
    from store.importer import import_workbook

    d = tmp_path_factory.mktemp("site")
    saved = {k: os.environ.get(k) for k in ("CCHC_DATA_DIR", "CCHC_ADMIN_PASSWORD")}
    os.environ.update(CCHC_DATA_DIR=str(d), CCHC_ADMIN_PASSWORD=ADMIN_PASSWORD)
    try:
        eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
        bootstrap(eng, load_samples=False)
        assert import_workbook(eng, write_plan(PLAN_2023, d / "ke_hoach_2023.xlsx"), user="dữ liệu mẫu",
                               is_sample=True).status == "imported"
        users.add_user("sotttt", "Biên tập Sở TT&TT", "editor", PASSWORD, agencies=["STTTT"], engine=eng)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        with streamlit_server(d) as base:
            yield base, eng, d
    finally:
        eng.dispose()


@pytest.fixture(scope="module")
def browser(site):
    """Chromium, warmed up on the main page (see tests/browser.chromium)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(warm_up=site[0]) as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(T)
    yield pg
    context.close()


def _login_form_shown(pg) -> None:  # noqa: ANN001
    expect(pg.locator('input[aria-label="Mật khẩu"]')).to_be_visible(timeout=T)
    expect(pg.get_by_role("button", name="Đăng nhập")).to_be_visible(timeout=T)


def _login(pg, username: str, password: str) -> None:  # noqa: ANN001
    """Fill and send the login form; sent again if the click landed during the cookie component's own
    rerun on a fresh session (the form then stays, filled, without an error). Rarely, on a loaded machine,
    right after a logout in the same browser, every submit of a fresh session is lost this way: the page
    is then loaded again (a new session, as a user would press F5) before failing."""
    for reload in range(2):
        _login_form_shown(pg)
        pg.locator('input[aria-label="Tên đăng nhập"]').fill(username)
        pg.locator('input[aria-label="Mật khẩu"]').fill(password)
        for attempt in range(3):
            pg.get_by_role("button", name="Đăng nhập").click()
            try:
                expect(pg.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=8_000 * (attempt + 1))
                return
            except AssertionError:
                if pg.get_by_text("không đúng", exact=False).count() or not pg.locator('input[aria-label="Mật khẩu"]').count():
                    raise
        if reload == 0:
            pg.goto(pg.url)
    raise AssertionError(f"{username} could not log in at {pg.url}")


def _upload(pg, path: Path) -> None:  # noqa: ANN001
    """Put a file into the uploader; once more if a rerun (the login cookie's) swallowed the first try."""
    for attempt in range(3):
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
        try:
            expect(pg.get_by_role("heading", name=path.name)).to_be_visible(timeout=10_000 * (attempt + 1))
            return
        except AssertionError:
            continue
    raise AssertionError(f"{path.name} never showed up after upload")


def _heading(pg, text: str):  # noqa: ANN001, ANN202
    return pg.get_by_role("heading", name=text, exact=True).first  # a rerun may briefly keep the old one


def _shot(pg, name: str) -> None:  # noqa: ANN001
    pg.wait_for_timeout(600)  # let the last elements paint
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_every_page_url_shows_only_the_login_form_when_logged_out(site, page):
    import app
    from catalogue import UI

    base, _eng, _d = site
    for _file, title, _icon, url, _roles, _section in app.PAGES:
        page.goto(f"{base}/{url}")
        _login_form_shown(page)
        expect(_heading(page, UI[title])).to_have_count(0)
        expect(page.get_by_text("Đăng xuất")).to_have_count(0)
        assert page.locator('[data-testid="stFileUploader"], [data-testid="stDataFrame"]').count() == 0, url
    _shot(page, "01_login_form")


def test_deep_link_reload_and_logout(site, page):
    base, eng, _d = site
    from store import users

    page.goto(f"{base}/lich-su")
    _login(page, "admin", ADMIN_PASSWORD)
    expect(_heading(page, "Lịch sử nhập")).to_be_visible(timeout=T)  # the deep link survived the login
    assert page.url.rstrip("/").endswith("/lich-su")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=T)
    page.wait_for_function("document.cookie.includes('cchc_auth=')", timeout=T)
    _shot(page, "02_history_after_login")
    page.reload()
    expect(_heading(page, "Lịch sử nhập")).to_be_visible(timeout=T)  # the cookie logged us in again
    expect(page.locator('input[aria-label="Mật khẩu"]')).to_have_count(0)
    page.goto(f"{base}/nguoi-dung")  # a new session in the same browser: still logged in
    expect(_heading(page, "Người dùng")).to_be_visible(timeout=T)
    _shot(page, "03_users")
    page.goto(f"{base}/nhat-ky")
    expect(_heading(page, "Nhật ký")).to_be_visible(timeout=T)
    _shot(page, "04_audit")
    page.get_by_role("button", name="Đăng xuất").click()
    _login_form_shown(page)
    page.wait_for_function("!document.cookie.includes('cchc_auth=')", timeout=T)
    page.reload()
    _login_form_shown(page)  # the reload after logout shows the login form
    expect(_heading(page, "Nhật ký")).to_have_count(0)
    assert users.audit_entries(username="admin", action="logout", engine=eng).shape[0] >= 1


def test_quarterly_upload_with_errors_fix_import_overview_and_rollback(site, page, tmp_path):
    base, eng, _d = site
    bad = tmp_path / "sotttt_quy3.xlsx"
    bad.write_bytes(_filled(eng, "STTTT", lambda i: None if i == 3 else "Đang thực hiện"))
    good = tmp_path / "sotttt_quy3_da_sua.xlsx"
    good.write_bytes(_filled(eng, "STTTT", lambda i: "Hoàn thành" if i < 14 else "Đang thực hiện"))
    page.goto(f"{base}/tai-len")
    _login(page, "sotttt", PASSWORD)
    expect(_heading(page, "Tải dữ liệu lên")).to_be_visible(timeout=T)
    # Sở TT&TT merged into Sở Khoa học và Công nghệ on 01/03/2025: the quarter's pre-filled template is its heir's
    expect(page.get_by_role("button", name=UI["template_prefilled"].format(
        period="Quý II/2025", agencies="Sở Khoa học và Công nghệ"))).to_be_visible(timeout=T)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=T)
    _upload(page, bad)
    expect(page.get_by_text("Chưa thể nhập", exact=False)).to_be_visible(timeout=T)
    expect(page.get_by_role("button", name="Tải bản có ghi chú lỗi")).to_be_visible(timeout=T)
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_disabled()
    _shot(page, "05_upload_dry_run_errors")
    # the fixed file goes up beside it: checked on its own, and its import button is the live one
    _upload(page, good)
    expect(page.get_by_text("So với dữ liệu đã có")).to_have_count(2, timeout=T)  # both files dry-run and diffed
    expect(page.locator("button:has-text('Nhập dữ liệu'):not([disabled])")).to_have_count(1, timeout=T)
    expect(page.get_by_text("Chưa thể nhập", exact=False)).to_have_count(1)  # only the bad file is blocked
    _shot(page, "06_upload_dry_run_ok")
    page.locator("button:has-text('Nhập dữ liệu'):not([disabled])").click()
    expect(page.get_by_text("Đã nhập lô", exact=False)).to_be_visible(timeout=T)
    _shot(page, "07_upload_imported")
    page.get_by_text("Xem tổng quan Quý III/2023").click()
    expect(_heading(page, "Tổng quan")).to_be_visible(timeout=T)
    expect(page.get_by_text("Quý III/2023", exact=False).first).to_be_visible(timeout=T)
    _shot(page, "08_overview_q3")
    page.goto(f"{base}/muc-do-bao-cao?period=2023-Q3")
    expect(_heading(page, "Mức độ báo cáo")).to_be_visible(timeout=T)
    from formats import fmt_int
    from store import completeness as cmp

    q3 = cmp.completeness(eng, 2023, 3)
    q3 = q3[q3["quarterly"]]
    assert bool(q3.loc[q3["agency_code"] == "STTTT", "reported"].iloc[0])  # the import just made counts
    expect(page.get_by_text(UI["cmp_kpi_rate_note"].format(reported=fmt_int(int(q3["reported"].sum())),
                                                           expected=fmt_int(len(q3))), exact=False)).to_be_visible(timeout=T)
    _shot(page, "09_completeness")
    page.get_by_role("button", name="Đăng xuất").click()
    _login_form_shown(page)
    # the admin rolls the batch back from the history
    page.goto(f"{base}/lich-su")
    _login(page, "admin", ADMIN_PASSWORD)
    expect(_heading(page, "Lịch sử nhập")).to_be_visible(timeout=T)
    page.get_by_role("button", name="Hoàn tác lô", exact=False).click()
    expect(page.get_by_text("Xác nhận hoàn tác", exact=False)).to_be_visible(timeout=T)
    _shot(page, "10_history_confirm")
    page.get_by_role("button", name="Đồng ý hoàn tác").click()
    expect(page.get_by_text("Đã hoàn tác lô", exact=False).first).to_be_visible(timeout=T)
    _shot(page, "11_history_rolled_back")
    from store import queries, users

    assert queries.table_counts(eng)["progress_reports"] == 0
    actions = set(users.audit_entries(engine=eng)["action"])
    assert {"import", "rollback", "login"} <= actions
