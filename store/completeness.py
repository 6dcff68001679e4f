"""Who has to report in a quarter, and who did: the lead assignments live in a quarter and the
current progress reports for it. Read-only, SQLAlchemy Core, no streamlit."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, or_, select

from analytics import tasks as tk
from loaders.text import fold
from quarter import Quarter
from store import schema as s

# order of the completeness table: departments and district people's committees first
KIND_ORDER = {"department": 0, "district": 1, "provincial_other": 2, "district_office": 3, "commune": 4}


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    q = Quarter(year, quarter)
    return q.start, q.end


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before."""
    return Quarter(year, quarter).previous().astuple()


def agency_kind(kind: str, unit_level: str | None) -> str:
    """department | provincial_other | district | commune | district_office (people's committees split by level)."""
    if kind == "people_committee":
        return "commune" if unit_level == "commune" else "district" if unit_level == "district" else "provincial_other"
    return kind


def report_deadline(year: int, quarter: int) -> date:
    """The quarterly CCHC report is due before the 15th of the quarter's last month ("trước ngày 15 tháng cuối
    quý", seeds 000–002): a report uploaded on the 14th or earlier is on time."""
    return Quarter(year, quarter).end.replace(day=15)


def last_due_quarter(today: date) -> tuple[int, int]:
    """The latest quarter whose report deadline has passed (the completeness page opens on it)."""
    q = Quarter.of(today)
    while report_deadline(*q) > today:
        q = q.previous()
    return q.astuple()


def _rows(rows: list, columns: list[str]) -> pd.DataFrame:
    """A frame of result rows as plain tuples: given SQLAlchemy Rows, pandas probes each for attributes, and every
    probe of a Row raises and catches inside SQLAlchemy (a fifth of the completeness table's time)."""
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def _valid(col_from, col_to, first: date, last: date):  # noqa: ANN001, ANN202
    return (or_(col_from.is_(None), col_from <= last), or_(col_to.is_(None), col_to >= first))


def _lead_rows(engine: Engine, year: int, quarter: int, agency_codes: list[str] | None) -> pd.DataFrame:
    """Lead assignments of every plan started by `year` whose agency (and its unit) exists on the quarter's last
    day, with their output's deadline and due dates (one row per assignment, in plan and output order)."""
    _first, last = quarter_bounds(year, quarter)
    a, o, t, p, g, u, d = s.assignments, s.outputs, s.tasks, s.plans, s.agencies, s.units, s.output_due_dates
    stmt = (select(a.c.id.label("assignment_id"), o.c.id.label("output_id"), o.c.ref, o.c.text.label("output"),
                   o.c.deadline_text, o.c.deadline_kind, p.c.code.label("plan_code"), p.c.number.label("plan_number"),
                   p.c.title.label("plan_title"), a.c.agency_code, g.c.name.label("agency"), g.c.kind,
                   g.c.unit_code, u.c.name.label("unit"), u.c.level.label("unit_level"))
            .join_from(a, o, a.c.output_id == o.c.id).join(t, o.c.task_id == t.c.id).join(p, t.c.plan_id == p.c.id)
            .join(g, a.c.agency_code == g.c.code).join(u, g.c.unit_code == u.c.code)
            .where(a.c.role == "lead", p.c.period_from <= year, *_valid(g.c.valid_from, g.c.valid_to, last, last),
                   *_valid(u.c.valid_from, u.c.valid_to, last, last))
            .order_by(p.c.id, o.c.ord, a.c.agency_code))
    if agency_codes is not None:
        stmt = stmt.where(a.c.agency_code.in_(list(agency_codes)))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        df = _rows(result.all(), list(result.keys()))
        ids = sorted(set(df["output_id"])) if not df.empty else []
        dues: dict[int, list[date]] = {}
        if ids:
            for oid, due in conn.execute(select(d.c.output_id, d.c.due_date).where(d.c.output_id.in_(ids))):
                dues.setdefault(int(oid), []).append(due)
    df["due_dates"] = [tuple(sorted(dues.get(int(x), ()))) for x in df["output_id"]] if not df.empty else []
    return df


