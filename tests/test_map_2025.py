"""Units and agencies on the map of the file's date: validity, successors, resolution, "và" names, group leads,
and the three cases of issue 9 end to end (values for Quý III/2026, a 2026 plan of the new Ninh Bình).

Expected sets are read straight from the committed CSVs (csv module), not through loaders.reference.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders.agencies import Resolver
from loaders.parse import parse_workbook
from loaders.reference import read_reference

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "data" / "reference"
NEW = "37-2025"
D2023, D2025_04, D2026 = date(2023, 1, 1), date(2025, 4, 1), date(2026, 1, 1)


@lru_cache(maxsize=1)
def ref():  # noqa: ANN201
    return read_reference(REF)


@lru_cache(maxsize=1)
def resolver() -> Resolver:
    return Resolver(ref())


@lru_cache(maxsize=None)
def csv_rows(name: str) -> tuple[dict, ...]:
    with (REF / name).open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def valid_on(row: dict, on: date) -> bool:
    iso = on.isoformat()
    return (not row["valid_from"] or row["valid_from"] <= iso) and (not row["valid_to"] or row["valid_to"] >= iso)


# --- validity -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code,kind,valid_from,valid_to", [
    ("36", "unit", None, date(2025, 6, 30)),                  # Tỉnh Nam Định
    ("361", "unit", None, date(2025, 6, 30)),                 # Huyện Nghĩa Hưng
    ("358", "unit", None, date(2024, 12, 31)),                # Huyện Mỹ Lộc
    ("13711", "unit", None, date(2025, 6, 30)),               # Xã Mỹ Hà (an old commune)
    (NEW, "unit", date(2025, 7, 1), None),                    # the new Ninh Bình
    ("14215-2025", "unit", date(2025, 7, 1), None),           # Xã Hải Hậu
    ("13669-2025", "unit", date(2025, 7, 1), None),           # Phường Nam Định
    ("SKHDT", "agency", None, date(2025, 2, 28)),             # merged on 1 March 2025 (Decree 45/2025/NĐ-CP)
    ("SLDTBXH", "agency", None, date(2025, 2, 28)),
    ("SNGV", "agency", None, date(2025, 2, 28)),
    ("SNNMT", "agency", date(2025, 3, 1), date(2025, 6, 30)),  # Nam Định's Sở Nông nghiệp và Môi trường
    ("SNV", "agency", None, date(2025, 6, 30)),
    ("SNNMT-37-2025", "agency", date(2025, 7, 1), None),
    ("PNV-361", "agency", None, date(2025, 6, 30)),           # district offices end with the districts
    ("PNV-358", "agency", None, date(2024, 12, 31)),
    ("UBND-361", "agency", None, date(2025, 6, 30)),
    ("UBND-14215-2025", "agency", date(2025, 7, 1), None),    # UBND xã Hải Hậu
    ("UBND-37-2025", "agency", date(2025, 7, 1), None),
])
def test_validity_dates(code, kind, valid_from, valid_to):
    r = ref()
    table = r.units if kind == "unit" else r.agencies
    row = table[table["code"] == code].iloc[0]
    assert (row["valid_from"], row["valid_to"]) == (valid_from, valid_to)
    day_before = (valid_from or date(2021, 1, 1)).toordinal() - 1
    check = r.unit_valid if kind == "unit" else r.agency_valid
    assert check(code, valid_from or date(2021, 1, 1))
    if valid_from:
        assert not check(code, date.fromordinal(day_before))
    if valid_to:
        assert check(code, valid_to) and not check(code, date.fromordinal(valid_to.toordinal() + 1))


@pytest.mark.parametrize("on,level,count", [
    (date(2024, 12, 31), "district", 10), (date(2025, 1, 1), "district", 9), (date(2025, 6, 30), "commune", 175),
    (date(2025, 7, 1), "district", 0), (date(2025, 7, 1), "commune", 129), (D2026, "province", 1),
])
def test_map_at_a_date(on, level, count):
    """The map in force: Nam Định's before 1 July 2025 (the history province), the new Ninh Bình after."""
    m = ref().map_at(on, level)
    nd = m[m["province_code"].isin({"36", NEW})]
    assert len(nd) == count
    if on >= date(2025, 7, 1) and level == "commune":
        assert set(nd["parent_code"]) == {NEW}


