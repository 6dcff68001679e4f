"""Cached access to the store for the pages: one engine per process, view data keyed by data version.

The view items are declared once, in store.snapshot.ITEMS: each has an accessor here (`data.series(2025, 2)`),
derived from that table; the few functions below it (status_on_map, drill, latest_quarter, is_sample) combine
items with memo(), and HELPERS lists everything else a page may call.

View data lives once per process, in plain in-process caches (not st.cache_data, which unpickles a
fresh copy on every read: for province-scale frames that cost more than drawing the page; and not
st.cache_resource for the per-run lookups, whose bookkeeping cost a few tenths of a millisecond per
call, a dozen calls per run). Every read hands out shallow copies (`_fresh`): pandas copy-on-write
makes a write to one of them copy its data first, so a page can never change what the cache holds.
Keys carry the database's URL with its data version, so two databases never share an entry.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import pickle
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
import streamlit as st

import settings
from analytics import agencies as ags
from analytics import frames as fr
from analytics import units as un
from catalogue import UI
from quarter import Quarter
from store import pins
from store import queries as q
from store.snapshot import ITEMS, Item, ViewData
from service.bootstrap import bootstrap
from store.db import shared_engine

VERSION_TTL = 2.0  # seconds: how stale another process's import may look here


@st.cache_resource(show_spinner=UI["loading_db"])
def engine():
    """The shared engine; the first call creates the database and loads the samples."""
    eng = shared_engine()
    bootstrap(eng)
    return eng


class _Lru:
    """A small thread-safe LRU of computed values; a key is computed by one thread at a time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:  # noqa: ANN401
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            guard = self.computing.setdefault(key, threading.Lock())
        with guard:
            with self.lock:
                if key in self.items:
                    return self.items[key]
            try:
                value = compute()
            except BaseException:
                with self.lock:
                    self.computing.pop(key, None)
                raise
            with self.lock:
                self.items[key] = value
                self.computing.pop(key, None)
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
            _Heap.fills += 1
            return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_VERSION: dict[str, tuple[str, float]] = {}  # database URL → (data version, when read)
_VIEWS = _Lru(2)  # (URL, version) → ViewData; the previous version stays while sessions may still show it
_MEMO = _Lru(256)  # (URL, version, function, key) → value


_PINS: dict[tuple[str, int], tuple[pins.Pin | None, float]] = {}  # (URL, pin id) → (the pin if active, when read)
_PINNED = _Lru(2)  # (URL, pin id) → the ViewData of a pinned version (its frozen frames)


def pin_id() -> int | None:
    """The pinned version the URL names (`pin=<id>`, store.pins), or None for the current data."""
    raw = st.query_params.get("pin")
    return int(raw) if raw and str(raw).isdigit() else None


def pinned() -> pins.Pin | None:
    """The active pin the URL names (re-read at most every 2 s per process, so an unpin shows everywhere), or None
    (no pin in the URL, or an unknown or unpinned one: the views then show the current data)."""
    wanted = pin_id()
    if wanted is None:
        return None
    eng = engine()
    key = (str(eng.url), wanted)
    hit = _PINS.get(key)
    now = time.monotonic()
    if hit is None or now - hit[1] > VERSION_TTL:
        hit = (pins.get(eng, wanted), now)
        _PINS[key] = hit
    return hit[0]


def _current() -> tuple[Any, str, str]:
    """(engine, its URL, the data version shown): the key of everything cached for the data a view shows, the
    pinned version's ("pin:<id>") when the URL names an active pin."""
    pin = pinned()
    if pin is not None:
        eng = engine()
        return eng, str(eng.url), f"pin:{pin.id}"
    return _live()


def _live() -> tuple[Any, str, str]:
    """(engine, its URL, its current data version)."""
    eng = engine()
    url = str(eng.url)
    hit = _VERSION.get(url)
    now = time.monotonic()
    if hit is None or now - hit[1] > VERSION_TTL:
        hit = (q.data_version(eng), now)
        _VERSION[url] = hit
    return eng, url, hit[0]


def version() -> str:
    """The data version (changes on every import and rollback). Read from the database at most every
    2 s per process; an import or rollback made in the app calls refresh() so it shows at once."""
    return _current()[2]


