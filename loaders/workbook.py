"""Open an uploaded workbook safely and read every visible sheet into a grid of cell values.

Reading uses python-calamine (fast, no formulas evaluated, no macros). Merged cells are filled
exactly over their merged range; a genuinely blank cell stays blank (None).
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine

import settings
from catalogue import message
from model import Problem

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_UNZIPPED = 400 * 1024 * 1024  # refuse zip bombs before parsing
FILE = "(tệp)"  # the "sheet" name used for file-level problems


class Grid:
    """One sheet: cell values (None for blank) and where merged ranges start.

    `origin[(r, c)]` is the top-left cell of the merged range that covers (r, c), for covered
    cells other than the top-left itself; rows and columns are zero-based. A sheet without merged
    cells keeps calamine's rows ("" for blank) until someone asks for `rows`, so column-wise
    loaders of big sheets can skip the per-cell conversion (see `columns`).
    """

    def __init__(self, name: str, rows: list[list[object]] | None = None,
                 origin: dict[tuple[int, int], tuple[int, int]] | None = None, raw: list[list[object]] | None = None) -> None:
        self.name = name
        self._rows = rows
        self._raw = raw
        self.origin = origin or {}
        src = rows if rows is not None else (raw or [])
        self.width = max((len(r) for r in src), default=0)
        self.height = len(src)

    @property
    def rows(self) -> list[list[object]]:
        if self._rows is None:
            self._rows = [[None if v == "" else v for v in row] for row in self._raw or []]
        return self._rows

    def columns(self, start: int) -> list[pd.Series]:
        """Every column from row `start` down as an object Series, blanks as None (one transposing pass,
        blanks replaced column-wise by numpy: the fast path of big sheets)."""
        src = self._raw if self._rows is None else self._rows
        body = (src or [])[start:]
        if body and all(len(r) == self.width for r in body):
            cols = list(zip(*body))
        else:
            cols = [[r[c] if c < len(r) else None for r in body] for c in range(self.width)]
        out = []
        for col in cols:
            arr = np.array(col, dtype=object)
            if self._rows is None:
                arr[arr == ""] = None
            out.append(pd.Series(arr, dtype=object))
        return out

    def row(self, r: int) -> list[object]:
        """One row, blanks as None (without converting the whole sheet)."""
        if self._rows is not None:
            return self._rows[r] if r < len(self._rows) else []
        raw = self._raw[r] if self._raw is not None and r < len(self._raw) else []
        return [None if v == "" else v for v in raw]

    def cell(self, r: int, c: int) -> object:
        src = self._rows if self._rows is not None else self._raw
        row = src[r] if src is not None and r < len(src) else []
        v = row[c] if c < len(row) else None
        return None if v == "" else v

    def is_empty(self) -> bool:
        """True when no cell holds anything."""
        src = self._rows if self._rows is not None else self._raw
        return not any(v is not None and v != "" for row in src or [] for v in row)

    def merged_from(self, r: int, c: int) -> tuple[int, int] | None:
        """The top-left cell of the merged range covering (r, c), when (r, c) is not itself that cell."""
        return self.origin.get((r, c))


@dataclass
class Workbook:
    """A read workbook: its sheets in order, the file's hash and size."""

    file_name: str
    sha256: str
    size: int
    sheets: list[Grid]


class WorkbookError(Exception):
    """The file cannot be read at all; `problem` says why, in Vietnamese."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _fail(key: str, **values: object) -> WorkbookError:
    return WorkbookError(Problem(FILE, None, None, message(key, **values)))


def sniff(data: bytes) -> str:
    """A short description of what the bytes are, for the "not an xlsx" message."""
    if data.startswith(_OLE_MAGIC):
        return "Excel 97-2003 (.xls) hoặc tệp được mã hóa"
    if data.startswith(b"%PDF"):
        return "PDF"
    if data.startswith(_ZIP_MAGIC):
        return "tệp nén ZIP"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<html") or head.startswith(b"<!doctype html"):
        return "trang HTML"
    if head.startswith(b"<?xml"):
        return "XML"
    try:
        data[:2048].decode("utf-8")
        return "văn bản (CSV/TXT)"
    except UnicodeDecodeError:
        return "không xác định"


def check_bytes(data: bytes) -> None:
    """Refuse empty, oversized, non-xlsx, encrypted and zip-bomb files before any parsing."""
    if not data:
        raise _fail("file_empty")
    limit = settings.max_upload_bytes()
    if len(data) > limit:
        raise _fail("file_too_large", size_mb=len(data) / 1048576, limit_mb=limit // 1048576)
    if data.startswith(_OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P" in data:
            raise _fail("file_encrypted")
        raise _fail("file_not_xlsx", detected=sniff(data))
    if not data.startswith(_ZIP_MAGIC):
        raise _fail("file_not_xlsx", detected=sniff(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _fail("file_corrupt", detail=str(exc) or type(exc).__name__) from exc
    if "xl/workbook.xml" not in names:
        detected = "Word .docx" if "word/document.xml" in names else (
            "PowerPoint .pptx" if "ppt/presentation.xml" in names else "tệp nén ZIP")
        raise _fail("file_not_xlsx", detected=detected)
    if total > _MAX_UNZIPPED:
        raise _fail("file_corrupt", detail=f"dữ liệu giải nén quá lớn ({total // 1048576} MB)")


def _grid(sheet: python_calamine.CalamineSheet) -> Grid:
    raw = sheet.to_python(skip_empty_area=False)
    merged = sheet.merged_cell_ranges or []
    if not merged:
        return Grid(sheet.name, raw=raw)
    # calamine returns "" for empty cells; whitespace-only text is blanked by the loaders' clean()
    rows: list[list[object]] = [[None if v == "" else v for v in row] for row in raw]
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in merged:
        # calamine's rows may stop before a merged range ends: extend the grid to cover it.
        while len(rows) <= r1:
            rows.append([])
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, r1 + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = value
                    origin[(r, c)] = (r0, c0)
    return Grid(sheet.name, rows, origin)


def read_workbook(source: bytes | Path | str, file_name: str | None = None) -> Workbook:
    """Read every visible worksheet; raise WorkbookError with a Vietnamese message when impossible."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        file_name = file_name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _fail("file_corrupt", detail=str(exc)) from exc
    else:
        data = source
    check_bytes(data)
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in wb.sheets_metadata:
            if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet"):
                sheets.append(_grid(wb.get_sheet_by_name(meta.name)))
    except WorkbookError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise _fail("file_corrupt", detail=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__) from exc
    if not sheets:
        raise _fail("file_no_sheets")
    return Workbook(file_name or "upload.xlsx", hashlib.sha256(data).hexdigest(), len(data), sheets)


def column_letter(index: int) -> str:
    """Excel column letters of a zero-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
