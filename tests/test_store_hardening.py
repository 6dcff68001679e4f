"""Issue 11, store side, on SQLite and PostgreSQL: every write scoped in one place (the role matrix), every
write reversible (a whole-database dump before an import equals the one after its rollback, for each sheet
kind), the CLI writing as a named user and audited, supersede queries served by an index, and imports that
cannot hang (a bounded wait for another import, statement_timeout, a killed client's statement ended)."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from store import schema as s
from store import users
from store.authorize import ADMIN, RULES, VIEWER, Claim, Scope, authorize, is_scope_problem
from store.importer import VERSIONED, import_workbook, restore_statement, rollback_batch, supersede_statement
from tests import hardening_books as hb
from tests.stores import dump, without_record_of
from tests.test_concurrency import KILL_SCRIPT  # the client of the SQLite kill test, killed here on PostgreSQL

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-thu-nghiem-1"  # test-only password, in throw-away databases
# user → (role, agencies, units)
ACCOUNTS = {
    "bt_stp": ("editor", ["STP"], []), "bt_stc": ("editor", ["STC"], []),
    "bt_356": ("editor", [], ["356"]), "bt_365": ("editor", [], ["365"]),
    "bt_tinh": ("editor", [], ["36"]),  # the widest editor: the whole province, still no catalogue
    "xem": ("viewer", [], []),
}


@pytest.fixture(scope="module")
def password_hash() -> str:
    return users.hash_password(PASSWORD)  # bcrypt once per module, not once per account


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory):
    from samples.plans import PLAN_2023, PLAN_CITY, write_plan

    d = tmp_path_factory.mktemp("plans")
    return write_plan(PLAN_2023, d / "ke_hoach_2023.xlsx"), write_plan(PLAN_CITY, d / "ke_hoach_tp_2021_2025.xlsx")


@pytest.fixture
def base(engine, plan_files, password_hash):
    """The 2023 plan, a small catalogue, values (quarterly and yearly), progress and PAR scores, each later
    import of the matrix superseding some of them; the admin and the accounts of ACCOUNTS."""
    from datetime import datetime

    users.ensure_admin(engine, echo=lambda _m: None)
    with engine.begin() as conn:
        conn.execute(insert(s.users), [{"username": u, "name": u, "email": None, "password_hash": password_hash, "role": r,
                                        "agencies": a, "units": un, "disabled": False, "failed_attempts": 0,
                                        "locked_until": None, "created_at": datetime.now().replace(microsecond=0)}
                                       for u, (r, a, un) in ACCOUNTS.items()])
    for name, data in (("ke_hoach_2023.xlsx", plan_files[0].read_bytes()), ("danh_muc.xlsx", hb.catalogue()),
                       ("so_lieu_quy.xlsx", hb.values_long("356", 30)), ("so_lieu_nam.xlsx", hb.values_wide("356", 40)),
                       ("chi_so.xlsx", hb.par([("STP", "Sở Tư pháp"), ("356", "UBND Thành phố Nam Định")], score=80))):
        res = import_workbook(engine, data, name, user="admin")
        assert res.status == "imported", [p.message for p in res.errors]
    res = import_workbook(engine, hb.progress(engine, "STP", "Đang thực hiện"), "tien_do_stp.xlsx", user="admin")
    assert res.status == "imported", [p.message for p in res.errors]
    return engine


# kind → (workbook builder, the editor in scope (None: admins only), editors out of scope, the table it writes)
MATRIX = {
    "plan": (lambda eng, files: files[1].read_bytes(), "bt_356", ["bt_365", "bt_stp"], "plans"),
    "progress": (lambda eng, files: hb.progress(eng, "STP", "Hoàn thành"), "bt_stp", ["bt_stc", "bt_365"], "progress_reports"),
    "values_long": (lambda eng, files: hb.values_long("356", 60), "bt_356", ["bt_365", "bt_stp"], "indicator_values"),
    "values_wide": (lambda eng, files: hb.values_wide("356", 70), "bt_356", ["bt_365"], "indicator_values"),
    "par_department": (lambda eng, files: hb.par([("STP", "Sở Tư pháp")], score=90), "bt_stp", ["bt_stc", "bt_356"], "par_scores"),
    "par_district": (lambda eng, files: hb.par([("356", "UBND Thành phố Nam Định")], score=88), "bt_356", ["bt_365", "bt_stp"],
                     "par_scores"),
    "catalogue": (lambda eng, files: hb.catalogue(rename="Tỷ lệ hồ sơ kiểm thử (tên đã sửa)", target_2025="Tối thiểu 85%",
                                                  extra=True), None, ["bt_tinh", "bt_365"], "indicator_versions"),
}


def _sha(engine) -> str | None:  # noqa: ANN001
    return hashlib.sha256(Path(engine.url.database).read_bytes()).hexdigest() if engine.dialect.name == "sqlite" else None


def _count(engine, table: str) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()


@pytest.mark.parametrize("kind", list(MATRIX))
def test_role_matrix_and_exact_rollback(base, plan_files, kind):
    """Every sheet kind × admin, in-scope editor, out-of-scope editors and a viewer: a refusal names sheet, row and
    column and leaves the database unchanged (SQLite: byte for byte); an acceptance writes, and its rollback
    gives back the whole database as it was, row for row (what records the batch itself excepted)."""
    engine = base
    build, inside, outside, table = MATRIX[kind]
    data = build(engine, plan_files)
    actors = [("admin", True)] + ([(inside, True)] if inside else []) + [(u, False) for u in outside] + [("xem", False)]
    for username, allowed in actors:
        scope = users.writer_scope(username, engine)
        before, sha, rows_before = dump(engine), _sha(engine), _count(engine, table)
        res = import_workbook(engine, data, f"{kind}.xlsx", user=username, scope=scope)
        if not allowed:
            assert res.status == "refused", (username, res.counts)
            assert res.errors and all(is_scope_problem(p) for p in res.errors), (username, [p.message for p in res.errors])
            for p in res.errors:
                assert p.sheet and p.sheet != "(tệp)", p
                if kind != "plan":  # a plan's issuer is read from its title block: the sheet is named, not a cell
                    assert p.row is not None and p.column, p
            assert dump(engine) == before, username
            if sha:
                assert _sha(engine) == sha, username
            continue
        assert res.status == "imported", (username, [p.message for p in res.errors])
        assert _count(engine, table) > rows_before or kind in ("catalogue",), (username, table)
        assert dump(engine) != before
        log = users.audit_entries(action="import", engine=engine)
        assert log.iloc[0]["username"] == username and log.iloc[0]["details"]["batch_id"] == res.batch_id
        # an editor cannot undo it, a viewer neither: only an admin, and then exactly
        for other in ("bt_stp", "xem"):
            assert rollback_batch(engine, res.batch_id, other, scope=users.writer_scope(other, engine))
        assert rollback_batch(engine, res.batch_id, "admin") == []
        after = dump(engine)
        assert without_record_of(after, res.batch_id) == without_record_of(before, res.batch_id), (kind, username)
        # the only rows that differ are the batch's own record: its row (now rolled back) and two audit lines
        assert len(after["audit_log"]) == len(before["audit_log"]) + 2


@pytest.mark.parametrize("username, choices", [
    ("bt_stp", [("agency", "STư pháp", "STP", None)]),
    ("bt_356", [("unit", "TP. Nam Định", "356", None), ("status", "Đã xử lý", "done", None),
                ("column", "Kết quả/sản phẩm", "output", "plan_tasks")]),
])
def test_an_alias_batch_and_its_rollback_restore_exactly(base, username, choices):
    """A learned alias (issue 10) is a batch like any import: written by an in-scope editor, audited, and its
    rollback gives back the whole database row for row (the batch's own record and audit lines excepted)."""
    import json

    from store import aliases

    engine = base
    before = dump(engine)
    batch, problems = aliases.add(engine, [aliases.Choice(*c) for c in choices], username,
                                  users.writer_scope(username, engine))
    assert problems == [] and batch
    assert dump(engine)["learned_aliases"] != before["learned_aliases"]
    assert rollback_batch(engine, batch, "admin") == []
    after = without_record_of(dump(engine), batch)
    after["audit_log"] = [r for r in after["audit_log"] if not (r[3] == "alias_add" and json.loads(r[4])["batch_id"] == batch)]
    assert after == without_record_of(before, batch)


def test_catalogue_rollback_restores_the_earlier_wording(base):
    """The catalogue import of an admin renames an indicator: a new version, the old one kept; the rollback
    brings the old name and targets back (the editor's rename of the issue cannot even start)."""
    from store import queries

    engine = base
    name = queries.indicators(engine).set_index("code").at[hb.INDICATOR, "name"]
    res = import_workbook(engine, hb.catalogue(rename="Tên mới"), "doi_ten.xlsx", user="admin")
    assert res.status == "imported"
    assert queries.indicators(engine).set_index("code").at[hb.INDICATOR, "name"] == "Tên mới"
    with engine.connect() as conn:
        versions = conn.execute(select(s.indicator_versions.c.name, s.indicator_versions.c.is_current)
                                .where(s.indicator_versions.c.indicator_code == hb.INDICATOR)).all()
    assert sorted(versions) == sorted([(name, False), ("Tên mới", True)])
    assert rollback_batch(engine, res.batch_id, "admin") == []
    assert queries.indicators(engine).set_index("code").at[hb.INDICATOR, "name"] == name
    # the same catalogue again changes nothing: no new version
    same = import_workbook(engine, hb.catalogue(subtitle="Giai đoạn 2021 – 2030 (bản gửi lại)"), "danh_muc_lai.xlsx", user="admin")
    assert same.status == "imported", [p.message for p in same.problems]
    with engine.connect() as conn:
        assert conn.execute(select(s.indicator_versions.c.id).where(s.indicator_versions.c.batch_id == same.batch_id)).all() == []


def test_rollback_of_a_catalogue_others_build_on_is_refused(base):
    engine = base
    new = import_workbook(engine, hb.catalogue(extra=True), "them_chi_tieu.xlsx", user="admin")
    assert new.status == "imported"
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(hb.values_long("356", 10)))
    ws = wb.active
    for r in range(4, ws.max_row + 1):
        ws.cell(r, 1).value = "KIEM_THU_MOI"
    buf = io.BytesIO()
    wb.save(buf)
    used = import_workbook(engine, buf.getvalue(), "so_lieu_moi.xlsx", user="admin")
    assert used.status == "imported", [p.message for p in used.errors]
    before = dump(engine)
    errors = rollback_batch(engine, new.batch_id, "admin")
    assert errors and f"lô #{used.batch_id}" in errors[0]
    assert dump(engine) == before
    assert rollback_batch(engine, used.batch_id, "admin") == [] and rollback_batch(engine, new.batch_id, "admin") == []


