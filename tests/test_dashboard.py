"""View models of the dashboard views (analytics: units, series, targets, task_views, agencies, ranking_views, labels), against hand-made frames and hand-computed tables."""
from __future__ import annotations

import math
from datetime import date as D

import numpy as np
import pandas as pd
import pytest

from analytics import agencies as ags
from analytics import labels as lb
from analytics import ranking_views as rv
from analytics import series as sr
from analytics import targets as tg
from analytics import task_views as tv
from analytics import units as un
from catalogue import PROGRESS_STATUSES, TASK_STATUSES, UI
from formats import unit_suffix

P = pytest.param
NAN = float("nan")
ON = D(2024, 12, 31)

# --- a small hierarchy: province 36 → districts 356 (city), 365 → communes; 358 merged into 356 in 2025 ----
UNITS = pd.DataFrame([
    ("36", "Tỉnh Nam Định", "Nam Định", "province", None, None, 20.3, 106.2),
    ("356", "Thành phố Nam Định", "TP Nam Định", "district", None, None, 20.44, 106.17),
    ("358", "Huyện Mỹ Lộc", "Mỹ Lộc", "district", None, D(2024, 12, 31), 20.46, 106.14),
    ("365", "Huyện Giao Thủy", "Giao Thủy", "district", None, None, 20.25, 106.45),
    ("13636", "Phường Vị Xuyên", "Vị Xuyên", "commune", None, None, 20.43, 106.17),
    ("13700", "Xã Mỹ Hà", "Mỹ Hà", "commune", None, None, 20.47, 106.13),
    ("14300", "Xã Giao Hà", "Giao Hà", "commune", None, None, 20.26, 106.46),
    ("14301", "Thị trấn Ngô Đồng", "Ngô Đồng", "commune", None, None, 20.25, 106.44),
], columns=["code", "name", "short_name", "level", "valid_from", "valid_to", "lat", "lon"])
PARENTS = pd.DataFrame([
    ("356", "36", None, None), ("358", "36", None, D(2024, 12, 31)), ("365", "36", None, None),
    ("13636", "356", None, None), ("13700", "358", None, D(2024, 12, 31)), ("13700", "356", D(2025, 1, 1), None),
    ("14300", "365", None, None), ("14301", "365", None, None),
], columns=["code", "parent_code", "valid_from", "valid_to"])


# --- units -----------------------------------------------------------------------------------
@pytest.mark.parametrize("code,on,expected", [
    P("36", ON, {"356", "358", "365", "13636", "13700", "14300", "14301"}, id="province-2024"),
    P("36", D(2025, 3, 31), {"356", "365", "13636", "13700", "14300", "14301"}, id="province-2025-no-my-loc"),
    P("356", ON, {"13636"}, id="city-2024"),
    P("356", D(2025, 3, 31), {"13636", "13700"}, id="city-2025-gains-my-ha"),
    P("14300", ON, set(), id="commune-has-none"),
    P("999", ON, set(), id="unknown"),
])
def test_descendants(code, on, expected):
    assert un.descendants(PARENTS, code, on) == expected


@pytest.mark.parametrize("code,on,expected", [
    P("36", ON, ["36"], id="province"),
    P("365", ON, ["36", "365"], id="district"),
    P("13700", ON, ["36", "358", "13700"], id="commune-2024"),
    P("13700", D(2025, 3, 31), ["36", "356", "13700"], id="commune-after-merge"),
    P("999", ON, [], id="unknown"),
])
def test_unit_path(code, on, expected):
    assert [c for c, _n in un.unit_path(UNITS, PARENTS, code, on)] == expected


# --- indicators and targets ------------------------------------------------------------------
@pytest.mark.parametrize("level,scope,expected", [
    P("commune", None, "level:commune", id="commune-level"),
    P("district", "", "level:district", id="district-level"),
    P("province", None, "36", id="province"),
    P("all", NAN, "36", id="all-nan-scope"),
    P("all", "356", "356", id="scoped"),
    P("commune", "356", "356", id="scoped-wins"),
])
def test_target_subject(level, scope, expected):
    assert tg.target_subject(level, scope) == expected


VALUES = pd.DataFrame([
    # indicator, unit, t, value, numerator, denominator
    ("RATE", "36", 2023.25, NAN, 40.0, 100.0),
    ("RATE", "36", 2023.5, 45.0, NAN, NAN),
    ("RATE", "36", 2023.5, 47.0, NAN, NAN),  # a later row for the same time wins
    ("RATE", "36", 2024.0, 50.0, 50.0, 100.0),
    ("RATE", "36", 2024.25, NAN, NAN, NAN),  # nothing to show: dropped
    ("RATE", "36", 2024.5, 60.0, NAN, NAN),
    ("RATE", "356", 2024.0, 70.0, NAN, NAN),
    ("OTHER", "36", 2024.0, 3.0, NAN, NAN),
], columns=["indicator_code", "unit_code", "t", "value", "numerator", "denominator"])