def test_province_setting_and_lineage():
    r = ref()
    assert (r.province, r.history_province) == (NEW, "36")
    assert r.lineage_provinces() == [NEW, "36", "35", "37"]
    assert r.province_scopes(D2023) == ("36", "35", "37") and r.province_scopes(D2026) == (NEW,)
    assert r.province_at(D2023) == "36" and r.province_at(D2026) == NEW


# --- agencies' successors -------------------------------------------------------------------------------------
@pytest.mark.parametrize("code,on,expected", [
    ("SKHDT", D2025_04, {"STC": 1}),
    ("SKHDT", D2026, {"STC-37-2025": 1}),
    ("SGTVT", D2025_04, {"SXD": 1}),
    ("STNMT", D2025_04, {"SNNMT": 1}),
    ("SNNPTNT", D2025_04, {"SNNMT": 1}),
    ("SNNPTNT", D2026, {"SNNMT-37-2025": 1}),
    ("STTTT", D2025_04, {"SKHCN": 1, "SVHTTDL": 0}),
    ("SLDTBXH", D2025_04, {"SNV": 1, "SYT": 0, "SGDDT": 0}),
    ("SLDTBXH", D2026, {"SNV-37-2025": 1, "SYT-37-2025": 0, "SGDDT-37-2025": 0}),
    ("SNGV", D2025_04, {"VPUBND": 1}),
    ("SNV", D2026, {"SNV-37-2025": 1}),
    ("SNV-35", D2026, {"SNV-37-2025": 1}),                 # Hà Nam's
    ("SKHDT-37", D2026, {"STC-37-2025": 1}),               # the former Ninh Bình's
    ("SVHTTDL", D2026, {"SVHTT-37-2025": 1, "SDL-37-2025": 0}),
    ("SDL-37", D2026, {"SDL-37-2025": 1}),
    ("UBND-36", D2026, {"UBND-37-2025": 1}),
    ("UBND-358", D2025_04, {"UBND-356": 1}),               # Mỹ Lộc into Thành phố Nam Định
    ("PNV-358", D2025_04, {"PNV-356": 1}),
    ("PNV-361", D2026, {}),                                # district offices ended without successor
    ("CAT", D2026, {"CAT-37-2025": 1}),
])
def test_agency_successors(code, on, expected):
    got = ref().agency_successors_on(code, on)
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(v) for k, v in expected.items())


def test_every_old_department_is_carried_into_the_new_province():
    """Each department of the three provinces in force on 30/06/2025 has one main successor (share 1) on 01/07/2025,
    of the new Ninh Bình; each merged on 01/03/2025 has shares summing to 1."""
    links = csv_rows("agency_successors.csv")
    agencies = {a["code"]: a for a in csv_rows("agencies.csv")}
    old = [a for a in agencies.values() if a["kind"] == "department" and a["unit_code"] in ("35", "36", "37")]
    assert len(old) == 19 + 1 + 2 * (18 + 1) + 1  # Nam Định (+ Sở Ngoại vụ, + SNNMT), Hà Nam, Ninh Bình (+ Sở Du lịch)
    for a in old:
        mine = [ln for ln in links if ln["code"] == a["code"]]
        assert abs(sum(float(ln["share"]) for ln in mine) - 1) < 1e-9, a["code"]
        target_unit = {agencies[ln["successor_code"]]["unit_code"] for ln in mine if float(ln["share"]) > 0}
        if a["valid_to"] == "2025-06-30":
            assert target_unit == {NEW} and {ln["valid_from"] for ln in mine} == {"2025-07-01"}, a["code"]
        else:
            assert a["valid_to"] == "2025-02-28" and target_unit == {a["unit_code"]}, a["code"]


