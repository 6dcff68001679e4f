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

import dataclasses
import functools
import hashlib
import os
import pickle
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

import settings
from analytics import agencies as ags
from analytics import meeting as mt
from analytics import ranking_views as rv
from analytics import series as sr
from analytics import slides as sl
from analytics import targets as tg
from analytics import task_views as tv
from analytics import units as un
from analytics.frames import Frames
from analytics.progress import quarter_to_t
from catalogue import FIRST_QUARTER
from formats import fmt_quarter
from quarter import Quarter
from store import completeness
from store import queries as q
from store import readmodels

KEEP = 3  # data versions kept on disk (the current one and the ones a still-running process may read)


def _root() -> Path:
    return settings.data_dir() / "snapshots"


@functools.cache
def _code_stamp() -> str:
    """A digest of the code that computes view data: a snapshot written by another version of the application
    (before an upgrade) is never read back. Every module of the packages the items are computed with, and the
    top-level ones (catalogue, model, settings, formats …): a list of chosen files missed some (loaders/text.py,
    exports/brief.py), and a cache invalidated by an unrelated change costs one recomputation."""
    root = Path(__file__).resolve().parent.parent
    files = sorted([*root.glob("*.py"), *(f for pkg in ("analytics", "exports", "loaders", "store")
                                         for f in (root / pkg).glob("*.py"))])
    h = hashlib.sha1()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


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


# --- the registry of view items ------------------------------------------------------------------------------
PINNED, HEAVY, LIGHT, COMPOSED = "pinned", "heavy", "light", "composed"


@dataclass(frozen=True)
class Item:
    """One view item, declared once: ViewData's method, the accessor of components.data, what prepare() computes
    and how it is kept all come from this row.

    `compute(view, *inputs)` makes it from the view data (the tables, and other items through `view`). `keep`:
    - pinned: in memory for the whole data version (the tables, the small whole-history items);
    - heavy: per-quarter frames of tens of MB, the ViewData.LRU used last kept in memory;
    - light: small items, the ViewData.LIGHT_LRU used last kept;
    - composed: made of other items on every call, not kept itself.
    Every kept item is also written to disk while prepare() runs, so the other processes read it back.
    `prepared(view, latest)`: the inputs prepare() computes it for, given the latest quarter with data (or None).
    `key`: the prefix of its snapshot file names (default: the name with dashes); `now_flag`: the name of a boolean
    input written as "-now" when true and left out when false (today's map)."""

    name: str
    inputs: tuple[str, ...]
    compute: Callable[..., Any]
    keep: str
    doc: str
    prepared: Callable[[ViewData, tuple[int, int] | None], list[tuple]] | None = None
    key: str | None = None
    now_flag: str | None = None
    defaults: tuple[tuple[str, Any], ...] = ()  # (input, value) of the inputs a caller may leave out

    def bind(self, args: tuple, kwargs: dict[str, Any]) -> tuple:
        """Every input in order, from positional and keyword arguments and the defaults."""
        given = dict(zip(self.inputs, args)) | kwargs
        if len(args) > len(self.inputs) or set(kwargs) - set(self.inputs):
            raise TypeError(f"{self.name}() takes {self.inputs}, given {args!r} {kwargs!r}")
        given = dict(self.defaults) | given
        missing = [n for n in self.inputs if n not in given]
        if missing:
            raise TypeError(f"{self.name}() is missing {missing}")
        return tuple(given[n] for n in self.inputs)

    def key_for(self, args: tuple) -> str:
        """The item's name in memory and on disk for these inputs ("status-2025-2")."""
        parts = [self.key or self.name.replace("_", "-")]
        for name, value in zip(self.inputs, args):
            if name == self.now_flag:
                parts += ["now"] if value else []
            else:
                parts.append("" if value is None else str(value))
        return "-".join(parts)


def _always(_view: ViewData, _latest: tuple[int, int] | None) -> list[tuple]:
    return [()]


def _latest(_view: ViewData, latest: tuple[int, int] | None) -> list[tuple]:
    return [latest] if latest else []