@pytest.mark.parametrize("indicator,subject,as_of,expected", [
    P("RATE", "36", None, [(2023.25, 40.0), (2023.5, 47.0), (2024.0, 50.0), (2024.5, 60.0)], id="all"),
    P("RATE", "36", 2024.0, [(2023.25, 40.0), (2023.5, 47.0), (2024.0, 50.0)], id="cut-at-as-of"),
    P("RATE", "356", None, [(2024.0, 70.0)], id="district"),
    P("RATE", "365", None, [], id="no-values"),
    P("OTHER", "36", 2023.9, [], id="before-first"),
])
def test_subject_history(indicator, subject, as_of, expected):
    h = sr.subject_history(VALUES, indicator, subject, as_of)
    assert list(zip(h["t"], h["value"])) == expected


def test_subject_values_adds_level_series():
    units = pd.DataFrame({"code": ["a", "b", "D"], "level": ["commune", "commune", "district"]})
    series = pd.DataFrame([
        ("R", "a", 2024.0, 50.0, 5.0, 10.0), ("R", "b", 2024.0, 25.0, 10.0, 40.0), ("R", "D", 2024.0, 30.0, 15.0, 50.0),
    ], columns=["indicator_code", "unit_code", "t", "value", "numerator", "denominator"])
    out = sr.subject_values(series, units)
    level = out[out["unit_code"] == "level:commune"].iloc[0]
    assert (level["numerator"], level["denominator"], level["value"]) == (15.0, 50.0, 30.0)  # Σnum/Σden, not mean(50, 25)
    assert set(out["unit_code"]) == {"a", "b", "D", "level:commune", "level:district"}


def _assessed(rows: list[tuple]) -> pd.DataFrame:
    cols = ["id", "indicator_code", "name", "unit", "area_code", "level", "scope_unit_code", "year", "text", "status",
            "target_value", "base_at", "base_value"]
    return pd.DataFrame(rows, columns=cols)


ASSESSED = _assessed([
    (1, "RATE", "Tỷ lệ hồ sơ trực tuyến", "%", "procedure", "commune", None, 2025, "Tối thiểu 80%", "at_risk", 80.0, 2023.25, 40.0),
    (2, "RATE", "Tỷ lệ hồ sơ trực tuyến", "%", "procedure", "commune", None, 2030, "100%", "on_track", 100.0, 2023.25, 40.0),
    (3, "RATE", "Tỷ lệ hồ sơ trực tuyến", "%", "procedure", "commune", None, 2022, "Tối thiểu 30%", "achieved", 30.0, NAN, NAN),
    (4, "RATE", "Tỷ lệ hồ sơ trực tuyến", "%", "procedure", "all", "356", 2025, "Tối thiểu 90%", "no_data", NAN, NAN, NAN),
    (5, "PAR", "Chỉ số CCHC", "điểm", "direction", "province", None, 2030, "Từ 94 điểm", "off_track", 94.0, 2022.0, 86.0),
])


def test_target_overview_one_row_per_key():
    values = pd.concat([VALUES.assign(unit_code=VALUES["unit_code"].replace({"36": "level:commune"}))], ignore_index=True)
    out = tg.target_overview(ASSESSED, values, as_of=2024.0)
    assert list(out["key"]) == ["PAR|province|", "RATE|commune|", "RATE|all|356"]  # area order, then name, level
    rate = out.set_index("key").loc["RATE|commune|"]
    assert (rate["text_2025"], rate["status_2025"], rate["id_2025"]) == ("Tối thiểu 80%", "at_risk", 1)
    assert (rate["text_2030"], rate["target_2030"], rate["status_2030"], rate["id_2030"]) == ("100%", 100.0, "on_track", 2)
    assert rate["other"] == "2022: Tối thiểu 30%"
    assert rate["history"] == [40.0, 47.0, 50.0] and rate["current"] == 50.0 and rate["current_at"] == 2024.0
    scoped = out.set_index("key").loc["RATE|all|356"]
    assert scoped["subject"] == "356" and scoped["current"] == 70.0 and scoped["text_2030"] == ""
    par = out.set_index("key").loc["PAR|province|"]
    assert par["history"] == [] and math.isnan(par["current"]) and pd.isna(par["status_2025"])


def test_target_overview_empty():
    assert tg.target_overview(ASSESSED.iloc[0:0], VALUES, 2024.0).empty