def _reports_up_to(engine: Engine, assignment_ids: list[int], year: int, quarter: int) -> pd.DataFrame:
    r = s.progress_reports
    cols = [r.c.assignment_id, r.c.year, r.c.quarter, r.c.status]
    if not assignment_ids:
        return pd.DataFrame(columns=[c.name for c in cols])
    stmt = select(*cols).where(r.c.is_current.is_(True), r.c.assignment_id.in_(assignment_ids),
                               r.c.year * 4 + r.c.quarter - 1 <= Quarter(year, quarter).index)  # Quarter.index in SQL
    with engine.connect() as conn:
        return _rows(conn.execute(stmt).all(), [c.name for c in cols])


def live_assignments(engine: Engine, year: int, quarter: int, agency_codes: list[str] | None = None) -> pd.DataFrame:
    """The expected lead-assignment reports of a quarter: every lead assignment of every plan that is due or still
    open in the quarter (a live occurrence not already done at the end of the quarter before), whose agency exists
    then. One row per assignment, in plan and output order; the pre-filled template lists exactly these."""
    rows = _lead_rows(engine, year, quarter, agency_codes)
    if rows.empty:
        rows["kind"] = rows["kind"] if "kind" in rows else []
        return rows.drop(columns=["due_dates", "deadline_kind"], errors="ignore")
    before_q = Quarter(year, quarter).previous()
    reps = _reports_up_to(engine, [int(x) for x in rows["assignment_id"]], year, quarter)
    base = rows[["assignment_id", "output_id", "agency_code", "deadline_kind", "due_dates"]].assign(role="lead")
    now = tk.task_status(base, reps, year, quarter)
    before = tk.task_status(base, reps[reps["year"] * 4 + reps["quarter"] - 1 <= before_q.index], *before_q)

    def keys(frame: pd.DataFrame) -> pd.Series:
        return frame["assignment_id"].astype(str) + "|" + frame["due_date"].map(lambda v: "" if pd.isna(v) else str(v))

    closed = set(keys(before[before["status"].isin(["done", "done_late"])]))
    open_now = now[~keys(now).isin(closed)]
    df = rows[rows["assignment_id"].isin(set(open_now["assignment_id"]))].drop(columns=["due_dates", "deadline_kind"])
    df = df.reset_index(drop=True)
    df["kind"] = [agency_kind(k, lv) for k, lv in zip(df["kind"], df["unit_level"])]
    return df


