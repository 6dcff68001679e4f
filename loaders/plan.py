"""Read a plan appendix (STT · Nhiệm vụ · Sản phẩm · Chủ trì · Phối hợp · Thời gian) into output rows.

Structure handled: a title block above the header; Roman-numeral area rows (name in the same cell
or the next); task numbers with their text merged down over the task's outputs; outputs numbered
"1.1." inside the output cell (several per cell allowed); repeated headers after page breaks; the
column-number row; notes and signature rows under the table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import settings
from catalogue import AREA_KEYWORDS, message
from loaders import rules, structure
from loaders.agencies import Ref, Resolver
from loaders.deadlines import parse_deadline
from loaders.headers import ROLE_LABELS, Table, is_column_number_row, is_repeated_header
from loaders.reference import Reference
from loaders.text import clean, fold, roman_to_int
from loaders.workbook import Grid, column_letter
from model import Deadline, Problem


@dataclass
class PlanMeta:
    """What the title block (or the caller) says about the plan."""

    unit: str | None = None  # issuer unit code
    period: tuple[int, int] | None = None
    number: str | None = None  # "158/KH-UBND"
    issued_on: date | None = None
    title: str | None = None
    unit_error: str | None = None  # the issuer named did not exist at the plan's date (names its successor)


def plan_date(meta: PlanMeta) -> date:
    """The date whose map a plan is read on: the start of its period, or its issue date when that is later
    (a plan issued during its period names the units and agencies of that day); today when neither is known."""
    start = date(meta.period[0], 1, 1) if meta.period else None
    if start and meta.issued_on:
        return max(start, meta.issued_on)
    return start or meta.issued_on or settings.today()


@dataclass
class OutputRow:
    """One output of one task, as read from the sheet."""

    sheet: str
    row: int  # Excel row (1-based)
    area_code: str | None
    area_text: str | None
    area_no: str | None
    task_no: str | None
    task: str
    output_no: str | None
    output: str
    lead_text: str
    partner_text: str
    leads: list[Ref]
    partners: list[Ref]
    deadline: Deadline
    task_key: int  # identifies the task within the sheet
    note: str = ""
    col: str | None = None  # the output (or task) column's letter, for messages

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet, "row": self.row, "area": self.area_text, "task_no": self.task_no,
            "task": self.task, "output_no": self.output_no, "output": self.output,
            "leads": [r.as_json() for r in self.leads], "partners": [r.as_json() for r in self.partners],
            "deadline": {"text": self.deadline.text, "kind": self.deadline.kind,
                         "due_dates": [d.isoformat() for d in self.deadline.due_dates]},
        }


@dataclass
class PlanSheet:
    """The outputs of one plan sheet and its problems."""

    name: str
    outputs: list[OutputRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- title block -----------------------------------------------------------------------------
_NUMBER = re.compile(r"(?:ke hoach|kh|quyet dinh|qd|so)\s*(?:so)?\s*:?\s*(\d{1,5}\s*/\s*[a-z0-9\-\.]+(?:\s*-\s*[a-z0-9]+)*)")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*(?:thang|/|-)\s*(\d{1,2})\s*(?:nam|/|-)\s*(\d{4})")
_SPAN = re.compile(r"(?:giai doan|tu nam|thoi ky)\s*(20\d\d)\s*(?:-|den(?: nam)?)\s*(20\d\d)")
_YEAR = re.compile(r"\bnam\s*(20\d\d)\b")
_UNIT_TYPES = ("tinh", "thanh pho", "tp", "huyen", "thi xa", "xa", "phuong", "thi tran")


def read_title_block(lines: list[str], ref: Reference) -> PlanMeta:
    """Plan metadata from the text above the header: issuer, number, date, period, title."""
    meta = PlanMeta()
    text = " | ".join(lines)
    f = fold(text)
    m = _NUMBER.search(f)
    if m:
        raw_no = m.group(1).replace(" ", "")
        # keep the original capitalisation: find it in the raw text
        m2 = re.search(re.escape(raw_no.split("/")[0]) + r"\s*/\s*[^\s,;)]+", text)
        meta.number = m2.group(0).replace(" ", "") if m2 else raw_no.upper()
    m = _DATE_WORDS.search(f)
    if m:
        try:
            meta.issued_on = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            meta.issued_on = None
    without_dates = _DATE_WORDS.sub(" ", f)
    m = _SPAN.search(without_dates)
    if m:
        meta.period = (int(m.group(1)), int(m.group(2)))
    else:
        years = [int(y) for y in _YEAR.findall(without_dates)]
        if years:
            meta.period = (years[0], years[0])
    meta.unit, meta.unit_error = _find_issuer(f, ref, plan_date(meta))
    skip = ("phu luc", "(kem theo", "kem theo", "(ban hanh", "ban hanh", "uy ban nhan dan", "ubnd", "cong hoa",
            "doc lap", "so:", "so ")
    titles = [ln for ln in lines if ln and not fold(ln).startswith(skip)]
    meta.title = titles[0] if titles else (lines[0] if lines else None)
    return meta


def _find_issuer(f: str, ref: Reference, on: date) -> tuple[str | None, str | None]:
    """The most specific unit named in the title text (a district plan also names its province), on the map
    of the plan's date; when only a unit of another period is named, why it cannot issue this plan."""
    found = _named_unit(f, ref, ref.valid_units(on))
    if found is not None:
        return found, None
    if "ubnd thanh pho" in f or "uy ban nhan dan thanh pho" in f:
        # "của UBND thành phố" without a name: the only city of the province on that date
        units = ref.valid_units(on, "district")
        province = ref.province_at(on)
        cities = [c for c, t in zip(units["code"], units["type"]) if t == "Thành phố" and ref.parent_of(c, on) == province]
        if len(cities) == 1:
            return cities[0], None
    other = _named_unit(f, ref, ref.units)
    if other is not None:
        return None, ref.not_in_force(other, on)
    return None, None


