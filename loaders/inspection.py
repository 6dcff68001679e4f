"""Inspect an uploaded workbook before any reader materialises a grid.

From the zip directory and the XML bytes alone (no grid, no DOM of a sheet) this reads: every part's
compressed and uncompressed size, the sheets the workbook declares, each visible worksheet's
`<dimension ref>`, its actual used range (the cell references, streamed in blocks cut at row ends;
the dimension tag may lie or be missing), its merged ranges, and where it holds error cells
(`#DIV/0!`, which calamine would hand over as blank) and booleans. It refuses, with a Vietnamese
message naming the part, sheet and cell, what no real workbook needs: a used range or merged area
beyond the limits in settings.py, zip bombs, DTD/entity declarations (XXE, billion laughs),
macros, odd or nested parts, missing parts and wrong content types.

Speed matters (a 100k-row sheet is 40 MB of XML): a sheet written the usual way (every `<c>` opens
with `r="A1"`, rows ascending) is checked with a few C-level passes per block; anything else takes
the slower tag-by-tag path, which follows the same rules calamine uses to place cells.
"""
from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

import settings
from catalogue import message
from model import Problem

FILE = "(tệp)"  # the "sheet" name of file-level problems
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BLOCK = 4 << 20  # bytes of sheet XML read at a time
MAX_SMALL_PART = 16 << 20  # workbook.xml, its rels and the content types are parsed whole
PROLOG_SCAN = 64 << 10  # a part's prolog (before its root element) may not be longer
RATIO_FLOOR = 1 << 20  # the compression ratio is judged on parts larger than this
MAX_FLAGGED = 5000  # error/boolean cells remembered per sheet (each one is refused anyway)

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_CT_OK = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"}
_CT_MACRO = {"application/vnd.ms-excel.sheet.macroenabled.main+xml",
             "application/vnd.ms-excel.template.macroenabled.main+xml",
             "application/vnd.ms-excel.addin.macroenabled.main+xml"}
_ARCHIVE_EXT = (".zip", ".xlsx", ".xlsm", ".xlsb", ".docx", ".pptx", ".gz", ".7z", ".rar", ".jar", ".tar")
_ARCHIVE_MAGIC = (ZIP_MAGIC, b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
_ARCHIVES_ALLOWED = ("xl/embeddings/",)
# what zipfile and zlib raise for a damaged package (an error of this module's own logic is not among them)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
               ValueError, struct.error, UnicodeDecodeError, OverflowError, KeyError)  # OLE objects and embedded packages: calamine never opens them


@dataclass
class SheetScan:
    """What the XML of one worksheet says, before any grid exists. Rows and columns are zero-based."""

    name: str
    part: str
    dimension: str | None = None
    max_row: int = -1  # of the cells (-1: no cell)
    max_col: int = -1
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    merged_cells: int = 0
    flags: dict[tuple[int, int], str] = field(default_factory=dict)  # error text ("#DIV/0!") or "TRUE"/"FALSE"
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells whose number format shows a percentage
    bold: set[tuple[int, int]] = field(default_factory=set)  # cells in a bold font (headings, headers)
    canonical: bool = True  # every block took the fast path
    row_cell: tuple[int, int] | None = None  # the cell of the farthest row
    col_cell: tuple[int, int] | None = None  # the cell of the farthest column

    @property
    def rows(self) -> int:
        """Rows of the used range as the grid will hold it (from A1, merged ranges included)."""
        return max(self.max_row, max((m[2] for m in self.merges), default=-1)) + 1

    @property
    def cols(self) -> int:
        """Columns of the used range as the grid will hold it."""
        return max(self.max_col, max((m[3] for m in self.merges), default=-1)) + 1


@dataclass
class Inspection:
    """The zip's totals and the scans of the visible worksheets, in workbook order."""

    entries: int
    compressed: int
    uncompressed: int
    sheets: list[SheetScan]
    hidden: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Uncompressed over compressed size of the whole package."""
        return self.uncompressed / max(self.compressed, 1)

    def sheet(self, name: str) -> SheetScan | None:
        """The scan of a sheet by name."""
        return next((s for s in self.sheets if s.name == name), None)


class InspectionError(Exception):
    """The workbook is refused before parsing; `problems` say why, in Vietnamese."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def fmt_int(n: float) -> str:
    """1.048.576: Vietnamese thousands (loaders stay free of the exports package)."""
    return f"{int(n):,}".replace(",", ".")