@pytest.mark.parametrize("scope, claim, allowed", [
    (ADMIN, Claim("catalogue", "S", 1, "A"), True),
    (Scope(units=frozenset({"36"})), Claim("catalogue", "S", 1, "A"), False),
    (Scope(units=frozenset({"36"})), Claim("targets", "S", 1, "A"), False),
    # a learned spelling (issue 10): an editor maps names only to agencies and units inside their scope
    (Scope(agencies=frozenset({"STP"})), Claim("aliases", "S", 1, "A", owner="STP", owner_kind="agency"), True),
    (Scope(agencies=frozenset({"STP"})), Claim("aliases", "S", 1, "A", owner="SNV", owner_kind="agency"), False),
    (Scope(units=frozenset({"356"})), Claim("aliases", "S", 1, "A", owner="356"), True),
    (Scope(units=frozenset({"356"})), Claim("aliases", "S", 1, "A", owner="365"), False),
    (Scope(units=frozenset({"356"})), Claim("layout", "S", 1, "A"), True),
    (VIEWER, Claim("layout", "S", 1, "A"), False),
    (ADMIN, Claim("aliases", "S", 1, "A"), True),
    (Scope(agencies=frozenset({"STP"})), Claim("progress", "S", 1, "A", owner="STP", owner_kind="agency"), True),
    (Scope(agencies=frozenset({"STP"})), Claim("progress", "S", 1, "A", owner="STC", owner_kind="agency"), False),
    (Scope(units=frozenset({"356"})), Claim("progress", "S", 1, "A", owner="UBND-356", owner_kind="agency",
                                            agency_unit="356"), True),
    (Scope(units=frozenset({"356"})), Claim("values", "S", 1, "A", owner="356"), True),
    (Scope(units=frozenset({"356"})), Claim("values", "S", 1, "A", owner="365"), False),
    (Scope(units=frozenset({"356"})), Claim("values", "S", 1, "A", owner=None), False),
    (Scope(units=frozenset({"356"})), Claim("plan", "S", None, None, owner="356"), True),
    (Scope(agencies=frozenset({"STP"})), Claim("plan", "S", None, None, owner="36"), False),
    (Scope(agencies=frozenset({"STP"})), Claim("par", "S", 1, "A", owner="STP", owner_kind="agency"), True),
    (VIEWER, Claim("values", "S", 1, "A", owner="356"), False),
    (Scope(is_admin=True, read_only=True), Claim("values", "S", 1, "A", owner="356"), False),
    (ADMIN, Claim("a kind nobody declared", "S", 1, "A"), False),  # a new writer must enter the rule table
])
def test_the_rule_table(scope, claim, allowed):
    problems = authorize(scope, [claim], "ai_do")
    assert (problems == []) is allowed
    assert all(p.sheet == "S" for p in problems)


