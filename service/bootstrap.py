"""First run: make the database ready (store.bootstrap) and, while it holds no batch yet, import the sample
workbooks through the same command as any upload (service.import_file, audited "via samples")."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

import settings
from service.imports import import_file
from store import readmodels
from store.bootstrap import has_batches, ready, sample_files
from store.db import shared_engine


def bootstrap(engine: Engine | None = None, load_samples: bool | None = None,
              echo: Callable[[str], None] = lambda _m: None) -> dict:
    """Make the database ready; idempotent. Returns what was done."""
    engine = engine or shared_engine()
    ready(engine)
    if load_samples is None:
        load_samples = settings.get("CCHC_LOAD_SAMPLES") == "1"
    report: dict = {"database": engine.url.render_as_string(hide_password=True), "samples": []}
    if load_samples and not has_batches(engine):
        for path in sample_files():
            # in a row: the views compute the data of the last version when first opened
            res = import_file(engine, path, path.name, user="dữ liệu mẫu", is_sample=True, via="samples", refresh=False)
            echo(f"{path.name}: {res.status} {res.counts}")
            for p in res.errors[:5]:
                echo(f"  {p.sheet} {p.row} {p.column}: {p.message}")
            report["samples"].append({"file": path.name, "status": res.status, "counts": res.counts})
        if report["samples"]:
            readmodels.rebuild_all(engine)  # once for the samples imported in a row
    return report
