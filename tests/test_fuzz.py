"""Fuzzing the loaders: valid workbooks mutated in their cells, their XML text and their zip entries, each
parsed in the parse child (as an upload is) and, when the parse accepts it, rehearsed by the importer.

No case may crash the reader, hang, or raise: every outcome is a ParseResult / ImportResult whose problems
are Vietnamese. Deterministic: case i of seed S always builds the same bytes. CI runs a few hundred cases;
`CCHC_TEST_FUZZ_CASES=10000` runs a nightly-sized batch (`CCHC_TEST_FUZZ_SEED` picks another seed).
"""
from __future__ import annotations

import io
import os
import random
import re
import zipfile
from datetime import date, datetime
from functools import lru_cache

import pytest

from tests import hostile as h
from tests.test_hostile import assert_vietnamese

CASES = int(os.environ.get("CCHC_TEST_FUZZ_CASES", "320"))
SEED = int(os.environ.get("CCHC_TEST_FUZZ_SEED", "2025"))
CHUNK = 40  # cases per test (xdist spreads the chunks)

_VALUES: list[object] = [
    None, "", True, False, h.Err("#DIV/0!"), h.Err("#N/A"), h.Err("#REF!"), 0, -1, 1e308, -1e308, 10 ** 20, 0.5, 150, 2099, 1900,
    "1.234,5", "85.3", "1234.567", "abc", "INF", "NaN", "-", "%", "Quý 7/2024", "Quý III/2024", "Năm 2024", "Tối thiểu -50%",
    "99999999999999999999%", "\u202eRà soát\u200b", "\x07\x1b", "=1+1", "x" * 5000, date(2024, 3, 15), datetime(1905, 7, 16),
    h.Raw('<c r="XFD1048576"><v>1</v></c>'), h.Raw("<c><v>INF</v></c>"), h.Raw('<c r="B2" t="e"><v>#NULL!</v></c>'),
    h.Raw('<c r="A1" t="s"><v>99999</v></c>'), h.Raw('<c r="C3" t="d"><v>2024-13-45</v></c>'), "Sở Tư pháp", "UBND cấp huyện",
]
_TOKENS: list[bytes] = [
    b'<c r="XFD1048576"><v>1</v></c>', b'<row r="0">', b'<row r="99999999">', b'<mergeCell ref="A1:ZZ99"/>', b'<mergeCell ref="A1"/>',
    b"<!DOCTYPE x>", b'<!ENTITY a "b">', b"&amp;", b"&#0;", b"&#x202E;", b"&bogus;", b"<v>INF</v>", b' t="e"', b' t="b"', b' r="A0"',
    b' r="AAAA1"', b' r="A99999999"', b"</sheetData>", b"<sheetData>", b'<?xml version="1.0"?>', b"]]>", b"<![CDATA[x]]>",
    "Ủy ban\u202e".encode(), b"\xff\xfe", b"\x00", b"<c>", b"</c>", b"<is><t>", b'<c r="A1" t="inlineStr"><is><t>x</t></is></c>',
    b'<dimension ref="A1:XFD1048576"/>', b"<x:c r=\"XFD1\"><v>1</v></x:c>", b'<sheet name="X" sheetId="9" r:id="rId9"/>',
]


@lru_cache(maxsize=1)
def bases() -> list[tuple[str, list[tuple[str, list[list[object]]]]]]:
    """The valid workbooks mutated: (name, [(sheet, rows)])."""
    return [
        ("plan", [(h.PLAN_SHEET, h.plan_rows())]),
        ("values", [(h.VALUES_SHEET, h.values_rows(h.VALUE_ROW, h.value_row(unit="356", unit_name="Thành phố Nam Định", value=61.5, num=123, den=200)))]),
        ("par", [(h.PAR_SHEET, h.par_rows())]),
        ("progress", [(h.PROGRESS_SHEET, [["BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CCHC"], h.PROGRESS_HEADER,
                                          ["36-2023-158/I.1.1", "SP", "Sở Tư pháp", "Quý I/2024", "Hoàn thành", 100, "QĐ 1/QĐ-UBND"]])]),
        ("catalogue", [(h.CAT_SHEET, [["DANH MỤC CHỈ TIÊU"], h.CAT_HEADER,
                                      [1, "FUZZ_RATE", "Tỷ lệ thử", "Cải cách thủ tục hành chính", "%", "Cấp tỉnh", None, "Tối thiểu 80%", "100%"]])]),
        ("mixed", [(h.PLAN_SHEET, h.plan_rows()), (h.VALUES_SHEET, h.values_rows(h.VALUE_ROW))]),
    ]


