"""Copy the reference CSVs (units, parents, agencies, aliases) and the reform areas into the database.

Idempotent: rows are upserted by code, so re-running after a CSV change updates names and adds
new units without touching imported facts.
"""
from __future__ import annotations

import math

from sqlalchemy import Connection, Engine, delete, select

from catalogue import AREAS
from loaders.reference import Reference, reference
from store import schema as s


def _clean(v: object) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _upsert(conn: Connection, table, key: str, rows: list[dict]) -> None:  # noqa: ANN001
    existing = {r[0] for r in conn.execute(select(table.c[key]))}
    new = [r for r in rows if r[key] not in existing]
    old = [r for r in rows if r[key] in existing]
    if new:
        conn.execute(table.insert(), new)
    for r in old:
        conn.execute(table.update().where(table.c[key] == r[key]).values(**r))


def sync_reference(conn: Connection, ref: Reference | None = None) -> dict[str, int]:
    """Upsert reference data inside the caller's transaction; returns row counts."""
    ref = ref or reference()
    units = [{k: _clean(v) for k, v in row.items()} for row in ref.units.to_dict("records")]
    _upsert(conn, s.units, "code", units)
    conn.execute(delete(s.unit_parents))
    conn.execute(s.unit_parents.insert(), [
        {k: _clean(v) for k, v in row.items()} for row in ref.parents.to_dict("records")])
    agencies = [{k: _clean(v) for k, v in row.items()} for row in ref.agencies.to_dict("records")]
    _upsert(conn, s.agencies, "code", agencies)
    conn.execute(delete(s.agency_aliases).where(s.agency_aliases.c.batch_id.is_(None)))
    conn.execute(s.agency_aliases.insert(), [
        {"alias": a, "agency_code": c, "scope_unit_code": _clean(sc)}
        for a, c, sc in zip(ref.aliases["alias"], ref.aliases["agency_code"], ref.aliases["scope_unit_code"])])
    _upsert(conn, s.areas, "code", [{"code": e.code, "name": e.label, "ord": e.order} for e in AREAS.values()])
    return {"units": len(units), "agencies": len(agencies), "aliases": len(ref.aliases)}


def ensure_reference_in(conn: Connection) -> None:
    """Load the reference data when the units table is empty, inside the caller's transaction."""
    if not conn.execute(select(s.units.c.code).limit(1)).first():
        sync_reference(conn)


def ensure_reference(engine: Engine) -> None:
    """Load the reference data when the units table is empty (first run)."""
    with engine.connect() as conn:
        has = conn.execute(select(s.units.c.code).limit(1)).first()
    if not has:
        with engine.begin() as conn:
            sync_reference(conn)
