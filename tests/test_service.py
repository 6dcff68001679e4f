"""Issue 13, the service layer: every command (import, dry run, rollback, alias and account changes) runs one
transaction, writes its audit entry and prepares the new version's view data, from the app and the command line
alike; the import of a file after its dry run does not parse it again unless the data changed meanwhile; and the
store's modules import each other without a cycle (SQLite and PostgreSQL)."""
from __future__ import annotations

import ast
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from catalogue import UI
import service
import store.importer
from service import users as accounts
from service.aliases import Choice, add_aliases, remove_alias
from store import queries, snapshot, users
from store import schema as s
from store.authorize import ADMIN, VIEWER, Scope
from store.importer import import_workbook
from tests import hardening_books as hb

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-thu-nghiem-1"  # test-only password, in throw-away databases


@pytest.fixture
def db(engine):
    """The reference data, the first admin, an editor of unit 365 and the test catalogue (so values match)."""
    users.ensure_admin(engine, echo=lambda _m: None)
    with engine.begin() as conn:
        conn.execute(insert(s.users).values(username="bt_365", name="Biên tập 365", email=None,
                                            password_hash=users.hash_password(PASSWORD), role="editor", agencies=[],
                                            units=["365"], disabled=False, failed_attempts=0, locked_until=None,
                                            created_at=datetime.now().replace(microsecond=0)))
    res = import_workbook(engine, hb.catalogue(), "danh_muc.xlsx", user="admin")
    assert res.status == "imported", [p.message for p in res.errors]
    return engine


class ParseCounter:
    """Counts the parses of uploads: wraps the real parse (loaders.sandbox.parse_upload, as the importer calls it)."""

    def __init__(self, monkeypatch) -> None:  # noqa: ANN001
        self.calls = 0
        real = store.importer.parse_upload

        def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(store.importer, "parse_upload", counted)


def _imports(engine) -> list[dict]:  # noqa: ANN001
    log = users.audit_entries(action="import", engine=engine)
    return [dict(d) for d in log["details"]]


# --- no second parse ----------------------------------------------------------------------------------------

def test_the_import_after_a_dry_run_does_not_parse_again(db, monkeypatch):
    parses = ParseCounter(monkeypatch)
    content = hb.values_long("365", 40)
    rehearsal = service.dry_run(db, content, "so_lieu_365.xlsx", user="bt_365", scope=users.writer_scope("bt_365", db))
    assert rehearsal.ok and parses.calls == 1
    assert rehearsal.version == queries.data_version(db)
    done = service.import_file(db, content, "so_lieu_365.xlsx", user="bt_365", scope=users.writer_scope("bt_365", db),
                               rehearsal=rehearsal)
    assert done.status == "imported" and done.reused_parse and parses.calls == 1  # read once, for both
    assert done.counts == {"indicator_values": 2}
    # matched again in the import's own transaction: the rows written are the file's
    with db.connect() as conn:
        values = sorted(conn.execute(select(s.indicator_values.c.quarter, s.indicator_values.c.numerator)
                                     .where(s.indicator_values.c.batch_id == done.batch_id)).all())
    assert values == [(1, 41.0), (2, 42.0)]


def test_a_changed_data_version_forces_the_file_to_be_read_and_validated_again(db, monkeypatch):
    parses = ParseCounter(monkeypatch)
    content = hb.values_long("365", 40)
    rehearsal = service.dry_run(db, content, "so_lieu_365.xlsx")
    assert rehearsal.ok and parses.calls == 1
    # meanwhile someone imports the same bytes: the data version changes, and the rehearsal no longer holds
    first = service.import_file(db, content, "so_lieu_365_ban_sao.xlsx", refresh=False)
    assert first.status == "imported" and parses.calls == 2
    assert queries.data_version(db) != rehearsal.version
    again = service.import_file(db, content, "so_lieu_365.xlsx", rehearsal=rehearsal, refresh=False)
    assert not again.reused_parse and parses.calls == 3  # read and validated again, against today's data
    assert again.status == "refused" and any("đã được nhập trước đó" in p.message for p in again.errors), \
        [p.message for p in again.errors]


