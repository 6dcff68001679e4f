"""Whether this run is inside the frame (app.run), and the guard every page file starts with.

Until some session of a server process has called st.navigation, Streamlit treats an app with a
`pages/` folder as an old-style multipage app: a first visitor's `/tong-quan?...` runs
`pages/tong-quan.py` directly (the file is found by its name, which is why each page file is named by
its url path), without the frame's page config, login gate, role check or sidebar. `ensure()` then
runs the frame, which registers the pages and runs this same file inside it, and stops the outer run.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

APP = Path(__file__).resolve().parent.parent / "app.py"
_state = threading.local()  # one script thread per session run: the marker is per run


@contextmanager
def inside() -> Iterator[None]:
    """Mark the page run by the frame as inside it."""
    depth = getattr(_state, "depth", 0)
    _state.depth = depth + 1
    try:
        yield
    finally:
        _state.depth = depth


def running() -> bool:
    """True while app.run() is running a page in this thread."""
    return getattr(_state, "depth", 0) > 0


def outside() -> bool:
    """True when a page file runs without the frame although the app's main script is app.py: the
    old-style path (Streamlit's _mpa_v1). A page run as its own main script (AppTest.from_file on the
    page, which the role tests do) is not that path, and keeps its own role check."""
    if running():
        return False

    ctx = get_script_run_ctx()
    return ctx is not None and Path(ctx.pages_manager.main_script_path).resolve() == APP


def ensure() -> None:
    """Run the frame instead when a page file runs outside it (the old-style first-session path), then stop."""
    if not outside():
        return
    import app  # lazy: a real cycle via app

    app.run()
    st.stop()
