"""What an upload would change: new / changed / unchanged / unmatched rows of each part, against the current data.

It never matches by itself: the importer's own steps resolve the rows (store.importer.Resolved, handed over during
its dry run, in its transaction, before each part is written), and this module only compares them with the stored
rows of the same keys. A row is unmatched exactly when the import's matching refuses it (an unknown output, agency
or indicator, a key repeated in the file, a future quarter); scope is judged apart (store.authorize). SQLAlchemy
Core only, read-only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Connection, Engine, Float, Integer, or_, select

from loaders.parse import Options, ParseResult
from store.importer import Parsed, Resolved, import_workbook

EXAMPLES = 10  # example rows kept per part and category
PARTS = ("outputs", "progress", "values", "par", "targets")
IN_LIMIT = 1000  # a key column with more distinct values than this is not filtered in SQL (merged in pandas only)

# what the examples of each part show, and the stored value shown beside a changed field
SHOW = {
    "outputs": (("ref", "sheet", "row", "output"),
                {"text": "before", "lead_text": "lead_before", "deadline_text": "deadline_before"}),
    "progress": (("sheet", "row", "ref", "output", "agency", "status"),
                 {"status": "status_before", "percent": "percent_before", "evidence": "evidence_before"}),
    "values": (("sheet", "row", "indicator", "indicator_code", "unit_code", "year", "quarter", "value"),
               {"value": "value_old"}),
    "par": (("year", "subject_kind", "subject_code", "component", "score"), {"score": "score_before"}),
    "targets": (("indicator_code", "level", "scope_unit_code", "year", "text"), {"text": "text_before"}),
}


@dataclass
class Part:
    """Counts and example rows of one part of the workbook."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: int = 0  # rows the importer's matching refuses (unknown output, agency, indicator …)
    examples: dict[str, list[dict]] = field(default_factory=lambda: {"new": [], "changed": [], "unmatched": []})

    def add(self, category: str, example: dict) -> None:
        setattr(self, category, getattr(self, category) + 1)
        if category in self.examples and len(self.examples[category]) < EXAMPLES:
            self.examples[category].append(example)

    def merge(self, other: Part) -> None:
        for k in ("new", "changed", "unchanged", "unmatched"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        for k, rows in other.examples.items():
            self.examples[k] = (self.examples[k] + rows)[:EXAMPLES]

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged + self.unmatched


@dataclass
class Diff:
    """The parts present in the workbook, by name (PARTS)."""

    parts: dict[str, Part] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """{part: {new, changed, unchanged, unmatched}} of the parts present."""
        return {k: {"new": p.new, "changed": p.changed, "unchanged": p.unchanged, "unmatched": p.unmatched}
                for k, p in self.parts.items()}

    @property
    def changes(self) -> int:
        return sum(p.new + p.changed for p in self.parts.values())

    def collect(self, conn: Connection, resolved: Resolved) -> None:
        """store.importer's preview hook: one part as the import resolved it, compared with the stored rows."""
        if resolved.rows.empty and resolved.refused.empty:
            return
        part = compare(conn, resolved)
        if resolved.part in self.parts:  # a catalogue sheet and a document's confirmed targets
            self.parts[resolved.part].merge(part)
        else:
            self.parts[resolved.part] = part


def diff_against_store(engine: Engine, parsed: ParseResult | Parsed) -> Diff:
    """The preview of a parsed file on its own: the importer's dry run (matched in its transaction, rolled back)
    with the diff collected. The upload gets it from its own dry run instead (service.dry_run)."""
    diff = Diff()
    if isinstance(parsed, ParseResult):
        parsed = Parsed(parsed, Options())
    import_workbook(engine, parsed.parse.file_name, dry_run=True, parsed=parsed, preview=diff.collect)
    return diff


def _norm(v: object) -> object:
    """One comparable form: None/NaN/"" alike, numbers to 1e-9, text stripped."""
    # "NaN" text: what a blank pandas string cell becomes when written to a PostgreSQL text column
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v in ("", "NaN", "nan"):
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.number)):
        return None if math.isnan(float(v)) else round(float(v), 9)
    return str(v).strip()


