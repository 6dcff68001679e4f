"""The PAR INDEX views over analytics.rankings: scores with their districts, the years scored, one subject's
rank with its components and the sentence that explains its change, the province's own index.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import rankings
from analytics.frames import EPS
from analytics.labels import signed
from analytics.rankings import subject_totals
from analytics.units import parents_on
from catalogue import PAR_COMPONENTS, UI
from formats import fmt_number


def par_with_parents(par: pd.DataFrame, parents: pd.DataFrame) -> pd.DataFrame:
    """PAR scores with parent_code: a commune's district at the end of the score year (others None)."""
    p = par.copy()
    p["parent_code"] = None
    if p.empty:
        return p
    for year in p.loc[p["subject_kind"] == "commune", "year"].unique():
        par_on = parents_on(parents, date(int(year), 12, 31))
        up = dict(zip(par_on["code"], par_on["parent_code"]))
        mask = (p["subject_kind"] == "commune") & (p["year"] == year)
        p.loc[mask, "parent_code"] = p.loc[mask, "subject_code"].map(up)
    return p


def par_years(par: pd.DataFrame, kind: str, parent: str | None = None) -> list[int]:
    """Years with scores of one subject kind (within a district for communes), newest first."""
    p = par[par["subject_kind"] == kind]
    if parent is not None and "parent_code" in p:
        p = p[p["parent_code"] == parent]
    return sorted({int(y) for y in p["year"]}, reverse=True)


def subject_names(agencies: pd.DataFrame, units: pd.DataFrame) -> dict[str, str]:
    """Display name of every possible ranked subject: agency codes and unit codes."""
    names = dict(zip(units["code"], units["name"]))
    names.update(dict(zip(agencies["code"], agencies["short_name"])))
    return names


def _points(x: float) -> str:
    return fmt_number(abs(x), 2 if abs(x) < 0.1 else 1)


def explain_text(expl: dict) -> str:
    """The rank change in one Vietnamese sentence, e.g. "Hạng 12/20, giảm 3 bậc dù điểm tăng 1,2; mất điểm
    nhiều nhất ở «Cải cách thủ tục hành chính»; kém hạng trên 0,8 điểm"."""
    parts = [UI["explain_rank"].format(rank=expl["rank"], n=expl["n"])]
    rc, sc = expl.get("rank_change"), expl.get("score_change")
    if rc is not None:
        move = (UI["explain_up"] if rc > 0 else UI["explain_down"]).format(k=abs(rc)) if rc else UI["explain_same"]
        if sc is not None:
            score = (UI["explain_score_up"] if sc > 0 else UI["explain_score_down"]).format(x=_points(sc)) \
                if abs(sc) > EPS else UI["explain_score_same"]
            contrary = (rc < 0 and sc > EPS) or (rc > 0 and sc < -EPS)
            move += (UI["explain_although"] if contrary else ", ") + score
        parts[0] += ", " + move
    elif expl.get("prev_rank") is None:
        parts[0] += ", " + UI["explain_no_prev"]
    loss = expl.get("largest_loss")
    if loss:
        label = PAR_COMPONENTS[loss].label if loss in PAR_COMPONENTS else loss
        parts.append(UI["explain_loss"].format(component=label))
    gap = expl.get("gap_to_above")
    if expl.get("above_code") is None:
        parts.append(UI["explain_leader"])
    elif gap is not None:
        parts.append(UI["explain_gap"].format(x=_points(gap)))
    return "; ".join(parts)


def province_history(par: pd.DataFrame) -> pd.DataFrame:
    """The province's own (MoHA) PAR INDEX by year: score, max_score, pct and the published rank when known."""
    p = par[par["subject_kind"] == "province"]
    cols = ["year", "score", "max_score", "pct", "official_rank"]
    if p.empty:
        return pd.DataFrame(columns=cols)
    base = p.assign(parent_code=None)
    tot = subject_totals(base)
    tot["pct"] = 100.0 * tot["score"] / tot["max_score"].where(tot["max_score"] > 0)
    ranks = p.dropna(subset=["official_rank"]).groupby("year")["official_rank"].max() if "official_rank" in p \
        else pd.Series(dtype=float)
    tot["official_rank"] = tot["year"].map(ranks)
    return tot.sort_values("year")[cols].reset_index(drop=True)


def par_detail(par: pd.DataFrame, kind: str, subject: str, year: int | None = None) -> dict | None:
    """One ranked subject in one year (its latest scored year when None): the rank row, the components against
    the leader and the average, the explanation sentence and the peers' district (communes); None when unranked.

    `par` comes from par_with_parents.
    """
    mine = par[(par["subject_kind"] == kind) & (par["subject_code"] == subject)]
    if mine.empty:
        return None
    years = sorted({int(y) for y in mine["year"]}, reverse=True)
    year = year if year in years else years[0]
    parent = None
    if kind == "commune":
        ps = mine.loc[mine["year"] == year, "parent_code"].dropna().unique()
        if len(ps) != 1:
            return None
        parent = str(ps[0])
    try:
        table = rankings.rank_table(par, year, kind, parent)
        expl = rankings.explain_change(par, year, kind, subject, parent)
        comps = rankings.components_vs(par, year, kind, subject, parent)
    except ValueError:
        return None
    row = table[table["subject_code"] == subject]
    if row.empty:
        return None
    return {"year": year, "years": years, "parent": parent, "row": row.iloc[0], "table": table,
            "components": comps, "explanation": explain_text(expl), "explain": expl}


def rank_table_for(par: pd.DataFrame, year: int, kind: str, parent: str | None = None) -> pd.DataFrame:
    """rankings.rank_table, or an empty table when nothing of that kind was scored."""
    if par.empty or not ((par["subject_kind"] == kind) & (par["year"] == year)).any():
        return pd.DataFrame(columns=rankings.RANK_COLUMNS)
    return rankings.rank_table(par, year, kind, parent)


def components_display(comps: pd.DataFrame) -> pd.DataFrame:
    """components_vs as a table to show: component label, score/max, leader, average, change (Vietnamese numbers)."""
    return pd.DataFrame({
        UI["col_component"]: comps["component"].map(lambda c: PAR_COMPONENTS[c].label if c in PAR_COMPONENTS else c),
        UI["col_score"]: [f"{fmt_number(s, 2)}/{fmt_number(m, 2)}" for s, m in zip(comps["score"], comps["max_score"])],
        UI["col_leader"]: comps["leader_score"].map(lambda v: fmt_number(v, 2)),
        UI["col_average"]: comps["average_score"].map(lambda v: fmt_number(v, 2)),
        UI["col_change"]: comps["change"].map(lambda v: signed(v, 2)),
    })


def commune_districts(par: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """Districts whose communes have PAR INDEX scores (par from par_with_parents), by name."""
    codes = {str(c) for c in par.loc[par["subject_kind"] == "commune", "parent_code"].dropna()}
    return sorted(codes, key=lambda c: names.get(c, c))
