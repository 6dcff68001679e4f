"""Unexpected errors: logged on the server with a short id, shown to the user as one Vietnamese line with that id.

No page shows a traceback to anyone: app.py runs the frame and the page inside `reported`, and
.streamlit/config.toml sets client.showErrorDetails = "none" for what happens outside it (a widget
callback, a fragment's own rerun), where Streamlit then shows its generic notice without details.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from catalogue import UI

LOG = logging.getLogger("cchc.errors")
if not LOG.handlers:  # Streamlit configures its own loggers only; this one must reach the server's console
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOG.addHandler(_handler)
    LOG.setLevel(logging.INFO)


def new_error_id() -> str:
    """Eight hex characters that name one occurrence in the server log."""
    return secrets.token_hex(4)


@contextmanager
def reported(where: str) -> Iterator[None]:
    """Run a block; an unexpected exception is logged with an id and the user sees the Vietnamese message with it.

    st.stop, st.rerun and st.switch_page raise BaseException subclasses: they pass through untouched."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001  (the point: nothing reaches the browser as a traceback)
        error_id = new_error_id()
        LOG.error("unexpected error %s in %s", error_id, where, exc_info=exc)
        st.error(UI["error_unexpected"].format(error_id=error_id), icon=":material/error:")
