"""Checks of the committed reference CSVs in data/reference/ (built by scripts/build_reference.py).

Reads only the CSV files: vietnamadminunits is not needed here (tests/test_map_2025.py checks the lineage
against the package). The CSVs hold the old Hà Nam (35), Nam Định (36) and Ninh Bình (37) until 30/06/2025
and the new Ninh Bình (key 37-2025) from 01/07/2025; Nam Định's rows are those of the first release.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

REF = Path(__file__).resolve().parent.parent / "data" / "reference"

HEADERS = {
    "units.csv": ["code", "official_code", "name", "short_name", "level", "type", "province_code", "valid_from",
                  "valid_to", "lat", "lon", "area_km2"],
    "unit_parents.csv": ["code", "parent_code", "valid_from", "valid_to"],
    "unit_successors.csv": ["code", "successor_code", "valid_from", "share", "basis"],
    "agencies.csv": ["code", "name", "short_name", "kind", "unit_code", "rank_group", "valid_from", "valid_to"],
    "agency_successors.csv": ["code", "successor_code", "valid_from", "share", "note"],
    "aliases.csv": ["alias", "agency_code", "scope_unit_code"],
}
ND = "36"
NEW = "37-2025"
PROVINCES = {"35": "Tỉnh Hà Nam", "36": "Tỉnh Nam Định", "37": "Tỉnh Ninh Bình", NEW: "Tỉnh Ninh Bình"}
DISTRICT_CODES = {"356", "358", "359", "360", "361", "362", "363", "364", "365", "366"}
COMMUNE_COUNT = 175  # communes of provinceCode '36' in vietnamadminunits 1.0.4 (admin_units_legacy)
OLD_COMMUNES = {"35": 98, "36": 175, "37": 125}  # admin_units_legacy, the same package
NEW_COMMUNES = {"Xã": 97, "Phường": 32}  # Resolution 1674/NQ-UBTVQH15; admin_units of provinceCode '37'
MAP_2025, LEGACY_END = "2025-07-01", "2025-06-30"
MY_LOC = "358"
CITY = "356"
# Communes of Thành phố Nam Định that belonged to Huyện Mỹ Lộc until 2024-12-31.
MY_LOC_COMMUNES = ["13708", "13711", "13717", "13720", "13723", "13726", "13732", "13735"]
LAT_RANGE = (19.9, 20.75)  # the new Ninh Bình (Nam Định, Hà Nam and the former Ninh Bình)
LON_RANGE = (105.6, 106.7)
LEVELS = {"province", "district", "commune"}
TYPES = {"province": {"Tỉnh"}, "district": {"Thành phố", "Thị xã", "Huyện"}, "commune": {"Xã", "Phường", "Thị trấn"}}
KINDS = {"department", "provincial_other", "people_committee", "district_office"}
RANK_GROUPS = {"", "department", "district", "commune"}
DEPARTMENT_CODES = {  # Nam Định's before 1 March 2025 (the first release's codes)
    "SNV", "STP", "SKHDT", "STC", "SCT", "SNNPTNT", "SGTVT", "SXD", "STNMT", "STTTT", "SLDTBXH",
    "SVHTTDL", "SKHCN", "SGDDT", "SYT", "TTT", "VPUBND", "BQLKCN", "SNGV",
}
# Decree 45/2025/NĐ-CP: merged away on 28/02/2025, and Nam Định's new Sở Nông nghiệp và Môi trường
MERGED_AWAY = {"SKHDT", "SNNPTNT", "SGTVT", "STNMT", "STTTT", "SLDTBXH", "SNGV"}
NEW_DEPARTMENTS = {  # the new Ninh Bình from 01/07/2025
    "SNV", "STP", "STC", "SCT", "SNNMT", "SXD", "SKHCN", "SVHTT", "SDL", "SGDDT", "SYT", "TTT", "VPUBND", "BQLKCN"}
PROVINCIAL_OTHER_CODES = {"CAT", "BDT", "VPDDBQH", "TCTUBND", "DPTTH", "BND", "MTTQ", "TTPVHCC", "TTDCCHC"}
COMMON_OFFICES = ["PNV", "PTP", "VPHU", "PTCKH", "PVHTT", "PLDTBXH", "PGDDT", "PYT", "PTNMT", "TTH"]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Spellings that occur in the seed plans (or that the brief names), with the agency they mean.
REQUIRED_ALIASES = [  # understood in a plan of Nam Định (scope "" or 36)
    ("Sở TT&TT", "STTTT"), ("Sở TTTT", "STTTT"), ("Sở TT &TT", "STTTT"),
    ("Sở Thông tin & TT", "STTTT"), ("Sở Thông tin và Truyền thông", "STTTT"),
    ("VP UBND tỉnh", "VPUBND"), ("VP.UBND tỉnh", "VPUBND"), ("Văn phòng UBND tỉnh", "VPUBND"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "VPUBND"),
    ("Sở Kế hoạch & ĐT", "SKHDT"), ("Sở KH&ĐT", "SKHDT"), ("Sở KHĐT", "SKHDT"),
    ("Sở Khoa học & CN", "SKHCN"), ("Sở KH&CN", "SKHCN"),
    ("Sở LĐTB&XH", "SLDTBXH"), ("Sở NN&PTNT", "SNNPTNT"), ("Sở VHTT&DL", "SVHTTDL"),
    ("Sở GD&ĐT", "SGDDT"), ("Sở TN&MT", "STNMT"), ("Sở GTVT", "SGTVT"),
    ("VP. Đoàn ĐBQH và HĐND tỉnh", "VPDDBQH"), ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "VPDDBQH"),
    ("Tổ công tác của UBND tỉnh", "TCTUBND"), ("Tổ công tác của Chủ tịch UBND tỉnh", "TCTUBND"),
    ("Công an tỉnh", "CAT"), ("Bưu điện tỉnh", "BDT"), ("UBND tỉnh", "UBND-36"),
    ("Ủy ban nhân dân tỉnh", "UBND-36"), ("Sở Tư pháp", "STP"), ("Sở Nội vụ", "SNV"),
    ("Sở Tài chính", "STC"), ("Sở Kế hoạch và Đầu tư", "SKHDT"), ("Sở Khoa học và Công nghệ", "SKHCN"),
    ("Báo Nam Định", "BND"), ("Đài Phát thanh và TH tỉnh", "DPTTH"),
    ("Đài Phát thanh và truyền hình tỉnh", "DPTTH"), ("Trung tâm Phục vụ hành chính công", "TTPVHCC"),
    ("Ủy ban mặt trận tổ quốc Việt Nam tỉnh", "MTTQ"),
    ("UBND huyện Nghĩa Hưng", "UBND-361"), ("Ủy ban nhân dân huyện Nghĩa Hưng", "UBND-361"),
    ("UBND thành phố Nam Định", "UBND-356"), ("UBND TP Nam Định", "UBND-356"),
    ("UBND xã Mỹ Hà", "UBND-13711"), ("UBND phường Vị Xuyên", "UBND-13636"),
    ("UBND thị trấn Gôi", "UBND-13741"), ("Phòng Nội vụ huyện Nghĩa Hưng", "PNV-361"),
    ("Phòng Nội vụ thành phố Nam Định", "PNV-356"),
]
REQUIRED_SCOPED_ALIASES = [  # (alias, scope, agency) below the province
    ("Phòng Nội vụ", "356", "PNV-356"), ("Phòng Nội vụ", "361", "PNV-361"),
    ("Phòng Nội vụ", "358", "PNV-358"), ("Phòng Tư pháp", "356", "PTP-356"),
    ("Văn phòng HĐND-UBND", "356", "VPHU-356"), ("Văn phòng HĐND&UBND", "361", "VPHU-361"),
    ("VP HĐND-UBND", "364", "VPHU-364"), ("Văn phòng HĐND-UBND thành phố", "356", "VPHU-356"),
    ("Văn phòng HĐND&UBND huyện", "361", "VPHU-361"),
    ("Phòng Văn hóa – Thông tin", "356", "PVHTT-356"), ("Phòng Văn hóa và thông tin", "361", "PVHTT-361"),
    ("Phòng Tài chính – Kế hoạch", "356", "PTCKH-356"), ("Phòng Tài chính - Kế hoạch", "361", "PTCKH-361"),
    ("Phòng Kinh tế", "356", "PKT-356"), ("UBND huyện", "361", "UBND-361"),
    ("UBND thành phố", "356", "UBND-356"), ("UBND TP", "356", "UBND-356"),
    ("UBND xã Hồng Quang", "360", "UBND-13876"), ("UBND xã Hồng Quang", "362", "UBND-13984"),
]


def fold(text: str) -> str:
    """Matching form: lower case, diacritics stripped (đ → d), every non-alphanumeric dropped."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^0-9a-z]", "", text)


