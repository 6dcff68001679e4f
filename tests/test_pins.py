"""Pinned versions, "as presented" (issue 13): a pin freezes what a meeting showed; a link with pin=<id> shows exactly
those numbers after later imports and rollbacks; pins are never pruned; only an admin unpins; both are audited.

The numbers are checked against an independent computation: tests/reference_counts.py run on a copy of the database
file taken at the moment of the pin, and on the live file after the rollback."""
from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from catalogue import UI
from store import pins
from tests.reference_counts import Reference, counts
from tests.test_pages import open_page, rerun

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def _key(row: tuple) -> tuple:
    return tuple((x is None, x) for x in row)


def _values_rows(engine) -> list[tuple]:  # noqa: ANN001
    """The current indicator values, read straight from the table (not through store.queries)."""
    with engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(text(
            "select indicator_code, unit_code, year, quarter, value, numerator, denominator from indicator_values "
            "where is_current"))), key=_key)


def _pinned_values(frames) -> list[tuple]:  # noqa: ANN001
    v = frames.values
    cols = ["indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator"]
    out = []
    for row in v[cols].itertuples(index=False):
        out.append(tuple(None if (x != x or x is None) else (int(x) if k in ("year", "quarter") else x)
                         for k, x in zip(cols, row)))
    return sorted(out, key=_key)


def test_a_pin_keeps_its_numbers_through_imports_and_rollbacks(engine):
    from store.importer import import_workbook, rollback_batch

    import_workbook(engine, SAMPLES / "03_danh_muc_chi_tieu.xlsx", is_sample=True)
    first = import_workbook(engine, SAMPLES / "06_so_lieu_nam_dang_ngang.xlsx")
    assert first.status == "imported"
    at_pin = _values_rows(engine)
    pin_id = pins.pin(engine, "  Giao ban   CCHC Quý III/2026 ", date(2026, 10, 15), "admin")
    second = import_workbook(engine, SAMPLES / "05_so_lieu_chi_tieu.xlsx")
    assert second.status == "imported"
    assert rollback_batch(engine, first.batch_id, "admin") == []
    live = _values_rows(engine)
    assert live != at_pin and len(at_pin) > 0
    frames, (latest, sample) = pins.load(engine, pin_id)
    assert _pinned_values(frames) == at_pin
    assert sample is True and latest is None  # the catalogue came as sample data; yearly values name no quarter
    listed = pins.pins(engine)
    assert [(x.id, x.name, x.presented_on, x.created_by) for x in listed] == [
        (pin_id, "Giao ban CCHC Quý III/2026", date(2026, 10, 15), "admin")]
    with engine.connect() as conn:
        audit = conn.execute(text("select action, username from audit_log where action in ('pin', 'unpin')")).all()
    assert [tuple(a) for a in audit] == [("pin", "admin")]


@pytest.mark.parametrize("name, message", [
    ("", "Hãy đặt tên cho lần chốt số liệu"),
    ("   ", "Hãy đặt tên cho lần chốt số liệu"),
    ("x" * (pins.NAME_MAX + 1), f"dài quá {pins.NAME_MAX} ký tự"),
])
def test_a_pin_needs_a_name(sqlite_engine, name, message):
    with pytest.raises(pins.PinError, match=message):
        pins.pin(sqlite_engine, name, date(2026, 12, 3), "admin")
    assert pins.pins(sqlite_engine, include_unpinned=True) == []


def test_only_an_admin_unpins_and_the_row_stays_for_the_record(sqlite_engine):
    pin_id = pins.pin(sqlite_engine, "Họp tháng 12", date(2026, 12, 3), "editor1")
    with pytest.raises(pins.PinError, match="Chỉ quản trị viên"):
        pins.unpin(sqlite_engine, pin_id, "editor1", is_admin=False)
    assert pins.load(sqlite_engine, pin_id) is not None
    pins.unpin(sqlite_engine, pin_id, "admin", is_admin=True)
    assert pins.load(sqlite_engine, pin_id) is None and pins.pins(sqlite_engine) == []
    gone = pins.pins(sqlite_engine, include_unpinned=True)
    assert [(x.id, x.unpinned_by, x.active) for x in gone] == [(pin_id, "admin", False)]
    with pytest.raises(pins.PinError, match=f"số {pin_id}"):
        pins.unpin(sqlite_engine, pin_id, "admin", is_admin=True)  # twice: nothing left to unpin


def test_pins_survive_the_pruning_of_prepared_view_data(sqlite_engine):
    from store import snapshot

    pin_id = pins.pin(sqlite_engine, "Giao ban", date(2026, 12, 3), "admin")
    for _ in range(snapshot.KEEP + 2):
        snapshot.prune("another-version")
    assert pins.load(sqlite_engine, pin_id) is not None


