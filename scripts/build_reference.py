"""Build the reference tables of one province of the 2025 map, with the history of the provinces it was made of.

Reads the public `vietnamadminunits` package (pinned: requirements-build.txt): its SQLite dataset
(`admin_units_legacy`, the three-level map of early 2025, and `admin_units`, the two-level map in force from
1 July 2025) and its converter (`converter_2025.json`: which old communes make up each new commune, and the
old communes divided between several new ones). Writes under data/reference/ (or --out):

    units.csv             code,official_code,name,short_name,level,type,province_code,valid_from,valid_to,lat,lon,area_km2
    unit_parents.csv      code,parent_code,valid_from,valid_to
    unit_successors.csv   code,successor_code,valid_from,share,basis
    agencies.csv          code,name,short_name,kind,unit_code,rank_group,valid_from,valid_to
    agency_successors.csv code,successor_code,valid_from,share,note
    aliases.csv           alias,agency_code,scope_unit_code
    build.json            what was built from what (package version, provinces, dates)

Keys. `code` is the key every other table uses. An old unit keeps its official code as key (the data
imported since the first release refers to it); a unit of the 2025 map gets its official code plus
"-2025" (the new communes reuse old commune codes, and the new Ninh Bình reuses code 37), so
`official_code` holds the code as published and typed in workbooks. Validity dates are inclusive; an
empty valid_from means "since before our data", an empty valid_to "still in force".

Shares. A commune's share in a successor is the part of its territory that went there: 1 when the
converter lists it whole in one new commune; for a commune divided between n new ones, 1/n (equal
split), because the dataset gives the area of the new communes only, not of the parts, and no
population (basis "equal"). An agency's share is 1 for the successor that carries its work (a
merger), the unit share for people's committees, and 0 for a successor that took over only some
functions (LĐ-TB&XH's social protection to Y tế, etc.): a link shown as history, not a carrier of tasks.

The output is deterministic (sorted rows, fixed number formats, "\\n" line endings); the app reads the
committed CSVs and never needs the package at run time.

Usage:  python scripts/build_reference.py [--province 37] [--history 36] [--out DIR] [--db PATH] [--converter PATH]
"""
from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import json
import re
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "reference"
PACKAGE, PACKAGE_VERSION = "vietnamadminunits", "1.0.4"

DEFAULT_PROVINCE = "37"
# The legacy province whose history a deployment carries (its agencies keep the bare codes of the first
# release, and it is preferred when a name without context could mean several provinces).
DEFAULT_HISTORY = {"37": "36"}

KEY_SUFFIX = "-2025"            # key of a unit of the 2025 map: official code + suffix
MAP_2025 = "2025-07-01"         # Resolution 202/2025/QH15: the district level abolished, provinces merged
LEGACY_END = "2025-06-30"
DECREE_45 = "2025-03-01"        # Decree 45/2025/NĐ-CP: the provincial departments merged
BEFORE_DECREE_45 = "2025-02-28"

# --- Changes before 2025 that the early-2025 dataset no longer shows ---------------------------------------
# Nam Định: Mỹ Lộc district was merged into Thành phố Nam Định from 1 January 2025 (Nghị quyết
# 1318/NQ-UBTVQH15). Its communes keep codes of the former Mỹ Lộc range (13708..13738). Evidence in the
# dataset's wardAlias column: 13708 Phường Hưng Lộc = former Thị trấn Mỹ Lộc + Xã Mỹ Hưng; 13735 Xã Mỹ Lộc =
# former Xã Mỹ Thành + Mỹ Thịnh + Mỹ Tiến. Phường Mỹ Xá (13699) was already a commune of the city.
MY_LOC = {"province": "36", "code": "358", "city": "356", "end": "2024-12-31", "merged": "2025-01-01",
          "communes": {"13708": "Phường Hưng Lộc", "13711": "Xã Mỹ Hà", "13717": "Xã Mỹ Thắng", "13720": "Xã Mỹ Trung",
                       "13723": "Xã Mỹ Tân", "13726": "Xã Mỹ Phúc", "13732": "Xã Mỹ Thuận", "13735": "Xã Mỹ Lộc"}}
EXPECTED_DISTRICTS = {"36": {"356", "359", "360", "361", "362", "363", "364", "365", "366"}}

UNIT_HEADER = ["code", "official_code", "name", "short_name", "level", "type", "province_code", "valid_from",
               "valid_to", "lat", "lon", "area_km2"]
PARENT_HEADER = ["code", "parent_code", "valid_from", "valid_to"]
UNIT_SUCCESSOR_HEADER = ["code", "successor_code", "valid_from", "share", "basis"]
AGENCY_HEADER = ["code", "name", "short_name", "kind", "unit_code", "rank_group", "valid_from", "valid_to"]
AGENCY_SUCCESSOR_HEADER = ["code", "successor_code", "valid_from", "share", "note"]
ALIAS_HEADER = ["alias", "agency_code", "scope_unit_code"]