@pytest.mark.parametrize("ids,stars,lines", [
    P([1, 2], [("Mục tiêu 2025", 2026.0, 80.0), ("Mục tiêu 2030", 2031.0, 100.0)],
      [("Lộ trình đến 2025", 2023.25, 40.0, 2026.0, 80.0), ("Lộ trình đến 2030", 2023.25, 40.0, 2031.0, 100.0)], id="both"),
    P([1, 3], [("Mục tiêu 2025", 2026.0, 80.0)], [("Lộ trình đến 2025", 2023.25, 40.0, 2026.0, 80.0)], id="other-years-left-out"),
    P([4], [], [], id="no-target-value"),
    P([5], [("Mục tiêu 2030", 2031.0, 94.0)], [("Lộ trình đến 2030", 2022.0, 86.0, 2031.0, 94.0)], id="score"),
])
def test_chart_lines(ids, stars, lines):
    assert tg.chart_lines(ASSESSED[ASSESSED["id"].isin(ids)]) == (stars, lines)


@pytest.mark.parametrize("indicator,level,scope,year,expected", [
    P("RATE", "commune", "", 2025, 1, id="level"),
    P("RATE", None, "", 2030, 2, id="first-level"),
    P("RATE", "all", "356", 2025, 4, id="scoped"),
    P("RATE", "all", "", 2025, None, id="scope-must-match"),
    P("RATE", "commune", "", 2024, None, id="no-such-year"),
    P("NOPE", None, None, 2025, None, id="unknown"),
])
def test_find_target(indicator, level, scope, year, expected):
    row = tg.find_target(ASSESSED, indicator, level, scope, year)
    assert (None if row is None else int(row["id"])) == expected


@pytest.mark.parametrize("level,scope", [P("commune", ""), P("all", "356"), P("province", None)])
def test_target_key_round_trip(level, scope):
    assert tg.parse_target_key(tg.target_key_of(level, scope)) == (level, scope or "")


def test_parse_target_key_absent():
    assert tg.parse_target_key(None) == (None, "")


# --- tasks -----------------------------------------------------------------------------------
@pytest.mark.parametrize("codes,expected", [
    P(["done", "overdue", "in_progress"], "overdue", id="overdue-worst"),
    P(["done", "no_report"], "no_report", id="missing-report"),
    P(["done", "done_late"], "done_late", id="late"),
    P(["continuous", "done"], "continuous", id="continuous"),
    P(["done"], "done", id="done"),
    P([None, NAN], None, id="nothing"),
    P([], None, id="empty"),
])
def test_worst_status(codes, expected):
    assert tv.worst_status(codes) == expected


def _status(rows: list[tuple]) -> pd.DataFrame:
    """Status rows (assignment, output, agency, role, status, due, evidence, agency_unit, area, agency_name)."""
    cols = ["assignment_id", "output_id", "agency_code", "role", "status", "due_date", "evidence", "agency_unit",
            "area_code", "agency_name"]
    df = pd.DataFrame(rows, columns=cols)
    df["due_date"] = pd.Series([r[5] for r in rows], dtype=object)
    return df.assign(output=[f"Sản phẩm {o}" for o in df["output_id"]], output_no="1", plan_number="158/KH-UBND",
                     plan_code="P1", task="Nhiệm vụ", agency_kind="department")


STATUS = _status([
    (1, 10, "STP", "lead", "done", D(2024, 6, 30), "QĐ 1/QĐ-STP", "36", "procedure", "Sở Tư pháp"),
    (2, 10, "SNV", "lead", "overdue", D(2024, 6, 30), None, "36", "procedure", "Sở Nội vụ"),
    (3, 10, "STC", "partner", "overdue", D(2024, 6, 30), None, "36", "procedure", "Sở Tài chính"),
    (4, 11, "STP", "partner", "in_progress", pd.NaT, None, "36", "institution", "Sở Tư pháp"),
    (5, 11, "UBND-365", "lead", "continuous", pd.NaT, "BC 2/BC-UBND", "365", "institution", "UBND huyện Giao Thủy"),
    (6, 12, "UBND-14300", "lead", "overdue", D(2024, 3, 31), None, "14300", None, "UBND xã Giao Hà"),
    (7, 12, "UBND-14301", "lead", "overdue", D(2024, 9, 30), None, "14301", None, "UBND thị trấn Ngô Đồng"),
    (8, 13, "UBND-14300", "lead", "overdue", D(2023, 12, 31), None, "14300", "procedure", "UBND xã Giao Hà"),
    (9, 14, "UBND-13636", "lead", "overdue", D(2024, 3, 31), None, "13636", "procedure", "UBND phường Vị Xuyên"),
])


@pytest.mark.parametrize("agency,expected", [
    P(None, {10: ("overdue", "QĐ 1/QĐ-STP", "lead"), 11: ("continuous", "BC 2/BC-UBND", "lead"),
             12: ("overdue", "", "lead"), 13: ("overdue", "", "lead"), 14: ("overdue", "", "lead")}, id="leads"),
    P("STP", {10: ("done", "QĐ 1/QĐ-STP", "lead"), 11: ("in_progress", "", "partner")}, id="one-agency"),
    P("STC", {10: ("overdue", "", "partner")}, id="partner-only"),
    P("XYZ", {}, id="unassigned"),
])
def test_output_status(agency, expected):
    out = tv.output_status(STATUS, agency)
    assert {r.output_id: (r.status, r.evidence, r.role) for r in out.itertuples()} == expected


