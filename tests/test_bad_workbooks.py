"""Bad input: every broken workbook gives a clear Vietnamese error naming sheet, row and column where
there is one, and the database stays byte-identical. Layouts the seeds do not show parse the same."""
from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders.parse import parse_workbook
from store.importer import import_workbook

HEADER = ["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]
TITLE = ["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH NĂM 2024"]
GOOD_ROWS = [
    ["I", "Cải cách thể chế", None, None, None, None],
    [1, "Rà soát văn bản", "1.1. Báo cáo rà soát", "Sở Tư pháp", "Các Sở, ban, ngành", "Quý II năm 2024"],
    [None, None, "1.2. Công bố danh mục", "Văn phòng UBND tỉnh", None, "Năm 2024"],
    [2, "Kiểm tra", "Kế hoạch kiểm tra", "Sở Nội vụ", "UBND cấp huyện", "Hàng năm"],
]


def book(rows: list[list], header: list | None = None, title: list[str] | None = None, sheet: str = "Phụ lục",
         extra_sheets: list[tuple[str, list[list]]] | None = None, first: list[list] | None = None) -> bytes:
    """A workbook with a title block, a header row and `rows`."""
    wb = Workbook()
    ws = wb.active
    if first is not None:  # a sheet placed before the table (instructions)
        ws.title = "Hướng dẫn"
        for r in first:
            ws.append(r)
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for line in TITLE if title is None else title:
        ws.append([line])
    ws.append([])
    if header is not None or header is None:
        ws.append(HEADER if header is None else header)
    for r in rows:
        ws.append(r)
    for name, data in extra_sheets or []:
        s = wb.create_sheet(name)
        for r in data:
            s.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def values_book(rows: list[list], header: list[str] | None = None) -> bytes:
    """An indicator-values workbook (long layout)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["SỐ LIỆU CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH"])
    ws.append(header or ["Mã chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def progress_book(rows: list[list]) -> bytes:
    """A progress workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tiến độ"
    ws.append(["BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CCHC"])
    ws.append(["Mã sản phẩm", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái", "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def corrupt_zip() -> bytes:
    good = book(GOOD_ROWS)
    return good[: len(good) // 2]


def docx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


def broken_xml() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(book(GOOD_ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 3]
            z.writestr(item, data)
    return out.getvalue()


def empty_workbook() -> bytes:
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


R = GOOD_ROWS
# (id, bytes factory, expected words in the first error message, expected (sheet, row, column) or None)
BAD: list[tuple[str, object, str, tuple | None]] = [
    ("not-xlsx-text", lambda: b"STT,Nhiem vu\n1,abc\n", "không phải bảng tính Excel", ("(tệp)", None, None)),
    ("not-xlsx-pdf", lambda: b"%PDF-1.4 fake", "PDF", ("(tệp)", None, None)),
    ("not-xlsx-html", lambda: b"<html><body>table</body></html>", "HTML", ("(tệp)", None, None)),
    ("xls-ole", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "97-2003", ("(tệp)", None, None)),
    ("encrypted", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100, "mật khẩu", ("(tệp)", None, None)),
    ("empty-file", lambda: b"", "rỗng", ("(tệp)", None, None)),
    ("corrupt-zip", corrupt_zip, "bị hỏng", ("(tệp)", None, None)),
    ("docx", docx_like, "Word", ("(tệp)", None, None)),
    ("broken-sheet-xml", broken_xml, "bị hỏng", ("Phụ lục", None, None)),
    ("empty-workbook", empty_workbook, "Không tìm thấy bảng", ("(tệp)", None, None)),
    ("no-header", lambda: book([["abc", "def"], ["ghi", "jkl"]], header=["Cột A", "Cột B"]), "Không tìm thấy bảng", None),
    ("missing-lead-column", lambda: book([[1, "Việc", "SP", "2024"]], header=["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian thực hiện"]),
     "Thiếu cột bắt buộc: «Cơ quan chủ trì»", ("Phụ lục", 4, None)),
    ("missing-deadline-column", lambda: book([[1, "Việc", "SP", "Sở Nội vụ"]], header=["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì"]),
     "Thiếu cột bắt buộc: «Thời gian thực hiện»", ("Phụ lục", 4, None)),
    ("header-only", lambda: book([]), "không có dòng dữ liệu", ("Phụ lục", None, None)),
    ("unknown-agency", lambda: book(R[:1] + [[1, "Việc", "SP", "Sở Du hành vũ trụ", None, "Năm 2024"]]), "Không nhận ra cơ quan «Sở Du hành vũ trụ»", ("Phụ lục", 6, "D")),
    ("unknown-partner", lambda: book(R[:1] + [[1, "Việc", "SP", "Sở Nội vụ", "Ban Bí mật", "Năm 2024"]]), "Không nhận ra cơ quan «Ban Bí mật»", ("Phụ lục", 6, "E")),
    ("unknown-one-of-two", lambda: book(R[:1] + [[1, "Việc", "SP", "Sở Nội vụ, Sở Không Tồn Tại", None, "Năm 2024"]]), "Sở Không Tồn Tại", ("Phụ lục", 6, "D")),
    ("misspelt-with-suggestion", lambda: book(R[:1] + [[1, "Việc", "SP", "Sở Tư phát", None, "Năm 2024"]]), "Gợi ý", ("Phụ lục", 6, "D")),
    ("blank-lead", lambda: book(R[:1] + [[1, "Việc", "SP", None, None, "Năm 2024"]]), "Cơ quan chủ trì", ("Phụ lục", 6, "D")),
    ("bad-deadline", lambda: book(R[:1] + [[1, "Việc", "SP", "Sở Nội vụ", None, "sớm nhất có thể"]]), "Không hiểu thời hạn «sớm nhất có thể»", ("Phụ lục", 6, "F")),
    ("bad-quarter", lambda: book(R[:1] + [[1, "Việc", "SP", "Sở Nội vụ", None, "Quý 5 năm 2024"]]), "Không hiểu thời hạn", ("Phụ lục", 6, "F")),
    ("bad-date", lambda: book(R[:1] + [[1, "Việc", "SP", "Sở Nội vụ", None, "Trước 32/13/2024"]]), "Không hiểu thời hạn", ("Phụ lục", 6, "F")),
    ("duplicate-row", lambda: book(R[:3] + [[None, None, "1.2. Công bố danh mục", "Văn phòng UBND tỉnh", None, "Năm 2024"]] + R[3:]),
     "trùng với trang «Phụ lục» dòng 7", ("Phụ lục", 8, "C")),
    ("no-issuer", lambda: book(R, title=["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"]), "đơn vị ban hành", ("Phụ lục", None, None)),
    ("no-period", lambda: book(R, title=["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"]), "thời kỳ", ("Phụ lục", None, None)),
    ("task-without-text", lambda: book([[1, None, None, "Sở Nội vụ", None, "Năm 2024"]]), "Nhiệm vụ", ("Phụ lục", 5, "B")),
    # indicator values
    ("values-unknown-unit", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "99999", "Xã Không Có", 2024, 1, 50, 5, 10]]), "Không nhận ra đơn vị hành chính", ("Số liệu", 3, "B")),
    ("values-text-in-number", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", 2024, 1, "năm mươi", None, None]]), "không phải là số", ("Số liệu", 3, "F")),
    ("values-bad-numerator", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", 2024, 1, None, "abc", 10]]), "không phải là số", ("Số liệu", 3, "G")),
    ("values-num-gt-den", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", 2024, 1, None, 12, 10]]), "Tử số (12.0) lớn hơn mẫu số", ("Số liệu", 3, "G")),
    ("values-negative", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", 2024, 1, -5, None, None]]), "ngoài khoảng", ("Số liệu", 3, "F")),
    ("values-future-quarter", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", 2026, 4, 50, None, None]]), "chưa diễn ra", ("Số liệu", 3, "D")),
    ("values-bad-year", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", 1899, 1, 50, None, None]]), "Năm 1899 ở cột «Năm» nằm ngoài khoảng hợp lý", ("Số liệu", 3, "D")),
    ("values-blank-indicator", lambda: values_book([[None, "36", "Tỉnh Nam Định", 2024, 1, 50, None, None]]), "Mã chỉ tiêu", ("Số liệu", 3, None)),
    ("values-missing-columns", lambda: values_book([["X", 50]], header=["Mã chỉ tiêu", "Giá trị"]),
     "Thiếu cột bắt buộc: «Mã ĐVHC» hoặc «Đơn vị hành chính», «Năm» hoặc «Kỳ báo cáo»", ("Số liệu", 2, None)),
    ("values-bad-period-text", lambda: values_book([["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", "Quý 7/2024", 50]],
                                                   header=["Mã chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Kỳ báo cáo", "Giá trị"]), "kỳ báo cáo «Quý 7/2024»", ("Số liệu", 3, "D")),
    # progress
    ("progress-unknown-status", lambda: progress_book([["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Gần xong", None, None]]), "Không hiểu trạng thái «Gần xong»", ("Tiến độ", 3, "E")),
    ("progress-bad-period", lambda: progress_book([["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý 9/2024", "Hoàn thành", 100, "QĐ 1/QĐ"]]), "kỳ báo cáo", ("Tiến độ", 3, "D")),
    ("progress-percent-out-of-range", lambda: progress_book([["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Đang thực hiện", 140, None]]), "ngoài khoảng", ("Tiến độ", 3, "F")),
    ("progress-percent-text", lambda: progress_book([["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Đang thực hiện", "một nửa", None]]), "không phải là số", ("Tiến độ", 3, "F")),
    ("progress-blank-agency", lambda: progress_book([["36-2023-158/I.1.1", "SP", None, "Quý I/2024", "Đang thực hiện", 50, None]]), "Cơ quan báo cáo", ("Tiến độ", 3, "C")),
    ("progress-blank-status", lambda: progress_book([["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", None, 50, None]]), "Trạng thái", ("Tiến độ", 3, "E")),
]


@pytest.mark.parametrize("name,factory,words,where", BAD, ids=[b[0] for b in BAD])
def test_bad_workbook_gives_a_clear_error(name, factory, words, where):
    result = parse_workbook(factory(), f"{name}.xlsx")
    assert not result.ok
    messages = [e.message for e in result.errors]
    hit = [e for e in result.errors if words in e.message]
    assert hit, messages
    if where is not None:
        sheet, row, column = where
        assert (hit[0].sheet, hit[0].row, hit[0].column) == (sheet, row, column), hit[0]


def test_at_least_forty_bad_workbooks():
    assert len(BAD) >= 40


@pytest.mark.parametrize("name,factory,words,where", BAD[::4], ids=[b[0] for b in BAD[::4]])
def test_refused_import_leaves_the_database_byte_identical(sqlite_engine, name, factory, words, where):
    path = Path(sqlite_engine.url.database)
    sqlite_engine.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    res = import_workbook(sqlite_engine, factory(), f"{name}.xlsx")
    assert res.status == "refused"
    sqlite_engine.dispose()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_matching_errors_inside_the_transaction_roll_back(engine):
    """A progress row naming an output that does not exist fails after the batch row was written: all rolled back."""
    from store import queries

    before = queries.table_counts(engine)
    res = import_workbook(engine, progress_book([["36-2099-1/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Hoàn thành", 100, "QĐ 1/QĐ-UBND"]]), "p.xlsx")
    assert res.status == "refused"
    assert "Không tìm thấy sản phẩm" in res.errors[0].message and res.errors[0].row == 3
    assert queries.table_counts(engine) == before


# --- layouts the seeds do not show ----------------------------------------------------------
def two_row_header() -> bytes:
    wb = Workbook()
    ws = wb.active
    for line in TITLE:
        ws.append([line])
    ws.append(["TT", "Nội dung nhiệm vụ", "Sản phẩm đầu ra", "Cơ quan thực hiện", None, "Thời hạn hoàn thành"])
    ws.append([None, None, None, "Chủ trì", "Phối hợp", None])
    ws.merge_cells("D3:E3")
    for c in "ABCF":
        ws.merge_cells(f"{c}3:{c}4")
    for r in GOOD_ROWS:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def no_diacritics() -> bytes:
    rows = [["I", "Cai cach the che", None, None, None, None],
            [1, "Ra soat van ban", "1.1. Bao cao ra soat", "So Tu phap", "Cac So, ban, nganh", "Quy II nam 2024"],
            [None, None, "1.2. Cong bo danh muc", "Van phong UBND tinh", None, "Nam 2024"],
            [2, "Kiem tra", "Ke hoach kiem tra", "So Noi vu", "UBND cap huyen", "Hang nam"]]
    return book(rows, header=["STT", "Nhiem vu", "San pham", "Co quan chu tri", "Co quan phoi hop", "Thoi gian thuc hien"],
                title=["UY BAN NHAN DAN TINH NAM DINH", "KE HOACH CCHC TINH NAM DINH NAM 2024"])


def other_column_order() -> bytes:
    order = [5, 3, 0, 1, 2, 4]
    header = [HEADER[i] for i in order]
    rows = [[r[i] for i in order] for r in GOOD_ROWS]
    rows[0] = [None, None, "I", "Cải cách thể chế", None, None]
    return book(rows, header=header)


def instructions_first() -> bytes:
    return book(GOOD_ROWS, first=[["HƯỚNG DẪN NHẬP LIỆU"], ["1. Mỗi dòng là một sản phẩm."], ["2. Lưu ý: ghi rõ cơ quan chủ trì."]])


def repeated_headers() -> bytes:
    rows = GOOD_ROWS[:2] + [HEADER, [str(i) for i in range(1, 7)]] + GOOD_ROWS[2:]
    return book(rows)


def typed_dates() -> bytes:
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][5] = datetime(2024, 6, 30)
    rows[2][5] = datetime(2024, 12, 31)
    return book(rows)


def column_numbers_and_signature() -> bytes:
    rows = [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]] + GOOD_ROWS + [[], [None, None, None, "TM. ỦY BAN NHÂN DÂN"], [None, None, None, "CHỦ TỊCH"]]
    return book(rows)


def synonyms() -> bytes:
    return book(GOOD_ROWS, header=["Số TT", "Tên nhiệm vụ", "Kết quả đầu ra", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"])


VARIANTS = [("two-row-header", two_row_header), ("no-diacritics", no_diacritics), ("other-column-order", other_column_order),
            ("instructions-first", instructions_first), ("repeated-headers", repeated_headers), ("typed-dates", typed_dates),
            ("column-numbers-and-signature", column_numbers_and_signature), ("header-synonyms", synonyms)]


@pytest.mark.parametrize("name,factory", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_layout_variants_parse_the_same(name, factory):
    result = parse_workbook(factory(), f"{name}.xlsx")
    assert result.ok, [e.message for e in result.errors]
    assert result.meta.unit == "36" and result.meta.period == (2024, 2024)
    rows = [(o.area_code, o.task_no, o.output_no, [r.code or r.group for r in o.leads], [r.code or r.group for r in o.partners],
             o.deadline.kind, [d.isoformat() for d in o.deadline.due_dates]) for o in result.outputs]
    expected_dates = ([["2024-06-30"], ["2024-12-31"]] if name == "typed-dates" else [["2024-06-30"], ["2024-12-31"]])
    assert rows == [
        ("institution", "1", "1.1", ["STP"], ["departments"], "once", expected_dates[0]),
        ("institution", "1", "1.2", ["VPUBND"], [], "once", expected_dates[1]),
        ("institution", "2", None, ["SNV"], ["district_ubnd"], "recurring", ["2024-12-31"]),
    ]
    kinds = {s.kind for s in result.sheets}
    assert "plan_tasks" in kinds
    if name == "instructions-first":
        assert [s.kind for s in result.sheets] == ["instructions", "plan_tasks"]


@pytest.mark.parametrize("factory,kind", [
    (lambda: values_book([["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
                          ["TTHC_ONLINE_DOSSIER_RATE", "36", "Tỉnh Nam Định", 2024, 1, 50, 5, 10]]), "indicator_values"),
    (lambda: progress_book([["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
                            ["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Đang thực hiện", 50, None]]), "progress"),
])
def test_column_number_row_is_skipped_in_every_kind(factory, kind):
    result = parse_workbook(factory(), "x.xlsx")
    assert result.ok, [e.message for e in result.errors]
    assert [(s.kind, s.rows) for s in result.sheets] == [(kind, 1)]
