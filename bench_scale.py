"""`manage.py bench --scales [1,4,34]`: one table per scale of time and memory against data size.

Each scale is a number of provinces of the national dataset (samples.national: the province served first, then
the others by code; 34 = national), every indicator of the catalogue quarterly from Quý I/2021 to the last closed
quarter. Each is measured in a child process of its own (so its memory is its own), on a fresh PostgreSQL schema
when TEST_DATABASE_URL or DATABASE_URL answers, else a fresh SQLite file:
- load: the bulk load (store.bulk: COPY on PostgreSQL), units and values, one audited batch; then the read models
  built once (store.readmodels.rebuild, one cluster of units at a time);
- first view by slice: a fresh engine reads every table but the values, and one unit's rows of the series read
  model;
- first view: what a process that has not prepared anything computes before it can draw one unit's page: the
  tables (store.snapshot.ViewData.frames: without the values when the read model is current), the value series of
  the served province (ViewData.series: its cluster's rows of the read model) and the unit's rows of it; no
  Streamlit;
- upload + preparation: one province's quarterly upload (the served province's rates for the last quarter,
  corrected, as a values workbook through store.importer.import_workbook, the normal path), the read models
  refreshed for that batch (store.readmodels.refresh), then store.snapshot.prepare, which the app and manage.py run
  after every import (goal ≤ 10 s at national scale for both);
- RSS of the process after each step, and its peak (VmHWM).
Ratios are against the 1× scale measured in the same run; the national goals (first view ≤ 1 s, preparation
≤ 10 s, RSS ≤ 600 MB) are printed next to the measured figures. The table shows how each cost grows with the data:
the load and the read models' build grow with it, the views and the per-batch refresh should not.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent
GOALS = {"first_view_s": 1.0, "prepare_s": 10.0, "rss_mb": 600.0}
CHILD_TIMEOUT_S = float(os.environ.get("CCHC_BENCH_SCALE_TIMEOUT_S", "1500"))  # a scale that takes longer is reported so
TODAY = "2026-12-02"  # the samples' day (Quý III/2026 is the last closed quarter), unless CCHC_TODAY says otherwise


def _num(x: float, decimals: int = 1) -> str:
    """1.234,5 (Vietnamese separators)."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _int(x: float) -> str:
    return _num(x, 0)


def pg_url() -> str | None:
    """TEST_DATABASE_URL or DATABASE_URL when it names PostgreSQL and answers, else None."""
    from sqlalchemy import create_engine, text  # lazy: `manage.py bench` without --scales never needs it

    for env in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(env, "")
        if not url.startswith(("postgresql", "postgres://")):
            continue
        url = url.replace("postgres://", "postgresql://", 1)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        try:
            eng = create_engine(url, connect_args={"connect_timeout": 3})
            with eng.connect() as conn:
                conn.execute(text("select 1"))
            eng.dispose()
            return url
        except Exception:  # noqa: BLE001 - any failure means "not answering": fall back to SQLite
            continue
    return None


