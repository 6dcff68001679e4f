"""The view data prepared per data version (store.snapshot): what an import prepares is what the views would
compute, it is read back instead of recomputed, a damaged file is recomputed, and old versions are pruned."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analytics import targets as tg
from analytics import task_views as tv
from store import queries as q
from store import snapshot
from store.db import make_engine


@pytest.fixture
def eng(sample_db, tmp_path, monkeypatch):
    shutil.copy(sample_db, tmp_path / "cchc.db")
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    engine = make_engine(f"sqlite:///{tmp_path / 'cchc.db'}")
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("year", "quarter", "expected"), [
    (2025, 2, [(2024, 3), (2024, 4), (2025, 1), (2025, 2)]),
    (2025, 1, [(2024, 2), (2024, 3), (2024, 4), (2025, 1)]),
    (2021, 3, [(2021, 1), (2021, 2), (2021, 3)]),
    (2021, 1, [(2021, 1)]),
])
def test_table_quarters(year, quarter, expected):
    assert snapshot.table_quarters(year, quarter) == expected


def test_prepare_writes_what_the_views_compute(eng, tmp_path):
    view = snapshot.prepare(eng)
    version = q.data_version(eng)
    assert view.version == version and not view.persist
    year, quarter = q.latest_quarter(eng)
    folder = snapshot._dir(version)
    names = sorted(p.stem for p in folder.glob("*.pickle"))
    prev = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    for name in ("frames", "task_base", "facts", f"status-{year}-{quarter}", f"status-{prev[0]}-{prev[1]}",
                 "value-series", f"assessed-{year}-{quarter}", f"target-overview-{year}-{quarter}",
                 f"task-table-{year}-{quarter}", f"task-kpis-{year}-{quarter}", f"task-kpis-{prev[0]}-{prev[1]}",
                 f"area-rollup-{year}-{quarter}", "par", "province-history"):
        assert name in names, names
    # a fresh object (another process) reads them back: equal to computing from the store
    fresh = snapshot.ViewData(eng, version)
    f = q.frames(eng)
    pd.testing.assert_frame_equal(fresh.status(year, quarter), tv.task_status(f, year, quarter))
    pd.testing.assert_frame_equal(fresh.assessed(year, quarter), tg.assess_targets(f, year, quarter))
    assert fresh.facts() == ((year, quarter), True)
    assert fresh.task_kpis(year, quarter) == tv.task_kpis(tv.task_status(f, year, quarter))
    ranked = [n for n in names if n.startswith("rank-table-")]
    assert len(ranked) == 1 and ranked[0].endswith("-department-")
    # the meeting opens on the province deck's first slide, prepared too
    assert f"outline-{year}-{quarter}-province-" in names
    keys = fresh.meeting_outline(year, quarter, "province", None)
    assert f"slide-{year}-{quarter}-province--{keys[0]}-" in names


def test_a_damaged_file_is_recomputed(eng):
    view = snapshot.prepare(eng)
    year, quarter = view.facts()[0]
    path = snapshot._dir(view.version) / f"status-{year}-{quarter}.pickle"
    path.write_bytes(b"not a pickle")
    assert snapshot.load(view.version, f"status-{year}-{quarter}") is None
    again = snapshot.ViewData(eng, view.version).status(year, quarter)
    pd.testing.assert_frame_equal(again, tv.task_status(q.frames(eng), year, quarter))


def test_a_new_version_gets_its_own_folder_and_old_ones_are_pruned(eng):
    from store.importer import rollback_batch

    first = snapshot.prepare(eng).version
    b = q.batches(eng)
    ids = [int(i) for i in b.loc[b["status"] == "imported", "id"]]
    versions = [first]
    for batch_id in ids[:snapshot.KEEP + 1]:
        assert rollback_batch(eng, batch_id, "test") == []
        versions.append(snapshot.prepare(eng).version)
    assert len(set(versions)) == len(versions)
    kept = sorted(p.name for p in snapshot._root().iterdir() if p.is_dir())
    assert len(kept) == snapshot.KEEP
    assert snapshot._dir(versions[-1]).name in kept and snapshot._dir(first).name not in kept


def test_memory_keeps_pinned_items_and_the_last_quarters(eng):
    view = snapshot.ViewData(eng, q.data_version(eng))
    view.LRU = 2
    view.frames()
    for year, quarter in ((2024, 2), (2024, 3), (2024, 4)):
        view.status(year, quarter)
    assert set(view._items) == {"frames", "task_base", "status-2024-3", "status-2024-4"}


def test_the_data_version_changes_on_every_rollback_even_within_one_second(eng):
    """Two rollbacks in the same second must still give two versions, or the views would keep the first one's data."""
    from datetime import datetime

    from sqlalchemy import update

    from store import schema as s

    ids = [int(i) for i in q.batches(eng)["id"]][:2]
    same_second = datetime(2025, 7, 15, 9, 0, 0)
    versions = [q.data_version(eng)]
    for batch_id in ids:
        with eng.begin() as conn:
            conn.execute(update(s.import_batches).where(s.import_batches.c.id == batch_id)
                         .values(rolled_back_at=same_second))
        versions.append(q.data_version(eng))
    assert len(set(versions)) == 3, versions


def test_a_snapshot_written_by_other_code_is_not_read(eng, monkeypatch):
    """After an upgrade the data version can be the same, but the analytics may differ: the folder names the code."""
    version = q.data_version(eng)
    monkeypatch.setattr(snapshot, "_code_stamp", lambda: "an older release")
    snapshot.save(version, "facts", ((2020, 1), False))
    assert snapshot.load(version, "facts") == ((2020, 1), False)
    monkeypatch.undo()
    assert snapshot.load(version, "facts") is None
