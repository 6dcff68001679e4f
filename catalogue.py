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
    "agency_fuzzy": "Đã hiểu «{name}» là «{canonical}» (độ giống {score:.0f}%).",
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
    "percent_status_mismatch": "Tỷ lệ {percent}% không khớp với trạng thái «{status}».",
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
}
