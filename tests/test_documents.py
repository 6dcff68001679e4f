"""Plan documents (.docx, .pdf): the cell structure of Word tables, the head of a plan, hostile files
refused with the database unchanged, the command line's dry run and import of documents, and target
proposals written only when confirmed (and undone by rollback)."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document as new_document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from catalogue import message
from loaders.docmodel import join, repeated_prefix
from loaders.document import document_kind, read_head
from loaders.docx import read_docx
from loaders.parse import parse_workbook
from loaders.pdf import join_wrapped
from loaders.reference import reference
from loaders.workbook import Grid
from store import schema as s
from samples.documents import docx_to_pdf
from store.importer import import_workbook, rollback_batch
from tests.office import HAVE_LIBREOFFICE

ROOT = Path(__file__).resolve().parent.parent


def _docx(build) -> bytes:
    doc = new_document()
    build(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _flag(row, tag: str) -> None:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


# --- Word table structure --------------------------------------------------------------------------
def _merged_table(doc) -> None:
    t = doc.add_table(rows=4, cols=4)
    for c, v in enumerate(["TT", "Nhiệm vụ", "Cơ quan thực hiện", ""]):
        if v:
            t.cell(0, c).text = v
    t.cell(0, 2).merge(t.cell(0, 3))  # gridSpan 2
    _flag(t.rows[0], "w:tblHeader")
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "Rà soát"
    t.cell(1, 2).text = "Sở Tư pháp"
    t.cell(1, 3).text = "Sở Nội vụ"
    t.cell(1, 0).merge(t.cell(3, 0))  # vMerge over three rows
    t.cell(1, 1).merge(t.cell(2, 1))
    t.cell(2, 2).text = "A"
    t.cell(2, 3).text = "B"
    t.cell(3, 1).text = "Báo cáo"
    t.cell(3, 2).text = "C"
    t.cell(3, 3).text = "D"


def test_grid_span_and_vertical_merge_become_merged_ranges():
    doc = read_docx(_docx(_merged_table))
    g = doc.tables[0]
    assert g.rows == [
        ["TT", "Nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện"],
        ["1", "Rà soát", "Sở Tư pháp", "Sở Nội vụ"],
        ["1", "Rà soát", "A", "B"],
        ["1", "Báo cáo", "C", "D"],
    ]
    assert g.origin == {(0, 3): (0, 2), (2, 0): (1, 0), (3, 0): (1, 0), (2, 1): (1, 1)}
    assert g.header_rows == 1


def test_grid_before_and_legacy_horizontal_merge():
    def build(doc) -> None:
        t = doc.add_table(rows=2, cols=3)
        for c, v in enumerate(["a", "b", "c"]):
            t.cell(0, c).text = v
        tr = t.rows[1]._tr
        first = tr.tc_lst[0]
        tr.remove(first)  # the row starts one grid column in
        trpr = tr.get_or_add_trPr()
        gb = OxmlElement("w:gridBefore")
        gb.set(qn("w:val"), "1")
        trpr.append(gb)
        t.rows[1].cells[0].text = "x"
        hm = OxmlElement("w:hMerge")  # the last cell continues its left neighbour
        tr.tc_lst[1].get_or_add_tcPr().append(hm)

    g = read_docx(_docx(build)).tables[0]
    assert g.rows == [["a", "b", "c"], [None, "x", "x"]]
    assert g.origin == {(1, 2): (1, 1)}


def test_paragraphs_in_a_cell_are_lines_and_the_body_keeps_its_order():
    def build(doc) -> None:
        doc.add_paragraph("Trước bảng")
        t = doc.add_table(rows=1, cols=1)
        t.cell(0, 0).text = "1.1. Một"
        t.cell(0, 0).add_paragraph("1.2. Hai")
        doc.add_paragraph("Sau bảng")

    d = read_docx(_docx(build))
    assert [b.text or b.table for b in d.blocks] == ["Trước bảng", 0, "Sau bảng"]
    assert d.tables[0].rows == [["1.1. Một\n1.2. Hai"]]


@pytest.mark.parametrize("first,second,dropped", [
    ([["STT", "Nhiệm vụ"], ["1", "a"]], [["STT", "Nhiệm vụ"], ["2", "b"]], 1),
    ([["TT", "Việc"], ["TT", "Chủ trì"], ["1", "a"]], [["TT", "Việc"], ["TT", "Chủ trì"], ["2", "b"]], 2),
    ([["STT", "Nhiệm vụ"], ["1", "a"]], [["3", "c"], ["4", "d"]], 0),
    ([["STT", "Nhiệm vụ"]], [["stt", "nhiem vu"], ["2", "b"]], 1),  # compared folded
])
def test_a_continued_table_drops_the_repeated_header(first, second, dropped):
    assert repeated_prefix(first, second) == dropped
    joined = join(Grid("a", first), Grid("b", second, {(len(second) - 1, 1): (len(second) - 1, 0)}))
    assert joined.rows == first + second[dropped:]
    last = len(first) + len(second) - dropped - 1
    assert joined.origin == {(last, 1): (last, 0)}


@pytest.mark.parametrize("lines,text", [
    (["Rà soát, hệ thống hóa", "văn bản"], "Rà soát, hệ thống hóa văn bản"),
    (["Văn phòng HĐND-", "UBND thành phố"], "Văn phòng HĐND-UBND thành phố"),
    (["1.1. Một việc", "dài", "1.2. Việc khác"], "1.1. Một việc dài\n1.2. Việc khác"),
    (["Quý 1-Năm 2023"], "Quý 1-Năm 2023"),
    (["", " "], ""),
])
def test_pdf_cell_lines_are_joined(lines, text):
    assert join_wrapped(lines) == text


# --- the head of a plan ----------------------------------------------------------------------------
HEADS = [
    (["ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH", "Số: 158/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
      "Nam Định, ngày 30 tháng 12 năm 2022", "KẾ HOẠCH", "Cải cách hành chính tỉnh Nam Định năm 2023", "Thực hiện Nghị quyết …"],
     ("36", (2023, 2023), "158/KH-UBND", date(2022, 12, 30), "Kế hoạch Cải cách hành chính tỉnh Nam Định năm 2023")),
    (["ỦY BAN NHÂN DÂN HUYỆN NGHĨA HƯNG", "Số: /KH-UBND", "Nghĩa Hưng, ngày tháng năm 2021", "KẾ HOẠCH",
      "Cải cách hành chính huyện Nghĩa Hưng, giai đoạn 2021-2025", "I. MỤC ĐÍCH, YÊU CẦU"],
     ("361", (2021, 2025), None, None, "Kế hoạch Cải cách hành chính huyện Nghĩa Hưng, giai đoạn 2021-2025")),
    (["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "Số: 12/CTr-UBND", "Nam Định, ngày 05 tháng 3 năm 2021", "CHƯƠNG TRÌNH",
      "Tổng thể cải cách hành chính nhà nước tỉnh Nam Định giai đoạn 2021 - 2030"],
     ("36", (2021, 2030), "12/CTr-UBND", date(2021, 3, 5), "Chương trình Tổng thể cải cách hành chính nhà nước tỉnh Nam Định giai đoạn 2021 - 2030")),
]


@pytest.mark.parametrize("lines,expected", HEADS, ids=["158/KH-UBND", "Nghĩa Hưng unnumbered", "programme"])
def test_the_head_gives_issuer_number_date_period_title(lines, expected):
    m = read_head(lines, reference())
    assert (m.unit, m.period, m.number, m.issued_on, m.title) == expected


def test_no_head_without_a_document_type():
    assert read_head(["Phụ lục", "NHIỆM VỤ CỤ THỂ NĂM 2023"], reference()) is None


def test_the_kind_comes_from_the_content_not_the_name(seed_documents, tmp_path):
    docx = seed_documents.docx("003").read_bytes()
    renamed = tmp_path / "ke_hoach.xlsx"
    renamed.write_bytes(docx)
    assert document_kind(docx) == "docx" and document_kind(renamed) == "docx"
    assert parse_workbook(renamed).kind == "docx"
    assert document_kind(b"%PDF-1.7 ...") == "pdf" and document_kind(b"PK\x03\x04junk") is None


# --- hostile documents -----------------------------------------------------------------------------
def zip_bomb_docx() -> bytes:
    """A real .docx with one extra part of 64 MB of zeros (compresses about 1000:1)."""
    src = zipfile.ZipFile(io.BytesIO(_docx(lambda d: d.add_paragraph("KẾ HOẠCH"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, src.read(item.filename))
        z.writestr("word/media/bomb.xml", b"\0" * (64 * 1024 * 1024))
    return out.getvalue()


def entity_docx() -> bytes:
    """A .docx whose document part declares entities (billion laughs)."""
    src = zipfile.ZipFile(io.BytesIO(_docx(lambda d: d.add_paragraph("x"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                decl = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                data = data.replace(b"?>", b"?>" + decl, 1)
            z.writestr(item, data)
    return out.getvalue()


def many_entries_docx() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(_docx(lambda d: d.add_paragraph("x"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            z.writestr(item, src.read(item.filename))
        for i in range(5001):
            z.writestr(f"customXml/item{i}.bin", b"")
    return out.getvalue()


def pdf_with_pages(count: int) -> bytes:
    """A minimal PDF whose page tree says it has `count` pages."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [3 0 R] /Count {count} >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def scanned_pdf() -> bytes:
    """An image-only PDF, as a scanner makes it: two pages of a picture of a table, no text layer."""
    pages = []
    for _ in range(2):
        img = Image.new("RGB", (620, 877), "white")
        draw = ImageDraw.Draw(img)
        for y in range(80, 700, 40):
            draw.line([(40, y), (580, y)], fill="black")
        pages.append(img)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:])
    return out.getvalue()