# --- Provincial departments, by field -----------------------------------------------------------------------
# field → (canonical name, short display name, spellings found in plans). A province's department of a
# field has code "<field>-<province key>", except in the history province (bare "<field>").
FIELDS: dict[str, tuple[str, str, list[str]]] = {
    "SNV": ("Sở Nội vụ", "Sở Nội vụ", []),
    "STP": ("Sở Tư pháp", "Sở Tư pháp", ["Sở Tƣ pháp"]),  # "ƣ" is a PDF-conversion artefact in seed 001
    "SKHDT": ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT",
              ["Sở Kế hoạch & ĐT", "Sở KH&ĐT", "Sở KHĐT", "Sở Kế hoạch & Đầu tư", "Sở KH và ĐT"]),
    "STC": ("Sở Tài chính", "Sở Tài chính", []),
    "SCT": ("Sở Công Thương", "Sở Công Thương", []),
    "SNNPTNT": ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT",
                ["Sở NN&PTNT", "Sở NN và PTNT", "Sở Nông nghiệp và PTNT", "Sở Nông nghiệp & PTNT",
                 "Sở Nông nghiệp & Phát triển nông thôn"]),
    "SGTVT": ("Sở Giao thông vận tải", "Sở GTVT", ["Sở GTVT", "Sở Giao thông - Vận tải"]),
    "SXD": ("Sở Xây dựng", "Sở Xây dựng", []),
    "STNMT": ("Sở Tài nguyên và Môi trường", "Sở TN&MT", ["Sở TN&MT", "Sở Tài nguyên & Môi trường", "Sở TN và MT"]),
    "STTTT": ("Sở Thông tin và Truyền thông", "Sở TT&TT",
              ["Sở TT&TT", "Sở TTTT", "Sở TT &TT", "Sở Thông tin & TT", "Sở Thông tin và Truyền thông",
               "Sở Thông tin & Truyền thông", "Sở TT và TT", "Sở Thông tin và TT"]),
    "SLDTBXH": ("Sở Lao động - Thương binh và Xã hội", "Sở LĐTB&XH",
                ["Sở LĐTB&XH", "Sở LĐ-TB&XH", "Sở Lao động - TB&XH", "Sở Lao động, Thương binh và Xã hội",
                 "Sở Lao động - Thương binh & Xã hội"]),
    "SVHTTDL": ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL",
                ["Sở VHTT&DL", "Sở VH-TT&DL", "Sở Văn hóa, Thể thao & Du lịch", "Sở VHTTDL"]),
    "SVHTT": ("Sở Văn hóa và Thể thao", "Sở VH&TT", ["Sở VH&TT", "Sở VHTT", "Sở Văn hóa & Thể thao", "Sở VH và TT"]),
    "SDL": ("Sở Du lịch", "Sở Du lịch", []),
    "SKHCN": ("Sở Khoa học và Công nghệ", "Sở KH&CN",
              ["Sở Khoa học & CN", "Sở KH&CN", "Sở KHCN", "Sở Khoa học & Công nghệ", "Sở KH và CN"]),
    "SGDDT": ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", ["Sở GD&ĐT", "Sở Giáo dục & Đào tạo", "Sở GD và ĐT"]),
    "SYT": ("Sở Y tế", "Sở Y tế", []),
    "TTT": ("Thanh tra tỉnh", "Thanh tra tỉnh", []),
    "VPUBND": ("Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh",
               ["VP UBND tỉnh", "VP.UBND tỉnh", "Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"]),
    "BQLKCN": ("Ban Quản lý các khu công nghiệp tỉnh", "BQL các KCN",
               ["Ban Quản lý các KCN tỉnh", "Ban Quản lý các KCN", "BQL các KCN tỉnh", "BQL các KCN",
                "Ban QL các KCN", "Ban Quản lý các khu công nghiệp"]),
    "SNGV": ("Sở Ngoại vụ", "Sở Ngoại vụ", []),
    "SNNMT": ("Sở Nông nghiệp và Môi trường", "Sở NN&MT",
              ["Sở NN&MT", "Sở NN và MT", "Sở Nông nghiệp & Môi trường", "Sở NNMT", "Sở Nông nghiệp & MT"]),
}
# The departments of every province before 1 March 2025 (Decree 24/2014/NĐ-CP, amended by 107/2020/NĐ-CP),
# plus the industrial-zone board that each of these provinces has. Order = display order.
LEGACY_FIELDS = ["SNV", "STP", "SKHDT", "STC", "SCT", "SNNPTNT", "SGTVT", "SXD", "STNMT", "STTTT", "SLDTBXH",
                 "SVHTTDL", "SKHCN", "SGDDT", "SYT", "TTT", "VPUBND", "BQLKCN"]
# Province-specific departments (legacy code → change to the list). Nam Định had a Sở Ngoại vụ; the former Ninh
# Bình had Sở Văn hóa và Thể thao and Sở Du lịch instead of one Sở Văn hóa, Thể thao và Du lịch. Hà Nam: the
# standard list. Other provinces built with --province get the standard list (extend this table for them).
LEGACY_OVERRIDES: dict[str, dict[str, list[str]]] = {
    "36": {"add": ["SNGV"]},
    "37": {"replace_SVHTTDL": ["SVHTT", "SDL"]},
}
# Decree 45/2025/NĐ-CP (in force 1 March 2025): the twelve departments every province has (Điều 8: Nội vụ, Tư
# pháp, Tài chính, Công Thương, Nông nghiệp và Môi trường, Xây dựng, Khoa học và Công nghệ, Văn hóa, Thể thao
# và Du lịch, Giáo dục và Đào tạo, Y tế, Thanh tra tỉnh, Văn phòng UBND); Sở Ngoại vụ only where the Điều 9
# criteria are met, its work otherwise merged into Văn phòng UBND (Nam Định meets none of them).
# (predecessor field, successor field, share, functions moved)
DECREE_45_MERGES: list[tuple[str, str, int, str]] = [
    ("SKHDT", "STC", 1, ""),
    ("SGTVT", "SXD", 1, ""),
    ("STNMT", "SNNMT", 1, ""),
    ("SNNPTNT", "SNNMT", 1, ""),
    ("STTTT", "SKHCN", 1, ""),
    ("STTTT", "@culture", 0, "báo chí, phát thanh, truyền hình, xuất bản, thông tin cơ sở, thông tin đối ngoại"),
    ("SLDTBXH", "SNV", 1, "lao động, tiền lương, việc làm, người có công, an toàn lao động, bình đẳng giới"),
    ("SLDTBXH", "SYT", 0, "bảo trợ xã hội, trẻ em, phòng, chống tệ nạn xã hội"),
    ("SLDTBXH", "SGDDT", 0, "giáo dục nghề nghiệp"),
    ("SNGV", "VPUBND", 1, "công tác ngoại vụ"),
]
DECREE_45_NEW = ["SNNMT"]
# The new province's departments from 1 July 2025 (the Decree 45 list; the new Ninh Bình has a Sở Du lịch, so its
# culture department is Sở Văn hóa và Thể thao; a Sở Dân tộc và Tôn giáo is not modelled).
NEW_FIELDS = ["SNV", "STP", "STC", "SCT", "SNNMT", "SXD", "SKHCN", "@culture", "SGDDT", "SYT", "TTT", "VPUBND", "BQLKCN"]
NEW_CULTURE = {"37": ["SVHTT", "SDL"]}  # default: ["SVHTTDL"]

