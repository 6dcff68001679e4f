"""The meeting's PowerPoint brief and Excel handout, for the Trình chiếu page and `manage.py brief`: both made from
the meeting inputs of the view data (store.snapshot.ViewData, or a pinned version's), so a file equals the slides
shown on screen for the same quarter, map and version."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

import settings
from analytics import meeting as mt
from exports.brief import build_brief
from exports.brief_data import BriefDeck, brief_deck, handout_for
from store import pins
from store import queries as q
from store.snapshot import ViewData


def view_data(engine: Engine, pin: int | None = None) -> ViewData:
    """The current data version's view data (its prepared snapshot when an import made one), or a pinned
    version's. Raises LookupError for a pin that does not exist or was unpinned."""
    if pin is None:
        return ViewData(engine, q.data_version(engine))
    frozen = pins.load(engine, pin)
    if frozen is None:
        raise LookupError(pin)
    return pins.PinnedViewData(engine, pin, *frozen)


def inputs(view: ViewData, year: int, quarter: int, current_map: bool = False) -> mt.Inputs:
    """What a quarter's decks are built from, on the quarter's own map or on today's."""
    return view.meeting_inputs(year, quarter, current_map)


def brief(inp: mt.Inputs, scope: str, code: str | None, generated_on: date | None = None) -> tuple[BriefDeck, bytes]:
    """The brief of one deck (province, a district or an agency): its content and the .pptx bytes. Raises
    analytics.meeting.DeckError for an unknown district or agency."""
    deck = brief_deck(inp, scope, code, generated_on or settings.today())
    return deck, build_brief(deck)


def handout(inp: mt.Inputs, scope: str, code: str | None, generated_on: date | None = None) -> bytes:
    """The Excel handout (.xlsx bytes) of one deck."""
    return handout_for(inp, scope, code, generated_on or settings.today())