def test_every_kind_of_row_has_a_rule_and_every_versioned_table_a_key_index():
    assert {"plan", "progress", "values", "par", "catalogue", "targets", "aliases", "layout"} <= set(RULES)
    assert {t.name for t, _k in VERSIONED} == {"progress_reports", "indicator_values", "par_scores", "targets",
                                               "indicator_versions"}


def test_refusals_are_listed_per_row_up_to_a_limit():
    claims = [Claim("values", "Số liệu", 4 + i, "Mã ĐVHC", owner=str(1000 + i), label=f"Xã {i}") for i in range(60)]
    problems = authorize(Scope(units=frozenset({"356"})), claims, "bt_356")
    assert len(problems) == 51 and "10 dòng khác" in problems[-1].message
    assert [p.row for p in problems[:3]] == [4, 5, 6] and all(is_scope_problem(p) for p in problems)


# --- the command line writes as a named user -----------------------------------------------------

def test_cli_imports_and_rolls_back_as_a_named_user(base, tmp_path, monkeypatch, capsys):
    import manage
    from store.db import shared_engine

    engine = base
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    shared_engine.cache_clear()
    path = tmp_path / "so_lieu_365.xlsx"
    path.write_bytes(hb.values_long("365", 50))
    before = dump(engine)
    assert manage.main(["import", str(path), "--user", "bt_356", "--json"]) == 1  # 365 is not bt_356's
    import json

    out = json.loads(capsys.readouterr().out)
    assert not out["ok"] and "ngoài phạm vi" in out["errors"][0]["message"] and out["errors"][0]["row"] == 4
    assert dump(engine) == before
    assert manage.main(["import", str(path), "--user", "nobody"]) == 2
    assert "Không có người dùng «nobody»" in capsys.readouterr().err
    assert manage.main(["import", str(path), "--user", "xem"]) == 1
    assert "chỉ có quyền xem" in capsys.readouterr().out
    assert manage.main(["import", str(path), "--user", "bt_365", "--json"]) == 0
    batch = json.loads(capsys.readouterr().out)["batch_id"]
    log = users.audit_entries(action="import", engine=engine).iloc[0]
    assert (log["username"], log["details"]["batch_id"], log["details"]["via"]) == ("bt_365", batch, "cli")
    with engine.connect() as conn:
        assert conn.execute(select(s.import_batches.c.uploaded_by).where(s.import_batches.c.id == batch)).scalar_one() == "bt_365"
    assert manage.main(["rollback", str(batch), "--user", "bt_365"]) == 1  # an editor cannot undo
    assert "Chỉ quản trị viên" in capsys.readouterr().err
    assert manage.main(["rollback", str(batch)]) == 0  # the default: the oldest enabled admin
    log = users.audit_entries(action="rollback", engine=engine).iloc[0]
    assert (log["username"], log["details"]["batch_id"], log["details"]["via"]) == ("admin", batch, "cli")
    assert without_record_of(dump(engine), batch) == without_record_of(before, batch)
    shared_engine.cache_clear()


