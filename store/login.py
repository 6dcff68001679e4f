"""Logging in: the credentials streamlit-authenticator expects, failed attempts counted in the database with a
lockout, login and logout records, and the login cookie (decoded here, HS256 only; refused after a logout, a
password reset or a disabled account)."""
from __future__ import annotations

import math
import time
from datetime import datetime, timedelta

import jwt
from sqlalchemy import Engine, func, select, update

from store import schema as s
from store.accounts import users_with_hashes, get
from store.audit import audit
from store.audit import record as _audit

MAX_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
COOKIE_DAYS = 1.0  # lifetime of the login cookie
REVOKING = ("logout", "sessions_revoked")  # audit actions after which earlier login cookies are refused


def _engine() -> Engine:
    from store.db import shared_engine  # lazy: store.db loads alembic, only when a call needs the app's engine

    return shared_engine()


def credentials(engine: Engine | None = None, rows: list[dict] | None = None) -> dict:
    """The credentials dict streamlit-authenticator expects (hashes only; disabled users left out).

    A locked user stays in, with the failed-attempt counter at MAX_ATTEMPTS: the library then
    refuses even the right password with LoginError, which the login gate shows as "locked".
    `rows`: the users as already read (by_username), else they are read here.
    """
    out: dict = {"usernames": {}}
    now = datetime.now()
    for u in rows if rows is not None else users_with_hashes(engine):
        if u["disabled"]:
            continue
        locked = bool(u["locked_until"] and u["locked_until"] > now)
        out["usernames"][u["username"]] = {"name": u["name"], "email": u["email"] or f"{u['username']}@noibo.local",
                                           "password": u["password_hash"], "roles": [u["role"]],
                                           "failed_login_attempts": MAX_ATTEMPTS if locked else u["failed_attempts"],
                                           "logged_in": False}
    return out


def locked_until(username: str, engine: Engine | None = None) -> datetime | None:
    """When the lock of a user ends, or None when the user is not locked."""
    u = get((username or "").lower().strip(), engine)
    if u and u["locked_until"] and u["locked_until"] > datetime.now():
        return u["locked_until"]
    return None


def remember_counters(authenticator) -> None:  # noqa: ANN001
    """Note the failed-attempt counters the authenticator starts this run with (see after_login_attempt)."""
    creds = authenticator.authentication_controller.authentication_model.credentials.get("usernames", {})
    authenticator._cchc_failed_at_start = {u: int(i.get("failed_login_attempts", 0) or 0) for u, i in creds.items()}


def after_login_attempt(authenticator, engine: Engine | None = None) -> list[str]:  # noqa: ANN001
    """Persist the library's in-memory failed-attempt counters; lock after MAX_ATTEMPTS. Returns the users locked now.

    The library counts failures in a dict rebuilt from the database on every run, so its count is
    lost at the next rerun or in another session unless written back. Only the increase made by
    this run is added (UPDATE ... + delta), so parallel sessions cannot overwrite each other.
    """
    model = authenticator.authentication_controller.authentication_model
    creds = model.credentials.get("usernames", {})
    start = getattr(authenticator, "_cchc_failed_at_start", {})
    engine = engine or _engine()
    locked_now: list[str] = []
    for username, info in creds.items():
        delta = int(info.get("failed_login_attempts", 0) or 0) - start.get(username, 0)
        if delta <= 0:
            continue
        start[username] = start.get(username, 0) + delta
        with engine.begin() as conn:
            conn.execute(update(s.users).where(s.users.c.username == username)
                         .values(failed_attempts=s.users.c.failed_attempts + delta))
            failed = conn.execute(select(s.users.c.failed_attempts).where(s.users.c.username == username)).scalar_one()
            locked = failed >= MAX_ATTEMPTS
            if locked:
                conn.execute(update(s.users).where(s.users.c.username == username).values(
                    failed_attempts=0, locked_until=datetime.now().replace(microsecond=0) + LOCKOUT))
                locked_now.append(username)
            _audit(conn, username, "login_failed", {"attempts": int(failed), "locked": locked})
    return locked_now


def record_login(username: str, via: str = "password", engine: Engine | None = None) -> None:
    """A successful login: reset the failure counter and write the audit line."""
    with (engine or _engine()).begin() as conn:
        conn.execute(update(s.users).where(s.users.c.username == username).values(failed_attempts=0, locked_until=None))
        _audit(conn, username, "login", {"via": via})


def record_logout(username: str, engine: Engine | None = None) -> None:
    """A logout: from now on every login cookie issued earlier to this user is refused."""
    audit(username, "logout", {}, engine)


def decode_login_cookie(token: object, key: str, now: float | None = None) -> dict | None:
    """The {username, exp_date} of a login cookie signed with `key` (HS256 only), or None for anything else.

    Anything else means logged out, quietly: garbage, another algorithm (`alg: none` included), another key, a
    changed payload, a payload of the wrong shape, an expired cookie. The library's own decoder lets some of
    these raise (InvalidAlgorithmError reached the visitor as a traceback), so the app decodes here."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        payload = jwt.decode(token, key, algorithms=["HS256"])
    except (jwt.PyJWTError, ValueError, TypeError, UnicodeError):
        return None
    if not isinstance(payload, dict):
        return None
    username, exp = payload.get("username"), payload.get("exp_date")
    if not isinstance(username, str) or not username or len(username) > 64:
        return None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)) or not math.isfinite(exp):
        return None
    if exp <= (time.time() if now is None else now):
        return None
    return {"username": username, "exp_date": float(exp)}


def cookie_accepted(username: str, exp_date: float, engine: Engine | None = None) -> bool:
    """True when a login cookie (JWT with username and expiry) may log this user in again.

    The library cannot revoke its cookies (upstream #91, #203): a copy kept after logout stays
    valid until it expires. Here a cookie is refused when the user is unknown, disabled or locked,
    or when it was issued before the user's last logout, password reset or disabling.
    """
    u = get(username, engine)
    if u is None or u["disabled"] or (u["locked_until"] and u["locked_until"] > datetime.now()):
        return False
    issued = datetime.fromtimestamp(float(exp_date)) - timedelta(days=COOKIE_DAYS)
    with (engine or _engine()).connect() as conn:
        last = conn.execute(select(func.max(s.audit_log.c.at)).where(
            s.audit_log.c.username == username, s.audit_log.c.action.in_(REVOKING))).scalar_one()
    # the audit keeps whole seconds: an event logged at `last` happened before last + 1 s, so a cookie issued
    # within that second may be older than the logout and is refused (at worst the user logs in once more)
    return last is None or issued >= last + timedelta(seconds=1)
