"""Imports racing each other, and an import killed in the middle, on SQLite and PostgreSQL.

The kill test uses the importer's test-only hook: with CCHC_TEST_IMPORT_HOLD=<file> the importer
touches <file> once every row is written, before the commit, and waits there; the test kills -9
the process at that moment and checks that nothing of the import remains.
"""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

from exports.templates import LAYOUTS
from store import queries, schema as s
from store.importer import import_workbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory):
    from samples.plans import PLAN_2023, write_plan

    return write_plan(PLAN_2023, tmp_path_factory.mktemp("plan") / "ke_hoach_2023.xlsx")


def _filled(engine, agency: str, year: int, quarter: int, status: str) -> bytes:
    from tests.hardening_books import progress

    return progress(engine, agency, status, year, quarter)


def _current_invariant(engine) -> None:
    """At most one current row per key in every superseding table."""
    keys = {s.progress_reports: ("assignment_id", "year", "quarter"),
            s.indicator_values: ("indicator_code", "unit_code", "year", "quarter"),
            s.par_scores: ("year", "subject_kind", "subject_code", "component"),
            s.targets: ("indicator_code", "level", "scope_unit_code", "year")}
    with engine.connect() as conn:
        for table, key in keys.items():
            cols = [table.c[k] for k in key]
            dup = conn.execute(select(*cols, func.count()).where(table.c.is_current.is_(True))
                               .group_by(*cols).having(func.count() > 1)).all()
            assert not dup, (table.name, dup[:3])


def _batches_have_facts(engine) -> None:
    """Every imported batch row has the facts it counted (no batch without its rows)."""
    with engine.connect() as conn:
        for b in conn.execute(select(s.import_batches).where(s.import_batches.c.status == "imported")):
            n = conn.execute(select(func.count()).select_from(s.progress_reports)
                             .where(s.progress_reports.c.batch_id == b.id)).scalar_one()
            m = conn.execute(select(func.count()).select_from(s.indicator_values)
                             .where(s.indicator_values.c.batch_id == b.id)).scalar_one()
            assert n == b.counts.get("progress_reports", 0) and m == b.counts.get("indicator_values", 0), b


def test_ten_imports_at_once_and_a_duplicate_pair(engine, plan_file, monkeypatch):
    # they queue on the import lock: let each wait long enough for the ten before it (the default 10 s
    # refusal is tested in test_store_hardening.py)
    monkeypatch.setenv("CCHC_IMPORT_LOCK_WAIT_S", "300")
    assert import_workbook(engine, plan_file).status == "imported"
    agencies = ["SNV", "STP", "STC", "SKHDT", "SYT", "SXD", "UBND-356", "UBND-366"]
    files: list[tuple[str, bytes]] = [(f"{a}_q3.xlsx", _filled(engine, a, 2023, 3, "Đang thực hiện")) for a in agencies]
    # two different files about the SAME assignments: both import, one after the other
    files.append(("STTTT_q3_a.xlsx", _filled(engine, "STTTT", 2023, 3, "Đang thực hiện")))
    files.append(("STTTT_q3_b.xlsx", _filled(engine, "STTTT", 2023, 3, "Hoàn thành")))
    same = _filled(engine, "VPUBND", 2023, 2, "Đang thực hiện")
    files += [("VPUBND_q2.xlsx", same), ("VPUBND_q2_ban_sao.xlsx", same)]  # the same bytes twice
    expected_rows = {name: len(load_workbook(io.BytesIO(b))["Tiến độ"]["A"]) for name, b in files}
    assert len({b for _, b in files}) == 11
    barrier = threading.Barrier(len(files))
    results: dict[str, object] = {}
    errors: list[BaseException] = []

    def run(name: str, content: bytes) -> None:
        try:
            barrier.wait(timeout=60)
            results[name] = import_workbook(engine, content, name, user=name)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=f) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert all(not t.is_alive() for t in threads)
    status = {n: r.status for n, r in results.items()}
    pair = [status["VPUBND_q2.xlsx"], status["VPUBND_q2_ban_sao.xlsx"]]
    assert sorted(pair) == ["imported", "refused"], status  # exactly one of the duplicate pair
    refused = next(r for n, r in results.items() if r.status == "refused")
    assert "đã được nhập trước đó" in refused.errors[0].message
    assert [n for n, st in status.items() if st != "imported"] == [next(n for n, r in results.items() if r is refused)]
    imported = [r for r in results.values() if r.status == "imported"]
    assert len(imported) == 11 and len({r.batch_id for r in imported}) == 11  # none lost, none doubled
    total = sum(r.counts["progress_reports"] for r in imported)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.progress_reports)).scalar_one() == total
        assert conn.execute(select(func.count()).select_from(s.import_batches)).scalar_one() == 1 + 11
        current = conn.execute(select(func.count()).select_from(s.progress_reports)
                               .where(s.progress_reports.c.is_current.is_(True))).scalar_one()
    stttt = results["STTTT_q3_a.xlsx"].counts["progress_reports"]
    assert current == total - stttt  # the STTTT pair shares its keys: one of the two is current
    for name, r in results.items():
        if r.status == "imported":
            assert r.counts["progress_reports"] == expected_rows[name] - 5  # rows minus title, blank and header
    _current_invariant(engine)
    _batches_have_facts(engine)


