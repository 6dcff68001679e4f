"""Users (bcrypt hashes in the database), the cookie key, login lockout and the append-only audit log.

Nothing default is committed: the first run creates an admin with a random password printed once
on the console (or CCHC_ADMIN_PASSWORD), and the cookie key comes from CCHC_COOKIE_KEY, Streamlit
secrets, or a random key generated into the data folder (git-ignored).
"""
from __future__ import annotations

import argparse
import getpass
import secrets
import string
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import bcrypt
import pandas as pd
from sqlalchemy import Engine, func, insert, inspect, select, update

import settings
from store import schema as s

MAX_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
COOKIE_DAYS = 1.0  # lifetime of the login cookie
MIN_KEY_LENGTH = 32
MIN_KEY_DISTINCT = 10
# keys seen in tutorials and the library's examples: refused even when padded to length
KNOWN_KEYS = {"some_key", "some_signature_key", "abcdef", "random_signature_key", "secret", "changeme",
              "your_secret_key", "cookie_key", "streamlit", "password", "signature", "random", "key",
              "abc", "123", "qwerty", "test", "example", "default"}
REVOKING = ("logout", "sessions_revoked")  # audit actions after which earlier login cookies are refused


class ConfigError(RuntimeError):
    """A setting is unsafe (short or well-known cookie key)."""


def _engine() -> Engine:
    from store.db import shared_engine

    return shared_engine()


def hash_password(password: str) -> str:
    """bcrypt hash of a password."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    """True when the password matches the hash."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def random_password(length: int = 16) -> str:
    """A random password of letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def validate_key(key: str) -> str:
    """Refuse short, repetitive or well-known cookie keys (also a known key padded or repeated to length)."""
    rest = key.lower()
    for known in sorted(KNOWN_KEYS, key=len, reverse=True):
        rest = rest.replace(known, "")
    rest = rest.strip("_-. 0123456789")
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < MIN_KEY_DISTINCT or len(rest) < MIN_KEY_LENGTH // 2:
        raise ConfigError(f"Khóa cookie không an toàn: cần ít nhất {MIN_KEY_LENGTH} ký tự ngẫu nhiên, không dùng khóa "
                          "mẫu của tài liệu (đặt CCHC_COOKIE_KEY, ví dụ: python -c \"import secrets; "
                          "print(secrets.token_urlsafe(48))\").")
    return key


def _key_file() -> Path:
    return settings.data_dir() / "cookie_key"


def cookie_key(secrets_value: str | None = None) -> str:
    """CCHC_COOKIE_KEY, else Streamlit secrets' cookie_key, else a generated key kept under data/."""
    key = settings.get("CCHC_COOKIE_KEY") or secrets_value
    if not key:
        try:
            import streamlit as st  # only to read secrets when running inside the app

            key = st.secrets.get("cookie_key") if hasattr(st, "secrets") else None
        except Exception:  # noqa: BLE001  (no secrets file: that is fine)
            key = None
    if key:
        return validate_key(str(key))
    path = _key_file()
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return validate_key(path.read_text(encoding="utf-8").strip())


# --- users -----------------------------------------------------------------------------------
def _row_dict(row) -> dict:  # noqa: ANN001
    return {"username": row.username, "name": row.name, "email": row.email, "role": row.role,
            "agencies": list(row.agencies or []), "units": list(row.units or []), "disabled": bool(row.disabled),
            "failed_attempts": row.failed_attempts, "locked_until": row.locked_until, "password_hash": row.password_hash}


def get(username: str, engine: Engine | None = None) -> dict | None:
    """One user, or None."""
    with (engine or _engine()).connect() as conn:
        row = conn.execute(select(s.users).where(s.users.c.username == username)).first()
    return _row_dict(row) if row else None


def all_users(engine: Engine | None = None) -> list[dict]:
    """Every user (without hashes)."""
    with (engine or _engine()).connect() as conn:
        rows = conn.execute(select(s.users).order_by(s.users.c.username)).all()
    return [{k: v for k, v in _row_dict(r).items() if k != "password_hash"} for r in rows]