def test_the_default_cli_user_is_the_oldest_enabled_admin(base):
    from datetime import datetime, timedelta

    engine = base
    assert users.default_writer(engine) == "admin"
    with engine.begin() as conn:
        conn.execute(insert(s.users).values(username="aa_quan_tri", name="Quản trị 2", email=None, password_hash="x",
                                            role="admin", agencies=[], units=[], disabled=False, failed_attempts=0,
                                            locked_until=None, created_at=datetime.now() + timedelta(days=1)))
    assert users.default_writer(engine) == "admin"  # older wins over the name's order
    users.update_user("admin", disabled=True, engine=engine)
    assert users.default_writer(engine) == "aa_quan_tri"
    users.update_user("aa_quan_tri", disabled=True, engine=engine)
    with pytest.raises(ValueError, match="Chưa có tài khoản quản trị"):
        users.default_writer(engine)


# --- supersede and rollback queries are served by the key indexes --------------------------------

INDEX_OF = {"progress_reports": "ix_progress_key", "indicator_values": "ix_values_key", "par_scores": "ix_par_key",
            "targets": "ix_targets_key", "indicator_versions": "ix_indicator_versions_indicator_code"}


def _plan(conn, stmt) -> str:  # noqa: ANN001
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        return "\n".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # an empty table would be scanned anyway: ask what CAN be used
    return "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))


