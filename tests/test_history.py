"""History carried forward to the 2025 map (issue 9, second half): values of the old communes recombined on the new
ones, targets judged on the units they were set for, tasks of ended agencies counted against their heirs, the
province a view is about, editor scopes on the new territory and template drop-downs of the quarter's map.

The small world below is built by hand; the Quý IV/2024 check against the public converter builds its own frames
from the committed reference and asks `vietnamadminunits.convert_address` where each old commune went."""
from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics import agencies as ags
from analytics import frames as fr
from analytics import ranking_views as rv
from analytics import series as sr
from analytics import targets as tg
from analytics import task_views as tv
from analytics import units as un

P = pytest.param
NAN = float("nan")
ROOT = Path(__file__).resolve().parent.parent
END_OLD, START_NEW = date(2025, 6, 30), date(2025, 7, 1)

# --- a small world: old province P (district D: communes a, b, c) and Q; new province N (communes A, B) ----------
UNITS = pd.DataFrame([
    # code, name, level, province_code, valid_from, valid_to
    ("P", "Tỉnh Cũ", "province", "P", None, END_OLD),
    ("Q", "Tỉnh Bên", "province", "Q", None, END_OLD),
    ("D", "Huyện Giữa", "district", "P", None, END_OLD),
    ("a", "Xã An", "commune", "P", None, END_OLD),
    ("b", "Xã Bình", "commune", "P", None, END_OLD),
    ("c", "Xã Chia", "commune", "P", None, END_OLD),  # divided between A and B
    ("N", "Tỉnh Mới", "province", "N", START_NEW, None),
    ("A", "Xã Mới A", "commune", "N", START_NEW, None),
    ("B", "Phường Mới B", "commune", "N", START_NEW, None),
], columns=["code", "name", "level", "province_code", "valid_from", "valid_to"]).assign(
    short_name=lambda d: d["name"], type="", lat=NAN, lon=NAN, official_code=lambda d: d["code"])
PARENTS = pd.DataFrame([
    ("D", "P", None, END_OLD), ("a", "D", None, END_OLD), ("b", "D", None, END_OLD), ("c", "D", None, END_OLD),
    ("A", "N", START_NEW, None), ("B", "N", START_NEW, None),
], columns=["code", "parent_code", "valid_from", "valid_to"])
UNIT_SUCC = pd.DataFrame([
    ("a", "A", START_NEW, 1.0, "whole"), ("b", "B", START_NEW, 1.0, "whole"),
    ("c", "A", START_NEW, 0.5, "equal"), ("c", "B", START_NEW, 0.5, "equal"),
    ("P", "N", START_NEW, 1.0, "whole"), ("Q", "N", START_NEW, 1.0, "whole"),
], columns=["code", "successor_code", "valid_from", "share", "basis"])
AGENCIES = pd.DataFrame([
    # code, name, kind, unit_code, rank_group, valid_from, valid_to
    ("SX", "Sở Kế hoạch cũ", "department", "P", "department", None, date(2025, 2, 28)),
    ("SY", "Sở Tài chính cũ", "department", "P", "department", None, END_OLD),
    ("SZ", "Sở Tài chính mới", "department", "N", "department", START_NEW, None),
    ("UBND-D", "UBND huyện Giữa", "people_committee", "D", "district", None, END_OLD),
    ("PNV-D", "Phòng Nội vụ huyện Giữa", "district_office", "D", None, None, END_OLD),
    ("UBND-A", "UBND xã Mới A", "people_committee", "A", "commune", START_NEW, None),
    ("UBND-B", "UBND phường Mới B", "people_committee", "B", "commune", START_NEW, None),
    ("SK", "Sở Không đổi", "department", "N", "department", None, None),
], columns=["code", "name", "kind", "unit_code", "rank_group", "valid_from", "valid_to"]).assign(
    short_name=lambda d: d["name"])
AGENCY_SUCC = pd.DataFrame([
    ("SX", "SY", date(2025, 3, 1), 1.0, ""), ("SY", "SZ", START_NEW, 1.0, ""),
    ("UBND-D", "UBND-B", START_NEW, 0.4, "địa bàn"), ("UBND-D", "UBND-A", START_NEW, 0.6, "địa bàn"),
], columns=["code", "successor_code", "valid_from", "share", "note"])
INDICATORS = pd.DataFrame({"code": ["R", "C", "S"], "name": ["Tỷ lệ", "Số người", "Điểm"], "area_code": "procedure",
                           "unit": ["%", "người", "điểm"], "direction": "up", "is_rate": [True, False, False],
                           "batch_id": 1})
