"""Login and roles (streamlit-authenticator 0.4.2), enforced by the frame and again by every page.

Contract used by app.py and the pages:
- READERS / EDITORS / ADMINS: the roles that may open a page;
- session_role(): the role of this session's user (read from the database), or None;
- gate(): shows the login form and stops the run when nobody is logged in; returns the User.
  app.py calls it once per run, AFTER st.navigation (with every page registered while logged
  out, so a deep link survives the login form); it creates the one authenticator of the run;
- require(roles): stops the page with a Vietnamese message when the role may not use it;
- current(): the User of this run (after gate());
- sidebar(user): who is logged in and the logout button.

What is hardened here and in store/users.py, against known weaknesses of the library:
- the cookie key is refused at start when short or a documented example (clear error, no form);
- failed logins are counted in the database (the library's counter lives in a dict rebuilt
  every run) and lock the account for users.LOCKOUT after users.MAX_ATTEMPTS failures, across
  reruns, sessions and server restarts;
- logout is a button callback: the next run clears the session, renders the cookie-delete
  component and shows the login form in the same run (no st.rerun that would drop the
  component, upstream #3/#145/#203); the logout is recorded and every cookie issued before it is
  refused server-side, so even a cookie the browser kept cannot log back in (#91/#203);
- the cookie re-login on reload is done here before the form, and only for a user who still
  exists, is enabled and not locked (#276: cookie read from the request, st.context.cookies).
"""
from __future__ import annotations

import html
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st

import settings
from catalogue import ROLES, UI, label
from store import users

ADMINS = frozenset({"admin"})
EDITORS = frozenset({"admin", "editor"})
READERS = frozenset({"admin", "editor", "viewer"})
COOKIE_NAME = "cchc_auth"
_LOGOUT_FLAG = "_cchc_logout_requested"
_RUN = threading.local()  # this run's users (each session runs its script in its own thread)


@dataclass(frozen=True)
class User:
    """The person using this session."""

    username: str
    name: str
    role: str
    agencies: frozenset[str] = field(default_factory=frozenset)
    units: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


ANONYMOUS = User("", UI["anonymous_name"], "viewer")


def _anonymous_read() -> bool:
    return settings.get("CCHC_ANONYMOUS_READ") == "1"


def _user_from_session() -> User | None:
    """The logged-in user as stored in the database now (role and scope changes apply at once)."""
    if not st.session_state.get("authentication_status"):
        return None

    username = st.session_state.get("username") or ""
    everyone = _run_users()
    info = everyone.get(username) if everyone is not None else users.get(username)
    if info is None or info.get("disabled"):
        return None
    return User(username, info["name"], info["role"], frozenset(info.get("agencies", ())), frozenset(info.get("units", ())))


@contextmanager
def run_scope() -> Iterator[None]:
    """One run of the app: the users are read from the database once (one query), not by every check of the run
    (the frame's role, the login library's credentials, the gate, the page's require). Outside this scope
    (a page run on its own) every check reads the database again."""
    _RUN.users, _RUN.active = None, True
    try:
        yield
    finally:
        _RUN.users, _RUN.active = None, False


def _run_users() -> dict[str, dict] | None:
    """Every user as read once in this run (inside run_scope), else None."""
    if not getattr(_RUN, "active", False):
        return None
    if _RUN.users is None:
        _RUN.users = users.by_username()
    return _RUN.users


def session_role() -> str | None:
    """The role of this session's user, or None when nobody is logged in."""
    if st.session_state.get("authentication_status") and not st.session_state.get(_LOGOUT_FLAG):
        user = _user_from_session()
        return user.role if user else None
    return "viewer" if _anonymous_read() and not st.query_params.get("login") else None


def _secret(name: str) -> str | None:
    """A value of the app's Streamlit secrets (.streamlit/secrets.toml), or None: the UI reads secrets and passes
    them down, the store never imports streamlit. No secrets file is fine."""
    try:
        value = st.secrets.get(name)
    except Exception:  # noqa: BLE001  (no secrets file, or an unreadable one: as if the value were not set)
        return None
    return str(value) if value else None


def home_url() -> str:
    """Where this user lands: "cua-toi" (their own agency or unit) for a logged-in editor or agency head (a
    non-admin whose account names agencies or units); "tong-quan" for admins, viewers without a scope and anyone
    logged out."""
    if not st.session_state.get("authentication_status") or st.session_state.get(_LOGOUT_FLAG):
        return "tong-quan"
    user = _user_from_session()
    return "cua-toi" if user is not None and not user.is_admin and (user.agencies or user.units) else "tong-quan"


def _authenticator():  # noqa: ANN202
    """The one authenticator of this run (creating two raises DuplicateWidgetID, upstream #156)."""
    import streamlit_authenticator as stauth  # lazy: streamlit-authenticator loads only for the login form

    key = users.cookie_key(_secret("cookie_key"))  # raises users.ConfigError for an unsafe key
    everyone = _run_users()
    credentials = users.credentials(rows=list(everyone.values()) if everyone is not None else None)
    authenticator = stauth.Authenticate(credentials, COOKIE_NAME, key, users.COOKIE_DAYS,
                                        auto_hash=False, login_sleep_time=0)
    users.remember_counters(authenticator)
    return authenticator


def _request_logout() -> None:
    st.session_state[_LOGOUT_FLAG] = True


