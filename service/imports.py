"""Import, dry run and rollback: parse → validate and match → one transaction (audited in it) → the read data of
the new data version prepared.

The upload page rehearses a file (`dry_run`), shows what it found and what it would change (the preview, collected
from the rows the rehearsal's own matching resolved: store.diff), then imports the same bytes: `import_file`
given that Rehearsal reuses its parse (keyed by the bytes' hash, the options, the confirmed targets and the
writer) as long as the data version it was validated against is still current; otherwise the file is read and
validated again. Matching against the stored data always runs once more, inside the import's own transaction
under the write lock: the rows it writes are built from what that transaction sees (the ids a rehearsal saw were
rolled back with it).
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from catalogue import UI
from loaders.parse import Options
from store import queries, readmodels, snapshot
from store.authorize import ADMIN, Scope
from store.diff import Diff
from store.importer import ImportResult, Parsed, Progress, import_workbook, read_upload, rollback_batch
from store.snapshot import ViewData

log = logging.getLogger(__name__)


@dataclass
class Rehearsal:
    """A dry run of one file: what it found (`result`, status dry_run or refused), the file as read (`parsed`), the
    key of what was rehearsed, the data version it was validated against and what the import would change
    (`diff`: new / changed / unchanged / unmatched rows per part, from the rehearsal's own matching)."""

    key: tuple
    version: str
    result: ImportResult
    parsed: Parsed | None = None  # None when the file could not be read (another import held the lock)
    diff: Diff | None = None  # None when the file could not be read

    @property
    def ok(self) -> bool:
        return self.result.ok and self.result.status == "dry_run"


@dataclass
class Imported:
    """What `import_file` did: the import's result and, when it wrote, the new version's view data (prepared)."""

    result: ImportResult
    view: ViewData | None = None
    prepare_seconds: float = 0.0
    reused_parse: bool = False  # the parse of a rehearsal of the same bytes was used

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def batch_id(self) -> int | None:
        return self.result.batch_id

    @property
    def counts(self) -> dict[str, int]:
        return self.result.counts

    @property
    def problems(self) -> list:
        return self.result.problems

    @property
    def errors(self) -> list:
        return self.result.errors

    @property
    def parse(self):  # noqa: ANN201 - loaders.parse.ParseResult
        return self.result.parse


@dataclass
class RolledBack:
    """What `rollback` did: Vietnamese errors (empty when undone) and the new version's view data."""

    errors: list[str] = field(default_factory=list)
    view: ViewData | None = None
    prepare_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


def _bytes(source: bytes | Path | str) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _options_key(options: Options | None) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in vars(options or Options()).items() if k != "learned"))


def _scope_key(scope: Scope) -> tuple:
    return (tuple(sorted(scope.agencies)), tuple(sorted(scope.units)), scope.is_admin, scope.read_only)


def rehearsal_key(content: bytes, file_name: str | None, options: Options | None, confirmed: list | None,
                  user: str, scope: Scope) -> tuple:
    """What a rehearsal stands for: the bytes (their hash) and name, the options, the confirmed targets, the writer.
    The first three parts are what the parse depends on besides the data (see `_parse_key`)."""
    return (hashlib.sha256(content).hexdigest(), file_name, _options_key(options), repr(confirmed or []), user,
            _scope_key(scope))


def _parse_key(key: tuple) -> tuple:
    return key[:3]


def _accept(confirmed: list | None) -> Callable[[list], list] | None:
    return (lambda _proposals: confirmed) if confirmed else None


def dry_run(engine: Engine, source: bytes | Path | str, file_name: str | None = None, *, user: str = "system",
            scope: Scope = ADMIN, options: Options | None = None, confirmed: list | None = None,
            earlier: Rehearsal | None = None, via: str = "app") -> Rehearsal:
    """Parse, validate, match and authorize one file as `user` would import it, in a transaction rolled back:
    every error in one pass, nothing written. `confirmed`: the target proposals of a document the writer
    confirmed. `earlier`: a rehearsal of the same bytes (other confirmed targets): its parse is reused while the
    data version is the same. The rehearsal's `diff` is the upload's preview, collected in the same pass."""
    content = _bytes(source)
    name = file_name or (Path(source).name if isinstance(source, (str, Path)) else None)
    key = rehearsal_key(content, name, options, confirmed, user, scope)
    version = queries.data_version(engine)
    parsed = None
    if earlier is not None and earlier.parsed is not None and earlier.version == version \
            and _parse_key(earlier.key) == _parse_key(key):
        parsed = earlier.parsed
    if parsed is None:
        read = read_upload(engine, content, name, options)
        if isinstance(read, ImportResult):  # another import held the lock longer than allowed
            return Rehearsal(key, version, read)
        parsed = read
    diff = Diff()
    result = import_workbook(engine, content, name, options, user=user, scope=scope, dry_run=True, via=via,
                             accept_targets=_accept(confirmed), parsed=parsed, preview=diff.collect)
    return Rehearsal(key, version, result, parsed, diff)


