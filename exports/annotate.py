"""The errors copy of an uploaded workbook: the file as it was, plus a last column «Lỗi / cảnh báo»
on each sheet with the messages of that row (red fill for errors, yellow for warnings only, the
offending cell filled too) and a sheet «Tóm tắt lỗi» listing every problem, file-level ones included.

Everything written is text from our messages or from the user's own file, so it goes through
exports.excel.write_text: formula-like text gets Excel's quote prefix and is never evaluated.
"""
from __future__ import annotations

import io
import logging
from collections import defaultdict

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from exports.excel import write_text
from loaders import headers, sandbox
from loaders.workbook import WorkbookError, read_workbook
from model import Problem

log = logging.getLogger(__name__)

COLUMN_TITLE = "Lỗi / cảnh báo"
SUMMARY_SHEET = "Tóm tắt lỗi"
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}
WRAP = Alignment(wrap_text=True, vertical="top")


def _header_rows(data: bytes) -> dict[str, int]:
    """Sheet name → 1-based header row of its detected table (where the new column's title goes)."""
    try:
        wb = read_workbook(data)
    except WorkbookError:
        return {}
    out = {}
    for grid in wb.sheets:
        table = headers.detect(grid)
        if table is not None:
            out[grid.name] = table.header_row + 1
    return out


def _fill(problems: list[Problem]) -> PatternFill:
    return ERROR_FILL if any(p.severity == "error" for p in problems) else WARNING_FILL


def _line(p: Problem) -> str:
    where = f"[{SEVERITY.get(p.severity, p.severity)}" + (f", cột {p.column}" if p.column else "") + "] "
    return where + p.message


def errors_copy(data: bytes, problems: list[Problem]) -> bytes:
    """The uploaded workbook with each row's problems in a new last column and a summary sheet."""
    wb = load_workbook(io.BytesIO(data), rich_text=True)
    if SUMMARY_SHEET in wb.sheetnames:
        del wb[SUMMARY_SHEET]
    header_rows = _header_rows(data)
    by_sheet: dict[str, dict[int, list[Problem]]] = defaultdict(lambda: defaultdict(list))
    for p in problems:
        if p.row is not None and p.sheet in wb.sheetnames:
            by_sheet[p.sheet][int(p.row)].append(p)
    for ws in wb.worksheets:
        rows = by_sheet.get(ws.title)
        if not rows:
            continue
        col = ws.max_column + 1
        head = ws.cell(header_rows.get(ws.title, 1), col)
        write_text(head, COLUMN_TITLE)
        head.font = Font(bold=True, color="9C0006")
        ws.column_dimensions[get_column_letter(col)].width = 60
        for r, ps in sorted(rows.items()):
            cell = ws.cell(r, col)
            write_text(cell, "\n".join(_line(p) for p in ps))
            cell.fill = _fill(ps)
            cell.alignment = WRAP
            for p in ps:  # mark the offending cell too
                if p.column and p.column.isalpha():
                    try:
                        ws.cell(r, column_index_from_string(p.column)).fill = _fill([x for x in ps if x.column == p.column])
                    except ValueError:
                        pass
    _summary(wb, problems)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def isolated_errors_copy(data: bytes, problems: list[Problem]) -> bytes | None:
    """errors_copy of an upload (openpyxl reads the whole file) in a child process of loaders.sandbox with the
    parse's limits; None when it cannot be made (the refusal is logged, the page offers no download)."""
    try:
        if not sandbox.isolated():
            return errors_copy(data, problems)
        return sandbox.run_isolated("errors_copy", data, problems)  # type: ignore[return-value]
    except sandbox.SandboxFailure as exc:
        log.warning("errors copy refused: %s", exc.kind)
    except Exception:  # noqa: BLE001 - in-process mode: a damaged file costs the download, not the page
        log.exception("errors copy failed")
    return None


def _summary(wb, problems: list[Problem]) -> None:  # noqa: ANN001
    ws = wb.create_sheet(SUMMARY_SHEET, 0)
    header = ("Trang tính", "Dòng", "Cột", "Mức độ", "Nội dung")
    for c, text in enumerate(header, 1):
        cell = ws.cell(1, c)
        write_text(cell, text)
        cell.font = Font(bold=True)
    order = sorted(problems, key=lambda p: (p.severity != "error", p.sheet, p.row or 0, p.column or ""))
    for r, p in enumerate(order, 2):
        write_text(ws.cell(r, 1), p.sheet)
        if p.row is not None:
            ws.cell(r, 2, int(p.row))
        if p.column:
            write_text(ws.cell(r, 3), p.column)
        write_text(ws.cell(r, 4), SEVERITY.get(p.severity, p.severity))
        ws.cell(r, 4).fill = ERROR_FILL if p.severity == "error" else WARNING_FILL
        write_text(ws.cell(r, 5), p.message)
        ws.cell(r, 5).alignment = WRAP
    for letter, width in zip("ABCDE", (22, 8, 8, 12, 100)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.active = 0
