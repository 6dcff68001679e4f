"""The rows of every sheet kind in the dry-run JSON (`manage.py import --dry-run --json`): progress, values, PAR
INDEX scores and catalogue targets, each as the import would write it, with catalogue codes and "YYYY-Qn" periods.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

import pandas as pd

from loaders.agencies import resolver_for
from loaders.text import fold
from quarter import Quarter

# analytics.rankings.rank_table(scores, year, subject_kind) -> a frame with subject_code and rank
RankTable = Callable[[pd.DataFrame, int, str], pd.DataFrame]


def _num(v: object) -> float | int | None:
    if v is None or isinstance(v, str):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    if math.isnan(f):
        return None
    return int(f) if f.is_integer() else f


def _text(v: object) -> str | None:
    if v is None or isinstance(v, float) and math.isnan(v):
        return None
    t = str(v).strip()
    return t or None


def progress_rows(result, ref) -> list[dict]:  # noqa: ANN001 - a ParseResult, a Reference
    """One object per progress row: the reporting agency's canonical name on the map of its quarter."""
    df = result.frames.get("progress")
    if df is None or df.empty:
        return []
    resolver = resolver_for(ref)
    out = []
    for rec in df.to_dict("records"):
        year, quarter = int(rec["year"]), int(rec["quarter"])
        on = Quarter(year, quarter).end
        code, _w, _s = resolver.resolve_name(rec["agency"], ref.province_scopes(on), on)
        out.append({"sheet": rec["sheet"], "row": int(rec["row"]), "output_ref": _text(rec.get("ref")),
                    "output": _text(rec.get("output")), "agency": resolver.names[code] if code else rec["agency"],
                    "period": f"{year}-Q{quarter}", "status": rec["status"], "percent": _num(rec.get("percent")),
                    "evidence": _text(rec.get("evidence"))})
    return out


def _indicator_codes(result) -> dict[str, str]:  # noqa: ANN001
    """Indicator code or folded name → code: the reference catalogue, then this file's own catalogue."""
    from loaders.body_targets import reference_catalogue  # lazy: a real cycle via loaders.body_targets

    out: dict[str, str] = {}
    cat = reference_catalogue()
    for code, name in zip(cat["code"], cat["name"]):
        out[str(code)] = str(code)
        out.setdefault(fold(name), str(code))
    own = result.frames.get("indicator_catalogue")
    if own is not None and not own.empty:
        for code, name in zip(own["code"], own["name"]):
            out[str(code)] = str(code)
            out[fold(name)] = str(code)
    return out


def value_rows(result, ref, codes: dict[str, str] | None = None) -> list[dict]:  # noqa: ANN001
    """One object per value the import would write: the indicator's code, the unit's official code."""
    df = result.frames.get("indicator_values")
    if df is None or df.empty:
        return []
    codes = codes or _indicator_codes(result)
    official = {}
    out = []
    for rec in df.to_dict("records"):
        ind = str(rec["indicator"])
        unit = str(rec["unit_code"])
        if unit not in official:
            row = ref.unit(unit)
            official[unit] = str(row["official_code"]) if row is not None and _text(row.get("official_code")) else unit
        q = _num(rec.get("quarter"))
        out.append({"sheet": rec["sheet"], "row": int(rec["row"]), "column": _text(rec.get("col")),
                    "indicator": codes.get(ind) or codes.get(fold(ind)) or ind, "unit": official[unit],
                    "year": int(rec["year"]), "quarter": int(q) if q is not None else None,
                    "value": _num(rec.get("value")), "numerator": _num(rec.get("numerator")),
                    "denominator": _num(rec.get("denominator"))})
    return out


def score_rows(result, ref, rank_table: RankTable | None = None) -> list[dict]:  # noqa: ANN001
    """One object per scored subject and year: total, maximum, the printed rank, the rank the product shows
    (`computed_rank`, from `rank_table`: analytics.rankings.rank_table, passed in by the caller because loaders sit
    below analytics; null without it) and the components."""
    df = result.frames.get("par_scores")
    if df is None or df.empty:
        return []
    names = dict(zip(ref.agencies["code"], ref.agencies["name"]))
    parents = {}
    for rec in df.drop_duplicates(["year", "subject_kind", "subject_code"]).to_dict("records"):
        parent = ref.parent_of(str(rec["subject_code"]), date(int(rec["year"]), 12, 31)) \
            if rec["subject_kind"] == "commune" else None
        parents[(int(rec["year"]), rec["subject_kind"], str(rec["subject_code"]))] = parent
    scores = df.assign(parent_code=[parents[(int(y), k, str(c))] for y, k, c in
                                    zip(df["year"], df["subject_kind"], df["subject_code"])])
    ranks: dict[tuple, int | None] = {}
    for (year, kind), _g in scores.groupby(["year", "subject_kind"], sort=False) if rank_table is not None else ():
        table = rank_table(scores, int(year), kind)
        for code, parent, rank in zip(table["subject_code"], table["parent_code"], table["rank"]):
            ranks[(int(year), kind, str(code))] = None if pd.isna(rank) else int(rank)
    out = []
    for (sheet, row), g in df.groupby(["sheet", "row"], sort=False):
        first = g.iloc[0]
        total = g[g["component"] == "total"]
        comps = g[g["component"] != "total"]
        key = (int(first["year"]), first["subject_kind"], str(first["subject_code"]))
        code = str(first["subject_code"])
        out.append({"sheet": sheet, "row": int(row),
                    "subject": names.get(code) if first["subject_kind"] == "department" else ref.unit_name(code),
                    "subject_code": code, "year": int(first["year"]),
                    "total": _num(total["score"].iloc[0]) if len(total) else None,
                    "max": _num(total["max_score"].iloc[0]) if len(total) else None,
                    "rank": _num(total["official_rank"].iloc[0]) if len(total) else None,
                    "computed_rank": ranks.get(key),
                    "components": {str(c): _num(v) for c, v in zip(comps["component"], comps["score"])}})
    return out


def catalogue_targets(result) -> list[dict]:  # noqa: ANN001
    """One object per target of a catalogue sheet (the document proposals keep their own keys in the same list)."""
    df = result.frames.get("indicator_catalogue")
    if df is None or df.empty:
        return []
    out = []
    for rec in df.to_dict("records"):
        spec = rec.get("spec")
        if spec is None or isinstance(spec, float):
            continue
        out.append({"sheet": rec["sheet"], "row": int(rec["row"]), "indicator": str(rec["code"]),
                    "level": rec["level"], "unit": _text(rec.get("scope_unit_code")), "year": int(spec.year),
                    "kind": spec.kind, "value": _num(spec.value), "text": spec.text})
    return out
