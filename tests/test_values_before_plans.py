"""A province that reports indicator values before any plan is imported: the view data is still prepared (the
task status of a quarter with no assignment has the usual columns and no rows), and the overview's numbers are 0."""
from __future__ import annotations

from pathlib import Path

import pytest

from store.importer import import_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


@pytest.fixture
def values_only(tmp_path, monkeypatch):
    from store.db import make_engine, upgrade
    from store.reference import ensure_reference

    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CCHC_TODAY", "2026-12-02")
    eng = make_engine(f"sqlite:///{tmp_path / 'v.db'}")
    upgrade(eng)
    ensure_reference(eng)
    for name in ("03_danh_muc_chi_tieu.xlsx", "05_so_lieu_chi_tieu.xlsx"):
        assert import_workbook(eng, SAMPLES / name, name).status == "imported", name
    yield eng
    eng.dispose()


def test_view_data_is_prepared_without_any_plan(values_only):
    from store.snapshot import prepare

    views = prepare(values_only)
    year, quarter = 2025, 2
    status = views.status(year, quarter)
    assert len(status) == 0 and {"role", "status", "agency_code", "area_code"} <= set(status.columns)
    assert views.area_rollup(year, quarter).empty
    assert views.task_kpis(year, quarter)["total"] == 0