@pytest.mark.parametrize("change", ["other bytes", "other writer", "other targets", "other options"])
def test_a_rehearsal_of_something_else_is_not_reused(db, monkeypatch, change):
    from loaders.parse import Options

    parses = ParseCounter(monkeypatch)
    content = hb.values_long("365", 40)
    rehearsal = service.dry_run(db, content, "so_lieu.xlsx")
    kwargs: dict = {}
    if change == "other bytes":
        content = hb.values_long("365", 41)
    elif change == "other writer":
        kwargs = {"user": "bt_365", "scope": users.writer_scope("bt_365", db)}
    elif change == "other targets":
        kwargs = {"confirmed": ["a proposal"]}
    else:
        kwargs = {"options": Options(unit="365")}
    done = service.import_file(db, content, "so_lieu.xlsx", rehearsal=rehearsal, refresh=False, **kwargs)
    assert not done.reused_parse and parses.calls == 2


def test_a_second_dry_run_of_the_same_bytes_with_confirmed_targets_reuses_the_parse(db, monkeypatch):
    parses = ParseCounter(monkeypatch)
    content = hb.values_long("365", 40)
    first = service.dry_run(db, content, "so_lieu.xlsx")
    second = service.dry_run(db, content, "so_lieu.xlsx", confirmed=[], earlier=first)
    assert parses.calls == 1 and second.parsed is first.parsed and second.ok


# --- every command: one transaction, its audit entry, the new version's view data ----------------------------

def test_an_import_is_audited_and_its_view_data_prepared(db):
    before = queries.data_version(db)
    done = service.import_file(db, hb.values_long("365", 40), "so_lieu_365.xlsx", user="bt_365",
                               scope=users.writer_scope("bt_365", db), via="app")
    assert done.status == "imported"
    version = queries.data_version(db)
    assert version != before and done.view is not None and done.view.version == version
    assert snapshot.load(version, "frames") is not None  # on disk for every server process
    assert _imports(db)[0] == {"batch_id": done.batch_id, "file": "so_lieu_365.xlsx", "sha256": done.parse.sha256,
                               "counts": {"indicator_values": 2}, "via": "app"}


def test_a_refused_import_writes_nothing_and_prepares_nothing(db):
    before = (queries.data_version(db), len(_imports(db)))
    done = service.import_file(db, hb.values_long("356", 40), "so_lieu_356.xlsx", user="bt_365",
                               scope=users.writer_scope("bt_365", db))
    assert done.status == "refused" and done.view is None and done.batch_id is None
    assert (queries.data_version(db), len(_imports(db))) == before


def test_a_dry_run_writes_nothing(db):
    before = (queries.data_version(db), len(_imports(db)))
    rehearsal = service.dry_run(db, hb.values_long("365", 40), "so_lieu_365.xlsx")
    assert rehearsal.ok and rehearsal.result.counts == {"indicator_values": 2}
    assert (queries.data_version(db), len(_imports(db))) == before


def test_command_line_imports_are_audited_like_the_apps(db, tmp_path, monkeypatch, capsys):
    import manage
    from store.db import shared_engine

    monkeypatch.setenv("DATABASE_URL", db.url.render_as_string(hide_password=False))
    shared_engine.cache_clear()
    path = tmp_path / "so_lieu_365.xlsx"
    path.write_bytes(hb.values_long("365", 40))
    try:
        before = len(_imports(db))
        assert manage.main(["import", str(path), "--dry-run", "--json", "--user", "bt_365"]) == 0
        assert json.loads(capsys.readouterr().out)["ok"] and len(_imports(db)) == before  # a rehearsal: nothing
        assert manage.main(["import", str(path), "--json", "--user", "bt_365"]) == 0
        batch = json.loads(capsys.readouterr().out)["batch_id"]
        log = users.audit_entries(action="import", engine=db).iloc[0]
        assert (log["username"], log["details"]["batch_id"], log["details"]["via"]) == ("bt_365", batch, "cli")
        assert snapshot.load(queries.data_version(db), "frames") is not None  # prepared, as after an upload
        assert manage.main(["rollback", str(batch)]) == 0
        log = users.audit_entries(action="rollback", engine=db).iloc[0]
        assert (log["username"], log["details"]["batch_id"], log["details"]["via"]) == ("admin", batch, "cli")
    finally:
        shared_engine.cache_clear()


