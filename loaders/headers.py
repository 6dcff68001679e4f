"""Find a sheet's table: its kind (from the header signature, never the sheet name), its header row
(one or two rows, below any title block) and the column of each role."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache

from loaders.text import fold
from loaders.workbook import Grid, column_letter

# role → folded synonyms. A header cell matches a role when, folded, it equals a synonym, or
# (for synonyms of two words or more) contains it. Longer synonyms are tried first.
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "plan_tasks": {
        "no": ("stt", "tt", "so tt", "so thu tu"),
        "task": ("nhiem vu cu the", "nhiem vu", "ten nhiem vu", "noi dung nhiem vu", "noi dung cong viec", "noi dung",
                 "nhiem vu, giai phap", "cac nhiem vu", "noi dung thuc hien", "ten nhiem vu, de an", "cong viec"),
        "output": ("san pham", "san pham dau ra", "ket qua dau ra", "san pham ket qua", "hinh thuc san pham",
                   "ket qua san pham", "ket qua", "san pham du kien", "ket qua du kien", "san pham hoan thanh",
                   "hinh thuc van ban", "dau ra", "ket qua dat duoc"),
        "lead": ("co quan chu tri", "don vi chu tri", "chu tri", "co quan thuc hien chu tri", "don vi thuc hien chu tri",
                 "co quan chu tri thuc hien", "don vi chu tri thuc hien", "chu tri thuc hien", "co quan thuc hien",
                 "don vi thuc hien", "trach nhiem chu tri", "co quan, don vi chu tri"),
        "partner": ("co quan phoi hop", "don vi phoi hop", "phoi hop", "co quan, don vi phoi hop", "phoi hop thuc hien",
                    "trach nhiem phoi hop"),
        "deadline": ("thoi gian thuc hien", "thoi gian hoan thanh", "thoi han hoan thanh", "thoi han", "thoi gian", "moc thoi gian",
                     "tien do thuc hien", "tien do hoan thanh", "thoi gian trien khai", "thoi diem hoan thanh", "han hoan thanh"),
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
        "status": ("trang thai", "tinh trang", "ket qua thuc hien", "tien do thuc hien", "muc do hoan thanh",
                   "tinh hinh thuc hien", "tinh trang thuc hien", "trang thai thuc hien", "ket qua trien khai"),
        "percent": ("ty le hoan thanh", "ty le hoan thanh %", "% hoan thanh", "ty le %", "tien do %", "phan tram"),
        "evidence": ("van ban chung minh", "van ban", "so ky hieu van ban", "minh chung", "tai lieu kiem chung", "so hieu van ban",
                     "tai lieu minh chung", "van ban minh chung", "so van ban"),
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


def _norm_header(header: str) -> str:
    """A folded header as scored: "(%)" kept as "%", other parentheses dropped, "/" and ":" between words as spaces."""
    h = header.strip(" :*")
    h = h.replace("(%)", "%").replace("( % )", "%")
    h = re.sub(r"\(.*?\)", "", h).strip() or h  # "Thời gian (dự kiến)" → "Thời gian"
    h = re.sub(r"(?<=[a-z])\s*[/:]\s*(?=[a-z])", " ", h)  # "Kết quả/sản phẩm", "Chủ trì: đơn vị"
    return re.sub(r"\s+", " ", h).strip(" :*/")


MIN_HEADER_SCORE = 0.5  # a column takes a field only from this header score on
CLEAR_MARGIN = 0.2  # the chosen assignment must beat the best one without this choice by this much


# words that rule a field out, whatever else the header says ("Cơ quan thực hiện / Phối hợp" is no lead)
EXCLUDES: dict[tuple[str, str], tuple[str, ...]] = {
    ("plan_tasks", "lead"): ("phoi hop",),
    ("plan_tasks", "partner"): ("chu tri",),
    ("plan_tasks", "task"): ("san pham", "ket qua"),
    ("plan_tasks", "deadline"): ("kinh phi",),
    # "Mã chỉ tiêu", "Mã đơn vị": a code column never names the field of the name beside it
    ("indicator_values", "indicator"): ("ma",),
    ("indicator_values", "unit"): ("ma",),
    ("indicator_catalogue", "name"): ("ma",),
    ("par_scores", "subject"): ("ma",),
}


@lru_cache(maxsize=65536)
def header_score(kind: str, role: str, header: str) -> float:
    """How well a folded header names a field, 0–1: 1 for a synonym exactly; a synonym of two words or more
    inside the header scores by how much of the header it covers; all its words in another order a little less."""
    h = _norm_header(header)
    if not h:
        return 0.0
    words = h.split()
    if any(re.search(r"(^|\s)" + x + r"($|\s)", h) for x in EXCLUDES.get((kind, role), ())):
        return 0.0
    best = 0.0
    for syn in ROLES[kind][role]:
        n = len(syn.split())
        if h == syn:
            best = max(best, 1.0 - 0.01 / n)  # of two exact synonyms, the longer one names the field more surely
            continue
        if n < 2:
            if syn in words and len(words) <= 2 and syn not in ("tt", "ma", "ky", "quy", "nam", "cap", "hang", "tong"):
                best = max(best, 0.55)
            continue
        if re.search(r"(^|\s)" + re.escape(syn) + r"($|\s)", h):
            best = max(best, 0.55 + 0.4 * n / len(words) + n / 1000)
        elif set(syn.split()) <= set(words):
            best = max(best, 0.5 + 0.3 * n / len(words))
    return best if best >= 0.99 else min(best, 0.98)


def role_of(kind: str, header: str) -> str | None:
    """The role a folded header cell plays in a sheet of `kind` on its own (no assignment), or None."""
    scores = {role: header_score(kind, role, header) for role in ROLES[kind]}
    role, score = max(scores.items(), key=lambda kv: kv[1], default=(None, 0.0))
    return role if score >= MIN_HEADER_SCORE else None


def assign(scores: list[list[float]]) -> list[int]:
    """The assignment of rows (columns of the sheet) to columns (fields) that maximises the total score, each
    field to one column at most: result[i] = the field of row i, or -1 (Hungarian method on the square matrix)."""
    n_rows = len(scores)
    n_cols = len(scores[0]) if scores else 0
    n = max(n_rows, n_cols)
    if n == 0:
        return []
    big = max((v for row in scores for v in row), default=0.0)
    cost = [[(big - scores[i][j]) if i < n_rows and j < n_cols else big for j in range(n)] for i in range(n)]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    p = [0] * (n + 1)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    out = [-1] * n_rows
    for j in range(1, n + 1):
        i = p[j] - 1
        if i < n_rows and j - 1 < n_cols and scores[i][j - 1] > 0:
            out[i] = j - 1
    return out


def _total(scores: list[list[float]], picked: list[int]) -> float:
    return sum(scores[i][j] for i, j in enumerate(picked) if j >= 0)


@dataclass
class ColumnChoice:
    """The column chosen for one field, and whether it won clearly (else `others` lists the columns that came
    close, as letters): what the dry run reports as the mapping it used."""

    column: str  # letter
    index: int
    score: float
    clear: bool
    header: str = ""
    others: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {"column": self.column, "clear": self.clear, "score": round(self.score, 2), "header": self.header,
                "others": list(self.others)}


def solve(kind: str, texts: dict[int, str], evidence: dict[int, dict[str, float]] | None = None,
          skip: set[int] = frozenset(), forced: dict[str, int] | None = None, margins: bool = True,
          ) -> tuple[dict[str, int], dict[str, ColumnChoice], set[int]]:
    """Assign the fields of `kind` to the columns as a whole, from header scores (and, given, value evidence).
    Returns (field → column index, field → ColumnChoice, columns that named a field but lost it)."""
    roles = list(ROLES[kind])
    cols = [c for c in texts if c not in skip]
    folded = {c: fold(texts[c]) for c in cols}
    head = [[header_score(kind, r, folded[c]) for r in roles] for c in cols]
    scores = []
    for i, c in enumerate(cols):
        row = []
        for j, r in enumerate(roles):
            h = head[i][j]
            if h < MIN_HEADER_SCORE:
                row.append(0.0)
                continue
            bonus = value_bonus(kind, r, evidence.get(c)) if evidence else 0.0
            row.append(max(h + bonus, 0.01))
        scores.append(row)
    forced = {r: c for r, c in (forced or {}).items() if r in roles and c in cols}
    for r, c in forced.items():  # a mapping the uploader chose: that column takes that field, and only it
        i, j = cols.index(c), roles.index(r)
        for k in range(len(roles)):
            scores[i][k] = 0.0
        for k in range(len(cols)):
            scores[k][j] = 0.0
        scores[i][j] = 10.0
    picked = assign(scores) if cols else []
    total = _total(scores, picked)
    columns: dict[str, int] = {}
    choices: dict[str, ColumnChoice] = {}
    for i, j in enumerate(picked):
        if j < 0:
            continue
        role, c = roles[j], cols[i]
        columns[role] = c
        clear = True
        others: list[str] = []
        if role not in forced and margins:
            saved = scores[i][j]
            scores[i][j] = 0.0
            alt = assign(scores)
            scores[i][j] = saved
            gap = total - _total(scores, alt) if alt else total
            clear = gap >= CLEAR_MARGIN and head[i][j] >= 0.6
            if not clear:
                others = [column_letter(cols[k]) for k, jj in enumerate(alt) if jj == j]
                others += [column_letter(cols[k]) for k in range(len(cols))
                           if k != i and scores[k][j] > 0 and column_letter(cols[k]) not in others]
        choices[role] = ColumnChoice(column_letter(c), c, scores[i][j] if role not in forced else 1.0, clear,
                                     texts[c], tuple(others[:3]))
    lost = {cols[i] for i in range(len(cols)) if picked[i] < 0 and any(v > 0 for v in scores[i])}
    return columns, choices, lost


# --- value evidence -------------------------------------------------------------------------------
_AGENCY_START = re.compile(r"^(so|ubnd|uy ban|phong|van phong|vp|cong an|cac |ban |chi cuc|trung tam|thanh tra|"
                           r"doan |hoi |bao |dai |buu dien|kho bac|cuc |tinh uy|huyen uy|hdnd|mttq|ub mttq|toa an|"
                           r"vien kiem sat|bhxh|bao hiem)")
_DEADLINE_WORD = re.compile(r"(^|\s)(quy|nam|thang|hang|thuong xuyen|lien tuc|truoc|dinh ky|giai doan|trong)(\s|$)|"
                            r"\b20\d\d\b|\d{1,2}/\d{1,2}")
_NUMBERING = re.compile(r"^\(?([ivxl]{1,5}|[a-z]|\d{1,3}(\.\d{1,3})*)[\.\)]?$")
_DOC_NO = re.compile(r"\d{1,5}\s*/\s*[a-z]")
_PERIOD_WORD = re.compile(r"(quy|q)\s*(i{1,3}|iv|[1-4])\b.*20\d\d|20\d\d\s*-?\s*q[1-4]")
SAMPLE_ROWS = 30


def column_evidence(grid: Grid, first_row: int, cols: list[int], rows: int = SAMPLE_ROWS) -> dict[int, dict[str, float]]:
    """For each column, the share of its first non-empty data cells that look like each kind of value:
    date (a date or a deadline wording), agency, number, year, small (1–4), status, period, numbering,
    document number, long text."""
    from loaders.progress import parse_status  # lazy: a real cycle via loaders.progress

    out: dict[int, dict[str, float]] = {}
    body = [grid.row(r) for r in range(first_row, min(grid.height, first_row + rows))]
    for c in cols:
        counts = dict.fromkeys(("date", "agency", "number", "year", "small", "status", "period", "numbering",
                                "doc", "long"), 0)
        n = 0
        for row in body:
            v = row[c] if c < len(row) else None
            if v is None or v == "":
                continue
            n += 1
            if isinstance(v, bool):
                continue
            if isinstance(v, _date):
                counts["date"] += 1
                continue
            if isinstance(v, (int, float)):
                counts["number"] += 1
                if float(v).is_integer() and 2000 <= v <= 2100:
                    counts["year"] += 1
                    counts["date"] += 1
                if v in (1, 2, 3, 4):
                    counts["small"] += 1
                if float(v).is_integer() and 0 < v < 1000:
                    counts["numbering"] += 1
                continue
            f = fold(v)
            if not f:
                continue
            if _NUMBERING.match(f):
                counts["numbering"] += 1
            if re.fullmatch(r"-?[\d.,]+\s*%?", f):
                counts["number"] += 1
            if _AGENCY_START.match(f):
                counts["agency"] += 1
            if _DEADLINE_WORD.search(f) and len(f) < 80:
                counts["date"] += 1
            if parse_status(f) is not None:
                counts["status"] += 1
            if _PERIOD_WORD.search(f):
                counts["period"] += 1
            if _DOC_NO.search(f):
                counts["doc"] += 1
            if len(f) > 40:
                counts["long"] += 1
        out[c] = {k: v / n for k, v in counts.items()} if n else {}
        out[c]["n"] = n
    return out


# field → the kinds of value it holds (its evidence), by sheet kind; a field with none gets no bonus
EXPECTED: dict[str, dict[str, tuple[str, ...]]] = {
    "plan_tasks": {"no": ("numbering",), "task": ("long",), "lead": ("agency",), "partner": ("agency",),
                   "deadline": ("date",)},
    "progress": {"status": ("status",), "agency": ("agency",), "period": ("period",), "percent": ("number",),
                 "evidence": ("doc",), "output": ("long",)},
    "indicator_values": {"year": ("year",), "quarter": ("small",), "value": ("number",), "numerator": ("number",),
                         "denominator": ("number",)},
    "par_scores": {"total": ("number",), "rank": ("number",), "year": ("year",)},
}
EVIDENCE_WEIGHT = 0.3


def value_bonus(kind: str, role: str, ev: dict[str, float] | None) -> float:
    """−0.15 … +0.3 added to a header score: the share of the column's values that look like the field's,
    a penalty when a column of several values has none of them."""
    want = EXPECTED.get(kind, {}).get(role)
    if not want or not ev or ev.get("n", 0) < 2:
        return 0.0
    share = max(ev.get(w, 0.0) for w in want)
    if share == 0 and ev.get("n", 0) >= 3:
        return -EVIDENCE_WEIGHT / 2
    return EVIDENCE_WEIGHT * share


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
    mapping: dict[str, ColumnChoice] = field(default_factory=dict)  # field → the column chosen, clear or not

    @property
    def letters(self) -> dict[str, str]:
        """field → column letter of the mapping used (the dry run's "columns")."""
        return {role: column_letter(c) for role, c in sorted(self.columns.items(), key=lambda kv: kv[1])}

    @property
    def unclear(self) -> list[str]:
        """The fields whose column did not win clearly."""
        return [r for r, ch in self.mapping.items() if not ch.clear]

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


def _match(kind: str, texts: dict[int, str], evidence: dict[int, dict[str, float]] | None = None,
           forced: dict[str, int] | None = None) -> tuple[int, dict[str, int], dict[int, str]]:
    score, columns, extra, _choices = _match_full(kind, texts, evidence, forced, margins=False)
    return score, columns, extra


def _match_full(kind: str, texts: dict[int, str], evidence: dict[int, dict[str, float]] | None = None,
                forced: dict[str, int] | None = None, margins: bool = True,
                ) -> tuple[int, dict[str, int], dict[int, str], dict[str, ColumnChoice]]:
    skip = set()
    extra: dict[int, str] = {}
    for c, text in texts.items():
        if kind == "indicator_catalogue" and target_year(text):
            skip.add(c)  # "Chỉ tiêu 2025" is a target-year column, not the indicator's name
    columns, choices, lost = solve(kind, texts, evidence, skip, forced, margins)
    taken = set(columns.values())
    for c, text in texts.items():
        if c not in taken and c not in lost:
            extra[c] = text
    # A kind is recognised from its anchor columns; missing required columns lower the score but
    # still let the sheet be recognised, so the user hears which column is missing.
    if not any(a in columns for a in ANCHORS.get(kind, ())) or len(columns) < 2:
        return -1, columns, extra, choices
    missing = sum(1 for options in REQUIRED.get(kind, ()) if not any(o in columns for o in options))
    quality = sum(min(ch.score, 1.0) for ch in choices.values())
    score = round(10 * quality) - 4 * missing
    if kind == "indicator_catalogue":
        years = [c for c, t in texts.items() if target_year(t)]
        score += 10 if years else -100
        for c in years:
            extra[c] = texts[c]
    if kind == "par_scores":
        comps = [c for c, t in extra.items() if component_of(t)]
        score += 10 * len(comps) if comps or "total" in columns else -100
    return score, columns, extra, choices


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


def detect(grid: Grid, forced: dict[str, int] | None = None) -> Table | None:
    """The best-scoring table in the first rows of a sheet, or None when nothing looks like a header.
    `forced` (field → column index) is a layout an uploader chose: those columns take those fields."""
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
        refine(grid, best, forced)
    return best


def refine(grid: Grid, table: Table, forced: dict[str, int] | None = None) -> None:
    """Assign the table's fields again with the evidence of the values under the header (and the columns an
    uploader chose), keeping the kind and header rows; fills `table.mapping`."""
    kind = "indicator_values" if table.kind == "indicator_values_wide" else table.kind
    evidence = column_evidence(grid, table.first_data_row, list(table.headers))
    if table.kind == "indicator_values_wide":
        _score, columns, extra, choices = _match_full("indicator_values", table.headers, evidence, forced)
    else:
        _score, columns, extra, choices = _match_full(kind, table.headers, evidence, forced)
    # evidence may reassign fields between columns, never drop one the header alone found
    if set(columns) >= set(table.columns):
        table.columns, table.extra = columns, extra
        table.mapping = choices
    else:
        _s, _c, _e, table.mapping = _match_full(kind, table.headers, None, forced)


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
