"""The one catalogue: codes, Vietnamese labels and colours shared by loaders, analytics, views and exports.

Every user-facing word lives here so that a chart, a table and an export cannot disagree.
Code identifiers are English; labels are Vietnamese.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: a stable code, its Vietnamese label, a colour and an order."""

    code: str
    label: str
    colour: str = "#777777"
    order: int = 0
    symbol: str = ""  # a shape/glyph so status is readable without colour


def _index(entries: list[Entry]) -> dict[str, Entry]:
    return {e.code: e for e in entries}


# --- Administrative levels -------------------------------------------------------------------
LEVELS = _index([
    Entry("province", "Cấp tỉnh", order=1),
    Entry("district", "Cấp huyện", order=2),
    Entry("commune", "Cấp xã", order=3),
])

# --- Reform areas (lĩnh vực). `keywords` are folded (no diacritics, lower case) words that
# identify the area in free text such as "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH".
AREAS = _index([
    Entry("direction", "Công tác chỉ đạo, điều hành", "#0072B2", 1),
    Entry("institution", "Cải cách thể chế", "#E69F00", 2),
    Entry("procedure", "Cải cách thủ tục hành chính", "#009E73", 3),
    Entry("organisation", "Cải cách tổ chức bộ máy", "#CC79A7", 4),
    Entry("civil_service", "Cải cách chế độ công vụ", "#56B4E9", 5),
    Entry("finance", "Cải cách tài chính công", "#D55E00", 6),
    Entry("egov", "Xây dựng Chính quyền điện tử, Chính quyền số", "#F0E442", 7),
    Entry("one_stop", "Thực hiện cơ chế một cửa, một cửa liên thông", "#000000", 8),
    Entry("par_index", "Chỉ số CCHC", "#999999", 9),
])
AREA_KEYWORDS: dict[str, tuple[str, ...]] = {
    # order matters: the first area whose keyword occurs wins
    "one_stop": ("mot cua",),
    "direction": ("chi dao", "dieu hanh"),
    "institution": ("the che", "van ban quy pham", "vbqppl", "qppl"),
    "procedure": ("thu tuc hanh chinh", "tthc"),
    "organisation": ("to chuc bo may", "bo may"),
    "civil_service": ("cong vu", "can bo", "cbccvc", "doi ngu"),
    "finance": ("tai chinh cong", "tai chinh"),
    "egov": ("chinh quyen dien tu", "chinh quyen so", "hien dai hoa", "dien tu"),
    "par_index": ("chi so cchc", "chi so cai cach", "par index"),
}

# --- Deadlines -------------------------------------------------------------------------------
DEADLINE_KINDS = _index([
    Entry("once", "Một lần", order=1),
    Entry("recurring", "Định kỳ", order=2),
    Entry("continuous", "Thường xuyên", order=3),
    Entry("unspecified", "Không xác định", order=4),
])

# --- Reported progress (typed by agencies) ---------------------------------------------------
REPORT_STATUSES = _index([
    Entry("not_started", "Chưa thực hiện", order=1),
    Entry("in_progress", "Đang thực hiện", order=2),
    Entry("done", "Hoàn thành", order=3),
    Entry("done_late", "Hoàn thành quá hạn", order=4),
])

# --- Derived task status per assignment and quarter (Okabe–Ito palette, colour-blind safe) ---
TASK_STATUSES = _index([
    Entry("done", "Hoàn thành đúng hạn", "#009E73", 1, "●"),
    Entry("done_late", "Hoàn thành quá hạn", "#CC79A7", 2, "◐"),
    Entry("in_progress", "Đang thực hiện", "#56B4E9", 3, "◔"),
    Entry("not_started", "Chưa thực hiện", "#F0E442", 4, "○"),
    Entry("overdue", "Quá hạn", "#D55E00", 5, "▲"),
    Entry("continuous", "Thường xuyên", "#0072B2", 6, "↻"),
    Entry("no_report", "Chưa báo cáo", "#999999", 7, "–"),
])

# --- Target kinds (how an indicator's goal is worded) ----------------------------------------
TARGET_KINDS = _index([
    Entry("at_least", "Tối thiểu", order=1),        # "tối thiểu 80%", "đạt từ 94 điểm trở lên"
    Entry("at_most", "Tối đa", order=2),            # "không quá ..."
    Entry("range", "Trong khoảng", order=3),        # "25% - 35%"
    Entry("change", "Thay đổi so với năm gốc", order=4),  # "giảm 10% so với năm 2021"
    Entry("ramp", "Lộ trình hằng năm", order=5),    # "30% năm 2021, mỗi năm tăng 20%"
    Entry("rank", "Thứ hạng", order=6),             # "giữ vững vị trí số 1"
    Entry("rank_group", "Nhóm xếp hạng", order=7),  # "thuộc nhóm khá"
    Entry("milestone", "Mốc hoàn thành", order=8),  # "Hoàn thành việc sắp xếp ..."
])

# --- Indicator progress against a target -----------------------------------------------------
PROGRESS_STATUSES = _index([
    Entry("achieved", "Đã đạt", "#009E73", 1, "✔"),
    Entry("on_track", "Đúng lộ trình", "#56B4E9", 2, "➚"),
    Entry("at_risk", "Có nguy cơ", "#E69F00", 3, "!"),
    Entry("off_track", "Chệch lộ trình", "#D55E00", 4, "✖"),
    Entry("no_data", "Chưa có số liệu", "#999999", 5, "?"),
])

# --- PAR INDEX rank groups (share of maximum points) ------------------------------------------
RANK_GROUPS = _index([
    Entry("good", "Tốt", "#009E73", 1),
    Entry("fair", "Khá", "#56B4E9", 2),
    Entry("average", "Trung bình", "#E69F00", 3),
    Entry("weak", "Yếu", "#D55E00", 4),
])
# lower bound of each group, as a percentage of the maximum score
RANK_GROUP_THRESHOLDS: tuple[tuple[str, float], ...] = (
    ("good", 85.0), ("fair", 75.0), ("average", 60.0), ("weak", 0.0),
)

# --- PAR INDEX components (areas of the index, as in seed 004) ------------------------------
PAR_COMPONENTS = _index([
    Entry("direction", "Công tác chỉ đạo, điều hành CCHC", order=1),
    Entry("legal_docs", "Xây dựng và tổ chức thực hiện VBQPPL", order=2),
    Entry("procedure", "Cải cách thủ tục hành chính", order=3),
    Entry("organisation", "Cải cách tổ chức bộ máy", order=4),
    Entry("civil_service", "Xây dựng và nâng cao chất lượng đội ngũ CBCCVC", order=5),
    Entry("finance", "Cải cách tài chính công", order=6),
    Entry("modernisation", "Hiện đại hóa nền hành chính", order=7),
    Entry("one_stop", "Thực hiện cơ chế một cửa, một cửa liên thông", order=8),
    Entry("survey", "Điều tra xã hội học", order=9),
])

# --- Subjects ranked by a PAR INDEX ----------------------------------------------------------
PAR_SUBJECTS = _index([
    Entry("province", "Tỉnh (Bộ Nội vụ xếp hạng)", order=1),
    Entry("department", "Sở, ban, ngành", order=2),
    Entry("district", "UBND cấp huyện", order=3),
    Entry("commune", "UBND cấp xã", order=4),
])

# --- Workbook kinds (detected from header signatures) ---------------------------------------
SHEET_KINDS = _index([
    Entry("plan_tasks", "Phụ lục nhiệm vụ kế hoạch", order=1),
    Entry("progress", "Báo cáo tiến độ theo quý", order=2),
    Entry("indicator_catalogue", "Danh mục chỉ tiêu", order=3),
    Entry("indicator_values", "Số liệu chỉ tiêu (dạng dọc)", order=4),
    Entry("indicator_values_wide", "Số liệu chỉ tiêu (dạng ngang)", order=5),
    Entry("par_scores", "Điểm Chỉ số CCHC (PAR INDEX)", order=6),
    Entry("instructions", "Hướng dẫn", order=7),
    Entry("unknown", "Không nhận dạng được", order=8),
])

# The first report quarter the views offer (the plans start in 2021).
FIRST_QUARTER = (2021, 1)

# --- User roles ------------------------------------------------------------------------------
ROLES = _index([
    Entry("admin", "Quản trị", order=1),
    Entry("editor", "Biên tập", order=2),
    Entry("viewer", "Xem", order=3),
])


def label(table: dict[str, Entry], code: str | None) -> str:
    """The Vietnamese label of a code, or the code itself when it is unknown."""
    if code is None:
        return ""
    entry = table.get(code)
    return entry.label if entry else str(code)


def colour(table: dict[str, Entry], code: str | None) -> str:
    """The colour of a code, grey when unknown."""
    entry = table.get(code or "")
    return entry.colour if entry else "#999999"


def colour_map(table: dict[str, Entry]) -> dict[str, str]:
    """Label → colour, for plotly's color_discrete_map."""
    return {e.label: e.colour for e in table.values()}


def ordered_labels(table: dict[str, Entry]) -> list[str]:
    """Labels in catalogue order, for category orders in charts and tables."""
    return [e.label for e in sorted(table.values(), key=lambda e: e.order)]


