"""Import a parsed workbook: one transaction, one batch record, all or nothing.

A workbook with any error is refused before the database is touched. Matching against stored
data (outputs, assignments, indicators) happens inside the transaction; any problem found
there raises, the transaction rolls back, and the database is left exactly as it was.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, text, update

from catalogue import message
from loaders.parse import Options, ParseResult, parse_workbook
from loaders.plan import OutputRow, PlanMeta
from loaders.text import fold
from loaders.workbook import FILE
from model import Problem
from store import schema as s
from store.reference import ensure_reference

Progress = Callable[[float, str], None]


@dataclass
class Scope:
    """What an editor may write: agency codes and unit codes (their own and, for units, below)."""

    agencies: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    is_admin: bool = False

    def allows_agency(self, agency_code: str, agency_unit: str | None) -> bool:
        return self.is_admin or agency_code in self.agencies or (agency_unit in self.units)

    def allows_unit(self, unit_code: str) -> bool:
        return self.is_admin or unit_code in self.units


ADMIN = Scope(is_admin=True)


@dataclass
class ImportResult:
    """What happened to one workbook."""

    status: str  # imported | refused | dry_run
    parse: ParseResult
    batch_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # parse problems plus matching problems

    @property
    def ok(self) -> bool:
        return self.status in ("imported", "dry_run") and not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class Refused(Exception):
    """Raised inside the transaction to roll everything back."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


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


def _lock(conn: Connection) -> None:
    """Serialise imports: SQLite already holds the write lock (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7142025)"))


def import_workbook(engine: Engine, source: bytes | Path | str, file_name: str | None = None,
                    options: Options | None = None, user: str = "system", scope: Scope = ADMIN,
                    is_sample: bool = False, dry_run: bool = False, progress: Progress | None = None,
                    accept_targets: Callable[[list], list] | None = None) -> ImportResult:
    """Parse, validate and (unless dry_run) write one workbook or plan document in one transaction.

    A document's target proposals are written only as far as `accept_targets` (given the proposals,
    returning the confirmed and possibly edited ones) confirms them; without it none is written."""
    note = progress or (lambda _f, _m: None)
    note(0.05, "Đang đọc tệp")
    from loaders.document import document_kind

    indicators = _indicators(engine) if document_kind(source) is not None else None
    parsed = parse_workbook(source, file_name, options, indicators=indicators)
    result = ImportResult("refused", parsed, problems=list(parsed.problems))
    if not parsed.ok:
        return result
    confirmed = accept_targets(list(parsed.targets)) if accept_targets and parsed.targets else []
    if confirmed and not scope.is_admin:
        result.problems.append(Problem(FILE, None, None, message("targets_admin_only")))
        return result
    if not parsed.plan_sheets and not parsed.frames and not confirmed:
        result.problems.append(Problem(FILE, None, None, message("document_nothing_to_import", count=len(parsed.targets))))
        return result
    ensure_reference(engine)
    note(0.3, "Đang kiểm tra với dữ liệu đã có")
    try:
        with engine.begin() as conn:
            _lock(conn)
            dup = conn.execute(select(s.import_batches.c.id, s.import_batches.c.uploaded_at).where(
                s.import_batches.c.sha256 == parsed.sha256, s.import_batches.c.status == "imported")).first()
            if dup:
                raise Refused([Problem(FILE, None, None, message(
                    "file_duplicate", batch_id=dup.id, when=dup.uploaded_at.strftime("%d/%m/%Y %H:%M")))])
            batch_id = conn.execute(insert(s.import_batches).values(
                kind=_kind(parsed, bool(confirmed)), file_name=parsed.file_name, sha256=parsed.sha256, size_bytes=parsed.size,
                uploaded_by=user, uploaded_at=datetime.now().replace(microsecond=0), status="imported",
                is_sample=is_sample, counts={}, options=_options_json(options))).inserted_primary_key[0]
            counts: dict[str, int] = {}
            problems: list[Problem] = []
            if parsed.plan_sheets:
                counts |= _write_plan(conn, batch_id, parsed, scope, problems)
            frames = parsed.frames
            if "indicator_catalogue" in frames:
                counts |= _write_catalogue(conn, batch_id, frames["indicator_catalogue"])
            note(0.5, "Đang ghi số liệu")
            if "progress" in frames:
                counts |= _write_progress(conn, batch_id, frames["progress"], scope, problems)
            if "indicator_values" in frames:
                counts |= _write_values(conn, batch_id, frames["indicator_values"], scope, problems)
            if "par_scores" in frames:
                counts |= _write_par(conn, batch_id, frames["par_scores"], problems)
            if confirmed:  # a document's confirmed target proposals, written as catalogue rows
                from loaders.body_targets import as_catalogue_frame

                counts |= _write_catalogue(conn, batch_id, as_catalogue_frame(confirmed, indicators, parsed.file_name))
            if any(p.severity == "error" for p in problems):
                raise Refused(problems)
            conn.execute(update(s.import_batches).where(s.import_batches.c.id == batch_id).values(counts=counts))
            result.problems += problems
            result.counts = counts
            if dry_run:
                raise _DryRun()
            _test_hold()
            result.batch_id = batch_id
            result.status = "imported"
    except _DryRun:
        result.status = "dry_run"
    except Refused as exc:
        result.problems += exc.problems
        result.status = "refused"
    note(1.0, "Xong")
    return result


def _indicators(engine: Engine) -> pd.DataFrame | None:
    """The stored indicator catalogue (what a document's target sentences are matched against)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(s.indicators.c.code, s.indicators.c.name, s.indicators.c.unit,
                                       s.indicators.c.area_code, s.indicators.c.direction, s.indicators.c.is_rate)).all()
    except Exception:  # noqa: BLE001 - a database not created yet: the reference catalogue is used
        return None
    if not rows:
        return None
    return pd.DataFrame(rows, columns=["code", "name", "unit", "area_code", "direction", "is_rate"])


