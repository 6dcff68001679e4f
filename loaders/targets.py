"""Parse the wording of a target as typed in an indicator-catalogue cell into a TargetSpec.

Pure: no I/O. Matching works on loaders.text.fold() text; the raw cell text is kept in spec.text.
A cell holds one target for one horizon year; wording that states several figures at once
("80% cấp huyện, 60% cấp xã") is reported as not understood rather than guessed.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import catalogue
import model
from loaders.text import clean, fold

Result = tuple[model.TargetSpec | None, str | None]

# Comparison signs are dropped by fold(), so they become words first.
_SIGNS: tuple[tuple[str, str], ...] = (
    ("≥", " toi thieu "), ("⩾", " toi thieu "), (">=", " toi thieu "), ("=>", " toi thieu "),
    ("≤", " toi da "), ("⩽", " toi da "), ("<=", " toi da "), ("=<", " toi da "),
    (">", " tren "), ("<", " duoi "),
)
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")

_NUM = r"(\d+(?:\.\d+)?)"
# A number with its unit; "% diem toi da" (share of the maximum score) before "%" and "diem".
_UNIT = r"(%\s*diem\s+toi\s+da|%|diem)"
_NUM_UNIT = re.compile(r"(?<![\d.])" + _NUM + r"\s*" + _UNIT)
# A bare number that is not part of a date, a span or a code.
_BARE_NUM = re.compile(r"(?<![\d./\-])" + _NUM + r"(?![\d/\-]|\.\d)")
_YEAR = re.compile(r"^(19|20|21)\d\d$")

# --- ramp: "Năm 2021: 30%; mỗi năm tăng tối thiểu 20% đến khi đạt 100%" ------------------------
_RAMP_STEP = re.compile(
    r"\b(?:moi nam|hang nam)\s+(?:deu\s+)?tang\s+(?:them\s+)?(?:(?:toi thieu|it nhat|binh quan)\s+)?"
    + _NUM + r"\s*(%|diem)?"
)
_RAMP_YEAR = re.compile(r"\bnam\s+(\d{4})\b")
_RAMP_CAP = re.compile(r"\b(?:cho den khi|den khi|toi khi|cho toi khi|den muc)\s+(?:dat\s+)?(?:ty le\s+)?" + _NUM + r"\s*%?")

# --- change: "Giảm tối thiểu 10% so với năm 2021", "Tăng 5 điểm % so với năm 2021" ----------------
_QUALIFIERS = r"(?:(?:toi thieu|it nhat|toi da|khong qua|binh quan|trung binh|them|khoang|duoc|dat|la|muc|tu|tiep tuc)\s+)*"
_CHANGE = re.compile(
    r"\b(giam|tang)\s+" + _QUALIFIERS + _NUM
    + r"\s*(diem\s*%|diem phan tram|%\s*diem(?!\s+toi\s+da)|%|diem)?"
    + r"(?:\s|$)"
)
_BASELINE = re.compile(
    r"\bso voi\s+(?:(?:cung ky\s+)?nam|giai doan|ky|thoi ky)?\s*(\d{4})(?:\s*-\s*(\d{4}))?"
)
_RELATIVE_UNITS = {"%"}

# --- range: "25% - 35%", "Từ 25% đến 35%", "25–35%" ------------------------------------------------
_RANGE = re.compile(
    r"(?<![\d.])" + _NUM + r"\s*(%|diem)?\s*(?:-|den|toi)\s*" + _NUM + r"\s*(%\s*diem\s+toi\s+da|%|diem)"
)

# --- rank groups and ranks ----------------------------------------------------------------------
_GROUP_WORDS = {"tot": "good", "kha": "fair", "trung binh": "average", "yeu": "weak", "yeu kem": "weak"}
_GROUP_ALT = r"(tot|kha|trung binh|yeu kem|yeu)"
_GROUP_AFTER_WORD = re.compile(r"\b(?:nhom|xep loai|loai|muc xep loai)\s+" + _GROUP_ALT + r"\b")
_GROUP_ALONE = re.compile(
    r"(?:(?:phan dau|duy tri|giu vung|dat|thuoc|o|muc)\s+)*" + _GROUP_ALT
)
_RANK_NUM = re.compile(
    r"\b(?:vi tri|vi thu|thu hang|xep hang|xep thu|hang|top)\s+(?:so\s+|thu\s+)?(\d{1,3})(?![\d.%])"
)
# "xây dựng đầu tư" folds to "xay dung dau tu": not "đứng đầu".
_RANK_FIRST = re.compile(
    r"\b(?:(?<!xay )dung dau|di dau|dan dau|dau bang|(?:vi tri|xep|hang|dung)\s+thu nhat)\b"
)

# --- milestones -----------------------------------------------------------------------------------
_MILESTONE = re.compile(
    r"^(?:(?:den|trong|truoc)\s+)?(?:nam\s+\d{4}\s+)?"
    r"(?:(?:phan dau|da|se|phai|bao dam|dam bao)\s+)*(hoan thanh|hoan tat|xong|co|dat)(?![a-z0-9])"
)

# --- at most / at least -------------------------------------------------------------------------
_AT_LEAST_NEGATED = re.compile(r"\bkhong\s+(?:duoi|thap hon|it hon|nho hon)\b")
_AT_MOST_WORDS = re.compile(
    r"(?<!khong )\b(khong qua|khong vuot qua|khong vuot|toi da|duoi|it hon|nho hon|thap hon)"
    r"(?:\s+(?:la|chi|o muc|muc|bang|dat))*\s+\d"
)
_AT_MOST_AFTER = re.compile(_NUM + r"\s*(?:%|diem)?\s+tro\s+xuong\b")
_STRICT_LOWER = re.compile(r"\b(?:tren|vuot|hon)\s+\d")


def _unit(raw: str | None) -> str:
    """Normalised unit label for spec.extra."""
    if not raw:
        return ""
    raw = re.sub(r"\s+", " ", raw.strip())
    if raw.startswith("%") and "toi da" in raw:
        return "% điểm tối đa"
    if "diem" in raw and ("%" in raw or "phan tram" in raw):
        return "điểm %"
    return "điểm" if raw == "diem" else "%"


def _prepare(text: str) -> str:
    """Folded comparison text with signs spelled out and decimal commas made points."""
    for sign, word in _SIGNS:
        text = text.replace(sign, word)
    return fold(_DECIMAL_COMMA.sub(".", text))


def _values_with_unit(folded: str) -> list[tuple[float, str]]:
    """Every number followed by a unit, in order."""
    return [(float(m.group(1)), _unit(m.group(2))) for m in _NUM_UNIT.finditer(folded)]


def _bare_values(folded: str) -> list[float]:
    """Bare numbers that are not years."""
    return [float(m.group(1)) for m in _BARE_NUM.finditer(folded) if not _YEAR.match(m.group(1))]


def _single_value(folded: str) -> tuple[float, str] | None:
    """The one figure a simple target states, or None when there is none or several."""
    found = _values_with_unit(folded)
    if found:
        distinct = {v for v, _ in found}
        return (found[0][0], found[0][1]) if len(distinct) == 1 else None
    bare = _bare_values(folded)
    return (bare[0], "") if len(set(bare)) == 1 else None


def _ramp(folded: str, year: int, text: str) -> model.TargetSpec | None | bool:
    """A yearly ramp, False when the wording is not a ramp, None when it is one but incomplete."""
    step_m = _RAMP_STEP.search(folded)
    if not step_m:
        return False
    head = folded[: step_m.start()]
    year_m = _RAMP_YEAR.search(head) or _RAMP_YEAR.search(folded)
    firsts = _values_with_unit(head) or [(v, "") for v in _bare_values(head)]
    if not year_m or len({v for v, _ in firsts}) != 1:
        return None
    cap_m = _RAMP_CAP.search(folded, step_m.end())
    cap = float(cap_m.group(1)) if cap_m else 100.0
    unit = firsts[0][1] or _unit(step_m.group(2)) or "%"
    return model.TargetSpec(
        kind="ramp", year=year, value=firsts[0][0], baseline_year=int(year_m.group(1)),
        step=float(step_m.group(1)), cap=cap, text=text,
        extra={"unit": unit, "cap_stated": cap_m is not None},
    )


def _change(folded: str, year: int, text: str) -> model.TargetSpec | None | bool:
    """A change against a baseline, False when not worded as one, None when ambiguous."""
    matches = list(_CHANGE.finditer(folded))
    if not matches:
        return False
    base = list(_BASELINE.finditer(folded))
    if len(matches) != 1 or len(base) != 1:
        return None
    m, b = matches[0], base[0]
    if m.group(3):
        unit = _unit(m.group(3))
    else:  # "giảm 619 người": an absolute change in the indicator's own unit
        word = re.match(r"\s*([a-z]+)", folded[m.end(2):])
        unit = word.group(1) if word and word.group(1) != "so" else ""
    sign = -1.0 if m.group(1) == "giam" else 1.0
    extra: dict = {"unit": unit}
    if re.search(r"\b(?:binh quan|trung binh)\b", folded):
        extra["average"] = True
    if re.search(r"\b(?:toi thieu|it nhat)\b", folded[m.start(): m.end()]):
        extra["at_least"] = True
    span_end = b.group(2)
    if span_end:
        extra["baseline_span"] = (int(b.group(1)), int(span_end))
    return model.TargetSpec(
        kind="change", year=year, value=sign * float(m.group(2)),
        baseline_year=int(span_end or b.group(1)), relative=unit in _RELATIVE_UNITS,
        text=text, extra=extra,
    )


def _range(folded: str, year: int, text: str) -> model.TargetSpec | None | bool:
    """A closed range, False when not worded as one, None when inverted."""
    m = _RANGE.search(folded)
    if not m:
        return False
    low, high = float(m.group(1)), float(m.group(3))
    if low >= high:
        return None
    return model.TargetSpec(kind="range", year=year, value=low, value_high=high, text=text,
                            extra={"unit": _unit(m.group(4))})


def _rank_group(folded: str, year: int, text: str) -> model.TargetSpec | None:
    """A rank group ("thuộc nhóm khá"), or None."""
    m = _GROUP_AFTER_WORD.search(folded)
    if not m:
        m = _GROUP_ALONE.fullmatch(folded)
    if not m:
        return None
    return model.TargetSpec(kind="rank_group", year=year, group=_GROUP_WORDS[m.group(1)], text=text)


def _rank(folded: str, year: int, text: str) -> model.TargetSpec | None | bool:
    """A rank position, False when not worded as one, None when it also states other figures."""
    if re.search(r"\btop\s+\d+(?:\.\d+)?\s*%", folded):
        return None  # "top 10%": a share, not a rank position
    m = _RANK_NUM.search(folded)
    first = _RANK_FIRST.search(folded)
    if not m and not first:
        return False
    if _values_with_unit(folded):
        return None  # "đạt 94 điểm, đứng đầu": two targets in one cell
    value = float(m.group(1)) if m else 1.0
    if value < 1:
        return None
    return model.TargetSpec(kind="rank", year=year, value=value, text=text)


def _milestone(folded: str, year: int, text: str) -> model.TargetSpec | None:
    """A done / not done milestone ("Hoàn thành ...", "Có", "Đạt"), or None."""
    m = _MILESTONE.match(folded)
    if not m or _values_with_unit(folded):
        return None
    if m.group(1) in ("co", "dat") and _bare_values(folded):
        return None  # "Có 5 sáng kiến", "Đạt 80": a quantity, not a milestone
    return model.TargetSpec(kind="milestone", year=year, text=text)


def _bound(folded: str, year: int, text: str) -> model.TargetSpec | None:
    """An at_least / at_most bound on a single figure, or None."""
    single = _single_value(folded)
    if single is None:
        return None
    value, unit = single
    extra: dict = {"unit": unit} if unit else {}
    at_most = not _AT_LEAST_NEGATED.search(folded) and (
        _AT_MOST_WORDS.search(folded) or _AT_MOST_AFTER.search(folded)
    )
    if at_most:
        if re.search(r"\b(?:duoi|it hon|nho hon|thap hon)\s", folded):
            extra["strict"] = True
        return model.TargetSpec(kind="at_most", year=year, value=value, text=text, extra=extra)
    if _STRICT_LOWER.search(folded):
        extra["strict"] = True
    return model.TargetSpec(kind="at_least", year=year, value=value, text=text, extra=extra)


def _is_blank(value: object) -> bool:
    """None, NaN or whitespace only."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return clean(value) == ""


