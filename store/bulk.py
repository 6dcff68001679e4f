"""A bulk load path for indicator values at national scale: PostgreSQL `COPY` (psycopg 3 `cursor.copy`), and on
SQLite the driver's executemany in one big transaction.

It writes what the normal importer (store/importer.py) writes for a values sheet, and nothing else: one import
batch (kind "values"), the rows of `indicator_values` with that batch and `is_current`, the rows of earlier
batches with the same key superseded by the importer's own statement, the batch's counts and its audit line, all
in the importer's write transaction (the import lock and its timeouts). So `store.importer.rollback_batch` undoes
it exactly. Indicators the database does not know yet are created in the same batch (as a catalogue sheet would),
and the units of the data (with their parents) are added when missing, as reference data.

On PostgreSQL the table's foreign keys and secondary indexes are dropped for the load and put back, exactly as
they were, before the supersede: validated and built once over all rows instead of per row (`_pg_detach`).

Streaming: the rows come in blocks (a province at a time) and are written as they come; nothing holds the whole
dataset. The text sent to COPY is `copy_text(block)`, the canonical form whose sha256 is the batch's.
"""
from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from catalogue import message
from store import schema as s
from store.importer import supersede_statement
from store.tx import Busy, Refused, TooLong, busy_message, write_transaction
from store.reference import ensure_reference_in
from store.users import record

# (indicator code, unit key, year, quarter, value, numerator, denominator)
Row = tuple[str, str, int, int | None, float | None, float | None, float | None]
VALUE_COLUMNS = ("indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator")
KEY = ("indicator_code", "unit_code", "year", "quarter")
SQLITE_CHUNK = 50_000  # rows per executemany call (one transaction for all of them)
BULK_STATEMENT_TIMEOUT_S = 3600  # a national COPY block or supersede may run minutes: longer than an upload's


def _field(v: object) -> str:
    if v is None:
        return "\\N"
    if isinstance(v, float):
        return repr(v)  # the shortest text that reads back as the same double
    return str(v)


def copy_text(rows: Iterable[Row]) -> str:
    """Rows in PostgreSQL COPY text format (tab-separated, \\N for NULL, one line each). Codes never hold tabs,
    backslashes or newlines (official codes and catalogue codes)."""
    return "".join("\t".join(map(_field, r)) + "\n" for r in rows)


@dataclass
class BulkResult:
    """What a bulk load did."""

    status: str  # imported | refused
    batch_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _duplicate(batch_id: int, at: datetime) -> str:
    return message("file_duplicate", batch_id=batch_id, when=at.strftime("%d/%m/%Y %H:%M"))


def add_units(conn: Connection, units: list[dict], parents: list[dict]) -> int:
    """Insert the units (and their parent links) that the database does not hold yet; returns how many."""
    have = {r[0] for r in conn.execute(select(s.units.c.code))}
    new = [u for u in units if u["code"] not in have]
    if new:
        conn.execute(insert(s.units), new)
        fresh = {u["code"] for u in new}
        links = [p for p in parents if p["code"] in fresh]
        if links:
            conn.execute(insert(s.unit_parents), links)
    return len(new)


def _add_indicators(conn: Connection, indicators: list[dict], batch_id: int) -> int:
    """Create the indicators the catalogue lacks, with a first version, in this batch (a rollback removes them)."""
    have = {r[0] for r in conn.execute(select(s.indicators.c.code))}
    new = [i for i in indicators if i["code"] not in have]
    if new:
        conn.execute(insert(s.indicators), [{"code": i["code"], "batch_id": batch_id} for i in new])
        conn.execute(insert(s.indicator_versions), [
            {"indicator_code": i["code"], "batch_id": batch_id, "name": i["name"], "area_code": i["area_code"],
             "unit": i["unit"], "direction": i["direction"], "is_rate": bool(i["is_rate"]), "is_current": True}
            for i in new])
    return len(new)


def _pg_detach(conn: Connection) -> list[str]:
    """Drop the foreign keys and secondary indexes of indicator_values for the duration of the load, returning
    the statements that put them back exactly (pg_get_constraintdef / pg_get_indexdef). Checked and built once
    over the loaded rows, they cost a fraction of what per-row foreign-key triggers and index updates cost (on
    this machine: COPY of 188k rows 17 s with them, under 1 s without). Transactional DDL: a failed load restores
    them with everything else; the table is locked (ACCESS EXCLUSIVE) until the load commits."""
    fks = conn.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'indicator_values'::regclass AND contype = 'f' ORDER BY conname")).all()
    idx = conn.execute(text(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = 'indicator_values'::regclass AND NOT x.indisprimary AND NOT x.indisunique "
        "ORDER BY i.relname")).all()
    for name, _ in fks:  # names of our own schema (store/schema.py NAMING), not user text
        conn.execute(text(f'ALTER TABLE indicator_values DROP CONSTRAINT "{name}"'))
    for name, _ in idx:
        conn.execute(text(f'DROP INDEX "{name}"'))
    return [d for _, d in idx] + [f'ALTER TABLE indicator_values ADD CONSTRAINT "{n}" {d}' for n, d in fks]


