"""Every setting in one place. Each is read from the environment; README.md documents all of them
(tests/test_settings.py fails when one is undocumented)."""
from __future__ import annotations

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


def today() -> date:
    """Today's date, or CCHC_TODAY when set."""
    value = get("CCHC_TODAY")
    return date.fromisoformat(value) if value else date.today()


def max_upload_bytes() -> int:
    """Upload size limit in bytes."""
    return int(float(get("CCHC_MAX_UPLOAD_MB")) * 1024 * 1024)