def refresh() -> None:
    """Forget the data version after an import or a rollback in this process (and which pins are active)."""
    _VERSION.clear()
    _PINS.clear()


def clear() -> None:
    """Forget every cached value (tests that swap databases)."""
    refresh()
    _VIEWS.clear()
    _PINNED.clear()
    _MEMO.clear()
    _FIGURES.clear()


def _view() -> ViewData:
    """The view data of the data version shown (the current one, or a pinned one)."""
    eng, url, v = _current()
    if v.startswith("pin:"):
        return _PINNED.get((url, v), lambda: _pinned_view(eng, int(v[4:])))
    return _VIEWS.get((url, v), lambda: ViewData(eng, v))


def _pinned_view(eng, pin: int) -> ViewData:  # noqa: ANN001
    frozen = pins.load(eng, pin)
    if frozen is None:  # unpinned between the check and the read: the current data
        _PINS.clear()
        _eng, _url, v = _live()
        return ViewData(eng, v)
    return pins.PinnedViewData(eng, pin, *frozen)


def adopt(prepared: ViewData | None) -> None:
    """After a change made through the service in this process (an import, a rollback, an alias change: it
    prepared the new version's view data, kept on disk for every server process): see the new version at once and
    keep the prepared object, so nothing is read back from disk here."""
    refresh()
    if prepared is None:
        return
    _eng, url, v = _live()
    if v == prepared.version:
        _VIEWS.get((url, v), lambda: prepared)


class _Heap:
    """What the last settle() saw: cache fills and modules loaded; when everything was last collected."""

    lock = threading.Lock()
    fills = 0
    settled = (-1, -1)
    full_at = 0.0


FULL_COLLECT_EVERY = 600.0  # seconds between full collections (unfreeze, collect, freeze again)


def settle() -> None:
    """After a run that filled a cache or loaded modules: collect once, then freeze what survived.

    A server holds ~250k long-lived Python objects (modules, plotly's validators, cached view data);
    every full collection walked all of them, a pause of ~0.1 s that fell on some user's run every
    few runs. Frozen objects are skipped by the collector (gc.freeze); the collection before it only
    walks what was made since the last one. A previous data version's frames are still freed when the
    cache drops them: they are released by reference counting, which freezing does not stop
    (tests/test_memory.py). Objects in reference cycles (a plotly figure and its traces) are only
    collected by the collector, so every FULL_COLLECT_EVERY seconds everything is unfrozen and
    collected once: cached figures dropped since then are freed, and memory stays bounded."""
    seen = (_Heap.fills + ViewData.fills, len(sys.modules))
    if seen == _Heap.settled or not _Heap.lock.acquire(blocking=False):
        return
    try:
        now = time.monotonic()
        if now - _Heap.full_at > FULL_COLLECT_EVERY:
            gc.unfreeze()
            _Heap.full_at = now
        gc.collect()
        gc.freeze()
        _Heap.settled = seen
    finally:
        _Heap.lock.release()


_SCALARS = frozenset({str, int, float, bool, type(None)})  # immutable: a container of only these is copied flat


def _fresh(value: Any) -> Any:  # noqa: ANN401
    """A copy of a cached value that shares its data until written (pandas copy-on-write)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, dict):
        if {type(v) for v in value.values()} <= _SCALARS:  # names, labels, counts: a flat copy, no walk per item
            return dict(value)
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if {type(v) for v in value} <= _SCALARS:
            return list(value) if type(value) is list else value  # a tuple of scalars cannot be changed
        return type(value)(_fresh(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = {f.name for f in dataclasses.fields(value)}
        copy = dataclasses.replace(value, **{f.name: _fresh(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
        for k, v in getattr(value, "__dict__", {}).items():  # caches kept on the object (analytics.frames.lineage): shared, not rebuilt
            if k not in names:
                object.__setattr__(copy, k, v)
        return copy
    return value  # scalars, and figures (shown, never changed, by the pages)


def _name(fn) -> str:  # noqa: ANN001
    """A function's cache name: pages all run as __main__, so their file is part of it."""
    code = getattr(fn, "__code__", None)
    return f"{fn.__module__}.{fn.__qualname__}@{code.co_filename if code else ''}"


