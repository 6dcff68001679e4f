"""`python manage.py bench --load`: N concurrent viewers against the real server, one process and two.

Each viewer is a logged-in browser tab (the login cookie a browser keeps after logging in, for a viewer account
created in the run's own database; the server decodes and checks it exactly as for a returning visitor: no
CCHC_ANONYMOUS_READ shortcut). All N open their session at the same moment and render a page, timed from opening the
websocket to the run's end; viewer i asks for view i mod 6 of the six views. With --rounds R each viewer then
clicks on to the next R-1 views in the same session (navigation reruns, timed from the request). A view counts only when the server said its run
finished, without an exception or error alert, and the page's title was among its headings.

Scenarios: SQLite (one process; two processes on one shared SQLite file and data folder) and PostgreSQL (one and
two processes on one database). Two processes sit behind nginx running deploy/nginx-cchc.conf (HTTPS, sticky
route cookie); without nginx the two-process rows are skipped. Servers are warmed first (each page once per
process), as a server that has been up for a while is. Server CPU per view is read from /proc.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from catalogue import UI
from loadtest import servers as sv
from loadtest.client import ProtocolError, View, Viewer

# (url path, title key in catalogue.UI): the six views every reader may open; "" is the default page (tổng quan)
PAGES = [("", "page_overview"), ("chi-tieu", "page_targets"), ("dia-ban", "page_areas"),
         ("co-quan", "page_agencies"), ("xep-hang", "page_rankings"), ("nhiem-vu", "page_tasks")]
LEVELS = (10, 25, 50)
GOAL_P95_S = 2.0


@dataclass
class Row:
    """One line of the table: a scenario at one level of concurrent viewers."""

    database: str
    processes: int
    viewers: int
    views: int
    failed: int
    p50: float
    p95: float
    p95_first: float
    worst: float
    cpu_per_view: float
    client_cpu_per_view: float
    wall: float
    load: float  # the machine's 1-minute load average at the end (other work on the same cores)
    problems: list[str]


def _title(key: str) -> str:
    return UI[key]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes (and their waited-for children), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks; inf for no values."""
    if not values:
        return float("inf")
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


async def _viewer(url: str, cookie: str, start_at: int, rounds: int, gate: asyncio.Event, ssl_context,  # noqa: ANN001
                  timeout: float) -> list[tuple[View, bool]]:
    """One tab: `rounds` pages from PAGES[start_at]; returns (view, first view of the session)."""
    await gate.wait()
    out: list[tuple[View, bool]] = []
    viewer = Viewer(url, {"cchc_auth": cookie}, timeout, ssl_context)
    try:
        for i in range(rounds):
            page, title_key = PAGES[(start_at + i) % len(PAGES)]
            try:
                view = await viewer.view(page)
            except (ProtocolError, TimeoutError, OSError) as exc:
                out.append((View(page, timeout, False, problem=f"{type(exc).__name__}: {exc}"), i == 0))
                break
            title = _title(title_key)
            if view.ok and not any(title in h for h in view.headings):
                view.ok, view.problem = False, f"title {title!r} missing (headings {view.headings[:4]})"
            out.append((view, i == 0))
    finally:
        await viewer.close()
    return out


async def burst(url: str, cookies: list[str], rounds: int, ssl_context=None,  # noqa: ANN001
                timeout: float = 180.0) -> list[tuple[View, bool]]:
    """len(cookies) viewers at once; every view of every viewer."""
    gate = asyncio.Event()
    tasks = [asyncio.create_task(_viewer(url, c, i, rounds, gate, ssl_context, timeout)) for i, c in enumerate(cookies)]
    gate.set()
    results = await asyncio.gather(*tasks)
    return [v for r in results for v in r]


def warm(urls: list[str], cookie: str) -> None:
    """Each page once on each process (fills the process's caches as traffic would)."""
    for url in urls:
        # the first session after a start may get Streamlit's "page not found" notice (README, known limits)
        asyncio.run(burst(url, [cookie], 1))
        out = asyncio.run(burst(url, [cookie], len(PAGES)))
        bad = [v.problem for v, _first in out if not v.ok]
        if bad:
            raise RuntimeError(f"warm-up on {url} failed: {bad}")


def measure(database: str, processes: int, url: str, pids: list[int], site: sv.Site, viewers: int, rounds: int,
            ssl_context=None) -> Row:  # noqa: ANN001
    """One level of concurrency against one scenario."""
    cookies = [site.login_cookie() for _ in range(viewers)]
    cpu0, client0, t0 = _cpu_seconds(pids), time.process_time(), time.perf_counter()
    out = asyncio.run(burst(url, cookies, rounds, ssl_context))
    wall, cpu, client = time.perf_counter() - t0, _cpu_seconds(pids) - cpu0, time.process_time() - client0
    ok = [v.seconds for v, _f in out if v.ok]
    first = [v.seconds for v, f in out if v.ok and f]
    problems = sorted({v.problem for v, _f in out if not v.ok})
    return Row(database, processes, viewers, len(out), len(out) - len(ok), statistics.median(ok) if ok else float("inf"),
               percentile(ok, 95), percentile(first, 95), max(ok) if ok else float("inf"),
               cpu / max(len(ok), 1), client / max(len(ok), 1), wall, os.getloadavg()[0], problems)