def _test_hold() -> None:
    """Test-only hook (tests/test_concurrency.py kill test): when CCHC_TEST_IMPORT_HOLD names a file,
    touch it once every row is written but before the commit, then wait there (at most 120 s) so
    the test can kill -9 the process in the middle of the transaction. Unset in normal use."""
    import os
    import time

    flag = os.environ.get("CCHC_TEST_IMPORT_HOLD")
    if flag:
        Path(flag).touch()
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
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(options).items() if v}


# --- plans -----------------------------------------------------------------------------------
def _write_plan(conn: Connection, batch_id: int, parsed: ParseResult, scope: Scope,
                problems: list[Problem]) -> dict[str, int]:
    meta = parsed.meta
    code = plan_code(meta)
    existing = conn.execute(select(s.plans.c.id, s.plans.c.batch_id).where(s.plans.c.code == code)).first()
    if existing:
        raise Refused([Problem(FILE, None, None,
                               f"Kế hoạch {code} đã được nhập ở lô #{existing.batch_id}; hãy hoàn tác lô đó trước khi nhập bản sửa.")])
    if not scope.is_admin and not scope.allows_unit(meta.unit or ""):
        raise Refused([Problem(FILE, None, None, "Bạn không có quyền nhập kế hoạch của đơn vị này.")])
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
def _agency_lookup(conn: Connection) -> tuple[dict[str, str], dict[str, str]]:
    from loaders.agencies import agency_key

    names: dict[str, str] = {}
    units: dict[str, str] = {}
    rows = conn.execute(select(s.agencies.c.code, s.agencies.c.name, s.agencies.c.short_name, s.agencies.c.unit_code)).all()
    # exact names first (with diacritics: "UBND xã Trực Hưng" and "UBND xã Trực Hùng" fold alike)
    for code, name, _short, unit in rows:
        names[_exact(name)] = code
        units[code] = unit
    for code, name, _short, _unit in rows:
        names.setdefault(agency_key(name), code)
        names.setdefault(agency_key(code), code)
    for alias, code, scope in conn.execute(select(s.agency_aliases.c.alias, s.agency_aliases.c.agency_code, s.agency_aliases.c.scope_unit_code)):
        if scope is None:
            names.setdefault(agency_key(alias), code)
    return names, units


def _exact(name: str) -> str:
    """Exact comparison form: NFC text, case-folded, single spaces (keeps diacritics)."""
    from loaders.text import clean

    return "=" + clean(name).casefold()


