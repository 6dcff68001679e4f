"""The sample workbooks: deterministic, committed as generated, parse cleanly and tell a consistent story."""
from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import python_calamine

from loaders.parse import ParseResult, parse_workbook
from samples import synthetic as syn

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "data" / "samples"
RATES = [s.code for s in syn.RATE_SPECS if s.base != "none"]
EXPECTED_KINDS = {
    "01_ke_hoach_2023_tinh.xlsx": ["plan_tasks"],
    "02_ke_hoach_par_thanh_pho_2021_2025.xlsx": ["plan_tasks"],
    "02a_ke_hoach_2024_tinh.xlsx": ["plan_tasks"],
    "02b_ke_hoach_2025_tinh.xlsx": ["plan_tasks"],
    "02c_ke_hoach_2026_tinh_ninh_binh.xlsx": ["plan_tasks"],
    "03_danh_muc_chi_tieu.xlsx": ["instructions", "indicator_catalogue"],
    "04_tien_do.xlsx": ["progress"] * 6,  # 2021 … 2026
    "05_so_lieu_chi_tieu.xlsx": ["indicator_values"],
    "05a_so_lieu_chi_tieu_tu_quy_3_2025.xlsx": ["indicator_values"],
    "06_so_lieu_nam_dang_ngang.xlsx": ["indicator_values_wide", "indicator_values_wide"],
    "07_par_index.xlsx": ["par_scores"] * 13,
    "07a_par_index_2025.xlsx": ["par_scores"] * 3,
}
OLD_PLANS = ("36-2023-158", "356-2021-2025")
SAMPLES_TODAY = "2026-12-02"  # the committed samples reach Quý III/2026, the last closed quarter then


def _make_samples_module():  # noqa: ANN202
    """scripts/make_samples.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def cells(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values, read with python_calamine."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Two independent generations of every sample, on the day the committed ones were made for."""
    make = _make_samples_module().make_samples
    first, second = tmp_path_factory.mktemp("gen1"), tmp_path_factory.mktemp("gen2")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_TODAY", SAMPLES_TODAY)
        make(first)
        make(second)
        yield first, second