# --- Problems reported by loaders and imports (Vietnamese, with placeholders) ----------------
MESSAGES: dict[str, str] = {
    # file level
    "file_empty": "Tệp rỗng (0 byte).",
    "file_too_large": "Tệp quá lớn ({size_mb:.1f} MB); giới hạn là {limit_mb} MB.",
    "file_not_xlsx": "Tệp không phải bảng tính Excel .xlsx (định dạng nhận được: {detected}).",
    "file_corrupt": "Tệp Excel bị hỏng, không đọc được: {detail}.",
    "file_encrypted": "Tệp Excel được đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.",
    "file_no_sheets": "Tệp không có trang tính nào.",
    "file_no_tables": "Không tìm thấy bảng dữ liệu nào nhận dạng được trong tệp.",
    "file_duplicate": "Tệp này đã được nhập trước đó (lô #{batch_id}, {when}); không nhập lại.",
    # sheet level
    "sheet_empty": "Trang tính rỗng.",
    "sheet_unknown": "Không nhận dạng được loại bảng (không thấy dòng tiêu đề cột phù hợp).",
    "sheet_no_rows": "Bảng có dòng tiêu đề nhưng không có dòng dữ liệu nào.",
    "missing_columns": "Thiếu cột bắt buộc: {columns}.",
    "plan_meta_missing": "Không xác định được {what} của kế hoạch; hãy ghi trong khối tiêu đề hoặc chọn khi tải lên.",
    "plan_unit_unknown": "Không nhận ra đơn vị ban hành «{name}».",
    # row level
    "required_blank": "Ô «{column}» đang trống.",
    "agency_unknown": "Không nhận ra cơ quan «{name}». Gợi ý: {suggestions}.",
    "agency_unknown_nosuggest": "Không nhận ra cơ quan «{name}».",
    "agency_fuzzy": "Đã hiểu «{name}» là «{canonical}» (độ giống {score:.0f} %).",
    "group_partial": "«{name}»: nhóm có {count} thành viên nhưng ô ghi {stated}; đã giao cho cả nhóm.",
    "deadline_unparsed": "Không hiểu thời hạn «{text}».",
    "deadline_outside": "Thời hạn «{text}» nằm ngoài thời kỳ của kế hoạch ({start}–{end}).",
    "duplicate_row": "Dòng trùng với dòng {other} (cùng nhiệm vụ, sản phẩm và cơ quan).",
    "number_invalid": "Giá trị «{value}» ở cột «{column}» không phải là số.",
    "value_out_of_range": "Giá trị {value} ở cột «{column}» nằm ngoài khoảng cho phép [{low}; {high}].",
    "numerator_gt_denominator": "Tử số ({num}) lớn hơn mẫu số ({den}).",
    "period_invalid": "Không hiểu kỳ báo cáo «{value}» (ví dụ đúng: Quý III/2024, 2024-Q3, 2024).",
    "period_future": "Kỳ báo cáo {period} chưa diễn ra (hôm nay là {today}).",
    "status_unknown": "Không hiểu trạng thái «{value}»; chọn một trong: {choices}.",
    "output_unknown": "Không tìm thấy sản phẩm «{ref}» trong các kế hoạch đã nhập.",
    "output_ambiguous": "Sản phẩm «{ref}» khớp với nhiều nhiệm vụ; hãy ghi rõ mã sản phẩm.",
    "assignment_unknown": "Cơ quan «{agency}» không được giao sản phẩm «{ref}».",
    "indicator_unknown": "Không nhận ra chỉ tiêu «{name}».",
    "unit_unknown": "Không nhận ra đơn vị hành chính «{name}».",
    "unit_not_valid": "Đơn vị «{name}» không còn tồn tại vào kỳ {period}.",
    "target_unparsed": "Không hiểu chỉ tiêu «{text}».",
    "area_unknown": "Không nhận ra lĩnh vực «{text}».",
    "header_repeated": "Bỏ qua dòng tiêu đề lặp lại.",
    "out_of_scope": "Dòng thuộc «{agency}», nằm ngoài phạm vi được phân quyền của bạn.",
    "done_without_evidence": "Báo cáo «Hoàn thành» nhưng chưa ghi văn bản chứng minh.",
    "percent_status_mismatch": "Tỷ lệ {percent} % không khớp với trạng thái «{status}».",
}

# --- Documents (.docx, .pdf): loaders/ooxml.py, docx.py, pdf.py, document.py, body_targets.py ---
MESSAGES.update({
    "file_corrupt_document": "Tệp Word (.docx) bị hỏng, không đọc được: {detail}.",
    "package_too_many_entries": "Tệp nén chứa quá nhiều thành phần ({count}; giới hạn {limit}); không đọc.",
    "package_bomb": "Thành phần «{part}» trong tệp nén có tỷ lệ nén bất thường ({ratio}:1), dấu hiệu tệp độc hại (zip bomb); không đọc.",
    "package_too_big": "Dữ liệu giải nén quá lớn ({size_mb} MB; giới hạn {limit_mb} MB); không đọc.",
    "package_doctype": "Thành phần «{part}» khai báo DOCTYPE/ENTITY (dấu hiệu tấn công XML); không đọc.",
    "docx_not_word": "Tệp nén không phải văn bản Word .docx (không có word/document.xml).",
    "docx_too_many_tables": "Văn bản có quá nhiều bảng (giới hạn {limit}).",
    "docx_too_many_cells": "Các bảng của văn bản có quá nhiều ô (giới hạn {limit}).",
    "docx_too_many_columns": "{table} có quá nhiều cột (giới hạn {limit}).",
    "pdf_corrupt": "Tệp PDF bị hỏng, không đọc được: {detail}. Hãy xuất lại PDF từ văn bản gốc, hoặc tải lên bản Word (.docx).",
    "pdf_encrypted": "Tệp PDF được đặt mật khẩu; hãy bỏ mật khẩu hoặc tải lên bản Word (.docx).",
    "pdf_too_many_pages": "Tệp PDF có {pages} trang, vượt giới hạn {limit} trang; hãy tải lên phần phụ lục hoặc bản Word (.docx).",
    "pdf_scanned": "Tệp PDF là bản quét (ảnh chụp), không có lớp chữ nên không đọc được nội dung. Hãy tải lên bản Word (.docx) của văn bản, hoặc bản PDF xuất trực tiếp từ Word.",
    "pdf_timeout": "Đọc tệp PDF quá {seconds} giây (đã đọc {done}/{pages} trang); hãy tải lên bản Word (.docx).",
    "document_table_unknown": "Bảng không nhận dạng được (không thấy dòng tiêu đề cột phù hợp); bỏ qua.",
    "document_nothing_found": "Không tìm thấy bảng nhiệm vụ hay chỉ tiêu định lượng nào trong văn bản.",
    "document_nothing_to_import": "Văn bản không có bảng nhiệm vụ nào; {count} chỉ tiêu đọc được chỉ là đề xuất, chưa được xác nhận nên không ghi gì.",
    "targets_admin_only": "Chỉ quản trị viên được xác nhận chỉ tiêu đọc từ văn bản.",
})