PAR_EMPTY = pd.DataFrame(columns=["year", "subject_kind", "subject_code", "component", "score", "max_score",
                                  "official_rank"])


def _values(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_code", "unit_code", "year", "quarter", "value", "numerator",
                                       "denominator"])


VALUES = _values([
    ("R", "a", 2024, 4, NAN, 30.0, 100.0), ("R", "b", 2024, 4, NAN, 10.0, 50.0), ("R", "c", 2024, 4, NAN, 40.0, 80.0),
    ("R", "A", 2026, 3, NAN, 90.0, 120.0),
    ("C", "a", 2024, 4, 10.0, NAN, NAN), ("C", "b", 2024, 4, 4.0, NAN, NAN), ("C", "c", 2024, 4, 6.0, NAN, NAN),
    ("S", "a", 2024, 4, 80.0, NAN, NAN), ("S", "b", 2024, 4, 70.0, NAN, NAN),
    ("S", "P", 2024, 4, 88.0, NAN, NAN),
])


def _frames(values: pd.DataFrame = VALUES, targets: pd.DataFrame | None = None, outputs=None, assignments=None,
            reports=None) -> fr.Frames:  # noqa: ANN001
    empty = pd.DataFrame()
    return fr.Frames(units=UNITS, parents=PARENTS, agencies=AGENCIES, outputs=outputs if outputs is not None else empty,
                       assignments=assignments if assignments is not None else empty,
                       reports=reports if reports is not None else empty, indicators=INDICATORS,
                       targets=targets if targets is not None else empty, values=values, par=PAR_EMPTY,
                       unit_successors=UNIT_SUCC, agency_successors=AGENCY_SUCC,
                       meta={"province": "N", "history_province": "P"})


# --- the province a view is about ---------------------------------------------------------------------------------
@pytest.mark.parametrize("on,current_map,expected", [
    P(date(2024, 12, 31), False, "P", id="2024-own-map"),
    P(date(2025, 6, 30), False, "P", id="last-day-of-old-map"),
    P(date(2025, 9, 30), False, "N", id="2025-q3"),
    P(date(2024, 12, 31), True, "N", id="2024-on-todays-map"),
])
def test_province_on(on, current_map, expected):
    assert un.province_on(_frames(), on, current_map) == expected


@pytest.mark.parametrize("year,expected", [P(2023, "P"), P(2025, "P"), P(2026, "N"), P(2030, "N")])
def test_a_target_is_judged_on_the_map_its_year_began_on(year, expected):
    assert tg.target_province(_frames(), year) == expected


# --- values carried forward ---------------------------------------------------------------------------------------
def _carried(indicator: str, unit: str) -> pd.Series | None:
    out = sr.carry_forward(sr.value_series(_frames(), date(2024, 12, 31)).query("source != 'carried'"),
                             _frames(), START_NEW)
    hit = out[(out["indicator_code"] == indicator) & (out["unit_code"] == unit)]
    return None if hit.empty else hit.iloc[0]


@pytest.mark.parametrize("indicator,unit,numerator,denominator,value,coverage", [
    # rates: Σ share·num / Σ share·den; c is divided, half to A and half to B
    P("R", "A", 30 + 20, 100 + 40, 100 * 50 / 140, 1.0, id="rate-whole-plus-half"),
    P("R", "B", 10 + 20, 50 + 40, 100 * 30 / 90, 1.0, id="rate-other-half"),
    # the new province from the old province's roll-up (a + b + c); Q has no figures: half of its predecessors
    P("R", "N", 80.0, 230.0, 100 * 80 / 230, 0.5, id="rate-province-partial"),
    # counts: Σ share·value
    P("C", "A", NAN, NAN, 10 + 3, 1.0, id="count-by-share"),
    P("C", "B", NAN, NAN, 4 + 3, 1.0, id="count-other-half"),
])
def test_carry_forward_recombines_by_share(indicator, unit, numerator, denominator, value, coverage):
    row = _carried(indicator, unit)
    assert row is not None
    for got, want in ((row["numerator"], numerator), (row["denominator"], denominator)):
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)
    assert row["value"] == pytest.approx(value)
    assert row["coverage"] == pytest.approx(coverage)
    assert (row["year"], row["quarter"], row["t"], row["source"]) == (2024, 4, 2025.0, "carried")


