"""Parse the free-text deadline column ("Thời gian thực hiện") of plan appendices into due dates.

A deadline is due at the END of the period it names: "Quý I năm 2023" → 31/03/2023,
"Năm 2023" → 31/12/2023, "Trước 19/01/2023" → 19/01/2023. Recurring wordings ("Hàng năm",
"Quý I hàng năm", "Hàng quý") are expanded over every year of the plan period.
Text is matched in its folded form (loaders.text.fold), so case, diacritics, "Hàng"/"Hằng",
dashes and spacing do not matter; the cleaned raw wording is always kept in Deadline.text.
"""
from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

import catalogue
import model
from loaders.text import clean, fold, roman_to_int
from quarter import Quarter

Period = tuple[int, int]
Result = tuple[str, tuple[date, ...]]  # (kind, due dates)
Points = Callable[[int], list[date]]  # the due dates a wording names within one year

MIN_YEAR, MAX_YEAR = 2000, 2100


class _Unparsed(ValueError):
    """A pattern matched but its values are impossible (Quý 5, 32/13/2023, year 1999)."""


# --- Public helpers ------------------------------------------------------------------------


def month_end(year: int, m: int) -> date:
    """Last day of month m (1–12) of year."""
    return date(year, m, calendar.monthrange(year, m)[1])


def quarter_end(year: int, q: int) -> date:
    """Last day of quarter q (1–4) of year."""
    return Quarter(year, q).end


def parse_deadline(value: object, period: tuple[int, int] | None) -> model.Deadline:
    """Parse one deadline cell (str, None, date/datetime or a year number) for a plan period."""
    period = _check_period(period)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        return _deadline(text, "once", (value,), period)
    if isinstance(value, float) and not isinstance(value, bool):
        if math.isnan(value):  # an empty cell read by pandas
            value = None
        elif value.is_integer():  # Excel stores 2023 as 2023.0
            value = int(value)
    return _parse_text("" if value is None else str(value), period)


# --- Internals -----------------------------------------------------------------------------


def _check_period(period: tuple[int, int] | None) -> Period | None:
    if period is None:
        return None
    first, last = int(period[0]), int(period[1])
    if first > last:
        raise ValueError(f"plan period starts after it ends: {period}")
    return first, last


def _deadline(text: str, kind: str, dates: tuple[date, ...], period: Period | None) -> model.Deadline:
    dates = tuple(sorted(set(dates)))
    outside = period is not None and any(
        d < date(period[0], 1, 1) or d > date(period[1], 12, 31) for d in dates
    )
    return model.Deadline(text=text, kind=kind, due_dates=dates, outside_period=outside)


@lru_cache(maxsize=4096)
def _parse_text(raw: str, period: Period | None) -> model.Deadline:
    text = clean(raw)
    try:
        s = _normalise(text)
        before = _BEFORE.match(s)
        if before is None:
            kind, dates = _interpret(s, period)
        else:  # "Trước tháng 10/2024": done by the end of September
            kind, dates = _interpret(s[before.end():], period)
            dates = tuple(_end_before(d, before.group(1)) for d in dates)
    except _Unparsed:
        return model.Deadline(
            text=text, kind="unspecified", error=catalogue.message("deadline_unparsed", text=text)
        )
    return _deadline(text, kind, dates, period)


# Filler words in front of the period itself: "Trước ngày 30/6/2023", "Trong quý III/2024",
# "Hoàn thành năm 2023", "Đến năm 2025", "Định kỳ hàng quý", "Thực hiện theo kế hoạch".
_LEAD = re.compile(
    r"^(?:trong|hoan thanh|tu nay|den het|den|truoc|ngay|han chot|thoi han|han|cham nhat|vao|"
    r"cuoi|xong|dinh ky|thuc hien)\s+"
)


# "Trước tháng 10/2024", "Hoàn thành trước quý III/2025", "trước năm 2025": before that period begins, so due at
# the end of the one before it (a day, "Trước ngày 30/6", is the last day itself and takes no such shift)
_BEFORE = re.compile(r"^truoc\s+(?=(thang|quy|qui|nam)\s)")


def _end_before(d: date, unit: str) -> date:
    """The last day of the month, quarter or year before the one that `d` ends."""
    if unit == "thang":
        return d.replace(day=1) - timedelta(days=1)
    if unit == "nam":
        return date(d.year - 1, 12, 31)
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1) - timedelta(days=1)  # quý