def test_commune_committees_follow_the_units_lineage():
    units = {(ln["code"], ln["successor_code"]): float(ln["share"]) for ln in csv_rows("unit_successors.csv")}
    agencies = {(ln["code"], ln["successor_code"]): float(ln["share"]) for ln in csv_rows("agency_successors.csv")}
    communes = {u["code"] for u in csv_rows("units.csv") if u["level"] == "commune"}
    for (old, new), share in units.items():
        if old in communes:
            assert agencies[(f"UBND-{old}", f"UBND-{new}")] == share


# --- resolution on the row's date -------------------------------------------------------------------------------
Q3_2026 = (date(2026, 7, 1), date(2026, 9, 30))
Q4_2024 = (date(2024, 10, 1), date(2024, 12, 31))


@pytest.mark.parametrize("code,name,period,expected", [
    (None, "Tỉnh Ninh Bình", Q3_2026, NEW),
    ("37", None, Q3_2026, NEW),
    (None, "Xã Hải Hậu", Q3_2026, "14215-2025"),
    ("14215", "Xã Hải Hậu", Q3_2026, "14215-2025"),
    (None, "Phường Nam Định", Q3_2026, "13669-2025"),
    ("13669", None, Q3_2026, "13669-2025"),                     # a code reused by the new ward
    ("13669", None, Q4_2024, "13669"),                          # … and the old Phường Cửa Bắc before
    ("14215", None, Q4_2024, "14215"),                          # Thị trấn Yên Định
    (None, "Tỉnh Nam Định", Q4_2024, "36"),
    (None, "Nam Định", Q4_2024, "36"),                          # the province before the city
    ("358", None, Q4_2024, "358"),
    (None, "Tỉnh Ninh Bình", Q4_2024, "37"),                    # the former Ninh Bình
    (None, "Tỉnh Nam Định", Q3_2026, "Tỉnh Nam Định không còn từ 01/07/2025; đơn vị kế thừa: Tỉnh Ninh Bình."),
    ("36", None, Q3_2026, "Tỉnh Nam Định không còn từ 01/07/2025; đơn vị kế thừa: Tỉnh Ninh Bình."),
    ("358", None, (date(2025, 1, 1), date(2025, 3, 31)),
     "Huyện Mỹ Lộc không còn từ 01/01/2025; đơn vị kế thừa: Thành phố Nam Định."),
    (None, "Huyện Hải Hậu", Q3_2026, "Huyện Hải Hậu không còn từ 01/07/2025 (không còn cấp huyện); địa bàn nay thuộc: "),
    (None, "Xã Hải Hậu", Q4_2024, "Xã Hải Hậu chỉ có từ 01/07/2025; trước đó là: Thị trấn Yên Định, Xã Hải Trung, Xã Hải Long."),
    ("14215", None, (date(2025, 1, 1), date(2025, 12, 31)), "«14215» trong năm 2025 có thể là: Thị trấn Yên Định"),
    ("14215", "Phường Nam Định", Q3_2026, "Mã ĐVHC 14215 là Xã Hải Hậu, không phải «Phường Nam Định»."),
    (None, "Xã Không Có", Q3_2026, "Không nhận ra đơn vị hành chính «Xã Không Có»."),
])
def test_unit_resolution_on_date(code, name, period, expected):
    m = ref().match_unit(code, name, *period)
    if expected[0].isdigit():
        assert (m.code, m.error) == (expected, None)
    else:
        assert m.code is None and m.error.startswith(expected), m.error


