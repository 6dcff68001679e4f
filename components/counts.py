"""Links from a number to the rows behind it: a KPI card or a table row opens the Nhiệm vụ list of exactly the
assignment occurrences it counts (analytics.counts.link_params), as a URL that can be shared."""
from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import streamlit as st

from catalogue import UI


def page_file(url_path: str) -> str:
    """The page file registered for a url path in app.PAGES (pages may be renamed; the url path stays)."""
    import app  # lazy: app (the frame) stands above the components, which it imports

    return next(file for file, _t, _i, url, _r, _s in app.PAGES if url == url_path)


def tasks_url(params: dict[str, str]) -> str:
    """The shareable relative URL of a Nhiệm vụ list ("nhiem-vu?period=…&rows=occ&…")."""
    return "nhiem-vu?" + urlencode(params)


def on_map(params: dict[str, str]) -> dict[str, str]:
    """The params of a count's list, on today's map when the view shows it ("theo địa giới hiện nay", map=now):
    Nhiệm vụ then counts the same rows as the card."""
    return params | {"map": "now"} if params and st.query_params.get("map") == "now" else params


def links(items: Sequence[tuple[str, str, dict[str, str]]], key: str) -> None:
    """One link per card, in a row under the cards: (what is counted, the number as shown, query params), on the
    view's map."""
    items = [(what, number, on_map(params)) for what, number, params in items if params]
    if not items:
        return
    target = page_file("nhiem-vu")
    # a row of links as wide as their labels, wrapping onto a second row when there is no room: in equal columns
    # the labels were cut ("Xem 42 dòng: chủ trì: lượt g…") on a 1280 px screen
    row = st.container(horizontal=True, gap="medium", key=f"cnt_links_{key}")
    for what, number, params in items:
        row.page_link(target, label=UI["cnt_open_rows_of"].format(n=number, what=what.lower()),
                      icon=":material/list_alt:", query_params=params, help=tasks_url(params), width="content")
