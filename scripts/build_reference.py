"""Build the reference tables (units, parents, agencies, aliases) for Nam Định.

Reads the SQLite dataset shipped with the `vietnamadminunits` package (table
`admin_units_legacy`, the pre-July-2025 three-level structure, state of early 2025)
and writes four CSV files under data/reference/:

    units.csv         code,name,short_name,level,type,valid_from,valid_to,lat,lon
    unit_parents.csv  code,parent_code,valid_from,valid_to
    agencies.csv      code,name,short_name,kind,unit_code,rank_group
    aliases.csv       alias,agency_code,scope_unit_code

The output is deterministic (sorted rows, fixed number formatting, "\\n" line endings),
so re-running the script on the same dataset gives byte-identical files. The CSVs are
committed; the app never needs `vietnamadminunits` at run time.

Usage:  python scripts/build_reference.py [--db PATH] [--out DIR]

Only the standard library is used (sqlite3, csv, plus re/unicodedata for name folding).
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

PROVINCE_CODE = "36"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "reference"

# --- Validity facts (public records, not in the dataset) ----------------------------------
# Mỹ Lộc district was merged into Thành phố Nam Định from 1 January 2025
# (Nghị quyết 1318/NQ-UBTVQH15); the dataset already reflects the merger.
MY_LOC_CODE = "358"
CITY_CODE = "356"
MY_LOC_END = "2024-12-31"
MY_LOC_MERGED = "2025-01-01"
# From 1 July 2025 the district level was abolished and Nam Định merged into Ninh Bình.
NAM_DINH_END = "2025-06-30"

# Communes of Thành phố Nam Định in the dataset whose territory belonged to Mỹ Lộc.
# They keep codes of the former Mỹ Lộc range (13708..13738, right after the city's
# wards and before Vụ Bản's 13741). Evidence in the dataset's wardAlias column:
#   13708 Phường Hưng Lộc = former Thị trấn Mỹ Lộc + Xã Mỹ Hưng
#   13735 Xã Mỹ Lộc       = former Xã Mỹ Thành + Mỹ Thịnh + Mỹ Tiến
# The other five kept their names. Phường Mỹ Xá (13699) was already a commune of the
# city and is NOT in this list although its name starts with "Mỹ".
MY_LOC_COMMUNES = {
    "13708": "Phường Hưng Lộc",
    "13711": "Xã Mỹ Hà",
    "13717": "Xã Mỹ Thắng",
    "13720": "Xã Mỹ Trung",
    "13723": "Xã Mỹ Tân",
    "13726": "Xã Mỹ Phúc",
    "13732": "Xã Mỹ Thuận",
    "13735": "Xã Mỹ Lộc",
}
EXPECTED_DISTRICTS_IN_DATASET = {"356", "359", "360", "361", "362", "363", "364", "365", "366"}

UNIT_HEADER = ["code", "name", "short_name", "level", "type", "valid_from", "valid_to", "lat", "lon"]
PARENT_HEADER = ["code", "parent_code", "valid_from", "valid_to"]
AGENCY_HEADER = ["code", "name", "short_name", "kind", "unit_code", "rank_group"]
ALIAS_HEADER = ["alias", "agency_code", "scope_unit_code"]

# --- Provincial agencies ------------------------------------------------------------------
# (code, canonical name, short display name, aliases valid everywhere)
DEPARTMENTS: list[tuple[str, str, str, list[str]]] = [
    ("SNV", "Sở Nội vụ", "Sở Nội vụ", ["Sở Nội vụ tỉnh Nam Định"]),
    ("STP", "Sở Tư pháp", "Sở Tư pháp", ["Sở Tƣ pháp"]),  # "ƣ" is a PDF-conversion artefact in seed 001
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT",
     ["Sở Kế hoạch & ĐT", "Sở KH&ĐT", "Sở KHĐT", "Sở Kế hoạch & Đầu tư", "Sở KH và ĐT"]),
    ("STC", "Sở Tài chính", "Sở Tài chính", []),
    ("SCT", "Sở Công Thương", "Sở Công Thương", []),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT",
     ["Sở NN&PTNT", "Sở NN và PTNT", "Sở Nông nghiệp và PTNT", "Sở Nông nghiệp & PTNT",
      "Sở Nông nghiệp & Phát triển nông thôn"]),
    ("SGTVT", "Sở Giao thông vận tải", "Sở GTVT", ["Sở GTVT", "Sở Giao thông - Vận tải"]),
    ("SXD", "Sở Xây dựng", "Sở Xây dựng", []),
    ("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT",
     ["Sở TN&MT", "Sở Tài nguyên & Môi trường", "Sở TN và MT"]),
    ("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT",
     ["Sở TT&TT", "Sở TTTT", "Sở TT &TT", "Sở Thông tin & TT", "Sở Thông tin và Truyền thông",
      "Sở Thông tin & Truyền thông", "Sở TT và TT", "Sở Thông tin và TT"]),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Sở LĐTB&XH",
     ["Sở LĐTB&XH", "Sở LĐ-TB&XH", "Sở Lao động - TB&XH", "Sở Lao động, Thương binh và Xã hội",
      "Sở Lao động - Thương binh & Xã hội"]),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL",
     ["Sở VHTT&DL", "Sở VH-TT&DL", "Sở Văn hóa, Thể thao & Du lịch", "Sở VHTTDL"]),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN",
     ["Sở Khoa học & CN", "Sở KH&CN", "Sở KHCN", "Sở Khoa học & Công nghệ", "Sở KH và CN"]),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT",
     ["Sở GD&ĐT", "Sở Giáo dục & Đào tạo", "Sở GD và ĐT"]),
    ("SYT", "Sở Y tế", "Sở Y tế", []),
    ("TTT", "Thanh tra tỉnh", "Thanh tra tỉnh", ["Thanh tra tỉnh Nam Định"]),
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh",
     ["VP UBND tỉnh", "VP.UBND tỉnh", "Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh",
      "Văn phòng UBND tỉnh Nam Định", "Văn phòng Ủy ban nhân dân tỉnh Nam Định"]),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", "BQL các KCN",
     ["Ban Quản lý các KCN tỉnh", "Ban Quản lý các KCN", "BQL các KCN tỉnh", "BQL các KCN",
      "Ban QL các KCN", "Ban Quản lý các khu công nghiệp"]),
    ("SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ", []),
]

PROVINCIAL_OTHER: list[tuple[str, str, str, list[str]]] = [
    ("CAT", "Công an tỉnh", "Công an tỉnh", ["Công an tỉnh", "Công an tỉnh Nam Định"]),
    ("BDT", "Bưu điện tỉnh", "Bưu điện tỉnh", ["Bưu điện tỉnh", "Bưu điện tỉnh Nam Định"]),
    ("VPDDBQH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
     "VP Đoàn ĐBQH và HĐND tỉnh",
     ["VP. Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
      "Văn phòng Đoàn ĐBQH & HĐND tỉnh", "VP Đoàn ĐBQH&HĐND tỉnh"]),
    ("TCTUBND", "Tổ công tác của Chủ tịch UBND tỉnh", "Tổ công tác của Chủ tịch UBND tỉnh",
     ["Tổ công tác của UBND tỉnh", "Tổ công tác của Chủ tịch UBND tỉnh",
      "Tổ công tác của Chủ tịch Ủy ban nhân dân tỉnh"]),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "Đài PT&TH tỉnh",
     ["Đài Phát thanh và TH tỉnh", "Đài Phát thanh – Truyền hình tỉnh", "Đài PT&TH tỉnh",
      "Đài Phát thanh và Truyền hình Nam Định"]),
    ("BND", "Báo Nam Định", "Báo Nam Định", []),
    ("TTDCCHC", "Tổ thẩm định Chỉ số CCHC tỉnh", "Tổ thẩm định Chỉ số CCHC",
     ["Tổ thẩm định chỉ số CCHC", "Tổ thẩm định Chỉ số cải cách hành chính"]),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQ tỉnh",
     ["Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban MTTQ tỉnh", "UBMTTQ tỉnh", "UBMTTQ Việt Nam tỉnh"]),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm PVHCC tỉnh",
     ["Trung tâm Phục vụ hành chính công", "Trung tâm PVHCC tỉnh", "Trung tâm PVHCC",
      "Trung tâm Phục vụ hành chính công, xúc tiến đầu tư và hỗ trợ doanh nghiệp tỉnh"]),
]

PROVINCE_UBND_ALIASES = ["UBND tỉnh", "Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Nam Định"]

# --- District offices ---------------------------------------------------------------------
# (office code, canonical bare name, which districts: "all" | "city" | "rural",
#  variant bare names as typed in plans)
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
    ("PKT", "Phòng Kinh tế", "city", []),
    ("PQLDT", "Phòng Quản lý đô thị", "city", ["Phòng QLĐT"]),
    ("PNNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn", "rural",
     ["Phòng Nông nghiệp và PTNT", "Phòng NN&PTNT", "Phòng Nông nghiệp & PTNT"]),
    ("PKTHT", "Phòng Kinh tế và Hạ tầng", "rural", ["Phòng KT&HT", "Phòng Kinh tế - Hạ tầng"]),
]


# ------------------------------------------------------------------------------------------
def find_dataset() -> Path:
    """Path of vietnamadminunits' dataset.db, found through the installed package."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("vietnamadminunits is not installed; pip install vietnamadminunits==1.0.4 "
                 "or pass --db PATH")
    for location in spec.submodule_search_locations:
        path = Path(location) / "data" / "dataset.db"
        if path.is_file():
            return path
    sys.exit("dataset.db not found inside the vietnamadminunits package")


