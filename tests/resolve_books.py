"""Small workbooks for the resolve-in-the-upload tests: a plan whose lead is typed as an unknown abbreviation,
progress with statuses that go backwards or read unusually, a sheet with an unclear column."""
from __future__ import annotations

from tests.hardening_books import _book

PLAN_HEADER = ["STT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]


def book(title: list[str], header: list[str], rows: list[list[object]], sheet: str = "Phụ lục") -> bytes:
    """One sheet: title lines, a blank line, the header, the rows (the hardening suite's builder)."""
    return _book(title, header, rows, sheet)


def plan(lead: str, number: int = 77, year: int = 2024, task: str = "Rà soát quy trình nội bộ",
         header: list[str] | None = None) -> bytes:
    """A province plan of one area and two tasks; the first led by `lead` as typed."""
    title = ["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "Phụ lục",
             f"NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH NĂM {year}",
             f"(Kèm theo Kế hoạch số: {number}/KH-UBND ngày 20 tháng 12 năm {year - 1} của UBND tỉnh Nam Định)"]
    rows = [["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", None, None, None, None],
            [1, task, "Báo cáo kết quả", lead, "Các sở, ban, ngành", f"Quý II năm {year}"],
            [2, "Kiểm tra công tác cải cách hành chính", "Kết luận kiểm tra", "Sở Tư pháp", None, f"Năm {year}"]]
    return book(title, header or PLAN_HEADER, rows)


PROGRESS_HEADER = ["Mã sản phẩm", "Kế hoạch", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái",
                   "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh", "Ghi chú"]


def progress(rows: list[list[object]], title: str = "BÁO CÁO TIẾN ĐỘ") -> bytes:
    """A progress sheet of the given rows (PROGRESS_HEADER's columns)."""
    return book([title], PROGRESS_HEADER, rows, "Tiến độ")