# --- Other provincial bodies (only for the history province and the new province) ----------------------------
# (code, name, short name, spellings; a spelling naming the province is qualified automatically)
PROVINCIAL_OTHER: list[tuple[str, str, str, list[str], bool]] = [  # last: carried into the new province
    ("CAT", "Công an tỉnh", "Công an tỉnh", [], True),
    ("BDT", "Bưu điện tỉnh", "Bưu điện tỉnh", [], True),
    ("VPDDBQH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "VP Đoàn ĐBQH và HĐND tỉnh",
     ["VP. Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn ĐBQH & HĐND tỉnh",
      "VP Đoàn ĐBQH&HĐND tỉnh"], True),
    ("TCTUBND", "Tổ công tác của Chủ tịch UBND tỉnh", "Tổ công tác của Chủ tịch UBND tỉnh",
     ["Tổ công tác của UBND tỉnh", "Tổ công tác của Chủ tịch Ủy ban nhân dân tỉnh"], True),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "Đài PT&TH tỉnh",
     ["Đài Phát thanh và TH tỉnh", "Đài Phát thanh – Truyền hình tỉnh", "Đài PT&TH tỉnh"], False),
    ("BND", "Báo Nam Định", "Báo Nam Định", [], False),
    ("TTDCCHC", "Tổ thẩm định Chỉ số CCHC tỉnh", "Tổ thẩm định Chỉ số CCHC",
     ["Tổ thẩm định chỉ số CCHC", "Tổ thẩm định Chỉ số cải cách hành chính"], True),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQ tỉnh",
     ["Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban MTTQ tỉnh", "UBMTTQ tỉnh", "UBMTTQ Việt Nam tỉnh"], True),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm PVHCC tỉnh",
     ["Trung tâm Phục vụ hành chính công", "Trung tâm PVHCC tỉnh", "Trung tâm PVHCC",
      "Trung tâm Phục vụ hành chính công, xúc tiến đầu tư và hỗ trợ doanh nghiệp tỉnh"], True),
]
HISTORY_ONLY = {"BND": "36"}  # bodies that only the history province has (the newspaper is named after it)
# Spellings of the history province's bodies that name it (kept from the first release).
HISTORY_QUALIFIED = {
    "SNV": ["Sở Nội vụ tỉnh {p}"], "TTT": ["Thanh tra tỉnh {p}"],
    "VPUBND": ["Văn phòng UBND tỉnh {p}", "Văn phòng Ủy ban nhân dân tỉnh {p}"],
    "CAT": ["Công an tỉnh {p}"], "BDT": ["Bưu điện tỉnh {p}"], "DPTTH": ["Đài Phát thanh và Truyền hình {p}"],
}
PROVINCE_UBND_BARE = ["UBND tỉnh", "Ủy ban nhân dân tỉnh"]

# --- District offices ----------------------------------------------------------------------------------------
# (office code, canonical bare name, which districts: "all" | "urban" (thành phố, thị xã) | "rural", variants)
DISTRICT_OFFICES: list[tuple[str, str, str, list[str]]] = [
    ("PNV", "Phòng Nội vụ", "all", []),
    ("PTP", "Phòng Tư pháp", "all", []),
    ("VPHU", "Văn phòng HĐND và UBND", "all",
     ["Văn phòng HĐND-UBND", "Văn phòng HĐND&UBND", "VP HĐND-UBND", "VP HĐND và UBND",
      "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"]),
    ("PTCKH", "Phòng Tài chính - Kế hoạch", "all", ["Phòng Tài chính – Kế hoạch", "Phòng TC-KH"]),
    ("PVHTT", "Phòng Văn hóa và Thông tin", "all",
     ["Phòng Văn hóa – Thông tin", "Phòng Văn hóa và thông tin", "Phòng VH&TT"]),
    ("PLDTBXH", "Phòng Lao động - Thương binh và Xã hội", "all",
     ["Phòng LĐTB&XH", "Phòng LĐ-TB&XH", "Phòng Lao động - TB&XH"]),
    ("PGDDT", "Phòng Giáo dục và Đào tạo", "all", ["Phòng GD&ĐT", "Phòng Giáo dục & Đào tạo"]),
    ("PYT", "Phòng Y tế", "all", []),
    ("PTNMT", "Phòng Tài nguyên và Môi trường", "all", ["Phòng TN&MT", "Phòng Tài nguyên & Môi trường"]),
    ("TTH", "Thanh tra", "all", []),
    ("PKT", "Phòng Kinh tế", "urban", []),
    ("PQLDT", "Phòng Quản lý đô thị", "urban", ["Phòng QLĐT"]),
    ("PNNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn", "rural",
     ["Phòng Nông nghiệp và PTNT", "Phòng NN&PTNT", "Phòng Nông nghiệp & PTNT"]),
    ("PKTHT", "Phòng Kinh tế và Hạ tầng", "rural", ["Phòng KT&HT", "Phòng Kinh tế - Hạ tầng"]),
]
# Mỹ Lộc's offices → the city's office doing that work from 2025 (a rural office has no namesake in a city).
MY_LOC_OFFICE_SUCCESSOR = {"PNNPTNT": "PKT", "PKTHT": "PQLDT"}
URBAN_TYPES = ("Thành phố", "Thị xã", "Quận")
KIND_ORDER = {"department": 0, "provincial_other": 1, "people_committee": 2, "district_office": 3}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}


# ------------------------------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """The matching key used later: lower case, no diacritics (đ → d), only [0-9a-z]."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return re.sub(r"[^0-9a-z]", "", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def day_after(iso: str) -> str:
    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()


