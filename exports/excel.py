"""Excel handouts: a titled, filtered, frozen and formula-safe table per sheet, written with openpyxl.

Layout of every sheet: row 1 the title, row 2 the filters, row 3 the export date, row 4 the
header (HEADER_ROW), then the data. Number formats are Excel codes ("#,##0.0"); Excel and
LibreOffice render them with the reader's locale, so a Vietnamese machine shows 1.234,5.

Formula injection: a text cell whose first character, or first character after leading
whitespace, is one of = + - @ tab CR LF (or their full-width forms) is written as a plain
string cell with Excel's "quote prefix" style flag. That is exactly what Excel stores when a
person types '=1+1: the text is kept unchanged (no visible apostrophe), it is never parsed as
a formula, and editing the cell later keeps it as text. Non-string values (a float -2.5) are
numbers, not text, and are written as numbers.
"""
from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from formats import MISSING, fmt_date, fmt_filters, fmt_int, fmt_number, is_missing

HEADER_ROW = 4  # 1-based row of the column header; data starts on the next row
DEFAULT_SHEET = "Dữ liệu"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
FORMAT_INT = "#,##0"
FORMAT_FLOAT = "#,##0.0"
FORMAT_PERCENT = "0.0 %"  # "35,5 %" on a Vietnamese machine (the separators are the reader's locale)
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_DATETIME = "dd/mm/yyyy hh:mm"
# column_formats aliases; any other value is used as a raw Excel number-format code
FORMAT_ALIASES = {"percent": FORMAT_PERCENT, "integer": FORMAT_INT, "int": FORMAT_INT, "number": FORMAT_FLOAT,
                  "float": FORMAT_FLOAT, "date": FORMAT_DATE, "datetime": FORMAT_DATETIME, "text": "@"}
YES, NO = "Có", "Không"
MAX_CELL_CHARS = 32767  # Excel's limit per cell
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE_ROWS = 2000
_ILLEGAL = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}  # XML 1.0 forbids these
_SHEET_FORBIDDEN = {ord(c): " " for c in "[]:*?/\\"}

TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
HEADER_BORDER = Border(bottom=Side(style="thin", color="7F7F7F"))
DATA_ALIGN = Alignment(vertical="top")
WRAP_ALIGN = Alignment(vertical="top", wrap_text=True)


def needs_neutralising(text: str) -> bool:
    """True when a spreadsheet could read the text as a formula (OWASP trigger characters)."""
    return text[:1] in FORMULA_TRIGGERS or text.lstrip()[:1] in FORMULA_TRIGGERS


def clean_text(text: str) -> str:
    """Text without the control characters XML forbids, cut to Excel's cell limit."""
    return text.translate(_ILLEGAL)[:MAX_CELL_CHARS]


def write_text(cell: Cell, text: str) -> None:
    """Write text as a string cell; formula-like text gets Excel's quote prefix instead of being evaluated."""
    text = clean_text(text)
    cell.value = text
    cell.data_type = "s"  # openpyxl binds "=…" as a formula; force a plain string
    if needs_neutralising(text):
        cell.quotePrefix = True


def filters_line(filters: Mapping[str, Any]) -> str:
    """Row 2 of every sheet: "Bộ lọc: Kỳ: Quý III/2024 · Địa bàn: …"."""
    return f"Bộ lọc: {fmt_filters(filters) or 'không áp dụng'}"


def date_line(generated_on: date) -> str:
    """Row 3 of every sheet: "Ngày xuất: 21/11/2026"."""
    return f"Ngày xuất: {fmt_date(generated_on)}"


def _column_name(name: Any) -> str:
    """A header text from a column label (tuples of a MultiIndex are joined)."""
    if isinstance(name, tuple):
        return " – ".join(str(p) for p in name if not is_missing(p) and str(p) != "")
    return str(name)


