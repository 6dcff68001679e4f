"""Read a Word .docx: the body's paragraphs and tables in reading order, each table as a Grid.

The package is inspected first (loaders/ooxml.py: entry count, sizes, compression ratio, DOCTYPE
and entity declarations), then opened with python-docx, whose lxml parser resolves no entities.
Tables keep Word's cell structure: `w:gridSpan` (horizontal spans) and `w:hMerge`, `w:vMerge`
(vertical merges, "restart" then "continue"), `w:gridBefore` (cells skipped at the start of a row)
and `w:tblHeader` (header rows Word repeats on each printed page). A merged range is filled with
its top-left value and recorded in `Grid.origin`, exactly as a worksheet's merged cells are.
"""
from __future__ import annotations

import hashlib
import io
import zipfile

import settings
from catalogue import message
from loaders import ooxml
from loaders.docmodel import Block, Document
from loaders.workbook import FILE, Grid, WorkbookError
from model import Problem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_MAIN_PART = 64 * 1024 * 1024  # word/document.xml; real plans are well under 5 MB
MAX_TABLES = 400
MAX_TABLE_CELLS = 200_000  # over all tables
MAX_COLUMNS = 64


def _fail(key: str, **values: object) -> WorkbookError:
    return WorkbookError(Problem(FILE, None, None, message(key, **values)))


