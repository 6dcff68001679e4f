"""`manage.py bench`: ratios against baselines measured in the same run (absolute times are noisy here).

Ingest: a 100k-row indicator-values workbook, parse + validate + write to SQLite, against a raw
python-calamine read of the same file (goal ≤ 1.5×, acceptable ≤ 2.5×) and against pandas+openpyxl.
Pages: each view's computation at province scale with a warm cache against a reference page of four
plotly charts and a 226-row table (goal ≤ 1.5×), and right after an import (cold cache, goal ≤ 5×).
"""
from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine
from openpyxl import Workbook

import settings
from formats import fmt_int, fmt_number
from loaders.reference import reference
from service.imports import import_file
from store.db import make_engine, upgrade
from store.reference import ensure_reference

BENCH_DIR = settings.DATA_DIR / "bench"


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def values_workbook(rows: int, path: Path) -> Path:
    """A long-layout indicator-values workbook with `rows` rows (communes × quarters × indicators)."""
    if path.exists():
        return path
    ref = reference()
    # the old communes of the history province (Nam Định), valid in the bench's early years
    communes = ref.units[(ref.units["level"] == "commune") & (ref.units["province_code"] == ref.history_province)]
    codes, names = communes["code"].tolist(), communes["name"].tolist()
    indicators = ["TTHC_ONLINE_DOSSIER_RATE", "TTHC_INTERNAL_E_TRANSFER_RATE", "TTHC_ONLINE_PAYMENT_RATE",
                  "TTHC_RESULT_DIGITISATION_RATE", "NO_RESUBMISSION_RATE", "WORK_FILE_ONLINE_RATE",
                  "EID_ONLINE_USER_RATE", "E_DOCUMENT_RATE"]
    rng = np.random.default_rng(2025)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Số liệu")
    ws.append(["SỐ LIỆU CHỈ TIÊU (bộ thử hiệu năng)"])
    ws.append(["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    n = 0
    year, quarter = 2000, 1
    while n < rows:
        for ind in indicators:
            for code, name in zip(codes, names):
                if n >= rows:
                    break
                den = int(rng.integers(50, 900))
                num = int(rng.integers(0, den))
                ws.append([ind, None, code, name, year, quarter, round(100 * num / den, 2), num, den])
                n += 1
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def bench_ingest(rows: int, repeat: int) -> dict[str, float]:
    """Seconds for: calamine raw read, pandas+openpyxl read, our full import into a fresh SQLite."""
    path = values_workbook(rows, BENCH_DIR / f"values_{rows}.xlsx")
    data = path.read_bytes()

    def raw() -> None:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        wb.get_sheet_by_index(0).to_python()

    def openpyxl_read() -> None:
        pd.read_excel(io.BytesIO(data), engine="openpyxl", header=1)

    def ours() -> None:
        with tempfile.TemporaryDirectory() as d:
            eng = make_engine(f"sqlite:///{d}/bench.db")
            upgrade(eng)
            ensure_reference(eng)
            _catalogue(eng)
            t = time.perf_counter()
            res = import_file(eng, data, path.name, refresh=False)  # parse, validate, write: not the views' data
            _ours_times.append(time.perf_counter() - t)
            assert res.status == "imported", [p.message for p in res.errors[:3]]
            eng.dispose()

    _ours_times: list[float] = []
    raw_t = _best(raw, repeat)
    for _ in range(repeat):
        ours()
    ours_t = min(_ours_times)
    opx_t = _best(openpyxl_read, 1)
    return {"calamine": raw_t, "openpyxl": opx_t, "ours": ours_t}


def _catalogue(engine) -> None:  # noqa: ANN001
    """Load the indicator catalogue sample so values can be matched."""
    for p in sorted(settings.SAMPLES_DIR.glob("*danh_muc*.xlsx")):
        import_file(engine, p, p.name, is_sample=True, refresh=False)


def run(rows: int = 100_000, quick: bool = False) -> int:
    """Print the benchmark ratios; returns an exit code."""
    os.environ.setdefault("CCHC_TODAY", "2026-12-02")  # the samples' day (they reach Quý III/2026)
    repeat = 1 if quick else 3

    print(f"Ingest: {fmt_int(rows)} dòng số liệu chỉ tiêu (đọc + kiểm tra + ghi SQLite), lặp {repeat} lần, lấy lần nhanh nhất")
    t = bench_ingest(rows, repeat)
    x = lambda a, b: fmt_number(a / b, 2) + "×"  # noqa: E731
    print(f"  python-calamine (đọc thô):    {fmt_number(t['calamine'], 2)} s = 1,00×")
    print(f"  pandas + openpyxl (chỉ đọc):  {fmt_number(t['openpyxl'], 2)} s = {x(t['openpyxl'], t['calamine'])}")
    print(f"  nhập đầy đủ của chúng ta:     {fmt_number(t['ours'], 2)} s = {x(t['ours'], t['calamine'])}"
          "  (mục tiêu ≤ 1,5×; chấp nhận ≤ 2,5×)")
    print(f"  so với pandas + openpyxl:     {x(t['ours'], t['openpyxl'])}")
    try:
        from bench_pages import run_pages  # lazy: streamlit's test runner, only for the page part
    except ImportError:
        return 0
    return run_pages(quick=quick)