def fmt_coord(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def fmt_share(value: Fraction) -> str:
    """Shares as exact-looking decimals: 1, 0.5, 0.333333."""
    return "1" if value == 1 else "0" if value == 0 else f"{float(value):.6f}".rstrip("0")


def package_dir() -> Path:
    """The installed vietnamadminunits package, checked against the pinned version."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{PACKAGE} is not installed: pip install -r requirements-build.txt ({PACKAGE}=={PACKAGE_VERSION})")
    version = importlib.metadata.version(PACKAGE)
    if version != PACKAGE_VERSION:
        sys.exit(f"{PACKAGE} {version} is installed; this build is checked against {PACKAGE_VERSION} "
                 f"(pip install -r requirements-build.txt)")
    return Path(next(iter(spec.submodule_search_locations)))


class Dataset:
    """The package's two maps and its converter, read once."""

    def __init__(self, db: Path, converter: Path) -> None:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        try:
            self.legacy = con.execute(
                "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey, "
                "district, districtShort, districtType, districtCode, districtLat, districtLon, districtKey, "
                "ward, wardShort, wardType, wardCode, wardLat, wardLon, wardKey "
                "FROM admin_units_legacy ORDER BY CAST(wardCode AS INTEGER)").fetchall()
            self.new = con.execute(
                "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey, "
                "ward, wardShort, wardType, wardCode, wardLat, wardLon, wardAreaKm2, wardKey "
                "FROM admin_units ORDER BY CAST(wardCode AS INTEGER)").fetchall()
        finally:
            con.close()
        data = json.loads(converter.read_text(encoding="utf-8"))
        self.provinces: dict[str, list[str]] = data["DICT_PROVINCE"]
        self.whole: dict[str, dict[str, list[str]]] = data["DICT_PROVINCE_WARD_NO_DIVIDED"]
        self.divided: dict[str, dict[str, list[dict]]] = data["DICT_PROVINCE_WARD_DIVIDED"]


# --- units ---------------------------------------------------------------------------------------------------
UNIT_TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Tỉnh", "Quận", "Huyện", "Phường", "Xã")


def normalise(name: str, short: str, typ: str) -> tuple[str, str, str]:
    """(name, short name, type) as the dataset means them: its type column is sometimes miscased ("Thị Xã") or
    contradicts the name ("Phường Việt Hòa" typed "Xã"); the name's own prefix wins. Short names lose the
    dataset's disambiguating suffix ("Mường Tè (Thị trấn)")."""
    name, short = name.strip(), re.sub(r"\s*\([^)]*\)$", "", short.strip())
    for t in UNIT_TYPES:
        if name.casefold().startswith(t.casefold() + " "):
            return f"{t}{name[len(t):]}", short, t
    t = next((t for t in UNIT_TYPES if t.casefold() == typ.strip().casefold()), typ.strip())
    return name, short, t


def unit(code: str, name: str, short: str, level: str, typ: str, province: str, valid_from: str, valid_to: str,
         lat: float | None, lon: float | None, area: float | None = None, official: str | None = None) -> dict:
    name, short, typ = normalise(name, short, typ)
    return {"code": code, "official_code": official or code, "name": name, "short_name": short, "level": level,
            "type": typ, "province_code": province, "valid_from": valid_from, "valid_to": valid_to,
            "lat": fmt_coord(lat), "lon": fmt_coord(lon), "area_km2": "" if area is None else f"{area:.2f}"}


def build_legacy(rows: list[sqlite3.Row], province: str) -> tuple[list[dict], list[dict]]:
    """One old province (early-2025 state, valid until 30/06/2025) with its districts and communes."""
    rows = [r for r in rows if r["provinceCode"] == province]
    if not rows:
        sys.exit(f"no legacy rows for province {province}")
    units: dict[str, dict] = {}
    parents: list[dict] = []
    first = rows[0]
    units[province] = unit(province, first["province"], first["provinceShort"], "province", "Tỉnh", province, "",
                           LEGACY_END, first["provinceLat"], first["provinceLon"])  # or "Thành phố" (Hà Nội …)
    my_loc = MY_LOC if MY_LOC["province"] == province else None
    for r in rows:
        d = r["districtCode"]
        if d not in units:
            units[d] = unit(d, r["district"], r["districtShort"], "district", r["districtType"], province, "",
                            LEGACY_END, r["districtLat"], r["districtLon"])
        w = r["wardCode"]
        if w is None:  # an island district without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo)
            continue
        assert w not in units, f"duplicate commune code {w}"
        units[w] = unit(w, r["ward"], r["wardShort"], "commune", r["wardType"], province, "", LEGACY_END,
                        r["wardLat"], r["wardLon"])
        if my_loc and w in my_loc["communes"]:
            assert d == my_loc["city"] and r["ward"] == my_loc["communes"][w], (w, d, r["ward"])
            parents.append({"code": w, "parent_code": my_loc["code"], "valid_from": "", "valid_to": my_loc["end"]})
            parents.append({"code": w, "parent_code": d, "valid_from": my_loc["merged"], "valid_to": LEGACY_END})
        else:
            parents.append({"code": w, "parent_code": d, "valid_from": "", "valid_to": LEGACY_END})
    if province in EXPECTED_DISTRICTS:
        seen = {c for c, u in units.items() if u["level"] == "district"}
        assert seen == EXPECTED_DISTRICTS[province], sorted(seen)
    if my_loc:
        # Mỹ Lộc is gone from the dataset; its position is the mean of its former communes.
        lats = [float(units[c]["lat"]) for c in my_loc["communes"]]
        lons = [float(units[c]["lon"]) for c in my_loc["communes"]]
        units[my_loc["code"]] = unit(my_loc["code"], "Huyện Mỹ Lộc", "Mỹ Lộc", "district", "Huyện", province, "",
                                     my_loc["end"], sum(lats) / len(lats), sum(lons) / len(lons))
    for code, u in units.items():
        if u["level"] == "district":
            parents.append({"code": code, "parent_code": province, "valid_from": "", "valid_to": u["valid_to"]})
    return list(units.values()), parents


def new_key(official: str) -> str:
    return f"{official}{KEY_SUFFIX}"


def build_new(rows: list[sqlite3.Row], province: str) -> tuple[list[dict], list[dict], dict[str, str]]:
    """The province of the 2025 map and its communes (valid from 01/07/2025); also ward key → unit key."""
    rows = [r for r in rows if r["provinceCode"] == province]
    if not rows:
        sys.exit(f"no rows for province {province} in the 2025 map")
    pkey = new_key(province)
    first = rows[0]
    area = sum(r["wardAreaKm2"] or 0.0 for r in rows)
    units = [unit(pkey, first["province"], first["provinceShort"], "province", "Tỉnh", pkey, MAP_2025, "",
                  first["provinceLat"], first["provinceLon"], area, official=province)]
    parents, by_key = [], {}
    for r in rows:
        key = new_key(r["wardCode"])
        units.append(unit(key, r["ward"], r["wardShort"], "commune", r["wardType"], pkey, MAP_2025, "",
                          r["wardLat"], r["wardLon"], r["wardAreaKm2"], official=r["wardCode"]))
        parents.append({"code": key, "parent_code": pkey, "valid_from": MAP_2025, "valid_to": ""})
        assert r["wardKey"] not in by_key, r["wardKey"]
        by_key[r["wardKey"]] = key
    return units, parents, by_key


def build_lineage(ds: Dataset, province_key_2025: str, legacy: list[str], new_by_key: dict[str, str],
                  pkey: str) -> list[dict]:
    """Successor links old → new: every old commune to its new commune(s) with shares; old provinces → new."""
    old_by_key = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": r["wardCode"] or r["districtCode"]
                  for r in ds.legacy if r["provinceCode"] in legacy}
    links: list[dict] = []
    seen_old: set[str] = set()
    for new_ward, olds in ds.whole[province_key_2025].items():
        assert new_ward in new_by_key, new_ward
        for old in olds:
            assert old in old_by_key, f"converter names an unknown old commune {old}"
            assert old not in seen_old, f"{old} listed twice"
            seen_old.add(old)
            links.append({"code": old_by_key[old], "successor_code": new_by_key[new_ward], "valid_from": MAP_2025,
                          "share": fmt_share(Fraction(1)), "basis": "whole"})
    for old, parts in ds.divided.get(province_key_2025, {}).items():
        assert old in old_by_key and old not in seen_old, old
        seen_old.add(old)
        share = Fraction(1, len(parts))
        for part in parts:
            links.append({"code": old_by_key[old], "successor_code": new_by_key[part["newWardKey"]],
                          "valid_from": MAP_2025, "share": fmt_share(share), "basis": "equal"})
    missing = set(old_by_key) - seen_old
    assert not missing, f"old communes without successor: {sorted(missing)[:5]}"
    reached = {link["successor_code"] for link in links}
    assert reached == set(new_by_key.values()), "a new commune has no predecessor"
    for p in legacy:
        links.append({"code": p, "successor_code": pkey, "valid_from": MAP_2025, "share": "1", "basis": "whole"})
    if MY_LOC["province"] in legacy:
        links.append({"code": MY_LOC["code"], "successor_code": MY_LOC["city"], "valid_from": MY_LOC["merged"],
                      "share": "1", "basis": "whole"})
    return links