def test_rows_resolved_in_bulk_equal_one_by_one():
    import pandas as pd

    codes = pd.Series(["36", None, "14215", "14215", 13669.0, "358"], dtype=object)
    names = pd.Series([None, "Tỉnh Ninh Bình", None, None, None, None], dtype=object)
    years = pd.Series([2024.0, 2026.0, 2024.0, 2026.0, 2026.0, 2025.0])
    quarters = pd.Series([4.0, 3.0, 4.0, 3.0, 3.0, float("nan")])
    keys, errors = ref().resolve_unit_rows(codes, names, years, quarters)
    assert list(keys) == ["36", NEW, "14215", "14215-2025", "13669-2025", None]
    assert errors.iloc[5].startswith("Huyện Mỹ Lộc không còn từ 01/01/2025")


# --- agency names: "và" is never split; names of another period are errors naming the successor --------------------
@pytest.mark.parametrize("cell,issuer,on,names,errors", [
    ("Sở Nông nghiệp và Môi trường", NEW, D2026, ["Sở Nông nghiệp và Môi trường"], []),
    ("Sở Nông nghiệp và Môi trường", "36", D2025_04, ["Sở Nông nghiệp và Môi trường"], []),
    ("Sở Tài chính và Sở Nông nghiệp và Môi trường", NEW, D2026, ["Sở Tài chính", "Sở Nông nghiệp và Môi trường"], []),
    ("Sở Nông nghiệp và Môi trường, Sở Khoa học và Công nghệ", NEW, D2026,
     ["Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ"], []),
    ("Sở Tài nguyên và Môi trường", "36", D2023, ["Sở Tài nguyên và Môi trường"], []),
    ("Sở Lao động - Thương binh và Xã hội", "36", D2023, ["Sở Lao động - Thương binh và Xã hội"], []),
    ("Sở Văn hóa và Thể thao, Sở Du lịch", NEW, D2026, ["Sở Văn hóa và Thể thao", "Sở Du lịch"], []),
    ("Sở Giáo dục và Đào tạo", NEW, D2026, ["Sở Giáo dục và Đào tạo"], []),
    ("VP. Đoàn ĐBQH và HĐND tỉnh", NEW, D2026, ["Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh"], []),
    ("Sở NN&MT", NEW, D2026, ["Sở Nông nghiệp và Môi trường"], []),
    ("Sở Nội vụ", "36", D2023, ["Sở Nội vụ"], []),
    ("Sở Tài nguyên và Môi trường", NEW, D2026, [],
     ["Sở Tài nguyên và Môi trường không còn từ 01/03/2025; cơ quan kế thừa: Sở Nông nghiệp và Môi trường tỉnh Ninh Bình."]),
    ("Sở KH&ĐT", NEW, D2026, [],
     ["Sở Kế hoạch và Đầu tư không còn từ 01/03/2025; cơ quan kế thừa: Sở Tài chính tỉnh Ninh Bình."]),
    ("Sở Kế hoạch và Đầu tư", "36", D2025_04, [],
     ["Sở Kế hoạch và Đầu tư không còn từ 01/03/2025; cơ quan kế thừa: Sở Tài chính."]),
    ("Sở Nông nghiệp và Môi trường", "36", D2023, [],
     ["Sở Nông nghiệp và Môi trường chỉ có từ 01/03/2025; trước đó là: Sở Nông nghiệp và Phát triển nông thôn, "
      "Sở Tài nguyên và Môi trường."]),
    ("Phòng Nội vụ huyện Hải Hậu", NEW, D2026, [], ["Phòng Nội vụ huyện Hải Hậu không còn từ 01/07/2025."]),
])
def test_agency_names_on_date(cell, issuer, on, names, errors):
    res = resolver().resolve_cell(cell, issuer, on)
    assert [r.name for r in res.refs] == names
    assert res.errors == errors
    for r in res.refs:  # every agency resolved is in force on that date
        assert ref().agency_valid(r.code, on)


