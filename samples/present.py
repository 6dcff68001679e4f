"""Samples after the 2025 map: the new Ninh Bình's 129 communes and merged departments, up to the last closed quarter.

The last closed quarter is taken from today's date (`settings.today()`, so CCHC_TODAY=2026-12-02 gives Quý III/2026):
the demo always shows the present. Everything else is deterministic (fixed seeds, no clock, no network).

Coherence across the split: the old Nam Định communes of `synthetic.values_model` go on, after Quý II/2025, with
the same latent state (capacity, own level, district effect and drift, workloads) and new noise; the old communes
of Hà Nam and the former Ninh Bình get a latent state of the same kind. A new commune's numerator and denominator
are its predecessors' combined by their shares of territory (a divided commune contributes 1/n to each of its n
successors), so its first values are near what its predecessors gave, and a rate stays numerator over
denominator. Satisfaction (no numerator) is the predecessors' mean weighted by share × dossiers.

PAR INDEX 2025 (scored in 2026) has the year's own subjects: the 14 merged departments and the 129 communes, each
near its predecessors' 2024 result; the province's own 2025 index is the new Ninh Bình's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

import settings
from quarter import Quarter
from samples import synthetic as syn
from samples.xlsx import finish

NEW_PROVINCE = "37-2025"
MAP_FROM = (2025, 3)  # the first quarter on the 2025 map
# the province's value around mid-2026 (%), continuing each indicator's 2021–2025 anchors
ANCHOR_2026 = {
    "TTHC_ONLINE_DOSSIER_RATE": 64.0, "TTHC_INTERNAL_E_TRANSFER_RATE": 80.0, "TTHC_ONLINE_PAYMENT_RATE": 59.0,
    "TTHC_RESULT_DIGITISATION_RATE": 79.0, "NO_RESUBMISSION_RATE": 69.0, "WORK_FILE_ONLINE_RATE": 68.0,
    "EID_ONLINE_USER_RATE": 90.0, "E_DOCUMENT_RATE": 97.5, "ADMIN_SERVICE_SATISFACTION": 89.6,
}
TYPE_EFFECT = {"Phường": 0.25, "Thị trấn": 0.12}
SIZE = {"dossiers": {"Phường": (700, 1400), "Thị trấn": (450, 800), "Xã": (180, 480)},
        "work_files": {"Phường": (150, 300), "Thị trấn": (100, 200), "Xã": (50, 130)},
        "documents": {"Phường": (200, 400), "Thị trấn": (110, 240), "Xã": (80, 220)}}
SEASON = {1: 0.85, 2: 1.0, 3: 1.02, 4: 1.13}


def last_closed_quarter(today: date | None = None) -> tuple[int, int]:
    """The last quarter that has ended on `today` (default: settings.today())."""
    return Quarter.of(today or settings.today()).previous().astuple()


def present_quarters(today: date | None = None) -> tuple[tuple[int, int], ...]:
    """Quý III/2025 … the last closed quarter."""
    return tuple(q.astuple() for q in Quarter(*MAP_FROM).through(Quarter(*last_closed_quarter(today))))


# --- reference -------------------------------------------------------------------------------------


def all_units() -> pd.DataFrame:
    """units.csv, every province."""
    return syn._csv("units.csv")


@lru_cache(maxsize=1)
def new_communes() -> list[str]:
    """The new province's 129 communes, in units.csv order."""
    u = all_units()
    return list(u.loc[(u["province_code"] == NEW_PROVINCE) & (u["level"] == "commune"), "code"])


@lru_cache(maxsize=1)
def old_communes() -> list[str]:
    """The old communes of the three provinces (Nam Định's first, in the values model's order)."""
    u = all_units()
    nd = syn.values_model().communes
    others = [c for c in u.loc[(u["level"] == "commune") & u["province_code"].isin({"35", "37"}), "code"]]
    return nd + others


@lru_cache(maxsize=1)
def shares() -> np.ndarray:
    """new × old matrix of territory shares (unit_successors.csv, commune rows)."""
    s = syn._csv("unit_successors.csv")
    new_i = {c: i for i, c in enumerate(new_communes())}
    old_i = {c: i for i, c in enumerate(old_communes())}
    m = np.zeros((len(new_i), len(old_i)))
    for code, succ, share in zip(s["code"], s["successor_code"], s["share"]):
        if code in old_i and succ in new_i:
            m[new_i[succ], old_i[code]] += float(share)
    assert (m.sum(axis=0) > 0.999).all(), "every old commune has a successor"
    assert (m.sum(axis=1) > 0).all(), "every new commune has a predecessor"
    return m