def _openpyxl_base() -> bytes:
    """A workbook written by openpyxl (shared strings, styles, merged task cells)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = h.PLAN_SHEET
    for row in h.plan_rows():
        ws.append(row)
    ws.merge_cells("B6:B7")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _mutate_cells(rnd: random.Random, sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    out = []
    for name, rows in sheets:
        rows = [list(r) for r in rows]
        for _ in range(rnd.randint(1, 4)):
            r = rnd.randrange(len(rows) + 2)
            while len(rows) <= r:
                rows.append([])
            c = rnd.randrange(10)
            rows[r].extend([None] * (c + 1 - len(rows[r])))
            rows[r][c] = rnd.choice(_VALUES)
        out.append((name, h.sheet_xml(rows, merges=[rnd.choice(["B6:B7", "A1:F1", "C3:C2"])] if rnd.random() < 0.2 else [])))
    return h.xlsx(out)


def _mutate_xml(rnd: random.Random, data: bytes) -> bytes:
    zf = zipfile.ZipFile(io.BytesIO(data))
    xml_parts = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    target = rnd.choice(xml_parts)

    def change(name: str, body: bytes) -> bytes:
        if name != target or not body:
            return body
        b = bytearray(body)
        for _ in range(rnd.randint(1, 3)):
            kind = rnd.randrange(6)
            i = rnd.randrange(len(b))
            if kind == 0:  # flip bytes
                for k in range(rnd.randint(1, 8)):
                    if i + k < len(b):
                        b[i + k] = rnd.randrange(256)
            elif kind == 1:  # delete a slice
                del b[i:i + rnd.randint(1, 200)]
            elif kind == 2:  # repeat a slice
                b[i:i] = b[i:i + rnd.randint(1, 200)] * rnd.randint(1, 50)
            elif kind == 3:  # insert a token
                b[i:i] = rnd.choice(_TOKENS)
            elif kind == 4:  # a number in an attribute becomes another
                text = bytes(b)
                hits = list(re.finditer(rb'="([A-Z]{0,3})(\d+)"', text))
                if hits:
                    m = rnd.choice(hits)
                    new = str(rnd.choice([0, 1, 16384, 1048576, 1048577, 10 ** 9, rnd.randrange(10 ** 6)])).encode()
                    b[m.start(2):m.end(2)] = new
            else:  # truncate
                del b[i:]
            if not b:
                break
        return bytes(b)

    return h.rezip(data, change)


def _mutate_zip(rnd: random.Random, data: bytes) -> bytes:
    kind = rnd.randrange(7)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    if kind == 0:
        return data[: rnd.randrange(len(data))]
    if kind == 1:
        b = bytearray(data)
        for _ in range(rnd.randint(1, 20)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        return bytes(b)
    if kind == 2:
        gone = rnd.choice(names)
        return h.rezip(data, lambda n, body: None if n == gone else body)
    if kind == 3:
        return h.duplicate_entry(data, rnd.choice(names))
    if kind == 4:
        a, b = rnd.sample(names, 2)
        bodies = {n: zf.read(n) for n in (a, b)}
        return h.rezip(data, lambda n, body: bodies[b] if n == a else bodies[a] if n == b else body)
    if kind == 5:
        return h.rezip(data, add={rnd.choice(["xl/worksheets/sheet9.xml", "xl/x.zip", "xl/media/a.bin", "docProps/app.xml"]):
                                  rnd.randbytes(rnd.randint(0, 3000))})
    return h.rezip(data, compression=zipfile.ZIP_STORED)


def fuzz_case(i: int) -> tuple[str, bytes]:
    """Case i: a description and the mutated bytes."""
    rnd = random.Random(SEED * 1_000_003 + i)
    name, sheets = rnd.choice(bases())
    layer = rnd.randrange(3)
    if layer == 0:
        return f"{i}:{name}:cells", _mutate_cells(rnd, sheets)
    base = h.xlsx([(n, h.sheet_xml(rows)) for n, rows in sheets]) if rnd.random() < 0.8 else _openpyxl_base()
    if layer == 1:
        return f"{i}:{name}:xml", _mutate_xml(rnd, base)
    return f"{i}:{name}:zip", _mutate_zip(rnd, base)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    """A SQLite database with the reference data and the sample catalogue, for the importer's rehearsals."""
    from pathlib import Path

    from store.db import make_engine, upgrade
    from store.importer import import_workbook
    from store.reference import ensure_reference

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    ensure_reference(eng)
    cat = Path(__file__).resolve().parent.parent / "data" / "samples" / "03_danh_muc_chi_tieu.xlsx"
    import_workbook(eng, cat, cat.name, is_sample=True)
    yield eng
    eng.dispose()


def test_fuzz_cases_are_deterministic():
    assert fuzz_case(7) == fuzz_case(7)
    assert len({fuzz_case(i)[1] for i in range(12)}) == 12


@pytest.mark.parametrize("chunk", range((CASES + CHUNK - 1) // CHUNK))
def test_fuzz(chunk, fuzz_db, monkeypatch):
    from loaders.parse import ParseResult, parse_workbook
    from loaders.sandbox import SandboxFailure, run_isolated
    from store.importer import import_workbook

    monkeypatch.setenv("CCHC_PARSE_TIMEOUT_S", "60")
    outcomes = {"refused": 0, "accepted": 0}
    for i in range(chunk * CHUNK, min(CASES, (chunk + 1) * CHUNK)):
        what, data = fuzz_case(i)
        try:
            res = run_isolated("parse_workbook", data, f"fuzz_{i}.xlsx")
        except SandboxFailure as exc:
            if exc.kind == "internal":  # an exception in our code: show it (safe in-process: it was Python, not a crash)
                parse_workbook(data, f"fuzz_{i}.xlsx")
            pytest.fail(f"case {what}: {exc.kind}: {exc.problem.message}")
        assert isinstance(res, ParseResult), what
        assert_vietnamese([p.message for p in res.problems])
        assert res.ok or res.errors, what
        if res.ok:  # the importer rehearses what the loaders accepted (rolled back)
            imp = import_workbook(fuzz_db, data, f"fuzz_{i}.xlsx", dry_run=True)
            assert imp.status in ("dry_run", "refused"), what
            assert_vietnamese([p.message for p in imp.problems])
        outcomes["accepted" if res.ok else "refused"] += 1
    assert sum(outcomes.values()) == min(CASES, (chunk + 1) * CHUNK) - chunk * CHUNK
