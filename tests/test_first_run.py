"""The two-command quick start: on an empty data folder the first run creates the database, the first
admin (its random password printed once on the console) and loads the samples; the login form shows."""
from __future__ import annotations

import re

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


def test_first_run_on_an_empty_data_folder(_isolated_data_dir, monkeypatch, capfd):
    from components import data
    from store import db

    monkeypatch.delenv("CCHC_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "1")
    db.shared_engine.cache_clear()
    data.engine.clear()
    assert not (_isolated_data_dir / "cchc.db").exists()
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert not at.exception
    # nobody is logged in: the login form, and no page content
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    printed = capfd.readouterr().out
    match = re.search(r"tên đăng nhập: admin\s+mật khẩu: (\S+)", printed)
    assert match, printed[-2000:]
    from store import queries, users

    eng = db.shared_engine()
    info = users.get("admin", eng)
    assert info["role"] == "admin" and users.check_password(match.group(1), info["password_hash"])
    counts = queries.table_counts(eng)
    assert counts["plans"] == 2 and counts["indicator_values"] > 20_000 and counts["par_scores"] > 8_000
    assert queries.has_sample_data(eng)
    # the password is printed once: a second start prints nothing
    db.shared_engine.cache_clear()
    data.engine.clear()
    AppTest.from_file(str(APP), default_timeout=60).run()
    assert "mật khẩu:" not in capfd.readouterr().out
    db.shared_engine.cache_clear()
    data.engine.clear()
