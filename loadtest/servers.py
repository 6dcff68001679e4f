"""Real servers for the load test and the serving tests: a prepared database, Streamlit processes, nginx in front.

Everything listens on 127.0.0.1 only, in a folder of its own, and is stopped by the caller (the context managers
below). Readiness is a condition polled against a deadline (`/_stcore/health` answering "ok"), never a sleep.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jwt
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx-cchc.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")  # the proxy's test certificate
PROXY_READY = bool(NGINX and OPENSSL)
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
VIEWER = "xem_tai"  # the load test's viewer account (role viewer, created in the test database only)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], bool], deadline_s: float, what: str, poll_s: float = 0.1) -> None:
    """Poll `condition` until it holds; TimeoutError naming `what` after `deadline_s` seconds."""
    end = time.monotonic() + deadline_s
    while True:
        if condition():
            return
        if time.monotonic() > end:
            raise TimeoutError(f"{what}: not within {deadline_s:.0f} s")
        time.sleep(poll_s)  # a polling interval, not a wait for an outcome


def http_get(url: str, timeout: float = 5.0, context=None, cookie: str = "") -> tuple[int, dict, bytes]:  # noqa: ANN001
    """(status, headers, body) of a GET; status 0 when nothing answers."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
    except (OSError, urllib.error.URLError):
        return 0, {}, b""


def healthy(base_url: str, context=None) -> bool:  # noqa: ANN001
    """True when Streamlit's health endpoint answers ok."""
    status, _h, body = http_get(f"{base_url}/_stcore/health", 2.0, context)
    return status == 200 and body.strip() == b"ok"