# --- Hostile files and plausibility rules (issue 11, the loaders' side) -------------------------
# Refusals before parsing (loaders/inspection.py), of the parse's child process (loaders/sandbox.py) and
# the plausibility rules (loaders/rules.py). Every refusal says what to do next.
_RESAVE = " Hãy mở tệp bằng Excel (hoặc LibreOffice), chọn «Lưu thành» kiểu «Excel Workbook (.xlsx)» rồi tải lên lại."
MESSAGES.update({
    "file_corrupt": "Tệp Excel bị hỏng, không đọc được: {detail}." + _RESAVE,
    "file_not_xlsx": "Tệp không phải bảng tính Excel .xlsx (định dạng nhận được: {detected})." + _RESAVE,
    "zip_too_many_entries": "Tệp có {count} phần bên trong, vượt giới hạn {limit}; một bảng tính bình thường chỉ có vài chục phần." + _RESAVE,
    "zip_too_large": "Dữ liệu giải nén của tệp quá lớn ({size_mb} MB, giới hạn {limit_mb} MB). Hãy chia thành nhiều tệp nhỏ hơn.",
    "zip_ratio": "Phần «{part}» của tệp nén chặt bất thường (giải nén ra {size_mb} MB, gấp {ratio} lần, giới hạn {limit} lần): "
                 "có thể là «bom nén» nên tệp không được đọc." + _RESAVE,
    "zip_odd_name": "Tệp chứa phần có tên bất thường «{part}» (đường dẫn tuyệt đối, «..» hoặc ký tự lạ); tệp Excel thật không có phần như vậy." + _RESAVE,
    "zip_duplicate_name": "Tệp chứa hai phần cùng tên «{part}», nên không biết phần nào là thật." + _RESAVE,
    "zip_nested": "Tệp chứa một tệp nén lồng bên trong («{part}»); hệ thống không mở tệp lồng nhau." + _RESAVE,
    "zip_encrypted_entry": "Phần «{part}» của tệp được đặt mật khẩu nén; hãy bỏ mật khẩu rồi tải lên lại.",
    "zip_method": "Phần «{part}» của tệp dùng kiểu nén không được hỗ trợ." + _RESAVE,
    "xlsx_missing_part": "Tệp thiếu phần bắt buộc «{part}» của một bảng tính Excel." + _RESAVE,
    "xlsx_content_type": "Tệp không khai báo mình là bảng tính Excel .xlsx (kiểu nội dung của phần bảng tính: {content_type})." + _RESAVE,
    "xlsx_macro": "Tệp chứa macro (VBA hoặc Excel 4.0); hệ thống chỉ nhận bảng tính không có macro. "
                  "Hãy «Lưu thành» kiểu «Excel Workbook (.xlsx)» (macro sẽ được bỏ đi) rồi tải lên lại.",
    "xml_attack": "Phần «{part}» của tệp chứa khai báo DTD/thực thể XML, dạng dùng trong tấn công XXE hoặc «billion laughs»; "
                  "tệp bị từ chối và không được đọc. Tệp Excel bình thường không có khai báo này." + _RESAVE,
    "xml_invalid": "Phần «{part}» của tệp không phải XML hợp lệ ({detail})." + _RESAVE,
    "xml_encoding": "Phần «{part}» của tệp dùng bảng mã {encoding}, Excel không lưu như vậy." + _RESAVE,
    "xml_odd": "Phần «{part}» của tệp có cấu trúc bất thường ({detail})." + _RESAVE,
    "too_many_sheets": "Tệp có {count} trang tính, vượt giới hạn {limit}. Hãy xóa các trang không cần rồi tải lên lại.",
    "sheet_part_missing": "Trang «{sheet}» được khai báo nhưng tệp thiếu phần dữ liệu «{part}» của nó." + _RESAVE,
    "sheet_external": "Trang «{sheet}» trỏ ra ngoài tệp («{target}»); hệ thống chỉ đọc dữ liệu nằm trong tệp.",
    "sheet_too_many_rows": "Vùng dữ liệu của trang kéo dài đến ô {cell} (dòng {rows}), vượt giới hạn {limit} dòng. "
                           "Thường là do một ô bị gõ hoặc định dạng nhầm ở cuối trang: hãy xóa các dòng thừa dưới bảng "
                           "(chọn chúng, «Delete») rồi lưu và tải lên lại.",
    "sheet_too_far": "Vùng dữ liệu của trang kéo dài đến ô {cell} ({rows} dòng × {cols} cột), vượt giới hạn {max_rows} dòng "
                     "và {max_cols} cột. Thường là do một ô bị gõ hoặc định dạng nhầm ở cuối trang: hãy xóa các dòng, cột thừa "
                     "quanh bảng (chọn chúng, «Delete») rồi lưu và tải lên lại.",
    "sheet_too_many_columns": "Vùng dữ liệu của trang kéo dài sang ô {cell} (cột {column}, cột thứ {cols}), vượt giới hạn {limit} cột. "
                              "Hãy xóa các cột thừa bên phải bảng rồi lưu và tải lên lại.",
    "sheet_too_many_cells": "Vùng dữ liệu của trang ({range}: {rows} dòng × {cols} cột = {cells} ô) vượt giới hạn {limit} ô. "
                            "Hãy xóa các dòng, cột thừa hoặc chia bảng thành nhiều tệp.",
    "sheet_too_many_merges": "Trang có {count} vùng gộp ô, vượt giới hạn {limit}. Hãy bỏ gộp ô (Unmerge) ở những chỗ không cần.",
    "sheet_merge_too_far": "Vùng gộp ô {range} kéo dài quá xa ({what}, giới hạn {limit}). Hãy bỏ gộp ô (Unmerge) vùng này rồi tải lên lại.",
    "sheet_merge_too_large": "Vùng gộp ô {range} quá lớn ({cells} ô, giới hạn cả trang {limit} ô). Hãy bỏ gộp ô (Unmerge) vùng này rồi tải lên lại.",
    "sheet_merged_too_many": "{count} vùng gộp ô của trang phủ tổng cộng {cells} ô, vượt giới hạn {limit}. Hãy bỏ gộp ô ở những chỗ không cần.",
    "file_no_rows": "Tệp có bảng nhận dạng được nhưng không có dòng dữ liệu nào để nhập.",
    "sheet_dimension_note": "(Thẻ kích thước trong tệp ghi {dimension}.)",
    "sheet_unreadable": "Dữ liệu của trang bị hỏng, không đọc được ({detail})." + _RESAVE,
    "parse_memory": "Đọc tệp cần quá nhiều bộ nhớ (hơn {limit_mb} MB) nên đã dừng; tệp bị từ chối, hệ thống vẫn hoạt động bình thường. "
                    "Hãy xóa các dòng, cột hoặc vùng gộp ô thừa, hoặc chia thành nhiều tệp nhỏ hơn.",
    "parse_timeout": "Đọc tệp quá {limit_s} giây nên đã dừng; tệp bị từ chối, hệ thống vẫn hoạt động bình thường. "
                     "Hãy xóa các dòng, cột thừa hoặc chia thành nhiều tệp nhỏ hơn.",
    "parse_crashed": "Bộ đọc Excel gặp lỗi không xử lý được với tệp này ({code}); tệp bị từ chối, hệ thống vẫn hoạt động bình thường."
                     + _RESAVE + " Nếu vẫn lỗi, hãy gửi tệp cho quản trị viên.",
    "parse_internal": "Lỗi nội bộ khi đọc tệp (mã lỗi {error_id}); tệp bị từ chối. Hãy gửi tệp và mã lỗi cho quản trị viên.",
    "parse_busy": "Máy chủ đang đọc nhiều tệp khác cùng lúc; hãy thử lại sau ít phút.",
    # plausibility rules (codes in loaders/rules.py RULES)
    "rule_not_finite": "Giá trị «{value}» ở cột «{column}» không phải một số hữu hạn (vô cực, NaN hoặc vượt quá khả năng biểu diễn).",
    "rule_too_large": "Giá trị {value} ở cột «{column}» lớn bất thường (giới hạn ±{limit}); hãy kiểm tra lại số đã gõ.",
    "rule_rate_range": "Tỷ lệ {value} ở cột «{column}» nằm ngoài khoảng 0–100 % của chỉ tiêu «{indicator}».",
    "rule_zero_rate": "Tử số và mẫu số cùng bằng 0: không có tỷ lệ nào để ghi. Hãy để trống dòng này, hoặc ghi số thực tế.",
    "rule_boolean": "Ô chứa giá trị logic {value} (TRUE/FALSE), không phải {expected}; hãy gõ lại giá trị thật vào ô.",
    "rule_error_cell": "Ô chứa lỗi công thức {value}; hãy sửa công thức (hoặc dán giá trị) rồi tải lên lại.",
    "rule_year_window": "Năm {value} ở cột «{column}» nằm ngoài khoảng hợp lý {low}–{high}.",
    "rule_plan_year_window": "Thời kỳ kế hoạch {value} nằm ngoài khoảng hợp lý {low}–{high}.",
    "rule_year_is_date": "Ô «{column}» chứa ngày {value} (kiểu ngày tháng), không phải {what}{guess}. "
                         "Hãy định dạng ô là {format} rồi gõ lại, ví dụ {example}.",
    "rule_date_in_number": "Ô «{column}» chứa ngày {value} (kiểu ngày tháng), không phải số. Hãy định dạng ô là Số (General) và gõ lại số.",
    "rule_number_ambiguous": "Không rõ «{value}» ở cột «{column}» là số nào; hãy gõ theo kiểu Việt Nam (dấu phẩy thập phân, "
                             "ví dụ 85,3 hoặc 1.234,5) hoặc nhập dạng số.",
    "rule_number_separator": "Đã hiểu «{value}» ở cột «{column}» là {number}.",
    "rule_duplicate_plan": "Nhiệm vụ/sản phẩm trùng với trang «{sheet}» dòng {row} (cùng nhiệm vụ, sản phẩm và cơ quan chủ trì).",
    "rule_duplicate_value": "Số liệu trùng: chỉ tiêu «{indicator}», đơn vị {unit}, {period} đã có ở trang «{sheet}» dòng {row}.",
    "rule_duplicate_par": "Điểm trùng: {subject}, năm {year}, {component} đã có ở trang «{sheet}» dòng {row}.",
    "rule_duplicate_target": "Mục tiêu trùng: chỉ tiêu «{indicator}», {level}, năm {year} đã có ở trang «{sheet}» dòng {row}.",
    "rule_duplicate_progress": "Báo cáo trùng: sản phẩm «{output}», cơ quan «{agency}», {period} đã có ở trang «{sheet}» dòng {row}.",
    "rule_target_negative": "Chỉ tiêu «{text}» có số âm ({value}); mức phấn đấu không âm được (muốn giảm, hãy ghi «Giảm …»).",
    "rule_target_absurd": "Chỉ tiêu «{text}» có số {value} bất hợp lý (phải trong khoảng {low}–{high} {unit}).",
    "rule_target_baseline": "Chỉ tiêu «{text}» so với năm {value}, không hợp lý với năm mục tiêu {year}.",
    "rule_hidden_chars": "Đã bỏ {count} ký tự ẩn khỏi nội dung ô ({kinds}); hãy kiểm tra lại nội dung.",
})
# Reading what officials write (issue 10): layouts, structure, "no report" cells
MESSAGES.update({
    "column_unclear": "Chưa chắc cột {column} («{header}») là cột «{field}»{others}; hãy kiểm tra hoặc chọn lại cột.",
    "column_unclear_others": " (cũng có thể là cột {columns})",
    "value_no_report": "Ô «{value}» nghĩa là không báo cáo: không có số liệu cho dòng này.",
    "heading_skipped": "Dòng tiêu đề mục «{text}» không phải dòng số liệu, đã bỏ qua.",
})
HIDDEN_CHAR_KINDS = {"control": "ký tự điều khiển", "bidi": "ký tự đổi chiều chữ", "zero_width": "khoảng trắng độ rộng 0"}
UPLOAD_REFUSAL_UI = {  # merged into UI below (defined later in this module)
    "upload_unreadable": "Tệp «{file}» bị từ chối, không đọc được:",
    "upload_unreadable_where": "Trang «{sheet}»{cell}: ",
}


def message(key: str, **values: object) -> str:
    """Format one catalogue message."""
    return MESSAGES[key].format(**values)