def test_rollback_is_an_admins_audited_and_prepared(db):
    done = service.import_file(db, hb.values_long("365", 40), "so_lieu_365.xlsx", refresh=False)
    editor = users.writer_scope("bt_365", db)
    refused = service.rollback(db, done.batch_id, "bt_365", scope=editor)
    assert not refused.ok and refused.view is None and "Chỉ quản trị viên" in refused.errors[0]
    undone = service.rollback(db, done.batch_id, "admin", scope=ADMIN)
    assert undone.ok and undone.view is not None and undone.view.version == queries.data_version(db)
    log = users.audit_entries(action="rollback", engine=db).iloc[0]
    assert (log["username"], log["details"]["batch_id"], log["details"]["via"]) == ("admin", done.batch_id, "app")


def test_alias_changes_are_batches_audited_and_prepared(db):
    added = add_aliases(db, [Choice("agency", "Sở TP viết tắt", "STP")], "admin")
    assert added.batch_id is not None and not added.problems and added.view is not None
    assert added.view.version == queries.data_version(db)
    known = add_aliases(db, [Choice("agency", "Sở TP viết tắt", "STP")], "admin")
    assert (known.batch_id, known.problems, known.view) == (None, [], None)  # nothing to write, nothing to prepare
    refused = add_aliases(db, [Choice("agency", "Sở TP khác", "STP")], "bt_365", users.writer_scope("bt_365", db))
    assert refused.batch_id is None and refused.messages and refused.view is None
    alias_id = int(users.audit_entries(action="alias_add", engine=db).iloc[0]["details"]["batch_id"])
    with db.connect() as conn:
        alias_id = conn.execute(select(s.learned_aliases.c.id).where(s.learned_aliases.c.batch_id == alias_id)).scalar_one()
    removed = remove_alias(db, alias_id, "admin")
    assert removed.batch_id is not None and removed.view is not None and not removed.messages
    assert users.audit_entries(action="alias_remove", engine=db).iloc[0]["details"]["alias_id"] == alias_id


def test_account_changes_are_audited_and_an_admin_cannot_lock_themselves_out(db):
    password = accounts.add_user(db, "hoa", "Nguyễn Thị Hoa", "editor", by="admin", agencies=["STP"])
    assert users.check_password(password, users.get("hoa", db)["password_hash"])
    log = users.audit_entries(action="user_add", engine=db).iloc[0]
    assert (log["username"], log["details"]["username"], log["details"]["agencies"]) == ("admin", "hoa", ["STP"])
    accounts.change_role(db, "hoa", by="admin", role="viewer")
    assert users.get("hoa", db)["role"] == "viewer" and users.get("hoa", db)["agencies"] == ["STP"]  # scope kept
    new = accounts.set_password(db, "hoa", by="admin")
    assert new != password and users.check_password(new, users.get("hoa", db)["password_hash"])
    accounts.set_disabled(db, "hoa", by="admin", disabled=True)
    assert users.get("hoa", db)["disabled"]
    assert users.audit_entries(username="hoa", action="sessions_revoked", engine=db).shape[0] == 2  # password, lock
    with pytest.raises(ValueError, match="Không thể tự khóa"):
        accounts.change_role(db, "admin", by="admin", role="editor")
    with pytest.raises(ValueError, match="Không thể tự khóa"):
        accounts.set_disabled(db, "admin", by="admin", disabled=True)
    assert users.get("admin", db)["role"] == "admin" and not users.get("admin", db)["disabled"]


