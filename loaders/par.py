"""PAR INDEX score tables, wide: one row per department / district / commune, one column per component.

Headers name the component ("Cải cách TTHC") and may state the maximum ("(tối đa 7,5 điểm)" or a
row "Điểm tối đa" right under the header). Scores come in points, or in % of the maximum when the
header or the title says so ("(%)", "tỷ lệ %"). The subject kind comes from the subjects
themselves (a department, a district, a commune) and the year from a column or the title.
"""
from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from catalogue import PAR_COMPONENTS, message
from loaders import rules
from loaders.agencies import Resolver, resolver_for
from loaders.headers import Table, component_of, data_rows
from loaders.parse import Options
from loaders.reference import Reference
from loaders.text import clean, fold
from loaders.workbook import Grid, column_letter
from model import Problem

_COLUMNS = ["sheet", "row", "year", "subject_kind", "subject_code", "component", "score", "max_score", "official_rank",
            "rank_of", "col"]
_MAX = re.compile(r"toi da\s*:?\s*(\d+(?:[.,]\d+)?)")
_YEAR = re.compile(r"\bnam\s*(20\d\d)\b")


def _num(v: object) -> float | None:
    """A finite number of a maxima or rank cell, else None (scores go through rules.cell_number)."""
    f, code = rules.cell_number(v)
    return f if code is None or code in rules.WARNINGS else None


