"""Settings live in one place and every one is documented in the README (as datasette does)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("env", sorted(settings.SETTINGS))
def test_setting_is_documented(env):
    assert re.search(rf"\|\s*`{env}`\s*\|", README), f"{env} is missing from README.md's settings table"


def test_no_undeclared_environment_reads():
    """Code reads settings through settings.get(), never os.environ directly (tests and the benches aside: they set
    the environment of the app they start)."""
    from tests.repo import listed_files

    root = Path(__file__).resolve().parent.parent
    offenders = []
    for rel in listed_files():  # the project's files (a .venv in the checkout is not the project's code)
        if not rel.endswith(".py"):
            continue
        path = root / rel
        if rel.startswith(("tests/", "scripts/")) or rel in ("settings.py", "bench.py", "bench_pages.py", "bench_scale.py"):
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"os\.environ(?:\.get)?\(?\[?[\"'](\w+)", text):
            if m.group(1) not in ("BROWSER_PATH",) and not m.group(1).startswith("CCHC_TEST_"):  # test-only hooks
                offenders.append(f"{rel}: {m.group(1)}")
    assert offenders == []


def test_readme_states_the_commands():
    assert "pip install -r requirements.txt" in README
    assert "streamlit run app.py" in README
    assert "python -m pytest -n 2" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -n 2" in ci


@pytest.mark.parametrize("value,expected", [("", None), ("2024-03-31", "2024-03-31")])
def test_today_override(monkeypatch, value, expected):
    monkeypatch.setenv("CCHC_TODAY", value)
    got = settings.today().isoformat()
    if expected:
        assert got == expected
    else:
        import datetime

        assert got == datetime.date.today().isoformat()
