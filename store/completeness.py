"""Who has to report in a quarter, and who did: the lead assignments live in a quarter and the
current progress reports for it. Read-only, SQLAlchemy Core, no streamlit."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, or_, select

from loaders.text import fold
from store import schema as s

# order of the completeness table: departments and district people's committees first
KIND_ORDER = {"department": 0, "district": 1, "provincial_other": 2, "district_office": 3, "commune": 4}


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before."""
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def agency_kind(kind: str, unit_level: str | None) -> str:
    """department | provincial_other | district | commune | district_office (people's committees split by level)."""
    if kind == "people_committee":
        return "commune" if unit_level == "commune" else "district" if unit_level == "district" else "provincial_other"
    return kind


def live_assignments(engine: Engine, year: int, quarter: int, agency_codes: list[str] | None = None) -> pd.DataFrame:
    """Lead assignments to report on in a quarter: the plan's period covers the year and the agency's
    unit exists in the quarter. One row per assignment, in plan and output order."""
    first, last = quarter_bounds(year, quarter)
    a, o, t, p, g, u = s.assignments, s.outputs, s.tasks, s.plans, s.agencies, s.units
    stmt = (select(a.c.id.label("assignment_id"), o.c.id.label("output_id"), o.c.ref, o.c.text.label("output"),
                   o.c.deadline_text, p.c.code.label("plan_code"), p.c.number.label("plan_number"),
                   p.c.title.label("plan_title"), a.c.agency_code, g.c.name.label("agency"), g.c.kind,
                   g.c.unit_code, u.c.name.label("unit"), u.c.level.label("unit_level"))
            .join_from(a, o, a.c.output_id == o.c.id).join(t, o.c.task_id == t.c.id).join(p, t.c.plan_id == p.c.id)
            .join(g, a.c.agency_code == g.c.code).join(u, g.c.unit_code == u.c.code)
            .where(a.c.role == "lead", p.c.period_from <= year, p.c.period_to >= year,
                   or_(u.c.valid_from.is_(None), u.c.valid_from <= last), or_(u.c.valid_to.is_(None), u.c.valid_to >= first))
            .order_by(p.c.id, o.c.ord, a.c.agency_code))
    if agency_codes is not None:
        stmt = stmt.where(a.c.agency_code.in_(list(agency_codes)))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        df = pd.DataFrame(result.all(), columns=list(result.keys()))
    df["kind"] = [agency_kind(k, lv) for k, lv in zip(df["kind"], df["unit_level"])] if not df.empty else df["kind"]
    return df


def current_reports(engine: Engine, year: int, quarter: int, assignment_ids: list[int] | None = None) -> pd.DataFrame:
    """Current progress reports of one quarter with the upload time of their batch."""
    r, b = s.progress_reports, s.import_batches
    stmt = (select(r.c.assignment_id, r.c.status, r.c.percent, r.c.evidence, r.c.note, r.c.batch_id, b.c.uploaded_at)
            .join_from(r, b, r.c.batch_id == b.c.id)
            .where(r.c.is_current.is_(True), r.c.year == year, r.c.quarter == quarter))
    if assignment_ids is not None:
        stmt = stmt.where(r.c.assignment_id.in_(list(assignment_ids)))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


COLUMNS = ["agency_code", "agency", "kind", "unit_code", "unit", "assignments", "reported_n", "reported", "last_upload"]


def completeness(engine: Engine, year: int, quarter: int) -> pd.DataFrame:
    """Per agency with lead assignments live in the quarter: kind, unit, number of assignments, number
    reported for the quarter (current reports), reported (at least one), last upload time of those
    reports. Departments and district people's committees first, then by name."""
    live = live_assignments(engine, year, quarter)
    if live.empty:
        return pd.DataFrame(columns=COLUMNS)
    reps = current_reports(engine, year, quarter)
    merged = live.merge(reps[["assignment_id", "uploaded_at"]], on="assignment_id", how="left")
    out = (merged.groupby(["agency_code", "agency", "kind", "unit_code", "unit"], sort=False)
           .agg(assignments=("assignment_id", "size"), reported_n=("uploaded_at", "count"),
                last_upload=("uploaded_at", "max")).reset_index())
    out["reported"] = out["reported_n"] > 0
    out["_order"] = out["kind"].map(KIND_ORDER).fillna(9)
    out["_name"] = out["agency"].map(fold)
    out = out.sort_values(["_order", "_name"], kind="stable").reset_index(drop=True)
    return out[COLUMNS]


def agency_codes_in_scope(engine: Engine, agencies: frozenset[str] | set[str], units: frozenset[str] | set[str]) -> list[str]:
    """Agency codes named directly or seated in one of the units (units already expanded downwards)."""
    g = s.agencies
    cond = [g.c.code.in_(sorted(agencies))] if agencies else []
    if units:
        cond.append(g.c.unit_code.in_(sorted(units)))
    if not cond:
        return []
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(g.c.code).where(or_(*cond)).order_by(g.c.code))]


def latest_report_quarter(engine: Engine) -> tuple[int, int] | None:
    """The latest quarter with current progress reports."""
    r = s.progress_reports
    with engine.connect() as conn:
        row = conn.execute(select(r.c.year, r.c.quarter).where(r.c.is_current.is_(True))
                           .order_by(r.c.year.desc(), r.c.quarter.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def report_quarter_for(engine: Engine, today: date) -> tuple[int, int]:
    """The quarter an editor reports next: the one after the latest reported, but never after the
    current quarter (and, with nothing reported yet, the quarter that just ended)."""
    current = (today.year, (today.month - 1) // 3 + 1)
    latest = latest_report_quarter(engine)
    if latest is None:
        return previous_quarter(*current)
    nxt = (latest[0] + (latest[1] == 4), latest[1] % 4 + 1)
    return min(nxt, current)

