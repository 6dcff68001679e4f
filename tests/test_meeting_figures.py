"""The projector's slide charts as pure figures (components/figures.py): bar labels wrap in full and are never
cut, a chart that cannot show every bar at the smallest readable type shows its first ones and says how many
are left, and line labels at the ends stay inside the chart."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics import meeting as mt
from components import figures


def _chart(labels: list[str], series: tuple[str, ...] = ("Quá hạn",), grouped: bool = False) -> mt.Chart:
    rows = [{"label": lab, "code": f"c{i}", "series": s, "value": float(10 + i), "colour": "#D55E00",
             "text": f"{10 + i} %", "target": np.nan}
            for i, lab in enumerate(labels) for s in series]
    return mt.Chart("test", "Thử", pd.DataFrame(rows, columns=mt.CHART_COLUMNS), grouped=grouped)


@pytest.mark.parametrize("label,width", [
    ("Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình trên tổng số hồ sơ tiếp nhận của cấp xã", 44),
    ("Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình trên tổng số hồ sơ tiếp nhận của cấp xã", 22),
    ("Phường Nam Định", 44),
    ("Sở Khoa học và Công nghệ\nĐơn vị mới", 30),
    ("Mộttừrấtdàikhôngcódấucáchnàoởgiữađểxuốngdòngđược", 10),
])
def test_bar_labels_wrap_in_full(label, width):
    lines = figures.label_lines(label, width)
    assert " ".join(lines).split() == label.split()  # every word, in order: nothing cut, no "…"
    assert all(len(x) <= width for x in lines if " " in x)  # a line with a break in it fits the width
    assert "…" not in figures.wrap_label(label, width)


def test_a_chart_that_fits_shows_every_bar_at_full_size():
    chart = _chart([f"Xã số {i}" for i in range(8)])
    chars, px, rows = figures.slide_fit(chart, 700, figures.LABEL_CHARS, figures.SLIDE_FONT_PX)
    assert (px, rows) == (figures.SLIDE_FONT_PX, 8)
    assert figures.slide_need(chart, chars, px) <= 700


@pytest.mark.parametrize("n,free,grouped", [(129, 700, False), (129, 420, False), (40, 560, True), (12, 300, False)])
def test_a_chart_too_long_for_the_slide_shows_its_first_bars_and_room_for_the_rest_line(n, free, grouped):
    series = ("Đơn vị", "Dẫn đầu", "Trung bình") if grouped else ("Quá hạn",)
    chart = _chart([f"Phường, xã có tên khá dài số {i}" for i in range(n)], series, grouped)
    chars, px, rows = figures.slide_fit(chart, free, 34, figures.SLIDE_FONT_PX)
    room = free - (figures.SLIDE_LEGEND_PX if figures.slide_has_legend(chart) else 0) - figures.SLIDE_MORE_PX
    assert px == figures.MIN_SLIDE_FONT_PX  # the type shrank as far as it may before any bar was left out
    assert 1 <= rows < n
    assert figures.slide_need(chart, chars, px, rows) <= room  # what is shown fits with the "và … mục khác" line
    if rows < n:
        assert figures.slide_need(chart, chars, px, rows + 1) > room  # and one more bar would not
    head = figures.slide_head(chart, rows)
    assert list(dict.fromkeys(head.frame["label"])) == list(dict.fromkeys(chart.frame["label"]))[:rows]
    assert len(head.frame) == rows * len(series)  # every series of the bars kept


def test_slide_bars_leave_room_for_the_longest_label_and_value():
    labels = ["Ủy ban nhân dân phường Nam Định và các đơn vị liên quan", "Xã Hải Hậu"]
    chart = _chart(labels)
    fig = figures.slide_bars(chart, 400, 34, 28)
    assert fig.layout.margin.l >= max(len(x) for lab in labels for x in figures.label_lines(lab, 34)) * 28 * 0.6
    assert fig.layout.margin.r >= len("  11 %") * 28 * 0.6
    assert list(fig.layout.yaxis.categoryarray) == [figures.wrap_label(x, 34) for x in labels]
    assert [list(t.customdata) for t in fig.data] == [["c0", "c1"]]  # a click names the unit


@pytest.mark.parametrize("n,expected", [
    (0, []),
    (1, ["top center"]),
    (2, ["top right", "top left"]),
    (4, ["top right", "top center", "top center", "top left"]),
])
def test_line_end_labels_point_inwards(n, expected):
    assert figures.end_positions(n) == expected


def test_score_line_labels_the_last_year_inside_the_chart():
    hist = pd.DataFrame({"year": [2021, 2022, 2023, 2024], "score": [80.1, 82.4, 85.0, 88.3]})
    fig = figures.score_line(hist, "year", "score", ["80,10 · Hạng 20", "82,40", "85,00", "88,30 · Hạng 12"])
    assert list(fig.data[0].textposition) == ["top right", "top center", "top center", "top left"]
