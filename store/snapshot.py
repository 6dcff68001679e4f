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

import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

KEEP = 3  # data versions kept on disk (the current one and the ones a still-running process may read)


def _root() -> Path:
    import settings

    return settings.data_dir() / "snapshots"


def _dir(version: str) -> Path:
    return _root() / hashlib.sha1(version.encode("utf-8")).hexdigest()[:16]


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
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{name}.pickle")
    except OSError:
        return  # a read-only or full disk: the views compute in memory instead


def prune(keep_version: str, keep: int = KEEP) -> None:
    """Remove all but the newest `keep` snapshot folders (always keeping `keep_version`'s)."""
    root = _root()
    if not root.is_dir():
        return
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    current = _dir(keep_version)
    for old in [p for p in folders if p != current][max(keep - 1, 0):]:
        shutil.rmtree(old, ignore_errors=True)


def prepare(engine: Engine) -> str:
    """Compute and keep the current data version's view data: every table, and the statuses, value series and
    target assessments of the latest quarter with data (and the task statuses of the quarter before it, which
    the overview compares with). Returns the data version."""
    from analytics import dashboard as dash
    from store import queries as q

    version = q.data_version(engine)
    frames = q.frames(engine)
    save(version, "frames", frames)
    base = dash.task_base(frames)
    save(version, "task_base", base)
    latest = q.latest_quarter(engine)
    save(version, "facts", (latest, q.has_sample_data(engine)))
    if latest is not None:
        year, quarter = latest
        prev = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        for y, qq in (latest, prev):
            save(version, f"status-{y}-{qq}", dash.task_status(frames, y, qq, base))
        series = dash.value_series(frames, dash.quarter_date(year, quarter))
        save(version, f"series-{year}-{quarter}", series)
        save(version, f"assessed-{year}-{quarter}", dash.assess_targets(frames, year, quarter, series))
    prune(version)
    return version
