"""Tests for loaders.targets.parse_target and the seed target table data/reference/seed_targets.csv."""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from pathlib import Path

import pytest

import catalogue
from loaders.targets import _parse_text, parse_target

ROOT = Path(__file__).resolve().parents[1]
CSV_PATH = ROOT / "data" / "reference" / "seed_targets.csv"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"

# --- (a) the parser on typed wording --------------------------------------------------------------
# text, year, kind, value, value_high, baseline_year, step, cap, group, relative
N = None
PARSE_CASES: list[tuple] = [
    # at_least
    ("Tối thiểu 80%", 2025, "at_least", 80, N, N, N, N, N, True),
    ("≥ 80%", 2025, "at_least", 80, N, N, N, N, N, True),
    (">= 80%", 2025, "at_least", 80, N, N, N, N, N, True),
    ("80%", 2025, "at_least", 80, N, N, N, N, N, True),
    ("100%", 2030, "at_least", 100, N, N, N, N, N, True),
    ("Đạt từ 30% trở lên", 2025, "at_least", 30, N, N, N, N, N, True),
    ("trên 30%", 2030, "at_least", 30, N, N, N, N, N, True),
    ("Đạt tối thiểu 90%", 2025, "at_least", 90, N, N, N, N, N, True),
    ("đạt từ 94 điểm trở lên", 2025, "at_least", 94, N, N, N, N, N, True),
    ("≥ 94 điểm", 2025, "at_least", 94, N, N, N, N, N, True),
    ("96% điểm tối đa", 2025, "at_least", 96, N, N, N, N, N, True),
    ("100% điểm tối đa", 2025, "at_least", 100, N, N, N, N, N, True),
    ("Từ 96% trở lên", 2025, "at_least", 96, N, N, N, N, N, True),
    ("Ít nhất 20%", 2025, "at_least", 20, N, N, N, N, N, True),
    ("Không dưới 30%", 2025, "at_least", 30, N, N, N, N, N, True),
    ("Phấn đấu 70%", 2022, "at_least", 70, N, N, N, N, N, True),
    ("2,5%", 2025, "at_least", 2.5, N, N, N, N, N, True),
    ("80", 2025, "at_least", 80, N, N, N, N, N, True),
    ("  Tối   thiểu  80 % ", 2025, "at_least", 80, N, N, N, N, N, True),
    (unicodedata.normalize("NFD", "Tối thiểu 80%"), 2025, "at_least", 80, N, N, N, N, N, True),
    ("Hoàn thành 100%", 2025, "at_least", 100, N, N, N, N, N, True),
    ("Mức độ hài lòng về TTHC lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 85%", 2025, "at_least", 85, N, N, N, N, N, True),
    # at_most
    ("Không quá 5%", 2025, "at_most", 5, N, N, N, N, N, True),
    ("Tối đa 5%", 2025, "at_most", 5, N, N, N, N, N, True),
    ("≤ 5%", 2025, "at_most", 5, N, N, N, N, N, True),
    ("<= 5%", 2025, "at_most", 5, N, N, N, N, N, True),
    ("dưới 5%", 2025, "at_most", 5, N, N, N, N, N, True),
    ("5% trở xuống", 2025, "at_most", 5, N, N, N, N, N, True),
    # range
    ("25% - 35%", 2030, "range", 25, 35, N, N, N, N, True),
    ("Từ 25% đến 35%", 2030, "range", 25, 35, N, N, N, N, True),
    ("25–35%", 2030, "range", 25, 35, N, N, N, N, True),
    ("25 — 35 %", 2030, "range", 25, 35, N, N, N, N, True),
    # change
    ("Giảm tối thiểu 10% so với năm 2021", 2025, "change", -10, N, 2021, N, N, N, True),
    ("Tăng ít nhất 5% so với năm 2020", 2025, "change", 5, N, 2020, N, N, N, True),
    ("Giảm bình quân 15% so với giai đoạn 2021-2025", 2030, "change", -15, N, 2025, N, N, N, True),
    ("Giảm bình quân 15% so với giai đoạn 2021 – 2025", 2030, "change", -15, N, 2025, N, N, N, True),
    ("Giảm 10% so với năm 2025", 2030, "change", -10, N, 2025, N, N, N, True),
    ("Giảm bình quân 10% so với năm 2025", 2030, "change", -10, N, 2025, N, N, N, True),
    ("Tăng 5 điểm % so với năm 2021", 2025, "change", 5, N, 2021, N, N, N, False),
    ("Tăng 5 điểm phần trăm so với năm 2021", 2025, "change", 5, N, 2021, N, N, N, False),
    ("Giảm tối thiểu 10% biên chế sự nghiệp so với năm 2021", 2025, "change", -10, N, 2021, N, N, N, True),
    # ramp
    ("Năm 2021: 30%; mỗi năm tăng tối thiểu 20% đến khi đạt 100%", 2025, "ramp", 30, N, 2021, 20, 100, N, True),
    ("Năm 2021: 15%; mỗi năm tăng tối thiểu 20%", 2025, "ramp", 15, N, 2021, 20, 100, N, True),
    ("30% năm 2021, mỗi năm tăng 20%", 2025, "ramp", 30, N, 2021, 20, 100, N, True),
    ("Năm 2021 đạt 20%, hằng năm tăng 10% đến khi đạt 90%", 2025, "ramp", 20, N, 2021, 10, 90, N, True),
    # rank
    ("Vị trí số 1", 2025, "rank", 1, N, N, N, N, N, True),
    ("Giữ vững vị trí số 1", 2025, "rank", 1, N, N, N, N, N, True),
    ("Xếp hạng 1", 2025, "rank", 1, N, N, N, N, N, True),
    ("Top 10", 2025, "rank", 10, N, N, N, N, N, True),
    ("Đứng đầu", 2025, "rank", 1, N, N, N, N, N, True),
    ("Xếp thứ 3", 2025, "rank", 3, N, N, N, N, N, True),
    # rank_group
    ("Nhóm khá", 2025, "rank_group", N, N, N, N, N, "fair", True),
    ("Thuộc nhóm khá", 2025, "rank_group", N, N, N, N, N, "fair", True),
    ("Nhóm tốt", 2025, "rank_group", N, N, N, N, N, "good", True),
    ("Xếp loại Tốt", 2025, "rank_group", N, N, N, N, N, "good", True),
    ("Trung bình", 2025, "rank_group", N, N, N, N, N, "average", True),
    ("Yếu", 2025, "rank_group", N, N, N, N, N, "weak", True),
    ("Chỉ số CCHC thuộc nhóm khá trong bảng xếp hạng của tỉnh", 2025, "rank_group", N, N, N, N, N, "fair", True),
    # milestone
    ("Hoàn thành", 2025, "milestone", N, N, N, N, N, N, True),
    ("Hoàn thành việc sắp xếp các đơn vị hành chính cấp huyện, xã", 2025, "milestone", N, N, N, N, N, N, True),
    ("Có", 2025, "milestone", N, N, N, N, N, N, True),
    ("Đạt", 2025, "milestone", N, N, N, N, N, N, True),
    ("Hoàn thành trong năm 2025", 2025, "milestone", N, N, N, N, N, N, True),
    ("Đến năm 2025, hoàn thành việc đổi mới thực hiện cơ chế một cửa", 2025, "milestone", N, N, N, N, N, N, True),
    ("Có.", 2025, "milestone", N, N, N, N, N, N, True),
]