def predecessors(new_code: str) -> list[str]:
    """The old communes a new commune was formed from."""
    row = shares()[new_communes().index(new_code)]
    return [old_communes()[j] for j in np.nonzero(row)[0]]


@lru_cache(maxsize=1)
def home_district() -> dict[str, str]:
    """Old commune → its district in early 2021 (Mỹ Lộc's communes keep 358)."""
    p = syn._csv("unit_parents.csv")
    p = p[p["valid_from"] == ""]
    return dict(zip(p["code"], p["parent_code"]))


# --- values after the split ---------------------------------------------------------------------------


@dataclass
class PresentModel:
    """New-commune arrays (communes × quarters) after the split."""

    communes: list[str]
    quarters: tuple[tuple[int, int], ...]
    present: np.ndarray
    num: dict[str, np.ndarray]
    den: dict[str, np.ndarray]
    value: dict[str, np.ndarray]
    old_num: dict[str, np.ndarray]  # the old communes' continued arrays (before combining)
    old_den: dict[str, np.ndarray]


def _other_latent(rng: np.random.Generator, codes: list[str]) -> dict[str, np.ndarray]:
    """A latent state for the old communes of Hà Nam and the former Ninh Bình (no history in the samples)."""
    kinds = dict(zip(all_units()["code"], all_units()["type"]))
    home = home_district()
    districts = sorted({home[c] for c in codes})
    d_eff = dict(zip(districts, rng.normal(0.0, 0.25, len(districts))))
    d_drift = dict(zip(districts, rng.normal(0.0, 0.03, len(districts))))
    return {
        "d_eff": np.array([d_eff[home[c]] for c in codes])[:, None],
        "d_drift": np.array([d_drift[home[c]] for c in codes])[:, None],
        "type_eff": np.array([TYPE_EFFECT.get(kinds[c], 0.0) for c in codes])[:, None],
        "capacity": rng.normal(0.0, 1.0, (len(codes), 1)),
        **{f"{b}_base": np.array([rng.uniform(*SIZE[b][kinds[c]]) for c in codes])[:, None] for b in SIZE},
    }


@lru_cache(maxsize=4)
def present_model(quarters: tuple[tuple[int, int], ...] | None = None) -> PresentModel:
    """Continue the old communes after Quý II/2025 and combine them into the new communes (deterministic)."""
    quarters = quarters or present_quarters()
    old = syn.values_model()
    rng = np.random.default_rng(20260701)
    nd = old.communes
    others = old_communes()[len(nd):]
    other = _other_latent(rng, others)
    n_old, nq = len(old_communes()), len(quarters)
    t = np.array([y + (q - 0.5) / 4.0 for y, q in quarters])
    years = np.array([y for y, _ in quarters])
    season = np.array([SEASON[q] for _, q in quarters])
    growth = 1.06 ** (years - 2021)
    work = old.latent["workload"]
    base = {b: np.vstack([work[b], other[f"{b}_base"]]) for b in SIZE}
    dossiers = rng.poisson(base["dossiers"] * growth * season)
    work_files = rng.poisson(base["work_files"] * growth)
    documents = rng.poisson(base["documents"] * growth * season)
    anchor_t = np.arange(2021, 2027) + 0.5
    old_num: dict[str, np.ndarray] = {}
    old_den: dict[str, np.ndarray] = {}
    old_val: dict[str, np.ndarray] = {}
    for spec in syn.RATE_SPECS:
        lat = old.latent[spec.code]
        curve = np.interp(t, anchor_t, [syn._logit(a) for a in (*spec.anchors, ANCHOR_2026[spec.code])])
        own = rng.normal(0.0, spec.commune_sd, (len(others), 1))
        static = np.vstack([lat["static"], spec.district_scale * (other["d_eff"] + other["type_eff"])
                            + 0.7 * spec.commune_sd * other["capacity"] + own])
        drift = np.vstack([lat["drift"], spec.district_scale * other["d_drift"]])
        share = np.vstack([lat["share"], rng.uniform(0.85, 1.15, (len(others), 1)) * spec.share])
        noise = rng.normal(0.0, spec.noise_sd, (n_old, nq))
        z = rng.standard_normal((n_old, nq))
        p = syn._expit(curve[None, :] + static + drift * (t[None, :] - 2023.0) + noise + float(lat["shift"]))
        if spec.base == "none":
            old_val[spec.code] = 100.0 * p
            continue
        if spec.base == "dossiers":
            d = np.maximum(1, np.rint(dossiers * share))
        elif spec.base == "work_files":
            d = np.maximum(1, work_files).astype(float)
        elif spec.base == "documents":
            d = np.maximum(1, documents).astype(float)
        else:
            d = np.maximum(5, np.rint(old_num["TTHC_ONLINE_DOSSIER_RATE"] * share))
        n = np.clip(np.rint(d * p + z * np.sqrt(d * p * (1.0 - p))), 0, d)
        old_num[spec.code], old_den[spec.code] = n.astype(np.int64), d.astype(np.int64)
    m = shares()
    num = {k: np.rint(m @ v).astype(np.int64) for k, v in old_num.items()}
    den = {k: np.maximum(1, np.rint(m @ v)).astype(np.int64) for k, v in old_den.items()}
    num = {k: np.minimum(v, den[k]) for k, v in num.items()}
    weight = m[:, :, None] * dossiers[None, :, :]  # new × old × quarter
    value = {k: np.round((weight * v[None, :, :]).sum(axis=1) / weight.sum(axis=1), 2) for k, v in old_val.items()}
    codes = new_communes()
    trailing = {c: _trailing(c) for c in codes}
    miss_p = np.array([0.04 if trailing[c] else 0.015 for c in codes])[:, None]
    present = rng.random((len(codes), nq)) >= miss_p
    return PresentModel(codes, quarters, present, num, den, value, old_num, old_den)