def _write_progress(conn: Connection, batch_id: int, df: pd.DataFrame, scope: Scope,
                    problems: list[Problem]) -> dict[str, int]:
    from loaders.agencies import agency_key

    names, agency_units = _agency_lookup(conn)
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
    for rec in df.to_dict("records"):
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
        agency = names.get(_exact(rec["agency"])) or names.get(agency_key(rec["agency"]))
        if agency is None:
            problems.append(Problem(sheet, row, rec.get("col_agency"), message("agency_unknown_nosuggest", name=rec["agency"])))
            continue
        aid = assign.get((output_id, agency, "lead")) or assign.get((output_id, agency, "partner"))
        if aid is None:
            problems.append(Problem(sheet, row, rec.get("col_agency"), message("assignment_unknown", agency=rec["agency"], ref=ref or output_id)))
            continue
        if not scope.allows_agency(agency, agency_units.get(agency)):
            problems.append(Problem(sheet, row, rec.get("col_agency"), message("out_of_scope", agency=rec["agency"])))
            continue
        year, quarter = int(rec["year"]), int(rec["quarter"])
        if date(year, 3 * quarter - 2, 1) > today:
            problems.append(Problem(sheet, row, rec.get("col_period"), message(
                "period_future", period=f"Quý {quarter}/{year}", today=today.strftime("%d/%m/%Y"))))
            continue
        rows.append({"batch_id": batch_id, "assignment_id": aid, "year": year, "quarter": quarter,
                     "status": rec["status"], "percent": _num(rec.get("percent")), "evidence": _text(rec.get("evidence")),
                     "note": _text(rec.get("note")), "sheet": sheet, "row": row, "is_current": True})
    if any(p.severity == "error" for p in problems):
        return {}
    seen: dict[tuple, int] = {}
    for r in rows:
        key = (r["assignment_id"], r["year"], r["quarter"])
        if key in seen:
            problems.append(Problem(r["sheet"], r["row"], None, message("duplicate_row", other=seen[key])))
        seen[key] = r["row"]
    if rows and not any(p.severity == "error" for p in problems):
        conn.execute(insert(s.progress_reports), rows)
        _supersede(conn, s.progress_reports, batch_id, ("assignment_id", "year", "quarter"))
    return {"progress_reports": len(rows)}


def _supersede(conn: Connection, table, batch_id: int, key: tuple[str, ...]) -> None:  # noqa: ANN001
    """Mark rows of earlier batches that this batch replaces (same key) as no longer current."""
    new = table.alias("new")
    cond = [new.c.batch_id == batch_id] + [new.c[k].is_not_distinct_from(table.c[k]) for k in key]
    conn.execute(update(table).where(table.c.is_current.is_(True), table.c.batch_id != batch_id,
                                     select(new.c.id).where(and_(*cond)).exists()).values(is_current=False))


def _today() -> date:
    import settings

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
def _write_catalogue(conn: Connection, batch_id: int, df: pd.DataFrame) -> dict[str, int]:
    existing = {r[0] for r in conn.execute(select(s.indicators.c.code))}
    ind_rows: dict[str, dict] = {}
    for rec in df.to_dict("records"):
        ind_rows.setdefault(rec["code"], {
            "code": rec["code"], "name": rec["name"], "area_code": _text(rec.get("area_code")), "unit": rec["unit"],
            "direction": rec.get("direction") or "up", "is_rate": bool(rec.get("is_rate")), "batch_id": batch_id})
    new = [r for c, r in ind_rows.items() if c not in existing]
    if new:
        conn.execute(insert(s.indicators), new)
    for c, r in ind_rows.items():
        if c in existing:
            conn.execute(update(s.indicators).where(s.indicators.c.code == c).values(
                name=r["name"], area_code=r["area_code"], unit=r["unit"], direction=r["direction"], is_rate=r["is_rate"]))
    targets = []
    for rec in df.to_dict("records"):
        spec = rec["spec"]
        if spec is None:
            continue
        targets.append({
            "batch_id": batch_id, "indicator_code": rec["code"], "level": rec["level"],
            "scope_unit_code": _text(rec.get("scope_unit_code")), "year": spec.year, "kind": spec.kind,
            "value": spec.value, "value_high": spec.value_high, "baseline_year": spec.baseline_year,
            "step": spec.step, "cap": spec.cap, "group_code": spec.group, "relative": spec.relative,
            "text": spec.text, "source": _text(rec.get("source")), "is_current": True})
    if targets:
        conn.execute(insert(s.targets), targets)
        _supersede(conn, s.targets, batch_id, ("indicator_code", "level", "scope_unit_code", "year"))
    return {"indicators": len(ind_rows), "targets": len(targets)}


