"""What every view does first: check the role, read the period, mark sample data."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from catalogue import UI
from components import auth, data, filters, ui
from components.filters import Period


@dataclass(frozen=True)
class Context:
    """The state a view starts from."""

    user: auth.User
    period: Period
    latest: Period
    first: Period


def start(title_key: str, roles: frozenset[str] = auth.READERS, container=None) -> Context | None:  # noqa: ANN001
    """Role check, title, sample banner and the period filter (in `container`); None when there is no data yet."""
    user = auth.require(roles)
    st.title(UI[title_key])
    ui.banner_if_sample(data.is_sample())
    latest_q = data.latest_quarter()
    if latest_q is None:
        ui.empty(UI["no_data"])
        return None
    latest = Period(*latest_q)
    first = Period(2021, 1)
    period = filters.period_filter(latest, first, container)
    return Context(user, period, latest, first)
