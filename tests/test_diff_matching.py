"""The upload's preview counts exactly what the import then writes (SQLite and PostgreSQL).

Each case is a file the old preview matched by itself and could get wrong: an agency named by an alias or by its
successor, an output named by its text, an indicator by its folded name, a unit on the 2025 map, values of an
indicator the same file adds, a quarter not begun, a row repeated, a changed note. The preview (service.dry_run's
diff) is compared with counts written in the table, and with what the import then writes, counted in the database
by plain SQL: each row of the new batch is new (no current row of its key before), unchanged (the same fields) or
changed. A file with unmatched rows is refused, and its unmatched rows are the rows the import names.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import text

import hostile as h
import service
from catalogue import MESSAGES
from store import queries

PLAN = h.plan_book({(7, 3): "Sở Kế hoạch và Đầu tư"})  # output 1.2 led by SKHDT alone
REF = "36-2024/I.1.2"
NOTE_HEADER = [*h.PROGRESS_HEADER, "Ghi chú"]


def progress(*rows: list[object], header: list[str] = h.PROGRESS_HEADER) -> bytes:
    return h.xlsx([(h.PROGRESS_SHEET, h.sheet_xml([["BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CCHC"], list(header), *rows]))])


def report(quarter: str = "Quý I/2025", agency: str = "Sở KH&ĐT", status: str = "Đang thực hiện", percent: object = 40,
           ref: object = REF, output: str = "SP", **more: object) -> list[object]:
    return [ref, output, agency, quarter, status, percent, None, *more.values()]


def values(*rows: list[object]) -> bytes:
    return h.values_book(*rows)


def value(indicator: str = "HOSTILE_TEST_RATE", **changes: object) -> list[object]:
    return h.value_row(indicator=indicator, **{"year": 2025, "quarter": 1, **changes})


def catalogue_and_values(code: str, *rows: list[object]) -> bytes:
    cat = [["DANH MỤC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH"], h.CAT_HEADER,
           [1, code, "Tỷ lệ mới của tệp", "Cải cách thủ tục hành chính", "%", "Cấp tỉnh", None, "Tối thiểu 70%", "100%"]]
    return h.xlsx([(h.CAT_SHEET, h.sheet_xml(cat)), (h.VALUES_SHEET, h.sheet_xml(h.values_rows(*rows)))])


def counts(new: int = 0, changed: int = 0, unchanged: int = 0, unmatched: int = 0) -> dict[str, int]:
    return {"new": new, "changed": changed, "unchanged": unchanged, "unmatched": unmatched}


@dataclass
class Case:
    name: str
    file: bytes
    expect: dict[str, dict[str, int]]  # part → the preview's counts
    before: list[bytes] = field(default_factory=list)  # imported first


CASES = [
    Case("an agency named by an alias", progress(report()), {"progress": counts(new=1)}),
    Case("a successor reporting on its predecessor's task", progress(report(agency="Sở Tài chính")),
         {"progress": counts(new=1)}),
    Case("a successor's report replacing its predecessor's", progress(report(agency="Sở Tài chính", percent=60)),
         {"progress": counts(changed=1)}, [progress(report())]),
    Case("an output named by its text", progress(report(ref=None, output="báo cáo rà soát", agency="Sở Tư pháp")),
         {"progress": counts(new=1)}),
    Case("one report changed, one the same",
         progress(report(), report(quarter="Quý II/2025", status="Hoàn thành", percent=100)),
         {"progress": counts(changed=1, unchanged=1)}, [progress(report(), report(quarter="Quý II/2025"))]),
    Case("only the note changed", progress(report(note="ghi chú B"), header=NOTE_HEADER),
         {"progress": counts(changed=1)}, [progress(report(note="ghi chú A"), header=NOTE_HEADER)]),
    Case("a quarter not begun", progress(report(), report(quarter="Quý IV/2025")),
         {"progress": counts(new=1, unmatched=1)}),
    Case("a report repeated", progress(report(), report(agency="Sở Kế hoạch và Đầu tư")),
         {"progress": counts(new=1, unmatched=1)}),
    Case("an agency not assigned the output", progress(report(), report(agency="Sở Y tế")),
         {"progress": counts(new=1, unmatched=1)}),
    Case("an output of no plan", progress(report(), report(ref="36-2024/IX.9", output="Không có")),
         {"progress": counts(new=1, unmatched=1)}),
    Case("an indicator named by its folded name", values(value("ty le thu nghiem")), {"values": counts(new=1)}),
    Case("an indicator named by its name, replacing a value", values(value("Tỷ lệ thử nghiệm", value=60.0, num=6)),
         {"values": counts(changed=1)}, [values(value())]),
    Case("a unit named on the 2025 map", values(value(unit=None, unit_name="Xã Hải Hậu", quarter=3)),
         {"values": counts(new=1)}),
    Case("values of an indicator the same file adds", catalogue_and_values("DIFF_NEW_RATE", value("DIFF_NEW_RATE")),
         {"targets": counts(new=2), "values": counts(new=1)}),
    Case("one value changed, one the same", values(value(value=70.0, num=7), value(quarter=2)),
         {"values": counts(changed=1, unchanged=1)}, [values(value(), value(quarter=2))]),
    Case("an unknown indicator", values(value(), value("NO_SUCH_RATE", quarter=2)), {"values": counts(new=1, unmatched=1)}),
    Case("a value repeated", values(value(), value(value=55.0)), {"values": counts(new=1, unmatched=1)}),
    Case("a score changed", h.par_book([1, "STP", "Sở Tư pháp", 2023, 11.0, 85.2, 1]),
         {"par": counts(changed=1, unchanged=1)}, [h.par_book([1, "STP", "Sở Tư pháp", 2023, 10.5, 85.2, 1])]),
    Case("a target changed", h.catalogue_book("Tối thiểu 90%"), {"targets": counts(changed=1, unchanged=1)}),
    Case("a new plan's outputs", h.plan_book({(2, 0): "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH NĂM 2025"}),
         {"outputs": counts(new=3)}),
]

# part → (table, key, fields): what the import writes, read back by plain SQL
WRITTEN = {
    "progress": ("progress_reports", ("assignment_id", "year", "quarter"), ("status", "percent", "evidence", "note")),
    "values": ("indicator_values", ("indicator_code", "unit_code", "year", "quarter"), ("value", "numerator", "denominator")),
    "par": ("par_scores", ("year", "subject_kind", "subject_code", "component"),
            ("score", "max_score", "official_rank", "rank_of")),
    "targets": ("targets", ("indicator_code", "level", "scope_unit_code", "year"),
                ("kind", "value", "value_high", "baseline_year", "step", "cap", "group_code", "relative", "text", "source")),
}


def _current(conn, part: str) -> dict[tuple, tuple]:  # noqa: ANN001
    if part == "outputs":
        return {(r[0],): (r[1],) for r in conn.execute(text("SELECT ref, text FROM outputs"))}
    table, key, fields = WRITTEN[part]
    rows = conn.execute(text(f"SELECT {', '.join(key + fields)} FROM {table} WHERE is_current = :t"), {"t": True})
    return {tuple(r[:len(key)]): tuple(r[len(key):]) for r in rows}


def _written(conn, part: str, batch_id: int) -> list[tuple[tuple, tuple]]:  # noqa: ANN001
    if part == "outputs":
        rows = conn.execute(text("SELECT o.ref, o.text FROM outputs o JOIN tasks t ON t.id = o.task_id "
                                 "JOIN plans p ON p.id = t.plan_id WHERE p.batch_id = :b"), {"b": batch_id})
        return [((r[0],), (r[1],)) for r in rows]
    table, key, fields = WRITTEN[part]
    rows = conn.execute(text(f"SELECT {', '.join(key + fields)} FROM {table} WHERE batch_id = :b"), {"b": batch_id})
    return [(tuple(r[:len(key)]), tuple(r[len(key):])) for r in rows]


@pytest.fixture
def base(engine):
    """A plan for the province (2024; output 1.2 led by SKHDT alone) and a one-indicator catalogue."""
    for i, data in enumerate((PLAN, h.catalogue_book())):
        done = service.import_file(engine, data, f"base{i}.xlsx", refresh=False)
        assert done.status == "imported", [p.message for p in done.errors]
    return engine


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_preview_counts_what_the_import_writes(base, case):
    for i, data in enumerate(case.before):
        done = service.import_file(base, data, f"before{i}.xlsx", refresh=False)
        assert done.status == "imported", [p.message for p in done.errors]
    with base.connect() as conn:
        before = {part: _current(conn, part) for part in case.expect}
    tables = queries.table_counts(base)

    rehearsal = service.dry_run(base, case.file, "tep.xlsx")
    preview = rehearsal.diff.counts()
    assert preview == case.expect, [p.message for p in rehearsal.result.problems]

    done = service.import_file(base, case.file, "tep.xlsx", rehearsal=rehearsal, refresh=False)
    assert done.reused_parse
    refused = any(c["unmatched"] for c in case.expect.values())
    if refused:  # unmatched rows: the import refuses the file, writes nothing and names those rows
        assert done.status == "refused" and queries.table_counts(base) == tables
        for part, c in case.expect.items():
            unmatched = {(e["sheet"], e["row"]) for e in rehearsal.diff.parts[part].examples["unmatched"]}
            named = {(p.sheet, p.row) for p in done.errors}
            assert len(unmatched) == c["unmatched"]
            assert named == unmatched if part == "progress" else named <= unmatched
        return
    assert done.status == "imported", [p.message for p in done.errors]
    with base.connect() as conn:
        for part, c in case.expect.items():
            got = Counter("new" if k not in before[part] else "unchanged" if before[part][k] == f else "changed"
                          for k, f in _written(conn, part, done.batch_id))
            assert {k: got.get(k, 0) for k in ("new", "changed", "unchanged")} | {"unmatched": 0} == c, part


def test_a_file_imported_before_is_previewed_as_unchanged_and_refused(base):
    data = progress(report(), report(quarter="Quý II/2025"))
    assert service.import_file(base, data, "q.xlsx", refresh=False).status == "imported"
    tables = queries.table_counts(base)
    rehearsal = service.dry_run(base, data, "q_lai.xlsx")
    assert rehearsal.diff.counts() == {"progress": counts(unchanged=2)}
    assert rehearsal.result.status == "refused"
    assert [p.message.split("(")[0] for p in rehearsal.result.errors] == [MESSAGES["file_duplicate"].split("(")[0]]
    assert service.import_file(base, data, "q_lai.xlsx", rehearsal=rehearsal, refresh=False).status == "refused"
    assert queries.table_counts(base) == tables