def test_output_status_due_dates_of_live_occurrences():
    out = tv.output_status(STATUS).set_index("output_id")
    assert out.at[12, "due"] == (D(2024, 3, 31), D(2024, 9, 30))
    assert out.at[11, "due"] == ()


BASE = pd.DataFrame([
    # output, agency, role, ref, output text, lead text, partner text, deadline, kind, area, plan, evidence-free
    (10, "STP", "lead", "P1/I.1", "Kế hoạch số hóa hồ sơ", "Sở Tư pháp", "Sở Nội vụ", "Quý II/2024", "once", "procedure", "P1"),
    (10, "SNV", "lead", "P1/I.1", "Kế hoạch số hóa hồ sơ", "Sở Tư pháp", "Sở Nội vụ", "Quý II/2024", "once", "procedure", "P1"),
    (10, "STC", "partner", "P1/I.1", "Kế hoạch số hóa hồ sơ", "Sở Tư pháp", "Sở Nội vụ", "Quý II/2024", "once", "procedure", "P1"),
    (11, "STP", "partner", "P1/II.1", "Rà soát văn bản quy phạm", "UBND cấp huyện", "Sở Tư pháp", "Thường xuyên",
     "continuous", "institution", "P1"),
    (11, "UBND-365", "lead", "P1/II.1", "Rà soát văn bản quy phạm", "UBND cấp huyện", "Sở Tư pháp", "Thường xuyên",
     "continuous", "institution", "P1"),
    (20, "SNV", "lead", "P2/I.1", "Báo cáo Chỉ số CCHC", "Sở Nội vụ", None, "Năm 2026", "once", None, "P2"),
], columns=["output_id", "agency_code", "role", "ref", "output", "lead_text", "partner_text", "deadline_text",
            "deadline_kind", "area_code", "plan_code"]).assign(
    output_no="1", task_no="1", task="Nhiệm vụ chung", plan_title="Kế hoạch", due_dates=[(D(2024, 6, 30),)] * 3 + [()] * 3)
BASE["plan_number"] = BASE["plan_code"].map({"P1": "158/KH-UBND", "P2": "12/KH-UBND"})


def _table(agency=None) -> pd.DataFrame:  # noqa: ANN001
    prev = STATUS.assign(status=STATUS["status"].replace({"overdue": "in_progress", "done": "in_progress"}))
    return tv.task_table(BASE, STATUS, [("Quý I/2024", prev), ("Quý II/2024", STATUS)], agency)


def test_task_table_every_output_once():
    t = _table().set_index("output_id")
    assert list(t.index) == [10, 11, 20]
    assert t.at[10, "status"] == "overdue" and t.at[10, "q0"] == "in_progress" and t.at[10, "q1"] == "overdue"
    assert t.at[10, "agencies"] == ("SNV", "STC", "STP") and t.at[10, "due"] == (D(2024, 6, 30),)
    assert pd.isna(t.at[20, "status"]) and t.at[20, "due"] == ()  # a plan not started yet: no status


def test_task_table_per_agency():
    t = _table("STP").set_index("output_id")
    assert list(t.index) == [10, 11]
    assert (t.at[10, "status"], t.at[10, "role"]) == ("done", "lead")
    assert (t.at[11, "status"], t.at[11, "role"]) == ("in_progress", "partner")


@pytest.mark.parametrize("kwargs,expected", [
    P({}, [10, 11, 20], id="no-filter"),
    P({"q": "so hoa"}, [10], id="without-diacritics-any-spelling"),
    P({"q": "SỐ HÓA hồ"}, [10], id="with-diacritics-a-phrase"),
    P({"q": "so"}, [10, 11, 20], id="so-is-so-and-so"),
    P({"q": "số"}, [10, 20], id="so-with-diacritics-is-not-so"),
    P({"q": "sở"}, [10, 11, 20], id="department"),
    P({"q": "ho"}, [10], id="whole-words-only"),
    P({"q": "QĐ 1/QĐ-STP"}, [10], id="evidence-searchable"),
    P({"q": "stp"}, [10], id="code-inside-evidence"),
    P({"q": "hoa so"}, [], id="words-in-order"),
    P({"q": "chi so cchc"}, [20], id="phrase"),
    P({"plan": "P2"}, [20], id="plan"),
    P({"area": "institution"}, [11], id="area"),
    P({"area": "none"}, [20], id="area-none"),
    P({"agency": "STC"}, [10], id="agency-any-role"),
    P({"status": "continuous"}, [11], id="status"),
    P({"deadline_kind": "once"}, [10, 20], id="deadline-kind"),
    P({"q": "  "}, [10, 11, 20], id="blank-search"),
])
def test_filter_tasks(kwargs, expected):
    assert list(tv.filter_tasks(_table(), **kwargs)["output_id"]) == expected


