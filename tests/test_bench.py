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


def test_page_bench_compiles_each_script_once_like_the_server():
    """AppTest makes a new ScriptCache per run; the page bench shares one, as the server's runtime does, and puts
    AppTest back as it was afterwards."""
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    import bench_pages

    before = app_test.ScriptCache, local_script_runner.ScriptCache
    with bench_pages.server_script_cache():
        assert app_test.ScriptCache() is local_script_runner.ScriptCache()
        at = AppTest.from_string("import streamlit as st\nst.write('x')", default_timeout=30)
        at.run()
        cache = app_test.ScriptCache()
        assert len(cache._cache) == 1  # compiled on the first run
        at.run()
        assert len(cache._cache) == 1 and not at.exception
    assert (app_test.ScriptCache, local_script_runner.ScriptCache) == before
    assert app_test.ScriptCache() is not app_test.ScriptCache()


def test_page_bench_scale_is_the_new_province(monkeypatch):
    """The page bench's data have the new province's shape: the three old provinces (their districts and communes)
    until Quý II/2025, Mỹ Lộc until Quý IV/2024, then the new Ninh Bình and its 129 communes, to the last closed
    quarter (counted here from units.csv directly)."""
    import csv
    from pathlib import Path

    import bench_pages

    monkeypatch.setenv("CCHC_TODAY", "2026-12-02")
    quarters = bench_pages.scale_quarters()
    assert quarters[0] == (2021, 1) and quarters[-1] == (2026, 3) and len(quarters) == 23
    with open(Path(bench_pages.__file__).parent / "data" / "reference" / "units.csv", encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    old = [u for u in units if u["province_code"] in ("35", "36", "37")]
    new = [u for u in units if u["province_code"] == "37-2025"]
    per = dict(bench_pages.scale_units(quarters))
    assert sorted(per[(2024, 4)]) == sorted(u["official_code"] for u in old)
    assert sorted(per[(2025, 2)]) == sorted(u["official_code"] for u in old if u["code"] != "358")
    assert sorted(per[(2025, 3)]) == sorted(u["official_code"] for u in new) and len(per[(2026, 3)]) == 130
    assert {u["province_code"] for u in old} == {"35", "36", "37"}
