"""The faster paths of the views give what the plain ones gave: counts per group, due-date keys, the Arrow bytes a
table is drawn from, figures reused by content, flat copies of cached values."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from streamlit import dataframe_util

from analytics import counts as cn
from analytics import tasks as tk
from components import data, ui


def _reference_tally(s: pd.DataFrame, key: str) -> pd.DataFrame:
    """tally_by written out with plain pandas groupby (the previous implementation's definition)."""
    s = s[[key, "status", "output_id"]]
    codes = s.groupby([key, "status"], observed=True).size().unstack("status", fill_value=0)
    distinct = s.drop_duplicates()
    per_status = distinct.groupby([key, "status"], observed=True).size().unstack("status", fill_value=0)
    out = pd.DataFrame(index=codes.index)
    for k, m in cn.MEASURES.items():
        wanted = list(codes.columns) if m.statuses is None else [c for c in m.statuses if c in codes.columns]
        out[k] = codes[wanted].sum(axis=1).astype("int64") if wanted else 0
        if not wanted:
            out[f"outputs_{k}"] = 0
        elif len(wanted) == 1:
            out[f"outputs_{k}"] = per_status[wanted[0]].astype("int64")
        else:
            hit = distinct[distinct["status"].isin(wanted)].drop_duplicates([key, "output_id"])
            out[f"outputs_{k}"] = hit.groupby(key, observed=True).size().reindex(out.index, fill_value=0).astype("int64")
    due = out["done"] + out["done_late"] + out["overdue"]
    out["on_time_rate"] = (out["done"] / due.where(due > 0)).astype("float64")
    out["overdue_rate"] = (out["overdue"] / out["total"].where(out["total"] > 0)).astype("float64")
    out["due"] = due
    return out.reset_index()


def _occurrences(seed: int, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    statuses = ["done", "done_late", "overdue", "in_progress", "not_started", "continuous", "no_report"]
    return pd.DataFrame({"agency_code": rng.choice(["SNV", "STC", "SYT", "UBND-X"], n),
                         "status": rng.choice(statuses, n), "output_id": rng.integers(1, 40, n)})


@pytest.mark.parametrize("case", ["plain", "nan_key", "nan_status", "nan_output", "categorical", "one_row", "int_key"])
def test_tally_by_equals_a_plain_groupby(case: str) -> None:
    s = _occurrences(len(case))
    key = "agency_code"
    if case == "nan_key":
        s.loc[s.index[:30], key] = None
    elif case == "nan_status":
        s.loc[s.index[10:60], "status"] = None
    elif case == "nan_output":
        s["output_id"] = s["output_id"].astype("float64")
        s.loc[s.index[5:50], "output_id"] = np.nan
    elif case == "categorical":
        s[key] = pd.Categorical(s[key], categories=["UBND-X", "SYT", "STC", "SNV", "unused"])
    elif case == "one_row":
        s = s.iloc[:1]
    elif case == "int_key":
        s = s.assign(_all=0)
        key = "_all"
    pd.testing.assert_frame_equal(cn.tally_by(s, key), _reference_tally(s, key))


@pytest.mark.parametrize("values", [
    [date(2025, 3, 31), None, date(2025, 3, 31), pd.NaT, date(2024, 12, 31)],
    [pd.Timestamp("2025-06-30"), "2025-06-30", np.nan, date(2025, 6, 30)],
    [None, None],
    [],
])
def test_due_keys_equal_the_key_of_each_cell(values: list) -> None:
    assert list(tk._due_keys(pd.Series(values, dtype=object))) == [tk._due_key(v) for v in values]


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"Đơn vị": ["Xã A", "Phường B"], "Tỷ lệ": ["12,5 %", "–"], "n": [3, 0]}),
    pd.DataFrame({"Trạng thái": [["Quá hạn"], []], "Giá trị": [1.5, np.nan]}),
    pd.DataFrame({"x": [1, 2, 3]}, index=[5, 7, 9]),
    pd.DataFrame({"a": pd.Series([], dtype="str")}),
])
def test_a_table_drawn_from_its_arrow_table_has_the_same_bytes(frame: pd.DataFrame) -> None:
    drawn = ui.arrow(frame)
    assert dataframe_util.convert_arrow_table_to_arrow_bytes(drawn) == \
        dataframe_util.convert_pandas_df_to_arrow_bytes(frame)


def test_a_figure_is_reused_for_equal_inputs_and_rebuilt_for_changed_ones() -> None:
    built = []

    def bars(df: pd.DataFrame, column: str) -> object:
        built.append(column)
        return object()

    df = pd.DataFrame({"area": ["A", "B"], "done": [1, 2]})
    first = data.by_content(bars, df, "area")
    assert data.by_content(bars, df.copy(), "area") is first  # equal content, another object
    assert data.by_content(bars, df.assign(done=[1, 3]), "area") is not first
    assert data.by_content(bars, df, "done") is not first
    assert built == ["area", "area", "done"]


def test_flat_cached_values_are_handed_out_as_copies() -> None:
    names, codes, fixed = {"SNV": "Sở Nội vụ"}, ["SNV", "STC"], ("a", 1)
    assert data._fresh(names) == names and data._fresh(names) is not names
    assert data._fresh(codes) == codes and data._fresh(codes) is not codes
    assert data._fresh(fixed) is fixed  # a tuple of scalars cannot be changed
    nested = {"t": pd.DataFrame({"x": [1]})}
    assert data._fresh(nested)["t"] is not nested["t"]