@pytest.mark.parametrize("indicator,unit", [
    P("S", "A", id="score-of-two-predecessors-not-summed"),
    P("S", "N", id="province-score-not-given-to-the-merged-province"),
    P("R", "a", id="old-units-get-nothing"),
])
def test_what_is_not_carried(indicator, unit):
    assert _carried(indicator, unit) is None


def test_values_of_the_new_map_are_not_carried_again():
    series = sr.value_series(_frames(), date(2026, 9, 30))
    a = series[(series["indicator_code"] == "R") & (series["unit_code"] == "A")].sort_values("t")
    assert list(a["source"]) == ["carried", "reported"]
    assert list(a["t"]) == [2025.0, 2026.75]
    n = series[(series["indicator_code"] == "R") & (series["unit_code"] == "N")].sort_values("t")
    assert list(n["source"]) == ["carried", "rollup"]  # Q3/2026: the new province rolled up from its communes


def test_level_series_per_province_do_not_mix_old_and_new_communes():
    f = _frames()
    sv = sr.subject_values(sr.value_series(f, date(2024, 12, 31)), f.units)
    old = sv[(sv["unit_code"] == "level:commune@P") & (sv["indicator_code"] == "R")].iloc[0]
    new = sv[(sv["unit_code"] == "level:commune@N") & (sv["indicator_code"] == "R")].iloc[0]
    assert (old["numerator"], old["denominator"]) == (80.0, 230.0)  # a + b + c
    assert (new["numerator"], new["denominator"]) == pytest.approx((80.0, 230.0))  # A + B: the same territory


# --- targets: 2025 on the old province, 2030 on the new one ---------------------------------------------------------
def test_targets_are_judged_on_the_units_they_were_set_for():
    targets = pd.DataFrame({
        "id": [1, 2, 3], "batch_id": 1, "indicator_code": "R", "level": ["province", "province", "commune"],
        "scope_unit_code": None, "year": [2025, 2030, 2030], "kind": "at_least", "value": [30.0, 50.0, 50.0],
        "value_high": NAN, "baseline_year": NAN, "step": NAN, "cap": NAN, "group_code": None, "relative": False,
        "text": ["Tối thiểu 30%", "Tối thiểu 50%", "Tối thiểu 50%"], "source": "thử", "is_current": True})
    f = _frames(targets=targets)
    a = tg.assess_targets(f, 2026, 3).set_index("id")
    assert a.loc[1, "subject"] == "P"  # Nam Định's 2025 target stays on Nam Định
    assert a.loc[1, "observed"] == pytest.approx(100 * 80 / 230)  # its last figure, Q4/2024
    assert a.loc[2, "subject"] == "N"
    assert a.loc[2, "observed"] == pytest.approx(75.0)  # Q3/2026 on the new map: A's 90/120
    assert a.loc[3, "subject"] == "level:commune@N"
    view_old = tg.target_overview(tg.assess_targets(f, 2024, 4), sr.subject_values(
        sr.value_series(f, date(2024, 12, 31)), f.units), 2025.0, province="P").set_index("key")
    assert view_old.loc["R|province|", "subject"] == "P"
    view_now = tg.target_overview(tg.assess_targets(f, 2024, 4), sr.subject_values(
        sr.value_series(f, date(2024, 12, 31)), f.units), 2025.0, province="N").set_index("key")
    assert view_now.loc["R|province|", "subject"] == "N"


# --- tasks of ended agencies ------------------------------------------------------------------------------------------
def _task_frames(agencies: list[str]) -> fr.Frames:
    n = len(agencies)
    outputs = pd.DataFrame({
        "output_id": range(1, n + 1), "ref": [f"1.{i}" for i in range(1, n + 1)], "output_no": "1",
        "output": [f"Sản phẩm {i}" for i in range(1, n + 1)], "lead_text": "", "partner_text": "",
        "deadline_text": "Năm 2024", "deadline_kind": "once", "sheet": "Phụ lục", "row": 1, "task_id": 1, "task_no": "1",
        "task": "Nhiệm vụ", "area_code": "procedure", "area_text": "", "plan_id": 1, "plan_code": "P-2024",
        "plan_title": "KH", "plan_number": "1/KH-UBND", "issuer_unit_code": "P", "period_from": 2024,
        "period_to": 2025, "due_dates": [(date(2024, 9, 30),)] * n})
    assignments = pd.DataFrame({"assignment_id": range(1, n + 1), "output_id": range(1, n + 1),
                                "agency_code": agencies, "role": "lead", "via_group": None})
    reports = pd.DataFrame(columns=["assignment_id", "year", "quarter", "status", "percent", "evidence", "note",
                                    "batch_id"])
    return _frames(outputs=outputs, assignments=assignments, reports=reports)


