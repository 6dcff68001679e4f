"""Find a sheet's table: its kind (from the header signature, never the sheet name), its header row
(one or two rows, below any title block) and the column of each role."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.text import fold
from loaders.workbook import Grid

# role → folded synonyms. A header cell matches a role when, folded, it equals a synonym, or
# (for synonyms of two words or more) contains it. Longer synonyms are tried first.
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "plan_tasks": {
        "no": ("stt", "tt", "so tt", "so thu tu"),
        "task": ("nhiem vu cu the", "nhiem vu", "ten nhiem vu", "noi dung nhiem vu", "noi dung cong viec", "noi dung"),
        "output": ("san pham", "san pham dau ra", "ket qua dau ra", "san pham ket qua", "hinh thuc san pham"),
        "lead": ("co quan chu tri", "don vi chu tri", "chu tri", "co quan thuc hien chu tri", "don vi thuc hien chu tri"),
        "partner": ("co quan phoi hop", "don vi phoi hop", "phoi hop"),
        "deadline": ("thoi gian thuc hien", "thoi gian hoan thanh", "thoi han hoan thanh", "thoi han", "thoi gian", "moc thoi gian"),
        "area": ("linh vuc",),
        "note": ("ghi chu",),
    },
    "progress": {
        "ref": ("ma san pham", "ma nhiem vu", "ma"),
        "plan": ("ke hoach",),
        "no": ("stt", "tt"),
        "output": ("san pham", "nhiem vu san pham", "noi dung", "nhiem vu"),
        "agency": ("co quan bao cao", "don vi bao cao", "co quan thuc hien", "co quan", "don vi", "co quan chu tri"),
        "period": ("ky bao cao", "quy bao cao", "quy", "ky"),
        "status": ("trang thai", "tinh trang", "ket qua thuc hien", "tien do thuc hien", "muc do hoan thanh"),
        "percent": ("ty le hoan thanh", "ty le hoan thanh %", "% hoan thanh", "ty le %", "tien do %", "phan tram"),
        "evidence": ("van ban chung minh", "van ban", "so ky hieu van ban", "minh chung", "tai lieu kiem chung", "so hieu van ban"),
        "note": ("ghi chu",),
        "deadline": ("thoi han", "thoi gian thuc hien"),
    },
    "indicator_catalogue": {
        "no": ("stt", "tt"),
        "code": ("ma chi tieu", "ma"),
        "name": ("ten chi tieu", "noi dung chi tieu", "chi tieu"),
        "area": ("linh vuc",),
        "unit": ("don vi tinh", "dvt"),
        "level": ("cap ap dung", "cap"),
        "scope": ("dia ban", "pham vi", "ma dia ban"),
        "direction": ("chieu", "xu huong tot"),
        "is_rate": ("ty le tu so mau so", "la ty le"),
        "source": ("nguon", "can cu"),
        "quote": ("nguyen van", "trich dan"),
    },
    "indicator_values": {
        "code": ("ma chi tieu",),
        "indicator": ("ten chi tieu", "chi tieu"),
        "unit_code": ("ma dvhc", "ma don vi", "ma dia ban"),
        "unit": ("don vi hanh chinh", "dia ban", "ten don vi", "don vi"),
        "year": ("nam",),
        "quarter": ("quy",),
        "period": ("ky bao cao", "ky"),
        "value": ("gia tri", "ket qua", "so lieu"),
        "numerator": ("tu so",),
        "denominator": ("mau so",),
    },
    "par_scores": {
        "no": ("stt", "tt"),
        "code": ("ma don vi", "ma co quan", "ma"),
        "subject": ("co quan don vi", "ten don vi", "ten co quan", "co quan", "don vi", "dia phuong"),
        "year": ("nam",),
        "total": ("tong diem", "chi so cchc", "diem chi so", "tong"),
        "rank": ("xep hang", "thu hang", "hang"),
    },
    "instructions": {
        "step": ("huong dan", "buoc", "noi dung huong dan"),
    },
}
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    # each inner tuple is "one of" these roles
    "plan_tasks": (("task",), ("lead",), ("deadline",)),
    "progress": (("status",), ("agency",), ("output", "ref")),
    "indicator_catalogue": (("name",),),  # plus at least one target-year column
    "indicator_values": (("code", "indicator"), ("unit_code", "unit"), ("year", "period"), ("value", "numerator")),
    "indicator_values_wide": (("code", "indicator"),),  # plus period columns
    "par_scores": (("subject", "code"),),  # plus component or total columns
}
# a sheet is only taken for a kind when one of these columns is present
ANCHORS: dict[str, tuple[str, ...]] = {
    "plan_tasks": ("task", "lead"),
    "progress": ("status",),
    "indicator_catalogue": ("name",),
    "indicator_values": ("value", "numerator", "denominator"),
    "par_scores": ("subject", "total"),
}
ROLE_LABELS = {
    "task": "Nhiệm vụ", "lead": "Cơ quan chủ trì", "deadline": "Thời gian thực hiện", "output": "Sản phẩm",
    "ref": "Mã sản phẩm", "status": "Trạng thái", "agency": "Cơ quan báo cáo", "period": "Kỳ báo cáo",
    "name": "Tên chỉ tiêu", "code": "Mã chỉ tiêu", "indicator": "Chỉ tiêu", "unit_code": "Mã ĐVHC",
    "unit": "Đơn vị hành chính", "year": "Năm", "value": "Giá trị", "numerator": "Tử số",
    "subject": "Cơ quan, đơn vị", "partner": "Cơ quan phối hợp", "no": "STT", "percent": "Tỷ lệ hoàn thành (%)",
    "evidence": "Văn bản chứng minh", "note": "Ghi chú", "area": "Lĩnh vực", "quarter": "Quý",
    "denominator": "Mẫu số", "total": "Tổng điểm", "rank": "Xếp hạng", "scope": "Địa bàn", "level": "Cấp áp dụng",
}

YEAR_TARGET = re.compile(r"^(?:muc tieu|chi tieu|den nam|nam|ke hoach|target)?\s*(?:nam\s*)?(20\d\d)$")
_PERIOD_HEADER = re.compile(
    r"^(?:quy\s*([1-4]|i{1,3}|iv)\s*[/\- ]\s*(?:nam\s*)?(20\d\d)|(20\d\d)\s*[\- ]?\s*q([1-4])|(?:nam\s*)?(20\d\d))$"
)
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
MAX_HEADER_SCAN = 40


def parse_period_header(text: object) -> tuple[int, int | None] | None:
    """(year, quarter|None) from a header such as "Quý III/2023", "2023-Q3", "Năm 2023", "2023"."""
    f = fold(text).replace(".", " ").strip()
    m = _PERIOD_HEADER.match(f)
    if not m:
        return None
    if m.group(2):
        q = m.group(1)
        return int(m.group(2)), int(q) if q.isdigit() else _ROMAN_Q[q]
    if m.group(3):
        return int(m.group(3)), int(m.group(4))
    return int(m.group(5)), None


def target_year(text: object) -> int | None:
    """The horizon year of a catalogue column header ("Mục tiêu 2025", "Chỉ tiêu năm 2030")."""
    f = fold(text).replace(".", " ").strip()
    f = re.sub(r"\s+", " ", f)
    m = YEAR_TARGET.match(f)
    return int(m.group(1)) if m and (f.startswith(("muc tieu", "chi tieu", "den nam", "ke hoach", "target"))) else None


def role_of(kind: str, header: str) -> str | None:
    """The role a folded header cell plays in a sheet of `kind`, or None."""
    h = header.strip(" :*")
    if not h:
        return None
    h = h.replace("(%)", "%").replace("( % )", "%")
    h = re.sub(r"\(.*?\)", "", h).strip() or h  # "Thời gian (dự kiến)" → "Thời gian"
    best: tuple[int, str] | None = None
    for role, synonyms in ROLES[kind].items():
        for syn in synonyms:
            if h == syn:
                score = 100 + len(syn)
            elif " " in syn and re.search(r"(^|\s)" + re.escape(syn) + r"($|\s)", h):
                score = len(syn)
            else:
                continue
            if best is None or score > best[0]:
                best = (score, role)
    return best[1] if best else None


@dataclass
class Table:
    """Where a sheet's table is: the kind, the header rows and the column index of each role."""

    kind: str
    header_row: int  # zero-based index of the LAST header row
    header_rows: tuple[int, ...]
    columns: dict[str, int]
    headers: dict[int, str]  # column index → header text as written (for messages)
    extra: dict[int, str] = field(default_factory=dict)  # unmatched headers (component, period, year columns)
    score: int = 0
    skip: int = 0  # rows right under the header to skip: "(1) (2) (3) …" column numbers, units

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1 + self.skip


