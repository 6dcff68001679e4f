"""What an upload would change: new / changed / unchanged rows of each part, against the current
data, matched exactly the way store.importer matches them. Read-only; SQLAlchemy Core only."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select

from loaders.parse import ParseResult
from loaders.text import fold
from store import schema as s
from store.importer import _agency_lookup, agency_predecessors, match_agency, output_refs, plan_code
from store.queries import current_indicators

EXAMPLES = 10  # example rows kept per part and category
PARTS = ("outputs", "progress", "values", "par", "targets")


@dataclass
class Part:
    """Counts and example rows of one part of the workbook."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: int = 0  # rows the importer will refuse (unknown output, agency, indicator)
    examples: dict[str, list[dict]] = field(default_factory=lambda: {"new": [], "changed": [], "unmatched": []})

    def add(self, category: str, example: dict) -> None:
        setattr(self, category, getattr(self, category) + 1)
        if category in self.examples and len(self.examples[category]) < EXAMPLES:
            self.examples[category].append(example)

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


def _same(a: object, b: object) -> bool:
    """Equal, treating None/NaN/"" alike and numbers to 1e-9."""
    def norm(v: object) -> object:
        # "NaN" text: what a blank pandas string cell becomes when written to a PostgreSQL text column
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v in ("", "NaN", "nan"):
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return round(float(v), 9)
        return str(v).strip()
    return norm(a) == norm(b)


def diff_against_store(engine: Engine, parsed: ParseResult) -> Diff:
    """Counts and examples of new / changed / unchanged rows per part of a parsed workbook."""
    diff = Diff()
    with engine.connect() as conn:
        if parsed.plan_sheets:
            diff.parts["outputs"] = _outputs(conn, parsed)
        frames = parsed.frames
        if "progress" in frames and not frames["progress"].empty:
            diff.parts["progress"] = _progress(conn, frames["progress"])
        if "indicator_values" in frames and not frames["indicator_values"].empty:
            diff.parts["values"] = _values(conn, frames["indicator_values"])
        if "par_scores" in frames and not frames["par_scores"].empty:
            diff.parts["par"] = _par(conn, frames["par_scores"])
        if "indicator_catalogue" in frames and not frames["indicator_catalogue"].empty:
            diff.parts["targets"] = _targets(conn, frames["indicator_catalogue"])
    return diff


def _outputs(conn, parsed: ParseResult) -> Part:  # noqa: ANN001

    part = Part()
    outputs = parsed.outputs
    refs = output_refs(plan_code(parsed.meta), outputs)
    o = s.outputs
    stored = {r.ref: r for r in conn.execute(select(o.c.ref, o.c.text, o.c.lead_text, o.c.deadline_text)
                                                .where(o.c.ref.in_(refs)))} if refs else {}
    for out, ref in zip(outputs, refs):
        ex = {"ref": ref, "sheet": out.sheet, "row": out.row, "output": out.output}
        old = stored.get(ref)
        if old is None:
            part.add("new", ex)
        elif _same(old.text, out.output) and _same(old.lead_text, out.lead_text) and _same(old.deadline_text, out.deadline.text):
            part.add("unchanged", ex)
        else:
            part.add("changed", ex | {"before": old.text, "lead_before": old.lead_text, "deadline_before": old.deadline_text})
    return part


def _progress(conn, df: pd.DataFrame) -> Part:  # noqa: ANN001

    part = Part()
    names, _units = _agency_lookup(conn)
    preds = agency_predecessors(conn)
    o, a, r = s.outputs, s.assignments, s.progress_reports
    by_ref: dict[str, int] = {}
    by_text: dict[str, list[int]] = {}
    for oid, ref, text in conn.execute(select(o.c.id, o.c.ref, o.c.text)):
        by_ref[ref] = oid
        by_text.setdefault(fold(text), []).append(oid)
    assign = {(oid, ag, role): i for i, oid, ag, role in conn.execute(select(a.c.id, a.c.output_id, a.c.agency_code, a.c.role))}
    periods = sorted({(int(y), int(q)) for y, q in zip(df["year"], df["quarter"])})
    current: dict[tuple[int, int, int], tuple] = {}
    for y, q in periods:
        for row in conn.execute(select(r.c.assignment_id, r.c.status, r.c.percent, r.c.evidence)
                                .where(r.c.is_current.is_(True), r.c.year == y, r.c.quarter == q)):
            current[(row.assignment_id, y, q)] = (row.status, row.percent, row.evidence)
    for rec in df.to_dict("records"):
        ex = {"sheet": rec["sheet"], "row": rec["row"], "ref": rec.get("ref"), "output": rec.get("output"),
              "agency": rec["agency"], "status": rec["status"]}
        ref = rec.get("ref") or None
        output_id = by_ref.get(ref) if ref else None
        if output_id is None:
            cands = by_text.get(fold(rec.get("output") or ""), [])
            output_id = cands[0] if len(cands) == 1 else None
        agency = match_agency(names, rec["agency"], output_id, assign, preds)
        aid = (assign.get((output_id, agency, "lead")) or assign.get((output_id, agency, "partner"))) if output_id and agency else None
        if aid is None:
            part.add("unmatched", ex)
            continue
        old = current.get((aid, int(rec["year"]), int(rec["quarter"])))
        pct = rec.get("percent")
        if old is None:
            part.add("new", ex)
        elif _same(old[0], rec["status"]) and _same(old[1], pct) and _same(old[2], rec.get("evidence")):
            part.add("unchanged", ex)
        else:
            part.add("changed", ex | {"status_before": old[0], "percent_before": old[1], "evidence_before": old[2]})
    return part


