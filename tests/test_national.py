"""The national dataset (samples.national) and its bulk load (store.bulk): counts from the package's 2025 dataset,
byte-identical output for a seed, plausible values, and the rows read back through store.queries equal to the
generated ones, on SQLite and (COPY) on PostgreSQL, with supersede, audit and rollback as for any import."""
from __future__ import annotations

import hashlib
import io
import math
import sqlite3
from collections import Counter, defaultdict

import pandas as pd
import pytest
from sqlalchemy import select, text

from bench_scale import _num, print_table
from manage import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, main
from samples import national
from store import queries as q
from store import schema as s
from store.bulk import load_values
from store.db import make_engine, upgrade
from store.importer import rollback_batch
from store.reference import ensure_reference

LAST = (2021, 4)  # four quarters keep the loads small; the national default runs to the last closed quarter


def test_the_2025_map_has_34_provinces_and_3321_communes() -> None:
    provinces = national.provinces_2025()
    con = sqlite3.connect(f"file:{national.dataset_path()}?mode=ro", uri=True)
    try:
        want = con.execute("SELECT COUNT(DISTINCT provinceCode), COUNT(*) FROM admin_units").fetchone()
    finally:
        con.close()
    assert want == (34, 3321)
    assert (len(provinces), sum(len(p.communes) for p in provinces)) == (34, 3321)
    keys = [u.code for p in provinces for u in p.units()]
    assert len(keys) == len(set(keys)) == 34 + 3321
    assert all(u.code == f"{u.official_code}-2025" for p in provinces for u in p.units())


@pytest.mark.parametrize(("code", "name", "communes"), [
    ("37", "Tỉnh Ninh Bình", 129),  # Resolution 1674/NQ-UBTVQH15: 97 xã and 32 phường
    ("01", "Thành phố Hà Nội", 126),
    ("79", "Thành phố Hồ Chí Minh", 168),
    ("12", "Tỉnh Lai Châu", 38),
    ("96", "Tỉnh Cà Mau", 64),
])
def test_provinces_with_their_official_codes(code: str, name: str, communes: int) -> None:
    prov = next(p for p in national.provinces_2025() if p.official_code == code)
    assert (prov.unit.name, prov.unit.code, len(prov.communes)) == (name, f"{code}-2025", communes)
    assert {c.province_code for c in prov.communes} == {f"{code}-2025"}


def test_the_served_provinces_units_are_the_reference_tables_own() -> None:
    """The keys, names and types of the new Ninh Bình's units equal those of data/reference (build_reference)."""
    ref = pd.read_csv(national.syn.REFERENCE / "units.csv", dtype=str, keep_default_na=False)
    ref = ref[(ref["province_code"] == "37-2025")]
    ours = next(p for p in national.provinces_2025() if p.official_code == "37")
    assert sorted(zip(ref["code"], ref["name"], ref["type"], ref["level"])) == sorted(
        (u.code, u.name, u.type, u.level) for u in ours.units())
    assert [p.official_code for p in national.pick(3, first="37")] == ["37", "01", "04"]


def test_same_seed_same_bytes_and_counts() -> None:
    provinces = national.pick(2, first="37")
    a, b, c, one = io.BytesIO(), io.BytesIO(), io.BytesIO(), io.BytesIO()
    n, sha = national.write_tsv(a, provinces, last=LAST)
    assert national.write_tsv(b, provinces, last=LAST) == (n, sha)
    assert a.getvalue() == b.getvalue()
    assert sha == hashlib.sha256(a.getvalue()).hexdigest()
    assert n == a.getvalue().count(b"\n") == 63 * 4 * (1 + 129 + 1 + 126) == national.expected_rows(provinces, LAST)
    national.write_tsv(c, provinces, seed=national.SEED + 1, last=LAST)
    assert c.getvalue() != a.getvalue()
    national.write_tsv(one, provinces[:1], last=LAST)  # a province's rows do not depend on the others generated
    assert a.getvalue().startswith(one.getvalue())