@pytest.mark.parametrize("agency,year,quarter,counted_as,former", [
    P("SX", 2024, 4, "SX", None, id="before-the-merger"),
    P("SX", 2025, 1, "SY", "Sở Kế hoạch cũ", id="merged-01-03-2025"),
    P("SX", 2026, 3, "SZ", "Sở Kế hoạch cũ", id="chain-to-the-new-province"),
    P("SY", 2025, 2, "SY", None, id="still-in-force"),
    P("UBND-D", 2025, 3, "UBND-A", "UBND huyện Giữa", id="district-to-largest-share"),
    P("PNV-D", 2025, 3, "UBND-A", "Phòng Nội vụ huyện Giữa", id="district-office-via-its-ubnd"),
    P("SK", 2026, 3, "SK", None, id="never-ended"),
])
def test_open_tasks_of_ended_agencies_are_counted_against_their_heir(agency, year, quarter, counted_as, former):
    f = _task_frames([agency])
    st = tv.task_status(f, year, quarter)
    assert list(st["agency_code"]) == [counted_as]
    assert st["status"].iloc[0] == "overdue"
    got = st["former_name"].iloc[0]
    assert (got if isinstance(got, str) else None) == former
    table = ags.agency_table(st, f.agencies, f.units)
    assert table["formerly"].iloc[0] == (f"trước đây: {former}" if former else "")
    if counted_as.startswith("UBND-"):
        assert st["agency_unit"].iloc[0] == counted_as.removeprefix("UBND-")


def test_heirs_take_the_work_of_several_ended_agencies():
    f = _task_frames(["SX", "SY", "SZ"])
    st = tv.task_status(f, 2026, 3)
    assert set(st["agency_code"]) == {"SZ"}
    assert ags.formerly(st) == {"SZ": "trước đây: Sở Kế hoạch cũ, Sở Tài chính cũ"}
    rollup = ags.agency_table(st, f.agencies, f.units).set_index("agency_code")
    assert rollup.loc["SZ", "total_lead"] == 3 and rollup.loc["SZ", "overdue_lead"] == 3


# --- Quý IV/2024 on today's map, against the package's converter ----------------------------------------------------
def _converter_q4_2024() -> tuple[dict[str, str], dict[str, tuple[float, float]]]:
    """Old Nam Định commune → its new commune's code (the package's convert_address), and a deterministic
    numerator/denominator per old commune for Quý IV/2024."""
    import sqlite3

    vau = pytest.importorskip("vietnamadminunits")
    db = Path(vau.__file__).resolve().parent / "data" / "dataset.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT wardCode, ward, district, province FROM admin_units_legacy WHERE provinceCode = '36'"
                           ).fetchall()
    finally:
        con.close()
    new_of = {code: vau.convert_address(f"{w}, {d}, {p}").ward_code for code, w, d, p in rows}
    parts = {code: (float(100 + int(code) % 97), float(200 + int(code) % 113)) for code in new_of}
    return new_of, parts


@pytest.fixture
def reference_frames(sqlite_engine):
    from store import queries

    return queries.frames(sqlite_engine)