def _normalise(text: str) -> str:
    """Folded text with one spelling for dates, dashes and slashes, filler words dropped."""
    s = fold(text)
    s = re.sub(r"(?<!\d)(\d{1,2})[.-](\d{1,2})[.-](\d{4})(?!\d)", r"\1/\2/\3", s)  # 15-12-2023
    s = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", s)  # dots that do not sit between digits
    s = re.sub(r"\s*-\s*", " - ", s)
    s = re.sub(r"\s*/\s*", "/", s)
    s = re.sub(r"\s+", " ", s).strip(" -/")
    s = _strip_lead(s)
    # "Hằng năm (trước ngày 15/12)", "Hằng năm, chậm nhất ngày 30/11": the day, every year
    m = re.fullmatch(rf"{_YEARLY}\s+(?:truoc|cham nhat|vao|han)\s+(?:ngay\s+)?(\d{{1,2}}/\d{{1,2}}|thang\s+\d{{1,2}})", s)
    if m:
        s = m.group(1) + " hang nam"
    return s


def _strip_lead(s: str) -> str:
    while (m := _LEAD.match(s)) is not None:
        if _BEFORE.match(s):  # "trước tháng …" keeps its "trước" (_parse_text shifts the date)
            return s
        s = s[m.end():]
    return s


def _year(token: str) -> int:
    y = int(token)
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise _Unparsed(token)
    return y


def _number(token: str, low: int, high: int) -> int:
    """A quarter or month written in digits or Roman numerals, checked against [low, high]."""
    n = int(token) if token.isdigit() else roman_to_int(token)
    if n is None or not low <= n <= high:
        raise _Unparsed(token)
    return n


def _each_year(points: Points, period: Period | None) -> Result:
    if period is None:
        return "recurring", ()
    return "recurring", tuple(d for y in range(period[0], period[1] + 1) for d in points(y))


def _points_result(points: Points, year: str | None, period: Period | None) -> Result:
    """Dates of one named year ("Quý I năm 2023") or of every year of the period ("Quý I")."""
    if year is None:
        return _each_year(points, period)
    dates = tuple(sorted(set(points(_year(year)))))
    return ("once" if len(dates) == 1 else "recurring"), dates


def _check_day(d: int, m: int) -> None:
    try:
        date(2000, m, d)  # a leap year, so 29/02 is accepted
    except ValueError as exc:
        raise _Unparsed(f"{d}/{m}") from exc


def _day_in(year: int, d: int, m: int) -> date:
    return date(year, m, min(d, calendar.monthrange(year, m)[1]))  # 29/02 in a common year → 28/02


# --- Rule handlers -------------------------------------------------------------------------


def _quarters(g: dict[str, str | None], period: Period | None) -> Result:
    qs = [_number(t, 1, 4) for t in re.findall(r"[ivx]+|\d+", g["q"] or "")]
    return _points_result(lambda y: [quarter_end(y, q) for q in qs], g["y"], period)


def _months(g: dict[str, str | None], period: Period | None) -> Result:
    ms = [_number(t, 1, 12) for t in re.findall(r"\d+", g["m"] or "")]
    return _points_result(lambda y: [month_end(y, m) for m in ms], g["y"], period)


def _day(g: dict[str, str | None], period: Period | None) -> Result:
    d, m = int(g["d"] or 0), int(g["m"] or 0)
    _check_day(d, m)
    if g["y"] is not None:
        try:
            return "once", (date(_year(g["y"]), m, d),)
        except ValueError as exc:  # 29/02 in a common year
            raise _Unparsed(g["y"]) from exc
    return _each_year(lambda y: [_day_in(y, d, m)], period)


def _first_months(g: dict[str, str | None], period: Period | None) -> Result:
    if g["n"] in ("nhung", "cac"):  # "những tháng cuối năm": the year's end; "những tháng đầu năm" says no month
        if g["part"] != "cuoi":
            raise _Unparsed(g["n"])
        return _points_result(lambda y: [month_end(y, 12)], g["y"], period)
    n = 6 if g["n"] == "sau" else _number(g["n"] or "", 1, 12)
    last = 12 if g["part"] == "cuoi" else n
    return _points_result(lambda y: [month_end(y, last)], g["y"], period)


def _half_years(g: dict[str, str | None], period: Period | None) -> Result:
    return _each_year(lambda y: [month_end(y, 6), month_end(y, 12)], period)