def territory_shares(units: list[dict], parents: list[dict], links: list[dict]) -> dict[str, dict[str, Fraction]]:
    """An abolished district → the new communes its territory went to, weighted by its communes (each counts
    as one, a divided one by its shares). Used only for the district's UBND (the unit keeps no successor row:
    the level was abolished, and values are carried by the communes)."""
    by_code = {u["code"]: u for u in units}
    last_parent: dict[str, str] = {}
    for p in sorted(parents, key=lambda p: p["valid_from"]):
        if by_code[p["code"]]["level"] == "commune" and p["valid_to"] == LEGACY_END:
            last_parent[p["code"]] = p["parent_code"]
    out: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    counts: dict[str, int] = defaultdict(int)
    for d in last_parent.values():
        counts[d] += 1
    for link in links:
        if link["code"] in last_parent:
            d = last_parent[link["code"]]
            out[d][link["successor_code"]] += Fraction(link["share"]) / counts[d]
    return out


# --- agencies ------------------------------------------------------------------------------------------------
class Agencies:
    """Collects agencies, aliases and successor links; checks codes are unique."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.aliases: list[tuple[str, str, str]] = []
        self.links: list[dict] = []
        self.codes: set[str] = set()

    def add(self, code: str, name: str, short: str, kind: str, unit_code: str, rank_group: str = "",
            valid_from: str = "", valid_to: str = "") -> str:
        assert code not in self.codes, f"duplicate agency code {code}"
        self.codes.add(code)
        self.rows.append({"code": code, "name": name, "short_name": short, "kind": kind, "unit_code": unit_code,
                          "rank_group": rank_group, "valid_from": valid_from, "valid_to": valid_to})
        return code

    def alias(self, alias: str, code: str, scope: str = "") -> None:
        self.aliases.append((alias, code, scope))

    def link(self, code: str, successor: str, valid_from: str, share: Fraction | int, note: str = "") -> None:
        self.links.append({"code": code, "successor_code": successor, "valid_from": valid_from,
                           "share": fmt_share(Fraction(share)), "note": note})


def qualifier(u: dict) -> str:
    """'huyện Nghĩa Hưng', 'thành phố Nam Định', 'xã Mỹ Hà', 'phường 1': the unit as written after an agency."""
    typ, short = u["type"], u["short_name"]
    if short.casefold().startswith(typ.casefold()):
        return f"{typ.lower()}{short[len(typ):]}"
    return f"{typ.lower()} {short}"


def dept_code(field: str, province: str, history: str) -> str:
    return field if province == history else f"{field}-{province}"


def legacy_fields(province: str) -> list[str]:
    fields = list(LEGACY_FIELDS)
    o = LEGACY_OVERRIDES.get(province, {})
    if "replace_SVHTTDL" in o:
        i = fields.index("SVHTTDL")
        fields[i:i + 1] = o["replace_SVHTTDL"]
    return fields + o.get("add", [])


def culture_fields(fields: list[str]) -> list[str]:
    return [f for f in fields if f in ("SVHTTDL", "SVHTT")]


def qualified(name: str, prov: dict) -> str:
    """A provincial body's name with its province: "Sở Nội vụ tỉnh Nam Định", "Thanh tra tỉnh Nam Định"."""
    name = provincial(name, prov)
    word = prov["type"].lower()
    return f"{name} {prov['short_name']}" if name.endswith(f" {word}") else f"{name} {word} {prov['short_name']}"


