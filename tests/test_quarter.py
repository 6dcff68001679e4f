"""quarter.Quarter: construction, dates, keys, labels, order and arithmetic, against values written out by hand."""
from __future__ import annotations

from datetime import date

import pytest

from quarter import Quarter

# year, quarter, key, label, first day, last day, index
TABLE = [
    (2024, 1, "2024-Q1", "Quý I/2024", date(2024, 1, 1), date(2024, 3, 31), 8096),
    (2024, 2, "2024-Q2", "Quý II/2024", date(2024, 4, 1), date(2024, 6, 30), 8097),
    (2024, 3, "2024-Q3", "Quý III/2024", date(2024, 7, 1), date(2024, 9, 30), 8098),
    (2024, 4, "2024-Q4", "Quý IV/2024", date(2024, 10, 1), date(2024, 12, 31), 8099),
    (2021, 1, "2021-Q1", "Quý I/2021", date(2021, 1, 1), date(2021, 3, 31), 8084),
    (2025, 3, "2025-Q3", "Quý III/2025", date(2025, 7, 1), date(2025, 9, 30), 8102),
    (999, 4, "0999-Q4", "Quý IV/999", date(999, 10, 1), date(999, 12, 31), 3999),
]


@pytest.mark.parametrize("year, q, key, label, start, end, index", TABLE)
def test_a_quarter_knows_its_key_label_days_and_index(year, q, key, label, start, end, index) -> None:
    quarter = Quarter(year, q)
    assert (quarter.key, quarter.label, quarter.start, quarter.end, quarter.index) == (key, label, start, end, index)
    assert Quarter.index_of(year, q) == index
    assert str(quarter) == key
    assert tuple(quarter) == quarter.astuple() == (year, q)


@pytest.mark.parametrize("year, q, key, label, start, end, index", TABLE)
def test_a_quarter_is_rebuilt_from_its_key_its_days_and_its_index(year, q, key, label, start, end, index) -> None:
    assert Quarter.from_key(key) == Quarter.parse(key) == Quarter.of(start) == Quarter.of(end) == Quarter.from_index(index) \
        == Quarter(year, q)


@pytest.mark.parametrize("key, expected", [
    ("2024-Q3", Quarter(2024, 3)),
    (" 2024-q1 ", Quarter(2024, 1)),
    ("2024-Q5", None),
    ("2024-Q0", None),
    ("2024Q3", None),
    ("24-Q3", None),
    ("", None),
    (None, None),
    (20243, None),
])
def test_parse_takes_keys_only(key, expected) -> None:
    assert Quarter.parse(key) == expected
    if expected is None:
        with pytest.raises(ValueError):
            Quarter.from_key(key)


@pytest.mark.parametrize("day, expected", [
    (date(2024, 1, 1), Quarter(2024, 1)),
    (date(2024, 3, 31), Quarter(2024, 1)),
    (date(2024, 4, 1), Quarter(2024, 2)),
    (date(2024, 2, 29), Quarter(2024, 1)),
    (date(2024, 9, 30), Quarter(2024, 3)),
    (date(2024, 10, 1), Quarter(2024, 4)),
    (date(2023, 12, 31), Quarter(2023, 4)),
])
def test_of_a_date(day, expected) -> None:
    assert Quarter.of(day) == expected


@pytest.mark.parametrize("start, n, expected", [
    (Quarter(2024, 3), 1, Quarter(2024, 4)),
    (Quarter(2024, 4), 1, Quarter(2025, 1)),
    (Quarter(2024, 1), -1, Quarter(2023, 4)),
    (Quarter(2024, 2), 0, Quarter(2024, 2)),
    (Quarter(2024, 2), 7, Quarter(2026, 1)),
    (Quarter(2024, 2), -9, Quarter(2022, 1)),
    (Quarter(2021, 1), 19, Quarter(2025, 4)),
])
def test_arithmetic_by_n_quarters(start, n, expected) -> None:
    assert start + n == n + start == expected
    assert expected - n == start
    assert expected - start == n


@pytest.mark.parametrize("q, after, before", [
    (Quarter(2024, 1), Quarter(2024, 2), Quarter(2023, 4)),
    (Quarter(2024, 4), Quarter(2025, 1), Quarter(2024, 3)),
    (Quarter(2025, 2), Quarter(2025, 3), Quarter(2025, 1)),
])
def test_next_and_previous(q, after, before) -> None:
    assert (q.next(), q.previous()) == (after, before)


@pytest.mark.parametrize("a, b", [
    (Quarter(2023, 4), Quarter(2024, 1)),
    (Quarter(2024, 1), Quarter(2024, 2)),
    (Quarter(2019, 3), Quarter(2024, 2)),
])
def test_quarters_are_ordered_in_time(a, b) -> None:
    assert a < b and b > a and a <= b and a != b
    assert max(b, a) == b and sorted([b, a]) == [a, b]


@pytest.mark.parametrize("first, last, expected", [
    (Quarter(2024, 3), Quarter(2025, 1), ["2024-Q3", "2024-Q4", "2025-Q1"]),
    (Quarter(2024, 3), Quarter(2024, 3), ["2024-Q3"]),
    (Quarter(2024, 3), Quarter(2024, 2), []),
])
def test_through(first, last, expected) -> None:
    assert [q.key for q in first.through(last)] == expected


@pytest.mark.parametrize("year, q", [(2024, 0), (2024, 5), (2024, -1), (2024, 2.5), (2024, "3"), (2024.5, 1),
                                     (2024, True)])
def test_a_quarter_outside_1_to_4_is_refused(year, q) -> None:
    with pytest.raises(ValueError):
        Quarter(year, q)


@pytest.mark.parametrize("q", [0, 5, -1, True, "3"])
def test_index_of_refuses_what_the_constructor_refuses(q) -> None:
    with pytest.raises(ValueError):
        Quarter.index_of(2024, q)


@pytest.mark.parametrize("year, q, expected", [(2024.0, 3.0, Quarter(2024, 3)), (2024, 4.0, Quarter(2024, 4))])
def test_whole_floats_are_taken_as_ints(year, q, expected) -> None:
    built = Quarter(year, q)
    assert built == expected and type(built.year) is int and type(built.quarter) is int


def test_a_quarter_is_immutable_and_hashable() -> None:
    q = Quarter(2024, 3)
    with pytest.raises(AttributeError):
        q.year = 2025  # type: ignore[misc]
    assert {Quarter(2024, 3): "x"}[q] == "x"
