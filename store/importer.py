"""Import a parsed workbook: one transaction, one batch record, all or nothing.

A workbook with any error is refused before the database is touched. Matching against stored
data (outputs, assignments, indicators) happens inside the transaction; then every row is judged
against the writer's scope in one place (store.authorize) before its part is written; any problem
raises, the transaction rolls back, and the database is left exactly as it was. Every kind of row
is versioned (a batch adds rows and supersedes, never updates in place), so a rollback is exact.
"""
from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, delete, func, insert, inspect, literal_column, select, text, update

import settings
from catalogue import REPORT_STATUSES, message
from formats import fmt_percent, fmt_quarter
from loaders.agencies import agency_key
from loaders.body_targets import as_catalogue_frame
from loaders.document import document_kind
from loaders.learned import learned_of, with_learned
from loaders.parse import Options, ParseResult
from loaders.plan import OutputRow, PlanMeta
from loaders.reference import reference
from loaders.resolve import progress_questions
from loaders.sandbox import parse_upload
from loaders.text import clean, fold
from loaders.workbook import FILE
from model import Problem
from store import queries
from store import schema as s
from store.aliases import Busy, rollback_blocker, rollback_rows
from store.aliases import load as learned_aliases
from store.audit import record
from store.authorize import ADMIN, Claim, Scope, authorize
from store.reference import ensure_reference_in
from store.tx import Refused, TooLong, _seconds, busy_message, too_long_message, write_transaction

__all__ = ["ADMIN", "ImportResult", "Parsed", "Refused", "Resolved", "Scope", "import_workbook", "read_upload",
           "rollback_batch", "write_transaction"]

Progress = Callable[[float, str], None]
# (table, key columns) of every versioned kind of row: a batch adds rows and flips `is_current` on the
# rows of earlier batches with the same key; a rollback flips them back (store/schema.py)
VERSIONED = ((s.progress_reports, ("assignment_id", "year", "quarter")),
             (s.indicator_values, ("indicator_code", "unit_code", "year", "quarter")),
             (s.par_scores, ("year", "subject_kind", "subject_code", "component")),
             (s.targets, ("indicator_code", "level", "scope_unit_code", "year")),
             (s.indicator_versions, ("indicator_code",)))
# nullable key columns are compared through COALESCE to a value they never hold (the indexes in
# store/schema.py use the same expressions): equality, unlike IS NOT DISTINCT FROM, can use an index
NULL_KEYS = {"quarter": literal_column("0"), "scope_unit_code": literal_column("''")}


@dataclass
class ImportResult:
    """What happened to one workbook."""

    status: str  # imported | refused | dry_run
    parse: ParseResult
    batch_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # parse problems plus matching problems
    questions: list = field(default_factory=list)  # loaders.resolve.Question: what a choice can resolve

    @property
    def ok(self) -> bool:
        return self.status in ("imported", "dry_run") and not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Resolved:
    """One part of a workbook as its step resolved it to stored keys: the rows it writes (`rows`: the key and
    `fields` of `table`, with the sheet and row each came from and what the row named) and the parsed rows the
    matching refused (`refused`: an unknown output, agency or indicator, a repeated key, a future quarter). What the
    upload's preview (store.diff) compares with the stored rows, so it never matches by itself."""

    part: str  # store.diff.PARTS
    table: Table
    key: tuple[str, ...]
    fields: tuple[str, ...]
    rows: pd.DataFrame
    refused: pd.DataFrame


@dataclass
class Step:
    """One part of a workbook, matched against the stored data but not written yet: who its rows belong to
    (claims, judged by store.authorize), how to write them once allowed and, for the preview, its rows as
    resolved (built only when asked)."""

    claims: list[Claim]
    write: Callable[[Connection, int], dict[str, int]]
    preview: Callable[[], Resolved] | None = None


Preview = Callable[[Connection, Resolved], None]  # given each part as resolved, before it is written


def plan_code(meta: PlanMeta) -> str:
    """Stable plan key: issuer, period and the number's digits ("36-2023-158")."""
    a, b = meta.period or (0, 0)
    code = f"{meta.unit}-{a}" + (f"-{b}" if b != a else "")
    if meta.number and (digits := re.match(r"\d+", meta.number)):
        code += f"-{digits.group(0)}"
    return code


def output_refs(code: str, outputs: list[OutputRow]) -> list[str]:
    """A unique reference per output: "<plan>/<area>.<output no or task no>", "#2" on repeats."""
    refs: list[str] = []
    seen: dict[str, int] = {}
    for o in outputs:
        base = f"{code}/{o.area_no or '-'}.{o.output_no or o.task_no or o.row}"
        seen[base] = seen.get(base, 0) + 1
        refs.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return refs


@dataclass
class Parsed:
    """One file read: the parse, with the options it was read with (the learned aliases included) and the stored
    indicator catalogue a document's target sentences were matched against. What a dry run hands to the import of
    the same bytes, so they are not parsed twice (service.dry_run, service.import_file)."""

    parse: ParseResult
    options: Options
    indicators: pd.DataFrame | None = None


def read_upload(engine: Engine, source: bytes | Path | str, file_name: str | None = None,
                options: Options | None = None) -> Parsed | ImportResult:
    """Parse one workbook or plan document (in a child process with memory and time limits), with what uploaders
    taught (learned aliases); an ImportResult "refused" when another import holds the lock longer than allowed."""
    try:  # what uploaders taught, read as an import waits for another (SQLite readers wait for the writer)
        options = replace(options or Options(), learned=learned_aliases(engine, wait=_seconds("CCHC_IMPORT_LOCK_WAIT_S")))
    except Busy:
        name = file_name or (Path(source).name if isinstance(source, (str, Path)) else "upload.xlsx")
        return ImportResult("refused", ParseResult(name), problems=[Problem(FILE, None, None, busy_message())])
    indicators = _indicators(engine) if document_kind(source) is not None else None
    return Parsed(parse_upload(source, file_name, options, indicators=indicators), options, indicators)