def _named_unit(f: str, ref: Reference, units) -> str | None:  # noqa: ANN001 - a units DataFrame
    best: tuple[int, int, str] | None = None
    order = {"province": 0, "district": 1, "commune": 2}
    for code, short, level, typ in zip(units["code"], units["short_name"], units["level"], units["type"]):
        s = fold(short)
        tf = fold(typ)
        types = {tf, "tp"} if tf == "thanh pho" else {tf}
        for t in types:
            pos = f.find(f"{t} {s}")
            if pos >= 0:
                key = (order.get(level, 0), -pos, code)
                if best is None or key[0] > best[0]:
                    best = key
    return best[2] if best else None


# --- rows ------------------------------------------------------------------------------------
_OUTPUT_NO = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})+|\d{1,3})[\.\)]?\s+(?=\S)")
_MULTI_OUTPUT = re.compile(r"(?:^|\n)\s*(\d{1,3}\.\d{1,3})\.?\s+")
_TASK_NO = re.compile(r"^\s*(\d{1,3})\s*[\.\)]?\s*$")
_TASK_TEXT_NO = re.compile(r"^\s*(\d{1,3})[\.\)]\s+(.+)$", re.S)
_ROMAN_CELL = re.compile(r"^\s*([IVXL]{1,6})\s*[\.\-:)]?\s*(.*)$", re.S)
_STOP = re.compile(r"^(noi nhan|tm\.?\s|tm\.|kt\.?\s|chu tich|nguoi lap|thu truong|xac nhan|giam doc|lanh dao)")
_NOTE = re.compile(r"^(\*?\s*ghi chu|\*?\s*luu y|\(\*\)|\*)")


def area_of(text: str) -> str | None:
    """The catalogue area code that an area heading names, or None."""
    f = fold(text)
    for code, words in AREA_KEYWORDS.items():
        if any(w in f for w in words):
            return code
    return None


def split_outputs(text: str) -> list[tuple[str | None, str]]:
    """[(output_no, text)] from an output cell; "1.1. A\n1.2. B" gives two outputs."""
    text = clean(text) if "\n" not in str(text) else "\n".join(clean(x) for x in str(text).splitlines())
    starts = [m.start() for m in _MULTI_OUTPUT.finditer(text)]
    chunks = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])] if len(starts) > 1 else [text]
    out = []
    for chunk in chunks:
        chunk = clean(chunk)
        m = _OUTPUT_NO.match(chunk)
        if m and m.group(1).count(".") >= 1:
            out.append((m.group(1), clean(chunk[m.end():])))
        else:
            out.append((None, chunk))
    return out


