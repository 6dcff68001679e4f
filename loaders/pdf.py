"""Read a born-digital PDF plan with pdfplumber: ruled tables as grids, the rest as paragraphs.

Before any page is parsed: the size, the header, encryption and the page count (read from the page
tree's /Count, not by walking the pages) are checked; a PDF over the page limit is refused at once.
Pages are then read under a time budget. A PDF without a text layer (a scan) is refused with a
message that says so and asks for the Word file.

Tables are found from their ruling lines. Each cell's rectangle is placed on the grid of the table's
distinct column and row boundaries, so a cell spanning columns or rows becomes a merged range
(filled, with `Grid.origin`) exactly as a worksheet's merged cells. A table that goes on at the top
of the next page with the same columns is joined to it, the header rows repeated there dropped.
Text outside tables is cut into lines at wide gaps (the two columns of a document's head) and the
lines of one paragraph are joined (a paragraph ends where a line stops short of the right margin).
"""
from __future__ import annotations

import bisect
import hashlib
import io
import logging
import re
import time
from dataclasses import dataclass

import settings
from catalogue import message
from loaders.docmodel import Block, Document, join
from loaders.workbook import FILE, Grid, WorkbookError
from model import Problem

_log = logging.getLogger("cchc.loaders")

_SNAP = 2.0  # points: boundaries closer than this are one
_GAP = 24.0  # points: a wider gap between words on one line separates two columns of text
_MIN_TEXT_CHARS = 20  # fewer characters than this in the whole file: no text layer
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                   "join_tolerance": 3, "intersection_tolerance": 3}


def _fail(key: str, **values: object) -> WorkbookError:
    return WorkbookError(Problem(FILE, None, None, message(key, **values)))


def max_pages() -> int:
    """The page limit (CCHC_MAX_PDF_PAGES)."""
    return int(settings.get("CCHC_MAX_PDF_PAGES"))


def time_budget() -> float:
    """Seconds a document may take to read (CCHC_DOCUMENT_SECONDS)."""
    return float(settings.get("CCHC_DOCUMENT_SECONDS"))


