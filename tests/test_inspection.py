"""loaders/inspection.py on its own: the used range, merges and flagged cells of sheet XML as calamine would
place them, the same through the fast and the general path and whatever the block size, and the limits."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from loaders import inspection as ins
from tests import hostile as h


def scan(xml: str, monkeypatch=None, block: int | None = None) -> ins.SheetScan:  # noqa: ANN001
    data = h.xlsx([("S", xml)])
    if block and monkeypatch:
        monkeypatch.setattr(ins, "BLOCK", block)
    zf = zipfile.ZipFile(io.BytesIO(data))
    return ins.scan_sheet(zf, zf.getinfo("xl/worksheets/sheet1.xml"), "S")


ROWS = [["a", 1, None, 2.5], [None, None, "x"], [], ["t", h.Err("#DIV/0!"), True, False]]


@pytest.mark.parametrize("xml,rows,cols,flags,canonical", [
    (h.sheet_xml(ROWS), 4, 4, {(3, 1): "#DIV/0!", (3, 2): "TRUE", (3, 3): "FALSE"}, True),
    (h.sheet_xml([]), 0, 0, {}, True),
    (h.sheet_xml([["a"]], dimension="A1:XFD1048576"), 1, 1, {}, True),  # the tag does not count
    (h.sheet_xml([["a"]], tail='<row r="7"><c r="Q7"/></row>'), 7, 17, {}, True),  # an empty styled cell counts
    (h.sheet_xml([["a"]], merges=["B2:D9"]), 9, 4, {}, True),  # a merge reaches beyond the cells
    (h.sheet_xml_without_refs(ROWS), 4, 4, {(3, 1): "#DIV/0!", (3, 2): "TRUE", (3, 3): "FALSE"}, False),
    (h.sheet_xml([["a"]], tail='<row r="5"><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>'), 6, 2, {}, False),
    (h.sheet_xml([["a"]], tail='<row r="3"><x:c r="K3"><x:v>1</x:v></x:c></row>'), 3, 11, {}, False),  # a prefix calamine ignores
    (h.sheet_xml([["a"]], tail='<row r="2"><c s="3" r="M2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'), 2, 13, {(1, 12): "#DIV/0!"}, False),
    (h.sheet_xml([["a"]], tail='<row r="4"><c r="C4" s="2" t="e"><v>#N/A</v></c><c r="D4" t="b"><v>0</v></c></row>'), 4, 4,
     {(3, 2): "#N/A", (3, 3): "FALSE"}, True),
    (h.sheet_xml([["a"]], tail='<row r="3"><c r="B3"><is><t>t="e" inside text</t></is></c></row>'), 3, 2, {}, True),
], ids=["cells-errors-booleans", "empty", "huge-dimension-tag", "styled-empty-cell", "merge-beyond-cells", "no-refs",
        "refless-cells-after-a-row", "prefixed-cell", "error-cell-attributes-reordered", "error-and-boolean", "t-e-in-text"])
def test_scan(xml, rows, cols, flags, canonical):
    s = scan(xml)
    assert (s.rows, s.cols, s.flags, s.canonical) == (rows, cols, flags, canonical)


def test_the_dimension_tag_is_read_but_not_trusted():
    s = scan(h.sheet_xml([["a"], ["b", "c"]], dimension="A1:Z99"))
    assert s.dimension == "A1:Z99" and (s.rows, s.cols) == (2, 2)


def _big(n: int) -> str:
    return h.sheet_xml([[f"r{r}", r, r * 0.5] + ([None] * (r % 7) + ["far"] if r % 97 == 0 else []) for r in range(1, n + 1)],
                       merges=["A2:B3", "E10:F20"])


@pytest.mark.parametrize("block", [64, 1000, 1 << 22])
def test_block_size_does_not_change_the_scan(block, monkeypatch):
    reference = scan(_big(3000))
    s = scan(_big(3000), monkeypatch, block)
    assert (s.rows, s.cols, s.merges, s.flags) == (reference.rows, reference.cols, reference.merges, reference.flags)
    assert (s.rows, s.cols) == (3000, 10)


def test_the_general_path_agrees_with_the_fast_one():
    xml = _big(800).encode()
    fast = ins.SheetScan("S", "p")
    ins._SheetScanner(fast)._fast(xml, 0, len(xml))  # noqa: SLF001
    slow = ins.SheetScan("S", "p")
    ins._SheetScanner(slow)._general(xml, 0, len(xml))  # noqa: SLF001
    assert (fast.max_row, fast.max_col) == (slow.max_row, slow.max_col) == (799, 9)


@pytest.mark.parametrize("n", [1, 9, 10, 99, 100, 101, 999, 100002, 1048576])
def test_the_row_pattern_matches_exactly_up_to_n(n):
    p = re.compile("^" + ins._le_digits(n) + "$")  # noqa: SLF001
    probe = sorted({1, 2, 9, 10, 11, 99, 100, 101, n - 1, n, n + 1, n + 10, 10 * n, 2 * n} - {0})
    assert [bool(p.match(str(i))) for i in probe] == [i <= n for i in probe]
    assert not p.match("0") and not p.match(f"0{n}")


@pytest.mark.parametrize("col", [0, 8, 25, 26, 27, 51, 700, 701, 702, 1000, 16383])
def test_the_column_pattern_matches_exactly_up_to_col(col):
    p = re.compile("^" + ins._le_letters(col) + "$")  # noqa: SLF001
    probe = sorted({0, 1, 25, 26, 27, 701, 702, 703, col, col + 1, min(col + 30, 18000), max(col - 1, 0)})
    assert [bool(p.match(ins.column_letter(i))) for i in probe] == [i <= col for i in probe]


@pytest.mark.parametrize("ref,expected", [("A1", (0, 0)), ("$B$7", (6, 1)), ("xfd1048576", (1048575, 16383)), ("A0", None),
                                          ("AAAA1", None), ("1A", None), ("", None), ("A12345678", None)])
def test_parse_ref(ref, expected):
    assert ins.parse_ref(ref) == expected


def test_limits_are_settings(monkeypatch):
    s = ins.SheetScan("Trang 1", "p", max_row=99, max_col=4, row_cell=(99, 2), col_cell=(5, 4))
    assert ins.check_limits(s) == []
    monkeypatch.setenv("CCHC_MAX_ROWS", "50")
    monkeypatch.setenv("CCHC_MAX_COLUMNS", "4")
    problems = ins.check_limits(s)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Trang 1", 100, "C"), ("Trang 1", 6, "E")]
    assert "C100" in problems[0].message and "50 dòng" in problems[0].message and "cột E" in problems[1].message
    monkeypatch.setenv("CCHC_MAX_ROWS", "500")
    monkeypatch.setenv("CCHC_MAX_COLUMNS", "500")
    monkeypatch.setenv("CCHC_MAX_CELLS", "400")
    assert "100 dòng × 5 cột = 500 ô" in ins.check_limits(s)[0].message


@pytest.mark.parametrize("data,words", [
    (b"", "rỗng"), (b"%PDF-1.4", "PDF"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "97-2003"),
    ("Mã;Tên\n1;Sở Tư pháp\n".encode(), "CSV"), (b"<!DOCTYPE html><html>", "HTML"), (b"{\\rtf1 x}", "RTF"), (b"\x89PNG\r\n", "không xác định"),
])
def test_not_a_workbook(data, words):
    with pytest.raises(ins.InspectionError) as info:
        ins.inspect_workbook(data)
    assert words in info.value.problems[0].message and "Lưu thành" in info.value.problems[0].message or words == "rỗng"


def test_a_valid_workbook_reports_its_package():
    i = ins.inspect_workbook(h.plan_book())
    assert [s.name for s in i.sheets] == [h.PLAN_SHEET] and i.entries == 6 and i.uncompressed > i.compressed > 0
    assert (i.sheets[0].rows, i.sheets[0].cols) == (8, 6)
