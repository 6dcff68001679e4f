"""Rebuild the seed plans as Word documents (python-docx), the way a drafting office types them.

Each document has the usual head (issuer and number on the left, the national motto, place and date
on the right, in a borderless two-column table), the document type and title, the body text of the
seed (its broken lines reflowed into paragraphs, page numbers dropped, markdown marks removed), the
signature block and, for seeds 003 and 004, the appendix as a real Word table on a landscape page:
- seed 003: one table, one header row marked "repeat on each page" (w:tblHeader), the column-number
  row, task number and text merged down over their outputs (w:vMerge), area names spanning the row
  (w:gridSpan);
- seed 004: a two-row header ("Cơ quan thực hiện" spanning "Chủ trì | Phối hợp"), and the table
  typed again with its header after each printed page of the seed (three tables in a row).
The appendix rows come from data/seed_tables (the same transcription the workbook samples use).
Where a seed lacks its head (000, 001) or leaves the number blank, the head says so: the number and
date stay blank, as in an unsigned draft. `docx_to_pdf` converts a document with LibreOffice.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from samples.plans import PLAN_2023, PLAN_CITY, PlanLayout, seed_rows

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
FIXED = datetime(2025, 7, 1, 8, 0, 0)


@dataclass(frozen=True)
class SeedDoc:
    """How one seed is rebuilt: its head, where its body starts and ends, its appendix."""

    seed: str  # "000" … "004"
    issuer: tuple[str, ...]
    number: str
    place_date: str
    doc_type: str
    title: tuple[str, ...]
    body_from: str  # the first body line starts with this
    appendix: PlanLayout | None = None
    signer: str = ""


SEED_DOCS: dict[str, SeedDoc] = {d.seed: d for d in (
    SeedDoc("000", ("ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH"), "Số:      /KH-UBND", "Nam Định, ngày      tháng      năm 2022",
            "KẾ HOẠCH", ("Cải cách hành chính tỉnh Nam Định năm 2022",), "Thực hiện Nghị quyết", signer="Phạm Đình Nghị"),
    SeedDoc("001", ("ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH"), "Số:      /CTr-UBND", "Nam Định, ngày      tháng      năm 2021",
            "CHƯƠNG TRÌNH", ("Tổng thể cải cách hành chính nhà nước tỉnh Nam Định giai đoạn 2021 - 2030",),
            "I. MỤC TIÊU, YÊU CẦU CHUNG"),
    SeedDoc("002", ("ỦY BAN NHÂN DÂN", "HUYỆN NGHĨA HƯNG"), "Số:      /KH-UBND", "Nghĩa Hưng, ngày      tháng      năm 2021",
            "KẾ HOẠCH", ("Cải cách hành chính huyện Nghĩa Hưng, giai đoạn 2021-2025",), "Thực hiện Nghị quyết",
            signer="Trần Văn Dương"),
    SeedDoc("003", ("ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH"), "Số: 158/KH-UBND", "Nam Định, ngày 30 tháng 12 năm 2022",
            "KẾ HOẠCH", ("Cải cách hành chính tỉnh Nam Định năm 2023",), "Thực hiện Nghị quyết", PLAN_2023,
            signer="Phạm Đình Nghị"),
    SeedDoc("004", ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ NAM ĐỊNH"), "Số:      /KH-UBND", "Nam Định, ngày      tháng      năm 2021",
            "KẾ HOẠCH", ("Nâng cao Chỉ số cải cách hành chính (PAR INDEX)", "thành phố Nam Định giai đoạn 2021-2025"),
            "Thực hiện Thông báo", PLAN_CITY, signer="Phạm Duy Hưng"),
)}


def seed_path(seed: str) -> Path:
    """The seed text file of a seed number."""
    return next(SEEDS_DIR.glob(f"{seed}_*.txt"))


# --- the seed's body text as paragraphs ----------------------------------------------------------------
_MARKUP = re.compile(r"</?b>|</?sub>|\*+|^#+\s*|\s{2,}$")
_STARTS_PARAGRAPH = re.compile(r"^(?:[-+•]\s|[IVX]{1,5}\.\s|\d{1,2}(?:\.\d{1,2})*\.\s|[a-zđ]\)\s|\(\d+\)\s|Nơi nhận)")
_ENDS_SENTENCE = re.compile(r"[.:;!?]\s*$|\./\.$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class Para:
    """One body paragraph: text and whether it is a heading (set in bold)."""

    text: str
    bold: bool = False


def _strip(line: str) -> tuple[str, bool]:
    bold = "**" in line or "<b>" in line or line.lstrip().startswith("#")
    text = _MARKUP.sub("", line.strip()).replace("\t", " ").strip()
    return re.sub(r"\s+", " ", text), bold


def body_paragraphs(seed: SeedDoc) -> list[Para]:
    """The seed's body from its first body line to "Nơi nhận", broken lines joined into paragraphs."""
    raw = seed_path(seed.seed).read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(raw) if _strip(ln)[0].startswith(seed.body_from))
    lines = [(t, b) for t, b in (_strip(ln) for ln in raw[start:]) if t and t != "---"]
    stop = next((i for i, (t, _b) in enumerate(lines) if t.startswith("Nơi nhận")), len(lines))
    lines = [(t, b) for t, b in lines[:stop] if not _PAGE_NUMBER.match(t)]
    width = sorted(len(t) for t, _ in lines)[int(len(lines) * 0.8)] if lines else 80
    out: list[Para] = []
    open_para = False
    for text, bold in lines:
        continues = open_para or re.match(r"^[.,;)a-zà-ỹđ]", text) is not None
        if out and continues and not _STARTS_PARAGRAPH.match(text) and not bold:
            out[-1] = Para(out[-1].text + " " + text, out[-1].bold)
        else:
            out.append(Para(text, bold or bool(re.match(r"^[IVX]{1,5}\.\s", text))))
        # a wrapped line fills the width; a paragraph's last line stops short or ends a sentence
        open_para = width > 100 or (len(text) >= 0.8 * width and not _ENDS_SENTENCE.search(text))
        if width > 100:  # one paragraph per line already (markdown seeds)
            open_para = False
    return out


