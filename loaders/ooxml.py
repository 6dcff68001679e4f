"""Inspect an Office Open XML package (a zip of XML parts) before any parser opens it.

The checks are the ones a .docx needs and an .xlsx needs as well: number of entries, total and
per-entry uncompressed size, compression ratio (zip bombs), and XML parts that declare a DOCTYPE or
entities (billion laughs, external entities). They read the zip's directory and at most the first
bytes of each XML part, never a whole part. `inspect_package` is meant to be shared: the workbook
inspection can call it with its own main part.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

MAX_ENTRIES = 5000
MAX_UNZIPPED = 400 * 1024 * 1024  # the same total limit as workbooks (loaders/workbook.py)
MAX_RATIO = 200  # uncompressed / compressed of one large entry; XML of real documents stays far below
RATIO_FLOOR = 8 * 1024 * 1024  # entries smaller than this are never refused for their ratio
_PROLOG_BYTES = 64 * 1024  # a DOCTYPE can only stand before the root element
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


@dataclass(frozen=True)
class PackageRefusal:
    """Why a package was refused: a catalogue message key and its values."""

    key: str
    values: dict


@dataclass(frozen=True)
class Package:
    """What the zip directory says: the part names and the total uncompressed size."""

    names: frozenset[str]
    unzipped: int


def inspect_package(data: bytes) -> Package | PackageRefusal:
    """Read the zip directory and the XML prologs; a PackageRefusal says why the package is unsafe."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        return PackageRefusal("file_corrupt_document", {"detail": str(exc) or type(exc).__name__})
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            return PackageRefusal("package_too_many_entries", {"count": len(infos), "limit": MAX_ENTRIES})
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                return PackageRefusal("package_bomb", {"part": info.filename,
                                                       "ratio": info.file_size // max(info.compress_size, 1)})
        if total > MAX_UNZIPPED:
            return PackageRefusal("package_too_big", {"size_mb": total // 1048576, "limit_mb": MAX_UNZIPPED // 1048576})
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            try:
                with zf.open(info) as f:
                    head = f.read(_PROLOG_BYTES)
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, zlib_error()) as exc:
                return PackageRefusal("file_corrupt_document", {"detail": f"{info.filename}: {exc}"})
            if _declares_doctype(head):
                return PackageRefusal("package_doctype", {"part": info.filename})
        return Package(frozenset(i.filename for i in infos), total)


def _declares_doctype(head: bytes) -> bool:
    """True when the first bytes of an XML part hold a DOCTYPE or ENTITY declaration (in UTF-8 or UTF-16)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:
            return True
    return _DOCTYPE.search(head) is not None


def zlib_error() -> type[Exception]:
    """zlib's error class (a damaged deflate stream raises it, not BadZipFile)."""
    return zlib.error
