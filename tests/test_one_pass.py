"""Issue 10: one validation, one pass (the upload page and `manage.py import --dry-run` report the same errors, all
at once), the warnings of progress going backwards, and the dry-run JSON's rows of every sheet kind."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from analytics.rankings import rank_table
from loaders.parse import parse_workbook
from store import schema as s
from store.importer import import_workbook
from tests import hardening_books as hb
from tests import resolve_books as rb

TODAY_KEYS = {"ok", "plan", "sheets", "tasks", "errors", "warnings", "targets"}
NEW_KEYS = {"columns", "progress", "values", "scores"}


def _plan_refs(engine) -> list[str]:  # noqa: ANN001
    """Import a 2023 plan led by Sở Tư pháp; the refs of its outputs, in order."""
    res = import_workbook(engine, rb.plan("Sở Tư pháp", number=90, year=2023), "kh90.xlsx", user="admin")
    assert res.status == "imported", [p.message for p in res.errors]
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(s.outputs.c.ref).order_by(s.outputs.c.ord))]


def _row(ref: str, period: str, status: str, percent: object = None, evidence: str | None = None) -> list:
    return [ref, None, None, "Sở Tư pháp", period, status, percent, evidence, None]


def test_every_error_in_one_pass_and_the_command_line_says_the_same(engine, tmp_path, monkeypatch, capsys):
    """A bad status (a reading error) and an unknown product code (found only against the store) in one file:
    both listed by the first dry run, on the page's path and on the command line alike."""
    import manage
    from store.db import shared_engine

    refs = _plan_refs(engine)
    data = rb.progress([_row(refs[0], "Quý III/2024", "Gần xong"),
                        _row("36-2023-90/IX.9", "Quý III/2024", "Đang thực hiện", 50)])
    res = import_workbook(engine, data, "td.xlsx", user="admin", dry_run=True)
    found = {(p.row, p.column, p.message.split("«")[0]) for p in res.errors}
    assert found == {(4, "F", "Không hiểu trạng thái "), (5, "A", "Không tìm thấy sản phẩm ")}, found
    path = tmp_path / "td.xlsx"
    path.write_bytes(data)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    shared_engine.cache_clear()
    try:
        assert manage.main(["import", str(path), "--dry-run", "--json"]) == 1
    finally:
        shared_engine.cache_clear()
    out = json.loads(capsys.readouterr().out)
    assert not out["ok"]
    assert {(e["row"], e["column"], e["message"]) for e in out["errors"]} == {(p.row, p.column, p.message) for p in res.errors}
    assert [q["kind"] for q in out["questions"]] == ["status"]


def test_progress_going_backwards_warns(engine):
    refs = _plan_refs(engine)
    first = rb.progress([_row(refs[0], "Quý IV/2023", "Hoàn thành", 100, "QĐ 1/QĐ-UBND"),
                         _row(refs[1], "Quý IV/2023", "Đang thực hiện", 60)], title="BÁO CÁO QUÝ IV/2023")
    assert import_workbook(engine, first, "td4.xlsx", user="admin").status == "imported"
    later = rb.progress([_row(refs[0], "Quý I/2024", "Đang thực hiện", 80),
                         _row(refs[1], "Quý I/2024", "Đang thực hiện", 40),
                         _row(refs[1], "Quý II/2024", "Đang thực hiện", 70)])
    res = import_workbook(engine, later, "td1.xlsx", user="admin", dry_run=True)
    assert res.status == "dry_run", [p.message for p in res.errors]
    warned = sorted((p.row, p.message) for p in res.problems if p.severity == "warning")
    assert warned == [
        (4, "Trạng thái lùi lại: «Hoàn thành» ở Quý IV/2023, nay «Đang thực hiện» ở Quý I/2024."),
        (4, "Tỷ lệ hoàn thành 80,0 % thấp hơn quý trước (100,0 % ở Quý IV/2023)."),
        (5, "Tỷ lệ hoàn thành 40,0 % thấp hơn quý trước (60,0 % ở Quý IV/2023)."),
    ]  # row 6 (70 % after 40 % in the same file) goes forwards: no warning


@pytest.mark.parametrize("word, warned", [
    ("Hoàn thành", False), ("Đã hoàn thành", False), ("Hoàn thành quá hạn", False),
    ("Xong", True), ("Hoàn thành một phần", True), ("Đang thực hiện", False),
])
def test_an_unusual_word_read_as_done_warns(word, warned):
    res = parse_workbook(rb.progress([_row("X/1", "Quý I/2024", word, None, "QĐ 2/QĐ-UBND")]), "td.xlsx")
    assert res.ok
    hits = [p for p in res.warnings if "được đọc là" in p.message]
    assert bool(hits) is warned
    if warned:
        assert (hits[0].row, hits[0].column) == (4, "F") and f"«{word}»" in hits[0].message