# --- User-interface text ---------------------------------------------------------------------
UI: dict[str, str] = {
    "app_title": "Theo dõi cải cách hành chính – tỉnh Nam Định",
    "page_overview": "Tổng quan",
    "page_targets": "Chỉ tiêu 2025 / 2030",
    "page_areas": "Địa bàn",
    "page_agencies": "Cơ quan chủ trì",
    "page_rankings": "Xếp hạng",
    "page_tasks": "Nhiệm vụ",
    "page_upload": "Tải dữ liệu lên",
    "page_history": "Lịch sử nhập",
    "page_completeness": "Mức độ báo cáo",
    "page_audit": "Nhật ký",
    "page_users": "Người dùng",
    "page_present": "Trình chiếu",
    "section_views": "Theo dõi",
    "section_data": "Dữ liệu",
    "section_admin": "Quản trị",
    "filter_period": "Kỳ báo cáo",
    "filter_unit": "Địa bàn",
    "filter_agency": "Cơ quan",
    "filter_area": "Lĩnh vực",
    "filter_indicator": "Chỉ tiêu",
    "filter_level": "Cấp",
    "filter_plan": "Kế hoạch",
    "filter_all": "Tất cả",
    "sample_banner": "Đang hiển thị DỮ LIỆU MẪU (tổng hợp từ các kế hoạch thật, số liệu giả lập). Hãy tải dữ liệu thật lên để thay thế.",
    "no_data": "Chưa có số liệu.",
    "no_data_quarter": "Chưa có số liệu quý này.",
    "no_tasks": "Chưa có nhiệm vụ nào trong các kế hoạch đã nhập.",
    "no_targets": "Chưa có chỉ tiêu nào; hãy nhập danh mục chỉ tiêu.",
    "no_par": "Chưa có điểm Chỉ số CCHC; hãy nhập bảng điểm PAR INDEX.",
    "kpi_outputs_done": "Sản phẩm hoàn thành",
    "kpi_outputs_overdue": "Sản phẩm quá hạn",
    "kpi_on_time": "Tỷ lệ đúng hạn",
    "kpi_targets_2025": "Chỉ tiêu 2025",
    "kpi_targets_2030": "Chỉ tiêu 2030",
    "kpi_vs_prev": "so với quý trước",
    "areas_behind": "Lĩnh vực chậm nhất",
    "changes_since": "Thay đổi so với quý trước",
    "download_excel": "Tải Excel",
    "download_png": "Tải ảnh PNG",
    "col_area": "Lĩnh vực",
    "col_total": "Tổng số",
    "col_done": "Hoàn thành",
    "col_done_late": "Hoàn thành quá hạn",
    "col_overdue": "Quá hạn",
    "col_on_time": "Tỷ lệ đúng hạn",
    "col_overdue_rate": "Tỷ lệ quá hạn",
    "col_indicator": "Chỉ tiêu",
    "col_level": "Cấp",
    "col_unit": "Đơn vị",
    "col_current": "Hiện tại",
    "col_target": "Mục tiêu",
    "col_status": "Đánh giá",
    "col_trend": "Xu hướng",
    "col_agency": "Cơ quan",
    "col_rank": "Hạng",
    "col_score": "Điểm",
    "col_change": "Thay đổi",
    "col_plan": "Kế hoạch",
    "col_task": "Nhiệm vụ",
    "col_output": "Sản phẩm",
    "col_lead": "Chủ trì",
    "col_partners": "Phối hợp",
    "col_deadline": "Thời hạn",
    "col_due": "Hạn",
    "col_evidence": "Văn bản chứng minh",
    "as_lead": "Chủ trì",
    "as_partner": "Phối hợp",
    "login_title": "Đăng nhập",
    "logout": "Đăng xuất",
    "forbidden": "Bạn không có quyền xem trang này.",
    # --- login (components/auth.py)
    "login_username": "Tên đăng nhập",
    "login_password": "Mật khẩu",
    "login_button": "Đăng nhập",
    "login_failed": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "login_locked": "Tài khoản tạm khóa vì nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau {minutes} phút hoặc nhờ quản trị viên đặt lại mật khẩu.",
    "login_disabled": "Tài khoản đã bị khóa hoặc không còn tồn tại.",
    # --- the quarterly cycle: upload, templates, history, completeness, audit, users
    "upload_intro": "Tải lên tệp Excel (.xlsx) hoặc văn bản kế hoạch Word (.docx) / PDF, tối đa {limit} MB. Hệ thống kiểm tra trước (chạy thử), cho xem khác biệt so với dữ liệu đã có; chỉ khi bấm «Nhập dữ liệu» mới ghi vào cơ sở dữ liệu, và ghi tất cả hoặc không ghi gì.",
    "upload_files": "Chọn tệp Excel, Word hoặc PDF",
    "upload_scope": "Phạm vi được phân quyền: {scope}",
    "upload_scope_all": "toàn tỉnh (quản trị)",
    "upload_sheets": "Các trang tính nhận dạng được",
    "upload_problems": "Lỗi và cảnh báo",
    "upload_no_problems": "Không có lỗi hay cảnh báo nào.",
    "upload_errors_copy": "Tải bản có ghi chú lỗi",
    "upload_diff": "So với dữ liệu đã có",
    "upload_import": "Nhập dữ liệu",
    "upload_import_blocked": "Chưa thể nhập: hãy sửa các lỗi ở trên rồi tải tệp lên lại.",
    "upload_imported": "Đã nhập lô #{batch_id}: {counts}.",
    "upload_refused": "Không nhập được tệp: không có gì được ghi vào cơ sở dữ liệu.",
    "upload_duplicate": "Tệp này đã được nhập trước đây – không nhập lại.",
    "upload_out_of_scope": "Các dòng nằm ngoài phạm vi của bạn (bị từ chối)",
    "upload_open_overview": "Xem tổng quan {period}",
    "upload_plan": "Kế hoạch",
    "upload_unit": "Đơn vị ban hành",
    "upload_period": "Thời kỳ",
    "templates_title": "Tải mẫu",
    "templates_intro": "Mẫu trống cho từng loại bảng (có trang «Hướng dẫn» và danh sách chọn), và mẫu báo cáo tiến độ đã điền sẵn các nhiệm vụ của cơ quan bạn.",
    "template_prefilled": "Mẫu báo cáo tiến độ {period} – điền sẵn nhiệm vụ của: {agencies}",
    "template_prefilled_none": "Tài khoản của bạn chưa được gán cơ quan nào có nhiệm vụ chủ trì trong {period}.",
    "template_plan_tasks": "Phụ lục nhiệm vụ kế hoạch",
    "template_progress": "Báo cáo tiến độ (trống)",
    "template_indicator_catalogue": "Danh mục chỉ tiêu",
    "template_indicator_values": "Số liệu chỉ tiêu",
    "template_par_scores": "Điểm Chỉ số CCHC",
    "diff_part": "Phần",
    "diff_new": "Mới",
    "diff_changed": "Thay đổi",
    "diff_unchanged": "Không đổi",
    "diff_unmatched": "Không khớp",
    "diff_outputs": "Sản phẩm của kế hoạch",
    "diff_progress": "Báo cáo tiến độ",
    "diff_values": "Số liệu chỉ tiêu",
    "diff_par": "Điểm Chỉ số CCHC",
    "diff_targets": "Mục tiêu chỉ tiêu",
    "diff_examples": "Ví dụ các dòng thay đổi",
    "col_sheet": "Trang tính",
    "col_row": "Dòng",
    "col_column": "Cột",
    "col_message": "Nội dung",
    "col_severity": "Mức độ",
    "col_kind": "Loại",
    "col_rows": "Số dòng",
    "severity_error": "Lỗi",
    "severity_warning": "Cảnh báo",
    "history_intro": "Mọi lần nhập dữ liệu, mới nhất ở trên. Hoàn tác một lô trả cơ sở dữ liệu về đúng trạng thái trước lô đó.",
    "history_rollback": "Hoàn tác lô #{batch_id}",
    "history_confirm": "Xác nhận hoàn tác lô #{batch_id} ({file})? Các số liệu của lô sẽ bị gỡ bỏ.",
    "history_confirm_yes": "Đồng ý hoàn tác",
    "history_cancel": "Hủy",
    "history_done": "Đã hoàn tác lô #{batch_id}.",
    "history_pick": "Chọn lô để hoàn tác",
    "col_batch": "Lô",
    "col_when": "Thời gian",
    "col_who": "Người nhập",
    "col_file": "Tệp",
    "col_hash": "Mã băm",
    "col_counts": "Số bản ghi",
    "col_sample": "Dữ liệu mẫu",
    "col_batch_status": "Trạng thái",
    "count_tasks": "nhiệm vụ",
    "count_outputs": "sản phẩm",
    "count_assignments": "phân công",
    "count_due_dates": "mốc hạn",
    "count_progress_reports": "báo cáo tiến độ",
    "count_indicators": "chỉ tiêu",
    "count_targets": "mục tiêu",
    "count_indicator_values": "số liệu",
    "count_par_scores": "điểm PAR INDEX",
    "status_imported": "Đã nhập",
    "status_rolled_back": "Đã hoàn tác",
    "completeness_intro": "Cơ quan có nhiệm vụ chủ trì trong quý và số nhiệm vụ đã báo cáo. Chọn một cơ quan để tải mẫu báo cáo điền sẵn gửi cho họ.",
    "completeness_summary": "{reported}/{total} cơ quan đã báo cáo {period}; chưa báo cáo: {departments} sở, ngành và {districts} UBND cấp huyện.",
    "completeness_only_missing": "Chỉ hiện cơ quan chưa báo cáo",
    "completeness_pick": "Tải mẫu điền sẵn cho cơ quan",
    "col_assignments": "Số nhiệm vụ",
    "col_reported_n": "Đã báo cáo",
    "col_reported": "Đã gửi báo cáo",
    "col_last_upload": "Lần tải lên gần nhất",
    "agency_kind_department": "Sở, ban, ngành",
    "agency_kind_provincial_other": "Cơ quan khác cấp tỉnh",
    "agency_kind_district": "UBND cấp huyện",
    "agency_kind_commune": "UBND cấp xã",
    "agency_kind_district_office": "Phòng, ban cấp huyện",
    "audit_intro": "Nhật ký chỉ ghi thêm, không sửa hay xóa được: đăng nhập, nhập dữ liệu, hoàn tác, thay đổi người dùng.",
    "audit_user": "Người dùng",
    "audit_action": "Hành động",
    "audit_from": "Từ ngày",
    "audit_to": "Đến ngày",
    "col_details": "Chi tiết",
    "choose_placeholder": "Chọn…",
    "users_intro": "Tài khoản, vai trò và phạm vi dữ liệu được phép nhập. Mọi thay đổi đều được ghi nhật ký.",
    "users_add": "Thêm người dùng",
    "users_username": "Tên đăng nhập",
    "users_name": "Họ và tên",
    "users_role": "Vai trò",
    "users_agencies": "Cơ quan được nhập dữ liệu",
    "users_units": "Địa bàn được nhập dữ liệu (gồm cả cấp dưới)",
    "users_create": "Tạo tài khoản",
    "users_created": "Đã tạo tài khoản {username}. Mật khẩu (chỉ hiện MỘT lần, hãy gửi riêng cho người dùng): {password}",
    "users_edit": "Sửa tài khoản",
    "users_pick": "Chọn tài khoản",
    "users_save": "Lưu thay đổi",
    "users_saved": "Đã lưu.",
    "users_reset": "Đặt lại mật khẩu",
    "users_reset_done": "Mật khẩu mới của {username} (chỉ hiện MỘT lần): {password}",
    "users_disable": "Khóa tài khoản",
    "users_enable": "Mở khóa tài khoản",
    "users_self": "Không thể tự khóa hoặc tự hạ quyền tài khoản đang dùng.",
    "col_username": "Tên đăng nhập",
    "col_name": "Họ và tên",
    "col_role": "Vai trò",
    "col_scope": "Phạm vi",
    "col_disabled": "Đã khóa",
    "col_locked_until": "Tạm khóa đến",
}