def by_username(engine: Engine | None = None) -> dict[str, dict]:
    """Every user (with its hash) by user name: one query, for the login gate's run."""
    return {u["username"]: u for u in _full_users(engine)}


def credentials(engine: Engine | None = None, rows: list[dict] | None = None) -> dict:
    """The credentials dict streamlit-authenticator expects (hashes only; disabled users left out).

    A locked user stays in, with the failed-attempt counter at MAX_ATTEMPTS: the library then
    refuses even the right password with LoginError, which the login gate shows as "locked".
    `rows`: the users as already read (by_username), else they are read here.
    """
    out: dict = {"usernames": {}}
    now = datetime.now()
    for u in rows if rows is not None else _full_users(engine):
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


def _full_users(engine: Engine | None) -> list[dict]:
    with (engine or _engine()).connect() as conn:
        return [_row_dict(r) for r in conn.execute(select(s.users))]


def add_user(username: str, name: str, role: str, password: str, agencies: list[str] | None = None,
             units: list[str] | None = None, by: str = "system", engine: Engine | None = None) -> None:
    """Create a user; raises ValueError when the name is taken or the role unknown."""
    if role not in ("admin", "editor", "viewer"):
        raise ValueError(f"Vai trò không hợp lệ: {role}")
    username = (username or "").strip().lower()  # the login library lower-cases what people type
    if not username or not username.replace("_", "").replace(".", "").isalnum() or not username.isascii():
        raise ValueError("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm và gạch dưới.")
    if len(password) < 10:
        raise ValueError("Mật khẩu cần ít nhất 10 ký tự.")
    engine = engine or _engine()
    with engine.begin() as conn:
        if conn.execute(select(s.users.c.username).where(s.users.c.username == username)).first():
            raise ValueError(f"Người dùng {username} đã tồn tại.")
        conn.execute(insert(s.users).values(username=username, name=name, email=None, password_hash=hash_password(password),
                                            role=role, agencies=agencies or [], units=units or [], disabled=False,
                                            failed_attempts=0, locked_until=None, created_at=datetime.now().replace(microsecond=0)))
        _audit(conn, by, "user_add", {"username": username, "role": role, "agencies": agencies or [], "units": units or []})


def update_user(username: str, by: str = "system", engine: Engine | None = None, **values: object) -> None:
    """Change a user's password (password=...), role, scope or disabled flag."""
    engine = engine or _engine()
    changes = dict(values)
    if "password" in changes:
        pw = str(changes.pop("password"))
        if len(pw) < 10:
            raise ValueError("Mật khẩu cần ít nhất 10 ký tự.")
        changes["password_hash"] = hash_password(pw)
        changes["failed_attempts"] = 0
        changes["locked_until"] = None
    if "role" in changes and changes["role"] not in ("admin", "editor", "viewer"):
        raise ValueError(f"Vai trò không hợp lệ: {changes['role']}")
    with engine.begin() as conn:
        res = conn.execute(update(s.users).where(s.users.c.username == username).values(**changes))
        if res.rowcount == 0:
            raise ValueError(f"Không có người dùng {username}.")
        shown = {k: v for k, v in changes.items() if k not in ("password_hash",)}
        if "password_hash" in changes:
            shown["password"] = "(đã đổi)"
        _audit(conn, by, "user_update", {"username": username, **{k: str(v) for k, v in shown.items()}})
        if "password_hash" in changes or changes.get("disabled"):
            # login cookies issued before now stop working (a reset password or a disabled account)
            _audit(conn, username, "sessions_revoked", {"by": by})


def reset_password(username: str, by: str, engine: Engine | None = None) -> str:
    """Give a user a new random password (returned once, to show to the admin) and unlock the account."""
    password = random_password()
    update_user(username, by=by, engine=engine, password=password)
    return password


