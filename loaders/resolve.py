"""The dry run's questions: for each unknown agency or unit, unknown status word or unclear column, the closest
candidates (rapidfuzz), on the map of the row's own date. The uploader's choice becomes a learned alias or layout
mapping (store/aliases.py), and the same spelling is then read without asking (loaders/learned.py).

Pure: reads problems, grids and the reference; never a database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

import settings
from catalogue import MESSAGES, REPORT_STATUSES
from loaders.agencies import _candidates, agency_key, resolver_for
from loaders.headers import ROLE_LABELS, ROLES, component_of, parse_period_header, target_year
from loaders.learned import key_of
from loaders.plan import plan_date
from loaders.text import clean, fold
from loaders.workbook import column_letter
from quarter import Quarter

MAX_CANDIDATES = 5
COLUMN_ASK_SCORE = 70.0  # an unmatched header this close to a free field is asked about, though nothing fails
_KIND_WORDS = ("so", "phong", "ban", "van phong", "vp", "ubnd", "uy ban nhan dan", "trung tam", "chi cuc", "cong an",
               "thanh tra", "dai", "bao", "truong", "hoi", "lien doan", "tinh doan", "doan")


def _template(key: str, wanted: str) -> re.Pattern:
    """A regex matching the catalogue message `key`, capturing the value of the placeholder `wanted`."""
    parts = re.split(r"(\{\w+\})", MESSAGES[key])
    out = []
    for p in parts:
        if p == "{" + wanted + "}":
            out.append(f"(?P<{wanted}>.+?)")
        elif p.startswith("{") and p.endswith("}"):
            out.append(".*?")
        else:
            out.append(re.escape(p))
    return re.compile("^" + "".join(out) + "$", re.S)


# problem message → (question kind, placeholder holding the spelling)
_ASKED = [(_template(k, w), kind) for k, w, kind in (
    ("agency_unknown", "name", "agency"), ("agency_unknown_nosuggest", "name", "agency"),
    ("unit_unknown", "name", "unit"), ("plan_unit_unknown", "name", "unit"),
    ("status_unknown", "value", "status"))]
_GROUP_NAME = {"agency": "name", "unit": "name", "status": "value"}


def classify(message: str) -> tuple[str, str] | None:
    """(question kind, the spelling as written) of a problem the uploader can resolve by a choice, else None."""
    for rx, kind in _ASKED:
        m = rx.match(message)
        if m:
            return kind, m.group(_GROUP_NAME[kind]).strip()
    return None


@dataclass(frozen=True)
class Candidate:
    """One possible meaning: a code (agency, unit, status, field), its label, how close (0–100)."""

    code: str
    label: str
    score: float

    def as_json(self) -> dict:
        return {"code": self.code, "label": self.label, "score": round(self.score, 1)}


@dataclass
class Question:
    """One thing the readers did not understand, located, with the closest candidates.

    kind: agency | unit | status | column. text: the spelling (or header) as written. sheet_kind: the kind of
    the sheet (column mappings are per kind). blocking: an error depends on it (else a column only unclear)."""

    kind: str
    text: str
    sheet: str
    row: int | None
    column: str | None
    on: date | None
    sheet_kind: str
    candidates: list[Candidate] = field(default_factory=list)
    blocking: bool = True
    rows: int = 1  # how many problems this one answer resolves

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kind, key_of(self.kind, self.text), self.sheet_kind if self.kind == "column" else ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "sheet": self.sheet, "row": self.row, "column": self.column,
                "date": self.on.isoformat() if self.on else None, "sheet_kind": self.sheet_kind,
                "blocking": self.blocking, "rows": self.rows, "candidates": [c.as_json() for c in self.candidates]}


def merge(questions: list[Question]) -> list[Question]:
    """One question per spelling (and sheet kind for columns): the first place it occurs, counting the others."""
    out: dict[tuple, Question] = {}
    for q in questions:
        hit = out.get(q.key)
        if hit is None:
            out[q.key] = q
        else:
            hit.rows += q.rows
            hit.blocking = hit.blocking or q.blocking
    return list(out.values())


# --- candidates ---------------------------------------------------------------------------------------------
def abbreviation_key(name: str) -> str:
    """The initials form of an agency name: its kind word kept, then the first letter of each later word
    ("Sở Nội vụ" → "sonv", "Sở Kế hoạch và Đầu tư" → "sokhdt"): what "Sở NV", "Sở KH&ĐT" fold to."""
    f = re.sub(r"[^0-9a-z ]+", " ", fold(name))
    f = re.sub(r"\bva\b", " ", f)
    words = f.split()
    for kind in sorted(_KIND_WORDS, key=len, reverse=True):
        kw = kind.split()
        if words[:len(kw)] == kw:
            return "".join(kw) + "".join(w[0] for w in words[len(kw):])
    return "".join(w[0] for w in words)


def _agency_score(key: str, name: str, name_key: str) -> float:
    return max(fuzz.WRatio(key, name_key), fuzz.ratio(key, abbreviation_key(name)) if key else 0.0)


def agency_candidates(resolver, text: str, scopes: tuple[str, ...], on: date | None) -> list[Candidate]:  # noqa: ANN001
    """The agencies in force on `on` seated in these scopes (the issuer and the units above it) or below the
    nearest one, closest to a spelling first (initials count: "Sở NV" is close to "Sở Nội vụ")."""
    ref = resolver.ref
    day = on or settings.today()
    key = agency_key(text)
    best: dict[str, tuple[float, float]] = {}
    inside: dict[str, bool] = {}
    for k, code in _candidates(resolver, scopes, on).items():
        unit = resolver.agency_unit.get(code)
        if unit not in inside:
            inside[unit] = unit in scopes or bool(scopes) and scopes[0] in ref.ancestors(unit, day)
        if not inside[unit]:
            continue
        score = (_agency_score(key, resolver.names[code], k), fuzz.WRatio(key, k))
        if score > best.get(code, (-1.0, -1.0)):
            best[code] = score
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], resolver.names[kv[0]]))[:MAX_CANDIDATES]
    return [Candidate(code, resolver.names[code], s[0]) for code, s in ranked]


def unit_candidates(ref, text: str, on: date | None) -> list[Candidate]:  # noqa: ANN001
    """The units on the map of `on` closest to a name, best first."""
    units = ref.map_at(on or settings.today())
    f = fold(text)
    f = re.sub(r"^(ubnd|uy ban nhan dan)\s+", "", f)
    scored = []
    for code, name, short in zip(units["code"], units["name"], units["short_name"]):
        s = max(fuzz.WRatio(f, fold(name)), fuzz.WRatio(f, fold(short)))
        scored.append((s, str(code), str(name)))
    scored.sort(key=lambda t: (-t[0], t[2]))
    return [Candidate(code, name, s) for s, code, name in scored[:MAX_CANDIDATES]]


def status_candidates(text: str) -> list[Candidate]:
    """The four report statuses, closest first."""
    from loaders.progress import STATUS_WORDS  # lazy: a real cycle via loaders.progress

    f = key_of("status", text)
    out = []
    for code, entry in REPORT_STATUSES.items():
        words = [fold(entry.label)] + [w for w, c in STATUS_WORDS.items() if c == code]
        out.append(Candidate(code, entry.label, max((fuzz.WRatio(f, w) + fuzz.ratio(f, w)) / 2 for w in words) if f else 0.0))
    return sorted(out, key=lambda c: (-c.score, REPORT_STATUSES[c.code].order))


def column_candidates(kind: str, header: str, taken: set[str]) -> list[Candidate]:
    """The fields of a sheet kind not yet held by another column, closest to a header first."""
    roles = ROLES.get("indicator_values" if kind == "indicator_values_wide" else kind, {})
    f = key_of("column", header)
    out = []
    for role, synonyms in roles.items():
        if role in taken:
            continue
        score = max(max(fuzz.token_set_ratio(f, s), fuzz.partial_ratio(s, f) if len(s) > 3 else 0) for s in synonyms)
        out.append(Candidate(role, ROLE_LABELS.get(role, role), float(score)))
    return sorted(out, key=lambda c: -c.score)[:MAX_CANDIDATES + 3]


# --- questions of a parse ------------------------------------------------------------------------------------
def row_date(grid, table, row: int | None, title: list[str], fallback: date) -> date:  # noqa: ANN001
    """The date whose map a row is read on: its quarter's or year's end (progress, values, PAR), else `fallback`
    (a plan's date)."""
    from loaders.progress import parse_quarter  # lazy: a real cycle via loaders.progress

    if table.kind == "plan_tasks" or row is None:
        return fallback
    r = row - 1
    cols = table.columns

    def cell(role: str) -> object:
        return grid.cell(r, cols[role]) if role in cols else None

    year, quarter = None, None
    if (p := parse_quarter(cell("period"))) is not None:
        year, quarter = p
    elif (p := parse_period_header(cell("period"))) is not None:
        year, quarter = p
    if year is None and isinstance(cell("year"), (int, float)) and not isinstance(cell("year"), bool):
        year = int(cell("year"))
        q = cell("quarter")
        quarter = int(q) if isinstance(q, (int, float)) and 1 <= q <= 4 else None
    if year is None:
        for line in title:
            if (p := parse_quarter(line)) is not None:
                year, quarter = p
                break
            if (m := re.search(r"\b(20\d\d)\b", fold(line))) is not None:
                year = int(m.group(1))
                break
    if year is None:
        return fallback
    if quarter is None:
        return date(year, 12, 31)
    return Quarter(year, quarter).end


def questions_of(problems: list, sheets: dict, meta, ref, resolver) -> list[Question]:  # noqa: ANN001
    """The questions a parse's errors raise, plus its unclear columns. `sheets`: sheet name → (grid, table, title
    lines) of every table read."""
    plan_on = plan_date(meta)
    issuer = meta.unit
    out: list[Question] = []
    for p in problems:
        if p.severity != "error":
            continue
        what = classify(p.message)
        if what is None:
            continue
        kind, text = what
        grid, table, title = sheets.get(p.sheet, (None, None, []))
        try:
            on = row_date(grid, table, p.row, title, plan_on) if table is not None else plan_on
        except (ValueError, OverflowError, TypeError):  # a year no calendar has: the plan's date
            on = plan_on
        sheet_kind = table.kind if table is not None else "plan_tasks"
        if kind == "agency":
            if sheet_kind == "plan_tasks" and issuer and ref.unit_level(issuer):
                scopes = tuple(ref.ancestors(issuer, on))
            else:
                scopes = ref.province_scopes(on)
            cands = agency_candidates(resolver, text, scopes, on)
        elif kind == "unit":
            cands = unit_candidates(ref, text, on)
        else:
            cands = status_candidates(text)
        out.append(Question(kind, clean(text), p.sheet, p.row, p.column, on, sheet_kind, cands))
    out += column_questions(problems, sheets)
    return merge(out)


def column_questions(problems: list, sheets: dict) -> list[Question]:
    """Unmatched headers: asked when a required column is missing on that sheet (every unmatched header, with the
    missing fields among the candidates), or when a header is close to a free field."""
    missing_on = {p.sheet for p in problems if p.severity == "error" and p.message.startswith(MESSAGES["missing_columns"].split("{")[0])}
    out = []
    for name, (grid, table, _title) in sheets.items():
        taken = set(table.columns)
        for c, text in sorted(table.extra.items()):
            if not clean(text) or parse_period_header(text) or target_year(text) or component_of(text) and table.kind == "par_scores":
                continue
            if not _has_data(grid, table, c):
                continue
            cands = column_candidates(table.kind, text, taken)
            if not cands:
                continue
            blocking = name in missing_on
            if not blocking and cands[0].score < COLUMN_ASK_SCORE:
                continue
            out.append(Question("column", clean(text), name, table.header_row + 1, column_letter(c), None,
                                table.kind, cands, blocking))
    return out


def _has_data(grid, table, c: int) -> bool:  # noqa: ANN001
    for r in range(table.first_data_row, min(grid.height, table.first_data_row + 200)):
        if grid.cell(r, c) is not None:
            return True
    return False


def progress_questions(problems: list, frame, ref) -> list[Question]:  # noqa: ANN001 - a progress frame, a Reference
    """Questions for the unknown reporting agencies found when progress rows are matched against the store, each
    on the map of its row's quarter."""
    resolver = resolver_for(ref)
    periods = {(str(s), int(r)): (int(y), int(q)) for s, r, y, q in
               zip(frame["sheet"], frame["row"], frame["year"], frame["quarter"])} if len(frame) else {}
    out = []
    for p in problems:
        if p.severity != "error" or (what := classify(p.message)) is None or what[0] != "agency":
            continue
        period = periods.get((p.sheet, int(p.row or 0)))
        on = Quarter(*period).end if period else None
        scopes = ref.province_scopes(on) if on else (ref.province,)
        out.append(Question("agency", clean(what[1]), p.sheet, p.row, p.column, on, "progress",
                            agency_candidates(resolver, what[1], scopes, on)))
    return merge(out)
