"""Workbooks laid out as officials of other districts and departments lay them out (issue 10), built in code.

A sheet is a list of rows; a cell is a value or `Cell(value, bold=…, fmt=…)`; a row may be `Merged(value)`
(one text merged across the whole table width) or `Bold([...])`. Each layout in tests/test_reading_layouts.py
gives its rows and, written by hand before the code ran, the rows it must read as."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font


@dataclass
class Cell:
    value: object
    bold: bool = False
    fmt: str | None = None


@dataclass
class Merged:
    """One text merged over the table's width (a banner: heading, note)."""

    value: object
    bold: bool = False


@dataclass
class Bold:
    """A row in a bold font."""

    cells: list


@dataclass
class SheetSpec:
    name: str
    rows: list
    width: int | None = None
    merges: list[str] = field(default_factory=list)  # extra merged ranges ("A5:A7")


def build(*sheets: SheetSpec) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        width = spec.width or max((len(r.cells if isinstance(r, Bold) else r) for r in spec.rows
                                  if isinstance(r, (list, Bold))), default=1)
        for i, row in enumerate(spec.rows, start=1):
            if isinstance(row, Merged):
                c = ws.cell(i, 1, row.value)
                if row.bold:
                    c.font = bold
                if width > 1:
                    ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
                continue
            is_bold = isinstance(row, Bold)
            cells = row.cells if is_bold else row
            for j, v in enumerate(cells, start=1):
                if isinstance(v, Cell):
                    c = ws.cell(i, j, v.value)
                    if v.bold or is_bold:
                        c.font = bold
                    if v.fmt:
                        c.number_format = v.fmt
                elif v is not None:
                    c = ws.cell(i, j, v)
                    if is_bold:
                        c.font = bold
        for rng in spec.merges:
            ws.merge_cells(rng)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


PROVINCE_TITLE = ["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH NAM ĐỊNH NĂM 2024"]
DISTRICT_TITLE = ["ỦY BAN NHÂN DÂN HUYỆN GIAO THỦY", "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH HUYỆN GIAO THỦY NĂM 2024"]
CITY_TITLE = ["ỦY BAN NHÂN DÂN THÀNH PHỐ NAM ĐỊNH", "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH THÀNH PHỐ NAM ĐỊNH NĂM 2024"]


def titled(title: list[str], header: list, rows: list) -> list:
    return [[t] for t in title] + [[]] + [header] + rows
