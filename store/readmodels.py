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
  are recomputed (from the current values of those periods in those clusters) and replaced; a period a cluster
  carries forward to its successors (before the map it lives on began) recomputes the whole cluster;
- a batch of anything else the series reads (PAR INDEX scores, indicator definitions) rebuilds every cluster, one
  at a time (memory bounded by the largest cluster, not by the data);
- plans and progress reports leave the series as it is.
`read_models` records the data version each read model reflects: a reader uses it only when it is the current
one (`series_if_fresh`), and a refresh that finds it behind (a change made by an older version of the
application, a refresh that failed) rebuilds.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, text, tuple_

from analytics import series as sr
from analytics.frames import MAP_2025, Frames, lineage
from analytics.progress import quarter_to_t
from quarter import Quarter
from store import queries as q
from store import schema as s
from store.tx import write_transaction

SERIES = "series"
SERIES_COLUMNS = ("indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator", "t",
                  "source", "coverage")
IN_CHUNK = 900  # codes per IN (...) list: SQLite and PostgreSQL both take it, and plans stay simple
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
    notes: list[str] = field(default_factory=list)


# --- state ------------------------------------------------------------------------------------------------
def state(engine: Engine, name: str = SERIES) -> str | None:
    """The data version the read model reflects, or None when it was never built."""
    t = s.read_models
    with engine.connect() as conn:
        return conn.execute(select(t.c.data_version).where(t.c.name == name)).scalar()


def is_fresh(engine: Engine, version: str, name: str = SERIES) -> bool:
    return state(engine, name) == version


def _set_state(conn: Connection, name: str, version: str, mode: str, rows: int, seconds: float) -> None:
    t = s.read_models
    conn.execute(delete(t).where(t.c.name == name))
    conn.execute(insert(t).values(name=name, data_version=version, mode=mode, row_count=rows, seconds=seconds,
                                  built_at=datetime.now()))


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


def _successor_columns(links: pd.DataFrame) -> tuple[str, str]:
    cols = list(links.columns)
    pred = next(c for c in ("code", "unit_code", "predecessor_code") if c in cols)
    succ = next(c for c in ("successor_code", "successor") if c in cols)
    return pred, succ


def carried_cut(f: Frames) -> float:
    """The last t the series carries forward to today's units (periods ending before the served map began)."""
    start = lineage(f).unit(sr.served_province(f))
    since = start["valid_from"] if start is not None and isinstance(start.get("valid_from"), type(MAP_2025)) \
        else MAP_2025
    return quarter_to_t(*Quarter.of(since)) - 0.25 + EPS


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
    out["quarter"] = pd.Series([None if pd.isna(x) else int(x) for x in out["quarter"]], index=out.index,
                               dtype=object)  # as the stored values come (ints, None for a whole year)
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
    parts = [q.fast_frame(engine, stmt.where(t.c.unit_code.in_(codes[i:i + IN_CHUNK])))
             for i in range(0, len(codes), IN_CHUNK)]
    parts = [p for p in parts if not p.empty]
    return _typed(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame())


def series_if_fresh(engine: Engine, version: str, units: Iterable[str] | None = None) -> pd.DataFrame | None:
    """The series (or some units' rows of it) when the read model reflects `version`, else None (the caller
    computes it). The state is read before and after the rows: a refresh commits rows and state together, so an
    unchanged state means the rows are those of `version`."""
    if not is_fresh(engine, version):
        return None
    rows = series(engine, units)
    return rows if is_fresh(engine, version) else None


# --- computing ----------------------------------------------------------------------------------------------
def _values_of(conn: Connection, units: list[str], periods: list[tuple[str, int, int | None]] | None) -> pd.DataFrame:
    """Current values of some units, for some (indicator, year, quarter) periods or for all of them."""
    v = s.indicator_values
    cols = (v.c.indicator_code, v.c.unit_code, v.c.year, v.c.quarter, v.c.value, v.c.numerator, v.c.denominator)
    parts = []
    for i in range(0, len(units), IN_CHUNK):
        stmt = select(*cols).where(v.c.is_current.is_(True), v.c.unit_code.in_(units[i:i + IN_CHUNK]))
        if periods is not None:
            keys = sorted({(c, y, 0 if qq is None else qq) for c, y, qq in periods})
            stmt = stmt.where(tuple_(v.c.indicator_code, v.c.year, func.coalesce(v.c.quarter, 0))
                              .in_(bindparam("keys", keys, expanding=True)))
        rows = conn.execute(stmt).all()
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


def _write(conn: Connection, frame: pd.DataFrame) -> int:
    """Append rows to rm_series: COPY on PostgreSQL, executemany on SQLite. Returns how many."""
    if frame.empty:
        return 0
    rows = _prepared(frame)
    if conn.dialect.name == "postgresql":
        body = rows.to_csv(sep="\t", header=False, index=False, na_rep="\\N", float_format="%.17g")
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY rm_series ({', '.join(SERIES_COLUMNS)}) FROM STDIN") as copy:
            copy.write(body)
        return len(rows)
    obj = rows.astype(object)
    obj = obj.where(rows.notna(), None)
    conn.connection.driver_connection.executemany(
        f"INSERT INTO rm_series ({', '.join(SERIES_COLUMNS)}) VALUES ({', '.join('?' * len(SERIES_COLUMNS))})",
        list(obj.itertuples(index=False, name=None)))
    return len(rows)