def _first(kept: Any, compute: Callable[[], Any]) -> Any:  # noqa: ANN401
    """What a read model kept, else computed."""
    return kept if kept is not None else compute()


def _frames(view: ViewData) -> Frames:
    """Every table, with the indicator values of the served province's units only (what the views show), and none
    when the series read model reflects this version (the views read the values through value_series only)."""
    f = q.frames(view.engine, with_values=False)
    if readmodels.is_fresh(view.engine, view.version):
        return f
    return dataclasses.replace(f, values=q.values(view.engine, units=readmodels.served_units(f)))


def _value_series(view: ViewData) -> pd.DataFrame:
    return readmodels.served_series(view.engine, view.version, view.frames())


def _assessed(view: ViewData, year: int, quarter: int) -> pd.DataFrame:
    kept = readmodels.target_if_fresh(view.engine, view.version, year, quarter)
    if kept is not None:
        return tg.assess_targets(view.frames(), year, quarter, kept=kept)
    return tg.assess_targets(view.frames(), year, quarter, view.series(year, quarter), view.all_subject_values())


def _task_table(view: ViewData, year: int, quarter: int) -> pd.DataFrame:
    history = [(fmt_quarter(y, qq), view.status(y, qq)) for y, qq in table_quarters(year, quarter)]
    return tv.task_table(view.task_base(), view.status(year, quarter), history, None)


def _target_overview(view: ViewData, year: int, quarter: int, current_map: bool) -> pd.DataFrame:
    province = un.province_on(view.frames(), Quarter(year, quarter).end, current_map)
    return tg.target_overview(view.assessed(year, quarter), view.subject_values(year, quarter),
                                quarter_to_t(year, quarter), province=province)


def _first_slide(view: ViewData, latest: tuple[int, int] | None) -> list[tuple]:
    if not latest:
        return []
    deck = view.meeting_outline(*latest, "province", None)  # the meeting opens on the province's deck
    return [(*latest, "province", None, deck[0], None)] if deck else []


def _meeting_inputs(view: ViewData, year: int, quarter: int, current_map: bool) -> mt.Inputs:
    status = view.status_now(year, quarter) if current_map else view.status(year, quarter)
    return mt.Inputs(view.frames(), year, quarter, status, view.assessed(year, quarter), view.series(year, quarter),
                     view.par(), current_map, settings.today())


def _last_due(_view: ViewData, _latest: tuple[int, int] | None) -> list[tuple]:
    return [completeness.last_due_quarter(settings.today())]


def _latest_ranking(view: ViewData, _latest: tuple[int, int] | None) -> list[tuple]:
    years = rv.par_years(view.par(), "department")
    return [(years[0], "department", None)] if years else []  # Xếp hạng opens on the departments' latest year


