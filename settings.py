"""Every setting in one place. Each is read from the environment; README.md documents all of them
(tests/test_settings.py fails when one is undocumented)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SAMPLES_DIR = DATA_DIR / "samples"


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default and a one-line description."""

    env: str
    default: str
    doc: str


SETTINGS: dict[str, Setting] = {s.env: s for s in [
    Setting("DATABASE_URL", "", "SQLAlchemy URL of the database; empty = the SQLite file data/cchc.db."),
    Setting("CCHC_DATA_DIR", "", "Folder for the SQLite file, the generated cookie key and credentials; empty = data/."),
    Setting("CCHC_LOAD_SAMPLES", "1", "1 = load the sample workbooks into an empty database on first run."),
    Setting("CCHC_MAX_UPLOAD_MB", "20", "Largest workbook accepted by the loaders, in MB."),
    Setting("CCHC_TODAY", "", "Pretend today is this ISO date (tests, demos); empty = the real date."),
    Setting("CCHC_COOKIE_KEY", "", "Signing key of the login cookie (32+ random characters); else secrets or a generated key."),
    Setting("CCHC_ANONYMOUS_READ", "0", "1 = intranet users may read the dashboards without logging in."),
    Setting("CCHC_ADMIN_PASSWORD", "", "Password of the first admin when the users table is empty; empty = random, printed once."),
    # --- store hardening (issue 11): imports that cannot hang (store/importer.py write_transaction, store/db.py)
    Setting("CCHC_IMPORT_LOCK_WAIT_S", "10", "Seconds an import or rollback waits for another one to finish before it is refused "
            "(\"Đang có một lần nhập khác …\"); PostgreSQL lock_timeout, SQLite busy timeout."),
    Setting("CCHC_PG_STATEMENT_TIMEOUT_S", "300", "PostgreSQL statement_timeout of an import or rollback, in seconds."),
    Setting("CCHC_PG_IDLE_TX_TIMEOUT_S", "60", "PostgreSQL idle_in_transaction_session_timeout of an import or rollback, in seconds."),
    Setting("CCHC_PG_CLIENT_CHECK_S", "5", "PostgreSQL client_connection_check_interval, in seconds: the server ends a running "
            "statement of a client that has gone (0 = off)."),
    Setting("CCHC_PG_KEEPALIVES_IDLE_S", "30", "TCP keepalives on PostgreSQL connections, both ends: first probe after this many idle "
            "seconds, then every 10 s, given up after 3 unanswered probes (0 = the system's defaults)."),
    # --- the province served (issue 9) ---
    Setting("CCHC_PROVINCE", "", "Official code (2025 map) of the province served; empty = the committed data/reference "
                                 "(37, Ninh Bình, with the history of Nam Định, Hà Nam and the former Ninh Bình)."),
    # --- hostile files (issue 11, loaders): limits checked before a workbook is parsed, and the parse's child process
    Setting("CCHC_MAX_SHEETS", "50", "Most sheets a workbook may have."),
    Setting("CCHC_MAX_ROWS", "500000", "Most rows a sheet's used range (cells and merged ranges) may span."),
    Setting("CCHC_MAX_COLUMNS", "1000", "Most columns a sheet's used range may span."),
    Setting("CCHC_MAX_CELLS", "5000000", "Most cells (rows × columns) a sheet's used range may hold."),
    Setting("CCHC_MAX_MERGES", "20000", "Most merged ranges a sheet may have."),
    Setting("CCHC_MAX_MERGED_CELLS", "1000000", "Most cells all merged ranges of a sheet may cover together."),
    Setting("CCHC_MAX_UNZIPPED_MB", "400", "Largest total uncompressed size of a workbook's parts, in MB."),
    Setting("CCHC_MAX_ZIP_RATIO", "100", "Highest compression ratio of a part larger than 1 MB uncompressed (zip bombs)."),
    Setting("CCHC_MAX_ZIP_ENTRIES", "2000", "Most parts (zip entries) a workbook may have."),
    Setting("CCHC_PARSE_ISOLATED", "1", "1 = parse uploads in a child process with the limits below; 0 = in the server process."),
    Setting("CCHC_PARSE_MEMORY_MB", "2048", "Memory (address space, MB) the parse of one upload may add to its child process."),
    Setting("CCHC_PARSE_TIMEOUT_S", "120", "Seconds the parse of one upload may take before its child process is killed."),
    Setting("CCHC_PARSE_WORKERS", "2", "Uploads parsed at the same time per server process (more wait their turn)."),
    Setting("CCHC_MIN_YEAR", "2000", "Earliest year a plan, value, score, report or target may name."),
    Setting("CCHC_MAX_YEARS_AHEAD", "30", "Latest plan or target year, in years after today."),
    # documents (.docx, .pdf: loaders/docx.py, loaders/pdf.py)
    Setting("CCHC_MAX_PDF_PAGES", "300", "Largest PDF accepted, in pages (checked before any page is parsed)."),
    Setting("CCHC_DOCUMENT_SECONDS", "60", "Time budget for reading one PDF, in seconds; a slower file is refused."),
]}


def get(env: str) -> str:
    """The value of a setting from the environment, or its default."""
    return os.environ.get(env, SETTINGS[env].default)


def data_dir() -> Path:
    """Folder holding the SQLite file and generated secrets."""
    value = get("CCHC_DATA_DIR")
    path = Path(value) if value else DATA_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def override(env: str, value: str) -> None:
    """Set a setting for this process and its children (manage.py --province)."""
    assert env in SETTINGS, env
    os.environ[env] = value


def committed_province() -> str:
    """The province whose reference tables are committed in data/reference (its build.json)."""
    meta = REFERENCE_DIR / "build.json"
    return str(json.loads(meta.read_text(encoding="utf-8"))["province"]) if meta.exists() else ""


def province() -> str:
    """Official code of the province this deployment serves (CCHC_PROVINCE, else the committed one)."""
    return get("CCHC_PROVINCE").strip() or committed_province()


def reference_dir() -> Path:
    """Folder of the reference CSVs of the province served: data/reference for the committed province, else a
    build under the data folder (made by `manage.py init --province CODE`)."""
    code = province()
    if code == committed_province():
        return REFERENCE_DIR
    return data_dir() / "reference" / code


def today() -> date:
    """Today's date, or CCHC_TODAY when set."""
    value = get("CCHC_TODAY")
    return date.fromisoformat(value) if value else date.today()


def max_upload_bytes() -> int:
    """Upload size limit in bytes."""
    return int(float(get("CCHC_MAX_UPLOAD_MB")) * 1024 * 1024)


def int_setting(env: str) -> int:
    """An integer setting (a malformed value falls back to the documented default)."""
    try:
        return int(float(get(env)))
    except ValueError:
        return int(SETTINGS[env].default)