def _delete(conn: Connection, units: list[str], periods: list[tuple[str, int, int | None]] | None) -> None:
    t = s.rm_series
    for i in range(0, len(units), IN_CHUNK):
        stmt = delete(t).where(t.c.unit_code.in_(units[i:i + IN_CHUNK]))
        if periods is not None:
            keys = sorted({(c, y, 0 if qq is None else qq) for c, y, qq in periods})
            stmt = stmt.where(tuple_(t.c.indicator_code, t.c.year, func.coalesce(t.c.quarter, 0))
                              .in_(bindparam("keys", keys, expanding=True)))
        conn.execute(stmt)


def _frames_without_values(engine: Engine) -> Frames:
    return q.frames(engine, with_values=False)


@dataclass(frozen=True)
class Touched:
    """What some batches wrote that the series reads: (unit, indicator, year, quarter) rows of values, and whether
    they changed anything else it reads (PAR INDEX scores, indicator definitions). Read before a rollback, which
    deletes the rows that say so."""

    values: pd.DataFrame
    other: bool


def touched(engine: Engine, batch_ids: list[int]) -> Touched:
    with engine.connect() as conn:
        return Touched(*_touched(conn, batch_ids))


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
        version = version or _version(conn)
        conn.execute(delete(s.rm_series))
        for units in groups:
            total += _write(conn, _compute(f, _values_of(conn, units, None), set(units), None))
        seconds = time.perf_counter() - started
        _set_state(conn, SERIES, version, "rebuild", total, seconds)
    return Refreshed("rebuild", len(groups), total, time.perf_counter() - started, version)


def _members(cluster_of: dict[str, int]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for code, n in cluster_of.items():
        groups.setdefault(n, []).append(code)
    return [sorted(g) for _n, g in sorted(groups.items())]


def _version(conn: Connection) -> str:
    b = s.import_batches
    row = conn.execute(select(func.max(b.c.id), func.count(), func.count(b.c.rolled_back_at),
                              func.max(b.c.rolled_back_at))).first()
    return f"{row[0]}:{row[1]}:{row[2]}:{row[3]}"


def refresh(engine: Engine, before: str | None, batch_ids: list[int], change: Touched | None = None) -> Refreshed:
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
        with write_transaction(engine) as conn:
            version = _version(conn)
            _set_state(conn, SERIES, version, "unchanged", 0, time.perf_counter() - started)
        return Refreshed("unchanged", version=version, seconds=time.perf_counter() - started)
    f = _frames_without_values(engine)
    cluster_of = clusters(f)
    groups = _members(cluster_of)
    cut = carried_cut(f)
    carries = _carrying_clusters(f, cluster_of)
    total = periods_n = 0
    touched_rows["quarter"] = [None if pd.isna(x) else int(x) for x in touched_rows["quarter"]]
    touched_rows["cluster"] = touched_rows["unit_code"].astype(str).map(cluster_of)
    if touched_rows["cluster"].isna().any():  # a unit the reference data does not hold: rebuild to be safe
        return rebuild(engine)
    with write_transaction(engine) as conn:
        version = _version(conn)
        for n, part in touched_rows.groupby("cluster"):
            units = groups[int(n)]
            periods = {(str(c), int(y), qq) for c, y, qq in zip(part["indicator_code"], part["year"], part["quarter"])}
            if int(n) in carries and min(quarter_to_t(y, qq) for _c, y, qq in periods) <= cut:
                periods_arg = None  # a period carried to today's units: the whole cluster
            else:
                periods_arg = sorted(periods, key=lambda p: (p[0], p[1], p[2] or 0))
            _delete(conn, units, periods_arg)
            values = _values_of(conn, units, periods_arg)
            total += _write(conn, _compute(f, values, set(units), None if periods_arg is None else set(periods_arg)))
            periods_n += len(periods)
        seconds = time.perf_counter() - started
        _set_state(conn, SERIES, version, "incremental", total, seconds)
    return Refreshed("incremental", touched_rows["cluster"].nunique(), total, time.perf_counter() - started, version,
                     periods_n)


def _carrying_clusters(f: Frames, cluster_of: dict[str, int]) -> set[int]:
    """Clusters with successor links (their old periods are carried forward to today's units)."""
    if f.unit_successors.empty:
        return set()
    pred_col, _succ = _successor_columns(f.unit_successors)
    return {cluster_of[c] for c in f.unit_successors[pred_col].astype(str) if c in cluster_of}


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(s.rm_series)).scalar() or 0)


def analyze(engine: Engine) -> None:
    """Fresh planner statistics after a big build (PostgreSQL; SQLite's planner does without)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE rm_series"))