@lru_cache(maxsize=None)
def _read(name: str) -> tuple[tuple[str, ...], tuple[dict, ...]]:
    with (REF / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = tuple(reader)
        return tuple(reader.fieldnames or ()), rows


def rows(name: str) -> tuple[dict, ...]:
    return _read(name)[1]


def units() -> dict[str, dict]:
    return {u["code"]: u for u in rows("units.csv")}


def agencies() -> dict[str, dict]:
    return {a["code"]: a for a in rows("agencies.csv")}


def parents_of(code: str) -> list[dict]:
    return sorted((p for p in rows("unit_parents.csv") if p["code"] == code), key=lambda p: p["valid_from"])


# --- file format -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header(name):
    assert list(_read(name)[0]) == HEADERS[name]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_utf8_lf_and_not_empty(name):
    raw = (REF / name).read_bytes()
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    assert len(rows(name)) > 0


@pytest.mark.parametrize("name,key", [
    ("units.csv", ("code",)),
    ("agencies.csv", ("code",)),
    ("unit_parents.csv", ("code", "valid_from")),
    ("unit_successors.csv", ("code", "successor_code")),
    ("agency_successors.csv", ("code", "successor_code")),
    ("aliases.csv", ("alias", "agency_code", "scope_unit_code")),
])
def test_keys_unique(name, key):
    seen = defaultdict(int)
    for r in rows(name):
        seen[tuple(r[k] for k in key)] += 1
    dupes = [k for k, n in seen.items() if n > 1]
    assert not dupes, dupes[:10]


def test_units_sorted_by_map_then_code():
    keys = [(u["valid_from"] == MAP_2025, int(u["official_code"])) for u in rows("units.csv")]
    assert keys == sorted(keys)


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_keys_and_official_codes(level):
    """An old unit's key is its official code; a unit of the 2025 map adds "-2025" (its code is reused)."""
    bad = [u for u in rows("units.csv") if u["level"] == level and u["code"] != (
        f"{u['official_code']}-2025" if u["valid_from"] == MAP_2025 else u["official_code"])]
    assert not bad, bad[:5]


# --- units ---------------------------------------------------------------------------------------
def test_province_36_exists():
    u = units()["36"]
    assert (u["level"], u["type"], u["name"], u["short_name"]) == ("province", "Tỉnh", "Tỉnh Nam Định", "Nam Định")
    assert u["valid_to"] == "2025-06-30"


@pytest.mark.parametrize("code,name,valid_from,valid_to", [
    ("35", "Tỉnh Hà Nam", "", LEGACY_END), ("36", "Tỉnh Nam Định", "", LEGACY_END),
    ("37", "Tỉnh Ninh Bình", "", LEGACY_END), (NEW, "Tỉnh Ninh Bình", MAP_2025, ""),
])
def test_provinces(code, name, valid_from, valid_to):
    u = units()[code]
    assert (u["name"], u["valid_from"], u["valid_to"], u["province_code"], u["official_code"]) == (
        name, valid_from, valid_to, code, code.split("-")[0])
    assert {c for c, u in units().items() if u["level"] == "province"} == set(PROVINCES)


def test_district_codes_exactly():
    assert {c for c, u in units().items() if u["level"] == "district" and u["province_code"] == ND} == DISTRICT_CODES


def test_commune_count_matches_dataset():
    assert sum(1 for u in rows("units.csv") if u["level"] == "commune" and u["province_code"] == ND) == COMMUNE_COUNT


@pytest.mark.parametrize("province,count", sorted(OLD_COMMUNES.items()))
def test_old_communes_per_province(province, count):
    communes = [u for u in rows("units.csv") if u["level"] == "commune" and u["province_code"] == province]
    assert len(communes) == count
    assert all((u["valid_from"], u["valid_to"]) == ("", LEGACY_END) for u in communes)


def test_new_communes():
    new = [u for u in rows("units.csv") if u["level"] == "commune" and u["province_code"] == NEW]
    assert {t: sum(1 for u in new if u["type"] == t) for t in NEW_COMMUNES} == NEW_COMMUNES
    assert all((u["valid_from"], u["valid_to"]) == (MAP_2025, "") and float(u["area_km2"]) > 0 for u in new)
    assert not [u for u in rows("units.csv") if u["level"] == "district" and u["valid_to"] > LEGACY_END]


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_level_type_and_names(level):
    bad = []
    for u in rows("units.csv"):
        if u["level"] != level:
            continue
        if u["type"] not in TYPES[level] or u["name"] != f"{u['type']} {u['short_name']}":
            bad.append(u)
    assert not bad, bad[:5]


def test_levels_known():
    assert {u["level"] for u in rows("units.csv")} == LEVELS


@pytest.mark.parametrize("name", ["units.csv", "unit_parents.csv"])
def test_dates_iso_and_ordered(name):
    bad = []
    for r in rows(name):
        for k in ("valid_from", "valid_to"):
            if r[k] and not ISO_DATE.match(r[k]):
                bad.append((r, k))
        if r["valid_from"] and r["valid_to"] and r["valid_from"] > r["valid_to"]:
            bad.append((r, "order"))
    assert not bad, bad[:5]


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_coordinates_inside_nam_dinh(level):
    outside = []
    for u in rows("units.csv"):
        if u["level"] != level:
            continue
        lat, lon = float(u["lat"]), float(u["lon"])
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            outside.append((u["code"], u["name"], lat, lon))
    assert not outside, outside


def test_every_old_unit_ends_by_july_2025_and_every_new_one_starts_then():
    old = [u for u in rows("units.csv") if u["province_code"] != NEW]
    assert not [u["code"] for u in old if not u["valid_to"] or u["valid_to"] > LEGACY_END]
    new = [u for u in rows("units.csv") if u["province_code"] == NEW]
    assert len(new) == 130 and all(u["valid_from"] == MAP_2025 and not u["valid_to"] for u in new)


def test_my_loc_ends_2024():
    u = units()[MY_LOC]
    assert (u["name"], u["short_name"], u["level"], u["type"]) == ("Huyện Mỹ Lộc", "Mỹ Lộc", "district", "Huyện")
    assert u["valid_to"] == "2024-12-31"


def test_my_loc_position_is_mean_of_its_communes():
    us = units()
    lat = sum(float(us[c]["lat"]) for c in MY_LOC_COMMUNES) / len(MY_LOC_COMMUNES)
    lon = sum(float(us[c]["lon"]) for c in MY_LOC_COMMUNES) / len(MY_LOC_COMMUNES)
    assert float(us[MY_LOC]["lat"]) == pytest.approx(lat, abs=1e-6)
    assert float(us[MY_LOC]["lon"]) == pytest.approx(lon, abs=1e-6)


# --- parents -----------------------------------------------------------------------------------
def test_parent_rows_reference_units():
    us = units()
    bad = [p for p in rows("unit_parents.csv") if p["code"] not in us or p["parent_code"] not in us]
    assert not bad, bad[:5]


def test_parent_levels():
    us = units()
    expected = {"district": "province", "commune": "district"}  # on the 2025 map: commune → province
    bad = [p for p in rows("unit_parents.csv")
           if (expected.get(us[p["code"]]["level"]) if us[p["code"]]["province_code"] != NEW else "province")
           != us[p["parent_code"]]["level"]]
    assert not bad, bad[:5]


def test_province_has_no_parent_and_every_other_unit_has_one():
    with_parent = {p["code"] for p in rows("unit_parents.csv")}
    assert with_parent == set(units()) - set(PROVINCES)


def test_new_communes_sit_directly_under_the_new_province():
    us = units()
    bad = [p for p in rows("unit_parents.csv") if us[p["code"]]["province_code"] == NEW
           and (p["parent_code"], p["valid_from"], p["valid_to"]) != (NEW, MAP_2025, "")]
    assert not bad, bad[:5]


def test_parent_periods_do_not_overlap_and_stay_within_unit_validity():
    us = units()
    bad = []
    for code in {p["code"] for p in rows("unit_parents.csv")}:
        periods = parents_of(code)
        for a, b in zip(periods, periods[1:]):
            if not a["valid_to"] or not b["valid_from"] or a["valid_to"] >= b["valid_from"]:
                bad.append((code, "overlap"))
        if periods[-1]["valid_to"] != us[code]["valid_to"]:
            bad.append((code, "last period does not end with the unit"))
        if periods[0]["valid_from"] != us[code]["valid_from"]:
            bad.append((code, "first period does not start with the unit"))
    assert not bad, bad[:5]


@pytest.mark.parametrize("code", MY_LOC_COMMUNES)
def test_my_loc_communes_have_two_parent_periods(code):
    periods = [(p["parent_code"], p["valid_from"], p["valid_to"]) for p in parents_of(code)]
    assert periods == [(MY_LOC, "", "2024-12-31"), (CITY, "2025-01-01", "2025-06-30")]


def test_only_my_loc_communes_had_parent_358():
    assert sorted({p["code"] for p in rows("unit_parents.csv") if p["parent_code"] == MY_LOC}) == MY_LOC_COMMUNES


def test_my_xa_was_always_in_the_city():
    # Phường Mỹ Xá starts with "Mỹ" but was a commune of the city before 2025
    assert [(p["parent_code"], p["valid_from"]) for p in parents_of("13699")] == [(CITY, "")]


# --- agencies ----------------------------------------------------------------------------------
def test_agency_codes_ascii_and_kinds():
    bad = [a for a in rows("agencies.csv")
           if not re.fullmatch(r"[A-Z0-9-]+", a["code"]) or a["kind"] not in KINDS
           or a["rank_group"] not in RANK_GROUPS or not a["name"] or not a["short_name"]]
    assert not bad, bad[:5]


def test_agency_unit_codes_exist():
    us = units()
    bad = [a for a in rows("agencies.csv") if a["unit_code"] not in us]
    assert not bad, bad[:5]


def _overlap(a: dict, b: dict) -> bool:
    return (a["valid_from"] or "0000") <= (b["valid_to"] or "9999") and (b["valid_from"] or "0000") <= (a["valid_to"] or "9999")


def test_agency_names_unique_within_a_province_on_any_day():
    """One name, one agency on a given day in a given province ("Sở Nội vụ" of Nam Định until 30/06/2025,
    of the new Ninh Bình from 01/07/2025)."""
    us = units()
    groups = defaultdict(list)
    for a in rows("agencies.csv"):
        groups[(a["name"], us[a["unit_code"]]["province_code"])].append(a)
    clashes = [[a["code"] for a in g] for g in groups.values()
               if any(_overlap(x, y) for i, x in enumerate(g) for y in g[i + 1:])]
    assert not clashes, clashes[:5]


def test_agency_validity_within_its_unit():
    us = units()
    bad = [a["code"] for a in rows("agencies.csv")
           if (a["valid_from"] or "0000") < (us[a["unit_code"]]["valid_from"] or "0000")
           or (a["valid_to"] or "9999") > (us[a["unit_code"]]["valid_to"] or "9999")]
    assert not bad, bad[:5]


def test_departments():
    deps = {c: a for c, a in agencies().items() if a["kind"] == "department" and a["unit_code"] == ND}
    assert set(deps) == DEPARTMENT_CODES | {"SNNMT"}
    assert all(a["rank_group"] == "department" for a in deps.values())
    assert {c for c, a in deps.items() if a["valid_to"] == "2025-02-28"} == MERGED_AWAY
    assert (deps["SNNMT"]["name"], deps["SNNMT"]["valid_from"], deps["SNNMT"]["valid_to"]) == (
        "Sở Nông nghiệp và Môi trường", "2025-03-01", LEGACY_END)
    assert all(a["valid_to"] == LEGACY_END for c, a in deps.items() if c not in MERGED_AWAY)


def test_new_province_departments():
    deps = {c.removesuffix(f"-{NEW}"): a for c, a in agencies().items()
            if a["kind"] == "department" and a["unit_code"] == NEW}
    assert set(deps) == NEW_DEPARTMENTS
    assert all((a["valid_from"], a["valid_to"], a["rank_group"]) == (MAP_2025, "", "department") for a in deps.values())


def test_provincial_other():
    other = {c: a for c, a in agencies().items() if a["kind"] == "provincial_other" and a["unit_code"] == ND}
    assert set(other) == PROVINCIAL_OTHER_CODES
    assert all(a["rank_group"] == "" and a["valid_to"] == LEGACY_END for a in other.values())


@pytest.mark.parametrize("level,rank_group", [("province", ""), ("district", "district"), ("commune", "commune")])
def test_one_people_committee_per_unit(level, rank_group):
    ags = agencies()
    for code, u in units().items():
        if u["level"] != level:
            continue
        a = ags.get(f"UBND-{code}")
        assert a is not None, code
        assert (a["kind"], a["unit_code"], a["rank_group"]) == ("people_committee", code, rank_group)


def test_people_committees_only_for_units():
    us = units()
    for a in rows("agencies.csv"):
        if a["kind"] == "people_committee":
            assert a["code"] == f"UBND-{a['unit_code']}" and a["unit_code"] in us


def test_rank_group_only_for_ranked_agencies():
    for a in rows("agencies.csv"):
        if a["kind"] in ("provincial_other", "district_office") or a["code"] in {f"UBND-{p}" for p in PROVINCES}:
            assert a["rank_group"] == "", a


@pytest.mark.parametrize("code", sorted(PROVINCES))
def test_people_committee_validity_follows_its_unit(code):
    us, ags = units(), agencies()
    for a in ags.values():
        if a["kind"] in ("people_committee", "district_office") and us[a["unit_code"]]["province_code"] == code:
            u = us[a["unit_code"]]
            assert (a["valid_from"], a["valid_to"]) == (u["valid_from"], u["valid_to"]), a


@pytest.mark.parametrize("district", sorted(DISTRICT_CODES))
def test_district_has_phong_noi_vu(district):
    a = agencies().get(f"PNV-{district}")
    assert a is not None
    assert (a["kind"], a["unit_code"], a["short_name"]) == ("district_office", district, "Phòng Nội vụ")


ALL_DISTRICTS = sorted(c for c, u in units().items() if u["level"] == "district")


@pytest.mark.parametrize("district", ALL_DISTRICTS)
def test_district_offices(district):
    us, ags = units(), agencies()
    extra = ["PKT", "PQLDT"] if us[district]["type"] in ("Thành phố", "Thị xã") else ["PNNPTNT", "PKTHT"]
    offices = sorted(c for c, a in ags.items() if a["kind"] == "district_office" and a["unit_code"] == district)
    assert offices == sorted(f"{o}-{district}" for o in COMMON_OFFICES + extra)
    qualifier = f"{us[district]['type'].lower()} {us[district]['short_name']}"
    for c in offices:
        a = ags[c]
        assert a["name"] == f"{a['short_name']} {qualifier}"


def test_district_office_names_examples():
    ags = agencies()
    assert ags["PNV-356"]["name"] == "Phòng Nội vụ thành phố Nam Định"
    assert ags["PNV-361"]["name"] == "Phòng Nội vụ huyện Nghĩa Hưng"


# --- aliases -----------------------------------------------------------------------------------
def test_aliases_point_to_agencies_and_scopes_to_units():
    ags, us = agencies(), units()
    bad = [r for r in rows("aliases.csv")
           if r["agency_code"] not in ags or (r["scope_unit_code"] and r["scope_unit_code"] not in us)
           or not r["alias"].strip()]
    assert not bad, bad[:5]


def test_aliases_are_trimmed_nfc():
    bad = [r["alias"] for r in rows("aliases.csv")
           if r["alias"] != r["alias"].strip() or unicodedata.normalize("NFC", r["alias"]) != r["alias"]]
    assert not bad, bad[:5]


# Agencies whose names differ only by diacritics inside one district: Xã Trực Hưng (14050) and
# Xã Trực Hùng (14083), both in Trực Ninh. A folded match cannot separate them; the resolver must
# compare with diacritics first. Any other folded collision is an error.
DIACRITIC_ONLY_PAIRS = [{"UBND-14050", "UBND-14083"}]


def accent_key(text: str) -> str:
    """Like fold() but keeps the diacritics: lower case NFC, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text.lower()) if ch.isalnum())


def _name_scope(a: dict) -> str:
    """Where the resolver understands a canonical name: a department's or provincial body's inside its province."""
    return a["unit_code"] if a["kind"] in ("department", "provincial_other") else ""


def _targets(key) -> dict[tuple[str, str], set[str]]:
    """(key(alias), scope) -> agencies, for explicit aliases plus canonical names (in their name scope)."""
    targets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in rows("agencies.csv"):
        targets[(key(a["name"]), _name_scope(a))].add(a["code"])
    for r in rows("aliases.csv"):
        targets[(key(r["alias"]), r["scope_unit_code"])].add(r["agency_code"])
    return targets


def _clashing(codes: set[str]) -> bool:
    """Several agencies under one spelling in one scope clash only if two of them existed on the same day."""
    ags = agencies()
    g = sorted(codes)
    return any(_overlap(ags[x], ags[y]) for i, x in enumerate(g) for y in g[i + 1:])


def test_no_folded_alias_conflict_within_a_scope():
    conflicts = {k: sorted(v) for k, v in _targets(fold).items()
                 if len(v) > 1 and v not in DIACRITIC_ONLY_PAIRS and _clashing(v)}
    assert not conflicts, list(conflicts.items())[:10]


def test_no_alias_conflict_with_diacritics_kept():
    conflicts = {k: sorted(v) for k, v in _targets(accent_key).items() if len(v) > 1 and _clashing(v)}
    assert not conflicts, list(conflicts.items())[:10]


def test_diacritic_only_pairs_still_exist():
    """Keep the exception list honest: each pair really collides when folded."""
    folded = _targets(fold)
    for pair in DIACRITIC_ONLY_PAIRS:
        assert pair in folded.values()


def _resolve_in_nam_dinh(alias: str, on: str = "2023-01-01") -> set[str]:
    """Agencies a spelling means in a plan of the province of Nam Định in force on `on` (scope "" or 36)."""
    key = fold(alias)
    valid = {a["code"] for a in rows("agencies.csv") if _overlap(a, {"valid_from": on, "valid_to": on})}
    found = {a["code"] for a in rows("agencies.csv") if fold(a["name"]) == key and _name_scope(a) in ("", ND)}
    found |= {r["agency_code"] for r in rows("aliases.csv")
              if r["scope_unit_code"] in ("", ND) and fold(r["alias"]) == key}
    return found & valid


@pytest.mark.parametrize("alias,code", REQUIRED_ALIASES)
def test_required_alias(alias, code):
    assert _resolve_in_nam_dinh(alias) == {code}


@pytest.mark.parametrize("alias,code", [
    ("Sở Nông nghiệp và Môi trường", "SNNMT"), ("Sở NN&MT", "SNNMT"), ("Sở Tài chính", "STC"), ("Sở KH&CN", "SKHCN"),
])
def test_required_alias_after_decree_45(alias, code):
    assert _resolve_in_nam_dinh(alias, "2025-04-01") == {code}


@pytest.mark.parametrize("alias,scope,code", REQUIRED_SCOPED_ALIASES)
def test_required_scoped_alias(alias, scope, code):
    key = fold(alias)
    found = {r["agency_code"] for r in rows("aliases.csv")
             if r["scope_unit_code"] == scope and fold(r["alias"]) == key}
    assert found == {code}


@pytest.mark.parametrize("district", sorted(DISTRICT_CODES))
def test_bare_office_names_scoped_per_district(district):
    key = fold("Phòng Nội vụ")
    found = {(r["agency_code"], r["scope_unit_code"]) for r in rows("aliases.csv") if fold(r["alias"]) == key}
    assert (f"PNV-{district}", district) in found
    assert all(scope for _, scope in found)  # a bare "Phòng Nội vụ" never resolves everywhere
