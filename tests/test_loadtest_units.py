"""Pure parts of the load test: the percentile, the table line, and the nginx example rendered for a test run."""
from __future__ import annotations

import math
import statistics

import pytest

from loadtest import servers as sv
from loadtest.run import Row, format_row, percentile


@pytest.mark.parametrize("values,q,expected", [
    ([1.0], 95, 1.0),
    ([1.0, 2.0], 50, 1.5),
    ([3.0, 1.0, 2.0], 50, 2.0),
    (list(map(float, range(1, 101))), 95, 95.05),
    (list(map(float, range(1, 21))), 95, 19.05),
    ([], 95, math.inf),
])
def test_percentile(values, q, expected):
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize("n", [2, 7, 20, 101])
def test_percentile_agrees_with_the_standard_library(n):
    xs = [((i * 37) % n) / 3 for i in range(n)]
    cuts = statistics.quantiles(xs, n=100, method="inclusive")
    assert percentile(xs, 95) == pytest.approx(cuts[94])
    assert percentile(xs, 50) == pytest.approx(statistics.median(xs))


def test_a_table_line_uses_the_decimal_comma():
    r = Row("postgresql", 2, 50, 50, 1, 1.234, 2.5, 2.5, math.inf, 0.045, 0.001, 3.0, 9.5, [])
    assert format_row(r) == ("| PostgreSQL | 2 (nginx) | 50 | 50 | 1 | 1,23 | 2,50 | 2,50 | – | 0,04 | 0,00 | 3,00 "
                             "| 9,50 |")


def test_the_nginx_example_is_rendered_with_only_addresses_and_paths_replaced(tmp_path):
    text = sv.render_nginx([9001, 9002, 9003], 9443, 9080, tmp_path, tmp_path / "c.crt", tmp_path / "c.key")
    original = sv.NGINX_CONF.read_text(encoding="utf-8")
    assert "server 127.0.0.1:9003 max_fails=3 fail_timeout=10s;" in text and "server 127.0.0.1:8501" not in text
    assert "listen 127.0.0.1:9443 ssl;" in text and "listen 127.0.0.1:9080;" in text
    assert "/var/log/nginx" not in text and "/etc/nginx/tls" not in text
    for directive in ("hash $cchc_route consistent;", "proxy_set_header Upgrade $http_upgrade;", "proxy_read_timeout 1d;",
                      "location = /_stcore/health", "return 301 https://"):
        assert directive in original and directive in text
    # every other line is the example's own
    changed = [line for line in text.splitlines() if line not in original.splitlines()]
    assert len(changed) == 3 + 2 + 2 + 2, changed
