"""Open an uploaded workbook safely and read every visible sheet into a grid of cell values.

Reading uses python-calamine (fast, no formulas evaluated, no macros). Merged cells are filled
exactly over their merged range; a genuinely blank cell stays blank (None).
"""
from __future__ import annotations

import hashlib
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine

from catalogue import message
from loaders import inspection
from loaders.inspection import InspectionError, SheetScan, column_letter, sniff  # noqa: F401 - re-exported
from model import Problem

FILE = inspection.FILE  # the "sheet" name used for file-level problems
log = logging.getLogger(__name__)


class CellError(str):
    """An Excel error cell ("#DIV/0!", "#N/A"): calamine hands these over as blank, the grid keeps them
    visible as this text so that no reader takes them for an empty cell (loaders/rules.py refuses them)."""

    __slots__ = ()


class Grid:
    """One sheet: cell values (None for blank) and where merged ranges start.

    `origin[(r, c)]` is the top-left cell of the merged range that covers (r, c), for covered
    cells other than the top-left itself; rows and columns are zero-based. A sheet without merged
    cells keeps calamine's rows ("" for blank) until someone asks for `rows`, so column-wise
    loaders of big sheets can skip the per-cell conversion (see `columns`).
    """

    def __init__(self, name: str, rows: list[list[object]] | None = None,
                 origin: dict[tuple[int, int], tuple[int, int]] | None = None, raw: list[list[object]] | None = None,
                 flags: dict[tuple[int, int], str] | None = None, percent: set[tuple[int, int]] | None = None,
                 bold: set[tuple[int, int]] | None = None, styled: bool = False) -> None:
        self.name = name
        # cell formats from the styles (loaders/inspection.py): a percent format shows 0,455 as 45,5 %; bold rows are
        # headings. `styled` says the formats were read (a document's table has none: the readers then guess)
        self.percent = percent or set()
        self.bold = bold or set()
        self.styled = styled
        self._bold_rows: set[int] | None = None
        self._rows = rows
        self._raw = raw
        self.origin = origin or {}
        self.flags = flags or {}  # (row, col) → "#DIV/0!" | "TRUE" | "FALSE": error and boolean cells
        src = rows if rows is not None else (raw or [])
        self.width = max((len(r) for r in src), default=0)
        self.height = len(src)

    @property
    def rows(self) -> list[list[object]]:
        if self._rows is None:
            self._rows = [[None if v == "" else v for v in row] for row in self._raw or []]
        return self._rows

    def columns(self, start: int) -> list[pd.Series]:
        """Every column from row `start` down as an object Series, blanks as None (one 2-D numpy array,
        blanks replaced at once: the fast path of big sheets)."""
        src = self._raw if self._rows is None else self._rows
        body = (src or [])[start:]
        if not body or not self.width:
            return [pd.Series([], dtype=object) for _ in range(self.width)]
        arr = np.empty((len(body), self.width), dtype=object)
        try:
            arr[:] = body  # calamine's rows are all as wide as the sheet
        except ValueError:  # ragged rows (a grid built otherwise): row by row
            arr = np.empty((len(body), self.width), dtype=object)
            for i, r in enumerate(body):
                arr[i, :len(r)] = r
        if self._rows is None:
            arr[arr == ""] = None
        return [pd.Series(arr[:, c], dtype=object) for c in range(self.width)]

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

    def is_bold_row(self, r: int) -> bool:
        """Whether the row's first non-blank cell is in a bold font."""
        if not self.bold:
            return False
        if self._bold_rows is None:
            self._bold_rows = {rr for rr, _c in self.bold}
        if r not in self._bold_rows:
            return False
        row = self.row(r)
        first = next((c for c, v in enumerate(row) if v is not None), None)
        return first is not None and ((r, first) in self.bold or self.origin.get((r, first)) in self.bold)

    def merged_across(self, r: int, c0: int, c1: int) -> bool:
        """Whether one merged range covers columns c0 … c1 of row r (a banner, a note merged under the table)."""
        o0 = self.origin.get((r, c0), (r, c0))
        return self.origin.get((r, c1)) == o0

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
    """The file cannot be read at all; `problems` say why, in Vietnamese (`problem` is the first)."""

    def __init__(self, problem: Problem, *more: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.problems = [problem, *more]


def _fail(key: str, **values: object) -> WorkbookError:
    return WorkbookError(Problem(FILE, None, None, message(key, **values)))


def check_bytes(data: bytes) -> inspection.Inspection:
    """Refuse what no workbook needs (see loaders/inspection.py) before any parsing; the inspection otherwise."""
    try:
        return inspection.inspect_workbook(data)
    except InspectionError as exc:
        raise WorkbookError(*exc.problems) from exc


def _grid(sheet: python_calamine.CalamineSheet, scan: SheetScan | None) -> Grid:
    raw = sheet.to_python(skip_empty_area=False)
    flags = dict(scan.flags) if scan is not None else {}
    styles = {"percent": scan.percent, "bold": scan.bold, "styled": True} if scan is not None else {}
    for (r, c), text in flags.items():
        if text.startswith("#") and r < len(raw) and c < len(raw[r]) and raw[r][c] == "":
            raw[r][c] = CellError(text)
    merged = sheet.merged_cell_ranges or []
    if not merged:
        return Grid(sheet.name, raw=raw, flags=flags, **styles)
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
    return Grid(sheet.name, rows, origin, flags=flags, **styles)


def _calamine_detail(exc: Exception) -> str:
    """A Vietnamese account of a calamine error (its own text is English: it goes to the log)."""
    name = type(exc).__name__
    if "Xml" in name:
        return "dữ liệu XML bị lỗi"
    if "Zip" in name:
        return "tệp nén bị hỏng"
    return "cấu trúc bảng tính không đọc được"


def read_workbook(source: bytes | Path | str, file_name: str | None = None) -> Workbook:
    """Inspect, then read every visible worksheet; raise WorkbookError with Vietnamese messages when impossible.

    The package checks always come first. A sheet is measured before calamine reads it; only inside the parse
    child (INSIDE_LIMITS), a sheet of more than OVERLAP_FLOOR bytes of XML is measured while calamine reads it
    (calamine releases the GIL): the measurement still decides before any grid reaches Python, and if a hostile
    big sheet makes calamine give up first, the child's limits hold and the parent explains the refusal with
    the measurement alone (loaders/sandbox.py parse_upload)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        file_name = file_name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _fail("file_corrupt", detail="không mở được tệp trên máy chủ") from exc
    else:
        data = source
    try:
        pkg = inspection.open_package(data)
    except InspectionError as exc:
        raise WorkbookError(*exc.problems) from exc
    try:
        sheets = _read_sheets(pkg, data, file_name)
    finally:
        pkg.close()
    if not sheets:
        raise _fail("file_no_sheets")
    return Workbook(file_name or "upload.xlsx", hashlib.sha256(data).hexdigest(), len(data), sheets)


INSIDE_LIMITS = False  # set by the parse child (loaders/sandbox.py) once its address-space limit is in force
OVERLAP_FLOOR = 8 << 20  # bytes of sheet XML from which measuring it alongside calamine pays off


def _read_sheets(pkg: inspection.Package, data: bytes, file_name: str | None) -> list[Grid]:
    scans: dict[str, SheetScan] = {}
    problems: list[Problem] = []
    big = [(n, part) for n, part in pkg.visible if INSIDE_LIMITS and pkg.size(part) > OVERLAP_FLOOR]
    for name, part in pkg.visible:
        if (name, part) not in big:
            try:
                scans[name] = pkg.measure(name, part)
            except InspectionError as exc:
                problems += exc.problems
    if problems:
        raise WorkbookError(*problems)
    pool = ThreadPoolExecutor(max_workers=1) if big else None
    pending = {name: pool.submit(pkg.measure, name, part) for name, part in big} if pool else {}
    try:
        try:
            wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            metas = [m for m in wb.sheets_metadata if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")]
        except python_calamine.PasswordError as exc:
            raise _fail("file_encrypted") from exc
        except Exception as exc:  # calamine raises its own error types for damaged parts
            log.warning("calamine could not open %s: %s", file_name, exc)
            raise _fail("file_corrupt", detail=_calamine_detail(exc)) from exc
        sheets = []
        for meta in metas:
            if meta.name not in scans and meta.name not in pending:
                # calamine sees a sheet the inspection did not measure: never read it blind
                raise _fail("file_corrupt", detail=f"không xác định được phần dữ liệu của trang «{meta.name}»")
            sheet, error = None, None
            try:
                sheet = wb.get_sheet_by_name(meta.name)
            except MemoryError:
                raise
            except Exception as exc:  # judged below: the measurement's refusal says more
                error = exc
            if meta.name in pending:
                try:
                    scans[meta.name] = pending[meta.name].result()
                except InspectionError as exc:
                    problems += exc.problems
                    continue
            if error is not None:
                log.warning("calamine could not read sheet %r of %s: %s", meta.name, file_name, error)
                raise WorkbookError(Problem(meta.name, None, None, message("sheet_unreadable", detail=_calamine_detail(error)))) \
                    from error
            if problems:
                continue  # a refused sheet already: no grid for the others
            try:
                sheets.append(_grid(sheet, scans[meta.name]))
            except MemoryError:
                raise  # the parse child turns it into "too much memory" (never "a damaged sheet")
            except Exception as exc:
                log.warning("calamine could not convert sheet %r of %s: %s", meta.name, file_name, exc)
                raise WorkbookError(Problem(meta.name, None, None, message("sheet_unreadable", detail=_calamine_detail(exc)))) \
                    from exc
        if problems:
            raise WorkbookError(*problems)
        return sheets
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