def scenario(database: str, processes: int, site: sv.Site, levels: tuple[int, ...], rounds: int, echo=print) -> list[Row]:  # noqa: ANN001
    """Start the processes (and nginx for two), warm them, run every level."""
    rows: list[Row] = []
    with sv.servers(site, processes) as procs:
        pids = [s.process.pid for s in procs]
        warm([s.url for s in procs], site.login_cookie())
        if processes == 1:
            for n in levels:
                rows.append(measure(database, 1, procs[0].url, pids, site, n, rounds))
                echo(format_row(rows[-1]))
            return rows
        with sv.nginx([s.port for s in procs], site.folder / f"nginx-{processes}") as proxy:
            ctx = proxy.ssl_context()
            for n in levels:
                rows.append(measure(database, processes, proxy.url, pids, site, n, rounds, ctx))
                echo(format_row(rows[-1]))
    return rows


HEADER = ("| database | processes | viewers | views | failed | p50 s | p95 s | p95 first view s | max s "
          "| server CPU s/view | client CPU s/view | wall s | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def _num(x: float) -> str:
    return "–" if x == float("inf") else f"{x:.2f}".replace(".", ",")


def format_row(r: Row) -> str:
    """One Markdown table line (Vietnamese decimal comma)."""
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r.database]
    how = f"{r.processes}" + (" (nginx)" if r.processes > 1 else "")
    return (f"| {label} | {how} | {r.viewers} | {r.views} | {r.failed} | {_num(r.p50)} | {_num(r.p95)} "
            f"| {_num(r.p95_first)} | {_num(r.worst)} | {_num(r.cpu_per_view)} | {_num(r.client_cpu_per_view)} "
            f"| {_num(r.wall)} | {_num(r.load)} |")


def main(argv: list[str] | None = None, quick: bool = False) -> int:
    """Run the matrix and print the table; exit 0 when every view rendered (the p95 goal is reported, not enforced)."""
    p = argparse.ArgumentParser(prog="python -m loadtest", description="load test through Streamlit's websocket protocol")
    p.add_argument("--viewers", default=",".join(map(str, LEVELS)), help="levels of concurrent viewers, e.g. 10,25,50")
    p.add_argument("--rounds", type=int, default=1,
                   help="pages per viewer: 1 = each opens a session and renders one page; more = navigation reruns")
    p.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--processes", default="1,2", help="server processes, e.g. 1,2")
    p.add_argument("--pg-url", default=sv.DEFAULT_PG,
                   help="a PostgreSQL server where the run may create (and drop) a database of its own")
    args = p.parse_args(argv or [])
    levels = tuple(int(x) for x in args.viewers.split(",")) if not quick else (10,)
    counts = [int(x) for x in args.processes.split(",")]
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"Đo tải: {os.cpu_count()} lõi (nproc), {args.rounds} trang mỗi người xem, máy chủ đã làm nóng; "
          f"mục tiêu p95 ≤ {_num(GOAL_P95_S)} s ở 50 người xem.")
    print(HEADER)
    rows: list[Row] = []
    failures = 0
    for database in databases:
        if database == "postgresql" and not sv.pg_available(args.pg_url):
            print("| PostgreSQL | – | – | – | – | bỏ qua: không có máy chủ PostgreSQL (--pg-url) | | | | | | | |")
            continue
        with tempfile.TemporaryDirectory(prefix=f"cchc-load-{database}-") as tmp:
            db_name = f"cchc_load_{os.getpid()}"
            url = sv.fresh_pg_database(db_name, args.pg_url) if database == "postgresql" else ""
            try:
                site = sv.Site(Path(tmp), url)
                site.init()
                for n in counts:
                    if n > 1 and not sv.PROXY_READY:
                        print(f"| {database} | {n} | – | – | – | bỏ qua: không có nginx hoặc openssl | | | | | | | |")
                        continue
                    got = scenario(database, n, site, levels, args.rounds)
                    rows += got
                    failures += sum(r.failed for r in got)
            finally:
                if database == "postgresql":
                    sv.drop_pg_database(db_name, args.pg_url)
    for r in rows:
        for problem in r.problems[:3]:
            print(f"  lỗi ({r.database}, {r.processes} tiến trình, {r.viewers} người xem): {problem}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
