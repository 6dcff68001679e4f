"""The write of a values sheet (store/importer.py): on SQLite three set statements through a staging table, elsewhere
the generic insert and supersede. Both must leave the same rows and flags, which a rollback undoes exactly."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from store import schema as s
from tests.stores import dump, without_record_of

ROOT = Path(__file__).resolve().parent.parent
RATE = "TTHC_ONLINE_DOSSIER_RATE"
PAY = "TTHC_ONLINE_PAYMENT_RATE"
# Old communes of Nam Định (official codes, valid in 2023)
A, B = "13669", "13678"  # Phường Cửa Bắc, Phường Năng Tĩnh


def _book(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["SỐ LIỆU CHỈ TIÊU"])
    ws.append(["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def loaded(engine, monkeypatch):
    from store.importer import import_workbook

    monkeypatch.setenv("CCHC_TODAY", "2026-12-02")
    res = import_workbook(engine, ROOT / "data" / "samples" / "03_danh_muc_chi_tieu.xlsx")
    assert res.status == "imported", res.problems
    return engine


def _rows(engine) -> list[tuple]:  # noqa: ANN001
    v = s.indicator_values.c
    with engine.connect() as conn:
        got = conn.execute(select(v.batch_id, v.indicator_code, v.unit_code, v.year, v.quarter, v.value, v.numerator,
                                  v.denominator, v.is_current)).all()
    return _sorted([tuple(r) for r in got])


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3], r[4] or 0))


# (indicator, unit, year, quarter, value, numerator, denominator) as typed in the two uploads
FIRST = [[RATE, None, A, None, 2023, 1, None, 40, 80], [RATE, None, A, None, 2023, 2, 55.5, None, None],
         [RATE, None, B, None, 2023, 1, None, 30, 60], [PAY, None, A, None, 2023, None, 12.5, None, None]]
SECOND = [[RATE, None, A, None, 2023, 1, None, 45, 90],  # corrects Q1 of A
          [PAY, None, A, None, 2023, None, 20, None, None],  # corrects the yearly value (no quarter)
          [PAY, None, A, None, 2023, 4, 21, None, None]]  # a new key: Q4 is not the yearly value


def test_a_second_upload_supersedes_only_its_keys_and_a_rollback_restores_them(loaded, tmp_path):
    from store.importer import import_workbook, rollback_batch

    one = import_workbook(loaded, _book(tmp_path / "one.xlsx", FIRST))
    assert one.status == "imported", [p.message for p in one.problems]
    assert one.counts["indicator_values"] == 4
    before = dump(loaded)
    two = import_workbook(loaded, _book(tmp_path / "two.xlsx", SECOND))
    assert two.status == "imported", [p.message for p in two.problems]
    b1, b2 = one.batch_id, two.batch_id
    # written by hand: value = 100·num/den where only the parts are typed; NULL stays NULL
    assert _rows(loaded) == _sorted([
        (b1, PAY, A, 2023, None, 12.5, None, None, False),
        (b1, RATE, A, 2023, 1, 50.0, 40.0, 80.0, False),
        (b1, RATE, A, 2023, 2, 55.5, None, None, True),
        (b1, RATE, B, 2023, 1, 50.0, 30.0, 60.0, True),
        (b2, PAY, A, 2023, None, 20.0, None, None, True),
        (b2, PAY, A, 2023, 4, 21.0, None, None, True),
        (b2, RATE, A, 2023, 1, 50.0, 45.0, 90.0, True),
    ])
    assert all(type(r[3]) is int and (r[4] is None or type(r[4]) is int) for r in _rows(loaded))
    assert rollback_batch(loaded, b2, "admin") == []
    assert without_record_of(dump(loaded), b2) == without_record_of(before, b2)


def test_a_refused_upload_writes_nothing_and_leaves_no_staging_table(loaded, tmp_path):
    from sqlalchemy import inspect

    from store.importer import import_workbook

    one = import_workbook(loaded, _book(tmp_path / "one.xlsx", FIRST))
    assert one.status == "imported"
    before = dump(loaded)
    bad = import_workbook(loaded, _book(tmp_path / "bad.xlsx", [*SECOND, ["KHONG_CO", None, A, None, 2023, 1, 5, None, None]]))
    assert bad.status == "refused"
    assert dump(loaded) == before
    with loaded.connect() as conn:
        assert "_incoming_values" not in inspect(conn).get_table_names(schema="temp" if conn.dialect.name == "sqlite" else None)


def test_sqlite_writes_a_batch_in_key_order_and_gives_its_page_cache_back(loaded, tmp_path):
    from sqlalchemy import text

    from store.importer import import_workbook

    if loaded.dialect.name != "sqlite":
        pytest.skip("the staging write is SQLite's")
    shuffled = [SECOND[2], FIRST[2], SECOND[1], FIRST[1], FIRST[0]]  # PAY Q4, RATE B Q1, PAY year, RATE A Q2, RATE A Q1
    one = import_workbook(loaded, _book(tmp_path / "one.xlsx", shuffled))
    assert one.status == "imported", [p.message for p in one.problems]
    v = s.indicator_values.c
    with loaded.connect() as conn:
        got = conn.execute(select(v.indicator_code, v.unit_code, v.year, v.quarter).where(v.batch_id == one.batch_id)
                           .order_by(v.id)).all()
        cache = conn.execute(text("PRAGMA main.cache_size")).scalar()
    # by hand: ix_values_key order, the yearly value (no quarter) as quarter 0
    assert [tuple(r) for r in got] == [(RATE, A, 2023, 1), (RATE, A, 2023, 2), (RATE, B, 2023, 1), (PAY, A, 2023, None),
                                       (PAY, A, 2023, 4)]  # TTHC_ONLINE_DOSSIER_RATE < TTHC_ONLINE_PAYMENT_RATE
    assert cache == -2000  # SQLite's default, as store/db.py leaves it


@pytest.mark.parametrize(("indicator", "unit", "year", "quarter", "expected"), [
    (["B", "A", "A"], ["1", "2", "1"], [2023, 2023, 2023], [1, 1, 1], [2, 1, 0]),
    (["A", "A", "A"], ["1", "1", "1"], [2024, 2023, 2023], [1, 2, float("nan")], [2, 1, 0]),  # no quarter = 0
    (["a", "B", "Đ", "Z"], ["1"] * 4, [2023] * 4, [1] * 4, [1, 3, 0, 2]),  # code points: "B" < "Z" < "a" < "Đ"
    (["X", "X"], ["10", "9"], [2023, 2023], [1, 1], [0, 1]),  # text, not numbers: "10" < "9"
])
def test_key_order_is_sqlite_binary_order(indicator, unit, year, quarter, expected):
    import numpy as np

    from store.importer import _key_order

    got = _key_order(np.array(indicator, dtype=object), np.array(unit, dtype=object), np.array(year, dtype=float),
                     np.array(quarter, dtype=float))
    assert got.tolist() == expected
