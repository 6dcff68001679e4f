"""The upload page with a plan document: the target proposals are listed, the admin confirms and edits
some, only those are written (one batch, audited); an editor sees them but cannot confirm."""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from store import schema as s

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PASSWORD = "mat-khau-thu-nghiem-2"


def _clear_caches() -> None:
    import streamlit as st

    from store.db import shared_engine

    shared_engine.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """An empty database (reference data, no samples) as the app's data folder, an admin and an editor."""
    from store import users
    from service.bootstrap import bootstrap
    from store.db import make_engine

    d = tmp_path / "app"
    d.mkdir()
    monkeypatch.setenv("CCHC_DATA_DIR", str(d))
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "0")
    monkeypatch.setenv("CCHC_COOKIE_KEY", secrets.token_urlsafe(48))
    _clear_caches()
    eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
    bootstrap(eng, load_samples=False)
    users.add_user("quantri", "Quản trị thử", "admin", PASSWORD, engine=eng)
    users.add_user("bientap", "Biên tập Sở Tư pháp", "editor", PASSWORD, agencies=["STP"], engine=eng)
    yield eng
    eng.dispose()
    _clear_caches()


def _seeded(username: str, role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    at.session_state["roles"] = [role]
    return at


def _upload(at: AppTest, path: Path) -> AppTest:
    at.run()
    at.switch_page("pages/tai-len.py").run()
    assert not at.exception, at.exception
    at.file_uploader(key="upload_files").set_value((path.name, path.read_bytes(), DOCX)).run()
    assert not at.exception, at.exception
    return at


def _import_button(at: AppTest):  # noqa: ANN202
    return at.button(key=next(b.key for b in at.button if (b.key or "").startswith("import_")))


def test_admin_confirms_edits_and_imports_two_proposals(app_db, seed_documents):
    from store import users

    path = seed_documents.docx("002", appendix=False)
    at = _upload(_seeded("quantri", "admin"), path)
    proposals = next(df.value for df in at.dataframe if "Nguyên văn" in df.value.columns)
    assert len(proposals) >= 20 and proposals["Nguyên văn"].str.len().min() > 20
    assert _import_button(at).disabled  # no task table and nothing confirmed: nothing to import
    pick = next(m for m in at.multiselect if (m.key or "").startswith("rv_pick_"))
    first, third = pick.options[0], pick.options[2]
    pick.set_value([first, third]).run()
    assert not at.exception, at.exception
    assert not _import_button(at).disabled
    text = next(t for t in at.text_input if (t.key or "").startswith("rv_text_") and t.key.endswith("_3"))
    text.set_value("Tối thiểu 85%").run()  # the admin edits the third proposal's target
    with app_db.connect() as conn:
        assert conn.execute(select(s.targets.c.id)).first() is None  # nothing written before the import
    _import_button(at).click().run()
    assert not at.exception, at.exception
    assert any("Đã nhập lô" in x.value for x in at.success)
    with app_db.connect() as conn:
        rows = conn.execute(select(s.targets.c.indicator_code, s.targets.c.year, s.targets.c.text, s.targets.c.value,
                                   s.targets.c.scope_unit_code)).all()
    assert len(rows) == 2
    assert {r.text for r in rows} == {first.split(" · ")[-1], "Tối thiểu 85%"}
    assert {r.scope_unit_code for r in rows} == {"361"} and 85.0 in {r.value for r in rows}
    log = users.audit_entries(action="import", engine=app_db)
    assert log.iloc[0]["username"] == "quantri" and log.iloc[0]["details"]["counts"]["targets"] == 2


def test_a_picked_proposal_with_unreadable_wording_blocks_the_import(app_db, seed_documents):
    at = _upload(_seeded("quantri", "admin"), seed_documents.docx("002", appendix=False))
    pick = next(m for m in at.multiselect if (m.key or "").startswith("rv_pick_"))
    pick.set_value([pick.options[1]]).run()
    next(t for t in at.text_input if (t.key or "").startswith("rv_text_")).set_value("sớm nhất có thể").run()
    assert any("Không hiểu chỉ tiêu «sớm nhất có thể»" in e.value for e in at.error)
    assert _import_button(at).disabled


def test_an_editor_sees_the_proposals_but_cannot_confirm(app_db, seed_documents):
    at = _upload(_seeded("bientap", "editor"), seed_documents.docx("002", appendix=False))
    assert any("Nguyên văn" in df.value.columns for df in at.dataframe)
    assert any("Chỉ quản trị viên" in i.value for i in at.info)
    assert not [m for m in at.multiselect if (m.key or "").startswith("rv_pick_")]
    assert _import_button(at).disabled