HOSTILE = [
    ("docx-zip-bomb", zip_bomb_docx, "zip bomb"),
    ("docx-entities", entity_docx, "DOCTYPE/ENTITY"),
    ("docx-too-many-entries", many_entries_docx, "quá nhiều thành phần"),
    ("docx-truncated", lambda: _docx(lambda d: d.add_paragraph("x"))[:900], "bị hỏng"),
    ("pdf-huge-page-count", lambda: pdf_with_pages(1_000_000), "1000000 trang, vượt giới hạn 300 trang"),
    ("pdf-no-text", scanned_pdf, "bản quét"),
    ("pdf-truncated", lambda: b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "PDF bị hỏng"),
]


@pytest.mark.parametrize("name,factory,words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_document_is_refused_clearly(name, factory, words):
    result = parse_workbook(factory(), f"{name}.bin")
    assert not result.ok and result.outputs == [] and result.targets == []
    assert any(words in e.message for e in result.errors), [e.message for e in result.errors]
    assert all(e.sheet == "(tệp)" for e in result.errors)


@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="needs libreoffice-writer")
def test_password_protected_pdf_is_refused_as_such(sqlite_engine, seed_documents, tmp_path):
    """A PDF exported with an open password (pdfplumber wraps pdfminer's error): named as protected, nothing written."""
    pdf = docx_to_pdf(seed_documents.docx("004"), tmp_path, password="matkhau").read_bytes()
    assert b"/Encrypt" in pdf
    result = parse_workbook(pdf, "ke_hoach.pdf")
    assert [e.message for e in result.errors] == [message("pdf_encrypted")]
    path = Path(sqlite_engine.url.database)
    sqlite_engine.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert import_workbook(sqlite_engine, pdf, "ke_hoach.pdf").status == "refused"
    sqlite_engine.dispose()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_damaged_pdf_message_is_vietnamese_and_says_what_to_do():
    msg = parse_workbook(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "x.pdf").errors[0].message
    assert msg == message("pdf_corrupt", detail="cấu trúc tệp không đọc được")
    assert "EOF" not in msg and "Word (.docx)" in msg


