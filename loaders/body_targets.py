"""Target sentences of a plan's body turned into target proposals (placeholder, filled below)."""
from __future__ import annotations


def propose(lines, meta, indicators=None):  # noqa: ANN001, ANN201
    return []
