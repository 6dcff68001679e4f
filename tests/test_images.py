"""PNG exports of figures through kaleido and Debian's chromium."""
from __future__ import annotations

import io
import os
from datetime import date

import plotly.graph_objects as go
import pytest
from PIL import Image

from exports.images import FONT_FAMILY, ImageExporter, figure_png, figures_png, server_running, titled_figure
from formats import PLOTLY_SEPARATORS

FILTERS = {"Kỳ": "Quý III/2024", "Địa bàn": "Huyện Nghĩa Hưng"}
TODAY = date(2026, 11, 21)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
needs_chromium = pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="/usr/bin/chromium is missing")


def _figure() -> go.Figure:
    """A bar chart with Vietnamese categories and a legend above the plot."""
    cats = ["Huyện Giao Thủy", "Huyện Hải Hậu", "Thành phố Nam Định", "Huyện Ý Yên"]
    fig = go.Figure(go.Bar(x=cats, y=[1234.5, 71.2, 88.8, 45.0], name="Tỷ lệ đúng hạn", texttemplate="%{y:,.1f}"))
    fig.add_bar(x=cats, y=[3, 1, 0, 2], name="Quá hạn")
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    return fig


def _non_white_share(png: bytes) -> float:
    """The share of pixels that are not (nearly) white."""
    img = Image.open(io.BytesIO(png)).convert("L")
    hist = img.histogram()
    return 1 - sum(hist[245:]) / (img.width * img.height)


def test_titled_figure_is_a_copy_with_title_filters_date_and_separators() -> None:
    fig = _figure()
    out = titled_figure(fig, "Tiến độ <theo> huyện", FILTERS, generated_on=TODAY)
    assert out is not fig and fig.layout.title.text is None
    assert "Tiến độ &lt;theo&gt; huyện" in out.layout.title.text
    assert out.layout.title.subtitle.text == "Kỳ: Quý III/2024 · Địa bàn: Huyện Nghĩa Hưng · Xuất ngày 21/11/2026"
    assert out.layout.separators == PLOTLY_SEPARATORS
    assert out.layout.font.family == FONT_FAMILY
    assert (out.layout.width, out.layout.height) == (1920, 1080)
    assert out.layout.legend.yref == "container"  # pinned below the subtitle
    assert out.layout.margin.t > out.layout.title.font.size * 2


@pytest.mark.browser
@needs_chromium
def test_figure_png_size_signature_and_not_blank() -> None:
    png = figure_png(_figure(), "Tiến độ thực hiện sản phẩm – Cải cách thủ tục hành chính", FILTERS,
                     generated_on=TODAY)
    assert png.startswith(PNG_SIGNATURE)
    img = Image.open(io.BytesIO(png))
    assert img.size == (1920, 1080)
    assert _non_white_share(png) > 0.01


@pytest.mark.browser
@needs_chromium
def test_figures_png_batch_through_one_warm_server() -> None:
    figs = [(_figure(), "Biểu đồ một"), (go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2])), "Biểu đồ hai")]
    pngs = figures_png(figs, FILTERS, width=800, height=450, scale=1, generated_on=TODAY)
    assert len(pngs) == 2
    for png in pngs:
        assert png.startswith(PNG_SIGNATURE)
        assert Image.open(io.BytesIO(png)).size == (800, 450)
        assert _non_white_share(png) > 0.01
    assert not server_running()  # the batch stopped the server it started


@pytest.mark.browser
@needs_chromium
def test_image_exporter_is_reentrant_and_scales() -> None:
    with ImageExporter() as outer:
        assert server_running()
        with ImageExporter():
            png = outer.png(_figure(), "Tỷ lệ", {}, width=640, height=360, scale=2, generated_on=TODAY)
        assert server_running()  # the inner exit did not stop the outer batch's server
    assert not server_running()
    assert Image.open(io.BytesIO(png)).size == (1280, 720)
