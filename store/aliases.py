"""Learned aliases: the choices uploaders make in a dry run, kept as data (table `learned_aliases`).

An alias (an agency or unit spelling, a status word) or a layout mapping (a header's text → field) is written
as a batch of its own, kind "aliases", like any import: one transaction, judged row by row in store/authorize.py
(an editor maps names only to agencies and units inside their scope, an admin any; status words and layout
mappings any writer), audited in the same transaction, and undone exactly by rolling the batch back. Removing
one is another batch (it sets `removed_batch_id`), undone the same way.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import OperationalError

from catalogue import REPORT_STATUSES, message
from loaders.headers import ROLES
from loaders.learned import KINDS, Learned, key_of
from loaders.text import clean
from loaders.workbook import FILE
from model import Problem
from store import schema as s
from store.audit import record
from store.authorize import ADMIN, Claim, Scope, authorize
from store.tx import Busy, Refused, busy_message, write_transaction

__all__ = ["Busy", "Choice", "add", "listing", "load", "remove", "rollback_blocker", "rollback_rows"]

LA = s.learned_aliases


@dataclass(frozen=True)
class Choice:
    """One answer: `text` (as the file wrote it) means `target` (an agency code, a unit code, a status code, a
    field); where the question was asked, for the messages."""

    kind: str  # agency | unit | status | column
    text: str
    target: str
    sheet_kind: str | None = None  # column mappings: the sheet kind
    sheet: str = FILE
    row: int | None = None
    column: str | None = None


def load(engine: Engine, wait: float | None = None) -> Learned:
    """The aliases in force (not removed, of batches not rolled back), as the loaders read them. `wait`: on SQLite,
    wait at most this long for a writer (raises Busy), as an import waits for another."""
    b = s.import_batches
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" and wait is not None else None
            if raw is not None:
                raw.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")  # an int from settings, not user text
            try:
                rows = conn.execute(select(LA.c.kind, LA.c.text, LA.c.target, LA.c.sheet_kind, LA.c.scope_unit_code)
                                .select_from(LA.join(b, b.c.id == LA.c.batch_id))
                                .where(LA.c.removed_batch_id.is_(None), b.c.status == "imported")
                                .order_by(LA.c.id)).all()
            except OperationalError as exc:
                if raw is not None and ("locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower()):
                    raise Busy() from exc
                raise
            finally:
                if raw is not None:
                    raw.execute("PRAGMA busy_timeout = 60000")  # the engine's own (store/db.py)
    except Busy:
        raise
    except Exception:  # noqa: BLE001 - a database before migration 0005 (or none yet): nothing learned
        return Learned()
    return Learned(
        agencies=tuple((t, g, sc) for k, t, g, _sk, sc in rows if k == "agency"),
        units=tuple((t, g) for k, t, g, _sk, _sc in rows if k == "unit"),
        statuses=tuple((t, g) for k, t, g, _sk, _sc in rows if k == "status"),
        columns=tuple((sk, t, g) for k, t, g, sk, _sc in rows if k == "column"))


def listing(engine: Engine, include_removed: bool = False) -> pd.DataFrame:
    """Every learned alias with its batch, who wrote it and when (`manage.py alias list`)."""
    b = s.import_batches
    q = (select(LA.c.id, LA.c.kind, LA.c.text, LA.c.target, LA.c.sheet_kind, LA.c.scope_unit_code, LA.c.batch_id,
                LA.c.removed_batch_id, b.c.uploaded_by, b.c.uploaded_at)
         .select_from(LA.join(b, b.c.id == LA.c.batch_id)).where(b.c.status == "imported").order_by(LA.c.id))
    if not include_removed:
        q = q.where(LA.c.removed_batch_id.is_(None))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return pd.DataFrame(rows, columns=["id", "kind", "text", "target", "sheet_kind", "scope_unit_code", "batch_id",
                                       "removed_batch_id", "uploaded_by", "uploaded_at"])


def _claims_and_rows(conn, choices: list[Choice]) -> tuple[list[Claim], list[dict], list[Problem]]:  # noqa: ANN001
    """What each choice would write and whom it belongs to; the problems of choices that cannot be kept."""
    agencies = {c: (u, n) for c, u, n in conn.execute(select(s.agencies.c.code, s.agencies.c.unit_code, s.agencies.c.name))}
    units = dict(conn.execute(select(s.units.c.code, s.units.c.name)).all())
    active = conn.execute(select(LA.c.kind, LA.c.key, LA.c.target, LA.c.sheet_kind, LA.c.scope_unit_code)
                          .select_from(LA.join(s.import_batches, s.import_batches.c.id == LA.c.batch_id))
                          .where(LA.c.removed_batch_id.is_(None), s.import_batches.c.status == "imported")).all()
    known = {(k, key, sk or "", sc or ""): t for k, key, t, sk, sc in active}
    claims, rows, problems = [], [], []
    seen: set[tuple] = set()
    for ch in choices:
        text = clean(ch.text)
        where = (ch.sheet, ch.row, ch.column)
        if ch.kind not in KINDS or not text or not key_of(ch.kind, text):
            problems.append(Problem(*where, message("alias_invalid", text=text or "(trống)")))
            continue
        scope_unit = None
        if ch.kind == "agency":
            if ch.target not in agencies:
                problems.append(Problem(*where, message("alias_target_unknown", target=ch.target)))
                continue
            scope_unit, name = agencies[ch.target]
            claims.append(Claim("aliases", *where, owner=ch.target, owner_kind="agency", agency_unit=scope_unit,
                                label=f"{text} → {name}"))
        elif ch.kind == "unit":
            if ch.target not in units:
                problems.append(Problem(*where, message("alias_target_unknown", target=ch.target)))
                continue
            claims.append(Claim("aliases", *where, owner=ch.target, label=f"{text} → {units[ch.target]}"))
        elif ch.kind == "status":
            if ch.target not in REPORT_STATUSES:
                problems.append(Problem(*where, message("alias_target_unknown", target=ch.target)))
                continue
            claims.append(Claim("layout", *where, label=text))
        else:
            sheet_kind = "indicator_values" if ch.sheet_kind == "indicator_values_wide" else ch.sheet_kind
            if ch.target not in ROLES.get(sheet_kind or "", {}):
                problems.append(Problem(*where, message("alias_target_unknown", target=ch.target)))
                continue
            claims.append(Claim("layout", *where, label=text))
        sheet_kind = ("indicator_values" if ch.sheet_kind == "indicator_values_wide" else ch.sheet_kind) \
            if ch.kind == "column" else None
        key = key_of(ch.kind, text)
        ident = (ch.kind, key, sheet_kind or "", scope_unit or "")
        if ident in seen:
            continue
        seen.add(ident)
        old = known.get(ident)
        if old == ch.target:
            continue  # already known: nothing to write
        if old is not None:
            problems.append(Problem(*where, message("alias_conflict", text=text, target=old)))
            continue
        rows.append({"kind": ch.kind, "text": text, "key": key, "target": ch.target, "sheet_kind": sheet_kind,
                     "scope_unit_code": scope_unit, "removed_batch_id": None})
    return claims, rows, problems


def add(engine: Engine, choices: list[Choice], user: str, scope: Scope = ADMIN, via: str = "app",
        file_name: str = "") -> tuple[int | None, list[Problem]]:
    """Keep the choices as learned aliases, in one batch: (batch id, []) when written, (None, []) when every one
    was known already, (None, problems) when refused (nothing written)."""
    try:
        with write_transaction(engine) as conn:
            claims, rows, problems = _claims_and_rows(conn, choices)
            problems += authorize(scope, claims, user)
            if problems:
                raise Refused(problems)
            if not rows:
                return None, []
            batch_id = _batch(conn, user, file_name or "(tên gọi khác)", {"aliases": len(rows)}, rows)
            conn.execute(insert(LA), [r | {"batch_id": batch_id} for r in rows])
            record(conn, user, "alias_add", {"batch_id": batch_id, "via": via, "file": file_name or None,
                                             "aliases": [{k: r[k] for k in ("kind", "text", "target", "sheet_kind")}
                                                         for r in rows]})
            return batch_id, []
    except Refused as exc:
        return None, exc.problems
    except Busy:
        return None, [Problem(FILE, None, None, busy_message())]


def remove(engine: Engine, alias_id: int, user: str, scope: Scope = ADMIN, via: str = "app") -> tuple[int | None, list[str]]:
    """Stop reading one learned alias, as a batch of its own (its rollback brings the alias back)."""
    try:
        with write_transaction(engine) as conn:
            row = conn.execute(select(LA).select_from(LA.join(s.import_batches, s.import_batches.c.id == LA.c.batch_id))
                               .where(LA.c.id == alias_id, LA.c.removed_batch_id.is_(None),
                                      s.import_batches.c.status == "imported")).first()
            if row is None:
                return None, [message("alias_unknown", alias_id=alias_id)]
            owner = row.target if row.kind in ("agency", "unit") else None
            agency_unit = conn.execute(select(s.agencies.c.unit_code).where(s.agencies.c.code == row.target)).scalar() \
                if row.kind == "agency" else None
            claim = Claim("aliases" if owner else "layout", FILE, None, None, owner=owner,
                          owner_kind="agency" if row.kind == "agency" else "unit", agency_unit=agency_unit,
                          label=f"{row.text} → {row.target}")
            refused = authorize(scope, [claim], user)
            if refused:
                return None, [p.message for p in refused]
            batch_id = _batch(conn, user, f"(gỡ tên gọi khác #{alias_id})", {"aliases_removed": 1}, [{"id": alias_id}])
            conn.execute(update(LA).where(LA.c.id == alias_id).values(removed_batch_id=batch_id))
            record(conn, user, "alias_remove", {"batch_id": batch_id, "alias_id": alias_id, "text": row.text,
                                                "target": row.target, "via": via})
            return batch_id, []
    except Busy:
        return None, [busy_message()]


def _batch(conn, user: str, file_name: str, counts: dict, payload: list) -> int:  # noqa: ANN001
    now = datetime.now().replace(microsecond=0)
    digest = hashlib.sha256(json.dumps([payload, user, now.isoformat()], ensure_ascii=False, sort_keys=True,
                                       default=str).encode()).hexdigest()
    return conn.execute(insert(s.import_batches).values(
        kind="aliases", file_name=file_name[:300], sha256=digest, size_bytes=0, uploaded_by=user, uploaded_at=now,
        status="imported", is_sample=False, counts=counts, options={})).inserted_primary_key[0]


def rollback_blocker(conn, batch_id: int) -> str | None:  # noqa: ANN001
    """Why a batch cannot be undone yet: an alias it added was removed by a later batch (undo that one first)."""
    later = conn.execute(select(LA.c.removed_batch_id).where(LA.c.batch_id == batch_id,
                                                             LA.c.removed_batch_id.is_not(None))).first()
    return message("rollback_alias_removed", batch_id=later[0]) if later else None


def rollback_rows(conn, batch_id: int) -> None:  # noqa: ANN001
    """Undo a batch's alias rows: the removals it made are lifted, the aliases it added deleted."""
    conn.execute(update(LA).where(LA.c.removed_batch_id == batch_id).values(removed_batch_id=None))
    conn.execute(delete(LA).where(LA.c.batch_id == batch_id))
