"""The views' caches are keyed by the data version: an import shows at once (after refresh), and a
rollback too — the cached frames must never outlive the data they were read from."""
from __future__ import annotations

import shutil

import pytest


@pytest.fixture
def app_data(sample_db, _isolated_data_dir, monkeypatch):
    shutil.copy(sample_db, _isolated_data_dir / "cchc.db")
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "0")
    from components import data
    from store import db

    db.shared_engine.cache_clear()
    data.engine.clear()
    data.clear()
    yield data
    db.shared_engine.cache_clear()
    data.engine.clear()


def test_import_and_rollback_show_at_once(app_data):
    from samples.plans import PLAN_CITY
    from store.importer import import_workbook, rollback_batch
    from store.queries import batches

    data = app_data
    before = data.frames()
    n_plans = before.outputs["plan_code"].nunique()
    memo_before = data.memo(("n",), lambda f: len(f.outputs), before)
    # a rollback of the city plan's batch (and its progress) changes what the views read
    b = batches(data.engine())
    progress = b[b["file_name"] == "04_tien_do.xlsx"].iloc[0]
    plan = b[b["file_name"] == "02_ke_hoach_par_thanh_pho_2021_2025.xlsx"].iloc[0]
    assert rollback_batch(data.engine(), int(progress["id"]), "test") == []
    assert rollback_batch(data.engine(), int(plan["id"]), "test") == []
    data.refresh()
    after = data.frames()
    assert after.outputs["plan_code"].nunique() == n_plans - 1
    assert data.memo(("n",), lambda f: len(f.outputs), after) == memo_before - len(
        before.outputs[before.outputs["plan_code"] == "356-2021-2025"])
    # and importing it again brings it back
    import tempfile
    from pathlib import Path

    from samples.plans import write_plan

    path = write_plan(PLAN_CITY, Path(tempfile.mkdtemp()) / "city_again.xlsx")
    assert import_workbook(data.engine(), path, path.name).status == "imported"
    data.refresh()
    assert data.frames().outputs["plan_code"].nunique() == n_plans
