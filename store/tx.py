"""The write transaction every import, rollback and alias change runs in: one at a time, with a bounded wait.

Shared by store.importer and store.aliases (it lived in the importer, which made the two import each other).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

import settings
from catalogue import message
from model import Problem

LOCK_ID = 7142025  # the advisory lock that serialises imports and rollbacks on PostgreSQL


class Refused(Exception):
    """Raised inside the transaction to roll everything back."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class Busy(Exception):
    """Another import or rollback holds the write lock longer than the wait allowed."""


class TooLong(Exception):
    """A statement of this import ran past statement_timeout (PostgreSQL cancelled it)."""


_Busy, _TooLong = Busy, TooLong  # the names store.importer and its tests used


def _seconds(name: str) -> float:
    return float(settings.get(name))


def busy_message() -> str:
    """"Another import is running" in Vietnamese, with the wait that was allowed."""
    return message("import_busy", seconds=f"{_seconds('CCHC_IMPORT_LOCK_WAIT_S'):g}")


def too_long_message() -> str:
    """"The import ran past the statement timeout" in Vietnamese."""
    return message("import_timeout", seconds=f"{_seconds('CCHC_PG_STATEMENT_TIMEOUT_S'):g}")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One import's or rollback's transaction, alone: imports are serialised, and one that would wait
    longer than CCHC_IMPORT_LOCK_WAIT_S for another raises Busy instead of hanging.

    SQLite: BEGIN IMMEDIATE takes the write lock, waiting at most that long (busy_timeout).
    PostgreSQL: a transaction-level advisory lock under lock_timeout; statement_timeout and
    idle_in_transaction_session_timeout bound the transaction itself (settings; see store/db.py for
    the keepalives and client checks that end the statements of a client that died)."""
    wait = _seconds("CCHC_IMPORT_LOCK_WAIT_S")
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.driver_connection if sqlite else None
        if sqlite:
            raw.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            try:
                tx = conn.begin()
            except OperationalError as exc:
                if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
                    raise Busy() from exc
                raise
            with tx:
                if not sqlite:
                    for name, setting in (("lock_timeout", "CCHC_IMPORT_LOCK_WAIT_S"),
                                          ("statement_timeout", "CCHC_PG_STATEMENT_TIMEOUT_S"),
                                          ("idle_in_transaction_session_timeout", "CCHC_PG_IDLE_TX_TIMEOUT_S")):
                        ms = int(_seconds(setting) * 1000)
                        conn.execute(text(f"SET LOCAL {name} = {ms}"))  # an int from settings, not user text
                    try:
                        # per schema: another schema of the same database (a test worker, another deployment)
                        # has data of its own and never waits for this one's imports
                        conn.execute(text("SELECT pg_advisory_xact_lock(:k, hashtext(current_schema()))"), {"k": LOCK_ID})
                    except OperationalError as exc:
                        if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                            raise Busy() from exc
                        raise
                try:
                    yield conn
                except OperationalError as exc:
                    # query_canceled (statement_timeout), idle_in_transaction_session_timeout
                    if getattr(exc.orig, "sqlstate", None) in ("57014", "25P03"):
                        raise TooLong() from exc
                    if getattr(exc.orig, "sqlstate", None) == "55P03":
                        raise Busy() from exc
                    raise
        finally:
            if sqlite:
                raw.execute("PRAGMA busy_timeout = 60000")  # the engine's own (store/db.py)
