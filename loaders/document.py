"""Parse a plan document (.docx or born-digital .pdf) the way a workbook is parsed.

The document's tables are grids like worksheets; they go through the same header, structure, agency
and deadline logic (loaders/parse.py `parse_grids`), so a table in a document and the same table in
a workbook give the same rows. Tables that only lay out text (the head with issuer and motto, a
signature block) are read as text. A table typed again after a page break (its header repeated) is
joined to the one before it. The plan's issuer, number, date, title and period are read from the
document's head ("Số: 158/KH-UBND", "Nam Định, ngày 30 tháng 12 năm 2022", "KẾ HOẠCH …"), never
from the file name; what the head lacks is taken from the appendix's own title block. The body's
quantitative target sentences become proposals (loaders/body_targets.py), written only when confirmed.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from catalogue import message
from loaders import body_targets, headers
from loaders.docmodel import Document, join, repeated_prefix, same_columns
from loaders.docx import read_docx
from loaders.inspection import _ZIP_ERRORS
from loaders.parse import (
    Options,
    ParseResult,
    _apply_options,
    _title_lines,
    merge_meta,
    parse_grids,
)
from loaders.pdf import read_pdf
from loaders.plan import PlanMeta, read_title_block
from loaders.reference import Reference
from loaders.text import clean, fold
from loaders.workbook import FILE, Grid, WorkbookError
from model import Problem

_ZIP = b"PK\x03\x04"
DOC_TYPES = ("ke hoach", "chuong trinh", "quyet dinh", "de an", "bao cao", "chi thi", "nghi quyet")
_BODY_START = re.compile(r"^(?:thuc hien|can cu|[ivx]{1,5}[.)]?\s|\d{1,2}\.\s|phan thu|chuong [ivx0-9])")
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(\d{1,6})?\s*/\s*([A-ZĐ0-9][A-ZĐa-z0-9\-–.]*)", re.I)
_HEAD_LINES = 30


def document_kind(source: bytes | Path | str) -> str | None:
    """"docx" or "pdf" from the file's content (never its name), None for anything else (workbooks)."""
    try:
        if isinstance(source, (str, Path)):
            with open(source, "rb") as f:
                head = f.read(8)
                if head.startswith(b"%PDF"):
                    return "pdf"
                if not head.startswith(_ZIP):
                    return None
                f.seek(0)
                return "docx" if _has_word_part(f) else None
        if source.startswith(b"%PDF"):
            return "pdf"
        return "docx" if source.startswith(_ZIP) and _has_word_part(io.BytesIO(source)) else None
    except OSError:
        return None


def _has_word_part(f) -> bool:  # noqa: ANN001 - a binary file object
    """Whether a zip holds a Word document (only its directory is read; any damage means "not a docx", and the
    workbook path then refuses the file with its own message)."""
    try:
        with zipfile.ZipFile(f) as zf:
            names = set(zf.namelist())
    except (*_ZIP_ERRORS, ValueError):
        return False
    return "word/document.xml" in names and "xl/workbook.xml" not in names


def read_document(data: bytes, file_name: str, kind: str) -> Document:
    """Read a .docx or .pdf into body blocks and table grids (raises WorkbookError with a Vietnamese message)."""
    if kind == "docx":
        return read_docx(data, file_name)

    return read_pdf(data, file_name)


@dataclass
class Layout:
    """A document's body split into text lines and data tables (each with the text just above it)."""

    lines: list[str]
    tables: list[Grid]
    titles: dict[str, list[str]]
    unknown: list[Grid]


def _table_lines(grid: Grid) -> list[str]:
    """The text of a layout table, cell by cell in reading order, merged repeats once."""
    lines: list[str] = []
    for r, row in enumerate(grid.rows):
        for c, v in enumerate(row):
            if v is None or (r, c) in grid.origin:
                continue
            lines.extend(x.strip() for x in str(v).split("\n") if x.strip())
    return lines