# --- Target proposals read from a plan document (components/target_review.py, pages/tai-len.py) ---
UI.update({
    "review_title": "Chỉ tiêu đọc được từ văn bản: {count} đề xuất",
    "review_intro": "Đây mới là đề xuất, chưa ghi gì. Chọn những chỉ tiêu xác nhận (có thể sửa từng chỉ tiêu); chỉ tiêu không chọn sẽ bị bỏ qua. Chỉ tiêu đã xác nhận được nhập cùng lô với kế hoạch, ghi nhật ký và hoàn tác được.",
    "review_admin_only": "Chỉ quản trị viên được xác nhận các chỉ tiêu này; khi nhập, chỉ bảng nhiệm vụ được ghi.",
    "review_pick": "Xác nhận các chỉ tiêu",
    "review_pick_none": "Chưa chọn chỉ tiêu nào",
    "review_new": "(mới) {code}",
    "review_new_name": "Tên chỉ tiêu mới",
    "review_indicator": "Chỉ tiêu",
    "review_level_all": "Chung",
    "review_col_no": "STT",
    "review_col_name": "Tên chỉ tiêu",
    "review_col_year": "Năm",
    "review_col_kind": "Loại mục tiêu",
    "review_col_text": "Mục tiêu",
    "review_col_score": "Độ khớp",
    "review_col_quote": "Nguyên văn",
    "review_blank": "mục tiêu đang trống",
    "review_quote": "Đề xuất {no}: «{quote}»",
    "review_refused": "Chỉ tiêu đã chọn chưa hợp lệ: {reason}",
})

# --- Dashboard views: targets, areas, agencies, rankings, tasks (pages/*.py, analytics/) ---
UI.update({
    "filter_by": "Tô màu theo",
    "by_tasks": "Tiến độ nhiệm vụ",
    "by_indicator": "Chỉ tiêu",
    "filter_horizon": "Mốc mục tiêu",
    "filter_agency_kind": "Loại cơ quan",
    "filter_par_kind": "Đối tượng xếp hạng",
    "filter_district": "Huyện / thành phố",
    "filter_year": "Năm đánh giá",
    "filter_status": "Trạng thái",
    "filter_deadline": "Loại thời hạn",
    "filter_search": "Tìm kiếm",
    "filter_none": "(chưa chọn)",
    "search_placeholder": "Gõ từ khóa, có dấu hoặc không dấu (vd: so hoa ho so)",
    "area_none": "Chưa phân lĩnh vực",
    "chart_target": "Mục tiêu {year}",
    "chart_trajectory": "Lộ trình đến {year}",
    "col_target_year": "Mục tiêu {year}",
    "col_required_year": "Mức {year}",
    "col_status_year": "Đánh giá {year}",
    "col_projected": "Dự báo theo xu hướng",
    "col_bucket": "Mức quá hạn",
    "col_group": "Nhóm",
    "col_component": "Lĩnh vực thành phần",
    "col_leader": "Dẫn đầu",
    "col_average": "Trung bình",
    "col_pct_max": "% điểm tối đa",
    "col_rank_change": "Thay đổi hạng",
    "col_score_change": "Thay đổi điểm",
    "required_now": "Mức cần đạt theo lộ trình",
    "targets_caption": "{period} · {n} chỉ tiêu · có nguy cơ hoặc chệch lộ trình: {risk_2025} (mục tiêu 2025), {risk_2030} (mục tiêu 2030)",
    "target_line": "Mục tiêu {year}: {text}",
    "pick_a_row": "Chọn một dòng trong bảng để xem diễn biến của chỉ tiêu và kết quả từng huyện, xã.",
    "pick_an_agency": "Chọn một cơ quan trong bảng (hoặc ở ô «Cơ quan») để xem sản phẩm quá hạn và Chỉ số CCHC của cơ quan.",
    "pick_a_subject": "Chọn một đơn vị trong bảng hoặc trên biểu đồ để xem điểm thành phần và lý do thay đổi thứ hạng.",
    "click_to_drill": "Bấm vào một huyện trên biểu đồ hoặc chọn một dòng trong bảng để xem các xã.",
    "by_district": "Kết quả theo huyện, thành phố",
    "units_of": "Các đơn vị thuộc {name}",
    "back_to_province": "Về cấp tỉnh",
    "no_targets_filter": "Không có chỉ tiêu nào khớp bộ lọc; hãy chọn «Tất cả».",
    "no_units": "Không có đơn vị hành chính nào thuộc địa bàn này vào kỳ đã chọn.",
    "no_unit_values": "Các đơn vị chưa báo cáo số liệu của chỉ tiêu này đến kỳ đã chọn.",
    "no_horizon_target": "Chỉ tiêu này chưa có mục tiêu năm 2025 hoặc 2030.",
    "indicator_not_found": "Không tìm thấy chỉ tiêu «{code}» trong danh mục (hoặc bộ lọc đang ẩn nó).",
    "unit_not_found": "Không tìm thấy huyện, thành phố mã «{code}» vào kỳ đã chọn; đang hiển thị toàn tỉnh.",
    "bucket_none": "Không quá hạn",
    "bucket_low": "Quá hạn ≤ 10 %",
    "bucket_mid": "Quá hạn 10–25 %",
    "bucket_high": "Quá hạn > 25 %",
    "bucket_empty": "Không có sản phẩm",
    "overdue_by_agency": "Lượt giao chủ trì quá hạn theo cơ quan",
    "no_overdue": "Không có sản phẩm quá hạn.",
    "agency_group_department": "Sở, ban, ngành (cấp tỉnh)",
    "agency_group_district": "UBND cấp huyện",
    "agency_group_commune": "UBND cấp xã",
    "agency_group_office": "Phòng chuyên môn cấp huyện",
    "agencies_caption": "{period} · {n} cơ quan · số lượt giao theo vai trò chủ trì và phối hợp (tính riêng)",
    "no_agencies": "Không có cơ quan nào thuộc loại này được giao sản phẩm.",
    "lead_total": "Chủ trì: lượt giao",
    "lead_done": "Chủ trì: hoàn thành đúng hạn",
    "lead_done_late": "Chủ trì: hoàn thành quá hạn",
    "lead_overdue": "Chủ trì: quá hạn",
    "partner_total": "Phối hợp: lượt giao",
    "partner_done": "Phối hợp: hoàn thành đúng hạn",
    "partner_done_late": "Phối hợp: hoàn thành quá hạn",
    "partner_overdue": "Phối hợp: quá hạn",
    "overdue_list": "Sản phẩm quá hạn",
    "outputs_by_area": "Lượt giao chủ trì theo lĩnh vực",
    "no_lead_outputs": "Cơ quan không chủ trì sản phẩm nào trong kỳ này.",
    "par_of_agency": "Chỉ số CCHC (PAR INDEX)",
    "par_not_ranked": "Cơ quan này không thuộc diện xếp hạng Chỉ số CCHC.",
    "par_not_ranked_year": "Đơn vị chưa được chấm điểm Chỉ số CCHC năm {year}.",
    "par_rank_in": "Hạng {year} · {kind}",
    "vs_prev_year": "so với năm trước",
    "of_max": "điểm tối đa",
    "open_rankings": "Mở bảng xếp hạng",
    "province_par": "Chỉ số CCHC của tỉnh (Bộ Nội vụ công bố)",
    "rank_short": "hạng",
    "rankings_caption": "{kind} · năm {year}{where} · {n} đơn vị",
    "explain_rank": "Hạng {rank}/{n}",
    "explain_up": "tăng {k} bậc",
    "explain_down": "giảm {k} bậc",
    "explain_same": "giữ nguyên hạng",
    "explain_although": " dù ",
    "explain_score_up": "điểm tăng {x}",
    "explain_score_down": "điểm giảm {x}",
    "explain_score_same": "điểm không đổi",
    "explain_no_prev": "năm trước chưa được xếp hạng",
    "explain_loss": "mất điểm nhiều nhất ở «{component}»",
    "explain_gap": "kém hạng trên {x} điểm",
    "explain_leader": "đứng đầu",
    "tasks_caption": "{n}/{total} sản phẩm · trạng thái tại {period}",
    "tasks_agency_note": "trạng thái của {agency}",
    "no_tasks_filter": "Không có sản phẩm nào khớp bộ lọc và từ khóa.",
    "symbols_legend": "Ký hiệu: ",
    "milestone_done": "Đã hoàn thành",
    "milestone_not_done": "Chưa hoàn thành",
})