def import_workbook(engine: Engine, source: bytes | Path | str, file_name: str | None = None,
                    options: Options | None = None, user: str = "system", scope: Scope = ADMIN,
                    is_sample: bool = False, dry_run: bool = False, progress: Progress | None = None,
                    via: str = "app", accept_targets: Callable[[list], list] | None = None,
                    parsed: Parsed | None = None, preview: Preview | None = None) -> ImportResult:
    """Parse, validate, authorize and (unless dry_run) write one workbook or plan document in one transaction,
    audited in it.

    `user` is recorded on the batch and the audit line; `scope` says what that user may write (every row
    is judged by store.authorize before its part is written); `via` tells the audit where it came from.
    A document's target proposals are written only as far as `accept_targets` (given the proposals,
    returning the confirmed and possibly edited ones) confirms them; without it none is written.
    `parsed`: the file as read_upload already read it (then `source` and `options` are not read again).
    `preview`: given each part as its step resolved it, in the transaction, before the part is written (the upload's
    preview, store.diff); a file imported before is then still matched (and refused)."""
    note = progress or (lambda _f, _m: None)
    note(0.05, "Đang đọc tệp")
    if parsed is None:
        read = read_upload(engine, source, file_name, options)
        if isinstance(read, ImportResult):
            return read
        parsed = read
    options, indicators, parsed = parsed.options, parsed.indicators, parsed.parse
    result = ImportResult("refused", parsed, problems=list(parsed.problems), questions=list(parsed.questions))
    # one validation, one pass: a file with errors is still matched against the stored data (unknown outputs,
    # indicators, agencies, scope), so every error is reported at once; it is then refused, nothing written
    blocked = not parsed.ok
    if blocked and not (parsed.plan_sheets or parsed.frames):
        return result
    confirmed = accept_targets(list(parsed.targets)) if accept_targets and parsed.targets and not blocked else []
    if confirmed and not scope.is_admin:
        result.problems.append(Problem(FILE, None, None, message("targets_admin_only")))
        return result
    if not blocked and not parsed.plan_sheets and not parsed.frames and not confirmed:
        result.problems.append(Problem(FILE, None, None, message("document_nothing_to_import", count=len(parsed.targets))))
        return result
    note(0.3, "Đang kiểm tra với dữ liệu đã có")
    problems: list[Problem] = []
    try:
        with write_transaction(engine) as conn:
            ensure_reference_in(conn)  # inside the lock: on SQLite any read waits for the writer anyway
            dup = conn.execute(select(s.import_batches.c.id, s.import_batches.c.uploaded_at).where(
                s.import_batches.c.sha256 == parsed.sha256, s.import_batches.c.status == "imported")).first()
            if dup:
                again = Problem(FILE, None, None, message(
                    "file_duplicate", batch_id=dup.id, when=dup.uploaded_at.strftime("%d/%m/%Y %H:%M")))
                if preview is None:
                    raise Refused([again])
                problems.append(again)  # still matched for the preview, nothing written
            batch_id = None if blocked or dup else conn.execute(insert(s.import_batches).values(
                kind=_kind(parsed, bool(confirmed)), file_name=parsed.file_name, sha256=parsed.sha256, size_bytes=parsed.size,
                uploaded_by=user, uploaded_at=datetime.now().replace(microsecond=0), status="imported",
                is_sample=is_sample, counts={}, options=_options_json(options))).inserted_primary_key[0]
            counts: dict[str, int] = {}
            for fraction, prepare in _steps(parsed, confirmed, indicators, blocked):
                note(fraction, "Đang ghi số liệu")
                try:
                    step = prepare(conn, parsed, problems)  # matching only: nothing written yet
                except (ValueError, TypeError, KeyError):
                    if not blocked:
                        raise
                    continue  # rows the parse already refused (a year that is no number): that part is not matched
                if preview is not None and step.preview is not None:
                    try:
                        resolved = step.preview()
                    except (ValueError, TypeError, KeyError):
                        if not blocked:
                            raise
                    else:
                        preview(conn, resolved)
                refusals = authorize(scope, step.claims, user)  # the one scope check of every row
                problems += refusals
                if batch_id is not None and not any(p.severity == "error" for p in problems):
                    counts |= step.write(conn, batch_id)
            if blocked or any(p.severity == "error" for p in problems):
                raise Refused(problems)
            conn.execute(update(s.import_batches).where(s.import_batches.c.id == batch_id).values(counts=counts))
            result.problems += problems
            result.counts = counts
            if dry_run:
                raise _DryRun()
            record(conn, user, "import", {"batch_id": batch_id, "file": parsed.file_name, "sha256": parsed.sha256,
                                          "counts": counts, "via": via})
            _test_hold(conn)
            result.batch_id = batch_id
            result.status = "imported"
    except _DryRun:
        result.status = "dry_run"
    except Refused as exc:
        result.problems += exc.problems
        result.status = "refused"
    except Busy:
        result.problems.append(Problem(FILE, None, None, busy_message()))
        result.status = "refused"
    except TooLong:
        result.problems.append(Problem(FILE, None, None, too_long_message()))
        result.status = "refused"
    note(1.0, "Xong")
    result.questions += _matching_questions(problems, parsed, options)
    return result


def _matching_questions(problems: list[Problem], parsed: ParseResult, options: Options) -> list:
    """The questions raised by matching against the store (an unknown reporting agency of a progress row)."""
    if not any(p.severity == "error" for p in problems) or "progress" not in parsed.frames:
        return []
    ref = with_learned(reference(), learned_of(options))
    known = {q.key for q in parsed.questions}
    return [q for q in progress_questions(problems, parsed.frames["progress"], ref) if q.key not in known]


def _steps(parsed: ParseResult, confirmed: list | None = None, indicators: pd.DataFrame | None = None,
           blocked: bool = False) -> list[tuple[float, Callable[[Connection, ParseResult, list[Problem]], Step]]]:
    """The parts of this workbook in writing order (a plan before progress on it, the catalogue before values);
    a document's confirmed target proposals are catalogue rows. `blocked`: the file has errors and is only
    matched; a part that needs an earlier part of the same file written (progress on its own plan, values of its
    own catalogue) or a plan without its issuer or period is then left out."""
    frames = parsed.frames
    steps = []
    if parsed.plan_sheets and not (blocked and not (parsed.meta.unit and parsed.meta.period)):
        steps.append((0.35, _prepare_plan))
    if "indicator_catalogue" in frames:
        steps.append((0.4, lambda conn, p, problems: _prepare_catalogue_frame(conn, p.frames["indicator_catalogue"])))
    if confirmed:
        frame = as_catalogue_frame(confirmed, indicators, parsed.file_name)
        steps.append((0.45, lambda conn, _p, _problems: _prepare_catalogue_frame(conn, frame)))
    if "progress" in frames and not (blocked and parsed.plan_sheets):
        steps.append((0.5, _prepare_progress))
    if "indicator_values" in frames and not (blocked and "indicator_catalogue" in frames):
        steps.append((0.5, _prepare_values))
    if "par_scores" in frames:
        steps.append((0.7, _prepare_par))
    return steps