@pytest.fixture(scope="module")
def parsed(generated: tuple[Path, Path]) -> Iterator[dict[str, ParseResult]]:
    """Every generated sample parsed (today pinned to the samples' day)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_TODAY", SAMPLES_TODAY)
        yield {name: parse_workbook(generated[0] / name) for name in EXPECTED_KINDS}


# --- (a) determinism and (b) the committed files ---------------------------------------------


def test_generation_is_deterministic(generated: tuple[Path, Path]) -> None:
    """Two generations give byte-identical files (fixed document dates and zip entry times)."""
    first, second = generated
    assert sorted(p.name for p in first.glob("*.xlsx")) == sorted(EXPECTED_KINDS)
    for name in EXPECTED_KINDS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(EXPECTED_KINDS))
def test_committed_samples_equal_fresh_generation(generated: tuple[Path, Path], name: str) -> None:
    """data/samples/ holds exactly what scripts/make_samples.py writes (nobody edits them by hand)."""
    committed = COMMITTED / name
    assert committed.exists(), f"run: CCHC_TODAY={SAMPLES_TODAY} python manage.py samples ({name} missing)"
    assert committed.read_bytes() == (generated[0] / name).read_bytes(), \
        f"{name} differs: run CCHC_TODAY={SAMPLES_TODAY} python manage.py samples"


# --- (c) every sample parses ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_KINDS))
def test_sample_parses_without_errors(parsed: dict[str, ParseResult], name: str) -> None:
    """No errors (warnings allowed) and the expected sheet kinds."""
    result = parsed[name]
    assert result.errors == [], result.errors[:5]
    assert [s.kind for s in result.sheets] == EXPECTED_KINDS[name]
    assert all(s.rows > 0 for s in result.sheets if s.kind != "instructions")


def test_plans_parse_to_known_refs(parsed: dict[str, ParseResult]) -> None:
    """The two appendices give the plans the progress sample refers to."""
    from store.importer import plan_code

    assert plan_code(parsed["01_ke_hoach_2023_tinh.xlsx"].meta) == "36-2023-158"
    assert plan_code(parsed["02_ke_hoach_par_thanh_pho_2021_2025.xlsx"].meta) == "356-2021-2025"
    assert len(parsed["01_ke_hoach_2023_tinh.xlsx"].outputs) == 59
    assert len(parsed["02_ke_hoach_par_thanh_pho_2021_2025.xlsx"].outputs) == 20


def test_catalogue_has_every_seed_target(parsed: dict[str, ParseResult], generated: tuple[Path, Path]) -> None:
    """All 109 seed targets, one per (indicator, level, scope, year); the instructions sheet comes first."""
    assert list(cells(generated[0] / "03_danh_muc_chi_tieu.xlsx"))[:2] == ["Hướng dẫn", "Danh mục chỉ tiêu"]
    rows = cells(generated[0] / "03_danh_muc_chi_tieu.xlsx")["Danh mục chỉ tiêu"]
    header = next(r for r in rows if r and r[0] == "STT")
    assert header == list(syn.CATALOGUE_HEADER)
    frame = parsed["03_danh_muc_chi_tieu.xlsx"].frames["indicator_catalogue"]
    assert len(frame) == 109
    seed = syn.seed_targets()
    want = {(r.indicator_code, r.level, r.scope_unit_code or None, int(r.year)) for r in seed.itertuples()}
    got = {(r.code, r.level, r.scope_unit_code if isinstance(r.scope_unit_code, str) else None, r.spec.year)
           for r in frame.itertuples()}
    assert got == want


def _valid_units(on: date) -> set[str]:
    """Province, districts and communes that exist on a date."""
    return {c for level in ("province", "district", "commune") for c in syn.valid_units(on, level)}


@pytest.fixture(scope="module")
def values(parsed: dict[str, ParseResult]) -> pd.DataFrame:
    """The long values frame with int year/quarter."""
    v = parsed["05_so_lieu_chi_tieu.xlsx"].frames["indicator_values"].copy()
    v["year"] = v["year"].astype(int)
    v["quarter"] = v["quarter"].astype(int)
    return v


def test_values_row_counts(values: pd.DataFrame) -> None:
    """9 indicators × every valid unit × 18 quarters, minus whole commune-quarters that did not report (~2 %)."""
    assert sorted(values["indicator"].unique()) == sorted(s.code for s in syn.RATE_SPECS)
    assert len(syn.QUARTERS) == 18 and syn.QUARTERS[0] == (2021, 1) and syn.QUARTERS[-1] == (2025, 2)
    per_unit_quarter = values.groupby(["unit_code", "year", "quarter"]).size()
    assert set(per_unit_quarter) == {9}  # a commune-quarter is reported whole or not at all
    expected = missing = 0
    communes = 0
    for y, q in syn.QUARTERS:
        valid = _valid_units(syn.quarter_end(y, q))
        got = set(values.loc[(values["year"] == y) & (values["quarter"] == q), "unit_code"])
        assert got <= valid
        absent = valid - got
        assert all(len(c) == 5 for c in absent), "province and districts report every quarter"
        expected += len(valid)
        missing += len(absent)
        communes += len([c for c in valid if len(c) == 5])
    assert expected == 186 * 16 + 185 * 2
    assert len(values) == 9 * (expected - missing)
    assert 0.01 <= missing / communes <= 0.035


def test_values_roll_up_and_coverage(values: pd.DataFrame) -> None:
    """District and province numerators/denominators are the sums of their reporting communes."""
    assert "358" not in set(values.loc[values["year"] == 2025, "unit_code"])
    assert set(values["unit_code"]) == _valid_units(date(2024, 12, 31))  # every district and commune appears
    rates = values[values["indicator"].isin(RATES)]
    assert rates["numerator"].notna().all() and rates["denominator"].notna().all()
    assert (rates["numerator"] <= rates["denominator"]).all() and (values["value"] <= 100).all()
    assert (rates["value"] - (100 * rates["numerator"] / rates["denominator"]).round(2)).abs().max() < 1e-9
    sat = values[values["indicator"] == "ADMIN_SERVICE_SATISFACTION"]
    assert sat["numerator"].isna().all() and sat["value"].between(60, 100).all()
    communes = rates[rates["unit_code"].str.len() == 5]
    for (y, q), frame in rates.groupby(["year", "quarter"]):
        parents = syn.parent_map(syn.quarter_end(y, q))
        part = communes[(communes["year"] == y) & (communes["quarter"] == q)].assign(
            district=lambda f: f["unit_code"].map(parents))
        sums = part.groupby(["indicator", "district"])[["numerator", "denominator"]].sum()
        districts = (frame[frame["unit_code"].str.len() == 3].rename(columns={"unit_code": "district"})
                     .set_index(["indicator", "district"])[["numerator", "denominator"]].sort_index())
        assert districts.index.equals(sums.index), (y, q)
        assert (districts == sums).all().all(), (y, q)
        province = frame[frame["unit_code"] == "36"].set_index("indicator")[["numerator", "denominator"]].sort_index()
        total = part.groupby("indicator")[["numerator", "denominator"]].sum()
        assert province.index.equals(total.index) and (province == total).all().all()


def test_values_story(values: pd.DataFrame) -> None:
    """Province anchors, leaders and laggards, and rates rising over time."""
    online = values[values["indicator"] == "TTHC_ONLINE_DOSSIER_RATE"]
    yearly = online.groupby(["unit_code", "year"])[["numerator", "denominator"]].sum()
    rate = 100 * yearly["numerator"] / yearly["denominator"]
    assert abs(rate[("36", 2024)] - 52.96) < 0.05
    assert [rate[("36", y)] for y in range(2021, 2025)] == sorted(rate[("36", y)] for y in range(2021, 2025))
    per_unit = rate.xs(2024, level="year")
    districts_2024 = per_unit[per_unit.index.str.len() == 3].sort_values()
    assert set(districts_2024.index[:2]) == {"365", "361"}  # Giao Thủy and Nghĩa Hưng trail
    assert set(districts_2024.index[-2:]) == {"356", "366"}  # the city and Hải Hậu lead
    sat = values[(values["indicator"] == "ADMIN_SERVICE_SATISFACTION") & (values["unit_code"] == "36")]
    assert abs(sat.loc[sat["year"] == 2021, "value"].mean() - 84.57) < 0.05


def test_values_wide(parsed: dict[str, ParseResult], values: pd.DataFrame) -> None:
    """The wide example: one indicator not in the long file, province and the 10 districts, 2021–2024."""
    all_wide = parsed["06_so_lieu_nam_dang_ngang.xlsx"].frames["indicator_values"]
    wide = all_wide[all_wide["sheet"] == "Số liệu năm"]
    assert set(wide["indicator"]) == {syn.WIDE_INDICATOR}
    assert syn.WIDE_INDICATOR not in set(values["indicator"])
    assert len(wide) == 11 * 4
    assert sorted(wide["year"].unique()) == [2021, 2022, 2023, 2024] and wide["quarter"].isna().all()
    assert set(wide["unit_code"]) == {"36", *syn.valid_units(date(2024, 12, 31), "district")}
    # the second sheet: yearly figures of other indicators, blank cells (no 2020 figure) skipped
    yearly = all_wide[all_wide["sheet"] == "Chỉ tiêu năm"]
    expected = sum(1 for _c, _u, vals in syn.YEARLY for v in vals if v is not None)
    assert len(yearly) == expected
    postal = yearly[(yearly["indicator"] == "POSTAL_DOSSIER_RATE") & (yearly["year"] == 2020)]
    assert postal["value"].tolist() == [11.2] and postal["unit_code"].tolist() == ["356"]


# --- PAR INDEX -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def par(parsed: dict[str, ParseResult]) -> pd.DataFrame:
    """The PAR frame."""
    return parsed["07_par_index.xlsx"].frames["par_scores"]


def test_par_sheets_and_subjects(par: pd.DataFrame, parsed: dict[str, ParseResult]) -> None:
    """Every subject of every year, totals in a plausible band, components adding up (also in the % sheet)."""
    names = [s.name for s in parsed["07_par_index.xlsx"].sheets]
    assert names[0] == "Tỉnh" and "Sở ngành 2023" in names and "Huyện 2023" in names and "Xã 2023" in names
    totals = par[par["component"] == "total"]
    counts = totals.groupby(["subject_kind", "year"]).size()
    for y in syn.PAR_YEARS:
        assert counts[("department", y)] == 19
        assert counts[("district", y)] == 10
        assert counts[("commune", y)] == 175
        assert counts[("province", y)] == 1
    local = totals[totals["subject_kind"] != "province"]
    assert local["score"].between(65, 96).all()
    comps = par[par["component"] != "total"].groupby(["year", "subject_kind", "subject_code"])["score"].sum()
    joined = local.set_index(["year", "subject_kind", "subject_code"])["score"]
    assert (joined - comps.loc[joined.index]).abs().max() < 0.05
    pct = par[(par["sheet"] == "Huyện 2022") & (par["component"] == "survey")]
    assert (pct["max_score"] == 30).all() and pct["score"].between(15, 30).all()


def test_par_story(par: pd.DataFrame) -> None:
    """Nam Định's MoHA scores; Sở Tư pháp down 3 places in 2024 although its score rose ~1.2 points."""
    prov = par[(par["subject_kind"] == "province") & (par["component"] == "total")].set_index("year")
    assert prov.loc[2021, "score"] == pytest.approx(86.40) and prov.loc[2021, "official_rank"] == 40
    assert prov.loc[2023, "score"] == pytest.approx(87.32) and prov.loc[2023, "official_rank"] == 29
    stp = par[(par["subject_code"] == "STP") & (par["component"] == "total")].set_index("year")
    assert stp.loc[2024, "official_rank"] - stp.loc[2023, "official_rank"] == 3
    assert stp.loc[2024, "score"] - stp.loc[2023, "score"] == pytest.approx(1.2, abs=0.02)
    for year in (2023, 2024):
        districts = par[(par["subject_kind"] == "district") & (par["component"] == "total") & (par["year"] == year)]
        ranked = districts.sort_values("official_rank")["subject_code"].tolist()
        assert set(ranked[-2:]) == {"361", "365"} and {"356", "366"} <= set(ranked[:3])


