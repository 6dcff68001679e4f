"""The frames every view reads, as loaded from the store (`Frames`), and the date-aware look-ups over their
reference tables (`lineage`). Pure pandas: the caller passes the frames from store.queries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from loaders.reference import Reference

MAP_2025 = date(2025, 7, 1)  # the district level abolished, the new provinces (Resolution 202/2025/QH15)


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass(frozen=True)
class Frames:
    """Everything the views read, as loaded from the store (one object, cached per data version)."""

    units: pd.DataFrame
    parents: pd.DataFrame
    agencies: pd.DataFrame
    outputs: pd.DataFrame
    assignments: pd.DataFrame
    reports: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    values: pd.DataFrame
    par: pd.DataFrame
    unit_successors: pd.DataFrame = field(default_factory=_empty)  # code, successor_code, valid_from, share
    agency_successors: pd.DataFrame = field(default_factory=_empty)  # code, successor_code, valid_from, share, note
    meta: dict = field(default_factory=dict)  # reference_meta: province (served, 2025 key), history_province

    def __getstate__(self) -> dict:
        """Pickled (the prepared view data on disk) without the lineage cache, which is rebuilt on use."""
        return {k: v for k, v in self.__dict__.items() if k != "_lineage"}


def lineage(f: Frames):  # noqa: ANN201 - loaders.reference.Reference
    """The date-aware look-ups (successors, territory, agencies' successors) over the frames' reference tables,
    built once per Frames object and kept on it (so it goes with the frames: no module-level cache holds a data
    version's tables after the views dropped them; tests/test_memory.py)."""
    hit = f.__dict__.get("_lineage")
    if hit is not None:
        return hit
    meta = {"province_key": f.meta.get("province"), "history_province": f.meta.get("history_province")}
    if not meta["province_key"]:
        meta = _meta_from_units(f.units)
    ref = Reference(f.units, f.parents, f.agencies, pd.DataFrame(columns=["alias", "agency_code", "scope_unit_code"]),
                    f.unit_successors, f.agency_successors, {k: v for k, v in meta.items() if v})
    object.__setattr__(f, "_lineage", ref)  # a cache on the frozen dataclass, not one of its fields
    return ref


def _meta_from_units(units: pd.DataFrame) -> dict:
    """Without reference_meta (frames built by hand): the province still in force, and the one with most units."""
    prov = units[units["level"] == "province"]
    if prov.empty:
        return {}
    open_ = prov[prov["valid_to"].isna()] if "valid_to" in prov else prov
    served = str((open_ if not open_.empty else prov)["code"].iloc[-1])
    sizes = units["province_code"].value_counts() if "province_code" in units else pd.Series(dtype=int)
    old = [str(c) for c in sizes.index if str(c) != served and str(c) in set(prov["code"])]
    return {"province_key": served, "history_province": old[0] if old else served}


EPS = 1e-6  # the tolerance of every comparison of shares, rates and scores


def blank(v: object) -> bool:
    """None, NaN or pd.NA: a cell without a figure."""
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA
