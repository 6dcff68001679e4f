"""Parse a whole workbook: find each sheet's kind and table, read it, collect every problem.

This is the dry run: it touches no database. The importer (store/importer.py) writes what it returns.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from catalogue import message
from loaders import duplicates, headers, rows_json, rules
from loaders.agencies import resolver_for
from loaders.checks import unusual_done
from loaders.learned import apply_columns, learned_of, with_learned
from loaders.plan import PlanMeta, PlanSheet, plan_date, read_plan_sheet, read_title_block
from loaders.reference import Reference, reference
from loaders.resolve import questions_of
from loaders.text import clean, fold
from loaders.workbook import FILE, Grid, Workbook, WorkbookError, column_letter, read_workbook
from model import Problem


@dataclass
class Options:
    """Caller overrides of what the title block says (command line or upload form)."""

    unit: str | None = None  # unit code or name
    period: tuple[int, int] | None = None
    number: str | None = None
    title: str | None = None
    indicators: dict[str, tuple[str, bool, str]] | None = None  # code → (unit, is_rate, name) the caller knows
    learned: object | None = None  # loaders.learned.Learned: spellings and layouts taught by uploaders (store/aliases.py)


@dataclass
class SheetInfo:
    """A sheet's name, detected kind and number of data rows read."""

    name: str
    kind: str
    rows: int
    # field → the column chosen for it (letter, whether it won clearly, the close alternatives): the layout read
    mapping: dict[str, headers.ColumnChoice] = field(default_factory=dict)

    @property
    def columns(self) -> dict[str, str]:
        """field → column letter of the layout used."""
        return {f: ch.column for f, ch in sorted(self.mapping.items(), key=lambda kv: kv[1].index)}


@dataclass
class ParseResult:
    """Everything read from one workbook."""

    file_name: str
    sha256: str = ""
    size: int = 0
    meta: PlanMeta = field(default_factory=PlanMeta)
    sheets: list[SheetInfo] = field(default_factory=list)
    plan_sheets: list[PlanSheet] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # kind → rows (progress, values, ...)
    problems: list[Problem] = field(default_factory=list)
    targets: list = field(default_factory=list)  # loaders.body_targets.Proposal: a document's target sentences
    kind: str = "xlsx"  # xlsx | docx | pdf
    questions: list = field(default_factory=list)  # loaders.resolve.Question: what the uploader may resolve by a choice
    # sheet → field → column letter: the mapping used (headers by evidence, then the learned layout mappings);
    # `layouts` gives each choice with its certainty
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    learned: object = None  # the loaders.learned.Learned this parse read with (None: nothing learned)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def layouts(self) -> dict[str, dict[str, dict]]:
        """{sheet: {field: {"column", "clear", "score", "header", "others"}}}: the mapping with its certainty."""
        return {s.name: {f: ch.as_json() for f, ch in s.mapping.items()} for s in self.sheets if s.mapping}

    @property
    def outputs(self) -> list:
        return [o for s in self.plan_sheets for o in s.outputs]

    def as_json(self, ref: Reference | None = None, rank_table: rows_json.RankTable | None = None) -> dict:
        """The dry-run contract of `manage.py import --dry-run --json` (the rows of every sheet kind: loaders/rows_json.py;
        a score's computed rank with `rank_table`, analytics.rankings.rank_table)."""

        ref = with_learned(ref or reference(), self.learned)
        unit_name = None
        if self.meta.unit:
            u = ref.unit(self.meta.unit)
            unit_name = str(u["name"]) if u is not None else self.meta.unit
        return {
            "ok": self.ok,
            "plan": {"unit": unit_name, "period": list(self.meta.period) if self.meta.period else None,
                     "title": self.meta.title},
            "sheets": [{"name": s.name, "kind": s.kind, "rows": s.rows} for s in self.sheets],
            "tasks": [o.as_json() for o in self.outputs],
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "targets": [t.as_json() for t in self.targets] + rows_json.catalogue_targets(self),
            "columns": self.columns,
            "progress": rows_json.progress_rows(self, ref),
            "values": rows_json.value_rows(self, ref),
            "scores": rows_json.score_rows(self, ref, rank_table),
            "questions": [q.as_json() for q in self.questions],
        }


def _title_lines(grid: Grid, upto: int) -> list[str]:
    lines: list[str] = []
    for r in range(min(upto, grid.height)):
        seen: set[str] = set()
        for v in grid.row(r):
            s = clean(v)
            if s and s not in seen:
                seen.add(s)
                lines.append(s)
    return lines


def _apply_options(meta: PlanMeta, options: Options, ref: Reference) -> list[Problem]:
    problems: list[Problem] = []
    if options.period:
        meta.period = options.period
    if options.unit:
        text = str(options.unit).strip()
        is_code = text.replace("-", "").isdigit()
        m = ref.match_unit(text if is_code else None, None if is_code else text, plan_date(meta))
        if m.code is None:
            unknown = m.error == message("unit_unknown", name=text)
            problems.append(Problem(FILE, None, None, message("plan_unit_unknown", name=text) if unknown else m.error))
        else:
            meta.unit, meta.unit_error = m.code, None
    if options.number:
        meta.number = options.number
    if options.title:
        meta.title = options.title
    return problems


def parse_workbook(source: bytes | Path | str, file_name: str | None = None,
                   options: Options | None = None, ref: Reference | None = None,
                   indicators: pd.DataFrame | None = None) -> ParseResult:
    """Read and validate a workbook, or a plan document (.docx, .pdf: see loaders/document.py); never
    raises for bad input (problems are returned). `indicators` is the catalogue that a document's
    target sentences are matched against (default: the reference catalogue)."""
    from loaders.document import document_kind, parse_document  # lazy: a real cycle via loaders.document


    options = options or Options()
    ref = with_learned(ref or reference(), learned_of(options))
    if (doc_kind := document_kind(source)) is not None:
        return parse_document(source, file_name, options, ref, doc_kind, indicators)
    try:
        wb: Workbook = read_workbook(source, file_name)
    except WorkbookError as exc:
        name = file_name or (Path(source).name if isinstance(source, (str, Path)) else "upload.xlsx")
        return ParseResult(name, problems=list(exc.problems))
    result = ParseResult(wb.file_name, wb.sha256, wb.size)
    parse_grids(result, wb.sheets, options, ref, lambda grid, table: _title_lines(grid, table.header_rows[0]))
    if not result.plan_sheets and not result.frames and not result.errors:
        result.problems.append(Problem(FILE, None, None, message("file_no_tables")))
    elif not result.errors and not result.outputs and not any(len(f) for f in result.frames.values()):
        result.problems.append(Problem(FILE, None, None, message("file_no_rows")))  # nothing to import: no empty batch
    return result


def parse_grids(result: ParseResult, grids: list[Grid], options: Options, ref: Reference,
                title_of: Callable[[Grid, headers.Table], list[str]], base_meta: PlanMeta | None = None) -> None:
    """Detect and read every grid (a sheet, or a document's table) into `result`.

    `title_of` gives the title-block lines of a table; `base_meta` (a document's own head) takes
    precedence over what the first plan table's title block says."""
    from loaders import catalogue_sheet, par, progress, values  # lazy: a real cycle via loaders.catalogue_sheet


    learned = learned_of(options)
    result.learned = learned or None
    read: dict[str, tuple[Grid, headers.Table, list[str]]] = {}  # every table read: what the questions look at
    meta_done = False
    precise: list[Problem] = []  # cell-level rule problems: a reader's message at the same cell gives way
    for grid in grids:
        if grid.is_empty():
            result.sheets.append(SheetInfo(grid.name, "unknown", 0))
            result.problems.append(Problem(grid.name, None, None, message("sheet_empty"), "warning"))
            continue
        table = headers.detect(grid)
        if table is not None:
            table = apply_columns(table, learned)
        if table is None:
            kind = "instructions" if headers.is_instructions(grid) else "unknown"
            result.sheets.append(SheetInfo(grid.name, kind, 0))
            if kind == "unknown":
                result.problems.append(Problem(grid.name, None, None, message("sheet_unknown"), "warning"))
            continue
        result.columns[grid.name] = {f: column_letter(c) for f, c in sorted(table.columns.items(), key=lambda kv: kv[1])}
        read[grid.name] = (grid, table, title_of(grid, table))
        missing = _missing(table)
        result.problems += _unclear(grid.name, table)
        if missing:
            result.sheets.append(SheetInfo(grid.name, table.kind, 0, table.mapping))
            result.problems.append(Problem(grid.name, table.header_row + 1, None,
                                           message("missing_columns", columns=", ".join(missing))))
            continue
        precise += rules.flag_problems(grid, table.first_data_row, _used_columns(table))
        if table.kind not in ("indicator_values", "indicator_values_wide"):  # that reader looks at its own columns
            result.problems += rules.hidden_pass(grid)
        title = title_of(grid, table)
        if table.kind == "plan_tasks":
            if not meta_done:
                result.meta = read_title_block(title, ref)
                if base_meta is not None:
                    result.meta = merge_meta(base_meta, result.meta)
                result.problems += _apply_options(result.meta, options, ref)
                meta_done = True
                if result.meta.unit is None and result.meta.unit_error:  # an issuer of another period
                    result.problems.append(Problem(grid.name, None, None, result.meta.unit_error))
                for what, ok in (("đơn vị ban hành", result.meta.unit or result.meta.unit_error),
                                 ("thời kỳ (năm hoặc giai đoạn)", result.meta.period)):
                    if not ok:
                        result.problems.append(Problem(grid.name, None, None, message("plan_meta_missing", what=what)))
                result.problems += _check_plan_period(result.meta, grid.name)
            sheet = read_plan_sheet(grid, table, result.meta, resolver_for(ref))
            result.plan_sheets.append(sheet)
            result.problems += sheet.problems
            result.sheets.append(SheetInfo(grid.name, table.kind, len(sheet.outputs), table.mapping))
            continue
        reader = {
            "progress": progress.read_progress_sheet,
            "indicator_catalogue": catalogue_sheet.read_catalogue_sheet,
            "indicator_values": values.read_values_sheet,
            "indicator_values_wide": values.read_values_sheet,
            "par_scores": par.read_par_sheet,
        }[table.kind]
        frame, problems = reader(grid, table, title, ref, options)
        result.problems += problems
        result.sheets.append(SheetInfo(grid.name, table.kind, len(frame), table.mapping))
        if frame.empty and not any(p.severity == "error" for p in problems):
            result.problems.append(Problem(grid.name, None, None, message("sheet_no_rows"), "warning"))
        key = "indicator_values" if table.kind == "indicator_values_wide" else table.kind
        if key in result.frames:
            result.frames[key] = pd.concat([result.frames[key], frame], ignore_index=True)
        else:
            result.frames[key] = frame
    result.problems += duplicates.plan_rows(result.plan_sheets)
    result.problems += duplicates.frame_rows(result.frames)
    result.problems += _check_rates(result, options)

    result.problems += unusual_done(result.frames.get("progress"), result.columns)
    result.problems = rules.dedupe(result.problems, precise)
    result.questions = questions_of(result.problems, read, result.meta, ref, resolver_for(ref))