# --- progress ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def progress(parsed: dict[str, ParseResult], generated: tuple[Path, Path]) -> pd.DataFrame:
    """The progress frame with the plan code and the agency code added."""
    p = parsed["04_tien_do.xlsx"].frames["progress"].copy()
    p["plan"] = p["ref"].str.split("/").str[0]
    codes = dict(zip(syn.agencies()["name"], syn.agencies()["code"]))
    p["agency_code"] = p["agency"].map(codes)
    return p[p["plan"].isin(OLD_PLANS)]  # the 2021–2023 plans (the later ones: test_later_progress_*)


def test_progress_rows_match_plan_assignments(progress: pd.DataFrame, generated: tuple[Path, Path]) -> None:
    """Every row is a lead assignment of a real output, once per quarter, within the plan's window."""
    outputs = syn.read_plan_outputs([generated[0] / n for n in list(EXPECTED_KINDS)[:2]])
    leads = {(o.ref, a) for o in outputs for a in o.leads}
    assert progress["agency_code"].notna().all()
    assert set(zip(progress["ref"], progress["agency_code"])) <= leads
    assert not progress.duplicated(["ref", "agency_code", "year", "quarter"]).any()
    assert len(progress) <= 15_000
    q = progress["year"] * 4 + progress["quarter"] - 1
    plan23 = progress["plan"] == "36-2023-158"
    assert q[plan23].between(2023 * 4, 2024 * 4).all()
    assert q[~plan23].between(2021 * 4 + 2, 2025 * 4 + 1).all()
    assert set(progress.loc[plan23 & (progress["year"] == 2024), "status"]) <= {"done_late", "in_progress"}
    # some reports are missing: fewer rows than assignments × quarters
    per_quarter = progress[plan23 & (progress["year"] == 2023)].groupby("quarter").size()
    assert (per_quarter < len({(r, a) for r, a in leads if r.startswith("36-2023-158/")})).all()


