"""PAR INDEX rankings: rank tables, components against peers, and why a rank changed.

Pure pandas/stdlib: no Streamlit, no SQL.

Input `scores`: year, subject_kind (province/department/district/commune), subject_code,
parent_code (a commune's district, else None), component (a PAR_COMPONENTS code, or None/"total"
for the total row), score, max_score.

Rules
    * Total of a subject-year: its total row when present (the last one if repeated); otherwise
      the sum of its component scores. A total row without max_score takes the sum of the
      component maxima.
    * Peers: the subjects of the same year and kind; communes only within one district (the given
      parent_code, or the subject's own district). Without parent_code, `rank_table` ranks the
      communes of each district separately.
    * rank: 1 = best, by score (rounded to 6 decimals), descending; ties share the lowest rank
      ("1, 2, 2, 4"). n = number of ranked subjects (subjects without a score are left out).
    * pct = 100 * score / max_score; group = the first RANK_GROUPS code whose threshold
      (RANK_GROUP_THRESHOLDS, percent of maximum) pct reaches.
    * Previous = year - 1 exactly, among that year's peers. rank_change = prev_rank - rank
      (positive = moved up); score_change = score - prev_score. Missing previous → NA.
    * Components: leader_score = best peer score on the component, average_score = mean of the
      peers' scores (the subject included); gap_to_leader = leader_score - score (>= 0),
      gap_to_average = average_score - score (negative = above average); change = score - prev_score.
    * The subject "directly above" is the ranked subject with the nearest better rank (ties broken
      by subject_code); gap_to_above = its score - the subject's score.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from catalogue import PAR_COMPONENTS, RANK_GROUP_THRESHOLDS

SCORE_COLUMNS = ("year", "subject_kind", "subject_code", "parent_code", "component", "score", "max_score")
TOTAL = "total"
RANK_COLUMNS = [
    "subject_code", "parent_code", "score", "max_score", "pct", "rank", "n", "group",
    "prev_rank", "prev_score", "rank_change", "score_change",
]
COMPONENT_COLUMNS = [
    "component", "score", "max_score", "pct", "leader_score", "average_score",
    "gap_to_leader", "gap_to_average", "prev_score", "change",
]
_KEY = ["year", "subject_kind", "parent_code", "subject_code"]


def rank_group(pct: float | None) -> str | None:
    """RANK_GROUPS code for a percentage of the maximum score (None when unknown)."""
    if pct is None or pd.isna(pct):
        return None
    for code, low in RANK_GROUP_THRESHOLDS:
        if pct >= low:
            return code
    return RANK_GROUP_THRESHOLDS[-1][0]


def _prepare(scores: pd.DataFrame) -> pd.DataFrame:
    """Validated copy with an is_total flag and float scores."""
    missing = [c for c in SCORE_COLUMNS if c not in scores.columns]
    if missing:
        raise ValueError(f"scores lacks columns: {', '.join(missing)}")
    df = scores[list(SCORE_COLUMNS)].copy()
    df["parent_code"] = [("" if pd.isna(v) else str(v)) for v in df["parent_code"]]  # "" = no parent
    df["component"] = df["component"].astype(object).where(df["component"].notna(), None)
    df["is_total"] = df["component"].isna() | (df["component"] == TOTAL)
    df["score"] = pd.to_numeric(df["score"], errors="coerce").astype("float64")
    df["max_score"] = pd.to_numeric(df["max_score"], errors="coerce").astype("float64")
    df["year"] = df["year"].astype("int64")
    return df


def subject_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """One total row per (year, subject_kind, parent_code, subject_code): score and max_score."""
    out = _totals(_prepare(scores))
    out["parent_code"] = _no_blank(out["parent_code"])
    return out


def _totals(df: pd.DataFrame) -> pd.DataFrame:
    """Totals of a prepared frame (parent_code "" when absent)."""
    comps = df.loc[~df["is_total"]].drop_duplicates([*_KEY, "component"], keep="last")
    summed = comps.groupby(_KEY, dropna=False, sort=False)[["score", "max_score"]].sum(min_count=1)
    given = df.loc[df["is_total"]].drop_duplicates(_KEY, keep="last").set_index(_KEY)[["score", "max_score"]]
    keys = summed.index.union(given.index) if len(given) else summed.index
    out = pd.DataFrame(index=keys)
    out["score"] = given["score"].reindex(keys).combine_first(summed["score"].reindex(keys))
    out["max_score"] = given["max_score"].reindex(keys).combine_first(summed["max_score"].reindex(keys))
    out = out.reset_index()
    return out[[*_KEY, "score", "max_score"]].astype({"score": "float64", "max_score": "float64"})


def _no_blank(values: pd.Series) -> pd.Series:
    """An object series with "" turned into None."""
    return pd.Series([None if v == "" else v for v in values], index=values.index, dtype=object)


def _ranked(totals: pd.DataFrame, year: int, subject_kind: str, parent_code: str | None) -> pd.DataFrame:
    """Ranked subjects of one year and kind (communes within their district)."""
    df = totals.loc[(totals["year"] == year) & (totals["subject_kind"] == subject_kind)]
    if parent_code is not None:
        df = df.loc[df["parent_code"] == parent_code]
    df = df.loc[df["score"].notna()].copy()
    key = df["score"].round(6)
    if subject_kind == "commune":
        groups = df["parent_code"]
        df["rank"] = key.groupby(groups).rank(method="min", ascending=False)
        df["n"] = key.groupby(groups).transform("size")
    else:
        df["rank"] = key.rank(method="min", ascending=False)
        df["n"] = len(df)
    df["rank"] = df["rank"].astype("Int64")
    df["n"] = df["n"].astype("Int64")
    df["pct"] = (100.0 * df["score"] / df["max_score"].where(df["max_score"] > 0)).astype("float64")
    df["group"] = pd.Series([rank_group(p) for p in df["pct"]], index=df.index, dtype=object)
    return df


def _match_keys(subject_kind: str) -> list[str]:
    """Keys that identify a subject across years."""
    return ["parent_code", "subject_code"] if subject_kind == "commune" else ["subject_code"]


def _commune_parent(df: pd.DataFrame, year: int, subject_kind: str, subject_code: str, parent_code: str | None) -> str | None:
    """The district a commune is ranked in (given, or looked up); None for other kinds."""
    if subject_kind != "commune" or parent_code is not None:
        return parent_code
    rows = df.loc[(df["year"] == year) & (df["subject_kind"] == subject_kind) & (df["subject_code"] == subject_code)]
    parents = [p for p in rows["parent_code"].unique() if p != ""]
    if len(parents) != 1:
        raise ValueError(f"cannot tell the district of commune {subject_code!r} in {year}; pass parent_code")
    return parents[0]


def rank_table(scores: pd.DataFrame, year: int, subject_kind: str, parent_code: str | None = None) -> pd.DataFrame:
    """One row per ranked subject with score, pct, rank, n, group and the change against year - 1."""
    totals = _totals(_prepare(scores))
    cur = _ranked(totals, year, subject_kind, parent_code)
    prev = _ranked(totals, year - 1, subject_kind, parent_code)
    keys = _match_keys(subject_kind)
    prev = prev[[*keys, "rank", "score"]].rename(columns={"rank": "prev_rank", "score": "prev_score"})
    out = cur.merge(prev, on=keys, how="left")
    out["prev_rank"] = out["prev_rank"].astype("Int64")
    out["prev_score"] = out["prev_score"].astype("float64")
    out["rank_change"] = (out["prev_rank"] - out["rank"]).astype("Int64")
    out["score_change"] = (out["score"] - out["prev_score"]).astype("float64")
    order = ["parent_code", "rank", "subject_code"] if subject_kind == "commune" and parent_code is None else ["rank", "subject_code"]
    out = out.sort_values(order, kind="stable").reset_index(drop=True)
    out["parent_code"] = _no_blank(out["parent_code"])
    return out[RANK_COLUMNS]


def _component_order(code: str) -> tuple[int, str]:
    """Catalogue order of a component, unknown codes last."""
    entry = PAR_COMPONENTS.get(code)
    return (entry.order if entry else 10**6, code)


def components_vs(scores: pd.DataFrame, year: int, subject_kind: str, subject_code: str,
                  parent_code: str | None = None) -> pd.DataFrame:
    """One row per component of a subject: its score against the peers' leader and average, and its change."""
    df = _prepare(scores)
    parent_code = _commune_parent(df, year, subject_kind, subject_code, parent_code)
    comps = df.loc[~df["is_total"] & (df["subject_kind"] == subject_kind)]
    comps = comps.drop_duplicates([*_KEY, "component"], keep="last")
    peers = comps.loc[comps["year"] == year]
    before = comps.loc[comps["year"] == year - 1]
    if parent_code is not None:
        peers = peers.loc[peers["parent_code"] == parent_code]
        before = before.loc[before["parent_code"] == parent_code]
    mine = peers.loc[peers["subject_code"] == subject_code]
    if mine.empty and df.loc[(df["year"] == year) & (df["subject_kind"] == subject_kind)
                             & (df["subject_code"] == subject_code)].empty:
        raise ValueError(f"no {subject_kind} {subject_code!r} in {year}")
    stats = peers.groupby("component")["score"].agg(leader_score="max", average_score="mean")
    prev = before.loc[before["subject_code"] == subject_code].set_index("component")["score"]
    rows = []
    for rec in mine.to_dict("records"):
        comp, score, max_score = rec["component"], rec["score"], rec["max_score"]
        leader = float(stats.at[comp, "leader_score"])
        average = float(stats.at[comp, "average_score"])
        prev_score = float(prev.get(comp, math.nan))
        rows.append({
            "component": comp,
            "score": score,
            "max_score": max_score,
            "pct": 100.0 * score / max_score if max_score and max_score > 0 else math.nan,
            "leader_score": leader,
            "average_score": average,
            "gap_to_leader": leader - score,
            "gap_to_average": average - score,
            "prev_score": prev_score,
            "change": score - prev_score,
        })
    rows.sort(key=lambda r: _component_order(r["component"]))
    out = pd.DataFrame(rows, columns=COMPONENT_COLUMNS)
    floats = [c for c in COMPONENT_COLUMNS if c != "component"]
    return out.astype({c: "float64" for c in floats})


