"""Indicator values, long layout (one value per row) or wide layout (periods across the columns).

Long: Mã chỉ tiêu | Chỉ tiêu | Mã ĐVHC | Đơn vị hành chính | Năm | Quý | Giá trị | Tử số | Mẫu số
Wide: Mã chỉ tiêu | Chỉ tiêu | Mã ĐVHC | Đơn vị hành chính | Quý I/2023 | Quý II/2023 | ...

This is the hot path of large uploads (100k rows), so it works on whole columns with pandas.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime

import numpy as np
import pandas as pd

import settings
from catalogue import message
from loaders import rules, structure
from loaders.duplicates import _period
from loaders.headers import ROLE_LABELS, Table, parse_period_header
from loaders.parse import Options
from loaders.reference import Reference
from loaders.text import clean, fold
from loaders.workbook import Grid, column_letter
from model import Problem
from quarter import Quarter

_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD = re.compile(r"^(?:quy\s*(i{1,3}|iv|[1-4])\s*[/\- ]\s*(?:nam\s*)?(\d{4})|(\d{4})\s*-?\s*q([1-4])|(?:nam\s*)?(\d{4}))$")
MAX_ERRORS = 200  # one bad column should not bury the user under 100k messages
# cells that say "no report" (the sheets' titles define them so): no value, a warning, never an error
NO_REPORT = frozenset({"-", "x", "X", "—", "–", "--", "- ", " -", " - ", "x ", " x", "...", "…", "-/-", "−"})


def _no_report(values: pd.Series | None) -> tuple[pd.Series | None, np.ndarray]:
    """The column with its "no report" cells blanked, and where they were."""
    if values is None:
        return None, np.zeros(0, bool)
    mask = values.isin(NO_REPORT).to_numpy()
    if not mask.any():
        return values, mask
    return values.where(~mask, None), mask


def _percent_rows(grid: Grid, col: int, start: int, n: int) -> np.ndarray:
    """Positions (from row `start`) of the cells of column `col` whose format shows a percentage."""
    if not grid.percent:
        return np.zeros(0, dtype=np.int64)
    rows = [r - start for r, c in grid.percent if c == col and start <= r < start + n]
    return np.array(sorted(rows), dtype=np.int64)


def _scale_percent(num: pd.Series, raw: pd.Series, positions: np.ndarray) -> pd.Series:
    """×100 the numbers typed in a percent-formatted cell (0,455 shown as 45,5 %); text ("45,5%") is read as written."""
    if not len(positions):
        return num
    arr = raw.to_numpy(dtype=object)
    pos = [p for p in positions.tolist() if p < len(arr) and isinstance(arr[p], (int, float, np.integer, np.floating))
           and not isinstance(arr[p], bool)]
    if pos:
        num = num.copy()
        num.iloc[pos] = num.iloc[pos] * 100.0
    return num


def _numbers(values: pd.Series, sheet: str, rows: pd.Series, column: str | None, label: str,
             pending: list[tuple[int, Problem]], year: bool = False) -> pd.Series:
    """Floats of a column (numbers, or text such as "1.234,5" and "85,3%"); each cell that is no plausible
    number (text, INF/NaN, 1e308, a date, an error cell) reads as NaN and adds (position, problem) to
    `pending` (kept only for rows that turn out to be data, not a signature line under the table). In a
    year column a date says so (rule year_is_date) rather than leaving the year "blank"."""
    num, codes, bad = rules.numbers(values)
    raw = values.to_numpy(dtype=object)
    for i in np.flatnonzero(codes.notna().to_numpy() | bad.to_numpy()):
        code = codes.iat[i]
        if code not in rules.WARNINGS:
            num.iat[i] = np.nan
        if code is None:
            p = Problem(sheet, int(rows.iat[i]), column, message("number_invalid", value=clean(raw[i]), column=label))
        elif code == "date_in_number" and year:
            p = rules.problem("year_is_date", sheet, int(rows.iat[i]), column, **rules.year_as_date(raw[i], label))
        else:
            p = rules.number_problem(code, sheet, int(rows.iat[i]), column, label, raw[i])
        pending.append((int(values.index[i]), p))
    return num


def _quarters(values: pd.Series) -> pd.Series:
    """Quarter numbers from 1–4, "I".."IV" or "Quý III"; blank → NaN (a yearly value)."""
    lookup: dict[object, float] = {}
    for v in values.dropna().unique():
        if isinstance(v, (int, float)) and float(v) in (1.0, 2.0, 3.0, 4.0):
            lookup[v] = float(v)
        else:
            f = fold(v).replace("quy", "").strip(" .")
            lookup[v] = float(_Q[f]) if f in _Q else np.nan
    return values.map(lookup).astype(float)


def _periods(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(year, quarter) from "Quý III/2023", "2023-Q3", "2023"; third = unparseable mask."""
    uniq = values.dropna().unique()
    year_of: dict[object, float] = {}
    q_of: dict[object, float] = {}
    for v in uniq:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if not math.isfinite(v):
                continue  # INF in a period cell: no period (reported as such)
            f = str(int(v))
        else:
            f = fold(v).replace(".", " ").strip()
        m = _PERIOD.match(f)
        if not m:
            continue
        if m.group(2):
            year_of[v], q_of[v] = float(m.group(2)), float(_Q[m.group(1)])
        elif m.group(3):
            year_of[v], q_of[v] = float(m.group(3)), float(m.group(4))
        else:
            year_of[v], q_of[v] = float(m.group(5)), np.nan
    years = values.map(year_of)
    quarters = values.map(q_of)
    return years, quarters, years.isna() & values.notna()


