"""No secret in the repository: what git tracks, plus what it would pick up (untracked, not ignored), never a
virtual environment inside the checkout (tests/repo.py; a package's example keys are not ours).

Looked for: bcrypt hashes, cookie keys and passwords written into configuration files, the
secret files themselves (.streamlit/secrets.toml, data/cookie_key, data/credentials.yaml, .env),
private keys and signed login cookies (JWT). The tests' own throw-away values are allow-listed
by name below; anything else that matches fails the test with its file and line.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.repo import listed_files, project_files

ROOT = Path(__file__).resolve().parent.parent
# obviously fake values used by the tests (created in throw-away databases, never deployed)
ALLOWED = {"test-admin-password", "mat-khau-thu-nghiem-1"}
SECRET_FILES = re.compile(r"(^|/)(secrets\.toml|cookie_key|credentials\.ya?ml|\.env|id_rsa|id_ed25519)$")
CONFIG = re.compile(r"\.(ya?ml|toml|ini|cfg|conf|env|json)$")
PATTERNS = {
    "bcrypt hash": re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}"),
    "private key": re.compile("-----BEGIN " + r"(RSA |EC |DSA |OPENSSH |ENCRYPTED )?" + "PRIVATE KEY-----"),
    "login cookie (JWT)": re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,}"),
    "cookie key literal": re.compile(r"""(?i)(cookie_key|CCHC_COOKIE_KEY|signature_key)\s*[:=]\s*["']([^"'\s]{4,})["']"""),
}
CONFIG_PATTERNS = {
    "password in a config file": re.compile(r"""(?im)^\s*["']?(password|passwd|admin_password|pwd)["']?\s*[:=]\s*["']?([^"'\s#]{4,})"""),
    "key in a config file": re.compile(r"""(?im)^\s*["']?(key|secret|cookie_key|api_key|token)["']?\s*[:=]\s*["']?([^"'\s#]{8,})"""),
}


def _files() -> list[str]:
    """Tracked files and untracked files git would add (not ignored), less virtual environments."""
    return listed_files()


def _text(path: str) -> str | None:
    data = (ROOT / path).read_bytes()
    if b"\0" in data[:4096]:
        return None  # binary (workbooks, images)
    return data.decode("utf-8", errors="replace")


def find_secrets(path: str, text: str) -> list[str]:
    """Findings "file:line: what" in one file's text (allow-listed values skipped)."""
    found = []
    patterns = dict(PATTERNS)
    if CONFIG.search(path):
        patterns |= CONFIG_PATTERNS
    for what, pattern in patterns.items():
        for m in pattern.finditer(text):
            value = m.group(m.lastindex) if m.lastindex else m.group(0)
            if value in ALLOWED or value.startswith(("${", "os.environ", "settings.")):
                continue
            line = text.count("\n", 0, m.start()) + 1
            found.append(f"{path}:{line}: {what}")
    return found


def test_the_repository_holds_no_secret_files():
    files = _files()
    assert files, "git ls-files found nothing"
    assert [f for f in files if SECRET_FILES.search(f)] == []


def test_the_repository_holds_no_secret_values():
    findings = []
    for f in _files():
        text = _text(f)
        if text is not None:
            findings += find_secrets(f, text)
    assert findings == []


@pytest.mark.parametrize("listed, kept", [
    (["app.py", "tests/x.py"], ["app.py", "tests/x.py"]),
    (["app.py", "env/pyvenv.cfg", "env/lib/python3.11/site-packages/cryptography/x.py"], ["app.py"]),
    (["pyvenv.cfg", "bin/python"], []),
    (["app.py", "my venv/pyvenv.cfg", "my venv/bin/pip", "my venvs.txt"], ["app.py", "my venvs.txt"]),
    (["docs/pyvenv.cfg.md", "app.py"], ["app.py", "docs/pyvenv.cfg.md"]),
])
def test_virtual_environments_are_not_scanned(listed, kept):
    assert project_files(listed) == kept


def test_the_files_scanned_are_what_git_lists():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    files = set(_files())
    assert {f for f in tracked if (ROOT / f).is_file()} <= files
    assert not any(f.startswith((".venv/", "venv/")) for f in files)


def test_gitignore_keeps_the_secret_files_out():
    for path in (".streamlit/secrets.toml", "data/cookie_key", "data/credentials.yaml", ".env", "data/cchc.db",
                 ".venv/lib/python3.11/site-packages/x.py", "venv/bin/python"):
        res = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
        assert res.returncode == 0, f"{path} is not git-ignored"


@pytest.mark.parametrize("path, text", [
    ("config.yaml", "cookie:\n  key: some_signature_key\n  name: x\n"),
    ("config.yaml", "credentials:\n  usernames:\n    a:\n      password: abc123xyz\n"),
    (".streamlit/config.toml", 'password = "hunter22"\n'),
    ("app.py", "CCHC_COOKIE_KEY = " + '"0123456789abcdef0123456789abcdef"\n'),
    ("users.py", "h = '$2b$12$" + "a" * 53 + "'\n"),
    ("k.txt", "-----BEGIN " + "PRIVATE KEY-----\nMII...\n"),
    ("notes.md", "cookie: " + "eyJ" + "hbGciOiJIUzI1NiJ9." + "eyJ" + "1c2VybmFtZSI6ImEifQ.abcdefghijklmnop\n"),
])
def test_the_checks_find_planted_secrets(path, text):
    assert find_secrets(path, text)


@pytest.mark.parametrize("path, text", [
    ("tests/conftest.py", 'monkeypatch.setenv("CCHC_ADMIN_PASSWORD", "test-admin-password")\n'),
    (".streamlit/config.toml", "[theme]\nprimaryColor = \"#0072B2\"\n"),
    ("settings.py", 'key = settings.get("CCHC_COOKIE_KEY")\n'),
])
def test_the_checks_leave_harmless_text_alone(path, text):
    assert find_secrets(path, text) == []