# --- in the views: the overview's numbers as presented, and the way back -----------------------------------------------
def _card(at, label: str) -> str:
    """The value a KPI card shows under `label` (components.ui.kpi_cards: one element, escaped)."""
    md = " ".join(m.value for m in at.markdown if "kpi-row" in m.value)
    hit = re.search(re.escape(html.escape(label)) + r"</div><div[^>]*>([^<]+)</div>", md)
    assert hit, md[:300]
    return hit.group(1)


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.fixture(scope="module")
def pinned(data_dir):
    """The module's sample database pinned, a copy of its file taken at that moment, then the progress reports
    rolled back (so the task counts change)."""
    from store.db import make_engine
    from store.importer import rollback_batch
    from store.queries import batches

    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    pin_id = pins.pin(eng, "Giao ban CCHC Quý III/2026", date(2026, 10, 15), "admin")
    shutil.copy(data_dir / "cchc.db", data_dir / "at_pin.db")
    b = batches(eng)
    progress = b[(b["file_name"] == "04_tien_do.xlsx") & (b["status"] == "imported")]
    assert rollback_batch(eng, int(progress.iloc[0]["id"]), "admin") == []
    eng.dispose()
    return pin_id


def test_the_overview_on_a_pin_shows_the_numbers_as_presented(app_env, data_dir, pinned):
    then = counts(Reference(data_dir / "at_pin.db").occurrences(2026, 3))
    now = counts(Reference(data_dir / "cchc.db").occurrences(2026, 3))
    assert then["done_total"] != now["done_total"]  # the rollback changed what the views show
    at = open_page("pages/tong-quan.py", period="2026-Q3", pin=str(pinned))
    assert _card(at, UI["cnt_done_total"]) == _fmt(then["done_total"])
    assert _card(at, UI["cnt_overdue"]) == _fmt(then["overdue"])
    infos = [i.value for i in at.info]
    assert UI["pin_banner"].format(name="Giao ban CCHC Quý III/2026", date="15/10/2026") in infos
    live = open_page("pages/tong-quan.py", period="2026-Q3")
    assert _card(live, UI["cnt_done_total"]) == _fmt(now["done_total"])
    # the way back: the pin leaves the URL and the current numbers show
    at.button(key="pin_live").click()
    rerun(at)
    assert "pin" not in at.query_params and _card(at, UI["cnt_done_total"]) == _fmt(now["done_total"])


def test_a_pinned_link_keeps_the_pin_across_views(app_env, data_dir, pinned):
    then = counts(Reference(data_dir / "at_pin.db").occurrences(2026, 3), role="any")
    at = open_page("pages/nhiem-vu.py", period="2026-Q3", rows="occ", role="any", pin=str(pinned))
    caps = [c.value for c in at.caption if "lượt giao" in c.value]
    assert caps and caps[0].startswith(f"{_fmt(then['total'])} lượt giao")


def test_an_unpinned_link_says_so_and_shows_the_current_numbers(app_env, data_dir, pinned):
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    other = pins.pin(eng, "Họp thử", date(2026, 12, 1), "admin")
    pins.unpin(eng, other, "admin", is_admin=True)
    eng.dispose()
    now = counts(Reference(data_dir / "cchc.db").occurrences(2026, 3))
    at = open_page("pages/tong-quan.py", period="2026-Q3", pin=str(other))
    assert UI["pin_gone"].format(pin_id=other) in [w.value for w in at.warning]
    assert _card(at, UI["cnt_done_total"]) == _fmt(now["done_total"])


def test_the_cli_pins_lists_and_unpins(app_env, data_dir, capsys):
    import manage

    assert manage.main(["pin", "add", "--name", "Giao ban quý", "--date", "01/12/2026"]) == 0
    made = int(re.search(r"#(\d+)", capsys.readouterr().out).group(1))
    assert manage.main(["pin", "list"]) == 0
    assert f"#{made}  01/12/2026  Giao ban quý" in capsys.readouterr().out
    assert manage.main(["pin", "add", "--name", " "]) != 0
    assert "Hãy đặt tên" in capsys.readouterr().err
    assert manage.main(["pin", "remove", str(made)]) == 0
    assert manage.main(["pin", "list"]) == 0
    assert f"#{made} " not in capsys.readouterr().out