def _indicators(engine: Engine) -> pd.DataFrame | None:
    """The stored indicator catalogue, current versions (what a document's target sentences are matched against);
    None before the database exists or while it is empty (the reference catalogue is used then)."""
    try:
        frame = queries.indicators(engine)
    except Exception:  # noqa: BLE001 - a database not created yet
        return None
    if frame.empty:
        return None
    return frame[["code", "name", "unit", "area_code", "direction", "is_rate"]].reset_index(drop=True)


def _test_hold(conn: Connection) -> None:
    """Test-only hook (tests/test_concurrency.py kill tests): when CCHC_TEST_IMPORT_HOLD names a file,
    touch it once every row is written but before the commit, then wait there (at most 120 s) so
    the test can kill -9 the process in the middle of the transaction. With CCHC_TEST_IMPORT_HOLD_SQL=1
    on PostgreSQL the wait is a statement running on the server (pg_sleep), as a long UPDATE would be.
    Unset in normal use."""
    flag = os.environ.get("CCHC_TEST_IMPORT_HOLD")
    if flag:
        Path(flag).touch()
        if os.environ.get("CCHC_TEST_IMPORT_HOLD_SQL") == "1" and conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_sleep(120)"))
            return
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.05)


class _DryRun(Exception):
    """Roll back a complete import that was only a rehearsal."""


def _kind(parsed: ParseResult, targets: bool = False) -> str:
    kinds = ({"plan"} if parsed.plan_sheets else set()) | ({"indicators"} if targets else set()) | {
        {"progress": "progress", "indicator_catalogue": "indicators", "indicator_values": "values",
         "par_scores": "par"}[k] for k in parsed.frames}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _options_json(options: Options | None) -> dict:
    if not options:
        return {}
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(options).items() if v and k != "learned"}


# --- plans -----------------------------------------------------------------------------------
def _prepare_plan(conn: Connection, parsed: ParseResult, problems: list[Problem]) -> Step:
    meta = parsed.meta
    code = plan_code(meta)
    preview = lambda: _plan_preview(parsed.outputs, code)  # noqa: E731
    existing = conn.execute(select(s.plans.c.id, s.plans.c.batch_id).where(s.plans.c.code == code)).first()
    if existing:
        problems.append(Problem(FILE, None, None, message("plan_exists", code=code, batch_id=existing.batch_id)))
        return Step([], lambda _c, _b: {}, preview)
    unit_name = conn.execute(select(s.units.c.name).where(s.units.c.code == meta.unit)).scalar_one_or_none()
    first = parsed.plan_sheets[0].name if parsed.plan_sheets else FILE
    claims = [Claim("plan", first, None, None, owner=meta.unit, label=unit_name or meta.unit or "?")]
    return Step(claims, lambda c, batch_id: _write_plan(c, batch_id, parsed, code), preview)


def _plan_preview(outputs: list[OutputRow], code: str) -> Resolved:
    """A plan's outputs by the refs _write_plan gives them (a plan already stored is refused as a whole, by the
    file's one error; its outputs still compare with the stored ones)."""
    rows = pd.DataFrame({"ref": output_refs(code, outputs), "text": [o.output for o in outputs],
                         "lead_text": [o.lead_text for o in outputs], "deadline_text": [o.deadline.text for o in outputs],
                         "sheet": [o.sheet for o in outputs], "row": [o.row for o in outputs],
                         "output": [o.output for o in outputs]})
    return Resolved("outputs", s.outputs, ("ref",), ("text", "lead_text", "deadline_text"), rows, rows.iloc[:0])


def _write_plan(conn: Connection, batch_id: int, parsed: ParseResult, code: str) -> dict[str, int]:
    meta = parsed.meta
    plan_id = conn.execute(insert(s.plans).values(
        code=code, batch_id=batch_id, issuer_unit_code=meta.unit, number=meta.number, issued_on=meta.issued_on,
        period_from=meta.period[0], period_to=meta.period[1], title=meta.title)).inserted_primary_key[0]
    outputs = parsed.outputs
    refs = output_refs(code, outputs)
    task_ids: dict[tuple[str, int], int] = {}
    n_assign = n_due = 0
    for order, (o, ref) in enumerate(zip(outputs, refs)):
        tkey = (o.sheet, o.task_key)
        if tkey not in task_ids:
            task_ids[tkey] = conn.execute(insert(s.tasks).values(
                plan_id=plan_id, area_code=o.area_code, area_text=o.area_text, task_no=o.task_no, text=o.task,
                ord=len(task_ids))).inserted_primary_key[0]
        output_id = conn.execute(insert(s.outputs).values(
            task_id=task_ids[tkey], ref=ref, output_no=o.output_no, text=o.output, lead_text=o.lead_text,
            partner_text=o.partner_text, deadline_text=o.deadline.text, deadline_kind=o.deadline.kind,
            sheet=o.sheet, row=o.row, ord=order)).inserted_primary_key[0]
        if o.deadline.due_dates:
            conn.execute(insert(s.output_due_dates), [{"output_id": output_id, "due_date": d} for d in o.deadline.due_dates])
            n_due += len(o.deadline.due_dates)
        rows: dict[tuple[str, str], dict] = {}
        for role, refs_ in (("lead", o.leads), ("partner", o.partners)):
            for r in refs_:
                members = (r.code,) if r.code else r.members
                if r.group and not r.members:
                    conn.execute(insert(s.output_groups).values(output_id=output_id, group_key=r.group, role=role, members=0))
                for m in members:
                    rows.setdefault((m, role), {"output_id": output_id, "agency_code": m, "role": role, "via_group": r.group})
        if rows:
            conn.execute(insert(s.assignments), list(rows.values()))
            n_assign += len(rows)
    return {"tasks": len(task_ids), "outputs": len(outputs), "assignments": n_assign, "due_dates": n_due}


