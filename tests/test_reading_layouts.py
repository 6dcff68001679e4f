"""Issue 10: workbooks laid out as officials elsewhere lay them out, each with the rows it must read as (written by
hand before the code ran). Plan sheets give (area code, task no, output, leads, deadline kind); progress sheets
(row, output, agency, period, status, percent); values sheets (row, indicator, unit, year, quarter, value)."""
from __future__ import annotations

import pytest

from loaders.parse import parse_workbook
from tests.reading_books import (CITY_TITLE, DISTRICT_TITLE, PROVINCE_TITLE, Bold, Cell, Merged, SheetSpec, build,
                                 titled)

H6 = ["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]
CLOSING = [[], ["Nơi nhận:", None, None, None, "KT. CHỦ TỊCH"], ["- Như trên;", None, None, None, "PHÓ CHỦ TỊCH"],
           ["- Lưu: VT, NV.", None, None, None, "(Đã ký)"], [None, None, None, None, "Trần Anh Dũng"]]

TP, NV, VP = "Sở Tư pháp", "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh"
DEPTS = "Các sở, ban, ngành"


def plan_rows(data: bytes) -> list[tuple]:
    res = parse_workbook(data, "kh.xlsx")
    assert res.ok, [(p.sheet, p.row, p.column, p.message) for p in res.errors]
    return [(o.area_code, o.task_no, o.output, tuple(r.name for r in o.leads), o.deadline.kind) for o in res.outputs]


PLAN_LAYOUTS = {
    # 1. "Kết quả/sản phẩm" is the output column; ALL-CAPS headers in another order
    "ket_qua_san_pham": (
        titled(PROVINCE_TITLE, ["TT", "NỘI DUNG CÔNG VIỆC", "CƠ QUAN CHỦ TRÌ", "KẾT QUẢ/SẢN PHẨM", "THỜI GIAN HOÀN THÀNH"], [
            ["I", "CẢI CÁCH THỂ CHẾ"],
            [1, "Rà soát văn bản quy phạm pháp luật", TP, "Báo cáo kết quả rà soát", "Quý II năm 2024"],
            [2, "Kiểm tra công tác CCHC", NV, "Kế hoạch kiểm tra", "Năm 2024"],
        ]),
        [("institution", "1", "Báo cáo kết quả rà soát", (TP,), "once"),
         ("institution", "2", "Kế hoạch kiểm tra", (NV,), "once")]),
    # 2. areas "A.", "B." merged across the row
    "letter_areas_merged": (
        titled(PROVINCE_TITLE, H6, [
            Merged("A. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
            [1, "Ban hành kế hoạch CCHC", "Kế hoạch", VP, None, "Quý I năm 2024"],
            Merged("B. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
            [1, "Công bố TTHC", "Quyết định công bố", TP, DEPTS, "Thường xuyên"],
        ]),
        [("direction", "1", "Kế hoạch", (VP,), "once"),
         ("procedure", "1", "Quyết định công bố", (TP,), "continuous")]),
    # 3. areas with Arabic numerals merged across, tasks numbered 1.1
    "arabic_areas_merged": (
        titled(PROVINCE_TITLE, H6, [
            Merged("1. Cải cách tổ chức bộ máy"),
            ["1.1", "Sắp xếp tổ chức", "Đề án", NV, None, "Năm 2024"],
            Merged("2. Cải cách tài chính công"),
            ["2.1", "Giao quyền tự chủ", "Báo cáo", "Sở Tài chính", None, "Hàng năm"],
        ]),
        [("organisation", "1.1", "Đề án", (NV,), "once"),
         ("finance", "2.1", "Báo cáo", ("Sở Tài chính",), "recurring")]),
    # 4. "Phần I" headings in the STT cell, name in the next cell
    "phan_headings": (
        titled(PROVINCE_TITLE, H6, [
            ["Phần I", "Cải cách chế độ công vụ"],
            [1, "Tuyển dụng công chức", "Kế hoạch tuyển dụng", NV, None, "Quý III năm 2024"],
            ["PHẦN II", "Xây dựng chính quyền điện tử, chính quyền số"],
            [1, "Số hóa hồ sơ", "Kho dữ liệu", VP, "Sở Thông tin và Truyền thông", "Năm 2024"],
        ]),
        [("civil_service", "1", "Kế hoạch tuyển dụng", (NV,), "once"),
         ("egov", "1", "Kho dữ liệu", (VP,), "once")]),
    # 5. bold rows with a number, not merged, name the area
    "bold_numbered_areas": (
        titled(PROVINCE_TITLE, H6, [
            Bold([1, "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"]),
            ["1.1", "Tuyên truyền CCHC", "Kế hoạch tuyên truyền", NV, None, "Hàng quý"],
            Bold([2, "CẢI CÁCH THỂ CHẾ"]),
            ["2.1", "Theo dõi thi hành pháp luật", "Báo cáo", TP, None, "Tháng 12 năm 2024"],
        ]),
        [("direction", "1.1", "Kế hoạch tuyên truyền", (NV,), "recurring"),
         ("institution", "2.1", "Báo cáo", (TP,), "once")]),
    # 6. the closing block in the task column and a signer name: never tasks
    "closing_block": (
        titled(PROVINCE_TITLE, H6, [
            ["I", "Cải cách thủ tục hành chính"],
            [1, "Rà soát TTHC", "Báo cáo rà soát", TP, None, "Quý IV năm 2024"],
            [],
            [None, "Nơi nhận:", None, None, "TM. ỦY BAN NHÂN DÂN"],
            [None, "- Văn phòng Chính phủ;", None, None, "KT. CHỦ TỊCH"],
            [None, "- Lưu: VT, NV.", None, None, "PHÓ CHỦ TỊCH"],
            [None, None, None, None, "Nguyễn Văn Hùng"],
        ]),
        [("procedure", "1", "Báo cáo rà soát", (TP,), "once")]),
    # 7. a merged note under the table and a closing block in the first column
    "note_and_closing": (
        titled(PROVINCE_TITLE, H6, [
            ["I", "Hiện đại hóa nền hành chính"],
            [1, "Duy trì ISO", "Quyết định công bố", "Sở Khoa học và Công nghệ", None, "Năm 2024"],
            Merged("Ghi chú: Các cơ quan báo cáo kết quả trước ngày 15/12/2024."),
            *CLOSING,
        ]),
        [("egov", "1", "Quyết định công bố", ("Sở Khoa học và Công nghệ",), "once")]),
    # 8. two header rows ("Cơ quan thực hiện" over "Chủ trì | Phối hợp") without diacritics
    "two_rows_no_diacritics": (
        [[t] for t in PROVINCE_TITLE] + [[],
         ["STT", "Noi dung nhiem vu", "San pham", "Co quan thuc hien", None, "Thoi gian"],
         [None, None, None, "Chu tri", "Phoi hop", None],
         ["I", "Cai cach the che"],
         [1, "Xay dung nghi quyet", "Nghi quyet", TP, NV, "Quy II/2024"]],
        [("institution", "1", "Nghi quyet", (TP,), "once")]),
    # 9. two leads on separate lines of one cell
    "leads_on_lines": (
        titled(PROVINCE_TITLE, H6, [
            ["I", "Cải cách thủ tục hành chính"],
            [1, "Số hóa kết quả TTHC", "Báo cáo", "Văn phòng UBND tỉnh\nSở Tư pháp", None, "Năm 2024"],
        ]),
        [("procedure", "1", "Báo cáo", (VP, TP), "once")]),
    # 10. abbreviations made of initials
    "initials": (
        titled(PROVINCE_TITLE, H6, [
            ["I", "Cải cách tổ chức bộ máy"],
            [1, "Rà soát chức năng", "Báo cáo 1", "Sở NV", None, "Năm 2024"],
            [2, "Chuyển đổi số", "Báo cáo 2", "Sở TT&TT", None, "Năm 2024"],
            [3, "Đầu tư công", "Báo cáo 3", "Sở KH&ĐT", None, "Năm 2024"],
            [4, "Lao động", "Báo cáo 4", "Sở LĐ-TB&XH", None, "Năm 2024"],
            [5, "Nông thôn mới", "Báo cáo 5", "Sở NN&PTNT", None, "Năm 2024"],
            [6, "Một cửa", "Báo cáo 6", "VP UBND tỉnh", None, "Năm 2024"],
        ]),
        [("organisation", "1", "Báo cáo 1", (NV,), "once"),
         ("organisation", "2", "Báo cáo 2", ("Sở Thông tin và Truyền thông",), "once"),
         ("organisation", "3", "Báo cáo 3", ("Sở Kế hoạch và Đầu tư",), "once"),
         ("organisation", "4", "Báo cáo 4", ("Sở Lao động - Thương binh và Xã hội",), "once"),
         ("organisation", "5", "Báo cáo 5", ("Sở Nông nghiệp và Phát triển nông thôn",), "once"),
         ("organisation", "6", "Báo cáo 6", (VP,), "once")]),
    # 11. "Các sở, ngành" is one group, not split at the comma
    "departments_comma": (
        titled(PROVINCE_TITLE, H6, [
            ["I", "Cải cách chế độ công vụ"],
            [1, "Đánh giá công chức", "Báo cáo", "Các sở, ngành", None, "Tháng 6 và tháng 12 hằng năm"],
        ]),
        [("civil_service", "1", "Báo cáo", (DEPTS,), "recurring")]),
    # 12. periodic deadlines of other provinces
    "periodic_deadlines": (
        titled(PROVINCE_TITLE, H6, [
            ["I", "Công tác chỉ đạo, điều hành"],
            [1, "Báo cáo CCHC", "Báo cáo định kỳ", NV, None, "Định kỳ 6 tháng, năm"],
            [2, "Báo cáo quý", "Báo cáo quý", NV, None, "Trước ngày 10 của tháng cuối quý"],
            [3, "Triển khai đề án", "Đề án", NV, None, "Theo lộ trình"],
        ]),
        [("direction", "1", "Báo cáo định kỳ", (NV,), "recurring"),
         ("direction", "2", "Báo cáo quý", (NV,), "recurring"),
         ("direction", "3", "Đề án", (NV,), "unspecified")]),
    # 13. a district plan: "Công an huyện", "Các cơ quan chuyên môn thuộc UBND huyện", "các phòng, ban chuyên môn"
    "district_groups": (
        titled(DISTRICT_TITLE, H6, [
            ["I", "Cải cách thủ tục hành chính"],
            [1, "Cấp căn cước", "Báo cáo 1", "Công an huyện", None, "Năm 2024"],
            [2, "Rà soát TTHC", "Báo cáo 2", "Các cơ quan chuyên môn thuộc UBND huyện", None, "Năm 2024"],
            [3, "Niêm yết TTHC", "Báo cáo 3", "Phòng Nội vụ", "các phòng, ban chuyên môn", "Năm 2024"],
        ]),
        [("procedure", "1", "Báo cáo 1", ("Công an huyện Giao Thủy",), "once"),
         ("procedure", "2", "Báo cáo 2", ("Các phòng chuyên môn",), "once"),
         ("procedure", "3", "Báo cáo 3", ("Phòng Nội vụ huyện Giao Thủy",), "once")]),
    # 14. a city plan: "UBND TP" is the city's people's committee
    "city_ubnd_tp": (
        titled(CITY_TITLE, H6, [
            ["I", "Cải cách thể chế"],
            [1, "Ban hành văn bản", "Quyết định", "UBND TP", None, "Quý II năm 2024"],
        ]),
        [("institution", "1", "Quyết định", ("UBND thành phố Nam Định",), "once")]),
    # 15. Roman areas with "Trong năm 2024", "Tháng 6 và tháng 12 hằng năm"; header "Thời hạn"; STT "Số TT"
    "roman_in_year": (
        titled(PROVINCE_TITLE, ["Số TT", "Nhiệm vụ cụ thể", "Sản phẩm dự kiến", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"], [
            ["II.", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
            [1, "Đơn giản hóa TTHC", "Phương án đơn giản hóa", TP, None, "Trong năm 2024"],
            [2, "Công khai TTHC", "Cổng dịch vụ công", VP, None, "Tháng 6 và tháng 12 hằng năm"],
        ]),
        [("procedure", "1", "Phương án đơn giản hóa", (TP,), "once"),
         ("procedure", "2", "Cổng dịch vụ công", (VP,), "recurring")]),
    # 26. notes "(*)" and "Lưu ý:" between and under the tasks, bold merged Roman headings
    "notes_between": (
        titled(PROVINCE_TITLE, H6, [
            Merged("I. CẢI CÁCH THỂ CHẾ", bold=True),
            [1, "Rà soát văn bản", "Báo cáo", TP, None, "Quý I năm 2024"],
            ["(*) Sản phẩm gửi về Sở Tư pháp"],
            Merged("II. CẢI CÁCH TỔ CHỨC BỘ MÁY", bold=True),
            [1, "Sắp xếp đơn vị sự nghiệp", "Đề án", NV, None, "Quý II năm 2024"],
            ["Lưu ý: Các cơ quan chủ động bố trí kinh phí."],
        ]),
        [("institution", "1", "Báo cáo", (TP,), "once"), ("organisation", "1", "Đề án", (NV,), "once")]),
    # 27. the signer's name alone under the table (no titles above it)
    "signer_only": (
        titled(PROVINCE_TITLE, H6, [
            ["I", "Cải cách tài chính công"],
            [1, "Công khai ngân sách", "Báo cáo công khai", "Sở Tài chính", None, "Trong năm"],
            [],
            Merged("Phạm Đình Nghị"),
        ]),
        [("finance", "1", "Báo cáo công khai", ("Sở Tài chính",), "once")]),
    # 28. "Trách nhiệm thực hiện" over "Chủ trì | Phối hợp", "Kết quả" as the output column
    "responsibility_two_rows": (
        [[t] for t in PROVINCE_TITLE] + [[],
         ["TT", "Nội dung", "Kết quả", "Trách nhiệm thực hiện", None, "Thời gian hoàn thành"],
         [None, None, None, "Chủ trì", "Phối hợp", None],
         ["I", "Hiện đại hóa hành chính"],
         [1, "Chữ ký số", "Hệ thống chữ ký số", "Sở TT&TT", "Các sở, ngành", "Quý III/2024"]],
        [("egov", "1", "Hệ thống chữ ký số", ("Sở Thông tin và Truyền thông",), "once")]),
    # 29. a district plan: "UBND huyện", "Các cơ quan chuyên môn", "Trong năm", a closing block
    "district_plan": (
        titled(DISTRICT_TITLE, H6, [
            ["A.", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"],
            [1, "Kiểm tra CCHC", "Kế hoạch kiểm tra", "Phòng NV", "Các cơ quan chuyên môn", "Trong năm"],
            [2, "Đối thoại", "Hội nghị", "UBND huyện", None, "Định kỳ 6 tháng, năm"],
            *CLOSING,
        ]),
        [("direction", "1", "Kế hoạch kiểm tra", ("Phòng Nội vụ huyện Giao Thủy",), "once"),
         ("direction", "2", "Hội nghị", ("UBND huyện Giao Thủy",), "recurring")]),
}


@pytest.mark.parametrize("name", list(PLAN_LAYOUTS))
def test_plan_layout(name: str) -> None:
    rows, expected = PLAN_LAYOUTS[name]
    assert plan_rows(build(SheetSpec("Phụ lục", rows, width=len(H6)))) == expected


def test_output_column_is_reported_in_the_mapping() -> None:
    rows, _ = PLAN_LAYOUTS["ket_qua_san_pham"]
    res = parse_workbook(build(SheetSpec("Phụ lục", rows)), "kh.xlsx")
    assert res.columns == {"Phụ lục": {"no": "A", "task": "B", "lead": "C", "output": "D", "deadline": "E"}}
    assert all(v["clear"] for v in res.layouts["Phụ lục"].values())


# --- progress reports ---------------------------------------------------------------------------------
PH = ["Mã sản phẩm", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái", "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh"]
PTITLE = [["SỞ TƯ PHÁP TỈNH NAM ĐỊNH"], ["BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CCHC QUÝ III NĂM 2024"], []]


def progress_rows(data: bytes) -> list[tuple]:
    res = parse_workbook(data, "td.xlsx")
    assert res.ok, [(p.sheet, p.row, p.column, p.message) for p in res.errors]
    df = res.frames["progress"]
    return [(int(r.row), r.output, r.agency, f"{r.year}-Q{r.quarter}", r.status,
             None if r.percent != r.percent or r.percent is None else round(float(r.percent), 2))
            for r in df.itertuples()]


PROGRESS_LAYOUTS = {
    # 16. Roman-numeral area rows between the data rows are skipped, not "unknown status"
    "roman_areas": (
        PTITLE + [PH,
                  ["I", "Cải cách thể chế"],
                  ["KH-1.1", "Báo cáo rà soát", TP, "Quý III/2024", "Hoàn thành", 100, "BC 12/BC-STP"],
                  ["II", "Cải cách TTHC"],
                  ["KH-2.1", "Công bố TTHC", TP, "Quý III/2024", "Đang thực hiện", 50, None]],
        [(6, "Báo cáo rà soát", TP, "2024-Q3", "done", 100.0), (8, "Công bố TTHC", TP, "2024-Q3", "in_progress", 50.0)]),
    # 17. "A." and merged headings, a percent format (0,455 shown as 45,5 %) and a closing block
    "letters_percent_closing": (
        PTITLE + [PH,
                  Merged("A. KHỐI CÁC SỞ, NGÀNH"),
                  ["KH-1", "Kế hoạch tuyên truyền", NV, "Quý III/2024", "Đang thực hiện", Cell(0.455, fmt="0.0%"), None],
                  ["B.", "KHỐI HUYỆN"],
                  ["KH-2", "Báo cáo quý", NV, "Quý III/2024", "Chưa thực hiện", Cell(0, fmt="0%"), None],
                  [],
                  ["Người lập biểu", None, None, None, "Thủ trưởng đơn vị"],
                  [None, None, None, None, "(Ký, ghi rõ họ tên)"]],
        [(6, "Kế hoạch tuyên truyền", NV, "2024-Q3", "in_progress", 45.5), (8, "Báo cáo quý", NV, "2024-Q3", "not_started", 0.0)]),
    # 18. bold unnumbered group rows, headers in other words, the period from the title
    "bold_groups_title_period": (
        PTITLE + [["Mã nhiệm vụ", "Nội dung", "Đơn vị báo cáo", "Tình hình thực hiện", "Tài liệu minh chứng"],
                  Bold(["Khối cơ quan chuyên môn"]),
                  ["NV-3", "Tập huấn", VP, "Hoàn thành", "QĐ 1955/QĐ-UBND"],
                  Merged("Ghi chú: số liệu tính đến ngày 15/9/2024"),
                  ["Nơi nhận:"], ["- Lưu: VT."]],
        [(6, "Tập huấn", VP, "2024-Q3", "done", None)]),
    # 19. a percent typed as text the Vietnamese way, and a plain number in a General cell
    "text_percent": (
        PTITLE + [PH,
                  ["KH-1", "Số hóa", TP, "Quý III/2024", "Đang thực hiện", "85,5%", None],
                  ["KH-2", "Đào tạo", TP, "Quý III/2024", "Đang thực hiện", 60, None]],
        [(5, "Số hóa", TP, "2024-Q3", "in_progress", 85.5), (6, "Đào tạo", TP, "2024-Q3", "in_progress", 60.0)]),
    # 20. "Phần I" headings, "Kết quả thực hiện" as the status column
    "phan_status_words": (
        PTITLE + [["STT", "Sản phẩm", "Cơ quan thực hiện", "Kỳ báo cáo", "Kết quả thực hiện"],
                  ["Phần I", "Nhiệm vụ chung"],
                  [1, "Báo cáo", NV, "Quý III/2024", "Hoàn thành quá hạn"],
                  ["Phần II", "Nhiệm vụ riêng"],
                  [1, "Kiểm tra", NV, "2024-Q3", "Đã hoàn thành"]],
        [(6, "Báo cáo", NV, "2024-Q3", "done_late", None), (8, "Kiểm tra", NV, "2024-Q3", "done", None)]),
    # 30. a 0% format holding 1 is 100 %; a bold Roman heading; the closing titles in the first column
    "percent_one_closing": (
        PTITLE + [PH,
                  Bold(["I.", "CẢI CÁCH TTHC"]),
                  ["KH-1", "Công bố", TP, "Quý III/2024", "Hoàn thành", Cell(1, fmt="0%"), "QĐ 5/QĐ-STP"],
                  ["KT. GIÁM ĐỐC"], ["PHÓ GIÁM ĐỐC"], ["Lê Thị Mai"]],
        [(6, "Công bố", TP, "2024-Q3", "done", 100.0)]),
}


@pytest.mark.parametrize("name", list(PROGRESS_LAYOUTS))
def test_progress_layout(name: str) -> None:
    rows, expected = PROGRESS_LAYOUTS[name]
    assert progress_rows(build(SheetSpec("Tiến độ", rows, width=7))) == expected


# --- indicator values ---------------------------------------------------------------------------------
VH = ["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị"]
VTITLE = [["SỐ LIỆU CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH NĂM 2024 (ô «-» là không báo cáo)"], []]


def value_rows(data: bytes) -> tuple[list[tuple], list[str]]:
    res = parse_workbook(data, "sl.xlsx")
    assert res.ok, [(p.sheet, p.row, p.column, p.message) for p in res.errors]
    df = res.frames["indicator_values"]
    rows = [(int(r.row), r.indicator, r.unit_code, int(r.year), None if r.quarter != r.quarter else int(r.quarter),
             round(float(r.value), 3)) for r in df.itertuples()]
    return rows, [f"{p.row}{p.column}" for p in res.warnings if "không báo cáo" in p.message]


VALUE_LAYOUTS = {
    # 21. a percentage format decides: 0,455 formatted "0.0%" is 45,5; a General 45.5 stays 45,5
    "percent_format": (
        VTITLE + [VH,
                  ["TTHC-01", "Tỷ lệ hồ sơ trực tuyến", 356, "Thành phố Nam Định", 2024, 1, Cell(0.455, fmt="0.0%")],
                  ["TTHC-01", "Tỷ lệ hồ sơ trực tuyến", 365, "Huyện Giao Thủy", 2024, 1, 45.5],
                  ["TTHC-01", "Tỷ lệ hồ sơ trực tuyến", 359, "Huyện Vụ Bản", 2024, 1, Cell(1, fmt="0%")]],
        [(4, "TTHC-01", "356", 2024, 1, 45.5), (5, "TTHC-01", "365", 2024, 1, 45.5), (6, "TTHC-01", "359", 2024, 1, 100.0)],
        []),
    # 22. "-", "x", "—" are no report: no row, a warning
    "no_report_marks": (
        VTITLE + [VH,
                  ["TTHC-01", "Tỷ lệ", 356, "Thành phố Nam Định", 2024, 2, 60],
                  ["TTHC-01", "Tỷ lệ", 365, "Huyện Giao Thủy", 2024, 2, "-"],
                  ["TTHC-01", "Tỷ lệ", 359, "Huyện Vụ Bản", 2024, 2, "x"],
                  ["TTHC-01", "Tỷ lệ", 360, "Huyện Ý Yên", 2024, 2, "—"]],
        [(4, "TTHC-01", "356", 2024, 2, 60.0)], ["5G", "6G", "7G"]),
    # 23. a merged note under the table, Roman headings between indicator groups, a closing block
    "note_headings": (
        VTITLE + [VH,
                  Merged("I. CHỈ TIÊU VỀ THỦ TỤC HÀNH CHÍNH", bold=True),
                  ["TTHC-01", "Tỷ lệ", 356, "Thành phố Nam Định", 2024, 3, "72,5"],
                  ["II", "Chỉ tiêu về công vụ"],
                  ["CV-01", "Số công chức", 356, "Thành phố Nam Định", 2024, None, "1.234"],
                  Merged("Ghi chú: Số liệu quý III là số liệu ước."),
                  ["Người lập biểu", None, None, None, "Thủ trưởng đơn vị"]],
        [(5, "TTHC-01", "356", 2024, 3, 72.5), (7, "CV-01", "356", 2024, None, 1234.0)], []),
    # 24. wide layout with a percent format and a no-report mark
    "wide_percent": (
        VTITLE + [["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Quý I/2024", "Quý II/2024"],
                  ["TTHC-01", "Tỷ lệ", 356, "Thành phố Nam Định", Cell(0.5, fmt="0.00%"), "-"],
                  ["TTHC-01", "Tỷ lệ", 365, "Huyện Giao Thủy", 40, 42.5]],
        [(4, "TTHC-01", "356", 2024, 1, 50.0), (5, "TTHC-01", "365", 2024, 1, 40.0), (5, "TTHC-01", "365", 2024, 2, 42.5)],
        ["4F"]),
    # 25. headers without diacritics in ALL CAPS, in another order, the year typed as text
    "caps_other_order": (
        VTITLE + [["GIA TRI", "NAM", "QUY", "MA DVHC", "MA CHI TIEU"],
                  [12, "2024", "I", 356, "CV-01"],
                  ["8,5", 2024, "Quý II", 365, "CV-02"]],
        [(4, "CV-01", "356", 2024, 1, 12.0), (5, "CV-02", "365", 2024, 2, 8.5)], []),
    # 31. a value marked "x" with its numerator and denominator given: the rate comes from them, no warning
    "no_report_with_counts": (
        VTITLE + [VH + ["Tử số", "Mẫu số"],
                  ["TTHC-01", "Tỷ lệ", 356, "Thành phố Nam Định", 2024, 4, "x", 30, 40],
                  ["TTHC-01", "Tỷ lệ", 365, "Huyện Giao Thủy", 2024, 4, "-", None, None]],
        [(4, "TTHC-01", "356", 2024, 4, 75.0)], ["5G"]),
    # 32. wide layout with merged Roman group headings and a merged note
    "wide_headings_note": (
        VTITLE + [["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm 2023", "Năm 2024"],
                  Merged("I. NHÓM CHỈ TIÊU VỀ TTHC"),
                  ["TTHC-02", "Số TTHC", 356, "Thành phố Nam Định", "1.234", 1300],
                  Merged("Ghi chú: số liệu năm 2024 là số liệu ước"),
                  ],
        [(5, "TTHC-02", "356", 2023, None, 1234.0), (5, "TTHC-02", "356", 2024, None, 1300.0)], []),
}


@pytest.mark.parametrize("name", list(VALUE_LAYOUTS))
def test_values_layout(name: str) -> None:
    rows, expected, no_report = VALUE_LAYOUTS[name]
    got, warned = value_rows(build(SheetSpec("Số liệu", rows, width=len(rows[2]))))
    assert sorted(got) == sorted(expected)
    assert warned == no_report
