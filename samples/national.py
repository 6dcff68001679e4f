"""A deterministic national dataset on the 2025 map: 34 provinces, 3.321 communes, every indicator of the
product's catalogue quarterly from Quý I/2021 to the last closed quarter (`settings.today()`).

Units come from the public `vietnamadminunits` package's 2025 dataset (`admin_units`), with their official
codes and the keys the reference tables use (official code + "-2025", as scripts/build_reference.py makes
them). The catalogue is the product's: the 63 indicators of data/reference/seed_targets.csv (the sample
catalogue workbook is made from the same table). Every unit has a value for every indicator and quarter:
63 × 23 quarters (to Quý III/2026) × 3.355 units = 4,86 million values.

Value models (those of samples/synthetic.py where they fit):
- rates with numerator and denominator (is_rate): a logit curve over time (the sample anchors of
  synthetic.RATE_SPECS and present.ANCHOR_2026 where the indicator has them, else a drawn start and yearly gain),
  plus province, commune-capacity, ward/town and own effects and quarterly noise; denominators are Poisson
  workloads by commune type, growing 6 % a year with the seasons; numerators a binomial (normal approximation).
  A province's row is Σ numerator / Σ denominator over its communes, never a mean of percentages;
- other percentages (satisfaction): the commune's expit of the same kind of logit; the province's is the mean
  weighted by dossiers;
- PAR INDEX scores (điểm, % điểm tối đa): one score per year (the same in its four quarters), rising slowly;
  ranks (hạng) within the province for communes and among all 34 provinces for provinces; groups (nhóm) from
  the score (RANK_GROUP_THRESHOLDS); milestones (mốc) 0 until the quarter they are reached, then 1;
- additive changes (người, đơn vị, tỷ đồng; going down): cumulative reductions since 2021, the province's the sum
  of its communes'.

Deterministic: each province draws from its own stream, `default_rng([seed, official code, indicator])`, so a
province's rows do not depend on which other provinces are generated (the provinces' ranks come from the
province-level scores of all 34, drawn from streams of their own). Same seed → byte-identical output
(`write_tsv`, which is also exactly what store.bulk sends to PostgreSQL's COPY).
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO

import numpy as np

import settings
from catalogue import FIRST_QUARTER, RANK_GROUP_THRESHOLDS
from samples import synthetic as syn
from samples.present import ANCHOR_2026, SEASON, SIZE, TYPE_EFFECT, last_closed_quarter
from store.bulk import Row, copy_text, load_values

SEED = 20251313
KEY_SUFFIX = "-2025"  # as scripts/build_reference.py keys the units of the 2025 map
MAP_FROM = date(2025, 7, 1)
PACKAGE = "vietnamadminunits"
CATALOGUE = syn.REFERENCE / "seed_targets.csv"
UNIT_COLUMNS = ("code", "official_code", "name", "short_name", "level", "type", "province_code", "valid_from",
                "valid_to", "lat", "lon", "area_km2")
UNIT_TYPES = ("Thành phố", "Đặc khu", "Tỉnh", "Phường", "Xã")


@dataclass(frozen=True)
class Unit:
    """One unit of the 2025 map as the units table holds it."""

    code: str  # key: official code + "-2025"
    official_code: str
    name: str
    short_name: str
    level: str  # province | commune
    type: str
    province_code: str  # key of its province
    lat: float | None
    lon: float | None
    area_km2: float | None

    def row(self) -> dict:
        """The units table's row (valid from 01/07/2025, in force)."""
        return {"code": self.code, "official_code": self.official_code, "name": self.name,
                "short_name": self.short_name, "level": self.level, "type": self.type,
                "province_code": self.province_code, "valid_from": MAP_FROM, "valid_to": None, "lat": self.lat,
                "lon": self.lon, "area_km2": self.area_km2}


@dataclass(frozen=True)
class Province:
    """A province of the 2025 map with its communes (official code order)."""

    unit: Unit
    communes: tuple[Unit, ...]

    @property
    def official_code(self) -> str:
        return self.unit.official_code

    def units(self) -> tuple[Unit, ...]:
        """The province first, then its communes: the order of the rows of each indicator and quarter."""
        return (self.unit, *self.communes)


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue."""

    code: str
    name: str
    unit: str
    direction: str
    is_rate: bool


def dataset_path() -> Path:
    """The `vietnamadminunits` package's SQLite dataset (requirements-build.txt pins the version)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{PACKAGE} is not installed: pip install -r requirements-build.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"


