"""What every view does first: check the role, read the period, mark sample data."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from catalogue import FIRST_QUARTER, UI
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
    first = Period(*FIRST_QUARTER)
    period = filters.period_filter(latest, first, container)
    return Context(user, period, latest, first)


def province_name() -> str:
    """The province's own name from the unit register ("Tỉnh Nam Định")."""
    return data.memo((), _province_name)


def _province_name() -> str:
    from analytics.dashboard import PROVINCE

    units = data.frames().units  # read only when the name is not cached yet for this data version
    return str(dict(zip(units["code"], units["name"])).get(PROVINCE, UI["xf_province"]))


def export_filters(period: Period | None = None, unit_name: str | None = None, agency_name: str | None = None,
                   area_label: str | None = None, extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The filters written on an exported PNG or Excel file, human-readable and in this order:
    Kỳ, Địa bàn, Cơ quan, Lĩnh vực, then `extra` ({label: value}); empty ones are left out."""
    from exports.formats import fmt_quarter

    out = {UI["mt_filter_period"]: fmt_quarter(period.year, period.quarter) if period is not None else None,
           UI["filter_unit"]: unit_name, UI["filter_agency"]: agency_name, UI["filter_area"]: area_label,
           **dict(extra or {})}
    return {k: str(v) for k, v in out.items() if v not in (None, "")}
