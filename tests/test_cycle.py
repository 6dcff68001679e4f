"""The quarterly cycle: templates, dry-run diff, errors copy, completeness and rollback (SQLite and PostgreSQL)."""
from __future__ import annotations

import io
import secrets
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.annotate import COLUMN_TITLE, SUMMARY_SHEET, errors_copy
from components.exporting import progress_template
from exports.templates import KINDS, LISTS_SHEET, blank_template
from loaders.parse import parse_workbook
from model import Problem
from store.completeness import KIND_ORDER, completeness, live_assignments, report_quarter_for
from store.diff import diff_against_store
from store.importer import import_workbook

ROOT = Path(__file__).resolve().parent.parent
STATUS_COL, EVIDENCE_COL = 6, 8


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory):
    from samples.plans import PLAN_2023, write_plan

    return write_plan(PLAN_2023, tmp_path_factory.mktemp("plan") / "ke_hoach_2023.xlsx")


@pytest.fixture
def planned(engine, plan_file):
    """An engine (SQLite and PostgreSQL) holding the 2023 provincial plan."""
    res = import_workbook(engine, plan_file, user="dữ liệu mẫu")
    assert res.status == "imported", res.errors
    return engine


def _first_data_row(ws) -> int:  # noqa: ANN001
    return next(r for r in range(1, 30) if ws.cell(r, 1).value == "Mã sản phẩm") + 1


