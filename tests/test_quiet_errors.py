"""Auth errors are quiet and no page shows a traceback: a malformed, forged, expired or garbage login cookie means
"logged out"; an unexpected exception is logged with an id and the page shows one Vietnamese line with it.
AppTest for the app, the decoder as a table, and a real browser carrying a forged `alg: none` cookie."""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import time
import tomllib
from pathlib import Path

import jwt
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# throw-away signing keys, the same in every pytest-xdist worker (the test ids must not differ between them)
KEY = hashlib.sha256(b"tests/test_quiet_errors.py: the app's key").hexdigest()
OTHER_KEY = hashlib.sha256(b"tests/test_quiet_errors.py: a forger's key").hexdigest()
LATER = time.time() + 86_400


def _b64(part: dict | list | str) -> str:
    raw = part.encode() if isinstance(part, str) else json.dumps(part).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signed(payload: object, key: str = KEY, alg: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=alg) if isinstance(payload, dict) else \
        jwt.api_jws.encode(json.dumps(payload).encode(), key, algorithm=alg)


def _tampered() -> str:
    head, _body, sig = _signed({"username": "xem", "exp_date": LATER}).split(".")
    return ".".join([head, _b64({"username": "admin", "exp_date": LATER}), sig])


FORGED = {
    "alg none": _b64({"alg": "none", "typ": "JWT"}) + "." + _b64({"username": "admin", "exp_date": LATER}) + ".",
    "alg none, no dot": _b64({"alg": "none"}) + "." + _b64({"username": "admin", "exp_date": LATER}),
    "wrong key": _signed({"username": "admin", "exp_date": LATER}, OTHER_KEY),
    "tampered payload": _tampered(),
    "HS512 with the right key": _signed({"username": "admin", "exp_date": LATER}, KEY, "HS512"),
    "expired": _signed({"username": "admin", "exp_date": time.time() - 60}),
    "garbage": "%%%not-a-jwt%%%",
    "three dots of garbage": "abc.def.ghi",
    "empty parts": "..",
    "huge": "eyJ" + "A" * 10_000,
    "no username": _signed({"exp_date": LATER}),
    "username not text": _signed({"username": ["admin"], "exp_date": LATER}),
    "exp_date text": _signed({"username": "admin", "exp_date": "mai"}),
    "exp_date true": _signed({"username": "admin", "exp_date": True}),
    "exp_date NaN": _signed({"username": "admin", "exp_date": float("nan")}),
    "payload a list": _signed(["admin", LATER]),
    "header not JSON": _b64("{not json") + "." + _b64({"username": "admin"}) + ".x",
}


@pytest.mark.parametrize("name", list(FORGED))
def test_a_bad_cookie_decodes_to_nothing(name):
    from store.users import decode_login_cookie

    assert decode_login_cookie(FORGED[name], KEY) is None


@pytest.mark.parametrize("token, expected", [
    (None, None), (123, None), ("", None),
    (jwt.encode({"username": "xem", "exp_date": 2_000_000_000}, KEY, algorithm="HS256"),
     {"username": "xem", "exp_date": 2_000_000_000.0}),
], ids=["none", "a number", "empty", "valid"])
def test_the_decoder_on_plain_values(token, expected):
    from store.users import decode_login_cookie

    assert decode_login_cookie(token, KEY, now=1_900_000_000) == expected


def _clear_caches() -> None:
    from store.db import shared_engine

    shared_engine.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """An empty app database (reference data, the first admin and a viewer) with a known cookie key."""
    import app

    missing = [f for f, *_ in app.PAGES if not (ROOT / f).exists()]
    if missing:
        pytest.skip(f"pages not in the tree yet: {missing}")
    from store import users
    from service.bootstrap import bootstrap
    from store.db import make_engine

    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "0")
    monkeypatch.setenv("CCHC_COOKIE_KEY", KEY)
    monkeypatch.delenv("CCHC_ANONYMOUS_READ", raising=False)
    _clear_caches()
    eng = make_engine(f"sqlite:///{tmp_path / 'cchc.db'}")
    bootstrap(eng, load_samples=False)
    users.add_user("xem", "Người xem", "viewer", "mat-khau-thu-nghiem-1", engine=eng)
    yield eng
    eng.dispose()
    _clear_caches()