def test_a_canonical_name_with_va_resolves_whole_in_every_province_that_has_it():
    """Every canonical department name containing "và", in its own province on a day it was in force, is one agency."""
    for a in csv_rows("agencies.csv"):
        if a["kind"] != "department" or " và " not in a["name"]:
            continue
        on = date.fromisoformat(a["valid_from"]) if a["valid_from"] else D2023
        res = resolver().resolve_cell(a["name"], a["unit_code"], on)
        assert ([r.code for r in res.refs], res.errors) == ([a["code"]], []), a["code"]


# --- group leads expand on the plan's date --------------------------------------------------------------------
def _expected_members(group: str, province: str, on: date) -> set[str]:
    units = {u["code"]: u for u in csv_rows("units.csv")}
    parents = [p for p in csv_rows("unit_parents.csv") if valid_on(p, on)]
    agencies = [a for a in csv_rows("agencies.csv") if valid_on(a, on)]
    if group == "related":  # "các đơn vị có liên quan" names no one: it is kept as said, with no members
        return set()
    if group == "departments":
        return {a["code"] for a in agencies if a["kind"] == "department" and a["unit_code"] == province}
    districts = {p["code"] for p in parents if p["parent_code"] == province and units[p["code"]]["level"] == "district"}
    if group == "district_ubnd":
        return {f"UBND-{d}" for d in districts if valid_on(units[d], on)}
    below = districts | {province}
    return {f"UBND-{p['code']}" for p in parents if p["parent_code"] in below
            and units[p["code"]]["level"] == "commune" and valid_on(units[p["code"]], on)}


@pytest.mark.parametrize("cell,issuer,on,groups", [
    ("UBND các xã, phường", NEW, D2026, {"commune_ubnd": 129}),
    ("UBND các xã, phường", "36", D2023, {"commune_ubnd": 175}),
    ("UBND cấp xã", NEW, D2026, {"commune_ubnd": 129}),
    ("Các sở, ban, ngành", NEW, D2026, {"departments": 14}),
    ("Các sở, ban, ngành", "36", D2023, {"departments": 19}),
    ("Các sở, ban, ngành", "36", D2025_04, {"departments": 13}),  # after Decree 45: 19 − 7 merged away + SNNMT
    ("UBND cấp huyện", "36", D2023, {"district_ubnd": 10}),       # Mỹ Lộc still a district
    ("UBND cấp huyện", "36", D2025_04, {"district_ubnd": 9}),
    ("Sở, ban, ngành, UBND các xã, phường", NEW, D2026, {"departments": 14, "commune_ubnd": 129}),
    # "và" after the group, then another group: the group phrase is whole, nothing is left to read as a name
    ("UBND các xã, phường và các đơn vị có liên quan", NEW, D2026, {"commune_ubnd": 129, "related": 0}),
    ("UBND các xã, phường và các đơn vị liên quan", NEW, D2026, {"commune_ubnd": 129, "related": 0}),
    ("Các sở, ban, ngành và UBND các xã, phường", NEW, D2026, {"departments": 14, "commune_ubnd": 129}),
    ("UBND các xã, phường, đặc khu", NEW, D2026, {"commune_ubnd": 129}),
    ("UBND các xã, phường, thị trấn và các cơ quan, đơn vị liên quan", "36", D2023, {"commune_ubnd": 175, "related": 0}),
])
def test_group_leads_expand_on_the_plan_date(cell, issuer, on, groups):
    res = resolver().resolve_cell(cell, issuer, on)
    assert res.errors == []
    got = {r.group: r for r in res.refs if r.group}
    assert {g: len(r.members) for g, r in got.items()} == groups
    province = issuer if issuer in ("36", NEW) else "36"
    for g, r in got.items():
        assert set(r.members) == _expected_members(g, province, on)


def test_district_group_after_july_2025_is_an_error():
    res = resolver().resolve_cell("UBND cấp huyện", NEW, D2026)
    assert res.refs == [] and res.errors == [
        "«UBND cấp huyện»: cấp huyện không còn từ 01/07/2025; hãy giao cho các cơ quan, đơn vị hiện có "
        "(ví dụ «UBND các xã, phường»)."]


