"""First run, the store's part: create or upgrade the schema, load the reference data and create the first admin.
The sample workbooks are then imported through the service like any upload (service.bootstrap)."""
from __future__ import annotations

from sqlalchemy import Engine, func, select

import settings
from store import schema as s
from store.accounts import ensure_admin
from store.db import upgrade
from store.reference import ensure_reference


def sample_files() -> list:
    """The sample workbooks, in import order (plans first)."""
    return sorted(settings.SAMPLES_DIR.glob("*.xlsx"))


def ready(engine: Engine) -> None:
    """Schema at head, reference data loaded, an admin account; idempotent."""
    upgrade(engine)
    ensure_reference(engine)
    ensure_admin(engine, echo=print)


def has_batches(engine: Engine) -> bool:
    """True once anything was imported (samples included)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.import_batches)).scalar_one() > 0
