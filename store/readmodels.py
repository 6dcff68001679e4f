"""Read models kept in the database: what the views read, maintained per batch when an import or a rollback
commits, so a view reads the slice it shows instead of deriving it from every stored value.

`rm_series` holds the value series of analytics.series.value_series: every current value with its time t, the
rates rolled up by level (numerator over denominator summed over the communes, on the hierarchy of each period),
the PAR INDEX derived values and the history of today's units carried forward from their predecessors. It is the
same for every quarter a view opens (value_series does not depend on the quarter), so it is kept once.

Maintenance (`refresh`, run by service.imports right after a change commits, under the import lock):
- the units fall into **clusters**: the units joined by parent links (at any time) and successor links. A roll-up
  or a carried value never crosses a cluster (a province and its communes; the three old provinces and the new
  Ninh Bình they became). National scale has one cluster per province;
- a batch of indicator values touches some (indicator, year, quarter) periods of some clusters. Only those rows
  are recomputed (from the current values of those periods in those clusters) and replaced: every step of the
  series is local to its period, the history carried to today's units included;
- a batch of anything else the series reads (PAR INDEX scores, indicator definitions) rebuilds every cluster, one
  at a time (memory bounded by the largest cluster, not by the data);
- plans and progress reports leave the series as it is.
`read_models` records the data version each read model reflects: a reader uses it only when it is the current
one (`series_if_fresh`), and a refresh that finds it behind (a change made by an older version of the
application, a refresh that failed) rebuilds.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Date, Engine, bindparam, delete, func, insert, select, text, tuple_

from analytics import series as sr
from analytics.frames import MAP_2025, Frames
from analytics import ranking_views as rv
from analytics import targets as tg
from analytics import task_views as tv
from analytics.rankings import RANK_COLUMNS
from analytics.tasks import STATUS_COLUMNS
from catalogue import FIRST_QUARTER
import settings
from quarter import Quarter
from store import queries as q
from store import schema as s
from store.tx import write_transaction

SERIES = "series"
STATUS = "task_status"
RANK = "rank"
TARGET = "target"
SERIES_COLUMNS = ("indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator", "t",
                  "source", "coverage")
WRITE_COLUMNS = (*SERIES_COLUMNS, "cluster")
EPS = 1e-9


@dataclass
class Refreshed:
    """What one refresh did."""

    mode: str  # "incremental" | "rebuild" | "unchanged"
    clusters: int = 0
    rows: int = 0
    seconds: float = 0.0
    version: str = ""
    periods: int = 0


# --- state ------------------------------------------------------------------------------------------------
def state(engine: Engine, name: str = SERIES) -> str | None:
    """The data version the read model reflects, or None when it was never built."""
    t = s.read_models
    with engine.connect() as conn:
        return conn.execute(select(t.c.data_version).where(t.c.name == name)).scalar()


def is_fresh(engine: Engine, version: str, name: str = SERIES) -> bool:
    return state(engine, name) == version


def _set_state(conn: Connection, name: str, version: str, mode: str, rows: int, seconds: float,
               quarters: tuple[int, int] | None = None) -> None:
    t = s.read_models
    conn.execute(delete(t).where(t.c.name == name))
    first, last = quarters or (None, None)
    conn.execute(insert(t).values(name=name, data_version=version, mode=mode, row_count=rows, seconds=seconds,
                                  built_at=datetime.now(), first_quarter=first, last_quarter=last))


def forget(conn: Connection) -> None:
    """Mark every read model as behind (the reference tables changed under the same data version): the views
    compute from the tables until the next refresh rebuilds them."""
    conn.execute(delete(s.read_models))


def last_mode(engine: Engine, name: str = SERIES) -> str | None:
    """How the last refresh went (rebuild, incremental, unchanged), or None when never built."""
    t = s.read_models
    with engine.connect() as conn:
        return conn.execute(select(t.c.mode).where(t.c.name == name)).scalar()


# --- clusters -----------------------------------------------------------------------------------------------
def clusters(f: Frames) -> dict[str, int]:
    """unit code → cluster number: units joined by parent links (at any time) and successor links."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for code in f.units["code"].astype(str):
        parent.setdefault(code, code)
    for a, b in zip(f.parents["code"].astype(str), f.parents["parent_code"].astype(str)):
        parent.setdefault(a, a), parent.setdefault(b, b)
        join(a, b)
    if not f.unit_successors.empty:
        pred_col, succ_col = _successor_columns(f.unit_successors)
        for a, b in zip(f.unit_successors[pred_col].astype(str), f.unit_successors[succ_col].astype(str)):
            parent.setdefault(a, a), parent.setdefault(b, b)
            join(a, b)
    roots = sorted({find(c) for c in parent})
    number = {r: i for i, r in enumerate(roots)}
    return {c: number[find(c)] for c in parent}


def served_units(f: Frames) -> list[str]:
    """The units of the served province's cluster: what the views show (its units of every map, with the ones its
    history came from); every unit when the reference names no served province."""
    return served_cluster(f) or sorted(clusters(f))


def served_cluster(f: Frames) -> list[str] | None:
    """The served province's cluster (sorted codes), or None when the reference names no served province."""
    cluster_of = clusters(f)
    served = sr.served_province(f)
    if served not in cluster_of:
        return None
    n = cluster_of[served]
    return sorted(c for c, k in cluster_of.items() if k == n)


def _successor_columns(links: pd.DataFrame) -> tuple[str, str]:
    cols = list(links.columns)
    pred = next(c for c in ("code", "unit_code", "predecessor_code") if c in cols)
    succ = next(c for c in ("successor_code", "successor") if c in cols)
    return pred, succ