YQ = ("year", "quarter")
ITEMS: dict[str, Item] = {i.name: i for i in (
    Item("frames", (), _frames, PINNED, "Every table the views read.", _always),
    Item("facts", (), lambda v: (q.latest_quarter(v.engine, readmodels.latest_value_quarter(v.engine, v.version)),
                                 q.has_sample_data(v.engine)), PINNED,
         "(latest quarter with data, sample data loaded?).", _always),
    Item("task_base", (), lambda v: tv.task_base(v.frames()), PINNED,
         "Assignments joined with outputs and agencies.", _always, key="task_base"),
    Item("status", YQ, lambda v, y, qq: tv.task_status(
        v.frames(), y, qq, v.task_base(), readmodels.status_if_fresh(v.engine, v.version, y, qq)), HEAVY,
         "Task status per assignment occurrence at the end of a quarter: the occurrences from the read model "
         "(store.readmodels) when it reflects this data version, with their context columns."),
    Item("value_series", (), _value_series, PINNED,
         "Indicator values with weighted roll-ups by level and the carried history, of the served province's cluster "
         "(store.readmodels.served_series): the read model kept in the database, or computed from the tables when it "
         "does not reflect this data version.", _always),
    Item("series", YQ, lambda v, _y, _qq: v.value_series(), COMPOSED,
         "The value series a quarter's views read (the same for every quarter: value_series)."),
    Item("assessed", YQ, _assessed, HEAVY,
         "Every target's progress status at a quarter: the assessments from the read model (store.readmodels) when "
         "it reflects this data version, joined to the target rows."),
    Item("all_subject_values", (), lambda v: sr.subject_values(v.value_series(), v.frames().units), PINNED,
         "The value series plus the province-wide series per level (the same for every quarter).", _always),
    Item("subject_values", YQ, lambda v, _y, _qq: v.all_subject_values(), COMPOSED,
         "The value series plus the province-wide series per level, as a quarter's views read it (all_subject_values)."),
    Item("target_overview", (*YQ, "current_map"), _target_overview, HEAVY,
         "One row per target key with its current value, history and both horizons (Chỉ tiêu, Địa bàn): the figures "
         "of the quarter's own province, or on today's map those of the province served.",
         lambda v, latest: [(*latest, False)] if latest else [], now_flag="current_map",
         defaults=(("current_map", False),)),
    Item("task_table", YQ, _task_table, HEAVY,
         "Every output with its status at the quarter and the three quarters before it (Nhiệm vụ).", _latest),
    Item("task_kpis", YQ, lambda v, y, qq: tv.task_kpis(v.status(y, qq)), LIGHT,
         "Headline numbers of the lead outputs at a quarter (Tổng quan).",
         lambda v, latest: table_quarters(*latest)[-2:] if latest else []),  # the overview compares with the one before
    Item("area_rollup", YQ, lambda v, y, qq: tv.area_rollup(v.status(y, qq)), LIGHT,
         "Lead outputs per reform area at a quarter (Tổng quan).", _latest),
    Item("par", (), lambda v: rv.par_with_parents(v.frames().par, v.frames().parents), PINNED,
         "PAR INDEX scores with each commune's district (Xếp hạng, Cơ quan, Trình chiếu).", _always),
    Item("province_history", (), lambda v: rv.province_history(v.frames().par), PINNED,
         "The province's own PAR INDEX by year.", _always),
    Item("rank_table", ("year", "kind", "parent"), lambda v, y, kind, parent: _first(
        readmodels.rank_if_fresh(v.engine, v.version, y, kind, parent), lambda: rv.rank_table_for(v.par(), y, kind, parent)),
         LIGHT, "The PAR INDEX ranking of one subject kind in a year (communes within a district).", _latest_ranking),
    Item("completeness", YQ, lambda v, y, qq: completeness.completeness(v.engine, y, qq), LIGHT,
         "Who must report for a quarter and who did (Mức độ báo cáo), read from the database; prepared for the last "
         "quarter that is due, which the page opens on.", _last_due),
    Item("completeness_units", YQ,
         lambda v, y, qq: completeness.unit_rates(v.engine, v.completeness(y, qq), y, qq), LIGHT,
         "The reporting rate per unit of a quarter (Mức độ báo cáo).", _last_due),
    Item("status_now", YQ, lambda v, y, qq: ags.carry_agencies(v.status(y, qq), v.frames(), settings.today()), HEAVY,
         "Task status at a quarter on today's map: the assignments of agencies ended since then counted against "
         "their heirs of today (Trình chiếu)."),
    Item("meeting_inputs", (*YQ, "current_map"), _meeting_inputs, COMPOSED,
         "What every slide of a quarter's decks is built from (made of the items above), on the quarter's own map or "
         "on today's.", now_flag="current_map", defaults=(("current_map", False),)),
    Item("meeting_outline", (*YQ, "kind", "code", "current_map"),
         lambda v, y, qq, kind, code, now: mt.outline(v.meeting_inputs(y, qq, now), kind, code),
         LIGHT, "The slide keys of a deck (Trình chiếu).", key="outline", now_flag="current_map",
         defaults=(("current_map", False),)),
    Item("meeting_slide", (*YQ, "kind", "code", "key", "target", "current_map"),
         lambda v, y, qq, kind, code, key, target, now: sl.build_slide(v.meeting_inputs(y, qq, now), kind, code, key,
                                                                       target),
         LIGHT, "One slide of a deck (analytics.meeting.Slide).", _first_slide, key="slide", now_flag="current_map",
         defaults=(("current_map", False),)),
)}


