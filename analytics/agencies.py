"""The agencies in the views: who carries the work of an agency that ended, the per-agency counts, the agency
table and its filter groups, an agency's overdue outputs and the subject it is ranked under.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import counts
from analytics.frames import Frames, lineage
from catalogue import UI


# --- agencies that ended: who carries their work ----------------------------------------------
def agency_heirs(f: Frames, codes: list[str], on: date) -> dict[str, str]:
    """Agency → the agency that carries its work on `on`, for agencies among `codes` that had ended by then: the
    successor that took the largest share (a merged department's new department; an abolished district's UBND the
    UBND of the new commune holding most of its territory). Agencies still in force are left out."""
    ref = lineage(f)
    a = f.agencies
    committees = dict(zip(a.loc[a["kind"] == "people_committee", "unit_code"].astype(str),
                          a.loc[a["kind"] == "people_committee", "code"].astype(str)))
    out = {}
    for c in codes:
        if c not in ref._agency_rows or ref.agency_valid(c, on):  # noqa: SLF001
            continue
        succ = {k: v for k, v in ref.agency_successors_on(c, on).items() if v > 0}
        if not succ:  # a district office (ended 01/07/2025, no successor of its own): its UBND's heir
            unit = ref._agency_rows[c].get("unit_code")  # noqa: SLF001
            ubnd = committees.get(str(unit))
            if ubnd and ubnd != c:
                succ = {k: v for k, v in ref.agency_successors_on(ubnd, on).items() if v > 0}
        if succ:
            out[c] = max(succ, key=lambda k: succ[k])  # first of equal shares: the table's order
    return out


def carry_agencies(status: pd.DataFrame, f: Frames, on: date) -> pd.DataFrame:
    """Assignments of agencies that had ended by `on` (merged departments 01/03/2025, district bodies
    01/07/2025) counted against the agency that carries their work, with the former agency kept
    (`former_code`, `former_name`: shown as "trước đây: …")."""
    if status.empty or "agency_code" not in status or f.agency_successors.empty:
        return status.assign(former_code=None, former_name=None) if not status.empty else status
    heirs = agency_heirs(f, sorted({str(c) for c in status["agency_code"].dropna().unique()}), on)
    out = status if "former_code" in status else status.assign(former_code=None, former_name=None)
    if not heirs:
        return out
    out = out.copy()
    moved = out["agency_code"].isin(heirs.keys())
    ag = f.agencies.set_index("code")
    levels = dict(zip(f.units["code"], f.units["level"]))
    first = moved & out["former_code"].isna()  # carried twice (a quarter's heirs, then today's): keep the first name
    out.loc[first, "former_code"] = out.loc[first, "agency_code"]
    if "agency_name" in out:
        out.loc[first, "former_name"] = out.loc[first, "agency_name"]
    new = out.loc[moved, "agency_code"].map(heirs)
    out.loc[moved, "agency_code"] = new
    for col, src in (("agency_name", "name"), ("agency_short", "short_name"), ("agency_kind", "kind"),
                     ("agency_unit", "unit_code")):
        if col in out:
            out.loc[moved, col] = new.map(ag[src])
    if "agency_level" in out:
        out.loc[moved, "agency_level"] = out.loc[moved, "agency_unit"].map(levels)
    return out


def formerly(status: pd.DataFrame) -> dict[str, str]:
    """Agency → "trước đây: …" naming the ended agencies whose assignments it carries in `status`."""
    if status.empty or "former_name" not in status:
        return {}
    moved = status[status["former_name"].notna()]
    return {str(c): UI["formerly"].format(names=", ".join(sorted({str(n) for n in g["former_name"]})))
            for c, g in moved.groupby("agency_code")}


def agency_rollup(status: pd.DataFrame) -> pd.DataFrame:
    """Per agency: every count (analytics.counts) as lead and as partner (kept separate), worst lead first."""
    wide = counts.per_agency(status)
    ctx = status.drop_duplicates("agency_code")[["agency_code", "agency_name", "agency_kind", "agency_unit"]]
    wide = ctx.merge(wide, on="agency_code", how="right")
    return wide.sort_values(["overdue_lead", "total_lead"], ascending=[False, False]).reset_index(drop=True)


# --- the agency table and the ranked subject ---------------------------------------------------
AGENCY_GROUPS = ("department", "district", "commune", "office")


def agency_group(kind: str, level: object) -> str:
    """The filter group of an agency: Sở ngành (and other provincial bodies), UBND cấp huyện, UBND cấp xã,
    phòng chuyên môn."""
    if kind == "district_office":
        return "office"
    if kind == "people_committee" and level in ("district", "commune"):
        return str(level)
    return "department"


def agency_table(status: pd.DataFrame, agencies: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """agency_rollup with each agency's filter group and unit name."""
    if status.empty:
        return pd.DataFrame(columns=["agency_code", "agency_name", "group", "total_lead", "overdue_lead"])
    r = agency_rollup(status)
    lv = dict(zip(units["code"], units["level"]))
    names = dict(zip(units["code"], units["name"]))
    r["group"] = [agency_group(k, lv.get(u)) for k, u in zip(r["agency_kind"], r["agency_unit"])]
    r["unit_name"] = r["agency_unit"].map(names)
    former = formerly(status)
    r["formerly"] = [former.get(str(c), "") for c in r["agency_code"]]
    return r


def agency_overdue(status: pd.DataFrame, agency: str) -> pd.DataFrame:
    """The overdue outputs of one agency, as lead or partner, earliest due first."""
    cols = ["output_id", "output_no", "output", "plan_number", "plan_code", "due_date", "role", "area_code", "task"]
    if status.empty:
        return pd.DataFrame(columns=cols)
    s = status[(status["agency_code"] == agency) & (status["status"] == "overdue")]
    s = s.assign(_lead=(s["role"] != "lead").astype(int))
    return s.sort_values(["_lead", "due_date", "output_id"], kind="stable")[cols].reset_index(drop=True)


def par_subject(agencies: pd.DataFrame, agency: str) -> tuple[str, str] | None:
    """(subject_kind, subject_code) under which an agency is ranked: departments by agency code, UBND of a
    district or commune by unit code; None for agencies nobody ranks."""
    hit = agencies[agencies["code"] == agency]
    if hit.empty:
        return None
    r = hit.iloc[0]
    group = r.get("rank_group")
    if group == "department":
        return "department", agency
    if group in ("district", "commune"):
        return str(group), str(r["unit_code"])
    return None


def par_agency(agencies: pd.DataFrame, kind: str, subject: str) -> str | None:
    """The agency code of a ranked subject (the reverse of par_subject)."""
    if kind == "department":
        return subject if (agencies["code"] == subject).any() else None
    hit = agencies[(agencies["rank_group"] == kind) & (agencies["unit_code"] == subject)]
    return None if hit.empty else str(hit.iloc[0]["code"])