def read_par_sheet(grid: Grid, table: Table, title: list[str], ref: Reference,
                   options: Options) -> tuple[pd.DataFrame, list[Problem]]:
    """Long rows (year, subject_kind, subject_code, component, score, max_score, official_rank, rank_of)."""
    problems: list[Problem] = []
    cols = table.columns
    ftitle = fold(" ".join(title))
    title_year = int(m.group(1)) if (m := _YEAR.search(ftitle)) else None
    percent_sheet = "%" in " ".join(title) or "ty le" in ftitle
    comp_cols: list[tuple[int, str, float | None, bool]] = []
    for c, header in table.extra.items():
        code = component_of(header)
        if code:
            f = fold(header)
            mx = _MAX.search(f)
            comp_cols.append((c, code, float(mx.group(1).replace(",", ".")) if mx else None, "%" in str(header)))
    total_col = cols.get("total")
    total_max = None
    if total_col is not None and (mx := _MAX.search(fold(table.headers.get(total_col, "")))):
        total_max = float(mx.group(1).replace(",", "."))
    start = table.first_data_row
    # a "Điểm tối đa" row right under the header gives the maxima
    if start < len(grid.rows):
        first = [v for v in grid.rows[start] if v is not None]
        if first and "toi da" in fold(first[0] if isinstance(first[0], str) else first[1] if len(first) > 1 else ""):
            comp_cols = [(c, code, _num(grid.cell(start, c)) or mx, pct) for c, code, mx, pct in comp_cols]
            if total_col is not None:
                total_max = _num(grid.cell(start, total_col)) or total_max
            start += 1
    resolver = resolver_for(ref)
    records = []
    for r, row in data_rows(grid, table, start):
        excel_row = r + 1
        name = clean(grid.cell(r, cols["subject"])) if "subject" in cols else ""
        code_v = clean(grid.cell(r, cols["code"])) if "code" in cols else ""
        if not name and not code_v:
            continue
        if fold(name).startswith(("trung binh", "binh quan", "tong cong", "ghi chu", "nguoi lap")):
            continue
        year = title_year
        if "year" in cols:
            yv = grid.cell(r, cols["year"])
            ycol = column_letter(cols["year"])
            if isinstance(yv, (date, datetime)):
                problems.append(rules.problem("year_is_date", grid.name, excel_row, ycol, **rules.year_as_date(yv, "Năm")))
                continue
            y, rule = rules.cell_number(yv)
            if rule is not None and rule not in rules.WARNINGS:
                problems.append(rules.number_problem(rule, grid.name, excel_row, ycol, "Năm", yv))
                continue
            if yv is not None and y is None:
                problems.append(Problem(grid.name, excel_row, ycol, message("number_invalid", value=clean(yv), column="Năm")))
                continue
            year = int(y) if y else year
        if year is None:
            problems.append(Problem(grid.name, excel_row, column_letter(cols["year"]) if "year" in cols else None,
                                    message("period_invalid", value="(không có năm)")))
            continue
        low, high = rules.fact_years()
        if not low <= year <= high:
            problems.append(rules.problem("year_window", grid.name, excel_row, column_letter(cols["year"]) if "year" in cols else None,
                                          value=year, column="Năm", low=low, high=high))
            continue
        on = date(int(year), 12, 31)  # the year's own subjects: the map at its end
        subject = _subject(code_v or name, ref, resolver, on)
        if subject is None and code_v and name:
            subject = _subject(name, ref, resolver, on)
        if subject is None:
            problems.append(Problem(grid.name, excel_row, column_letter(cols.get("subject", cols.get("code", 0))),
                                    message("agency_unknown_nosuggest", name=name or code_v)))
            continue
        kind, code = subject
        rank = None
        if "rank" in cols:
            rv = grid.cell(r, cols["rank"])
            rank, rule = rules.cell_number(rv)
            if rule is not None and rule not in rules.WARNINGS or rank is not None and not (1 <= rank <= 10_000) \
                    or rv is not None and rank is None:
                problems.append(Problem(grid.name, excel_row, column_letter(cols["rank"]), message(
                    "value_out_of_range", value=clean(rv), column="Xếp hạng", low=1, high="10.000")))
                continue
        scores = []
        bad_row = False
        for c, comp, mx, pct in comp_cols:
            v = grid.cell(r, c)
            val, rule = rules.cell_number(v)
            if rule is not None:
                problems.append(rules.number_problem(rule, grid.name, excel_row, column_letter(c), table.headers[c], v))
                if rule not in rules.WARNINGS:
                    bad_row = True
                    continue
            if v is not None and val is None:
                problems.append(Problem(grid.name, excel_row, column_letter(c), message("number_invalid", value=clean(v), column=table.headers[c])))
                bad_row = True
                continue
            if val is None:
                continue
            if (pct or percent_sheet) and mx:
                val = val * mx / 100.0
            if val < 0 or (mx is not None and val > mx + 1e-9):
                problems.append(Problem(grid.name, excel_row, column_letter(c), message(
                    "value_out_of_range", value=f"{val:g}", column=table.headers[c], low=0, high=mx if mx is not None else "∞")))
                continue
            scores.append((comp, val, mx, column_letter(c)))
        total = None
        if total_col is not None:
            tv = grid.cell(r, total_col)
            total, rule = rules.cell_number(tv)
            if rule is not None:
                problems.append(rules.number_problem(rule, grid.name, excel_row, column_letter(total_col), "Tổng điểm", tv))
                bad_row = bad_row or rule not in rules.WARNINGS
            elif tv is not None and total is None:
                problems.append(Problem(grid.name, excel_row, column_letter(total_col), message("number_invalid", value=clean(tv), column="Tổng điểm")))
                bad_row = True
        if bad_row:
            continue
        if total is not None and (percent_sheet or "%" in table.headers.get(total_col, "")) and total_max:
            total = total * total_max / 100.0
        if total is None and scores:
            total = sum(v for _, v, _, _ in scores)
        if total is not None and not 0 <= total <= (total_max or 100) + 1e-9:
            problems.append(Problem(grid.name, excel_row, column_letter(total_col) if total_col is not None else None, message(
                "value_out_of_range", value=f"{total:g}", column="Tổng điểm", low=0, high=total_max or 100)))
            continue
        tmax = total_max or (sum(mx for _, _, mx, _ in scores if mx) if scores and all(mx for _, _, mx, _ in scores) else 100.0)
        base = {"sheet": grid.name, "row": excel_row, "year": year, "subject_kind": kind, "subject_code": code}
        records.append(base | {"component": "total", "score": total, "max_score": tmax, "official_rank": int(rank) if rank else None,
                               "rank_of": None, "col": column_letter(total_col if total_col is not None else cols.get("subject", 0))})
        for comp, val, mx, col in scores:
            records.append(base | {"component": comp, "score": val, "max_score": mx, "official_rank": None, "rank_of": None, "col": col})
    if not comp_cols and total_col is None:
        problems.append(Problem(grid.name, table.header_row + 1, None, message(
            "missing_columns", columns="«Tổng điểm» hoặc các cột lĩnh vực: " + ", ".join(e.label for e in PAR_COMPONENTS.values()))))
    # duplicates (within and across sheets): loaders/duplicates.py; no row read still gives the columns the importer needs
    df = pd.DataFrame.from_records(records, columns=_COLUMNS)
    return df, problems


def _subject(text: str, ref: Reference, resolver: Resolver, on: date) -> tuple[str, str] | None:
    """(subject_kind, code) for a department, a district or commune (by unit or UBND name) or the province,
    on the map in force at `on`."""
    unit = ref.find_unit(text, on)
    if unit is None:
        t = re.sub(r"^(ubnd|uy ban nhan dan)\s+", "", fold(text))
        unit = ref.find_unit(t, on)
    if unit is not None:
        level = str(ref.unit(unit)["level"])
        return level if level != "province" else "province", unit
    code = text if text in resolver.names else None
    if code is None:
        code, _warning, _ = resolver.resolve_name(text, ref.province_scopes(on), on)
    if code is None:
        return None
    kind = resolver.kind.get(code)
    if kind == "people_committee":
        unit = resolver.agency_unit[code]
        level = str(ref.unit(unit)["level"])
        return level, unit
    return ("department", code) if kind == "department" else None