def _every_quarter(g: dict[str, str | None], period: Period | None) -> Result:
    return _each_year(lambda y: [quarter_end(y, q) for q in range(1, 5)], period)


def _every_month(g: dict[str, str | None], period: Period | None) -> Result:
    return _each_year(lambda y: [month_end(y, m) for m in range(1, 13)], period)


def _quarter_day(g: dict[str, str | None], period: Period | None) -> Result:
    """"Trước ngày 10 của tháng cuối quý": day d of March, June, September and December of every year."""
    d = int(g["d"] or 0)
    _check_day(d, 3)
    return _each_year(lambda y: [_day_in(y, d, m) for m in (3, 6, 9, 12)], period)


def _month_day(g: dict[str, str | None], period: Period | None) -> Result:
    """"Trước ngày 25 hằng tháng": day d of every month."""
    d = int(g["d"] or 0)
    _check_day(d, 1)
    return _each_year(lambda y: [_day_in(y, d, m) for m in range(1, 13)], period)


def _month_range(g: dict[str, str | None], period: Period | None) -> Result:
    """"Tháng 11-12", "Từ tháng 3 đến tháng 11 năm 2024": the work spans the months, due at the end of the last."""
    m1, m2 = _number(g["m1"] or "", 1, 12), _number(g["m2"] or "", 1, 12)
    if m1 >= m2:
        raise _Unparsed(f"{m1}-{m2}")
    return _points_result(lambda y: [month_end(y, m2)], g["y"], period)


def _quarter_range(g: dict[str, str | None], period: Period | None) -> Result:
    """"Quý III-IV/2024", "Quý II - Quý III": due at the end of the last quarter."""
    q1, q2 = _number(g["q1"] or "", 1, 4), _number(g["q2"] or "", 1, 4)
    if q1 >= q2:
        raise _Unparsed(f"{q1}-{q2}")
    return _points_result(lambda y: [quarter_end(y, q2)], g["y"], period)


def _day_range(g: dict[str, str | None], period: Period | None) -> Result:
    """"Từ ngày 1.8 đến ngày 17.9.2013": due on the last day of the range."""
    return _day({"d": g["d"], "m": g["m"], "y": g["y"]}, period)


def _in_year(g: dict[str, str | None], period: Period | None) -> Result:
    """"Trong năm", "Cả năm": by the end of the plan's year (each year of a longer plan)."""
    if period is not None and period[0] == period[1]:
        return "once", (date(period[0], 12, 31),)
    return _each_year(lambda y: [date(y, 12, 31)], period)


def _every_year(g: dict[str, str | None], period: Period | None) -> Result:
    return _each_year(lambda y: [date(y, 12, 31)], period)


def _one_year(g: dict[str, str | None], period: Period | None) -> Result:
    return "once", (date(_year(g["y"] or ""), 12, 31),)


def _span(g: dict[str, str | None], period: Period | None) -> Result:
    y1, y2 = _year(g["y1"] or ""), _year(g["y2"] or "")
    if y1 > y2:
        raise _Unparsed(f"{y1}-{y2}")
    return "once", (date(y2, 12, 31),)


def _from_year(g: dict[str, str | None], period: Period | None) -> Result:
    y = _year(g["y"] or "")
    if period is None:
        return "recurring", ()
    dates = tuple(date(x, 12, 31) for x in range(max(y, period[0]), period[1] + 1))
    return "recurring", dates or (date(y, 12, 31),)


# --- Rule table: a pattern must match the whole normalised text ----------------------------

_YEARLY = r"(?:hang|moi)\s+nam"
_SEP_YEAR = r"(?:\s*/\s*|\s+-\s+|\s+)(?:nam\s+)?(?P<y>\d{4})"  # "/2023", " - nam 2023", " nam 2023"
_QTOK = r"(?:[ivx]+|\d{1,2})"
_QLIST = rf"{_QTOK}(?:\s+(?:va\s+)?(?:(?:quy|qui)\s+)?{_QTOK})*"  # "ii", "ii va iv", "i ii"
_MLIST = r"\d{1,2}(?:\s+(?:va\s+)?(?:thang\s+)?\d{1,2})*"
_YEAR = r"(?:nam\s+)?(?P<y>\d{4})"

