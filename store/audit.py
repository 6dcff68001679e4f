"""The append-only audit log: who did what, when (imports, rollbacks, logins, user changes)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, insert, select

from store import schema as s


def _engine() -> Engine:
    from store.db import shared_engine  # lazy: store.db loads alembic: only when a call needs the app's engine

    return shared_engine()


def record(conn, username: str | None, action: str, details: dict) -> None:  # noqa: ANN001
    """Append one audit line inside the caller's transaction (an import and its audit line commit together)."""
    conn.execute(insert(s.audit_log).values(at=datetime.now().replace(microsecond=0), username=username,
                                            action=action, details=details))


def audit(username: str | None, action: str, details: dict, engine: Engine | None = None) -> None:
    """Append one line to the audit log."""
    with (engine or _engine()).begin() as conn:
        record(conn, username, action, details)


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
