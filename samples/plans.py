"""Write the seed appendices as workbooks laid out the way officials type them.

A title block, a one-row (seed 003) or two-row (seed 004) header, the column-number row, task
numbers and texts merged down over their outputs, the header repeated at every printed page,
and the signature block under the table.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from samples.xlsx import finish

SEED_TABLES = Path(__file__).resolve().parent.parent / "data" / "seed_tables"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class PlanLayout:
    """How one appendix is typed."""

    source: str
    title: tuple[str, ...]
    two_row_header: bool
    signature: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()  # the appendix rows when not read from `source` (samples.annual)


PLAN_2023 = PlanLayout(
    "plan_2023_158.tsv",
    ("ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "Phụ lục",
     "NHIỆM VỤ CỤ THỂ THEO TỪNG LĨNH VỰC CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH NĂM 2023",
     "(Kèm theo Kế hoạch số: 158/KH-UBND ngày 30 tháng 12 năm 2022 của UBND tỉnh Nam Định)"),
    False,
    ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Đình Nghị"),
)
PLAN_CITY = PlanLayout(
    "plan_356_2021_2025.tsv",
    ("PHỤ LỤC", "DANH MỤC CÁC NHIỆM VỤ NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
     "THÀNH PHỐ NAM ĐỊNH GIAI ĐOẠN 2021 - 2025",
     "(Ban hành kèm theo Kế hoạch số /KH-UBND ngày / /2021 của UBND thành phố)"),
    True,
    ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Duy Hưng"),
)


def seed_rows(layout: PlanLayout) -> list[list[str]]:
    """The appendix rows transcribed from the seed (comment and header excluded; ["#PAGE"] = page break)."""
    if layout.rows:
        return [list(r) for r in layout.rows]
    with open(SEED_TABLES / layout.source, encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r and not r[0].startswith("# ")]
    return rows[1:]


def _header(ws, r: int, layout: PlanLayout) -> int:  # noqa: ANN001
    bold = Font(bold=True)
    if layout.two_row_header:
        top = ["TT", "Nhiệm vụ", "Sản phẩm", "Cơ quan thực hiện", None, "Thời gian"]
        sub = [None, None, None, "Chủ trì", "Phối hợp", None]
        for c, v in enumerate(top, 1):
            ws.cell(r, c, v)
        for c, v in enumerate(sub, 1):
            if v:
                ws.cell(r + 1, c, v)
        for c in (1, 2, 3, 6):
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=5)
        rows = (r, r + 1)
    else:
        for c, v in enumerate(["STT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp",
                               "Thời gian thực hiện"], 1):
            ws.cell(r, c, v)
        rows = (r,)
    for rr in rows:
        for c in range(1, 7):
            ws.cell(rr, c).font = bold
            ws.cell(rr, c).border = BOX
            ws.cell(rr, c).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return rows[-1] + 1


def write_plan(layout: PlanLayout, path: Path) -> Path:
    """Write one appendix workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    for i, line in enumerate(layout.title, 1):
        ws.cell(i, 1, line).font = Font(bold=i <= 3, italic=line.startswith("("))
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=6)
        ws.cell(i, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    r = _header(ws, len(layout.title) + 2, layout)
    # the column-number row "(1) (2) ..." under the first header only
    for c in range(1, 7):
        ws.cell(r, c, f"({c})").alignment = Alignment(horizontal="center")
    r += 1
    body = seed_rows(layout)
    task_start: int | None = None

    def close_task(end: int) -> None:
        if task_start is not None and end > task_start:
            for c in (1, 2):
                ws.merge_cells(start_row=task_start, start_column=c, end_row=end, end_column=c)

    for cells in body:
        if cells == ["#PAGE"]:  # where the seed's printed page broke: the header repeats
            close_task(r - 1)
            task_start = None
            r = _header(ws, r, layout)
            continue
        no, task, output, lead, partner, deadline = (cells + [""] * 6)[:6]
        is_area = bool(no) and no.strip().isalpha() and not lead
        is_task_start = bool(no) and not is_area
        if is_area:
            close_task(r - 1)
            task_start = None
            ws.cell(r, 1, no).font = Font(bold=True)
            ws.cell(r, 2, task or output).font = Font(bold=True)
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
        else:
            if is_task_start:
                close_task(r - 1)
                task_start = r
                ws.cell(r, 1, int(no) if no.isdigit() else no)
                ws.cell(r, 2, task)
            elif task_start is None:
                ws.cell(r, 2, task)
            for c, v in ((3, output), (4, lead), (5, partner), (6, deadline)):
                if v:
                    ws.cell(r, c, v)
        for c in range(1, 7):
            ws.cell(r, c).border = BOX
            ws.cell(r, c).alignment = Alignment(vertical="top", wrap_text=True)
        r += 1
    close_task(r - 1)
    r += 1
    for line in layout.signature:
        ws.cell(r, 5, line).font = Font(bold=True)
        r += 1
    for col, width in zip("ABCDEF", (6, 40, 50, 24, 28, 16)):
        ws.column_dimensions[col].width = width
    return finish(wb, path)
