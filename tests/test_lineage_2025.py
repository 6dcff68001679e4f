"""The units' lineage against the public vietnamadminunits package (pinned in requirements-build.txt).

The expected successors and predecessors are computed here straight from the package's dataset and
converter (sqlite3 + json), not through scripts/build_reference.py, and compared with the committed
reference read by loaders.reference. Skipped when the package (build-time only) is not installed.
"""
from __future__ import annotations

import importlib.metadata
import json
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

vau = pytest.importorskip("vietnamadminunits")
if importlib.metadata.version("vietnamadminunits") != "1.0.4":
    pytest.skip("the reference is built from vietnamadminunits 1.0.4", allow_module_level=True)

from loaders.reference import read_reference  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PKG = Path(vau.__file__).resolve().parent / "data"
NEW_PROVINCE, ND, NEW_KEY = "37", "36", "37-2025"


@lru_cache(maxsize=1)
def package() -> dict:
    """Old commune code → {new commune code: share}, from the package alone."""
    con = sqlite3.connect(f"file:{PKG / 'dataset.db'}?mode=ro", uri=True)
    try:
        new = con.execute("SELECT wardKey, wardCode, provinceKey FROM admin_units WHERE provinceCode = ?",
                          (NEW_PROVINCE,)).fetchall()
        pkey = new[0][2]
        conv = json.loads((PKG / "converter_2025.json").read_text(encoding="utf-8"))
        old_provinces = conv["DICT_PROVINCE"][pkey]
        old = con.execute(
            "SELECT provinceKey || '_' || districtKey || '_' || wardKey, wardCode, provinceCode "
            f"FROM admin_units_legacy WHERE provinceKey IN ({','.join('?' * len(old_provinces))})",
            old_provinces).fetchall()
    finally:
        con.close()
    new_code = {k: c for k, c, _ in new}
    old_code = {k: c for k, c, _ in old}
    province_of = {c: p for _, c, p in old}
    succ: dict[str, dict[str, float]] = defaultdict(dict)
    for new_key, olds in conv["DICT_PROVINCE_WARD_NO_DIVIDED"][pkey].items():
        for o in olds:
            succ[old_code[o]][new_code[new_key]] = 1.0
    for o, parts in conv["DICT_PROVINCE_WARD_DIVIDED"].get(pkey, {}).items():
        for part in parts:
            succ[old_code[o]][new_code[part["newWardKey"]]] = 1.0 / len(parts)
    pred: dict[str, set[str]] = defaultdict(set)
    for o, targets in succ.items():
        for n in targets:
            pred[n].add(o)
    return {"succ": dict(succ), "pred": dict(pred), "province_of": province_of, "new": sorted(new_code.values())}


def nd_old() -> list[str]:
    p = package()
    return sorted((c for c, prov in p["province_of"].items() if prov == ND), key=int)


def nd_area_new() -> list[str]:
    p = package()
    return sorted({n for o in nd_old() for n in p["succ"][o]}, key=int)


@lru_cache(maxsize=1)
def ref():  # noqa: ANN201
    return read_reference(ROOT / "data" / "reference")


@pytest.mark.parametrize("old", nd_old())
def test_every_old_nam_dinh_commune_has_its_successors(old):
    expected = {f"{n}-2025": share for n, share in package()["succ"][old].items()}
    got = dict(ref().successors(old))
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(v, abs=1e-6) for k, v in expected.items())
    assert ref().end_of(old) == date(2025, 6, 30)


@pytest.mark.parametrize("new", nd_area_new())
def test_every_new_commune_of_the_nam_dinh_area_has_its_predecessors(new):
    got = {c for c, _share in ref().predecessors(f"{new}-2025")}
    assert got == package()["pred"][new]
    assert ref().unit_valid(f"{new}-2025", date(2025, 7, 1)) and not ref().unit_valid(f"{new}-2025", date(2025, 6, 30))


