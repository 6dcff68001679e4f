"""The parse child (loaders/sandbox.py): its limits hold, every way it can die is one refused file with a
Vietnamese message, the parser server carries on, and a result comes back whole."""
from __future__ import annotations

import os
import threading

import pandas as pd
import pytest

from exports.annotate import isolated_errors_copy
from loaders import sandbox
from loaders.parse import parse_workbook
from loaders.sandbox import SandboxFailure, parse_upload, run_isolated
from tests import hostile as h
from tests.test_hostile import assert_vietnamese


def _alive() -> None:
    """The parser server still forks children that answer."""
    assert run_isolated("probe", "ping") == "ping"


def test_the_child_is_another_process_with_the_callers_settings(monkeypatch):
    monkeypatch.setenv("CCHC_TODAY", "2024-02-29")
    monkeypatch.setenv("CCHC_MAX_ROWS", "1234")
    env = run_isolated("probe", "env")
    assert env["CCHC_TODAY"] == "2024-02-29" and env["CCHC_MAX_ROWS"] == "1234"
    monkeypatch.delenv("CCHC_MAX_ROWS")
    assert "CCHC_MAX_ROWS" not in run_isolated("probe", "env")  # a setting the caller dropped is dropped there too
    assert run_isolated("probe", "pid") != os.getpid()


@pytest.mark.parametrize("what,kwargs,kind,words", [
    ("memory", {"size": 6 << 30}, "memory", "quá nhiều bộ nhớ"),
    ("abort", {}, "memory", "SIGABRT"),  # what python-calamine does when an allocation fails
    ("kill", {}, "crashed", "SIGKILL"),
    ("raise", {}, "internal", "mã lỗi"),
])
def test_every_death_of_the_child_is_one_refusal(what, kwargs, kind, words):
    with pytest.raises(SandboxFailure) as info:
        run_isolated("probe", what, **kwargs)
    assert info.value.kind == kind
    assert words in info.value.problem.message
    assert_vietnamese([info.value.problem.message])
    _alive()


def test_a_hang_is_killed_at_the_time_limit(monkeypatch):
    monkeypatch.setenv("CCHC_PARSE_TIMEOUT_S", "1")
    with pytest.raises(SandboxFailure) as info:
        run_isolated("probe", "hang")
    assert info.value.kind == "timeout" and "quá 1 giây" in info.value.problem.message
    _alive()


def test_the_memory_limit_is_a_setting(monkeypatch):
    monkeypatch.setenv("CCHC_PARSE_MEMORY_MB", "64")
    with pytest.raises(SandboxFailure) as info:
        run_isolated("probe", "memory", size=256 << 20)
    assert info.value.kind == "memory" and "hơn 64 MB" in info.value.problem.message
    monkeypatch.setenv("CCHC_PARSE_MEMORY_MB", "1024")
    assert run_isolated("probe", "memory", size=256 << 20) == 256 << 20


def test_the_parser_server_is_restarted_when_it_died():
    _alive()
    sandbox._SERVER.proc.kill()  # noqa: SLF001 - the test plays the OOM killer
    sandbox._SERVER.proc.wait()  # noqa: SLF001
    _alive()


def test_a_calamine_abort_on_the_real_file_is_one_refused_file(monkeypatch):
    """Issue 11's 5 KB workbook (one cell at XFD1048576) with the inspection's limits lifted: python-calamine
    asks for 512 GB, aborts, and only the child dies."""
    for k, v in {"CCHC_MAX_ROWS": "2000000", "CCHC_MAX_COLUMNS": "20000", "CCHC_MAX_CELLS": "100000000000000",
                 "CCHC_PARSE_MEMORY_MB": "768"}.items():
        monkeypatch.setenv(k, v)
    data = h.plan_book({(1048576, 16383): 1})
    assert len(data) < 6000
    res = parse_upload(data, "xfd.xlsx")
    assert not res.ok
    assert res.errors[0].sheet == "(tệp)" and "hệ thống vẫn hoạt động bình thường" in res.errors[0].message
    _alive()


