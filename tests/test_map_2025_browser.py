"""The areas view on the 2025 map in a real browser (issue 9): Quý III/2026 drills province → commune, Quý IV/2024
province → district → commune, and a shared link "theo địa giới hiện nay" opens the same view in a fresh session.

Runs `streamlit run app.py` with CCHC_TODAY=2026-12-02 on a copy of the sample database, to which a small
Quý III/2026 values workbook of new communes is imported through the normal import path (the samples stop at
Quý II/2025). Rows are picked in the table by clicking their row marker, as a user does.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.browser import ADMIN_PASSWORD as PASSWORD
from tests.browser import ROOT, chromium, login, require_browser, streamlit_server

pytestmark = pytest.mark.browser
require_browser()
TODAY = "2026-12-02"
REF = ROOT / "data" / "reference"
NEW = "37-2025"
ROW_PX = 35  # Streamlit's dataframe row (and header) height


def _csv(name: str) -> list[dict]:
    with (REF / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _children(parent: str, on: str) -> list[tuple[str, str]]:
    """(code, name) of the units under `parent` on an ISO date, sorted by name as the view sorts them."""
    units = {r["code"]: r for r in _csv("units.csv")}

    def valid(r: dict) -> bool:
        return (not r["valid_from"] or r["valid_from"] <= on) and (not r["valid_to"] or r["valid_to"] >= on)

    kids = {p["code"] for p in _csv("unit_parents.csv") if p["parent_code"] == parent and valid(p)}
    return sorted(((c, units[c]["name"]) for c in kids if c in units and valid(units[c])), key=lambda x: x[1])


def _q3_2026_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["SỐ LIỆU CHỈ TIÊU QUÝ III NĂM 2026"])
    ws.append(["Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số"])
    for i, (code, name) in enumerate(_children(NEW, "2026-09-30")[:12]):
        ws.append(["TTHC_ONLINE_DOSSIER_RATE", None, code.removesuffix("-2025"), name, 2026, 3, None, 600 + 7 * i,
                   1000 + 3 * i])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    """`streamlit run app.py` at 02/12/2026 on the samples plus a Quý III/2026 values workbook."""
    from store.db import make_engine
    from store.importer import import_workbook

    d = tmp_path_factory.mktemp("server2026")
    shutil.copy(sample_db, d / "cchc.db")
    saved = {k: os.environ.get(k) for k in ("CCHC_TODAY", "CCHC_DATA_DIR")}
    os.environ.update(CCHC_TODAY=TODAY, CCHC_DATA_DIR=str(d))
    try:
        eng = make_engine(f"sqlite:///{d / 'cchc.db'}")
        res = import_workbook(eng, _q3_2026_workbook(d / "q3_2026.xlsx"))
        eng.dispose()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert res.status == "imported", [p.message for p in res.problems]
    with streamlit_server(d, CCHC_TODAY=TODAY) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    with chromium(warm_up=server + "/") as b:
        yield b


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1600, "height": 1100}, locale="vi-VN")
    yield ctx
    ctx.close()


def _open(context, url: str):  # noqa: ANN001, ANN202
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    login(page, "admin", PASSWORD)
    return page


def _heading(page, text: str) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=text, exact=False).first).to_be_visible(timeout=90_000)


def _pick_row(page, row: int, url_pattern: re.Pattern) -> None:  # noqa: ANN001
    """Select a row of the units table by its row marker (five tries: a click during a rerun can be lost, and the
    table is replaced while a rerun draws it again)."""
    from playwright import sync_api

    for _attempt in range(5):
        try:
            page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
            grid = page.locator('[data-testid="stDataFrame"]').first
            grid.wait_for(state="visible")
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            assert box is not None
            page.mouse.move(box["x"] + 40, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
            page.mouse.click(box["x"] + 12, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
            page.wait_for_url(url_pattern, timeout=20_000)
            return
        except sync_api.Error:  # detached by a rerun, or the click was lost: look again
            continue
    raise AssertionError(f"selecting row {row} never changed the URL to {url_pattern.pattern}: {page.url}")


def test_q3_2026_drills_province_to_commune(context, server):
    communes = _children(NEW, "2026-09-30")
    assert len(communes) == 129
    page = _open(context, server + "/dia-ban?period=2026-Q3")
    _heading(page, "Tỉnh Ninh Bình · Quý III/2026")
    code, name = communes[0]
    _pick_row(page, 0, re.compile(rf"unit={re.escape(code)}"))
    _heading(page, f"Tỉnh Ninh Bình › {name} · Quý III/2026")  # no district between
    from playwright.sync_api import expect

    expect(page.get_by_text("Hình thành ngày 01/07/2025 từ:").first).to_be_visible()


def test_q4_2024_drills_province_to_district_to_commune(context, server):
    districts = _children("36", "2024-12-31")
    assert len(districts) == 10
    page = _open(context, server + "/dia-ban?period=2024-Q4")
    _heading(page, "Tỉnh Nam Định · Quý IV/2024")
    dcode, dname = districts[0]
    _pick_row(page, 0, re.compile(rf"unit={dcode}(&|$)"))
    _heading(page, f"Tỉnh Nam Định › {dname} · Quý IV/2024")
    ccode, cname = _children(dcode, "2024-12-31")[0]
    _pick_row(page, 0, re.compile(rf"unit={ccode}(&|$)"))
    _heading(page, f"Tỉnh Nam Định › {dname} › {cname} · Quý IV/2024")
    from playwright.sync_api import expect

    expect(page.get_by_text("Không còn từ 01/07/2025; địa bàn nay thuộc:").first).to_be_visible()


def test_a_shared_link_on_todays_map_opens_the_same_view(browser, server):
    communes = _children(NEW, "2026-09-30")
    first = browser.new_context(viewport={"width": 1600, "height": 1100})
    second = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = _open(first, server + "/dia-ban?period=2024-Q4&map=now")
        _heading(page, "Tỉnh Ninh Bình · Quý IV/2024")  # Nam Định's quarter on today's map
        code, name = communes[1]
        _pick_row(page, 1, re.compile(rf"unit={re.escape(code)}"))
        assert "map=now" in page.url and "period=2024-Q4" in page.url, page.url
        _heading(page, f"Tỉnh Ninh Bình › {name} · Quý IV/2024")
        shared = page.url
        other = _open(second, shared)  # no cookie, no session state: only the URL
        _heading(other, f"Tỉnh Ninh Bình › {name} · Quý IV/2024")
        from playwright.sync_api import expect

        expect(other.get_by_text("Hình thành ngày 01/07/2025 từ:").first).to_be_visible()
        expect(other.get_by_role("switch", name="Theo địa giới hiện nay")).to_be_checked()
    finally:
        first.close()
        second.close()