def read_values_sheet(grid: Grid, table: Table, title: list[str], ref: Reference,
                      options: Options) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of (indicator, unit_code, year, quarter, value, numerator, denominator) plus problems."""
    start = table.first_data_row
    cols = table.columns
    problems: list[Problem] = []
    n_body = max(grid.height - start, 0)
    columns = grid.columns(start)  # one pass over the sheet, column by column
    # hidden characters in the text columns (a number typed as text is cleaned where it is read: rules.cell_number)
    text_roles = ("code", "indicator", "unit_code", "unit", "period", "quarter")
    problems += rules.hidden_in_columns(columns, {cols[r]: r for r in text_roles if r in cols}, grid.name, start)
    get = lambda role: columns[cols[role]] if role in cols and cols[role] < len(columns) else (  # noqa: E731
        pd.Series([None] * n_body, dtype=object) if role in cols else None)
    excel_row = pd.Series(np.arange(start + 1, grid.height + 1), dtype="int64")
    ind = get("code")
    if ind is None:
        ind = get("indicator")
    else:
        names = get("indicator")
        if names is not None:
            ind = ind.where(ind.notna(), names)
    unit_code = get("unit_code")
    unit_name = get("unit")
    sheet = grid.name
    year_cell = None  # the cells a year comes from (None for wide sheets: their headers hold it)
    pending: list[tuple[int, Problem]] = []  # (frame position, problem) of cells refused as numbers
    if table.kind == "indicator_values_wide":
        period_cols = [(c, parse_period_header(t)) for c, t in table.extra.items() if parse_period_header(t)]
        parts = []
        no_report: list[tuple[int, str]] = []  # (excel row, column letter) of "no report" cells
        for c, (y, q) in period_cols:
            raw = columns[c] if c < len(columns) else pd.Series([None] * n_body, dtype=object)
            raw, mask = _no_report(raw)
            if mask.any():
                no_report += [(int(x), column_letter(c), clean(t)) for x, t in
                              zip(excel_row[mask].head(MAX_ERRORS), columns[c][mask].head(MAX_ERRORS))]
            parts.append(pd.DataFrame({"ind": ind, "unit_code": unit_code, "unit_name": unit_name, "raw": raw,
                                       "year": float(y), "quarter": float(q) if q else np.nan,
                                       "row": excel_row, "col": column_letter(c)}))
        df = pd.concat(parts, ignore_index=True)
        df = df[df["raw"].notna()].reset_index(drop=True)
        value = pd.Series(np.nan, index=df.index)
        letters = {column_letter(c): c for c, _ in period_cols}
        for col, idx in df.groupby("col", sort=False).groups.items():
            raw_c = df.loc[idx, "raw"]
            num = _numbers(raw_c, sheet, df.loc[idx, "row"], col, ROLE_LABELS["value"], pending)
            if grid.percent:
                pct = {r + 1 for r, cc in grid.percent if cc == letters[col]}  # excel rows
                num = _scale_percent(num, raw_c, np.flatnonzero(df.loc[idx, "row"].isin(pct).to_numpy()))
            value.loc[idx] = num.to_numpy()
        present = df["raw"].notna()
        df["numerator"] = np.nan
        df["denominator"] = np.nan
    else:
        df = pd.DataFrame({"ind": ind, "unit_code": unit_code, "unit_name": unit_name, "row": excel_row})
        if "year" in cols:
            df["year"] = _numbers(get("year"), sheet, excel_row, column_letter(cols["year"]), ROLE_LABELS["year"], pending, year=True)
            year_cell = get("year")
            qs = get("quarter")
            df["quarter"] = _quarters(qs) if qs is not None else np.nan
            if qs is not None:
                bad_q = qs.notna() & df["quarter"].isna()
                for r in df.loc[bad_q, "row"].head(MAX_ERRORS):
                    problems.append(Problem(sheet, int(r), column_letter(cols["quarter"]),
                                            message("period_invalid", value=clean(grid.cell(int(r) - 1, cols["quarter"])))))
        else:
            year_cell = get("period")
            df["year"], df["quarter"], bad_p = _periods(year_cell)
            for r in df.loc[bad_p, "row"].head(MAX_ERRORS):
                v = grid.cell(int(r) - 1, cols["period"])
                problems.append(rules.problem("year_is_date", sheet, int(r), column_letter(cols["period"]),
                                              **rules.year_as_date(v, ROLE_LABELS["period"], period=True)) if isinstance(v, (date, datetime))
                                else Problem(sheet, int(r), column_letter(cols["period"]), message("period_invalid", value=clean(v))))
        nothing = pd.Series(np.nan, index=df.index)
        figures: dict[str, pd.Series] = {}
        no_report_mask = np.zeros(len(df), bool)
        no_report_text = pd.Series([None] * len(df), dtype=object)
        for role in ("value", "numerator", "denominator"):
            if role in cols:
                raw_role = get(role)
                figures[role], mask = _no_report(raw_role)
                if mask.any():
                    no_report_mask |= mask
                    no_report_text = no_report_text.where(~mask, raw_role)
        parsed = {role: _numbers(figures[role], sheet, excel_row, column_letter(cols[role]), ROLE_LABELS[role], pending)
                  if role in cols else nothing for role in ("value", "numerator", "denominator")}
        if "value" in cols and grid.percent:
            parsed["value"] = _scale_percent(parsed["value"], figures["value"],
                                             _percent_rows(grid, cols["value"], start, n_body))
        value = parsed["value"]
        present = (figures["value"].notna() if "value" in cols else pd.Series(False, index=df.index))
        for role in ("numerator", "denominator"):
            if role in cols:
                present |= figures[role].notna()
        gone = no_report_mask & ~present.to_numpy()
        no_report = [(int(x), column_letter(cols.get("value", cols.get("numerator", 0))), clean(t))
                     for x, t in zip(excel_row[gone].head(MAX_ERRORS), no_report_text[gone].head(MAX_ERRORS))]
        df["numerator"], df["denominator"] = parsed["numerator"], parsed["denominator"]
        df["col"] = column_letter(cols["value"]) if "value" in cols else column_letter(cols.get("numerator", 0))
    # drop rows that are entirely empty (blank lines, trailing formatting); a row whose figures were all
    # refused stays, so that its other problems (unit, period) are reported too
    blank = df["ind"].isna() & df["unit_code"].isna() if unit_code is not None else df["ind"].isna()
    if unit_name is not None:
        blank &= df["unit_name"].isna()
    keep = ~blank & present.to_numpy()
    skipped_rows = _structure_rows(grid, table, start, [i for i, _p in pending], df)
    if skipped_rows:
        keep &= ~df["row"].isin(skipped_rows).to_numpy()
        problems = [p for p in problems if p.row not in skipped_rows]
    year_blank = np.equal(year_cell.to_numpy(dtype=object), None) if year_cell is not None else np.zeros(len(df), bool)
    kept = set(np.flatnonzero(keep).tolist()) if pending else set()
    problems += [p for i, p in pending if i in kept][: MAX_ERRORS * 2]
    problems += [Problem(sheet, r, c, message("value_no_report", value=t), "warning") for r, c, t in no_report[:MAX_ERRORS]
                 if r not in skipped_rows]
    df, value, year_blank = df[keep].copy(), value[keep], year_blank[keep]
    # a rate may come as numerator/denominator only: value = 100·num/den
    value = value.where(value.notna(), 100.0 * df["numerator"] / df["denominator"].where(df["denominator"] != 0))
    df["value"] = value
    problems += _check_units(df, grid, table, ref)
    problems += _check_ranges(df, grid, table)
    missing_ind = df["ind"].isna()
    for r in df.loc[missing_ind, "row"].head(MAX_ERRORS):
        problems.append(Problem(grid.name, int(r), None, message("required_blank", column="Mã chỉ tiêu")))
    missing_year = df["year"].isna().to_numpy() & year_blank  # a refused year (a date, a text) has its own message
    year_col = column_letter(cols["year"] if "year" in cols else cols["period"]) if ("year" in cols or "period" in cols) else None
    for r in df.loc[missing_year & ~missing_ind.to_numpy(), "row"].head(MAX_ERRORS):
        problems.append(Problem(grid.name, int(r), year_col, message("required_blank", column=ROLE_LABELS["year"])))

    today = settings.today()
    q = df["quarter"].fillna(1)
    future = (df["year"] > today.year) | ((df["year"] == today.year) & (q > Quarter.of(today).quarter))

    for r, y, qq in zip(df.loc[future, "row"].head(MAX_ERRORS), df.loc[future, "year"], df.loc[future, "quarter"]):
        problems.append(Problem(grid.name, int(r), year_col, message("period_future", period=_period(y, qq),
                                                                     today=today.strftime("%d/%m/%Y"))))
    out = pd.DataFrame({
        "sheet": grid.name, "row": df["row"].astype("int64"), "indicator": df["ind"].astype(str).str.strip(),
        "unit_code": df["unit_code"].astype(str), "year": df["year"], "quarter": df["quarter"],
        "value": df["value"], "numerator": df["numerator"], "denominator": df["denominator"], "col": df["col"],
    })
    return out.reset_index(drop=True), problems[: MAX_ERRORS * 2]


def _structure_rows(grid: Grid, table: Table, start: int, refused: list[int], df: pd.DataFrame) -> set[int]:
    """Excel rows that are no data: a heading ("I. Chỉ tiêu về TTHC"), a note merged under the table ("Ghi chú: Số
    liệu … là số liệu ước"), the closing block. Only rows whose figures were refused, or that hold a merged range,
    are looked at (a big sheet's data rows cost nothing here)."""
    rows = df["row"].to_numpy()
    look = {int(rows[i]) for i in refused if 0 <= i < len(rows)}
    width = max(table.columns.values(), default=0)
    if grid.origin:
        look |= {r + 1 for (r, c), (r0, c0) in grid.origin.items() if r >= start and c0 < c and r0 == r}
    out: set[int] = set()
    for excel_r in sorted(look):
        r = excel_r - 1
        what = structure.row_kind([v for v in grid.row(r) if v is not None], grid.is_bold_row(r),
                                  width > 0 and grid.merged_across(r, 0, width))
        if what is not None:
            out.add(excel_r)
    return out


def _check_units(df: pd.DataFrame, grid: Grid, table: Table, ref: Reference) -> list[Problem]:
    """Each row's unit on the map of its own period (loaders.reference.match_unit): the code decides, a name
    alone is enough; a unit that did not exist in that period is an error naming its successor."""
    problems: list[Problem] = []
    codes = df["unit_code"] if "unit_code" in table.columns else None
    names = df["unit_name"] if "unit" in table.columns else None
    known, errors = ref.resolve_unit_rows(codes, names, df["year"], df["quarter"])
    bad = known.isna() & errors.notna()  # a row without a (calendar) year is reported as such, by the year rules
    # the cell that named the unit: the code when one was typed, else the name
    code_col = column_letter(table.columns["unit_code"]) if "unit_code" in table.columns else None
    name_col = column_letter(table.columns["unit"]) if "unit" in table.columns else code_col
    typed_code = codes.notna() if codes is not None else pd.Series(False, index=df.index)
    for r, e, has_code in zip(df.loc[bad, "row"].head(MAX_ERRORS), errors[bad].head(MAX_ERRORS),
                              typed_code[bad].head(MAX_ERRORS)):
        problems.append(Problem(grid.name, int(r), code_col if has_code else name_col, e))
    df["unit_code"] = known
    return problems


def _check_ranges(df: pd.DataFrame, grid: Grid, table: Table) -> list[Problem]:
    problems: list[Problem] = []
    num, den = df["numerator"], df["denominator"]
    col_num = column_letter(table.columns["numerator"]) if "numerator" in table.columns else None
    neg = (df["value"] < 0) | (num < 0) | (den < 0)
    for r, c in zip(df.loc[neg, "row"].head(MAX_ERRORS), df.loc[neg, "col"]):
        problems.append(Problem(grid.name, int(r), c, message("value_out_of_range", value="âm", column=ROLE_LABELS["value"], low=0, high="∞")))
    zero = (num == 0) & (den == 0)
    for r in df.loc[zero, "row"].head(MAX_ERRORS):
        problems.append(rules.problem("zero_rate", grid.name, int(r), col_num))
    over = num > den
    for r, a, b in zip(df.loc[over, "row"].head(MAX_ERRORS), num[over], den[over]):
        problems.append(Problem(grid.name, int(r), col_num, message("numerator_gt_denominator", num=a, den=b)))
    low, high = rules.fact_years()
    years = df["year"]
    # a later year is a period that has not happened yet: its own message below; 2024,5 is no year at all
    bad_year = (years < low) | (years.notna() & (years != np.floor(years)))
    col_year = column_letter(table.columns["year"]) if "year" in table.columns else (
        column_letter(table.columns["period"]) if "period" in table.columns else None)
    for r, y, c in zip(df.loc[bad_year, "row"].head(MAX_ERRORS), years[bad_year], df.loc[bad_year, "col"]):
        where = col_year or c  # wide sheets: the period column's header holds the year
        problems.append(rules.problem("year_window", grid.name, int(r), where,
                                      value=int(y) if y == int(y) else f"{y:g}".replace(".", ","),
                                      column=ROLE_LABELS["year"], low=low, high=high))
    return problems
