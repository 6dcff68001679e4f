"""Read models in the database (issue 13): the value series kept in `rm_series`, maintained per batch by the import
and rollback commands, on SQLite and PostgreSQL.

After every step of a table of changes the table must equal the series computed from scratch from the current
facts (analytics.series.value_series over store.queries.frames), and the province's roll-up of the quarter the
step touched is checked against Σ numerator / Σ denominator of its communes' current values, summed here in SQL
straight from indicator_values and unit_parents (not through the code under test)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import text

from analytics import series as sr
from analytics.frames import MAP_2025
from service.imports import import_file, rollback
from store import queries as q
from store import readmodels as rm
from store.importer import import_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
RATE = "TTHC_ONLINE_DOSSIER_RATE"
KEY = ["indicator_code", "unit_code", "year", "quarter", "source"]


def _norm(x: pd.DataFrame) -> pd.DataFrame:
    x = x.copy()
    for c in rm.SERIES_COLUMNS:
        if c not in x.columns:
            x[c] = float("nan")
    x = x[list(rm.SERIES_COLUMNS)]
    x["quarter"] = pd.to_numeric(x["quarter"], errors="coerce").astype(float)
    for c in ("value", "numerator", "denominator", "t", "coverage"):
        x[c] = pd.to_numeric(x[c], errors="coerce").astype(float)
    x["year"] = x["year"].astype(int)
    for c in ("indicator_code", "unit_code", "source"):
        x[c] = x[c].astype(str)
    return x.sort_values(KEY, na_position="first").reset_index(drop=True)


def _assert_equal_to_scratch(engine) -> None:  # noqa: ANN001
    scratch = sr.value_series(q.frames(engine), MAP_2025)
    kept = rm.series(engine)
    assert len(kept) == len(scratch) > 0
    pd.testing.assert_frame_equal(_norm(kept), _norm(scratch), check_exact=False, rtol=1e-12, atol=1e-9)
    assert rm.is_fresh(engine, q.data_version(engine))
    with engine.connect() as conn:
        latest = conn.execute(text("select year, quarter from indicator_values where is_current and quarter is not null "
                                   "order by year desc, quarter desc limit 1")).first()
    assert rm.latest_value_quarter(engine, q.data_version(engine)) == (tuple(latest) if latest else None)


def _province_rollup_by_sql(engine, province: str, year: int, quarter: int) -> float:  # noqa: ANN001
    """Σnum/Σden of the province's communes (through their district before the 2025 map), from the tables."""
    day = date(year, 3 * quarter, 28).isoformat()
    sql = text("""
        with par as (select code, parent_code from unit_parents
                     where (valid_from is null or valid_from <= :d) and (valid_to is null or valid_to >= :d)),
             under as (select code from par where parent_code = :p
                       union select c.code from par c join par d on c.parent_code = d.code where d.parent_code = :p)
        select sum(v.numerator), sum(v.denominator) from indicator_values v join units u on u.code = v.unit_code
        where v.is_current and v.indicator_code = :i and v.year = :y and v.quarter = :q and u.level = 'commune'
          and v.numerator is not null and v.denominator is not null and v.unit_code in (select code from under)""")
    with engine.connect() as conn:
        num, den = conn.execute(sql, {"d": day, "p": province, "i": RATE, "y": year, "q": quarter}).one()
    return 100.0 * num / den


def _kept_value(engine, unit: str, year: int, quarter: int) -> float:  # noqa: ANN001
    rows = rm.series(engine, units=[unit], indicators=[RATE])
    rows = rows[(rows["year"] == year) & (rows["quarter"] == quarter)]
    assert len(rows) == 1, rows
    return float(rows["value"].iloc[0])