# --- end to end: values for Quý III/2026, and the 2026 plan ------------------------------------------------------------
def values_workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["SỐ LIỆU CHỈ TIÊU QUÝ III NĂM 2026"])
    ws.append(["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD_ROWS = [
    ["TTHC_ONLINE_DOSSIER_RATE", None, None, "Tỉnh Ninh Bình", 2026, 3, None, 61234, 98765],
    ["TTHC_ONLINE_DOSSIER_RATE", None, None, "Xã Hải Hậu", 2026, 3, None, 812, 1204],
    ["TTHC_ONLINE_DOSSIER_RATE", None, 13669, "Phường Nam Định", 2026, 3, None, 2301, 3012],
]
BAD_ROW = ["TTHC_ONLINE_DOSSIER_RATE", None, None, "Tỉnh Nam Định", 2026, 3, None, 100, 200]


@pytest.fixture
def today_2026(monkeypatch):
    monkeypatch.setenv("CCHC_TODAY", "2026-12-02")


@pytest.fixture
def engine_with_catalogue(sqlite_engine, today_2026):
    from store.importer import import_workbook

    res = import_workbook(sqlite_engine, ROOT / "data" / "samples" / "03_danh_muc_chi_tieu.xlsx")
    assert res.status == "imported", res.problems
    return sqlite_engine


def test_values_of_q3_2026_on_the_new_map_are_imported(engine_with_catalogue, tmp_path):
    from sqlalchemy import select

    from store import schema as s
    from store.importer import import_workbook

    res = import_workbook(engine_with_catalogue, values_workbook(tmp_path / "q3.xlsx", GOOD_ROWS))
    assert res.status == "imported", [p.message for p in res.problems]
    with engine_with_catalogue.connect() as conn:
        got = conn.execute(select(s.indicator_values.c.unit_code, s.indicator_values.c.numerator)
                           .where(s.indicator_values.c.year == 2026)).all()
    assert sorted(got) == [("13669-2025", 2301.0), ("14215-2025", 812.0), (NEW, 61234.0)]


def test_a_value_for_nam_dinh_in_q3_2026_is_refused_naming_the_successor(engine_with_catalogue, tmp_path):
    from store import queries
    from store.importer import import_workbook

    before = queries.table_counts(engine_with_catalogue)
    res = import_workbook(engine_with_catalogue, values_workbook(tmp_path / "bad.xlsx", [*GOOD_ROWS, BAD_ROW]))
    assert res.status == "refused"
    assert [(p.sheet, p.row, p.column, p.message) for p in res.errors] == [
        ("Số liệu", 6, "D", "Tỉnh Nam Định không còn từ 01/07/2025; đơn vị kế thừa: Tỉnh Ninh Bình.")]
    assert queries.table_counts(engine_with_catalogue) == before  # nothing written, not even the good rows


def _cli(*args: str, data_dir: Path | None = None) -> tuple[int, dict]:
    env = {"CCHC_TODAY": "2026-12-02"}
    if data_dir is not None:  # a database of the test's own (the dry run matches against the store)
        env.update(CCHC_DATA_DIR=str(data_dir), CCHC_LOAD_SAMPLES="0", DATABASE_URL="")
    import os

    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env})
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    return proc.returncode, json.loads(lines[-1])


def test_cli_dry_run_of_the_three_cases(tmp_path):
    data_dir = tmp_path / "site"
    code, out = _cli("import", str(ROOT / "data" / "samples" / "03_danh_muc_chi_tieu.xlsx"), "--json", data_dir=data_dir)
    assert code == 0 and out["ok"] is True  # the catalogue the values name
    good = values_workbook(tmp_path / "good.xlsx", GOOD_ROWS)
    bad = values_workbook(tmp_path / "bad.xlsx", [BAD_ROW])
    code, out = _cli("import", str(good), "--dry-run", "--json", data_dir=data_dir)
    assert code == 0 and out["ok"] is True and out["errors"] == []
    code, out = _cli("import", str(bad), "--dry-run", "--json", data_dir=data_dir)
    assert code == 1 and out["ok"] is False
    assert [e["message"] for e in out["errors"]] == [
        "Tỉnh Nam Định không còn từ 01/07/2025; đơn vị kế thừa: Tỉnh Ninh Bình."]