def _refuse(key: str, at: str = FILE, **values: object) -> InspectionError:
    """A refusal at sheet `at` (the file by default); `values` fill the message."""
    return InspectionError([Problem(at, None, None, message(key, **values))])


# --- cell references ---------------------------------------------------------------------------
def column_letter(index: int) -> str:
    """Excel column letters of a zero-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """Zero-based index of column letters (A → 0, XFD → 16383); case-insensitive."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii"):
        n = n * 26 + (ord(ch) - 64)
    return n - 1


_REF = re.compile(rb"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def parse_ref(ref: bytes | str) -> tuple[int, int] | None:
    """(row, col) zero-based of "B7" ("$B$7" too), or None when it is not a cell reference."""
    m = _REF.match(ref.encode("ascii", "replace") if isinstance(ref, str) else ref)
    if not m or int(m.group(2)) < 1:
        return None
    return int(m.group(2)) - 1, column_index(m.group(1))


def cell_name(row: int, col: int) -> str:
    """ "B7" from zero-based (row, col)."""
    return f"{column_letter(col)}{row + 1}"


def _le_digits(n: int) -> str:
    """A regex matching the decimal integers 1..n (no leading zeros)."""
    d = str(n)
    k = len(d)
    alts = [f"[1-9][0-9]{{0,{k - 2}}}"] if k >= 2 else []
    for i in range(k):
        lo = "1" if i == 0 else "0"
        hi = chr(ord(d[i]) - 1)
        if hi >= lo:
            alts.append(d[:i] + f"[{lo}-{hi}]" + (f"[0-9]{{{k - i - 1}}}" if k - i - 1 else ""))
    alts.append(d)
    return "(?:" + "|".join(alts) + ")"


def _le_letters(col: int) -> str:
    """A regex matching the column letters A..column_letter(col)."""
    c = column_letter(col)
    k = len(c)
    alts = [f"[A-Z]{{1,{k - 1}}}"] if k >= 2 else []
    for i in range(k):
        hi = chr(ord(c[i]) - 1)
        if hi >= "A":
            alts.append(c[:i] + f"[A-{hi}]" + (f"[A-Z]{{{k - i - 1}}}" if k - i - 1 else ""))
    alts.append(c)
    return "(?:" + "|".join(alts) + ")"


@lru_cache(maxsize=256)
def _outlier(max_row: int, max_col: int) -> re.Pattern[bytes]:
    """A `<c` that does not open with r="A1" inside the box (max_row, max_col): the fast path's only check
    per cell. `<col`, `<cfRule` … are not cells (a letter follows `<c`)."""
    box = _le_letters(max_col) + _le_digits(max_row + 1)
    return re.compile(rb'<c(?:[>/\t\r\n]| (?!r="' + box.encode() + rb'"))')


_LAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_FLAG_HIT = re.compile(rb't="[eb]"')
_ATTR = re.compile(rb'([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|c|v|mergeCell|dimension)(?=[\s/>])([^>]*?)(/?)>")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?mergeCell(?=[\s/>])([^>]*)>")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension(?=[\s/>])([^>]*)>")
_VALUE = re.compile(rb"\s*(?:<(?:[A-Za-z_][\w.\-]*:)?f\b[^>]*?(?:/>|>[^<]*</(?:[A-Za-z_][\w.\-]*:)?f>)\s*)?"
                    rb"<(?:[A-Za-z_][\w.\-]*:)?v>([^<]{0,64})<")


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(raw)}


def _flag_text(kind: bytes, value: bytes | None) -> str:
    if kind == b"b":
        return "TRUE" if (value or b"").strip() in (b"1", b"true") else "FALSE"
    text = (value or b"").decode("utf-8", "replace").strip()
    return text or "#LỖI"


# --- the sheet scan ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Styles:
    """What the workbook's styles part says about its cell formats (cellXfs indices): which show a number as a
    percentage, which are bold. Read once per package from xl/styles.xml; advisory (a damaged part reads as none)."""

    percent: frozenset[int] = frozenset()
    bold: frozenset[int] = frozenset()

    def pattern(self) -> re.Pattern[bytes] | None:
        """A regex finding the cells of these styles in sheet XML (their row, column and style index)."""
        ids = sorted(self.percent | self.bold)
        if not ids:
            return None
        alt = b"|".join(str(i).encode() for i in ids)
        return re.compile(rb'<(?:[A-Za-z_][\w.\-]*:)?c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\ss="(' + alt + rb')"')


_BUILTIN_PERCENT = {9, 10}
MAX_STYLED = 2_000_000  # styled cells remembered per sheet


def _is_percent_code(code: str) -> bool:
    """Whether a number format code shows a percentage: a '%' outside quotes and not escaped."""
    code = re.sub(r'"[^"]*"|\\.', "", code)
    return "%" in code.split(";")[0]


def read_styles(zf: zipfile.ZipFile) -> Styles:
    """The percent and bold cell formats of a workbook (empty when it has no readable styles part)."""
    names = {i.filename: i for i in zf.infolist()}
    info = names.get("xl/styles.xml") or next((i for n, i in names.items() if n.lower().endswith("styles.xml")), None)
    if info is None or info.file_size > MAX_SMALL_PART:
        return Styles()
    try:
        root = SafeET.fromstring(zf.read(info))
    except (ParseError, DefusedXmlException, *_ZIP_ERRORS):
        return Styles()
    ns = {"m": _NS_MAIN}
    codes = {int(n.get("numFmtId", "-1")): n.get("formatCode", "") for n in root.iterfind("m:numFmts/m:numFmt", ns)}
    bold_fonts = set()
    for i, font in enumerate(root.iterfind("m:fonts/m:font", ns)):
        b = font.find("m:b", ns)
        if b is not None and b.get("val", "1").lower() not in ("0", "false"):
            bold_fonts.add(i)
    percent, bold = set(), set()
    for i, xf in enumerate(root.iterfind("m:cellXfs/m:xf", ns)):
        try:
            fmt, font = int(xf.get("numFmtId", "0")), int(xf.get("fontId", "0"))
        except ValueError:
            continue
        if fmt in _BUILTIN_PERCENT or fmt in codes and _is_percent_code(codes[fmt]):
            percent.add(i)
        if font in bold_fonts:
            bold.add(i)
    return Styles(frozenset(percent), frozenset(bold))


class _SheetScanner:
    """Feeds blocks of one sheet's XML (each cut right after a `</row>`) and accumulates a SheetScan."""

    def __init__(self, scan: SheetScan, styles: Styles | None = None) -> None:
        self.s = scan
        self.styles = styles
        self.style_re = styles.pattern() if styles is not None else None
        self.row_index = 0  # the general path's cursor, as calamine keeps it
        self.col_index = 0
        self.first = True

    def _note_cell(self, r: int, c: int) -> None:
        s = self.s
        if r > s.max_row:
            s.max_row, s.row_cell = r, (r, c)
        if c > s.max_col:
            s.max_col, s.col_cell = c, (r, c)

    def feed(self, buf: bytes, start: int = 0, end: int | None = None) -> None:
        """Scan buf[start:end] (a view: 40 MB of XML are not copied block by block)."""
        end = len(buf) if end is None else end
        if self.first:
            self.first = False
            m = _DIMENSION.search(buf, start, min(end, start + (1 << 20)))
            if m and (ref := _attrs(m.group(1)).get(b"ref")):
                self.s.dimension = ref.decode("ascii", "replace")[:40]
            # the header rows set the first guess of the box (so one wide header does not fall off the fast path)
            head = _LAST_CELL.findall(buf, start, min(end, start + (256 << 10)))
            if head:  # the cell of the farthest row, then the cell of the farthest column (the messages name them)
                c, r = max(head, key=lambda cr: (len(cr[1]), cr[1]))
                self._note_cell(int(r) - 1, column_index(c))
                c, r = max(head, key=lambda cr: (len(cr[0]), cr[0]))
                self._note_cell(int(r) - 1, column_index(c))
        # ':' is rare in sheet XML: one memchr pass finds none, and no prefixed cell (<x:c>) can hide there
        colon = buf.find(b":", start, end)
        if self.s.canonical and (colon < 0 or buf.find(b":c", colon, end) < 0):
            self._fast(buf, start, end)
        else:
            self.s.canonical = False
            self._general(buf, start, end)
        if buf.find(b"mergeCell", start, end) >= 0:
            self._merges(buf, start, end)
        if self.style_re is not None:
            self._styled(buf, start, end)

    def _styled(self, buf: bytes, start: int, end: int) -> None:
        s, st = self.s, self.styles
        for col, row, idx in self.style_re.findall(buf, start, end):
            if len(s.percent) + len(s.bold) >= MAX_STYLED:
                return
            pos = (int(row) - 1, column_index(col))
            i = int(idx)
            if i in st.percent:
                s.percent.add(pos)
            if i in st.bold:
                s.bold.add(pos)

    def _fast(self, buf: bytes, start: int, end: int) -> None:
        # the last cell of the block: with rows ascending, the block's farthest row
        pos = buf.rfind(b'<c r="', start, end)
        if pos >= 0 and (m := _LAST_CELL.match(buf, pos, end)):
            self._note_cell(int(m.group(2)) - 1, column_index(m.group(1)))
        s = self.s
        if s.max_row >= 0:
            hit = _outlier(s.max_row, s.max_col).search(buf, start, end)
            while hit is not None:
                m = _LAST_CELL.match(buf, hit.start(), end)
                if m is None:  # a cell without r="…" first: this sheet takes the general path
                    s.canonical = False
                    self._general(buf, start, end)
                    return
                self._note_cell(int(m.group(2)) - 1, column_index(m.group(1)))
                hit = _outlier(s.max_row, s.max_col).search(buf, hit.end(), end)
        elif buf.find(b"<c", start, end) >= 0 and re.compile(rb"<c[\s>/]").search(buf, start, end):
            s.canonical = False
            self._general(buf, start, end)
            return
        if _FLAG_HIT.search(buf, start, end):
            self._flags_fast(buf, start, end)
        # keep the general path's cursor where calamine's would be, should a later block need it
        pos = buf.rfind(b'<row r="', start, end)
        if pos >= 0 and (m := re.compile(rb'<row r="([0-9]{1,7})"').match(buf, pos, end)):
            self.row_index, self.col_index = int(m.group(1)), 0

    def _flags_fast(self, buf: bytes, start: int, end: int) -> None:
        for hit in _FLAG_HIT.finditer(buf, start, end):
            tag = buf.rfind(b"<", start, hit.start())
            if tag < 0 or buf[tag:tag + 3] != b"<c ":
                continue  # t="e" inside text, or on another element
            close = buf.find(b">", hit.end(), end)
            a = _attrs(buf[tag:close])
            pos = parse_ref(a.get(b"r", b""))
            if pos is None or close < 0 or buf[close - 1:close] == b"/":
                continue
            v = _VALUE.match(buf, close + 1, end)
            self._flag(pos, a.get(b"t", b""), v.group(1) if v else None)

    def _flag(self, pos: tuple[int, int], kind: bytes, value: bytes | None) -> None:
        if kind in (b"e", b"b") and len(self.s.flags) < MAX_FLAGGED:
            self.s.flags[pos] = _flag_text(kind, value)

    def _general(self, buf: bytes, start: int = 0, end: int | None = None) -> None:
        """Tag by tag, placing cells the way calamine does (a cell without r="…" follows the previous one)."""
        end = len(buf) if end is None else end
        for m in _TAG.finditer(buf, start, end):
            closing, name, raw, empty = m.group(1), m.group(2), m.group(3), m.group(4)
            if name == b"row":
                if closing:
                    self.row_index += 1
                    self.col_index = 0
                elif (r := _attrs(raw).get(b"r")) and r.isdigit() and int(r) >= 1:
                    self.row_index = int(r) - 1
                    self.col_index = 0
            elif name == b"c" and not closing:
                a = _attrs(raw)
                ref = a.get(b"r")
                pos = parse_ref(ref) if ref is not None else (self.row_index, self.col_index)
                if pos is None:
                    raise _refuse("xml_odd", at=self.s.name, part=self.s.part,
                                  detail=f"ô có tham chiếu lạ «{ref.decode('utf-8', 'replace')[:20]}»")
                self.row_index, self.col_index = pos[0], pos[1] + 1
                self._note_cell(*pos)
                if not empty and a.get(b"t") in (b"e", b"b"):
                    v = _VALUE.match(buf, m.end(), end)
                    self._flag(pos, a[b"t"], v.group(1) if v else None)

    def _merges(self, buf: bytes, start: int, end: int) -> None:
        s = self.s
        limit = settings.int_setting("CCHC_MAX_MERGES")
        for m in _MERGE.finditer(buf, start, end):
            ref = _attrs(m.group(1)).get(b"ref", b"").decode("ascii", "replace")
            a, _, b = ref.partition(":")
            p, q = parse_ref(a), parse_ref(b or a)
            if p is None or q is None:
                raise _refuse("xml_odd", at=s.name, part=s.part, detail=f"vùng gộp ô lạ «{ref[:40]}»")
            r0, r1 = sorted((p[0], q[0]))
            c0, c1 = sorted((p[1], q[1]))
            s.merges.append((r0, c0, r1, c1))
            s.merged_cells += (r1 - r0 + 1) * (c1 - c0 + 1)
            if len(s.merges) > limit:
                raise _refuse("sheet_too_many_merges", at=s.name, count=f"hơn {fmt_int(limit)}", limit=fmt_int(limit))


def _read_blocks(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The part as (buffer, start, end) views of about BLOCK bytes, each ending right after a row's end tag (or at
    the end of the part). A piece read is scanned in place; only the rest of a row cut by a read is copied."""
    carry: list[bytes] = []  # the unfinished row(s) of the previous reads
    with zf.open(info) as f:
        while True:
            piece = f.read(BLOCK)
            if not piece:
                break
            last = piece.rfind(b"row>")
            if last < 0:
                carry.append(piece)  # one very long row: keep reading (joined once, so linear)
                continue
            last += 4
            first = piece.find(b"row>") + 4
            if carry:  # the row cut by the previous read, completed by this one's first row end
                head = b"".join([*carry, piece[:first]])
                yield head, 0, len(head)
                carry = []
            else:
                first = 0
            if first < last:
                yield piece, first, last
            if last < len(piece):
                carry = [piece[last:]]
    if carry:
        rest = b"".join(carry)
        yield rest, 0, len(rest)


def scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, styles: Styles | None = None) -> SheetScan:
    """Stream one worksheet part and measure it (see the module docstring); with `styles`, note the cells of its
    percent and bold formats in the same pass."""
    scan = SheetScan(name, info.filename)
    scanner = _SheetScanner(scan, styles)
    for buf, start, end in _read_blocks(zf, info):
        scanner.feed(buf, start, end)
    return scan


# --- package-level checks ----------------------------------------------------------------------
def sniff(data: bytes) -> str:
    """A short description of what the bytes are, for the "not an xlsx" message."""
    if data.startswith(OLE_MAGIC):
        return "Excel 97-2003 (.xls) hoặc tệp được mã hóa"
    if data.startswith(b"%PDF"):
        return "PDF"
    if data.startswith(ZIP_MAGIC):
        return "tệp nén ZIP"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html")) or b"<table" in head:
        return "trang HTML"
    if head.startswith(b"<?xml"):
        return "XML (có thể là bảng tính Excel 2003 XML)" if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096] else "XML"
    if head.startswith(b"{\\rtf"):
        return "văn bản RTF"
    try:
        data[:2048].decode("utf-8")
        return "văn bản (CSV/TXT)"
    except UnicodeDecodeError:
        return "không xác định"


def _prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The bytes of a part before its root element; refuses DTDs, entities and UTF-16/32 encodings."""
    with zf.open(info) as f:
        head = f.read(PROLOG_SCAN)
    part = info.filename
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")) or (
            len(head) > 1 and head[0] == 0 or len(head) > 1 and head[1] == 0):
        raise _refuse("xml_encoding", part=part, encoding="UTF-16/UTF-32")
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    pos = 0
    while True:
        lt = body.find(b"<", pos)
        if lt < 0:
            if len(head) >= PROLOG_SCAN:
                raise _refuse("xml_odd", part=part, detail="phần đầu tệp dài bất thường")
            return body
        if body.startswith(b"<?", lt):
            decl = body[lt:body.find(b"?>", lt) + 2]
            enc = re.search(rb"encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)", decl)
            if enc and enc.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
                raise _refuse("xml_encoding", part=part, encoding=enc.group(1).decode("ascii"))
            pos = lt + 2
        elif body.startswith(b"<!--", lt):
            end = body.find(b"-->", lt)
            if end < 0:
                raise _refuse("xml_odd", part=part, detail="chú thích XML không đóng")
            pos = end + 3
        elif body.startswith(b"<!", lt):
            raise _refuse("xml_attack", part=part)
        else:
            return body[:lt]


