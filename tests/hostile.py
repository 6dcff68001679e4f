"""Builder of hostile workbooks, written part by part (no library between the test and the bytes), and the
table of cases tests/test_hostile.py runs: each with its expected outcome, message and place.

`xlsx()` writes a package from sheet XML; `sheet_xml()` writes rows of Python values as cells (str as
inline strings, numbers, bool as t="b", Err("#DIV/0!") as t="e", Raw("<c …>") as they are, dates with a
date style). The base workbooks are a plan appendix, indicator values, PAR scores, a catalogue and a
progress report, each valid; every case changes one thing.
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class Err:
    """An error cell (#DIV/0!, #N/A …)."""

    text: str


@dataclass(frozen=True)
class Raw:
    """Cell XML written as it is."""

    xml: str


def col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _serial(d: date | datetime) -> float:
    base = datetime(1899, 12, 30)
    dt = d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)
    return (dt - base).total_seconds() / 86400


def cell(ref: str, v: object) -> str:
    """One `<c>` of a Python value."""
    if v is None:
        return ""
    if isinstance(v, Raw):
        return v.xml
    if isinstance(v, Err):
        return f'<c r="{ref}" t="e"><v>{escape(v.text)}</v></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (date, datetime)):
        return f'<c r="{ref}" s="1"><v>{_serial(v):g}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'


