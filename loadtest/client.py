"""A viewer that speaks Streamlit's own websocket protocol to a real server (no browser, no AppTest).

A browser opens `/_stcore/stream` with the subprotocol "streamlit", sends a BackMsg `rerun_script` with its
ClientState (the URL's page and query string), and receives ForwardMsgs: `new_session`, `navigation`, the deltas
of the page, and `script_finished` when the run is done. A page is *rendered* when the server says the run
finished successfully; the time from opening the connection to that message is what a viewer waits once the
browser has the (cached) static files. Later pages of the same session are reruns with the page's hash, as a
click in the navigation menu sends them.

The server's answer is checked, not only timed: an exception element, an error alert (the app's own
"unexpected error" line, a refused login), a page-not-found message or a compile error make the view a failure.
"""
from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

STREAM = "/_stcore/stream"
MAX_MESSAGE = 64 * 1024 * 1024  # a page's plotly figures come as one delta each


class ProtocolError(RuntimeError):
    """The server closed the stream or answered something a rendered page cannot be."""


@dataclass
class View:
    """One page as one viewer got it."""

    page: str
    seconds: float
    ok: bool
    deltas: int = 0
    problem: str = ""
    headings: list[str] = field(default_factory=list)  # the page's headings (the runner checks the page's title)
    texts: list[str] = field(default_factory=list)  # markdown, captions and alert bodies, in order


def _element_problem(element) -> str:  # noqa: ANN001 - a streamlit.proto Element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception: {element.exception.type}: {element.exception.message[:200]}"
    if kind == "alert" and element.alert.format == element.alert.ERROR:
        return f"error alert: {element.alert.body[:200]}"
    return ""




class Viewer:
    """One browser tab: one websocket, one Streamlit session, any number of page views in it."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None, timeout: float = 120.0,
                 ssl_context=None) -> None:  # noqa: ANN001 - an ssl.SSLContext for https:// (the proxy)
        self.base_url = base_url.rstrip("/")
        # a browser has the proxy's route cookie from loading the index page (deploy/nginx-cchc.conf keeps a
        # browser on one server process by it); a direct connection ignores it
        self.cookies = {"cchc_route": secrets.token_hex(16), **(cookies or {})}
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.pages: dict[str, str] = {}  # url path → page script hash, from the navigation message
        self._ws = None
        self._opened = 0.0

    async def open(self) -> None:
        """Open the websocket (the session starts on the server)."""
        ws_url = "ws" + self.base_url[len("http"):] + STREAM
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._opened = time.perf_counter()
        self._ws = await asyncio.wait_for(connect(
            ws_url, subprotocols=["streamlit"], max_size=MAX_MESSAGE, compression=None, open_timeout=self.timeout,
            ssl=self.ssl_context if ws_url.startswith("wss:") else None,
            additional_headers={"Cookie": cookie, "Origin": self.base_url}), self.timeout)

    async def close(self) -> None:
        """Close the tab."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def __aenter__(self) -> Viewer:
        await self.open()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def view(self, page: str, query: str = "") -> View:
        """Ask for a page (its url path; "" is the default page) and wait until its run has finished.

        The first view of a session is timed from opening the connection, the later ones from the request."""
        if self._ws is None:
            await self.open()
        start = self._opened if self._opened else time.perf_counter()
        self._opened = 0.0
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page
        state.page_script_hash = self.pages.get(page, "")
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Asia/Ho_Chi_Minh", -420, "vi-VN"
        info.url = f"{self.base_url}/{page}" + (f"?{query}" if query else "")
        await self._ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._until_finished(page, start), self.timeout)

    async def _until_finished(self, page: str, start: float) -> View:
        deltas, problems, headings, texts = 0, [], [], []
        while True:
            try:
                data = await self._ws.recv()
            except ConnectionClosed as exc:
                raise ProtocolError(f"the server closed the stream ({exc})") from exc
            if isinstance(data, str):
                raise ProtocolError("a text frame (Streamlit sends binary protobufs only)")
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                for p in fwd.navigation.app_pages:
                    if p.is_default:
                        self.pages[""] = p.page_script_hash
            elif kind == "delta":
                deltas += 1
                if fwd.delta.WhichOneof("type") == "new_element":
                    problem = _element_problem(fwd.delta.new_element)
                    if problem:
                        problems.append(problem)
                    element = fwd.delta.new_element
                    kind = element.WhichOneof("type")
                    if kind == "heading":
                        headings.append(element.heading.body)
                    elif kind in ("markdown", "alert"):
                        texts.append(getattr(element, kind).body)
            elif kind == "page_not_found":
                problems.append(f"page not found: {fwd.page_not_found.page_name!r}")
            elif kind == "ref_hash":
                raise ProtocolError("a cached-message reference (this client announces no cache)")
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the run was replaced by a newer one (a widget, a component): wait for that one
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problems.append("compile error")
                seconds = time.perf_counter() - start
                return View(page, seconds, not problems, deltas, "; ".join(problems), headings, texts)


async def one_view(base_url: str, page: str, cookies: dict[str, str] | None = None, query: str = "",
                   timeout: float = 120.0, ssl_context=None) -> View:  # noqa: ANN001
    """Open a session, render one page, close."""
    async with Viewer(base_url, cookies, timeout, ssl_context) as v:
        return await v.view(page, query)
