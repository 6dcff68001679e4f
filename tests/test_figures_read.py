"""Charts that read at a glance: areas compared by rates (counts in the hover), component gaps visible."""
from __future__ import annotations

import pandas as pd
import pytest

from components import figures


def test_status_bars_compare_rates_with_counts_in_the_hover():
    df = pd.DataFrame({"area": ["Thể chế", "Công vụ"], "done": [10, 1], "overdue": [30, 1], "in_progress": [60, 2]})
    fig = figures.status_bars(df, "area")
    by_name = {t.name: t for t in fig.data}
    shares = pd.DataFrame({name: list(t.x) for name, t in by_name.items()})
    assert shares.sum(axis=1).tolist() == pytest.approx([100.0, 100.0])
    overdue = [t for t in fig.data if "Quá hạn" in t.name][0]
    assert list(overdue.x) == pytest.approx([30.0, 25.0])  # 30/100 and 1/4: the small area is not hidden
    assert "30,0 % (30/100)" in overdue.hovertext[0] and "25,0 % (1/4)" in overdue.hovertext[1]
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.legend.orientation == "h"


@pytest.mark.parametrize("scores,expect_low", [
    ((95.0, 95.5, 94.0), True),   # half-point gaps near the top: the axis starts near them
    ((20.0, 60.0, 40.0), False),  # a wide spread keeps 0
])
def test_component_gaps_are_visible(scores, expect_low):
    s, leader, avg = scores
    df = pd.DataFrame({"component": ["procedure"], "score": [s], "leader_score": [leader], "average_score": [avg],
                       "max_score": [100.0]})
    fig = figures.components_vs(df)
    low, high = fig.layout.xaxis.range
    assert (low > 50) == expect_low
    assert high > max(scores)
    gap_px = 0.5 / (high - low)  # share of the axis a half point takes
    if expect_low:
        assert gap_px > 0.03  # at least 3 % of the plot width, about 20 px on a desk screen
    assert [t.text[0] for t in fig.data] == [figures.fmt_number(v, 1) for v in scores]


LONG = "Xây dựng Chính quyền điện tử, Chính quyền số"


def test_status_bars_write_each_full_name_above_its_bar():
    df = pd.DataFrame({"area": [LONG, "Công vụ"], "done": [10, 1], "overdue": [30, 1]})
    fig = figures.status_bars(df, "area")
    texts = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    assert texts == [LONG, "Công vụ"]  # wrapped, never cut
    assert all(max(len(x) for x in a.text.split("<br>")) <= figures.ABOVE_CHARS for a in fig.layout.annotations)
    assert fig.layout.yaxis.showticklabels is False  # no label column beside the bars
    assert list(fig.data[0].y) == [LONG, "Công vụ"]  # a click's point still names the area (pages/tong-quan.py)
    bar_top = 0.5 - fig.data[0].offset  # the bar in the lower part of its row, under the label
    assert 0 < fig.data[0].width <= bar_top < 1


@pytest.mark.parametrize("texts,size,at_least", [
    (["1,0"], 14, 3 * 14 * 0.6), (["91,85", "9,50"], 14, 5 * 14 * 0.6), (["100,0 %"], 22, 7 * 22 * 0.6),
])
def test_value_labels_get_a_margin_in_pixels(texts, size, at_least):
    # whatever the chart's width, the longest bar ends at the plot's edge: its label must fit the margin
    assert figures.value_room(texts, size) >= at_least


def test_ranking_bars_wrap_names_and_keep_room_for_the_scores():
    table = pd.DataFrame({"rank": [1, 2], "subject_code": ["A", "B"], "score": [91.85, 80.5], "group": ["good", "fair"]})
    fig = figures.ranking_bars(table, {"A": "Sở Thông tin và Truyền thông tỉnh Nam Định", "B": "Sở Tư pháp"})
    assert all(len(line) <= figures.TICK_CHARS for t in fig.layout.yaxis.ticktext for line in t.split("<br>"))
    assert fig.layout.margin.r >= len("91,85") * 14 * 0.6
    assert fig.layout.xaxis.range[1] <= 91.85 * 1.05  # the room is the margin's, not the axis's


def test_the_reference_line_is_named_in_the_legend():
    units = pd.DataFrame({"name": ["Xã A", "Xã B"], "code": ["1", "2"], "value": [40.0, 55.0], "s": ["x", "y"]})
    fig = figures.unit_bars(units, "value", "s", {"x": "X", "y": "Y"}, {"x": "#000", "y": "#111"}, " %",
                            reference=51.3, reference_label="Mức cần đạt")
    assert not fig.layout.annotations  # no label at the top of the line, which ran out of a narrow chart
    assert "Mức cần đạt: 51,3 %" in [t.name for t in fig.data]


def test_legends_are_bounded_and_anchored_inside_the_figure():
    fig = figures.fig_style(figures.go.Figure())
    lg = fig.layout.legend
    assert lg.orientation == "h" and lg.maxheight == figures.LEGEND_MAX_PX
    assert lg.xanchor == "right" and 1 < lg.x < 1.001  # grows leftwards from the plot's right edge