UNPARSEABLE: list[str] = [
    "abc",
    "nhiều",
    "%",
    "Giảm 10%",  # a change needs its baseline
    "80%, 60%",  # two figures in one cell
    "35% - 25%",  # inverted range
    "Top",
    "Vị trí",
    "Nhóm",
    "Không",
    "Tăng cường",
    "Tổ chức thực hiện tốt",
    "Năm 2021: 30%, 20%, 15%; mỗi năm tăng 20%",  # several first-year levels
    "Đạt 94 điểm, đứng đầu",  # two targets in one cell
    "Top 10%",
    "-",
]


@pytest.mark.parametrize(
    "text,year,kind,value,value_high,baseline_year,step,cap,group,relative", PARSE_CASES,
    ids=[f"{i:02d}-{c[0][:30]}" for i, c in enumerate(PARSE_CASES)],
)
def test_parse_target(text, year, kind, value, value_high, baseline_year, step, cap, group, relative):
    spec, error = parse_target(text, year)
    assert error is None, error
    assert spec is not None
    assert spec.kind == kind
    assert spec.year == year
    assert spec.value == value
    assert spec.value_high == value_high
    assert spec.baseline_year == baseline_year
    assert spec.step == step
    assert spec.cap == cap
    assert spec.group == group
    assert spec.relative is relative
    assert spec.kind in catalogue.TARGET_KINDS


