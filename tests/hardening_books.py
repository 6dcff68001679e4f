"""Small workbooks of every sheet kind, built in code, for the role matrix and the rollback dumps
(tests/test_store_hardening.py)."""
from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

INDICATOR = "KIEM_THU_TY_LE"  # a rate the base catalogue creates
OTHER = "KIEM_THU_SO_LUONG"


def _book(title: list[str], header: list[str], rows: list[list[object]], sheet: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for line in title:
        ws.append([line])
    ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CATALOGUE_HEADER = ["STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Lĩnh vực", "Đơn vị tính", "Cấp áp dụng", "Địa bàn",
                    "Mục tiêu 2025", "Mục tiêu 2030", "Nguồn", "Nguyên văn"]


def catalogue(rename: str | None = None, target_2025: str = "Tối thiểu 80%", extra: bool = False,
              subtitle: str = "GIAI ĐOẠN 2021 - 2030") -> bytes:
    """Two indicators (a rate, a count); `rename` renames the rate, `extra` adds a third, new indicator; another
    `subtitle` gives another file of the same catalogue (openpyxl stamps whole seconds: equal bytes otherwise)."""
    rows = [[1, INDICATOR, rename or "Tỷ lệ hồ sơ kiểm thử giải quyết trực tuyến", "Cải cách thủ tục hành chính", "%",
             "Chung", None, target_2025, "100%", "Kiểm thử", None],
            [2, OTHER, "Số sáng kiến kiểm thử", "Cải cách thủ tục hành chính", "số", "Cấp tỉnh", None,
             "Tối thiểu 5", "Tối thiểu 10", "Kiểm thử", None]]
    if extra:
        rows.append([3, "KIEM_THU_MOI", "Chỉ tiêu kiểm thử mới", "Cải cách thủ tục hành chính", "%", "Cấp xã",
                     None, "Tối thiểu 60%", "100%", "Kiểm thử", None])
    return _book(["DANH MỤC CHỈ TIÊU KIỂM THỬ", subtitle], CATALOGUE_HEADER, rows, "Danh mục chỉ tiêu")


VALUES_HEADER = ["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"]


def values_long(unit: str, numerator: int, quarters: tuple[tuple[int, int], ...] = ((2024, 1), (2024, 2))) -> bytes:
    """Quarterly values of the rate for one unit."""
    rows = [[INDICATOR, None, unit, None, y, q, None, numerator + q, 100] for y, q in quarters]
    return _book(["SỐ LIỆU CHỈ TIÊU KIỂM THỬ"], VALUES_HEADER, rows, "Số liệu")


def values_wide(unit: str, base: int) -> bytes:
    """Yearly values (no quarter: the NULL key) of the rate for one unit, one column per year."""
    header = ["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm 2023", "Năm 2024"]
    return _book(["SỐ LIỆU CHỈ TIÊU KIỂM THỬ HẰNG NĂM", "GIAI ĐOẠN 2023 - 2024"], header,
                 [[INDICATOR, None, unit, None, base, base + 5]], "Số liệu năm")


PAR_HEADER = ["STT", "Mã", "Cơ quan, đơn vị", "Năm", "Tổng điểm (tối đa 100 điểm)", "Xếp hạng"]


def par(subjects: list[tuple[str, str]], year: int = 2023, score: float = 85.5) -> bytes:
    """Total PAR INDEX scores of the given (code, name) subjects in one year."""
    rows = [[i + 1, code, name, year, score - i, i + 1] for i, (code, name) in enumerate(subjects)]
    return _book([f"KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"], PAR_HEADER, rows, "Chỉ số CCHC")


def progress(engine, agency: str, status: str, year: int = 2023, quarter: int = 3) -> bytes:  # noqa: ANN001
    """The pre-filled progress template of one agency, every row given `status`."""
    from components.exporting import progress_template

    wb = load_workbook(io.BytesIO(progress_template(engine, [agency], year, quarter)))
    ws = wb["Tiến độ"]
    r = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Mã sản phẩm") + 1
    while ws.cell(r, 1).value:
        ws.cell(r, 6).value = status
        if status.startswith("Hoàn thành"):
            ws.cell(r, 8).value = f"QĐ {r}/QĐ-UBND"
        r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
