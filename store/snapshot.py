"""View data prepared once per data version and kept on disk, so the first view after an import is fast.

At province scale (250k indicator values, 5k assignments) reading every table and deriving the
latest quarter's statuses, value series and target assessments takes seconds. An import or a
rollback made through the app or manage.py calls prepare() right after it commits: the uploader
waits those seconds once, and every process that serves the views then loads the prepared data
(a pickle read, tens of milliseconds) instead of recomputing it on someone's first click.

Files live under <data dir>/snapshots/<version hash>/<name>.pickle. They are written by this
application into its own data folder (next to the SQLite file), written atomically (temporary file,
then rename), and only the newest few versions are kept. A missing or unreadable file is simply
recomputed: the snapshot is a cache, never the source of truth.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import os
import pickle
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

import settings
from analytics import meeting as mt
from analytics import ranking_views as rv
from analytics import series as sr
from analytics import slides as sl
from analytics import targets as tg
from analytics import task_views as tv
from analytics import units as un
from analytics.progress import quarter_to_t
from catalogue import FIRST_QUARTER
from formats import fmt_quarter
from quarter import Quarter
from store import queries as q

KEEP = 3  # data versions kept on disk (the current one and the ones a still-running process may read)


def _root() -> Path:
    return settings.data_dir() / "snapshots"


@functools.cache
def _code_stamp() -> str:
    """A digest of the code that computes view data: a snapshot written by another version of the application
    (before an upgrade) is never read back. It covers the view data's own modules (every file of analytics/,
    store/queries.py, this file) and every module of the project they import, followed to the end (formats.py,
    quarter.py, model.py, catalogue.py, loaders/reference.py, loaders/text.py …), so a change anywhere in what
    computes a view starts a new set of snapshots."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(_imported_closure(root, [*(root / "analytics").glob("*.py"), root / "store" / "queries.py",
                                            Path(__file__).resolve()]))
    h = hashlib.sha1()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode("utf-8"))
        h.update(f.read_bytes())
    return h.hexdigest()


def _imported_closure(root: Path, start: list[Path]) -> set[Path]:
    """`start` and every file of the project under `root` that they import, directly or not (imports inside
    functions included)."""
    seen: set[Path] = set()
    todo = [p.resolve() for p in start]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            for name in names:
                base = root.joinpath(*name.split("."))
                todo += [f for f in (base.with_suffix(".py"), base / "__init__.py") if f.is_file()]
    return seen


def _dir(version: str) -> Path:
    return _root() / hashlib.sha1(f"{_code_stamp()}|{version}".encode("utf-8")).hexdigest()[:16]


def load(version: str, name: str) -> Any | None:  # noqa: ANN401
    """The prepared value, or None when it was not prepared (or cannot be read)."""
    path = _dir(version) / f"{name}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - written by this application into its own data folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def save(version: str, name: str, value: Any) -> None:  # noqa: ANN401
    """Keep a prepared value for this data version (atomic: readers never see half a file)."""
    folder = _dir(version)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return  # a read-only or full disk: the views compute in memory instead
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{name}.pickle")
    except Exception:  # noqa: BLE001 - a cache: a value that cannot be kept is computed again when needed
        Path(tmp).unlink(missing_ok=True)


def prune(keep_version: str, keep: int = KEEP) -> None:
    """Remove all but the newest `keep` snapshot folders (always keeping `keep_version`'s)."""
    root = _root()
    if not root.is_dir():
        return
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    current = _dir(keep_version)
    for old in [p for p in folders if p != current][max(keep - 1, 0):]:
        shutil.rmtree(old, ignore_errors=True)


def clear() -> None:
    """Remove every prepared snapshot (the reference tables changed under the same data version)."""
    shutil.rmtree(_root(), ignore_errors=True)


