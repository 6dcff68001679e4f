"""The provincial annual plans after 2023, derived from seed 003's appendix the way a drafting office reuses it.

Each year's appendix is last year's table with the recurring tasks kept, the years moved on, and the agencies
of the plan's date: 2024 and 2025 are Nam Định's (UBND tỉnh Nam Định; 2025's plan is issued in January 2025,
before the departments merged on 01/03/2025, so it names the old departments), 2026 is the new Ninh Bình's
(UBND tỉnh Ninh Bình, on the 2025 map: the merged departments, no district level, "UBND các xã, phường" for the
129 communes). Tasks of an agency that no longer exists go to its successor (Sở TT&TT → Sở Khoa học và Công
nghệ, Sở KH&ĐT → Sở Tài chính, UBND cấp huyện → UBND các xã, phường or Sở Nội vụ). A few tasks of the year are
added where the year's own work asked for them (the 2025 reorganisation, the two-level local government).

Everything is a pure function of the seed rows: no clock, no randomness.
"""
from __future__ import annotations

import re
from dataclasses import replace

from samples.plans import PLAN_2023, seed_rows

_YEAR_IN_TEXT = re.compile(r"(?<!đến )(?<!Đến )((?:[Nn]ăm|[Qq]uý [IV]+[- ]*[Nn]ăm|[Qq]uý \d-[Nn]ăm) ?)(20\d\d)\b")
_DATE = re.compile(r"\b(\d{1,2}/\d{1,2}/)(20\d\d)\b")
_STANDALONE_YEAR = re.compile(r"^(.*\b)(20\d\d)(\b.*)$")


def _shift_years(text: str, by: int, deadline: bool) -> str:
    """Move the plan's own years on by `by` ("năm 2023", "Quý IV- Năm 2023", "Trước 19/01/2023"); fixed
    references (decrees, "giai đoạn 2022-2030", "đến năm 2025") stay."""
    if not text:
        return text
    text = _YEAR_IN_TEXT.sub(lambda m: m.group(1) + str(int(m.group(2)) + by), text)
    if deadline:
        text = _DATE.sub(lambda m: m.group(1) + str(int(m.group(2)) + by), text)
    return text


# Spellings of the seed replaced in the 2026 plan (the new province, the merged departments, no district level).
# Applied in order to the lead and partner cells; longer phrases first.
AGENCY_2026: tuple[tuple[str, str], ...] = (
    ("VP UBND tỉnh, các sở: Tư pháp, Tài chính, Kế hoạch & ĐT, Thông tin & TT, Khoa học & CN",
     "VP UBND tỉnh, các sở: Tư pháp, Tài chính, Khoa học & CN"),
    ("Các Sở, ban, ngành UBND cấp huyện, UBND cấp xã", "Các Sở, ban, ngành, UBND các xã, phường"),
    ("UBND cấp huyện, cấp xã", "UBND các xã, phường"),
    ("UBND cấp huyện, xã", "UBND các xã, phường"),
    ("UBND các huyện, thành phố và các đơn vị có liên quan", "UBND các xã, phường, các đơn vị có liên quan"),
    ("UBND các huyện, thành phố", "UBND các xã, phường"),
    ("UBND cấp huyện,", "UBND các xã, phường"),
    ("UBND cấp huyện", "UBND các xã, phường"),
    ("UBND các cấp", "UBND các xã, phường"),
    ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
    ("Sở TT &TT", "Sở Khoa học và Công nghệ"),
    ("Sở TT&TT", "Sở Khoa học và Công nghệ"),
    ("Sở TTTT", "Sở Khoa học và Công nghệ"),
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
)
# The same for the task and output texts of 2026.
TEXT_2026: tuple[tuple[str, str], ...] = (
    ("sở, ban ngành, UBND các huyện, thành phố", "sở, ban, ngành, UBND các xã, phường"),
    ("các sở, ban, ngành và UBND các huyện, thành phố UBND các xã, phường, thị trấn", "các sở, ban, ngành và UBND các xã, phường"),
    ("sở, ban, ngành và UBND các huyện, thành phố", "sở, ban, ngành và UBND các xã, phường"),
    ("các xã, phường, thị trấn", "các xã, phường"),
    ("UBND cấp huyện, cấp xã", "UBND cấp xã"),
    ("UBND cấp huyện và cấp xã", "UBND cấp xã"),
    ("cấp tỉnh, cấp huyện và cấp xã", "cấp tỉnh và cấp xã"),
    ("đơn vị hành chính cấp huyện, cấp xã", "đơn vị hành chính cấp xã, thôn, tổ dân phố"),
    ("UBND cấp huyện và cơ quan chuyên môn thuộc UBND tỉnh", "UBND cấp xã và cơ quan chuyên môn thuộc UBND tỉnh"),
    ("sở, ngành, UBND cấp huyện, cấp xã", "sở, ngành, UBND cấp xã"),
    ("tỉnh Nam Định đến năm 2025", "tỉnh Ninh Bình đến năm 2030"),
    ("tỉnh Nam Định", "tỉnh Ninh Bình"),
)