def ensure_admin(engine: Engine, echo=print) -> str | None:  # noqa: ANN001
    """Create the first admin when there is no user; returns the password only when it was generated."""
    with engine.connect() as conn:
        if conn.execute(select(s.users.c.username).limit(1)).first():
            return None
    given = settings.get("CCHC_ADMIN_PASSWORD")
    password = given or random_password()
    add_user("admin", "Quản trị hệ thống", "admin", password, engine=engine)
    if not given:
        echo("=" * 64)
        echo("Tài khoản quản trị đầu tiên đã được tạo (chỉ in MỘT lần):")
        echo(f"  tên đăng nhập: admin   mật khẩu: {password}")
        echo("Hãy đổi mật khẩu: python manage.py user passwd admin")
        echo("=" * 64)
    return None if given else password


# --- lockout and login cookies ----------------------------------------------------------------
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
    import math
    import time

    import jwt

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


# --- editor scope ----------------------------------------------------------------------------
def scope_for(user_agencies: list[str] | frozenset[str], user_units: list[str] | frozenset[str], is_admin: bool,
              engine: Engine | None = None):  # noqa: ANN201
    """The importer Scope of a user: own agencies, plus for each unit the unit, every unit below it
    (at any time: communes merged later still count) and every agency seated in those units."""
    from store.authorize import Scope

    if is_admin:
        return Scope(is_admin=True)
    engine = engine or _engine()
    units = set(user_units)
    with engine.connect() as conn:
        links = conn.execute(select(s.unit_parents.c.code, s.unit_parents.c.parent_code)).all()
        children: dict[str, set[str]] = {}
        for code, parent in links:
            children.setdefault(parent, set()).add(code)
        # the territory a scope's units hold today: a former district's or commune's successors (the new communes
        # on its territory, 01/07/2025), and the units below those
        successors: dict[str, set[str]] = {}
        agency_successors: dict[str, set[str]] = {}
        if "unit_successors" in inspect(conn).get_table_names():  # migration 0004
            for code, succ in conn.execute(select(s.unit_successors.c.code, s.unit_successors.c.successor_code)
                                           .where(s.unit_successors.c.share > 0)):
                successors.setdefault(code, set()).add(succ)
            for code, succ in conn.execute(select(s.agency_successors.c.code, s.agency_successors.c.successor_code)
                                           .where(s.agency_successors.c.share > 0)):
                agency_successors.setdefault(code, set()).add(succ)
        todo = list(units)
        while todo:
            unit = todo.pop()
            for nxt in (*children.get(unit, ()), *successors.get(unit, ())):
                if nxt not in units:
                    units.add(nxt)
                    todo.append(nxt)
        agencies = set(user_agencies)
        todo = list(agencies)
        while todo:  # an agency merged into another (01/03/2025, 01/07/2025): the editor writes for its successor
            for nxt in agency_successors.get(todo.pop(), ()):
                if nxt not in agencies:
                    agencies.add(nxt)
                    todo.append(nxt)
        if units:
            agencies |= {r[0] for r in conn.execute(select(s.agencies.c.code).where(s.agencies.c.unit_code.in_(sorted(units))))}
    return Scope(agencies=frozenset(agencies), units=frozenset(units))


def writer_scope(username: str, engine: Engine | None = None):  # noqa: ANN201
    """The Scope a named user writes with (command line): an admin everything, an editor their scope, a viewer
    nothing. Raises ValueError (Vietnamese) for an unknown or disabled user."""
    from store.authorize import VIEWER

    from catalogue import message

    u = get(username, engine)
    if u is None:
        raise ValueError(message("cli_user_unknown", user=username))
    if u["disabled"]:
        raise ValueError(message("cli_user_disabled", user=username))
    if u["role"] == "viewer":
        return VIEWER
    return scope_for(u["agencies"], u["units"], u["role"] == "admin", engine)