# --- progress --------------------------------------------------------------------------------
def _agency_lookup(conn: Connection) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Spelling → candidate agency codes (a name like "Sở Nội vụ" is several agencies over time and provinces;
    the output's own assignments pick the one meant), and agency → unit."""
    names: dict[str, list[str]] = {}
    units: dict[str, str] = {}

    def add(key: str, code: str) -> None:
        hits = names.setdefault(key, [])
        if code not in hits:
            hits.append(code)

    rows = conn.execute(select(s.agencies.c.code, s.agencies.c.name, s.agencies.c.short_name, s.agencies.c.unit_code)).all()
    # exact names first (with diacritics: "UBND xã Trực Hưng" and "UBND xã Trực Hùng" fold alike)
    for code, name, _short, unit in rows:
        add(_exact(name), code)
        units[code] = unit
    for code, name, _short, _unit in rows:
        add(agency_key(name), code)
        add(agency_key(code), code)
    for alias, code, scope in conn.execute(select(s.agency_aliases.c.alias, s.agency_aliases.c.agency_code, s.agency_aliases.c.scope_unit_code)):
        add(agency_key(alias), code)  # scoped spellings too: the assignment decides which agency is meant
    learned = conn.execute(select(s.learned_aliases.c.text, s.learned_aliases.c.target)
                           .select_from(s.learned_aliases.join(s.import_batches,
                                                               s.import_batches.c.id == s.learned_aliases.c.batch_id))
                           .where(s.learned_aliases.c.kind == "agency", s.learned_aliases.c.removed_batch_id.is_(None),
                                  s.import_batches.c.status == "imported"))
    for alias, code in learned:  # what uploaders taught (store/aliases.py)
        add(agency_key(alias), code)
    return names, units


def match_agency(names: dict[str, list[str]], text: str, output_id: int | None, assign: dict,
                 preds: dict[str, list[str]] | None = None) -> str | None:
    """The agency a progress row names: among the candidates of its spelling, the one the output is assigned to
    (else the first, which the caller reports as not assigned). With `preds` (agency → the agencies merged into it,
    nearest first), a successor reporting on a task its predecessor was given matches the predecessor's assignment:
    "Sở Tài chính" on a 2025 task of "Sở Kế hoạch và Đầu tư" (merged on 01/03/2025) gives SKHDT's assignment."""
    cands = names.get(_exact(text)) or names.get(agency_key(text)) or []
    assigned = lambda a: (output_id, a, "lead") in assign or (output_id, a, "partner") in assign  # noqa: E731
    hit = next((a for a in cands if assigned(a)), None)
    if hit is None and preds:
        hit = next((p for a in cands for p in preds.get(a, ()) if assigned(p)), None)
    return hit or (cands[0] if cands else None)


def agency_predecessors(conn: Connection) -> dict[str, list[str]]:
    """agency → every agency that flowed into it (agency_successors with a share > 0, transitively), nearest first."""
    if "agency_successors" not in inspect(conn).get_table_names():
        return {}
    direct: dict[str, list[str]] = {}
    for code, succ in conn.execute(select(s.agency_successors.c.code, s.agency_successors.c.successor_code)
                                   .where(s.agency_successors.c.share > 0).order_by(s.agency_successors.c.id)):
        direct.setdefault(succ, []).append(code)
    out: dict[str, list[str]] = {}
    for code in direct:
        seen: list[str] = []
        frontier = [code]
        while frontier:
            step = [p for c in frontier for p in direct.get(c, ()) if p not in seen]
            step = list(dict.fromkeys(step))
            seen += step
            frontier = step
        out[code] = seen
    return out


def _exact(name: str) -> str:
    """Exact comparison form: NFC text, case-folded, single spaces (keeps diacritics)."""
    return "=" + clean(name).casefold()


def _prepare_progress(conn: Connection, parsed: ParseResult, problems: list[Problem]) -> Step:

    df = parsed.frames["progress"]
    names, agency_units = _agency_lookup(conn)
    preds = agency_predecessors(conn)
    outs = pd.DataFrame(conn.execute(select(s.outputs.c.id, s.outputs.c.ref, s.outputs.c.text)).all(),
                        columns=["id", "ref", "text"])
    by_ref = dict(zip(outs["ref"], outs["id"]))
    by_text: dict[str, list[int]] = {}
    for oid, t in zip(outs["id"], outs["text"]):
        by_text.setdefault(fold(t), []).append(oid)
    assign = {(o, a, r): i for i, o, a, r in conn.execute(
        select(s.assignments.c.id, s.assignments.c.output_id, s.assignments.c.agency_code, s.assignments.c.role))}
    today = _today()
    rows: list[dict] = []
    claims: list[Claim] = []
    errors_before = sum(p.severity == "error" for p in problems)
    taken: list[int] = []  # the position in `df` of each row of `rows` (the preview's)
    for i, rec in enumerate(df.to_dict("records")):
        sheet, row = rec["sheet"], rec["row"]
        ref = _text(rec.get("ref"))
        output_id = by_ref.get(ref) if ref else None
        if output_id is None:
            cands = by_text.get(fold(_text(rec.get("output")) or ""), [])
            if len(cands) == 1:
                output_id = cands[0]
            elif len(cands) > 1:
                problems.append(Problem(sheet, row, rec.get("col_output"), message("output_ambiguous", ref=ref or rec.get("output"))))
                continue
            else:
                problems.append(Problem(sheet, row, rec.get("col_ref") or rec.get("col_output"),
                                        message("output_unknown", ref=ref or (_text(rec.get("output")) or "")[:80])))
                continue
        agency = match_agency(names, rec["agency"], output_id, assign, preds)
        if agency is None:
            problems.append(Problem(sheet, row, rec.get("col_agency"), message("agency_unknown_nosuggest", name=rec["agency"])))
            continue
        aid = assign.get((output_id, agency, "lead")) or assign.get((output_id, agency, "partner"))
        if aid is None:
            problems.append(Problem(sheet, row, rec.get("col_agency"), message("assignment_unknown", agency=rec["agency"], ref=ref or output_id)))
            continue
        claims.append(Claim("progress", sheet, row, rec.get("col_agency"), owner=agency, owner_kind="agency",
                            agency_unit=agency_units.get(agency), label=rec["agency"]))
        year, quarter = int(rec["year"]), int(rec["quarter"])
        if date(year, 3 * quarter - 2, 1) > today:
            problems.append(Problem(sheet, row, rec.get("col_period"), message(
                "period_future", period=f"Quý {quarter}/{year}", today=today.strftime("%d/%m/%Y"))))
            continue
        rows.append({"assignment_id": aid, "year": year, "quarter": quarter,
                     "status": rec["status"], "percent": _num(rec.get("percent")), "evidence": _text(rec.get("evidence")),
                     "note": _text(rec.get("note")), "sheet": sheet, "row": row, "is_current": True})
        taken.append(i)
    if sum(p.severity == "error" for p in problems) == errors_before:
        seen: dict[tuple, int] = {}
        for r in rows:
            key = (r["assignment_id"], r["year"], r["quarter"])
            if key in seen:
                problems.append(Problem(r["sheet"], r["row"], None, message("duplicate_row", other=seen[key])))
            seen[key] = r["row"]

    problems += _progress_history_warnings(conn, rows)

    def write(c: Connection, batch_id: int) -> dict[str, int]:
        if rows:
            c.execute(insert(s.progress_reports), [r | {"batch_id": batch_id} for r in rows])
            _supersede(c, s.progress_reports, batch_id, ("assignment_id", "year", "quarter"))
        return {"progress_reports": len(rows)}

    return Step(claims, write, lambda: _progress_preview(df, rows, taken))


PROGRESS_KEY = ("assignment_id", "year", "quarter")
PROGRESS_FIELDS = ("status", "percent", "evidence", "note")
_NAMED = ("ref", "output", "agency", "status")  # what a progress row named, for the preview's examples


def _progress_preview(df: pd.DataFrame, rows: list[dict], taken: list[int]) -> Resolved:
    """The progress rows matched to an assignment (a key repeated in the file is refused after its first row) and
    the parsed rows matching refused."""
    matched = pd.DataFrame(rows, columns=[*PROGRESS_KEY, *PROGRESS_FIELDS, "sheet", "row"])
    src = df.iloc[taken]
    for c in _NAMED[:3]:
        matched[c] = src[c].to_numpy() if c in src else None
    again = matched.duplicated(list(PROGRESS_KEY), keep="first").to_numpy()
    kept = np.ones(len(df), dtype=bool)
    kept[np.asarray(taken, dtype=int)[again]] = False
    kept[np.setdiff1d(np.arange(len(df)), taken)] = False
    named = [c for c in ("sheet", "row", *_NAMED) if c in df]
    return Resolved("progress", s.progress_reports, PROGRESS_KEY, PROGRESS_FIELDS, matched[~again], df.loc[~kept, named])


STATUS_RANK = {"not_started": 0, "in_progress": 1, "done": 2, "done_late": 2}


def _progress_history_warnings(conn: Connection, rows: list[dict]) -> list[Problem]:
    """Warnings of progress that goes backwards against the latest earlier report of the same assignment (stored
    and current, or earlier in this file): a status lower than before (done in Quý IV/2023, then in progress), a
    percent lower than before."""
    if not rows:
        return []
    ids = sorted({r["assignment_id"] for r in rows})
    history: dict[int, list[tuple[int, int, str, float | None]]] = {}
    pr = s.progress_reports
    for i in range(0, len(ids), 5000):
        for aid, y, q, st, pct in conn.execute(select(pr.c.assignment_id, pr.c.year, pr.c.quarter, pr.c.status, pr.c.percent)
                                               .where(pr.c.is_current.is_(True), pr.c.assignment_id.in_(ids[i:i + 5000]))):
            history.setdefault(aid, []).append((y, q, st, pct))
    for r in rows:
        history.setdefault(r["assignment_id"], []).append((r["year"], r["quarter"], r["status"], r["percent"]))
    out: list[Problem] = []
    for r in rows:
        earlier = [h for h in history[r["assignment_id"]] if (h[0], h[1]) < (r["year"], r["quarter"])]
        if not earlier:
            continue
        y, q, st, pct = max(earlier, key=lambda h: (h[0], h[1]))
        where = (r["sheet"], r["row"], None)
        if STATUS_RANK.get(r["status"], 0) < STATUS_RANK.get(st, 0):
            out.append(Problem(*where, message("status_backwards", old=REPORT_STATUSES[st].label, old_period=fmt_quarter(y, q),
                                               new=REPORT_STATUSES[r["status"]].label,
                                               period=fmt_quarter(r["year"], r["quarter"])), "warning"))
        if r["percent"] is not None and pct is not None and r["percent"] < pct:
            out.append(Problem(*where, message("percent_lower", percent=fmt_percent(r["percent"]), old_percent=fmt_percent(pct),
                                               old_period=fmt_quarter(y, q)), "warning"))
    return out


def _key_match(a, b, key: tuple[str, ...]) -> list:  # noqa: ANN001
    """`a` and `b` have the same key: plain equality, COALESCE on the nullable columns (index-friendly)."""
    out = []
    for k in key:
        if k in NULL_KEYS:
            out.append(func.coalesce(a.c[k], NULL_KEYS[k]) == func.coalesce(b.c[k], NULL_KEYS[k]))
        else:
            out.append(a.c[k] == b.c[k])
    return out


def supersede_statement(table, batch_id: int, key: tuple[str, ...]):  # noqa: ANN001, ANN201
    """UPDATE … FROM: the current rows of earlier batches that share a key with a row of this batch stop being
    current. A join on the key (the key index finds each old row), not a correlated EXISTS per row."""
    new = table.alias("new")
    return (update(table)
            .where(new.c.batch_id == batch_id, table.c.is_current.is_(True), table.c.batch_id != batch_id,
                   *_key_match(table, new, key))
            .values(is_current=False))


def restore_statement(table, batch_id: int, key: tuple[str, ...]):  # noqa: ANN001, ANN201
    """Before a batch's rows are deleted: for each key where its row is current, the newest remaining rows of
    that key become current again (those with no newer row outside the batch)."""
    gone, later = table.alias("gone"), table.alias("later")
    newer = select(later.c.id).where(*_key_match(later, table, key), later.c.batch_id > table.c.batch_id,
                                     later.c.batch_id != batch_id).exists()
    return (update(table)
            .where(gone.c.batch_id == batch_id, gone.c.is_current.is_(True), *_key_match(table, gone, key),
                   table.c.batch_id != batch_id, table.c.is_current.is_(False), ~newer)
            .values(is_current=True))


def _supersede(conn: Connection, table, batch_id: int, key: tuple[str, ...]) -> None:  # noqa: ANN001
    """Mark rows of earlier batches that this batch replaces (same key) as no longer current."""
    conn.execute(supersede_statement(table, batch_id, key))


def _today() -> date:
    return settings.today()


def _text(v: object) -> str | None:
    """A cell's text, or None for blank (pandas 3 keeps missing strings as NaN)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    text = str(v).strip()
    return text or None


def _num(v: object) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)


# --- indicators ------------------------------------------------------------------------------
VERSION_FIELDS = ("name", "area_code", "unit", "direction", "is_rate")


def _current_versions(conn: Connection) -> dict[str, dict]:
    """code → the current version's fields of every indicator."""
    v = s.indicator_versions
    rows = conn.execute(select(v.c.indicator_code, *[v.c[f] for f in VERSION_FIELDS]).where(v.c.is_current.is_(True)))
    return {r[0]: dict(zip(VERSION_FIELDS, r[1:])) for r in rows}


def _prepare_catalogue_frame(conn: Connection, df: pd.DataFrame) -> Step:
    """Indicators (a new version where wording or measure changes) and targets of a catalogue frame."""
    existing = {r[0] for r in conn.execute(select(s.indicators.c.code))}
    current = _current_versions(conn)
    ind_rows: dict[str, dict] = {}
    claims: list[Claim] = []
    for rec in df.to_dict("records"):
        if rec["code"] not in ind_rows:
            ind_rows[rec["code"]] = {
                "name": rec["name"], "area_code": _text(rec.get("area_code")), "unit": rec["unit"],
                "direction": rec.get("direction") or "up", "is_rate": bool(rec.get("is_rate"))}
            claims.append(Claim("catalogue", rec["sheet"], int(rec["row"]), "Mã chỉ tiêu", label=rec["code"]))
    new_codes = [c for c in ind_rows if c not in existing]
    # a new version only where the wording or the measure changes: an unchanged re-import writes nothing
    versions = [{"indicator_code": c, **f, "is_current": True} for c, f in ind_rows.items()
                if _changed(current.get(c), f)]
    targets = []
    where: list[tuple[str, int]] = []  # the sheet and row of each target (the preview's)
    for rec in df.to_dict("records"):
        spec = rec["spec"]
        if spec is None:
            continue
        claims.append(Claim("targets", rec["sheet"], int(rec["row"]), "Mã chỉ tiêu", label=rec["code"]))
        where.append((rec["sheet"], int(rec["row"])))
        targets.append({
            "indicator_code": rec["code"], "level": rec["level"],
            "scope_unit_code": _text(rec.get("scope_unit_code")), "year": spec.year, "kind": spec.kind,
            "value": spec.value, "value_high": spec.value_high, "baseline_year": spec.baseline_year,
            "step": spec.step, "cap": spec.cap, "group_code": spec.group, "relative": spec.relative,
            "text": spec.text, "source": _text(rec.get("source")), "is_current": True})

    def write(c: Connection, batch_id: int) -> dict[str, int]:
        if new_codes:
            c.execute(insert(s.indicators), [{"code": code, "batch_id": batch_id} for code in new_codes])
        if versions:
            c.execute(insert(s.indicator_versions), [v | {"batch_id": batch_id} for v in versions])
            _supersede(c, s.indicator_versions, batch_id, ("indicator_code",))
        if targets:
            c.execute(insert(s.targets), [r | {"batch_id": batch_id} for r in targets])
            _supersede(c, s.targets, batch_id, ("indicator_code", "level", "scope_unit_code", "year"))
        return {"indicators": len(ind_rows), "targets": len(targets)}

    return Step(claims, write, lambda: _targets_preview(targets, where))


TARGET_KEY = ("indicator_code", "level", "scope_unit_code", "year")
TARGET_FIELDS = ("kind", "value", "value_high", "baseline_year", "step", "cap", "group_code", "relative", "text", "source")


def _targets_preview(targets: list[dict], where: list[tuple[str, int]]) -> Resolved:
    rows = pd.DataFrame(targets, columns=[*TARGET_KEY, *TARGET_FIELDS])
    rows["sheet"], rows["row"] = [w[0] for w in where], [w[1] for w in where]
    return Resolved("targets", s.targets, TARGET_KEY, TARGET_FIELDS, rows, rows.iloc[:0])


def _changed(old: dict | None, new: dict) -> bool:
    if old is None:
        return True
    return any((old[f] if f != "is_rate" else bool(old[f])) != new[f] for f in VERSION_FIELDS)


def _prepare_values(conn: Connection, parsed: ParseResult, problems: list[Problem]) -> Step:
    df = parsed.frames["indicator_values"]
    current = _current_versions(conn)
    codes = set(current)
    by_name = {fold(f["name"]): c for c, f in current.items()}
    ind = df["indicator"].astype(str)
    lookup = {v: (v if v in codes else by_name.get(fold(v))) for v in ind.unique()}
    resolved = ind.map(lookup)
    bad = resolved.isna()
    preview = lambda: _values_preview(df, resolved)  # noqa: E731
    for rec in df[bad].drop_duplicates("indicator").head(50).to_dict("records"):
        problems.append(Problem(rec["sheet"], int(rec["row"]), rec.get("col_indicator"), message("indicator_unknown", name=rec["indicator"])))
    unit_names = dict(conn.execute(select(s.units.c.code, s.units.c.name)).all())
    claims = [Claim("values", rec["sheet"], int(rec["row"]), rec.get("col_unit") or "Mã ĐVHC", owner=str(rec["unit_code"]),
                    label=unit_names.get(str(rec["unit_code"]), str(rec["unit_code"])))
              for rec in df.drop_duplicates("unit_code")[["sheet", "row", "unit_code"]].to_dict("records")]
    if bad.any():
        return Step(claims, lambda _c, _b: {}, preview)
    frame = pd.DataFrame({
        "indicator_code": resolved, "unit_code": df["unit_code"].astype(str),
        "year": df["year"].astype(int), "quarter": df["quarter"].astype("Int64"),
        "value": df["value"].astype(float), "numerator": df["numerator"].astype(float),
        "denominator": df["denominator"].astype(float), "is_current": True})
    dup = frame.duplicated(["indicator_code", "unit_code", "year", "quarter"], keep="first")
    if dup.any():
        first = df.loc[dup[dup].index[0]]
        problems.append(Problem(first["sheet"], int(first["row"]), None, message("duplicate_row", other="(trùng chỉ tiêu, đơn vị, kỳ)")))
        return Step(claims, lambda _c, _b: {}, preview)

    def write(c: Connection, batch_id: int) -> dict[str, int]:
        if c.dialect.name == "sqlite":
            return {"indicator_values": _write_values_sqlite(c, frame, batch_id)}
        n = _bulk_insert(c, s.indicator_values, frame.assign(batch_id=batch_id))
        _supersede(c, s.indicator_values, batch_id, VALUE_KEY)
        return {"indicator_values": n}

    return Step(claims, write, preview)


def _values_preview(df: pd.DataFrame, codes: pd.Series) -> Resolved:
    """The value rows with the indicator code each resolved to; refused: an unknown indicator, a key repeated in
    the file (after its first row)."""
    rows = pd.DataFrame({
        "sheet": df["sheet"], "row": df["row"], "indicator": df["indicator"], "indicator_code": codes,
        "unit_code": df["unit_code"].astype(str), "year": df["year"].astype(int), "quarter": df["quarter"].astype("Int64"),
        "value": df["value"].astype(float), "numerator": df["numerator"].astype(float),
        "denominator": df["denominator"].astype(float)})
    known = rows["indicator_code"].notna()
    again = known & rows.duplicated(list(VALUE_KEY), keep="first")
    return Resolved("values", s.indicator_values, VALUE_KEY, ("value", "numerator", "denominator"),
                    rows[known & ~again], rows[~known | again])


VALUE_KEY = ("indicator_code", "unit_code", "year", "quarter")
VALUE_FIELDS = (*VALUE_KEY, "value", "numerator", "denominator")
# the rows of one values upload before they join indicator_values (SQLite: a temporary table of this connection,
# dropped in the same transaction; no index, no foreign key: those are checked once, by the INSERT … SELECT)
_STAGE = "_incoming_values"
_STAGE_DDL = (f"CREATE TEMP TABLE {_STAGE} (indicator_code TEXT NOT NULL, unit_code TEXT NOT NULL, year INTEGER NOT NULL, "
              "quarter INTEGER, value REAL, numerator REAL, denominator REAL)")


def _write_values_sqlite(conn: Connection, frame: pd.DataFrame, batch_id: int) -> int:
    """A values upload on SQLite in three set statements: the rows go to a staging table in key order (sorted here, on
    integer codes), the current rows of earlier batches with the same key stop being current (one UPDATE … FROM the
    staging table, before the new rows exist, so the key index finds only old rows), and one INSERT … SELECT in that
    order writes them (foreign keys and indexes maintained by SQLite in C, the key index filled in its own order).
    Same rows, same flags as the generic path (the ids in key order, as the ORDER BY of the INSERT gave them before)."""
    if frame.empty:
        return 0
    raw = conn.connection.driver_connection  # sqlite3, inside the BEGIN IMMEDIATE of write_transaction
    raw.execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")
    raw.execute(_STAGE_DDL)
    # floats as they are: SQLite stores a NaN as NULL, and 2024.0 in an INTEGER column as 2024
    cols = [frame[c].to_numpy(dtype=object) if c in ("indicator_code", "unit_code")
            else frame[c].to_numpy(dtype=float, na_value=np.nan) for c in VALUE_FIELDS]
    order = _key_order(cols[0], cols[1], cols[2], cols[3])
    cache = _roomy_cache(raw, len(frame))
    try:
        raw.executemany(f"INSERT INTO {_STAGE} VALUES (?, ?, ?, ?, ?, ?, ?)", zip(*(c[order].tolist() for c in cols)))
        raw.execute(
            f"UPDATE indicator_values AS t SET is_current = 0 FROM {_STAGE} AS n "
            "WHERE t.indicator_code = n.indicator_code AND t.unit_code = n.unit_code AND t.year = n.year "
            "AND coalesce(t.quarter, 0) = coalesce(n.quarter, 0) AND t.is_current = 1")
        fields = ", ".join(VALUE_FIELDS)
        cur = raw.execute(
            f"INSERT INTO indicator_values ({fields}, batch_id, is_current) SELECT {fields}, ?, 1 FROM {_STAGE} "
            "ORDER BY rowid", (batch_id,))  # the staging rows are in key order
        n = cur.rowcount
        raw.execute(f"DROP TABLE temp.{_STAGE}")
    finally:
        if cache is not None:
            raw.execute(f"PRAGMA main.cache_size = {cache}")
    return n


def _key_order(indicator: np.ndarray, unit: np.ndarray, year: np.ndarray, quarter: np.ndarray) -> np.ndarray:
    """Positions of the rows in ix_values_key order (indicator, unit, year, quarter with NULL as 0): the texts as
    SQLite's BINARY collation orders them (code point order, as Python sorts str), through their sorted codes."""
    ind_codes = pd.factorize(indicator, sort=True)[0]
    unit_codes = pd.factorize(unit, sort=True)[0]
    return np.lexsort((np.nan_to_num(quarter, nan=0.0), year, unit_codes, ind_codes))


def _roomy_cache(raw, rows: int) -> int | None:  # noqa: ANN001
    """Give this connection's page cache room for a big upload's pages (up to 256 MB), so that SQLite does not spill
    and re-read them inside the transaction; returns the size to set back (None: it was big enough)."""
    want = min(max(rows // 2, 2000), 262144)  # KiB: about 512 bytes a row (the row and its two index entries)
    size = raw.execute("PRAGMA main.cache_size").fetchone()[0]
    kib = -size if size < 0 else size * raw.execute("PRAGMA main.page_size").fetchone()[0] // 1024
    if kib >= want:
        return None
    raw.execute(f"PRAGMA main.cache_size = {-want}")  # negative: a size in KiB, not a page count
    return size


def _bulk_insert(conn: Connection, table, frame: pd.DataFrame) -> int:  # noqa: ANN001
    """Insert a frame's rows; on SQLite straight through the driver's executemany (the hot path of big uploads)."""
    if frame.empty:
        return 0
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), _records(frame))
        return len(frame)
    cols = list(frame.columns)
    arrays = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in cols]
    sql = f'INSERT INTO {table.name} ({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})'
    conn.exec_driver_sql(sql, list(zip(*arrays)))
    return len(frame)