def sheet_xml(rows: list[list[object]], dimension: str | None = None, merges: list[str] = (), tail: str = "",
              head: str = "", prolog: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n') -> str:
    """A worksheet part from rows of values (row 1 first)."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell(f"{col_letter(c)}{r}", v) for c, v in enumerate(row))
        if cells:
            body.append(f'<row r="{r}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    mc = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>") if merges else ""
    return f'{prolog}<worksheet xmlns="{NS}" xmlns:r="{NS_R}">{head}{dim}<sheetData>{"".join(body)}{tail}</sheetData>{mc}</worksheet>'


def sheet_xml_without_refs(rows: list[list[object]]) -> str:
    """A worksheet whose rows and cells carry no r="…" (positions implied by order, as some generators write)."""
    body = []
    for row in rows:
        cells = "".join(cell("A1", v).replace(' r="A1"', "") if v is not None else "<c></c>" for v in row)
        body.append(f"<row>{cells}</row>")
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>{"".join(body)}</sheetData></worksheet>'


STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>')


def xlsx(sheets: list[tuple[str, str]], *, content_type: str = CT_MAIN, extra: dict[str, bytes | str] | None = None,
         drop: tuple[str, ...] = (), replace: dict[str, bytes | str] | None = None, states: dict[str, str] | None = None,
         workbook_xml: str | None = None, rels_xml: str | None = None, compression: int = zipfile.ZIP_DEFLATED,
         targets: dict[str, str] | None = None) -> bytes:
    """A package with `sheets` [(name, sheet XML)], every part written by hand."""
    states = states or {}
    targets = targets or {}
    parts: dict[str, bytes | str] = {}
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_SHEET}"/>' for i in range(1, len(sheets) + 1))
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{content_type}"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f'{overrides}</Types>')
    parts["_rels/.rels"] = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                            '</Relationships>')
    sheet_el = "".join(
        f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"' + (f' state="{states[n]}"' if n in states else "") + "/>"
        for i, (n, _x) in enumerate(sheets, start=1))
    parts["xl/workbook.xml"] = workbook_xml or (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{NS_R}">'
                                                f'<sheets>{sheet_el}</sheets></workbook>')
    rel_el = "".join(
        f'<Relationship Id="rId{i}" Type="{NS_R}/worksheet" Target="{targets.get(n, f"worksheets/sheet{i}.xml")}"/>'
        for i, (n, _x) in enumerate(sheets, start=1))
    parts["xl/_rels/workbook.xml.rels"] = rels_xml or (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{rel_el}<Relationship Id="rIdS" Type="{NS_R}/styles" Target="styles.xml"/></Relationships>')
    parts["xl/styles.xml"] = STYLES
    for i, (_n, x) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = x
    parts.update(replace or {})
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in parts.items():
            if name not in drop:
                z.writestr(name, data)
    return out.getvalue()


# --- the valid base workbooks ------------------------------------------------------------------------------
TITLE = [["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH"], ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH NĂM 2024"], []]
PLAN_HEADER = ["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]
PLAN_ROWS = [
    ["I", "Cải cách thể chế", None, None, None, None],
    [1, "Rà soát văn bản", "1.1. Báo cáo rà soát", "Sở Tư pháp", "Các Sở, ban, ngành", "Quý II năm 2024"],
    [None, None, "1.2. Công bố danh mục", "Văn phòng UBND tỉnh", None, "Năm 2024"],
    [2, "Kiểm tra", "Kế hoạch kiểm tra", "Sở Nội vụ", "UBND cấp huyện", "Hàng năm"],
]
PLAN_SHEET = "Phụ lục"  # rows: title 1-3, header 4, data 5-8


def plan_rows(changes: dict[tuple[int, int], object] | None = None, extra: list[list[object]] = ()) -> list[list[object]]:
    """Title, header and plan rows; `changes` {(excel row, zero-based col): value} overwrite cells."""
    rows = [list(r) for r in TITLE] + [list(PLAN_HEADER)] + [list(r) for r in PLAN_ROWS] + [list(r) for r in extra]
    for (r, c), v in (changes or {}).items():
        while len(rows) < r:
            rows.append([])
        row = rows[r - 1]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = v
    return rows


def plan_book(changes: dict[tuple[int, int], object] | None = None, **kw: object) -> bytes:
    """The plan appendix, valid unless `changes` make it otherwise."""
    sheet_kw = {k: kw.pop(k) for k in ("dimension", "merges", "tail", "head", "prolog") if k in kw}
    return xlsx([(PLAN_SHEET, sheet_xml(plan_rows(changes), **sheet_kw))], **kw)


VALUES_SHEET = "Số liệu"  # title 1, header 2, data from 3
VALUES_HEADER = ["Mã chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"]
RATE = "TTHC_ONLINE_DOSSIER_RATE"
VALUE_ROW = [RATE, "36", "Tỉnh Nam Định", 2024, 1, 50.0, 5, 10]


def values_rows(*rows: list[object]) -> list[list[object]]:
    return [["SỐ LIỆU CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH"], list(VALUES_HEADER), *[list(r) for r in rows]]


def values_book(*rows: list[object], sheets: int = 1) -> bytes:
    """Indicator values (long layout) with `rows` (default one valid row), on one or more identical sheets."""
    data = values_rows(*(rows or [VALUE_ROW]))
    return xlsx([(VALUES_SHEET if i == 0 else f"{VALUES_SHEET} {i + 1}", sheet_xml(data)) for i in range(sheets)])


def value_row(**changes: object) -> list[object]:
    """VALUE_ROW with some columns changed by header role: year, quarter, value, num, den, indicator."""
    row = list(VALUE_ROW)
    pos = {"indicator": 0, "unit": 1, "unit_name": 2, "year": 3, "quarter": 4, "value": 5, "num": 6, "den": 7}
    for k, v in changes.items():
        row[pos[k]] = v
    return row


PAR_SHEET = "Sở ngành 2023"
PAR_HEADER = ["STT", "Mã", "Cơ quan, đơn vị", "Năm", "Cải cách thủ tục hành chính (tối đa 12 điểm)", "Tổng điểm (tối đa 100 điểm)", "Xếp hạng"]


def par_rows(*rows: list[object], title: str = "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH") -> list[list[object]]:
    rows = rows or ([1, "STP", "Sở Tư pháp", 2023, 10.5, 85.2, 1],)
    return [[title], list(PAR_HEADER), *[list(r) for r in rows]]


def par_book(*rows: list[object], sheets: int = 1) -> bytes:
    data = par_rows(*rows)
    return xlsx([(PAR_SHEET if i == 0 else f"{PAR_SHEET} ({i + 1})", sheet_xml(data)) for i in range(sheets)])


CAT_SHEET = "Danh mục chỉ tiêu"
CAT_HEADER = ["STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Lĩnh vực", "Đơn vị tính", "Cấp áp dụng", "Địa bàn", "Chỉ tiêu 2025", "Chỉ tiêu 2030"]


def catalogue_book(target_2025: object = "Tối thiểu 80%", header_2030: str = "Chỉ tiêu 2030", sheets: int = 1,
                   unit: str = "%") -> bytes:
    header = CAT_HEADER[:-1] + [header_2030]
    data = [["DANH MỤC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH"], header,
            [1, "HOSTILE_TEST_RATE", "Tỷ lệ thử nghiệm", "Cải cách thủ tục hành chính", unit, "Cấp tỉnh", None, target_2025, "100%"]]
    return xlsx([(CAT_SHEET if i == 0 else f"{CAT_SHEET} {i + 1}", sheet_xml(data)) for i in range(sheets)])


PROGRESS_SHEET = "Tiến độ"
PROGRESS_HEADER = ["Mã sản phẩm", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái", "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh"]


def progress_book(*rows: list[object]) -> bytes:
    rows = rows or (["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Đang thực hiện", 50, None],)
    return xlsx([(PROGRESS_SHEET, sheet_xml([["BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CCHC"], list(PROGRESS_HEADER), *rows]))])


# --- package surgery ---------------------------------------------------------------------------------------
def rezip(data: bytes, change: Callable[[str, bytes], bytes | None] | None = None, add: dict[str, bytes] | None = None,
          compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The package again, each part through `change` (None drops it), plus `add`."""
    import warnings

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an added part may repeat a name: the fuzz test means it
        for info in src.infolist():
            body = src.read(info.filename)
            body = change(info.filename, body) if change else body
            if body is not None:
                z.writestr(info.filename, body)
        for name, body in (add or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def lie_about_size(data: bytes, part: str, size: int) -> bytes:
    """The package with `part`'s uncompressed size in the central directory replaced by `size` (a declared bomb)."""
    buf = bytearray(data)
    name = part.encode()
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) >= 0:
        n = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + n]) == name:
            struct.pack_into("<I", buf, pos + 24, min(size, 0xFFFFFFFE))
            return bytes(buf)
        pos += 4
    raise AssertionError(f"{part} not in the package")