@pytest.mark.parametrize("table, key", VERSIONED, ids=[t.name for t, _k in VERSIONED])
def test_supersede_and_restore_use_the_key_index(engine, table, key):
    with engine.begin() as conn:
        for stmt in (supersede_statement(table, 7, key), restore_statement(table, 7, key)):
            plan = _plan(conn, stmt)
            assert INDEX_OF[table.name] in plan, plan


def test_the_old_is_not_distinct_from_form_could_not(engine):
    """Why the rewrite: the correlated EXISTS on IS NOT DISTINCT FROM is a scan of every row, on PostgreSQL even when
    told not to scan (SQLite can look up the inner side but still scans the whole outer table)."""
    from sqlalchemy import and_, update

    t = s.indicator_values
    new = t.alias("new")
    key = ("indicator_code", "unit_code", "year", "quarter")
    old = update(t).where(t.c.is_current.is_(True), t.c.batch_id != 7, select(new.c.id).where(and_(
        new.c.batch_id == 7, *[new.c[k].is_not_distinct_from(t.c[k]) for k in key])).exists()).values(is_current=False)
    with engine.begin() as conn:
        plan = _plan(conn, old)
    if engine.dialect.name == "postgresql":
        assert "Seq Scan on indicator_values" in plan and "ix_values_key" not in plan, plan
    else:
        assert "SCAN indicator_values" in plan, plan


