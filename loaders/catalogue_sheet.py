"""The indicator catalogue: one row per indicator and level, target wording per horizon year.

Layout: STT | Mã chỉ tiêu | Tên chỉ tiêu | Lĩnh vực | Đơn vị tính | Cấp áp dụng | Địa bàn |
        Chỉ tiêu 2022 | Chỉ tiêu 2025 | Chỉ tiêu 2030 | Nguồn | Nguyên văn
Target cells hold the plan's wording ("Tối thiểu 80%", "25% - 35%", "Giảm tối thiểu 10% so với
năm 2021", "Thuộc nhóm khá"); loaders.targets parses them.
"""
from __future__ import annotations

import re

import pandas as pd

from catalogue import AREAS, LEVELS, message
from loaders import rules
from loaders.headers import Table, data_rows, target_year
from loaders.parse import Options
from loaders.plan import area_of
from loaders.reference import Reference
from loaders.targets import parse_target
from loaders.text import clean, fold
from loaders.workbook import Grid, column_letter
from model import Problem

LEVEL_WORDS = {"cap tinh": "province", "tinh": "province", "cap huyen": "district", "huyen": "district",
               "cap xa": "commune", "xa": "commune", "chung": "all", "tat ca": "all", "cac cap": "all", "": "all"}
UNITS = ("%", "điểm", "% điểm tối đa", "điểm %", "hạng", "nhóm", "mốc", "người", "số")
RATE_WORDS = ("ty le", "%")


def _area(text: str) -> str | None:
    f = fold(text)
    if f in AREAS:
        return f
    for code, e in AREAS.items():
        if fold(e.label) == f:
            return code

    return area_of(text)


def slug(name: str) -> str:
    """An ASCII code from an indicator name, for catalogues without a code column."""
    return re.sub(r"[^A-Z0-9]+", "_", fold(name).upper()).strip("_")[:60]


def read_catalogue_sheet(grid: Grid, table: Table, title: list[str], ref: Reference,
                         options: Options) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per (indicator, level, scope, year) with its parsed TargetSpec."""
    cols = table.columns
    year_cols = [(c, target_year(t)) for c, t in table.extra.items() if target_year(t)]
    problems: list[Problem] = []
    low, high = rules.plan_years()
    for c, year in [yc for yc in year_cols if not low <= yc[1] <= high]:
        problems.append(rules.problem("plan_year_window", grid.name, table.header_row + 1, column_letter(c), value=year, low=low, high=high))
    year_cols = [yc for yc in year_cols if low <= yc[1] <= high]
    records = []
    seen: dict[tuple, int] = {}
    for r, row in data_rows(grid, table):
        get = lambda role: grid.cell(r, cols[role]) if role in cols else None  # noqa: E731
        excel_row = r + 1
        name = clean(get("name"))
        if not name:
            continue
        code = clean(get("code")) or slug(name)
        level_text = fold(get("level"))
        level = LEVEL_WORDS.get(level_text) or (level_text if level_text in LEVELS or level_text == "all" else None)
        if level is None:
            problems.append(Problem(grid.name, excel_row, column_letter(cols["level"]), f"Không hiểu cấp áp dụng «{clean(get('level'))}»."))
            continue
        scope_text = clean(get("scope"))
        scope = None
        if scope_text and fold(scope_text) not in ("toan tinh", "tinh nam dinh"):
            scope = ref.find_unit(scope_text)
            if scope is None:
                problems.append(Problem(grid.name, excel_row, column_letter(cols["scope"]), message("unit_unknown", name=scope_text)))
                continue
        unit = clean(get("unit")) or "%"
        area_text = clean(get("area"))
        area = _area(area_text) if area_text else None
        if area_text and area is None:
            problems.append(Problem(grid.name, excel_row, column_letter(cols["area"]), message("area_unknown", text=area_text)))
        direction = "down" if fold(get("direction")) in ("giam", "down", "thap hon tot hon") else "up"
        is_rate_v = fold(get("is_rate"))
        is_rate = is_rate_v in ("co", "x", "1", "yes") if "is_rate" in cols else unit == "%"
        any_target = False
        for c, year in year_cols:
            cell = grid.cell(r, c)
            if cell is None:
                continue
            col = column_letter(c)
            if isinstance(cell, bool) or type(cell).__name__ == "CellError":
                continue  # refused through the grid's flags (rules boolean, error_cell)
            spec, error = parse_target(cell, year)
            if error:
                problems.append(Problem(grid.name, excel_row, col, error))
                continue
            if spec is None:
                continue
            if (bad := rules.target_problem(spec, unit, grid.name, excel_row, col)) is not None:
                problems.append(bad)
                continue
            any_target = True
            key = (code, level, scope, year)
            if key in seen:  # across sheets: loaders/duplicates.py
                problems.append(rules.problem("duplicate_target", grid.name, excel_row, col, indicator=code,
                                              level=_level_text(level, scope), year=year, sheet=grid.name, row=seen[key]))
                continue
            seen[key] = excel_row
            records.append({"sheet": grid.name, "row": excel_row, "code": code, "name": name, "area_code": area,
                            "unit": unit, "direction": direction, "is_rate": is_rate, "level": level,
                            "scope_unit_code": scope, "spec": spec, "source": clean(get("source")) or None,
                            "year": year, "col": col})
        if not any_target:
            problems.append(Problem(grid.name, excel_row, None, f"Chỉ tiêu «{name[:60]}» chưa có mục tiêu cho năm nào.", "warning"))
    return pd.DataFrame.from_records(records), problems


def _level_text(level: str, scope: str | None) -> str:
    text = LEVELS[level].label.lower() if level in LEVELS else "mọi cấp"
    return text + (f", địa bàn {scope}" if scope else "")
