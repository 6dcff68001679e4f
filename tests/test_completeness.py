"""Completeness as DHIS2 reports it (issue 12): the expected reports of a quarter as a data set, reporting rates
on time and late, the page opening on the last quarter that is due."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from catalogue import UI
from store import completeness as cmp

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("year", "quarter", "deadline"), [
    (2025, 1, date(2025, 3, 15)), (2025, 2, date(2025, 6, 15)), (2025, 3, date(2025, 9, 15)), (2024, 4, date(2024, 12, 15)),
])
def test_report_deadline(year, quarter, deadline):
    assert cmp.report_deadline(year, quarter) == deadline


@pytest.mark.parametrize(("today", "due"), [
    (date(2025, 7, 15), (2025, 2)), (date(2025, 6, 15), (2025, 2)), (date(2025, 6, 14), (2025, 1)),
    (date(2025, 1, 2), (2024, 4)), (date(2025, 12, 31), (2025, 4)), (date(2025, 3, 1), (2024, 4)),
])
def test_last_due_quarter(today, due):
    assert cmp.last_due_quarter(today) == due


@pytest.fixture(scope="module")
def engine(data_dir):
    from store.db import make_engine

    eng = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    yield eng
    eng.dispose()


def _sql(data_dir, query: str, *args) -> list[tuple]:  # noqa: ANN002
    con = sqlite3.connect(data_dir / "cchc.db")
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


QUARTERLY = """
with recursive inside(code) as (select ? union select l.code from unit_parents l join inside i on l.parent_code = i.code
  where (l.valid_from is null or l.valid_from <= ?) and (l.valid_to is null or l.valid_to >= ?))
select g.code from agencies g join units u on u.code = g.unit_code
where g.unit_code in (select code from inside)
  and (g.valid_from is null or g.valid_from <= ?) and (g.valid_to is null or g.valid_to >= ?)
  and (u.valid_from is null or u.valid_from <= ?) and (u.valid_to is null or u.valid_to >= ?)
  and (g.kind in ('department', 'provincial_other') or (g.kind = 'people_committee' and u.level in ('district', 'commune')))
"""


@pytest.mark.parametrize(("year", "quarter", "province"), [(2023, 4, "36"), (2024, 3, "36"), (2025, 2, "36"),
                                                           (2025, 3, "37-2025")])
def test_every_department_and_unit_must_send_the_quarterly_report(data_dir, engine, year, quarter, province):
    last = cmp.quarter_bounds(year, quarter)[1].isoformat()
    expected = {r[0] for r in _sql(data_dir, QUARTERLY, province, last, last, last, last, last, last)}
    table = cmp.completeness(engine, year, quarter)
    assert set(table.loc[table["quarterly"], "agency_code"]) == expected
    reported = {r[0] for r in _sql(data_dir, "select distinct a.agency_code from progress_reports r join assignments a "
                                             "on a.id = r.assignment_id where r.is_current and r.year = ? and r.quarter = ?",
                                   year, quarter)}
    assert set(table.loc[table["reported"], "agency_code"]) == reported  # whoever reported is counted
    assert set(table.loc[table["timeliness"] == "missing", "agency_code"]) == set(table["agency_code"]) - reported
    rates = cmp.rates(table[table["quarterly"]])
    assert int(rates["expected"].sum()) == len(expected)
    assert int(rates["reported"].sum()) == len(expected & reported)


def test_lead_assignments_due_or_open_come_from_every_plan(engine):
    table = cmp.completeness(engine, 2025, 2).set_index("agency_code")
    live = cmp.live_assignments(engine, 2025, 2)
    # the 2023 and 2024 plans' open outputs, the 2025 plan and the city's PAR plan (the 2026 plan starts later)
    assert set(live["plan_code"]) == {"36-2023-158", "36-2024-187", "36-2025-09", "356-2021-2025"}
    assert table["assignments"].sum() == len(live)
    assert table.loc["STP", "assignments"] == len(live[live["agency_code"] == "STP"]) > 0
    # nothing already done by the end of the quarter before is asked for again
    from analytics import task_views as tv
    from store import queries as q

    st = tv.task_status(q.frames(engine), 2025, 1)
    one = (st["role"] == "lead") & (st["deadline_kind"] != "recurring")  # one occurrence each
    done = set(st.loc[one & st["status"].isin(["done", "done_late"]), "assignment_id"])
    still = set(st.loc[one & ~st["status"].isin(["done", "done_late"]), "assignment_id"])
    assert done and not done & set(live["assignment_id"])
    assert still & set(cmp._lead_rows(engine, 2025, 2, None)["assignment_id"]) <= set(live["assignment_id"])  # noqa: SLF001


def _open(page: str, username: str = "admin", role: str = "admin", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["roles"] = [role]
    at.run()
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_opens_on_the_last_due_quarter_and_lists_every_reporter(app_env, engine):
    at = _open("pages/muc-do-bao-cao.py")
    # today is 02/12/2026: Quý III was due on 15/09, Quý IV is due on 15/12
    assert at.selectbox(key="cmp_period").value == "2026-Q3"
    table = next(d.value for d in at.dataframe if UI["cmp_col_status"] in d.value.columns)
    expected = cmp.completeness(engine, 2026, 3)
    assert len(table) == len(expected) and "Sở Tư pháp" in set(table[UI["col_agency"]])
    cards = " ".join(m.value for m in at.markdown if "class='kpi'" in m.value)
    q = expected[expected["quarterly"]]
    assert f"{int(q['reported'].sum())}/{len(q)}" in cards


def test_page_shows_a_quarter_with_reports(app_env, engine):
    at = _open("pages/muc-do-bao-cao.py", period="2024-Q3")
    table = next(d.value for d in at.dataframe if UI["cmp_col_status"] in d.value.columns)
    reported = table[table[UI["cmp_col_status"]].map(lambda v: UI["cmp_status_missing"] not in list(v))]
    assert len(reported) == int(cmp.completeness(engine, 2024, 3)["reported"].sum()) > 0