# --- an import killed in the middle --------------------------------------------------------------

INDICATORS = [f"KIEM_THU_{i}" for i in range(1, 6)]


def _catalogue() -> bytes:
    lay = LAYOUTS["indicator_catalogue"]
    wb = Workbook()
    ws = wb.active
    ws.title = lay.sheet
    ws.append(["DANH MỤC CHỈ TIÊU KIỂM THỬ"])
    ws.append([])
    ws.append(list(lay.header))
    for i, code in enumerate(INDICATORS, 1):
        ws.append([i, code, f"Tỷ lệ kiểm thử số {i}", "Cải cách thủ tục hành chính", "%", "Cấp xã", None,
                   "Tối thiểu 80%", "100%", "Kiểm thử", None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _big_values(path: Path) -> Path:
    """About 15,000 values: 5 indicators × every unit × 16 quarters."""
    from loaders.reference import reference

    ref = reference()  # Nam Định's units (the old map of 2021–2024; the reference also holds the 2025 map)
    units = ref.units.loc[ref.units["province_code"] == ref.history_province, "code"].astype(str).tolist()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Số liệu")
    ws.append(["SỐ LIỆU KIỂM THỬ"])
    ws.append([])
    ws.append(list(LAYOUTS["indicator_values"].header))
    for code in INDICATORS:
        for y in range(2021, 2025):
            for q in range(1, 5):
                for k, u in enumerate(units):
                    ws.append([code, None, u, None, y, q, None, 10 + (k + q) % 50, 100])
    wb.save(path)
    return path


KILL_SCRIPT = """
import sys
from store.db import make_engine
from store.importer import import_workbook
res = import_workbook(make_engine(sys.argv[1]), sys.argv[2], user="bị ngắt")
print(res.status)
"""


def _counts(engine) -> dict[str, int]:
    c = queries.table_counts(engine)
    with engine.connect() as conn:
        c["audit"] = conn.execute(select(func.count()).select_from(s.audit_log)).scalar_one()
    return c


def test_import_killed_in_the_middle_leaves_the_database_as_before(engine, tmp_path):
    assert import_workbook(engine, _catalogue(), "danh_muc.xlsx").status == "imported"
    big = _big_values(tmp_path / "so_lieu_lon.xlsx")
    before = _counts(engine)
    url = engine.url.render_as_string(hide_password=False)
    flag = tmp_path / "dang_ghi.flag"
    env = dict(os.environ, CCHC_TEST_IMPORT_HOLD=str(flag), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, url, str(big)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(2400):  # up to 120 s for the import to reach the commit point
            if flag.exists():
                break
            try:
                proc.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"the import ended before the hold point: {proc.stderr.read().decode()[-2000:]}")
        assert flag.exists(), "the import never reached the hold point"
        if engine.dialect.name == "sqlite":
            assert Path(engine.url.database + "-journal").exists()  # in the middle of a write transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    engine.dispose()
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # the first connection rolls the hot journal back
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    assert _counts(engine) == before
    _batches_have_facts(engine)
    _current_invariant(engine)
    # and the same file imports normally afterwards (not refused as a duplicate of a ghost batch)
    again = import_workbook(engine, big, "so_lieu_lon.xlsx")
    assert again.status == "imported", [p.message for p in again.errors][:3]
    assert again.counts["indicator_values"] == _counts(engine)["indicator_values"]