def merge_meta(first: PlanMeta, second: PlanMeta) -> PlanMeta:
    """`first`'s fields, each missing one taken from `second`."""
    return PlanMeta(**{k: (v if v is not None else getattr(second, k)) for k, v in vars(first).items()})


def _used_columns(table: headers.Table) -> dict[int, str]:
    """Column index → header of every column the table's reader takes data from."""
    used = {c: table.headers.get(c, headers.ROLE_LABELS.get(role, role)) for role, c in table.columns.items()}
    for c, text in table.extra.items():
        if (table.kind == "indicator_values_wide" and headers.parse_period_header(text)
                or table.kind == "indicator_catalogue" and headers.target_year(text)
                or table.kind == "par_scores" and headers.component_of(text)):
            used[c] = text
    return used


def _check_plan_period(meta: PlanMeta, sheet: str) -> list[Problem]:
    if not meta.period:
        return []
    low, high = rules.plan_years()
    a, b = meta.period
    if a < low or b > high or b < a:
        return [rules.problem("plan_year_window", sheet, None, None, value=f"{a}–{b}" if b != a else a, low=low, high=high)]
    return []


def _check_rates(result: ParseResult, options: Options) -> list[Problem]:
    """Values of rate indicators (in %, known from the seed table, this file's catalogue or the caller) lie in 0–100."""
    df = result.frames.get("indicator_values")
    if df is None or df.empty:
        return []
    extra = dict(options.indicators or {})
    cat = result.frames.get("indicator_catalogue")
    if cat is not None and not cat.empty:
        for rec in cat.drop_duplicates("code")[["code", "unit", "is_rate", "name"]].itertuples(index=False):
            extra[rec.code] = (rec.unit, bool(rec.is_rate), rec.name)
    outside = df[(df["value"] < 0) | (df["value"] > 100)]  # few rows: the indicators are looked up for these only
    if outside.empty:
        return []
    rates = rules.rate_indicators(extra)
    out = []
    for rec in outside.itertuples(index=False):
        name = rates.get(str(rec.indicator)) or rates.get(fold(rec.indicator))
        if name is not None:
            out.append(rules.problem("rate_range", rec.sheet, int(rec.row), rec.col, value=rules.num_text(rec.value),
                                     column=headers.ROLE_LABELS["value"], indicator=name))
        if len(out) >= rules.MAX_PROBLEMS:
            break
    return out


def _unclear(sheet: str, table: headers.Table) -> list[Problem]:
    """A warning for each field whose column did not win clearly (the uploader is asked to check or choose)."""
    out = []
    for f, ch in table.mapping.items():
        if ch.clear:
            continue
        others = message("column_unclear_others", columns=", ".join(ch.others)) if ch.others else ""
        out.append(Problem(sheet, table.header_row + 1, ch.column, message(
            "column_unclear", column=ch.column, header=clean(ch.header), field=headers.ROLE_LABELS.get(f, f),
            others=others), "warning"))
    return out


def _missing(table: headers.Table) -> list[str]:
    missing = []
    for options in headers.REQUIRED.get(table.kind, ()):
        if not any(o in table.columns for o in options):
            missing.append(" hoặc ".join(f"«{headers.ROLE_LABELS.get(o, o)}»" for o in options))
    return missing