# --- writing -----------------------------------------------------------------------------------------
def _font(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")


def _para(container, text: str, bold: bool = False, italic: bool = False, center: bool = False, size: int | None = None):
    p = container.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _cell_text(cell, text: str, bold: bool = False, center: bool = False) -> None:
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(11)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _row_flag(row, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _head(doc, seed: SeedDoc) -> None:
    """The head: issuer and number on the left, motto, place and date on the right (no borders)."""
    t = doc.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    _widths(t, (6.5, 9.5))
    for i, line in enumerate(seed.issuer):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.add_run(line).bold = i > 0
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    left.add_paragraph(seed.number).alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = right.paragraphs[0]
    p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = right.add_paragraph()
    p.add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = right.add_paragraph()
    p.add_run(seed.place_date).italic = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "")
    _para(doc, seed.doc_type, bold=True, center=True, size=14)
    for line in seed.title:
        _para(doc, line, bold=True, center=True)


def _signature(doc, seed: SeedDoc) -> None:
    _para(doc, "")
    for line in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"):
        p = _para(doc, line, bold=True)
        p.paragraph_format.left_indent = Cm(9)
    if seed.signer:
        _para(doc, "")
        p = _para(doc, seed.signer, bold=True)
        p.paragraph_format.left_indent = Cm(9)


WIDTHS_CM = (1.2, 5.6, 7.6, 3.9, 4.4, 3.0)


def _header_rows(t, layout: PlanLayout) -> None:
    if layout.two_row_header:
        top, sub = t.add_row(), t.add_row()
        for c, v in enumerate(["TT", "Nhiệm vụ", "Sản phẩm", "Cơ quan thực hiện", "", "Thời gian"]):
            if v:
                _cell_text(top.cells[c], v, bold=True, center=True)
        _cell_text(sub.cells[3], "Chủ trì", bold=True, center=True)
        _cell_text(sub.cells[4], "Phối hợp", bold=True, center=True)
        for c in (0, 1, 2, 5):
            top.cells[c].merge(sub.cells[c])
        top.cells[3].merge(top.cells[4])
        rows = (top, sub)
    else:
        row = t.add_row()
        for c, v in enumerate(["STT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]):
            _cell_text(row.cells[c], v, bold=True, center=True)
        rows = (row,)
    for row in rows:
        _row_flag(row, "w:tblHeader")
        _row_flag(row, "w:cantSplit")


def _new_table(doc, layout: PlanLayout, numbers: bool):
    t = doc.add_table(rows=0, cols=6)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _header_rows(t, layout)
    if numbers:
        row = t.add_row()
        for c in range(6):
            _cell_text(row.cells[c], f"({c + 1})", center=True)
        _row_flag(row, "w:cantSplit")
    return t


def _appendix(doc, layout: PlanLayout, split_at_pages: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for m in ("left_margin", "right_margin"):
        setattr(section, m, Cm(1.8))
    for i, line in enumerate(layout.title):
        _para(doc, line, bold=i <= 2 and not line.startswith("("), italic=line.startswith("("), center=True)
    _para(doc, "")
    t = _new_table(doc, layout, numbers=True)
    task_first = None  # the row where the open task's number and text stand

    def close(end_row) -> None:
        if task_first is not None and end_row is not task_first:
            for c in (0, 1):
                task_first.cells[c].merge(end_row.cells[c])

    last = None
    for cells in seed_rows(layout):
        if cells == ["#PAGE"]:
            if split_at_pages:  # the seed typed its table again after the page break
                close(last)
                task_first = last = None
                _para(doc, "")
                t = _new_table(doc, layout, numbers=False)
            continue
        no, task, output, lead, partner, deadline = (cells + [""] * 6)[:6]
        is_area = bool(no) and no.strip().isalpha() and not lead
        row = t.add_row()
        _row_flag(row, "w:cantSplit")
        if is_area:
            close(last)
            task_first = None
            _cell_text(row.cells[0], no, bold=True, center=True)
            merged = row.cells[1].merge(row.cells[5])
            _cell_text(merged, task or output, bold=True)
        else:
            if no:
                close(last)
                task_first = row
                _cell_text(row.cells[0], no, center=True)
                _cell_text(row.cells[1], task)
            elif task_first is None and task:
                _cell_text(row.cells[1], task)
            for c, v in ((2, output), (3, lead), (4, partner), (5, deadline)):
                if v:
                    _cell_text(row.cells[c], v)
        last = row
    close(last)
    for table in doc.tables[1:]:
        _widths(table, WIDTHS_CM)


def _widths(table, widths_cm: tuple[float, ...]) -> None:
    """Column widths in the table grid (LibreOffice reads w:gridCol) and in every cell (Word reads w:tcW)."""
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(w * 567)))  # twentieths of a point per centimetre
    for row in table.rows:
        for c, w in enumerate(widths_cm):
            if c < len(row.cells):
                row.cells[c].width = Cm(w)


def build_docx(seed: str, path: Path, body: bool = True, appendix: bool = True) -> Path:
    """Write one seed plan as a .docx (head, body, signature, appendix as far as asked)."""
    spec = SEED_DOCS[seed]
    doc = new_document()
    _font(doc)
    doc.core_properties.author = "Sở Nội vụ tỉnh Nam Định (dữ liệu mẫu)"
    doc.core_properties.created = doc.core_properties.modified = FIXED
    _head(doc, spec)
    if body:
        for p in body_paragraphs(spec):
            para = _para(doc, p.text, bold=p.bold)
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _signature(doc, spec)
    if appendix and spec.appendix is not None:
        _appendix(doc, spec.appendix, split_at_pages=spec.appendix.two_row_header)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def docx_to_pdf(docx: Path, outdir: Path, timeout: int = 240, password: str | None = None) -> Path:
    """Convert a .docx to PDF with LibreOffice (a private profile, so parallel runs do not lock each other);
    with `password`, the PDF is encrypted with that open password, as a portal sometimes publishes it."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / f"lo-{docx.stem}"
    target = "pdf"
    if password is not None:
        target = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                  f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}')
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                    "--outdir", str(outdir), str(docx)], capture_output=True, text=True, timeout=timeout, check=True)
    pdf = outdir / f"{docx.stem}.pdf"
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf
