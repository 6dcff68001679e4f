"""One slide of a deck by its key (analytics.meeting.outline), and the whole deck: what the projector page, the
PowerPoint brief and the Excel handout show.
"""
from __future__ import annotations

from analytics.meeting import DeckError, Inputs, Slide, outline, resolve
from analytics.slides_rankings import rankings_slide
from analytics.slides_targets import targets_slide
from analytics.slides_tasks import agency_slide, overdue_slide, overview_slide, unit_slide


# --- the deck ----------------------------------------------------------------------------------
def build_slide(inp: Inputs, kind: str, code: str | None, key: str, target: str | None = None) -> Slide:
    """One slide of a deck by its key (see `outline`)."""
    scope = resolve(inp, kind, code)
    if key == "overview":
        return overview_slide(inp, scope)
    if key == "targets":
        return targets_slide(inp, scope, target)
    if key == "overdue":
        return overdue_slide(inp, scope)
    if key == "rankings":
        return rankings_slide(inp, scope)
    if key.startswith("unit:"):
        return unit_slide(inp, scope, key.split(":", 1)[1])
    if key.startswith("agency:") and scope.kind == "agency":
        return agency_slide(inp, scope)
    raise DeckError(f"Không có trang «{key}» trong bộ trình chiếu này.")


def deck(inp: Inputs, kind: str, code: str | None = None) -> list[Slide]:
    """Every slide of a deck, in order."""
    return [build_slide(inp, kind, code, key) for key in outline(inp, kind, code)]
