"""Duplicate rows within and across the sheets of one workbook, each kind in its own words.

The same plan rows pasted on two sheets would otherwise be stored twice ("…/I.1.1" and "…/I.1.1#2"), and
two values for one indicator, unit and quarter would leave it to chance which one counts. Every later
copy is an error naming the first one's sheet and row (rules duplicate_plan, duplicate_value, …).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from catalogue import LEVELS, PAR_COMPONENTS
from loaders import rules
from loaders.plan import PlanSheet
from loaders.text import clean
from model import Problem

_ROMAN_Q = ("I", "II", "III", "IV")


def _period(year: float, quarter: float) -> str:
    if not math.isfinite(year):
        return "(không rõ kỳ)"
    if math.isfinite(quarter) and 1 <= quarter <= 4:
        return f"Quý {_ROMAN_Q[int(quarter) - 1]}/{int(year)}"
    return f"năm {int(year)}"


def _exact(text: object) -> str:
    """Comparison form keeping diacritics ("Trực Hưng" and "Trực Hùng" are two communes)."""
    return clean(text).casefold()


def plan_rows(sheets: list[PlanSheet]) -> list[Problem]:
    """Outputs of one plan on several sheets with the same task, output and lead (within a sheet the reader reports them)."""
    first: dict[tuple[str, str, str], tuple[str, int]] = {}
    out: list[Problem] = []
    for sheet in sheets:
        mine: dict[tuple[str, str, str], tuple[str, int]] = {}
        for o in sheet.outputs:
            key = (_exact(o.task), _exact(o.output), _exact(o.lead_text))
            if key in first and first[key][0] != sheet.name:
                out.append(rules.problem("duplicate_plan", o.sheet, o.row, o.col, sheet=first[key][0], row=first[key][1]))
            else:
                mine.setdefault(key, (o.sheet, o.row))
        for key, where in mine.items():
            first.setdefault(key, where)
    return out[: rules.MAX_PROBLEMS]


def _later_copies(df: pd.DataFrame, key: list[str]) -> list[tuple[object, object]]:
    """(later copy, first row) pairs of the rows of `df` that repeat `key` (found vectorised; then only the
    repeated rows are walked)."""
    dup = df.duplicated(key, keep=False).to_numpy()  # vectorised; NaN equals NaN here (a yearly value's quarter)
    if not dup.any():
        return []
    k = df.loc[dup, key].copy()
    for c in key:
        if k[c].dtype.kind == "f":
            k[c] = k[c].fillna(-1.0)
        else:
            k[c] = k[c].astype(object).where(k[c].notna(), "")
    first: dict[tuple, object] = {}
    pairs = []
    for rec, kk in zip(df[dup].itertuples(index=False), k.itertuples(index=False, name=None)):
        if kk in first:
            pairs.append((rec, first[kk]))
        else:
            first[kk] = rec
    return pairs


def frame_rows(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Duplicates in the values, PAR scores, targets and progress read from all sheets."""
    out: list[Problem] = []
    df = frames.get("indicator_values")
    if df is not None and not df.empty:
        for a, b in _later_copies(df, ["indicator", "unit_code", "year", "quarter"])[: rules.MAX_PROBLEMS]:  # stripped by the reader
            out.append(rules.problem("duplicate_value", a.sheet, int(a.row), a.col, indicator=a.indicator, unit=a.unit_code,
                                     period=_period(a.year, a.quarter), sheet=b.sheet, row=int(b.row)))
    df = frames.get("par_scores")
    if df is not None and not df.empty:
        seen: set[tuple[str, int]] = set()
        for a, b in _later_copies(df, ["year", "subject_kind", "subject_code", "component"]):
            if (a.sheet, a.row) in seen or len(out) >= 2 * rules.MAX_PROBLEMS:
                continue  # one message per row (a row repeats every component)
            seen.add((a.sheet, a.row))
            comp = "tổng điểm" if a.component == "total" else (
                f"lĩnh vực «{PAR_COMPONENTS[a.component].label}»" if a.component in PAR_COMPONENTS else a.component)
            out.append(rules.problem("duplicate_par", a.sheet, int(a.row), getattr(a, "col", None), subject=a.subject_code,
                                     year=int(a.year), component=comp, sheet=b.sheet, row=int(b.row)))
    df = frames.get("indicator_catalogue")
    if df is not None and not df.empty and "year" in df.columns:
        for a, b in _later_copies(df, ["code", "level", "scope_unit_code", "year"])[: rules.MAX_PROBLEMS]:
            level = LEVELS[a.level].label.lower() if a.level in LEVELS else ("mọi cấp" if a.level == "all" else a.level)
            out.append(rules.problem("duplicate_target", a.sheet, int(a.row), a.col, indicator=a.code,
                                     level=level + (f", địa bàn {a.scope_unit_code}" if isinstance(a.scope_unit_code, str) else ""),
                                     year=int(a.year), sheet=b.sheet, row=int(b.row)))
    df = frames.get("progress")
    if df is not None and not df.empty:
        # diacritics count: "UBND xã Trực Hưng" and "UBND xã Trực Hùng" fold alike but are two communes
        d = df.assign(out_key=np.where(df["ref"].notna(), df["ref"].astype(object), df["output"].astype(object).map(_exact)),
                      agency_key=df["agency"].map(_exact))
        for a, b in _later_copies(d, ["out_key", "agency_key", "year", "quarter"])[: rules.MAX_PROBLEMS]:
            out.append(rules.problem("duplicate_progress", a.sheet, int(a.row), a.col_agency,
                                     output=(a.ref if isinstance(a.ref, str) else str(a.output))[:80], agency=a.agency,
                                     period=_period(a.year, a.quarter), sheet=b.sheet, row=int(b.row)))
    return out