def test_quarters_run_to_the_last_closed_quarter(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("CCHC_TODAY", "2026-12-02")
    qs = national.quarters()
    assert (qs[0], qs[-1], len(qs)) == ((2021, 1), (2026, 3), 23)


def _rows(provinces: list, seed: int = national.SEED) -> list[tuple]:
    return [r for block in national.generate(provinces, seed, LAST) for r in block]


def test_values_are_plausible() -> None:
    prov = national.pick(1, first="37")[0]
    rows = _rows([prov])
    kinds = {i.code: i for i in national.catalogue()}
    assert len({r[:4] for r in rows}) == len(rows)  # each indicator, unit and quarter once
    sums: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0])
    ranks: dict[tuple, list[float]] = defaultdict(list)
    province = {}
    for code, unit, y, qq, value, num, den in rows:
        ind = kinds[code]
        if ind.is_rate:
            assert 0 <= num <= den and den >= 1 and value == round(100.0 * num / den, 2)
        if ind.unit in ("%", "% điểm tối đa", "điểm"):
            assert 0.0 <= value <= 100.0
        if ind.unit == "mốc":
            assert value in (0.0, 1.0)
        if unit == prov.unit.code:
            province[(code, y, qq)] = (value, num, den)
        elif ind.is_rate:
            sums[(code, y, qq)][0] += num
            sums[(code, y, qq)][1] += den
        elif ind.unit == "hạng":
            ranks[(code, y, qq)].append(value)
    for key, (num, den) in sums.items():  # a province's rate is Σ numerator / Σ denominator of its communes
        assert province[key][1:] == (num, den)
    for key, got in ranks.items():  # communes are ranked 1 … n within their province
        assert sorted(got) == list(range(1, len(prov.communes) + 1)), key
    by = {(code, unit, y, qq): value for code, unit, y, qq, value, _n, _d in rows}
    for c in prov.communes:  # the rank and the group follow the PAR INDEX score (thresholds: 85, 75, 60 %)
        score = by[("PAR_INDEX_SCORE", c.code, 2021, 4)]
        others = [by[("PAR_INDEX_SCORE", o.code, 2021, 4)] for o in prov.communes]
        better, same = sum(x > score for x in others), sum(x == score for x in others)  # equal once rounded
        assert better + 1 <= by[("PAR_INDEX_RANK", c.code, 2021, 4)] <= better + same
        assert by[("PAR_INDEX_GROUP", c.code, 2021, 4)] == (1 if score >= 85 else 2 if score >= 75 else
                                                             3 if score >= 60 else 4)


def _load_round_trip(engine) -> None:  # noqa: ANN001
    """Load two provinces, read them back through store.queries, supersede them with another seed, roll back."""
    provinces = national.pick(2, first="37")
    res = national.load(engine, provinces, user="admin", last=LAST)
    assert res.status == "imported", res.errors
    generated = _rows(provinces)
    assert res.counts["indicator_values"] == len(generated) == national.expected_rows(provinces, LAST)
    back = q.values(engine)
    assert len(back) == len(generated)
    # an independent check: sums and counts computed from the generator's rows, not from the database
    assert back["numerator"].sum() == pytest.approx(math.fsum(r[5] for r in generated if r[5] is not None), rel=1e-12)
    assert back["denominator"].sum() == pytest.approx(math.fsum(r[6] for r in generated if r[6] is not None), rel=1e-12)
    assert back["value"].sum() == pytest.approx(math.fsum(r[4] for r in generated), rel=1e-12)
    assert Counter(back["indicator_code"]) == Counter(r[0] for r in generated)
    # and row for row
    got = sorted(tuple(None if pd.isna(x) else x for x in t) for t in back[
        ["indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator"]].itertuples(index=False))
    assert got == sorted(generated)
    units = q.units(engine).set_index("code")
    hanoi = provinces[1]
    assert units.loc[hanoi.communes[0].code, "name"] == hanoi.communes[0].name
    parents = q.unit_parents(engine)
    assert set(parents.loc[parents["code"].isin({c.code for c in hanoi.communes}), "parent_code"]) == {"01-2025"}
    with engine.connect() as conn:
        audit = conn.execute(select(s.audit_log.c.action, s.audit_log.c.details)).all()
    assert [(a, d["batch_id"], d["counts"]["indicator_values"]) for a, d in audit if a == "import"
            and d.get("batch_id") == res.batch_id] == [("import", res.batch_id, len(generated))]
    # the same data again is refused, nothing written
    again = national.load(engine, provinces, user="admin", last=LAST)
    assert again.status == "refused" and "đã được nhập" in again.errors[0]
    assert len(q.values(engine)) == len(generated)
    # another seed for the first province supersedes its rows; a rollback brings them back exactly
    other = national.load(engine, provinces[:1], user="admin", seed=7, last=LAST)
    assert other.status == "imported", other.errors
    now = q.values(engine)
    assert len(now) == len(generated)
    first = {c.code for c in provinces[0].units()}
    assert now.loc[now["unit_code"].isin(first), "numerator"].sum() == pytest.approx(
        math.fsum(r[5] for r in _rows(provinces[:1], seed=7) if r[5] is not None), rel=1e-12)
    assert rollback_batch(engine, other.batch_id, "admin") == []
    assert q.values(engine)["numerator"].sum() == pytest.approx(back["numerator"].sum(), rel=1e-12)
    assert rollback_batch(engine, res.batch_id, "admin") == []
    assert q.values(engine).empty
    assert q.indicators(engine).empty  # the catalogue the first batch created goes with it
    # a row naming a unit the database does not hold is refused by the foreign key, nothing written
    batches = len(q.batches(engine))
    bad = load_values(engine, [[("X_RATE", "99999-2025", 2021, 1, 50.0, 1.0, 2.0)]], "bad", user="admin",
                      indicators=[{"code": "X_RATE", "name": "x", "area_code": None, "unit": "%", "direction": "up",
                                   "is_rate": True}])
    assert bad.status == "refused" and bad.errors
    assert len(q.batches(engine)) == batches and q.indicators(engine).empty and q.values(engine).empty


