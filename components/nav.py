"""Page links that carry the filters (the built-in menu would drop the query parameters)."""
from __future__ import annotations

import streamlit as st

from components import filters


def sidebar_links(sections: dict[str, list]) -> None:
    """Render the navigation in the sidebar with the current filters attached to every link."""
    carried = filters.current()
    carried.pop("slide", None)
    with st.sidebar:
        for section, pages in sections.items():
            pages = [p for p in pages if p.visibility != "hidden"]  # the start page at "/" is no view
            if not pages:
                continue
            st.caption(section)
            for page in pages:
                st.page_link(page, label=page.title, icon=page.icon, query_params=carried)


def go(page: str, **params: str) -> None:
    """Switch page keeping the filters, overriding some."""
    carried = filters.current() | {k: v for k, v in params.items() if v is not None}
    st.switch_page(page, query_params=carried)
