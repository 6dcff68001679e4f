"""The store on SQLite and PostgreSQL: migrations, all-or-nothing imports, history, rollback."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from samples.plans import PLAN_2023, PLAN_CITY, write_plan
from store import queries
from store import schema as s
from store.db import current_revision, downgrade, head_revision, make_engine, upgrade
from store.importer import import_workbook, rollback_batch
from store.reference import ensure_reference
from tests.stores import dump as _dump
from tests.stores import without_record_of


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("plans")
    return write_plan(PLAN_2023, d / "plan2023.xlsx"), write_plan(PLAN_CITY, d / "plan356.xlsx")




def test_upgrade_creates_every_table_and_is_idempotent(engine):
    names = set(inspect(engine).get_table_names())
    assert {t.name for t in s.metadata.sorted_tables} <= names
    assert current_revision(engine) == head_revision()
    upgrade(engine)  # second run: no error, same revision
    assert current_revision(engine) == head_revision()


def test_reference_loaded(engine):
    # the old Hà Nam (35), Nam Định (36) and Ninh Bình (37): 3 + 23 districts (Mỹ Lộc kept) + 398 communes;
    # the new Ninh Bình (37-2025) and its 129 communes
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.units)).scalar_one() == 3 + 23 + 398 + 1 + 129
        assert conn.execute(select(s.units.c.valid_to).where(s.units.c.code == "358")).scalar_one().isoformat() == "2024-12-31"
        assert conn.execute(select(s.units.c.official_code).where(s.units.c.code == "37-2025")).scalar_one() == "37"
        assert conn.execute(select(func.count()).select_from(s.unit_successors)).scalar_one() == 408
        assert conn.execute(select(s.agency_successors.c.successor_code).where(
            s.agency_successors.c.code == "SKHDT")).scalar_one() == "STC"


def test_upgrade_keeps_data_across_a_migration(tmp_path, plan_files):
    """Data imported at revision 0002 (the last before the versioned catalogue; an import writes its audit line,
    so the audit table of 0002 must be there) survives the upgrade to head, and the downgrade to 0001."""
    eng = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(eng, "0002")
    ensure_reference(eng)
    from store.importer import import_workbook as imp

    res = imp(eng, plan_files[1])
    assert res.status == "imported", res.problems
    before = queries.table_counts(eng)
    upgrade(eng)
    assert current_revision(eng) == head_revision()
    assert queries.table_counts(eng) == before
    downgrade(eng, "0001")
    assert "users" not in inspect(eng).get_table_names()
    assert queries.table_counts(eng)["outputs"] == before["outputs"]


def test_plan_import_expands_groups_into_assignments(engine, plan_files):
    res = import_workbook(engine, plan_files[0], user="tester")
    assert res.status == "imported", [p.message for p in res.errors]
    assert res.counts["outputs"] == 59 and res.counts["tasks"] == 24
    a = queries.assignments(engine)
    o = queries.outputs(engine)
    first = o[o["ref"] == "36-2023-158/I.1.1"].iloc[0]
    leads = a[(a["output_id"] == first["output_id"]) & (a["role"] == "lead")]
    assert len(leads) == 19  # "Các Sở, ban, ngành" → every department
    assert set(leads["via_group"]) == {"departments"}
    partners = a[(a["output_id"] == first["output_id"]) & (a["role"] == "partner")]
    assert list(partners["agency_code"]) == ["STP"]
    # "Sở, ban, ngành, UBND cấp huyện, cấp xã": 19 + 10 districts (Mỹ Lộc still existed in 2023) + 175 communes
    row = o[o["ref"] == "36-2023-158/II.3.3"].iloc[0]
    assert len(a[(a["output_id"] == row["output_id"]) & (a["role"] == "lead")]) == 19 + 10 + 175
    b = queries.batches(engine).iloc[0]
    assert (b["file_name"], b["uploaded_by"], b["status"]) == ("plan2023.xlsx", "tester", "imported")
    assert len(b["sha256"]) == 64 and b["counts"]["outputs"] == 59


def test_same_file_twice_is_refused(engine, plan_files):
    assert import_workbook(engine, plan_files[1]).status == "imported"
    again = import_workbook(engine, plan_files[1])
    assert again.status == "refused"
    assert "đã được nhập" in again.errors[0].message
    assert queries.table_counts(engine)["import_batches"] == 1


def test_failed_import_leaves_sqlite_file_byte_identical(sqlite_engine, plan_files, tmp_path):
    assert import_workbook(sqlite_engine, plan_files[0]).status == "imported"
    path = Path(sqlite_engine.url.database)
    sqlite_engine.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for data, name in ((b"garbage", "x.xlsx"), (plan_files[0].read_bytes(), "dup.xlsx"), (b"PK\x03\x04broken", "zip.xlsx")):
        res = import_workbook(sqlite_engine, data, name)
        assert res.status == "refused"
    sqlite_engine.dispose()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_rollback_restores_the_exact_earlier_state(engine, plan_files):
    assert import_workbook(engine, plan_files[1]).status == "imported"
    before = _dump(engine)
    res = import_workbook(engine, plan_files[0])
    assert res.status == "imported"
    assert rollback_batch(engine, res.batch_id, "admin") == []
    # what records the batch itself (its batch row, the audit lines of its import and rollback) is not compared
    assert without_record_of(_dump(engine), res.batch_id) == without_record_of(before, res.batch_id)
    assert rollback_batch(engine, res.batch_id, "admin")  # twice: refused with a message


def test_blank_text_cells_are_stored_as_null(engine, plan_files):
    """pandas 3 keeps missing strings as NaN: blank evidence/note must be NULL, not the text 'NaN'."""
    import io

    from openpyxl import Workbook

    assert import_workbook(engine, plan_files[0]).status == "imported"
    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO TIẾN ĐỘ"])
    ws.append(["Mã sản phẩm", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái", "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh", "Ghi chú"])
    ws.append(["36-2023-158/I.2.2", None, "Sở Tư pháp", "Quý I/2023", "Đang thực hiện", 40, None, None])
    ws.append(["36-2023-158/I.3.1", None, "Sở Tư pháp", "Quý I/2023", "Hoàn thành", 100, "KH 12/KH-STP", "đúng hạn"])
    buf = io.BytesIO()
    wb.save(buf)
    res = import_workbook(engine, buf.getvalue(), "p.xlsx")
    assert res.status == "imported", [p.message for p in res.errors]
    with engine.connect() as conn:
        rows = conn.execute(select(s.progress_reports.c.evidence, s.progress_reports.c.note).order_by(s.progress_reports.c.id)).all()
    assert [tuple(r) for r in rows] == [(None, None), ("KH 12/KH-STP", "đúng hạn")]