def _copy_pg(conn: Connection, batch_id: int, block: list[Row], sha: hashlib._Hash) -> None:  # noqa: SLF001
    body = copy_text(block)
    sha.update(body.encode("utf-8"))
    suffix = f"\t{batch_id}\tt\n"  # batch_id and is_current, the same on every row
    cols = ", ".join((*VALUE_COLUMNS, "batch_id", "is_current"))
    raw = conn.connection.driver_connection  # psycopg 3, inside the SQLAlchemy transaction
    with raw.cursor() as cur, cur.copy(f"COPY indicator_values ({cols}) FROM STDIN") as copy:
        copy.write(body.replace("\n", suffix))


def _insert_sqlite(conn: Connection, batch_id: int, block: list[Row], sha: hashlib._Hash) -> None:  # noqa: SLF001
    sha.update(copy_text(block).encode("utf-8"))
    cols = ", ".join((*VALUE_COLUMNS, "batch_id", "is_current"))
    sql = f"INSERT INTO indicator_values ({cols}) VALUES ({', '.join('?' for _ in range(len(VALUE_COLUMNS) + 2))})"
    raw = conn.connection.driver_connection  # sqlite3, inside the BEGIN IMMEDIATE of write_transaction
    tail = (batch_id, 1)
    for i in range(0, len(block), SQLITE_CHUNK):
        raw.executemany(sql, [r + tail for r in block[i:i + SQLITE_CHUNK]])


def load_values(engine: Engine, blocks: Iterable[list[Row]], file_name: str, *, user: str,
                options: dict | None = None, units: tuple[list[dict], list[dict]] | None = None,
                indicators: list[dict] | None = None, is_sample: bool = True, via: str = "cli",
                progress: Callable[[int], None] | None = None) -> BulkResult:
    """Write every block of rows as one import batch, in one transaction, audited; returns what was done.

    `units`: (units rows, unit_parents rows) to add where missing, before the values (reference data, kept on
    rollback like every unit). `indicators`: catalogue rows (code, name, area_code, unit, direction, is_rate) to
    create where missing, in the batch. A batch of the same `file_name` and options already imported is refused
    before anything is written (generated data is identified by its parameters), and one whose content's sha256
    matches an imported batch is refused at the end (rolled back), as the importer refuses a file imported twice."""
    options = options or {}
    result = BulkResult("refused")
    t0 = time.perf_counter()
    try:
        with write_transaction(engine) as conn:
            pg = conn.dialect.name == "postgresql"
            if pg:
                ms = BULK_STATEMENT_TIMEOUT_S * 1000
                conn.execute(text(f"SET LOCAL statement_timeout = {ms}"))
                conn.execute(text(f"SET LOCAL idle_in_transaction_session_timeout = {ms}"))
            ensure_reference_in(conn)
            b = s.import_batches
            same = conn.execute(select(b.c.id, b.c.options, b.c.uploaded_at).where(
                b.c.file_name == file_name, b.c.status == "imported")).all()
            for bid, opts, at in same:
                if (opts or {}) == options:
                    raise Refused([_duplicate(bid, at)])
            if units:
                result.counts["units_added"] = add_units(conn, *units)
            batch_id = conn.execute(insert(b).values(
                kind="values", file_name=file_name, sha256="", size_bytes=0, uploaded_by=user,
                uploaded_at=datetime.now().replace(microsecond=0), status="imported", is_sample=is_sample,
                counts={}, options=options)).inserted_primary_key[0]
            made = _add_indicators(conn, indicators, batch_id) if indicators else 0
            sha = hashlib.sha256()
            write = _copy_pg if pg else _insert_sqlite
            restore = _pg_detach(conn) if pg else []
            n = 0
            for block in blocks:
                write(conn, batch_id, block, sha)
                n += len(block)
                if progress:
                    progress(n)
            result.seconds["write"] = time.perf_counter() - t0
            t = time.perf_counter()
            for statement in restore:  # the indexes, then the foreign keys, each validated in one pass
                conn.execute(text(statement))
            result.seconds["constraints"] = time.perf_counter() - t
            t = time.perf_counter()
            if pg:
                conn.execute(text("ANALYZE indicator_values"))  # the supersede join plans on today's size
            conn.execute(supersede_statement(s.indicator_values, batch_id, KEY))
            result.seconds["supersede"] = time.perf_counter() - t
            digest = sha.hexdigest()
            dup = conn.execute(select(b.c.id, b.c.uploaded_at).where(b.c.sha256 == digest, b.c.status == "imported",
                                                                     b.c.id != batch_id)).first()
            if dup:
                raise Refused([_duplicate(dup.id, dup.uploaded_at)])
            counts = {"indicator_values": n} | ({"indicators": made} if made else {})
            conn.execute(update(b).where(b.c.id == batch_id).values(sha256=digest, counts=counts))
            record(conn, user, "import", {"batch_id": batch_id, "file": file_name, "sha256": digest,
                                          "counts": counts, "via": via})
            result.status, result.batch_id, result.sha256 = "imported", batch_id, digest
            result.counts |= counts
    except Refused as exc:
        result.errors = [str(p) for p in exc.problems]
    except (IntegrityError, sqlite3.IntegrityError) as exc:  # a row naming a unit or indicator the database lacks
        result.errors = [str(getattr(exc, "orig", exc)).splitlines()[0]]
    except Busy:
        result.errors = [busy_message()]
    except TooLong:
        result.errors = [message("import_timeout", seconds=f"{BULK_STATEMENT_TIMEOUT_S:g}")]
    result.seconds["total"] = time.perf_counter() - t0
    return result
