"""The structure around a table's data rows: headings, notes and the document's closing block.

- **Headings** in any numbering: Roman numerals ("II.", "IV -"), capital letters ("A.", "B)"), "Phần I",
  "Mục 2", and Arabic numbers ("1.", "2)") when the row carries nothing but the heading (a banner merged across
  the row, or a bold row), alone in the row or with its name in the next cell. In a plan sheet they are areas; in
  progress and values sheets they are skipped as data.
- **The closing block**: "Nơi nhận:", "- Lưu: VT, NV.", "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH",
  "(Đã ký)", "Như trên", the signer's name under them. Nothing from it becomes a row.
- **Notes**: "Ghi chú: …", "Lưu ý: …", "(*) …", "* …" (usually merged under the table).
"""
from __future__ import annotations

import re

from loaders.text import clean, fold, roman_to_int

# folded text that opens the closing block of an administrative document
_CLOSING = re.compile(
    r"^(?:noi nhan\b|-?\s*luu\s*:?\s*(?:vt|van thu|hs|ho so)\b|-?\s*luu\s*:|kt\.?\s|kt\.?$|tm\.?\s|tl\.?\s|q\.?\s*chu tich\b|"
    r"(?P<title>(?:pho )?chu tich\b|(?:pho )?giam doc\b)|\(?da ky\)?$|\(?ky,? ghi ro ho ten\)?|\(?ky ten(?:,? dong dau)?\)?$|"
    r"-?\s*nhu (?:tren|dieu|muc)\b|nguoi lap(?: bieu)?\b|thu truong(?: co quan| don vi)?\b|xac nhan cua\b|"
    r"(?:tm|kt)\s*\.?\s*(?:uy ban|ubnd|chu tich|giam doc))"
)
_NOTE = re.compile(r"^(?:\*+\s*)?(?:ghi chu|luu y|chu thich|nguon)\b|^\(\*+\)|^\*\s")
# a heading's numeral at the start of a text: "II.", "A.", "Phần I", "Mục 2", "1." (group 'num')
_HEAD = re.compile(
    r"^\s*(?:(?P<part>phan|muc|chuong)\s+(?P<pnum>[ivxl]{1,6}|\d{1,2}|thu \w+)\s*[\.:\-–)]?"
    r"|(?P<roman>[IVXL]{1,6})\s*[\.\-–:)]"
    r"|(?P<roman_alone>[IVXL]{1,6})(?=\s*$|\s+[A-ZĐÀ-Ỹ])"
    r"|(?P<letter>[A-HK-UWYZĐ])\s*[\.\-–:)]"
    r"|(?P<letter_alone>[A-HK-UWYZĐ])\s*$"
    r"|(?P<arabic>\d{1,2})\s*[\.\-–:)](?!\d))\s*(?P<rest>.*)$", re.S)
# a person's name: two to five words, each capitalised (the signer under the closing block)
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+|[A-ZĐÀ-Ỹ]+)(?:\s+(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+|[A-ZĐÀ-Ỹ]+)){1,4}$")


def is_closing(text: object) -> bool:
    """Whether a cell's text opens (or belongs to) a document's closing block."""
    f = fold(text)
    m = _CLOSING.match(f) if f else None
    if m is None:
        return False
    if m.group("title"):  # "PHÓ CHỦ TỊCH", "Chủ tịch": a title, not "Chủ tịch UBND tỉnh chỉ đạo …"
        s = clean(text)
        return s.upper() == s or len(s.split()) <= 3
    return True


def is_note(text: object) -> bool:
    """Whether a cell's text is a note under a table ("Ghi chú: …")."""
    raw = clean(text)
    if raw.startswith(("(*)", "(**)", "* ", "*)")):
        return True
    f = fold(text)
    return bool(f) and _NOTE.match(f) is not None


# the common Vietnamese family names: a capitalised line of 2–5 words starting with one is a signer's name
_SURNAMES = frozenset(fold(x) for x in (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đinh", "Trịnh", "Đoàn", "Lương", "Mai", "Cao", "Vương", "Tô", "Hà", "Lại", "Đào", "Phùng", "Tạ", "Kiều",
    "Chu", "Lưu", "Đồng", "Triệu", "Văn", "Lâm", "Tống", "Quách", "Nghiêm", "Thái", "Khúc", "Hoàng"))


def is_signer_name(text: object) -> bool:
    """Whether a text looks like a signer's name ("Nguyễn Văn A", "TRẦN THỊ B"): 2–5 capitalised words, the first
    a family name."""
    s = clean(text)
    words = s.split()
    return (2 <= len(words) <= 5 and _NAME.match(s) is not None and not any(ch.isdigit() for ch in s)
            and fold(words[0]) in _SURNAMES)


def heading(text: object, banner: bool = False) -> tuple[str, str] | None:
    """(numeral, name) of a heading text, or None. Roman numerals, "Phần …", "Mục …" and capital letters make a
    heading on their own; an Arabic number only in a banner (the row carries nothing else: merged across, bold)."""
    s = clean(text)
    if not s:
        return None
    p = re.match(r"^(phan|muc|chuong)\s+([ivxl]{1,6}|\d{1,2}|thu \w+)\b\s*[\.:\-)]?\s*", fold(s))
    if p is not None:  # "Phần I", "PHẦN II: …", "Mục 2."
        words = len(p.group(0).split())
        parts = s.split()
        numeral = " ".join(parts[1:words]).rstrip(".:-)") or parts[1].rstrip(".:-)")
        rest = " ".join(parts[words:]).lstrip(".:-) ")
        return f"{parts[0].capitalize()} {numeral}", clean(rest)
    m = _HEAD.match(s)
    if m is None:
        return None
    rest = clean(m.group("rest"))
    if m.group("part"):
        return f"{m.group('part').capitalize()} {m.group('pnum')}", rest
    for g in ("roman", "roman_alone"):
        if m.group(g):
            if roman_to_int(m.group(g)) is None:
                return None
            return m.group(g), rest
    for g in ("letter", "letter_alone"):
        if m.group(g):
            if rest and rest[:1].islower():
                return None  # "A. thực hiện …"? a sentence, not a heading
            return m.group(g), rest
    if m.group("arabic") and banner and rest:
        return m.group("arabic"), rest
    return None


def row_kind(values: list[object], bold: bool = False, merged_across: bool = False) -> str | None:
    """What a row of a progress or values sheet is when it is not data: "closing", "note", "heading", or None
    (data, or blank). `values` are the row's non-blank cells in order."""
    texts = [v for v in values if v is not None and v != ""]
    if not texts:
        return None
    first = texts[0]
    if isinstance(first, str):
        if is_closing(first):
            return "closing"
        if is_note(first):
            return "note"
    distinct = {clean(v) if isinstance(v, str) else v for v in texts}
    banner = bold or merged_across
    if isinstance(first, str) and len(distinct) == 1 and heading(first, banner) is not None:
        return "heading"
    if isinstance(first, (str, int, float)) and len(distinct) == 2 and isinstance(texts[-1], str) \
            and heading(_num(first) + ". " + clean(texts[-1]), True):
        # the numeral alone in the STT cell and the name in the next one: "II" | "Cải cách TTHC"
        if heading(_num(first) + ".") is not None or _num(first).isdigit() and banner:
            return "heading"
    if banner and len(distinct) == 1 and isinstance(first, str) and not any(ch.isdigit() for ch in first[-6:]):
        return "heading"  # an unnumbered bold or merged title row ("Khối các sở, ngành")
    return None


def _num(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return clean(v).rstrip(".").strip()