def test_scanned_pdf_message_suggests_the_word_file():
    msg = parse_workbook(scanned_pdf()).errors[0].message
    assert "không có lớp chữ" in msg and "Word (.docx)" in msg


@pytest.mark.parametrize("name,factory,words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_document_leaves_the_database_byte_identical(sqlite_engine, name, factory, words):
    path = Path(sqlite_engine.url.database)
    sqlite_engine.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    res = import_workbook(sqlite_engine, factory(), f"{name}.bin")
    assert res.status == "refused" and any(words in p.message for p in res.errors)
    sqlite_engine.dispose()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_page_limit_is_a_setting(seed_documents, monkeypatch):
    pdf = seed_documents.pdf("004").read_bytes()
    monkeypatch.setenv("CCHC_MAX_PDF_PAGES", "5")
    msg = parse_workbook(pdf).errors[0].message
    assert "vượt giới hạn 5 trang" in msg


def test_time_budget_is_a_setting(seed_documents, monkeypatch):
    pdf = seed_documents.pdf("004").read_bytes()
    monkeypatch.setenv("CCHC_DOCUMENT_SECONDS", "0")
    msg = parse_workbook(pdf).errors[0].message
    assert "quá 0 giây" in msg and "đã đọc 0/" in msg


# --- import: proposals written only when confirmed ----------------------------------------------
def _targets(engine, batch_id=None) -> int:
    with engine.connect() as conn:
        q = select(func.count()).select_from(s.targets)
        if batch_id is not None:
            q = q.where(s.targets.c.batch_id == batch_id)
        return conn.execute(q).scalar()


def test_a_document_imports_its_tasks_and_no_unconfirmed_target(engine, seed_documents):
    res = import_workbook(engine, seed_documents.docx("004"), user="hoa")
    assert res.status == "imported", res.errors
    assert res.counts["outputs"] == 20 and "targets" not in res.counts
    assert len(res.parse.targets) >= 19
    assert _targets(engine) == 0


def test_confirmed_proposals_go_in_one_batch_and_rollback_removes_them(engine, seed_documents):
    picked = []

    def confirm(props):
        from dataclasses import replace

        first = replace(props[0], level="district")
        picked.extend([first, props[5]])
        return picked

    res = import_workbook(engine, seed_documents.docx("002", appendix=False), user="admin", accept_targets=confirm)
    assert res.status == "imported", res.errors
    assert res.counts["targets"] == 2
    with engine.connect() as conn:
        rows = conn.execute(select(s.targets.c.indicator_code, s.targets.c.level, s.targets.c.scope_unit_code,
                                   s.targets.c.year, s.targets.c.kind, s.targets.c.value, s.targets.c.text,
                                   s.targets.c.source).where(s.targets.c.batch_id == res.batch_id)).all()
        batch = conn.execute(select(s.import_batches).where(s.import_batches.c.id == res.batch_id)).one()
    expected = {(p.code, p.level, p.scope_unit_code, p.spec.year, p.spec.kind, p.spec.value, p.spec.text) for p in picked}
    assert {tuple(r[:7]) for r in rows} == expected
    assert {r.source for r in rows} == {res.parse.file_name}
    assert (batch.uploaded_by, batch.kind, batch.status) == ("admin", "indicators", "imported")
    assert rollback_batch(engine, res.batch_id, "admin") == []
    assert _targets(engine) == 0


def test_a_document_with_only_unconfirmed_targets_writes_nothing(engine, seed_documents):
    res = import_workbook(engine, seed_documents.docx("001"))
    assert res.status == "refused"
    assert "chưa được xác nhận" in res.errors[0].message
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.import_batches)).scalar() == 0