# The 2026 appendix of UBND tỉnh Ninh Bình, typed as seed 003's (title block, Roman areas, merged task cells,
# numbered outputs, several leads per cell, group leads), with the merged departments and the new communes.
PLAN_2026 = """\
STT	Nhiệm vụ cụ thể	Sản phẩm	Cơ quan chủ trì	Cơ quan phối hợp	Thời gian thực hiện
I	Cải cách thể chế
1	Rà soát, hệ thống hóa VBQPPL sau hợp nhất tỉnh	1.1. Rà soát văn bản QPPL của ba tỉnh cũ còn hiệu lực trên địa bàn tỉnh	Các Sở, ban, ngành	Sở Tư pháp	Quý II năm 2026
		1.2. Các văn bản QPPL do HĐND, UBND tỉnh ban hành được đăng công báo	Văn phòng UBND tỉnh, Sở Tư pháp	Các cơ quan, đơn vị có liên quan	Thường xuyên
II	Cải cách thủ tục hành chính
1	Công bố, công khai TTHC	1.1. Công bố, cập nhật TTHC thuộc thẩm quyền cấp tỉnh, cấp xã	Văn phòng UBND tỉnh	Các Sở, ban, ngành, UBND các xã, phường	Thường xuyên
2	Số hóa hồ sơ, kết quả giải quyết TTHC	2.1. Số hóa hồ sơ, kết quả giải quyết TTHC	Sở, ban, ngành, UBND các xã, phường	Sở Khoa học và Công nghệ	Năm 2026
		2.2. Vận hành Trung tâm Phục vụ hành chính công tỉnh	Trung tâm Phục vụ hành chính công tỉnh	UBND cấp xã	Thường xuyên
III	Cải cách tổ chức bộ máy
1	Kiện toàn tổ chức sau sắp xếp	Rà soát chức năng, nhiệm vụ của các sở sau hợp nhất	Sở Nội vụ	Các Sở, ban, ngành	Quý I năm 2026
IV	Cải cách công vụ
1	Bồi dưỡng cán bộ cấp xã	Bồi dưỡng cán bộ, công chức cấp xã sau sắp xếp	Sở Nội vụ	UBND các xã, phường	Năm 2026
V	Cải cách tài chính công
1	Tự chủ tài chính	Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập	Sở Tài chính	Các Sở, ban, ngành	Năm 2026
VI	Xây dựng Chính quyền điện tử
1	Chuyển đổi số	1.1. Hạ tầng số dùng chung của tỉnh	Sở Khoa học và Công nghệ	Công an tỉnh	Năm 2026
		1.2. Cơ sở dữ liệu đất đai, môi trường	Sở Nông nghiệp và Môi trường	Sở Xây dựng	Năm 2026
		1.3. Số hóa di sản văn hóa và du lịch	Sở Văn hóa và Thể thao, Sở Du lịch	Sở Khoa học và Công nghệ	Năm 2026
		1.4. Mô hình xã, phường số	UBND xã Hải Hậu, UBND phường Nam Định	Sở Khoa học và Công nghệ, Sở Nông nghiệp và Môi trường	Năm 2026
"""