def provincial(text: str, prov: dict) -> str:
    """Wording of a centrally-run city ("Thanh tra thành phố", "UBND thành phố") where a province says "tỉnh"."""
    return re.sub(r"\btỉnh\b", "thành phố", text) if prov["type"] == "Thành phố" else text


def add_province_bodies(ag: Agencies, prov: dict, fields: list[str], history: str, valid_from: str,
                        valid_to: dict[str, str] | str) -> dict[str, str]:
    """A province's departments (given fields) with their spellings: bare ones scoped to the province,
    the ones naming it ("Sở Nội vụ tỉnh Nam Định") everywhere. Returns field → agency code."""
    p = prov["code"]
    out = {}
    for field in fields:
        name, short, spellings = FIELDS[field]
        name, short, spellings = provincial(name, prov), provincial(short, prov), [provincial(x, prov) for x in spellings]
        until = valid_to if isinstance(valid_to, str) else valid_to[field]
        code = ag.add(dept_code(field, p, history), name, short, "department", p, "department", valid_from, until)
        out[field] = code
        for s in spellings:
            ag.alias(s, code, p)
        ag.alias(qualified(name, prov), code)
        for s in HISTORY_QUALIFIED.get(field, []):
            ag.alias(s.format(p=prov["short_name"]), code)
    return out


def build_agencies(units: list[dict], parents: list[dict], unit_links: list[dict], legacy: list[str],
                   history: str, pkey: str, new_province: str) -> Agencies:
    """Every agency over time: departments (before/after Decree 45, then the new province's), other provincial
    bodies, the people's committees of every unit, the district offices; with spellings and successor links."""
    ag = Agencies()
    by_code = {u["code"]: u for u in units}
    provinces = [history] + [p for p in legacy if p != history]  # history first: display order
    new_prov = by_code[pkey]
    new_fields = [f for f in NEW_FIELDS if f != "@culture"]
    culture = NEW_CULTURE.get(new_province, ["SVHTTDL"])
    i = NEW_FIELDS.index("@culture")
    new_fields[i:i] = culture

    # --- departments ------------------------------------------------------------------------------------------
    legacy_depts: dict[str, dict[str, str]] = {}
    for p in provinces:
        prov = by_code[p]
        fields = legacy_fields(p)
        merged_away = {m[0] for m in DECREE_45_MERGES}
        until = {f: BEFORE_DECREE_45 if f in merged_away else LEGACY_END for f in fields}
        depts = add_province_bodies(ag, prov, fields, history, "", until)
        depts |= add_province_bodies(ag, prov, DECREE_45_NEW, history, DECREE_45, LEGACY_END)
        for old, new, share, note in DECREE_45_MERGES:
            if old not in depts:
                continue
            targets = culture_fields(list(depts)) if new == "@culture" else [new]
            for t in targets:
                ag.link(depts[old], depts[t], DECREE_45, share, note)
        legacy_depts[p] = depts
    new_depts = add_province_bodies(ag, new_prov, new_fields, history, MAP_2025, "")
    for p, depts in legacy_depts.items():
        for field, code in depts.items():
            row = next(r for r in ag.rows if r["code"] == code)
            if row["valid_to"] != LEGACY_END:
                continue  # merged away on 1 March 2025: its successor carries it on
            if field in new_depts:
                ag.link(code, new_depts[field], MAP_2025, 1)
            elif field in ("SVHTTDL", "SVHTT"):
                ag.link(code, new_depts[culture[0]], MAP_2025, 1)
                for extra in culture[1:]:
                    ag.link(code, new_depts[extra], MAP_2025, 0, "du lịch")
            elif field == "SDL":
                ag.link(code, new_depts.get("SDL", new_depts[culture[0]]), MAP_2025, 1)
            else:
                raise AssertionError(f"no successor for {code}")

    # --- other provincial bodies (history province and new province) --------------------------------------------
    hist = by_code[history]
    for code, name, short, spellings, carried in PROVINCIAL_OTHER:
        if code in HISTORY_ONLY and HISTORY_ONLY[code] != history:
            continue
        ag.add(code, provincial(name, hist), provincial(short, hist), "provincial_other", history, "", "", LEGACY_END)
        for s in [name, *spellings]:
            _alias_named(ag, provincial(s, hist), code, hist)
        for s in HISTORY_QUALIFIED.get(code, []):
            ag.alias(s.format(p=hist["short_name"]), code)
        if carried:
            ncode = ag.add(f"{code}-{pkey}", provincial(name, new_prov), provincial(short, new_prov), "provincial_other",
                           pkey, "", MAP_2025, "")
            for s in [name, *spellings]:
                _alias_named(ag, provincial(s, new_prov), ncode, new_prov)
            ag.link(code, ncode, MAP_2025, 1)

    # --- people's committees of provinces ------------------------------------------------------------------------
    for p in [*provinces, pkey]:
        prov = by_code[p]
        code = ag.add(f"UBND-{p}", f"UBND {qualifier(prov)}", provincial("UBND tỉnh", prov), "people_committee", p,
                      "", prov["valid_from"], prov["valid_to"])
        ag.alias(f"Ủy ban nhân dân {qualifier(prov)}", code)
        for s in PROVINCE_UBND_BARE:
            ag.alias(provincial(s, prov), code, p)
        if p != pkey:
            ag.link(code, f"UBND-{pkey}", MAP_2025, 1)

    # --- districts: UBND and offices -------------------------------------------------------------------------------
    territory = territory_shares(units, parents, unit_links)
    for p in provinces:
        for d in (u for u in units if u["level"] == "district" and u["province_code"] == p):
            add_district(ag, d)
            if d["code"] == MY_LOC["code"]:
                city = MY_LOC["city"]
                ag.link(f"UBND-{d['code']}", f"UBND-{city}", MY_LOC["merged"], 1)
                for office, _bare, _where, _v in DISTRICT_OFFICES:
                    src = f"{office}-{d['code']}"
                    if src in ag.codes:
                        dst = f"{MY_LOC_OFFICE_SUCCESSOR.get(office, office)}-{city}"
                        ag.link(src, dst, MY_LOC["merged"], 1)
            elif d["code"] in territory:
                for succ, share in sorted(territory[d["code"]].items()):
                    ag.link(f"UBND-{d['code']}", f"UBND-{succ}", MAP_2025, share, "địa bàn")

    # --- communes ---------------------------------------------------------------------------------------------------
    add_communes(ag, units, parents, history)
    for link in unit_links:
        # communes, and an island district that became a special zone (đặc khu)
        if by_code[link["code"]]["level"] == "commune" or (
                by_code[link["code"]]["level"] == "district" and link["code"] != MY_LOC["code"]):
            ag.link(f"UBND-{link['code']}", f"UBND-{link['successor_code']}", link["valid_from"],
                    Fraction(link["share"]))
    return ag