# --- areas -----------------------------------------------------------------------------------
@pytest.mark.parametrize("rate,total,expected", [
    P(0.0, 10, "none", id="zero"),
    P(0.05, 20, "low", id="five-percent"),
    P(0.10, 10, "low", id="ten-percent-edge"),
    P(0.2, 10, "mid", id="twenty"),
    P(0.25, 4, "mid", id="quarter-edge"),
    P(0.5, 2, "high", id="half"),
    P(NAN, 0, "empty", id="no-outputs"),
    P(NAN, NAN, "empty", id="nan-total"),
])
def test_overdue_bucket(rate, total, expected):
    assert tv.overdue_bucket(rate, total) == expected


def test_overdue_buckets_use_catalogue_colours_and_labels():
    b = tv.overdue_buckets()
    assert b["high"] == (UI["bucket_high"], PROGRESS_STATUSES["off_track"].colour)
    assert b["none"][1] == PROGRESS_STATUSES["achieved"].colour and set(b) == {"none", "low", "mid", "high", "empty"}


@pytest.mark.parametrize("parent,area,expected", [
    # district 356 owns 13636 (1 overdue); 365 owns its own UBND (continuous) and 14300, 14301 (3 overdue)
    P("36", None, {"356": (1, 1, "high"), "358": (0, 0, "empty"), "365": (4, 3, "high")}, id="districts"),
    P("36", "institution", {"356": (0, 0, "empty"), "358": (0, 0, "empty"), "365": (1, 0, "none")}, id="one-area"),
    P("365", None, {"14300": (2, 2, "high"), "14301": (1, 1, "high")}, id="communes"),
])
def test_area_units(parent, area, expected):
    out = tv.area_units(STATUS, UNITS, PARENTS, parent, ON, area)
    assert {r.code: (r.total, r.overdue, r.bucket) for r in out.itertuples()} == expected


@pytest.mark.parametrize("unit,expected", [
    P("365", [(8, "UBND-14300"), (6, "UBND-14300"), (7, "UBND-14301")], id="district-worst-agency-first-then-due"),
    P("14301", [(7, "UBND-14301")], id="commune"),
    P("356", [(9, "UBND-13636")], id="city"),
    P("358", [], id="none"),
])
def test_unit_overdue(unit, expected):
    out = tv.unit_overdue(STATUS, PARENTS, unit, ON)
    assert list(zip(out["assignment_id"], out["agency_code"])) == expected


def test_count_by():
    out = tv.count_by(pd.DataFrame({"a": ["x", "y", "y", "z"]}), "a")
    assert list(zip(out["a"], out["n"])) == [("y", 2), ("x", 1), ("z", 1)]
    assert tv.count_by(pd.DataFrame({"a": []}), "a").empty


# --- agencies --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,level,expected", [
    P("department", "province", "department", id="department"),
    P("provincial_other", "province", "department", id="other-provincial"),
    P("people_committee", "province", "department", id="ubnd-province"),
    P("people_committee", "district", "district", id="ubnd-district"),
    P("people_committee", "commune", "commune", id="ubnd-commune"),
    P("district_office", "district", "office", id="office"),
])
def test_agency_group(kind, level, expected):
    assert ags.agency_group(kind, level) == expected


def test_agency_overdue_lead_first_then_due():
    s = pd.concat([STATUS, _status([(10, 15, "STP", "partner", "overdue", D(2023, 1, 31), None, "36", None, "Sở Tư pháp"),
                                    (11, 16, "STP", "lead", "overdue", D(2024, 1, 31), None, "36", None, "Sở Tư pháp")])])
    out = ags.agency_overdue(s, "STP")
    assert list(zip(out["output_id"], out["role"])) == [(16, "lead"), (15, "partner")]
    assert ags.agency_overdue(s, "SNV")["output_id"].tolist() == [10]


AGENCIES = pd.DataFrame([
    ("STP", "Sở Tư pháp", "Sở Tư pháp", "department", "36", "department"),
    ("UBND-36", "UBND tỉnh", "UBND tỉnh", "people_committee", "36", None),
    ("UBND-365", "UBND huyện Giao Thủy", "Giao Thủy", "people_committee", "365", "district"),
    ("UBND-14300", "UBND xã Giao Hà", "Giao Hà", "people_committee", "14300", "commune"),
    ("PTP-365", "Phòng Tư pháp Giao Thủy", "PTP Giao Thủy", "district_office", "365", None),
], columns=["code", "name", "short_name", "kind", "unit_code", "rank_group"])


@pytest.mark.parametrize("agency,expected", [
    P("STP", ("department", "STP"), id="department-by-agency-code"),
    P("UBND-365", ("district", "365"), id="district-by-unit-code"),
    P("UBND-14300", ("commune", "14300"), id="commune-by-unit-code"),
    P("UBND-36", None, id="province-committee-not-ranked-here"),
    P("PTP-365", None, id="office-not-ranked"),
    P("NOPE", None, id="unknown"),
])
def test_par_subject_and_back(agency, expected):
    assert ags.par_subject(AGENCIES, agency) == expected
    if expected:
        assert ags.par_agency(AGENCIES, *expected) == agency