class ViewData:
    """The view data of one data version: each item of ITEMS computed once (or read from this version's snapshot
    when an import prepared it) and kept in memory as its row says: the heavy per-quarter items used last (LRU),
    many light ones, the pinned ones for good.

    One object per data version and process (components.data keeps it); prepare() uses the same object to
    write the snapshot, so what is prepared and what the views compute cannot differ. Each item is also a method
    (`view.status(2025, 2)`), made from the registry."""

    LRU = 24  # heavy per-quarter items kept in memory (a province-scale series is tens of MB)
    LIGHT_LRU = 256  # light items kept in memory (roll-ups, rankings, slides)
    fills = 0  # items computed or loaded by any ViewData of this process (components.data.settle watches it)

    def __init__(self, engine: Engine, version: str, persist: bool = False) -> None:
        self.engine, self.version, self.persist = engine, version, persist
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._keep: dict[str, str] = {}  # key in _items → how it is kept
        self._lock = threading.Lock()  # guards _items; held only for lookups, never while computing
        self._making: dict[str, threading.Lock] = {}  # one lock per item being made: a slow quarter delays only its own readers

    def get(self, name: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        """The item `name` of ITEMS for these inputs."""
        item = ITEMS[name]
        args = item.bind(args, kwargs)
        if item.keep == COMPOSED:
            return item.compute(self, *args)
        return self._get(item.key_for(args), item.keep, lambda: item.compute(self, *args))

    def _cached(self, name: str) -> tuple[bool, Any]:
        with self._lock:
            if name in self._items:
                self._items.move_to_end(name)
                return True, self._items[name]
            return False, None

    def _get(self, name: str, keep: str, compute: Callable[[], Any]) -> Any:  # noqa: ANN401
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
                self._keep[name] = keep
                self._making.pop(name, None)
                ViewData.fills += 1
                for kind, size in ((HEAVY, self.LRU), (LIGHT, self.LIGHT_LRU)):
                    kept = [k for k in self._items if self._keep.get(k) == kind]
                    for old in kept[:max(len(kept) - size, 0)]:
                        del self._items[old]
                        self._keep.pop(old, None)
            return value


def _method(item: Item) -> Callable[..., Any]:
    def method(self: ViewData, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        return self.get(item.name, *args, **kwargs)

    method.__name__ = method.__qualname__ = item.name
    method.__doc__ = item.doc
    return method


for _item in ITEMS.values():
    setattr(ViewData, _item.name, _method(_item))


def table_quarters(year: int, quarter: int, first: tuple[int, int] = FIRST_QUARTER) -> list[tuple[int, int]]:
    """The quarters whose statuses the task table shows: up to four, oldest first, ending with (year, quarter)."""
    last = Quarter(year, quarter)
    return [x.astuple() for x in max(last - 3, Quarter(*first)).through(last)]


def prepare(engine: Engine) -> ViewData:
    """Compute and keep the current data version's view data: every item of ITEMS for the inputs its row's
    `prepared` names (every table; for the latest quarter with data the task statuses with the quarter before it,
    the value series, the target assessments, the targets overview, the task table, the overview's roll-ups and the
    province deck's first slide; the PAR INDEX scores, the province's own index and the departments' latest
    ranking). Returns the view data, in memory (the importing process keeps serving it from there)."""
    version = q.data_version(engine)
    view = ViewData(engine, version, persist=True)
    latest = view.facts()[0]
    for item in ITEMS.values():
        for args in item.prepared(view, latest) if item.prepared else ():
            view.get(item.name, *args)
    prune(version)
    view.persist = False  # what is computed later (older quarters) stays in memory only
    return view
