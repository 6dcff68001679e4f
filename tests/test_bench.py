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
