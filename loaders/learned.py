"""What uploaders taught the readers, as plain data the loaders consult: agency and unit spellings, status words
and layout mappings (a header's text → the field it holds). Stored in `learned_aliases` (store/aliases.py), read
once per upload into a `Learned` and passed to the parse with the Options; nothing here touches a database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from loaders.agencies import agency_key
from loaders.text import clean, fold

KINDS = ("agency", "unit", "status", "column")


def key_of(kind: str, text: object) -> str:
    """The comparison form of a taught spelling: agencies by their agency key, the rest folded (no diacritics,
    lower case, single spaces)."""
    if kind == "agency":
        return agency_key(str(text))
    f = re.sub(r"\s+", " ", fold(text)).strip(" .:*")
    return f


@dataclass(frozen=True)
class Learned:
    """The taught spellings in force. Hashable and picklable: it travels to the parse child with the Options."""

    agencies: tuple[tuple[str, str, str | None], ...] = ()  # (text, agency code, scope unit code or None)
    units: tuple[tuple[str, str], ...] = ()  # (text, unit code)
    statuses: tuple[tuple[str, str], ...] = ()  # (text, REPORT_STATUSES code)
    columns: tuple[tuple[str, str, str], ...] = ()  # (sheet kind, header text, field)

    def __bool__(self) -> bool:
        return bool(self.agencies or self.units or self.statuses or self.columns)

    def status(self, value: object) -> str | None:
        """The status code a taught word means, or None."""
        k = key_of("status", value)
        return next((code for text, code in self.statuses if key_of("status", text) == k), None) if k else None

    def column_fields(self, kind: str) -> dict[str, str]:
        """Folded header → field of the layout mappings of one sheet kind."""
        return {key_of("column", text): f for k, text, f in self.columns if k == kind}


NONE = Learned()


def learned_of(options: object) -> Learned:
    """The Learned carried by parse Options (none when absent)."""
    return getattr(options, "learned", None) or NONE


def with_learned(ref, learned: Learned | None):  # noqa: ANN001, ANN201 - loaders.reference.Reference both ways
    """The reference with the taught agency and unit spellings added (the same object when there are none)."""
    if learned is None or not learned.agencies and not learned.units:
        return ref
    return _extended(ref, learned.agencies, learned.units)


@lru_cache(maxsize=4)
def _extended(ref, agencies: tuple, units: tuple):  # noqa: ANN001, ANN202
    aliases = ref.aliases
    if agencies:
        extra = pd.DataFrame([{"alias": t, "agency_code": c, "scope_unit_code": s or ""} for t, c, s in agencies])
        aliases = pd.concat([aliases, extra], ignore_index=True) if len(aliases) else extra
    new = replace(ref, aliases=aliases)
    if units:
        by_name = {k: list(v) for k, v in ref._by_name.items()}  # noqa: SLF001 - the name index, extended
        for text, code in units:
            hits = by_name.setdefault(fold(text), [])
            if code not in hits:
                hits.append(code)
        new.__dict__["_by_name"] = by_name  # the cached_property's slot: the taught names join the index
    return new


def apply_columns(table, learned: Learned, texts: dict[int, str] | None = None):  # noqa: ANN001, ANN201
    """A detected table (loaders.headers.Table) with the layout mappings of its kind applied: a column whose
    header was taught holds that field, whatever the detection guessed."""
    kind = "indicator_values" if table.kind == "indicator_values_wide" else table.kind
    fields = learned.column_fields(kind)
    if not fields:
        return table
    for c, text in (texts or table.headers).items():
        field = fields.get(key_of("column", text))
        if field is None:
            continue
        old = table.columns.get(field)
        for f, col in list(table.columns.items()):
            if col == c and f != field:
                del table.columns[f]
        table.columns[field] = c
        table.extra.pop(c, None)
        if old is not None and old != c:
            table.extra[old] = table.headers.get(old, "")
    return table


def shown(text: object) -> str:
    """A spelling as shown back to the user."""
    return clean(text)
