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