def test_agency_table_groups():
    s = STATUS.merge(AGENCIES[["code", "kind"]], left_on="agency_code", right_on="code", how="left")
    s = s.drop(columns=["code", "agency_kind"]).rename(columns={"kind": "agency_kind"})
    s["agency_kind"] = s["agency_kind"].fillna("department")
    out = ags.agency_table(s, AGENCIES, UNITS).set_index("agency_code")
    assert out.at["UBND-365", "group"] == "district" and out.at["UBND-14300", "group"] == "commune"
    assert out.at["STP", "group"] == "department" and out.at["STP", "unit_name"] == "Tỉnh Nam Định"
    assert (out.at["STP", "total_lead"], out.at["STP", "done_lead"], out.at["STP", "total_partner"]) == (1, 1, 1)
    assert (out.at["STC", "overdue_lead"], out.at["STC", "overdue_partner"]) == (0, 1)


# --- rankings --------------------------------------------------------------------------------
def _par(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "subject_kind", "subject_code", "component", "score", "max_score",
                                       "official_rank"])


PAR = _par([
    # departments 2023 / 2024 with two components (max 50 + 50)
    (2023, "department", "STP", "procedure", 40.0, 50.0, None), (2023, "department", "STP", "direction", 40.0, 50.0, None),
    (2023, "department", "SNV", "procedure", 38.0, 50.0, None), (2023, "department", "SNV", "direction", 38.0, 50.0, None),
    (2023, "department", "STC", "procedure", 30.0, 50.0, None), (2023, "department", "STC", "direction", 30.0, 50.0, None),
    (2024, "department", "STP", "procedure", 37.0, 50.0, None), (2024, "department", "STP", "direction", 45.0, 50.0, None),
    (2024, "department", "SNV", "procedure", 45.0, 50.0, None), (2024, "department", "SNV", "direction", 45.0, 50.0, None),
    (2024, "department", "STC", "procedure", 41.0, 50.0, None), (2024, "department", "STC", "direction", 41.5, 50.0, None),
    # communes of two districts; 13700 moves from 358 to 356 in 2025 (still 358 in 2024)
    (2024, "commune", "14300", "total", 80.0, 100.0, None), (2024, "commune", "14301", "total", 70.0, 100.0, None),
    (2024, "commune", "13636", "total", 90.0, 100.0, None), (2024, "commune", "13700", "total", 60.0, 100.0, None),
    (2021, "province", "36", "total", 86.40, 100.0, 40), (2023, "province", "36", "total", 87.32, 100.0, 29),
    (2022, "province", "36", "total", 85.0, 100.0, None),
])


def test_par_with_parents():
    p = rv.par_with_parents(PAR, PARENTS)
    got = dict(zip(p.loc[p["subject_kind"] == "commune", "subject_code"], p.loc[p["subject_kind"] == "commune", "parent_code"]))
    assert got == {"14300": "365", "14301": "365", "13636": "356", "13700": "358"}
    assert p.loc[p["subject_kind"] == "department", "parent_code"].isna().all()


@pytest.mark.parametrize("kind,parent,expected", [
    P("department", None, [2024, 2023], id="departments"),
    P("commune", "365", [2024], id="communes-of-a-district"),
    P("commune", "366", [], id="district-without-scores"),
    P("province", None, [2023, 2022, 2021], id="province"),
])
def test_par_years(kind, parent, expected):
    assert rv.par_years(rv.par_with_parents(PAR, PARENTS), kind, parent) == expected


@pytest.mark.parametrize("change,expected", [
    P(3, "▲ 3", id="up"), P(-2, "▼ 2", id="down"), P(0, "=", id="same"), P(pd.NA, "–", id="na"), P(None, "–", id="none"),
])
def test_rank_arrow(change, expected):
    assert lb.rank_arrow(change) == expected


@pytest.mark.parametrize("x,decimals,expected", [
    P(1.2, 1, "+1,2", id="up"), P(-0.8, 1, "−0,8", id="down"), P(0.0, 1, "0,0", id="zero"),
    P(0.04, 1, "0,0", id="rounds-to-zero"), P(1234.5, 2, "+1.234,50", id="thousands"), P(NAN, 1, "–", id="missing"),
])
def test_signed(x, decimals, expected):
    assert lb.signed(x, decimals) == expected


EXPLAIN = {"rank": 12, "n": 20, "prev_rank": 9, "rank_change": -3, "score": 80.0, "prev_score": 78.8,
           "score_change": 1.2, "largest_loss": "procedure", "above_code": "X", "gap_to_above": 0.8}