def _s(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return clean(v)


def read_plan_sheet(grid: Grid, table: Table, meta: PlanMeta, resolver: Resolver) -> PlanSheet:
    """Every output row of a plan sheet, with canonical agencies and parsed deadlines."""
    out = PlanSheet(grid.name)
    cols = table.columns
    col = {role: cols.get(role) for role in ("no", "task", "output", "lead", "partner", "deadline", "area", "note")}
    issuer = meta.unit or ""
    on = plan_date(meta)
    area_code = area_text = area_no = None
    task_no: str | None = None
    task_text: str | None = None
    task_key = 0
    task_origin: tuple[int, int] | None = None
    seen: dict[tuple, int] = {}
    stopped = False
    for r in range(table.first_data_row, len(grid.rows)):
        row = grid.rows[r]
        excel_row = r + 1
        if stopped or not any(v is not None for v in row):
            continue
        if is_column_number_row(row) or is_repeated_header(row, table, grid):
            continue
        get = lambda role: grid.cell(r, col[role]) if col[role] is not None else None  # noqa: E731
        values = [v for v in row if v is not None]
        first = fold(values[0]) if values else ""
        lead_v, dl_v, task_v, out_v, no_v = get("lead"), get("deadline"), get("task"), get("output"), get("no")
        # a banner: one text spread over the whole row by a horizontal merge (or alone in the row)
        distinct = {_s(v) for v in values}
        banner = _s(values[0]) if len(distinct) == 1 else None
        bold = grid.is_bold_row(r)
        texts = [v for v in values if isinstance(v, str)]
        lead_free = lead_v is None or structure.is_closing(lead_v) or lead_v in (task_v, no_v)
        dl_free = dl_v is None or structure.is_closing(dl_v) or dl_v in (task_v, no_v)
        if (_STOP.match(first) and task_v is None and out_v is None and dl_v is None) or (
                lead_free and dl_free and any(structure.is_closing(t) for t in texts)) or (
                banner is not None and lead_free and structure.is_signer_name(banner)):
            stopped = True  # the document's closing block: "Nơi nhận", "- Lưu: VT", "KT. CHỦ TỊCH", the signer
            continue
        if (_NOTE.match(first) or structure.is_note(values[0])) and lead_v in (None, values[0]):
            continue
        # --- area rows: a heading numeral in STT (name there or in the next cell), or a banner
        merged = banner is not None and len(values) > 1
        found = _heading(no_v, task_v, out_v, banner, bold or merged) if lead_free else None
        if found is not None and not found[2] and not (dl_free and (bold or merged or area_of(found[1]))):
            found = None  # "1 | Rà soát … | | Quý I": a numbered task whose lead is missing, reported below
        if found is not None:
            numeral, name, strong = found
            code = area_of(name)
            area_no, area_text, area_code = numeral, name, code
            if code is None and roman_to_int(numeral) is not None:
                out.problems.append(Problem(grid.name, excel_row, _letter(col["task"]),
                                            message("area_unknown", text=name), "warning"))
            task_no = task_text = None
            continue
        if banner and not _s(lead_v) == banner and lead_v is None and dl_v is None:
            # a heading without numeral ("Cải cách thể chế") or stray text
            code = area_of(banner)
            if code and len(banner) < 120:
                area_no, area_text, area_code = None, banner, code
                task_no = task_text = None
            else:
                out.problems.append(Problem(grid.name, excel_row, None, f"Bỏ qua dòng ghi chú: «{banner[:80]}».", "warning"))
            continue
        # --- task: a number in STT with text, or text continuing (merged or blank) the current task
        origin = grid.merged_from(r, col["task"]) if col["task"] is not None else None
        continues = task_text is not None and (
            (origin is not None and origin == task_origin) or (task_v is None and no_v is None))
        if not continues:
            no_s, text_s = _s(no_v), _s(task_v)
            if not no_s and (m2 := _TASK_TEXT_NO.match(text_s)):
                no_s, text_s = m2.group(1), clean(m2.group(2))
            if not text_s:
                if task_text is None:
                    out.problems.append(Problem(grid.name, excel_row, _letter(col["task"]),
                                                message("required_blank", column=ROLE_LABELS["task"])))
                    continue
                text_s = task_text  # a numbered row without text keeps the current task
            task_no = _TASK_NO.match(no_s).group(1) if _TASK_NO.match(no_s) else (no_s or None)
            task_text = text_s
            task_key += 1
            task_origin = (r, col["task"]) if col["task"] is not None else None
        # --- outputs of this row
        out_text = _s(out_v) if col["output"] is not None else ""
        outputs = split_outputs(str(out_v)) if out_text else [(None, task_text)]
        lead_s, partner_s = _s(lead_v), _s(get("partner"))
        # the cell as typed: a line break inside it separates two names
        leads = resolver.resolve_cell(lead_v if isinstance(lead_v, str) else lead_s, issuer, on) if lead_s else None
        partner_v = get("partner")
        partners = resolver.resolve_cell(partner_v if isinstance(partner_v, str) else partner_s, issuer, on)
        if not lead_s:
            out.problems.append(Problem(grid.name, excel_row, _letter(col["lead"]),
                                        message("required_blank", column=ROLE_LABELS["lead"])))
        for res, role in ((leads, "lead"), (partners, "partner")):
            if res is None:
                continue
            for e in res.errors:
                out.problems.append(Problem(grid.name, excel_row, _letter(col[role]), e))
            for w in res.warnings:
                out.problems.append(Problem(grid.name, excel_row, _letter(col[role]), w, "warning"))
        dl_raw = dl_v
        if isinstance(dl_raw, datetime):
            dl_raw = dl_raw.date()
        deadline = parse_deadline(dl_raw, meta.period)
        if deadline.error:
            out.problems.append(Problem(grid.name, excel_row, _letter(col["deadline"]), deadline.error))
        elif deadline.outside_period and meta.period:
            out.problems.append(Problem(grid.name, excel_row, _letter(col["deadline"]), message(
                "deadline_outside", text=deadline.text, start=meta.period[0], end=meta.period[1]), "warning"))
        for output_no, text in outputs:
            key = (clean(task_text).casefold(), clean(text).casefold(), clean(lead_s).casefold())  # diacritics count
            out_col = _letter(col["output"] if col["output"] is not None else col["task"])
            if key in seen:
                out.problems.append(rules.problem("duplicate_plan", grid.name, excel_row, out_col, sheet=grid.name, row=seen[key]))
                continue
            seen[key] = excel_row
            out.outputs.append(OutputRow(
                sheet=grid.name, row=excel_row, area_code=area_code, area_text=area_text, area_no=area_no,
                task_no=task_no, task=task_text, output_no=output_no, output=text,
                lead_text=lead_s, partner_text=partner_s,
                leads=list(leads.refs) if leads else [], partners=list(partners.refs),
                deadline=deadline, task_key=task_key, note=_s(get("note")), col=out_col,
            ))
    if not out.outputs and not any(p.severity == "error" for p in out.problems):
        out.problems.append(Problem(grid.name, None, None, message("sheet_no_rows")))
    return out


def _heading(no_v: object, task_v: object, out_v: object, banner: str | None, strong_row: bool,
             ) -> tuple[str, str, bool] | None:
    """(numeral, name, strong) of an area heading row: a Roman numeral, a capital letter or "Phần …" in the STT
    cell or at the start of a banner, with the name there or in the task cell; an Arabic number when the row is
    merged across or bold. `strong` is True for the numberings that are headings by themselves."""
    no_s = _s(no_v)
    task_s = _s(task_v) if task_v is not None and task_v != no_v else ""
    out_s = _s(out_v) if out_v is not None and out_v not in (task_v, no_v) else ""
    if out_s:
        return None  # a row with an output is a task
    candidates = []
    if no_s:
        candidates.append(f"{no_s} {task_s}".strip() if structure.heading(no_s) or no_s.rstrip(".").isdigit() else no_s)
    if banner:
        candidates.append(banner)
    elif not no_s and task_s:
        candidates.append(task_s)
    for text in candidates:
        h = structure.heading(text, strong_row)
        if h is None and no_s.rstrip(".").isdigit() and task_s:
            h = structure.heading(f"{no_s.rstrip('.')}. {task_s}", True)
            if h is not None:
                return h[0], h[1], False
            continue
        if h is not None:
            numeral, name = h
            name = name or task_s
            if not name:
                continue
            strong = not numeral.isdigit()
            return numeral, name, strong
    return None


def _letter(c: int | None) -> str | None:
    return column_letter(c) if c is not None else None
