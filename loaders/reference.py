"""Reference data (units, their parents over time, agencies and aliases) read from data/reference/*.csv."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

import settings
from loaders.text import fold


@dataclass(frozen=True)
class Reference:
    """The reference tables as DataFrames, with the look-ups loaders need."""

    units: pd.DataFrame  # code, name, short_name, level, type, valid_from, valid_to, lat, lon
    parents: pd.DataFrame  # code, parent_code, valid_from, valid_to
    agencies: pd.DataFrame  # code, name, short_name, kind, unit_code, rank_group
    aliases: pd.DataFrame  # alias, agency_code, scope_unit_code

    def unit(self, code: str) -> pd.Series | None:
        """The unit row for a code, or None."""
        hit = self.units[self.units["code"] == code]
        return None if hit.empty else hit.iloc[0]

    def valid_units(self, on: date, level: str | None = None) -> pd.DataFrame:
        """Units that exist on `on`, optionally of one level."""
        u = self.units
        ok = (u["valid_from"].isna() | (u["valid_from"] <= on)) & (u["valid_to"].isna() | (u["valid_to"] >= on))
        if level:
            ok &= u["level"] == level
        return u[ok]

    def parent_of(self, code: str, on: date) -> str | None:
        """The parent unit of `code` on a date."""
        p = self.parents
        hit = p[(p["code"] == code) & (p["valid_from"].isna() | (p["valid_from"] <= on))
                & (p["valid_to"].isna() | (p["valid_to"] >= on))]
        return None if hit.empty else str(hit.iloc[0]["parent_code"])

    def parents_on(self, on: date) -> pd.DataFrame:
        """code → parent_code valid on a date."""
        p = self.parents
        ok = (p["valid_from"].isna() | (p["valid_from"] <= on)) & (p["valid_to"].isna() | (p["valid_to"] >= on))
        return p.loc[ok, ["code", "parent_code"]]

    def ancestors(self, code: str, on: date) -> list[str]:
        """`code` and every unit above it on a date, nearest first."""
        chain = [code]
        seen = {code}
        while (parent := self.parent_of(chain[-1], on)) and parent not in seen:
            chain.append(parent)
            seen.add(parent)
        return chain

    def children(self, code: str, on: date) -> list[str]:
        """Units directly below `code` on a date that themselves exist on that date."""
        p = self.parents_on(on)
        kids = set(p.loc[p["parent_code"] == code, "code"])
        valid = set(self.valid_units(on)["code"])
        return sorted(kids & valid)

    def descendants(self, code: str, on: date) -> list[str]:
        """Every unit below `code` on a date."""
        out: list[str] = []
        frontier = [code]
        while frontier:
            nxt = []
            for c in frontier:
                nxt.extend(self.children(c, on))
            out.extend(nxt)
            frontier = nxt
        return out

    def find_unit(self, text: str, on: date | None = None) -> str | None:
        """The code of a unit named or coded in `text` ("356", "Huyện Nghĩa Hưng", "Nghĩa Hưng")."""
        t = str(text).strip()
        if t in set(self.units["code"]):
            return t
        f = fold(t)
        units = self.units if on is None else self.valid_units(on)
        for col in ("name", "short_name"):
            hit = units[units[col].map(fold) == f]
            if len(hit) == 1:
                return str(hit.iloc[0]["code"])
            if len(hit) > 1:  # "Nam Định" is both the province and the city: prefer the higher level
                order = {"province": 0, "district": 1, "commune": 2}
                return str(hit.sort_values("level", key=lambda s: s.map(order)).iloc[0]["code"])
        return None


def _dates(df: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
    for c in cols:
        df[c] = df[c].map(lambda v: date.fromisoformat(v) if isinstance(v, str) and v else None)
    return df


def read_reference(folder: Path | None = None) -> Reference:
    """Read the reference CSVs (codes kept as strings)."""
    folder = folder or settings.REFERENCE_DIR
    read = lambda name: pd.read_csv(folder / name, dtype=str, keep_default_na=False)  # noqa: E731
    units = _dates(read("units.csv"), ("valid_from", "valid_to"))
    units["lat"] = pd.to_numeric(units["lat"], errors="coerce")
    units["lon"] = pd.to_numeric(units["lon"], errors="coerce")
    parents = _dates(read("unit_parents.csv"), ("valid_from", "valid_to"))
    agencies = read("agencies.csv")
    aliases = read("aliases.csv")  # empty strings mean "none" (pandas would turn None into NaN)
    return Reference(units, parents, agencies, aliases)


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The project's reference data, read once per process."""
    return read_reference()