def duplicate_entry(data: bytes, part: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name": exactly what this builds
            z.writestr(part, src.read(part))
    return out.getvalue()


def encrypted_flag(data: bytes, part: str) -> bytes:
    """Set the "encrypted" bit of one entry (local and central headers)."""
    buf = bytearray(data)
    name = part.encode()
    for sig, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        pos = 0
        while (pos := buf.find(sig, pos)) >= 0:
            n = struct.unpack_from("<H", buf, pos + name_len_at)[0]
            if bytes(buf[pos + name_at:pos + name_at + n]) == name:
                struct.pack_into("<H", buf, pos + flag_at, struct.unpack_from("<H", buf, pos + flag_at)[0] | 1)
            pos += 4
    return bytes(buf)


def corrupt_data(data: bytes, part: str) -> bytes:
    """Flip bytes inside one entry's compressed data (its CRC no longer matches)."""
    buf = bytearray(data)
    name = part.encode()
    pos = 0
    while (pos := buf.find(b"PK\x03\x04", pos)) >= 0:
        n, m = struct.unpack_from("<HH", buf, pos + 26)
        if bytes(buf[pos + 30:pos + 30 + n]) == name:
            start = pos + 30 + n + m
            size = struct.unpack_from("<I", buf, pos + 18)[0]
            for i in range(start + size // 3, start + size // 3 + 8):
                buf[i] ^= 0x55
            return bytes(buf)
        pos += 4
    raise AssertionError(part)


# --- the cases -------------------------------------------------------------------------------------------------
@dataclass
class Case:
    """One hostile workbook: the bytes, the outcome, words of the message and where it points."""

    id: str
    build: Callable[[], bytes]
    outcome: str  # refused | accepted
    words: str | None = None  # in an error (refused) or a warning (accepted)
    where: tuple[str, int | None, str | None] | None = None  # (sheet, row, column) of that message
    note: str = ""
    check: Callable[[object], None] | None = field(default=None, repr=False)  # more assertions on the ParseResult
    env: dict[str, str] = field(default_factory=dict)  # settings for this case (a lowered or lifted limit)
    isolated_only: bool = False  # the case needs the parse child (it would take the test process down)


F = "(tệp)"
XXE = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)) + "]>\n")


