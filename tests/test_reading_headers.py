"""Headers by evidence (issue 10): every header phrase a table row, the assignment as a whole, ambiguity."""
from __future__ import annotations

import pytest

from loaders.headers import assign, column_evidence, detect, role_of, solve
from loaders.text import fold
from loaders.workbook import Grid

# (sheet kind, header as officials type it, the field it names)
HEADERS = [
    ("plan_tasks", "Kết quả/sản phẩm", "output"),
    ("plan_tasks", "KẾT QUẢ / SẢN PHẨM", "output"),
    ("plan_tasks", "Ket qua/san pham", "output"),
    ("plan_tasks", "Sản phẩm dự kiến", "output"),
    ("plan_tasks", "Kết quả dự kiến", "output"),
    ("plan_tasks", "Hình thức văn bản", "output"),
    ("plan_tasks", "Sản phẩm đầu ra", "output"),
    ("plan_tasks", "Nhiệm vụ, giải pháp", "task"),
    ("plan_tasks", "NỘI DUNG CÔNG VIỆC", "task"),
    ("plan_tasks", "Nội dung thực hiện", "task"),
    ("plan_tasks", "Các nhiệm vụ", "task"),
    ("plan_tasks", "Cơ quan chủ trì thực hiện", "lead"),
    ("plan_tasks", "Đơn vị chủ trì", "lead"),
    ("plan_tasks", "Cơ quan thực hiện Chủ trì", "lead"),
    ("plan_tasks", "Trách nhiệm chủ trì", "lead"),
    ("plan_tasks", "Cơ quan, đơn vị phối hợp", "partner"),
    ("plan_tasks", "Cơ quan thực hiện Phối hợp", "partner"),
    ("plan_tasks", "Phối hợp thực hiện", "partner"),
    ("plan_tasks", "Thời gian hoàn thành (dự kiến)", "deadline"),
    ("plan_tasks", "Tiến độ thực hiện", "deadline"),
    ("plan_tasks", "Thời điểm hoàn thành", "deadline"),
    ("plan_tasks", "Mốc thời gian", "deadline"),
    ("plan_tasks", "THỜI HẠN", "deadline"),
    ("plan_tasks", "Số TT", "no"),
    ("plan_tasks", "STT", "no"),
    ("plan_tasks", "Ghi chú", "note"),
    ("progress", "Tình hình thực hiện", "status"),
    ("progress", "Trạng thái thực hiện", "status"),
    ("progress", "Kết quả thực hiện", "status"),
    ("progress", "Tài liệu minh chứng", "evidence"),
    ("progress", "Số, ký hiệu văn bản", "evidence"),
    ("progress", "Tỷ lệ hoàn thành (%)", "percent"),
    ("progress", "Kỳ báo cáo", "period"),
    ("progress", "Đơn vị báo cáo", "agency"),
    ("progress", "Mã sản phẩm", "ref"),
    ("indicator_values", "Mã ĐVHC", "unit_code"),
    ("indicator_values", "Mã chỉ tiêu", "code"),
    ("indicator_values", "Mã đơn vị", "unit_code"),
    ("indicator_catalogue", "Mã chỉ tiêu", "code"),
    ("par_scores", "Mã đơn vị", "code"),
    ("indicator_values", "Tử số", "numerator"),
    ("indicator_values", "Mẫu số", "denominator"),
    ("indicator_values", "Giá trị", "value"),
    ("par_scores", "Tổng điểm", "total"),
    ("par_scores", "Xếp hạng", "rank"),
]


@pytest.mark.parametrize("kind, header, field", HEADERS)
def test_header_phrase(kind: str, header: str, field: str) -> None:
    assert role_of(kind, fold(header)) == field


@pytest.mark.parametrize("kind, header", [
    ("plan_tasks", "Người ký"), ("plan_tasks", "Năm"), ("progress", "Người báo cáo"), ("plan_tasks", "Dự toán kinh phí"),
])
def test_header_names_no_field(kind: str, header: str) -> None:
    assert role_of(kind, fold(header)) is None


@pytest.mark.parametrize("scores, expected", [
    ([[1.0, 0.0], [0.9, 0.8]], [0, 1]),  # greedy would give row 1 nothing
    ([[0.9, 0.85], [0.88, 0.0]], [1, 0]),  # the whole beats the first pick
    ([[0.0, 0.0], [0.0, 0.7]], [-1, 1]),
    ([[0.5], [0.6], [0.4]], [-1, 0, -1]),  # one field, three candidates
    ([[0.3, 0.2, 0.9]], [2]),
])
def test_assignment_maximises_the_total(scores: list[list[float]], expected: list[int]) -> None:
    assert assign(scores) == expected