def test_the_command_line_changes_accounts_through_the_service(db, monkeypatch, capsys):
    import manage
    from store.db import shared_engine

    monkeypatch.setenv("DATABASE_URL", db.url.render_as_string(hide_password=False))
    shared_engine.cache_clear()
    try:
        assert manage.main(["user", "add", "lan", "--role", "editor", "--scope", "STP,365",
                            "--password", "mot-mat-khau-dai"]) == 0
        u = users.get("lan", db)
        assert (u["role"], u["agencies"], u["units"]) == ("editor", ["STP"], ["365"])
        assert manage.main(["user", "role", "lan", "--role", "viewer"]) == 0
        assert users.get("lan", db)["role"] == "viewer" and users.get("lan", db)["units"] == ["365"]
        assert manage.main(["user", "disable", "lan"]) == 0 and users.get("lan", db)["disabled"]
        with pytest.raises(SystemExit) as exit_:
            manage.main(["user", "role", "lan", "--role", "chief"])  # not a role
        assert exit_.value.code == 2
        assert manage.main(["user", "passwd", "nobody", "--password", "mot-mat-khau-dai"]) == 1
        assert "Không có người dùng nobody" in capsys.readouterr().err
        log = users.audit_entries(username="cli", action="user_update", engine=db)
        assert log.shape[0] == 2
    finally:
        shared_engine.cache_clear()


def test_a_viewer_writes_nothing_through_the_service(db):
    done = service.import_file(db, hb.values_long("365", 40), "so_lieu_365.xlsx", user="xem", scope=VIEWER)
    assert done.status == "refused" and done.view is None
    rehearsal = service.dry_run(db, hb.values_long("365", 40), "so_lieu_365.xlsx", user="xem", scope=VIEWER)
    assert not rehearsal.ok


# --- the package graph -----------------------------------------------------------------------------------------