# --- the dry-run JSON of every sheet kind, expected rows written by hand -------------------------------
CASES = {
    "catalogue": (hb.catalogue, "targets", [
        {"sheet": "Danh mục chỉ tiêu", "row": 5, "indicator": hb.INDICATOR, "level": "all", "unit": None, "year": 2025,
         "kind": "at_least", "value": 80, "text": "Tối thiểu 80%"},
        {"sheet": "Danh mục chỉ tiêu", "row": 5, "indicator": hb.INDICATOR, "level": "all", "unit": None, "year": 2030,
         "kind": "at_least", "value": 100, "text": "100%"},
        {"sheet": "Danh mục chỉ tiêu", "row": 6, "indicator": hb.OTHER, "level": "province", "unit": None, "year": 2025,
         "kind": "at_least", "value": 5, "text": "Tối thiểu 5"},
        {"sheet": "Danh mục chỉ tiêu", "row": 6, "indicator": hb.OTHER, "level": "province", "unit": None, "year": 2030,
         "kind": "at_least", "value": 10, "text": "Tối thiểu 10"}],
        {"Danh mục chỉ tiêu": {"code": "B", "name": "C", "unit": "E", "level": "F"}}),
    "values_long": (lambda: hb.values_long("356", 30), "values", [
        {"sheet": "Số liệu", "row": 4, "column": "G", "indicator": hb.INDICATOR, "unit": "356", "year": 2024, "quarter": 1,
         "value": 31, "numerator": 31, "denominator": 100},
        {"sheet": "Số liệu", "row": 5, "column": "G", "indicator": hb.INDICATOR, "unit": "356", "year": 2024, "quarter": 2,
         "value": 32, "numerator": 32, "denominator": 100}],
        {"Số liệu": {"code": "A", "unit_code": "C", "year": "E", "quarter": "F", "value": "G", "numerator": "H"}}),
    "values_wide": (lambda: hb.values_wide("365", 40), "values", [
        {"sheet": "Số liệu năm", "row": 5, "column": "E", "indicator": hb.INDICATOR, "unit": "365", "year": 2023,
         "quarter": None, "value": 40, "numerator": None, "denominator": None},
        {"sheet": "Số liệu năm", "row": 5, "column": "F", "indicator": hb.INDICATOR, "unit": "365", "year": 2024,
         "quarter": None, "value": 45, "numerator": None, "denominator": None}],
        {"Số liệu năm": {"code": "A", "unit_code": "C"}}),
    "par": (lambda: hb.par([("STP", "Sở Tư pháp"), ("STC", "Sở Tài chính"), ("356", "UBND Thành phố Nam Định")], score=80),
            "scores", [
        {"sheet": "Chỉ số CCHC", "row": 4, "subject": "Sở Tư pháp", "subject_code": "STP", "year": 2023, "total": 80,
         "max": 100, "rank": 1, "computed_rank": 1, "components": {}},
        {"sheet": "Chỉ số CCHC", "row": 5, "subject": "Sở Tài chính", "subject_code": "STC", "year": 2023, "total": 79,
         "max": 100, "rank": 2, "computed_rank": 2, "components": {}},
        # the districts are ranked among themselves: the city is the first (and only) one
        {"sheet": "Chỉ số CCHC", "row": 6, "subject": "Thành phố Nam Định", "subject_code": "356", "year": 2023,
         "total": 78, "max": 100, "rank": 3, "computed_rank": 1, "components": {}}],
        {"Chỉ số CCHC": {"code": "B", "subject": "C", "year": "D", "total": "E", "rank": "F"}}),
    "progress": (lambda: rb.progress([["36-2023-90/I.1", None, "Báo cáo kết quả", "Sở Tư pháp", "Quý IV/2023",
                                       "Hoàn thành", "100%", "QĐ 1/QĐ-UBND", None],
                                      ["36-2023-90/I.2", None, None, "Văn phòng UBND tỉnh", "Quý I/2024", "Đang thực hiện",
                                       None, None, None]]),
                 "progress", [
        {"sheet": "Tiến độ", "row": 4, "output_ref": "36-2023-90/I.1", "output": "Báo cáo kết quả", "agency": "Sở Tư pháp",
         "period": "2023-Q4", "status": "done", "percent": 100, "evidence": "QĐ 1/QĐ-UBND"},
        {"sheet": "Tiến độ", "row": 5, "output_ref": "36-2023-90/I.2", "output": None,
         "agency": "Văn phòng Ủy ban nhân dân tỉnh", "period": "2024-Q1", "status": "in_progress", "percent": None,
         "evidence": None}],
        {"Tiến độ": {"ref": "A", "agency": "D", "period": "E", "status": "F", "percent": "G", "evidence": "H"}}),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_the_dry_run_json_shows_every_sheet_kinds_rows(kind):
    build, key, expected, columns = CASES[kind]
    out = json.loads(json.dumps(parse_workbook(build(), f"{kind}.xlsx").as_json(rank_table=rank_table), ensure_ascii=False))
    assert TODAY_KEYS | NEW_KEYS <= set(out)
    assert out["ok"], out["errors"]
    assert out[key] == expected
    for sheet, fields in columns.items():
        assert {f: out["columns"][sheet][f] for f in fields} == fields
    for other in NEW_KEYS - {"columns", key} | ({"targets"} - {key}):
        assert out[other] == [], other
