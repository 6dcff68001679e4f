"""Roles and login through AppTest: which pages each role is given, pages re-checking the role,
the editor's scope on upload, the cookie key check, lockout across sessions, logout, anonymous read."""
from __future__ import annotations

import io
import secrets
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PASSWORD = "mat-khau-thu-nghiem-1"  # test-only password, created in a throw-away database
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _clear_caches() -> None:
    from store.db import shared_engine

    shared_engine.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def plan_db(tmp_path_factory):
    """A database holding the 2023 provincial plan (imported like any upload) and the first admin."""
    from samples.plans import PLAN_2023, write_plan
    from service.bootstrap import bootstrap
    from store.db import make_engine
    from store.importer import import_workbook

    d = tmp_path_factory.mktemp("plan_db")
    eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
    bootstrap(eng, load_samples=False)
    res = import_workbook(eng, write_plan(PLAN_2023, d / "ke_hoach_2023.xlsx"), user="dữ liệu mẫu", is_sample=True)
    assert res.status == "imported", res.errors
    eng.dispose()
    return d / "cchc.db"


@pytest.fixture
def app_db(plan_db, tmp_path, monkeypatch):
    """A copy of the plan database as the app's data folder, with an admin, an editor of Sở Tư pháp,
    an editor of Huyện Hải Hậu and a viewer."""
    import app
    from store import users
    from store.db import make_engine

    missing = [f for f, *_ in app.PAGES if not (ROOT / f).exists()]
    if missing:  # app.py cannot start without them (another change adds them)
        pytest.skip(f"pages not in the tree yet: {missing}")
    d = tmp_path / "app"
    d.mkdir()
    shutil.copy(plan_db, d / "cchc.db")
    monkeypatch.setenv("CCHC_DATA_DIR", str(d))
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "0")
    monkeypatch.setenv("CCHC_COOKIE_KEY", secrets.token_urlsafe(48))
    monkeypatch.delenv("CCHC_ANONYMOUS_READ", raising=False)
    _clear_caches()
    eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
    users.add_user("quantri", "Quản trị thử", "admin", PASSWORD, engine=eng)
    users.add_user("bientap", "Biên tập Sở Tư pháp", "editor", PASSWORD, agencies=["STP"], engine=eng)
    users.add_user("haihau", "Biên tập Hải Hậu", "editor", PASSWORD, units=["366"], engine=eng)
    users.add_user("xem", "Người xem", "viewer", PASSWORD, engine=eng)
    yield eng
    eng.dispose()
    _clear_caches()