def fill(template: bytes, status_of) -> bytes:  # noqa: ANN001
    """Fill the status (and evidence for finished ones) of every row of a pre-filled template."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Tiến độ"]
    r = _first_data_row(ws)
    i = 0
    while ws.cell(r, 1).value:
        status = status_of(i)
        ws.cell(r, STATUS_COL).value = status
        if status and status.startswith("Hoàn thành"):
            ws.cell(r, EVIDENCE_COL).value = f"QĐ {100 + i}/QĐ-STTTT"
        r += 1
        i += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- templates --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_blank_templates_are_recognised_with_no_rows(kind):
    data = blank_template(kind)
    parsed = parse_workbook(data, f"mau_{kind}.xlsx")
    kinds = {s.name: s.kind for s in parsed.sheets}
    assert kinds["Hướng dẫn"] == "instructions"
    assert LISTS_SHEET not in kinds  # hidden: never read as data
    tables = [s for s in parsed.sheets if s.kind != "instructions"]
    assert [s.kind for s in tables] == [kind] and tables[0].rows == 0
    wb = load_workbook(io.BytesIO(data))
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    ws = wb[tables[0].name]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    expected = {"plan_tasks": "=ds_co_quan", "progress": "=ds_trang_thai", "indicator_catalogue": "=ds_linh_vuc",
                "indicator_values": "=ds_dia_ban", "par_scores": "=ds_co_quan"}[kind]
    assert expected in lists
    names = set(wb.defined_names)
    assert {"ds_trang_thai", "ds_co_quan", "ds_dia_ban", "ds_linh_vuc", "ds_cap"} <= names
    statuses = [c.value for c in wb[LISTS_SHEET]["A"][1:5]]
    assert statuses == ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Hoàn thành quá hạn"]
    assert len([c for c in wb[LISTS_SHEET]["B"] if c.value]) > 300  # every agency


def test_prefilled_template_lists_exactly_the_agency_assignments_and_round_trips(planned):
    live = live_assignments(planned, 2023, 3, ["STTTT"])
    assert len(live) == 30 and set(live["agency_code"]) == {"STTTT"}
    data = progress_template(planned, ["STTTT"], 2023, 3)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Tiến độ"]
    assert "QUÝ III/2023" in ws["A1"].value
    first = _first_data_row(ws)
    header = [ws.cell(first - 1, c).value for c in range(1, 12)]
    assert header[:9] == ["Mã sản phẩm", "Kế hoạch", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái",
                          "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh", "Ghi chú"]
    refs = [ws.cell(r, 1).value for r in range(first, first + 31)]
    assert refs[-1] is None and refs[:30] == live["ref"].tolist()
    assert {ws.cell(r, 4).value for r in range(first, first + 30)} == {"Sở Thông tin và Truyền thông"}
    assert {ws.cell(r, 5).value for r in range(first, first + 30)} == {"Quý III/2023"}
    assert all(ws.cell(r, STATUS_COL).value is None for r in range(first, first + 30))
    assert any("=ds_trang_thai" == dv.formula1 for dv in ws.data_validations.dataValidation)
    # empty statuses: one error per row, nothing imported
    refused = import_workbook(planned, data, "trong.xlsx")
    assert refused.status == "refused" and len(refused.errors) == 30
    filled = fill(data, lambda i: "Đang thực hiện" if i % 2 else "Hoàn thành")
    res = import_workbook(planned, filled, "stttt_q3.xlsx", user="bientap")
    assert res.status == "imported", [p.message for p in res.errors]
    assert res.counts == {"progress_reports": 30}
    # the next quarter's template lists only what is still open (the 15 outputs done in Q3 are closed), with
    # this quarter's report as context
    still_open = live_assignments(planned, 2023, 4, ["STTTT"])
    assert still_open["ref"].tolist() == [r for i, r in enumerate(live["ref"]) if i % 2]
    nxt = load_workbook(io.BytesIO(progress_template(planned, ["STTTT"], 2023, 4)))["Tiến độ"]
    assert [nxt.cell(r, 1).value for r in range(first, first + 15)] == still_open["ref"].tolist()
    assert nxt.cell(first, 11).value == "Đang thực hiện"


def test_diff_counts_on_a_reupload_with_14_changed_statuses(planned):
    template = progress_template(planned, ["STTTT"], 2023, 3)
    first = fill(template, lambda i: "Đang thực hiện")
    d0 = diff_against_store(planned, parse_workbook(first, "q3.xlsx"))
    assert d0.counts() == {"progress": {"new": 30, "changed": 0, "unchanged": 0, "unmatched": 0}}
    assert import_workbook(planned, first, "q3.xlsx").status == "imported"
    again = fill(template, lambda i: "Hoàn thành" if i < 14 else "Đang thực hiện")
    parsed = parse_workbook(again, "q3_sua.xlsx")
    d1 = diff_against_store(planned, parsed)
    assert d1.counts() == {"progress": {"new": 0, "changed": 14, "unchanged": 16, "unmatched": 0}}
    assert d1.changes == 14
    ex = d1.parts["progress"].examples["changed"][0]
    assert (ex["status_before"], ex["status"]) == ("in_progress", "done")
    # identical re-upload under another name: all unchanged (the importer refuses it by hash anyway)
    d2 = diff_against_store(planned, parse_workbook(first, "q3_lai.xlsx"))
    assert d2.counts()["progress"]["unchanged"] == 30
    # after importing the correction the diff of the correction is empty
    assert import_workbook(planned, again, "q3_sua.xlsx").status == "imported"
    assert diff_against_store(planned, parsed).counts()["progress"] == {"new": 0, "changed": 0, "unchanged": 30, "unmatched": 0}


def test_diff_of_a_plan_and_of_unknown_rows(engine, plan_file):
    parsed = parse_workbook(plan_file)
    assert diff_against_store(engine, parsed).counts() == {"outputs": {"new": 59, "changed": 0, "unchanged": 0, "unmatched": 0}}
    assert import_workbook(engine, plan_file).status == "imported"
    assert diff_against_store(engine, parsed).counts()["outputs"]["unchanged"] == 59
    template = fill(progress_template(engine, ["STP"], 2023, 3), lambda i: "Đang thực hiện")
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Tiến độ"]
    ws.cell(_first_data_row(ws), 1).value = "36-2023-158/IX.99"  # an output that does not exist
    ws.cell(_first_data_row(ws), 3).value = "Sản phẩm không có trong kế hoạch"
    buf = io.BytesIO()
    wb.save(buf)
    counts = diff_against_store(engine, parse_workbook(buf.getvalue(), "x.xlsx")).counts()["progress"]
    assert counts["unmatched"] == 1 and counts["new"] == 20


def test_errors_copy_puts_messages_on_the_right_rows(planned):
    template = progress_template(planned, ["STTTT"], 2023, 3)
    data = fill(template, lambda i: {2: None, 5: "Xong xuôi?", 7: "Hoàn thành"}.get(i, "Đang thực hiện"))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Tiến độ"]
    first = _first_data_row(ws)
    ws.cell(first + 7, EVIDENCE_COL).value = None  # finished without evidence: a warning
    ws.cell(first + 9, 7).value = "=1+1"  # a formula-like percent: refused as not a number
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    res = import_workbook(planned, data, "loi.xlsx")
    assert res.status == "refused"
    by_row = {p.row: p for p in res.problems}
    assert set(by_row) >= {first + 2, first + 5, first + 7}
    out = load_workbook(io.BytesIO(errors_copy(data, res.problems)))
    assert out.sheetnames[0] == SUMMARY_SHEET
    sheet = out["Tiến độ"]
    col = sheet.max_column
    assert sheet.cell(first - 1, col).value == COLUMN_TITLE
    assert "Trạng thái" in sheet.cell(first + 2, col).value and sheet.cell(first + 2, col).fill.fgColor.rgb.endswith("FFC7CE")
    assert "chứng minh" in sheet.cell(first + 7, col).value and sheet.cell(first + 7, col).fill.fgColor.rgb.endswith("FFEB9C")
    assert sheet.cell(first + 3, col).value is None  # a clean row stays clean
    assert sheet.cell(first + 2, STATUS_COL).fill.fgColor.rgb.endswith("FFC7CE")  # the offending cell too
    summary = out[SUMMARY_SHEET]
    assert summary.max_row - 1 == len(res.problems)
    rows = {summary.cell(r, 2).value for r in range(2, summary.max_row + 1)}
    assert {first + 2, first + 5, first + 7} <= rows
    assert [c.value for c in summary[1]] == ["Trang tính", "Dòng", "Cột", "Mức độ", "Nội dung"]
    # the user's original cells are kept, formula-like text written by us is neutralised
    assert sheet.cell(first, 1).value == ws.cell(first, 1).value
    bad = [Problem("Tiến độ", first, "C", "=HYPERLINK(\"http://x\")", "error"), Problem("(tệp)", None, None, "+tệp lỗi")]
    out2 = load_workbook(io.BytesIO(errors_copy(data, bad)))
    assert out2[SUMMARY_SHEET].cell(2, 5).quotePrefix or out2[SUMMARY_SHEET].cell(3, 5).quotePrefix
    assert all(c.data_type == "s" for c in out2[SUMMARY_SHEET]["E"])
    assert "(tệp)" in [c.value for c in out2[SUMMARY_SHEET]["A"]]  # file-level problems listed


def test_errors_copy_of_a_file_level_problem_only():
    data = blank_template("indicator_values")
    res = parse_workbook(data, "x.xlsx")
    problems = [*res.problems, Problem("(tệp)", None, None, "Tệp này đã được nhập trước đó", "error")]
    out = load_workbook(io.BytesIO(errors_copy(data, problems)))
    assert out[SUMMARY_SHEET].cell(2, 1).value == "(tệp)"
    assert out["Số liệu"].max_column == 9  # no row problems: no extra column


def test_completeness_numbers(planned):
    before = completeness(planned, 2023, 3)
    # every department, other provincial body, district and commune of Nam Định must send the quarterly report
    assert len(before) == 213 and before["quarterly"].all() and not before["reported"].any()
    assert before["kind"].value_counts().to_dict() == {"commune": 175, "department": 19, "district": 10,
                                                       "provincial_other": 9}
    assert list(before["kind"][:19]) == ["department"] * 19 and list(before["kind"][19:29]) == ["district"] * 10
    assert before.set_index("agency_code").loc["STTTT", "assignments"] == 30
    assert import_workbook(planned, fill(progress_template(planned, ["STTTT"], 2023, 3), lambda i: "Đang thực hiện"),
                           "a.xlsx").status == "imported"
    half = fill(progress_template(planned, ["UBND-366"], 2023, 3), lambda i: "Đang thực hiện" if i < 4 else None)
    wb = load_workbook(io.BytesIO(half))
    ws = wb["Tiến độ"]
    first = _first_data_row(ws)
    for r in range(first + 4, first + 20):
        for c in range(1, 12):
            ws.cell(r, c).value = None
    buf = io.BytesIO()
    wb.save(buf)
    assert import_workbook(planned, buf.getvalue(), "b.xlsx").status == "imported"
    after = completeness(planned, 2023, 3).set_index("agency_code")
    assert after.loc["STTTT", ["assignments", "reported_n"]].tolist() == [30, 30]
    assert after.loc["UBND-366", ["assignments", "reported_n"]].tolist() == [9, 4]
    assert bool(after.loc["UBND-366", "reported"]) and not bool(after.loc["SNV", "reported"])
    assert after["reported"].sum() == 2 and after.loc["STTTT", "last_upload"] is not None
    assert set(after.loc[after["reported"], "timeliness"]) == {"late"}  # uploaded now, long after 15/09/2023
    assert completeness(planned, 2023, 2)["reported"].sum() == 0  # other quarters untouched
    # in 2025 the 2023 plan's outputs still open (overdue) are still expected, from the agencies that still exist
    later = completeness(planned, 2025, 1)
    assert later["assignments"].sum() > 0 and set(later.loc[later["assignments"] > 0, "kind"]) <= set(KIND_ORDER)


def test_report_quarter_for(planned):
    from datetime import date

    assert report_quarter_for(planned, date(2023, 10, 5)) == (2023, 3)  # nothing reported yet: the quarter just ended
    assert import_workbook(planned, fill(progress_template(planned, ["STTTT"], 2023, 2), lambda i: "Đang thực hiện"),
                           "q2.xlsx").status == "imported"
    assert report_quarter_for(planned, date(2023, 10, 5)) == (2023, 3)  # the one after the latest
    assert report_quarter_for(planned, date(2023, 5, 5)) == (2023, 2)  # never after the current quarter


# --- rollback from the history page -------------------------------------------------------------

def test_rollback_from_history_is_confirmed_and_audited(tmp_path, plan_file, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from store import queries, users
    from service.bootstrap import bootstrap
    from store.db import make_engine, shared_engine

    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CCHC_LOAD_SAMPLES", "0")
    monkeypatch.setenv("CCHC_COOKIE_KEY", secrets.token_urlsafe(48))
    shared_engine.cache_clear()
    st.cache_resource.clear()
    eng = make_engine(f"sqlite:///{tmp_path / 'cchc.db'}")
    bootstrap(eng, load_samples=False)
    assert import_workbook(eng, plan_file, user="admin").status == "imported"
    q3 = import_workbook(eng, fill(progress_template(eng, ["STTTT"], 2023, 3), lambda i: "Đang thực hiện"), "q3.xlsx", user="admin")
    assert q3.status == "imported"
    at = AppTest.from_file(str(ROOT / "pages" / "lich-su.py"), default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["roles"] = ["admin"]
    at.run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["Lô"])[:2] == [q3.batch_id, q3.batch_id - 1] and table["Mã băm"].str.len().max() == 12
    assert table.iloc[0]["Người nhập"] == "admin" and "/" in table.iloc[0]["Thời gian"]
    at.selectbox(key="history_batch").set_value(q3.batch_id).run()
    at.button(key="history_rollback").click().run()
    assert any("Xác nhận hoàn tác" in w.value for w in at.warning)
    assert queries.table_counts(eng)["progress_reports"] == 30  # nothing happens before confirming
    at.button(key="history_yes").click().run()
    assert not at.exception, at.exception
    assert queries.table_counts(eng)["progress_reports"] == 0
    assert any("Đã hoàn tác" in s.value for s in at.success)
    log = users.audit_entries(action="rollback", engine=eng)
    assert len(log) == 1 and log.iloc[0]["username"] == "admin" and log.iloc[0]["details"]["batch_id"] == q3.batch_id
    assert "Đã hoàn tác" in at.dataframe[0].value.iloc[0]["Trạng thái"]
    # an editor sees the history but has no rollback
    ed = AppTest.from_file(str(ROOT / "pages" / "lich-su.py"), default_timeout=60)
    users.add_user("bientap", "Biên tập", "editor", "mat-khau-thu-nghiem-1", engine=eng)
    ed.session_state["authentication_status"] = True
    ed.session_state["username"] = "bientap"
    ed.session_state["roles"] = ["editor"]
    ed.run()
    assert not ed.exception and len(ed.dataframe) == 1 and not [b for b in ed.button if b.key == "history_rollback"]
    shared_engine.cache_clear()
    st.cache_resource.clear()
    eng.dispose()