def test_progress_statuses(progress: pd.DataFrame) -> None:
    """Percent consistent with status, evidence on completions, laggards behind."""
    done = progress["status"].isin(["done", "done_late"])
    assert (progress.loc[done, "percent"] == 100).all()
    assert progress.loc[done, "evidence"].notna().all()
    assert (progress.loc[progress["status"] == "not_started", "percent"] == 0).all()
    ip = progress.loc[progress["status"] == "in_progress", "percent"].dropna()
    assert ip.between(10, 90).all()
    assert {"done", "done_late", "in_progress", "not_started"} <= set(progress["status"])
    q4 = progress[(progress["year"] == 2023) & (progress["quarter"] == 4) & (progress["plan"] == "36-2023-158")]
    share = q4.assign(d=q4["status"].isin(["done", "done_late"])).groupby("agency_code")["d"].mean()
    assert share["SYT"] < share["SNV"] and share["UBND-361"] < share["UBND-356"]
    late = progress[progress["status"] == "done_late"]
    assert late["plan"].nunique() == 2


# --- after the 2025 map -----------------------------------------------------------------------------

from samples import present  # noqa: E402


def test_last_closed_quarter_follows_today() -> None:
    """The samples end at the last closed quarter of today's date (the demo shows the present)."""
    cases = {date(2026, 12, 2): (2026, 3), date(2026, 1, 1): (2025, 4), date(2026, 4, 1): (2026, 1),
             date(2025, 9, 30): (2025, 2)}
    for today, want in cases.items():
        assert present.last_closed_quarter(today) == want, today
    assert present.present_quarters(date(2026, 12, 2)) == ((2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3))