def _write_values(conn: Connection, batch_id: int, df: pd.DataFrame, scope: Scope,
                  problems: list[Problem]) -> dict[str, int]:
    codes = {r[0] for r in conn.execute(select(s.indicators.c.code))}
    by_name = {fold(n): c for c, n in conn.execute(select(s.indicators.c.code, s.indicators.c.name))}
    ind = df["indicator"].astype(str)
    lookup = {v: (v if v in codes else by_name.get(fold(v))) for v in ind.unique()}
    resolved = ind.map(lookup)
    bad = resolved.isna()
    for rec in df[bad].drop_duplicates("indicator").head(50).to_dict("records"):
        problems.append(Problem(rec["sheet"], int(rec["row"]), rec.get("col_indicator"), message("indicator_unknown", name=rec["indicator"])))
    if not scope.is_admin:
        out = df[~df["unit_code"].isin(scope.units)]
        for rec in out.drop_duplicates("unit_code").head(50).to_dict("records"):
            problems.append(Problem(rec["sheet"], int(rec["row"]), None, message("out_of_scope", agency=rec["unit_code"])))
    if bad.any() or any(p.severity == "error" for p in problems):
        return {}
    frame = pd.DataFrame({
        "batch_id": batch_id, "indicator_code": resolved, "unit_code": df["unit_code"].astype(str),
        "year": df["year"].astype(int), "quarter": df["quarter"].astype("Int64"),
        "value": df["value"].astype(float), "numerator": df["numerator"].astype(float),
        "denominator": df["denominator"].astype(float), "is_current": True})
    dup = frame.duplicated(["indicator_code", "unit_code", "year", "quarter"], keep="first")
    if dup.any():
        first = df.loc[dup[dup].index[0]]
        problems.append(Problem(first["sheet"], int(first["row"]), None, message("duplicate_row", other="(trùng chỉ tiêu, đơn vị, kỳ)")))
        return {}
    n = _bulk_insert(conn, s.indicator_values, frame)
    _supersede(conn, s.indicator_values, batch_id, ("indicator_code", "unit_code", "year", "quarter"))
    return {"indicator_values": n}


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


def _write_par(conn: Connection, batch_id: int, df: pd.DataFrame, problems: list[Problem]) -> dict[str, int]:
    frame = df[["year", "subject_kind", "subject_code", "component", "score", "max_score", "official_rank", "rank_of"]].copy()
    frame["batch_id"] = batch_id
    frame["is_current"] = True
    records = _records(frame)
    conn.execute(insert(s.par_scores), records)
    _supersede(conn, s.par_scores, batch_id, ("year", "subject_kind", "subject_code", "component"))
    return {"par_scores": len(records)}


# --- rollback --------------------------------------------------------------------------------
def rollback_batch(engine: Engine, batch_id: int, user: str) -> list[str]:
    """Undo one batch exactly; returns Vietnamese errors (empty on success)."""
    facts = ((s.progress_reports, ("assignment_id", "year", "quarter")),
             (s.indicator_values, ("indicator_code", "unit_code", "year", "quarter")),
             (s.par_scores, ("year", "subject_kind", "subject_code", "component")),
             (s.targets, ("indicator_code", "level", "scope_unit_code", "year")))
    with engine.begin() as conn:
        _lock(conn)
        batch = conn.execute(select(s.import_batches).where(s.import_batches.c.id == batch_id)).first()
        if batch is None:
            return [f"Không có lô #{batch_id}."]
        if batch.status != "imported":
            return [f"Lô #{batch_id} đã được hoàn tác trước đó."]
        plan_ids = [r[0] for r in conn.execute(select(s.plans.c.id).where(s.plans.c.batch_id == batch_id))]
        if plan_ids:
            later = conn.execute(
                select(func.count(), func.min(s.progress_reports.c.batch_id))
                .select_from(s.progress_reports.join(s.assignments).join(s.outputs).join(s.tasks))
                .where(s.tasks.c.plan_id.in_(plan_ids), s.progress_reports.c.batch_id != batch_id)).first()
            if later[0]:
                return [f"Không thể hoàn tác: {later[0]} báo cáo tiến độ (từ lô #{later[1]}) dựa trên kế hoạch này; hãy hoàn tác các lô đó trước."]
        for table, key in facts:
            # the rows this batch superseded become current again (the newest remaining per key)
            conn.execute(delete(table).where(table.c.batch_id == batch_id))
            later_t = table.alias("later")
            newer_exists = select(later_t.c.id).where(
                later_t.c.batch_id > table.c.batch_id, *[later_t.c[k].is_not_distinct_from(table.c[k]) for k in key]).exists()
            conn.execute(update(table).where(table.c.is_current.is_(False), ~newer_exists).values(is_current=True))
        if plan_ids:
            conn.execute(delete(s.plans).where(s.plans.c.id.in_(plan_ids)))
        # indicators this batch created go too, unless other batches' targets or values use them
        used = select(s.targets.c.id).where(s.targets.c.indicator_code == s.indicators.c.code).exists() | select(
            s.indicator_values.c.id).where(s.indicator_values.c.indicator_code == s.indicators.c.code).exists()
        conn.execute(delete(s.indicators).where(s.indicators.c.batch_id == batch_id, ~used))
        conn.execute(update(s.indicators).where(s.indicators.c.batch_id == batch_id).values(batch_id=None))
        conn.execute(update(s.import_batches).where(s.import_batches.c.id == batch_id).values(
            status="rolled_back", rolled_back_at=datetime.now().replace(microsecond=0), rolled_back_by=user))
    return []