# --- Meeting mode: the slides of pages/trinh-chieu.py, analytics/meeting.py and the brief (exports/brief_data.py) ---
UI.update({
    "mt_filter_period": "Kỳ",
    "mt_deck": "Bộ trình chiếu",
    "mt_deck_province": "Toàn tỉnh",
    "mt_deck_district": "Một huyện, thành phố",
    "mt_deck_agency": "Một cơ quan",
    "mt_next": "▶ Tiếp",
    "mt_back": "◀ Lùi",
    "mt_counter": "{n}/{total}",
    "mt_open_present": "Mở chế độ trình chiếu",
    "mt_keys_help": "Phím → hoặc dấu cách: trang sau · ←: trang trước · «?present=1» ẩn thanh bên; «&auto=15» tự chuyển trang sau 15 giây.",
    "mt_pick_slide": "Trang",
    "mt_title_overview": "Tổng quan: {scope}",
    "mt_title_targets": "Chỉ tiêu 2025 và 2030 có nguy cơ",
    "mt_title_overdue": "Sản phẩm quá hạn theo cơ quan chủ trì",
    "mt_title_rankings": "Xếp hạng Chỉ số CCHC năm {year}",
    "mt_title_rankings_none": "Xếp hạng Chỉ số CCHC",
    "mt_title_unit": "{name}: tiến độ và sản phẩm quá hạn",
    "mt_title_agency": "{name}: tiến độ theo lĩnh vực",
    "mt_kpi_good": "Mục tiêu {year}: đạt, đúng lộ trình",
    "mt_kpi_risk": "Mục tiêu {year}: có nguy cơ, chệch",
    "mt_note_good": "{s1} {a} đã đạt · {s2} {o} đúng lộ trình",
    "mt_note_risk": "{s1} {r} có nguy cơ · {s2} {x} chệch lộ trình",
    "mt_note_on_time": "{done}/{due} sản phẩm đã đến hạn",
    "mt_note_done": "trên {total} sản phẩm chủ trì",
    "mt_note_overdue": "{rate} số sản phẩm chủ trì",
    "mt_kpi_overdue_rate": "Tỷ lệ quá hạn",
    "mt_note_overdue_rank": "cao thứ {rank}/{n} huyện, thành phố",
    "mt_kpi_partner_overdue": "Quá hạn khi phối hợp",
    "mt_note_partner": "trên {total} sản phẩm phối hợp",
    "mt_kpi_rank": "Hạng Chỉ số CCHC {year}",
    "mt_note_rank": "{score} điểm · {change}",
    "mt_no_data_targets": "Chưa có số liệu để đánh giá: {n25} chỉ tiêu mục tiêu 2025 và {n30} chỉ tiêu mục tiêu 2030.",
    "mt_no_risk_targets": "Không có chỉ tiêu nào có nguy cơ hoặc chệch lộ trình.",
    "mt_chart_targets": "Hiện tại so với mục tiêu",
    "mt_chart_target_districts": "Từng huyện: {name}",
    "mt_chart_target_communes": "Từng xã: {name}",
    "mt_chart_areas_rate": "Tỷ lệ quá hạn theo lĩnh vực",
    "mt_chart_district_overdue": "Tỷ lệ quá hạn theo huyện, thành phố",
    "mt_chart_commune_overdue": "Các xã có tỷ lệ quá hạn cao nhất",
    "mt_chart_agency_overdue": "Cơ quan có nhiều lượt giao chủ trì quá hạn nhất",
    "mt_chart_departments": "Sở, ban, ngành: {k} cao nhất và {k} thấp nhất",
    "mt_chart_districts_rank": "UBND cấp huyện",
    "mt_chart_communes_rank": "Các xã: {k} cao nhất và {k} thấp nhất",
    "mt_chart_components": "{k} lĩnh vực mất nhiều điểm nhất (% điểm tối đa)",
    "mt_chart_areas": "Lượt giao chủ trì theo lĩnh vực",
    "mt_chart_overdue_areas": "Sản phẩm quá hạn theo lĩnh vực",
    "mt_series_current": "Hiện tại",
    "mt_series_target": "Mục tiêu",
    "mt_series_overdue_rate": "Tỷ lệ quá hạn (%)",
    "mt_series_overdue": "Số lượt giao quá hạn",
    "mt_series_score": "Điểm",
    "mt_series_unit": "Đơn vị",
    "mt_series_leader": "Dẫn đầu",
    "mt_series_average": "Trung bình",
    "mt_series_done": "Hoàn thành",
    "mt_series_in_progress": "Đang thực hiện",
    "mt_table_targets": "Chỉ tiêu có nguy cơ hoặc chệch lộ trình",
    "mt_table_overdue": "Sản phẩm quá hạn",
    "mt_hint_targets": "Bấm vào một chỉ tiêu để xem từng địa bàn; bấm vào một huyện để mở trang của huyện.",
    "mt_hint_units": "Bấm vào một huyện để mở trang của huyện; bấm vào một cơ quan để mở bộ trình chiếu của cơ quan.",
    "mt_more": "và {n} mục khác",
    "mt_more_agencies": "và {n} cơ quan khác",
    "mt_more_in_handout": "Còn {n} chỉ tiêu khác: xem tài liệu Excel phát tay.",
    "mt_role_lead": "Chủ trì",
    "mt_role_partner": "Phối hợp",
    "mt_col_scope": "Cấp, địa bàn",
    "mt_col_year": "Năm",
    "mt_col_value": "Giá trị",
    "mt_col_unit": "Đơn vị",
    "mt_col_note": "Ghi chú",
    "mt_col_role": "Vai trò",
    "mt_unknown_unit": "Không tìm thấy huyện, thành phố mã «{code}» vào kỳ đã chọn; đang trình chiếu toàn tỉnh.",
    "mt_unknown_agency": "Không tìm thấy cơ quan mã «{code}»; đang trình chiếu toàn tỉnh.",
    "mt_exports": "Bản tin và tài liệu phát tay (cùng bộ lọc)",
    "mt_brief_make": "Tạo bản tin PowerPoint",
    "mt_brief_download": "Tải bản tin PowerPoint",
    "mt_excel_make": "Tạo tài liệu Excel",
    "mt_excel_download": "Tải tài liệu Excel",
    "mt_png_download": "Lưu ảnh PNG",
    "mt_brief_title": "Bản tin cải cách hành chính",
    "mt_sheet_kpis": "Số liệu chính",
    "mt_sheet_charts": "Biểu đồ",
    "mt_sheet_charts_title": "Số liệu của các biểu đồ",
    "mt_col_chart": "Biểu đồ",
    "mt_col_name": "Tên",
    "mt_link": "Đường dẫn trình chiếu",
})

# The deck on the 2025 map (from 01/07/2025): the units under the province are its communes (xã, phường), not
# districts. analytics.meeting.unit_text picks "<key>_communes" for a quarter drawn on that map.
UI.update({
    "mt_note_overdue_rank_communes": "cao thứ {rank}/{n} xã, phường",
    "mt_chart_district_overdue_communes": "Tỷ lệ quá hạn theo xã, phường",
    "mt_chart_target_districts_communes": "Từng xã, phường: {name}",
    "mt_hint_targets_communes": "Bấm vào một chỉ tiêu để xem từng địa bàn; bấm vào một xã, phường để mở trang của "
                                "xã, phường.",
    "mt_hint_units_communes": "Bấm vào một xã, phường để mở trang của xã, phường; bấm vào một cơ quan để mở bộ "
                              "trình chiếu của cơ quan.",
    "mt_unknown_unit_communes": "Không tìm thấy xã, phường mã «{code}» vào kỳ đã chọn; đang trình chiếu toàn tỉnh.",
    "mt_deck_district_communes": "Một xã, phường",
    "mt_filter_district_communes": "Xã, phường",
    "mt_chart_districts_rank_old": "UBND cấp huyện (trước 01/07/2025)",
})

# Overview page
UI.update({
    "ov_scope": "{period} · Tỉnh Nam Định · so với {prev}",
    "ov_targets_title": "Chỉ tiêu theo mục tiêu 2025 và 2030",
    "ov_targets_value": "{good}/{total}",
    "ov_targets_note": "đạt hoặc đúng lộ trình · {at_risk} có nguy cơ · {off_track} chệch",
    "ov_risky_caption": "Chỉ tiêu có nguy cơ hoặc chệch lộ trình",
    "ov_col_year": "Năm",
    "ov_no_changes": "Không có thay đổi trạng thái so với quý trước.",
    "ov_new": "(mới)",
    "ov_col_from": "Từ",
    "ov_col_to": "Sang",
    "ov_col_count": "Số phân công",
})

# Figures, frame and history
UI.update({
    "fig_no_data": "Chưa có số liệu.",
    "fig_no_indicator_data": "Chưa có số liệu của chỉ tiêu này.",
    "fig_no_coords": "Chưa có tọa độ các đơn vị.",
    "fig_no_par": "Chưa có điểm Chỉ số CCHC.",
    "fig_no_components": "Chưa có điểm thành phần.",
    "fig_no_unit_data": "Chưa có số liệu của các đơn vị.",
    "fig_target_year": "Mục tiêu {year}",
    "fig_actual": "Thực tế",
    "fig_subject": "Đơn vị",
    "fig_leader": "Dẫn đầu",
    "fig_average": "Trung bình",
    "fig_pct_of_max": "% điểm tối đa",
    "fig_reference": "Mức tham chiếu",
    "anonymous_name": "Khách (chỉ xem)",
    "loading_db": "Đang chuẩn bị cơ sở dữ liệu…",
})

# Kinds of import batches
BATCH_KINDS = _index([
    Entry("plan", "Kế hoạch", order=1),
    Entry("progress", "Tiến độ", order=2),
    Entry("indicators", "Danh mục chỉ tiêu", order=3),
    Entry("values", "Số liệu", order=4),
    Entry("par", "Chỉ số CCHC", order=5),
    Entry("mixed", "Nhiều loại", order=6),
    Entry("reference", "Danh mục dùng chung", order=7),
    Entry("aliases", "Tên gọi khác, cách đọc bảng", order=8),
])
UI.update({
    "unit_overdue_pct": "% quá hạn",
    "scope_unit": "địa bàn {unit}",
    "scope_none": "(chưa được phân quyền)",
})
UI.update({
    "xf_province": "Tỉnh Nam Định",
})
UI.update({"upload_warming": "Đang cập nhật các trang theo dõi…"})

# --- Store hardening (issue 11, store side): scope refusals, busy or stopped imports, rollback rules,
# quiet auth errors and the unexpected-error message (store/authorize.py, store/importer.py, app.py) ---
MESSAGES.update({
    "scope_plan": "Kế hoạch do «{agency}» ban hành (theo khối tiêu đề) nằm ngoài phạm vi được phân quyền của bạn.",
    "scope_par": "Điểm Chỉ số CCHC của «{agency}» nằm ngoài phạm vi được phân quyền của bạn.",
    "scope_admin_only": "Chỉ quản trị viên được thay đổi {what} ({n} dòng trên trang này, đầu tiên là «{first}»); "
                        "tài khoản của bạn không phải quản trị viên.",
    "scope_read_only": "Tài khoản «{user}» chỉ có quyền xem, không được nhập dữ liệu.",
    "scope_more": "Còn {n} dòng khác cũng nằm ngoài phạm vi được phân quyền của bạn (không liệt kê hết).",
    "import_busy": "Đang có một lần nhập khác ghi vào cơ sở dữ liệu; đã chờ {seconds} giây mà chưa xong. "
                   "Không có gì bị ghi: hãy thử lại sau ít phút.",
    "import_timeout": "Lần nhập chạy quá {seconds} giây nên đã bị dừng; không có gì bị ghi. "
                      "Hãy chia tệp nhỏ hơn hoặc báo quản trị hệ thống.",
    "plan_exists": "Kế hoạch {code} đã được nhập ở lô #{batch_id}; hãy hoàn tác lô đó trước khi nhập bản sửa.",
    "rollback_admin_only": "Chỉ quản trị viên được hoàn tác một lô nhập.",
    "rollback_unknown": "Không có lô #{batch_id}.",
    "rollback_done_before": "Lô #{batch_id} đã được hoàn tác trước đó.",
    "rollback_plan_used": "Không thể hoàn tác: {n} báo cáo tiến độ (từ lô #{batch_id}) dựa trên kế hoạch này; "
                          "hãy hoàn tác các lô đó trước.",
    "rollback_indicator_used": "Không thể hoàn tác: {n} dòng số liệu, mục tiêu hoặc phiên bản chỉ tiêu (từ lô #{batch_id}) "
                               "dùng chỉ tiêu do lô này tạo; hãy hoàn tác các lô đó trước.",
    "cli_user_unknown": "Không có người dùng «{user}».",
    "cli_user_disabled": "Tài khoản «{user}» đã bị khóa.",
    "cli_no_admin": "Chưa có tài khoản quản trị nào đang hoạt động; hãy chỉ rõ --user.",
})
UI.update({
    "error_unexpected": "Đã xảy ra lỗi ngoài dự kiến nên trang này chưa hiển thị được. Hãy tải lại trang; nếu lỗi "
                        "lặp lại, báo quản trị hệ thống mã lỗi **{error_id}** (chi tiết đã được ghi ở máy chủ).",
})