def test_annual_plans_dry_run(generated: tuple[Path, Path], sqlite_engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The 2024, 2025 and 2026 appendices rehearse with no error; 2026 is UBND tỉnh Ninh Bình's, every lead
    a merged department, a 2025-map agency or one of the 129 new communes; 2025 names the pre-merger departments."""
    from store.importer import import_workbook
    from store.reference import ensure_reference

    monkeypatch.setenv("CCHC_TODAY", SAMPLES_TODAY)
    ensure_reference(sqlite_engine)
    agencies = present.agencies_all().set_index("code")
    for name, issuer, year in (("02a_ke_hoach_2024_tinh.xlsx", "36", 2024), ("02b_ke_hoach_2025_tinh.xlsx", "36", 2025),
                               ("02c_ke_hoach_2026_tinh_ninh_binh.xlsx", "37-2025", 2026)):
        res = import_workbook(sqlite_engine, generated[0] / name, name, dry_run=True)
        assert res.errors == [], (name, [p.message for p in res.errors[:3]])
        parsed = parse_workbook(generated[0] / name)
        assert parsed.meta.unit == issuer and parsed.meta.period == (year, year)
        leads = {a for o in syn.read_plan_outputs([generated[0] / name]) for a in o.leads}
        units = {agencies.at[a, "unit_code"] for a in leads}
        if year == 2026:
            assert units <= {"37-2025", *present.new_communes()}
            assert {f"UBND-{c}" for c in present.new_communes()} <= leads  # "UBND các xã, phường" = the 129
            assert {"STC-37-2025", "SKHCN-37-2025", "SNV-37-2025"} <= leads
            depts = {a for a in leads if agencies.at[a, "kind"] == "department"}
            assert depts <= set(present.new_departments())
        else:
            assert not any(a.endswith("-2025") for a in leads) and "36" in units
            assert ("SKHDT" in leads or "STTTT" in leads) and "SNNMT" not in leads  # issued before 01/03/2025
    assert not (sqlite_engine.connect().exec_driver_sql("select count(*) from plans").scalar())


def test_later_progress(parsed: dict[str, ParseResult], generated: tuple[Path, Path]) -> None:
    """Progress of the annual plans 2024–2026 reaches Quý III/2026 and no further, every output and reporter
    real; from 01/07/2025 only the new province's agencies report; most 2026 leads report."""
    p = parsed["04_tien_do.xlsx"].frames["progress"].copy()
    p["plan"] = p["ref"].str.split("/").str[0]
    later = p[~p["plan"].isin(OLD_PLANS)]
    outputs = syn.read_plan_outputs([generated[0] / n for n in list(EXPECTED_KINDS)[2:5]])
    assert set(later["ref"]) <= {o.ref for o in outputs}
    assert sorted(later["plan"].unique()) == ["36-2024-187", "36-2025-09", "37-2025-2026-215"]
    q = later["year"] * 4 + later["quarter"] - 1
    assert q.max() == 2026 * 4 + 2 and q.min() == 2024 * 4
    names = present.agencies_all()
    new_names = set(names.loc[names["unit_code"].isin({"37-2025", *present.new_communes()}), "name"])
    after = later[q >= 2025 * 4 + 2]
    assert set(after["agency"]) <= new_names
    plan26 = later[later["plan"] == "37-2025-2026-215"]
    leads26 = {a for o in outputs if o.plan == "37-2025-2026-215" for a in o.leads}
    label = dict(zip(names["code"], names["name"]))
    assert plan26["agency"].nunique() >= 0.8 * len({label[a] for a in leads26})
    assert not later.duplicated(["ref", "agency", "year", "quarter"]).any()


def test_present_values_coherent_across_the_split(parsed: dict[str, ParseResult]) -> None:
    """From Quý III/2025 the values are the new province's and its 129 communes'; a new commune's first rate is
    near the numerator-over-denominator combination of its predecessors' last one (Quý II/2025)."""
    v = parsed["05a_so_lieu_chi_tieu_tu_quy_3_2025.xlsx"].frames["indicator_values"]
    assert set(zip(v["year"].astype(int), v["quarter"].astype(int))) == set(present.present_quarters(date(2026, 12, 2)))
    assert set(v["unit_code"]) <= {"37-2025", *present.new_communes()}
    assert (v["unit_code"] == "37-2025").sum() == len(syn.RATE_SPECS) * 5
    rates = v[v["indicator"] == "TTHC_ONLINE_DOSSIER_RATE"]
    assert (rates["value"] - (100 * rates["numerator"] / rates["denominator"]).round(2)).abs().max() < 1e-9
    old = parsed["05_so_lieu_chi_tieu.xlsx"].frames["indicator_values"]
    old = old[(old["indicator"] == "TTHC_ONLINE_DOSSIER_RATE") & (old["year"] == 2025) & (old["quarter"] == 2)]
    old = old.set_index("unit_code")
    m = present.shares()
    olds = present.old_communes()
    first = rates[(rates["year"] == 2025) & (rates["quarter"] == 3)].set_index("unit_code")
    gaps = []
    for i, c in enumerate(present.new_communes()):
        parts = [(m[i, j], olds[j]) for j in np.nonzero(m[i])[0]]
        if c not in first.index or not all(o in old.index for _, o in parts):
            continue  # not reported, or formed (partly) outside Nam Định / from a commune that skipped Q2
        n = sum(s * old.at[o, "numerator"] for s, o in parts)
        d = sum(s * old.at[o, "denominator"] for s, o in parts)
        gaps.append(abs(first.at[c, "value"] - 100 * n / d))
    assert len(gaps) >= 45  # most of the 57 new communes of the Nam Định area
    assert np.median(gaps) < 4.0 and max(gaps) < 15.0


def test_par_2025_subjects(parsed: dict[str, ParseResult]) -> None:
    """PAR INDEX 2025: the year's own subjects, the 14 merged departments and the 129 communes, and the province."""
    par = parsed["07a_par_index_2025.xlsx"].frames["par_scores"]
    totals = par[par["component"] == "total"]
    counts = totals.groupby("subject_kind").size().to_dict()
    assert counts == {"department": 14, "commune": 129, "province": 1}
    assert set(totals.loc[totals["subject_kind"] == "commune", "subject_code"]) == set(present.new_communes())
    assert set(totals.loc[totals["subject_kind"] == "department", "subject_code"]) == set(present.new_departments())
    assert (totals["year"] == 2025).all() and totals["score"].between(65, 97).all()


@pytest.mark.parametrize("text,assigned,want", [
    ("Sở Tài chính", {"SKHDT"}, "SKHDT"),  # the successor reports on its predecessor's task
    ("Sở Tài chính", {"SKHDT", "STC"}, "STC"),  # its own assignment first
    ("Sở Tài chính", {"STC-37-2025"}, "STC-37-2025"),
    ("Sở Nông nghiệp và Môi trường", {"STNMT"}, "STNMT"),  # two steps: STNMT → SNNMT → SNNMT-37-2025
    ("Sở Tài chính", {"SNV"}, "STC"),  # no predecessor assigned: the first candidate, reported as not assigned
])
def test_match_agency_through_predecessors(text: str, assigned: set[str], want: str) -> None:
    """store.importer.match_agency with the predecessor table built from agency_successors.csv."""
    from loaders.agencies import agency_key
    from store.importer import _exact, match_agency

    a = present.agencies_all()
    names: dict[str, list[str]] = {}
    for code, name in zip(a["code"], a["name"]):
        for key in (_exact(name), agency_key(name)):
            names.setdefault(key, []).append(code)
    preds = {c: present.agency_predecessors(c) for c in a["code"]}
    assign = {(1, code, "lead"): i for i, code in enumerate(sorted(assigned))}
    assert match_agency(names, text, 1, assign, preds) == want
