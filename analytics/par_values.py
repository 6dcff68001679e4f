"""Indicator values derived from PAR INDEX scores, so targets such as "PAR INDEX từ 94 điểm",
"giữ vững vị trí số 1" or "cải cách TTHC đạt 100% điểm tối đa" are judged on the same scores the
rankings show (one source, no copy to keep in step)."""
from __future__ import annotations

import pandas as pd

# indicator code → (component, measure): measure is "score" (points), "pct" (% of maximum) or "rank"
PAR_INDICATORS: dict[str, tuple[str, str]] = {
    "PAR_INDEX_SCORE": ("total", "score"),
    "PAR_INDEX_GROUP": ("total", "pct"),
    "PAR_INDEX_RANK": ("total", "rank"),
    "SATISFACTION_INDEX_RANK": ("survey", "rank"),
    "PAR_DIRECTION_SCORE": ("direction", "pct"),
    "PAR_LEGAL_DOCS_SCORE": ("legal_docs", "pct"),
    "PAR_PROCEDURE_SCORE": ("procedure", "pct"),
    "PAR_ORGANISATION_SCORE": ("organisation", "pct"),
    "PAR_CIVIL_SERVICE_SCORE": ("civil_service", "pct"),
    "PAR_FINANCE_SCORE": ("finance", "pct"),
    "PAR_MODERNISATION_SCORE": ("modernisation", "pct"),
    "PAR_ONE_STOP_SCORE": ("one_stop", "pct"),
}
UNIT_KINDS = ("province", "district", "commune")


def par_indicator_values(par: pd.DataFrame, wanted: set[str] | None = None) -> pd.DataFrame:
    """Yearly values (indicator_code, unit_code, year, quarter=None, value) for units scored by a PAR INDEX.

    Ranks are among the subjects of the same kind that year (1 = best; ties share the better rank);
    communes are ranked within the whole province here, as a target names no district.
    """
    cols = ["indicator_code", "unit_code", "year", "quarter", "value", "numerator", "denominator"]
    if par.empty:
        return pd.DataFrame(columns=cols)
    p = par[par["subject_kind"].isin(UNIT_KINDS)].copy()
    p["component"] = p["component"].fillna("total")
    p["pct"] = 100.0 * p["score"] / p["max_score"].where(p["max_score"] > 0)
    p["rank"] = p.groupby(["year", "subject_kind", "component"])["score"].rank(method="min", ascending=False)
    out = []
    for code, (component, measure) in PAR_INDICATORS.items():
        if wanted is not None and code not in wanted:
            continue
        part = p[p["component"] == component]
        if part.empty:
            continue
        out.append(pd.DataFrame({"indicator_code": code, "unit_code": part["subject_code"].astype(str),
                                 "year": part["year"].astype(int), "quarter": None, "value": part[measure].astype(float),
                                 "numerator": float("nan"), "denominator": float("nan")}))
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)