def test_the_result_comes_back_whole():
    data = h.values_book(h.VALUE_ROW, h.value_row(unit="356", unit_name="Thành phố Nam Định", value=None, num=3, den=4), h.value_row(quarter=2, value=12.5))
    here = parse_workbook(data, "v.xlsx")
    there = parse_upload(data, "v.xlsx")
    assert there.ok and there.sha256 == here.sha256 and there.size == here.size
    assert [(s.name, s.kind, s.rows) for s in there.sheets] == [(s.name, s.kind, s.rows) for s in here.sheets]
    pd.testing.assert_frame_equal(there.frames["indicator_values"], here.frames["indicator_values"])
    assert there.frames["indicator_values"]["value"].tolist() == [50.0, 75.0, 12.5]
    plan = parse_upload(h.plan_book(), "p.xlsx")
    assert [o.as_json() for o in plan.outputs] == [o.as_json() for o in parse_workbook(h.plan_book(), "p.xlsx").outputs]


def test_a_path_is_read_in_the_child(tmp_path):
    p = tmp_path / "ke_hoach.xlsx"
    p.write_bytes(h.plan_book())
    res = parse_upload(p)
    assert res.ok and res.file_name == "ke_hoach.xlsx" and len(res.outputs) == 3


def test_parses_run_side_by_side(monkeypatch):
    monkeypatch.setenv("CCHC_PARSE_WORKERS", "2")
    results: dict[int, object] = {}

    def work(i: int) -> None:
        results[i] = parse_upload(h.values_book(h.value_row(value=float(i))), f"{i}.xlsx")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == [0, 1, 2, 3]
    assert [results[i].frames["indicator_values"]["value"].tolist() for i in range(4)] == [[0.0], [1.0], [2.0], [3.0]]


def test_the_errors_copy_is_made_in_the_child_and_none_for_garbage():
    from openpyxl import load_workbook

    data = h.values_book(h.value_row(value="năm mươi"))
    res = parse_upload(data, "v.xlsx")
    copy = isolated_errors_copy(data, res.problems)
    wb = load_workbook(__import__("io").BytesIO(copy))
    assert "Tóm tắt lỗi" in wb.sheetnames
    assert isolated_errors_copy(b"PK\x03\x04 not a zip", res.problems) is None


@pytest.mark.parametrize("value,expected", [("1", True), ("0", False), ("", False), ("false", False), ("yes", True)])
def test_isolation_setting(monkeypatch, value, expected):
    monkeypatch.setenv("CCHC_PARSE_ISOLATED", value)
    assert sandbox.isolated() is expected


def test_a_big_sheet_measured_alongside_calamine_reads_the_same():
    """Inside the child a sheet of more than OVERLAP_FLOOR bytes of XML is measured while calamine reads it: the
    result is the same as measuring first (in-process)."""
    import io
    import zipfile

    from loaders.workbook import OVERLAP_FLOOR

    rows = [h.value_row(unit="356", year=2000 + i // 4000, quarter=1 + i // 1000 % 4, value=float(i % 100)) for i in range(40_000)]
    data = h.values_book(*rows)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size > OVERLAP_FLOOR
    there, here = parse_upload(data, "lon.xlsx"), parse_workbook(data, "lon.xlsx")
    assert len(there.frames["indicator_values"]) == 40_000
    assert there.problems == here.problems and there.problems  # the rows repeat keys: the same duplicates, either way
    pd.testing.assert_frame_equal(there.frames["indicator_values"], here.frames["indicator_values"])


def test_explain_gives_the_inspections_refusal_or_nothing():
    assert run_isolated("explain", h.plan_book()) == []
    problems = run_isolated("explain", h.plan_book({(1048576, 16383): 1}))
    assert [(p.sheet, p.row, p.column) for p in problems] == [(h.PLAN_SHEET, 1048576, "XFD")]


def test_the_parser_servers_rehearsal_is_a_clean_values_workbook():
    # the rehearsal warms every child only if its parse runs the values path to the end: no problem at all
    res = parse_workbook(sandbox._rehearsal_book(), "warm.xlsx")
    assert res.problems == []
    frame = res.frames["indicator_values"]
    assert len(frame) == 3
    assert frame["value"].tolist() == [50.0, 50.0, 50.0]
