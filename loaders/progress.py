"""Quarterly progress reports: one row per output and reporting agency.

Layout (the pre-filled template; agencies' own files may omit the code and use the output text):
Mã sản phẩm | Kế hoạch | Sản phẩm | Cơ quan báo cáo | Kỳ báo cáo | Trạng thái | Tỷ lệ hoàn thành (%) |
Văn bản chứng minh | Ghi chú
The period may instead be stated once in the title ("BÁO CÁO TIẾN ĐỘ ... QUÝ III NĂM 2024").
Matching against stored outputs and assignments happens in the importer (it needs the database).
"""
from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

import settings
from catalogue import REPORT_STATUSES, message
from loaders import rules, structure
from loaders.headers import ROLE_LABELS, Table, data_rows
from loaders.learned import learned_of
from loaders.parse import Options
from loaders.reference import Reference
from loaders.text import clean, fold
from loaders.workbook import Grid, column_letter
from model import Problem

STATUS_WORDS: dict[str, str] = {
    "chua thuc hien": "not_started", "chua trien khai": "not_started", "chua bat dau": "not_started",
    "dang thuc hien": "in_progress", "dang trien khai": "in_progress", "dang tien hanh": "in_progress",
    "hoan thanh qua han": "done_late", "hoan thanh cham": "done_late", "hoan thanh muon": "done_late",
    "hoan thanh dung han": "done", "hoan thanh": "done", "da hoan thanh": "done", "xong": "done",
}
_QUARTER = re.compile(r"quy\s*(i{1,3}|iv|[1-4])\s*(?:[/\-]|\s)\s*(?:nam\s*)?(20\d\d)|(20\d\d)\s*-?\s*q([1-4])")
_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def parse_quarter(value: object) -> tuple[int, int] | None:
    """(year, quarter) from "Quý III/2024", "Quý 3 năm 2024", "2024-Q3"."""
    m = _QUARTER.search(fold(value))
    if not m:
        return None
    if m.group(2):
        return int(m.group(2)), _Q[m.group(1)]
    return int(m.group(3)), int(m.group(4))


def parse_status(value: object) -> str | None:
    """A REPORT_STATUSES code from the typed wording, or None."""
    f = fold(value).strip(" .")
    if f in REPORT_STATUSES:
        return f
    for words, code in sorted(STATUS_WORDS.items(), key=lambda kv: -len(kv[0])):
        if f == words or f.startswith(words):
            return code
    return None