def page_count(pdf) -> int:
    """Pages in the page tree's /Count (no page is parsed)."""
    from pdfminer.pdftypes import resolve1  # lazy: pdfminer loads only when a PDF is read

    pages = resolve1(pdf.doc.catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    if not isinstance(count, int) or count < 0:
        raise _fail("pdf_corrupt", detail="không đọc được số trang")
    return count


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (its cause, context or an exception given as its argument), and so on."""
    out: list[BaseException] = []
    while exc is not None and exc not in out and len(out) < 8:
        out.append(exc)
        inner = exc.__cause__ or exc.__context__
        if inner is None and exc.args and isinstance(exc.args[0], BaseException):
            inner = exc.args[0]
        exc = inner
    return out


def open_pdf(data: bytes):
    """Open a PDF after the checks that need no parsing; refuse encrypted and over-long files."""
    if not data:
        raise _fail("file_empty")
    limit = settings.max_upload_bytes()
    if len(data) > limit:
        raise _fail("file_too_large", size_mb=len(data) / 1048576, limit_mb=limit // 1048576)
    if not data.startswith(b"%PDF"):
        raise _fail("pdf_corrupt", detail="thiếu phần đầu %PDF")
    import pdfplumber  # lazy: pdfplumber loads only when a PDF is read
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect  # lazy: only when a PDF is read

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, KeyError …) for damaged files
        causes = _causes(exc)  # pdfplumber wraps pdfminer's error in its own PdfminerException
        texts = " ".join(str(c) for c in causes).lower()
        if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes) \
                or "password" in texts or "encrypt" in texts or b"/Encrypt" in data[-65536:]:
            raise _fail("pdf_encrypted") from exc
        # the reader's own text is English: it goes to the log, the user reads what to do
        _log.info("PDF not readable: %s", " / ".join(f"{type(c).__name__}: {c}" for c in causes)[:500])
        raise _fail("pdf_corrupt", detail="cấu trúc tệp không đọc được") from exc
    try:
        n = page_count(pdf)
        if n > max_pages():
            raise _fail("pdf_too_many_pages", pages=n, limit=max_pages())
        if n == 0:
            raise _fail("pdf_corrupt", detail="không có trang nào")
    except WorkbookError:
        pdf.close()
        raise
    except Exception as exc:
        pdf.close()
        raise _fail("pdf_corrupt", detail=str(exc)[:200] or type(exc).__name__) from exc
    return pdf


# --- tables ------------------------------------------------------------------------------------------
def _snap(values: list[float]) -> list[float]:
    """Distinct boundaries, values within _SNAP of each other taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    """The boundary nearest to v."""
    i = bisect.bisect_left(bounds, v)
    if i == len(bounds) or (i > 0 and v - bounds[i - 1] < bounds[i] - v):
        i -= 1
    return i


def _cell_text(chars: list[dict]) -> str | None:
    """A cell's text: its lines, joined where a line only wraps (a line starting "1.2." stays on its own)."""
    from pdfplumber.utils import extract_text  # lazy: pdfplumber loads only when a PDF is read

    text = extract_text(chars, x_tolerance=1.5, y_tolerance=3) if chars else ""
    return join_wrapped(text.split("\n")) or None


_OWN_LINE = re.compile(r"^\s*(?:\d{1,3}\.\d{1,3}\.?\s|[-+•]\s)")


def join_wrapped(lines: list[str]) -> str:
    """Lines of one cell joined with spaces; a hyphen or slash at a line's end joins without one; a line
    that starts a numbered output ("1.2. …") or a bullet starts a new line."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
        elif _OWN_LINE.match(line):
            out += "\n" + line
        elif re.search(r"\S[-/]$", out):
            out += line
        else:
            out += " " + line
    return out


@dataclass
class _Table:
    grid: Grid
    xs: list[float]
    top: float
    bottom: float
    bbox: tuple[float, float, float, float]


def _table(page, found, name: str) -> _Table:
    """One pdfplumber table as a Grid with merged ranges."""
    cells = found.cells
    xs = _snap([c[0] for c in cells] + [c[2] for c in cells])
    ys = _snap([c[1] for c in cells] + [c[3] for c in cells])
    width, height = max(len(xs) - 1, 1), max(len(ys) - 1, 1)
    rows: list[list[object]] = [[None] * width for _ in range(height)]
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    owner: dict[tuple[int, int], int] = {}
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(cells):
        c0, c1 = _index(xs, x0), max(_index(xs, x1), _index(xs, x0) + 1)
        r0, r1 = _index(ys, top), max(_index(ys, bottom), _index(ys, top) + 1)
        spans.append((r0, c0, r1, c1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[(r, c)] = k
    per_cell: list[list[dict]] = [[] for _ in cells]
    x0t, top_t, x1t, bottom_t = found.bbox
    for ch in page.chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        if not (x0t <= cx <= x1t and top_t <= cy <= bottom_t):
            continue
        c = bisect.bisect_right(xs, cx) - 1
        r = bisect.bisect_right(ys, cy) - 1
        k = owner.get((r, c))
        if k is not None:
            per_cell[k].append(ch)
    for k, (r0, c0, r1, c1) in enumerate(spans):
        text = _cell_text(per_cell[k])
        for r in range(r0, r1):
            for c in range(c0, c1):
                rows[r][c] = text
                if (r, c) != (r0, c0):
                    origin[(r, c)] = (r0, c0)
    return _Table(Grid(name, rows, origin), xs, found.bbox[1], found.bbox[3], found.bbox)


def _same_columns(a: _Table, b: _Table) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= 3 * _SNAP for x, y in zip(a.xs, b.xs))


# --- text --------------------------------------------------------------------------------------------
@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bold: bool


def _lines(words: list[dict]) -> list[_Line]:
    """Words grouped into lines by position, a line cut where a wide gap separates two columns."""
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    groups: list[list[dict]] = []
    for w in words:
        if groups and abs(groups[-1][0]["top"] - w["top"]) <= 2.5:
            groups[-1].append(w)
        else:
            groups.append([w])
    out: list[_Line] = []
    for g in groups:
        g.sort(key=lambda w: w["x0"])
        seg = [g[0]]
        for w in g[1:]:
            if w["x0"] - seg[-1]["x1"] > _GAP:
                out.append(_segment(seg))
                seg = [w]
            else:
                seg.append(w)
        out.append(_segment(seg))
    return out


def _segment(words: list[dict]) -> _Line:
    bold = all("Bold" in str(w.get("fontname", "")) for w in words)
    return _Line(" ".join(w["text"] for w in words), words[0]["x0"], words[-1]["x1"], words[0]["top"], bold)


_STARTS = re.compile(r"^(?:[-+•]\s|[IVX]{1,5}\.\s|\d{1,2}(?:\.\d{1,2})*\.\s|[a-zđ]\)\s)")


def paragraphs(lines: list[_Line], right: float, left: float) -> list[tuple[str, bool]]:
    """Lines joined into paragraphs: a paragraph ends where a line stops short of the right margin,
    and one starts with an indent, a bullet or a heading number."""
    out: list[tuple[str, bool]] = []
    open_para = False
    for ln in lines:
        starts = _STARTS.match(ln.text) is not None or ln.x0 > left + 15
        if out and open_para and not starts and ln.bold == out[-1][1]:
            prev = out[-1][0]
            out[-1] = (prev + ("" if re.search(r"\S[-/]$", prev) else " ") + ln.text, out[-1][1])
        else:
            out.append((ln.text, ln.bold))
        open_para = ln.x1 >= right - 12
    return out


def read_pdf(data: bytes, file_name: str = "upload.pdf") -> Document:
    """Read a born-digital PDF: paragraphs and ruled tables in reading order (tables continued over
    pages joined), within the page and time limits."""
    started = time.monotonic()
    budget = time_budget()
    pdf = open_pdf(data)
    out = Document(file_name, hashlib.sha256(data).hexdigest(), len(data), "pdf")
    n_chars = 0
    last: _Table | None = None
    try:
        n = len(pdf.pages)
        out.pages = n
        for number, page in enumerate(pdf.pages, 1):
            if time.monotonic() - started > budget:
                raise _fail("pdf_timeout", seconds=int(budget), done=number - 1, pages=n)
            n_chars += len(page.chars)
            try:
                found = page.find_tables(_TABLE_SETTINGS)
            except Exception:
                found = []
            tables = sorted((t for t in found if len(t.cells) >= 2), key=lambda t: t.bbox[1])
            boxes = [t.bbox for t in tables]

            def outside(obj: dict, boxes: list = boxes) -> bool:
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            words = page.filter(lambda o: o.get("object_type") != "char" or outside(o)).extract_words(
                x_tolerance=1.5, y_tolerance=3, extra_attrs=["fontname"])
            lines = _lines(words)
            text_lines = [ln for ln in lines if ln.text.strip()]
            right = max((ln.x1 for ln in text_lines), default=page.width)
            left = min((ln.x0 for ln in text_lines), default=0)
            items: list[tuple[float, object]] = [(ln.top, ln) for ln in text_lines]
            items += [(t.bbox[1], t) for t in tables]
            items.sort(key=lambda x: x[0])
            run: list[_Line] = []

            def flush() -> None:
                for text, bold in paragraphs(run, right, left):
                    out.blocks.append(Block(text=text, bold=bold, page=number))
                run.clear()

            first = True
            for _top, item in items:
                if isinstance(item, _Line):
                    run.append(item)
                    first = False
                    continue
                flush()
                t = _table(page, item, f"Bảng {len(out.tables) + 1} (trang {number})")
                if first and last is not None and _same_columns(last, t) and out.blocks and out.blocks[-1].table is not None:
                    # the table goes on from the previous page: one grid, the repeated header dropped
                    joined = join(out.tables[-1], t.grid)
                    joined.name = _page_span(out.tables[-1].name, number)
                    out.tables[-1] = joined
                    last = t
                else:
                    out.blocks.append(Block(table=len(out.tables), page=number))
                    out.tables.append(t.grid)
                    last = t
                first = False
            flush()
            if run == [] and items and not isinstance(items[-1][1], _Line):
                pass  # the page ends with a table: it may go on on the next page
            elif items:
                last = None
            page.flush_cache()
    finally:
        pdf.close()
    if n_chars < _MIN_TEXT_CHARS:
        raise _fail("pdf_scanned")
    return out


def _page_span(name: str, page: int) -> str:
    """"Bảng 2 (trang 3)" → "Bảng 2 (trang 3–4)"."""
    m = re.match(r"^(.*\(trang )(\d+)(?:–\d+)?\)$", name)
    return f"{m.group(1)}{m.group(2)}–{page})" if m else name
