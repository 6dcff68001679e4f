"""Login and roles (streamlit-authenticator), enforced by the frame and again by every page.

Contract used by app.py and the pages:
- READERS / EDITORS / ADMINS: the roles that may open a page;
- session_role(): the role of the logged-in user of this session, or None;
- gate(): shows the login form and stops the run when nobody is logged in; returns the User;
- require(user, roles): stops the page with a Vietnamese message when the role may not use it;
- sidebar(user): who is logged in and the logout button.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from catalogue import UI

ADMINS = frozenset({"admin"})
EDITORS = frozenset({"admin", "editor"})
READERS = frozenset({"admin", "editor", "viewer"})


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


ANONYMOUS = User("", "Khách (chỉ xem)", "viewer")


def _role_from(roles: object) -> str | None:
    if isinstance(roles, (list, tuple)) and roles:
        for r in ("admin", "editor", "viewer"):
            if r in roles:
                return r
    return None


def session_role() -> str | None:
    """The role of this session's user, or None when nobody is logged in."""
    if st.session_state.get("authentication_status"):
        return _role_from(st.session_state.get("roles"))
    import settings

    return "viewer" if settings.get("CCHC_ANONYMOUS_READ") == "1" else None


def _authenticator():  # noqa: ANN202
    """One authenticator per run (creating two raises DuplicateWidgetID)."""
    from store import users

    import streamlit_authenticator as stauth

    creds = users.credentials()
    key = users.cookie_key()
    return stauth.Authenticate(creds, "cchc_auth", key, 1.0, auto_hash=False, login_sleep_time=0)


def _user_from_session() -> User | None:
    if not st.session_state.get("authentication_status"):
        return None
    from store import users

    username = st.session_state.get("username") or ""
    info = users.get(username)
    if info is None or info.get("disabled"):
        return None
    return User(username, info["name"], info["role"], frozenset(info.get("agencies", ())), frozenset(info.get("units", ())))


def gate() -> User:
    """Return the logged-in user, or show the login form and stop this run."""
    from store import users

    authenticator = _authenticator()
    st.session_state["_cchc_authenticator"] = authenticator
    if not st.session_state.get("authentication_status"):
        import settings

        if settings.get("CCHC_ANONYMOUS_READ") == "1" and not st.query_params.get("login"):
            return ANONYMOUS
        users.check_lockout()
        authenticator.login(location="main", max_login_attempts=users.MAX_ATTEMPTS, key="cchc_login",
                            fields={"Form name": UI["login_title"], "Username": "Tên đăng nhập",
                                    "Password": "Mật khẩu", "Login": UI["login_title"]})
        users.after_login_attempt(authenticator)
        if not st.session_state.get("authentication_status"):
            if st.session_state.get("authentication_status") is False:
                st.error("Tên đăng nhập hoặc mật khẩu không đúng.")
            st.stop()
    user = _user_from_session()
    if user is None:
        authenticator.logout(UI["logout"], "unrendered", key="cchc_forced_logout")
        st.error("Tài khoản đã bị khóa hoặc không còn tồn tại.")
        st.stop()
    return user


def current() -> User:
    """The user of this run (after gate())."""
    user = _user_from_session()
    if user is not None:
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
    """Who is logged in, and the logout button."""
    with st.sidebar:
        st.caption(f"{user.name} · {user.role}")
        authenticator = st.session_state.get("_cchc_authenticator")
        if user.username and authenticator is not None:
            from store import users

            authenticator.logout(UI["logout"], "sidebar", key="cchc_logout", callback=lambda _info: users.audit(user.username, "logout", {}))