def _records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame → list of dicts with None for missing values (fast path for executemany)."""
    cols = list(frame.columns)
    out = []
    arrays = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in cols]
    for values in zip(*arrays):
        out.append(dict(zip(cols, values)))
    return out


def _prepare_par(conn: Connection, parsed: ParseResult, problems: list[Problem]) -> Step:
    df = parsed.frames["par_scores"]
    agencies = {code: (unit, name) for code, unit, name in
                conn.execute(select(s.agencies.c.code, s.agencies.c.unit_code, s.agencies.c.name))}
    unit_names = dict(conn.execute(select(s.units.c.code, s.units.c.name)).all())
    claims = []
    for rec in df.drop_duplicates(["subject_kind", "subject_code"]).to_dict("records"):
        code = str(rec["subject_code"])
        column = rec.get("col_subject") or "Đơn vị / cơ quan"
        if rec["subject_kind"] == "department" or code in agencies and code not in unit_names:
            unit, name = agencies.get(code, (None, code))
            claims.append(Claim("par", rec["sheet"], int(rec["row"]), column, owner=code, owner_kind="agency",
                                agency_unit=unit, label=name))
        else:
            claims.append(Claim("par", rec["sheet"], int(rec["row"]), column, owner=code,
                                label=unit_names.get(code, code)))
    frame = df[["year", "subject_kind", "subject_code", "component", "score", "max_score", "official_rank", "rank_of"]].copy()
    frame["is_current"] = True
    preview = lambda: Resolved("par", s.par_scores, PAR_KEY, ("score", "max_score", "official_rank", "rank_of"),  # noqa: E731
                               frame.drop(columns="is_current").assign(sheet=df["sheet"], row=df["row"]), frame.iloc[:0])

    def write(c: Connection, batch_id: int) -> dict[str, int]:
        records = _records(frame.assign(batch_id=batch_id))
        c.execute(insert(s.par_scores), records)
        _supersede(c, s.par_scores, batch_id, PAR_KEY)
        return {"par_scores": len(records)}

    return Step(claims, write, preview)


PAR_KEY = ("year", "subject_kind", "subject_code", "component")


# --- rollback --------------------------------------------------------------------------------
def rollback_batch(engine: Engine, batch_id: int, user: str, scope: Scope = ADMIN, via: str = "app") -> list[str]:
    """Undo one batch exactly, audited in the same transaction; returns Vietnamese errors (empty on success).

    An admin's only. Refused while a later batch builds on this one (progress on its plan; values,
    targets or versions of an indicator it created): undo those first, so every rollback is exact."""
    if not scope.is_admin:
        return [message("rollback_admin_only")]
    try:
        with write_transaction(engine) as conn:
            return _rollback(conn, batch_id, user, via)  # errors are found before anything is written
    except Busy:
        return [busy_message()]
    except TooLong:
        return [too_long_message()]


def _rollback(conn: Connection, batch_id: int, user: str, via: str) -> list[str]:
    batch = conn.execute(select(s.import_batches).where(s.import_batches.c.id == batch_id)).first()
    if batch is None:
        return [message("rollback_unknown", batch_id=batch_id)]
    if batch.status != "imported":
        return [message("rollback_done_before", batch_id=batch_id)]
    plan_ids = [r[0] for r in conn.execute(select(s.plans.c.id).where(s.plans.c.batch_id == batch_id))]
    if plan_ids:
        later = conn.execute(
            select(func.count(), func.min(s.progress_reports.c.batch_id))
            .select_from(s.progress_reports.join(s.assignments).join(s.outputs).join(s.tasks))
            .where(s.tasks.c.plan_id.in_(plan_ids), s.progress_reports.c.batch_id != batch_id)).first()
        if later[0]:
            return [message("rollback_plan_used", n=later[0], batch_id=later[1])]
    created = [r[0] for r in conn.execute(select(s.indicators.c.code).where(s.indicators.c.batch_id == batch_id))]
    if created:
        n, first = 0, None
        for table in (s.indicator_values, s.targets, s.indicator_versions):
            row = conn.execute(select(func.count(), func.min(table.c.batch_id)).where(
                table.c.indicator_code.in_(created), table.c.batch_id != batch_id)).first()
            n += row[0]
            first = min(x for x in (first, row[1]) if x is not None) if row[0] else first
        if n:
            return [message("rollback_indicator_used", n=n, batch_id=first)]
    if (blocked := rollback_blocker(conn, batch_id)) is not None:
        return [blocked]
    for table, key in VERSIONED:
        # the rows this batch superseded become current again, then its own rows go
        conn.execute(restore_statement(table, batch_id, key))
        conn.execute(delete(table).where(table.c.batch_id == batch_id))
    if plan_ids:
        conn.execute(delete(s.plans).where(s.plans.c.id.in_(plan_ids)))
    if created:
        conn.execute(delete(s.indicators).where(s.indicators.c.batch_id == batch_id))
    conn.execute(delete(s.agency_aliases).where(s.agency_aliases.c.batch_id == batch_id))
    rollback_rows(conn, batch_id)
    conn.execute(update(s.import_batches).where(s.import_batches.c.id == batch_id).values(
        status="rolled_back", rolled_back_at=datetime.now().replace(microsecond=0), rolled_back_by=user))
    record(conn, user, "rollback", {"batch_id": batch_id, "file": batch.file_name, "via": via})
    return []
