"""PNG exports of plotly figures, titled with the filters and the date, rendered by kaleido 1.x.

kaleido drives a headless Chrome/Chromium (Debian's /usr/bin/chromium here). A one-shot
render starts a browser each time (about 1.6 s); `ImageExporter` keeps kaleido's global sync
server warm so a batch costs about 0.1 s per image. kaleido's sync server is a process-wide
singleton whose request/response queues are not safe for concurrent callers, so every render
here goes through one lock. MathJax is disabled so no page asks a CDN for it (no network).
"""
from __future__ import annotations

import html
import os
import threading
import warnings
from collections.abc import Mapping
from datetime import date
from types import TracebackType
from typing import Any

import plotly.graph_objects as go

from formats import PLOTLY_SEPARATORS, fmt_date, fmt_filters

try:  # kaleido is optional at import time: pages still load without it
    import kaleido
except ImportError:  # pragma: no cover - exercised only on machines without kaleido
    kaleido = None  # type: ignore[assignment]

DEBIAN_CHROMIUM = "/usr/bin/chromium"
FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
KALEIDO_OPTIONS: dict[str, Any] = {"mathjax": False}  # never fetch MathJax from the CDN
BASE_WIDTH = 1920  # font sizes below are for this width; they scale with the image width

_render_lock = threading.RLock()
_server_lock = threading.Lock()
_server_users = 0
_server_owned = False


def _ensure_browser_path() -> None:
    """Point kaleido at Debian's chromium unless BROWSER_PATH already names a browser."""
    if not os.environ.get("BROWSER_PATH") and os.path.exists(DEBIAN_CHROMIUM):
        os.environ["BROWSER_PATH"] = DEBIAN_CHROMIUM


def server_available() -> bool:
    """True when the installed kaleido has the 1.x sync-server API."""
    return kaleido is not None and hasattr(kaleido, "start_sync_server") and hasattr(kaleido, "stop_sync_server")


def server_running() -> bool:
    """True when kaleido's global sync server is up (started by us or by anyone else)."""
    server = getattr(kaleido, "_global_server", None)
    is_running = getattr(server, "is_running", None)
    try:
        return bool(is_running()) if callable(is_running) else _server_users > 0
    except Exception:  # noqa: BLE001 - a private API: never let it break an export
        return _server_users > 0