def plan_2026(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title_province: str = "NINH BÌNH",
              body: str = PLAN_2026) -> Path:
    from samples import plans

    (tmp_path / "plan_2026.tsv").write_text("# the 2026 appendix (test)\n" + body, encoding="utf-8")
    monkeypatch.setattr(plans, "SEED_TABLES", tmp_path)
    layout = plans.PlanLayout(
        "plan_2026.tsv",
        (f"ỦY BAN NHÂN DÂN TỈNH {title_province}", "Phụ lục",
         f"NHIỆM VỤ CỤ THỂ THEO TỪNG LĨNH VỰC CẢI CÁCH HÀNH CHÍNH TỈNH {title_province} NĂM 2026",
         f"(Kèm theo Kế hoạch số: 215/KH-UBND ngày 26 tháng 12 năm 2025 của UBND tỉnh {title_province.title()})"),
        False, ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ""))
    return plans.write_plan(layout, tmp_path / "ke_hoach_2026.xlsx")


def test_dry_run_of_the_2026_plan_resolves_every_issuer_lead_and_group(tmp_path, monkeypatch, today_2026):
    parsed = parse_workbook(plan_2026(tmp_path, monkeypatch))
    assert parsed.errors == []
    assert parsed.meta.unit == NEW and parsed.meta.period == (2026, 2026)
    assert parsed.as_json()["plan"]["unit"] == "Tỉnh Ninh Bình"
    assert len(parsed.outputs) == 12
    communes = {f"UBND-{u['code']}" for u in csv_rows("units.csv") if u["province_code"] == NEW and u["level"] == "commune"}
    departments = {a["code"] for a in csv_rows("agencies.csv") if a["kind"] == "department" and a["unit_code"] == NEW}
    seen_codes: set[str] = set()
    for o in parsed.outputs:
        assert o.leads, o.row
        for r in o.leads + o.partners:
            if r.group == "commune_ubnd":
                assert set(r.members) == communes
            elif r.group == "departments":
                assert set(r.members) == departments
            elif r.code:
                assert ref().agency_valid(r.code, D2026) and ref().agencies.set_index("code").loc[r.code, "unit_code"] \
                    in {NEW} | {u["code"] for u in csv_rows("units.csv") if u["province_code"] == NEW}
                seen_codes.add(r.code)
    assert {"SNNMT-37-2025", "SKHCN-37-2025", "SVHTT-37-2025", "SDL-37-2025", "STC-37-2025", "SNV-37-2025",
            "VPUBND-37-2025", "CAT-37-2025", "TTPVHCC-37-2025", "UBND-14215-2025", "UBND-13669-2025"} <= seen_codes


def test_cli_dry_run_of_the_2026_plan(tmp_path, monkeypatch):
    code, out = _cli("import", str(plan_2026(tmp_path, monkeypatch)), "--dry-run", "--json", data_dir=tmp_path / "site")
    assert code == 0 and out["ok"] is True and out["errors"] == []
    assert out["plan"]["unit"] == "Tỉnh Ninh Bình" and out["plan"]["period"] == [2026, 2026]
    leads = {ld["name"] for t in out["tasks"] for ld in t["leads"]}
    assert {"Sở Nông nghiệp và Môi trường", "UBND cấp xã", "Các sở, ban, ngành", "UBND xã Hải Hậu"} <= leads


def test_a_2026_plan_naming_an_old_department_or_issuer_is_refused(tmp_path, monkeypatch, today_2026):
    body = PLAN_2026.replace("Sở Tài chính\tCác Sở", "Sở Kế hoạch và Đầu tư\tCác Sở")
    parsed = parse_workbook(plan_2026(tmp_path, monkeypatch, body=body))
    assert [(p.column, p.message) for p in parsed.errors] == [
        ("D", "Sở Kế hoạch và Đầu tư không còn từ 01/03/2025; cơ quan kế thừa: Sở Tài chính tỉnh Ninh Bình.")]
    old_issuer = parse_workbook(plan_2026(tmp_path, monkeypatch, title_province="NAM ĐỊNH"))
    assert "Tỉnh Nam Định không còn từ 01/07/2025; đơn vị kế thừa: Tỉnh Ninh Bình." in [p.message for p in old_issuer.errors]
    assert old_issuer.meta.unit is None
