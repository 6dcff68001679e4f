"""Two server processes on one PostgreSQL database, as behind the intranet's proxy: an import made through
`manage.py import` is seen by both within seconds. The second process has a data folder of its own (as on another
host: it cannot read the first one's prepared view data). Skipped without PostgreSQL.

The wait is a condition polled against a deadline (each poll renders the overview in a new session through the
websocket protocol), never a sleep."""
from __future__ import annotations

import asyncio
import os
import time

import pytest

from catalogue import UI
from loadtest import servers as sv
from loadtest.client import one_view

ROOT = sv.ROOT
DB = "cchc_serve_two_processes"
DEADLINE_S = 20  # the app re-reads the data version every 2 s (components/data.py VERSION_TTL); slack for a busy machine

PG = os.environ.get("TEST_DATABASE_URL", sv.DEFAULT_PG)  # the server; the test makes a database of its own on it

pytestmark = pytest.mark.skipif(not sv.pg_available(PG), reason="no PostgreSQL at TEST_DATABASE_URL / 127.0.0.1:5432")


@pytest.fixture
def pg_site(tmp_path):
    url = sv.fresh_pg_database(DB, PG)
    try:
        site = sv.Site(tmp_path / "a", url, samples=False)
        site.init()
        # a plan and the indicator catalogue; no quarter has data yet. (Values imported into a database without any
        # plan make the view-data preparation fail on an empty status table: see the report of this change.)
        for name in ("01_ke_hoach_2023_tinh.xlsx", "03_danh_muc_chi_tieu.xlsx"):
            site.manage("import", str(ROOT / "data" / "samples" / name))
        yield site
    finally:
        sv.drop_pg_database(DB, PG)


def _overview(server: sv.Server, cookie: str):  # noqa: ANN202
    return asyncio.run(one_view(server.url, "", {"cchc_auth": cookie}))


def test_an_import_is_seen_by_both_processes_within_seconds(pg_site, tmp_path):
    from formats import fmt_quarter
    from store.db import make_engine
    from store.queries import latest_quarter

    other_folder = tmp_path / "b"
    other_folder.mkdir()
    with sv.servers(pg_site, 1) as (first,):
        second = sv.start_server(pg_site, extra_env={"CCHC_DATA_DIR": str(other_folder)})
        try:
            both = (first, second)
            cookie = pg_site.login_cookie()
            for s in both:
                _overview(s, cookie)  # the first session after a start (README, known limits)
                before = _overview(s, cookie)
                assert before.ok and UI["page_overview"] in before.headings and UI["no_data"] in before.texts
            pg_site.manage("import", str(ROOT / "data" / "samples" / "05_so_lieu_chi_tieu.xlsx"))
            imported = time.monotonic()
            engine = make_engine(pg_site.database_url)
            quarter = latest_quarter(engine)
            engine.dispose()
            assert quarter is not None
            label = fmt_quarter(*quarter)
            seen: dict[int, float] = {}

            def shows_the_import(s: sv.Server) -> bool:
                view = _overview(s, cookie)
                assert view.ok, view.problem
                if UI["no_data"] in view.texts:
                    return False
                assert any(label in t for t in view.texts), view.texts[:8]
                seen[s.port] = time.monotonic() - imported
                return True

            for s in both:
                sv.wait_for(lambda s=s: shows_the_import(s), DEADLINE_S, f"the import on the process at port {s.port}",
                            poll_s=0.2)
            assert set(seen) == {first.port, second.port} and max(seen.values()) <= DEADLINE_S
        finally:
            sv.stop(second.process)
