"""Cached access to the store for the pages: one engine per process, frames keyed by data version."""
from __future__ import annotations

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
    """After an import or a rollback made in the app: compute the latest quarter's view data now, so
    the people who open the views next find them ready (the uploader waits a moment instead)."""
    refresh()
    latest = latest_quarter()
    if latest is not None:
        status(*latest)
        assessed(*latest)


@st.cache_data(max_entries=256, show_spinner=False)
def _memo(version_key: str, key: tuple, _fn, _args: tuple, _kwargs: dict):  # noqa: ANN001, ANN202
    return _fn(*_args, **_kwargs)


def memo(key: tuple, fn, *args, **kwargs):  # noqa: ANN001, ANN201
    """fn(*args) cached per data version under `key`, which must name every input that varies
    (the frames passed in are derived from the data version and are not hashed)."""
    return _memo(version(), (f"{fn.__module__}.{fn.__qualname__}", *key), fn, args, kwargs)


@st.cache_data(max_entries=4, show_spinner=False)
def _frames(version_key: str) -> Frames:
    eng = engine()
    return q.frames(eng)


def frames() -> Frames:
    """All view data for the current data version."""
    return _frames(version())


@st.cache_data(max_entries=4, show_spinner=False)
def _task_base(version_key: str):  # noqa: ANN202
    return task_base(frames())


def tasks_base():  # noqa: ANN201
    """Assignments joined with outputs and agencies (cached)."""
    return _task_base(version())


@st.cache_data(max_entries=8, show_spinner=False)
def _series(version_key: str, year: int, quarter: int):  # noqa: ANN202
    from analytics.dashboard import quarter_date

    return value_series(frames(), quarter_date(year, quarter))


def series(year: int, quarter: int):  # noqa: ANN201
    """Indicator values with weighted roll-ups (cached per quarter)."""
    return _series(version(), year, quarter)


@st.cache_data(max_entries=8, show_spinner=False)
def _status(version_key: str, year: int, quarter: int):  # noqa: ANN202
    from analytics.dashboard import task_status

    return task_status(frames(), year, quarter, tasks_base())


def status(year: int, quarter: int):  # noqa: ANN201
    """Task status per assignment at the end of a quarter (cached)."""
    return _status(version(), year, quarter)


@st.cache_data(max_entries=8, show_spinner=False)
def _assessed(version_key: str, year: int, quarter: int):  # noqa: ANN202
    from analytics.dashboard import assess_targets

    return assess_targets(frames(), year, quarter, series(year, quarter))


def assessed(year: int, quarter: int):  # noqa: ANN201
    """Every target's progress status at a quarter (cached)."""
    return _assessed(version(), year, quarter)


@st.cache_data(max_entries=4, show_spinner=False)
def _data_facts(version_key: str) -> tuple[tuple[int, int] | None, bool]:
    eng = engine()
    return q.latest_quarter(eng), q.has_sample_data(eng)


def latest_quarter() -> tuple[int, int] | None:
    """The latest quarter with data (read once per data version, not on every run of every page)."""
    return _data_facts(version())[0]


def is_sample() -> bool:
    """True while the sample data is loaded."""
    return _data_facts(version())[1]