def default_writer(engine: Engine | None = None) -> str:
    """Whom the command line writes as without --user: the oldest enabled admin account (the `admin` created at
    the first run, unless it was disabled), ties broken by user name. Raises ValueError when there is none."""
    from catalogue import message

    with (engine or _engine()).connect() as conn:
        name = conn.execute(select(s.users.c.username).where(s.users.c.role == "admin", s.users.c.disabled.is_(False))
                            .order_by(s.users.c.created_at, s.users.c.username).limit(1)).scalar_one_or_none()
    if name is None:
        raise ValueError(message("cli_no_admin"))
    return name


# --- audit -----------------------------------------------------------------------------------
def record(conn, username: str | None, action: str, details: dict) -> None:  # noqa: ANN001
    """Append one audit line inside the caller's transaction (an import and its audit line commit together)."""
    conn.execute(insert(s.audit_log).values(at=datetime.now().replace(microsecond=0), username=username,
                                            action=action, details=details))


_audit = record


def audit(username: str | None, action: str, details: dict, engine: Engine | None = None) -> None:
    """Append one line to the audit log."""
    with (engine or _engine()).begin() as conn:
        _audit(conn, username, action, details)


def audit_entries(username: str | None = None, action: str | None = None, since: date | None = None,
                  until: date | None = None, limit: int = 5000, engine: Engine | None = None) -> pd.DataFrame:
    """Audit lines, newest first, filtered by user, action and an inclusive date range."""
    a = s.audit_log
    stmt = select(a.c.id, a.c.at, a.c.username, a.c.action, a.c.details).order_by(a.c.id.desc()).limit(limit)
    if username:
        stmt = stmt.where(a.c.username == username)
    if action:
        stmt = stmt.where(a.c.action == action)
    if since:
        stmt = stmt.where(a.c.at >= datetime.combine(since, datetime.min.time()))
    if until:
        stmt = stmt.where(a.c.at < datetime.combine(until + timedelta(days=1), datetime.min.time()))
    with (engine or _engine()).connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(rows, columns=["id", "at", "username", "action", "details"])


def audit_actions(engine: Engine | None = None) -> list[str]:
    """The distinct actions present in the audit log."""
    with (engine or _engine()).connect() as conn:
        return sorted(r[0] for r in conn.execute(select(s.audit_log.c.action).distinct()))


# --- command line ----------------------------------------------------------------------------
def cli(args: argparse.Namespace) -> int:
    """`manage.py user add|passwd|role|disable|enable|list`."""
    from store.bootstrap import bootstrap

    engine = _engine()
    bootstrap(engine, load_samples=False)
    if args.action == "list":
        for u in all_users(engine):
            flags = " (khóa)" if u["disabled"] else ""
            print(f"{u['username']:<16} {u['role']:<7} {u['name']}{flags}  phạm vi: {','.join(u['agencies'] + u['units']) or '-'}")
        return 0
    if not args.username:
        print("Thiếu tên đăng nhập.", file=sys.stderr)
        return 2
    scope = [x.strip() for x in (args.scope or "").split(",") if x.strip()]
    agencies = [x for x in scope if not x.isdigit()]
    units = [x for x in scope if x.isdigit()]
    try:
        if args.action == "add":
            password = args.password or (getpass.getpass("Mật khẩu (bỏ trống để sinh ngẫu nhiên): ") if sys.stdin.isatty() else "") or random_password()
            add_user(args.username, args.name or args.username, args.role or "viewer", password, agencies, units, by="cli", engine=engine)
            if not args.password:
                print(f"Mật khẩu của {args.username}: {password}")
        elif args.action == "passwd":
            password = args.password or (getpass.getpass("Mật khẩu mới: ") if sys.stdin.isatty() else "") or random_password()
            update_user(args.username, by="cli", engine=engine, password=password)
            if not args.password:
                print(f"Mật khẩu mới của {args.username}: {password}")
        elif args.action == "role":
            values: dict = {}
            if args.role:
                values["role"] = args.role
            if args.scope is not None:
                values["agencies"], values["units"] = agencies, units
            update_user(args.username, by="cli", engine=engine, **values)
        elif args.action in ("disable", "enable"):
            update_user(args.username, by="cli", engine=engine, disabled=args.action == "disable")
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print("Xong.")
    return 0