def memo(key: tuple, fn, *args, **kwargs):  # noqa: ANN001, ANN201
    """fn(*args) cached per data version under `key`, which must name every input that varies
    (the frames passed in are derived from the data version and are not hashed)."""
    _eng, url, v = _current()
    return _fresh(_MEMO.get((url, v, _name(fn), *key), lambda: fn(*args, **kwargs)))


_FIGURES = _Lru(64)  # (figure function, digest of its inputs) → figure, across data versions


def _digest(value: Any) -> bytes:  # noqa: ANN401
    """A digest of a figure's input by content (a frame's columns, dtypes, index and cells)."""
    h = hashlib.sha1()
    if isinstance(value, pd.DataFrame):
        h.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
        h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    else:
        h.update(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return h.digest()


def by_content(fn, *args, **kwargs):  # noqa: ANN001, ANN201
    """fn(*args, **kwargs) for a pure figure builder (components.figures), cached by the content of its inputs: after
    an import that left them as they were (a values upload leaves every task figure unchanged) the figure already
    built is reused instead of building it again (a plotly figure costs tens of ms). Inputs that cannot be hashed are
    simply computed."""
    try:
        key = (_name(fn), *(_digest(a) for a in args), *((k, _digest(v)) for k, v in sorted(kwargs.items())))
    except (TypeError, ValueError, pickle.PicklingError):
        return fn(*args, **kwargs)
    return _FIGURES.get(key, lambda: fn(*args, **kwargs))


def figure(key: tuple, fn, *args, **kwargs):  # noqa: ANN001, ANN201
    """memo(key, fn, …) for a pure figure builder, built by content (by_content) when the data version is new."""
    return memo((_name(fn), *key), by_content, fn, *args, **kwargs)


def read(name: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
    """The view item `name` (store.snapshot.ITEMS) of the current data version, cached."""
    value = _view().get(name, *args, **kwargs)
    if isinstance(value, fr.Frames):
        fr.lineage(value)  # its look-ups kept on the cached frames, so every copy handed out shares them
    return _fresh(value)


def _accessor(item: Item) -> Callable[..., Any]:
    def accessor(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        return read(item.name, *args, **kwargs)

    accessor.__name__ = accessor.__qualname__ = item.name
    accessor.__doc__ = f"{item.doc} (cached; inputs: {', '.join(item.inputs) or 'none'})"
    return accessor


# one accessor per view item of the registry: data.frames(), data.status(year, quarter), … (store.snapshot.ITEMS)
ACCESSORS: dict[str, Callable[..., Any]] = {name: _accessor(item) for name, item in ITEMS.items()}
globals().update(ACCESSORS)


def tasks_base():  # noqa: ANN201
    """Assignments joined with outputs and agencies (cached): the registry's task_base under its older name."""
    return read("task_base")


def status_on_map(year: int, quarter: int, current_map: bool):  # noqa: ANN201
    """Task status at a quarter; on today's map, the assignments of agencies ended since then counted against their
    heirs of today (cached)."""
    if not current_map:
        return read("status", year, quarter)
    today = settings.today()
    return memo((year, quarter, "map-now", today), ags.carry_agencies, read("status", year, quarter), read("frames"),
                today)


def drill(unit: str | None, year: int, quarter: int, current_map: bool):  # noqa: ANN201 - analytics.units.Drill
    """Where a view of units stands for the URL's unit (cached)."""
    today = settings.today()
    return memo((unit, year, quarter, current_map, today), un.drill_state, read("frames"), unit,
                Quarter(year, quarter).end, current_map, today)


HELPERS = ("engine", "version", "refresh", "clear", "adopt", "settle", "memo", "figure", "by_content", "read", "tasks_base", "status_on_map",
           "drill", "latest_quarter", "is_sample", "pin_id", "pinned")  # what pages call besides the registry's accessors


def latest_quarter() -> tuple[int, int] | None:
    """The latest quarter with data (read once per data version, not on every run of every page)."""
    return _view().facts()[0]


def is_sample() -> bool:
    """True while the sample data is loaded."""
    return _view().facts()[1]