@pytest.mark.parametrize("text", UNPARSEABLE)
def test_parse_target_unparseable(text):
    spec, error = parse_target(text, 2025)
    assert spec is None
    assert error == catalogue.message("target_unparsed", text=text)


@pytest.mark.parametrize("value", [None, "", "   ", "\u200b", float("nan")])
def test_parse_target_blank(value):
    assert parse_target(value, 2025) == (None, None)


def test_parse_target_keeps_clean_text_and_details():
    spec, _ = parse_target("  Giảm bình quân 15% so với giai đoạn 2021 – 2025 ", 2030)
    assert spec.text == "Giảm bình quân 15% so với giai đoạn 2021 - 2025"
    assert spec.extra["baseline_span"] == (2021, 2025)
    assert spec.extra.get("average") is True
    strict, _ = parse_target("trên 30%", 2030)
    assert strict.extra.get("strict") is True
    points, _ = parse_target("≥ 94 điểm", 2025)
    assert points.extra["unit"] == "điểm"
    share, _ = parse_target("96% điểm tối đa", 2025)
    assert share.extra["unit"] == "% điểm tối đa"
    ramp, _ = parse_target("30% năm 2021, mỗi năm tăng 20%", 2025)
    assert ramp.extra["cap_stated"] is False


def test_parse_target_numeric_cell():
    spec, error = parse_target(80, 2025)
    assert error is None and spec.kind == "at_least" and spec.value == 80 and spec.text == "80"
    spec, _ = parse_target(94.5, 2025)
    assert spec.value == 94.5


def test_parse_target_is_cached():
    _parse_text.cache_clear()
    first = parse_target("Tối thiểu 77%", 2025)
    second = parse_target("Tối thiểu 77%", 2025)
    assert first is second
    assert _parse_text.cache_info().hits >= 1