# --- the database -------------------------------------------------------------------------------------------
def pg_available(url: str | None = None) -> bool:
    """True when the PostgreSQL server of `url` (default: the tests' server at 127.0.0.1:5432) answers."""
    try:
        engine = create_engine(url or DEFAULT_PG, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means: no server to use
        return False


def fresh_pg_database(name: str, url: str | None = None) -> str:
    """Drop and create database `name` on the server of `url`; returns its SQLAlchemy URL."""
    base = make_url(url or DEFAULT_PG)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # name: ours, never user input
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(name: str, url: str | None = None) -> None:
    """Drop database `name` (after a run)."""
    admin = create_engine(make_url(url or DEFAULT_PG), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Site:
    """One installation: a data folder, a database, the settings every server process of it shares."""

    folder: Path
    database_url: str = ""  # "" = the SQLite file in the folder
    samples: bool = True
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # what all processes of one site must share: the database, the data folder (view data snapshots), the
        # login cookie's key and Streamlit's cookie secret (it signs Streamlit's own cookies; harmless to share, needed
        # once st.login is used)
        self.env = {**self.env, "CCHC_DATA_DIR": str(self.folder), "DATABASE_URL": self.database_url,
                    "CCHC_COOKIE_KEY": secrets.token_urlsafe(48), "CCHC_LOAD_SAMPLES": "1" if self.samples else "0",
                    "CCHC_ADMIN_PASSWORD": secrets.token_urlsafe(18),
                    "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32)}

    def environ(self) -> dict[str, str]:
        """The environment of a command or server process of this site."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STREAMLIT_", "CCHC_"))}
        env.update(self.env)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        return env

    def manage(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        """Run `python manage.py ARGS` on this site; raises on a non-zero exit."""
        run = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=self.environ(),
                             capture_output=True, text=True, timeout=timeout)
        if run.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} exited {run.returncode}:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
        return run

    def init(self) -> None:
        """Create the database with the reference data and the samples, and the load test's viewer account."""
        self.manage("init", *([] if self.samples else ["--no-samples"]))
        self.manage("user", "add", VIEWER, "--role", "viewer", "--name", "Người xem (đo tải)",
                    f"--password={secrets.token_urlsafe(18)}")  # one word: a password may start with "-"

    def login_cookie(self, username: str = VIEWER, days: float = 1.0) -> str:
        """The login cookie a browser keeps after `username` logged in (what streamlit-authenticator writes: an HS256
        JWT of the user name and expiry, signed with this site's cookie key)."""
        return jwt.encode({"username": username, "exp_date": time.time() + days * 86400}, self.env["CCHC_COOKIE_KEY"],
                          algorithm="HS256")


# --- server processes -------------------------------------------------------------------------------------------
@dataclass
class Server:
    """One `streamlit run app.py` process."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def start_server(site: Site, port: int | None = None, extra_env: dict[str, str] | None = None) -> Server:
    """Start one server process of `site` (production settings of .streamlit/config.toml) and wait until healthy."""
    port = port or free_port()
    log = site.folder / f"server-{port}.log"
    env = site.environ() | (extra_env or {})
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(port, proc, log)
    try:
        wait_for(lambda: proc.poll() is not None or healthy(server.url), 120, f"server on port {port}")
        if proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited {proc.returncode}:\n{server.log_text()[-4000:]}")
    except BaseException:
        stop(proc)
        raise
    return server


def stop(proc: subprocess.Popen, grace_s: float = 10) -> None:
    """End a process this module started (its own process group), then kill it if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 15)
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        proc.wait(grace_s)


@contextlib.contextmanager
def servers(site: Site, count: int) -> Iterator[list[Server]]:
    """`count` server processes of one site, stopped on exit."""
    started: list[Server] = []
    try:
        for _ in range(count):
            started.append(start_server(site))
        yield started
    finally:
        for s in started:
            stop(s.process)


# --- nginx in front ---------------------------------------------------------------------------------------------
@dataclass
class Proxy:
    """nginx running deploy/nginx-cchc.conf in front of some servers."""

    https_port: int
    http_port: int
    folder: Path
    process: subprocess.Popen
    cafile: Path

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def ssl_context(self):  # noqa: ANN201

        return ssl.create_default_context(cafile=str(self.cafile))

    def access_log(self) -> list[str]:
        path = self.folder / "cchc.access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (openssl), for the proxy's HTTPS."""
    crt, key = folder / "cchc.crt", folder / "cchc.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(crt),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return crt, key


def render_nginx(backends: list[int], https_port: int, http_port: int, folder: Path, crt: Path, key: Path) -> str:
    """deploy/nginx-cchc.conf with this machine's ports and paths: the upstream's two example servers become
    `backends`, the listen ports and certificate and log paths are replaced; nothing else changes."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    example = "    server 127.0.0.1:8501 max_fails=3 fail_timeout=10s;\n    server 127.0.0.1:8502 max_fails=3 fail_timeout=10s;\n"
    assert example in text, "deploy/nginx-cchc.conf: the upstream's example servers changed"
    text = text.replace(example, "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in backends))
    for old, new in [("listen 80;", f"listen 127.0.0.1:{http_port};"), ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
                     ("/etc/nginx/tls/cchc.crt", str(crt)), ("/etc/nginx/tls/cchc.key", str(key)),
                     ("/var/log/nginx/", f"{folder}/")]:
        assert old in text, f"deploy/nginx-cchc.conf: {old!r} not found"
        text = text.replace(old, new)
    return text


def start_nginx(backends: list[int], folder: Path) -> Proxy:
    """nginx (in the foreground of its own process) with deploy/nginx-cchc.conf in front of `backends`."""
    if not PROXY_READY:
        raise FileNotFoundError("nginx or openssl is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    crt, key = self_signed(folder)
    https_port, http_port = free_port(), free_port()
    (folder / "cchc.conf").write_text(render_nginx(backends, https_port, http_port, folder, crt, key), encoding="utf-8")
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    temp.chmod(0o777)  # workers run as nobody when nginx is started by root
    main = f"""daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx.error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/cchc.conf;
}}
"""
    (folder / "nginx.conf").write_text(main, encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(folder / "nginx.conf")], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
    with open(folder / "nginx.stderr", "wb") as err:
        proc = subprocess.Popen([NGINX, "-c", str(folder / "nginx.conf")], stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
    proxy = Proxy(https_port, http_port, folder, proc, crt)
    try:
        ctx = proxy.ssl_context()
        wait_for(lambda: proc.poll() is not None or healthy(proxy.url, ctx), 30, "nginx")
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited {proc.returncode}: {(folder / 'nginx.stderr').read_text()}")
    except BaseException:
        stop(proc)
        raise
    return proxy


@contextlib.contextmanager
def nginx(backends: list[int], folder: Path) -> Iterator[Proxy]:
    """nginx in front of `backends`, stopped on exit."""
    proxy = start_nginx(backends, folder)
    try:
        yield proxy
    finally:
        stop(proxy.process)