def test_counts_equal_the_package():
    p = package()
    assert len(nd_old()) == 175
    assert len(nd_area_new()) == 57  # of the 129 new communes, 57 have Nam Định predecessors
    assert len(p["new"]) == 129
    r = ref()
    new_communes = r.units[(r.units["province_code"] == NEW_KEY) & (r.units["level"] == "commune")]
    assert len(new_communes) == len(p["new"])
    with_nd = {s for o in nd_old() for s, _ in r.successors(o)}
    assert len(with_nd) == len(nd_area_new())
    # the whole new province: every old commune of the three provinces went somewhere, every new one came from some
    assert {c for c in p["province_of"] if r.successors(c)} == set(p["province_of"])
    assert all(r.predecessors(f"{n}-2025") for n in p["new"])


def test_shares_of_every_old_commune_sum_to_one():
    r = ref()
    bad = {c: sum(s for _, s in r.successors(c)) for c in package()["province_of"]}
    assert all(v == pytest.approx(1.0, abs=1e-5) for v in bad.values()), {k: v for k, v in bad.items() if abs(v - 1) > 1e-5}


def test_divided_communes_are_split_equally():
    divided = {o: t for o, t in package()["succ"].items() if len(t) > 1}
    assert len(divided) == 6 and not any(package()["province_of"][o] == ND for o in divided)
    s = ref().unit_successors
    for o, targets in divided.items():
        rows = s[s["code"] == o]
        assert set(rows["basis"]) == {"equal"}
        assert sorted(rows["share"]) == pytest.approx([1 / len(targets)] * len(targets), abs=1e-6)


def test_committed_reference_equals_a_fresh_build(tmp_path):
    """data/reference holds exactly what the build script writes from the pinned package (no hand edits)."""
    run = subprocess.run([sys.executable, "scripts/build_reference.py", "--out", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for path in sorted(tmp_path.iterdir()):
        committed = ROOT / "data" / "reference" / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run python scripts/build_reference.py"


@pytest.mark.parametrize("province,old", [("04", ["04"]), ("01", ["01"]), ("25", ["17", "25", "26"]),
                                          ("31", ["30", "31"])])
def test_any_province_builds_the_same_way(tmp_path, province, old):
    """Cao Bằng (unchanged), Hà Nội (a centrally-run city), Phú Thọ (three provinces), Hải Phòng (with an
    island district that became a special zone): the same build, the same checks."""
    run = subprocess.run([sys.executable, "scripts/build_reference.py", "--province", province, "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    r = read_reference(tmp_path)
    assert r.province == f"{province}-2025" and r.meta["legacy_provinces"] == old
    new = r.units[r.units["province_code"] == r.province]
    assert new["valid_from"].eq(date(2025, 7, 1)).all()
    assert all(r.predecessors(c) for c in new.loc[new["level"] == "commune", "code"])
    old_units = r.units[r.units["province_code"] != r.province]
    assert all(r.successors(c) for c in old_units.loc[old_units["level"] == "commune", "code"])


def test_manage_init_province_builds_and_keeps_to_one_province(tmp_path):
    env = {"CCHC_DATA_DIR": str(tmp_path), "CCHC_ADMIN_PASSWORD": "test-admin-password", "CCHC_TODAY": "2026-12-02",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = lambda *a: subprocess.run([sys.executable, "manage.py", *a], cwd=ROOT, capture_output=True, text=True,  # noqa: E731
                                    timeout=300, env=env)
    first = run("init", "--province", "04")
    assert first.returncode == 0, first.stderr + first.stdout
    assert (tmp_path / "reference" / "04" / "units.csv").exists()
    con = sqlite3.connect(tmp_path / "cchc.db")
    try:
        assert con.execute("SELECT value FROM reference_meta WHERE key = 'province'").fetchone() == ("04-2025",)
        assert con.execute("SELECT count(*) FROM units WHERE province_code = '04-2025'").fetchone()[0] > 50
        assert con.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)  # Nam Định's samples not loaded
    finally:
        con.close()
    other = run("init", "--province", "37")
    assert other.returncode == 1
    assert "phục vụ tỉnh 04-2025, không phải tỉnh 37-2025" in other.stderr