def test_the_audit_log_says_pin_and_unpin_in_words():
    from components.audit_text import action_label, describe

    assert action_label("pin") == "Chốt số liệu đã trình bày" and action_label("unpin") == "Bỏ chốt số liệu"
    assert describe("pin", {"pin_id": 3, "name": "Giao ban", "presented_on": "2026-10-15"}) == \
        "Chốt số liệu «Giao ban» (lần chốt số 3, ngày trình bày 15/10/2026)."
    assert describe("unpin", {"pin_id": 3, "name": "Giao ban"}) == "Bỏ chốt số liệu «Giao ban» (lần chốt số 3)."


def _deck_card(at, label: str) -> str:
    """The value of a deck card (pages/trinh-chieu.py: value, then label)."""
    for m in at.markdown:
        hit = re.search(r"<div class='v'>([^<]+)</div><div class='l'>" + re.escape(html.escape(label)) + "</div>",
                        m.value)
        if hit:
            return hit.group(1).split(" ")[-1]
    raise AssertionError(f"no card {label!r}")


def test_the_deck_on_a_pin_shows_the_numbers_as_presented_and_links_the_projector_to_them(app_env, data_dir, pinned):
    then = counts(Reference(data_dir / "at_pin.db").occurrences(2026, 3))
    now = counts(Reference(data_dir / "cchc.db").occurrences(2026, 3))
    at = open_page("pages/trinh-chieu.py", period="2026-Q3", deck="province", slide="1", pin=str(pinned))
    assert _deck_card(at, UI["cnt_done_total"]) == _fmt(then["done_total"])
    assert UI["pin_banner"].format(name="Giao ban CCHC Quý III/2026", date="15/10/2026") in [i.value for i in at.info]
    assert any(f"pin={pinned}" in c.value and "present=1" in c.value for c in at.code)  # the projector's link
    projector = open_page("pages/trinh-chieu.py", period="2026-Q3", deck="province", slide="1", present="1",
                          pin=str(pinned))
    assert _deck_card(projector, UI["cnt_done_total"]) == _fmt(then["done_total"])
    live = open_page("pages/trinh-chieu.py", period="2026-Q3", deck="province", slide="1")
    assert _deck_card(live, UI["cnt_done_total"]) == _fmt(now["done_total"])


def test_the_meeting_page_pins_what_it_shows(app_env, data_dir):
    from store.db import make_engine

    at = open_page("pages/trinh-chieu.py", period="2026-Q3", deck="province", slide="1")
    name = next(t for t in at.text_input if t.label == UI["pin_name"])
    name.input("Giao ban tháng 12")
    next(b for b in at.button if b.label == UI["pin_make"]).click()
    rerun(at)
    made = [s.value for s in at.success if s.value.startswith("Đã chốt số liệu «Giao ban tháng 12»")]
    assert made, [s.value for s in at.success]
    pin_id = int(re.search(r"lần chốt số (\d+)", made[0]).group(1))
    assert any(c.value.startswith("/trinh-chieu?") and f"pin={pin_id}" in c.value for c in at.code)
    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    assert [(x.name, x.created_by) for x in pins.pins(eng) if x.id == pin_id] == [("Giao ban tháng 12", "admin")]
    eng.dispose()
    # the link's button opens the pinned version (on a later run than the form's)
    at.button(key="pin_open").click()
    rerun(at)
    assert at.query_params.get("pin") == str(pin_id)
    assert UI["pin_banner"].format(name="Giao ban tháng 12", date="02/12/2026")  # the day of the app tests (CCHC_TODAY) in [i.value for i in at.info]


def _slide_texts(path: Path) -> list[list[str]]:
    from pptx import Presentation

    out = []
    for s in Presentation(str(path)).slides:
        texts = []
        for shape in s.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
        out.append(texts)
    return out


def test_the_cli_brief_of_a_pin_shows_the_numbers_as_presented(app_env, data_dir, pinned, tmp_path):
    import manage

    then = counts(Reference(data_dir / "at_pin.db").occurrences(2026, 3))["done_total"]
    now = counts(Reference(data_dir / "cchc.db").occurrences(2026, 3))["done_total"]
    assert then != now  # the progress reports were rolled back after the pin
    found = {}
    for name, extra in (("pinned", ["--pin", str(pinned)]), ("live", [])):
        out = tmp_path / f"{name}.pptx"
        assert manage.main(["brief", "--period", "2026-Q3", *extra, "--out", str(out)]) == 0
        overview = next(t for t in _slide_texts(out) if any(UI["cnt_done_total"] in x for x in t))
        found[name] = next(x for x in overview if UI["cnt_done_total"] in x).split("\n")[0]  # the card's number
    assert found == {"pinned": _fmt(then), "live": _fmt(now)}
    assert manage.main(["brief", "--pin", "999", "--out", str(tmp_path / "none.pptx")]) == 2
    assert not (tmp_path / "none.pptx").exists()
