"""Vietnamese formatting of numbers, percentages, dates, quarters and filter lines, shared by views and exports.

Vietnamese writes 1.234,5: a dot groups thousands and a comma marks decimals. Missing values
(None, NaN, NaT, pd.NA) show as an en dash so an empty cell is never mistaken for zero.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from quarter import Quarter

MISSING = "–"  # en dash: shown for None / NaN / NaT
PLOTLY_SEPARATORS = ",."  # plotly layout.separators: decimal comma, thousands dot
FILTER_SEPARATOR = " · "
PERCENT_SUFFIX = " %"  # "35,5 %": a space before the sign, everywhere (views, charts, slides, PPTX, Excel)
# Excel/PowerPoint number formats with the same look; the decimal and thousands marks of a number format are
# the viewer's locale, so the Vietnamese ones are written as literal text in the format where it matters.
_WIDE = Context(prec=1000)  # quantize never overflows, even for 1e300


def is_missing(x: Any) -> bool:
    """True for None, NaN, NaT and pd.NA (scalars only; containers are never missing)."""
    if x is None:
        return True
    if isinstance(x, (str, bytes)):
        return False
    try:
        result = pd.isna(x)
    except (TypeError, ValueError):
        return False
    return isinstance(result, (bool, np.bool_)) and bool(result)


def _as_float(x: Any) -> float | None:
    """A finite float, or None when x is missing, not numeric or infinite."""
    if is_missing(x) or isinstance(x, bool):
        return None
    if isinstance(x, (Real, Decimal)) or hasattr(x, "__float__"):
        try:
            value = float(x)
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) else None
    return None


def _swap_separators(text: str) -> str:
    """Turn Python's 1,234.5 into Vietnamese 1.234,5."""
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_number(x: Any, decimals: int = 1) -> str:
    """A number with Vietnamese separators ("1.234,5"); missing → "–"; text is returned as given."""
    if isinstance(x, str):
        return x.strip() or MISSING
    value = _as_float(x)
    if value is None:
        return MISSING
    places = max(int(decimals), 0)
    # round half up on the shortest decimal representation, as people do by hand (0,15 → 0,2)
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)
    text = f"{rounded:,.{places}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # no "-0,0"
    return _swap_separators(text)


def fmt_int(x: Any) -> str:
    """A whole number with a dot between thousands ("1.234"), rounded half up."""
    return fmt_number(x, 0)


def fmt_percent(x: Any, decimals: int = 1) -> str:
    """A percentage given in percent points (71 → "71,0 %"); missing → "–"."""
    if isinstance(x, str):
        return x.strip() or MISSING
    text = fmt_number(x, decimals)
    return text if text == MISSING else f"{text}{PERCENT_SUFFIX}"


def unit_suffix(unit: object) -> str:
    """What goes after a number of this unit in a chart or a slide: " %" for any percentage ("% điểm tối
    đa" too), " điểm" for another unit, "" for none."""
    u = unit.strip() if isinstance(unit, str) else ""
    return PERCENT_SUFFIX if u.startswith("%") else f" {u}" if u else ""


_VN_NUMBER = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{3})*|-?\d+)(?:,(\d+))?\s*(%?)\s*$")


def parse_number(text: Any) -> tuple[float, bool] | None:
    """A number written the Vietnamese way, as fmt_number/fmt_percent/fmt_int write it: "1.234,5" → (1234.5,
    False), "35,5 %" → (35.5, True); anything else (a rank "3/18", a word, "–") → None."""
    if not isinstance(text, str):
        return None
    m = _VN_NUMBER.match(text)
    if not m:
        return None
    whole, frac, pct = m.groups()
    return float(whole.replace(".", "") + ("." + frac if frac else "")), bool(pct)


def fmt_quarter_key(key: Any) -> Any:
    """A quarter key "2024-Q1" as people write it ("Quý I/2024"); any other value is returned as given."""
    q = Quarter.parse(key)
    return q.label if q is not None else key


def _to_date(d: Any) -> date | None:
    """A date from a date, datetime, Timestamp, numpy datetime64 or ISO string; None when missing."""
    if is_missing(d):
        return None
    if isinstance(d, datetime):  # includes pd.Timestamp
        return d.date()
    if isinstance(d, date):
        return d
    if isinstance(d, str):
        text = d.strip()
        if not text:
            return None
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            return None
    try:
        return pd.Timestamp(d).date()
    except (TypeError, ValueError):
        return None


def fmt_date(d: Any) -> str:
    """A date as dd/mm/yyyy ("05/09/2024"); missing → "–"; unparseable text is returned as given."""
    value = _to_date(d)
    if value is not None:
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(d, str) and d.strip():
        return d.strip()
    return MISSING


def fmt_quarter(year: int, quarter: int | None) -> str:
    """A report period in words: "Quý III/2024", or "Năm 2024" when quarter is None."""
    if quarter is None:
        return f"Năm {int(year)}"
    return Quarter(int(year), int(quarter)).label


def quarter_key(year: int, quarter: int) -> str:
    """The URL/storage key of a quarter: (2024, 3) → "2024-Q3"."""
    return Quarter(int(year), int(quarter)).key


def parse_quarter_key(key: str) -> tuple[int, int]:
    """The (year, quarter) of a key such as "2024-Q3"; raises ValueError on anything else."""
    return Quarter.from_key(key).astuple()


def fmt_filters(filters: Mapping[str, Any]) -> str:
    """Filters as one line: "Kỳ: Quý III/2024 · Địa bàn: Huyện Nghĩa Hưng" (empty values are left out)."""
    parts = [f"{name}: {value}" for name, value in filters.items()
             if not is_missing(value) and str(value).strip()]
    return FILTER_SEPARATOR.join(parts)