def _header_texts(grid: Grid, rows: tuple[int, ...]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for c in range(grid.width):
        parts: list[str] = []
        for r in rows:
            v = grid.cell(r, c)
            if v is None or isinstance(v, (int, float)) and not isinstance(v, bool):
                continue
            s = str(v).strip()
            if s and (not parts or fold(parts[-1]) != fold(s)):
                parts.append(s)
        if parts:
            texts[c] = " ".join(parts)
    return texts


def _match(kind: str, texts: dict[int, str]) -> tuple[int, dict[str, int], dict[int, str]]:
    columns: dict[str, int] = {}
    extra: dict[int, str] = {}
    for c, text in texts.items():
        if kind == "indicator_catalogue" and target_year(text):
            extra[c] = text  # "Chỉ tiêu 2025" is a target-year column, not the indicator's name
            continue
        role = role_of(kind, fold(text))
        if role and role not in columns:
            columns[role] = c
        elif not role:
            extra[c] = text
    # A kind is recognised from its anchor columns; missing required columns lower the score but
    # still let the sheet be recognised, so the user hears which column is missing.
    if not any(a in columns for a in ANCHORS.get(kind, ())) or len(columns) < 2:
        return -1, columns, extra
    missing = sum(1 for options in REQUIRED.get(kind, ()) if not any(o in columns for o in options))
    score = 10 * len(columns) - 4 * missing
    if kind == "indicator_catalogue":
        years = [c for c, t in extra.items() if target_year(t)]
        score += 10 if years else -100
    if kind == "par_scores":
        comps = [c for c, t in extra.items() if component_of(t)]
        score += 10 * len(comps) if comps or "total" in columns else -100
    return score, columns, extra


_COMPONENT_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("one_stop", ("mot cua",)),
    ("direction", ("chi dao", "dieu hanh")),
    ("legal_docs", ("vbqppl", "van ban quy pham", "the che", "qppl")),
    ("procedure", ("thu tuc hanh chinh", "tthc")),
    ("organisation", ("to chuc bo may", "bo may")),
    ("civil_service", ("cong vu", "can bo", "cbccvc", "doi ngu")),
    ("finance", ("tai chinh",)),
    ("modernisation", ("hien dai hoa", "chinh quyen dien tu", "chinh quyen so")),
    ("survey", ("dieu tra", "hai long", "xa hoi hoc", "sipas")),
)