class ViewData:
    """The view data of one data version: each item computed once (or read from this version's snapshot when an
    import prepared it) and kept in memory: the heavy per-quarter items used last (LRU) and many small ones.

    One object per data version and process (components.data keeps it); prepare() uses the same object to
    write the snapshot, so what is prepared and what the views compute cannot differ."""

    LRU = 24  # heavy per-quarter items kept in memory (a province-scale series is tens of MB)
    LIGHT_LRU = 256  # small items kept in memory (roll-ups, rankings, slides)
    PINNED = ("frames", "task_base", "facts", "par", "province-history")
    HEAVY = ("status-", "series-", "assessed-", "subject-values-", "target-overview-", "task-table-")
    fills = 0  # items computed or loaded by any ViewData of this process (components.data.settle watches it)

    def __init__(self, engine: Engine, version: str, persist: bool = False) -> None:
        self.engine, self.version, self.persist = engine, version, persist
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()  # guards _items; held only for lookups, never while computing
        self._making: dict[str, threading.Lock] = {}  # one lock per item being made: a slow quarter delays only its own readers

    def _cached(self, name: str) -> tuple[bool, Any]:
        with self._lock:
            if name in self._items:
                self._items.move_to_end(name)
                return True, self._items[name]
            return False, None

    def _get(self, name: str, compute: Callable[[], Any]) -> Any:  # noqa: ANN401
        hit, value = self._cached(name)
        if hit:
            return value
        with self._lock:
            making = self._making.setdefault(name, threading.Lock())
        with making:
            hit, value = self._cached(name)  # made by another thread meanwhile
            if hit:
                return value
            value = load(self.version, name)
            if value is None:
                value = compute()
                if self.persist:
                    save(self.version, name, value)
            with self._lock:
                self._items[name] = value
                self._making.pop(name, None)
                ViewData.fills += 1
                heavy = [k for k in self._items if k.startswith(self.HEAVY)]
                light = [k for k in self._items if k not in self.PINNED and not k.startswith(self.HEAVY)]
                for old in heavy[:max(len(heavy) - self.LRU, 0)] + light[:max(len(light) - self.LIGHT_LRU, 0)]:
                    del self._items[old]
            return value

    def frames(self):  # noqa: ANN201 - analytics.frames.Frames
        """Every table the views read."""
        return self._get("frames", lambda: q.frames(self.engine))

    def facts(self) -> tuple[tuple[int, int] | None, bool]:
        """(latest quarter with data, sample data loaded?)."""
        return self._get("facts", lambda: (q.latest_quarter(self.engine), q.has_sample_data(self.engine)))

    def task_base(self) -> pd.DataFrame:
        """Assignments joined with outputs and agencies."""
        return self._get("task_base", lambda: tv.task_base(self.frames()))

    def status(self, year: int, quarter: int) -> pd.DataFrame:
        """Task status per assignment at the end of a quarter."""
        return self._get(f"status-{year}-{quarter}", lambda: tv.task_status(self.frames(), year, quarter, self.task_base()))

    def series(self, year: int, quarter: int) -> pd.DataFrame:
        """Indicator values with weighted roll-ups, as known at the end of a quarter."""
        return self._get(f"series-{year}-{quarter}",
                         lambda: sr.value_series(self.frames(), Quarter(year, quarter).end))

    def assessed(self, year: int, quarter: int) -> pd.DataFrame:
        """Every target's progress status at a quarter."""
        return self._get(f"assessed-{year}-{quarter}",
                         lambda: tg.assess_targets(self.frames(), year, quarter, self.series(year, quarter)))

    def task_kpis(self, year: int, quarter: int) -> dict[str, float]:
        """Headline numbers of the lead outputs at a quarter (Tổng quan)."""
        return self._get(f"task-kpis-{year}-{quarter}", lambda: tv.task_kpis(self.status(year, quarter)))

    def area_rollup(self, year: int, quarter: int) -> pd.DataFrame:
        """Lead outputs per reform area at a quarter (Tổng quan)."""
        return self._get(f"area-rollup-{year}-{quarter}", lambda: tv.area_rollup(self.status(year, quarter)))

    def par(self) -> pd.DataFrame:
        """PAR INDEX scores with each commune's district (Xếp hạng, Cơ quan, Trình chiếu)."""
        return self._get("par", lambda: rv.par_with_parents(self.frames().par, self.frames().parents))

    def province_history(self) -> pd.DataFrame:
        """The province's own PAR INDEX by year."""
        return self._get("province-history", lambda: rv.province_history(self.frames().par))

    def rank_table(self, year: int, kind: str, parent: str | None) -> pd.DataFrame:
        """The PAR INDEX ranking of one subject kind in a year (communes within a district)."""
        return self._get(f"rank-table-{year}-{kind}-{parent or ''}", lambda: rv.rank_table_for(self.par(), year, kind, parent))

    def meeting_inputs(self, year: int, quarter: int):  # noqa: ANN201 - analytics.meeting.Inputs
        """What every slide of a quarter's decks is built from (made of the items above, not kept on its own)."""
        return mt.Inputs(self.frames(), year, quarter, self.status(year, quarter), self.assessed(year, quarter),
                         self.series(year, quarter), self.par())

    def meeting_outline(self, year: int, quarter: int, kind: str, code: str | None) -> list[str]:
        """The slide keys of a deck (Trình chiếu)."""
        return self._get(f"outline-{year}-{quarter}-{kind}-{code or ''}",
                         lambda: mt.outline(self.meeting_inputs(year, quarter), kind, code))

    def meeting_slide(self, year: int, quarter: int, kind: str, code: str | None, key: str, target: str | None):  # noqa: ANN201
        """One slide of a deck (analytics.meeting.Slide)."""
        return self._get(f"slide-{year}-{quarter}-{kind}-{code or ''}-{key}-{target or ''}",
                         lambda: sl.build_slide(self.meeting_inputs(year, quarter), kind, code, key, target))

    def subject_values(self, year: int, quarter: int) -> pd.DataFrame:
        """The value series plus the province-wide series per level."""
        return self._get(f"subject-values-{year}-{quarter}",
                         lambda: sr.subject_values(self.series(year, quarter), self.frames().units))

    def target_overview(self, year: int, quarter: int, current_map: bool = False) -> pd.DataFrame:
        """One row per target key with its current value, history and both horizons (Chỉ tiêu, Địa bàn): the figures
        of the quarter's own province, or on today's map those of the province served."""
        def compute() -> pd.DataFrame:
            province = un.province_on(self.frames(), Quarter(year, quarter).end, current_map)
            return tg.target_overview(self.assessed(year, quarter), self.subject_values(year, quarter),
                                        quarter_to_t(year, quarter), province=province)

        return self._get(f"target-overview-{year}-{quarter}" + ("-now" if current_map else ""), compute)

    def task_table(self, year: int, quarter: int) -> pd.DataFrame:
        """Every output with its status at the quarter and the three quarters before it (Nhiệm vụ, no agency chosen)."""
        def compute() -> pd.DataFrame:
            history = [(fmt_quarter(y, qq), self.status(y, qq)) for y, qq in table_quarters(year, quarter)]
            return tv.task_table(self.task_base(), self.status(year, quarter), history, None)

        return self._get(f"task-table-{year}-{quarter}", compute)