_RULES: list[tuple[re.Pattern[str], Callable[[dict[str, str | None], Period | None], Result]]] = [
    (re.compile(rf"{_YEAR}"), _one_year),  # "Năm 2023", "Trong năm 2023", "2023"
    (re.compile(rf"(?:giai\s+doan\s+|tu\s+)?(?:nam\s+)?(?P<y1>\d{{4}})(?:\s*-\s*|\s+den\s+)"
                rf"(?:nam\s+)?(?P<y2>\d{{4}})"), _span),  # "2021-2025", "Giai đoạn 2021 - 2025"
    (re.compile(rf"(?:tu\s+)?{_YEAR}(?:\s+va)?\s+(?:nhung|cac)\s+nam\s+"
                r"(?:tiep\s+theo|ke\s+tiep|sau\s+do|sau|tiep)"), _from_year),
    (re.compile(rf"(?:tu\s+)?{_YEAR}\s+tro\s+(?:di|ve\s+sau)"), _from_year),  # "Từ năm 2022 trở đi"
    (re.compile(rf"tu\s+{_YEAR}"), _from_year),  # "Từ năm 2022"
    # quarters: "Quý 1-Năm 2023", "Quý II/2023", "Q2/2023", "Quý I hàng năm", "Quý II và IV năm 2023"
    (re.compile(rf"(?:quy|qui|q)\s*(?P<q>{_QLIST})(?:{_SEP_YEAR}|\s+{_YEARLY})?"), _quarters),
    # months: "Tháng 3/2023", "tháng 03 năm 2023", "Tháng 1 hàng năm", "03/2023"
    (re.compile(rf"thang\s+(?P<m>{_MLIST})(?:{_SEP_YEAR}|\s+{_YEARLY})?"), _months),
    (re.compile(r"(?P<m>\d{1,2})/(?P<y>\d{4})"), _months),
    # days: "19/01/2023", "31/3 hàng năm", "30 tháng 6 năm 2023"
    (re.compile(rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}})|\s+{_YEARLY})?"), _day),
    (re.compile(rf"(?P<d>\d{{1,2}})\s+thang\s+(?P<m>\d{{1,2}})(?:\s+nam\s+(?P<y>\d{{4}})|\s+{_YEARLY})?"),
     _day),
    # "6 tháng đầu năm 2023" → 30/06, "6 tháng cuối năm 2023" → 31/12, "những tháng cuối năm 2025" → 31/12
    (re.compile(rf"(?P<n>\d{{1,2}}|sau|nhung|cac)\s+thang\s+(?P<part>dau|cuoi)\s+nam"
                rf"(?:\s+(?P<y>\d{{4}})|\s+{_YEARLY})?"), _first_months),
    # ranges: "Tháng 11-12", "Tháng 10 - 11/2024", "Từ tháng 3 đến tháng 11", "Quý III-IV/2024", "Quý II - Quý III",
    # "Từ ngày 1.8 đến ngày 17.9.2013"
    (re.compile(rf"(?:tu\s+)?thang\s+(?P<m1>\d{{1,2}})\s*(?:-|den)\s*(?:thang\s+)?(?P<m2>\d{{1,2}})"
                rf"(?:{_SEP_YEAR}|\s+{_YEARLY})?"), _month_range),
    (re.compile(rf"(?:tu\s+)?(?:quy|qui)\s+(?P<q1>{_QTOK})\s*(?:-|den)\s*(?:(?:quy|qui)\s+)?(?P<q2>{_QTOK})"
                rf"(?:{_SEP_YEAR}|\s+{_YEARLY})?"), _quarter_range),
    (re.compile(r"(?:tu\s+)?(?:ngay\s+)?\d{1,2}[./]\d{1,2}(?:/\d{4})?\s*(?:-|den)\s*(?:ngay\s+)?"
                r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})(?:/(?P<y>\d{4}))?"), _day_range),
    # "Định kỳ 6 tháng", "6 tháng, hàng năm", "6 tháng một lần", "Định kỳ 6 tháng, năm", "6 tháng đầu năm và cả năm"
    (re.compile(rf"(?:6|06|sau)\s+thang(?:\s+(?:mot|1)\s+lan)?(?:\s+dau\s+nam)?"
                rf"(?:\s+(?:va\s+)?(?:{_YEARLY}|ca\s+nam|nam|cuoi\s+nam))?"), _half_years),
    # "Trước ngày 10 của tháng cuối quý", "trước ngày 15 tháng cuối quý", "ngày 20 của tháng cuối kỳ báo cáo",
    # "Hằng quý (trước ngày 15 tháng cuối quý)"
    (re.compile(r"(?:(?:hang|moi)\s+quy\s+)?(?:(?:truoc|cham\s+nhat|vao)\s+)?(?:la\s+)?(?:ngay\s+)?(?P<d>\d{1,2})\s+(?:cua\s+)?"
                r"thang\s+cuoi(?:\s+cung)?\s+(?:cua\s+)?(?:moi\s+|hang\s+)?(?:quy|ky(?:\s+bao\s+cao)?)"), _quarter_day),
    # "Trước ngày 25 hằng tháng", "trước ngày 15 của tháng" (a monthly report), "ngày 20 của mỗi tháng"
    (re.compile(r"(?P<d>\d{1,2})\s+(?:(?:cua\s+)?(?:hang|moi)\s+thang|cua\s+thang)"), _month_day),
    # "Định kỳ hằng quý, 6 tháng, năm", "Hằng quý, 6 tháng và năm"
    (re.compile(rf"(?:hang|moi)\s+quy(?:\s+(?:va\s+)?(?:6|06|sau)\s+thang)?(?:\s+(?:va\s+)?(?:hang\s+|ca\s+)?nam)?"),
     _every_quarter),
    # "Trong năm", "Cả năm", "Trong năm kế hoạch"
    (re.compile(r"(?:ca\s+)?nam(?:\s+ke\s+hoach)?"), _in_year),
    (re.compile(rf"(?:hang|moi)\s+quy(?:\s+(?:va\s+)?{_YEARLY})?"), _every_quarter),
    (re.compile(rf"(?:hang|moi)\s+thang(?:\s+(?:va\s+)?{_YEARLY})?"), _every_month),
    (re.compile(_YEARLY), _every_year),  # "Hàng năm", "Định kỳ hàng năm"
]