@pytest.mark.parametrize("changes,expected", [
    P({}, "Hạng 12/20, giảm 3 bậc dù điểm tăng 1,2; mất điểm nhiều nhất ở «Cải cách thủ tục hành chính»; "
          "kém hạng trên 0,8 điểm", id="the-story-of-so-tu-phap"),
    P({"rank_change": 2, "score_change": 3.45, "largest_loss": None}, "Hạng 12/20, tăng 2 bậc, điểm tăng 3,5; "
      "kém hạng trên 0,8 điểm", id="up-with-score"),
    P({"rank_change": 2, "score_change": -0.5, "largest_loss": None}, "Hạng 12/20, tăng 2 bậc dù điểm giảm 0,5; "
      "kém hạng trên 0,8 điểm", id="up-although-score-fell"),
    P({"rank_change": 0, "score_change": 0.0, "largest_loss": None, "gap_to_above": 0.04},
      "Hạng 12/20, giữ nguyên hạng, điểm không đổi; kém hạng trên 0,04 điểm", id="same-small-gap"),
    P({"rank": 1, "rank_change": None, "prev_rank": None, "score_change": None, "largest_loss": None, "above_code": None,
       "gap_to_above": None}, "Hạng 1/20, năm trước chưa được xếp hạng; đứng đầu", id="new-leader"),
])
def test_explain_text(changes, expected):
    assert rv.explain_text(EXPLAIN | changes) == expected


def test_par_detail_department():
    par = rv.par_with_parents(PAR, PARENTS)
    d = rv.par_detail(par, "department", "STP")
    assert d["year"] == 2024 and d["years"] == [2024, 2023]
    r = d["row"]
    assert (int(r["rank"]), int(r["n"]), int(r["rank_change"])) == (3, 3, -2)
    assert d["explanation"].startswith("Hạng 3/3, giảm 2 bậc dù điểm tăng 2,0; mất điểm nhiều nhất ở «Cải cách thủ tục")
    assert list(d["components"]["component"]) == ["direction", "procedure"]
    assert d["components"].set_index("component").at["procedure", "leader_score"] == 45.0


@pytest.mark.parametrize("kind,subject,year,expected", [
    P("commune", "14301", None, ("365", 2, 2), id="commune-within-its-district"),
    P("commune", "13700", 2024, ("358", 1, 1), id="commune-of-a-merged-district"),
    P("department", "STC", 2023, (None, 3, 3), id="an-older-year"),
])
def test_par_detail_peers(kind, subject, year, expected):
    d = rv.par_detail(rv.par_with_parents(PAR, PARENTS), kind, subject, year)
    assert (d["parent"], int(d["row"]["rank"]), int(d["row"]["n"])) == expected


@pytest.mark.parametrize("kind,subject", [P("department", "NOPE", id="unknown"), P("district", "365", id="no-kind")])
def test_par_detail_none(kind, subject):
    assert rv.par_detail(rv.par_with_parents(PAR, PARENTS), kind, subject) is None


def test_rank_table_for_empty_kind():
    assert rv.rank_table_for(PAR.assign(parent_code=None), 2024, "district").empty


def test_province_history():
    h = rv.province_history(PAR)
    assert list(h["year"]) == [2021, 2022, 2023]
    assert list(h["score"]) == [86.40, 85.0, 87.32]
    assert h["official_rank"].iloc[0] == 40 and pd.isna(h["official_rank"].iloc[1])


# --- display helpers -------------------------------------------------------------------------
@pytest.mark.parametrize("code,table,expected", [
    P("at_risk", PROGRESS_STATUSES, "! Có nguy cơ", id="progress"),
    P("overdue", TASK_STATUSES, "▲ Quá hạn", id="task"),
    P("nope", PROGRESS_STATUSES, "", id="unknown"),
    P(None, PROGRESS_STATUSES, "", id="missing"),
])
def test_status_text(code, table, expected):
    assert lb.status_text(code, table) == expected


def test_status_colours_come_from_the_catalogue():
    assert lb.status_colours(TASK_STATUSES)["▲ Quá hạn"] == TASK_STATUSES["overdue"].colour
    assert set(lb.status_colours()) == {lb.status_text(c) for c in PROGRESS_STATUSES}


def test_figures_are_pure_and_use_catalogue_colours():
    from components import figures

    units = tv.area_units(STATUS, UNITS, PARENTS, "36", ON).assign(value=[1.0, np.nan, 2.0])
    labels = {c: lab for c, (lab, _col) in tv.overdue_buckets().items()}
    colours = {c: col for c, (_lab, col) in tv.overdue_buckets().items()}
    fig = figures.unit_bars(units, "value", "bucket", labels, colours, "%")
    assert {tuple(t.customdata) for t in fig.data} == {("356", "365")}
    assert fig.data[0].marker.color == PROGRESS_STATUSES["off_track"].colour
    traces = figures.unit_map(units, "bucket", labels, colours).data
    assert sorted(c for t in traces for c in t.customdata) == ["356", "358", "365"]
    assert {t.name: t.marker.color for t in traces}[UI["bucket_empty"]] == PROGRESS_STATUSES["no_data"].colour