def fmt_coord(value: float) -> str:
    return f"{value:.6f}"


def read_dataset(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute(
            "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, "
            "district, districtShort, districtType, districtCode, districtLat, districtLon, "
            "ward, wardShort, wardType, wardCode, wardLat, wardLon "
            "FROM admin_units_legacy WHERE provinceCode = ? ORDER BY CAST(wardCode AS INTEGER)",
            (PROVINCE_CODE,),
        ).fetchall()
    finally:
        con.close()
    if not rows:
        sys.exit(f"no rows for province {PROVINCE_CODE} in {db}")
    return rows


def build_units(rows: list[sqlite3.Row]) -> tuple[list[dict], list[dict]]:
    """Units (province, districts incl. Mỹ Lộc, communes) and their parent periods."""
    units: dict[str, dict] = {}
    parents: list[dict] = []

    first = rows[0]
    prov_type, prov_short = "Tỉnh", first["provinceShort"]
    assert first["province"] == f"{prov_type} {prov_short}", first["province"]
    units[PROVINCE_CODE] = {
        "code": PROVINCE_CODE, "name": first["province"], "short_name": prov_short,
        "level": "province", "type": prov_type, "valid_from": "", "valid_to": NAM_DINH_END,
        "lat": fmt_coord(first["provinceLat"]), "lon": fmt_coord(first["provinceLon"]),
    }

    for r in rows:
        d = r["districtCode"]
        if d not in units:
            assert r["district"] == f"{r['districtType']} {r['districtShort']}", r["district"]
            units[d] = {
                "code": d, "name": r["district"], "short_name": r["districtShort"],
                "level": "district", "type": r["districtType"], "valid_from": "",
                "valid_to": NAM_DINH_END,
                "lat": fmt_coord(r["districtLat"]), "lon": fmt_coord(r["districtLon"]),
            }
        w = r["wardCode"]
        assert w not in units, f"duplicate commune code {w}"
        assert r["ward"] == f"{r['wardType']} {r['wardShort']}", r["ward"]
        units[w] = {
            "code": w, "name": r["ward"], "short_name": r["wardShort"],
            "level": "commune", "type": r["wardType"], "valid_from": "", "valid_to": NAM_DINH_END,
            "lat": fmt_coord(r["wardLat"]), "lon": fmt_coord(r["wardLon"]),
        }
        if w in MY_LOC_COMMUNES:
            assert d == CITY_CODE and r["ward"] == MY_LOC_COMMUNES[w], (w, d, r["ward"])
            parents.append({"code": w, "parent_code": MY_LOC_CODE, "valid_from": "",
                            "valid_to": MY_LOC_END})
            parents.append({"code": w, "parent_code": CITY_CODE, "valid_from": MY_LOC_MERGED,
                            "valid_to": NAM_DINH_END})
        else:
            parents.append({"code": w, "parent_code": d, "valid_from": "", "valid_to": NAM_DINH_END})

    districts_seen = {c for c, u in units.items() if u["level"] == "district"}
    assert districts_seen == EXPECTED_DISTRICTS_IN_DATASET, sorted(districts_seen)
    missing = set(MY_LOC_COMMUNES) - set(units)
    assert not missing, f"Mỹ Lộc communes missing from the dataset: {sorted(missing)}"

    # Mỹ Lộc is gone from the dataset; its position is the mean of its former communes.
    lats = [float(units[c]["lat"]) for c in MY_LOC_COMMUNES]
    lons = [float(units[c]["lon"]) for c in MY_LOC_COMMUNES]
    units[MY_LOC_CODE] = {
        "code": MY_LOC_CODE, "name": "Huyện Mỹ Lộc", "short_name": "Mỹ Lộc",
        "level": "district", "type": "Huyện", "valid_from": "", "valid_to": MY_LOC_END,
        "lat": fmt_coord(sum(lats) / len(lats)), "lon": fmt_coord(sum(lons) / len(lons)),
    }

    for code, u in units.items():
        if u["level"] == "district":
            parents.append({"code": code, "parent_code": PROVINCE_CODE, "valid_from": "",
                            "valid_to": u["valid_to"]})

    unit_rows = sorted(units.values(), key=lambda u: int(u["code"]))
    parents.sort(key=lambda p: (int(p["code"]), p["valid_from"], int(p["parent_code"])))
    return unit_rows, parents


def qualifier(unit: dict) -> str:
    """'huyện Nghĩa Hưng', 'thành phố Nam Định', 'xã Mỹ Hà': the unit as written after an agency."""
    return f"{unit['type'].lower()} {unit['short_name']}"


def build_agencies(units: list[dict]) -> tuple[list[dict], list[tuple]]:
    """Provincial agencies, UBND of the province and districts, district offices, and aliases."""
    agencies: list[dict] = []
    aliases: list[tuple[str, str, str]] = []  # (alias, agency_code, scope_unit_code)

    def add(code: str, name: str, short: str, kind: str, unit_code: str, rank_group: str = "") -> None:
        agencies.append({"code": code, "name": name, "short_name": short, "kind": kind,
                         "unit_code": unit_code, "rank_group": rank_group})

    for code, name, short, names in DEPARTMENTS:
        add(code, name, short, "department", PROVINCE_CODE, "department")
        aliases += [(a, code, "") for a in names]
    for code, name, short, names in PROVINCIAL_OTHER:
        add(code, name, short, "provincial_other", PROVINCE_CODE)
        aliases += [(a, code, "") for a in names]

    province = next(u for u in units if u["level"] == "province")
    add(f"UBND-{province['code']}", f"UBND {qualifier(province)}", "UBND tỉnh", "people_committee",
        province["code"])
    aliases += [(a, f"UBND-{province['code']}", "") for a in PROVINCE_UBND_ALIASES]

    districts = [u for u in units if u["level"] == "district"]

    for d in districts:
        dc, q = d["code"], qualifier(d)
        type_word = d["type"].lower()  # "huyện" | "thành phố"
        is_city = d["type"] == "Thành phố"
        ubnd = f"UBND-{dc}"
        add(ubnd, f"UBND {q}", "TP Nam Định" if is_city else d["short_name"], "people_committee",
            dc, "district")
        aliases.append((f"Ủy ban nhân dân {q}", ubnd, ""))
        # inside the district's own plans (and its communes'): "UBND huyện", "UBND thành phố"
        aliases += [(f"UBND {type_word}", ubnd, dc), (f"Ủy ban nhân dân {type_word}", ubnd, dc)]
        if is_city:
            aliases += [(f"UBND TP {d['short_name']}", ubnd, ""), ("UBND TP", ubnd, dc)]

        for office, bare, where, variants in DISTRICT_OFFICES:
            if (where == "city" and not is_city) or (where == "rural" and is_city):
                continue
            acode = f"{office}-{dc}"
            add(acode, f"{bare} {q}", bare, "district_office", dc)
            for v in [bare, *variants]:
                # bare names ("Phòng Nội vụ", "Thanh tra") resolve only inside the district's
                # own plans and its communes'; qualified names resolve everywhere
                aliases.append((v, acode, dc))
                aliases.append((f"{v} {type_word}", acode, dc))
                aliases.append((f"{v} {q}", acode, ""))
                if is_city:
                    aliases.append((f"{v} TP {d['short_name']}", acode, ""))
    return agencies, aliases  # communes: build_commune_agencies


def fold(text: str) -> str:
    """The matching key used later: lower case, no diacritics (đ → d), only [0-9a-z]."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return re.sub(r"[^0-9a-z]", "", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def build_commune_agencies(units: list[dict], parents: list[dict]) -> tuple[list[dict], list[tuple]]:
    """One UBND per commune.

    Commune names that fold to the same key in different districts (Xã Hồng Quang in Ý Yên and
    in Nam Trực, Xã Nam Điền in Nghĩa Hưng and in Nam Trực) get their district in the canonical
    name, and the short alias ("UBND xã Hồng Quang") is scoped to that district.
    Names that differ only by diacritics inside one district (Xã Trực Hưng / Xã Trực Hùng in
    Trực Ninh) cannot be told apart by a folded match; they keep their exact names and the
    resolver must compare with diacritics first (see tests/test_reference.py).
    """
    agencies: list[dict] = []
    aliases: list[tuple[str, str, str]] = []
    by_code = {u["code"]: u for u in units}
    # the latest parent of each commune (the district it belonged to at the end of our data)
    latest: dict[str, str] = {}
    for p in sorted(parents, key=lambda p: p["valid_from"]):
        latest[p["code"]] = p["parent_code"]
    communes = [u for u in units if u["level"] == "commune"]
    districts_by_key: dict[str, set[str]] = {}
    for c in communes:
        districts_by_key.setdefault(fold(c["name"]), set()).add(latest[c["code"]])

    for c in communes:
        cc, q = c["code"], qualifier(c)
        district = by_code[latest[cc]]
        code = f"UBND-{cc}"
        type_word = c["type"].lower()
        if len(districts_by_key[fold(c["name"])]) > 1:
            name = f"UBND {q} ({qualifier(district)})"
            aliases.append((f"UBND {q}", code, district["code"]))
            aliases.append((f"Ủy ban nhân dân {q}", code, district["code"]))
            aliases.append((f"UBND {q}, {qualifier(district)}", code, ""))
            aliases.append((f"Ủy ban nhân dân {q}, {qualifier(district)}", code, ""))
        else:
            name = f"UBND {q}"
            aliases.append((f"Ủy ban nhân dân {q}", code, ""))
        agencies.append({"code": code, "name": name, "short_name": c["short_name"],
                         "kind": "people_committee", "unit_code": cc, "rank_group": "commune"})
        # inside the commune's own plans: "UBND xã", "Ủy ban nhân dân phường"
        aliases += [(f"UBND {type_word}", code, cc), (f"Ủy ban nhân dân {type_word}", code, cc)]
    return agencies, aliases


KIND_ORDER = {"department": 0, "provincial_other": 1, "people_committee": 2, "district_office": 3}


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="path of vietnamadminunits' dataset.db")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = ap.parse_args(argv)
    db = args.db or find_dataset()

    units, parents = build_units(read_dataset(db))
    agencies, aliases = build_agencies(units)
    c_agencies, c_aliases = build_commune_agencies(units, parents)
    agencies += c_agencies
    aliases += c_aliases

    agency_order = {a["code"]: i for i, a in enumerate(agencies)}  # creation order
    agencies.sort(key=lambda a: (KIND_ORDER[a["kind"]], int(a["unit_code"]), agency_order[a["code"]]))
    agency_rank = {a["code"]: i for i, a in enumerate(agencies)}
    names = {a["code"]: a["name"] for a in agencies}
    assert len(names) == len(agencies), "duplicate agency code"

    # Drop aliases equal to the canonical name (implicit) and exact duplicates.
    alias_rows = sorted(
        {(a, code, scope) for a, code, scope in aliases if not (a == names[code] and scope == "")},
        key=lambda t: (agency_rank[t[1]], t[2] != "", int(t[2] or 0), t[0]),
    )

    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "units.csv", UNIT_HEADER, units)
    write_csv(args.out / "unit_parents.csv", PARENT_HEADER, parents)
    write_csv(args.out / "agencies.csv", AGENCY_HEADER, agencies)
    write_csv(args.out / "aliases.csv", ALIAS_HEADER,
              [{"alias": a, "agency_code": c, "scope_unit_code": s} for a, c, s in alias_rows])
    print(f"{db}\n -> {args.out}: {len(units)} units, {len(parents)} parent rows, "
          f"{len(agencies)} agencies, {len(alias_rows)} aliases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
