"""Write the sample workbooks into data/samples/ (or --out DIR), numbered in import order.

    python scripts/make_samples.py [--out DIR]

plans → catalogue → progress → values (long, then wide) → PAR INDEX. Output is deterministic:
running it twice gives identical workbooks. The data reach the last closed quarter at today's date
(settings.today(), so CCHC_TODAY=2026-12-02 gives Quý III/2026): the committed samples are made with
CCHC_TODAY=2026-12-02. Up to Quý II/2025 they are Nam Định's, from Quý III/2025 the new Ninh Bình's.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples.annual import PLAN_2024, PLAN_2025, PLAN_2026  # noqa: E402
from samples.plans import PLAN_2023, PLAN_CITY, write_plan  # noqa: E402
from samples.present import present_progress_rows, write_present_par, write_present_values  # noqa: E402
from samples.synthetic import (  # noqa: E402
    read_plan_outputs, write_catalogue, write_par, write_progress, write_values, write_values_wide,
)

FILES = (
    "01_ke_hoach_2023_tinh.xlsx",
    "02_ke_hoach_par_thanh_pho_2021_2025.xlsx",
    "02a_ke_hoach_2024_tinh.xlsx",
    "02b_ke_hoach_2025_tinh.xlsx",
    "02c_ke_hoach_2026_tinh_ninh_binh.xlsx",
    "03_danh_muc_chi_tieu.xlsx",
    "04_tien_do.xlsx",
    "05_so_lieu_chi_tieu.xlsx",
    "05a_so_lieu_chi_tieu_tu_quy_3_2025.xlsx",
    "06_so_lieu_nam_dang_ngang.xlsx",
    "07_par_index.xlsx",
    "07a_par_index_2025.xlsx",
)


def make_samples(out: Path) -> list[Path]:
    """Write every sample workbook into `out` and return their paths in import order."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in FILES]
    p = dict(zip(FILES, paths))
    write_plan(PLAN_2023, p["01_ke_hoach_2023_tinh.xlsx"])
    write_plan(PLAN_CITY, p["02_ke_hoach_par_thanh_pho_2021_2025.xlsx"])
    annual = [p["02a_ke_hoach_2024_tinh.xlsx"], p["02b_ke_hoach_2025_tinh.xlsx"], p["02c_ke_hoach_2026_tinh_ninh_binh.xlsx"]]
    for layout, path in zip((PLAN_2024, PLAN_2025, PLAN_2026), annual):
        write_plan(layout, path)
    write_catalogue(p["03_danh_muc_chi_tieu.xlsx"])
    write_progress(p["04_tien_do.xlsx"], read_plan_outputs(paths[:2]), present_progress_rows(read_plan_outputs(annual)))
    write_values(p["05_so_lieu_chi_tieu.xlsx"])
    write_present_values(p["05a_so_lieu_chi_tieu_tu_quy_3_2025.xlsx"])
    write_values_wide(p["06_so_lieu_nam_dang_ngang.xlsx"])
    write_par(p["07_par_index.xlsx"])
    write_present_par(p["07a_par_index_2025.xlsx"])
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "samples", help="output folder")
    args = parser.parse_args(argv)
    for path in make_samples(args.out):
        print(f"{path}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
