"""What a document reader (DOCX, PDF) hands to the parser: the body in reading order, text and tables.

Tables are `Grid`s, the same objects a worksheet gives (loaders/workbook.py): values with merged
cells filled over their range and `origin` naming the top-left cell of each merged range. A table
that goes on in a second table (the header typed again after a page break, or a PDF table continued
on the next page) is joined into one grid with the repeated header rows dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loaders.text import fold
from loaders.workbook import Grid


@dataclass
class Block:
    """One piece of the body: a paragraph's text, or the table at `table` (index into Document.tables)."""

    text: str = ""
    table: int | None = None
    bold: bool = False
    page: int | None = None


@dataclass
class Document:
    """A read document: its body blocks, tables and where it came from."""

    file_name: str
    sha256: str
    size: int
    kind: str  # "docx" | "pdf"
    blocks: list[Block] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)
    pages: int | None = None


def _row_key(row: list[object]) -> tuple[str, ...]:
    """A row's texts for comparison (blank cells and merged repeats kept as positions)."""
    return tuple(fold(v) if v is not None else "" for v in row)


def repeated_prefix(first: list[list[object]], second: list[list[object]], limit: int = 4) -> int:
    """How many leading rows of `second` repeat the leading rows of `first` (a header typed again)."""
    n = 0
    while n < min(limit, len(first), len(second)):
        a, b = _row_key(first[n]), _row_key(second[n])
        if not any(a) or a != b:
            break
        n += 1
    return n


def same_columns(a: Grid, b: Grid) -> bool:
    """True when two tables have the same number of columns (a condition for joining them)."""
    return a.width == b.width and a.width > 0


def join(a: Grid, b: Grid, drop_header: bool = True) -> Grid:
    """`b` appended under `a`, with b's repeated header rows dropped and its merged origins shifted."""
    skip = repeated_prefix(a.rows, b.rows) if drop_header else 0
    rows = [list(r) + [None] * (a.width - len(r)) for r in a.rows]
    origin = dict(a.origin)
    offset = len(rows) - skip
    for r, row in enumerate(b.rows):
        if r < skip:
            continue
        rows.append(list(row) + [None] * (a.width - len(row)))
    for (r, c), (r0, c0) in b.origin.items():
        if r >= skip and r0 >= skip:
            origin[(r + offset, c)] = (r0 + offset, c0)
        elif r >= skip:  # a merge that started in a dropped header row: the row keeps the value alone
            pass
    return Grid(a.name, rows, origin)