def _name(name: str, short: str, typ: str) -> tuple[str, str, str]:
    """(name, short name, type): the name's own prefix wins over the dataset's type column (build_reference)."""
    name = name.strip()
    short = short.strip().split(" (")[0]
    for t in UNIT_TYPES:
        if name.casefold().startswith(t.casefold() + " "):
            return f"{t}{name[len(t):]}", short, t
    return name, short, typ.strip()


@lru_cache(maxsize=2)
def provinces_2025(db: Path | None = None) -> tuple[Province, ...]:
    """Every province of the 2025 map with its communes, in official code order."""
    con = sqlite3.connect(f"file:{db or dataset_path()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT provinceCode, province, provinceShort, provinceLat, provinceLon, wardCode, ward, wardShort, "
            "wardType, wardLat, wardLon, wardAreaKm2 FROM admin_units "
            "ORDER BY CAST(provinceCode AS INTEGER), CAST(wardCode AS INTEGER)").fetchall()
    finally:
        con.close()
    out: dict[str, tuple[Unit, list[Unit]]] = {}
    areas: dict[str, float] = {}
    for pc, pname, pshort, plat, plon, wc, wname, wshort, wtype, wlat, wlon, warea in rows:
        pkey = pc + KEY_SUFFIX
        if pc not in out:
            name, short, typ = _name(pname, pshort, "Tỉnh")
            out[pc] = (Unit(pkey, pc, name, short, "province", typ, pkey, plat, plon, None), [])
        name, short, typ = _name(wname, wshort, wtype)
        out[pc][1].append(Unit(wc + KEY_SUFFIX, wc, name, short, "commune", typ, pkey, wlat, wlon,
                               None if warea is None else round(float(warea), 2)))
        areas[pc] = areas.get(pc, 0.0) + float(warea or 0.0)
    provinces = []
    for pc, (prov, communes) in out.items():
        prov = Unit(**{**prov.__dict__, "area_km2": round(areas[pc], 2)})
        provinces.append(Province(prov, tuple(communes)))
    return tuple(provinces)


def pick(count: int | None = None, first: str | None = None) -> list[Province]:
    """`count` provinces (all when None): the province served first (`first`, default settings.province()), then
    the others in official code order."""
    first = settings.province() if first is None else first
    every = sorted(provinces_2025(), key=lambda p: (p.official_code != first, int(p.official_code)))
    return every if count is None else every[:count]