# --- reading ------------------------------------------------------------------------------------------------
def _series_select():  # noqa: ANN202
    t = s.rm_series
    return select(*(t.c[c] for c in SERIES_COLUMNS))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes analytics.series.value_series gives (nullable quarter, float measures)."""
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("indicator_code", "unit_code", "source") else float)
                             for c in SERIES_COLUMNS})
    out = frame.copy()
    for c in ("value", "numerator", "denominator", "t", "coverage"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    out["year"] = out["year"].astype(int)
    quarter = pd.to_numeric(out["quarter"], errors="coerce").astype(float).to_numpy()
    known = ~np.isnan(quarter)
    kept = np.full(len(quarter), None, dtype=object)  # as the stored values come (ints, None for a whole year)
    kept[known] = quarter[known].astype(np.int64).tolist()
    out["quarter"] = pd.Series(kept, index=out.index, dtype=object)
    return out


def series(engine: Engine, units: Iterable[str] | None = None, indicators: Iterable[str] | None = None,
           through: float | None = None) -> pd.DataFrame:
    """Rows of the series: all of them, or those of some units / indicators, up to time `through`."""
    t = s.rm_series
    stmt = _series_select()
    if through is not None:
        stmt = stmt.where(t.c.t <= through + EPS)
    if indicators is not None:
        stmt = stmt.where(t.c.indicator_code.in_(sorted(set(indicators))))
    if units is None:
        return _typed(q.fast_frame(engine, stmt))
    codes = sorted(set(units))
    parts = [q.fast_frame(engine, stmt.where(t.c.unit_code.in_(codes[i:i + q.IN_CHUNK])))
             for i in range(0, len(codes), q.IN_CHUNK)]
    parts = [p for p in parts if not p.empty]
    return _typed(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame())


def cluster_series(engine: Engine, units: list[str], indicators: Iterable[str] | None = None) -> pd.DataFrame:
    """Every row of the cluster whose units are `units` (served_units), or its rows of some indicators: one index
    range, its rows written together."""
    t = s.rm_series
    stmt = _series_select().where(t.c.cluster == min(units))
    if indicators is not None:
        stmt = stmt.where(t.c.indicator_code.in_(sorted(set(indicators))))
    return _typed(q.fast_frame(engine, stmt))


def series_if_fresh(engine: Engine, version: str, units: Iterable[str] | None = None,
                    whole_cluster: bool = False, indicators: Iterable[str] | None = None) -> pd.DataFrame | None:
    """The series (or some units' or indicators' rows of it) when the read model reflects `version`, else None
    (the caller computes it). `whole_cluster`: `units` are a whole cluster (served_units), read by its key. The
    state is read before and after the rows: a refresh commits rows and state together, so an unchanged state
    means the rows are those of `version`."""
    if not is_fresh(engine, version):
        return None
    rows = (cluster_series(engine, list(units), indicators) if whole_cluster and units
            else series(engine, units, indicators))
    return rows if is_fresh(engine, version) else None


# --- computing ----------------------------------------------------------------------------------------------
def _values_of(conn: Connection, units: list[str], periods: list[tuple[str, int, int | None]] | None,
               indicators: list[str] | None = None) -> pd.DataFrame:
    """Current values of some units, for some (indicator, year, quarter) periods or for all of them. `indicators`
    (every code): named so the value key's index (indicator, unit, …) serves the lookup; the unit alone would scan
    the whole table once per cluster."""
    v = s.indicator_values
    cols = (v.c.indicator_code, v.c.unit_code, v.c.year, v.c.quarter, v.c.value, v.c.numerator, v.c.denominator)
    parts = []
    for i in range(0, len(units), q.IN_CHUNK):
        stmt = select(*cols).where(v.c.is_current.is_(True), v.c.unit_code.in_(units[i:i + q.IN_CHUNK]))
        if indicators is not None and periods is None:
            stmt = stmt.where(v.c.indicator_code.in_(indicators))
        if periods is not None:
            keys = sorted({(c, y, 0 if qq is None else qq) for c, y, qq in periods})
            stmt = stmt.where(tuple_(v.c.indicator_code, v.c.year, func.coalesce(v.c.quarter, 0))
                              .in_(bindparam("keys", keys, expanding=True)))
        rows = q.fetch_rows(conn, stmt)
        if rows:
            parts.append(pd.DataFrame(rows, columns=[c.name for c in cols]))
    if not parts:
        return pd.DataFrame({c.name: pd.Series(dtype=object) for c in cols})
    out = pd.concat(parts, ignore_index=True)
    out["quarter"] = pd.to_numeric(out["quarter"], errors="coerce").astype("Int64")
    for c in ("value", "numerator", "denominator"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


def _compute(f: Frames, values: pd.DataFrame, units: set[str],
             periods: set[tuple[str, int, int | None]] | None) -> pd.DataFrame:
    """value_series over the given values (those of one cluster), limited to the cluster's units and periods."""
    sub = Frames(**{**{k: getattr(f, k) for k in f.__dataclass_fields__}, "values": values})
    out = sr.value_series(sub, MAP_2025)
    if out.empty:
        return out
    out = out[out["unit_code"].astype(str).isin(units)]
    if periods is not None:
        qq = [None if pd.isna(x) else int(x) for x in out["quarter"]]
        keep = [(c, int(y), x) in periods for c, y, x in zip(out["indicator_code"], out["year"], qq)]
        out = out[np.asarray(keep, dtype=bool)]
    return out


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows to write, column by column in SERIES_COLUMNS order: codes as text, the quarter as an integer or
    missing, the measures as floats (NaN for none)."""
    n = len(frame)
    cols = {c: frame[c] if c in frame.columns else pd.Series(np.nan, index=frame.index) for c in SERIES_COLUMNS}
    out = pd.DataFrame({
        "indicator_code": cols["indicator_code"].astype(str).to_numpy(),
        "unit_code": cols["unit_code"].astype(str).to_numpy(),
        "year": pd.to_numeric(cols["year"]).astype(int).to_numpy(),
        "quarter": pd.array(pd.to_numeric(cols["quarter"], errors="coerce"), dtype="Int64"),
        **{c: pd.to_numeric(cols[c], errors="coerce").astype(float).to_numpy()
           for c in ("value", "numerator", "denominator", "t")},
        "source": cols["source"].astype(str).to_numpy(),
        "coverage": pd.to_numeric(cols["coverage"], errors="coerce").astype(float).to_numpy(),
    }, index=range(n))
    return out


def _write(conn: Connection, frame: pd.DataFrame, cluster: str) -> int:
    """Append rows of one cluster (its key: its smallest unit code) to rm_series: COPY on PostgreSQL, executemany
    on SQLite. Returns how many."""
    if frame.empty:
        return 0
    rows = _prepared(frame).assign(cluster=cluster)
    if conn.dialect.name == "postgresql":
        body = rows.to_csv(sep="\t", header=False, index=False, na_rep="\\N", float_format="%.17g")
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY rm_series ({', '.join(WRITE_COLUMNS)}) FROM STDIN") as copy:
            copy.write(body)
        return len(rows)
    obj = rows.astype(object)
    obj = obj.where(rows.notna(), None)
    conn.connection.driver_connection.executemany(
        f"INSERT INTO rm_series ({', '.join(WRITE_COLUMNS)}) VALUES ({', '.join('?' * len(WRITE_COLUMNS))})",
        list(obj.itertuples(index=False, name=None)))
    return len(rows)


def _bulk(conn: Connection, table, frame: pd.DataFrame) -> int:  # noqa: ANN001 - a Table
    """Append the rows of `frame` (columns named as the table's) to a read-model table: COPY on PostgreSQL,
    executemany on SQLite, missing values (NaN, NA, NaT) as NULL. Returns how many."""
    if frame.empty:
        return 0
    cols = list(frame.columns)
    obj = frame.astype(object).where(frame.notna(), None)
    raw = conn.connection.driver_connection
    if conn.dialect.name != "postgresql":  # dates as SQLAlchemy keeps them on SQLite (ISO text)
        for c in cols:
            if isinstance(table.c[c].type, Date):
                obj[c] = [None if d is None else d.isoformat() for d in obj[c]]
    rows = list(obj.itertuples(index=False, name=None))
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        raw.executemany(f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
    return len(rows)


def _delete(conn: Connection, units: list[str], periods: list[tuple[str, int, int | None]] | None) -> None:
    t = s.rm_series
    for i in range(0, len(units), q.IN_CHUNK):
        stmt = delete(t).where(t.c.unit_code.in_(units[i:i + q.IN_CHUNK]))
        if periods is not None:
            keys = sorted({(c, y, 0 if qq is None else qq) for c, y, qq in periods})
            stmt = stmt.where(tuple_(t.c.indicator_code, t.c.year, func.coalesce(t.c.quarter, 0))
                              .in_(bindparam("keys", keys, expanding=True)))
        conn.execute(stmt)


_SHARED: ContextVar[Frames | None] = ContextVar("readmodels_frames", default=None)


def _frames_without_values(engine: Engine) -> Frames:
    """Every table but the values: read once per refresh (`refresh`, `rebuild_all` share it with every read model
    they bring up to date, all under the import lock), else read now."""
    shared = _SHARED.get()
    return shared if shared is not None else q.frames(engine, with_values=False)


@contextmanager
def _one_read(engine: Engine) -> Iterator[None]:
    token = _SHARED.set(q.frames(engine, with_values=False))
    try:
        yield
    finally:
        _SHARED.reset(token)


@dataclass(frozen=True)
class Touched:
    """What some batches wrote that the series reads: (unit, indicator, year, quarter) rows of values, and whether
    they changed anything else it reads (PAR INDEX scores, indicator definitions). Read before a rollback, which
    deletes the rows that say so."""

    values: pd.DataFrame
    other: bool
    progress: pd.DataFrame = field(default_factory=pd.DataFrame)  # (assignment_id, year, quarter) of reports
    plans: bool = False  # the batches brought plans (their assignments, outputs, due dates)
    par: bool = False  # the batches brought PAR INDEX scores
    plan_assignments: frozenset[int] = frozenset()  # the assignments of those plans
    targets: bool = False  # the batches brought targets (an indicator catalogue)


def touched(engine: Engine, batch_ids: list[int]) -> Touched:
    with engine.connect() as conn:
        values, other = _touched(conn, batch_ids)
        r = s.progress_reports
        progress = pd.DataFrame(conn.execute(select(r.c.assignment_id, r.c.year, r.c.quarter).distinct()
                                             .where(r.c.batch_id.in_(batch_ids))).all(),
                                columns=["assignment_id", "year", "quarter"])
        plans = bool(conn.execute(select(func.count()).select_from(s.plans)
                                  .where(s.plans.c.batch_id.in_(batch_ids))).scalar())
        par = bool(conn.execute(select(func.count()).select_from(s.par_scores)
                                .where(s.par_scores.c.batch_id.in_(batch_ids))).scalar())
        a, o, t, p = s.assignments, s.outputs, s.tasks, s.plans
        mine = frozenset(int(x) for (x,) in conn.execute(
            select(a.c.id).join(o, o.c.id == a.c.output_id).join(t, t.c.id == o.c.task_id)
            .join(p, p.c.id == t.c.plan_id).where(p.c.batch_id.in_(batch_ids)))) if plans else frozenset()
        targets = bool(conn.execute(select(func.count()).select_from(s.targets)
                                    .where(s.targets.c.batch_id.in_(batch_ids))).scalar())
    return Touched(values, other, progress, plans, par, mine, targets)


def _touched(conn: Connection, batch_ids: list[int]) -> tuple[pd.DataFrame, bool]:
    v = s.indicator_values
    rows = conn.execute(select(v.c.unit_code, v.c.indicator_code, v.c.year, v.c.quarter).distinct()
                        .where(v.c.batch_id.in_(batch_ids))).all()
    other = False
    for table in (s.par_scores, s.indicator_versions):
        if conn.execute(select(func.count()).select_from(table).where(table.c.batch_id.in_(batch_ids))).scalar():
            other = True
    return pd.DataFrame(rows, columns=["unit_code", "indicator_code", "year", "quarter"]), other


def rebuild(engine: Engine, version: str | None = None) -> Refreshed:
    """Rebuild the series from the current values, one cluster at a time, in one transaction."""
    started = time.perf_counter()
    f = _frames_without_values(engine)
    groups = _members(clusters(f))
    total = 0
    with write_transaction(engine) as conn:
        version = version or q.data_version_on(conn)
        conn.execute(delete(s.rm_series))
        codes = sorted({str(c) for c in f.indicators["code"]})
        for units in groups:
            total += _write(conn, _compute(f, _values_of(conn, units, None, codes), set(units), None), units[0])
        seconds = time.perf_counter() - started
        _set_state(conn, SERIES, version, "rebuild", total, seconds, (None, _latest_value_index(conn)))
    return Refreshed("rebuild", len(groups), total, time.perf_counter() - started, version)


def _latest_value_index(conn: Connection) -> int | None:
    """The latest quarter (Quarter.index) with a current quarterly value: kept with the series' state, so a view
    does not scan every value to find the quarter it opens on."""
    v = s.indicator_values
    return conn.execute(select(func.max(v.c.year * 4 + v.c.quarter - 1))
                        .where(v.c.is_current.is_(True), v.c.quarter.is_not(None))).scalar()


def latest_value_quarter(engine: Engine, version: str) -> tuple[int, int] | None | bool:
    """(year, quarter) of the latest quarterly value when the series reflects `version`; None when there is no
    quarterly value; False when the series does not reflect `version` (the caller asks the tables)."""
    t = s.read_models
    with engine.connect() as conn:
        row = conn.execute(select(t.c.data_version, t.c.last_quarter).where(t.c.name == SERIES)).first()
    if row is None or row[0] != version:
        return False
    return None if row[1] is None else Quarter.from_index(int(row[1])).astuple()


class _Behind(Exception):  # noqa: N818 - control flow inside this module only
    """Another change committed between the one being refreshed and its refresh: rebuild instead."""


def _only_ours(conn: Connection, before: str, batch_ids: list[int]) -> None:
    """Raise _Behind unless the data version now is `before` changed by `batch_ids` alone (imported, or rolled
    back): a per-batch refresh must not claim a version whose other changes it did not apply. Called under the
    import lock, inside the refresh's transaction."""
    b = s.import_batches
    top, count, rolled, _last = before.split(":", 3)
    rows = conn.execute(select(b.c.id, b.c.rolled_back_at).where(b.c.id.in_(batch_ids))).all()
    if len(rows) != len(set(batch_ids)):
        raise _Behind()
    undone = [r[1] for r in rows if r[1] is not None]
    if not undone:
        expected = f"{max(batch_ids)}:{int(count) + len(rows)}:{rolled}:{_last}"
    elif len(undone) == len(rows):
        expected = f"{top}:{count}:{int(rolled) + len(rows)}:{max(undone)}"
    else:
        raise _Behind()
    if q.data_version_on(conn) != expected:
        raise _Behind()


def _members(cluster_of: dict[str, int]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for code, n in cluster_of.items():
        groups.setdefault(n, []).append(code)
    return [sorted(g) for _n, g in sorted(groups.items())]


def refresh(engine: Engine, before: str | None, batch_ids: list[int], change: Touched | None = None,
            ) -> dict[str, Refreshed]:
    """Bring every read model to the current data version after `batch_ids` were imported or rolled back, from
    `before`, the version just before that change (see refresh_series and refresh_status)."""
    change = change or (touched(engine, batch_ids) if batch_ids else None)
    with _one_read(engine):
        return {SERIES: refresh_series(engine, before, batch_ids, change),
                STATUS: refresh_status(engine, before, batch_ids, change),
                RANK: refresh_rank(engine, before, batch_ids, change),
                TARGET: refresh_target(engine, before, batch_ids, change)}  # after the series it reads


def rebuild_all(engine: Engine) -> dict[str, Refreshed]:
    """Rebuild every read model from the tables."""
    with _one_read(engine):
        return {SERIES: rebuild(engine), STATUS: rebuild_status(engine), RANK: rebuild_rank(engine),
                TARGET: rebuild_target(engine)}


def refresh_series(engine: Engine, before: str | None, batch_ids: list[int], change: Touched | None = None,
                   ) -> Refreshed:
    """Bring the series to the current data version after `batch_ids` were imported or rolled back, when it
    reflected `before` (the version just before that change); anything else rebuilds. `change`: what the batches
    touched, read before a rollback (an import's rows are still there to read)."""
    if not batch_ids or before is None or state(engine) != before:
        return rebuild(engine)
    started = time.perf_counter()
    change = change or touched(engine, batch_ids)
    touched_rows, other = change.values.copy(), change.other
    if other:
        return rebuild(engine)
    if touched_rows.empty:
        try:
            with write_transaction(engine) as conn:
                _only_ours(conn, before, batch_ids)
                version = q.data_version_on(conn)
                _set_state(conn, SERIES, version, "unchanged", 0, time.perf_counter() - started,
                           (None, _latest_value_index(conn)))
        except _Behind:
            return rebuild(engine)
        return Refreshed("unchanged", version=version, seconds=time.perf_counter() - started)
    f = _frames_without_values(engine)
    cluster_of = clusters(f)
    groups = _members(cluster_of)
    touched_rows["quarter"] = [None if pd.isna(x) else int(x) for x in touched_rows["quarter"]]
    touched_rows["cluster"] = touched_rows["unit_code"].astype(str).map(cluster_of)
    if touched_rows["cluster"].isna().any():  # a unit the reference data does not hold: rebuild to be safe
        return rebuild(engine)
    try:
        version = _series_incremental(engine, before, batch_ids, f, touched_rows, groups)
    except _Behind:
        return rebuild(engine)
    return Refreshed("incremental", touched_rows["cluster"].nunique(), _last_rows(engine, SERIES),
                     time.perf_counter() - started, version, len(touched_rows))


def _last_rows(engine: Engine, name: str) -> int:
    t = s.read_models
    with engine.connect() as conn:
        return int(conn.execute(select(t.c.row_count).where(t.c.name == name)).scalar() or 0)


def _series_incremental(engine: Engine, before: str, batch_ids: list[int], f: Frames, touched_rows: pd.DataFrame,
                        groups: list[list[str]]) -> str:
    """The incremental refresh of the series, in one transaction; returns the version it reflects."""
    started = time.perf_counter()
    total = 0
    with write_transaction(engine) as conn:
        _only_ours(conn, before, batch_ids)
        version = q.data_version_on(conn)
        for n, part in touched_rows.groupby("cluster"):
            units = groups[int(n)]
            # every step of the series is local to its period (the roll-ups, the history carried to today's units,
            # a district's stand-in for its old province), so a period carried forward is recomputed alone too
            periods = {(str(c), int(y), qq) for c, y, qq in zip(part["indicator_code"], part["year"], part["quarter"])}
            periods_arg = sorted(periods, key=lambda p: (p[0], p[1], p[2] or 0))
            _delete(conn, units, periods_arg)
            values = _values_of(conn, units, periods_arg, sorted({str(c) for c in f.indicators["code"]}))
            total += _write(conn, _compute(f, values, set(units), None if periods_arg is None else set(periods_arg)),
                            units[0])
        seconds = time.perf_counter() - started
        _set_state(conn, SERIES, version, "incremental", total, seconds, (None, _latest_value_index(conn)))
    return version


def analyze(engine: Engine) -> None:
    """Fresh planner statistics after a big build (PostgreSQL; SQLite's planner does without)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE rm_series"))


# --- task status per occurrence and quarter ---------------------------------------------------------------------
STATUS_WRITE = ("year", "quarter", "assignment_id", "output_id", "agency_code", "role", "due_date", "status", "percent",
                "evidence", "reported")


def _status_range(conn: Connection) -> tuple[int, int]:
    """(first, last) quarter index kept: the first quarter of the plans, through the later of the last closed
    quarter and the last one with a progress report."""
    r = s.progress_reports
    last = Quarter.of(settings.today()).previous().index
    row = conn.execute(select(func.max(r.c.year * 4 + r.c.quarter - 1)).where(r.c.is_current.is_(True))).scalar()
    return Quarter(*FIRST_QUARTER).index, max(last, int(row)) if row is not None else last


def _quarter_state(engine: Engine, name: str = STATUS) -> tuple[str | None, int | None, int | None]:
    """(data version, first quarter index, last quarter index) a read model of quarters holds."""
    t = s.read_models
    with engine.connect() as conn:
        row = conn.execute(select(t.c.data_version, t.c.first_quarter, t.c.last_quarter)
                           .where(t.c.name == name)).first()
    return (row[0], row[1], row[2]) if row else (None, None, None)


def _write_status(conn: Connection, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    due = [None if d is None or d is pd.NaT or (not isinstance(d, (str, bytes)) and pd.isna(d))
           else (d.date() if isinstance(d, datetime) else d) for d in frame["due_date"]]
    rows = frame[list(STATUS_WRITE)].assign(due_date=pd.Series(due, index=frame.index, dtype=object))
    return _bulk(conn, s.rm_task_status, rows.astype({"agency_code": str, "role": str, "status": str,
                                                     "reported": bool}))


def rebuild_status(engine: Engine) -> Refreshed:
    """Every quarter's occurrence statuses from the tables, in one transaction."""
    started = time.perf_counter()
    f = _frames_without_values(engine)
    base = tv.task_base(f)
    total = 0
    with write_transaction(engine) as conn:
        version = q.data_version_on(conn)
        first, last = _status_range(conn)
        conn.execute(delete(s.rm_task_status))
        for index in range(first, last + 1):
            qq = Quarter.from_index(index)
            total += _write_status(conn, tv.occurrence_status(f, qq.year, qq.quarter, base))
        _set_state(conn, STATUS, version, "rebuild", total, time.perf_counter() - started, (first, last))
    return Refreshed("rebuild", 0, total, time.perf_counter() - started, version, last - first + 1)


def refresh_status(engine: Engine, before: str | None, batch_ids: list[int], change: Touched | None = None,
                   ) -> Refreshed:
    """After `batch_ids`: the occurrences of the assignments their progress reports touched are recomputed from
    the first quarter a report touched on (a status carries forward); a plan's assignments for every quarter (their
    due dates), and the rows of assignments that no longer exist (a plan rolled back) dropped; the quarters that
    closed since the last refresh are added whole; anything else leaves the table as it is."""
    kept, first, last = _quarter_state(engine)
    if not batch_ids or before is None or kept != before or change is None or first is None:
        return rebuild_status(engine)
    with engine.connect() as conn:
        if _status_range(conn)[0] != first:  # the first quarter moved (a new catalogue): every quarter again
            return rebuild_status(engine)
    started = time.perf_counter()
    f = _frames_without_values(engine)
    base = tv.task_base(f)
    try:
        with write_transaction(engine) as conn:
            _only_ours(conn, before, batch_ids)
            version, mode, total = _status_incremental(conn, change, f, base, first, last, started)
    except _Behind:
        return rebuild_status(engine)
    return Refreshed(mode, 0, total, time.perf_counter() - started, version)


def _status_incremental(conn: Connection, change: Touched, f: Frames, base: pd.DataFrame, first: int, last: int,
                        started: float) -> tuple[str, str, int]:
    """The incremental refresh of the task status inside the caller's transaction: (version, mode, rows)."""
    total = 0
    version = q.data_version_on(conn)
    _lo, hi = _status_range(conn)
    if change.plans:  # assignments a plan's rollback (or a newer version of the plan) removed
        conn.execute(delete(s.rm_task_status).where(
            s.rm_task_status.c.assignment_id.not_in(select(s.assignments.c.id))))
    reports = change.progress
    ids = {int(a) for a in reports["assignment_id"]} if not reports.empty else set()
    since = min((Quarter.index_of(int(y), int(qq)) for y, qq in zip(reports["year"], reports["quarter"])),
                default=hi + 1) if not reports.empty else hi + 1
    if change.plan_assignments:  # a plan's assignments: every quarter (a status is derived from its due dates)
        ids |= set(change.plan_assignments)
        since = first
    if ids:
        id_list = sorted(ids)
        for index in range(max(since, first), min(last, hi) + 1):
            qq = Quarter.from_index(index)
            t = s.rm_task_status
            for i in range(0, len(id_list), q.IN_CHUNK):
                conn.execute(delete(t).where(t.c.year == qq.year, t.c.quarter == qq.quarter,
                                             t.c.assignment_id.in_(id_list[i:i + q.IN_CHUNK])))
            total += _write_status(conn, tv.occurrence_status(f, qq.year, qq.quarter, base, ids))
    for index in range(last + 1, hi + 1):  # quarters closed (or first reported) since
        qq = Quarter.from_index(index)
        total += _write_status(conn, tv.occurrence_status(f, qq.year, qq.quarter, base))
    mode = "incremental" if total or ids or change.plans else "unchanged"
    _set_state(conn, STATUS, version, mode, total, time.perf_counter() - started, (first, hi))
    return version, mode, total


def status_if_fresh(engine: Engine, version: str, year: int, quarter: int) -> pd.DataFrame | None:
    """One quarter's occurrence statuses (analytics.tasks.STATUS_COLUMNS, the same dtypes) when the read model
    reflects `version` and holds that quarter, else None (the caller computes them)."""
    kept, first, last = _quarter_state(engine)
    if kept != version or first is None or not first <= Quarter.index_of(year, quarter) <= last:
        return None
    t = s.rm_task_status
    with engine.connect() as conn:  # through the driver's cursor: dates come as text on SQLite, parsed once each
        rows = q.fetch_rows(conn, select(*(t.c[c] for c in STATUS_COLUMNS))
                      .where(t.c.year == year, t.c.quarter == quarter).order_by(t.c.id))
    if _quarter_state(engine)[0] != version:
        return None
    cols = list(zip(*rows)) if rows else [()] * len(STATUS_COLUMNS)
    at = {c: i for i, c in enumerate(STATUS_COLUMNS)}
    dates: dict[object, object] = {}
    for d in set(cols[at["due_date"]]):
        dates[d] = pd.NaT if d is None else (date.fromisoformat(d) if isinstance(d, str) else d)
    out = pd.DataFrame({c: list(cols[at[c]]) for c in STATUS_COLUMNS if c not in ("due_date", "evidence")})
    out["due_date"] = pd.Series([dates[d] for d in cols[at["due_date"]]], index=out.index, dtype=object)
    out["evidence"] = pd.Series(list(cols[at["evidence"]]), index=out.index, dtype=object)
    out = out[STATUS_COLUMNS]
    out["percent"] = pd.to_numeric(out["percent"], errors="coerce").astype("float64")
    out["reported"] = out["reported"].astype(bool)
    for c in ("year", "quarter", "assignment_id", "output_id"):
        out[c] = out[c].astype("int64")
    return out


# --- PAR INDEX rank tables --------------------------------------------------------------------------------------
RANK_WRITE = ("subject_code", "parent_code", "score", "max_score", "pct", "rank", "n", "group", "prev_rank",
              "prev_score", "rank_change", "score_change")


def _rank_tables(f: Frames) -> list[tuple[int, str, str | None, pd.DataFrame]]:
    """Every rank table the views can open: each year and subject kind, and the communes within each parent."""
    par = rv.par_with_parents(f.par, f.parents)
    if par.empty:
        return []
    out = []
    for (year, kind), part in par.groupby(["year", "subject_kind"]):
        parents = [None] + (sorted({str(p) for p in part["parent_code"].dropna()}) if kind == "commune" else [])
        # a ranking reads its kind's scores of its year and the year before (the change): the rest is left out
        near = par[(par["subject_kind"] == kind) & par["year"].isin([int(year), int(year) - 1])]
        whole = rv.rank_table_for(near, int(year), str(kind), None)
        out.append((int(year), str(kind), None, whole))
        for parent in parents[1:]:
            # communes are ranked within their parent: the parent's table is its rows of the whole one, unless a
            # commune's parent changed since the year before (the change is then against its parent's peers only)
            mine = near[near["parent_code"] == parent]
            moved = set(mine.loc[mine["year"] == int(year) - 1, "subject_code"]) != set(
                near.loc[(near["year"] == int(year) - 1) & near["subject_code"].isin(
                    mine.loc[mine["year"] == int(year), "subject_code"]), "subject_code"])
            out.append((int(year), str(kind), parent, rv.rank_table_for(mine, int(year), str(kind), parent) if moved
                        else whole[whole["parent_code"] == parent].reset_index(drop=True)))
    return out


def rebuild_rank(engine: Engine) -> Refreshed:
    """Every rank table from the PAR INDEX scores, in one transaction."""
    started = time.perf_counter()
    f = _frames_without_values(engine)
    tables = _rank_tables(f)
    total = 0
    with write_transaction(engine) as conn:
        version = q.data_version_on(conn)
        conn.execute(delete(s.rm_rank))
        parts = [table[list(RANK_WRITE)].rename(columns={"group": "group_code"}).assign(
                     year=year, kind=kind, parent=parent or "", position=range(len(table)))
                 for year, kind, parent, table in tables if not table.empty]
        if parts:
            rows = pd.concat(parts, ignore_index=True)
            rows["subject_code"] = rows["subject_code"].astype(str)
            total = _bulk(conn, s.rm_rank, rows)
        _set_state(conn, RANK, version, "rebuild", total, time.perf_counter() - started)
    return Refreshed("rebuild", 0, total, time.perf_counter() - started, version, len(tables))


def refresh_rank(engine: Engine, before: str | None, batch_ids: list[int], change: Touched | None = None,
                 ) -> Refreshed:
    """After `batch_ids`: PAR INDEX scores rebuild the rank tables (a few thousand rows); anything else leaves them."""
    if not batch_ids or before is None or state(engine, RANK) != before or change is None or change.par:
        return rebuild_rank(engine)
    started = time.perf_counter()
    try:
        with write_transaction(engine) as conn:
            _only_ours(conn, before, batch_ids)
            version = q.data_version_on(conn)
            _set_state(conn, RANK, version, "unchanged", 0, time.perf_counter() - started)
    except _Behind:
        return rebuild_rank(engine)
    return Refreshed("unchanged", version=version, seconds=time.perf_counter() - started)


def rank_if_fresh(engine: Engine, version: str, year: int, kind: str, parent: str | None) -> pd.DataFrame | None:
    """One rank table (analytics.rankings.RANK_COLUMNS, the same dtypes) when the read model reflects `version` and
    holds it, else None (the caller computes it: an empty ranking is not kept)."""
    if state(engine, RANK) != version:
        return None
    t = s.rm_rank
    cols = [t.c.subject_code, t.c.parent_code, t.c.score, t.c.max_score, t.c.pct, t.c.rank, t.c.n, t.c.group_code,
            t.c.prev_rank, t.c.prev_score, t.c.rank_change, t.c.score_change]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).where(t.c.year == year, t.c.kind == kind, t.c.parent == (parent or ""))
                            .order_by(t.c.position)).all()
    if not rows or state(engine, RANK) != version:
        return None
    out = pd.DataFrame([list(r) for r in rows], columns=RANK_COLUMNS)
    out["parent_code"] = pd.Series([r[1] for r in rows], dtype=object)
    out["group"] = pd.Series([r[7] for r in rows], dtype=object)
    for c in ("score", "max_score", "pct", "prev_score", "score_change"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for c in ("rank", "n", "prev_rank", "rank_change"):
        out[c] = pd.array([None if x is None else int(x) for x in out[c].astype(object).where(out[c].notna(), None)],
                          dtype="Int64")
    return out


# --- target assessments per quarter -------------------------------------------------------------------------------
def served_series(engine: Engine, version: str, f: Frames, indicators: Iterable[str] | None = None) -> pd.DataFrame:
    """The series of the served province's units (its cluster: the units its roll-ups and carried history join),
    or its rows of some indicators, from the read model when it reflects `version`, else computed from the tables
    (`f`, with or without values)."""
    cluster = served_cluster(f)
    units = cluster or served_units(f)
    kept = series_if_fresh(engine, version, units=cluster, whole_cluster=cluster is not None, indicators=indicators)
    if kept is not None:
        return kept
    if f.values.empty:  # the read model moved on since the tables were read without values: read them now
        f = dataclasses.replace(f, values=q.values(engine, units=units))
    out = sr.value_series(f, MAP_2025)
    if out.empty:
        return out
    keep = out["unit_code"].astype(str).isin(units)
    if indicators is not None:
        keep &= out["indicator_code"].astype(str).isin(set(indicators))
    return out[keep].reset_index(drop=True)


def _target_range_of(engine: Engine, version: str) -> tuple[int, int]:
    """(first, last) quarter index assessed: those of the task status, through the last quarter with a value (kept
    with the series' state when it reflects `version`: no scan of every value)."""
    kept = latest_value_quarter(engine, version)
    with engine.connect() as conn:
        first, last = _status_range(conn)
        latest = _latest_value_index(conn) if kept is False else (None if kept is None else Quarter(*kept).index)
    return first, max(last, latest if latest is not None else last)


def _assessments(engine: Engine, version: str, f: Frames, first: int, last: int,
                 indicators: set[str] | None = None) -> pd.DataFrame:
    """Every current target (or those of some indicators: an assessment reads its own indicator's series only)
    assessed at the end of each quarter from `first` to `last`: the rows to write. Read outside the write
    transaction (on SQLite every transaction takes the write lock)."""
    if indicators is not None:
        f = dataclasses.replace(f, targets=f.targets[f.targets["indicator_code"].astype(str).isin(indicators)])
    if first > last or f.targets.empty:
        return pd.DataFrame()
    pieces = sr.subject_values(served_series(engine, version, f, sorted({str(c) for c in f.targets["indicator_code"]})),
                               f.units)
    quarters = [Quarter.from_index(i).astuple() for i in range(first, last + 1)]
    parts = [res.assign(year=y, quarter=qq) for (y, qq), res in zip(quarters, tg.assess_quarters(f, quarters, pieces))]
    rows = pd.concat(parts, ignore_index=True).rename(columns={"id": "target_id"})
    rows["status"] = rows["status"].astype(str)
    return rows[["year", "quarter", "target_id", *tg.ASSESSED]]


def rebuild_target(engine: Engine) -> Refreshed:
    """Every quarter's target assessments from the series (the read model when fresh), in one transaction. The
    state names the version the assessments were made from (a change committed meanwhile leaves it behind)."""
    started = time.perf_counter()
    f = _frames_without_values(engine)
    version = q.data_version(engine)
    first, last = _target_range_of(engine, version)
    rows = _assessments(engine, version, f, first, last)
    with write_transaction(engine) as conn:
        conn.execute(delete(s.rm_target))
        total = _bulk(conn, s.rm_target, rows)
        _set_state(conn, TARGET, version, "rebuild", total, time.perf_counter() - started, (first, last))
    return Refreshed("rebuild", 0, total, time.perf_counter() - started, version, last - first + 1)


def refresh_target(engine: Engine, before: str | None, batch_ids: list[int], change: Touched | None = None,
                   ) -> Refreshed:
    """After `batch_ids`: values recompute every target from the first quarter they touched on (an assessment
    reads the series up to its quarter); the quarters closed since the last refresh are added; targets, PAR INDEX
    scores and indicator definitions rebuild (a few thousand rows); plans and progress reports leave it."""
    kept, first, last = _quarter_state(engine, TARGET)
    if (not batch_ids or before is None or kept != before or change is None or first is None or change.other
            or change.targets):
        return rebuild_target(engine)
    started = time.perf_counter()
    version = q.data_version(engine)
    lo, hi = _target_range_of(engine, version)
    if lo != first:  # the first quarter moved: every quarter again
        return rebuild_target(engine)
    values = change.values
    since = min((Quarter(int(y), 1 if pd.isna(qq) else int(qq)).index  # a year's value: from its Q1 on
                 for y, qq in zip(values["year"], values["quarter"])), default=last + 1)
    since = max(min(since, last + 1), first)
    touched_codes = {str(c) for c in values["indicator_code"]}
    f = _frames_without_values(engine)
    mine = {int(i) for i, c in zip(f.targets["id"], f.targets["indicator_code"]) if str(c) in touched_codes}
    # the targets of the indicators touched, from their first quarter touched; every target for the quarters closed
    # since the last refresh
    parts = [_assessments(engine, version, f, since, last, touched_codes), _assessments(engine, version, f, last + 1, hi)]
    rows = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) \
        else pd.DataFrame()
    try:
        with write_transaction(engine) as conn:
            _only_ours(conn, before, batch_ids)
            if q.data_version_on(conn) != version:
                raise _Behind()
            t = s.rm_target
            at = t.c.year * 4 + t.c.quarter - 1
            conn.execute(delete(t).where(at > last))
            ids = sorted(mine)
            for i in range(0, len(ids), q.IN_CHUNK):
                conn.execute(delete(t).where(at >= since, t.c.target_id.in_(ids[i:i + q.IN_CHUNK])))
            total = _bulk(conn, s.rm_target, rows)
            mode = "incremental" if total or mine else "unchanged"
            _set_state(conn, TARGET, version, mode, total, time.perf_counter() - started, (first, hi))
    except _Behind:
        return rebuild_target(engine)
    return Refreshed(mode, 0, total, time.perf_counter() - started, version, hi - since + 1)


def target_if_fresh(engine: Engine, version: str, year: int, quarter: int) -> pd.DataFrame | None:
    """One quarter's assessments (id and analytics.targets.ASSESSED, the dtypes assess_targets gives) when the read
    model reflects `version` and holds that quarter, else None (the caller assesses)."""
    kept, first, last = _quarter_state(engine, TARGET)
    if kept != version or first is None or not first <= Quarter.index_of(year, quarter) <= last:
        return None
    t = s.rm_target
    with engine.connect() as conn:
        rows = q.fetch_rows(conn, select(t.c.target_id, *(t.c[c] for c in tg.ASSESSED))
                            .where(t.c.year == year, t.c.quarter == quarter).order_by(t.c.id))
    if _quarter_state(engine, TARGET)[0] != version:
        return None
    out = pd.DataFrame(rows, columns=["id", *tg.ASSESSED])
    out["id"] = out["id"].astype("int64")
    for c in tg.ASSESSED:
        if c in ("status", "note"):
            out[c] = out[c].astype(str)
        else:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out
