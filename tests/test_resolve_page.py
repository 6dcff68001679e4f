"""The upload page's questions (issue 10), driven with AppTest: an unknown abbreviation is asked about with its
closest agencies, the admin's choice is kept and the file checked again at once; an editor is offered only the
agencies inside their scope."""
from __future__ import annotations

from tests import resolve_books as rb
from tests.test_upload_documents import _clear_caches, _import_button, _seeded, app_db  # noqa: F401 - the fixture

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(at, name: str, data: bytes):  # noqa: ANN001, ANN202
    at.run()
    at.switch_page("pages/tai-len.py").run()
    at.file_uploader(key="upload_files").set_value((name, data, XLSX)).run()
    assert not at.exception, at.exception
    return at


def _question_boxes(at):  # noqa: ANN001, ANN202
    return [b for b in at.selectbox if (b.key or "").startswith("rq_")]


def test_admin_chooses_the_agency_and_the_second_dry_run_passes(app_db):  # noqa: F811
    from store import aliases

    at = _upload(_seeded("quantri", "admin"), "kh.xlsx", rb.plan("Sở N.Vụ", number=61))
    (box,) = _question_boxes(at)
    assert "«Sở N.Vụ»" in box.label and "Sở Nội vụ (SNV)" in box.options
    assert _import_button(at).disabled
    box.set_value("Sở Nội vụ (SNV)")
    next(b for b in at.button if "Ghi nhận lựa chọn" in (b.label or "")).click().run()
    assert not at.exception, at.exception
    assert any("Đã ghi nhận 1 lựa chọn" in s.value for s in at.success)
    assert _question_boxes(at) == [] and not _import_button(at).disabled
    assert [a[:2] for a in aliases.load(app_db).agencies] == [("Sở N.Vụ", "SNV")]
    _import_button(at).click().run()
    assert any("Đã nhập lô" in s.value for s in at.success)


def test_an_editor_is_offered_only_agencies_in_scope(app_db):  # noqa: F811
    at = _upload(_seeded("bientap", "editor"), "kh.xlsx", rb.plan("Sở Tư-Pháp (cũ)", number=62))
    (box,) = _question_boxes(at)
    assert box.options[1:] == ["Sở Tư pháp (STP)"], box.options  # bientap is Sở Tư pháp's editor