def _finish_logout(authenticator) -> None:  # noqa: ANN001
    """Clear the session, delete the cookie (rendered in this run) and refuse older cookies from now on."""
    st.session_state.pop(_LOGOUT_FLAG, None)
    username = st.session_state.get("username")
    if st.session_state.get("authentication_status"):
        authenticator.logout(location="unrendered")  # sets session 'logout' and deletes the cookie
    else:
        st.session_state["logout"] = True
        authenticator.cookie_controller.delete_cookie()
    if username:
        users.record_logout(username)


def _raw_cookie() -> str | None:
    """The login cookie as the browser sent it (not decoded)."""
    try:
        return st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001  (no request context: a bare run)
        return None


def _cookie_login(authenticator) -> None:  # noqa: ANN001
    """Log in again from the cookie of an earlier session, when the server still accepts it.

    The cookie is decoded here (users.decode_login_cookie), never by the library: a malformed, forged
    (`alg: none`, another key, a changed payload) or expired cookie means logged out, without a traceback.
    Once refused, the library is told to forget it for this session (its own decoder would raise)."""
    raw = _raw_cookie()
    if not raw or st.session_state.get("logout"):
        return
    token = users.decode_login_cookie(raw, authenticator.cookie_controller.cookie_model.cookie_key)
    try:
        if token is not None and users.cookie_accepted(token["username"], token["exp_date"]):
            authenticator.authentication_controller.login(token=token)
    except Exception:  # noqa: BLE001  (LoginError or anything else: the cookie does not log in)
        logging.getLogger(__name__).warning("a login cookie was refused", exc_info=True)
        st.session_state["authentication_status"] = None
    if not st.session_state.get("authentication_status"):
        # a revoked or foreign cookie: delete it and keep the library from trying it again this session
        st.session_state["logout"] = True
        authenticator.cookie_controller.delete_cookie()


def _login_form(authenticator) -> None:  # noqa: ANN001
    """The login form; failures are counted in the database, a locked account says so."""
    from streamlit_authenticator.utilities import LoginError  # lazy: loaded only for the login form

    locked = False
    _left, middle, _right = st.columns([1, 1.4, 1])  # a form as wide as a form, not as the screen
    with middle:
        st.markdown(f"<div class='cchc-login-head'><div style='font-size:0.95rem;letter-spacing:0.04em;"
                    f"text-transform:uppercase;color:#0072B2;font-weight:700'>{html.escape(_province())}</div>"
                    f"<div style='font-size:1.7rem;font-weight:800;line-height:1.2;margin:0.2rem 0 0.4rem 0'>"
                    f"{html.escape(UI['login_product'])}</div>"
                    f"<div style='color:#333;margin-bottom:0.6rem'>{html.escape(UI['login_intro'])}</div></div>",
                    unsafe_allow_html=True)
        try:
            authenticator.login(location="main", max_login_attempts=users.MAX_ATTEMPTS, key="cchc_login",
                                fields={"Form name": UI["login_title"], "Username": UI["login_username"],
                                        "Password": UI["login_password"], "Login": UI["login_button"]},
                                callback=lambda info: users.record_login(info["username"]))
        except LoginError:
            locked = True
        finally:
            locked = bool(users.after_login_attempt(authenticator)) or locked
        if locked:
            st.session_state["authentication_status"] = None
            st.error(UI["login_locked"].format(minutes=int(users.LOCKOUT.total_seconds() // 60)))
        elif st.session_state.get("authentication_status") is False:
            st.error(UI["login_failed"])


def _province() -> str:
    """The province served, from the unit register ("Tỉnh Nam Định"); the catalogue's name when it is not read."""
    try:
        from components.page import province_name  # lazy: a real cycle via components.page

        return province_name()
    except Exception:  # noqa: BLE001 - the login form must show even when the register cannot be read
        return UI["xf_province"]


def gate() -> User:
    """Return the logged-in user, or show the login form and stop this run."""
    try:
        authenticator = _authenticator()
    except users.ConfigError as exc:
        st.error(str(exc), icon=":material/key_off:")
        st.stop()
    if st.session_state.get(_LOGOUT_FLAG):
        _finish_logout(authenticator)
    if not st.session_state.get("authentication_status"):
        _cookie_login(authenticator)
    if not st.session_state.get("authentication_status"):
        if _anonymous_read() and not st.query_params.get("login"):
            return ANONYMOUS
        _login_form(authenticator)
        if not st.session_state.get("authentication_status"):
            st.stop()
    user = _user_from_session()
    if user is None:
        _finish_logout(authenticator)
        st.error(UI["login_disabled"])
        st.stop()
    return user


def current() -> User:
    """The user of this run (after gate())."""
    user = _user_from_session()
    if user is not None and not st.session_state.get(_LOGOUT_FLAG):
        return user
    if session_role() == "viewer":
        return ANONYMOUS
    st.error(UI["forbidden"])
    st.stop()
    raise RuntimeError("unreachable")


def require(roles: frozenset[str]) -> User:
    """Stop the page unless the logged-in user's role is in `roles`."""
    user = current()
    if user.role not in roles:
        st.error(UI["forbidden"])
        st.stop()
    return user


def sidebar(user: User) -> None:
    """Who is logged in, and the logout button (or, for anonymous readers, a login link)."""
    with st.sidebar:
        st.caption(f"{user.name} · {label(ROLES, user.role)}")
        if user.username:
            st.button(UI["logout"], key="cchc_logout", on_click=_request_logout, icon=":material/logout:")
        else:
            st.link_button(UI["login_title"], "?login=1")
