"""Workbooks to fill in: a blank template per sheet kind, and the quarterly progress template
pre-filled with an agency's assignments. Each has a «Hướng dẫn» sheet (how to fill it), the same
headers the loaders accept (loaders/headers.py) and drop-down lists fed from a hidden «Danh mục»
sheet through defined names (the agency list is too long for an inline list).

Round trip: the pre-filled template, with its statuses filled in, imports through
store.importer.import_workbook unchanged. Context columns (deadline, last quarter's report) sit
after «Ghi chú» under headers the progress loader ignores or does not read.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from catalogue import AREAS, LEVELS, PAR_COMPONENTS, REPORT_STATUSES, label
from exports.excel import write_text
from formats import fmt_quarter
from loaders.reference import reference
from quarter import Quarter

KINDS = ("plan_tasks", "progress", "indicator_catalogue", "indicator_values", "par_scores")
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
BLANK_ROWS = 500  # rows of a blank template that carry the drop-downs
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CONTEXT_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
LEVEL_CHOICES = (*[e.label for e in LEVELS.values()], "Chung")
MEASURE_UNITS = ("%", "điểm", "% điểm tối đa", "hạng", "nhóm", "mốc", "người", "số")

PROGRESS_HEADER = ("Mã sản phẩm", "Kế hoạch", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái",
                   "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh", "Ghi chú")
PROGRESS_CONTEXT = ("Thời hạn", "Báo cáo quý trước")  # read-only context; the loader does not import them


@dataclass(frozen=True)
class Layout:
    """One blank template: sheet name, title lines, headers, widths and the list of each column."""

    sheet: str
    title: tuple[str, ...]
    header: tuple[str, ...]
    widths: tuple[float, ...]
    lists: dict[int, tuple[str, bool]]  # 1-based column → (defined name, strict)
    guide: tuple[str, ...]


def _par_header() -> tuple[str, ...]:
    comps = [e for e in PAR_COMPONENTS.values() if e.code != "survey"] + [PAR_COMPONENTS["survey"]]
    return ("STT", "Mã", "Cơ quan, đơn vị", *[f"{e.label} (tối đa ... điểm)" for e in comps], "Tổng điểm", "Xếp hạng")


COMMON_GUIDE = (
    "Không đổi tên, thứ tự hay nội dung các ô tiêu đề cột; không gộp ô trong bảng; không chèn dòng tổng cộng.",
    "Có thể để trống các dòng thừa; hệ thống bỏ qua dòng trống.",
    "Tải tệp lên trang «Tải dữ liệu lên»: hệ thống chạy thử, liệt kê lỗi theo trang tính, dòng và cột, cho tải bản "
    "có ghi chú lỗi; chỉ khi bấm «Nhập dữ liệu» số liệu mới được ghi (ghi tất cả hoặc không ghi gì).",
    "Tệp nhập sai có thể được hoàn tác ở trang «Lịch sử nhập»; mọi lần nhập đều được ghi lại.",
)

LAYOUTS: dict[str, Layout] = {
    "plan_tasks": Layout(
        "Phụ lục",
        ("ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "Phụ lục", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM ....",
         "(Kèm theo Kế hoạch số: ..../KH-UBND ngày .... tháng .... năm .... của UBND ....)"),
        ("STT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"),
        (6, 45, 45, 30, 30, 20),
        {4: ("ds_co_quan", False), 5: ("ds_co_quan", False)},
        ("Phụ lục nhiệm vụ của một kế hoạch cải cách hành chính.",
         "1. Sửa khối tiêu đề: tên cơ quan ban hành (ví dụ «ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH»), năm hoặc giai đoạn "
         "(«NĂM 2025», «GIAI ĐOẠN 2021 - 2025») và số, ngày của kế hoạch.",
         "2. Dòng lĩnh vực: cột STT ghi số La Mã (I, II, …), cột «Nhiệm vụ cụ thể» ghi tên lĩnh vực, các cột khác để trống.",
         "3. Mỗi nhiệm vụ một số thứ tự; nhiệm vụ có nhiều sản phẩm thì mỗi sản phẩm một dòng (ghi 1.1, 1.2 … hoặc để "
         "trống STT ở các dòng tiếp theo).",
         "4. «Cơ quan chủ trì», «Cơ quan phối hợp»: chọn trong danh sách hoặc gõ tên (được ghi nhiều cơ quan, cách nhau "
         "dấu phẩy, hoặc nhóm như «Các Sở, ban, ngành», «UBND cấp huyện»).",
         "5. «Thời gian thực hiện» ghi như trong văn bản: «Thường xuyên», «Quý I/2025», «Trước 30/6/2025», «Hằng năm»…"),
    ),
    "progress": Layout(
        "Tiến độ",
        ("BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ .... NĂM ....",
         "(Mỗi dòng: một sản phẩm của kế hoạch và cơ quan được giao chủ trì)"),
        PROGRESS_HEADER, (24, 16, 50, 32, 14, 20, 12, 24, 30),
        {4: ("ds_co_quan", True), 6: ("ds_trang_thai", True)},
        ("Báo cáo tiến độ hằng quý của các cơ quan được giao chủ trì.",
         "1. Ghi «Mã sản phẩm» đúng như mẫu điền sẵn (nếu không có mã, ghi nguyên văn «Sản phẩm» như trong kế hoạch).",
         "2. «Kỳ báo cáo» ghi dạng «Quý III/2024»; có thể bỏ trống nếu tiêu đề đã ghi quý và năm.",
         "3. «Trạng thái»: chọn một trong " + ", ".join(f"«{e.label}»" for e in REPORT_STATUSES.values()) + ".",
         "4. «Tỷ lệ hoàn thành (%)» từ 0 đến 100 (không bắt buộc); «Văn bản chứng minh» ghi số, ký hiệu văn bản "
         "(ví dụ «QĐ 1955/QĐ-UBND») – bắt buộc khi đã hoàn thành."),
    ),
    "indicator_catalogue": Layout(
        "Danh mục chỉ tiêu",
        ("DANH MỤC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH", "GIAI ĐOẠN .... - ...."),
        ("STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Lĩnh vực", "Đơn vị tính", "Cấp áp dụng", "Địa bàn",
         "Mục tiêu 2025", "Mục tiêu 2030", "Nguồn", "Nguyên văn"),
        (6, 28, 45, 30, 12, 14, 24, 20, 20, 30, 50),
        {4: ("ds_linh_vuc", True), 5: ("ds_don_vi_tinh", False), 6: ("ds_cap", True), 7: ("ds_dia_ban", True)},
        ("Danh mục chỉ tiêu định lượng và mức phải đạt theo từng năm mốc.",
         "1. «Mã chỉ tiêu»: chữ in hoa không dấu, nối bằng gạch dưới; không đổi mã khi sửa tên chỉ tiêu.",
         "2. «Cấp áp dụng»: Cấp tỉnh, Cấp huyện, Cấp xã hoặc Chung; «Địa bàn» để trống khi áp dụng toàn tỉnh.",
         "3. Các cột «Mục tiêu 2025», «Mục tiêu 2030» ghi đúng như văn bản: «Tối thiểu 80%», «25% - 35%», "
         "«Giảm tối thiểu 10% so với năm 2021», «Thuộc nhóm khá». Có thể thêm cột «Mục tiêu <năm>» khác."),
    ),
    "indicator_values": Layout(
        "Số liệu",
        ("SỐ LIỆU CÁC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH", "(Mỗi dòng: một chỉ tiêu, một đơn vị hành chính, một kỳ)"),
        ("Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"),
        (28, 45, 10, 28, 8, 6, 10, 10, 10),
        {4: ("ds_dia_ban", True)},
        ("Số liệu của các chỉ tiêu theo quý hoặc theo năm.",
         "1. «Mã chỉ tiêu» như trong danh mục chỉ tiêu; «Mã ĐVHC» là mã đơn vị hành chính (tỉnh 36, thành phố Nam Định "
         "356…) – có thể chỉ chọn «Đơn vị hành chính» trong danh sách.",
         "2. «Quý» ghi 1 đến 4; để trống khi là số liệu cả năm.",
         "3. Chỉ tiêu tỷ lệ nên ghi cả «Tử số» và «Mẫu số» (ví dụ số hồ sơ trực tuyến / tổng số hồ sơ) để cộng dồn "
         "lên cấp huyện, cấp tỉnh cho đúng; khi đó «Giá trị» có thể để trống."),
    ),
    "par_scores": Layout(
        "Chỉ số CCHC",
        ("KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM ....", "CỦA CÁC SỞ, BAN, NGÀNH / UBND CÁC HUYỆN / UBND CÁC XÃ"),
        _par_header(), (6, 10, 34, *[14] * len(PAR_COMPONENTS), 12, 10),
        {3: ("ds_co_quan", False)},
        ("Điểm Chỉ số CCHC (PAR INDEX) của các cơ quan, đơn vị trong một năm.",
         "1. Ghi năm ở tiêu đề («NĂM 2024»). Mỗi dòng một cơ quan hoặc đơn vị hành chính.",
         "2. Ghi điểm tối đa của từng lĩnh vực vào tiêu đề cột thay cho «...», ví dụ «(tối đa 12 điểm)».",
         "3. Điểm ghi dạng số (dấu phẩy hoặc chấm thập phân đều được); «Xếp hạng» là thứ hạng trong nhóm."),
    ),
}


def _lists(on: date | None = None) -> dict[str, list[str]]:
    """The drop-down lists by defined name; units and agencies are those in force on `on` (a template of one
    quarter), every one of every period when None (a blank template may be filled for any period)."""
    ref = reference()
    units = ref.map_at(on) if on is not None else ref.units
    agencies = ref.valid_agencies(on) if on is not None else ref.agencies
    return {
        "ds_trang_thai": [e.label for e in REPORT_STATUSES.values()],
        "ds_co_quan": list(dict.fromkeys(agencies["name"].astype(str))),
        "ds_dia_ban": list(dict.fromkeys(units["name"].astype(str))),
        "ds_linh_vuc": [e.label for e in sorted(AREAS.values(), key=lambda e: e.order)],
        "ds_cap": list(LEVEL_CHOICES),
        "ds_don_vi_tinh": list(MEASURE_UNITS),
    }


def _lists_sheet(wb: Workbook, on: date | None = None) -> None:
    """The hidden «Danh mục» sheet, one list per column, each behind a defined name (units and agencies of `on`)."""
    ws = wb.create_sheet(LISTS_SHEET)
    for c, (name, values) in enumerate(_lists(on).items(), 1):
        ws.cell(1, c, name).font = Font(bold=True)
        for r, v in enumerate(values, 2):
            write_text(ws.cell(r, c), v)
        col = get_column_letter(c)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${col}$2:${col}${len(values) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    ws.sheet_state = "hidden"


def _guide(wb: Workbook, title: str, lines: Sequence[str]) -> None:
    ws = wb.active
    ws.title = GUIDE_SHEET
    ws.cell(1, 1, f"HƯỚNG DẪN ĐIỀN MẪU – {title.upper()}").font = Font(bold=True, size=13)
    for r, line in enumerate([*lines, *COMMON_GUIDE], 3):
        write_text(ws.cell(r, 1), line)
        ws.cell(r, 1).alignment = WRAP
    ws.column_dimensions["A"].width = 120


def _table(ws: Worksheet, title: Sequence[str], header: Sequence[str], widths: Sequence[float]) -> int:
    """Title lines, a blank row and the bold header; returns the 1-based header row."""
    for r, line in enumerate(title, 1):
        cell = ws.cell(r, 1)
        write_text(cell, line)
        cell.font = Font(bold=True, size=13 if r == 1 else 11, italic=line.startswith("("))
        cell.alignment = CENTER
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(2, len(header)))
    hr = len(title) + 2
    for c, text in enumerate(header, 1):
        cell = ws.cell(hr, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = CENTER
    ws.row_dimensions[hr].height = 45
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(hr + 1, 1)
    return hr


def _validate(ws: Worksheet, col: int, first: int, last: int, name: str, strict: bool) -> None:
    """A drop-down on a column range; strict lists refuse other values, loose ones only suggest."""
    dv = DataValidation(type="list", formula1=f"={name}", allow_blank=True, showDropDown=False,
                        showErrorMessage=strict, errorStyle="stop" if strict else "information",
                        error="Hãy chọn một giá trị trong danh sách." if strict else None,
                        errorTitle="Giá trị không hợp lệ" if strict else None)
    letter = get_column_letter(col)
    dv.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(dv)


def _save(wb: Workbook) -> bytes:
    wb.properties.creator = "Hệ thống theo dõi CCHC"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def blank_template(kind: str, on: date | None = None) -> bytes:
    """An empty workbook of one kind: instructions, header row and drop-downs on BLANK_ROWS rows (the units and
    agencies in force on `on`; all of them when None)."""
    if kind not in LAYOUTS:
        raise ValueError(f"unknown template kind {kind!r}; expected one of {', '.join(KINDS)}")
    lay = LAYOUTS[kind]
    wb = Workbook()
    _guide(wb, lay.sheet, lay.guide)
    ws = wb.create_sheet(lay.sheet)
    hr = _table(ws, lay.title, lay.header, lay.widths)
    for col, (name, strict) in lay.lists.items():
        _validate(ws, col, hr + 1, hr + BLANK_ROWS, name, strict)
    _lists_sheet(wb, on)
    wb.active = 1
    return _save(wb)


def progress_workbook(rows: pd.DataFrame, prev: pd.DataFrame, year: int, quarter: int) -> bytes:
    """The progress workbook of one quarter pre-filled with `rows` (store.completeness.template_rows: the agencies'
    lead assignments, one row per assignment), with an empty status drop-down and, from `prev`, last quarter's
    report for context."""
    prev_by = {int(a): (st, ev if isinstance(ev, str) and ev not in ("NaN", "nan") else None)
               for a, st, ev in zip(prev["assignment_id"], prev["status"], prev["evidence"])}
    period = fmt_quarter(year, quarter)
    names = list(dict.fromkeys(rows["agency"])) if not rows.empty else []
    lay = LAYOUTS["progress"]
    wb = Workbook()
    _guide(wb, lay.sheet, (*lay.guide, f"Mẫu này đã điền sẵn {len(rows)} nhiệm vụ {period} của: "
                                        f"{', '.join(names) or '(không có)'}. Chỉ cần chọn «Trạng thái» và ghi văn bản chứng minh.",
                           "Các cột xám bên phải (thời hạn, báo cáo quý trước) chỉ để tham khảo, không được nhập."))
    ws = wb.create_sheet(lay.sheet)
    title = (f"BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {period.upper()}",
             f"Cơ quan báo cáo: {', '.join(names) or '(không có nhiệm vụ chủ trì)'}",
             "(Mỗi dòng: một sản phẩm của kế hoạch mà cơ quan được giao chủ trì; chọn Trạng thái ở cột F)")
    header = (*PROGRESS_HEADER, *PROGRESS_CONTEXT)
    hr = _table(ws, title, header, (*lay.widths, 20, 30))
    for c in range(len(PROGRESS_HEADER) + 1, len(header) + 1):
        ws.cell(hr, c).fill = CONTEXT_FILL
    r = hr + 1
    for rec in rows.to_dict("records"):
        st_prev, ev_prev = prev_by.get(int(rec["assignment_id"]), (None, None))
        before = f"{label(REPORT_STATUSES, st_prev)}" + (f" – {ev_prev}" if ev_prev else "") if st_prev else "(chưa báo cáo)"
        values = (rec["ref"], rec["plan_number"] or rec["plan_code"], rec["output"], rec["agency"], period, None, None,
                  None, None, rec["deadline_text"] or "", before)
        for c, v in enumerate(values, 1):
            cell = ws.cell(r, c)
            if v is not None:
                write_text(cell, str(v))
            cell.border = BOX
            cell.alignment = WRAP
            if c > len(PROGRESS_HEADER):
                cell.fill = CONTEXT_FILL
            elif c in (6, 7, 8, 9):
                cell.fill = INPUT_FILL
        r += 1
    last = max(r - 1, hr + 1)
    _validate(ws, 6, hr + 1, last, "ds_trang_thai", True)
    pct = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                         showErrorMessage=True, error="Tỷ lệ từ 0 đến 100.", errorTitle="Tỷ lệ không hợp lệ")
    pct.add(f"G{hr + 1}:G{last}")
    ws.add_data_validation(pct)
    _lists_sheet(wb, Quarter(year, quarter).end)
    wb.active = 1
    return _save(wb)