def read_progress_sheet(grid: Grid, table: Table, title: list[str], ref: Reference,
                        options: Options) -> tuple[pd.DataFrame, list[Problem]]:
    """Progress rows with the period resolved and the status coded."""
    cols = table.columns
    problems: list[Problem] = []
    sheet_period = None
    for line in title:
        if (p := parse_quarter(line)):
            sheet_period = p
            break
    records = []
    letter = {role: column_letter(c) for role, c in cols.items()}
    choices = ", ".join(e.label for e in REPORT_STATUSES.values())
    for r, row in data_rows(grid, table):
        get = lambda role: grid.cell(r, cols[role]) if role in cols else None  # noqa: E731
        excel_row = r + 1
        ref_v, out_v, agency_v, status_v = get("ref"), get("output"), get("agency"), get("status")
        merged = bool(grid.origin) and _merged_row(grid, r, cols)
        first_v = next((v for v in row if v is not None), None)
        if merged or agency_v is None or status_v is None or structure.is_closing(first_v):
            # a heading ("I. Cải cách thể chế", "A. KHỐI SỞ", a bold or merged title), a note or the closing block
            what = structure.row_kind([v for v in row if v is not None], grid.is_bold_row(r), merged)
            if what == "closing":
                break
            if what in ("heading", "note"):
                continue
        if ref_v is None and out_v is None and agency_v is None:
            continue  # a note or signature line under the table
        if agency_v is None:
            problems.append(Problem(grid.name, excel_row, letter.get("agency"), message("required_blank", column=ROLE_LABELS["agency"])))
            continue
        pv = get("period")
        if isinstance(pv, (date, datetime)):
            problems.append(rules.problem("year_is_date", grid.name, excel_row, letter.get("period"),
                                          **rules.year_as_date(pv, ROLE_LABELS["period"], period=True)))
            continue
        period = parse_quarter(pv) if pv is not None else sheet_period
        if period is None:
            problems.append(Problem(grid.name, excel_row, letter.get("period"),
                                    message("period_invalid", value=clean(pv) or "(trống)")))
            continue
        low, _high = rules.fact_years()
        if period[0] < low:
            problems.append(rules.problem("year_window", grid.name, excel_row, letter.get("period"), value=period[0],
                                          column=ROLE_LABELS["period"], low=low, high=settings.today().year))
            continue
        status = parse_status(status_v) or learned_of(options).status(status_v)  # then the words uploaders taught
        if status is None:
            key = "required_blank" if status_v is None else "status_unknown"
            problems.append(Problem(grid.name, excel_row, letter.get("status"),
                                    message(key, column=ROLE_LABELS["status"], value=clean(status_v), choices=choices)))
            continue
        percent = get("percent")
        pct = None
        if percent is not None:
            pct, code = rules.cell_number(percent)
            if code is not None and code not in rules.WARNINGS:
                problems.append(rules.number_problem(code, grid.name, excel_row, letter.get("percent"), ROLE_LABELS["percent"], percent))
                continue
            if pct is None:
                problems.append(Problem(grid.name, excel_row, letter.get("percent"),
                                        message("number_invalid", value=clean(percent), column=ROLE_LABELS["percent"])))
                continue
            if code in rules.WARNINGS:
                problems.append(rules.number_problem(code, grid.name, excel_row, letter.get("percent"), ROLE_LABELS["percent"], percent))
            if isinstance(percent, (int, float)):
                if (r, cols["percent"]) in grid.percent:
                    pct *= 100  # the cell's format shows a percentage: 0,855 is shown (and meant) as 85,5 %
                elif not grid.styled and 0 < pct <= 1 and isinstance(percent, float) and not float(percent).is_integer():
                    pct *= 100  # no formats known (a document's table): 0.85 can only mean 85 %
            if not 0 <= pct <= 100:
                problems.append(Problem(grid.name, excel_row, letter.get("percent"), message(
                    "value_out_of_range", value=pct, column=ROLE_LABELS["percent"], low=0, high=100)))
                continue
            if status in ("done", "done_late") and pct < 100 or status == "not_started" and pct > 0:
                problems.append(Problem(grid.name, excel_row, letter.get("percent"), message(
                    "percent_status_mismatch", percent=f"{pct:g}", status=REPORT_STATUSES[status].label), "warning"))
        evidence = clean(get("evidence")) or None
        if status in ("done", "done_late") and not evidence:
            problems.append(Problem(grid.name, excel_row, letter.get("evidence") or letter.get("status"),
                                    message("done_without_evidence"), "warning"))
        records.append({
            "sheet": grid.name, "row": excel_row, "ref": clean(ref_v) or None, "plan": clean(get("plan")) or None,
            "output": clean(out_v) or None, "agency": clean(agency_v), "year": period[0], "quarter": period[1],
            "status": status, "status_text": clean(status_v), "percent": pct, "evidence": evidence, "note": clean(get("note")) or None,
            "col_ref": letter.get("ref"), "col_output": letter.get("output"), "col_agency": letter.get("agency"),
            "col_period": letter.get("period"),
        })
    return pd.DataFrame.from_records(records), problems


def _merged_row(grid: Grid, r: int, cols: dict[str, int]) -> bool:
    """Whether one merged range spans the row's data columns (a banner heading or a note)."""
    used = sorted(cols.values())
    return len(used) >= 2 and grid.merged_across(r, used[0], used[-1])