class ImageExporter:
    """Context manager that keeps one kaleido server warm for a batch (re-entrant, thread-safe)."""

    def __enter__(self) -> "ImageExporter":
        """Start kaleido's sync server unless it already runs; degrade to one-shot renders on failure."""
        global _server_users, _server_owned
        with _server_lock:
            _server_users += 1
            if _server_users == 1 and server_available() and not server_running():
                _ensure_browser_path()
                try:
                    kaleido.start_sync_server(silence_warnings=True, **KALEIDO_OPTIONS)
                    _server_owned = True
                except Exception as exc:  # noqa: BLE001
                    warnings.warn(f"kaleido server did not start, rendering one by one: {exc}", RuntimeWarning,
                                  stacklevel=2)
                    _server_owned = False
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Stop the server when the last user leaves, and only if this module started it."""
        global _server_users, _server_owned
        with _server_lock:
            _server_users -= 1
            if _server_users == 0 and _server_owned:
                _server_owned = False
                with _render_lock:
                    kaleido.stop_sync_server(silence_warnings=True)

    def png(self, fig: go.Figure, title: str, filters: Mapping[str, Any], width: int = 1920, height: int = 1080,
            scale: float = 1, generated_on: date | None = None) -> bytes:
        """One titled PNG through the warm server."""
        return figure_png(fig, title, filters, width, height, scale, generated_on=generated_on)


def _scaled(size: float, width: int) -> int:
    """A font size for a 1920-px-wide image, scaled to this width (never below 10 px)."""
    return max(10, round(size * width / BASE_WIDTH))


def _legend_rows(fig: go.Figure, font_size: float, available: float) -> int:
    """Rough number of rows a horizontal legend needs (average glyph ≈ 0.6 em, 40 px per item symbol)."""
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    if not names:
        return 1
    total = sum(len(n) * font_size * 0.6 + 40 + font_size for n in names)
    return max(1, min(len(names), int(total // max(available, 1)) + 1))


def titled_figure(fig: go.Figure, title: str, filters: Mapping[str, Any], width: int = 1920, height: int = 1080,
                  generated_on: date | None = None) -> go.Figure:
    """A copy of the figure with title, filter subtitle, export date, Vietnamese separators and fonts."""
    out = go.Figure(fig)
    subtitle = fmt_filters(filters)
    stamp = f"Xuất ngày {fmt_date(generated_on or date.today())}"
    subtitle = f"{subtitle} · {stamp}" if subtitle else stamp
    base, big, small = _scaled(22, width), _scaled(36, width), _scaled(22, width)
    margin = dict(out.layout.margin.to_plotly_json()) if out.layout.margin else {}
    side = _scaled(40, width)
    pad = round(big * 0.6)
    header = round(pad + big * 1.3 + small * 1.6 + small * 1.0)  # title and subtitle, then a gap
    top = header
    legend = out.layout.legend
    if out.layout.showlegend is not False and (legend.y is not None and legend.y >= 1):
        # a legend above the plot: pin it under the subtitle (container pixels) and make room for it
        # at least the export's type: a page chart's legend type is set for a screen, not for 1920 px
        legend_font = max(legend.font.size if legend.font and legend.font.size else 0, base)
        rows = _legend_rows(out, legend_font, width - 2 * side)
        # maxheight 1: the whole legend (a page chart bounds it and lets plotly scroll it; a PNG cannot scroll)
        out.update_layout(legend={"yref": "container", "y": 1 - header / height, "yanchor": "top",
                                  "xref": "paper", "x": 0, "xanchor": "left",  # rows as wide as the plot
                                  "font": {"size": legend_font}, "maxheight": 1})
        top = header + round(rows * legend_font * 1.6 + small * 0.6)
    out.update_layout(
        width=width, height=height, separators=PLOTLY_SEPARATORS,
        font={"family": FONT_FAMILY, "size": base, "color": "#111111"},
        title={"text": f"<b>{html.escape(title, quote=False)}</b>", "x": side / width, "xanchor": "left",
               "xref": "container", "y": 1 - pad / height, "yanchor": "top", "yref": "container",
               "font": {"family": FONT_FAMILY, "size": big, "color": "#000000"},
               "subtitle": {"text": html.escape(subtitle, quote=False),
                            "font": {"family": FONT_FAMILY, "size": small, "color": "#333333"}}},
        margin={"l": max(margin.get("l") or 0, side), "r": max(margin.get("r") or 0, side),
                "b": max(margin.get("b") or 0, side), "t": max(margin.get("t") or 0, top)},
        paper_bgcolor=out.layout.paper_bgcolor or "white",
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    return out


def _render(fig: go.Figure, width: int, height: int, scale: float) -> bytes:
    """PNG bytes of a figure: kaleido's server if warm, a one-shot kaleido otherwise, plotly as a last resort."""
    opts = {"format": "png", "width": int(width), "height": int(height), "scale": scale}
    if kaleido is None or not hasattr(kaleido, "calc_fig_sync"):  # kaleido 0.x or missing: plotly decides
        return fig.to_image(format="png", width=width, height=height, scale=scale)
    _ensure_browser_path()
    with _render_lock:
        if server_running():
            return kaleido.calc_fig_sync(fig.to_dict(), opts=opts)
        return kaleido.calc_fig_sync(fig.to_dict(), opts=opts, kopts=dict(KALEIDO_OPTIONS))


def figure_png(fig: go.Figure, title: str, filters: Mapping[str, Any], width: int = 1920, height: int = 1080,
               scale: float = 1, *, generated_on: date | None = None) -> bytes:
    """A titled PNG (title, filters, date; Vietnamese separators and fonts) of a copy of the figure."""
    return _render(titled_figure(fig, title, filters, width, height, generated_on), width, height, scale)


def figures_png(figs: list[tuple[go.Figure, str]], filters: Mapping[str, Any], width: int = 1920,
                height: int = 1080, scale: float = 1, *, generated_on: date | None = None) -> list[bytes]:
    """Titled PNGs of several (figure, title) pairs, rendered through one warm kaleido server."""
    with ImageExporter():
        return [figure_png(fig, title, filters, width, height, scale, generated_on=generated_on)
                for fig, title in figs]