def _memory() -> dict[str, float]:
    """RSS and peak RSS of this process, in MB (Linux /proc)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(rest.split()[0]) / 1024.0
    return out


def _rss() -> float:
    return _memory().get("VmRSS", 0.0)


def upload_workbook(path: Path, block: list, year: int, quarter: int) -> int:
    """A values workbook of one province's rates for one quarter, each numerator corrected by one (so the upload
    supersedes rows): the quarterly upload of Sở Nội vụ; returns its rows."""
    from openpyxl import Workbook  # lazy: only the measuring child writes a workbook

    from samples import national  # lazy: the parent process only starts children and prints

    rates = {i.code for i in national.catalogue() if i.is_rate}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Số liệu")
    ws.append(["SỐ LIỆU CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH (bộ thử quy mô)"])
    ws.append(["Mã chỉ tiêu", "Mã ĐVHC", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    n = 0
    for code, unit, y, q, _value, num, den in block:
        if (y, q) != (year, quarter) or code not in rates or num is None:
            continue
        num = min(den, num + 1)
        ws.append([code, unit.removesuffix(national.KEY_SUFFIX), y, q, round(100.0 * num / den, 2), int(num), int(den)])
        n += 1
    wb.save(path)
    return n


def measure(provinces: int, url: str | None, work: Path) -> dict:
    """Build one scale and measure it (run in a child process)."""
    os.environ["CCHC_DATA_DIR"] = str(work)
    os.environ["CCHC_LOAD_SAMPLES"] = "0"
    os.environ.setdefault("CCHC_TODAY", TODAY)
    os.environ.setdefault("CCHC_ADMIN_PASSWORD", "bench-admin-password")
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine, text  # lazy: the child imports the store after setting its data folder

    import settings  # lazy: as above
    from samples import national  # lazy: as above
    from store import queries as q  # lazy: as above
    from store import readmodels  # lazy: as above
    from store.db import make_engine, upgrade  # lazy: as above
    from store.importer import import_workbook  # lazy: as above
    from store.reference import ensure_reference  # lazy: as above
    from store.snapshot import ViewData, prepare  # lazy: as above
    from store.users import ensure_admin  # lazy: as above

    out: dict = {"provinces": provinces, "database": "postgresql" if url else "sqlite"}
    schema = None
    if url:
        schema = f"bench_scale_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        db_url = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    else:
        db_url = f"sqlite:///{work / 'cchc.db'}"
    try:
        engine = make_engine(db_url)
        upgrade(engine)
        ensure_reference(engine)
        ensure_admin(engine, echo=lambda _m: None)
        for path in sorted(settings.SAMPLES_DIR.glob("*danh_muc*.xlsx")):  # the catalogue with its targets
            res = import_workbook(engine, path, path.name, user="bench", is_sample=True, via="bench")
            assert res.status == "imported", [p.message for p in res.errors[:3]]
        picked = national.pick(provinces)
        out["units"] = sum(len(p.units()) for p in picked)
        out["rss_start_mb"] = _rss()
        res = national.load(engine, picked, user="bench", via="bench")
        assert res.status == "imported", res.errors
        out["values"] = res.counts["indicator_values"]
        out["load_s"] = res.seconds["total"]
        out["load_write_s"] = res.seconds["write"]
        out["load_constraints_s"] = res.seconds.get("constraints", 0.0)
        out["load_supersede_s"] = res.seconds["supersede"]
        out["rss_load_mb"] = _rss()
        # the read models built once after the load (store.readmodels, one cluster at a time: a province)
        t = time.perf_counter()
        built = readmodels.rebuild(engine)
        readmodels.analyze(engine)
        out["rm_build_s"] = time.perf_counter() - t
        out["rm_rows"] = built.rows
        out["rss_rm_mb"] = _rss()
        unit = picked[0].communes[0].code
        # first view of one unit from the read models: every table but the values, and the unit's slice of the
        # series (what a view that reads by slice costs; a fresh engine, nothing cached)
        fresh = make_engine(db_url)
        t = time.perf_counter()
        version = q.data_version(fresh)
        small = q.frames(fresh, with_values=False)
        sliced = readmodels.series_if_fresh(fresh, version, units=[unit])
        out["slice_view_s"] = time.perf_counter() - t
        out["slice_view_rows"] = -1 if sliced is None else len(sliced)
        out["rss_slice_mb"] = _rss()
        del small, sliced
        fresh.dispose()
        # first view of one unit, in a process that prepared nothing (no snapshot on disk yet), as the pages read
        # today: every value in memory
        t = time.perf_counter()
        view = ViewData(engine, q.data_version(engine))
        frames = view.frames()
        out["frames_s"] = time.perf_counter() - t
        latest, _sample = view.facts()
        series = view.series(*latest)
        rows = series[series["unit_code"] == unit]
        out["first_view_s"] = time.perf_counter() - t
        out["first_view_rows"] = len(rows)
        out["latest"] = f"{latest[0]}-Q{latest[1]}"
        out["rss_view_mb"] = _rss()
        del view, frames, series, rows
        # one province's quarterly upload through the normal importer, then the preparation the app runs after it
        block = next(national.generate(picked[:1]))
        book = work / "upload.xlsx"
        out["upload_rows"] = upload_workbook(book, block, *latest)
        del block
        before = q.data_version(engine)
        t = time.perf_counter()
        res = import_workbook(engine, book, book.name, user="bench", via="bench")
        out["upload_s"] = time.perf_counter() - t
        out["upload_status"] = res.status
        if res.status != "imported":
            out["upload_errors"] = [p.message for p in res.errors[:3]]
        # the read models brought up to date for that batch (service.imports runs this first, then prepare)
        t = time.perf_counter()
        done = readmodels.refresh(engine, before, [res.batch_id])[readmodels.SERIES]
        out["rm_refresh_s"] = time.perf_counter() - t
        out["rm_refresh_mode"] = done.mode
        t = time.perf_counter()
        view = prepare(engine)  # what the importing process then serves from (components.data keeps it)
        out["prepare_s"] = time.perf_counter() - t
        out["rss_prepare_mb"] = _rss()  # with the prepared view data held, as a serving process holds it
        out["rss_serving_mb"] = max(out["rss_view_mb"], out["rss_prepare_mb"])
        del view
        # the same view in a process that finds the prepared data on disk (the latest quarter only is prepared)
        t = time.perf_counter()
        again = ViewData(engine, q.data_version(engine))
        again.frames()
        series = again.series(*latest)
        rows = series[series["unit_code"] == unit]
        out["prepared_view_s"] = time.perf_counter() - t
        del again, series, rows
        out["rss_peak_mb"] = _memory().get("VmHWM", 0.0)
        engine.dispose()
    finally:
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    return out


def _child(provinces: int, url: str | None) -> dict:
    """Run `measure` in a fresh interpreter; its result, or what stopped it."""
    work = Path(tempfile.mkdtemp(prefix="cchc-bench-scale-"))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(provinces), "--url", url or ""]
    t = time.perf_counter()
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, cwd=ROOT,
                             env=os.environ | {"CCHC_BENCH_SCALE_WORK": str(work)})
    except subprocess.TimeoutExpired:
        return {"provinces": provinces, "error": f"không xong sau {_int(CHILD_TIMEOUT_S)} s"}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [ln for ln in run.stdout.splitlines() if ln.startswith("{")]
    if run.returncode != 0 or not lines:
        tail = (run.stderr.strip().splitlines() or ["?"])[-1]
        return {"provinces": provinces, "error": f"lỗi sau {_num(time.perf_counter() - t)} s: {tail}"}
    return json.loads(lines[-1])


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return ""
    return f" ({_num(value / base, 1)}×)"


def print_table(results: list[dict]) -> None:
    """The table per scale, each figure with its ratio to the smallest scale measured in the same run."""
    base = next((r for r in results if "error" not in r), {})
    cols = [("values", "số liệu", _int), ("units", "đơn vị", _int), ("load_s", "nạp (s)", _num),
            ("load_write_s", "  trong đó COPY/ghi (s)", _num), ("load_constraints_s", "  khóa ngoại + chỉ mục (s)", _num),
            ("load_supersede_s", "  thay thế bản cũ (s)", _num),
            ("rm_build_s", "dựng mô hình đọc (s)", _num), ("rm_rows", "  số dòng chuỗi số liệu", _int),
            ("slice_view_s", "xem đầu 1 đơn vị, đọc lát cắt (s)", _num),
            ("frames_s", "đọc bảng (s)", _num), ("first_view_s", "xem đầu 1 đơn vị (s)", _num),
            ("prepared_view_s", "xem đầu, đã chuẩn bị (s)", _num), ("upload_s", "nhập 1 tỉnh 1 quý (s)", _num),
            ("rm_refresh_s", "cập nhật mô hình đọc theo lô (s)", _num),
            ("prepare_s", "chuẩn bị sau nhập (s)", _num),
            ("rss_load_mb", "RSS sau nạp (MB)", _int), ("rss_slice_mb", "RSS sau xem lát cắt (MB)", _int),
            ("rss_view_mb", "RSS sau xem đầu (MB)", _int),
            ("rss_prepare_mb", "RSS giữ dữ liệu đã chuẩn bị (MB)", _int),
            ("rss_peak_mb", "RSS đỉnh (MB)", _int)]
    for r in results:
        label = "toàn quốc" if r["provinces"] == 34 else f"{r['provinces']}× tỉnh"
        head = f"Quy mô {label} ({r['provinces']} tỉnh"
        if "error" in r:
            print(f"{head}): {r['error']}")
            continue
        print(f"{head}, {r['database']}, đến {r['latest']}):")
        for key, name, fmt in cols:
            if key in r:
                print(f"  {name:<32} {fmt(r[key]):>12}{_ratio(r[key], base.get(key)) if r is not base else ''}")
        if "rm_refresh_mode" in r:
            how = {"incremental": "theo lô", "rebuild": "dựng lại", "unchanged": "không đổi"}.get(r["rm_refresh_mode"], "?")
            print(f"  (mô hình đọc sau lần nhập: {how})")
        if r.get("upload_status") != "imported":
            print(f"  (lần nhập thử: {r.get('upload_status')} {r.get('upload_errors', '')})")
    national = next((r for r in results if r["provinces"] == 34 and "error" not in r), None)
    if national is None:
        # no linear extrapolation: with the read models the views' cost no longer grows with the national data
        print("Toàn quốc chưa đo (python manage.py bench --scales 1,4,34 đo cả quy mô toàn quốc).")
        return
    print("Mục tiêu toàn quốc (trên PostgreSQL):" if national["database"] == "postgresql" else
          "Mục tiêu toàn quốc (đo trên SQLite: PostgreSQL không trả lời):")
    for key, goal, name in (("slice_view_s", "first_view_s", "lần xem đầu của một đơn vị, đọc lát cắt từ mô hình đọc"),
                            ("rm_refresh_s", "prepare_s", "cập nhật mô hình đọc sau khi một tỉnh nhập số liệu quý"),
                            ("first_view_s", "first_view_s", "lần xem đầu của một đơn vị (chưa chuẩn bị)"),
                            ("prepared_view_s", "first_view_s", "lần xem đầu, quý mới nhất đã chuẩn bị sẵn trên đĩa"),
                            ("prepare_s", "prepare_s", "chuẩn bị sau khi một tỉnh nhập số liệu quý"),
                            ("rss_serving_mb", "rss_mb", "RSS của một tiến trình phục vụ (các phiên dùng chung dữ liệu)")):
        if key not in national:
            continue
        ok = "đạt" if national[key] <= GOALS[goal] else "CHƯA ĐẠT"
        print(f"  {name}: {_num(national[key])} — mục tiêu ≤ {_num(GOALS[goal])}: {ok}")


def run_scales(spec: str = "1,4,34", quick: bool = False) -> int:
    """Measure each scale (a number of provinces) in a child process and print the table; returns an exit code."""
    try:
        scales = [int(x) for x in spec.split(",") if x.strip()]
    except ValueError:
        print(f"--scales: danh sách số tỉnh không hợp lệ: {spec!r} (ví dụ 1,4,34)", file=sys.stderr)
        return 2
    if quick:
        scales = [s for s in scales if s < 34] or scales[:1]
    url = pg_url()
    print(f"Bảng theo quy mô ({os.cpu_count()} lõi; {'PostgreSQL' if url else 'SQLite'}; mỗi quy mô một tiến trình riêng)",
          flush=True)
    results = []
    for n in scales:
        t = time.perf_counter()
        results.append(_child(n, url))
        print(f"  … {n} tỉnh: {_num(time.perf_counter() - t)} s", flush=True)
    print_table(results)
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python bench_scale.py [--scales 1,4,34]`, or `--child N --url URL` (one scale, one JSON line)."""
    p = argparse.ArgumentParser()
    p.add_argument("--child", type=int)
    p.add_argument("--url", default="")
    p.add_argument("--scales", default="1,4,34")
    args = p.parse_args(argv)
    if args.child:
        work = Path(os.environ.get("CCHC_BENCH_SCALE_WORK") or tempfile.mkdtemp(prefix="cchc-bench-scale-"))
        print(json.dumps(measure(args.child, args.url or None, work)), flush=True)
        return 0
    return run_scales(args.scales)


if __name__ == "__main__":
    sys.exit(main())