def _book(path: Path, rows: list[tuple]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["SỐ LIỆU CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH"])
    ws.append(["Mã chỉ tiêu", "Mã ĐVHC", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    for unit, year, quarter, num, den in rows:
        ws.append([RATE, unit, year, quarter, round(100.0 * num / den, 2), num, den])
    wb.save(path)
    return path


@pytest.fixture
def loaded(engine, monkeypatch):  # noqa: ANN001
    """The samples' catalogue and both value workbooks (old map from 2021, today's map from Quý III/2025), the read
    model built once; today is the samples' day (Quý III/2026 is the last closed quarter)."""
    monkeypatch.setenv("CCHC_TODAY", "2026-12-02")
    for name in ("03_danh_muc_chi_tieu.xlsx", "05_so_lieu_chi_tieu.xlsx", "05a_so_lieu_chi_tieu_tu_quy_3_2025.xlsx"):
        res = import_workbook(engine, SAMPLES / name, name, is_sample=True)
        assert res.status == "imported", [p.message for p in res.errors[:3]]
    built = rm.rebuild(engine)
    assert built.mode == "rebuild" and built.rows > 0
    return engine


# (step, the rows of a values workbook or a rollback of the step named, the refresh expected, the province roll-up
# checked: (province key, year, quarter))
STEPS = [
    ("today's map, a late-2026 quarter", [("13285", 2026, 3, 4000, 4500), ("13291", 2026, 3, 900, 1000)],
     "incremental", ("37-2025", 2026, 3)),
    ("a correction on the old map (carried to today's communes)", [("13636", 2024, 4, 1500, 1836)],
     "incremental", ("36", 2024, 4)),
    ("the rollback of the first", "rollback:0", "incremental", ("37-2025", 2026, 3)),
]


def test_the_series_is_kept_per_batch_and_equals_a_computation_from_scratch(loaded, tmp_path):  # noqa: ANN001
    engine = loaded
    _assert_equal_to_scratch(engine)
    batches: list[int] = []
    for n, (step, change, mode, (province, year, quarter)) in enumerate(STEPS):
        before = rm.state(engine)
        if isinstance(change, str):
            done = rollback(engine, batches[int(change.split(":")[1])], "admin")
            assert done.ok, (step, done.errors)
        else:
            res = import_file(engine, _book(tmp_path / f"step{n}.xlsx", change), f"step{n}.xlsx", user="admin")
            assert res.status == "imported", (step, [p.message for p in res.errors[:3]])
            batches.append(res.batch_id)
        assert rm.state(engine) != before and rm.last_mode(engine) == mode, step
        _assert_equal_to_scratch(engine)
        assert _kept_value(engine, province, year, quarter) == pytest.approx(
            _province_rollup_by_sql(engine, province, year, quarter), rel=1e-9), step


@pytest.mark.parametrize("change, mode", [
    ("values of today's map", "incremental"),
    ("values of an old quarter", "incremental"),
    ("state behind", "rebuild"),
    ("another import in between", "rebuild"),
])
def test_the_refresh_takes_the_cheapest_correct_path(loaded, tmp_path, change, mode):  # noqa: ANN001
    engine = loaded
    rows = {"values of today's map": [("13285", 2026, 3, 4000, 4500)],
            "values of an old quarter": [("13636", 2023, 2, 100, 1000)],
            "state behind": [("13285", 2026, 3, 4100, 4500)],
            "another import in between": [("13285", 2026, 3, 4200, 4500)]}[change]
    before = q.data_version(engine)
    if change == "state behind":
        with engine.begin() as conn:
            conn.execute(text("update read_models set data_version = 'behind'"))
    res = import_workbook(engine, _book(tmp_path / "x.xlsx", rows), "x.xlsx", user="admin")
    assert res.status == "imported"
    if change == "another import in between":  # committed before the first one's refresh ran
        other = import_workbook(engine, _book(tmp_path / "y.xlsx", [("13291", 2026, 3, 10, 20)]), "y.xlsx", user="admin")
        assert other.status == "imported"
    done = rm.refresh_series(engine, before, [res.batch_id])
    assert done.mode == mode
    _assert_equal_to_scratch(engine)


def test_a_view_reads_the_kept_series_only_for_its_own_data_version(loaded):  # noqa: ANN001
    engine = loaded
    version = q.data_version(engine)
    assert rm.series_if_fresh(engine, version) is not None
    assert rm.series_if_fresh(engine, version + "-other") is None
    one = rm.series_if_fresh(engine, version, units=["13285-2025"])
    assert set(one["unit_code"]) == {"13285-2025"} and len(one) > 0


def test_clusters_keep_roll_ups_and_carried_history_together(loaded):  # noqa: ANN001
    f = q.frames(loaded, with_values=False)
    cluster_of = rm.clusters(f)
    # the old provinces and the new Ninh Bình they became are one cluster: a carried value never leaves it
    assert cluster_of["36"] == cluster_of["37-2025"] == cluster_of["13636"] == cluster_of["13285-2025"]
    assert f.values.empty and list(f.values.columns)[:4] == ["indicator_code", "unit_code", "year", "quarter"]


# --- the quarterly status of each assignment occurrence ------------------------------------------------------------
def _status_equal_to_scratch(engine, quarters) -> None:  # noqa: ANN001
    from analytics import task_views as tv

    f = q.frames(engine)
    base = tv.task_base(f)
    version = q.data_version(engine)
    for year, quarter in quarters:
        kept = rm.status_if_fresh(engine, version, year, quarter)
        assert kept is not None, (year, quarter)
        scratch = tv.occurrence_status(f, year, quarter, base)
        order = ["assignment_id", "due_date"]
        a = kept.sort_values(order, key=lambda c: c.astype(str)).reset_index(drop=True)
        b = scratch.sort_values(order, key=lambda c: c.astype(str)).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=True, obj=f"{year}-Q{quarter}")


def _count_status(engine, agency: str, year: int, quarter: int, status: str) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return int(conn.execute(text(
            "select count(*) from rm_task_status where agency_code = :a and year = :y and quarter = :q "
            "and status = :s"), {"a": agency, "y": year, "q": quarter, "s": status}).scalar())


@pytest.fixture
def samples_copy(sample_db, tmp_path, monkeypatch):  # noqa: ANN001
    import shutil

    from store.db import make_engine

    monkeypatch.setenv("CCHC_TODAY", "2026-12-02")
    path = tmp_path / "cchc.db"
    shutil.copy(sample_db, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


def test_the_task_status_is_kept_per_quarter_and_per_batch(samples_copy, tmp_path):  # noqa: ANN001
    from tests.hostile import progress_book

    engine = samples_copy
    assert rm.last_mode(engine, rm.STATUS) == "rebuild"  # the first run built it after the samples
    _status_equal_to_scratch(engine, [(2021, 1), (2024, 4), (2025, 3), (2026, 3)])
    agency, year, quarter = "SCT-37-2025", 2026, 3
    done_before = _count_status(engine, agency, year, quarter, "done")
    book = progress_book(["37-2025-2026-215/I.1.1", "SP", "Sở Công Thương", "Quý III/2026", "Đã hoàn thành", 100,
                          "BC 12/BC-SCT"])
    res = import_file(engine, book, "tien-do.xlsx", user="admin")
    assert res.status == "imported", [p.message for p in res.errors[:3]]
    assert rm.last_mode(engine, rm.STATUS) == "incremental"
    assert _count_status(engine, agency, year, quarter, "done") == done_before + 1
    _status_equal_to_scratch(engine, [(2026, 2), (2026, 3)])
    undone = rollback(engine, res.batch_id, "admin")
    assert undone.ok and rm.last_mode(engine, rm.STATUS) == "incremental"
    assert _count_status(engine, agency, year, quarter, "done") == done_before
    _status_equal_to_scratch(engine, [(2026, 3)])


# --- PAR INDEX rank tables -----------------------------------------------------------------------------------------
def _rank_equal_to_scratch(engine) -> int:  # noqa: ANN001
    """Every kept rank table equals rankings computed from the scores; returns how many were compared."""
    from analytics import ranking_views as rv

    f = q.frames(engine)
    par = rv.par_with_parents(f.par, f.parents)
    version = q.data_version(engine)
    n = 0
    for (year, kind), part in par.groupby(["year", "subject_kind"]):
        for parent in [None, *sorted({str(p) for p in part["parent_code"].dropna()})]:
            scratch = rv.rank_table_for(par, int(year), str(kind), parent)
            kept = rm.rank_if_fresh(engine, version, int(year), str(kind), parent)
            if scratch.empty:
                assert kept is None
                continue
            pd.testing.assert_frame_equal(kept.reset_index(drop=True), scratch.reset_index(drop=True),
                                          check_dtype=False, obj=f"{year} {kind} {parent}")
            n += 1
    return n


def test_the_rank_tables_are_kept_and_rebuilt_by_par_batches(samples_copy):  # noqa: ANN001
    engine = samples_copy
    assert _rank_equal_to_scratch(engine) >= 5 * 3  # five years of departments, districts or communes, provinces
    with engine.connect() as conn:
        par_batch = conn.execute(text("select id from import_batches where file_name like '07a%'")).scalar()
        departments_2025 = conn.execute(text(
            "select count(*) from rm_rank where year = 2025 and kind = 'department' and parent = ''")).scalar()
        scored = conn.execute(text(
            "select count(distinct subject_code) from par_scores where is_current and year = 2025 "
            "and subject_kind = 'department'")).scalar()
    assert departments_2025 == scored == 14
    done = rollback(engine, par_batch, "admin")
    assert done.ok and rm.last_mode(engine, rm.RANK) == "rebuild"
    assert rm.rank_if_fresh(engine, q.data_version(engine), 2025, "department", None) is None
    _rank_equal_to_scratch(engine)


def test_plans_and_their_rollbacks_keep_the_task_status(samples_copy):  # noqa: ANN001
    """A plan's rollback drops its occurrences, its import adds them for every quarter: incremental both ways, and
    every quarter equal to a computation from scratch."""
    engine = samples_copy
    with engine.connect() as conn:
        ids = dict(conn.execute(text("select file_name, id from import_batches")).all())
        plan_rows = conn.execute(text(
            "select count(*) from rm_task_status r join assignments a on a.id = r.assignment_id "
            "join outputs o on o.id = a.output_id join tasks t on t.id = o.task_id join plans p on p.id = t.plan_id "
            "where p.batch_id = :b and r.year = 2026 and r.quarter = 3"), {"b": ids["02c_ke_hoach_2026_tinh_ninh_binh.xlsx"]}).scalar()
    assert plan_rows > 0
    total = _count_rows(engine, 2026, 3)
    assert rollback(engine, ids["04_tien_do.xlsx"], "admin").ok  # the reports on the plans go first
    assert rm.last_mode(engine, rm.STATUS) == "incremental"
    assert rollback(engine, ids["02c_ke_hoach_2026_tinh_ninh_binh.xlsx"], "admin").ok
    assert rm.last_mode(engine, rm.STATUS) == "incremental"
    assert _count_rows(engine, 2026, 3) == total - plan_rows
    _status_equal_to_scratch(engine, [(2025, 4), (2026, 3)])
    res = import_file(engine, SAMPLES / "02c_ke_hoach_2026_tinh_ninh_binh.xlsx", "02c_lai.xlsx", user="admin")
    assert res.status == "imported", [p.message for p in res.errors[:3]]
    assert rm.last_mode(engine, rm.STATUS) == "incremental"
    assert _count_rows(engine, 2026, 3) == total
    _status_equal_to_scratch(engine, [(2026, 1), (2026, 3)])


def _count_rows(engine, year: int, quarter: int) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return int(conn.execute(text("select count(*) from rm_task_status where year = :y and quarter = :q"),
                                {"y": year, "q": quarter}).scalar())


# --- target assessments per quarter --------------------------------------------------------------------------------
def _targets_equal_to_scratch(engine, quarters: list[tuple[int, int]]) -> None:  # noqa: ANN001
    """The kept assessments of these quarters equal an assessment from scratch (the series computed from every
    current value, not read from the read model)."""
    from analytics import targets as tg

    f = q.frames(engine)
    version = q.data_version(engine)
    for year, quarter in quarters:
        kept = rm.target_if_fresh(engine, version, year, quarter)
        assert kept is not None, (year, quarter)
        scratch = tg.assess_targets(f, year, quarter)[["id", *tg.ASSESSED]]
        assert len(kept) == len(scratch) == len(f.targets) > 0
        pd.testing.assert_frame_equal(kept.sort_values("id").reset_index(drop=True),
                                      scratch.sort_values("id").reset_index(drop=True),
                                      check_exact=False, rtol=1e-12, atol=1e-9, obj=f"{year}-{quarter}")


def _observed(engine, target_id: int, year: int, quarter: int) -> float:  # noqa: ANN001
    kept = rm.target_if_fresh(engine, q.data_version(engine), year, quarter)
    return float(kept.loc[kept["id"] == target_id, "observed"].iloc[0])


def _rate_target(engine, year: int) -> int:  # noqa: ANN001
    """The province-wide target of the online-dossier rate for a horizon year (2025: Nam Định; 2030: Ninh Bình)."""
    with engine.connect() as conn:
        return int(conn.execute(text("select id from targets where is_current and indicator_code = :i and year = :y "
                                     "and level = 'all'"), {"i": RATE, "y": year}).scalar_one())


# (step, the rows of a values workbook / a rollback of the step named / "catalogue" for a new catalogue, the refresh
# expected, the quarters compared, (horizon, province, year, quarter) whose observed figure is checked against SQL)
TARGET_STEPS = [
    ("today's map, a late-2026 quarter", [("13285", 2026, 3, 4000, 4500), ("13291", 2026, 3, 900, 1000)],
     "incremental", [(2026, 2), (2026, 3)], (2030, "37-2025", 2026, 3)),
    ("a correction on the old map", [("13636", 2024, 4, 1500, 1836)], "incremental",
     [(2024, 3), (2024, 4), (2025, 4), (2026, 3)], (2025, "36", 2024, 4)),
    ("the rollback of the first", "rollback:0", "incremental", [(2026, 3)], (2030, "37-2025", 2026, 3)),
    ("the catalogue again (new targets)", "catalogue", "rebuild", [(2021, 1), (2025, 4), (2026, 3)],
     (2025, "36", 2024, 4)),
]


def _catalogue_raising_the_2030_rate(path: Path) -> Path:
    """The samples' catalogue with the 2030 online-dossier target raised from 80% to 85%."""
    from openpyxl import load_workbook

    wb = load_workbook(SAMPLES / "03_danh_muc_chi_tieu.xlsx")
    ws = wb["Danh mục chỉ tiêu"]
    row = next(r for r in ws.iter_rows() if r[1].value == RATE)
    assert row[9].value == "Tối thiểu 80%"
    row[9].value = "Tối thiểu 85%"
    wb.save(path)
    return path


def test_the_target_assessments_are_kept_per_quarter_and_per_batch(loaded, tmp_path):  # noqa: ANN001
    engine = loaded
    built = rm.rebuild_target(engine)
    assert built.mode == "rebuild" and built.periods >= 23  # Quý I/2021 through Quý III/2026 at least
    _targets_equal_to_scratch(engine, [(2021, 1), (2023, 2), (2024, 4), (2025, 3), (2026, 3)])
    batches: list[int] = []
    for n, (step, change, mode, quarters, (horizon, province, year, quarter)) in enumerate(TARGET_STEPS):
        if change == "catalogue":
            res = import_file(engine, _catalogue_raising_the_2030_rate(tmp_path / "dm.xlsx"), "dm.xlsx", user="admin")
            assert res.status == "imported", (step, [p.message for p in res.errors[:3]])
        elif isinstance(change, str):
            assert rollback(engine, batches[int(change.split(":")[1])], "admin").ok, step
        else:
            res = import_file(engine, _book(tmp_path / f"t{n}.xlsx", change), f"t{n}.xlsx", user="admin")
            assert res.status == "imported", (step, [p.message for p in res.errors[:3]])
            batches.append(res.batch_id)
        assert rm.last_mode(engine, rm.TARGET) == mode, step
        _targets_equal_to_scratch(engine, quarters)
        if change == "catalogue":  # the new target is the one judged
            kept = rm.target_if_fresh(engine, q.data_version(engine), 2026, 3)
            assert float(kept.loc[kept["id"] == _rate_target(engine, 2030), "target_value"].iloc[0]) == 85.0
        assert _observed(engine, _rate_target(engine, horizon), year, quarter) == pytest.approx(
            _province_rollup_by_sql(engine, province, year, quarter), rel=1e-9), step


def test_a_view_reads_the_kept_assessments_only_for_its_own_data_version(loaded):  # noqa: ANN001
    engine = loaded
    rm.rebuild_target(engine)
    version = q.data_version(engine)
    assert rm.target_if_fresh(engine, version, 2026, 3) is not None
    assert rm.target_if_fresh(engine, "0:0:0:None", 2026, 3) is None  # another version
    assert rm.target_if_fresh(engine, version, 2020, 4) is None  # before the first quarter: assessed on demand
