"""The hostile-workbook suite: every case of tests/hostile.py through the real import path (the parse child
with its limits included), on SQLite and on PostgreSQL. Each gets its expected outcome, a Vietnamese
message naming sheet, row and column where one applies, and an unchanged database: the SQLite file is
byte-identical, the PostgreSQL schema's pg_dump is the same."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import urllib.parse
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_OK, PG_URL
from tests.hostile import CASES, Case

ROOT = Path(__file__).resolve().parent.parent
_BUILT: dict[str, bytes] = {}
_VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
_ENGLISH = re.compile(r"\b(cannot|error|invalid|failed|exception|traceback|detect|unexpected|not a|no such|bad crc|file is)\b", re.IGNORECASE)


def built(case: Case) -> bytes:
    """The case's bytes, built once per test process (both backends use them)."""
    if case.id not in _BUILT:
        _BUILT[case.id] = case.build()
    return _BUILT[case.id]


def assert_vietnamese(messages: list[str]) -> None:
    """Every message is Vietnamese (diacritics, none of the English words a library error would bring)."""
    for m in messages:
        assert _VIETNAMESE.search(m), m
        assert not _ENGLISH.search(m), m


def check_outcome(case: Case, res) -> None:  # noqa: ANN001 - an ImportResult
    """The expected outcome, the message at its place, Vietnamese throughout, and the case's own checks."""
    if case.outcome == "refused":
        assert res.status == "refused", [p.message for p in res.problems]
        pool = res.errors
    else:
        assert res.status == "dry_run", [p.message for p in res.errors]
        pool = [p for p in res.problems if p.severity == "warning"]
    assert res.problems or case.outcome == "accepted"
    assert_vietnamese([p.message for p in res.problems])
    if case.words is not None:
        hit = [p for p in pool if case.words in p.message]
        assert hit, [p.message for p in res.problems]
        if case.where is not None:
            assert (hit[0].sheet, hit[0].row, hit[0].column) == case.where, hit[0]
    if case.check is not None:
        case.check(res.parse)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """A SQLite file with the reference data and the sample indicator catalogue (values cases match against it)."""
    from store.db import make_engine, upgrade
    from store.importer import import_workbook
    from store.reference import ensure_reference

    path = tmp_path_factory.mktemp("hostile") / "template.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    ensure_reference(eng)
    cat = ROOT / "data" / "samples" / "03_danh_muc_chi_tieu.xlsx"
    assert import_workbook(eng, cat, cat.name, is_sample=True).status == "imported"
    eng.dispose()
    return path


def test_the_suite_is_large_and_covers_the_issue():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)) and len(CASES) >= 60
    for needed in ("cell-at-XFD1048576", "merge-A20-XFD1048576", "value-INF", "value-1e309", "rate-1e308", "rate-150-percent",
                   "value-TRUE", "zero-over-zero", "par-year-1900", "plan-rows-on-two-sheets", "target-minus-50", "target-1e20-percent",
                   "value-DIV0", "hidden-characters-in-task", "xxe-in-sheet", "billion-laughs-in-sheet", "sheet-xml-garbage",
                   "year-typed-as-date", "duplicate-value-row"):
        assert needed in ids, needed
    assert {c.outcome for c in CASES} == {"refused", "accepted"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_workbook_on_sqlite(case, template_db, tmp_path, monkeypatch):
    from store.db import make_engine
    from store.importer import import_workbook

    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    path = tmp_path / "cchc.db"
    shutil.copy(template_db, path)
    eng = make_engine(f"sqlite:///{path}")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    res = import_workbook(eng, built(case), f"{case.id}.xlsx", user="kiểm thử", dry_run=case.outcome == "accepted")
    eng.dispose()
    check_outcome(case, res)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# --- PostgreSQL: one schema for the module, a dump before and after every case ----------------------------
@pytest.fixture(scope="module")
def pg_schema():
    """A PostgreSQL schema with the reference data and the sample catalogue; (engine, schema name)."""
    if not PG_OK:
        pytest.skip("PostgreSQL không trả lời ở 127.0.0.1:5432")
    from store.db import make_engine, upgrade
    from store.importer import import_workbook
    from store.reference import ensure_reference

    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = PG_URL + ("&" if "?" in PG_URL else "?") + f"options=-csearch_path%3D{schema}"
    eng = make_engine(url)
    upgrade(eng)
    ensure_reference(eng)
    cat = ROOT / "data" / "samples" / "03_danh_muc_chi_tieu.xlsx"
    assert import_workbook(eng, cat, cat.name, is_sample=True).status == "imported"
    yield eng, schema
    eng.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def pg_dump(schema: str) -> str:
    """pg_dump of one schema (structure and rows) of the test database; without pg_dump, every row of every
    table of the schema, in a stable order."""
    if shutil.which("pg_dump") is None:
        return _select_all(schema)
    u = urllib.parse.urlsplit(PG_URL.replace("postgresql+psycopg", "postgresql"))
    # a fixed \restrict key: pg_dump 15.14+ draws a random one per run (psql's guard against injected meta-commands)
    cmd = ["pg_dump", "--no-owner", "--restrict-key=hostiletest", "--schema", schema, "-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432),
           "-U", u.username or "postgres", u.path.lstrip("/") or "test"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if out.returncode != 0:
        pytest.skip(f"pg_dump failed: {out.stderr[:200]}")
    return out.stdout


def _select_all(schema: str) -> str:
    eng = create_engine(PG_URL)
    try:
        with eng.connect() as conn:
            tables = conn.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s ORDER BY 1"),
                                  {"s": schema}).scalars().all()
            lines = []
            for t in tables:
                rows = conn.execute(text(f'SELECT * FROM "{schema}"."{t}"')).all()  # names from the catalogue, not input
                lines += [f"{t}: {r!r}" for r in sorted(rows, key=repr)]
        return "\n".join(lines)
    finally:
        eng.dispose()


def _without_sequences(dump: str) -> str:
    """A dump without sequence positions: a rehearsed (rolled back) import still advances a sequence, by design
    of PostgreSQL (sequences are not transactional); every row and every other object is compared."""
    return "\n".join(ln for ln in dump.splitlines() if not ln.startswith("SELECT pg_catalog.setval("))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_workbook_on_postgresql(case, pg_schema, monkeypatch):
    from store.importer import import_workbook

    eng, schema = pg_schema
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    before = pg_dump(schema)
    res = import_workbook(eng, built(case), f"{case.id}.xlsx", user="kiểm thử", dry_run=case.outcome == "accepted")
    check_outcome(case, res)
    after = pg_dump(schema)
    if case.outcome == "accepted":
        assert _without_sequences(after) == _without_sequences(before)
    else:
        assert after == before
    assert "03_danh_muc_chi_tieu.xlsx" in before  # the comparison sees rows (the catalogue's batch)
