"""Deterministic xlsx output: fixed document dates so regenerated samples are identical in content."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

FIXED = datetime(2025, 7, 1, 8, 0, 0)


def finish(wb: Workbook, path: Path) -> Path:
    """Stamp fixed metadata and save."""
    wb.properties.creator = "Sở Nội vụ tỉnh Nam Định (dữ liệu mẫu)"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