def _default_format(series: pd.Series) -> str | None:
    """The number format implied by a column's dtype (None: decide per cell)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        return FORMAT_INT
    if pd.api.types.is_float_dtype(dtype):
        return FORMAT_FLOAT
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return FORMAT_DATE
    return None


def _naive(value: datetime) -> datetime:
    """A datetime without time zone (wall-clock time kept), as Excel has no zones."""
    if isinstance(value, pd.Timestamp):
        value = value.tz_localize(None) if value.tzinfo else value
        return value.to_pydatetime()
    return value.replace(tzinfo=None) if value.tzinfo else value


def _cell_value(value: Any, fmt: str | None) -> tuple[Any, str | None, str]:
    """(value to write, number format, display text for width) for one data cell."""
    if is_missing(value):
        return None, None, ""
    if fmt == "@":
        text = value if isinstance(value, str) else fmt_date(value) if isinstance(value, date) else str(value)
        return text, "@", text
    if isinstance(value, (bool, np.bool_)):
        text = YES if value else NO
        return text, None, text
    if isinstance(value, (int, np.integer)):
        number: float | int = int(value)
    elif isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        if not math.isfinite(number):
            return None, None, ""
    elif isinstance(value, datetime):
        naive = _naive(value)
        has_time = (naive.hour, naive.minute, naive.second, naive.microsecond) != (0, 0, 0, 0)
        code = fmt if fmt in (FORMAT_DATE, FORMAT_DATETIME) else FORMAT_DATETIME if has_time else FORMAT_DATE
        return naive, code, fmt_date(naive) + (" 00:00" if code == FORMAT_DATETIME else "")
    elif isinstance(value, date):
        return value, FORMAT_DATE, fmt_date(value)
    elif isinstance(value, str):
        return value, None, value
    else:
        text = str(value)
        return text, None, text
    if fmt == FORMAT_PERCENT:
        return number / 100.0, FORMAT_PERCENT, fmt_number(number) + " %"
    if fmt in (None, FORMAT_DATE, FORMAT_DATETIME):
        fmt = FORMAT_INT if isinstance(number, int) else FORMAT_FLOAT
    return number, fmt, fmt_int(number) if fmt == FORMAT_INT else fmt_number(number, 1)


def _width(texts: Iterable[str], header: str) -> float:
    """A column width from its longest text line and its header's longest word."""
    longest = max((len(line) for t in texts for line in t.split("\n")), default=0)
    header_word = max((len(w) for w in header.split()), default=0)
    header_fit = min(len(header), max(header_word, 14))  # the header wraps
    return float(min(max(longest, header_fit, MIN_WIDTH) + 2, MAX_WIDTH))


def write_table(ws: Worksheet, df: pd.DataFrame, title: str, filters: Mapping[str, Any], generated_on: date,
                column_formats: Mapping[str, str] | None = None) -> None:
    """Fill one worksheet: title, filters, date, header, data, formats, widths, freeze panes and autofilter."""
    column_formats = dict(column_formats or {})
    write_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    write_text(ws.cell(row=2, column=1), filters_line(filters))
    write_text(ws.cell(row=3, column=1), date_line(generated_on))
    ws.row_dimensions[1].height = 22

    headers = [_column_name(c) for c in df.columns]
    n_rows, n_cols = len(df), len(headers)
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j)
        write_text(cell, header)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, HEADER_BORDER

    for j in range(n_cols):
        series = df.iloc[:, j]
        wanted = column_formats.get(headers[j])
        fmt = FORMAT_ALIASES.get(wanted, wanted) if wanted else _default_format(series)
        sample: list[str] = []
        for i, value in enumerate(series.tolist()):
            out, code, text = _cell_value(value, fmt)
            cell = ws.cell(row=HEADER_ROW + 1 + i, column=j + 1)
            if isinstance(out, str):
                write_text(cell, out)
                if code == "@":
                    cell.number_format = "@"
                cell.alignment = WRAP_ALIGN if len(out) > MAX_WIDTH else DATA_ALIGN
            elif out is not None:
                cell.value = out
                if code:
                    cell.number_format = code
                cell.alignment = DATA_ALIGN
            if i < WIDTH_SAMPLE_ROWS:
                sample.append(text)
        ws.column_dimensions[get_column_letter(j + 1)].width = _width(sample, headers[j])

    if n_cols:
        last = get_column_letter(n_cols)
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2 if n_cols > 1 else 1).coordinate
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(n_rows, 1)}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def safe_sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no []:*?/\\)."""
    base = " ".join(clean_text(str(name)).translate(_SHEET_FORBIDDEN).split()).strip("'") or DEFAULT_SHEET
    base = base[:31]
    used = {t.casefold() for t in taken}
    candidate, n = base, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    return candidate


def _save(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def table_to_xlsx(df: pd.DataFrame, title: str, filters: Mapping[str, Any], generated_on: date,
                  column_formats: Mapping[str, str] | None = None, sheet_name: str = DEFAULT_SHEET) -> bytes:
    """One table as an .xlsx handout with the title, filters and export date on top (index not written)."""
    wb = Workbook()
    ws = wb.active
    ws.title = safe_sheet_name(sheet_name)
    write_table(ws, df, title, filters, generated_on, column_formats)
    return _save(wb)


def frames_to_xlsx(sheets: list[tuple[str, pd.DataFrame, str]], filters: Mapping[str, Any], generated_on: date,
                   column_formats: Mapping[str, Mapping[str, str]] | None = None) -> bytes:
    """Several tables, one sheet each ((sheet name, frame, title)); column_formats is keyed by sheet name."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: list[str] = []
    for name, df, title in sheets:
        sheet = safe_sheet_name(name, taken)
        taken.append(sheet)
        ws = wb.create_sheet(sheet)
        write_table(ws, df, title, filters, generated_on, (column_formats or {}).get(name))
    if not taken:
        ws = wb.create_sheet(DEFAULT_SHEET)
        write_table(ws, pd.DataFrame(), MISSING, filters, generated_on)
    return _save(wb)