def component_of(header: object) -> str | None:
    """The PAR INDEX component a column header names, or None."""
    f = fold(header)
    for code, words in _COMPONENT_KEYWORDS:
        if any(w in f for w in words):
            return code
    return None


def detect(grid: Grid) -> Table | None:
    """The best-scoring table in the first rows of a sheet, or None when nothing looks like a header."""
    best: Table | None = None
    limit = min(grid.height, MAX_HEADER_SCAN)
    for r in range(limit):
        if not any(v is not None for v in grid.row(r)):
            continue
        candidates = [(r,)]
        if r + 1 < grid.height:
            candidates.append((r, r + 1))
        for rows in candidates:
            texts = _header_texts(grid, rows)
            if len(texts) < 2:
                continue
            for kind in ("plan_tasks", "progress", "indicator_catalogue", "indicator_values",
                         "indicator_values_wide", "par_scores"):
                score, columns, extra = _match_wide(texts) if kind == "indicator_values_wide" else _match(kind, texts)
                if score <= 0:
                    continue
                # two-row headers must gain something over the single row to be preferred
                # a two-row header must score strictly better than its first row alone
                table = Table(kind, rows[-1], rows, columns, texts, extra, score)
                if best is None or table.score > best.score:
                    best = table
        if best is not None and r > best.header_row + 1:
            break
    if best is not None:
        while best.header_row + 1 + best.skip < grid.height and is_column_number_row(grid.row(best.header_row + 1 + best.skip)):
            best.skip += 1
    return best