@pytest.mark.parametrize("new_name", ["Phường Nam Định", "Xã Hải Hậu", "Xã Giao Thủy", "Xã Nghĩa Hưng", "Xã Ý Yên"])
def test_q4_2024_on_todays_map_equals_the_converters_combination(reference_frames, new_name):
    import dataclasses

    new_of, parts = _converter_q4_2024()
    with (ROOT / "data" / "reference" / "units.csv").open(encoding="utf-8", newline="") as fh:
        new_codes = {r["official_code"] for r in csv.DictReader(fh)
                     if r["name"] == new_name and r["province_code"] == "37-2025" and r["level"] == "commune"}
    assert len(new_codes) == 1, new_name
    new_code = new_codes.pop()
    olds = [o for o, n in new_of.items() if n == new_code]
    assert olds, new_name
    expected = 100.0 * sum(parts[o][0] for o in olds) / sum(parts[o][1] for o in olds)

    values = _values([("R", o, 2024, 4, NAN, num, den) for o, (num, den) in parts.items()])
    f = dataclasses.replace(reference_frames, values=values, indicators=INDICATORS, par=PAR_EMPTY)
    series = sr.value_series(f, date(2024, 12, 31))
    hit = series[(series["unit_code"] == f"{new_code}-2025") & (series["indicator_code"] == "R")]
    assert len(hit) == 1 and hit["source"].iloc[0] == "carried" and hit["t"].iloc[0] == 2025.0
    assert hit["value"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert hit["numerator"].iloc[0] == pytest.approx(sum(parts[o][0] for o in olds))
    # the old province's figure is the sum over all of its communes, carried whole to the new province
    prov = series[(series["unit_code"] == "37-2025") & (series["indicator_code"] == "R")]
    assert prov["numerator"].iloc[0] == pytest.approx(sum(p[0] for p in parts.values()))


# --- the known gaps: frames, editor scopes, template drop-downs -------------------------------------------------
def test_frames_carry_the_successor_tables_and_the_province(reference_frames):
    f = reference_frames
    assert {"code", "successor_code", "valid_from", "share"} <= set(f.unit_successors.columns)
    assert ("13669", "13669-2025") in set(zip(f.unit_successors["code"], f.unit_successors["successor_code"]))
    assert ("SKHDT", "STC") in set(zip(f.agency_successors["code"], f.agency_successors["successor_code"]))
    assert (f.meta["province"], f.meta["history_province"]) == ("37-2025", "36")
    assert un.province_on(f, date(2024, 12, 31)) == "36"
    assert un.province_on(f, date(2026, 9, 30)) == "37-2025"
    assert len(un.children(f.units, f.parents, un.province_on(f, date(2026, 9, 30)), date(2026, 9, 30))) == 129


@pytest.mark.parametrize("agencies,units,allowed,refused", [
    # an editor of the former Hải Hậu district writes for the new communes on its territory, not for others
    P([], ["366"], ["14215-2025", "14215"], ["13669-2025"], id="former-district"),
    # the former Thành phố Nam Định (with Mỹ Lộc since 2025): Phường Nam Định
    P([], ["356"], ["13669-2025", "13636"], ["14215-2025"], id="former-city"),
    # an editor of the new province writes for its communes
    P([], ["37-2025"], ["14215-2025", "13669-2025"], ["14215"], id="new-province"),
])
def test_editor_scopes_cover_the_territory_held_now(sqlite_engine, agencies, units, allowed, refused):
    from store.users import scope_for

    scope = scope_for(agencies, units, False, sqlite_engine)
    assert all(scope.allows_unit(u) for u in allowed), [u for u in allowed if not scope.allows_unit(u)]
    assert not any(scope.allows_unit(u) for u in refused)


@pytest.mark.parametrize("agency,carries", [
    P("SKHDT", ["STC", "STC-37-2025"], id="merged-01-03-2025-then-the-new-province"),
    P("SNV", ["SNV-37-2025"], id="the-new-provinces-department"),
])
def test_an_agency_editor_writes_for_the_agencys_successors(sqlite_engine, agency, carries):
    from store.users import scope_for

    scope = scope_for([agency], [], False, sqlite_engine)
    assert all(scope.allows_agency(c, None) for c in carries)
    assert not scope.allows_agency("STP-37-2025", None)


@pytest.mark.parametrize("on,present,absent", [
    P(date(2024, 12, 31), ["Tỉnh Nam Định", "Huyện Hải Hậu", "Sở Kế hoạch và Đầu tư"], ["Xã Hải Hậu"], id="2024"),
    P(date(2026, 9, 30), ["Tỉnh Ninh Bình", "Xã Hải Hậu", "Phường Nam Định", "Sở Nông nghiệp và Môi trường"],
      ["Tỉnh Nam Định", "Huyện Hải Hậu", "Sở Kế hoạch và Đầu tư"], id="2026"),
])
def test_template_drop_downs_list_the_quarters_units_and_agencies(on, present, absent):
    from exports.templates import _lists

    lists = _lists(on)
    names = set(lists["ds_dia_ban"]) | set(lists["ds_co_quan"])
    assert set(present) <= names
    assert not (set(absent) & names)


def test_a_prefilled_progress_template_lists_the_units_of_its_quarter(sqlite_engine):
    import io

    from openpyxl import load_workbook

    from components.exporting import progress_template
    from exports.templates import LISTS_SHEET

    def units_of(year: int, quarter: int) -> set[str]:
        wb = load_workbook(io.BytesIO(progress_template(sqlite_engine, [], year, quarter)))
        ws = wb[LISTS_SHEET]
        col = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == "ds_dia_ban")
        return {ws.cell(r, col).value for r in range(2, ws.max_row + 1)} - {None}

    q3_2026, q4_2024 = units_of(2026, 3), units_of(2024, 4)
    assert {"Tỉnh Ninh Bình", "Xã Hải Hậu"} <= q3_2026 and not {"Tỉnh Nam Định", "Huyện Hải Hậu"} & q3_2026
    assert {"Tỉnh Nam Định", "Huyện Hải Hậu"} <= q4_2024 and "Xã Hải Hậu" not in q4_2024