# --- (b) every seed target parses to the expected kind --------------------------------------------
# Literal expectation per (indicator_code, level, year); not derived from the parser.
EXPECTED_KINDS: dict[tuple[str, str, int], str] = {
    # seed 000 (2022)
    ("TTHC_RESULT_DIGITISATION_RATE", "province", 2022): "at_least",
    ("TTHC_RESULT_DIGITISATION_RATE", "district", 2022): "at_least",
    ("TTHC_RESULT_DIGITISATION_RATE", "commune", 2022): "at_least",
    ("ONLINE_SERVICE_PORTAL_INTEGRATION_RATE", "all", 2022): "at_least",
    ("ONLINE_TXN_E_AUTH_RATE", "all", 2022): "at_least",
    ("NO_RESUBMISSION_RATE", "all", 2022): "at_least",
    ("E_REPORTING_AGENCY_RATE", "all", 2022): "at_least",
    ("EID_ONLINE_USER_RATE", "all", 2022): "at_least",
    # procedures 2025
    ("REG_SIMPLIFICATION_RATE", "all", 2025): "at_least",
    ("COMPLIANCE_COST_CUT_RATE", "all", 2025): "at_least",
    ("ONE_STOP_RENEWAL", "all", 2025): "milestone",
    ("TTHC_INTERNAL_E_TRANSFER_RATE", "all", 2025): "at_least",
    ("TTHC_ONLINE_PAYMENT_RATE", "all", 2025): "at_least",
    ("ONLINE_PAYMENT_TXN_RATE", "all", 2025): "at_least",
    ("TTHC_RESULT_DIGITISATION_RATE", "province", 2025): "ramp",
    ("TTHC_RESULT_DIGITISATION_RATE", "district", 2025): "ramp",
    ("TTHC_RESULT_DIGITISATION_RATE", "commune", 2025): "ramp",
    ("ONLINE_SERVICE_PORTAL_INTEGRATION_RATE", "all", 2025): "at_least",
    ("ONLINE_TXN_E_AUTH_RATE", "all", 2025): "at_least",
    ("TTHC_ONLINE_L34_RATE", "all", 2025): "at_least",
    ("TTHC_NATIONAL_PORTAL_RATE", "all", 2025): "at_least",
    ("TTHC_ONLINE_DOSSIER_RATE", "all", 2025): "at_least",
    ("TTHC_ONLINE_DOSSIER_L3_RATE", "all", 2025): "at_least",
    ("TTHC_ONLINE_DOSSIER_L4_RATE", "all", 2025): "at_least",
    ("TTHC_SATISFACTION", "all", 2025): "at_least",
    ("TTHC_SATISFACTION_LAND_INVEST", "all", 2025): "at_least",
    ("INTERNAL_TTHC_PUBLISHED_RATE", "all", 2025): "at_least",
    ("NO_RESUBMISSION_RATE", "all", 2025): "at_least",
    ("TTHC_DECENTRALISED_RATE", "all", 2025): "at_least",
    ("POSTAL_DOSSIER_RATE", "all", 2025): "change",
    ("ONE_STOP_TTHC_RATE", "all", 2025): "at_least",
    # procedures 2030
    ("TTHC_ONLINE_PAYMENT_RATE", "all", 2030): "at_least",
    ("ONLINE_PAYMENT_TXN_RATE", "all", 2030): "at_least",
    ("TTHC_ONLINE_L34_RATE", "all", 2030): "at_least",
    ("TTHC_NATIONAL_PORTAL_RATE", "all", 2030): "at_least",
    ("TTHC_ONLINE_DOSSIER_RATE", "all", 2030): "at_least",
    ("EID_EGOV_USER_RATE", "all", 2030): "at_least",
    ("TTHC_SATISFACTION", "all", 2030): "at_least",
    ("TTHC_SATISFACTION_LAND_INVEST", "all", 2030): "at_least",
    # institutions
    ("LEGAL_DOC_COMPLIANCE_RATE", "all", 2025): "at_least",
    # organisation
    ("ADMIN_UNIT_REARRANGEMENT", "all", 2025): "milestone",
    ("HAMLET_REARRANGEMENT", "all", 2025): "milestone",
    ("PSU_COUNT_CHANGE", "all", 2025): "change",
    ("PSU_PAYROLL_CHANGE", "all", 2025): "change",
    ("PSU_PAYROLL_CHANGE", "all", 2030): "change",
    ("ADMIN_SERVICE_SATISFACTION", "all", 2025): "at_least",
    ("ADMIN_SERVICE_SATISFACTION", "all", 2030): "at_least",
    ("HEALTH_EDU_SATISFACTION", "all", 2025): "at_least",
    ("HEALTH_EDU_SATISFACTION", "all", 2030): "at_least",
    # civil service
    ("LEADER_DEPT_INTL_RATE", "all", 2030): "range",
    ("LEADER_DIVISION_INTL_RATE", "all", 2030): "at_least",
    ("SOE_LEADER_INTL_RATE", "all", 2030): "at_least",
    ("COMMUNE_OFFICIAL_DEGREE_RATE", "commune", 2030): "at_least",
    # finance
    ("PSU_SELF_FINANCED_RATE", "all", 2025): "at_least",
    ("ECON_PSU_CONVERSION_RATE", "all", 2025): "at_least",
    ("PSU_BUDGET_SPENDING_CHANGE", "all", 2030): "change",
    # e-government
    ("GOV_PORTAL_INFO_RATE", "all", 2025): "at_least",
    ("SHARED_DB_CONNECTED_RATE", "all", 2025): "at_least",
    ("PUBLIC_SERVICE_PORTAL_LINK_RATE", "province", 2025): "at_least",
    ("EID_ONLINE_USER_RATE", "all", 2025): "at_least",
    ("INFO_SYSTEM_INTEGRATION_RATE", "all", 2025): "at_least",
    ("REPORTING_SYSTEM_LINK_RATE", "all", 2025): "at_least",
    ("E_MEETING_SYSTEM_RATE", "province", 2025): "at_least",
    ("E_MEETING_SYSTEM_RATE", "district", 2025): "at_least",
    ("E_MEETING_SYSTEM_RATE", "commune", 2025): "at_least",
    ("E_DOCUMENT_RATE", "all", 2025): "at_least",
    ("WORK_FILE_ONLINE_RATE", "province", 2025): "at_least",
    ("WORK_FILE_ONLINE_RATE", "district", 2025): "at_least",
    ("WORK_FILE_ONLINE_RATE", "commune", 2025): "at_least",
    ("WORK_FILE_ONLINE_RATE", "province", 2030): "at_least",
    ("WORK_FILE_ONLINE_RATE", "district", 2030): "at_least",
    ("WORK_FILE_ONLINE_RATE", "commune", 2030): "at_least",
    ("DIGITAL_INSPECTION_RATE", "all", 2025): "at_least",
    ("DIGITAL_INSPECTION_RATE", "all", 2030): "at_least",
    ("TASK_TRACKING_SUBSYSTEM", "province", 2025): "milestone",
    ("ONLINE_SERVICE_L4_MULTI_DEVICE_RATE", "all", 2030): "at_least",
    ("ADULT_BANK_ACCOUNT_RATE", "all", 2030): "at_least",
    # direction and PAR INDEX
    ("CCHC_INITIATIVE_PROVINCIAL", "district", 2025): "milestone",
    ("PAR_INDEX_SCORE", "district", 2025): "at_least",
    ("PAR_INDEX_RANK", "district", 2025): "rank",
    ("SATISFACTION_INDEX_RANK", "district", 2025): "rank",
    ("PAR_INDEX_GROUP", "district", 2025): "rank_group",
    ("PAR_DIRECTION_SCORE", "district", 2025): "at_least",
    ("PAR_LEGAL_DOCS_SCORE", "district", 2025): "at_least",
    ("PAR_PROCEDURE_SCORE", "district", 2025): "at_least",
    ("PAR_ORGANISATION_SCORE", "district", 2025): "at_least",
    ("PAR_CIVIL_SERVICE_SCORE", "district", 2025): "at_least",
    ("PAR_FINANCE_SCORE", "district", 2025): "at_least",
    ("PAR_MODERNISATION_SCORE", "district", 2025): "at_least",
    ("PAR_ONE_STOP_SCORE", "district", 2025): "at_least",
}

