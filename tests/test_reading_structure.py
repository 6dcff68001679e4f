"""Structure phrases and cell formats (issue 10): each heading, closing and note wording a table row; the percent
and bold formats read from the styles in the sheet scan."""
from __future__ import annotations

import pytest

from loaders import inspection, structure
from loaders.workbook import read_workbook
from tests.reading_books import Bold, Cell, SheetSpec, build


@pytest.mark.parametrize("text, banner, expected", [
    ("I. Cải cách thể chế", False, ("I", "Cải cách thể chế")),
    ("IV - CẢI CÁCH CÔNG VỤ", False, ("IV", "CẢI CÁCH CÔNG VỤ")),
    ("II Cải cách TTHC", False, ("II", "Cải cách TTHC")),
    ("A. KHỐI SỞ, NGÀNH", False, ("A", "KHỐI SỞ, NGÀNH")),
    ("B)", False, ("B", "")),
    ("Phần I: Nhiệm vụ chung", False, ("Phần I", "Nhiệm vụ chung")),
    ("PHẦN II", False, ("Phần II", "")),
    ("Mục 2. Cải cách", False, ("Mục 2", "Cải cách")),
    ("Phần thứ nhất", False, ("Phần thứ nhất", "")),
    ("1. Cải cách thể chế", True, ("1", "Cải cách thể chế")),
    ("1. Cải cách thể chế", False, None),  # an Arabic number alone does not make a heading
    ("C. thực hiện rà soát", False, None),  # a sentence
    ("Ia", False, None),
    ("Rà soát văn bản", False, None),
])
def test_heading(text: str, banner: bool, expected: tuple[str, str] | None) -> None:
    assert structure.heading(text, banner) == expected


@pytest.mark.parametrize("text, closing", [
    ("Nơi nhận:", True), ("- Lưu: VT, NV.", True), ("Lưu: VT", True), ("KT. CHỦ TỊCH", True),
    ("TM. ỦY BAN NHÂN DÂN", True), ("TL. CHỦ TỊCH", True), ("PHÓ CHỦ TỊCH", True), ("Chủ tịch", True),
    ("(Đã ký)", True), ("Đã ký", True), ("(Ký, ghi rõ họ tên)", True), ("- Như trên;", True),
    ("Người lập biểu", True), ("Thủ trưởng đơn vị", True), ("KT. GIÁM ĐỐC", True), ("PHÓ GIÁM ĐỐC", True),
    ("Chủ tịch UBND tỉnh chỉ đạo rà soát", False), ("Giám đốc các sở chủ động", False), ("Lưu trữ hồ sơ điện tử", False),
])
def test_closing(text: str, closing: bool) -> None:
    assert structure.is_closing(text) is closing


@pytest.mark.parametrize("text, note", [
    ("Ghi chú: Số liệu quý III là số liệu ước", True), ("* Ghi chú: …", True), ("Lưu ý: gửi trước 15/12", True),
    ("(*) Sản phẩm gửi Sở Nội vụ", True), ("Chú thích: …", True), ("Ghi nhận kết quả", False),
])
def test_note(text: str, note: bool) -> None:
    assert structure.is_note(text) is note


@pytest.mark.parametrize("text, name", [
    ("Nguyễn Văn Hùng", True), ("TRẦN ANH DŨNG", True), ("Phạm Đình Nghị", True), ("Lê Thị Mai", True),
    ("CẢI CÁCH THỂ CHẾ", False), ("Khối Huyện", False), ("Sở Tư pháp", False), ("Nguyễn", False),
])
def test_signer_name(text: str, name: bool) -> None:
    assert structure.is_signer_name(text) is name


@pytest.mark.parametrize("code, percent", [
    ("0%", True), ("0.0%", True), ("#,##0.00%", True), ('0.0"%"', False), ("0.0\\%", False), ("General", False),
    ("0.00;[Red]-0.00%", False), ("dd/mm/yyyy", False),
])
def test_percent_code(code: str, percent: bool) -> None:
    assert inspection._is_percent_code(code) is percent


def test_formats_come_from_the_scan() -> None:
    data = build(SheetSpec("S", [Bold(["Tiêu đề", "x"]), [Cell(0.455, fmt="0.0%"), Cell(3, fmt="0"), Cell(0.2, fmt="0%")]]))
    grid = read_workbook(data, "s.xlsx").sheets[0]
    assert grid.styled and grid.percent == {(1, 0), (1, 2)}
    assert (0, 0) in grid.bold and grid.is_bold_row(0) and not grid.is_bold_row(1)


@pytest.mark.parametrize("values, bold, merged, kind", [
    (["I", "Cải cách thể chế"], False, False, "heading"),
    (["A.", "Khối sở"], False, False, "heading"),
    ([1, "Cải cách"], True, False, "heading"),
    ([1, "Cải cách"], False, False, None),
    (["Khối cơ quan chuyên môn"], True, False, "heading"),
    (["Khối cơ quan chuyên môn"], False, False, None),
    (["Ghi chú: số liệu ước"] * 5, False, True, "note"),
    (["Nơi nhận:"], False, False, "closing"),
    (["KH-01", "Sở Tư pháp", "Quý I/2024", "Hoàn thành"], False, False, None),
])
def test_row_kind(values: list, bold: bool, merged: bool, kind: str | None) -> None:
    assert structure.row_kind(values, bold, merged) == kind