def _seeded(username: str, role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    at.session_state["roles"] = [role]
    return at


ACCOUNTS = {"admin": "quantri", "editor": "bientap", "viewer": "xem"}


@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_role_matrix(app_db, role):
    import app

    at = _seeded(ACCOUNTS[role], role)
    at.run()
    assert not at.exception, at.exception
    allowed = {file for file, _t, _i, _u, roles, _s in app.PAGES if role in roles}
    refused = {file for file, *_ in app.PAGES} - allowed
    assert allowed and (role == "admin") == (not refused)
    for file in sorted(allowed):
        at.switch_page(file)  # registered for this role: accepted
    for file in sorted(refused):
        with pytest.raises(ValueError):
            at.switch_page(file)
    expected = {"admin": 13, "editor": 11, "viewer": 8}[role]  # Của tôi is every reader's
    assert len(allowed) == expected


@pytest.mark.parametrize("page", ["pages/tai-len.py", "pages/lich-su.py", "pages/muc-do-bao-cao.py",
                                  "pages/nhat-ky.py", "pages/nguoi-dung.py"])
def test_pages_recheck_the_role_when_run_directly(app_db, page):
    import app

    roles = next(r for f, _t, _i, _u, r, _s in app.PAGES if f == page)
    for role, username in ACCOUNTS.items():
        at = AppTest.from_file(str(ROOT / page), default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["roles"] = [role]
        at.run()
        assert not at.exception, at.exception
        forbidden = any("không có quyền" in e.value for e in at.error)
        assert forbidden == (role not in roles), (page, role)
    anon = AppTest.from_file(str(ROOT / page), default_timeout=60).run()  # nobody logged in
    assert any("không có quyền" in e.value for e in anon.error)


def test_admin_pages_render(app_db):
    at = _seeded("quantri", "admin")
    at.run()
    for page in ("pages/lich-su.py", "pages/muc-do-bao-cao.py", "pages/nhat-ky.py", "pages/nguoi-dung.py", "pages/tai-len.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])


def _progress_workbook(eng, agencies: list[str], extra_agency: str | None = None) -> bytes:
    """The pre-filled Q3/2023 template of `agencies`, every status filled, plus (optionally) one row
    copied from another agency's template."""
    from components.exporting import progress_template

    def rows(codes):
        wb = load_workbook(io.BytesIO(progress_template(eng, codes, 2023, 3)))
        ws = wb["Tiến độ"]
        first = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Mã sản phẩm") + 1
        return wb, ws, first

    wb, ws, first = rows(agencies)
    r = first
    while ws.cell(r, 1).value:
        ws.cell(r, 6).value = "Đang thực hiện"
        r += 1
    if extra_agency:
        _, other, ofirst = rows([extra_agency])
        for c in range(1, 10):
            ws.cell(r, c).value = other.cell(ofirst, c).value
        ws.cell(r, 6).value = "Đang thực hiện"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_editor_scope_refuses_rows_of_other_agencies(app_db):
    """An editor scoped to STP uploads a workbook with one row of Sở Nội vụ: refused and listed."""
    content = _progress_workbook(app_db, ["STP"], extra_agency="SNV")
    at = _seeded("bientap", "editor")
    at.run()
    at.switch_page("pages/tai-len.py").run()
    assert not at.exception, at.exception
    at.file_uploader(key="upload_files").set_value(("stp_q3.xlsx", content, XLSX)).run()
    assert not at.exception, at.exception
    tables = [df.value for df in at.dataframe]
    outside = [t for t in tables if any("ngoài phạm vi" in str(v) for v in t.to_numpy().ravel())]
    assert outside, "the refused row is listed"
    assert "Sở Nội vụ" in " ".join(str(v) for v in outside[0].to_numpy().ravel())
    button = at.button(key=next(b.key for b in at.button if (b.key or "").startswith("import_")))
    assert button.disabled  # nothing can be imported while a row is refused
    # the same file through the store API with the page's scope function, and the fixed file imports
    from store import users
    from store.importer import import_workbook

    scope = users.scope_for(["STP"], [], False, app_db)
    res = import_workbook(app_db, content, "stp_q3.xlsx", scope=scope)
    assert res.status == "refused"
    assert [p.message for p in res.errors] == ["Dòng thuộc «Sở Nội vụ», nằm ngoài phạm vi được phân quyền của bạn."]
    ok = import_workbook(app_db, _progress_workbook(app_db, ["STP"]), "stp_ok.xlsx", scope=scope)
    assert ok.status == "imported", [p.message for p in ok.errors]


def test_district_scope_covers_its_committee_offices_and_communes(app_db):
    from store import users

    scope = users.scope_for([], ["366"], False, app_db)
    assert {"UBND-366", "PNV-366", "VPHU-366", "UBND-14215"} <= scope.agencies  # committee, offices, a commune
    assert "SNV" not in scope.agencies and "UBND-365" not in scope.agencies
    communes = {a for a in scope.agencies if a.startswith("UBND-") and len(a) > 8}
    assert len(communes) >= 20  # Hải Hậu's communes
    assert scope.allows_agency("UBND-14215", "14215") and not scope.allows_agency("SNV", "36")
    assert scope.allows_unit("366") and scope.allows_unit("14215") and not scope.allows_unit("365")


def test_upload_page_imports_and_audits(app_db):
    content = _progress_workbook(app_db, ["STP"])
    at = _seeded("bientap", "editor")
    at.run()
    at.switch_page("pages/tai-len.py").run()
    at.file_uploader(key="upload_files").set_value(("stp_q3.xlsx", content, XLSX)).run()
    key = next(b.key for b in at.button if (b.key or "").startswith("import_"))
    assert not at.button(key=key).disabled
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    assert any("Đã nhập lô" in s.value for s in at.success)
    from store import users

    log = users.audit_entries(action="import", engine=app_db)
    assert log.iloc[0]["username"] == "bientap" and log.iloc[0]["details"]["file"] == "stp_q3.xlsx"
    # the same file again: recognised and refused
    at2 = _seeded("bientap", "editor")
    at2.run()
    at2.switch_page("pages/tai-len.py").run()
    at2.file_uploader(key="upload_files").set_value(("lai_lan_nua.xlsx", content, XLSX)).run()
    assert any("đã được nhập trước đây" in w.value for w in at2.warning)


# --- login hardening ---------------------------------------------------------------------------

def _login(at: AppTest, username: str, password: str) -> AppTest:
    next(w for w in at.text_input if w.label == "Tên đăng nhập").input(username)
    next(w for w in at.text_input if w.label == "Mật khẩu").input(password)
    return next(b for b in at.button if b.label == "Đăng nhập").click().run()


def test_unsafe_cookie_key_is_refused_at_start(app_db, monkeypatch):
    from store import users

    for bad in ("short", "some_signature_key", "some_signature_key" * 3, "a" * 64, "random_signature_key_12345678901234"):
        with pytest.raises(users.ConfigError):
            users.validate_key(bad)
    assert users.validate_key(secrets.token_urlsafe(48))
    monkeypatch.setenv("CCHC_COOKIE_KEY", "some_signature_key")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("Khóa cookie không an toàn" in e.value for e in at.error)
    assert not any(w.label == "Mật khẩu" for w in at.text_input)  # no login form with an unsafe key


def test_failed_logins_lock_the_account_across_sessions(app_db):
    from store import users

    for attempt in range(users.MAX_ATTEMPTS):
        at = AppTest.from_file(APP, default_timeout=60).run()  # a new session every time
        _login(at, "bientap", f"sai-{attempt}")
        assert not at.exception, at.exception
        if attempt < users.MAX_ATTEMPTS - 1:
            assert any("không đúng" in e.value for e in at.error)
            assert users.get("bientap", app_db)["failed_attempts"] == attempt + 1
    assert users.locked_until("bientap", app_db) is not None
    assert any("tạm khóa" in e.value for e in at.error)
    # the right password is refused while locked, in a fresh session and after reruns
    at = AppTest.from_file(APP, default_timeout=60).run()
    _login(at, "bientap", PASSWORD)
    assert not at.session_state["authentication_status"]
    assert any("tạm khóa" in e.value for e in at.error)
    at.run()
    assert not at.session_state["authentication_status"]
    log = users.audit_entries(username="bientap", action="login_failed", engine=app_db)
    assert len(log) == users.MAX_ATTEMPTS and bool(log.iloc[0]["details"]["locked"])
    # an admin's password reset unlocks
    new = users.reset_password("bientap", by="quantri", engine=app_db)
    at = AppTest.from_file(APP, default_timeout=60).run()
    _login(at, "bientap", new)
    assert at.session_state["authentication_status"] is True


def test_login_then_logout(app_db):
    from store import users

    at = AppTest.from_file(APP, default_timeout=60).run()
    _login(at, "xem", PASSWORD)
    assert at.session_state["authentication_status"] is True
    assert not at.exception, at.exception
    issued = datetime.now().timestamp() + users.COOKIE_DAYS * 86400  # what the cookie written now holds
    assert users.cookie_accepted("xem", issued, app_db)
    at.button(key="cchc_logout").click().run()
    assert not at.session_state["authentication_status"]
    assert any(w.label == "Mật khẩu" for w in at.text_input)  # the login form, in the same run
    assert users.audit_entries(username="xem", action="logout", engine=app_db).shape[0] == 1
    # a cookie issued before the logout no longer logs in, even if the browser kept it: also the one written at the
    # login, within the same second as the logout (the audit keeps whole seconds)
    assert not users.cookie_accepted("xem", issued - 5, app_db)
    assert not users.cookie_accepted("xem", issued, app_db)
    # disabling a user revokes too
    users.update_user("bientap", by="quantri", engine=app_db, disabled=True)
    assert not users.cookie_accepted("bientap", datetime.now().timestamp() + 86400, app_db)


def test_anonymous_read(app_db, monkeypatch):
    import app

    monkeypatch.setenv("CCHC_ANONYMOUS_READ", "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not any(w.label == "Mật khẩu" for w in at.text_input)
    readers = [f for f, _t, _i, _u, roles, _s in app.PAGES if roles == app.auth.READERS]
    at.switch_page(readers[0])
    with pytest.raises(ValueError):
        at.switch_page("pages/tai-len.py")
    at.query_params["login"] = "1"
    at.run()
    assert any(w.label == "Mật khẩu" for w in at.text_input)