# --- imports that cannot hang --------------------------------------------------------------------

def _holding_the_lock(engine, release: threading.Event, held: threading.Event) -> threading.Thread:  # noqa: ANN001
    from store.importer import write_transaction

    def hold() -> None:
        with write_transaction(engine):
            held.set()
            release.wait(120)

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert held.wait(60)
    return t


def test_a_second_import_is_refused_clearly_instead_of_waiting(base, monkeypatch):
    engine = base
    monkeypatch.setenv("CCHC_IMPORT_LOCK_WAIT_S", "1")
    before = dump(engine)  # (on SQLite a read waits for the writer too: read before the lock is taken)
    release, held = threading.Event(), threading.Event()
    holder = _holding_the_lock(engine, release, held)
    try:
        started = time.monotonic()
        res = import_workbook(engine, hb.values_long("356", 77), "trong_luc_khac.xlsx", user="admin")
        waited = time.monotonic() - started
        assert res.status == "refused"
        assert [p.message for p in res.errors] == [
            "Đang có một lần nhập khác ghi vào cơ sở dữ liệu; đã chờ 1 giây mà chưa xong. "
            "Không có gì bị ghi: hãy thử lại sau ít phút."]
        assert rollback_batch(engine, 1, "admin")[0].startswith("Đang có một lần nhập khác")
        assert waited < 30  # a bounded wait (1 s asked; generous for a loaded machine), not the other import's length
    finally:
        release.set()
        holder.join(60)
    assert dump(engine) == before
    assert import_workbook(engine, hb.values_long("356", 77), "sau_do.xlsx", user="admin").status == "imported"


def test_a_statement_past_the_timeout_is_stopped(engine, request, tmp_path, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    request.getfixturevalue("base")
    monkeypatch.setenv("CCHC_PG_STATEMENT_TIMEOUT_S", "1")
    monkeypatch.setenv("CCHC_TEST_IMPORT_HOLD", str(tmp_path / "flag"))
    monkeypatch.setenv("CCHC_TEST_IMPORT_HOLD_SQL", "1")  # the hold is a 120 s statement on the server
    before = dump(engine)
    res = import_workbook(engine, hb.values_long("356", 78), "qua_lau.xlsx", user="admin")
    assert res.status == "refused" and "chạy quá 1 giây" in res.errors[0].message
    assert dump(engine) == before


def test_a_killed_import_ends_its_statement_and_the_next_import_goes_through(engine, request, tmp_path, monkeypatch):
    """kill -9 of a client whose import runs a long statement on the server (the pg_sleep hold, standing for
    the UPDATE of the issue): the server notices the dead client (client_connection_check_interval), ends the
    statement and frees the import lock; the next import succeeds within seconds, not after the 120 s."""
    if engine.dialect.name != "postgresql":
        pytest.skip("a server-side statement outliving its client is PostgreSQL's problem")
    request.getfixturevalue("base")
    tag = f"cchc_kill_{uuid.uuid4().hex[:8]}"
    url = engine.url.render_as_string(hide_password=False) + f"&application_name={tag}"
    book = tmp_path / "so_lieu.xlsx"
    book.write_bytes(hb.values_long("356", 79))
    flag = tmp_path / "dang_ghi.flag"
    env = dict(os.environ, CCHC_TEST_IMPORT_HOLD=str(flag), CCHC_TEST_IMPORT_HOLD_SQL="1", PYTHONPATH=str(ROOT))
    before = dump(engine)
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, url, str(book)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def sleeping() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a AND state = 'active' "
                                     "AND query LIKE '%pg_sleep%'"), {"a": tag}).scalar_one()

    def alive() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a"), {"a": tag}).scalar_one()

    try:
        deadline = time.monotonic() + 120
        while not (flag.exists() and sleeping()) and time.monotonic() < deadline and proc.poll() is None:
            try:
                proc.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert sleeping() == 1, "the import never reached its long statement"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    killed_at = time.monotonic()
    deadline = killed_at + 60
    while alive() and time.monotonic() < deadline:
        try:
            proc.wait(timeout=0.1)  # a bounded wait on a condition (the process is long gone)
        except subprocess.TimeoutExpired:
            pass
    gone_after = time.monotonic() - killed_at
    assert alive() == 0, "the killed client's backend still runs"
    assert gone_after < 60  # the statement would have run for 120 s
    monkeypatch.setenv("CCHC_IMPORT_LOCK_WAIT_S", "5")  # the lock is free: no waiting on a ghost
    assert dump(engine) == before
    res = import_workbook(engine, book, "so_lieu.xlsx", user="admin")
    assert res.status == "imported", [p.message for p in res.errors]


