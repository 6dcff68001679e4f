"""Page benchmark at province scale (part of `manage.py bench`).

Province scale (the new Ninh Bình): every unit of its lineage, quarter by quarter from 2021 to the last closed
quarter — the three old provinces with their districts and communes until Quý II/2025, then the new province and
its 129 communes — about 250k indicator values, and the sample plans' assignments. Each page is run with Streamlit's AppTest (the same script
runner the server uses, without a browser) and timed against a reference page of four plotly
charts and a 226-row table, measured in the same run:
- warm: the page rerun with its caches filled, in alternation with the reference, best of each
  (goal ≤ 1.5× the reference);
- cold: the first run of an open session right after an import changed the data version, the import
  made as the app and manage.py make it (service.import_file / service.rollback: commit, then prepare the view
  data, store.snapshot) (goal ≤ 5×, issue 13).
Scripts are compiled once, as the server does (server_script_cache), and a fresh AppTest's start-up
(~0,2 s of harness, not page) is kept out of the timings.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np
from openpyxl import Workbook

import settings
from formats import fmt_int, fmt_number
from loaders.reference import reference
from samples.present import last_closed_quarter
from service.bootstrap import bootstrap
from service.imports import import_file, rollback
from store.db import make_engine
from store import readmodels
from store.queries import batches, table_counts

REFERENCE_PAGE = '''
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

rng = np.random.default_rng(1)
df = pd.DataFrame({"Đơn vị": [f"Xã {i}" for i in range(226)], "Giá trị": rng.uniform(0, 100, 226),
                   "Tử số": rng.integers(0, 500, 226), "Mẫu số": rng.integers(500, 900, 226)})
st.title("Trang tham chiếu")
c1, c2 = st.columns(2)
c1.plotly_chart(go.Figure(go.Bar(x=df["Đơn vị"][:20], y=df["Giá trị"][:20])), key="a")
c2.plotly_chart(go.Figure(go.Scatter(x=df["Tử số"], y=df["Mẫu số"], mode="markers")), key="b")
c1.plotly_chart(go.Figure(go.Scatter(x=list(range(20)), y=df["Giá trị"][:20], mode="lines")), key="c")
c2.plotly_chart(go.Figure(go.Bar(y=df["Đơn vị"][:30], x=df["Tử số"][:30], orientation="h")), key="d")
st.dataframe(df, hide_index=True)
'''


def scale_quarters() -> list[tuple[int, int]]:
    """Quý I/2021 … the last closed quarter at today's date (the samples' present)."""
    last = last_closed_quarter()
    return [(y, q) for y in range(2021, last[0] + 1) for q in range(1, 5) if (y, q) <= last]


def scale_units(quarters: list[tuple[int, int]]) -> list[tuple[tuple[int, int], list[str]]]:
    """The units typed per quarter at the new province's scale: the three old provinces with their districts and
    communes while they existed (to Quý II/2025; Mỹ Lộc to Quý IV/2024), then the new Ninh Bình and its 129
    communes; codes as officials type them (official codes, resolved on the quarter's map)."""
    ref = reference()
    lineage = set(ref.lineage_provinces())
    u = ref.units[ref.units["province_code"].isin(lineage)]
    out = []
    for y, q in quarters:
        end = date(y, 3 * q, 28)
        start = date(y, 3 * q - 2, 1)
        valid = u[(u["valid_from"].isna() | (u["valid_from"] <= start)) & (u["valid_to"].isna() | (u["valid_to"] >= end))]
        out.append(((y, q), [str(c) for c in valid["official_code"]]))
    return out


def scale_values_workbook(path: Path, target_rows: int = 250_000) -> Path:
    """Quarterly values Quý I/2021 – the last closed quarter for every unit of the new province's lineage (three
    provinces' history, then 129 communes) and as many extra indicators as give about `target_rows` rows."""
    if path.exists():
        return path
    per_quarter = scale_units(scale_quarters())
    per_indicator = sum(len(codes) for _, codes in per_quarter)
    indicators = max(1, round(target_rows / per_indicator))
    rng = np.random.default_rng(11)
    wb = Workbook(write_only=True)
    cat = wb.create_sheet("Danh mục")
    cat.append(["DANH MỤC CHỈ TIÊU BỔ SUNG (bộ thử quy mô tỉnh)"])
    cat.append(["STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Lĩnh vực", "Đơn vị tính", "Cấp áp dụng", "Địa bàn", "Chỉ tiêu 2025", "Chỉ tiêu 2030"])
    for i in range(indicators):
        cat.append([i + 1, f"SCALE_{i:03d}", f"Chỉ tiêu thử quy mô số {i + 1}", "Cải cách thủ tục hành chính", "%",
                    ["Cấp tỉnh", "Cấp huyện", "Cấp xã"][i % 3], None, "Tối thiểu 80%", "100%"])
    ws = wb.create_sheet("Số liệu")
    ws.append(["SỐ LIỆU (bộ thử quy mô tỉnh)"])
    ws.append(["Mã chỉ tiêu", "Mã ĐVHC", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    for i in range(indicators):
        for k, ((y, q), codes) in enumerate(per_quarter):
            base = rng.uniform(20, 70, len(codes))
            for code, b in zip(codes, base):
                den = int(rng.integers(100, 600))
                num = int(min(den, den * (b + 1.5 * k + rng.normal(0, 3)) / 100))
                ws.append([f"SCALE_{i:03d}", code, y, q, None, max(num, 0), den])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@contextmanager
def server_script_cache() -> Iterator[None]:
    """Compile each script once, as the server does (its Runtime keeps one ScriptCache per process).

    AppTest makes a new ScriptCache on every run, so without this every timed run would include
    compiling app.py and the page: a cost of the test harness that no user ever waits for."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # lazy: streamlit only for page timing
    from streamlit.testing.v1 import app_test, local_script_runner  # lazy: as above

    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


def _seed_login(at) -> None:  # noqa: ANN001
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["name"] = "Quản trị"
    at.session_state["roles"] = ["admin"]


def _time(fn, repeat: int) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _time_against(reference, fn, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    """Best times of the reference and of fn, run in alternation: a slow spell of the machine falls on both."""
    best_ref = best = float("inf")
    for _ in range(repeat):
        best_ref = min(best_ref, _time(reference, 1))
        best = min(best, _time(fn, 1))
    return best_ref, best


def run_pages(quick: bool = False) -> int:
    """Build the province-scale database, time every page against the reference, print ratios."""
    with server_script_cache():
        return _run_pages(quick)


def _run_pages(quick: bool) -> int:
    from streamlit.testing.v1 import AppTest  # lazy: as in server_script_cache

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's bare-mode warnings are noise here

    import app  # lazy: the app's module (its page list) with streamlit, as above

    repeat = 3 if quick else 7  # runs of ~15 ms: the best of several is robust to a noisy machine
    work = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    os.environ["CCHC_DATA_DIR"] = str(work)
    os.environ["CCHC_LOAD_SAMPLES"] = "0"
    os.environ.setdefault("CCHC_ADMIN_PASSWORD", "bench-admin-password")
    try:
        eng = make_engine(f"sqlite:///{work / 'cchc.db'}")
        bootstrap(eng, load_samples=True)
        scale = scale_values_workbook(settings.DATA_DIR / "bench" / f"scale_values_2025map_{scale_quarters()[-1][0]}q{scale_quarters()[-1][1]}.xlsx")
        res = import_file(eng, scale, scale.name, refresh=False)  # the pages compute it first
        assert res.status == "imported", [p.message for p in res.errors[:3]]
        # the read models brought up to date as the import's refresh would (a deployment always has them current;
        # left behind, the first measured import would pay for the whole rebuild)
        readmodels.rebuild_all(eng)
        counts = table_counts(eng)
        eng.dispose()
        print(f"\nTrang: quy mô tỉnh — {fmt_int(counts['indicator_values'])} số liệu chỉ tiêu, {fmt_int(counts['assignments'])} phân công")
        ref_at = AppTest.from_string(REFERENCE_PAGE, default_timeout=120)
        ref_at.run()
        reference = _time(ref_at.run, repeat)
        print(f"  trang tham chiếu (4 biểu đồ + bảng 226 dòng): {fmt_number(reference, 3)} s = 1,00×")
        worst_warm = 0.0
        cold_results = []
        for file, title_key, _icon, url, _roles, _section in app.PAGES:
            if not Path(file).exists():
                continue
            at = AppTest.from_file("app.py", default_timeout=300)
            _seed_login(at)
            at.run()
            at.switch_page(file)
            at.run()  # fills the caches
            if at.exception:
                print(f"  {url:<16} LỖI: {at.exception[0].value}")
                continue
            ref_now, warm = _time_against(ref_at.run, at.run, repeat)
            worst_warm = max(worst_warm, warm / ref_now)
            print(f"  {url:<16} ấm: {fmt_number(warm / ref_now, 2):>6}×  ({fmt_number(warm, 3)} s;"
                  f" tham chiếu đo xen kẽ {fmt_number(ref_now, 3)} s)")
            cold_results.append((file, url))
        # cold: an import (or a rollback) changes the data version, made as the upload page and manage.py make it:
        # commit, then prepare the new version's view data (store.snapshot); the next run finds no cache in memory
        small = settings.SAMPLES_DIR / "06_so_lieu_nam_dang_ngang.xlsx"
        eng = make_engine(f"sqlite:///{work / 'cchc.db'}")
        from components import data  # lazy: streamlit, as above

        prepared = []
        worst_cold = 0.0

        for file, url in cold_results:
            at = AppTest.from_file("app.py", default_timeout=300)  # a session open on the page before the import
            _seed_login(at)
            at.switch_page(file)
            at.run()
            b = batches(eng)
            hit = b[(b["file_name"] == small.name) & (b["status"] == "imported")]
            if not hit.empty:
                done = rollback(eng, int(hit.iloc[0]["id"]), "bench")
            else:
                done = import_file(eng, small, small.name, user="bench")
            prepared.append(done.prepare_seconds)  # the service prepared the new version's view data
            data.refresh()  # as the upload page does: this process sees the new version at once
            t = time.perf_counter()
            at.run()
            cold = time.perf_counter() - t
            worst_cold = max(worst_cold, cold / reference)
            flag = f"  LỖI: {at.exception[0].value}" if at.exception else ""
            print(f"  {url:<16} lạnh (ngay sau khi nhập): {fmt_number(cold / reference, 1):>6}×  ({fmt_number(cold, 2)} s){flag}")
        eng.dispose()
        print(f"  chậm nhất khi ấm: {fmt_number(worst_warm, 2)}× (mục tiêu ≤ 1,5×)")
        print(f"  chậm nhất khi lạnh: {fmt_number(worst_cold, 1)}× (mục tiêu ≤ 5×)")
        if prepared:
            print(f"  chuẩn bị dữ liệu xem sau mỗi lần nhập (người tải lên chờ): {fmt_number(min(prepared), 2)}–"
                  f"{fmt_number(max(prepared), 2)} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0
