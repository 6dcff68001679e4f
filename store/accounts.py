"""User accounts: the users table (bcrypt hashes only), creating and changing accounts (each change audited), the
first admin, and the scope a user writes with."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, insert, inspect, select, update

import settings
from catalogue import message
from store import schema as s
from store.audit import record as _audit
from store.authorize import VIEWER, Scope
from store.passwords import hash_password, random_password

ROLES = ("admin", "editor", "viewer")


def _engine() -> Engine:
    from store.db import shared_engine  # lazy: store.db loads alembic, only when a call needs the app's engine

    return shared_engine()


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
    return {u["username"]: u for u in users_with_hashes(engine)}


def users_with_hashes(engine: Engine | None = None) -> list[dict]:
    """Every user, with its password hash (the login's credentials)."""
    with (engine or _engine()).connect() as conn:
        return [_row_dict(r) for r in conn.execute(select(s.users))]


def add_user(username: str, name: str, role: str, password: str, agencies: list[str] | None = None,
             units: list[str] | None = None, by: str = "system", engine: Engine | None = None) -> None:
    """Create a user; raises ValueError when the name is taken or the role unknown."""
    if role not in ROLES:
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
    if "role" in changes and changes["role"] not in ROLES:
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


# --- editor scope ----------------------------------------------------------------------------
def scope_for(user_agencies: list[str] | frozenset[str], user_units: list[str] | frozenset[str], is_admin: bool,
              engine: Engine | None = None):  # noqa: ANN201
    """The importer Scope of a user: own agencies, plus for each unit the unit, every unit below it
    (at any time: communes merged later still count) and every agency seated in those units."""
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
    with (engine or _engine()).connect() as conn:
        name = conn.execute(select(s.users.c.username).where(s.users.c.role == "admin", s.users.c.disabled.is_(False))
                            .order_by(s.users.c.created_at, s.users.c.username).limit(1)).scalar_one_or_none()
    if name is None:
        raise ValueError(message("cli_no_admin"))
    return name