def _match_wide(texts: dict[int, str]) -> tuple[int, dict[str, int], dict[int, str]]:
    _score, columns, extra = _match("indicator_values", texts)
    periods = [c for c, t in extra.items() if parse_period_header(t)]
    # a wide sheet names the indicator (or unit) in columns and has ≥ 2 period columns
    score = 10 * len(columns) + 20 * len(periods)
    if len(periods) < 2 or not ({"code", "indicator"} & set(columns)) or {"value", "year", "period"} & set(columns):
        score = -1
    return score, columns, extra


def is_instructions(grid: Grid) -> bool:
    """A sheet of prose (an instructions sheet placed first): mostly one long text per row."""
    texts = [v for r in range(min(grid.height, 60)) for v in grid.row(r) if isinstance(v, str)]
    if not texts:
        return False
    f = fold(" ".join(texts[:20]))
    return "huong dan" in f or "luu y" in f


_COLNUM = re.compile(r"^\(?\s*\d{1,2}\s*\)?$|^\(?[a-z]\)?$")


def is_column_number_row(row: list[object]) -> bool:
    """A row like "(1) (2) (3) …" or "1 2 3 …" or "A B C" under the header."""
    vals = [v for v in row if v is not None]
    if len(vals) < 3:
        return False
    seq = []
    for v in vals:
        s = fold(v) if not isinstance(v, (int, float)) else str(int(v)) if float(v).is_integer() else "x"
        if not _COLNUM.match(s):
            return False
        seq.append(s)
    digits = [int(re.sub(r"\D", "", s)) for s in seq if re.sub(r"\D", "", s)]
    return len(digits) == len(seq) and digits == sorted(digits) and len(set(digits)) == len(digits) or all(
        len(s.strip("()")) == 1 and s.strip("()").isalpha() for s in seq)


def data_rows(grid: Grid, table: Table, start: int | None = None):  # noqa: ANN201 - Iterator[tuple[int, list]]
    """(zero-based row index, row) of every table row that holds something and is not a header
    repeated after a page break."""
    for r in range(table.first_data_row if start is None else start, grid.height):
        row = grid.rows[r]
        if any(v is not None for v in row) and not is_repeated_header(row, table, grid):
            yield r, row


def is_repeated_header(row: list[object], table: Table, grid: Grid) -> bool:
    """A header row repeated after a page break (most header cells equal the header's)."""
    hits = total = 0
    for c, text in table.headers.items():
        total += 1
        v = row[c] if c < len(row) else None
        if v is not None and isinstance(v, str):
            fv = fold(v)
            ft = fold(text)
            if fv == ft or (fv and (ft.endswith(fv) or ft.startswith(fv))):
                hits += 1
    return total > 0 and hits >= max(2, (total * 6 + 9) // 10)