def _with_cookie(monkeypatch, token: str | None) -> AppTest:  # noqa: ANN001
    """The app, with the browser's cookie as `token` (AppTest cannot send cookies: the one reader is replaced)."""
    from components import auth

    monkeypatch.setattr(auth, "_raw_cookie", lambda: token)
    return AppTest.from_file(APP, default_timeout=60)


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("error", "warning", "info", "success", "markdown", "caption") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("name", ["alg none", "wrong key", "tampered payload", "expired", "garbage", "exp_date text",
                                  "payload a list", "huge"])
def test_a_forged_cookie_means_logged_out_without_a_traceback(app_db, monkeypatch, name):
    at = _with_cookie(monkeypatch, FORGED[name])
    at.run()
    assert not at.exception, at.exception
    assert any(w.label == "Tên đăng nhập" for w in at.text_input)  # the login form: logged out
    assert not at.error, [e.value for e in at.error]  # not even an error line: simply logged out
    assert at.session_state["logout"] is True  # the library is told to forget this cookie for the session
    assert "Traceback" not in _texts(at) and "Error" not in _texts(at)


def test_a_valid_cookie_still_logs_in(app_db, monkeypatch):
    """The control: the same path with a cookie the app signed itself logs the viewer in."""
    token = jwt.encode({"username": "xem", "exp_date": time.time() + 3600}, KEY, algorithm="HS256")
    at = _with_cookie(monkeypatch, token)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["authentication_status"] is True and at.session_state["username"] == "xem"
    assert not any(w.label == "Tên đăng nhập" for w in at.text_input)


def test_an_unexpected_error_shows_an_id_and_is_logged_with_it(app_db, monkeypatch, caplog):
    from components import data

    def broken(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("hỏng /srv/cchc/secret/path.py")

    monkeypatch.setattr(data, "latest_quarter", broken)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["roles"] = ["admin"]
    with caplog.at_level(logging.ERROR, logger="cchc.errors"):
        at.run()
    assert not at.exception, at.exception  # Streamlit saw no exception: nothing of it reached the browser
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and "Đã xảy ra lỗi ngoài dự kiến" in shown[0], shown
    error_id = re.search(r"\*\*([0-9a-f]{8})\*\*", shown[0]).group(1)
    assert "secret" not in _texts(at) and "RuntimeError" not in _texts(at)
    logged = [r for r in caplog.records if r.name == "cchc.errors"]
    assert len(logged) == 1 and error_id in logged[0].getMessage() and "secret/path" in str(logged[0].exc_info[1])
    # the sidebar (the frame) still works: the user can go elsewhere
    assert any(b.key == "cchc_logout" for b in at.button)


def test_streamlit_itself_shows_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


# --- in a real browser -------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.slow
def test_a_forged_cookie_in_a_real_browser(app_db):
    from tests.browser import chromium, require_browser, streamlit_server

    require_browser()
    from playwright.sync_api import expect

    data_dir = Path(app_db.url.database).parent
    with streamlit_server(data_dir, CCHC_COOKIE_KEY=KEY) as base, chromium(warm_up=base) as browser:
        for name in ("alg none", "tampered payload", "garbage"):
            context = browser.new_context(locale="vi-VN")
            context.add_cookies([{"name": "cchc_auth", "value": FORGED[name], "url": base}])
            page = context.new_page()
            page.goto(base + "/co-quan?period=2024-Q4")
            expect(page.get_by_role("button", name="Đăng nhập").first).to_be_visible(timeout=30_000)  # a rerun may briefly keep the old form
            body = page.locator("body").inner_text()
            assert "Traceback" not in body and "InvalidAlgorithmError" not in body and ".py" not in body, (name, body[:500])
            assert page.locator('[data-testid="stException"]').count() == 0
            # the refused cookie is deleted in the browser
            page.wait_for_function("!document.cookie.includes('cchc_auth=')", timeout=30_000)
            context.close()
