"""Shared fixtures: an isolated data folder, engines on SQLite and (when it answers) PostgreSQL,
and a database loaded with the sample workbooks through the normal import path."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own data folder (SQLite file, cookie key) and a fixed 'today'."""
    d = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("CCHC_DATA_DIR", str(d))
    monkeypatch.setenv("CCHC_TODAY", os.environ.get("CCHC_TEST_TODAY", "2025-07-15"))
    monkeypatch.setenv("CCHC_ADMIN_PASSWORD", "test-admin-password")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield d


def _pg_available() -> bool:
    try:
        eng = create_engine(PG_URL, connect_args={"connect_timeout": 2})
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        eng.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


PG_OK = _pg_available()


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema per test (dropped afterwards); skipped when no server answers."""
    if not PG_OK:
        pytest.skip("PostgreSQL không trả lời ở 127.0.0.1:5432")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = PG_URL + ("&" if "?" in PG_URL else "?") + f"options=-csearch_path%3D{schema}"
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """An upgraded, empty database with reference data, on SQLite and on PostgreSQL."""
    from store.db import make_engine, upgrade
    from store.reference import ensure_reference

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    eng = make_engine(url)
    upgrade(eng)
    ensure_reference(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    """An upgraded, empty SQLite database with reference data."""
    from store.db import make_engine, upgrade
    from store.reference import ensure_reference

    eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    upgrade(eng)
    ensure_reference(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def seed_documents(tmp_path_factory):
    """The seed plans rebuilt as .docx, and as PDF converted by LibreOffice, built on first use (tests/documents.py)."""
    from tests.documents import SeedDocuments

    return SeedDocuments(tmp_path_factory.mktemp("seeddocs"))


# The samples reach the last closed quarter of the day they were made for (scripts/make_samples.py): the sample
# database is built, and read by the app fixtures, on that day (Quý III/2026 is the last closed quarter).
SAMPLES_TODAY = os.environ.get("CCHC_TEST_SAMPLES_TODAY", "2026-12-02")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """A SQLite file with every sample workbook imported (built once per session; copy before writing)."""
    os.environ.setdefault("CCHC_TODAY", "2025-07-15")
    today_before = os.environ["CCHC_TODAY"]
    os.environ["CCHC_TODAY"] = SAMPLES_TODAY
    from service.bootstrap import bootstrap
    from store.db import make_engine

    d = tmp_path_factory.mktemp("sample")
    path = d / "cchc.db"
    eng = make_engine(f"sqlite:///{path}")
    old = os.environ.get("CCHC_DATA_DIR")
    os.environ["CCHC_DATA_DIR"] = str(d)
    os.environ["CCHC_ADMIN_PASSWORD"] = "test-admin-password"
    try:
        report = bootstrap(eng, load_samples=True)
    finally:
        os.environ["CCHC_TODAY"] = today_before
        if old is None:
            os.environ.pop("CCHC_DATA_DIR", None)
        else:
            os.environ["CCHC_DATA_DIR"] = old
    eng.dispose()
    failed = [s for s in report["samples"] if s["status"] != "imported"]
    assert not failed, failed
    return path


@pytest.fixture(scope="module")
def data_dir(sample_db, tmp_path_factory):
    """One copy of the sample database for a test module (its pages only read it), with the app's caches emptied."""
    import shutil

    import streamlit as st

    from store.db import shared_engine

    d = tmp_path_factory.mktemp("app")
    shutil.copy(sample_db, d / "cchc.db")
    shared_engine.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    return d


@pytest.fixture
def app_env(data_dir, monkeypatch):
    """The app reads the module's copy and never loads samples itself."""
    monkeypatch.setenv("CCHC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "0")
    monkeypatch.setenv("CCHC_TODAY", SAMPLES_TODAY)
    return data_dir