@pytest.mark.parametrize("v,unit,expected", [
    P(54.94, "%", "54,9 %", id="percent"),
    P(85.0, "% điểm tối đa", "85,0 % điểm tối đa", id="percent-of-max"),
    P(86.4, "điểm", "86,40 điểm", id="score"),
    P(3.0, "hạng", "hạng 3", id="rank"),
    P(1.0, "mốc", UI["milestone_done"], id="milestone-done"),
    P(0.0, "mốc", UI["milestone_not_done"], id="milestone-not-done"),
    P(1234.5, "hồ sơ", "1.234,5 hồ sơ", id="other-unit"),
    P(12.0, None, "12,0", id="no-unit"),
    P(NAN, "%", "–", id="missing"),
])
def test_fmt_value(v, unit, expected):
    assert lb.fmt_value(v, unit) == expected


@pytest.mark.parametrize("unit,expected", [P("%", " %"), P("% điểm tối đa", " %"), P("điểm", " điểm"), P(None, "")])
def test_unit_suffix(unit, expected):
    assert unit_suffix(unit) == expected


def test_components_display():
    d = rv.par_detail(rv.par_with_parents(PAR, PARENTS), "department", "STP")
    out = rv.components_display(d["components"])
    assert list(out.columns) == [UI["col_component"], UI["col_score"], UI["col_leader"], UI["col_average"], UI["col_change"]]
    proc = out.set_index(UI["col_component"]).loc["Cải cách thủ tục hành chính"]
    assert (proc[UI["col_score"]], proc[UI["col_leader"]], proc[UI["col_average"]], proc[UI["col_change"]]) == \
        ("37,00/50,00", "45,00", "41,00", "−3,00")


def _overview() -> pd.DataFrame:
    return tg.target_overview(ASSESSED, VALUES.assign(unit_code=VALUES["unit_code"].replace({"36": "level:commune"})),
                                as_of=2024.0)


@pytest.mark.parametrize("level,area,expected", [
    P(None, None, ["PAR|province|", "RATE|commune|", "RATE|all|356"], id="all"),
    P("commune", None, ["RATE|commune|"], id="level"),
    P(None, "procedure", ["RATE|commune|", "RATE|all|356"], id="area"),
    P("province", "procedure", [], id="both"),
])
def test_filter_targets(level, area, expected):
    out = tg.filter_targets(_overview(), level, area)
    assert list(out["key"]) == expected and list(out.index) == list(range(len(expected)))


@pytest.mark.parametrize("indicator,key,expected", [
    P("RATE", None, 1, id="first-row-of-the-indicator"),
    P("RATE", "all@356", 2, id="scoped-key"),
    P("RATE", "district", 1, id="unknown-level-falls-back"),
    P("PAR", "province", 0, id="exact"),
    P("NOPE", None, None, id="unknown-indicator"),
    P(None, "commune", None, id="nothing-opened"),
])
def test_open_row(indicator, key, expected):
    assert tg.open_row(_overview(), indicator, key) == expected


def test_key_rows_and_behind():
    assert sorted(tg.key_rows(ASSESSED, "RATE", "commune", "")["id"]) == [1, 2, 3]
    assert list(tg.key_rows(ASSESSED, "RATE", "all", "356")["id"]) == [4]
    ov = _overview()
    assert (tg.behind(ov, 2025), tg.behind(ov, 2030)) == (1, 1)  # RATE commune at risk; PAR off track


def test_map_targets_province_wide_with_figures_first():
    out = tg.map_targets(_overview())
    assert list(out["key"]) == ["RATE|commune|", "PAR|province|"]


@pytest.mark.parametrize("key,expected", [P("RATE|commune|", ["2025", "2030"]), P("RATE|all|356", ["2025"]),
                                          P("PAR|province|", ["2030"])])
def test_horizons_of(key, expected):
    assert tg.horizons_of(_overview().set_index("key").loc[key]) == expected


@pytest.mark.parametrize("unit,on,expected", [
    P("365", ON, "365", id="district"), P("358", D(2025, 3, 31), "36", id="district-gone"),
    P("14300", ON, "36", id="commune-is-not-a-drill-target"), P(None, ON, "36", id="none"), P("999", ON, "36", id="unknown"),
])
def test_district_or_province(unit, on, expected):
    assert un.district_or_province(UNITS, PARENTS, unit, on) == expected


def test_commune_districts():
    par = rv.par_with_parents(PAR, PARENTS)
    assert rv.commune_districts(par, dict(zip(UNITS["code"], UNITS["name"]))) == ["365", "358", "356"]  # by name: Giao Thủy, Mỹ Lộc, Thành phố
