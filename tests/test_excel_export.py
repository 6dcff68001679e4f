"""Excel handouts: layout, number formats, round trip and formula-injection neutralising."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from exports.excel import HEADER_ROW, frames_to_xlsx, needs_neutralising, safe_sheet_name, table_to_xlsx

FILTERS = {"Kỳ": "Quý III/2024", "Địa bàn": "Huyện Nghĩa Hưng", "Lĩnh vực": "Cải cách thủ tục hành chính"}
TODAY = date(2026, 11, 21)


def _frame() -> pd.DataFrame:
    """A small table with text, ints, floats, percents, dates and gaps."""
    return pd.DataFrame({
        "Đơn vị": ["Huyện Giao Thủy", "Thành phố Nam Định", "Huyện Hải Hậu"],
        "Số sản phẩm": [1234, 56, 0],
        "Điểm": [87.25, -2.5, None],
        "Tỷ lệ đúng hạn": [71.0, 50.5, 100.0],
        "Hạn": [date(2024, 9, 30), date(2024, 12, 31), None],
    })


def _open(data: bytes) -> openpyxl.Workbook:
    """Read the bytes back with openpyxl."""
    return openpyxl.load_workbook(io.BytesIO(data))


def _calamine_rows(data: bytes, sheet: int = 0) -> list[list[object]]:
    """Read the bytes back with python-calamine."""
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(sheet).to_python()


def test_round_trip_layout_and_values() -> None:
    data = table_to_xlsx(_frame(), "Tiến độ sản phẩm theo huyện", FILTERS, TODAY,
                         column_formats={"Tỷ lệ đúng hạn": "percent"})
    assert data[:2] == b"PK"
    ws = _open(data)["Dữ liệu"]
    assert ws["A1"].value == "Tiến độ sản phẩm theo huyện"
    assert ws["A1"].font.bold and ws["A1"].font.size > 11
    assert ws["A2"].value == ("Bộ lọc: Kỳ: Quý III/2024 · Địa bàn: Huyện Nghĩa Hưng · "
                              "Lĩnh vực: Cải cách thủ tục hành chính")
    assert ws["A3"].value == "Ngày xuất: 21/11/2026"
    assert [c.value for c in ws[HEADER_ROW]] == list(_frame().columns)
    assert all(c.font.bold and c.alignment.wrap_text for c in ws[HEADER_ROW])
    assert ws.freeze_panes == f"B{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:E{HEADER_ROW + 3}"

    back = pd.read_excel(io.BytesIO(data), header=HEADER_ROW - 1, engine="openpyxl")
    assert list(back.columns) == list(_frame().columns)
    assert back["Số sản phẩm"].tolist() == [1234, 56, 0]
    assert back["Điểm"].iloc[:2].tolist() == [87.25, -2.5] and pd.isna(back["Điểm"].iloc[2])
    assert back["Tỷ lệ đúng hạn"].tolist() == pytest.approx([0.71, 0.505, 1.0])
    assert back["Đơn vị"].tolist() == _frame()["Đơn vị"].tolist()


def test_number_formats_by_dtype_and_column_formats() -> None:
    data = table_to_xlsx(_frame(), "T", FILTERS, TODAY, column_formats={"Tỷ lệ đúng hạn": "percent"})
    ws = _open(data).active
    row = HEADER_ROW + 1
    assert ws.cell(row, 2).number_format == "#,##0"
    assert ws.cell(row, 3).number_format == "#,##0.0"
    assert ws.cell(row, 4).number_format == "0.0 %"
    assert ws.cell(row, 5).number_format == "dd/mm/yyyy"
    assert ws.cell(row, 5).value == datetime(2024, 9, 30)
    assert ws.cell(HEADER_ROW + 3, 5).value is None  # a missing date stays empty


def test_column_widths_follow_content() -> None:
    ws = _open(table_to_xlsx(_frame(), "T", FILTERS, TODAY)).active
    widths = {ws.cell(HEADER_ROW, j).value: ws.column_dimensions[chr(64 + j)].width for j in range(1, 6)}
    assert widths["Đơn vị"] >= len("Thành phố Nam Định")
    assert all(8 <= w <= 62 for w in widths.values())


def test_datetime_column_and_text_format() -> None:
    df = pd.DataFrame({"Mã": ["036", "356"], "Lúc": pd.to_datetime(["2024-09-05", "2024-10-01 14:30"], format="ISO8601")})
    ws = _open(table_to_xlsx(df, "T", {}, TODAY, column_formats={"Mã": "text"})).active
    assert ws["A2"].value == "Bộ lọc: không áp dụng"
    assert [ws.cell(HEADER_ROW + 1, 1).value, ws.cell(HEADER_ROW + 2, 1).value] == ["036", "356"]
    assert ws.cell(HEADER_ROW + 1, 2).value == datetime(2024, 9, 5)
    assert ws.cell(HEADER_ROW + 1, 2).number_format == "dd/mm/yyyy"


INJECTIONS = ["=1+1", "=SUM(A1)", "+1", "-2+3", "@cmd", " =x", "\t=1", "\r=1", "=HYPERLINK(\"http://x\",\"y\")",
              "＝1+1"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_formula_injection_is_neutralised(payload: str) -> None:
    df = pd.DataFrame({"Sản phẩm": [payload], "Ghi chú": ["bình thường"]})
    data = table_to_xlsx(df, "T", FILTERS, TODAY)
    cell = _open(data).active.cell(HEADER_ROW + 1, 1)
    assert cell.data_type == "s"            # text, not a formula
    assert cell.value == payload            # visible text unchanged (no apostrophe added)
    assert cell.quotePrefix is True         # Excel keeps it text even when the cell is edited
    rows = _calamine_rows(data)
    assert rows[HEADER_ROW][0] == payload   # no computed value
    assert isinstance(rows[HEADER_ROW][0], str)
    assert _open(data).active.cell(HEADER_ROW + 1, 2).quotePrefix is False


@pytest.mark.parametrize("payload", ["=1+1", "@cmd", "-x"])
def test_injection_in_header_title_and_filters(payload: str) -> None:
    df = pd.DataFrame({payload: [1]})
    ws = _open(table_to_xlsx(df, payload, {"Kỳ": payload}, TODAY)).active
    for cell in (ws["A1"], ws.cell(HEADER_ROW, 1)):
        assert cell.data_type == "s" and cell.value == payload
    assert ws["A2"].value == f"Bộ lọc: Kỳ: {payload}"


@pytest.mark.parametrize(("text", "expected"), [
    ("=1", True), ("+1", True), ("-1", True), ("@a", True), ("\t1", True), ("\r1", True), ("  =1", True),
    ("Huyện Giao Thủy", False), ("1+1", False), ("a=b", False), ("", False), ("– ", False),
])
def test_needs_neutralising(text: str, expected: bool) -> None:
    assert needs_neutralising(text) is expected


def test_negative_numbers_stay_numbers() -> None:
    df = pd.DataFrame({"Chênh lệch": [-2.5, -3.0], "Hạng": [-2, 4]})
    data = table_to_xlsx(df, "T", FILTERS, TODAY)
    ws = _open(data).active
    first = ws.cell(HEADER_ROW + 1, 1)
    assert first.data_type == "n" and first.value == -2.5 and first.quotePrefix is False
    assert ws.cell(HEADER_ROW + 1, 2).value == -2
    assert _calamine_rows(data)[HEADER_ROW][:2] == [-2.5, -2]


def test_control_characters_are_dropped_not_fatal() -> None:
    df = pd.DataFrame({"Ghi chú": ["a\x00b\x0bc", "\x01=1"]})
    ws = _open(table_to_xlsx(df, "T", FILTERS, TODAY)).active
    assert ws.cell(HEADER_ROW + 1, 1).value == "abc"
    assert ws.cell(HEADER_ROW + 2, 1).value == "=1" and ws.cell(HEADER_ROW + 2, 1).data_type == "s"


def test_vietnamese_text_round_trips() -> None:
    text = "Sở Thông tin và Truyền thông – Chính quyền số, một cửa liên thông (Ý Yên, Thủy, Hưng)"
    df = pd.DataFrame({"Cơ quan chủ trì": [text], "Số": [1]})
    data = table_to_xlsx(df, "Danh sách sản phẩm quá hạn", {"Địa bàn": "Huyện Ý Yên"}, TODAY, sheet_name="Quá hạn")
    wb = _open(data)
    assert wb.sheetnames == ["Quá hạn"]
    assert wb["Quá hạn"].cell(HEADER_ROW + 1, 1).value == text
    assert _calamine_rows(data)[HEADER_ROW - 1][0] == "Cơ quan chủ trì"
    assert _calamine_rows(data)[HEADER_ROW][0] == text


def test_booleans_nullable_ints_and_empty_frame() -> None:
    df = pd.DataFrame({"Đúng hạn": [True, False], "Số": pd.array([3, None], dtype="Int64")})
    ws = _open(table_to_xlsx(df, "T", FILTERS, TODAY)).active
    assert [ws.cell(HEADER_ROW + 1, 1).value, ws.cell(HEADER_ROW + 2, 1).value] == ["Có", "Không"]
    assert ws.cell(HEADER_ROW + 1, 2).value == 3 and ws.cell(HEADER_ROW + 2, 2).value is None
    empty = _open(table_to_xlsx(pd.DataFrame(columns=["A", "B"]), "Trống", FILTERS, TODAY)).active
    assert [c.value for c in empty[HEADER_ROW]] == ["A", "B"]
    assert empty.max_row == HEADER_ROW


def test_frames_to_xlsx_multi_sheet() -> None:
    sheets = [
        ("Theo huyện", _frame(), "Tiến độ theo huyện"),
        ("Quá hạn: Sở/Ban?", pd.DataFrame({"Sản phẩm": ["=cmd", "Báo cáo"], "Hạn": ["2024-09-30", "x"]}),
         "Sản phẩm quá hạn"),
        ("Theo huyện", _frame().head(1), "Bản sao"),
    ]
    data = frames_to_xlsx(sheets, FILTERS, TODAY, column_formats={"Theo huyện": {"Tỷ lệ đúng hạn": "percent"}})
    wb = _open(data)
    assert wb.sheetnames == ["Theo huyện", "Quá hạn Sở Ban", "Theo huyện (2)"]
    for name, (_, df, title) in zip(wb.sheetnames, sheets):
        ws = wb[name]
        assert ws["A1"].value == title
        assert ws["A2"].value.startswith("Bộ lọc: Kỳ: Quý III/2024")
        assert ws["A3"].value == "Ngày xuất: 21/11/2026"
        assert [c.value for c in ws[HEADER_ROW]] == list(df.columns)
        assert ws.freeze_panes == f"B{HEADER_ROW + 1}"
    assert wb["Theo huyện"].cell(HEADER_ROW + 1, 4).value == pytest.approx(0.71)
    assert wb["Quá hạn Sở Ban"].cell(HEADER_ROW + 1, 1).data_type == "s"


@pytest.mark.parametrize(("name", "expected"), [
    ("Dữ liệu", "Dữ liệu"), ("a/b:c", "a b c"), ("x" * 40, "x" * 31), ("", "Dữ liệu"), ("'Q'", "Q"),
])
def test_safe_sheet_name(name: str, expected: str) -> None:
    assert safe_sheet_name(name) == expected