def quarters(last: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Quý I/2021 … `last` (default: the last closed quarter at settings.today())."""
    last = last or last_closed_quarter()
    out, (y, q) = [], FIRST_QUARTER
    while (y, q) <= last:
        out.append((y, q))
        y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    return out


@lru_cache(maxsize=1)
def catalogue() -> tuple[Indicator, ...]:
    """The product's indicator catalogue (the 63 indicators of seed_targets.csv), in table order."""
    seen: dict[str, Indicator] = {}
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["indicator_code"] not in seen:
                seen[r["indicator_code"]] = Indicator(r["indicator_code"], r["indicator_name"], r["unit"],
                                                      r["direction"] or "up", r["is_rate"] == "1")
    return tuple(seen.values())


def expected_rows(provinces: list[Province], last: tuple[int, int] | None = None) -> int:
    """How many values `generate` makes: indicators × quarters × units (every unit reports every quarter)."""
    return len(catalogue()) * len(quarters(last)) * sum(len(p.units()) for p in provinces)


# --- the value models ------------------------------------------------------------------------------------------
RATE_ANCHORS = {s.code: (s.anchors, s.base, s.share) for s in syn.RATE_SPECS}
PAR_YEAR_GAIN = 0.10  # logit gain of a PAR score per year


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class _Frame:
    """What every indicator of one province is drawn on: communes × quarters."""

    qs: list[tuple[int, int]]
    t: np.ndarray  # quarter mid-points in years (nq)
    years: np.ndarray  # (nq)
    types: list[str]  # commune types
    capacity: np.ndarray  # (nc, 1) a commune's general capacity
    type_eff: np.ndarray  # (nc, 1)
    prov_capacity: float
    workload: dict[str, np.ndarray]  # basis → (nc, nq) Poisson counts


def _frame(province: Province, seed: int, qs: list[tuple[int, int]]) -> _Frame:
    rng = np.random.default_rng([seed, int(province.official_code), 0])
    types = [c.type if c.type in SIZE["dossiers"] else "Xã" for c in province.communes]
    nc = len(types)
    t = np.array([y + (q - 0.5) / 4.0 for y, q in qs])
    years = np.array([y for y, _ in qs])
    growth = 1.06 ** (years - 2021)
    season = np.array([SEASON[q] for _, q in qs])
    workload = {}
    for basis, sizes in SIZE.items():
        base = np.array([rng.uniform(*sizes[k]) for k in types])[:, None]
        workload[basis] = rng.poisson(base * growth * (season if basis != "work_files" else 1.0)).astype(np.int64)
    return _Frame(qs, t, years, types, rng.normal(0.0, 1.0, (nc, 1)),
                  np.array([TYPE_EFFECT.get(k, 0.0) for k in types])[:, None], float(rng.normal(0.0, 1.0)), workload)


def _curve(code: str, fr: _Frame, rng: np.random.Generator) -> np.ndarray:
    """The national logit curve of a percentage over the quarters."""
    if code in RATE_ANCHORS:
        anchors = list(RATE_ANCHORS[code][0])
        at = list(np.arange(2021, 2021 + len(anchors)) + 0.5)
        if code in ANCHOR_2026:
            anchors.append(ANCHOR_2026[code])
            at.append(2026.5)
        return np.interp(fr.t, at, [_logit(a / 100.0) for a in anchors])
    start, gain = rng.uniform(0.08, 0.7), rng.uniform(0.15, 0.55)
    return _logit(start) + gain * (fr.t - 2021.5)


def _logits(code: str, fr: _Frame, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """(commune logits nc × nq, the province's own shift) of a percentage."""
    nc, nq = fr.capacity.shape[0], len(fr.qs)
    prov = rng.normal(0.0, 0.35) + 0.25 * fr.prov_capacity
    own = rng.normal(0.0, 0.30, (nc, 1))
    noise = rng.normal(0.0, 0.12, (nc, nq))
    drift = rng.normal(0.0, 0.04)  # the province drifts ahead or behind over the years
    return (_curve(code, fr, rng)[None, :] + prov + drift * (fr.t[None, :] - 2023.0) + fr.type_eff
            + 0.21 * fr.capacity + own + noise), prov


def _rate(code: str, fr: _Frame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(numerators, denominators), communes × quarters."""
    logit, _prov = _logits(code, fr, rng)
    basis, share = (RATE_ANCHORS[code][1], RATE_ANCHORS[code][2]) if code in RATE_ANCHORS else ("dossiers", None)
    basis = basis if basis in fr.workload else "dossiers"
    share = share if share is not None else rng.uniform(0.15, 1.0)
    d = np.maximum(1, np.rint(fr.workload[basis] * share * rng.uniform(0.85, 1.15, (logit.shape[0], 1))))
    p = _expit(logit)
    z = rng.standard_normal(logit.shape)
    n = np.clip(np.rint(d * p + z * np.sqrt(d * p * (1.0 - p))), 0, d)
    return n.astype(np.int64), d.astype(np.int64)


def _par_share(fr: _Frame, rng: np.random.Generator, level: float) -> np.ndarray:
    """A PAR INDEX score as a share of the maximum, one per commune and year, repeated over the year's quarters."""
    nc = fr.capacity.shape[0]
    year_list = sorted(set(fr.years.tolist()))
    yearly = (level + PAR_YEAR_GAIN * (np.array(year_list)[None, :] - 2021) + 0.3 * fr.capacity
              + rng.normal(0.0, 0.25, (nc, 1)) + rng.normal(0.0, 0.12, (nc, len(year_list))))
    col = {y: i for i, y in enumerate(year_list)}
    return _expit(yearly[:, [col[y] for y in fr.years]])


@lru_cache(maxsize=8)
def _province_scores(seed: int, qs: tuple[tuple[int, int], ...]) -> dict[str, dict[str, np.ndarray]]:
    """Province-level yearly PAR and satisfaction scores (share of the maximum, by quarter) of all 34 provinces,
    each from a stream of its own, and the provinces' ranks among all of them."""
    years = np.array([y for y, _ in qs])
    out: dict[str, dict[str, np.ndarray]] = {}
    for p in provinces_2025():
        rng = np.random.default_rng([seed, int(p.official_code), 10_000])
        base = rng.normal(1.75, 0.25)
        year_list = sorted(set(years.tolist()))
        par = _expit(base + PAR_YEAR_GAIN * (np.array(year_list) - 2021) + rng.normal(0.0, 0.08, len(year_list)))
        sat = _expit(rng.normal(1.9, 0.2) + 0.06 * (np.array(year_list) - 2021) + rng.normal(0.0, 0.08, len(year_list)))
        col = {y: i for i, y in enumerate(year_list)}
        idx = [col[y] for y in years]
        out[p.official_code] = {"par": par[idx], "sat": sat[idx]}
    codes = list(out)
    for key, rank_key in (("par", "par_rank"), ("sat", "sat_rank")):
        scores = np.array([out[c][key] for c in codes])  # provinces × quarters
        ranks = (-scores).argsort(axis=0, kind="stable").argsort(axis=0, kind="stable") + 1
        for i, c in enumerate(codes):
            out[c][rank_key] = ranks[i]
    return out


def _rank(scores: np.ndarray) -> np.ndarray:
    """Rank (1 = best) of each row within each column."""
    return (-scores).argsort(axis=0, kind="stable").argsort(axis=0, kind="stable") + 1


def _group(share: np.ndarray) -> np.ndarray:
    """PAR INDEX group number (1 = Tốt … 4 = Yếu) from a share of the maximum."""
    pct = 100.0 * share
    out = np.full(share.shape, len(RANK_GROUP_THRESHOLDS), dtype=np.int64)
    for i, (_g, low) in reversed(list(enumerate(RANK_GROUP_THRESHOLDS, 1))):
        out[pct >= low] = i
    return out


def _province_block(province: Province, seed: int, qs: list[tuple[int, int]]) -> list[Row]:
    """Every value of one province: per indicator, per quarter, the province's row then its communes'."""
    fr = _frame(province, seed, qs)
    nc, nq = fr.capacity.shape[0], len(qs)
    national = _province_scores(seed, tuple(qs))[province.official_code]
    codes = [u.code for u in province.units()]
    dossiers = fr.workload["dossiers"]
    rows: list[Row] = []
    # the communes' PAR INDEX and satisfaction index (shares of the maximum): the score, rank and group agree
    par_share = _par_share(fr, np.random.default_rng([seed, int(province.official_code), 20_000]), 1.6)
    sat_share = _par_share(fr, np.random.default_rng([seed, int(province.official_code), 20_001]), 1.9)
    for k, ind in enumerate(catalogue(), 1):
        rng = np.random.default_rng([seed, int(province.official_code), k])
        num = den = None
        if ind.is_rate:
            num, den = _rate(ind.code, fr, rng)
            pv = np.concatenate([num.sum(axis=0, keepdims=True), den.sum(axis=0, keepdims=True)])
            value = np.vstack([100.0 * pv[0] / pv[1], 100.0 * num / den])
            num = np.vstack([pv[0][None, :], num])
            den = np.vstack([pv[1][None, :], den])
        elif ind.unit == "%":
            logit, _prov = _logits(ind.code, fr, rng)
            v = 100.0 * _expit(logit)
            value = np.vstack([(v * dossiers).sum(axis=0) / dossiers.sum(axis=0), v])
        elif ind.code == "PAR_INDEX_SCORE":
            value = 100.0 * np.vstack([national["par"][None, :], par_share])
        elif ind.unit in ("% điểm tối đa", "điểm"):  # the index's components
            share = _par_share(fr, rng, rng.normal(1.6, 0.3))
            prov = np.clip(national["par"] * rng.uniform(0.97, 1.03), 0.0, 1.0)
            value = 100.0 * np.vstack([prov[None, :], share])
        elif ind.unit == "hạng":
            share, prov_rank = ((par_share, national["par_rank"]) if ind.code == "PAR_INDEX_RANK"
                                else (sat_share, national["sat_rank"]))
            value = np.vstack([prov_rank[None, :], _rank(share)]).astype(float)
        elif ind.unit == "nhóm":
            value = np.vstack([_group(national["par"])[None, :], _group(par_share)]).astype(float)
        elif ind.unit == "mốc":
            reached = rng.integers(0, nq + 6, nc + 1)[:, None]  # some not reached yet
            value = (np.arange(nq)[None, :] >= reached).astype(float)
        else:  # additive changes since 2021 (people, units, billion đồng): cumulative reductions
            if ind.unit == "tỷ đồng":
                step = rng.gamma(0.6, 0.08, (nc, nq))
                v = -np.round(np.cumsum(step, axis=1), 2)
            else:
                lam = 0.35 if ind.unit == "người" else 0.03
                v = -np.cumsum(rng.poisson(lam, (nc, nq)), axis=1).astype(float)
            value = np.vstack([v.sum(axis=0, keepdims=True), v])
        value = np.round(value, 2)
        for qi, (y, q) in enumerate(qs):
            vals = value[:, qi].tolist()
            if num is None:
                rows.extend((ind.code, c, y, q, v, None, None) for c, v in zip(codes, vals))
            else:
                rows.extend(zip([ind.code] * len(codes), codes, [y] * len(codes), [q] * len(codes), vals,
                                num[:, qi].astype(float).tolist(), den[:, qi].astype(float).tolist()))
    return rows


def generate(provinces: list[Province], seed: int = SEED, last: tuple[int, int] | None = None) -> Iterator[list[Row]]:
    """One block of rows (indicator, unit key, year, quarter, value, numerator, denominator) per province."""
    qs = quarters(last)
    for p in provinces:
        yield _province_block(p, seed, qs)


def write_tsv(fh: IO[bytes], provinces: list[Province], seed: int = SEED, last: tuple[int, int] | None = None) -> tuple[int, str]:
    """Write the dataset as PostgreSQL COPY text (tab-separated, \\N for none); returns (rows, sha256)."""
    h = hashlib.sha256()
    n = 0
    for block in generate(provinces, seed, last):
        data = copy_text(block).encode("utf-8")
        h.update(data)
        fh.write(data)
        n += len(block)
    return n, h.hexdigest()


def unit_rows(provinces: list[Province]) -> tuple[list[dict], list[dict]]:
    """(units rows, unit_parents rows) of the provinces: each commune's parent is its province from 01/07/2025."""
    units, parents = [], []
    for p in provinces:
        units.extend(u.row() for u in p.units())
        parents.extend({"code": c.code, "parent_code": p.unit.code, "valid_from": MAP_FROM, "valid_to": None}
                       for c in p.communes)
    return units, parents


def indicator_rows() -> list[dict]:
    """The catalogue as indicator_versions fields (for a database that has no catalogue yet)."""
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        area = {}
        for r in csv.DictReader(fh):
            area.setdefault(r["indicator_code"], r["area"] or None)
    return [{"code": i.code, "name": i.name, "area_code": area[i.code], "unit": i.unit, "direction": i.direction,
             "is_rate": i.is_rate} for i in catalogue()]


def batch_name(provinces: list[Province], seed: int = SEED, last: tuple[int, int] | None = None) -> tuple[str, dict]:
    """(file name, options) of the import batch of a generated dataset: what identifies it (same seed, provinces
    and quarters give the same bytes)."""
    y, q = (quarters(last) or [FIRST_QUARTER])[-1]
    name = f"national-{len(provinces)}p-seed{seed}-{y}q{q}"
    return name, {"generator": "samples.national", "seed": seed, "provinces": [p.official_code for p in provinces],
                  "last": f"{y}-Q{q}"}


def load(engine, provinces: list[Province], *, user: str, seed: int = SEED,  # noqa: ANN001 - an Engine
         last: tuple[int, int] | None = None, via: str = "cli", progress=None):  # noqa: ANN001, ANN201
    """Generate and bulk-load a dataset (store.bulk.load_values): the units of the provinces where missing, the
    catalogue's indicators where missing, every value as one audited batch. Returns store.bulk.BulkResult."""
    name, options = batch_name(provinces, seed, last)
    return load_values(engine, generate(provinces, seed, last), name, user=user, options=options,
                       units=unit_rows(provinces), indicators=indicator_rows(), via=via, progress=progress)