_CONTINUOUS = re.compile(r"(?:thuong xuyen|lien tuc)\b")  # "Thường xuyên, liên tục"
# "Theo kế hoạch", "Khi có yêu cầu", "Đột xuất", "Đầu kỳ, giữa kỳ, cuối kỳ hoặc đột xuất khi cần thiết"
_NO_DATE = re.compile(r"(?:theo|khi|dot xuat|dau ky)\b")
# Several points in one cell: "Quý II và Quý IV năm 2023", "Tháng 6/2023 và tháng 12/2023".
_SPLIT = re.compile(r"\s+va\s+|\s+(?=(?:quy|qui|thang)\s)")
_LAST_YEAR = re.compile(r"(\d{4})$")


def _interpret(s: str, period: Period | None) -> Result:
    """Kind and due dates of a normalised deadline, or _Unparsed."""
    if not s:
        return "unspecified", ()
    if _CONTINUOUS.match(s):
        return "continuous", ()
    if _NO_DATE.match(s):
        return "unspecified", ()
    try:
        return _apply_rules(s, period)
    except _Unparsed:
        parts = [_strip_lead(p) for p in _SPLIT.split(s)]
        if len(parts) < 2:
            raise
        return _several(parts, period)


def _apply_rules(s: str, period: Period | None) -> Result:
    for pattern, handler in _RULES:
        m = pattern.fullmatch(s)
        if m is not None:
            return handler(m.groupdict(), period)
    raise _Unparsed(s)


def _several(parts: list[str], period: Period | None) -> Result:
    """Union of several points; a year or "hàng năm" written once at the end applies to all."""
    last = parts[-1]
    year = _LAST_YEAR.search(last)
    yearly = re.search(rf"\s{_YEARLY}$", last) is not None
    kinds: set[str] = set()
    dates: list[date] = []
    for part in parts:
        if year and not re.search(r"\d{4}", part):
            if re.fullmatch(r".*\d/\d{1,2}", part):  # "30/6" → "30/6/2023"
                part += "/" + year.group(1)
            else:  # "quý II" → "quý II năm 2023"
                part += (" " if part.endswith(" nam") else " nam ") + year.group(1)
        elif yearly and not re.search(rf"{_YEARLY}$", part):
            part += " hang nam"
        kind, found = _apply_rules(part, period)
        if kind not in ("once", "recurring"):
            raise _Unparsed(part)
        kinds.add(kind)
        dates.extend(found)
    if len(kinds) > 1:  # "Quý I năm 2023 và hàng năm": a one-off mixed with a recurring wording
        raise _Unparsed(" va ".join(parts))
    unique = tuple(sorted(set(dates)))
    return ("once" if kinds == {"once"} and len(unique) == 1 else "recurring"), unique