COLUMNS = ["indicator_code", "indicator_name", "area", "unit", "direction", "is_rate", "level",
           "scope_unit_code", "year", "target_text", "source", "quote"]
LEVELS = {"province", "district", "commune", "all"}
UNITS = {"%", "điểm", "% điểm tối đa", "hạng", "nhóm", "mốc", "đơn vị", "người", "tỷ đồng"}  # counts for change targets
SCOPE_BY_SOURCE = {"000": "", "001": "", "002": "361", "004": "356"}
YEARS_BY_SOURCE = {"000": {2022}, "001": {2025, 2030}, "002": {2025}, "004": {2025}}
UNIT_BY_KIND = {"rank": {"hạng"}, "rank_group": {"nhóm"}, "milestone": {"mốc"}}


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


ROWS = _rows()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['source']}-{r['indicator_code']}-{r['level']}-{r['year']}" for r in ROWS])
def test_seed_target_parses_to_expected_kind(row):
    key = (row["indicator_code"], row["level"], int(row["year"]))
    assert key in EXPECTED_KINDS, f"no expected kind written for {key}"
    spec, error = parse_target(row["target_text"], int(row["year"]))
    assert error is None, error
    assert spec.kind == EXPECTED_KINDS[key]
    assert spec.year == int(row["year"])
    if spec.kind in UNIT_BY_KIND:
        assert row["unit"] in UNIT_BY_KIND[spec.kind]
    elif spec.kind == "change":  # a change is measured on the level itself: a rate or a count
        assert row["unit"] in {"%", "đơn vị", "người", "tỷ đồng"}
    else:
        assert row["unit"] in {"%", "điểm", "% điểm tối đa"}


def test_every_expected_kind_has_a_row():
    keys = {(r["indicator_code"], r["level"], int(r["year"])) for r in ROWS}
    assert set(EXPECTED_KINDS) - keys == set()


def _figures(spec) -> list[float]:
    """The numbers a parsed target states, for comparison with its quote."""
    values = [spec.value, spec.value_high, spec.step, spec.cap, spec.baseline_year]
    return [abs(v) for v in values if v is not None]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['source']}-{r['indicator_code']}-{r['level']}-{r['year']}" for r in ROWS])
def test_seed_target_figures_come_from_quote(row):
    spec, _ = parse_target(row["target_text"], int(row["year"]))
    numbers = {float(n) for n in re.findall(r"\d+(?:[.,]\d+)?", row["quote"].replace(",", "."))}
    for figure in _figures(spec):
        if spec.kind == "ramp" and figure == 100 and not spec.extra.get("cap_stated"):
            continue
        assert figure in numbers, f"{figure} not stated in quote"


