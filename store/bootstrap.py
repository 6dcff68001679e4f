"""First run: create or upgrade the schema, load reference data, and import the sample workbooks
through the same path as any upload when the database holds no batch yet."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, select

import settings
from store import schema as s
from store.db import shared_engine, upgrade
from store.importer import import_workbook
from store.reference import ensure_reference


def sample_files() -> list:
    """The sample workbooks, in import order (plans first)."""
    return sorted(settings.SAMPLES_DIR.glob("*.xlsx"))


def bootstrap(engine: Engine | None = None, load_samples: bool | None = None,
              echo: Callable[[str], None] = lambda _m: None) -> dict:
    """Make the database ready; idempotent. Returns what was done."""
    engine = engine or shared_engine()
    upgrade(engine)
    ensure_reference(engine)
    from store.users import ensure_admin

    ensure_admin(engine, echo=print)
    if load_samples is None:
        load_samples = settings.get("CCHC_LOAD_SAMPLES") == "1"
    report: dict = {"database": engine.url.render_as_string(hide_password=True), "samples": []}
    with engine.connect() as conn:
        has_batches = conn.execute(select(func.count()).select_from(s.import_batches)).scalar_one() > 0
    if load_samples and not has_batches:
        for path in sample_files():
            res = import_workbook(engine, path, path.name, user="dữ liệu mẫu", is_sample=True, via="samples")
            echo(f"{path.name}: {res.status} {res.counts}")
            for p in res.errors[:5]:
                echo(f"  {p.sheet} {p.row} {p.column}: {p.message}")
            report["samples"].append({"file": path.name, "status": res.status, "counts": res.counts})
    return report