def _numeric(column) -> bool:  # noqa: ANN001 - a SQLAlchemy Column
    return isinstance(column.type, (Integer, Float)) and not isinstance(column.type, Boolean)


def _key_form(values: pd.Series, numeric: bool) -> pd.Series:
    """A key column in a form both sides share, for the merge: numbers as floats, text stripped, a missing value
    (None, NaN, "", "NaN") as one marker of its own."""
    if numeric:
        return pd.to_numeric(values, errors="coerce").astype(float).round(9).fillna(-math.inf)
    words = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return words.where(~words.isin(("", "NaN", "nan")), "\0")


def _same(a: pd.Series, b: pd.Series, numeric: bool) -> pd.Series:
    if numeric:
        x, y = pd.to_numeric(a, errors="coerce").astype(float), pd.to_numeric(b, errors="coerce").astype(float)
        return pd.Series((x.isna() & y.isna()) | ((x - y).abs() <= 1e-9), index=a.index)
    return pd.Series([_norm(u) == _norm(v) for u, v in zip(a, b)], index=a.index, dtype=bool)


def _plain(v: object) -> object:
    return v.item() if isinstance(v, np.generic) else v


def _stored(conn: Connection, res: Resolved) -> pd.DataFrame:
    """The stored rows (current ones where the table keeps versions) that may share a key with the resolved rows."""
    t = res.table
    q = select(*[t.c[k] for k in res.key], *[t.c[f] for f in res.fields])
    if "is_current" in t.c:
        q = q.where(t.c.is_current.is_(True))
    for k in res.key:
        col = res.rows[k]
        values = [_plain(v) for v in col.dropna().unique()]
        if len(values) > IN_LIMIT:
            continue
        cond = t.c[k].in_(values) if values else None
        if col.isna().any():
            cond = t.c[k].is_(None) if cond is None else or_(cond, t.c[k].is_(None))
        q = q.where(cond)
    result = conn.execute(q)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def compare(conn: Connection, res: Resolved) -> Part:
    """Each resolved row new (no stored row of its key), unchanged (every field as stored) or changed; each refused
    row unmatched."""
    show, before = SHOW[res.part]
    part = Part(unmatched=len(res.refused))
    part.examples["unmatched"] = _examples(res.refused, show)
    if res.rows.empty:
        return part
    t = res.table
    numeric = {c: _numeric(t.c[c]) for c in (*res.key, *res.fields)}
    old = _stored(conn, res)
    rows = res.rows.reset_index(drop=True)
    keys = [f"_k{i}" for i in range(len(res.key))]
    left = rows.assign(**{kk: _key_form(rows[k], numeric[k]) for kk, k in zip(keys, res.key)})
    right = pd.DataFrame({kk: _key_form(old[k], numeric[k]) for kk, k in zip(keys, res.key)})
    for f in res.fields:
        right[f"{f}_old"] = old[f].to_numpy()
    right["_stored"] = True
    m = left.merge(right.drop_duplicates(keys), on=keys, how="left")
    stored = m["_stored"].eq(True).to_numpy()
    same = np.ones(len(m), dtype=bool)
    for f in res.fields:
        same &= _same(m[f], m[f"{f}_old"], numeric[f]).to_numpy()
    new, changed = ~stored, stored & ~same
    part.new, part.changed, part.unchanged = int(new.sum()), int(changed.sum()), int((stored & same).sum())
    part.examples["new"] = _examples(m[new], show)
    shown = m[changed].rename(columns={f"{f}_old": name for f, name in before.items()})
    part.examples["changed"] = _examples(shown, (*show, *before.values()))
    return part


def _examples(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict]:
    cols = [c for c in columns if c in frame.columns]
    return [{k: _plain(v) for k, v in r.items()} for r in frame[cols].head(EXAMPLES).to_dict("records")]
