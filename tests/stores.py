"""Reading a test database straight from the store (what the views should show), shared by the tests."""
from __future__ import annotations

from pathlib import Path

from analytics.dashboard import Frames


def read_store(db_file: Path) -> tuple[Frames, tuple[int, int]]:
    """The store's frames and its latest quarter with data, read from a SQLite file."""
    from store import queries as q
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{db_file}")
    try:
        return q.frames(eng), q.latest_quarter(eng)
    finally:
        eng.dispose()