def test_bulk_load_on_sqlite(sqlite_engine) -> None:  # noqa: ANN001
    _load_round_trip(sqlite_engine)


@pytest.mark.postgres
def test_bulk_load_with_copy_on_postgresql(pg_url) -> None:  # noqa: ANN001
    engine = make_engine(pg_url)
    try:
        upgrade(engine)
        ensure_reference(engine)
        before = _pg_definitions(engine)
        assert len(before) >= 5  # three foreign keys, the batch and key indexes
        _load_round_trip(engine)
        assert _pg_definitions(engine) == before  # the keys and indexes dropped for the load are back as they were
    finally:
        engine.dispose()


def _pg_definitions(engine) -> set[str]:  # noqa: ANN001
    """The foreign keys and indexes of indicator_values, as PostgreSQL prints them."""
    with engine.connect() as conn:
        fks = conn.execute(text("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                                "WHERE conrelid = 'indicator_values'::regclass AND contype = 'f'")).scalars().all()
        idx = conn.execute(text("SELECT pg_get_indexdef(indexrelid) FROM pg_index "
                                "WHERE indrelid = 'indicator_values'::regclass")).scalars().all()
    return set(fks) | set(idx)


@pytest.mark.parametrize(("x", "decimals", "want"), [
    (1234.5, 1, "1.234,5"), (4_861_395, 0, "4.861.395"), (0.25, 2, "0,25"), (600, 1, "600,0"),
])
def test_bench_figures_are_written_the_vietnamese_way(x: float, decimals: int, want: str) -> None:
    assert _num(x, decimals) == want


def test_scale_table_shows_ratios_and_the_goals_next_to_the_figures(capsys) -> None:  # noqa: ANN001
    one = {"provinces": 1, "database": "postgresql", "latest": "2026-Q3", "values": 188_370, "units": 130,
           "first_view_s": 3.9, "prepared_view_s": 0.2, "prepare_s": 8.0, "rss_serving_mb": 389.0}
    nat = one | {"provinces": 34, "values": 4_861_395, "units": 3355, "first_view_s": 76.6, "prepared_view_s": 0.9,
                 "prepare_s": 375.0, "rss_serving_mb": 3211.1}
    print_table([one, nat])
    out = capsys.readouterr().out
    assert "4.861.395 (25,8×)" in out
    assert "(chưa chuẩn bị): 76,6 — mục tiêu ≤ 1,0: CHƯA ĐẠT" in out
    assert "đã chuẩn bị sẵn trên đĩa: 0,9 — mục tiêu ≤ 1,0: đạt" in out
    assert "3.211,1 — mục tiêu ≤ 600,0: CHƯA ĐẠT" in out


def test_manage_national_loads_once_and_refuses_the_same_data_twice(tmp_path, capsys) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'n.db'}"
    assert main(["national", "--provinces", "0", "--database", url]) == EXIT_USAGE
    assert main(["national", "--provinces", "1", "--database", url, "--no-prepare"]) == EXIT_OK
    engine = make_engine(url)
    try:
        batches = q.batches(engine)
        rows = national.expected_rows(national.pick(1))  # Quý I/2021 … Quý II/2025 at the tests' today
        assert batches["counts"].tolist() == [{"indicator_values": rows, "indicators": 63}]
        assert main(["national", "--provinces", "1", "--database", url, "--no-prepare"]) == EXIT_ERRORS
        assert len(q.batches(engine)) == 1 and len(q.values(engine)) == rows
    finally:
        engine.dispose()
    assert "đã được nhập" in capsys.readouterr().err