def _py(value: Any) -> Any:
    """A plain Python value: NA → None, numpy scalars → int/float."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def explain_change(scores: pd.DataFrame, year: int, subject_kind: str, subject_code: str,
                   parent_code: str | None = None) -> dict[str, Any]:
    """Rank, its change, per-component deltas, the subject directly above and the largest component loss."""
    parent_code = _commune_parent(_prepare(scores), year, subject_kind, subject_code, parent_code)
    table = rank_table(scores, year, subject_kind, parent_code)
    hit = table.loc[table["subject_code"] == subject_code]
    if hit.empty:
        raise ValueError(f"{subject_kind} {subject_code!r} is not ranked in {year}")
    me = hit.iloc[0]
    better = table.loc[table["rank"] < me["rank"]]
    above = None
    if not better.empty:
        above = better.sort_values(["rank", "subject_code"], ascending=[False, True], kind="stable").iloc[0]
    comps = components_vs(scores, year, subject_kind, subject_code, parent_code)
    deltas = [
        {"component": r["component"], "delta": float(r["change"])}
        for r in comps.to_dict("records") if not pd.isna(r["change"])
    ]
    deltas.sort(key=lambda d: (d["delta"], _component_order(d["component"])))
    loss = deltas[0] if deltas and deltas[0]["delta"] < 0 else None
    return {
        "subject_code": subject_code,
        "year": int(year),
        "rank": _py(me["rank"]),
        "n": _py(me["n"]),
        "prev_rank": _py(me["prev_rank"]),
        "rank_change": _py(me["rank_change"]),
        "score": _py(me["score"]),
        "prev_score": _py(me["prev_score"]),
        "score_change": _py(me["score_change"]),
        "pct": _py(me["pct"]),
        "group": _py(me["group"]),
        "component_deltas": deltas,
        "above_code": None if above is None else above["subject_code"],
        "above_score": None if above is None else _py(above["score"]),
        "gap_to_above": None if above is None else float(above["score"] - me["score"]),
        "largest_loss": None if loss is None else loss["component"],
        "largest_loss_delta": None if loss is None else loss["delta"],
    }
