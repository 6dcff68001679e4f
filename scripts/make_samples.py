"""Write the sample workbooks into data/samples/ (or --out DIR), numbered in import order.

    python scripts/make_samples.py [--out DIR]

plans → catalogue → progress → values (long, then wide) → PAR INDEX. Output is deterministic:
running it twice gives workbooks with identical cell values.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples.plans import PLAN_2023, PLAN_CITY, write_plan  # noqa: E402
from samples.synthetic import (  # noqa: E402
    read_plan_outputs, write_catalogue, write_par, write_progress, write_values, write_values_wide,
)

FILES = (
    "01_ke_hoach_2023_tinh.xlsx",
    "02_ke_hoach_par_thanh_pho_2021_2025.xlsx",
    "03_danh_muc_chi_tieu.xlsx",
    "04_tien_do.xlsx",
    "05_so_lieu_chi_tieu.xlsx",
    "06_so_lieu_nam_dang_ngang.xlsx",
    "07_par_index.xlsx",
)


def make_samples(out: Path) -> list[Path]:
    """Write every sample workbook into `out` and return their paths in import order."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in FILES]
    write_plan(PLAN_2023, paths[0])
    write_plan(PLAN_CITY, paths[1])
    write_catalogue(paths[2])
    write_progress(paths[3], read_plan_outputs(paths[:2]))
    write_values(paths[4])
    write_values_wide(paths[5])
    write_par(paths[6])
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