# --- the command line ------------------------------------------------------------------------------
def _run(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "CCHC_DATA_DIR": str(env_dir), "CCHC_LOAD_SAMPLES": "0"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_cli_dry_run_of_a_document(fmt, seed_documents, tmp_path):
    path = seed_documents.docx("004") if fmt == "docx" else seed_documents.pdf("004")
    proc = _run("import", str(path), "--dry-run", "--json", env_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert set(out) == {"ok", "plan", "sheets", "tasks", "errors", "warnings", "targets",
                        "columns", "progress", "values", "scores", "questions"}  # issue 10 added the last five
    assert out["plan"]["unit"] == "Thành phố Nam Định" and out["plan"]["period"] == [2021, 2025]
    assert [s["kind"] for s in out["sheets"]] == ["plan_tasks"] and len(out["tasks"]) == 20
    first = out["tasks"][0]
    assert first["deadline"] == {"text": "Quý III năm 2021", "kind": "once", "due_dates": ["2021-09-30"]}
    t = {x["indicator"]: x for x in out["targets"]}["PAR_INDEX_SCORE"]
    assert set(t) == {"indicator", "new_indicator", "indicator_name", "score", "level", "scope", "unit", "year", "kind",
                      "value", "value_high", "baseline_year", "step", "cap", "group", "text", "quote"}
    assert (t["level"], t["scope"], t["year"], t["kind"], t["value"], t["unit"]) == ("district", "356", 2025, "at_least", 94.0, "điểm")
    assert t["new_indicator"] is None and "94 điểm" in t["quote"]
    assert not (tmp_path / "cchc.db").exists() or _no_batches(tmp_path / "cchc.db")


def _no_batches(db: Path) -> bool:
    import sqlite3

    with sqlite3.connect(db) as c:
        try:
            return c.execute("select count(*) from import_batches").fetchone()[0] == 0
        except sqlite3.OperationalError:
            return True


def test_cli_import_with_accepted_targets(seed_documents, tmp_path):
    path = seed_documents.docx("002", appendix=False)
    assert _run("init", "--no-samples", env_dir=tmp_path).returncode == 0
    dry = json.loads(_run("import", str(path), "--dry-run", "--json", env_dir=tmp_path).stdout)
    proc = _run("import", str(path), "--json", "--accept-targets", "1,3", env_dir=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["ok"] is True and out["counts"]["targets"] == 2 and out["batch_id"]
    import sqlite3

    with sqlite3.connect(tmp_path / "cchc.db") as c:
        got = set(c.execute("select indicator_code, year, text from targets where batch_id = ?", (out["batch_id"],)))
    assert got == {(dry["targets"][i]["indicator"], dry["targets"][i]["year"], dry["targets"][i]["text"]) for i in (0, 2)}
    assert _run("import", str(path), "--accept-targets", "0", env_dir=tmp_path).returncode == 2
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(scanned_pdf())
    p = _run("import", str(bad), "--dry-run", "--json", env_dir=tmp_path)
    assert p.returncode == 1 and "bản quét" in json.loads(p.stdout)["errors"][0]["message"]
