"""Display helpers shared by the views: status and level labels, status symbols and colours, an indicator value
in its unit, signed numbers and rank arrows, in Vietnamese.
"""
from __future__ import annotations

from analytics.frames import EPS, blank
from catalogue import LEVELS, PROGRESS_STATUSES, TASK_STATUSES, UI
from formats import MISSING, fmt_int, fmt_number, fmt_percent


def status_label(code: str, table: dict = TASK_STATUSES) -> str:
    """Vietnamese label of a status code."""
    e = table.get(code)
    return e.label if e else str(code)


def level_label(code: str) -> str:
    """Vietnamese label of a level code ("all" → "Chung")."""
    return LEVELS[code].label if code in LEVELS else "Chung"


def rank_arrow(change: object) -> str:
    """▲ 3 (moved up), ▼ 2 (down), = (same); – without a previous rank."""
    if blank(change):
        return "–"
    c = int(change)  # type: ignore[call-overload]
    return f"▲ {c}" if c > 0 else f"▼ {-c}" if c < 0 else "="


def signed(x: object, decimals: int = 1) -> str:
    """A signed Vietnamese number: +1,2 / −0,8 / 0,0; – when missing."""
    if blank(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    text = fmt_number(abs(v), decimals)
    if text.strip("0,.") == "":
        return text
    return ("+" if v > 0 else "−") + text


def status_text(code: object, table: dict = PROGRESS_STATUSES) -> str:
    """"✔ Đã đạt": a status code as symbol and label (readable without colour); "" when missing."""
    e = table.get(code) if isinstance(code, str) else None
    return f"{e.symbol} {e.label}".strip() if e else ""


def status_colours(table: dict = PROGRESS_STATUSES) -> dict[str, str]:
    """status_text → catalogue colour, for painting table cells."""
    return {status_text(c, table): e.colour for c, e in table.items()}


def fmt_value(v: object, unit: object) -> str:
    """An indicator value in its unit, Vietnamese style: "54,9 %", "86,40 điểm", "hạng 3", "Đã hoàn thành" (a
    milestone), "85,0 % điểm tối đa"; "–" when missing."""
    if blank(v):
        return MISSING
    u = unit.strip() if isinstance(unit, str) else ""
    x = float(v)  # type: ignore[arg-type]
    if u == "mốc":
        return UI["milestone_done"] if x >= 1.0 - EPS else UI["milestone_not_done"]
    if u == "hạng":
        return f"hạng {fmt_int(x)}"
    if u.startswith("%"):
        return (fmt_percent(x, 1) + " " + u[1:].strip()).strip()
    if u == "điểm":
        return f"{fmt_number(x, 2)} điểm"
    return (fmt_number(x, 1) + " " + u).strip()
