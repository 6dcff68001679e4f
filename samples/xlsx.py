"""Deterministic xlsx output: fixed document dates and zip entry times, so regenerated samples are byte-identical."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

FIXED = datetime(2025, 7, 1, 8, 0, 0)


def finish(wb: Workbook, path: Path) -> Path:
    """Stamp fixed metadata and save; the zip entries get a fixed time (openpyxl stamps the clock's)."""
    wb.properties.creator = "Sở Nội vụ tỉnh Nam Định (dữ liệu mẫu)"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl writes the clock's time as «modified» on save
                stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + stamp, data)
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())
    return path
