"""The benchmark harness runs end to end on a small workbook (speed itself is measured by
`manage.py bench`, never asserted in a test)."""
from __future__ import annotations

import bench


def test_ingest_benchmark_runs_on_a_small_workbook(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    times = bench.bench_ingest(rows=2_000, repeat=1)
    assert set(times) == {"calamine", "openpyxl", "ours"}
    assert all(v > 0 for v in times.values())
    assert (tmp_path / "values_2000.xlsx").exists()
