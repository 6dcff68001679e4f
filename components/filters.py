"""The filter bar: every filter lives in the URL (st.query_params) so a copied link reopens the view."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from catalogue import UI
from quarter import Quarter

# The URL keys of the view state, in the order links carry them.
KEYS = ("period", "unit", "agency", "area", "indicator", "target", "level", "plan", "kind", "q", "slide", "deck",
        "by", "year", "status", "deadline", "map", "rows", "role", "pin")


def param(key: str, default: str | None = None) -> str | None:
    """A URL parameter, or the default."""
    value = st.query_params.get(key)
    return value if value not in (None, "") else default


def set_param(key: str, value: str | None, default: str | None = None) -> None:
    """Write a URL parameter; defaults are left out so links stay short."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def current() -> dict[str, str]:
    """The view state to carry to another page."""
    return {k: st.query_params[k] for k in KEYS if k in st.query_params}


def _follow_url(key: str, widget_key: str, wanted: str, valid: Callable[[str], bool]) -> None:
    """Make a bound widget show the URL's value when the URL changed since the widget last ran (a click that
    drilled down, a link, a test), before the widget is created; otherwise the widget's own state wins."""
    seen = st.session_state.setdefault("_flt_seen", {})
    if (widget_key not in st.session_state or seen.get(key, wanted) != wanted) and valid(wanted):
        st.session_state[widget_key] = wanted


def _assert_state(widget_key: str) -> None:
    """Send the widget's value with every run, not only when the URL changed it: a run interrupted by a rerun (the
    login cookie's) may never have reached the browser, which then builds the widget from its default and sends that
    back on the next click, dropping the URL's value (a period or a map choice from a shared link)."""
    if widget_key in st.session_state:
        st.session_state[widget_key] = st.session_state[widget_key]


def _remember(key: str, value: str) -> None:
    st.session_state.setdefault("_flt_seen", {})[key] = value


def choose(key: str, label: str, options: Sequence[str], fmt: Callable[[str], str], default: str,
           container=None, help: str | None = None) -> str:  # noqa: ANN001, A002
    """A select box bound to the URL parameter `key`."""
    opts = list(options)
    if not opts:
        return default
    wanted = param(key, default)
    if wanted not in opts:
        wanted = default if default in opts else opts[0]
    widget_key = f"flt_{key}"
    _follow_url(key, widget_key, wanted, lambda v: v in opts)
    if st.session_state.get(widget_key) not in opts:
        st.session_state[widget_key] = wanted
    _assert_state(widget_key)
    target = container or st
    value = target.selectbox(label, opts, format_func=fmt, key=widget_key, help=help)
    set_param(key, value, default)
    _remember(key, value)
    return value


def text(key: str, label: str, container=None, placeholder: str | None = None) -> str:  # noqa: ANN001
    """A text box bound to the URL parameter `key` (empty = left out of the link)."""
    wanted = param(key, "") or ""
    widget_key = f"flt_{key}"
    _follow_url(key, widget_key, wanted, lambda _v: True)
    _assert_state(widget_key)
    target = container or st
    value = target.text_input(label, key=widget_key, placeholder=placeholder).strip()
    set_param(key, value or None)
    _remember(key, value)
    return value


def flag(key: str, label: str, on_value: str, container=None, help: str | None = None) -> bool:  # noqa: ANN001, A002
    """A toggle bound to the URL parameter `key`: on = `key=on_value` in the link, off = left out."""
    wanted = param(key) == on_value
    widget_key = f"flt_{key}"
    _follow_url(key, widget_key, wanted, lambda _v: True)
    _assert_state(widget_key)
    target = container or st
    value = bool(target.toggle(label, key=widget_key, help=help))
    set_param(key, on_value if value else None)
    _remember(key, value)
    return value


def drill(**params: str | None) -> None:
    """Change some URL parameters from code (a click on a chart or a table row) and run the page again."""
    for k, v in params.items():
        set_param(k, v)
    st.rerun()


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from first to last, newest first."""
    return first.through(last)[::-1]


def period_filter(latest: Quarter, first: Quarter, container=None) -> Quarter:  # noqa: ANN001
    """The report-quarter selector; defaults to the latest quarter with data."""
    options = [p.key for p in quarters_between(first, latest)]
    key = choose("period", UI["filter_period"], options, lambda k: Quarter.from_key(k).label, latest.key, container)
    return Quarter.parse(key) or latest
