"""Read queries: every view's data comes from here as DataFrames (parameterised SQL only)."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, false, func, select

import settings
from analytics.frames import Frames
from store import schema as s


def _frame(engine: Engine, stmt) -> pd.DataFrame:  # noqa: ANN001
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


IN_CHUNK = 900  # codes per IN (...) list: SQLite and PostgreSQL both take it, and plans stay simple


def fetch_rows(conn: Connection, stmt) -> list[tuple]:  # noqa: ANN001
    """The rows of a statement through the driver's cursor, its IN lists rendered in (SQLAlchemy's row
    processing costs more than the query for a province's values). Only for statements whose columns are text
    and numbers: the driver returns dates and booleans untyped."""
    return _driver_rows(conn, stmt)[0]


def _driver_rows(conn: Connection, stmt) -> tuple[list[tuple], list[str]]:  # noqa: ANN001
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = [compiled.params[k] for k in compiled.positiontup] if compiled.positiontup else compiled.params
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(str(compiled), params)
        return cur.fetchall(), [d[0] for d in cur.description]
    finally:
        cur.close()


def fast_frame(engine: Engine, stmt) -> pd.DataFrame:  # noqa: ANN001
    """Like _frame, through the driver's cursor (fetch_rows): 3× faster for big tables."""
    with engine.connect() as conn:
        rows, names = _driver_rows(conn, stmt)
    return pd.DataFrame(rows, columns=names)


def data_version(engine: Engine) -> str:
    """Changes whenever an import or a rollback happens: the cache key of every heavy query. An import adds a
    batch; a rollback marks one (counted, as two rollbacks can fall within the same second)."""
    with engine.connect() as conn:
        return data_version_on(conn)


def data_version_on(conn: Connection) -> str:
    """data_version on an open connection (inside a transaction: the version that transaction sees)."""
    b = s.import_batches
    row = conn.execute(select(func.max(b.c.id), func.count(), func.count(b.c.rolled_back_at),
                              func.max(b.c.rolled_back_at))).first()
    return f"{row[0]}:{row[1]}:{row[2]}:{row[3]}"


def batches(engine: Engine) -> pd.DataFrame:
    """Every import batch, newest first."""
    b = s.import_batches
    return _frame(engine, select(b.c.id, b.c.kind, b.c.file_name, b.c.sha256, b.c.size_bytes, b.c.uploaded_by,
                                 b.c.uploaded_at, b.c.status, b.c.rolled_back_at, b.c.rolled_back_by, b.c.is_sample,
                                 b.c.counts).order_by(b.c.id.desc()))


def has_sample_data(engine: Engine) -> bool:
    """True when any imported (not rolled back) batch is sample data."""
    b = s.import_batches
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).where(b.c.is_sample.is_(True), b.c.status == "imported")).scalar_one())


def units(engine: Engine) -> pd.DataFrame:
    """Administrative units with their parent as of `on` (today when None) and coordinates."""
    return _frame(engine, select(s.units))


def unit_parents(engine: Engine) -> pd.DataFrame:
    """code → parent_code with validity dates."""
    return _frame(engine, select(s.unit_parents.c.code, s.unit_parents.c.parent_code, s.unit_parents.c.valid_from,
                                 s.unit_parents.c.valid_to))


def agencies(engine: Engine) -> pd.DataFrame:
    """Agencies with their unit."""
    return _frame(engine, select(s.agencies))


def plans(engine: Engine) -> pd.DataFrame:
    """Imported plans."""
    p, u = s.plans, s.units
    return _frame(engine, select(p.c.id, p.c.code, p.c.number, p.c.issued_on, p.c.period_from, p.c.period_to, p.c.title,
                                 p.c.issuer_unit_code, u.c.name.label("issuer_name"), p.c.batch_id)
                  .join_from(p, u, p.c.issuer_unit_code == u.c.code).order_by(p.c.id))