def test_two_columns_never_claim_one_field() -> None:
    texts = {0: "Nội dung", 1: "Nội dung công việc", 2: "Chủ trì", 3: "Thời gian"}
    columns, choices, _lost = solve("plan_tasks", texts)
    assert sorted(columns.values()) == sorted(set(columns.values()))
    assert columns["task"] == 1  # the exact synonym wins; "Nội dung" is left over
    assert choices["task"].clear is False and choices["task"].others == ("A",)


def _grid(rows: list[list[object]]) -> Grid:
    width = max(len(r) for r in rows)
    return Grid("S", [list(r) + [None] * (width - len(r)) for r in rows])


def test_values_decide_between_two_status_headers() -> None:
    # "Kết quả thực hiện" and "Tình trạng" both name the status; the header alone prefers D, the values E
    rows = [["Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Kết quả thực hiện", "Tình trạng"],
            ["Kế hoạch CCHC", "Sở Tư pháp", "Quý I/2024", "Đã ban hành Kế hoạch số 12/KH-STP", "Hoàn thành"],
            ["Báo cáo quý", "Sở Tư pháp", "Quý I/2024", "Đang soạn thảo dự thảo", "Đang thực hiện"],
            ["Tập huấn", "Sở Tư pháp", "Quý I/2024", "Chưa tổ chức", "Chưa thực hiện"]]
    table = detect(_grid(rows))
    assert table is not None and table.kind == "progress"
    assert table.columns["status"] == 4
    assert table.mapping["status"].column == "E"


def test_an_unclear_choice_is_said_so() -> None:
    rows = [["STT", "Nhiệm vụ", "Chủ trì", "Thời gian", "Thời gian"],
            [1, "Rà soát", "Sở Tư pháp", "Năm 2023", "Năm 2024"],
            [2, "Số hóa", "Sở Nội vụ", "Quý I", "Quý II"]]
    table = detect(_grid(rows))
    assert table is not None
    assert table.mapping["deadline"].clear is False
    assert "E" in table.mapping["deadline"].others or table.mapping["deadline"].column == "E"
    assert table.mapping["task"].clear is True


def test_forced_mapping_wins() -> None:
    rows = [["STT", "Nhiệm vụ", "Chủ trì", "Thời gian", "Thời gian"],
            [1, "Rà soát", "Sở Tư pháp", "Năm 2023", "Năm 2024"]]
    table = detect(_grid(rows), forced={"deadline": 4})
    assert table.columns["deadline"] == 4 and table.mapping["deadline"].clear is True


def test_evidence_counts_kinds_of_values() -> None:
    grid = _grid([["h1", "h2", "h3"], ["Sở Tư pháp", "Quý I/2024", 45.5], ["UBND huyện Giao Thủy", "Hoàn thành", 12],
                  [None, "Đang thực hiện", "1.234"]])
    ev = column_evidence(grid, 1, [0, 1, 2])
    assert ev[0]["agency"] == 1.0 and ev[0]["n"] == 2
    assert ev[1]["status"] == pytest.approx(2 / 3) and ev[1]["period"] == pytest.approx(1 / 3)
    assert ev[2]["number"] == 1.0


@pytest.mark.parametrize("rows, expected", [
    # one data row: no value evidence to lean on, the headers alone must decide, and they are plain
    ([["Mã chỉ tiêu", "Mã ĐVHC", "Năm", "Quý", "Giá trị"], ["TTHC_ONLINE_DOSSIER_RATE", "37", 2026, 3, 55.5]],
     {"code": 0, "unit_code": 1, "year": 2, "quarter": 3, "value": 4}),
    ([["Mã chỉ tiêu", "Đơn vị hành chính", "Năm", "Quý", "Tử số", "Mẫu số"],
      ["TTHC_ONLINE_DOSSIER_RATE", "Tỉnh Ninh Bình", 2026, 3, 5, 10]],
     {"code": 0, "unit": 1, "year": 2, "quarter": 3, "numerator": 4, "denominator": 5}),
    ([["Mã chỉ tiêu", "Tên chỉ tiêu", "Mã đơn vị", "Tên đơn vị", "Năm", "Giá trị"],
      ["TTHC_ONLINE_DOSSIER_RATE", "Tỷ lệ hồ sơ trực tuyến", "37", "Tỉnh Ninh Bình", 2026, 55]],
     {"code": 0, "indicator": 1, "unit_code": 2, "unit": 3, "year": 4, "value": 5}),
])
def test_a_code_header_is_clearly_the_code(rows: list, expected: dict) -> None:
    table = detect(_grid([["SỐ LIỆU CHỈ TIÊU QUÝ III NĂM 2026"], *rows]))
    assert table is not None and table.kind == "indicator_values"
    assert table.columns == expected
    assert table.unclear == []
