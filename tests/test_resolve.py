"""Issue 10, resolve in the upload: the dry run asks about what it did not understand (closest candidates on the
map of the row's date), the choice is kept as a learned alias (scoped, audited, undone by rollback) and the same
spelling is then read without asking; one validation in one pass for the page and the command line; the
warnings of progress going backwards; the dry-run JSON's rows of every sheet kind."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import insert

from loaders.reference import reference
from loaders.resolve import abbreviation_key, classify, status_candidates
from store import aliases
from store import schema as s
from store import users
from store.importer import import_workbook, rollback_batch
from tests import resolve_books as rb
from tests.stores import dump

PASSWORD_HASH = "$2b$12$" + "x" * 53  # never used to log in: these accounts write through the importer only


def _accounts(engine) -> None:  # noqa: ANN001
    users.ensure_admin(engine, echo=lambda _m: None)
    with engine.begin() as conn:
        conn.execute(insert(s.users), [
            {"username": u, "name": u, "email": None, "password_hash": PASSWORD_HASH, "role": r, "agencies": a,
             "units": un, "disabled": False, "failed_attempts": 0, "locked_until": None,
             "created_at": datetime.now().replace(microsecond=0)}
            for u, r, a, un in (("bt_stp", "editor", ["STP"], []), ("bt_365", "editor", [], ["365"]),
                                ("xem", "viewer", [], []))])


# --- pure: which messages ask, which candidates ----------------------------------------------------------
@pytest.mark.parametrize("message, expected", [
    ("Không nhận ra cơ quan «Sở NV». Gợi ý: Sở Nội vụ; Sở Ngoại vụ.", ("agency", "Sở NV")),
    ("Không nhận ra cơ quan «VP UBND T».", ("agency", "VP UBND T")),
    ("Không nhận ra đơn vị hành chính «Xã Hải Hà Mới».", ("unit", "Xã Hải Hà Mới")),
    ("Không hiểu trạng thái «Xong một nửa»; chọn một trong: Chưa thực hiện, Đang thực hiện.", ("status", "Xong một nửa")),
    ("Thiếu cột bắt buộc: «Nhiệm vụ».", None),
    ("Không tìm thấy sản phẩm «X/1» trong các kế hoạch đã nhập.", None),
])
def test_which_problems_ask_a_question(message, expected):
    assert classify(message) == expected


@pytest.mark.parametrize("name, initials", [
    ("Sở Nội vụ", "sonv"), ("Sở Kế hoạch và Đầu tư", "sokhdt"), ("Sở Thông tin và Truyền thông", "sotttt"),
    ("Văn phòng UBND tỉnh", "vanphongut"), ("Sở Lao động - Thương binh và Xã hội", "soldtbxh"),
])
def test_the_initials_of_an_agency_name(name, initials):
    assert abbreviation_key(name) == initials


@pytest.mark.parametrize("text, on, expected, absent", [
    ("Sở NV", date(2024, 1, 1), "SNV", "SNV-37"),  # Nam Định's, not another province's
    ("Sở KH&ĐT", date(2024, 1, 1), "SKHDT", None),
    ("Sở TTTT", date(2024, 6, 30), "STTTT", None),
    ("Sở Tư Phap", date(2024, 1, 1), "STP", None),
])
def test_agency_candidates_on_the_map_of_the_date(text, on, expected, absent):
    from loaders.agencies import resolver_for
    from loaders.resolve import agency_candidates

    ref = reference()
    cands = agency_candidates(resolver_for(ref), text, ("36",), on)
    codes = [c.code for c in cands]
    assert expected in codes[:3], codes
    assert absent is None or absent not in codes
    assert all(ref.agency_valid(c, on) for c in codes)
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)


def test_unit_candidates_are_units_in_force_on_the_date():
    from loaders.resolve import unit_candidates

    ref = reference()
    old = unit_candidates(ref, "Huyen Giao Thuy", date(2024, 12, 31))
    assert old[0].code == "365"
    new = unit_candidates(ref, "Huyen Giao Thuy", date(2025, 12, 31))  # no district exists after 30/06/2025
    assert "365" not in [c.code for c in new] and all(ref.unit_valid(c.code, date(2025, 12, 31)) for c in new)


@pytest.mark.parametrize("word, first", [
    ("Đã xong", "done"), ("Đang làm", "in_progress"), ("Chưa làm", "not_started"), ("Hoàn thành trễ hạn", "done_late"),
])
def test_status_candidates(word, first):
    cands = status_candidates(word)
    assert cands[0].code == first and len(cands) == 4


# --- the whole loop on the store --------------------------------------------------------------------------
def test_unknown_abbreviation_asked_chosen_rechecked_then_read_without_asking(engine):
    # "Sở NV" itself is read by the abbreviation rule (loaders/agencies.py); "Sở N.Vụ" is not
    _accounts(engine)
    first = rb.plan("Sở N.Vụ", number=71)
    res = import_workbook(engine, first, "kh71.xlsx", user="admin", dry_run=True)
    assert res.status == "refused"
    (q,) = res.questions
    assert (q.kind, q.text, q.sheet, q.column, q.on) == ("agency", "Sở N.Vụ", "Phụ lục", "D", date(2024, 1, 1))
    assert "SNV" in [c.code for c in q.candidates]
    batch, problems = aliases.add(engine, [aliases.Choice("agency", "Sở N.Vụ", "SNV", sheet=q.sheet, row=q.row)], "admin")
    assert problems == [] and batch
    again = import_workbook(engine, first, "kh71.xlsx", user="admin", dry_run=True)  # the immediate second dry run
    assert again.status == "dry_run" and again.questions == [], [p.message for p in again.errors]
    lead = again.parse.outputs[0].leads[0]
    assert (lead.code, lead.name) == ("SNV", "Sở Nội vụ")
    assert import_workbook(engine, first, "kh71.xlsx", user="admin").status == "imported"
    second = import_workbook(engine, rb.plan("Sở N.Vụ", number=72, task="Tập huấn nghiệp vụ"), "kh72.xlsx", user="admin",
                             dry_run=True)
    assert second.status == "dry_run" and second.questions == []
    log = users.audit_entries(action="alias_add", engine=engine)
    assert log.iloc[0]["details"]["batch_id"] == batch and log.iloc[0]["details"]["aliases"][0]["text"] == "Sở N.Vụ"


@pytest.mark.parametrize("user, choice, allowed", [
    ("admin", aliases.Choice("agency", "Sở NV", "SNV"), True),
    ("bt_stp", aliases.Choice("agency", "STư pháp", "STP"), True),  # the editor's own agency
    ("bt_stp", aliases.Choice("agency", "Sở NV", "SNV"), False),  # another agency
    ("bt_365", aliases.Choice("unit", "H. Giao Thủy", "365"), True),  # the editor's own unit
    ("bt_365", aliases.Choice("agency", "UBND H. Giao Thủy", "UBND-365"), True),  # an agency seated in it
    ("bt_365", aliases.Choice("unit", "TP Nam Định", "356"), False),
    ("bt_stp", aliases.Choice("status", "Xong hẳn", "done"), True),  # a status word: any writer
    ("bt_stp", aliases.Choice("column", "Kết quả/sản phẩm", "output", "plan_tasks"), True),
    ("xem", aliases.Choice("status", "Xong hẳn", "done"), False),  # a viewer writes nothing
])
def test_the_scope_of_an_alias(engine, user, choice, allowed):
    _accounts(engine)
    before = dump(engine)
    batch, problems = aliases.add(engine, [choice], user, users.writer_scope(user, engine))
    assert (batch is not None) is allowed, [p.message for p in problems]
    if not allowed:
        assert problems and dump(engine) == before


def test_a_conflicting_alias_is_refused_and_a_known_one_writes_nothing(engine):
    _accounts(engine)
    batch, _ = aliases.add(engine, [aliases.Choice("agency", "Sở NV", "SNV")], "admin")
    assert aliases.add(engine, [aliases.Choice("agency", "So  NV", "SNV")], "admin") == (None, [])
    none, problems = aliases.add(engine, [aliases.Choice("agency", "Sở NV", "SNGV")], "admin")
    assert none is None and "đã được ghi nhận" in problems[0].message


def test_add_remove_and_their_rollbacks_restore_exactly(engine):
    _accounts(engine)
    before = dump(engine)
    batch, _ = aliases.add(engine, [aliases.Choice("agency", "Sở NV", "SNV"), aliases.Choice("status", "Xong hẳn", "done")],
                           "admin")
    with_alias = dump(engine)
    alias_id = int(aliases.listing(engine)["id"].iloc[0])
    removal, errors = aliases.remove(engine, alias_id, "admin")
    assert errors == [] and len(aliases.listing(engine)) == 1 and aliases.load(engine).agencies == ()
    assert rollback_batch(engine, batch, "admin")  # refused: a later batch removed one of its aliases
    assert rollback_batch(engine, removal, "admin") == []
    assert aliases.load(engine).agencies == (("Sở NV", "SNV", "36"),)
    assert rollback_batch(engine, batch, "admin") == []
    after = dump(engine)
    assert after["learned_aliases"] == before["learned_aliases"] == []
    assert with_alias["learned_aliases"] != []
    assert aliases.load(engine) == aliases.Learned()


def test_a_learned_status_word_is_read_with_a_warning():
    from loaders.parse import Options, parse_workbook
    from loaders.learned import Learned

    data = rb.progress([["X/1", None, "Sản phẩm A", "Sở Tư pháp", "Quý I/2024", "Đã xử lý", 100, "QĐ 1/QĐ-UBND", None]])
    plain = parse_workbook(data, "td.xlsx")
    assert not plain.ok and plain.questions[0].kind == "status"
    taught = parse_workbook(data, "td.xlsx", Options(learned=Learned(statuses=(("Đã xử lý", "done"),))))
    assert taught.ok and taught.frames["progress"]["status"].tolist() == ["done"]
    assert any("được đọc là «Hoàn thành»" in p.message and p.column == "F" for p in taught.warnings)


def test_a_layout_mapping_assigns_the_column():
    from loaders.learned import Learned
    from loaders.parse import Options, parse_workbook

    # a header that says nothing ("Kết quả/sản phẩm" and even "Hình thức văn bản" are read by their evidence now)
    header = ["STT", "Nhiệm vụ cụ thể", "Cột (3)", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]
    data = rb.plan("Sở Tư pháp", header=header)
    plain = parse_workbook(data, "kh.xlsx")
    assert "output" not in plain.columns["Phụ lục"]
    taught = parse_workbook(data, "kh.xlsx", Options(learned=Learned(columns=(("plan_tasks", "Cột (3)", "output"),))))
    assert taught.columns["Phụ lục"]["output"] == "C"
    assert taught.outputs[0].output == "Báo cáo kết quả"


def test_cli_alias_add_list_remove(engine, monkeypatch, capsys):
    import manage
    from store.db import shared_engine

    _accounts(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    shared_engine.cache_clear()
    try:
        assert manage.main(["alias", "add", "Sở NV", "--agency", "SNV", "--user", "bt_stp", "--json"]) == 1
        out = json.loads(capsys.readouterr().out)
        assert not out["ok"] and "ngoài phạm vi" in out["errors"][0]
        assert manage.main(["alias", "add", "Sở NV", "--agency", "SNV", "--json"]) == 0
        batch = json.loads(capsys.readouterr().out)["batch_id"]
        assert manage.main(["alias", "list", "--json"]) == 0
        (row,) = json.loads(capsys.readouterr().out)
        assert (row["text"], row["target"], row["batch_id"], row["uploaded_by"]) == ("Sở NV", "SNV", batch, "admin")
        assert manage.main(["alias", "remove", str(row["id"])]) == 0
        capsys.readouterr()
        assert manage.main(["alias", "list", "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == []
        assert manage.main(["alias", "add", "Sở NV"]) == 2  # no target
    finally:
        shared_engine.cache_clear()