def outputs(engine: Engine) -> pd.DataFrame:
    """Every output with its task, area, plan and due dates (a tuple of dates)."""
    o, t, p = s.outputs, s.tasks, s.plans
    df = _frame(engine, select(
        o.c.id.label("output_id"), o.c.ref, o.c.output_no, o.c.text.label("output"), o.c.lead_text, o.c.partner_text,
        o.c.deadline_text, o.c.deadline_kind, o.c.sheet, o.c.row, t.c.id.label("task_id"), t.c.task_no,
        t.c.text.label("task"), t.c.area_code, t.c.area_text, p.c.id.label("plan_id"), p.c.code.label("plan_code"),
        p.c.title.label("plan_title"), p.c.number.label("plan_number"), p.c.issuer_unit_code,
        p.c.period_from, p.c.period_to,
    ).join_from(o, t, o.c.task_id == t.c.id).join(p, t.c.plan_id == p.c.id).order_by(p.c.id, o.c.ord))
    due = _frame(engine, select(s.output_due_dates.c.output_id, s.output_due_dates.c.due_date)
                 .order_by(s.output_due_dates.c.output_id, s.output_due_dates.c.due_date))
    groups = due.groupby("output_id")["due_date"].apply(tuple) if not due.empty else pd.Series(dtype=object)
    df["due_dates"] = df["output_id"].map(groups).map(lambda v: v if isinstance(v, tuple) else ())
    return df


def assignments(engine: Engine) -> pd.DataFrame:
    """Every assignment (output × agency × role)."""
    a = s.assignments
    return fast_frame(engine, select(a.c.id.label("assignment_id"), a.c.output_id, a.c.agency_code, a.c.role, a.c.via_group))


def reports(engine: Engine) -> pd.DataFrame:
    """Current progress reports (the latest upload per assignment and quarter)."""
    r = s.progress_reports
    return fast_frame(engine, select(r.c.assignment_id, r.c.year, r.c.quarter, r.c.status, r.c.percent, r.c.evidence,
                                 r.c.note, r.c.batch_id).where(r.c.is_current.is_(True)))


def current_indicators():  # noqa: ANN201 - a Select
    """The indicator catalogue as in force: each code with its current version (code, name, area_code, unit,
    direction, is_rate, batch_id = the batch that created the indicator)."""
    i, v = s.indicators, s.indicator_versions
    return (select(i.c.code, v.c.name, v.c.area_code, v.c.unit, v.c.direction, v.c.is_rate, i.c.batch_id)
            .join_from(i, v, (v.c.indicator_code == i.c.code) & v.c.is_current.is_(True)))


def indicators(engine: Engine) -> pd.DataFrame:
    """The indicator catalogue (current versions)."""
    q = current_indicators().subquery()
    return _frame(engine, select(q).order_by(q.c.area_code, q.c.code))


def targets(engine: Engine) -> pd.DataFrame:
    """Current targets."""
    t = s.targets
    return _frame(engine, select(t).where(t.c.is_current.is_(True)).order_by(t.c.indicator_code, t.c.year))


def values(engine: Engine, indicator_codes: list[str] | None = None, none: bool = False,
           units: list[str] | None = None) -> pd.DataFrame:
    """Current indicator values, optionally for some indicators or units only (`none`: no row, the columns only)."""
    v = s.indicator_values
    stmt = select(v.c.indicator_code, v.c.unit_code, v.c.year, v.c.quarter, v.c.value, v.c.numerator,
                  v.c.denominator).where(v.c.is_current.is_(True))
    if none:
        stmt = stmt.where(false())
    if indicator_codes:
        stmt = stmt.where(v.c.indicator_code.in_(indicator_codes))
    if units is None:
        return fast_frame(engine, stmt)
    if not indicator_codes:  # named, so the value key's index (indicator, unit, …) serves the lookup by unit
        with engine.connect() as conn:
            codes = sorted(r[0] for r in conn.execute(select(s.indicators.c.code)))
        stmt = stmt.where(v.c.indicator_code.in_(codes))
    parts = [fast_frame(engine, stmt.where(v.c.unit_code.in_(units[i:i + IN_CHUNK])))
             for i in range(0, len(units), IN_CHUNK)]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts[0] if parts else fast_frame(
        engine, stmt.where(false())))


