"""Copy the reference CSVs (units, parents, successors, agencies, aliases) and the reform areas into the database.

Idempotent: units and agencies are upserted by code (imported facts refer to them, so none is ever deleted);
parents, successor links and reference aliases are replaced. The CSVs' fingerprint is kept in
`reference_meta`, so a database built from an earlier release is brought up to date on the next start or
import, and an unchanged one costs one small query.
"""
from __future__ import annotations

import hashlib
import math
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, inspect, select, text

import settings
from catalogue import AREAS, message
from loaders.reference import Reference, reference
from store import readmodels
from store import schema as s
from store import snapshot

REFERENCE_FILES = ("units.csv", "unit_parents.csv", "unit_successors.csv", "agencies.csv", "agency_successors.csv",
                   "aliases.csv", "build.json")


def _clean(v: object) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _rows(frame, columns: set[str]) -> list[dict]:  # noqa: ANN001 - a DataFrame
    """Records of a frame limited to the columns the database table has (an older schema has fewer)."""
    return [{k: _clean(v) for k, v in row.items() if k in columns} for row in frame.to_dict("records")]


def _upsert(conn: Connection, table, key: str, rows: list[dict]) -> None:  # noqa: ANN001
    existing = {r[0] for r in conn.execute(select(table.c[key]))}
    new = [r for r in rows if r[key] not in existing]
    old = [r for r in rows if r[key] in existing]
    if new:
        conn.execute(table.insert(), new)
    for r in old:
        conn.execute(table.update().where(table.c[key] == r[key]).values(**r))


def _columns(conn: Connection) -> dict[str, set[str]]:
    insp = inspect(conn)
    return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}


@lru_cache(maxsize=8)
def _fingerprint(folder: Path, stamp: tuple) -> str:
    h = hashlib.sha1()
    for name in REFERENCE_FILES:
        path = folder / name
        if path.exists():
            h.update(name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(folder: Path | None = None) -> str:
    """A digest of the reference files of a folder (recomputed only when a file changes)."""
    folder = folder or settings.reference_dir()
    stamp = tuple((n, p.stat().st_mtime_ns, p.stat().st_size) for n in REFERENCE_FILES if (p := folder / n).exists())
    return _fingerprint(folder, stamp)


def sync_reference(conn: Connection, ref: Reference | None = None, stamp: str | None = None) -> dict[str, int]:
    """Upsert reference data inside the caller's transaction; returns row counts."""
    ref = ref or reference()
    cols = _columns(conn)
    units = _rows(ref.units, cols["units"])
    _upsert(conn, s.units, "code", units)
    conn.execute(delete(s.unit_parents))
    conn.execute(s.unit_parents.insert(), _rows(ref.parents, cols["unit_parents"]))
    agencies = _rows(ref.agencies, cols["agencies"])
    _upsert(conn, s.agencies, "code", agencies)
    conn.execute(delete(s.agency_aliases).where(s.agency_aliases.c.batch_id.is_(None)))
    conn.execute(s.agency_aliases.insert(), [
        {"alias": a, "agency_code": c, "scope_unit_code": _clean(sc)}
        for a, c, sc in zip(ref.aliases["alias"], ref.aliases["agency_code"], ref.aliases["scope_unit_code"])])
    counts = {"units": len(units), "agencies": len(agencies), "aliases": len(ref.aliases)}
    for table, frame in ((s.unit_successors, ref.unit_successors), (s.agency_successors, ref.agency_successors)):
        if table.name in cols:  # migration 0004
            conn.execute(delete(table))
            if not frame.empty:
                conn.execute(table.insert(), _rows(frame, cols[table.name]))
            counts[table.name] = len(frame)
    _upsert(conn, s.areas, "code", [{"code": e.code, "name": e.label, "ord": e.order} for e in AREAS.values()])
    if "reference_meta" in cols:
        meta = {"fingerprint": stamp or fingerprint(), "province": ref.province,
                "history_province": ref.history_province, "synced_on": date.today().isoformat()}
        for key in ("package", "version"):
            if key in ref.meta:
                meta[key] = str(ref.meta[key])
        conn.execute(delete(s.reference_meta))
        conn.execute(s.reference_meta.insert(), [{"key": k, "value": v} for k, v in meta.items()])
    return counts


def stored_fingerprint(conn: Connection) -> str | None:
    """The fingerprint of the reference files last loaded into this database (None before migration 0004)."""
    if "reference_meta" not in inspect(conn).get_table_names():
        return None
    return conn.execute(select(s.reference_meta.c.value).where(s.reference_meta.c.key == "fingerprint")).scalar()


def check_province(engine: Engine, ref: Reference | None = None) -> None:
    """Refuse to load one province's reference into a database that already serves another (RuntimeError)."""
    ref = ref or reference()
    with engine.connect() as conn:
        if "reference_meta" not in inspect(conn).get_table_names():
            return
        stored = conn.execute(select(s.reference_meta.c.value).where(s.reference_meta.c.key == "province")).scalar()
    if stored and stored != ref.province:
        raise RuntimeError(message("reference_other_province", stored=stored, wanted=ref.province))


def ensure_reference_in(conn: Connection) -> None:
    """Load the reference data when the units table is empty, inside the caller's transaction."""
    if not conn.execute(select(s.units.c.code).limit(1)).first():
        sync_reference(conn)


def ensure_reference(engine: Engine) -> None:
    """Load the reference data on the first run, and again whenever the reference files changed."""
    stamp = fingerprint()
    with engine.connect() as conn:
        has = conn.execute(select(s.units.c.code).limit(1)).first()
        current = stored_fingerprint(conn)
        has_meta = "reference_meta" in inspect(conn).get_table_names()
    if has and (current == stamp or not has_meta):
        return
    check_province(engine)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two processes starting at once: one syncs, the other waits
            # per schema: deployments (and test workers) on other schemas of the same database never wait for this one
            conn.execute(text("SELECT pg_advisory_xact_lock(7142026, hashtext(current_schema()))"))
            if stored_fingerprint(conn) == stamp:
                return
        sync_reference(conn, stamp=stamp)
        if has:  # the read models were derived from the earlier units and agencies: rebuilt at the next change
            readmodels.forget(conn)
    if has:  # view data prepared from the earlier reference tables must not be served again

        snapshot.clear()