def check_docx(data: bytes) -> None:
    """Refuse a .docx that is empty, too large, not Word, or hostile, before any XML is parsed."""
    if not data:
        raise _fail("file_empty")
    limit = settings.max_upload_bytes()
    if len(data) > limit:
        raise _fail("file_too_large", size_mb=len(data) / 1048576, limit_mb=limit // 1048576)
    found = ooxml.inspect_package(data)
    if isinstance(found, ooxml.PackageRefusal):
        raise _fail(found.key, **found.values)
    if "word/document.xml" not in found.names:
        raise _fail("docx_not_word")

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if zf.getinfo("word/document.xml").file_size > MAX_MAIN_PART:
            raise _fail("package_too_big", size_mb=zf.getinfo("word/document.xml").file_size // 1048576,
                        limit_mb=MAX_MAIN_PART // 1048576)


def _val(el: object, tag: str) -> str | None:
    """The w:val of child `tag` of a properties element; "" when the child has no w:val; None when absent."""
    if el is None:
        return None
    child = el.find(W + tag)
    if child is None:
        return None
    return child.get(W + "val", "")


def _flag(el: object, tag: str) -> bool:
    """An on/off property (w:tblHeader, w:b): present and not switched off."""
    v = _val(el, tag)
    return v is not None and v not in ("0", "false", "off")


def _text(el: object) -> str:
    """The visible text under an element: w:t, tabs and breaks; deleted text and fallbacks skipped."""
    out: list[str] = []

    def walk(node: object) -> None:
        for child in node:  # type: ignore[attr-defined]
            tag = child.tag
            if not isinstance(tag, str) or tag == MC_FALLBACK or tag in (W + "del", W + "instrText", W + "delText"):
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:
                if tag == W + "p" and out and out[-1] != "\n":
                    out.append("\n")  # paragraphs of a cell: one line each
                walk(child)

    walk(el)
    return "".join(out).strip("\n")


def _is_bold(p: object) -> bool:
    """A paragraph whose text runs are all bold (headings typed by hand)."""
    runs = [r for r in p.iter(W + "r") if (r.findtext(W + "t") or "").strip()]  # type: ignore[attr-defined]
    if not runs:
        return False
    ppr = p.find(W + "pPr")  # type: ignore[attr-defined]
    para_bold = _flag(ppr.find(W + "rPr") if ppr is not None else None, "b")
    return all(_flag(r.find(W + "rPr"), "b") or para_bold for r in runs)


def _children(el: object, tags: tuple[str, ...]):
    """Direct children with one of `tags`, looking through content controls and custom XML wrappers."""
    for child in el:  # type: ignore[attr-defined]
        if child.tag in tags:
            yield child
        elif child.tag in (W + "sdt", W + "customXml", W + "smartTag"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _children(inner, tags)


class _Budget:
    """Counts tables and cells against the limits."""

    def __init__(self) -> None:
        self.tables = 0
        self.cells = 0

    def table(self) -> None:
        self.tables += 1
        if self.tables > MAX_TABLES:
            raise _fail("docx_too_many_tables", limit=MAX_TABLES)

    def cell(self, n: int = 1) -> None:
        self.cells += n
        if self.cells > MAX_TABLE_CELLS:
            raise _fail("docx_too_many_cells", limit=MAX_TABLE_CELLS)


def table_grid(tbl: object, name: str, budget: _Budget | None = None) -> tuple[Grid, int]:
    """One w:tbl as a Grid (merged ranges filled, origins recorded) and its number of header rows."""
    budget = budget or _Budget()
    grid_cols = tbl.find(W + "tblGrid")  # type: ignore[attr-defined]
    width = len(grid_cols.findall(W + "gridCol")) if grid_cols is not None else 0
    rows: list[list[object]] = []
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    header_rows = 0
    in_header = True
    for r, tr in enumerate(_children(tbl, (W + "tr",))):
        trpr = tr.find(W + "trPr")
        if in_header and _flag(trpr, "tblHeader"):
            header_rows += 1
        else:
            in_header = False
        row: list[object] = []
        c = int(_val(trpr, "gridBefore") or 0) if trpr is not None else 0
        row.extend([None] * c)
        for tc in _children(tr, (W + "tc",)):
            tcpr = tc.find(W + "tcPr")
            span = max(1, min(MAX_COLUMNS, int(_val(tcpr, "gridSpan") or 1)))
            vmerge = _val(tcpr, "vMerge")
            hmerge = _val(tcpr, "hMerge")
            budget.cell(span)
            text = _text(tc) or None
            if c + span > MAX_COLUMNS:
                raise _fail("docx_too_many_columns", table=name, limit=MAX_COLUMNS)
            while len(row) < c + span:
                row.append(None)
            if hmerge is not None and hmerge != "restart" and c > 0:
                # legacy horizontal merge: this cell continues the one on its left
                left = origin.get((r, c - 1), (r, c - 1))
                for k in range(span):
                    row[c + k] = rows_value(rows, row, left, r)
                    origin[(r, c + k)] = left
            elif vmerge is not None and vmerge != "restart" and r > 0:
                # vertical merge: this cell continues the one above (whose own origin may lie higher)
                for k in range(span):
                    above = origin.get((r - 1, c + k), (r - 1, c + k))
                    row[c + k] = rows_value(rows, row, above, r)
                    origin[(r, c + k)] = above
            else:
                row[c] = text
                for k in range(1, span):
                    row[c + k] = text
                    origin[(r, c + k)] = (r, c)
            c += span
        rows.append(row)
    width = max([width, *(len(r) for r in rows)]) if rows else width
    for row in rows:
        row.extend([None] * (width - len(row)))
    return Grid(name, rows, origin), header_rows


def rows_value(rows: list[list[object]], current: list[object], at: tuple[int, int], r: int) -> object:
    """The value at `at`, looking in the row being built when `at` lies in it."""
    rr, cc = at
    src = current if rr == r else rows[rr] if rr < len(rows) else []
    return src[cc] if cc < len(src) else None


def read_docx(data: bytes, file_name: str = "upload.docx") -> Document:
    """Read a .docx's body: paragraphs (text, bold) and tables (Grids named "Bảng N"), in reading order."""
    check_docx(data)
    import docx  # lazy: python-docx loads only when a Word file is read

    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors for damaged packages
        raise _fail("file_corrupt_document", detail=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__) from exc
    body = doc.element.body
    out = Document(file_name, hashlib.sha256(data).hexdigest(), len(data), "docx")
    budget = _Budget()
    for el in _children(body, (W + "p", W + "tbl")):
        if el.tag == W + "p":
            text = _text(el)
            for line in text.split("\n") if text else [""]:
                out.blocks.append(Block(text=line.strip(), bold=_is_bold(el)))
        else:
            budget.table()
            grid, header_rows = table_grid(el, f"Bảng {len(out.tables) + 1}", budget)
            grid.header_rows = header_rows  # type: ignore[attr-defined]
            out.blocks.append(Block(table=len(out.tables)))
            out.tables.append(grid)
    return out
