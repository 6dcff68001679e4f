"""The view data cached per data version is freed by reference counting once the cache drops it, even after
gc.freeze() (components.data.settle freezes the long-lived heap so that collections stay short)."""
from __future__ import annotations

import gc
import weakref

from analytics import series as sr
from analytics import targets as tg
from analytics import task_views as tv
from quarter import Quarter
from store import queries as q
from store.db import make_engine


def test_frozen_view_data_is_freed_when_dropped(sample_db):
    eng = make_engine(f"sqlite:///{sample_db}")
    was_enabled = gc.isenabled()
    gc.disable()  # only reference counting may free them here
    try:
        f = q.frames(eng)
        year, quarter = q.latest_quarter(eng)
        series = sr.value_series(f, Quarter(year, quarter).end)
        derived = (series, tg.assess_targets(f, year, quarter, series), tv.task_status(f, year, quarter))
        gc.freeze()
        refs = [weakref.ref(x) for x in (f.values, f.units, f.outputs, f.assignments, *derived)]
        assert all(r() is not None for r in refs)
        del f, series, derived
        assert [r() is None for r in refs] == [True] * len(refs)
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        eng.dispose()
