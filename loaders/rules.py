"""Plausibility rules, as one table: what a value, a target or a row may be before anything is stored.

Each rule has a code, a severity (error refuses the file, warning is shown) and a Vietnamese message
(catalogue.MESSAGES["rule_<code>"]). The readers of values, targets/catalogue, PAR scores, plans and
progress apply them through the helpers below, so every problem names sheet, row and column and the
same mistake reads the same everywhere.
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd

import settings
from catalogue import HIDDEN_CHAR_KINDS, message
from loaders.inspection import column_letter
from loaders.text import fold
from model import Problem
from quarter import Quarter

MAX_ABS = 1e12  # no count, score or amount (VND included: tỷ đồng) is larger
WARNINGS = frozenset({"number_separator", "hidden_chars"})  # codes of cell_number whose number is still read
MAX_PROBLEMS = 200  # per rule and sheet: one bad column must not bury the user under 100k messages


@dataclass(frozen=True)
class Rule:
    """One plausibility rule: its code, severity and what it checks (the message is catalogue.MESSAGES[key])."""

    code: str
    severity: str  # error | warning
    checks: str

    @property
    def key(self) -> str:
        return f"rule_{self.code}"


RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("not_finite", "error", "numbers are finite: INF, -INF, NaN and 1e309 (read as infinite) are refused"),
    Rule("too_large", "error", f"no number is larger than ±{MAX_ABS:g} (1e308 is a typing accident, not a figure)"),
    Rule("rate_range", "error", "a rate (an indicator in % or % of the maximum, or a numerator over a denominator) lies in 0–100"),
    Rule("zero_rate", "error", "numerator = denominator = 0 is no rate: refused rather than stored as a row"),
    Rule("boolean", "error", "TRUE/FALSE cells are refused where data is read (TRUE is not the number 1)"),
    Rule("error_cell", "error", "#DIV/0!, #N/A, #REF!, #VALUE! … cells are refused (calamine would read them as blank)"),
    Rule("year_window", "error", "years of values, PAR scores and reports lie in CCHC_MIN_YEAR … this year"),
    Rule("plan_year_window", "error", "plan periods and target years lie in CCHC_MIN_YEAR … this year + CCHC_MAX_YEARS_AHEAD"),
    Rule("year_is_date", "error", "a date typed where a year belongs is named as a date, not as a blank cell"),
    Rule("date_in_number", "error", "a date typed where a number belongs is named as a date"),
    Rule("number_ambiguous", "error", "a number typed as text whose separators can be read two ways is refused"),
    Rule("number_separator", "warning", "a number typed as text with non-Vietnamese separators is read and said so"),
    Rule("duplicate_plan", "error", "the same task, output and lead on two rows (of any sheets) of a plan"),
    Rule("duplicate_value", "error", "the same indicator, unit and period on two rows (of any sheets)"),
    Rule("duplicate_par", "error", "the same subject, year and component on two rows (of any sheets)"),
    Rule("duplicate_target", "error", "the same indicator, level, area and year on two rows (of any sheets)"),
    Rule("duplicate_progress", "error", "the same output, agency and quarter on two rows (of any sheets)"),
    Rule("target_negative", "error", "a target level is not negative (a decrease is worded «Giảm …»)"),
    Rule("target_absurd", "error", "a target figure lies in its unit's range: 0–100 for % and points, rank 1–1000"),
    Rule("target_baseline", "error", "a change's baseline year lies before its target year and after 1950"),
    Rule("hidden_chars", "warning", "control, bidirectional and zero-width characters are stripped from text"),
]}


def problem(code: str, sheet: str, row: int | None, col: str | None, /, **values: object) -> Problem:
    """The Problem of one rule at one place (values fill the message's placeholders)."""
    rule = RULES[code]
    return Problem(sheet, row, col, message(rule.key, **values), rule.severity)


def num_text(value: float) -> str:
    """A number as the messages print it (Vietnamese decimal comma, no trailing zeros; 1e308 stays short)."""
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else "vô cực"
    if abs(value) >= 1e15:
        return f"{value:.3g}".replace(".", ",")
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def date_text(value: object) -> str:
    """dd/mm/yyyy of a date or datetime cell."""
    return value.strftime("%d/%m/%Y") if isinstance(value, (date, datetime)) else str(value)


# --- years -----------------------------------------------------------------------------------------
def fact_years() -> tuple[int, int]:
    """The window of years a value, score or report may name: CCHC_MIN_YEAR … this year."""
    return settings.int_setting("CCHC_MIN_YEAR"), settings.today().year


def plan_years() -> tuple[int, int]:
    """The window of plan periods and target years: CCHC_MIN_YEAR … this year + CCHC_MAX_YEARS_AHEAD."""
    return settings.int_setting("CCHC_MIN_YEAR"), settings.today().year + settings.int_setting("CCHC_MAX_YEARS_AHEAD")


def year_as_date(value: object, column: str, period: bool = False) -> dict:
    """The message values of rule year_is_date for a date typed into a year (or period) cell."""
    guess, example = "", str(settings.today().year)
    if isinstance(value, (date, datetime)):
        d = value.date() if isinstance(value, datetime) else value
        serial = (d - date(1899, 12, 30)).days  # what the user typed, when a number got a date format
        lo, hi = plan_years()
        if lo <= serial <= hi and not period:
            guess, example = f" (có lẽ là năm {serial} bị định dạng thành ngày)", str(serial)
        elif lo <= d.year <= hi:
            example = str(d.year) if not period else Quarter.of(d).label
    if period and not example.startswith("Quý"):
        example = f"Quý III/{example}"
    return {"column": column, "value": date_text(value), "guess": guess, "example": example,
            "what": "kỳ báo cáo" if period else "năm", "format": "Văn bản (Text)" if period else "Số (General)"}


# --- numbers ----------------------------------------------------------------------------------------
_VN_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.234.567,5
_VN_DECIMAL = re.compile(r"^[+-]?\d+(?:,\d+)?$")  # 85,3
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$")  # 1,234.5 (both separators: unambiguous)
_DOT_DECIMAL = re.compile(r"^[+-]?\d+\.\d+$")  # 85.3 or 1.234
_SPACE_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?$")  # 1 234,5


def parse_number_text(text: str) -> tuple[float | None, str | None]:
    """(value, rule code or None) of a number typed as text, Vietnamese style first ("1.234,5", "85,3%").
    "85.3" is read as 85,3 with a warning; "1.234" (a dot then three digits) is 1234; "1,234,5" is ambiguous."""
    t = text.strip().rstrip("%").strip().replace("\u2212", "-")
    if _VN_GROUPED.match(t):
        return float(t.replace(".", "").replace(",", ".")), None
    if _VN_DECIMAL.match(t):
        return float(t.replace(",", ".")), None
    if _SPACE_GROUPED.match(t):
        return float(re.sub(r"[ \u00a0\u202f]", "", t).replace(",", ".")), None
    if _EN_GROUPED.match(t):
        return float(t.replace(",", "")), "number_separator"
    if _DOT_DECIMAL.match(t):
        if len(t.split(".")[1]) == 3:
            return None, "number_ambiguous"  # 1234.567: a decimal point, or a thousands dot in the wrong place?
        return float(t), "number_separator"
    return None, None


def cell_number(value: object) -> tuple[float | None, str | None]:
    """(number, rule code or None) of one cell where a number belongs; (None, None) for blank or plain text."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, "boolean"
    if type(value).__name__ == "CellError":
        return None, "error_cell"
    if isinstance(value, (int, float, np.integer, np.floating)):
        f = float(value)
        if not math.isfinite(f):
            return None, "not_finite"
        if abs(f) > MAX_ABS:
            return None, "too_large"
        return f, None
    if isinstance(value, (datetime, date, time, timedelta)):
        return None, "date_in_number"
    text = str(value).strip()
    hidden = HIDDEN.search(text) is not None
    if hidden:  # "50\u200b": the number, read once the invisible characters are gone (with a warning)
        text = strip_hidden(text)[0].strip()
    if fold(text) in ("inf", "-inf", "+inf", "infinity", "-infinity", "nan", "vo cuc"):
        return None, "not_finite"
    f, code = parse_number_text(text)
    if hidden and f is not None and code is None:
        code = "hidden_chars"
    if f is not None and code is None and abs(f) > MAX_ABS:
        return None, "too_large"
    if f is not None and not math.isfinite(f):
        return None, "not_finite"
    return f, code


def number_problem(code: str, sheet: str, row: int, column: str | None, label: str, value: object,
                   expected: str = "một số") -> Problem:
    """The Problem of cell_number's rule code at one cell."""
    if code == "boolean":
        return problem(code, sheet, row, column, value="TRUE" if value else "FALSE", expected=expected)
    if code == "error_cell":
        return problem(code, sheet, row, column, value=str(value))
    if code == "date_in_number":
        return problem(code, sheet, row, column, column=label, value=date_text(value))
    if code == "too_large":
        return problem(code, sheet, row, column, column=label, value=num_text(float(value)) if isinstance(value, (int, float)) else str(value),
                       limit=num_text(MAX_ABS))
    if code == "hidden_chars":
        kinds = strip_hidden(str(value))[1]
        return problem(code, sheet, row, column, count=len(HIDDEN.findall(str(value))),
                       kinds=", ".join(HIDDEN_CHAR_KINDS[k] for k in kinds))
    if code == "number_separator":
        f, _ = parse_number_text(str(value))
        return problem(code, sheet, row, column, column=label, value=str(value).strip(), number=num_text(f or 0.0))
    return problem(code, sheet, row, column, column=label, value=num_text(float(value)) if isinstance(value, float) else str(value))


def numbers(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised cell_number over a column: (floats, rule code per cell or None, unparseable text mask).
    Numbers take the fast path; only text, NaN, infinite, huge, boolean, date and error cells are looked at one by one."""
    arr = values.to_numpy(dtype=object, copy=False)
    num = pd.to_numeric(values, errors="coerce").astype(float)
    vals = num.to_numpy()
    present = ~np.equal(arr, None)  # NaN cells are present (and refused), blank ones are None
    with np.errstate(invalid="ignore"):
        plain = np.isfinite(vals) & (np.abs(np.nan_to_num(vals)) <= MAX_ABS)
    odd = present & ~plain  # booleans read as 1/0 are refused through the grid's flags
    if pd.api.types.infer_dtype(arr, skipna=True) not in ("floating", "integer", "mixed-integer-float", "empty", "decimal"):
        # text that pandas reads the English way ("2.000" as 2, "5.5") is read the Vietnamese way instead
        odd |= np.fromiter((isinstance(v, str) for v in arr), bool, len(arr))
    odd = np.flatnonzero(odd)
    codes = pd.Series([None] * len(values), index=values.index, dtype=object)
    bad = pd.Series(False, index=values.index)
    out = num.copy()
    for i in odd:
        v = arr[i]
        f, code = cell_number(v)
        out.iat[i] = f if f is not None else np.nan
        if code is not None:
            codes.iat[i] = code
        elif f is None:
            bad.iat[i] = True
    return out, codes, bad


# --- rates --------------------------------------------------------------------------------------------
RATE_UNITS = ("%", "% điểm tối đa", "điểm %")


@lru_cache(maxsize=1)
def seed_indicators() -> dict[str, tuple[str, bool, str]]:
    """code → (unit, is_rate, name) of the indicators the reference seed table knows (data/reference/seed_targets.csv)."""
    out: dict[str, tuple[str, bool, str]] = {}
    with open(settings.REFERENCE_DIR / "seed_targets.csv", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            out.setdefault(rec["indicator_code"], (rec["unit"], rec["is_rate"] in ("1", "True", "true"), rec["indicator_name"]))
    return out


def rate_indicators(extra: dict[str, tuple[str, bool, str]] | None = None) -> dict[str, str]:
    """Indicator code or folded name → display name, for the indicators whose values are rates (0–100)."""
    known = dict(seed_indicators())
    known.update(extra or {})
    out: dict[str, str] = {}
    for code, (unit, is_rate, name) in known.items():
        if is_rate or unit in RATE_UNITS:
            out[code] = name or code
            if name:
                out[fold(name)] = name
    return out


# --- cells that are no data ------------------------------------------------------------------------------
def flag_problems(grid: object, rows_from: int, columns: dict[int, str]) -> list[Problem]:
    """Error cells and booleans (from the inspection of the XML) in the rows and columns a reader uses."""
    out: list[Problem] = []
    for (r, c), text in sorted(grid.flags.items()):  # type: ignore[attr-defined]
        if r < rows_from or c not in columns:
            continue
        if text.startswith("#"):
            out.append(problem("error_cell", grid.name, r + 1, column_letter(c), value=text))  # type: ignore[attr-defined]
        else:
            out.append(problem("boolean", grid.name, r + 1, column_letter(c), value=text, expected=_expected(columns[c])))  # type: ignore[attr-defined]
        if len(out) >= MAX_PROBLEMS:
            break
    return out


def _expected(label: str) -> str:
    return f"giá trị của cột «{label}»"


# --- hidden characters -----------------------------------------------------------------------------------
_CONTROL = "".join(map(chr, [*range(9), 11, 12, *range(14, 32), *range(127, 160)]))
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
HIDDEN = re.compile("[" + re.escape(_CONTROL + _BIDI + _ZERO_WIDTH) + "]")
_KIND = {**dict.fromkeys(_CONTROL, "control"), **dict.fromkeys(_BIDI, "bidi"), **dict.fromkeys(_ZERO_WIDTH, "zero_width")}


def strip_hidden(text: str) -> tuple[str, list[str]]:
    """Text without control, bidirectional and zero-width characters, and the kinds found (in order)."""
    found = HIDDEN.findall(text)
    if not found:
        return text, []
    kinds = list(dict.fromkeys(_KIND[ch] for ch in found))
    # control characters separate words (a tab, a vertical tab); the invisible ones join them
    out = "".join(" " if _KIND.get(ch) == "control" else ("" if ch in _KIND else ch) for ch in text)
    return unicodedata.normalize("NFC", out), kinds


def hidden_pass(grid: object) -> list[Problem]:
    """Strip hidden characters from every text cell of a grid, in place, with one warning per cell.
    The distinct values are looked at first (C-level), so a clean sheet costs one set() of its cells."""
    src = grid._rows if grid._rows is not None else grid._raw  # type: ignore[attr-defined]
    if not src:
        return []
    suspects = {v for v in set(chain.from_iterable(src)) if isinstance(v, str) and HIDDEN.search(v)}
    if not suspects:
        return []
    out: list[Problem] = []
    for r, row in enumerate(src):
        for c, v in enumerate(row):
            if isinstance(v, str) and v in suspects:
                clean, kinds = strip_hidden(v)
                row[c] = type(v)(clean) if type(v) is not str else clean
                if (r, c) in grid.origin:  # type: ignore[attr-defined] - a merged copy: warned at its top-left cell
                    continue
                if len(out) < MAX_PROBLEMS:
                    n = len(HIDDEN.findall(v))
                    out.append(problem("hidden_chars", grid.name, r + 1, column_letter(c), count=n,  # type: ignore[attr-defined]
                                       kinds=", ".join(HIDDEN_CHAR_KINDS[k] for k in kinds)))
    return out


def hidden_in_columns(columns: list[pd.Series], which: dict[int, str], sheet: str, first_row: int) -> list[Problem]:
    """hidden_pass for a column-wise reader (indicator values): the distinct texts of the columns it reads are looked
    at (a hash table per column, in C), and only a column holding a suspect is walked and cleaned, in place."""
    out: list[Problem] = []
    for c in which:
        if c >= len(columns):
            continue
        col = columns[c]
        suspects = {u for u in pd.unique(col.to_numpy(dtype=object)) if isinstance(u, str) and HIDDEN.search(u)}
        if not suspects:
            continue
        hit = col.isin(suspects).to_numpy()
        for i in np.flatnonzero(hit)[:MAX_PROBLEMS - len(out) if len(out) < MAX_PROBLEMS else 0]:
            raw = col.iat[i]
            kinds = strip_hidden(raw)[1]
            out.append(problem("hidden_chars", sheet, first_row + int(i) + 1, column_letter(c), count=len(HIDDEN.findall(raw)),
                               kinds=", ".join(HIDDEN_CHAR_KINDS[k] for k in kinds)))
        col.iloc[np.flatnonzero(hit)] = [strip_hidden(v)[0] for v in col[hit]]  # the Series in `columns`, in place
    return out


def dedupe(problems: list[Problem], precise: list[Problem]) -> list[Problem]:
    """`precise` first, then the readers' problems at cells that no precise problem already names."""
    taken = {(p.sheet, p.row, p.column) for p in precise if p.row is not None and p.column is not None}
    return precise + [p for p in problems if (p.sheet, p.row, p.column) not in taken]


# --- targets -----------------------------------------------------------------------------------------------
_BOUNDED = ("at_least", "at_most", "range", "ramp")


def target_problem(spec: object, unit: str, sheet: str, row: int, col: str | None) -> Problem | None:
    """The first implausible figure of a parsed target (negative, infinite, beyond its unit's range, an odd
    baseline year), or None. `unit` is the indicator's unit when the wording states none."""
    kind = spec.kind  # type: ignore[attr-defined]
    stated = (spec.extra or {}).get("unit") or unit  # type: ignore[attr-defined]
    figures = [v for v in (spec.value, spec.value_high, spec.cap, spec.step) if v is not None]  # type: ignore[attr-defined]
    text = spec.text  # type: ignore[attr-defined]
    for v in figures:
        if not math.isfinite(v) or abs(v) > MAX_ABS:
            return problem("target_absurd", sheet, row, col, text=text, value=num_text(v), low=0, high=num_text(MAX_ABS), unit=stated or "")
    if kind in (*_BOUNDED, "rank") and any(v < 0 for v in figures):
        return problem("target_negative", sheet, row, col, text=text, value=num_text(min(figures)))
    bounds = None
    if kind in _BOUNDED and (stated in RATE_UNITS or stated in ("%", "điểm")):
        bounds = (0.0, 100.0)
    elif kind == "change" and stated == "%":
        bounds = (-100.0, 1000.0)  # "giảm 10%" … "tăng gấp 10 lần"; "giảm 150%" means nothing
    elif kind == "rank":
        bounds = (1.0, 1000.0)
    if bounds and any(not bounds[0] <= v <= bounds[1] for v in figures if v is not spec.step):  # type: ignore[attr-defined]
        bad = next(v for v in figures if not bounds[0] <= v <= bounds[1])
        return problem("target_absurd", sheet, row, col, text=text, value=num_text(bad), low=num_text(bounds[0]),
                       high=num_text(bounds[1]), unit=stated or ("hạng" if kind == "rank" else ""))
    base = spec.baseline_year  # type: ignore[attr-defined]
    if base is not None and not 1950 <= base <= spec.year:  # type: ignore[attr-defined]
        return problem("target_baseline", sheet, row, col, text=text, value=base, year=spec.year)  # type: ignore[attr-defined]
    return None