def _alias_named(ag: Agencies, spelling: str, code: str, prov: dict) -> None:
    """A spelling naming the province is valid everywhere; a bare one only inside the province."""
    short = fold(prov["short_name"])
    named = short in fold(spelling)
    ag.alias(spelling, code, "" if named else prov["code"])
    if not named:
        ag.alias(qualified(spelling, prov), code)


def add_district(ag: Agencies, d: dict) -> None:
    """UBND of a district and its offices (valid as long as the district)."""
    dc, q = d["code"], qualifier(d)
    type_word = d["type"].lower()  # "huyện" | "thành phố" | "thị xã"
    urban = d["type"] in URBAN_TYPES
    short = {"Thành phố": f"TP {d['short_name']}", "Thị xã": f"TX {d['short_name']}"}.get(d["type"], d["short_name"])
    ubnd = ag.add(f"UBND-{dc}", f"UBND {q}", short, "people_committee", dc, "district", d["valid_from"], d["valid_to"])
    ag.alias(f"Ủy ban nhân dân {q}", ubnd)
    # inside the district's own plans (and its communes'): "UBND huyện", "UBND thành phố"
    ag.alias(f"UBND {type_word}", ubnd, dc)
    ag.alias(f"Ủy ban nhân dân {type_word}", ubnd, dc)
    abbrev = {"Thành phố": "TP", "Thị xã": "TX"}.get(d["type"])
    if abbrev:
        ag.alias(f"UBND {abbrev} {d['short_name']}", ubnd)
        ag.alias(f"UBND {abbrev}", ubnd, dc)
    for office, bare, where, variants in DISTRICT_OFFICES:
        if (where == "urban" and not urban) or (where == "rural" and urban):
            continue
        acode = ag.add(f"{office}-{dc}", f"{bare} {q}", bare, "district_office", dc, "", d["valid_from"], d["valid_to"])
        for v in [bare, *variants]:
            # bare names ("Phòng Nội vụ", "Thanh tra") resolve only inside the district's own plans and its
            # communes'; qualified names resolve everywhere
            ag.alias(v, acode, dc)
            ag.alias(f"{v} {type_word}", acode, dc)
            ag.alias(f"{v} {q}", acode)
            if abbrev:
                ag.alias(f"{v} {abbrev} {d['short_name']}", acode)


def add_communes(ag: Agencies, units: list[dict], parents: list[dict], history: str) -> None:
    """One UBND per commune, old and new.

    Old commune names that fold to the same key in different districts (Xã Hồng Quang in Ý Yên and in Nam
    Trực) get their district in the canonical name, and the short alias ("UBND xã Hồng Quang") is scoped to
    that district. The history province is named first, so its communes keep their first-release names; a
    commune of another old province that folds like one already taken is qualified by its district too.
    Names that differ only by diacritics inside one district (Xã Trực Hưng / Xã Trực Hùng in Trực Ninh) keep
    their exact names (the resolver compares with diacritics first). Old and new communes of the same name
    (valid on different dates) are told apart by the date.
    """
    by_code = {u["code"]: u for u in units}
    latest: dict[str, str] = {}  # the district (old) or province (new) a commune belonged to last
    for p in sorted(parents, key=lambda p: p["valid_from"]):
        latest[p["code"]] = p["parent_code"]
    old = [u for u in units if u["level"] == "commune" and u["valid_to"]]
    new = [u for u in units if u["level"] == "commune" and not u["valid_to"]]
    order = {history: 0}
    old.sort(key=lambda u: (order.get(u["province_code"], 1), u["province_code"], int(u["official_code"])))
    taken: set[str] = set()
    for group in _by_province(old):
        districts_by_key: dict[str, set[str]] = defaultdict(set)
        for c in group:
            districts_by_key[fold(c["name"])].add(latest[c["code"]])
        for c in group:
            k = fold(c["name"])
            qualify = len(districts_by_key[k]) > 1 or k in taken
            _add_commune(ag, c, by_code[latest[c["code"]]] if qualify else None)
        taken |= set(districts_by_key)
    for c in new:
        _add_commune(ag, c, None)


def _by_province(rows: list[dict]) -> list[list[dict]]:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["province_code"], []).append(r)
    return list(groups.values())


def _add_commune(ag: Agencies, c: dict, district: dict | None) -> None:
    cc, q = c["code"], qualifier(c)
    code = f"UBND-{cc}"
    if district is not None:
        name = f"UBND {q} ({qualifier(district)})"
        ag.alias(f"UBND {q}", code, district["code"])
        ag.alias(f"Ủy ban nhân dân {q}", code, district["code"])
        ag.alias(f"UBND {q}, {qualifier(district)}", code)
        ag.alias(f"Ủy ban nhân dân {q}, {qualifier(district)}", code)
    else:
        name = f"UBND {q}"
        ag.alias(f"Ủy ban nhân dân {q}", code)
    ag.add(code, name, c["short_name"], "people_committee", cc, "commune", c["valid_from"], c["valid_to"])
    # inside the commune's own plans: "UBND xã", "Ủy ban nhân dân phường"
    type_word = c["type"].lower()
    ag.alias(f"UBND {type_word}", code, cc)
    ag.alias(f"Ủy ban nhân dân {type_word}", code, cc)


# --- output --------------------------------------------------------------------------------------------------
def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def unit_sort_key(u: dict) -> tuple:
    """Old map first, then the 2025 map; within each, by official code (a province before its units)."""
    return (u["valid_from"] == MAP_2025, int(u["official_code"]))