# --- The map over time: units and agencies on the date of the plan, quarter or row (issue 9) ----------------
MESSAGES.update({
    "unit_ended": "{name} không còn từ {since}; đơn vị kế thừa: {successors}.",
    "unit_ended_territory": "{name} không còn từ {since} (không còn cấp huyện); địa bàn nay thuộc: {successors}.",
    "unit_ended_nosuccessor": "{name} không còn từ {since}.",
    "unit_not_yet": "{name} chỉ có từ {since}; trước đó là: {predecessors}.",
    "unit_not_yet_nopredecessor": "{name} chỉ có từ {since}.",
    "unit_ambiguous": "«{text}» trong {period} có thể là: {options}; hãy ghi rõ mã ĐVHC và tên đơn vị, "
                      "hoặc số liệu theo từng quý.",
    "unit_code_name_mismatch": "Mã ĐVHC {code} là {code_name}, không phải «{name}».",
    "agency_ended": "{name} không còn từ {since}; cơ quan kế thừa: {successors}.",
    "agency_ended_partial": "{name} không còn từ {since}; cơ quan kế thừa: {successors} "
                            "(một phần chức năng chuyển sang: {partial}).",
    "agency_ended_nosuccessor": "{name} không còn từ {since}.",
    "agency_not_yet": "{name} chỉ có từ {since}; trước đó là: {predecessors}.",
    "agency_not_yet_nopredecessor": "{name} chỉ có từ {since}.",
    "group_level_gone": "«{name}»: {level} không còn từ {since}; hãy giao cho các cơ quan, đơn vị hiện có "
                        "(ví dụ «UBND các xã, phường»).",
    "reference_missing": "Chưa có dữ liệu tham chiếu của tỉnh {province} ({folder}). Hãy chạy "
                         "«python manage.py init --province {province}» trên máy có gói vietnamadminunits "
                         "(pip install -r requirements-build.txt).",
})
MESSAGES.update({
    "reference_other_province": "Cơ sở dữ liệu này phục vụ tỉnh {stored}, không phải tỉnh {wanted}; hãy dùng một cơ sở "
                                "dữ liệu khác (DATABASE_URL hoặc CCHC_DATA_DIR) cho tỉnh {wanted}.",
})
UI.update(UPLOAD_REFUSAL_UI)  # issue 11, loaders: the upload page's refusal of an unreadable file

# Issue 10, resolve in the upload: learned aliases and layout mappings (store/aliases.py, loaders/resolve.py)
MESSAGES.update({
    "scope_alias": "Không được ghi tên gọi khác «{agency}»: cơ quan/đơn vị này nằm ngoài phạm vi được giao.",
    "alias_invalid": "Tên gọi «{text}» không dùng được làm tên gọi khác.",
    "alias_target_unknown": "Không có «{target}» để gán tên gọi khác.",
    "alias_conflict": "«{text}» đã được ghi nhận là tên gọi khác của «{target}»; hãy gỡ tên gọi đó trước (manage.py alias remove).",
    "alias_unknown": "Không có tên gọi khác số {alias_id} đang dùng.",
    "rollback_alias_removed": "Tên gọi khác của lô này đã bị gỡ ở lô #{batch_id}; hãy hoàn tác lô #{batch_id} trước.",
    "status_backwards": "Trạng thái lùi lại: «{old}» ở {old_period}, nay «{new}» ở {period}.",
    "percent_lower": "Tỷ lệ hoàn thành {percent} thấp hơn quý trước ({old_percent} ở {old_period}).",
    "status_unusual_done": "Trạng thái «{value}» được đọc là «{status}»; hãy kiểm tra lại cách ghi.",
})
UI.update({
    "resolve_title": "Cần bạn chọn ({count})",
    "resolve_intro": "Hệ thống chưa hiểu các tên gọi/cột dưới đây. Chọn nghĩa đúng: lựa chọn được ghi nhận (có nhật ký, "
                     "hoàn tác được) và tệp được kiểm tra lại ngay; lần sau cách ghi này được đọc mà không hỏi lại.",
    "resolve_kind_agency": "Cơ quan",
    "resolve_kind_unit": "Đơn vị hành chính",
    "resolve_kind_status": "Trạng thái",
    "resolve_kind_column": "Cột",
    "resolve_question": "{kind} «{text}» ({where}{more})",
    "resolve_more": ", và {n} chỗ khác",
    "resolve_where": "trang «{sheet}», ô {cell}",
    "resolve_where_sheet": "trang «{sheet}»",
    "resolve_skip": "— chưa chọn —",
    "resolve_optional": "không bắt buộc",
    "resolve_save": "Ghi nhận lựa chọn và kiểm tra lại",
    "resolve_saved": "Đã ghi nhận {n} lựa chọn (lô #{batch_id}); tệp đã được kiểm tra lại.",
    "resolve_none_picked": "Chưa chọn mục nào.",
    "resolve_none_allowed": "Không có lựa chọn nào trong phạm vi được giao.",
})
# --- History carried forward and the views on the 2025 map (issue 9, second half) ---------------------------------
# Measures summed (by share) when a commune's history is carried to its successors; rates go as Σnum/Σden.
ADDITIVE_MEASURES = ("người", "đơn vị", "tỷ đồng", "hồ sơ", "TTHC", "văn bản", "thủ tục", "dịch vụ")
UI.update({
    "filter_map": "Địa giới",
    "map_own": "Theo địa giới của kỳ",
    "map_now": "Theo địa giới hiện nay",
    "map_now_help": "Hiển thị kỳ đã chọn trên bản đồ hành chính hiện nay: số liệu của các đơn vị cũ được quy đổi "
                    "sang đơn vị kế thừa (tỷ lệ cộng tử số và mẫu số; đơn vị bị chia góp phần đều cho các đơn vị kế thừa).",
    "map_now_caption": "Theo địa giới hiện nay: số liệu trước 01/07/2025 được quy đổi từ các đơn vị tiền thân có số liệu.",
    "click_to_drill_commune": "Bấm vào một xã, phường trên biểu đồ hoặc chọn một dòng trong bảng để xem chi tiết.",
    "unit_not_found_any": "Không tìm thấy đơn vị mã «{code}» vào kỳ đã chọn; đang hiển thị toàn tỉnh.",
    "formerly": "trước đây: {names}",
    "lineage_from": "Hình thành ngày {since} từ: {names}.",
    "lineage_to": "Không còn từ {since}; địa bàn nay thuộc: {names}.",
    "lineage_share": "{name} ({share})",
    "commune_page": "Đơn vị {name}",
    "back_to_district": "Về {name}",
})
# --- One definition per number (issue 12, analytics/counts.py) ----------------------------------------------
# What is counted is an assignment occurrence ("lượt giao": one output given to one agency, per due date live in
# the quarter); "sản phẩm" are the distinct outputs behind them. Headline numbers count lead occurrences.
UI.update({
    "cnt_total": "Lượt giao chủ trì",
    "cnt_done_total": "Lượt giao chủ trì đã hoàn thành",
    "cnt_done": "Lượt giao chủ trì hoàn thành đúng hạn",
    "cnt_done_late": "Lượt giao chủ trì hoàn thành quá hạn",
    "cnt_overdue": "Lượt giao chủ trì quá hạn",
    "cnt_in_progress": "Lượt giao chủ trì đang thực hiện",
    "cnt_not_started": "Lượt giao chủ trì chưa thực hiện",
    "cnt_continuous": "Lượt giao chủ trì thường xuyên",
    "cnt_no_report": "Lượt giao chủ trì chưa báo cáo",
    "cnt_role_lead": "chủ trì",
    "cnt_role_partner": "phối hợp",
    "cnt_role_any": "chủ trì và phối hợp",
    "cnt_of_role": "Lượt giao {role}",
    "cnt_note_outputs": "thuộc {outputs} sản phẩm",
    "cnt_note_done": "trên {total} lượt giao chủ trì · {outputs} sản phẩm",
    "cnt_note_overdue": "{rate} số lượt giao chủ trì · {outputs} sản phẩm",
    "cnt_note_on_time": "{done}/{due} lượt giao chủ trì đã đến hạn",
    "cnt_note_partner": "trên {total} lượt giao phối hợp · {outputs} sản phẩm",
    "cnt_open_rows": "Xem danh sách",
    "cnt_open_rows_of": "Xem {n} dòng: {what}",
    "cnt_help": "Một «lượt giao» là một sản phẩm giao cho một cơ quan (chủ trì hoặc phối hợp) ở một kỳ hạn; "
                "nhóm «Các Sở, ban, ngành» cho mỗi cơ quan một lượt. «Sản phẩm» đếm mỗi sản phẩm một lần.",
    "col_done_total": "Đã hoàn thành",
    "col_done_on_time": "Hoàn thành đúng hạn",
    "col_total_occ": "Lượt giao chủ trì",
    "lead_done_total": "Chủ trì: đã hoàn thành",
    "partner_done_total": "Phối hợp: đã hoàn thành",
    "lead_done_on_time": "Chủ trì: hoàn thành đúng hạn",
    "mt_kpi_partner_overdue_occ": "Lượt giao phối hợp quá hạn",
    "overdue_list_roles": "Sản phẩm quá hạn: {lead} lượt chủ trì · {partner} lượt phối hợp",
    "tasks_rows_occ": "Lượt giao",
    "tasks_rows_outputs": "Sản phẩm",
    "tasks_rows_label": "Hiện theo",
    "tasks_role_label": "Vai trò",
    "tasks_occ_caption": "{n} lượt giao ({role}) · {outputs} sản phẩm · trạng thái tại {period}",
    "col_agency_assigned": "Cơ quan được giao",
    "filter_unit_all": "Tất cả địa bàn",
})
UI.update({
    "cnt_overdue_table": "Sản phẩm quá hạn: {outputs} sản phẩm · {occ} lượt giao chủ trì",
})