def _graph(packages: tuple[str, ...]) -> dict[str, set[str]]:
    """module → the modules of `packages` it imports, at its top or inside a function (a cycle is a cycle)."""
    graph: dict[str, set[str]] = {}
    for pkg in packages:
        for f in sorted((ROOT / pkg).glob("*.py")):
            name = pkg if f.stem == "__init__" else f"{pkg}.{f.stem}"
            deps: set[str] = set()
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    for alias in node.names:
                        sub = f"{node.module}.{alias.name}"
                        deps.add(sub if (ROOT / (sub.replace(".", "/") + ".py")).exists() else node.module)
                elif isinstance(node, ast.Import):
                    deps.update(a.name for a in node.names)
            graph[name] = {d for d in deps if d.split(".")[0] in packages and d != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, path = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                found.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


@pytest.mark.parametrize("packages", [("store",), ("store", "service")])
def test_the_store_and_the_service_import_without_a_cycle(packages):
    graph = _graph(packages)
    assert "store.tx" in graph and "store.users_cli" not in graph
    assert _cycles(graph) == []
    if "service" in packages:  # the store never climbs back to the service
        assert not [m for m, deps in graph.items() if m.startswith("store") and any(d.startswith("service") for d in deps)]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_service_does_not_import_streamlit():
    for f in sorted((ROOT / "service").glob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not any(n.split(".")[0] == "streamlit" for n in names), f.name


STORE_WRITES = {"store.importer": {"import_workbook", "rollback_batch", "read_upload"},
                "store.aliases": {"add", "remove"}, "store.snapshot": {"prepare"},
                "store.users": {"add_user", "update_user", "reset_password"},
                "store.accounts": {"add_user", "update_user", "reset_password"}}


def _store_writes(tree: ast.AST) -> list[str]:
    """The store's write commands a module calls or imports (by name or through its module)."""
    bound: dict[str, str] = {}  # local name → store module
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in STORE_WRITES:
            found += [f"{node.module}.{a.name}" for a in node.names if a.name in STORE_WRITES[node.module]]
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "store":
            bound |= {a.asname or a.name: f"store.{a.name}" for a in node.names if f"store.{a.name}" in STORE_WRITES}
        elif isinstance(node, ast.Import):
            bound |= {a.asname or a.name: a.name for a in node.names if a.name in STORE_WRITES}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
            module = bound[node.value.id]
            if node.attr in STORE_WRITES[module]:
                found.append(f"{module}.{node.attr}")
    return found


@pytest.mark.parametrize("source, expected", [
    ("from store.importer import import_workbook", ["store.importer.import_workbook"]),
    ("from store import users\nusers.update_user('a')", ["store.users.update_user"]),
    ("from store import aliases as al\nal.add(1)", ["store.aliases.add"]),
    ("from service import users\nusers.add_user(1)", []),
    ("from store.aliases import listing", []),
    ("from store import users\nusers.all_users()", []),
])
def test_the_write_finder(source, expected):
    assert _store_writes(ast.parse(source)) == expected


def test_pages_and_the_command_line_write_only_through_the_service():
    callers = [ROOT / "app.py", ROOT / "manage.py", ROOT / "bench.py", ROOT / "bench_pages.py",
               ROOT / "scripts" / "bench_pg_import.py", *sorted((ROOT / "pages").glob("*.py")),
               *sorted((ROOT / "components").glob("*.py"))]
    found = {f.name: w for f in callers if (w := _store_writes(ast.parse(f.read_text(encoding="utf-8"))))}
    assert found == {}


def test_a_scope_key_does_not_depend_on_the_order_of_its_sets():
    from service.imports import rehearsal_key

    a = Scope(agencies=frozenset({"STP", "STC", "SNV"}), units=frozenset({"365", "356"}))
    b = Scope(agencies=frozenset({"SNV", "STC", "STP"}), units=frozenset({"356", "365"}))
    assert rehearsal_key(b"x", "f.xlsx", None, None, "u", a) == rehearsal_key(b"x", "f.xlsx", None, None, "u", b)
    assert rehearsal_key(b"x", "f.xlsx", None, None, "u", a) != rehearsal_key(b"y", "f.xlsx", None, None, "u", a)


# --- the upload page: one parse per file ------------------------------------------------------------------------

def test_the_upload_page_parses_a_file_once_for_its_dry_run_and_its_import(app_env, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from store.db import make_engine, shared_engine

    shared_engine.cache_clear()
    st.cache_resource.clear()
    parses = ParseCounter(monkeypatch)
    rows = [["TTHC_ONLINE_DOSSIER_RATE", None, "365", None, 2024, q, None, 40 + q, 100] for q in (1, 2)]
    content = hb._book(["SỐ LIỆU CHỈ TIÊU"], hb.VALUES_HEADER, rows, "Số liệu")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = at.session_state["name"] = "admin"
    at.session_state["roles"] = ["admin"]
    at.run()
    at.switch_page("pages/tai-len.py").run()
    at.file_uploader(key="upload_files").set_value(
        ("so_lieu_365.xlsx", content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert not at.exception, at.exception
    assert parses.calls == 1  # the dry run
    # the preview, from the dry run's own matching (service.dry_run), against the values stored for those keys
    v = s.indicator_values
    eng = make_engine(f"sqlite:///{app_env / 'cchc.db'}")
    try:
        with eng.connect() as conn:
            stored = dict(conn.execute(select(v.c.quarter, v.c.numerator).where(
                v.c.is_current.is_(True), v.c.indicator_code == "TTHC_ONLINE_DOSSIER_RATE", v.c.unit_code == "365",
                v.c.year == 2024, v.c.quarter.in_([1, 2]))).all())
    finally:
        eng.dispose()
    changed = sum(q in stored and stored[q] != 40 + q for q in (1, 2))
    preview = next(d.value for d in at.dataframe if UI["diff_part"] in d.value.columns)
    assert preview.to_dict("records") == [{UI["diff_part"]: UI["diff_values"], UI["diff_new"]: 2 - len(stored),
                                           UI["diff_changed"]: changed, UI["diff_unchanged"]: len(stored) - changed,
                                           UI["diff_unmatched"]: 0}]
    key = next(b.key for b in at.button if (b.key or "").startswith("import_"))
    assert not at.button(key=key).disabled
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    assert any("Đã nhập lô" in s.value for s in at.success)
    assert parses.calls == 1  # the import reused the dry run's parse
    eng = make_engine(f"sqlite:///{app_env / 'cchc.db'}")
    try:
        log = users.audit_entries(action="import", engine=eng).iloc[0]
        assert (log["username"], log["details"]["file"], log["details"]["via"]) == ("admin", "so_lieu_365.xlsx", "app")
        assert snapshot.load(queries.data_version(eng), "frames") is not None  # the service prepared the new version
    finally:
        eng.dispose()
        shared_engine.cache_clear()
        st.cache_resource.clear()


# --- one registry of view items -----------------------------------------------------------------------------------

def test_every_data_call_of_a_page_is_in_the_registry():
    """Adding a view item is one row in store.snapshot.ITEMS: the accessor a page calls comes from it."""
    import re

    from components import data

    calls = set()
    for f in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "components").glob("*.py"))]:
        calls |= set(re.findall(r"\bdata\.([a-z_]+)\(", f.read_text(encoding="utf-8")))
    assert calls, "no page reads view data?"
    assert sorted(calls - set(snapshot.ITEMS) - set(data.HELPERS)) == []
    assert set(snapshot.ITEMS) <= set(vars(data))  # an accessor per item, derived
    assert not set(snapshot.ITEMS) & set(data.HELPERS)


def test_every_item_computes_from_its_inputs():
    import inspect

    for item in snapshot.ITEMS.values():
        assert item.keep in (snapshot.PINNED, snapshot.HEAVY, snapshot.LIGHT, snapshot.COMPOSED), item.name
        assert len(inspect.signature(item.compute).parameters) == 1 + len(item.inputs), item.name
        assert callable(getattr(snapshot.ViewData, item.name)), item.name


@pytest.mark.parametrize("name, args, key", [
    ("frames", (), "frames"),
    ("task_base", (), "task_base"),
    ("province_history", (), "province-history"),
    ("status", (2025, 2), "status-2025-2"),
    ("subject_values", (2025, 2), "subject-values-2025-2"),
    ("target_overview", (2025, 2, False), "target-overview-2025-2"),
    ("target_overview", (2025, 2, True), "target-overview-2025-2-now"),
    ("rank_table", (2024, "commune", None), "rank-table-2024-commune-"),
    ("rank_table", (2024, "commune", "365"), "rank-table-2024-commune-365"),
    ("meeting_outline", (2025, 2, "province", None), "outline-2025-2-province-"),
    ("meeting_slide", (2025, 2, "agency", "STP", "kpis", None), "slide-2025-2-agency-STP-kpis-"),
])
def test_the_names_of_kept_items(name, args, key):
    assert snapshot.ITEMS[name].key_for(args) == key


@pytest.mark.parametrize("args, kwargs, bound", [
    ((2025, 2), {}, (2025, 2, False)),
    ((2025, 2, True), {}, (2025, 2, True)),
    ((2025,), {"quarter": 2, "current_map": True}, (2025, 2, True)),
])
def test_inputs_are_bound_with_their_defaults(args, kwargs, bound):
    assert snapshot.ITEMS["target_overview"].bind(args, kwargs) == bound


@pytest.mark.parametrize("args, kwargs", [((2025,), {}), ((2025, 2, True, 1), {}), ((2025, 2), {"unit": "365"})])
def test_wrong_inputs_are_refused(args, kwargs):
    with pytest.raises(TypeError):
        snapshot.ITEMS["target_overview"].bind(args, kwargs)


def test_the_users_page_changes_accounts_through_the_service(app_env):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from catalogue import UI
    from store.db import make_engine, shared_engine

    shared_engine.cache_clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = at.session_state["name"] = "admin"
    at.session_state["roles"] = ["admin"]
    at.run()
    at.switch_page("pages/nguoi-dung.py").run()
    assert not at.exception, at.exception
    at.text_input(key="ua_username").input("hoa_trang")
    at.text_input(key="ua_name").input("Nguyễn Thị Hoa")
    next(b for b in at.button if b.label == UI["users_create"]).click().run()
    assert not at.exception, at.exception
    assert any("hoa_trang" in s.value for s in at.success)  # the generated password, shown once
    at.selectbox(key="ue_user").set_value("admin").run()
    at.selectbox(key="ue_role_admin").set_value("viewer")
    next(b for b in at.button if b.label == UI["users_save"]).click().run()
    assert [e.value for e in at.error] == [UI["users_self"]]
    eng = make_engine(f"sqlite:///{app_env / 'cchc.db'}")
    try:
        assert users.get("hoa_trang", eng)["role"] == "editor" and users.get("admin", eng)["role"] == "admin"
        log = users.audit_entries(action="user_add", engine=eng).iloc[0]
        assert (log["username"], log["details"]["username"]) == ("admin", "hoa_trang")
    finally:
        eng.dispose()
        shared_engine.cache_clear()
        st.cache_resource.clear()