# --- (c) coverage and validity of the table ------------------------------------------------------
# One (source, quote substring) per quantitative target sentence found in the seeds.
COVERAGE: list[tuple[str, str]] = [
    # 000: provincial plan 2022
    ("000", "tương ứng 50%, 40%, 35%"),
    ("000", "100% Dịch vụ công trực tuyến của tỉnh được tích hợp với Cổng dịch vụ công quốc gia"),
    ("000", "100% giao dịch trên hệ thống Dịch vụ công trực tuyến của tỉnh được xác thực điện tử"),
    ("000", "Tối thiểu 30% người dân, doanh nghiệp khi thực hiện TTHC không phải cung cấp lại"),
    ("000", "chế độ báo cáo điện tử đến 100% cơ quan nhà nước 3 cấp"),
    ("000", "Phấn đấu 70% người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến"),
    # 001: master programme, TTHC
    ("001", "đơn giản hóa tối thiểu 20% số quy định"),
    ("001", "cắt giảm tối thiểu 20% chi phí tuân thủ"),
    ("001", "Hoàn thành việc đổi mới thực hiện cơ chế một cửa, một cửa liên thông"),
    ("001", "Tối thiểu 80% hồ sơ giải quyết TTHC được luân chuyển trong nội bộ"),
    ("001", "Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính"),
    ("001", "tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên"),
    ("001", "tương ứng là 30%, 20%, 15%"),
    ("001", "100% dịch vụ công trực tuyến của tỉnh được tích hợp với cổng Dịch vụ công quốc gia"),
    ("001", "100% giao dịch trên Hệ thống Trung tâm Dịch vụ hành chính công trực tuyến của tỉnh"),
    ("001", "100% TTHC có đủ điều kiện, được cung cấp trực tuyến mức độ 3 và 4, 100% TTHC"),
    ("001", "100% TTHC được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia"),
    ("001", "trên tổng số hồ sơ đạt tối thiểu 60%"),
    ("001", "về giải quyết TTHC đạt tối thiểu 90%"),
    ("001", "đất đai, xây dựng, đầu tư đạt tối thiểu 85%"),
    ("001", "90% TTHC nội bộ giữa cơ quan hành chính nhà nước"),
    ("001", "80% người dân, doanh nghiệp khi thực hiện TTHC không phải cung cấp lại"),
    ("001", "phân cấp ít nhất 20% TTHC"),
    ("001", "100% TTHC có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến"),
    ("001", "tỷ lệ giao dịch thanh toán trực tuyến đạt từ 50% trở lên"),
    ("001", "hoàn thành việc tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia"),
    ("001", "trên tổng số hồ sơ đạt tối thiểu 80%"),
    ("001", "90% số lượng người dân, doanh nghiệp tham gia hệ thống Chính quyền điện tử"),
    ("001", "về giải quyết TTHC đạt tối thiểu 95%"),
    ("001", "đất đai, xây dựng, đầu tư đạt tối thiểu 90%"),
    # 001: organisation
    ("001", "Hoàn thành việc sắp xếp thu gọn các đơn vị hành chính cấp huyện, xã"),
    ("001", "Giảm tối thiểu 10% số lượng đơn vị sự nghiệp công lập"),
    ("001", "và 10% biên chế sự nghiệp hưởng lương từ ngân sách nhà nước so với năm 2021"),
    ("001", "sự phục vụ của cơ quan hành chính nhà nước đạt tối thiểu 90%"),
    ("001", "giáo dục công lập đạt tối thiểu 85%"),
    ("001", "giảm bình quân 10% biên chế sự nghiệp hưởng lương từ ngân sách nhà nước so với năm 2025"),
    ("001", "sự phục vụ của cơ quan hành chính nhà nước đạt tối thiểu 95%"),
    ("001", "giáo dục công lập đạt tối thiểu 90%"),
    # 001: civil service
    ("001", "25% - 35% số lãnh đạo, quản lý cấp sở"),
    ("001", "trên 30% số lãnh đạo, quản lý cấp phòng"),
    ("001", "80% số lãnh đạo, quản lý doanh nghiệp nhà nước"),
    ("001", "100% cán bộ, công chức cấp xã có trình độ đại học"),
    # 001: finance
    ("001", "tối thiểu 20% đơn vị sự nghiệp công lập tự bảo đảm chi thường xuyên"),
    ("001", "100% đơn vị sự nghiệp kinh tế và sự nghiệp khác có đủ điều kiện"),
    ("001", "Giảm bình quân 15% chi trực tiếp từ ngân sách nhà nước"),
    # 001: e-government
    ("001", "100% các cổng/trang thông tin điện tử"),
    ("001", "100% cơ sở dữ liệu (CSDL) dùng chung"),
    ("001", "100% Cổng Dịch vụ công, Hệ thống thông tin một cửa điện tử cấp tỉnh"),
    ("001", "100% người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến được cấp định danh"),
    ("001", "80% các hệ thống thông tin của tỉnh"),
    ("001", "100% hệ thống báo cáo của tỉnh"),
    ("001", "100% cấp tỉnh, 80% cấp huyện thực hiện họp"),
    ("001", "100% văn bản trao đổi giữa các cơ quan hành chính nhà nước dưới dạng điện tử"),
    ("001", "80% hồ sơ công việc tại cấp tỉnh, cấp huyện và 60% hồ sơ công việc tại cấp xã"),
    ("001", "50% hoạt động kiểm tra của cơ quan quản lý nhà nước"),
    ("001", "Hoàn thành việc xây dựng và đưa vào vận hành Phân hệ theo dõi nhiệm vụ"),
    ("001", "100% dịch vụ công trực tuyến mức độ 4"),
    ("001", "100% hồ sơ công việc cấp tỉnh; 90% hồ sơ công việc tại cấp huyện và 70%"),
    ("001", "70% hoạt động kiểm tra của cơ quan quản lý nhà nước"),
    ("001", "Tối thiểu 80% người trưởng thành có tài khoản giao dịch tại ngân hàng"),
    # 002: Nghĩa Hưng 2021-2025
    ("002", "100% văn bản quy phạm pháp luật của tỉnh được ban hành đúng quy định"),
    ("002", "hoàn thành việc đổi mới thực hiện cơ chế một cửa, một cửa liên thông"),
    ("002", "bằng phương thức điện tử đạt tối thiểu 80%"),
    ("002", "Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính"),
    ("002", "tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên"),
    ("002", "tương ứng là 20%, 15%"),
    ("002", "được công bố, công khai và cập nhật kịp thời đạt 90%"),
    ("002", "80% người dân, doanh nghiệp khi thực hiện TTHC không phải cung cấp lại"),
    ("002", "Hoàn thành việc sắp xếp, thu gọn các đơn vị thôn, tổ dân phố"),
    ("002", "giảm 10% biên chế sự nghiệp hưởng lương từ ngân sách so với năm 2021"),
    ("002", "giáo dục công lập đạt tối thiểu 85%"),
    ("002", "100% người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến được cấp định danh"),
    ("002", "80% các hệ thống thông tin của huyện"),
    ("002", "Ủy ban nhân dân huyện: 80%, UBND cấp xã: 60%"),
    ("002", "100% văn bản trao đổi giữa các cơ quan hành chính nhà nước được thực hiện dưới dạng điện tử"),
    ("002", "80% hồ sơ công việc tại huyện và 60% hồ sơ công việc tại cấp xã"),
    ("002", "50% hoạt động kiểm tra của cơ quan quản lý nhà nước"),
    ("002", "huyện Nghĩa Hưng thuộc nhóm khá trong bảng xếp hạng của tỉnh"),
    # 004: Thành phố Nam Định PAR INDEX 2021-2025
    ("004", "giữ vững vị trí số 1 trong các huyện, thành phố"),
    ("004", "đạt từ 94 điểm trở lên"),
    ("004", "đạt điểm từ 96% trở lên"),
    ("004", "văn bản quy phạm pháp luật đạt 100% điểm tối đa"),
    ("004", "Cải cách thủ tục hành chính (TTHC) đạt 100% điểm tối đa"),
    ("004", "Cải cách tổ chức bộ máy đạt từ 94% trở lên"),
    ("004", "đội ngũ cán bộ, công chức, viên chức đạt 85% trở lên"),
    ("004", "Cải cách tài chính công đạt 90% trở lên"),
    ("004", "Hiện đại hóa nền hành chính đạt 100% điểm tối đa"),
    ("004", "một cửa liên thông đạt 100% điểm tối đa"),
    ("004", "Có sáng kiến liên quan đến cải cách hành chính có phạm vi ảnh hưởng cấp tỉnh"),
    ("004", "Tối thiểu 80% hồ sơ giải quyết thủ tục hành chính được luân chuyển trong nội bộ"),
    ("004", "100% thủ tục hành chính thuộc thẩm quyền giải quyết của cấp huyện, cấp xã"),
    ("004", "Tối thiểu 80% thủ tục hành chính có đủ điều kiện được cung cấp trực tuyến mức độ 3 và 4"),
    ("004", "đạt tối thiểu lần lượt là 50% và 40%"),
    ("004", "tăng ít nhất 5% so với năm 2020"),
]


