"""Cached access to the store for the pages: one engine per process, frames keyed by data version.

The view data is cached once per process with st.cache_resource, not st.cache_data: cache_data
unpickles a fresh copy on every read, which for province-scale frames (250k values) cost more than
drawing the page. Every read hands out shallow copies instead (`_fresh`): pandas copy-on-write makes
a write to one of them copy its data first, so a page can never change what the cache holds.
"""
from __future__ import annotations

import dataclasses
import gc
import sys
import threading
from typing import Any

import pandas as pd
import streamlit as st

from catalogue import UI

from analytics.dashboard import Frames, task_base, value_series
from store import queries as q
from store.bootstrap import bootstrap
from store.db import shared_engine


@st.cache_resource(show_spinner=UI["loading_db"])
def engine():
    """The shared engine; the first call creates the database and loads the samples."""
    eng = shared_engine()
    bootstrap(eng)
    return eng


@st.cache_data(ttl=2, show_spinner=False)
def _version() -> str:
    return q.data_version(engine())


def version() -> str:
    """The data version (changes on every import and rollback). Read from the database at most every
    2 s per process; an import or rollback made in the app calls refresh() so it shows at once."""
    return _version()


def refresh() -> None:
    """Forget the data version after an import or a rollback in this process."""
    _version.clear()


def warm() -> None:
    """After an import or a rollback made in the app: prepare the new data version's view data now (kept on
    disk for every server process, store.snapshot) and load it here, so the people who open the views next
    find them ready (the uploader waits a moment instead)."""
    from store import snapshot

    snapshot.prepare(engine())
    refresh()
    latest = latest_quarter()
    if latest is not None:
        status(*latest)
        assessed(*latest)


class _Heap:
    """What the last settle() saw: cache fills and modules loaded."""

    lock = threading.Lock()
    fills = 0
    settled = (-1, -1)


def _filled() -> None:
    _Heap.fills += 1


def settle() -> None:
    """After a run that filled a cache or loaded modules: collect once, then freeze what survived.

    A server holds ~250k long-lived Python objects (modules, plotly's validators, cached view data);
    every full collection walked all of them, a pause of ~0.1 s that fell on some user's run every
    few runs. Frozen objects are skipped by the collector (gc.freeze); the collection before it only
    walks what was made since the last one. A previous data version's frames are still freed when the
    cache drops them: they are released by reference counting, which freezing does not stop
    (tests/test_memory.py)."""
    seen = (_Heap.fills, len(sys.modules))
    if seen == _Heap.settled or not _Heap.lock.acquire(blocking=False):
        return
    try:
        gc.collect()
        gc.freeze()
        _Heap.settled = seen
    finally:
        _Heap.lock.release()


def _prepared(version_key: str, name: str, compute):  # noqa: ANN001, ANN202
    """The view data prepared on disk for this data version by the import (store.snapshot), else computed."""
    from store import snapshot

    value = snapshot.load(version_key, name)
    return value if value is not None else compute()


def _fresh(value: Any) -> Any:  # noqa: ANN401
    """A copy of a cached value that shares its data until written (pandas copy-on-write)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_fresh(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _fresh(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value  # scalars, and figures (shown, never changed, by the pages)


def _name(fn) -> str:  # noqa: ANN001
    """A function's cache name: pages all run as __main__, so their file is part of it."""
    code = getattr(fn, "__code__", None)
    return f"{fn.__module__}.{fn.__qualname__}@{code.co_filename if code else ''}"


@st.cache_resource(max_entries=256, show_spinner=False)
def _memo(version_key: str, key: tuple, _fn, _args: tuple, _kwargs: dict):  # noqa: ANN001, ANN202
    _filled()
    return _fn(*_args, **_kwargs)


def memo(key: tuple, fn, *args, **kwargs):  # noqa: ANN001, ANN201
    """fn(*args) cached per data version under `key`, which must name every input that varies
    (the frames passed in are derived from the data version and are not hashed)."""
    return _fresh(_memo(version(), (_name(fn), *key), fn, args, kwargs))


@st.cache_resource(max_entries=512, show_spinner=False)
def _by_value(name: str, _fn, args: tuple, kwargs: dict):  # noqa: ANN001, ANN202
    _filled()
    return _fn(*args, **kwargs)


def by_value(fn, *args, **kwargs):  # noqa: ANN001, ANN201
    """fn(*args) cached by the value of its arguments (hashed by Streamlit): for figures and display tables
    built from small frames, which would otherwise be rebuilt (and plotly-validated) on every rerun.
    The result is shared between sessions: callers show it, never change it."""
    return _fresh(_by_value(_name(fn), fn, args, kwargs))


@st.cache_resource(max_entries=4, show_spinner=False)
def _frames(version_key: str) -> Frames:
    _filled()
    return _prepared(version_key, "frames", lambda: q.frames(engine()))


def frames() -> Frames:
    """All view data for the current data version."""
    return _fresh(_frames(version()))


@st.cache_resource(max_entries=4, show_spinner=False)
def _task_base(version_key: str):  # noqa: ANN202
    _filled()
    return _prepared(version_key, "task_base", lambda: task_base(_frames(version_key)))


def tasks_base():  # noqa: ANN201
    """Assignments joined with outputs and agencies (cached)."""
    return _fresh(_task_base(version()))


@st.cache_resource(max_entries=8, show_spinner=False)
def _series(version_key: str, year: int, quarter: int):  # noqa: ANN202
    from analytics.dashboard import quarter_date

    _filled()
    return _prepared(version_key, f"series-{year}-{quarter}",
                     lambda: value_series(_frames(version_key), quarter_date(year, quarter)))


def series(year: int, quarter: int):  # noqa: ANN201
    """Indicator values with weighted roll-ups (cached per quarter)."""
    return _fresh(_series(version(), year, quarter))


@st.cache_resource(max_entries=8, show_spinner=False)
def _status(version_key: str, year: int, quarter: int):  # noqa: ANN202
    from analytics.dashboard import task_status

    _filled()
    return _prepared(version_key, f"status-{year}-{quarter}",
                     lambda: task_status(_frames(version_key), year, quarter, _task_base(version_key)))


def status(year: int, quarter: int):  # noqa: ANN201
    """Task status per assignment at the end of a quarter (cached)."""
    return _fresh(_status(version(), year, quarter))


@st.cache_resource(max_entries=8, show_spinner=False)
def _assessed(version_key: str, year: int, quarter: int):  # noqa: ANN202
    from analytics.dashboard import assess_targets

    _filled()
    return _prepared(version_key, f"assessed-{year}-{quarter}",
                     lambda: assess_targets(_frames(version_key), year, quarter, _series(version_key, year, quarter)))


def assessed(year: int, quarter: int):  # noqa: ANN201
    """Every target's progress status at a quarter (cached)."""
    return _fresh(_assessed(version(), year, quarter))


@st.cache_resource(max_entries=4, show_spinner=False)
def _data_facts(version_key: str) -> tuple[tuple[int, int] | None, bool]:
    eng = engine()
    return _prepared(version_key, "facts", lambda: (q.latest_quarter(eng), q.has_sample_data(eng)))


def latest_quarter() -> tuple[int, int] | None:
    """The latest quarter with data (read once per data version, not on every run of every page)."""
    return _data_facts(version())[0]


def is_sample() -> bool:
    """True while the sample data is loaded."""
    return _data_facts(version())[1]
