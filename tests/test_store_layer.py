"""The store is persistence only: no module of store/ imports streamlit or reads st.secrets; the UI reads the
cookie key from the secrets and passes it down (components/auth.py → store.cookie_key.cookie_key)."""
from __future__ import annotations

import ast
import secrets
from pathlib import Path

import pytest

from tests.test_roles import app_db, plan_db  # noqa: F401  (fixtures: a data folder with users)

ROOT = Path(__file__).resolve().parent.parent
STORE = sorted((ROOT / "store").rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):  # imports inside functions count too
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


@pytest.mark.parametrize("path", STORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_store_module_imports_streamlit(path):
    assert not {m for m in _imports(path) if m == "streamlit" or m.startswith("streamlit.")}
    assert "st.secrets" not in path.read_text(encoding="utf-8")


def test_the_checks_see_an_import_inside_a_function(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import streamlit as st\n    return st.secrets.get('x')\n", encoding="utf-8")
    assert "streamlit" in _imports(bad)


@pytest.mark.parametrize("env,passed,expected", [
    (True, False, "env"),     # the setting wins
    (True, True, "env"),
    (False, True, "passed"),  # else what the UI read from the secrets
    (False, False, "file"),   # else a generated key in the data folder
], ids=["env", "env-over-secrets", "secrets", "generated"])
def test_where_the_cookie_key_comes_from(monkeypatch, env, passed, expected):
    import settings
    from store.cookie_key import cookie_key

    env_key = secrets.token_urlsafe(48) if env else ""
    passed_key = secrets.token_urlsafe(48) if passed else None
    monkeypatch.setenv("CCHC_COOKIE_KEY", env_key)
    key = cookie_key(passed_key)
    file = settings.data_dir() / "cookie_key"
    assert file.exists() is (expected == "file")
    assert key == {"env": env_key, "passed": passed_key,
                   "file": file.read_text(encoding="utf-8").strip() if file.exists() else None}[expected]
    assert cookie_key(passed_key) == key  # stable: the generated key is kept


def test_the_app_takes_the_cookie_key_from_its_secrets(app_db, monkeypatch):
    """An unsafe key in the app's secrets is refused at start: so the UI read it there and passed it to the store."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("CCHC_COOKIE_KEY", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["cookie_key"] = "some_signature_key"
    at.run()
    assert any("Khóa cookie không an toàn" in e.value for e in at.error)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["cookie_key"] = secrets.token_urlsafe(48)
    at.run()
    assert not at.error and any(w.label == "Mật khẩu" for w in at.text_input)
