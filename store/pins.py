"""Pinned data versions, "as presented": a meeting freezes the numbers it showed under a name and a date.

A pin keeps every table the views read (the frames of store.queries.frames), as they were at one data version, in
the database itself, so every server process of a deployment sees it, and a backup of the database holds it. A link
carrying `pin=<id>` shows those numbers in every view and in the deck (components.data serves the pinned frames
instead of the current ones), after any later import or rollback. Pins are never pruned; an admin can unpin, which
drops the frozen tables and keeps the row, with who unpinned it and when, for the record. Creating and unpinning
are written to the audit log in the same transaction.

The frozen tables are a compressed pickle written and read only by this application (as the prepared view data of
store.snapshot, but in the database): they are never accepted from a user.
"""
from __future__ import annotations

import dataclasses
import pickle
import zlib
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from analytics.frames import Frames
from store import queries as q
from store import readmodels
from store import schema as s
from store.audit import record
from store.snapshot import ViewData

NAME_MAX = 200
_ATTEMPTS = 5  # an import landing while the tables are read: read them again


class PinError(ValueError):
    """A pin that cannot be made or changed (the message is Vietnamese, for the page and the CLI)."""


@dataclass(frozen=True)
class Pin:
    """One pinned version as listed (without its tables)."""

    id: int
    name: str
    presented_on: date
    data_version: str
    size_bytes: int
    created_by: str
    created_at: datetime
    unpinned_by: str | None = None
    unpinned_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.unpinned_at is None


def _snapshot(engine: Engine) -> tuple[str, bytes]:
    """(data version, frozen tables) read consistently: the version is the same before and after the reads."""
    for _ in range(_ATTEMPTS):
        before = q.data_version(engine)
        frames = q.frames(engine)
        # the values of the served province's units only (what the views show: store.readmodels.served_units);
        # another province's values in the same database (national scale) would only make the pin heavy
        served = set(readmodels.served_units(frames))
        frames = dataclasses.replace(frames, values=frames.values[frames.values["unit_code"].astype(str).isin(served)]
                                     .reset_index(drop=True))
        facts = (q.latest_quarter(engine), q.has_sample_data(engine))
        if q.data_version(engine) == before:
            fields = {f.name: getattr(frames, f.name) for f in dataclasses.fields(frames)}
            return before, zlib.compress(pickle.dumps({"frames": fields, "facts": facts},
                                                      protocol=pickle.HIGHEST_PROTOCOL), 1)
    raise PinError("Dữ liệu đang được nhập liên tục; hãy chốt lại sau ít phút.")


def pin(engine: Engine, name: str, presented_on: date, username: str) -> int:
    """Freeze the current data version under `name` (the meeting) and `presented_on`; returns the pin's id."""
    name = " ".join(str(name or "").split())
    if not name:
        raise PinError("Hãy đặt tên cho lần chốt số liệu (ví dụ «Giao ban CCHC Quý III/2026»).")
    if len(name) > NAME_MAX:
        raise PinError(f"Tên lần chốt số liệu dài quá {NAME_MAX} ký tự.")
    version, payload = _snapshot(engine)
    p = s.pinned_versions
    with engine.begin() as conn:
        pin_id = conn.execute(insert(p).values(
            name=name, presented_on=presented_on, data_version=version, payload=payload, size_bytes=len(payload),
            created_by=username, created_at=datetime.now().replace(microsecond=0)).returning(p.c.id)).scalar_one()
        record(conn, username, "pin", {"pin_id": pin_id, "name": name, "presented_on": presented_on.isoformat(),
                                       "data_version": version})
    return int(pin_id)


def unpin(engine: Engine, pin_id: int, username: str, is_admin: bool) -> None:
    """Unpin (admins only): the frozen tables are dropped, the row stays with who unpinned it and when."""
    if not is_admin:
        raise PinError("Chỉ quản trị viên được bỏ chốt số liệu.")
    p = s.pinned_versions
    with engine.begin() as conn:
        row = conn.execute(select(p.c.name, p.c.unpinned_at).where(p.c.id == pin_id)).first()
        if row is None or row.unpinned_at is not None:
            raise PinError(f"Không có lần chốt số liệu số {pin_id} đang giữ.")
        conn.execute(update(p).where(p.c.id == pin_id).values(
            payload=None, unpinned_by=username, unpinned_at=datetime.now().replace(microsecond=0)))
        record(conn, username, "unpin", {"pin_id": pin_id, "name": row.name})


def _listed(engine: Engine, *where: object) -> list[Pin]:
    p = s.pinned_versions
    stmt = select(p.c.id, p.c.name, p.c.presented_on, p.c.data_version, p.c.size_bytes, p.c.created_by,
                  p.c.created_at, p.c.unpinned_by, p.c.unpinned_at).where(*where).order_by(p.c.id.desc())
    with engine.connect() as conn:
        return [Pin(*row) for row in conn.execute(stmt)]


def pins(engine: Engine, include_unpinned: bool = False) -> list[Pin]:
    """The pins, newest first (the active ones only by default)."""
    return _listed(engine, *(() if include_unpinned else (s.pinned_versions.c.unpinned_at.is_(None),)))


def get(engine: Engine, pin_id: int) -> Pin | None:
    """One active pin (None when unknown or unpinned): one row read, as a pinned link's views ask every 2 s."""
    p = s.pinned_versions
    return next(iter(_listed(engine, p.c.id == pin_id, p.c.unpinned_at.is_(None))), None)


def load(engine: Engine, pin_id: int) -> tuple[Frames, tuple[tuple[int, int] | None, bool]] | None:
    """The frozen frames of an active pin and its facts (latest quarter, sample data?), or None."""
    p = s.pinned_versions
    with engine.connect() as conn:
        blob = conn.execute(select(p.c.payload).where(p.c.id == pin_id, p.c.unpinned_at.is_(None))).scalar()
    if blob is None:
        return None
    data = pickle.loads(zlib.decompress(blob))  # noqa: S301 - written by pin() above, never by a user
    known = {f.name for f in dataclasses.fields(Frames)}
    frames = Frames(**{k: v for k, v in data["frames"].items() if k in known})
    latest, sample = data["facts"]
    return frames, (tuple(latest) if latest else None, bool(sample))


def pins_frame(engine: Engine, include_unpinned: bool = False) -> pd.DataFrame:
    """The pins as a table (manage.py pin list, the page's list)."""
    rows = pins(engine, include_unpinned)
    return pd.DataFrame([dataclasses.asdict(x) for x in rows],
                        columns=[f.name for f in dataclasses.fields(Pin)])


class PinnedViewData(ViewData):
    """The view data of a pinned version: the frozen frames and facts instead of the database's current rows; every
    item the views derive (statuses, series, assessments, slides) is computed from them as for a live version."""

    def __init__(self, engine: Engine, pin_id: int, frames: Frames, facts: tuple) -> None:
        super().__init__(engine, f"pin:{pin_id}")
        self._frozen, self._facts = frames, facts

    def get(self, name: str, *args: object, **kwargs: object) -> object:
        if name == "frames":
            return self._frozen
        if name == "facts":
            return self._facts
        return super().get(name, *args, **kwargs)