def layout(doc: Document) -> Layout:
    """Split the body: tables with a recognised header are data tables, the others are text."""
    lines: list[str] = []
    tables: list[Grid] = []
    titles: dict[str, list[str]] = {}
    unknown: list[Grid] = []
    pending: list[str] = []  # text since the last data table
    last_was_table = False
    for block in doc.blocks:
        if block.table is None:
            if block.text:
                lines.append(block.text)
                pending.append(block.text)
                last_was_table = False
            continue
        grid = doc.tables[block.table]
        table = headers.detect(grid) if not grid.is_empty() else None
        if table is None:
            text = _table_lines(grid)
            lines.extend(text)
            pending.extend(text)
            if grid.height >= 3 and grid.width >= 3:
                unknown.append(grid)
            last_was_table = False
            continue
        prev = tables[-1] if tables else None
        if (prev is not None and last_was_table and same_columns(prev, grid)
                and repeated_prefix(prev.rows, grid.rows) >= 1):
            tables[-1] = join(prev, grid)  # the same table typed again after a page break
            titles[tables[-1].name] = titles.pop(prev.name)
        else:
            tables.append(grid)
            titles[grid.name] = pending[-12:]
        pending = []
        last_was_table = True
    return Layout(lines, tables, titles, unknown)


def read_head(lines: list[str], ref: Reference) -> PlanMeta | None:
    """Issuer, number, date, title and period from a document's head; None when it has no head
    (no document type such as "KẾ HOẠCH" among its first lines)."""
    head: list[str] = []
    for line in lines[:_HEAD_LINES]:
        if _BODY_START.match(fold(line)) and head:
            break
        head.append(line)
    kinds = [i for i, ln in enumerate(head) if fold(ln) in DOC_TYPES]
    if not kinds:
        return None
    k = kinds[0]
    title_lines = [ln for ln in head[k + 1:] if ln and not fold(ln).startswith("(")]
    title = clean(" ".join([head[k].capitalize() if head[k].isupper() else head[k], *title_lines]))
    meta = read_title_block(head[:k], ref)
    meta.number = None
    for line in head[:k]:
        m = _NUMBER_LINE.match(clean(line))
        if m and m.group(1):
            meta.number = f"{m.group(1)}/{m.group(2)}"
    from_title = read_title_block([title], ref)
    meta.period = from_title.period
    meta.unit = from_title.unit if from_title.unit and _more_specific(from_title.unit, meta.unit, ref) else meta.unit
    meta.title = title
    return meta


def _more_specific(a: str, b: str | None, ref: Reference) -> bool:
    """True when unit `a` is at a lower level than `b` (a district plan names its province too)."""
    if b is None:
        return True
    order = {"province": 0, "district": 1, "commune": 2}
    ua, ub = ref.unit(a), ref.unit(b)
    return ua is not None and ub is not None and order.get(str(ua["level"]), 0) > order.get(str(ub["level"]), 0)


def parse_document(source: bytes | Path | str, file_name: str | None, options: Options, ref: Reference,
                   kind: str, indicators: pd.DataFrame | None = None) -> ParseResult:
    """Read a plan document: its tables through the workbook logic, its head, its target sentences."""
    name = file_name or (Path(source).name if isinstance(source, (str, Path)) else f"upload.{kind}")
    try:
        data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
        doc = read_document(data, name, kind)
    except OSError as exc:
        return ParseResult(name, kind=kind, problems=[Problem(FILE, None, None, message("file_corrupt_document", detail=str(exc)))])
    except WorkbookError as exc:
        return ParseResult(name, kind=kind, problems=[exc.problem])
    result = ParseResult(doc.file_name, doc.sha256, doc.size, kind=kind)
    body = layout(doc)
    head = read_head(body.lines, ref)
    parse_grids(result, body.tables, options, ref,
                lambda grid, table: body.titles.get(grid.name, []) + _title_lines(grid, table.header_rows[0]), head)
    for grid in body.unknown:
        result.problems.append(Problem(grid.name, None, None, message("document_table_unknown"), "warning"))
    if not result.plan_sheets:
        result.meta = head or read_title_block(body.lines[:_HEAD_LINES], ref)
        result.problems += _apply_options(result.meta, options, ref)
    result.targets = body_targets.propose(body.lines, result.meta, indicators)
    if not result.plan_sheets and not result.frames and not result.targets and not result.errors:
        result.problems.append(Problem(FILE, None, None, message("document_nothing_found")))
    return result


__all__ = ["document_kind", "layout", "merge_meta", "parse_document", "read_document", "read_head"]