def _trailing(new_code: str) -> bool:
    """A new commune formed mostly from communes of Giao Thủy or Nghĩa Hưng (the trailing districts)."""
    preds = predecessors(new_code)
    home = home_district()
    return sum(home.get(p) in ("361", "365") for p in preds) * 2 > len(preds)


def _leading(new_code: str) -> bool:
    """A new commune formed mostly from communes of the city or Hải Hậu."""
    preds = predecessors(new_code)
    home = home_district()
    return sum(home.get(p) in ("356", "366", "358") for p in preds) * 2 > len(preds)


def _aggregate(m: PresentModel, code: str, qi: int, idx: list[int]) -> tuple[float | None, int | None, int | None]:
    rows = [i for i in idx if m.present[i, qi]]
    if not rows:
        return None, None, None
    if code in m.num:
        n, d = int(m.num[code][rows, qi].sum()), int(m.den[code][rows, qi].sum())
        return round(100.0 * n / d, 2), n, d
    return round(float(np.mean(m.value[code][rows, qi])), 2), None, None


def present_values_rows() -> list[list[object]]:
    """Long rows after the split: indicator × quarter × (the new province, each reporting commune), codes as typed."""
    m = present_model()
    u = all_units().set_index("code")
    names = syn.values_model().names
    rows: list[list[object]] = []
    every = list(range(len(m.communes)))
    for spec in syn.RATE_SPECS:
        for qi, (y, q) in enumerate(m.quarters):
            rows.append([spec.code, names[spec.code], u.loc[NEW_PROVINCE, "official_code"], u.loc[NEW_PROVINCE, "name"],
                         y, q, *_aggregate(m, spec.code, qi, every)])
            for i, c in enumerate(m.communes):
                if m.present[i, qi]:
                    rows.append([spec.code, names[spec.code], u.loc[c, "official_code"], u.loc[c, "name"], y, q,
                                 *_aggregate(m, spec.code, qi, [i])])
    return rows


def _report_date(last: tuple[int, int]) -> str:
    """"Ninh Bình, ngày 15 tháng 10 năm 2026": the 15th of the month after the last quarter."""
    after = Quarter(*last).next().start
    return f"Ninh Bình, ngày 15 tháng {after.month} năm {after.year}"


