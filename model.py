"""Plain value types shared by loaders, store and analytics. No I/O, no third-party imports."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Problem:
    """One error or warning, located as precisely as the input allows (Excel row numbers are 1-based)."""

    sheet: str
    row: int | None
    column: str | None
    message: str  # Vietnamese, from catalogue.MESSAGES
    severity: str = "error"  # "error" | "warning"

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline. `text` is the raw cell text, always kept; dates lie within or near the plan period."""

    text: str
    kind: str  # catalogue.DEADLINE_KINDS: once | recurring | continuous | unspecified
    due_dates: tuple[date, ...] = ()
    error: str | None = None  # Vietnamese message when the text could not be understood
    outside_period: bool = False  # some due date falls outside the plan period


@dataclass(frozen=True)
class TargetSpec:
    """One target of one indicator for one horizon year, as worded in a plan.

    kind (catalogue.TARGET_KINDS) decides which fields matter:
      at_least / at_most: value
      range: value (low) and value_high
      change: value is the signed change (-10 = "giảm 10%"), relative=True for percent of the
              baseline value, False for percentage points; baseline_year is the comparison year
      ramp: value is the level required in baseline_year (first year), step the yearly increase,
            cap the ceiling (usually 100); the required level in year y is min(cap, value + step*(y-baseline_year))
      rank: value is the rank position to reach or keep (1 = first)
      rank_group: group is a catalogue.RANK_GROUPS code ("fair" = "khá")
      milestone: nothing; done (1) or not done (0) by `year`
    """

    kind: str
    year: int
    value: float | None = None
    value_high: float | None = None
    baseline_year: int | None = None
    step: float | None = None
    cap: float | None = None
    group: str | None = None
    relative: bool = True
    text: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)
