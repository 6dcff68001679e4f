"""Run the parse of an upload in a child process with a memory and a time limit.

An unknown reader bug (python-calamine aborts the whole process when an allocation fails, a Rust
`abort`, exit 134) or a file that needs too much memory or time then costs one refused file, never
the server. The server process itself is never forked (Streamlit's is multithreaded): the first
parse starts a small **parser server** (`python -m loaders.sandbox`, single-threaded) that imports
pandas, python-calamine and the loaders once and builds the reference data; each upload is parsed in
a child forked from it, so a parse costs a fork, not a cold start of Python and pandas.

Per job the parent hands the parser server two socket ends: the data socket (request and result,
between parent and child) and the status socket (the child's pid, then its exit status, from the
parser server). The child sets RLIMIT_AS (its address space at start plus CCHC_PARSE_MEMORY_MB) and
RLIMIT_CPU, applies the caller's CCHC_* settings, runs the target and sends the pickled result
whole (a ParseResult with its frames). The parent kills the child when CCHC_PARSE_TIMEOUT_S passes.
At most CCHC_PARSE_WORKERS parses run at once per server process; more wait their turn.
"""
from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import importlib
import io
import logging
import os
import pickle
import resource
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
import uuid
from datetime import date
from pathlib import Path

import settings
from catalogue import message
from loaders import workbook
from loaders.agencies import resolver_for
from loaders.parse import ParseResult, parse_workbook
from loaders.reference import reference
from model import Problem

log = logging.getLogger(__name__)
FILE = "(tệp)"
ROOT = Path(__file__).resolve().parent.parent
_TARGETS = {  # what a child may run: name → "module:function"
    "parse_workbook": "loaders.parse:parse_workbook",
    "errors_copy": "exports.annotate:errors_copy",
    "probe": "loaders.sandbox:_probe",
    "explain": "loaders.inspection:explain",
}
_PRELOAD = ("pandas", "numpy", "python_calamine", "openpyxl", "defusedxml.ElementTree", "loaders.parse", "loaders.document", "loaders.values",
            "loaders.par", "loaders.progress", "loaders.catalogue_sheet", "loaders.plan", "loaders.rules", "exports.annotate")
_I64 = struct.Struct("!q")
_STARTUP_S = 120.0  # the parser server's first start imports pandas & co.: generous on a loaded machine


class SandboxFailure(Exception):
    """The child did not return a result; `problem` says why, in Vietnamese."""

    def __init__(self, problem: Problem, kind: str) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.kind = kind  # memory | timeout | crashed | internal | busy


def _failure(kind: str, key: str, **values: object) -> SandboxFailure:
    return SandboxFailure(Problem(FILE, None, None, message(key, **values)), kind)


# --- framing -------------------------------------------------------------------------------------
def _send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_I64.pack(len(payload)))
    sock.sendall(payload)


def _recv_exact(sock: socket.socket, n: int, deadline: float | None = None) -> bytes:
    """n bytes from the socket; TimeoutError at the deadline, EOFError when the peer is gone."""
    chunks: list[bytes] = []
    got = 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
        try:
            chunk = sock.recv(min(n - got, 1 << 22))
        except TimeoutError:
            raise TimeoutError from None
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _recv_frame(sock: socket.socket, deadline: float | None = None) -> bytes:
    (n,) = _I64.unpack(_recv_exact(sock, _I64.size, deadline))
    return _recv_exact(sock, n, deadline)


# --- the child -----------------------------------------------------------------------------------
def _vm_bytes() -> int:
    """This process's address space now (Linux /proc), or 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this child when the parser server dies (no orphan keeps parsing)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _apply_env(env: dict[str, str]) -> None:
    """The caller's settings as the caller sees them now (the parser server started with older ones)."""
    for key in [k for k in os.environ if k.startswith("CCHC_") or k == "DATABASE_URL"]:
        if key not in env:
            del os.environ[key]
    os.environ.update(env)


