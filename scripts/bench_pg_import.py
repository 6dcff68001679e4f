"""Time a province-scale import (~220k indicator values) on top of the sample data, on PostgreSQL.

    python scripts/bench_pg_import.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Makes a schema of its own (dropped afterwards), loads the samples through the normal import path,
then times the import of bench_pages.scale_values_workbook and its rollback. Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    p = argparse.ArgumentParser()
    p.add_argument("--url", default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    p.add_argument("--workbook", default=None, help="the 220k-values workbook (made when missing)")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench_pg_"))
    os.environ.setdefault("CCHC_DATA_DIR", str(tmp))
    os.environ.setdefault("CCHC_TODAY", "2025-07-15")
    os.environ.setdefault("CCHC_ADMIN_PASSWORD", "bench-admin-password")
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine, text  # lazy: after the environment above, like the app's modules below

    from bench_pages import scale_values_workbook  # lazy: the data folder and day above must be set first
    from service.bootstrap import bootstrap  # lazy: as above
    from service.imports import import_file, rollback  # lazy: as above
    from store.db import make_engine  # lazy: as above

    book = scale_values_workbook(Path(args.workbook) if args.workbook else tmp / "scale_values.xlsx")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = args.url + ("&" if "?" in args.url else "?") + f"options=-csearch_path%3D{schema}"
    out: dict = {"schema": schema}
    try:
        engine = make_engine(url)
        t = time.perf_counter()
        bootstrap(engine, load_samples=True)
        out["samples_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        res = import_file(engine, book, book.name, user="bench", refresh=False)  # the write alone is timed
        out["import_s"] = round(time.perf_counter() - t, 1)
        out["status"] = res.status
        out["counts"] = res.counts
        if res.batch_id:
            t = time.perf_counter()
            errors = rollback(engine, res.batch_id, "bench", refresh=False).errors
            out["rollback_s"] = round(time.perf_counter() - t, 1)
            out["rollback_errors"] = errors
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