def write_present_values(path: Path) -> Path:
    """The values workbook of the new province (sheet «Số liệu»), Quý III/2025 … the last closed quarter."""
    quarters = present_model().quarters
    first, last = quarters[0], quarters[-1]
    spec = syn.SheetSpec(
        "Số liệu",
        ("SỐ LIỆU CÁC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH THEO QUÝ",
         f"TỪ QUÝ {Quarter(*first).roman}/{first[0]} ĐẾN QUÝ {Quarter(*last).roman}/{last[0]}",
         "(Tổng hợp từ báo cáo của UBND các xã, phường; số liệu cấp tỉnh là tổng tử số, mẫu số của các xã, "
         "phường có báo cáo)"),
        syn.VALUES_HEADER, present_values_rows(), (30, 50, 10, 26, 7, 6, 10, 10, 10),
        issuer=("UBND TỈNH NINH BÌNH", "SỞ NỘI VỤ"),
        signature=syn._signature(_report_date(last), "NGƯỜI TỔNG HỢP", "Vũ Thị Hạnh"),
        signature_col=7, formats={7: "0.00", 8: "#,##0", 9: "#,##0"}, center_cols=(3, 5, 6),
    )
    wb = Workbook()
    syn.write_sheet(wb.active, spec)
    return finish(wb, path)


# --- PAR INDEX 2025 ---------------------------------------------------------------------------------------

PAR_YEAR = 2025
PROVINCE_PAR_2025 = (88.61, 14)  # the new Ninh Bình, rank among the 34 provinces and cities


@lru_cache(maxsize=1)
def agencies_all() -> pd.DataFrame:
    """agencies.csv, every province and period."""
    return syn._csv("agencies.csv")


def agency_predecessors(code: str) -> list[str]:
    """Every agency that flowed into `code` (transitively, share > 0), nearest first."""
    s = syn._csv("agency_successors.csv")
    s = s[s["share"].astype(float) > 0]
    out: list[str] = []
    frontier = [code]
    while frontier:
        nxt = []
        for c in frontier:
            for p in s.loc[s["successor_code"] == c, "code"]:
                if p not in out:
                    out.append(p)
                    nxt.append(p)
        frontier = nxt
    return out


def new_departments() -> list[str]:
    """The new province's departments (rank group «department»), in agencies.csv order."""
    a = agencies_all()
    return list(a.loc[(a["unit_code"] == NEW_PROVINCE) & (a["rank_group"] == "department"), "code"])


@lru_cache(maxsize=1)
def par_2025() -> syn.ParScores:
    """Component scores of 2025 for the merged departments and the new communes, near their predecessors' 2024."""
    rng = np.random.default_rng(20260403)
    old = syn.par_scores()
    maxima = np.array([mx for _, _, mx in syn.PAR_COMPONENTS])
    survey = [c for c, _, _ in syn.PAR_COMPONENTS].index("survey")
    subjects = {"department": new_departments(), "commune": new_communes()}
    scores: dict[tuple[str, int, str], np.ndarray] = {}
    m = shares()
    old_index = {c: j for j, c in enumerate(old_communes())}
    for kind, codes in subjects.items():
        for i, code in enumerate(codes):
            if kind == "department":
                before = [old.total("department", 2024, p) for p in agency_predecessors(code)
                          if ("department", 2024, p) in old.scores]
                level = float(np.mean(before)) + 0.9 if before else 85.0 + rng.normal(0.0, 1.5)
            else:
                row = m[i]
                w = [(row[old_index[p]], old.total("commune", 2024, p)) for p in predecessors(code)
                     if ("commune", 2024, p) in old.scores]
                level = (sum(a * b for a, b in w) / sum(a for a, _ in w) + 1.1) if w else 84.0 + rng.normal(0.0, 2.5)
            bias = rng.normal(0.0, 2.5, len(maxima))
            bias[survey] *= 0.4
            bias -= float(bias @ maxima) / float(maxima.sum())
            pct = level + bias + rng.normal(0.0, 1.2, len(maxima))
            scores[(kind, PAR_YEAR, code)] = np.round(maxima * np.clip(pct, 40.0, 99.5) / 100.0, 2)
    return syn.ParScores(subjects, scores)


def _par_names(kind: str) -> dict[str, str]:
    if kind == "department":
        a = agencies_all().set_index("code")
        return {c: str(a.loc[c, "name"]) for c in new_departments()}
    u = all_units().set_index("code")
    return {c: str(u.loc[c, "name"]) for c in new_communes()}