@pytest.mark.parametrize("source,fragment", COVERAGE)
def test_seed_sentence_is_covered(source, fragment):
    quotes = [_norm(r["quote"]) for r in ROWS if r["source"] == source]
    assert any(_norm(fragment) in q for q in quotes), f"{source}: «{fragment}» has no row"


def test_table_size_and_sources():
    assert len(ROWS) >= 60
    by_source = {s: sum(r["source"] == s for r in ROWS) for s in SCOPE_BY_SOURCE}
    assert by_source["001"] >= 50
    assert all(n > 0 for n in by_source.values())


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['source']}-{r['indicator_code']}-{r['level']}-{r['year']}" for r in ROWS])
def test_row_codes_are_valid(row):
    assert re.fullmatch(r"[A-Z][A-Z0-9_]+", row["indicator_code"])
    assert row["area"] in catalogue.AREAS
    assert row["unit"] in UNITS
    assert row["direction"] in {"up", "down"}
    assert row["is_rate"] in {"0", "1"}
    assert row["level"] in LEVELS
    assert row["level"] == "all" or row["level"] in catalogue.LEVELS
    assert row["source"] in SCOPE_BY_SOURCE
    assert row["scope_unit_code"] == SCOPE_BY_SOURCE[row["source"]]
    assert int(row["year"]) in YEARS_BY_SOURCE[row["source"]]
    assert row["indicator_name"] and any(ord(ch) > 127 for ch in row["indicator_name"])
    assert row["target_text"] == row["target_text"].strip() and row["target_text"]
    assert "\n" not in row["quote"] and "\r" not in row["quote"] and row["quote"].strip() == row["quote"]