# --- Completeness as DHIS2 reports it (issue 12, store/completeness.py) -----------------------------------------
UI.update({
    "cmp_intro": "Báo cáo phải nộp trong quý, như một bộ dữ liệu: mọi sở, ngành và UBND cấp huyện, cấp xã (có trong quý, "
                 "theo bản đồ hành chính của ngày cuối quý) gửi báo cáo CCHC quý; mỗi nhiệm vụ chủ trì đến hạn hoặc "
                 "còn dở dang trong quý (mọi kế hoạch) cần một dòng tiến độ.",
    "cmp_deadline": "Hạn gửi báo cáo {period}: trước ngày {deadline}; đúng hạn là tải lên trước ngày đó.",
    "cmp_kpi_rate": "Tỷ lệ báo cáo quý",
    "cmp_kpi_rate_note": "{reported}/{expected} cơ quan, đơn vị đã gửi",
    "cmp_kpi_on_time": "Gửi đúng hạn",
    "cmp_kpi_late": "Gửi muộn",
    "cmp_kpi_missing": "Chưa báo cáo",
    "cmp_kpi_assign": "Nhiệm vụ chủ trì đã có báo cáo",
    "cmp_kpi_assign_note": "{reported}/{expected} nhiệm vụ đến hạn hoặc còn dở dang",
    "cmp_by_kind": "Tỷ lệ báo cáo theo nhóm",
    "cmp_by_unit": "Tỷ lệ báo cáo theo địa bàn",
    "cmp_reporters": "Cơ quan, đơn vị phải báo cáo",
    "cmp_col_group": "Nhóm",
    "cmp_col_expected": "Phải báo cáo",
    "cmp_col_reported": "Đã báo cáo",
    "cmp_col_on_time": "Đúng hạn",
    "cmp_col_late": "Muộn",
    "cmp_col_missing": "Chưa báo cáo",
    "cmp_col_rate": "Tỷ lệ báo cáo",
    "cmp_col_on_time_rate": "Tỷ lệ đúng hạn",
    "cmp_col_quarterly": "Báo cáo quý",
    "cmp_col_first_upload": "Gửi lần đầu",
    "cmp_col_status": "Tình trạng",
    "cmp_status_on_time": "✔ Đúng hạn",
    "cmp_status_late": "◐ Muộn",
    "cmp_status_missing": "✘ Chưa báo cáo",
    "cmp_yes": "Có",
    "cmp_no": "Không",
    "cmp_filter_group": "Nhóm cơ quan",
    "cmp_mine": "Cơ quan của bạn – {agency}: {status} {period} · {n} nhiệm vụ chủ trì phải báo cáo.",
    "cmp_none": "Không có cơ quan, đơn vị nào phải báo cáo {period}.",
})

# --- Của tôi: a start page for each user (issue 12, pages/cua-toi.py) ---------------------------------------------
UI.update({
    "page_mine": "Của tôi",
    "mine_no_scope": "Tài khoản của bạn chưa được gán cơ quan hay địa bàn nào. Xem Tổng quan.",
    "mine_pick": "Cơ quan",
    "mine_rank": "Xếp hạng Chỉ số CCHC",
    "mine_rank_title": "Thứ hạng {year}",
    "mine_rank_note": "{score} điểm · {change} {vs}",
    "mine_overdue": "Quá hạn của cơ quan",
    "mine_report": "Phải báo cáo",
    "mine_report_line": "{period}: {status} · hạn trước ngày {deadline} · {n} nhiệm vụ chủ trì phải báo cáo.",
    "mine_report_not_expected": "{period}: {agency} không phải báo cáo (không còn tồn tại hoặc chưa có trong kỳ).",
    "mine_heir": "{agency} không còn từ {since}; {period} hiển thị cơ quan kế thừa: {heir}.",
    "mine_ended": "{agency} không còn từ {since}; cơ quan kế thừa: {successors}.",
    "mine_open_completeness": "Mức độ báo cáo của {period}",
    "mine_open_agency": "Chi tiết cơ quan",
})

# --- Audit log in words (components/audit_text.py, pages/nhat-ky.py) ---
AUDIT_ACTIONS = _index([
    Entry("login", "Đăng nhập", order=1),
    Entry("login_failed", "Đăng nhập sai", order=2),
    Entry("logout", "Đăng xuất", order=3),
    Entry("sessions_revoked", "Thu hồi phiên đăng nhập", order=4),
    Entry("user_add", "Tạo tài khoản", order=5),
    Entry("user_update", "Sửa tài khoản", order=6),
    Entry("import", "Nhập dữ liệu", order=7),
    Entry("rollback", "Hoàn tác lần nhập", order=8),
])
AUDIT_ACTORS = _index([
    Entry("system", "Hệ thống (khi cài đặt)", order=1),
    Entry("cli", "Dòng lệnh trên máy chủ", order=2),
])
AUDIT_VIA = _index([
    Entry("app", "trên ứng dụng", order=1),
    Entry("cli", "bằng dòng lệnh trên máy chủ", order=2),
    Entry("samples", "dữ liệu mẫu khi cài đặt", order=3),
    Entry("cookie", "bằng phiên đã lưu trên trình duyệt", order=4),
    Entry("password", "bằng mật khẩu", order=5),
])
AUDIT_FIELDS = _index([
    Entry("role", "vai trò"), Entry("agencies", "cơ quan"), Entry("units", "địa bàn"), Entry("name", "họ tên"),
    Entry("password", "mật khẩu"), Entry("disabled", "khóa tài khoản"), Entry("password_hash", "mật khẩu"),
])
UI.update({
    "au_login": "Đăng nhập {via}.",
    "au_login_failed": "Sai mật khẩu lần thứ {attempts}{locked}.",
    "au_locked": "; tài khoản bị tạm khóa",
    "au_logout": "Đăng xuất.",
    "au_sessions_revoked": "Mọi phiên đăng nhập cũ bị thu hồi (do {by}).",
    "au_user_add": "Tạo tài khoản «{username}», vai trò {role}; phạm vi: {scope}.",
    "au_user_update": "Sửa tài khoản «{username}»: {changes}.",
    "au_import": "Nhập tệp «{file}» (lần nhập số {batch_id}) {via}: {counts}.",
    "au_rollback": "Hoàn tác lần nhập số {batch_id} (tệp «{file}») {via}.",
    "au_changed": "{field} → {value}",
    "au_hidden": "đã đổi",
    "au_yes": "có", "au_no": "không",
    "au_other": "{key}: {value}",
    "au_count": "{n} {what}",
    "au_scope_all": "toàn bộ",
    "upload_button": "Chọn tệp",
    "login_product": "Theo dõi cải cách hành chính",
    "mt_file_stem": "Bản tin CCHC – {scope} – {period}",
    "mt_file_handout": "Tài liệu phát tay",
    "fig_share_of_assignments": "% số phân công",
    "fig_axis_from": " (trục bắt đầu từ {low})",
    "login_intro": "Kế hoạch, tiến độ, chỉ tiêu và Chỉ số CCHC của các sở, ngành, huyện và xã.",
    "upload_limit_note": "Tối đa {limit} MB mỗi tệp • {types}",
})
AUDIT_COUNTS = {"tasks": "nhiệm vụ", "outputs": "sản phẩm", "assignments": "phân công", "due_dates": "mốc hạn",
                "indicators": "chỉ tiêu", "targets": "mục tiêu", "progress_reports": "báo cáo tiến độ",
                "indicator_values": "số liệu chỉ tiêu", "par_scores": "điểm Chỉ số CCHC"}
# The columns of the overdue list, in the deck (analytics.meeting), on the projector and in the brief: Sản phẩm, Cơ
# quan chủ trì, Hạn, Quý quá hạn (the quarter in which the output became overdue).
OVERDUE_COLUMNS = ("Sản phẩm", "Cơ quan chủ trì", "Hạn", "Quý quá hạn")

# --- pinned data versions ("as presented", store/pins.py) ---------------------------------------------------------------
AUDIT_ACTIONS.update(_index([Entry("pin", "Chốt số liệu đã trình bày", order=9),
                             Entry("unpin", "Bỏ chốt số liệu", order=10)]))
UI.update({
    "au_pin": "Chốt số liệu «{name}» (lần chốt số {pin_id}, ngày trình bày {date}).",
    "au_unpin": "Bỏ chốt số liệu «{name}» (lần chốt số {pin_id}).",
    "pin_banner": "Số liệu đã chốt «{name}», trình bày ngày {date}: các con số giữ nguyên như lúc trình bày, "
                  "không đổi theo những lần nhập sau.",
    "pin_gone": "Lần chốt số liệu số {pin_id} không còn được giữ; đang hiển thị số liệu hiện tại.",
    "pin_live": "Xem số liệu hiện tại",
    "pin_title": "Chốt số liệu đã trình bày",
    "pin_help": "Giữ nguyên các con số của cuộc họp này dưới một tên và một ngày: đường dẫn kèm theo luôn mở đúng các "
                "con số đó, ở bản trình chiếu và ở mọi trang, kể cả sau những lần nhập hay hoàn tác sau này.",
    "pin_name": "Tên cuộc họp",
    "pin_name_placeholder": "Ví dụ: Giao ban CCHC Quý III/2026",
    "pin_date": "Ngày trình bày",
    "pin_make": "Chốt số liệu",
    "pin_made": "Đã chốt số liệu «{name}» (lần chốt số {pin_id}). Đường dẫn tới số liệu đã chốt:",
    "pin_open": "Mở số liệu đã chốt",
    "pin_list": "Các lần chốt số liệu đang giữ",
    "pin_col_name": "Cuộc họp", "pin_col_date": "Ngày trình bày", "pin_col_by": "Người chốt",
    "pin_col_at": "Lúc chốt", "pin_col_size": "Dung lượng (MB)",
    "pin_unpin": "Bỏ chốt lần số {pin_id}",
    "pin_unpinned": "Đã bỏ chốt lần số {pin_id}.",
    "pin_none": "Chưa có lần chốt số liệu nào.",
})