def par_scores(engine: Engine) -> pd.DataFrame:
    """Current PAR INDEX scores (long: one row per subject, year and component)."""
    p = s.par_scores
    return _frame(engine, select(p.c.year, p.c.subject_kind, p.c.subject_code, p.c.component, p.c.score, p.c.max_score,
                                 p.c.official_rank).where(p.c.is_current.is_(True)))


def latest_quarter(engine: Engine, values_latest: tuple[int, int] | None | bool = False) -> tuple[int, int] | None:
    """The latest (year, quarter) with progress reports or quarterly values. `values_latest`: that of the values
    when already known (store.readmodels keeps it; None = no quarterly value), False to read it from the table."""
    r, v = s.progress_reports, s.indicator_values
    with engine.connect() as conn:
        a = conn.execute(select(r.c.year, r.c.quarter).where(r.c.is_current.is_(True))
                         .order_by(r.c.year.desc(), r.c.quarter.desc()).limit(1)).first()
        b = values_latest if values_latest is not False else conn.execute(
            select(v.c.year, v.c.quarter).where(v.c.is_current.is_(True), v.c.quarter.is_not(None))
            .order_by(v.c.year.desc(), v.c.quarter.desc()).limit(1)).first()
    found = [tuple(x) for x in (a, b) if x]
    return max(found) if found else None


def table_counts(engine: Engine) -> dict[str, int]:
    """Row counts of the fact tables (status pages and tests)."""
    out = {}
    with engine.connect() as conn:
        for t in (s.plans, s.tasks, s.outputs, s.assignments, s.progress_reports, s.indicators, s.targets,
                  s.indicator_values, s.par_scores, s.import_batches):
            out[t.name] = conn.execute(select(func.count()).select_from(t)).scalar_one()
    return out


def today_or(value: date | None = None) -> date:
    """The reference date of "now" for derived statuses."""
    return value or settings.today()


def unit_successors(engine: Engine) -> pd.DataFrame:
    """Old unit → its successor(s) from a date, with the share of the old unit each took."""
    t = s.unit_successors
    return _frame(engine, select(t.c.code, t.c.successor_code, t.c.valid_from, t.c.share, t.c.basis).order_by(t.c.id))


def agency_successors(engine: Engine) -> pd.DataFrame:
    """Old agency → its successor(s) from a date, with the share (0 = some functions only) and what moved."""
    t = s.agency_successors
    return _frame(engine, select(t.c.code, t.c.successor_code, t.c.valid_from, t.c.share, t.c.note).order_by(t.c.id))


def reference_meta(engine: Engine) -> dict[str, str]:
    """What the reference tables were loaded from: province (served, its 2025 key), history_province, build."""
    t = s.reference_meta
    with engine.connect() as conn:
        return {k: v for k, v in conn.execute(select(t.c.key, t.c.value))}


def frames(engine: Engine, with_values: bool = True):  # noqa: ANN201 - analytics.frames.Frames
    """Everything the views read, in one object (`with_values=False`: every table but the indicator values, which
    the read models serve by slice: store.readmodels)."""
    return Frames(units=units(engine), parents=unit_parents(engine), agencies=agencies(engine), outputs=outputs(engine),
                  assignments=assignments(engine), reports=reports(engine), indicators=indicators(engine),
                  targets=targets(engine), values=values(engine, none=not with_values), par=par_scores(engine),
                  unit_successors=unit_successors(engine), agency_successors=agency_successors(engine),
                  meta=reference_meta(engine))