# --- drilling and lineage -----------------------------------------------------------------------------------------
TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("unit,on,current_map,expected", [
    P(None, date(2024, 12, 31), False, ("P", "P", None, date(2024, 12, 31), False), id="2024-province"),
    P("D", date(2024, 12, 31), False, ("P", "D", None, date(2024, 12, 31), False), id="2024-district"),
    P("a", date(2024, 12, 31), False, ("P", "D", "a", date(2024, 12, 31), False), id="2024-commune-in-its-district"),
    P("A", date(2024, 12, 31), False, ("P", "P", None, date(2024, 12, 31), True), id="2024-new-commune-unknown"),
    P(None, date(2026, 9, 30), False, ("N", "N", None, date(2026, 9, 30), False), id="2026-province"),
    P("A", date(2026, 9, 30), False, ("N", "N", "A", date(2026, 9, 30), False), id="2026-commune-directly"),
    P("D", date(2026, 9, 30), False, ("N", "N", None, date(2026, 9, 30), True), id="2026-no-districts"),
    P("A", date(2024, 12, 31), True, ("N", "N", "A", TODAY, False), id="2024-on-todays-map"),
])
def test_drill_state(unit, on, current_map, expected):
    d = un.drill_state(_frames(), unit, on, current_map, TODAY)
    assert (d.province, d.parent, d.focus, d.map_on, d.unknown) == expected


@pytest.mark.parametrize("code,expected", [
    P("A", ["Hình thành ngày 01/07/2025 từ: Xã An, Xã Chia (50 %)."], id="new-from-whole-and-half"),
    P("c", ["Không còn từ 01/07/2025; địa bàn nay thuộc: Phường Mới B (50 %), Xã Mới A (50 %)."], id="divided"),
    P("a", ["Không còn từ 01/07/2025; địa bàn nay thuộc: Xã Mới A."], id="whole"),
    P("D", ["Không còn từ 01/07/2025; địa bàn nay thuộc: Phường Mới B (50 %), Xã Mới A (50 %)."],
      id="abolished-district-by-its-communes"),
    P("N", ["Hình thành ngày 01/07/2025 từ: Tỉnh Bên, Tỉnh Cũ."], id="new-province"),
    P("zz", [], id="unknown"),
])
def test_unit_lineage(code, expected):
    assert un.unit_lineage(_frames(), code) == expected


# --- PAR INDEX: each year ranks its own subjects -------------------------------------------------------------------
def _par(rows: list[tuple]) -> pd.DataFrame:
    out = []
    for year, kind, code, score in rows:
        out.append({"year": year, "subject_kind": kind, "subject_code": code, "component": "procedure",
                    "score": score, "max_score": 100.0, "official_rank": NAN})
    return pd.DataFrame(out)


PAR = _par([
    (2024, "district", "D", 80.0), (2024, "department", "SX", 70.0), (2024, "department", "SY", 75.0),
    (2024, "commune", "a", 60.0), (2024, "commune", "b", 65.0),
    (2025, "department", "SZ", 78.0), (2025, "department", "SK", 82.0),
    (2025, "commune", "A", 71.0), (2025, "commune", "B", 69.0),
])


@pytest.mark.parametrize("year,kind,parent,subjects,prev", [
    P(2024, "district", None, ["D"], [None], id="2024-districts"),
    P(2025, "district", None, [], [], id="2025-no-districts"),
    P(2024, "commune", "D", ["b", "a"], [None, None], id="2024-communes-in-their-district"),
    P(2025, "commune", "N", ["A", "B"], [None, None], id="2025-new-communes-in-the-province"),
    P(2025, "department", None, ["SK", "SZ"], [None, None], id="2025-merged-departments-no-carried-rank"),
])
def test_par_rankings_stay_in_the_years_own_subjects(year, kind, parent, subjects, prev):
    par = rv.par_with_parents(PAR, PARENTS)
    table = rv.rank_table_for(par, year, kind, parent)
    assert list(table["subject_code"]) == subjects
    assert [None if pd.isna(r) else int(r) for r in table["prev_rank"]] == prev
    assert rv.par_years(par, "district") == [2024]