def _display(value: object) -> str:
    """Cell value as display text; whole floats lose their '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


def parse_target(value: object, year: int) -> Result:
    """Parse one catalogue cell: (spec, None), (None, Vietnamese error) or (None, None) when blank."""
    if _is_blank(value):
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _parse_number(float(value), int(year), _display(value))
    return _parse_text(_display(value), int(year))


@lru_cache(maxsize=4096)
def _parse_number(number: float, year: int, text: str) -> Result:
    """A numeric cell: a bare number is an at_least target."""
    return model.TargetSpec(kind="at_least", year=year, value=number, text=text), None


_MINUS = re.compile(r"[-\u2212\u2013](?=\s?\d)")


def negative_figure(text: str) -> float | None:
    """The first figure written with a minus sign ("Tối thiểu -50%"), or None. A dash between two figures
    ("25% - 35%", "2021-2025") is a range, not a sign; fold() would drop the sign and read 50."""
    for m in _MINUS.finditer(text):
        before = text[: m.start()].rstrip()
        if before and (before[-1].isdigit() or before[-1] == "%" or fold(before).endswith(("diem", "den", "tu"))):
            continue
        figure = re.match(r"\s?(\d+(?:[.,]\d+)?)", text[m.end():])
        if figure:
            return -float(figure.group(1).replace(",", "."))
    return None


@lru_cache(maxsize=4096)
def _parse_text(text: str, year: int) -> Result:
    """Parse cleaned cell text (cached; callers must not mutate spec.extra)."""
    folded = _prepare(text)
    error = catalogue.message("target_unparsed", text=text)
    if not folded or not re.search(r"[0-9a-z]", folded):
        return None, error
    if (neg := negative_figure(text)) is not None:
        return None, catalogue.message("rule_target_negative", text=text, value=f"{neg:g}".replace(".", ","))
    # Order matters: a ramp also contains "tăng", a change also contains years and a dash span.
    for attempt in (_ramp, _change, _range):
        spec = attempt(folded, year, text)
        if spec is None:
            return None, error
        if spec is not False:
            return spec, None
    spec = _rank_group(folded, year, text)
    if spec:
        return spec, None
    ranked = _rank(folded, year, text)
    if ranked is None:
        return None, error
    if ranked is not False:
        return ranked, None
    spec = _milestone(folded, year, text) or _bound(folded, year, text)
    return (spec, None) if spec else (None, error)


def cache_clear() -> None:
    """Empty the parse caches (for tests)."""
    _parse_text.cache_clear()
    _parse_number.cache_clear()