def test_postgresql_connections_carry_keepalives_and_the_client_check(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL settings")
    with engine.connect() as conn:
        got = {n: conn.execute(text(f"SHOW {n}")).scalar_one() for n in
               ("client_connection_check_interval", "tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count")}
        info = conn.connection.driver_connection.info
    assert got == {"client_connection_check_interval": "5s", "tcp_keepalives_idle": "30", "tcp_keepalives_interval": "10",
                   "tcp_keepalives_count": "3"}
    params = info.get_parameters()
    assert params.get("keepalives") == "1" and params.get("keepalives_idle") == "30"


# --- migration 0003 ----------------------------------------------------------------------------

def test_migration_0003_makes_each_indicator_its_first_version_and_back(engine):
    """An indicator stored at 0002 (name and measure on the indicators row) becomes one current version at 0003,
    reads the same through the queries, and the downgrade puts the current wording back on the row."""
    from store import queries
    from store.db import downgrade, upgrade

    downgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO import_batches (kind, file_name, sha256, size_bytes, uploaded_by, uploaded_at, status, "
                          "is_sample, counts, options) VALUES ('indicators', 'cu.xlsx', 'x', 1, 'admin', '2024-01-01 00:00:00', "
                          "'imported', false, '{}', '{}')"))
        batch = conn.execute(text("SELECT max(id) FROM import_batches")).scalar_one()
        conn.execute(text("INSERT INTO indicators (code, name, area_code, unit, direction, is_rate, batch_id) VALUES "
                          "('CU_1', 'Chỉ tiêu cũ', 'procedure', '%', 'up', true, :b), "
                          "('CU_2', 'Không lô', NULL, 'số', 'down', false, NULL)"), {"b": batch})
    upgrade(engine)
    got = queries.indicators(engine).set_index("code").loc[["CU_1", "CU_2"]]
    assert got["name"].tolist() == ["Chỉ tiêu cũ", "Không lô"] and got["unit"].tolist() == ["%", "số"]
    assert got["is_rate"].map(bool).tolist() == [True, False] and got["direction"].tolist() == ["up", "down"]
    with engine.connect() as conn:
        versions = conn.execute(select(s.indicator_versions.c.indicator_code, s.indicator_versions.c.batch_id,
                                       s.indicator_versions.c.is_current).order_by(s.indicator_versions.c.indicator_code)).all()
    assert [tuple(v) for v in versions] == [("CU_1", batch, True), ("CU_2", None, True)]
    downgrade(engine, "0002")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT code, name, unit FROM indicators ORDER BY code")).all()
    assert [tuple(r) for r in rows] == [("CU_1", "Chỉ tiêu cũ", "%"), ("CU_2", "Không lô", "số")]
    upgrade(engine)


# SQLite cannot reflect expression indexes, so Alembic skips ix_values_key and ix_targets_key there (with a
# warning); PostgreSQL compares them, and the EXPLAIN tests above show they exist on both
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_schema_module_and_the_migrations_agree(engine):
    """store/schema.py and the migrations describe the same database (Alembic's comparison finds nothing)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), s.metadata)
    assert diff == [], diff