def _sst(strings: list[str], prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return (f'{prolog}<sst xmlns="{NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")


def _with_sst(data: bytes, sst: str) -> bytes:
    def change(name: str, body: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return body.replace(b"</Relationships>", f'<Relationship Id="rIdSS" Type="{NS_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'.encode())
        if name == "xl/worksheets/sheet1.xml":  # the task text of row 6 comes from the shared strings
            return body.replace('<c r="B6" t="inlineStr"><is><t xml:space="preserve">Rà soát văn bản</t></is></c>'.encode(),
                                b'<c r="B6" t="s"><v>0</v></c>')
        return body
    return rezip(data, change, {"xl/sharedStrings.xml": sst.encode()})


def _nested_rows(depth: int) -> str:
    return "<row r=\"9\">" + "<x>" * depth + "</x>" * depth + "</row>"


def _many_merges(n: int) -> list[str]:
    return [f"H{r}:I{r}" for r in range(10, 10 + n)]


def _ten_k_sheets() -> bytes:
    n = 10_000
    wb = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{NS_R}"><sheets>'
          + "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, n + 1)) + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{NS_R}/worksheet" Target="worksheets/sheet1.xml"/>' for i in range(1, n + 1))
            + "</Relationships>")
    return xlsx([(PLAN_SHEET, sheet_xml(plan_rows()))], workbook_xml=wb, rels_xml=rels)


def _sheets(n: int) -> bytes:
    return xlsx([(f"Trang {i}", sheet_xml(plan_rows())) for i in range(1, n + 1)])


def _hidden_chars_check(res: object) -> None:
    texts = [o.task for o in res.outputs] + [o.output for o in res.outputs]  # type: ignore[attr-defined]
    assert "Rà soát văn bản" in texts, texts
    assert not any(ch in t for t in texts for ch in "\u202e\u200b\u200f\x07"), texts


def _accepted_plan(res: object) -> None:
    assert [(o.task_no, o.output_no) for o in res.outputs] == [("1", "1.1"), ("1", "1.2"), ("2", None)]  # type: ignore[attr-defined]


def _number_check(value: float) -> Callable[[object], None]:
    def check(res: object) -> None:
        assert res.frames["indicator_values"]["numerator"].tolist() == [value], res.frames  # type: ignore[attr-defined]
    return check


CASES: list[Case] = [
    # --- issue point 1: a small file that kills the server --------------------------------------------------
    Case("cell-at-XFD1048576", lambda: plan_book({(1048576, 16383): 1}), "refused", "XFD1048576", (PLAN_SHEET, 1048576, "XFD")),
    Case("merge-A20-XFD1048576", lambda: plan_book(merges=["A20:XFD1048576"]), "refused", "A20:XFD1048576", (PLAN_SHEET, 20, "A")),
    Case("cell-far-down-A900000", lambda: plan_book({(900000, 0): "x"}), "refused", "A900000", (PLAN_SHEET, 900000, "A")),
    Case("cell-far-right-ALM1", lambda: plan_book({(1, 1000): "x"}), "refused", "cột ALM", (PLAN_SHEET, 1, "ALM")),
    Case("used-range-too-many-cells", lambda: plan_book({(6000, 999): 1}), "refused", "6.000 dòng × 1.000 cột", (PLAN_SHEET, None, None)),
    Case("huge-dimension-tag-few-cells", lambda: plan_book(dimension="A1:XFD1048576"), "accepted", check=_accepted_plan,
         note="calamine sizes the grid from the cells, not the tag"),
    Case("lying-dimension-tag", lambda: plan_book({(5, 18277): "x"}, dimension="A1:F8"), "refused", "A1:F8", (PLAN_SHEET, 5, "ZZZ")),
    Case("cells-without-r-far-down", lambda: plan_book(tail='<row r="1048576"><c><v>1</v></c></row>'), "refused", "A1048576",
         (PLAN_SHEET, 1048576, "A")),
    Case("prefixed-cell-far-right", lambda: plan_book(tail='<row r="9"><x:c r="XFD9"><v>1</v></x:c></row>'), "refused", "XFD9",
         (PLAN_SHEET, 9, "XFD")),
    Case("rows-out-of-order", lambda: plan_book(tail='<row r="900000"><c r="B900000"><v>1</v></c></row><row r="9"><c r="A9"><v>1</v></c></row>'),
         "refused", "B900000", (PLAN_SHEET, 900000, "B")),
    Case("cell-row-differs-from-its-row", lambda: plan_book(tail='<row r="9"><c r="C999999"><v>1</v></c></row>'), "refused",
         "C999999", (PLAN_SHEET, 999999, "C")),
    Case("many-merges", lambda: plan_book(merges=_many_merges(20_001)), "refused", "20.000", (PLAN_SHEET, None, None)),
    Case("merges-covering-too-much", lambda: plan_book(merges=[f"A{r}:J{r + 99}" for r in range(100, 100 + 100 * 1001, 100)]),
         "refused", "1.001.000 ô", (PLAN_SHEET, None, None)),
    Case("one-merge-too-large", lambda: plan_book(merges=["A10:ALL2000"]), "refused", "A10:ALL2000", (PLAN_SHEET, 10, "A")),
    Case("deep-xml-nesting", lambda: plan_book(tail=_nested_rows(50_000)), "accepted", check=_accepted_plan,
         note="no recursion anywhere: the nested elements are ignored"),
    Case("cells-without-r-valid", lambda: xlsx([(PLAN_SHEET, sheet_xml_without_refs(plan_rows()))]),
         "accepted", check=_accepted_plan, note="the general path places cells as calamine does"),
    Case("hidden-sheet-with-far-cell", lambda: xlsx([(PLAN_SHEET, sheet_xml(plan_rows())), ("Ẩn", sheet_xml([[Raw('<c r="XFD1048576"><v>1</v></c>')]]))],
                                                    states={"Ẩn": "hidden"}), "accepted", check=_accepted_plan,
         note="hidden sheets are never read"),
    # --- zip level ------------------------------------------------------------------------------------------------
    Case("zip-bomb-ratio", lambda: rezip(plan_book(), add={"xl/media/image1.png": b"\0" * (50 << 20)}), "refused", "bom nén", (F, None, None)),
    Case("zip-declared-4GB", lambda: lie_about_size(rezip(plan_book(), add={"xl/media/a.bin": b"x" * 1000}), "xl/media/a.bin", 4 << 30),
         "refused", "bom nén", (F, None, None)),
    Case("unzipped-total-over-the-setting", lambda: rezip(plan_book(), add={"xl/media/a.bin": random.Random(7).randbytes(3 << 20)}),
         "refused", "quá lớn (3 MB, giới hạn 2 MB)", (F, None, None), env={"CCHC_MAX_UNZIPPED_MB": "2"}),
    Case("big-sheet-with-far-cell", lambda: values_book(*[value_row(unit="356", year=2000 + i // 4000, quarter=1 + i // 1000 % 4,
                                                                     value=float(i % 100)) for i in range(40_000)],
                                                        value_row(value=Raw('<c r="XFD1048576"><v>1</v></c>'))),
         "refused", "XFD1048576", (VALUES_SHEET, 1048576, "XFD"),
         note="20 MB of sheet XML: in the parse child it is measured while calamine reads it; calamine gives up "
              "first (512 GB) and the measurement explains the refusal"),
    # with the inspection's limits lifted, the reader itself meets the file: the child's limits hold
    Case("XFD1048576-limits-lifted", lambda: plan_book({(1048576, 16383): 1}), "refused", "hệ thống vẫn hoạt động bình thường",
         (F, None, None), env={"CCHC_MAX_ROWS": "2000000", "CCHC_MAX_COLUMNS": "20000", "CCHC_MAX_CELLS": "100000000000000",
                               "CCHC_PARSE_MEMORY_MB": "768"}, isolated_only=True, note="calamine asks for 512 GB: aborted in the child"),
    Case("merge-A20-limits-lifted", lambda: plan_book(merges=["A20:XFD1048576"]), "refused", "hệ thống vẫn hoạt động bình thường",
         (F, None, None), env={"CCHC_MAX_ROWS": "2000000", "CCHC_MAX_COLUMNS": "20000", "CCHC_MAX_CELLS": "100000000000000",
                               "CCHC_MAX_MERGED_CELLS": "100000000000000", "CCHC_PARSE_MEMORY_MB": "768"}, isolated_only=True,
         note="the merged fill runs out of memory in the child"),
    Case("sheet-size-lies", lambda: lie_about_size(plan_book(), "xl/worksheets/sheet1.xml", 100), "refused", "bị hỏng", (F, None, None)),
    Case("nested-zip", lambda: rezip(plan_book(), add={"xl/worksheets/inner.zip": plan_book()}), "refused", "lồng", (F, None, None)),
    Case("nested-zip-by-content", lambda: rezip(plan_book(), add={"xl/printerSettings/printerSettings1.bin": plan_book()}), "refused",
         "lồng", (F, None, None)),
    Case("embedded-workbook-allowed", lambda: rezip(plan_book(), add={"xl/embeddings/Microsoft_Excel_Worksheet.xlsx": plan_book()}),
         "accepted", check=_accepted_plan),
    Case("too-many-zip-entries", lambda: rezip(plan_book(), add={f"xl/media/i{i}.png": b"x" for i in range(2001)}), "refused",
         "2.000", (F, None, None)),
    Case("duplicate-zip-entry", lambda: duplicate_entry(plan_book(), "xl/worksheets/sheet1.xml"), "refused", "cùng tên", (F, None, None)),
    Case("path-traversal-entry", lambda: rezip(plan_book(), add={"../../evil.xml": b"<x/>"}), "refused", "tên bất thường", (F, None, None)),
    Case("encrypted-zip-entry", lambda: encrypted_flag(plan_book(), "xl/worksheets/sheet1.xml"), "refused", "mật khẩu", (F, None, None)),
    Case("crc-mismatch", lambda: corrupt_data(plan_book(compression=zipfile.ZIP_STORED), "xl/worksheets/sheet1.xml"), "refused",
         "bị hỏng", (F, None, None)),
    Case("truncated-zip", lambda: plan_book()[:900], "refused", "bị hỏng", (F, None, None)),
    Case("bzip2-entries", lambda: rezip(plan_book(), compression=zipfile.ZIP_BZIP2), "refused", "kiểu nén", (F, None, None)),
    # --- XML attacks -------------------------------------------------------------------------------------------------
    Case("xxe-in-sheet", lambda: plan_book(prolog=XXE), "refused", "XXE", (F, None, None)),
    Case("billion-laughs-in-sheet", lambda: plan_book(prolog=LAUGHS), "refused", "billion laughs", (F, None, None)),
    Case("external-entity-in-shared-strings", lambda: _with_sst(plan_book(), _sst(["&xxe;"], prolog=XXE).replace("&amp;xxe;", "&xxe;")),
         "refused", "xl/sharedStrings.xml", (F, None, None)),
    Case("doctype-in-workbook-xml", lambda: rezip(plan_book(), lambda n, b: b.replace(b"<workbook", b'<!DOCTYPE workbook [<!ENTITY a "b">]><workbook', 1)
                                                  if n == "xl/workbook.xml" else b), "refused", "xl/workbook.xml", (F, None, None)),
    Case("doctype-in-content-types", lambda: rezip(plan_book(), lambda n, b: b.replace(b"<Types", b"<!DOCTYPE Types SYSTEM \"http://x/t.dtd\"><Types", 1)
                                                   if n == "[Content_Types].xml" else b), "refused", "[Content_Types].xml", (F, None, None)),
    Case("doctype-in-styles", lambda: rezip(plan_book(), lambda n, b: LAUGHS.encode() + b.split(b"?>", 1)[1] if n == "xl/styles.xml" else b),
         "refused", "xl/styles.xml", (F, None, None)),
    Case("utf16-sheet", lambda: plan_book(replace={"xl/worksheets/sheet1.xml": sheet_xml(plan_rows(), prolog='<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")}),
         "refused", "UTF-16", (F, None, None)),
    Case("sheet-xml-garbage", lambda: plan_book(replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c r=\"A1\"><v>1</v></row>\x00\x01garbage"}),
         "refused", "bị hỏng", (PLAN_SHEET, None, None)),
    Case("workbook-xml-not-xml", lambda: plan_book(replace={"xl/workbook.xml": b"this is not xml"}), "refused", "không phải XML hợp lệ",
         (F, None, None)),
    # --- not a workbook / the wrong kind --------------------------------------------------------------------------
    Case("macro-enabled-content-type", lambda: plan_book(content_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml"), "refused",
         "macro", (F, None, None)),
    Case("vba-project-part", lambda: rezip(plan_book(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 100}), "refused", "macro",
         (F, None, None)),
    Case("xlm-macro-sheet", lambda: xlsx([(PLAN_SHEET, sheet_xml(plan_rows())), ("Macro1", "<x/>")], targets={"Macro1": "macrosheets/sheet1.xml"},
                                         extra={"xl/macrosheets/sheet1.xml": "<x/>"}), "refused", "macro", (F, None, None)),
    Case("wrong-content-type", lambda: plan_book(content_type="application/xml"), "refused", "application/xml", (F, None, None)),
    Case("missing-content-types", lambda: plan_book(drop=("[Content_Types].xml",)), "refused", "[Content_Types].xml", (F, None, None)),
    Case("missing-workbook-rels", lambda: plan_book(drop=("xl/_rels/workbook.xml.rels",)), "refused", "workbook.xml.rels", (F, None, None)),
    Case("missing-sheet-part", lambda: plan_book(drop=("xl/worksheets/sheet1.xml",)), "refused", f"Trang «{PLAN_SHEET}»", (F, None, None)),
    Case("external-sheet-target", lambda: rezip(plan_book(), lambda n, b: b.replace(b'Target="worksheets/sheet1.xml"/>',
                                                                                b'Target="http://evil.example/s.xml" TargetMode="External"/>')
                                                if n == "xl/_rels/workbook.xml.rels" else b), "refused", "ngoài tệp", (F, None, None)),
    Case("xls-97-2003", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "refused", "97-2003", (F, None, None)),
    Case("encrypted-xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 200, "refused",
         "mật khẩu", (F, None, None)),
    Case("csv-renamed", lambda: "STT,Nhiệm vụ\n1,Rà soát\n".encode(), "refused", "CSV", (F, None, None)),
    Case("html-renamed", lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>", "refused", "HTML", (F, None, None)),
    Case("excel-2003-xml-renamed", lambda: b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
         "refused", "2003 XML", (F, None, None)),
    Case("pdf-renamed", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "refused", "PDF", (F, None, None)),
    Case("docx-renamed", lambda: rezip(plan_book(), lambda n, b: None if n == "xl/workbook.xml" else b, add={"word/document.xml": b"<w/>"}),
         "refused", "Word", (F, None, None)),
    Case("xlsb-renamed", lambda: rezip(plan_book(), lambda n, b: None if n == "xl/workbook.xml" else b, add={"xl/workbook.bin": b"\0"}),
         "refused", "nhị phân", (F, None, None)),
    Case("empty-file", lambda: b"", "refused", "rỗng", (F, None, None)),
    Case("only-empty-sheets", lambda: xlsx([("Trống", sheet_xml([])), ("Trống 2", sheet_xml([]))]), "refused", "Không tìm thấy bảng",
         (F, None, None)),
    Case("ten-thousand-sheets", _ten_k_sheets, "refused", "10.000 trang", (F, None, None)),
    Case("fifty-one-sheets", lambda: _sheets(51), "refused", "51 trang", (F, None, None)),
    # --- issue point 4: garbage that was accepted ---------------------------------------------------------------------
    Case("value-INF", lambda: values_book(value_row(value=Raw('<c r="F3"><v>INF</v></c>'))), "refused", "không phải một số hữu hạn",
         (VALUES_SHEET, 3, "F")),
    Case("value-1e309", lambda: values_book(value_row(value=Raw('<c r="F3"><v>1e309</v></c>'))), "refused", "không phải một số hữu hạn",
         (VALUES_SHEET, 3, "F")),
    Case("value-NaN", lambda: values_book(value_row(value=Raw('<c r="F3"><v>NaN</v></c>'))), "refused", "NaN", (VALUES_SHEET, 3, "F")),
    Case("value-INF-as-text", lambda: values_book(value_row(value="INF")), "refused", "hữu hạn", (VALUES_SHEET, 3, "F")),
    # found by the nightly fuzz run: a year no calendar has reached the unit lookup (ValueError: year 0 is out of range)
    Case("value-year-0", lambda: values_book(value_row(year=0)), "refused", "Năm 0 ở cột «Năm»", (VALUES_SHEET, 3, "D")),
    Case("value-year-fraction", lambda: values_book(value_row(year=2024.5)), "refused", "Năm 2024,5 ở cột «Năm»",
         (VALUES_SHEET, 3, "D")),
    Case("value-year-99999", lambda: values_book(value_row(year=99999)), "refused", "Quý I/99999 chưa diễn ra",
         (VALUES_SHEET, 3, "D")),
    Case("rate-1e308", lambda: values_book(value_row(value=1e308, num=None, den=None)), "refused", "lớn bất thường", (VALUES_SHEET, 3, "F")),
    Case("rate-150-percent", lambda: values_book(value_row(value=150.0, num=None, den=None)), "refused", "0–100 %", (VALUES_SHEET, 3, "F")),
    Case("value-TRUE", lambda: values_book(value_row(value=True, num=None, den=None)), "refused", "TRUE", (VALUES_SHEET, 3, "F")),
    Case("numerator-TRUE", lambda: values_book(value_row(value=None, num=True)), "refused", "giá trị logic", (VALUES_SHEET, 3, "G")),
    Case("zero-over-zero", lambda: values_book(value_row(value=None, num=0, den=0)), "refused", "cùng bằng 0", (VALUES_SHEET, 3, "G")),
    Case("value-DIV0", lambda: values_book(value_row(value=Err("#DIV/0!"), num=None, den=None)), "refused", "#DIV/0!", (VALUES_SHEET, 3, "F")),
    Case("denominator-REF", lambda: values_book(value_row(value=None, den=Err("#REF!"))), "refused", "#REF!", (VALUES_SHEET, 3, "H")),
    Case("lead-NA", lambda: plan_book({(6, 3): Err("#N/A")}), "refused", "#N/A", (PLAN_SHEET, 6, "D")),
    Case("deadline-TRUE", lambda: plan_book({(6, 5): True}), "refused", "TRUE", (PLAN_SHEET, 6, "F")),
    Case("par-year-1900", lambda: par_book([1, "STP", "Sở Tư pháp", 1900, 10.5, 85.2, 1]), "refused", "Năm 1900", (PAR_SHEET, 3, "D")),
    Case("par-score-INF", lambda: par_book([1, "STP", "Sở Tư pháp", 2023, Raw('<c r="E3"><v>INF</v></c>'), 85.2, 1]), "refused",
         "hữu hạn", (PAR_SHEET, 3, "E")),
    Case("par-total-error", lambda: par_book([1, "STP", "Sở Tư pháp", 2023, 10.5, Err("#VALUE!"), 1]), "refused", "#VALUE!", (PAR_SHEET, 3, "F")),
    Case("par-rank-NaN", lambda: par_book([1, "STP", "Sở Tư pháp", 2023, 10.5, 85.2, Raw('<c r="G3"><v>NaN</v></c>')]), "refused",
         "Xếp hạng", (PAR_SHEET, 3, "G")),
    Case("plan-rows-on-two-sheets", lambda: xlsx([(PLAN_SHEET, sheet_xml(plan_rows())), ("Phụ lục (2)", sheet_xml(plan_rows()))]), "refused",
         f"trùng với trang «{PLAN_SHEET}» dòng 6", ("Phụ lục (2)", 6, "C")),
    Case("target-minus-50", lambda: catalogue_book("Tối thiểu -50%"), "refused", "số âm (-50)", (CAT_SHEET, 3, "H")),
    Case("target-negative-number", lambda: catalogue_book(-50), "refused", "số âm", (CAT_SHEET, 3, "H")),
    Case("target-1e20-percent", lambda: catalogue_book("99999999999999999999%"), "refused", "bất hợp lý", (CAT_SHEET, 3, "H")),
    Case("target-150-percent", lambda: catalogue_book("Tối thiểu 150%"), "refused", "0–100 %", (CAT_SHEET, 3, "H")),
    Case("target-year-2099", lambda: catalogue_book(header_2030="Chỉ tiêu 2099"), "refused", "2099", (CAT_SHEET, 2, "I")),
    Case("target-on-two-sheets", lambda: catalogue_book(sheets=2), "refused", f"đã có ở trang «{CAT_SHEET}» dòng 3", (f"{CAT_SHEET} 2", 3, "H")),
    Case("hidden-characters-in-task", lambda: plan_book({(6, 1): "Rà soát\u202e văn\u200b bản\u200f\x07"}), "accepted", "ký tự ẩn",
         (PLAN_SHEET, 6, "B"), check=_hidden_chars_check),
    Case("hidden-characters-in-values", lambda: values_book(value_row(indicator=RATE + "\u200b", value=None, num="5\u202e", den=10)),
         "accepted", "ký tự ẩn", (VALUES_SHEET, 3, "A"), check=_number_check(5.0)),
    Case("plan-year-2099", lambda: xlsx([(PLAN_SHEET, sheet_xml([["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH"], ["KẾ HOẠCH CCHC TỈNH NAM ĐỊNH NĂM 2099"], [],
                                                                    PLAN_HEADER, *PLAN_ROWS]))]), "refused", "2099", (PLAN_SHEET, None, None)),
    # --- issue point 7: unclear refusals ----------------------------------------------------------------------------
    Case("year-typed-as-date", lambda: values_book(value_row(year=date(2024, 3, 15))), "refused", "chứa ngày 15/03/2024", (VALUES_SHEET, 3, "D")),
    Case("year-number-with-date-format", lambda: values_book(value_row(year=date(1905, 7, 16))), "refused", "có lẽ là năm 2024",
         (VALUES_SHEET, 3, "D")),
    Case("duplicate-value-row", lambda: values_book(VALUE_ROW, VALUE_ROW), "refused", f"đã có ở trang «{VALUES_SHEET}» dòng 3",
         (VALUES_SHEET, 4, "F")),
    Case("duplicate-values-on-two-sheets", lambda: values_book(sheets=2), "refused", f"đã có ở trang «{VALUES_SHEET}» dòng 3",
         (f"{VALUES_SHEET} 2", 3, "F")),
    Case("duplicate-par-on-two-sheets", lambda: par_book(sheets=2), "refused", f"đã có ở trang «{PAR_SHEET}» dòng 3", (f"{PAR_SHEET} (2)", 3, "F")),
    Case("duplicate-progress-rows", lambda: progress_book(*[["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Đang thực hiện", 50, None]] * 2),
         "refused", f"đã có ở trang «{PROGRESS_SHEET}» dòng 3", (PROGRESS_SHEET, 4, "C")),
    # --- more ideas -------------------------------------------------------------------------------------------------
    Case("value-typed-as-date", lambda: values_book(value_row(value=date(2024, 1, 5), num=None, den=None)), "refused", "chứa ngày 05/01/2024",
         (VALUES_SHEET, 3, "F")),
    Case("numbers-as-vietnamese-text", lambda: values_book(value_row(value=None, num="1.234,5", den="2.000")), "accepted",
         check=_number_check(1234.5)),
    Case("number-with-english-decimal", lambda: values_book(value_row(value=None, num="5.5", den=10)), "accepted", "là 5,5",
         (VALUES_SHEET, 3, "G"), check=_number_check(5.5)),
    Case("number-ambiguous", lambda: values_book(value_row(value=None, num="1234.567", den=5000)), "refused", "Không rõ «1234.567»",
         (VALUES_SHEET, 3, "G")),
    Case("year-as-text", lambda: values_book(value_row(year="năm hai không")), "refused", "không phải là số", (VALUES_SHEET, 3, "D")),
    Case("progress-percent-TRUE", lambda: progress_book(["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Đang thực hiện", True, None]),
         "refused", "TRUE", (PROGRESS_SHEET, 3, "F")),
    Case("progress-period-as-date", lambda: progress_book(["36-2023-158/I.1.1", "SP", "Sở Tư pháp", datetime(2024, 2, 1), "Đang thực hiện", 50, None]),
         "refused", "không phải kỳ báo cáo", (PROGRESS_SHEET, 3, "D")),
    Case("progress-percent-INF", lambda: progress_book(["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Đang thực hiện",
                                                        Raw('<c r="F3"><v>INF</v></c>'), None]), "refused", "hữu hạn", (PROGRESS_SHEET, 3, "F")),
    # found by the fuzz test (tests/test_fuzz.py), kept as cases
    Case("par-header-without-rows", lambda: par_book([None, None, "Ghi chú: không có đơn vị nào", None, None, None, None]), "refused",
         "không có dòng dữ liệu nào để nhập", (F, None, None)),
    Case("unit-code-INF", lambda: values_book(value_row(unit=Raw('<c r="B3"><v>INF</v></c>'), unit_name=None)), "refused", "Không nhận ra đơn vị hành chính",
         (VALUES_SHEET, 3, "B")),
    Case("period-INF", lambda: xlsx([(VALUES_SHEET, sheet_xml([["SỐ LIỆU"], ["Mã chỉ tiêu", "Mã ĐVHC", "Kỳ báo cáo", "Giá trị"],
                                                              [RATE, "36", Raw('<c r="C3"><v>INF</v></c>'), 50]]))]),
         "refused", "Không hiểu kỳ báo cáo", (VALUES_SHEET, 3, "C")),
    Case("formula-injection-text", lambda: plan_book({(6, 1): "=HYPERLINK(\"http://evil\",\"x\")"}), "accepted",
         check=lambda r: None, note="stored as text; exports neutralise it (tests/test_excel_export.py)"),
    Case("many-shared-strings", lambda: _with_sst(plan_book(), _sst(["Rà soát văn bản"] + [f"chuỗi {i} {'x' * 40}" for i in range(100_000)])),
         "accepted", check=_accepted_plan),
    Case("one-huge-shared-string", lambda: _with_sst(plan_book(), _sst(["Rà soát văn bản", "A" * (60 << 20)])), "refused", "bom nén",
         (F, None, None)),
]