# Tasks of the year (number, task, [(output, lead, partner, deadline)]) placed at the end of an area.
EXTRA_2025: dict[str, list[tuple[str, list[tuple[str, str, str, str]]]]] = {
    "III": [("Sắp xếp, tinh gọn tổ chức bộ máy theo Nghị quyết số 18-NQ/TW", [
        ("4.1. Đề án sắp xếp, hợp nhất các sở, ngành thuộc UBND tỉnh theo Kết luận số 121-KL/TW", "Sở Nội vụ",
         "Các Sở, ban, ngành", "Trước 15/02/2025"),
        ("4.2. Đề án sắp xếp đơn vị hành chính cấp xã, không tổ chức đơn vị hành chính cấp huyện", "Sở Nội vụ",
         "UBND cấp huyện, cấp xã", "Quý II năm 2025"),
        ("4.3. Rà soát, sắp xếp cán bộ, công chức, viên chức và người lao động sau sắp xếp", "Các Sở, ban, ngành, UBND cấp huyện",
         "Sở Nội vụ", "Năm 2025"),
    ])],
}
EXTRA_2026: dict[str, list[tuple[str, list[tuple[str, str, str, str]]]]] = {
    "III": [("Vận hành chính quyền địa phương hai cấp", [
        ("4.1. Hoàn thiện chức năng, nhiệm vụ, cơ cấu tổ chức các phòng chuyên môn của UBND các xã, phường",
         "UBND các xã, phường", "Sở Nội vụ", "Quý I năm 2026"),
        ("4.2. Báo cáo đánh giá việc vận hành mô hình chính quyền địa phương hai cấp", "Sở Nội vụ",
         "Các Sở, ban, ngành, UBND các xã, phường", "Quý II năm 2026"),
        ("4.3. Bố trí, bồi dưỡng đội ngũ cán bộ, công chức cấp xã sau sắp xếp", "Sở Nội vụ",
         "UBND các xã, phường", "Năm 2026"),
    ])],
    "II": [("Vận hành Trung tâm Phục vụ hành chính công một cấp", [
        ("5.1. Tiếp nhận, giải quyết TTHC không phụ thuộc địa giới hành chính trong tỉnh", "Trung tâm Phục vụ hành chính công tỉnh",
         "Các Sở, ban, ngành, UBND các xã, phường", "Thường xuyên"),
    ])],
}


def _area_extras(rows: list[list[str]], extras: dict) -> list[list[str]]:
    """Insert the year's own tasks at the end of their areas, numbered after the area's last task."""
    out: list[list[str]] = []
    area: str | None = None
    last_no = 0

    def flush() -> None:
        nonlocal last_no
        for task, outputs in extras.get(area or "", []):
            last_no += 1
            for i, (output, lead, partner, deadline) in enumerate(outputs):
                out.append([str(last_no) if i == 0 else "", task if i == 0 else "", output, lead, partner, deadline])

    for cells in rows:
        no = (cells + [""])[0].strip()
        if cells != ["#PAGE"] and no and no.isalpha() and not (cells + [""] * 6)[3]:
            flush()
            area, last_no = no, 0
        elif no.isdigit():
            last_no = int(no)
        out.append(cells)
    flush()
    return out


def annual_rows(year: int) -> tuple[tuple[str, ...], ...]:
    """The appendix rows of the provincial plan of `year` (2024, 2025 or 2026), derived from seed 003's."""
    by = year - 2023
    rows: list[list[str]] = []
    for cells in seed_rows(PLAN_2023):
        if cells == ["#PAGE"]:
            rows.append(cells)
            continue
        no, task, output, lead, partner, deadline = (cells + [""] * 6)[:6]
        task, output = _shift_years(task, by, False), _shift_years(output, by, False)
        deadline = _shift_years(deadline, by, True)
        if re.fullmatch(r"Năm 20\d\d", deadline or ""):
            deadline = f"Năm {year}"  # "Năm 2022" in a 2023 plan (a task carried over) is this year's in a later one
        if year >= 2026:
            for old, new in TEXT_2026:
                task, output = task.replace(old, new), output.replace(old, new)
            for old, new in AGENCY_2026:
                lead, partner = lead.replace(old, new), partner.replace(old, new)
            if lead == "UBND các xã, phường" and "Bộ Chỉ số" in output:
                lead, partner = "Sở Nội vụ", "UBND các xã, phường"  # no district to set the communes' index
        rows.append([no, task, output, lead, partner, deadline])
    extras = {2025: EXTRA_2025, 2026: EXTRA_2026}.get(year)
    if extras:
        rows = _area_extras(rows, extras)
    return tuple(tuple(r) for r in rows)


PLAN_2024 = replace(
    PLAN_2023, source="", rows=annual_rows(2024),
    title=("ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "Phụ lục",
           "NHIỆM VỤ CỤ THỂ THEO TỪNG LĨNH VỰC CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH NĂM 2024",
           "(Kèm theo Kế hoạch số: 187/KH-UBND ngày 29 tháng 12 năm 2023 của UBND tỉnh Nam Định)"),
)
PLAN_2025 = replace(
    PLAN_2023, source="", rows=annual_rows(2025),
    title=("ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "Phụ lục",
           "NHIỆM VỤ CỤ THỂ THEO TỪNG LĨNH VỰC CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH NĂM 2025",
           "(Kèm theo Kế hoạch số: 09/KH-UBND ngày 10 tháng 01 năm 2025 của UBND tỉnh Nam Định)"),
)
PLAN_2026 = replace(
    PLAN_2023, source="", rows=annual_rows(2026),
    title=("ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "Phụ lục",
           "NHIỆM VỤ CỤ THỂ THEO TỪNG LĨNH VỰC CẢI CÁCH HÀNH CHÍNH TỈNH NINH BÌNH NĂM 2026",
           "(Kèm theo Kế hoạch số: 215/KH-UBND ngày 30 tháng 12 năm 2025 của UBND tỉnh Ninh Bình)"),
    signature=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Quang Ngọc"),
)
ANNUAL_PLANS = {2024: PLAN_2024, 2025: PLAN_2025, 2026: PLAN_2026}