def import_file(engine: Engine, source: bytes | Path | str, file_name: str | None = None, *, user: str = "system",
                scope: Scope = ADMIN, options: Options | None = None, confirmed: list | None = None,
                accept_targets: Callable[[list], list] | None = None, rehearsal: Rehearsal | None = None,
                is_sample: bool = False, via: str = "app", progress: Progress | None = None,
                refresh: bool = True) -> Imported:
    """Import one file in one transaction (audited in it, as `user` via `via`), then prepare the new version's view
    data (unless `refresh` is False: the first run's samples, imported in a row).

    `rehearsal`: the dry run of the same file: its parse is reused when it stands for the same bytes, options,
    confirmed targets and writer and the data version it was validated against is still current (else the file is
    read and validated again). `accept_targets`: a choice over the proposals as read (the command line's
    --accept-targets) instead of the `confirmed` list."""
    content = _bytes(source)
    name = file_name or (Path(source).name if isinstance(source, (str, Path)) else None)
    parsed = None
    if rehearsal is not None and rehearsal.parsed is not None and accept_targets is None \
            and rehearsal.key == rehearsal_key(content, name, options, confirmed, user, scope) \
            and rehearsal.version == queries.data_version(engine):
        parsed = rehearsal.parsed
    before = queries.data_version(engine)
    result = import_workbook(engine, content, name, options, user=user, scope=scope, is_sample=is_sample, via=via,
                             progress=progress, accept_targets=accept_targets or _accept(confirmed), parsed=parsed)
    done = Imported(result, reused_parse=parsed is not None)
    if result.status == "imported" and refresh:
        if progress is not None:
            progress(1.0, UI["upload_warming"])
        done.view, done.prepare_seconds = _prepare(engine, before, [result.batch_id])
    return done


def rollback(engine: Engine, batch_id: int, user: str, scope: Scope = ADMIN, via: str = "app",
             refresh: bool = True) -> RolledBack:
    """Undo one batch exactly (an admin's only), audited in its transaction; then prepare the new version's view
    data."""
    before = queries.data_version(engine)
    change = readmodels.touched(engine, [batch_id])  # the rollback deletes the rows that say what it undoes
    done = RolledBack(rollback_batch(engine, batch_id, user, scope=scope, via=via))
    if done.ok and refresh:
        done.view, done.prepare_seconds = _prepare(engine, before, [batch_id], change)
    return done


def _prepare(engine: Engine, before: str | None = None, batch_ids: list[int] | None = None,
             change: readmodels.Touched | None = None) -> tuple[ViewData | None, float]:
    """The read models brought to the new data version (store.readmodels: per batch, from `before`, the version
    just before the change; else rebuilt), then its view data prepared for every process (store.snapshot); None
    when that fails: the change is committed, and the views then compute what they need."""
    started = time.perf_counter()
    try:
        readmodels.refresh(engine, before, [b for b in batch_ids or [] if b is not None], change)
    except Exception:  # noqa: BLE001 - derived data: the committed change stands, the views compute instead
        log.exception("refreshing the read models after a change failed")
    try:
        view = snapshot.prepare(engine)
    except Exception:  # noqa: BLE001 - a cache: the committed change stands
        log.exception("preparing the view data after a change failed")
        view = None
    return view, time.perf_counter() - started


def refresh_after(engine: Engine, batch_id: int | None, before: str | None = None) -> tuple[ViewData | None, float]:
    """After a command that wrote a batch (an alias change, a bulk load): the read models (per batch when `before`,
    the data version just before it, is given) and the new version's view data."""
    return _prepare(engine, before, [batch_id]) if batch_id is not None else (None, 0.0)
