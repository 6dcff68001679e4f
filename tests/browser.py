"""Shared harness of the browser tests: a real `streamlit run app.py` on a free port, and Debian's
chromium driven by Playwright. No sleeps: waits are bounded polls and Playwright's own waits."""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ADMIN_PASSWORD = "test-admin-password"  # the throw-away admin of every test database


def require_browser() -> None:
    """Skip the calling module when Playwright or Debian's chromium is missing."""
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install -y chromium)", allow_module_level=True)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (a local URL we built)
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


@contextmanager
def streamlit_server(data_dir: Path, **env: str) -> Iterator[str]:
    """Run the app over the database in `data_dir`; yields the base URL once /_stcore/health answers."""
    full = dict(os.environ, CCHC_DATA_DIR=str(data_dir), CCHC_LOAD_SAMPLES="0", CCHC_ADMIN_PASSWORD=ADMIN_PASSWORD,
                CCHC_TODAY="2025-07-15", CCHC_COOKIE_KEY=secrets.token_urlsafe(48), CCHC_ANONYMOUS_READ="0")
    full.pop("DATABASE_URL", None)
    full.update(env)
    port = free_port()
    log_path = data_dir / "streamlit.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=full, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):  # bounded: about a minute
                if _healthy(f"{base}/_stcore/health"):
                    break
                try:
                    proc.wait(timeout=0.5)
                    pytest.fail("streamlit exited:\n" + log_path.read_text(errors="replace")[-3000:])
                except subprocess.TimeoutExpired:
                    pass
            else:
                pytest.fail("streamlit did not answer /_stcore/health:\n" + log_path.read_text(errors="replace")[-3000:])
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


@contextmanager
def chromium(warm_up: str | None = None) -> Iterator[object]:
    """Headless chromium. With `warm_up`, one visit of that URL first: the very first session of a
    fresh server runs before st.navigation has registered the pages, and Streamlit 1.67 answers a
    deep link then with "Page not found" (later sessions are fine)."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            if warm_up:
                page = b.new_page()
                page.goto(warm_up)
                expect(page.locator('input[aria-label="Mật khẩu"]')).to_be_visible(timeout=60_000)
                page.close()
            yield b
        finally:
            b.close()


def login(page, username: str = "admin", password: str = ADMIN_PASSWORD) -> None:  # noqa: ANN001
    """Fill and submit the login form."""
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
