"""The seed plans as documents for the tests: Word files built with python-docx from the seed texts
(samples/documents.py) and PDFs converted from them by LibreOffice, each built once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from samples.documents import SEEDS_DIR, build_docx, docx_to_pdf

HAVE_SEEDS = SEEDS_DIR.is_dir()
HAVE_LIBREOFFICE = shutil.which("libreoffice") is not None


class SeedDocuments:
    """Builds and caches seed documents in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[tuple[str, str], Path] = {}

    def docx(self, seed: str, body: bool = True, appendix: bool = True) -> Path:
        """The seed as .docx (skips the test when the seed texts are not beside the repository)."""
        if not HAVE_SEEDS:
            pytest.skip("shared/seeds not beside the repository")
        key = (seed, f"docx{int(body)}{int(appendix)}")
        if key not in self._made:
            self._made[key] = build_docx(seed, self.folder / f"seed{seed}_{int(body)}{int(appendix)}.docx", body, appendix)
        return self._made[key]

    def pdf(self, seed: str) -> Path:
        """The seed's .docx converted to PDF by LibreOffice (skips when LibreOffice is missing)."""
        if not HAVE_LIBREOFFICE:
            pytest.skip("LibreOffice (libreoffice-writer) is not installed")
        key = (seed, "pdf")
        if key not in self._made:
            self._made[key] = docx_to_pdf(self.docx(seed), self.folder / "pdf")
        return self._made[key]