def table_quarters(year: int, quarter: int, first: tuple[int, int] = FIRST_QUARTER) -> list[tuple[int, int]]:
    """The quarters whose statuses the task table shows: up to four, oldest first, ending with (year, quarter)."""
    last = Quarter(year, quarter)
    return [x.astuple() for x in max(last - 3, Quarter(*first)).through(last)]


def prepare(engine: Engine) -> ViewData:
    """Compute and keep the current data version's view data: every table, and for the latest quarter with data the
    task statuses (with the three quarters before it, which the overview and the task table compare with), the value
    series, the target assessments, the targets overview, the task table and the overview's roll-ups; the PAR INDEX
    scores with their districts, the province's own index and the departments' latest ranking. Returns the view data, in memory
    (the importing process keeps serving it from there)."""
    version = q.data_version(engine)
    view = ViewData(engine, version, persist=True)
    view.frames()
    view.task_base()
    latest, _sample = view.facts()
    if latest is not None:
        year, quarter = latest
        view.target_overview(year, quarter)
        view.task_table(year, quarter)
        view.area_rollup(year, quarter)
        for y, qq in table_quarters(year, quarter)[-2:]:  # the overview compares with the quarter before
            view.task_kpis(y, qq)
        deck = view.meeting_outline(year, quarter, "province", None)  # the meeting opens on the province's deck
        view.meeting_slide(year, quarter, "province", None, deck[0], None)

    years = rv.par_years(view.par(), "department")
    view.province_history()
    if years:
        view.rank_table(years[0], "department", None)  # Xếp hạng opens on the departments' latest year
    prune(version)
    view.persist = False  # what is computed later (older quarters) stays in memory only
    return view