def _values(conn, df: pd.DataFrame) -> Part:  # noqa: ANN001
    part = Part()

    v = s.indicator_values
    catalogue = conn.execute(current_indicators()).all()
    codes = {r.code for r in catalogue}
    by_name = {fold(r.name): r.code for r in catalogue}
    ind = df["indicator"].astype(str)
    lookup = {x: (x if x in codes else by_name.get(fold(x))) for x in ind.unique()}
    frame = pd.DataFrame({"sheet": df["sheet"], "row": df["row"], "indicator_code": ind.map(lookup),
                          "unit_code": df["unit_code"].astype(str), "year": df["year"].astype(int),
                          "quarter": df["quarter"].astype("Int64"), "value": df["value"].astype(float),
                          "numerator": df["numerator"].astype(float), "denominator": df["denominator"].astype(float)})
    known = frame["indicator_code"].notna()
    for rec in frame[~known].head(EXAMPLES).to_dict("records"):
        part.examples["unmatched"].append(rec)
    part.unmatched = int((~known).sum())
    frame = frame[known]
    if frame.empty:
        return part
    wanted = sorted(frame["indicator_code"].unique())
    years = sorted(int(y) for y in frame["year"].unique())
    result = conn.execute(select(v.c.indicator_code, v.c.unit_code, v.c.year, v.c.quarter, v.c.value.label("value_old"),
                                 v.c.numerator.label("numerator_old"), v.c.denominator.label("denominator_old"))
                          .where(v.c.is_current.is_(True), v.c.indicator_code.in_(wanted), v.c.year.in_(years)))
    old = pd.DataFrame(result.all(), columns=list(result.keys()))
    old["quarter"] = old["quarter"].astype("Int64")
    old["year"] = old["year"].astype(int)
    old["_stored"] = True
    m = frame.merge(old, on=["indicator_code", "unit_code", "year", "quarter"], how="left")
    stored = m["_stored"].eq(True)

    def close(a: pd.Series, b: pd.Series) -> pd.Series:
        a, b = a.astype(float), b.astype(float)
        return (a.isna() & b.isna()) | ((a - b).abs() <= 1e-9)

    same = close(m["value"], m["value_old"]) & close(m["numerator"], m["numerator_old"]) & close(m["denominator"], m["denominator_old"])
    part.new = int((~stored).sum())
    part.unchanged = int((stored & same).sum())
    part.changed = int((stored & ~same).sum())
    cols = ["sheet", "row", "indicator_code", "unit_code", "year", "quarter", "value"]
    part.examples["new"] = m.loc[~stored, cols].head(EXAMPLES).to_dict("records")
    part.examples["changed"] = m.loc[stored & ~same, [*cols, "value_old"]].head(EXAMPLES).to_dict("records")
    return part


def _par(conn, df: pd.DataFrame) -> Part:  # noqa: ANN001
    part = Part()
    p = s.par_scores
    years = sorted(int(y) for y in df["year"].unique())
    stored = {(r.year, r.subject_kind, r.subject_code, r.component): (r.score, r.max_score, r.official_rank)
              for r in conn.execute(select(p.c.year, p.c.subject_kind, p.c.subject_code, p.c.component, p.c.score,
                                           p.c.max_score, p.c.official_rank).where(p.c.is_current.is_(True), p.c.year.in_(years)))}
    for rec in df.to_dict("records"):
        key = (int(rec["year"]), rec["subject_kind"], rec["subject_code"], rec["component"])
        ex = {"year": key[0], "subject_kind": key[1], "subject_code": key[2], "component": key[3], "score": rec["score"]}
        old = stored.get(key)
        if old is None:
            part.add("new", ex)
        elif _same(old[0], rec["score"]) and _same(old[1], rec.get("max_score")) and _same(old[2], rec.get("official_rank")):
            part.add("unchanged", ex)
        else:
            part.add("changed", ex | {"score_before": old[0]})
    return part


def _targets(conn, df: pd.DataFrame) -> Part:  # noqa: ANN001
    part = Part()
    t = s.targets
    stored = {(r.indicator_code, r.level, r.scope_unit_code, r.year): (r.kind, r.value, r.value_high, r.text)
              for r in conn.execute(select(t.c.indicator_code, t.c.level, t.c.scope_unit_code, t.c.year, t.c.kind,
                                           t.c.value, t.c.value_high, t.c.text).where(t.c.is_current.is_(True)))}
    for rec in df.to_dict("records"):
        spec = rec.get("spec")
        if spec is None:
            continue
        key = (rec["code"], rec["level"], rec.get("scope_unit_code") or None, spec.year)
        ex = {"indicator_code": key[0], "level": key[1], "scope_unit_code": key[2], "year": key[3], "text": spec.text}
        old = stored.get(key)
        if old is None:
            part.add("new", ex)
        elif (_same(old[0], spec.kind) and _same(old[1], spec.value) and _same(old[2], spec.value_high)
              and _same(old[3], spec.text)):
            part.add("unchanged", ex)
        else:
            part.add("changed", ex | {"text_before": old[3]})
    return part
