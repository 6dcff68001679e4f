"""One set of numbers (issue 12): for the same filters every task count shown is equal in every view (Tổng quan,
Địa bàn, Cơ quan chủ trì, Nhiệm vụ), the meeting deck, the PowerPoint brief and the Excel handout, and equal to
counts derived independently from the database rows (tests/reference_counts.py, which shares no code with the
analytics). Table-driven over quarters, districts and agencies."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from catalogue import UI
from formats import fmt_int
from tests.reference_counts import Reference, counts

ROOT = Path(__file__).resolve().parent.parent
QUARTERS = [(2023, 4), (2024, 3), (2025, 2)]
UNITS = ["365", "356", "361"]  # Giao Thủy, Thành phố Nam Định, Nghĩa Hưng
AGENCIES = ["STP", "SNV", "UBND-356"]
MEASURES = ("total", "done_total", "done", "done_late", "overdue")


@pytest.fixture(scope="module")
def ref(data_dir) -> Reference:
    return Reference(data_dir / "cchc.db")


@pytest.fixture(scope="module")
def occs(ref):
    return {yq: ref.occurrences(*yq) for yq in QUARTERS}


@pytest.fixture(scope="module")
def frames(data_dir):
    from store import queries as q
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    f = q.frames(eng)
    eng.dispose()
    return f


@pytest.fixture(scope="module")
def inputs(frames):
    from analytics import meeting as mt

    return {yq: mt.prepare(frames, *yq) for yq in QUARTERS}


def key(y: int, q: int) -> str:
    return f"{y}-Q{q}"


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["name"] = "Quản trị"
    at.session_state["roles"] = ["admin"]
    at.run()
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def card_value(html: str, label: str) -> str:
    """The value of the KPI card with this label in a row of cards (components.ui.kpi_cards)."""
    m = re.search(re.escape(f">{label}</div>") + r"<div[^>]*>([^<]*)</div>", html)
    assert m, (label, html[:300])
    return m.group(1)


def cards_html(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if "class='kpi'" in m.value)


def frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _int(v) -> int:  # noqa: ANN001 - a number, its text, or a badge cell (a one-item list of its text)
    if hasattr(v, "__len__") and not isinstance(v, str):
        v = list(v)[0]
    return int(str(v).replace(".", ""))


# --- the views ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("yq", QUARTERS)
def test_overview_equals_reference(app_env, occs, yq):
    exp = counts(occs[yq])
    html = cards_html(open_page("pages/tong-quan.py", period=key(*yq)))
    assert card_value(html, UI["cnt_done_total"]) == fmt_int(exp["done_total"])
    assert card_value(html, UI["cnt_overdue"]) == fmt_int(exp["overdue"])


@pytest.mark.parametrize("yq", QUARTERS)
def test_areas_table_equals_reference(app_env, ref, occs, yq):
    table = frame_with(open_page("pages/dia-ban.py", period=key(*yq)), UI["col_total_occ"])
    on = date(yq[0], 3 * yq[1], 28)
    by_name = {r[UI["col_unit"]]: r for _, r in table.iterrows()}
    names = {"365": "Huyện Giao Thủy", "356": "Thành phố Nam Định", "361": "Huyện Nghĩa Hưng"}
    for unit in UNITS:
        exp = counts(occs[yq], units=ref.units_under(unit, on))
        row = by_name[names[unit]]
        assert (row[UI["col_total_occ"]], row[UI["col_done_total"]], row[UI["col_overdue"]]) == \
            (fmt_int(exp["total"]), fmt_int(exp["done_total"]), fmt_int(exp["overdue"])), unit


@pytest.mark.parametrize("yq", QUARTERS)
def test_agencies_table_equals_reference(app_env, frames, occs, yq):
    table = frame_with(open_page("pages/co-quan.py", period=key(*yq)), UI["lead_total"])
    names = dict(zip(frames.agencies["code"], frames.agencies["name"]))
    # a name may carry the agencies it took over: "Sở Nội vụ (trước đây: Sở Lao động – Thương binh và Xã hội)"
    by_name = {str(r[UI["col_agency"]]).split(" (trước đây")[0]: r for _, r in table.iterrows()}
    for agency in AGENCIES:
        lead, partner = counts(occs[yq], agency=agency), counts(occs[yq], "partner", agency=agency)
        row = by_name[names[agency]]
        shown = [_int(row[UI[c]]) for c in ("lead_total", "lead_done_total", "lead_done", "lead_done_late", "lead_overdue",
                           "partner_total", "partner_overdue")]
        assert shown == [lead["total"], lead["done_total"], lead["done"], lead["done_late"], lead["overdue"],
                         partner["total"], partner["overdue"]], agency


# --- deck, brief and handout ----------------------------------------------------------------------------------
def deck_cases():
    for yq in QUARTERS:
        yield pytest.param(yq, "province", None, "overview", id=f"{key(*yq)}-province")
        for u in UNITS:
            yield pytest.param(yq, "province", None, f"unit:{u}", id=f"{key(*yq)}-unit-{u}")
        for a in AGENCIES:
            yield pytest.param(yq, "agency", a, "overview", id=f"{key(*yq)}-agency-{a}")


def _expected(ref, occs, yq, kind, code, slide):
    on = date(yq[0], 3 * yq[1], 28)
    if kind == "agency":
        return counts(occs[yq], agency=code), counts(occs[yq], "partner", agency=code)
    units = ref.units_under(slide.split(":", 1)[1], on) if slide.startswith("unit:") else None
    return counts(occs[yq], units=units), None


@pytest.mark.parametrize(("yq", "kind", "code", "slide"), list(deck_cases()))
def test_deck_brief_and_handout_equal_reference(ref, occs, inputs, yq, kind, code, slide):
    from openpyxl import load_workbook

    from analytics import meeting as mt
    from analytics import slides as sl
    from analytics import slides_tasks as stk
    from exports import brief_data as bd

    lead, partner = _expected(ref, occs, yq, kind, code, slide)
    inp = inputs[yq]
    s = sl.build_slide(inp, kind, code, slide)
    cards = {k.label: k.value for k in s.flat_kpis}
    assert cards[UI["cnt_done_total"]] == fmt_int(lead["done_total"])
    assert cards[UI["cnt_overdue"]] == fmt_int(lead["overdue"])
    notes = {k.label: k.note for k in s.flat_kpis}
    assert notes[UI["cnt_overdue"]].endswith(f"{fmt_int(lead['outputs_overdue'])} sản phẩm")
    if partner is not None:
        assert cards[UI["mt_kpi_partner_overdue_occ"]] == fmt_int(partner["overdue"])

    # the brief: the same cards on its KPI slide, and its closing list of overdue outputs
    who = mt.resolve(inp, kind, code)
    brief = bd.brief_deck(inp, kind, code, date(2025, 7, 15), slides=[s])
    shown = {label: value for b in brief.slides if b.kind == "kpis" for label, value, _n in b.kpis}
    if not slide.startswith("unit:"):
        assert shown[UI["cnt_done_total"]] == fmt_int(lead["done_total"])
        assert shown[UI["cnt_overdue"]] == fmt_int(lead["overdue"])
    else:  # a district's brief slide names its figures in the note line
        line = next(b.note for b in brief.slides)
        assert f"{UI['cnt_overdue']}: {fmt_int(lead['overdue'])}" in line
    deck_overdue = brief.overdue if kind == "agency" else stk.overdue_outputs(inp, who, slide.split(":", 1)[1] if
                                                                            slide.startswith("unit:") else None)
    if kind == "agency":  # lead and partner outputs, each once
        exp_outputs = len({o.output_id for o in occs[yq] if o.agency == code and o.status == "overdue"})
    else:
        exp_outputs = lead["outputs_overdue"]
    assert len(deck_overdue) == exp_outputs

    # the handout: the cards sheet holds the same values, the overdue sheet the same outputs
    book = load_workbook(io.BytesIO(bd.handout_for(inp, kind, code, date(2025, 7, 15), slides=[s])))
    values = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = next((i for i, r in enumerate(rows) if r and UI["mt_col_value"] in r and UI["col_indicator"] in r), None)
        if header is not None:
            h = rows[header]
            for r in rows[header + 1:]:
                values[r[h.index(UI["col_indicator"])]] = str(r[h.index(UI["mt_col_value"])])
    # a number cell or its text: the same figure either way
    assert values[UI["cnt_done_total"]].replace(".", "") == str(lead["done_total"])
    assert values[UI["cnt_overdue"]].replace(".", "") == str(lead["overdue"])
    overdue_sheet = next(ws for ws in book.worksheets if ws.title.startswith(UI["mt_table_overdue"][:20]))
    data_rows = [r for r in overdue_sheet.iter_rows(min_row=5, values_only=True) if any(v not in (None, "") for v in r)]
    assert len(data_rows) == len(stk.overdue_outputs(inp, who))


# --- every KPI opens its rows ---------------------------------------------------------------------------------
def link_cases():
    for yq in QUARTERS[1:]:
        yield pytest.param(yq, "province", None, "overview", id=f"{key(*yq)}-province")
        yield pytest.param(yq, "province", None, "unit:365", id=f"{key(*yq)}-unit-365")
        yield pytest.param(yq, "agency", "STP", "overview", id=f"{key(*yq)}-agency-STP")


@pytest.mark.parametrize(("yq", "kind", "code", "slide"), list(link_cases()))
def test_every_card_opens_as_many_rows(app_env, inputs, yq, kind, code, slide):
    from analytics import slides as sl

    s = sl.build_slide(inputs[yq], kind, code, slide)
    linked = [k for k in s.flat_kpis if k.link]
    assert len(linked) >= 3
    for k in linked:
        at = open_page("pages/nhiem-vu.py", **k.params)
        n = int(k.note.split("/")[0].replace(".", "")) if k.label == UI["kpi_on_time"] else int(k.value.replace(".", ""))
        if n == 0:
            assert not [d for d in at.dataframe if UI["col_agency_assigned"] in d.value.columns]
            continue
        table = frame_with(at, UI["col_agency_assigned"])
        assert len(table) == n, (k.label, k.params)
        assert f"{fmt_int(n)} lượt giao" in " ".join(c.value for c in at.caption)