def template_rows(engine: Engine, agency_codes: list[str], year: int, quarter: int
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the pre-filled progress template of a quarter lists (exports.templates.progress_workbook): the live lead
    assignments of these agencies, and the previous quarter's current reports of those assignments."""
    rows = live_assignments(engine, year, quarter, list(agency_codes))
    before = Quarter(year, quarter).previous()
    prev = current_reports(engine, *before, rows["assignment_id"].tolist() if not rows.empty else [])
    return rows, prev


def current_reports(engine: Engine, year: int, quarter: int, assignment_ids: list[int] | None = None) -> pd.DataFrame:
    """Current progress reports of one quarter with the upload time of their batch and the reporting agency."""
    r, b, a = s.progress_reports, s.import_batches, s.assignments
    stmt = (select(r.c.assignment_id, r.c.status, r.c.percent, r.c.evidence, r.c.note, r.c.batch_id, b.c.uploaded_at,
                   a.c.agency_code)
            .join_from(r, b, r.c.batch_id == b.c.id).join(a, r.c.assignment_id == a.c.id)
            .where(r.c.is_current.is_(True), r.c.year == year, r.c.quarter == quarter))
    if assignment_ids is not None:
        stmt = stmt.where(r.c.assignment_id.in_(list(assignment_ids)))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return _rows(result.all(), list(result.keys()))


def quarterly_reporters(engine: Engine, year: int, quarter: int) -> pd.DataFrame:
    """Who must send the quarterly CCHC report: every department and other provincial body, and the people's
    committee of every district and commune, that exist on the quarter's last day (the map of that date)."""
    _first, last = quarter_bounds(year, quarter)
    g, u = s.agencies, s.units
    stmt = (select(g.c.code.label("agency_code"), g.c.name.label("agency"), g.c.kind, g.c.unit_code,
                   u.c.name.label("unit"), u.c.level.label("unit_level"))
            .join_from(g, u, g.c.unit_code == u.c.code)
            .where(g.c.kind.in_(["department", "provincial_other", "people_committee"]),
                   *_valid(g.c.valid_from, g.c.valid_to, last, last), *_valid(u.c.valid_from, u.c.valid_to, last, last)))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        df = _rows(result.all(), list(result.keys()))
    if df.empty:
        return df.assign(kind=[])
    inside = served_units(engine, last)
    df = df[df["unit_code"].isin(inside)]
    # the province's own people's committee receives the reports, it does not send one
    df = df[~((df["kind"] == "people_committee") & (df["unit_level"] == "province"))].reset_index(drop=True)
    df["kind"] = [agency_kind(k, lv) for k, lv in zip(df["kind"], df["unit_level"])]
    return df


def served_units(engine: Engine, on: date) -> set[str]:
    """The units of the province this database serves on a date, with everything below it: the province valid
    then, or, while several are (the three provinces before 01/07/2025), those that issued a plan."""
    u, p, pl = s.units, s.unit_parents, s.plans
    with engine.connect() as conn:
        provinces = [r[0] for r in conn.execute(select(u.c.code).where(u.c.level == "province",
                                                                       *_valid(u.c.valid_from, u.c.valid_to, on, on)))]
        links = conn.execute(select(p.c.code, p.c.parent_code).where(*_valid(p.c.valid_from, p.c.valid_to, on, on))).all()
        issuers = {r[0] for r in conn.execute(select(pl.c.issuer_unit_code).distinct()) if r[0]}
    up = {c: par for c, par in links}
    kids: dict[str, set[str]] = {}
    for c, par in links:
        kids.setdefault(par, set()).add(c)

    def province_of(code: str | None) -> str | None:
        seen = 0
        while code is not None and code not in provinces and seen < 6:
            code, seen = up.get(code), seen + 1
        return code if code in provinces else None

    chosen = set(provinces)
    if len(provinces) > 1:
        chosen = {province_of(c) for c in issuers} & set(provinces) or set(provinces)
    out, todo = set(chosen), list(chosen)
    while todo:
        for c in kids.get(todo.pop(), ()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


COLUMNS = ["agency_code", "agency", "kind", "unit_code", "unit", "quarterly", "assignments", "reported_n", "reported",
           "first_upload", "last_upload", "timeliness"]


def completeness(engine: Engine, year: int, quarter: int) -> pd.DataFrame:
    """The expected reports of a quarter as a data set (DHIS2's expected vs actual): one row per reporter, who is
    either expected to send the quarterly CCHC report (`quarterly`), or has lead assignments due or open in the
    quarter (`assignments`, of which `reported_n` have a current report), or did report. `reported`: any current
    report of the quarter from the agency; `timeliness`: on_time (first upload before the deadline), late, missing.
    Departments and district people's committees first, then by name."""
    quarterly = quarterly_reporters(engine, year, quarter)
    live = live_assignments(engine, year, quarter)
    reps = current_reports(engine, year, quarter)
    keys = ["agency_code", "agency", "kind", "unit_code", "unit"]
    who = pd.concat([quarterly[keys], live[keys]] if not live.empty else [quarterly[keys]], ignore_index=True)
    if not reps.empty:
        extra = reps[~reps["agency_code"].isin(set(who["agency_code"]))]["agency_code"].unique().tolist()
        if extra:
            g, u = s.agencies, s.units
            with engine.connect() as conn:
                res = conn.execute(select(g.c.code.label("agency_code"), g.c.name.label("agency"), g.c.kind, g.c.unit_code,
                                          u.c.name.label("unit"), u.c.level.label("unit_level"))
                                   .join_from(g, u, g.c.unit_code == u.c.code).where(g.c.code.in_(extra)))
                more = _rows(res.all(), list(res.keys()))
            more["kind"] = [agency_kind(k, lv) for k, lv in zip(more["kind"], more["unit_level"])]
            who = pd.concat([who, more[keys]], ignore_index=True)
    if who.empty:
        return pd.DataFrame(columns=COLUMNS)
    out = who.drop_duplicates("agency_code").reset_index(drop=True)
    out["quarterly"] = out["agency_code"].isin(set(quarterly["agency_code"]))
    n_live = live.groupby("agency_code").size() if not live.empty else pd.Series(dtype="int64")
    out["assignments"] = out["agency_code"].map(n_live).fillna(0).astype(int)
    done_ids = set(reps["assignment_id"]) if not reps.empty else set()
    n_rep = live[live["assignment_id"].isin(done_ids)].groupby("agency_code").size() if not live.empty \
        else pd.Series(dtype="int64")
    out["reported_n"] = out["agency_code"].map(n_rep).fillna(0).astype(int)
    first = reps.groupby("agency_code")["uploaded_at"].min() if not reps.empty else pd.Series(dtype=object)
    last_up = reps.groupby("agency_code")["uploaded_at"].max() if not reps.empty else pd.Series(dtype=object)
    out["first_upload"] = out["agency_code"].map(first)
    out["last_upload"] = out["agency_code"].map(last_up)
    out["reported"] = out["first_upload"].notna()
    deadline = report_deadline(year, quarter)
    out["timeliness"] = [("on_time" if pd.Timestamp(t).date() < deadline else "late") if ok else "missing"
                         for t, ok in zip(out["first_upload"], out["reported"])]
    out["_order"] = out["kind"].map(KIND_ORDER).fillna(9)
    out["_name"] = out["agency"].map(fold)
    out = out.sort_values(["_order", "_name"], kind="stable").reset_index(drop=True)
    return out[COLUMNS]


def rates(table: pd.DataFrame, by: str = "kind") -> pd.DataFrame:
    """Reporting rate per group of a completeness table (DHIS2's reporting rate and reporting rate on time):
    expected, reported, on time, late, missing, rate and on-time rate (NaN without expected reporters)."""
    cols = [by, "expected", "reported", "on_time", "late", "missing", "rate", "on_time_rate"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    t = table.assign(on_time=table["timeliness"] == "on_time", late=table["timeliness"] == "late",
                     missing=table["timeliness"] == "missing")
    g = t.groupby(by, sort=False).agg(expected=("agency_code", "size"), reported=("reported", "sum"),
                                      on_time=("on_time", "sum"), late=("late", "sum"), missing=("missing", "sum"))
    g = g.reset_index()
    g["rate"] = g["reported"] / g["expected"].where(g["expected"] > 0)
    g["on_time_rate"] = g["on_time"] / g["expected"].where(g["expected"] > 0)
    return g[cols]


def unit_rates(engine: Engine, table: pd.DataFrame, year: int, quarter: int) -> pd.DataFrame:
    """Reporting rate per district (or, on the 2025 map, per commune): the reporters seated in it or below it."""
    _first, last = quarter_bounds(year, quarter)
    u, p = s.units, s.unit_parents
    with engine.connect() as conn:
        units = _rows(conn.execute(select(u.c.code, u.c.name, u.c.level).where(
            *_valid(u.c.valid_from, u.c.valid_to, last, last))).all(), ["code", "name", "level"])
        links = _rows(conn.execute(select(p.c.code, p.c.parent_code).where(
            *_valid(p.c.valid_from, p.c.valid_to, last, last))).all(), ["code", "parent_code"])
    up = dict(zip(links["code"], links["parent_code"]))
    tops = set(units.loc[units["level"] == "district", "code"]) or set(units.loc[units["level"] == "commune", "code"])

    def top(code: object) -> object:
        seen = 0
        while code is not None and code not in tops and seen < 6:
            code, seen = up.get(code), seen + 1
        return code if code in tops else None

    t = table[table["quarterly"]].assign(top=table["unit_code"].map(top))
    t = t[t["top"].notna()]
    r = rates(t, "top")
    names = dict(zip(units["code"], units["name"]))
    return r.assign(unit=r["top"].map(names)).sort_values(["rate", "unit"], kind="stable").reset_index(drop=True)


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
    current = Quarter.of(today)
    latest = latest_report_quarter(engine)
    if latest is None:
        return current.previous().astuple()
    return min(Quarter(*latest).next(), current).astuple()



def successors(engine: Engine, code: str) -> tuple[date | None, list[str]]:
    """The day an agency's successors took over (None when it has none) and their names."""
    a, g = s.agency_successors, s.agencies
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.valid_from, g.c.name).join_from(a, g, a.c.successor_code == g.c.code)
                            .where(a.c.code == code, a.c.share > 0).order_by(a.c.valid_from, g.c.name)).all()
    return (rows[0][0] if rows else None), list(dict.fromkeys(r[1] for r in rows))