def write_present_par(path: Path) -> Path:
    """PAR INDEX 2025 of the new province: «Tỉnh», «Sở ngành 2025», «Xã 2025»."""
    par = par_2025()
    wb = Workbook()
    score, rank = PROVINCE_PAR_2025
    u = all_units().set_index("code")
    province = syn.SheetSpec(
        "Tỉnh",
        ("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA TỈNH NINH BÌNH DO BỘ NỘI VỤ CÔNG BỐ", f"NĂM {PAR_YEAR}"),
        ("STT", "Mã", "Cơ quan, đơn vị", "Năm", "Tổng điểm (tối đa 100 điểm)", "Xếp hạng"),
        [[1, u.loc[NEW_PROVINCE, "official_code"], u.loc[NEW_PROVINCE, "name"], PAR_YEAR, score, rank]],
        (6, 8, 26, 8, 16, 10), issuer=("ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH"),
        notes=("Ghi chú: xếp hạng trong 34 tỉnh, thành phố trực thuộc Trung ương.",),
        signature=("", "SỞ NỘI VỤ TỔNG HỢP"), signature_col=5, formats={5: "0.00"}, center_cols=(1, 2, 4, 6),
    )
    syn.write_sheet(wb.active, province)
    titles = {"department": "CỦA CÁC SỞ, BAN, NGÀNH THUỘC UBND TỈNH", "commune": "CỦA UBND CÁC XÃ, PHƯỜNG"}
    for kind in ("department", "commune"):
        spec = syn._par_sheet(par, kind, PAR_YEAR, names=_par_names(kind), subject_title=titles[kind],
                              place="Ninh Bình", decision="Quyết định số 615/QĐ-UBND ngày 27/3/2026",
                              issuer=("ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH"))
        syn.write_sheet(wb.create_sheet(), spec)
    return finish(wb, path)


# --- progress of the annual plans 2024–2026 -------------------------------------------------------------


def _agency_period(code: str) -> tuple[str, str]:
    row = agencies_all().set_index("code").loc[code]
    return str(row["valid_from"]), str(row["valid_to"])


def _valid_on(code: str, on: date) -> bool:
    start, end = _agency_period(code)
    iso = on.isoformat()
    return (not start or start <= iso) and (not end or end >= iso)


def _next(code: str, on: date) -> str | None:
    """The main successor (largest share) of an agency that ended, in force from a date on or before `on`."""
    s = syn._csv("agency_successors.csv")
    nxt = s[(s["code"] == code) & (s["valid_from"] <= on.isoformat())]
    if nxt.empty:
        return None
    return str(nxt.sort_values("share", key=lambda c: -c.astype(float)).iloc[0]["successor_code"])


def successor_chain(code: str, on: date) -> list[str]:
    """`code` and the agencies that carried its tasks on up to the one in force on a date (empty when a people's
    committee or a district office ended: its level's tasks are not reported on after)."""
    chain = [code]
    while not _valid_on(chain[-1], on):
        if syn._agency_kinds().get(chain[-1]) in ("people_committee", "district_office") or len(chain) > 4:
            return []
        nxt = _next(chain[-1], on)
        if nxt is None:
            return []
        chain.append(nxt)
    return chain


def _reporter(o: syn.PlanOutput, agency: str, qi: int) -> str | None:
    """Who reports an assignment in a quarter: the agency, or after it ended its successor, unless the successor
    (or an agency between them) is a lead of the same output and reports on its own row."""
    chain = successor_chain(agency, Quarter.from_index(qi).start)
    if not chain or any(a in o.leads for a in chain[1:]):
        return None
    return chain[-1]


def _window_present(o: syn.PlanOutput) -> tuple[int, int]:
    a, b = o.period
    return Quarter(a, 1).index, Quarter(b, 4).index


def present_progress_rows(plans: list[syn.PlanOutput]) -> list[list[object]]:
    """Quarterly progress of the annual plans 2024–2026 up to the last closed quarter; one row per
    (output, reporting agency, quarter) (a successor that took two merged agencies' tasks reports once)."""
    last = Quarter(*last_closed_quarter()).index
    names = dict(zip(agencies_all()["code"], agencies_all()["name"]))
    out = syn._progress(plans, np.random.default_rng(20260404), names, Quarter(2024, 1).index, last, _window_present, _reporter)
    seen: set[tuple[str, str, str]] = set()
    rows = []
    for _, row in out:
        key = (str(row[0]), str(row[3]), str(row[4]))
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
    return rows
