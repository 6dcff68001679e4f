"""Reading a test database straight from the store (what the views should show), shared by the tests."""
from __future__ import annotations

from pathlib import Path

from analytics.frames import Frames
from store.schema import metadata


def read_store(db_file: Path) -> tuple[Frames, tuple[int, int]]:
    """The store's frames and its latest quarter with data, read from a SQLite file."""
    from store import queries as q
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{db_file}")
    try:
        return q.frames(eng), q.latest_quarter(eng)
    finally:
        eng.dispose()


def dump(engine) -> dict[str, list[tuple[str, ...]]]:  # noqa: ANN001
    """Every row of every table, each value as text (JSON sorted), rows sorted: a database's whole state."""
    import json

    from sqlalchemy import inspect, text

    def norm(v: object) -> str:
        if isinstance(v, (dict, list)):
            return json.dumps(v, sort_keys=True, ensure_ascii=False)
        if isinstance(v, str) and v[:1] in "{[":
            try:
                return json.dumps(json.loads(v), sort_keys=True, ensure_ascii=False)
            except ValueError:
                return v
        return str(v)

    out = {}
    with engine.connect() as conn:
        for name in sorted(inspect(engine).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(tuple(norm(v) for v in r) for r in rows)
    return out


# read models (store.readmodels): derived from the facts and refreshed after every change, never restored by a
# rollback as facts are (tests/test_readmodels.py checks that they equal a computation from the facts)
DERIVED = ("read_models", *sorted(t for t in metadata.tables if t.startswith("rm_")))  # store/readmodels.py


def without_record_of(state: dict[str, list[tuple[str, ...]]], batch_id: int) -> dict[str, list[tuple[str, ...]]]:
    """A dump less what records batch `batch_id` itself: its import_batches row (now marked rolled back) and the
    audit lines of its import and of its rollback, and less the read models (DERIVED). Everything else must be as
    before the import."""
    import json

    out = {k: v for k, v in state.items() if k not in DERIVED}
    out["import_batches"] = [r for r in state.get("import_batches", []) if r[0] != str(batch_id)]
    out["audit_log"] = [r for r in state.get("audit_log", [])
                        if not (r[3] in ("import", "rollback") and json.loads(r[4]).get("batch_id") == batch_id)]
    return out
