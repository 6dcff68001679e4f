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

    from tests.conftest import SAMPLES_TODAY

    monkeypatch.delenv("CCHC_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "1")
    monkeypatch.setenv("CCHC_TODAY", SAMPLES_TODAY)  # the samples reach the last closed quarter of their day
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
    # every sample imported: the 2023 and city plans and the 2024, 2025 (Nam Định) and 2026 (Ninh Bình) plans;
    # Nam Định's values to Quý II/2025 (29.439), the new province's to Quý III/2026 (5.733), the yearly ones (161);
    # PAR INDEX 2021–2024 (8.164) and 2025 (1.431)
    assert counts["plans"] == 5 and counts["indicator_values"] == 29_439 + 5_733 + 161
    assert counts["par_scores"] == 8_164 + 1_431 and counts["progress_reports"] == 12_734
    assert queries.has_sample_data(eng)
    # the password is printed once: a second start prints nothing
    db.shared_engine.cache_clear()
    data.engine.clear()
    AppTest.from_file(str(APP), default_timeout=60).run()
    assert "mật khẩu:" not in capfd.readouterr().out
    db.shared_engine.cache_clear()
    data.engine.clear()