def _parse_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    if info.file_size > MAX_SMALL_PART:
        raise _refuse("xml_odd", part=info.filename, detail=f"lớn bất thường ({fmt_int(info.file_size // 1024)} KB)")
    _prolog(zf, info)
    try:
        return SafeET.fromstring(zf.read(info), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise _refuse("xml_attack", part=info.filename) from exc
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise _refuse("xml_invalid", part=info.filename, detail=f"dòng {line}, cột {col + 1}") from exc


def _check_zip(data: bytes) -> zipfile.ZipFile:
    if not data:
        raise _refuse("file_empty")
    limit = settings.max_upload_bytes()
    if len(data) > limit:
        raise _refuse("file_too_large", size_mb=len(data) / 1048576, limit_mb=limit // 1048576)
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P" in data:
            raise _refuse("file_encrypted")
        raise _refuse("file_not_xlsx", detected=sniff(data))
    if not data.startswith(ZIP_MAGIC):
        raise _refuse("file_not_xlsx", detected=sniff(data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except _ZIP_ERRORS as exc:
        raise _refuse("file_corrupt", detail="tệp nén không trọn vẹn (có thể tải lên bị đứt giữa chừng)") from exc
    if len(infos) > settings.int_setting("CCHC_MAX_ZIP_ENTRIES"):
        raise _refuse("zip_too_many_entries", count=fmt_int(len(infos)), limit=fmt_int(settings.int_setting("CCHC_MAX_ZIP_ENTRIES")))
    seen: set[str] = set()
    total = 0
    ratio_limit = float(settings.get("CCHC_MAX_ZIP_RATIO"))
    for info in infos:
        name = info.filename
        low = name.lower()
        if (name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ".." in name.split("/")
                or re.match(r"^[A-Za-z]:", name)):
            raise _refuse("zip_odd_name", part=name[:80])
        if low in seen:
            raise _refuse("zip_duplicate_name", part=name[:80])
        seen.add(low)
        if info.flag_bits & 0x1:
            raise _refuse("zip_encrypted_entry", part=name[:80])
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse("zip_method", part=name[:80])
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size / max(info.compress_size, 1) > ratio_limit:
            raise _refuse("zip_ratio", part=name[:80], size_mb=fmt_int(info.file_size // 1048576),
                          ratio=fmt_int(info.file_size // max(info.compress_size, 1)), limit=fmt_int(ratio_limit))
        if not low.startswith(_ARCHIVES_ALLOWED) and low.endswith(_ARCHIVE_EXT):
            raise _refuse("zip_nested", part=name[:80])
    unzipped_limit = settings.int_setting("CCHC_MAX_UNZIPPED_MB") * 1048576
    if total > unzipped_limit:
        raise _refuse("zip_too_large", size_mb=fmt_int(total // 1048576), limit_mb=fmt_int(unzipped_limit // 1048576))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        detected = "Word .docx" if "word/document.xml" in names else (
            "PowerPoint .pptx" if "ppt/presentation.xml" in names else (
                "Excel nhị phân .xlsb" if "xl/workbook.bin" in names else "tệp nén ZIP"))
        raise _refuse("file_not_xlsx", detected=detected)
    return zf


def _nested_magic(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """A part (outside xl/embeddings) that is itself an archive is refused."""
    for info in infos:
        low = info.filename.lower()
        if low.startswith(_ARCHIVES_ALLOWED) or low.startswith("xl/media/") or info.file_size < 4:
            continue
        with zf.open(info) as f:
            head = f.read(4)
        if head.startswith(_ARCHIVE_MAGIC):
            raise _refuse("zip_nested", part=info.filename[:80])


def _content_types(zf: zipfile.ZipFile) -> None:
    try:
        info = zf.getinfo("[Content_Types].xml")
    except KeyError:
        raise _refuse("xlsx_missing_part", part="[Content_Types].xml") from None
    root = _parse_small(zf, info)
    found = None
    for el in root:
        if el.tag == f"{{{_NS_CT}}}Override" and el.get("PartName", "").lower() == "/xl/workbook.xml":
            found = el.get("ContentType", "")
    if found is None:
        raise _refuse("xlsx_content_type", content_type="(không khai báo)")
    if found.lower() in _CT_MACRO:
        raise _refuse("xlsx_macro")
    if found.lower() not in {c.lower() for c in _CT_OK}:
        raise _refuse("xlsx_content_type", content_type=found[:100])


def _sheets(zf: zipfile.ZipFile, names: set[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """[(sheet name, part)] of the visible worksheets, and the names of the hidden ones."""
    root = _parse_small(zf, zf.getinfo("xl/workbook.xml"))
    try:
        rels_root = _parse_small(zf, zf.getinfo("xl/_rels/workbook.xml.rels"))
    except KeyError:
        raise _refuse("xlsx_missing_part", part="xl/_rels/workbook.xml.rels") from None
    rels: dict[str, tuple[str, str, str]] = {}
    for el in rels_root:
        if el.tag == f"{{{_NS_PKG_REL}}}Relationship":
            rels[el.get("Id", "")] = (el.get("Type", ""), el.get("Target", ""), el.get("TargetMode", ""))
    if any(t.endswith("/vbaProject") for t, _, _ in rels.values()):
        raise _refuse("xlsx_macro")
    sheets_el = root.find(f"{{{_NS_MAIN}}}sheets")
    declared = list(sheets_el) if sheets_el is not None else []
    limit = settings.int_setting("CCHC_MAX_SHEETS")
    if len(declared) > limit:
        raise _refuse("too_many_sheets", count=fmt_int(len(declared)), limit=fmt_int(limit))
    visible: list[tuple[str, str]] = []
    hidden: list[str] = []
    for el in declared:
        name = el.get("name", "")
        rid = el.get(f"{{{_NS_REL}}}id", "")
        typ, target, mode = rels.get(rid, ("", "", ""))
        if typ.endswith(("/macrosheet", "/dialogsheet")) or "macrosheets/" in target:
            raise _refuse("xlsx_macro")
        if mode.lower() == "external":
            raise _refuse("sheet_external", sheet=name, target=target[:80])
        if not typ.endswith("/worksheet"):
            continue  # chart sheets hold no cells
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if part not in names:
            raise _refuse("sheet_part_missing", sheet=name, part=part[:80])
        if el.get("state", "visible") in ("hidden", "veryHidden"):
            hidden.append(name)
        else:
            visible.append((name, part))
    if "xl/vbaProject.bin" in names:
        raise _refuse("xlsx_macro")
    return visible, hidden


def check_limits(scan: SheetScan) -> list[Problem]:
    """The Vietnamese refusals of a sheet whose used range or merged area is beyond the settings' limits."""
    rows, cols = scan.rows, scan.cols
    out: list[Problem] = []
    note = "" if scan.dimension is None else " " + message("sheet_dimension_note", dimension=scan.dimension)

    def refuse(key: str, at: tuple[int, int] | None, **values: object) -> None:
        r, c = at if at is not None else (None, None)
        out.append(Problem(scan.name, r + 1 if r is not None else None, column_letter(c) if c is not None else None,
                           message(key, **values) + note))

    max_rows, max_cols = settings.int_setting("CCHC_MAX_ROWS"), settings.int_setting("CCHC_MAX_COLUMNS")
    if rows > max_rows and cols > max_cols and scan.row_cell == scan.col_cell and scan.row_cell is not None \
            and scan.max_row == rows - 1 and scan.max_col == cols - 1:  # one far cell: one message
        refuse("sheet_too_far", scan.row_cell, cell=cell_name(*scan.row_cell), rows=fmt_int(rows), cols=fmt_int(cols),
               max_rows=fmt_int(max_rows), max_cols=fmt_int(max_cols))
        return out
    if rows > max_rows:
        merge = next((m for m in scan.merges if m[2] == rows - 1), None) if scan.max_row < rows - 1 else None
        if merge is not None:
            refuse("sheet_merge_too_far", (merge[0], merge[1]), range=_range(merge), what=f"{fmt_int(rows)} dòng",
                   limit=f"{fmt_int(max_rows)} dòng")
        else:
            cell = scan.row_cell or (rows - 1, 0)
            refuse("sheet_too_many_rows", cell, cell=cell_name(*cell), rows=fmt_int(rows), limit=fmt_int(max_rows))
    if cols > max_cols:
        merge = next((m for m in scan.merges if m[3] == cols - 1), None) if scan.max_col < cols - 1 else None
        if merge is not None:
            refuse("sheet_merge_too_far", (merge[0], merge[1]), range=_range(merge), what=f"{fmt_int(cols)} cột",
                   limit=f"{fmt_int(max_cols)} cột")
        else:
            cell = scan.col_cell or (0, cols - 1)
            refuse("sheet_too_many_columns", cell, cell=cell_name(*cell), column=column_letter(cols - 1),
                   cols=fmt_int(cols), limit=fmt_int(max_cols))
    max_cells = settings.int_setting("CCHC_MAX_CELLS")
    if not out and rows * cols > max_cells:
        refuse("sheet_too_many_cells", None, range=f"A1:{cell_name(rows - 1, cols - 1)}", rows=fmt_int(rows),
               cols=fmt_int(cols), cells=fmt_int(rows * cols), limit=fmt_int(max_cells))
    merged_limit = settings.int_setting("CCHC_MAX_MERGED_CELLS")
    if not out and scan.merged_cells > merged_limit:
        big = max(scan.merges, key=lambda m: (m[2] - m[0] + 1) * (m[3] - m[1] + 1))
        size = (big[2] - big[0] + 1) * (big[3] - big[1] + 1)
        if size > merged_limit:
            refuse("sheet_merge_too_large", (big[0], big[1]), range=_range(big), cells=fmt_int(size), limit=fmt_int(merged_limit))
        else:
            refuse("sheet_merged_too_many", None, cells=fmt_int(scan.merged_cells), count=fmt_int(len(scan.merges)),
                   limit=fmt_int(merged_limit))
    return out


def _range(m: tuple[int, int, int, int]) -> str:
    return f"{cell_name(m[0], m[1])}:{cell_name(m[2], m[3])}"


@dataclass
class Package:
    """An opened upload that passed the package-level checks, with the visible worksheets still to measure."""

    zf: zipfile.ZipFile
    infos: list[zipfile.ZipInfo]
    visible: list[tuple[str, str]]  # (sheet name, part)
    hidden: list[str]
    styles: Styles = field(default_factory=Styles)

    def size(self, part: str) -> int:
        """Uncompressed size of a part."""
        return self.zf.getinfo(part).file_size

    def measure(self, name: str, part: str) -> SheetScan:
        """Scan one visible worksheet and check its limits; InspectionError (naming the sheet) when refused."""
        try:
            scan = scan_sheet(self.zf, self.zf.getinfo(part), name, self.styles)
        except InspectionError as exc:
            raise InspectionError([p if p.sheet != FILE else Problem(name, p.row, p.column, p.message, p.severity)
                                   for p in exc.problems]) from exc
        except zipfile.BadZipFile as exc:
            raise _refuse("file_corrupt", detail=f"phần dữ liệu của trang «{name}» bị hỏng (sai mã kiểm tra CRC)") from exc
        except _ZIP_ERRORS as exc:
            raise _refuse("file_corrupt", detail=f"phần dữ liệu của trang «{name}» bị cắt cụt") from exc
        if problems := check_limits(scan):
            raise InspectionError(problems)
        return scan

    def close(self) -> None:
        self.zf.close()


def open_package(data: bytes) -> Package:
    """The package-level checks (sizes, ratios, parts, prologs, content types, sheets), which cost milliseconds;
    InspectionError (Vietnamese) when refused. The caller measures the sheets (Package.measure) and closes it."""
    zf = _check_zip(data)
    try:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        for info in infos:  # every XML part calamine may read: no DTD, no entity, no UTF-16
            if info.filename.lower().endswith((".xml", ".rels", ".vml")) and info.file_size:
                _prolog(zf, info)
        _nested_magic(zf, infos)
        _content_types(zf)
        visible, hidden = _sheets(zf, names)
        return Package(zf, infos, visible, hidden, read_styles(zf))
    except _ZIP_ERRORS as exc:
        zf.close()
        raise _refuse("file_corrupt", detail="một phần của tệp nén bị hỏng hoặc bị cắt cụt") from exc
    except InspectionError:
        zf.close()
        raise


def inspect_workbook(data: bytes) -> Inspection:
    """Check an upload's package and measure every visible worksheet, in that order; raise InspectionError
    (Vietnamese, every refused sheet named) when refused."""
    pkg = open_package(data)
    try:
        scans: list[SheetScan] = []
        problems: list[Problem] = []
        for name, part in pkg.visible:
            try:
                scans.append(pkg.measure(name, part))
            except InspectionError as exc:
                problems += exc.problems
        if problems:
            raise InspectionError(problems)
        return Inspection(len(pkg.infos), sum(i.compress_size for i in pkg.infos), sum(i.file_size for i in pkg.infos),
                          scans, pkg.hidden)
    finally:
        pkg.close()


def explain(source: bytes | str) -> list[Problem]:
    """The inspection's refusal of a file (bytes or a path), or [] when it finds nothing to refuse: run by the parse
    child after a reader gave up on the file (loaders/sandbox.py), so that the user reads why."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        inspect_workbook(data)
    except InspectionError as exc:
        return exc.problems
    return []