def build(province: str, history: str, ds: Dataset) -> dict[str, list]:
    """Every table for one province of the 2025 map."""
    new_rows = [r for r in ds.new if r["provinceCode"] == province]
    if not new_rows:
        sys.exit(f"province {province} is not in the 2025 map of {PACKAGE}")
    pkey_2025 = new_rows[0]["provinceKey"]
    legacy_keys = ds.provinces[pkey_2025]
    legacy = sorted({r["provinceCode"] for r in ds.legacy if r["provinceKey"] in legacy_keys})
    if history not in legacy:
        sys.exit(f"history province {history} is not one of {legacy} (the provinces {province} was made of)")
    units, parents = [], []
    for p in legacy:
        u, pa = build_legacy(ds.legacy, p)
        units += u
        parents += pa
    nu, npa, new_by_key = build_new(ds.new, province)
    units += nu
    parents += npa
    pkey = new_key(province)
    links = build_lineage(ds, pkey_2025, legacy, new_by_key, pkey)
    ag = build_agencies(units, parents, links, legacy, history, pkey, province)

    units.sort(key=unit_sort_key)
    rank = {u["code"]: i for i, u in enumerate(units)}
    parents.sort(key=lambda p: (rank[p["code"]], p["valid_from"], rank[p["parent_code"]]))
    links.sort(key=lambda s: (rank[s["code"]], s["valid_from"], rank[s["successor_code"]]))
    order = {a["code"]: i for i, a in enumerate(ag.rows)}  # creation order
    province_of = {u["code"]: u["province_code"] for u in units}
    first = {history: 0}  # the history province's agencies first, as in the first release
    agencies = sorted(ag.rows, key=lambda a: (KIND_ORDER[a["kind"]], a["valid_from"] == MAP_2025,
                                              first.get(province_of[a["unit_code"]], 1), rank[a["unit_code"]],
                                              order[a["code"]]))
    arank = {a["code"]: i for i, a in enumerate(agencies)}
    assert all(s["code"] in arank and s["successor_code"] in arank for s in ag.links), "link to an unknown agency"
    agency_links = sorted(ag.links, key=lambda s: (arank[s["code"]], s["valid_from"], arank[s["successor_code"]]))
    names = {a["code"]: a["name"] for a in agencies}
    # Drop aliases equal to the canonical name in its own scope (implicit) and exact duplicates.
    implicit = {(a["name"], a["code"], name_scope(a)) for a in agencies}
    alias_rows = sorted(
        {(a, c, sc) for a, c, sc in ag.aliases if (a, c, sc) not in implicit},
        key=lambda t: (arank[t[1]], t[2] != "", rank.get(t[2], -1), t[0]),
    )
    assert all(c in names for _, c, _ in alias_rows)
    meta = {"package": PACKAGE, "version": PACKAGE_VERSION, "province": province, "province_key": pkey,
            "history_province": history, "legacy_provinces": legacy, "map_from": MAP_2025,
            "decree_45_from": DECREE_45, "key_suffix": KEY_SUFFIX,
            "share_basis": "commune territory: whole = 1, divided = equal split (the dataset has no part areas)"}
    return {"units": units, "parents": parents, "unit_links": links, "agencies": agencies,
            "agency_links": agency_links, "aliases": alias_rows, "meta": meta}


_NAME_SCOPED_KINDS = ("department", "provincial_other")


def name_scope(agency: dict) -> str:
    """Where an agency's canonical name is understood without qualification (the rule the resolver applies):
    a department's or other provincial body's bare name inside its province, anything else everywhere."""
    return agency["unit_code"] if agency["kind"] in _NAME_SCOPED_KINDS else ""


def write(tables: dict[str, list], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "units.csv", UNIT_HEADER, tables["units"])
    write_csv(out / "unit_parents.csv", PARENT_HEADER, tables["parents"])
    write_csv(out / "unit_successors.csv", UNIT_SUCCESSOR_HEADER, tables["unit_links"])
    write_csv(out / "agencies.csv", AGENCY_HEADER, tables["agencies"])
    write_csv(out / "agency_successors.csv", AGENCY_SUCCESSOR_HEADER, tables["agency_links"])
    write_csv(out / "aliases.csv", ALIAS_HEADER,
              [{"alias": a, "agency_code": c, "scope_unit_code": s} for a, c, s in tables["aliases"]])
    (out / "build.json").write_text(json.dumps(tables["meta"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--province", default=DEFAULT_PROVINCE, help="official code of a province of the 2025 map")
    ap.add_argument("--history", help="the old province whose history the deployment carries (default: 36 for 37, "
                                      "else the old province with the same code, else the first)")
    ap.add_argument("--out", type=Path, help="output folder (default data/reference/)")
    ap.add_argument("--db", type=Path, help="path of vietnamadminunits' dataset.db")
    ap.add_argument("--converter", type=Path, help="path of vietnamadminunits' converter_2025.json")
    args = ap.parse_args(argv)
    pkg = None if (args.db and args.converter) else package_dir()
    ds = Dataset(args.db or pkg / "data" / "dataset.db", args.converter or pkg / "data" / "converter_2025.json")
    new_rows = [r for r in ds.new if r["provinceCode"] == args.province]
    if not new_rows:
        sys.exit(f"province {args.province} is not in the 2025 map")
    legacy = sorted({r["provinceCode"] for r in ds.legacy if r["provinceKey"] in ds.provinces[new_rows[0]["provinceKey"]]})
    history = args.history or DEFAULT_HISTORY.get(args.province) or (args.province if args.province in legacy else legacy[0])
    tables = build(args.province, history, ds)
    out = args.out or DEFAULT_OUT
    write(tables, out)
    print(f"{PACKAGE} {PACKAGE_VERSION} -> {out}: province {args.province} (history {history}, old {tables['meta']['legacy_provinces']}): "
          f"{len(tables['units'])} units, {len(tables['unit_links'])} unit links, {len(tables['agencies'])} agencies, "
          f"{len(tables['agency_links'])} agency links, {len(tables['aliases'])} aliases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