def _target(name: str):
    module, func = _TARGETS[name].split(":")
    return getattr(importlib.import_module(module), func)


def _child(data_fd: int) -> int:
    """Run one job in the forked child; returns the exit code."""
    _die_with_parent()
    sock = socket.socket(fileno=data_fd)
    env, name, args, kwargs, memory_mb, timeout_s = pickle.loads(_recv_frame(sock))
    _apply_env(env)
    if memory_mb > 0 and (base := _vm_bytes()):
        limit = base + memory_mb * 1048576
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if timeout_s > 0:
        cpu = int(timeout_s) + 5  # a backstop: the parent kills on wall-clock time first
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    if memory_mb > 0:
        workbook.INSIDE_LIMITS = True  # big sheets may be measured while calamine reads them (loaders/workbook.py)
    gc.disable()  # a child lives for one parse: its few cycles go with it (the address-space limit still holds)
    try:
        payload = ("ok", _target(name)(*args, **kwargs))
    except MemoryError:
        payload = ("memory", None)
    except BaseException:  # noqa: BLE001 - every failure goes back as one refused file
        error_id = uuid.uuid4().hex[:8]
        print(f"[loaders.sandbox] {name} failed, error id {error_id}:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
        payload = ("error", error_id)
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    _send_frame(sock, data)
    sock.close()
    return 0


def _probe(what: str, size: int = 0) -> object:
    """Test-only target (tests/test_sandbox.py): misbehave the way a reader bug would."""
    if what == "env":
        return {k: v for k, v in os.environ.items() if k.startswith("CCHC_")}
    if what == "memory":
        return len(bytearray(size))
    if what == "abort":
        os.abort()
    if what == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if what == "hang":
        while True:
            time.sleep(0.05)
    if what == "raise":
        raise RuntimeError("probe")
    if what == "pid":
        return os.getpid()
    return what


# --- the parser server ---------------------------------------------------------------------------
def _warm() -> None:
    """Import the readers and build what every parse needs, once, before any fork."""
    for name in _PRELOAD:
        importlib.import_module(name)

    resolver_for(reference())
    _rehearse()
    # Everything imported so far is shared with every child, copy-on-write: keep the collector off those pages
    # (a full collection in a child would touch, and so copy, every object of pandas & co.).
    gc.collect()
    gc.freeze()


def _rehearsal_book() -> bytes:
    """A small indicator-values workbook (three communes, one quarter) for the parser server's rehearsal."""
    from openpyxl import Workbook  # lazy: only the parser server writes this workbook

    units = reference().valid_units(date(2024, 3, 31), "commune").head(3)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Số liệu")
    ws.append(["SỐ LIỆU CHỈ TIÊU"])
    ws.append(["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    for code, name in zip(units["code"], units["name"]):
        ws.append(["TTHC_ONLINE_DOSSIER_RATE", None, code, name, 2024, 1, 50.0, 1, 2])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rehearse() -> None:
    """Parse one small values workbook before any fork: what a first parse builds (modules imported on first use,
    compiled patterns, header scores, the reference's indexes) is then shared by every child, not rebuilt by each.
    A failure here only costs that head start."""
    try:
        parse_workbook(_rehearsal_book(), "warm.xlsx")
    except Exception:  # noqa: BLE001 - a head start only
        log.warning("the parser server's rehearsal parse failed", exc_info=True)


def _serve(ctrl_fd: int) -> None:
    """The parser server's loop: fork one child per job, report each child's pid and exit status."""
    ctrl = socket.socket(fileno=ctrl_fd)
    _warm()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.set_wakeup_fd(wake_w)
    jobs: dict[int, socket.socket] = {}
    sel = selectors.DefaultSelector()
    sel.register(ctrl, selectors.EVENT_READ)
    sel.register(wake_r, selectors.EVENT_READ)
    _send_frame(ctrl, b"ready")
    while True:
        for key, _ in sel.select():
            if key.fileobj is ctrl:
                try:
                    msg, fds, _flags, _addr = socket.recv_fds(ctrl, 1, 2)  # one job per byte
                except OSError:
                    msg, fds = b"", []
                if not msg:  # the parent is gone: so are its jobs
                    for pid in jobs:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                    return
                data_fd, status_fd = fds
                pid = os.fork()
                if pid == 0:
                    code = 1
                    try:
                        signal.set_wakeup_fd(-1)
                        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                        for fd in (wake_r, wake_w, status_fd):
                            os.close(fd)
                        ctrl.close()
                        sel.close()
                        for s in jobs.values():
                            s.close()
                        code = _child(data_fd)
                    finally:
                        os._exit(code)
                os.close(data_fd)
                status = socket.socket(fileno=status_fd)
                try:
                    status.sendall(_I64.pack(pid))
                    jobs[pid] = status
                except OSError:
                    status.close()
            else:
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_r, 512):
                        pass
                while True:
                    try:
                        pid, st = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    status = jobs.pop(pid, None)
                    if status is not None:
                        with contextlib.suppress(OSError):
                            status.sendall(_I64.pack(os.waitstatus_to_exitcode(st)))
                        status.close()


class _Server:
    """The parent's handle on its parser server (one per process, started on first use)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.ctrl: socket.socket | None = None

    def _start(self) -> None:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # no BLAS threads before fork
            env.setdefault(var, "1")
        env["RUST_BACKTRACE"] = "0"  # an aborting reader logs its one line ("memory allocation of … failed"), not 40
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "loaders.sandbox", str(child.fileno())], cwd=ROOT, env=env, pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL, start_new_session=True)
        child.close()
        try:
            if _recv_frame(parent, time.monotonic() + _STARTUP_S) != b"ready":
                raise EOFError
        except (EOFError, TimeoutError, OSError):
            parent.close()
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            raise
        self.ctrl = parent

    def submit(self, data_end: socket.socket, status_end: socket.socket) -> None:
        """Hand one job's socket ends to the parser server (started, or restarted, as needed)."""
        with self.lock:
            for attempt in range(2):
                if self.proc is None or self.proc.poll() is not None:
                    if self.ctrl is not None:
                        self.ctrl.close()
                        self.ctrl = None
                    self._start()
                try:
                    socket.send_fds(self.ctrl, [b"J"], [data_end.fileno(), status_end.fileno()])
                    return
                except OSError:
                    if attempt:
                        raise
                    self.proc.kill()
                    self.proc.wait()
                    self.proc = None

    def close(self) -> None:
        """Stop the parser server (its running children are killed)."""
        with self.lock:
            if self.ctrl is not None:
                self.ctrl.close()
                self.ctrl = None
            if self.proc is not None:
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
                self.proc = None


_SERVER = _Server()
atexit.register(_SERVER.close)
_SLOTS_LOCK = threading.Lock()
_SLOTS: tuple[int, threading.BoundedSemaphore] | None = None


def _slots() -> threading.BoundedSemaphore:
    global _SLOTS
    n = max(1, settings.int_setting("CCHC_PARSE_WORKERS"))
    with _SLOTS_LOCK:
        if _SLOTS is None or _SLOTS[0] != n:
            _SLOTS = (n, threading.BoundedSemaphore(n))
        return _SLOTS[1]


def _exit_text(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"tín hiệu {-code}"
        return f"tiến trình đọc bị dừng bởi {name}" + (", thường do hết bộ nhớ" if name == "SIGABRT" else "")
    return f"tiến trình đọc kết thúc với mã {code}"


def run_isolated(name: str, *args: object, **kwargs: object) -> object:
    """Run a target of _TARGETS in a child of the parser server; SandboxFailure when it returns nothing."""
    timeout = float(settings.get("CCHC_PARSE_TIMEOUT_S") or 0)
    memory_mb = settings.int_setting("CCHC_PARSE_MEMORY_MB")
    env = {k: v for k, v in os.environ.items() if k.startswith("CCHC_") or k == "DATABASE_URL"}
    request = pickle.dumps((env, name, args, kwargs, memory_mb, timeout), protocol=pickle.HIGHEST_PROTOCOL)
    slots = _slots()
    if not slots.acquire(timeout=timeout or None):
        raise _failure("busy", "parse_busy")
    try:
        return _run(request, timeout, memory_mb)
    finally:
        slots.release()


def _run(request: bytes, timeout: float, memory_mb: int) -> object:
    data_a, data_b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    status_a, status_b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with data_a, status_a:
        try:
            _SERVER.submit(data_b, status_b)
        except (OSError, EOFError, TimeoutError) as exc:
            log.error("the parser server could not start: %s", exc)
            raise _failure("internal", "parse_internal", error_id="máy chủ đọc tệp không khởi động được") from exc
        finally:
            data_b.close()
            status_b.close()
        try:
            (pid,) = _I64.unpack(_recv_exact(status_a, _I64.size, time.monotonic() + _STARTUP_S))
        except (EOFError, TimeoutError, OSError) as exc:
            raise _failure("internal", "parse_internal", error_id="máy chủ đọc tệp không trả lời") from exc
        deadline = time.monotonic() + timeout if timeout > 0 else None
        payload: bytes | None = None
        timed_out = False
        try:
            data_a.settimeout(timeout if timeout > 0 else None)  # a child that never reads its request is a hang too
            _send_frame(data_a, request)
            payload = _recv_frame(data_a, deadline)
        except TimeoutError:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        except (EOFError, OSError):
            payload = None  # the child died: its status says how
        code = None
        if payload is None:  # only a failure needs the exit status (a finished child may still be exiting)
            try:
                (code,) = _I64.unpack(_recv_exact(status_a, _I64.size, time.monotonic() + 30))
            except (EOFError, TimeoutError, OSError):
                code = None
    if timed_out or code == -signal.SIGXCPU:  # SIGXCPU: the CPU backstop of RLIMIT_CPU
        raise _failure("timeout", "parse_timeout", limit_s=f"{timeout:g}")
    if payload is None:
        log.error("parse child %s died: exit status %s", pid, code)
        raise _failure("memory" if code == -signal.SIGABRT else "crashed", "parse_crashed",
                       code=_exit_text(code) if code is not None else "không rõ nguyên nhân")
    status, value = pickle.loads(payload)
    if status == "ok":
        return value
    if status == "memory":
        raise _failure("memory", "parse_memory", limit_mb=f"{memory_mb:,}".replace(",", "."))
    raise _failure("internal", "parse_internal", error_id=value)


def isolated() -> bool:
    """Whether uploads are parsed in a child process (CCHC_PARSE_ISOLATED)."""
    return settings.get("CCHC_PARSE_ISOLATED").strip() not in ("0", "false", "no", "")


def parse_upload(source: bytes | Path | str, file_name: str | None = None, options: object | None = None,
                 indicators: object | None = None) -> object:
    """loaders.parse.parse_workbook (a workbook or a plan document) in a child process with limits: a ParseResult,
    never an exception (an overrun or a crash of the child is one refused file). `indicators` is the catalogue a
    document's target sentences are matched against."""
    if isinstance(source, (str, Path)):
        file_name = file_name or Path(source).name
        source = str(Path(source).resolve())
    if not isolated():
        return parse_workbook(source, file_name, options, indicators=indicators)
    try:
        return run_isolated("parse_workbook", source, file_name, options, indicators=indicators)
    except SandboxFailure as exc:
        problems = [exc.problem]
        if exc.kind in ("memory", "crashed"):  # a reader gave up: does the measurement alone say why?
            try:
                problems = run_isolated("explain", source) or problems
            except SandboxFailure:
                pass
        return ParseResult(file_name or "upload.xlsx", problems=problems)


def _main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve(int(sys.argv[1]))


if __name__ == "__main__":
    _main()
