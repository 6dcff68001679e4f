"""A report quarter as a value: Quarter(2024, 3) is the third quarter of 2024, "2024-Q3", "Quý III/2024".

Every piece of quarter arithmetic (the quarter of a date, its first and last day, the next and the previous one,
n quarters later) is done here, once. No I/O, no third-party imports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
_KEY = re.compile(r"^\s*(\d{4})-[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter of one year. Ordered in time; `q + n` and `q - n` move by n quarters, `b - a` counts them."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        y, q = self.year, self.quarter
        if type(y) is int and type(q) is int:  # the common case, kept cheap (task statuses build many)
            if q not in ROMAN_QUARTERS:
                raise ValueError(f"quarter must be 1–4, got {q!r}")
            return
        if isinstance(q, bool) or int(q) != q or q not in ROMAN_QUARTERS:
            raise ValueError(f"quarter must be 1–4, got {q!r}")
        if isinstance(y, bool) or int(y) != y:
            raise ValueError(f"year must be a whole number, got {y!r}")
        object.__setattr__(self, "year", int(y))
        object.__setattr__(self, "quarter", int(q))

    @staticmethod
    def index_of(year: int, quarter: int) -> int:
        """Quarter(year, quarter).index without building the value (for loops over many rows)."""
        if quarter not in ROMAN_QUARTERS or isinstance(quarter, bool):
            raise ValueError(f"quarter must be 1–4, got {quarter!r}")
        return int(year) * 4 + int(quarter) - 1

    # --- construction ---------------------------------------------------------------------------
    @classmethod
    def from_key(cls, key: str) -> Quarter:
        """The quarter of a key such as "2024-Q3"; raises ValueError on anything else."""
        match = _KEY.match(key) if isinstance(key, str) else None
        if not match:
            raise ValueError(f"not a quarter key (expected e.g. 2024-Q3): {key!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def parse(cls, key: object) -> Quarter | None:
        """Like from_key, but None for anything that is not a quarter key (a URL parameter, say)."""
        try:
            return cls.from_key(key)  # type: ignore[arg-type]
        except ValueError:
            return None

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter a date falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        """The quarter of a running index (year·4 + quarter − 1), the inverse of `index`."""
        return cls(int(index) // 4, int(index) % 4 + 1)

    # --- what it is -----------------------------------------------------------------------------
    @property
    def index(self) -> int:
        """A running number: consecutive quarters differ by 1 (year·4 + quarter − 1)."""
        return self.year * 4 + self.quarter - 1

    @property
    def start(self) -> date:
        """The first day of the quarter."""
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.next().start - timedelta(days=1)

    @property
    def key(self) -> str:
        """The URL and storage key: "2024-Q3"."""
        return f"{self.year:04d}-Q{self.quarter}"

    @property
    def roman(self) -> str:
        """The quarter's number as people write it: "III"."""
        return ROMAN_QUARTERS[self.quarter]

    @property
    def label(self) -> str:
        """The quarter in Vietnamese words: "Quý III/2024"."""
        return f"Quý {self.roman}/{self.year}"

    def astuple(self) -> tuple[int, int]:
        """(year, quarter), for code that keeps quarters as pairs."""
        return self.year, self.quarter

    def __iter__(self):  # noqa: ANN204 - `year, quarter = q` unpacks like the pairs it replaces
        return iter(self.astuple())

    def __str__(self) -> str:
        return self.key

    # --- moving in time -------------------------------------------------------------------------
    def next(self) -> Quarter:
        """The quarter after."""
        return self + 1

    def previous(self) -> Quarter:
        """The quarter before."""
        return self - 1

    def __add__(self, n: int) -> Quarter:
        if isinstance(n, bool) or not isinstance(n, int):
            return NotImplemented
        return Quarter.from_index(self.index + n)

    __radd__ = __add__

    def __sub__(self, other: int | Quarter) -> Quarter | int:
        """q - n: n quarters earlier; b - a: how many quarters from a to b."""
        if isinstance(other, Quarter):
            return self.index - other.index
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return Quarter.from_index(self.index - other)

    def through(self, last: Quarter) -> list[Quarter]:
        """Every quarter from this one to `last`, both included, oldest first ([] when last is earlier)."""
        return [Quarter.from_index(i) for i in range(self.index, last.index + 1)]
