"""LibreOffice in the tests: convert a .pptx to PDF and count its pages."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

HAVE_LIBREOFFICE = shutil.which("libreoffice") is not None


def pdf_pages(pdf: Path) -> int:
    """Page count of a PDF: pdfinfo when present, else a regex over the page objects."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def pptx_to_pdf(data: bytes, folder: Path, stem: str) -> tuple[Path, subprocess.CompletedProcess]:
    """Write the deck and convert it with a private LibreOffice profile (no lock between tests)."""
    pptx = folder / f"{stem}.pptx"
    pptx.write_bytes(data)
    result = subprocess.run(["libreoffice", f"-env:UserInstallation=file://{folder}/lo", "--headless",
                             "--convert-to", "pdf", "--outdir", str(folder), str(pptx)],
                            capture_output=True, text=True, timeout=240)
    return folder / f"{stem}.pdf", result