def test_rows_are_unique_per_indicator_level_scope_year():
    keys = [(r["indicator_code"], r["level"], r["scope_unit_code"], r["year"]) for r in ROWS]
    assert len(keys) == len(set(keys))


def test_indicator_attributes_are_consistent():
    seen: dict[str, tuple] = {}
    for r in ROWS:
        attrs = (r["indicator_name"], r["area"], r["unit"], r["direction"], r["is_rate"])
        assert seen.setdefault(r["indicator_code"], attrs) == attrs, r["indicator_code"]


def test_shared_indicators_share_codes():
    codes = {(r["indicator_code"], r["source"], r["year"]) for r in ROWS}
    assert ("TTHC_ONLINE_DOSSIER_RATE", "001", "2025") in codes
    assert ("TTHC_ONLINE_DOSSIER_RATE", "001", "2030") in codes
    assert ("TTHC_RESULT_DIGITISATION_RATE", "000", "2022") in codes
    assert ("TTHC_RESULT_DIGITISATION_RATE", "002", "2025") in codes
    assert ("TTHC_INTERNAL_E_TRANSFER_RATE", "004", "2025") in codes
    assert ("PSU_PAYROLL_CHANGE", "002", "2025") in codes


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="shared/seeds not beside the repository")
def test_quotes_are_verbatim_from_seeds():
    texts = {p.name[:3]: _norm(p.read_text(encoding="utf-8")) for p in SEEDS_DIR.glob("00[0-4]_*.txt")}
    missing = [(r["source"], r["quote"][:60]) for r in ROWS if _norm(r["quote"]) not in texts[r["source"]]]
    assert missing == []


def test_nan_is_not_a_number_target():
    assert parse_target(math.nan, 2025) == (None, None)
