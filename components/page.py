"""What every view does first: check the role, read the period, mark sample data."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

import settings
from analytics import units as un
from catalogue import FIRST_QUARTER, UI
from components import auth, data, filters, pins, ui
from quarter import Quarter


@dataclass(frozen=True)
class Context:
    """The state a view starts from."""

    user: auth.User
    period: Quarter
    latest: Quarter
    first: Quarter
    current_map: bool = False  # the quarter shown on today's map ("theo địa giới hiện nay", URL map=now)


def start(title_key: str, roles: frozenset[str] = auth.READERS, container=None,  # noqa: ANN001
          on_todays_map: bool = False) -> Context | None:
    """Role check, title, sample banner and the period filter (in `container`), with the "theo địa giới hiện nay"
    toggle for views that can redraw an old quarter on today's map; None when there is no data yet."""
    user = auth.require(roles)
    st.title(UI[title_key])
    ui.banner_if_sample(data.is_sample())
    pins.banner()
    latest_q = data.latest_quarter()
    if latest_q is None:
        ui.empty(UI["no_data"])
        return None
    latest = Quarter(*latest_q)
    first = Quarter(*FIRST_QUARTER)
    period = filters.period_filter(latest, first, container)
    return Context(user, period, latest, first, map_toggle(period, container) if on_todays_map else False)


def map_toggle(period: Quarter, container=None) -> bool:  # noqa: ANN001
    """The "theo địa giới hiện nay" toggle, offered for a quarter whose map is not today's; True when on."""
    today = settings.today()
    if not data.memo((period.key, today), _old_map, period, today):
        return False  # the quarter's map is today's: nothing to convert (the URL keeps the choice for other quarters)
    return filters.flag("map", UI["map_now"], "now", container, help=UI["map_now_help"])


def _old_map(period: Quarter, today) -> bool:  # noqa: ANN001
    """Whether a quarter lies on another map than today's (computed once per data version, quarter and day)."""
    f = data.frames()
    return un.province_on(f, period.end) != un.province_on(f, today)


def province_name(period: Quarter | None = None, current_map: bool = False) -> str:
    """The name of the province a view of `period` is about ("Tỉnh Nam Định" for a 2024 quarter on its own map,
    "Tỉnh Ninh Bình" after 30/06/2025 or on today's map); the province served without a period."""
    return data.memo((period.key if period else None, current_map), _province_name, period, current_map)


def _province_name(period: Quarter | None, current_map: bool) -> str:
    f = data.frames()  # read only when the name is not cached yet for this data version
    code = un.province_on(f, period.end, current_map) if period \
        else un.served_province(f)
    return str(dict(zip(f.units["code"], f.units["name"])).get(code, UI["xf_province"]))


def today():  # noqa: ANN201 - a date
    """Today (CCHC_TODAY in tests and demos): the date of "today's map"."""
    return settings.today()


def export_filters(period: Quarter | None = None, unit_name: str | None = None, agency_name: str | None = None,
                   area_label: str | None = None, extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The filters written on an exported PNG or Excel file, human-readable and in this order:
    Kỳ, Địa bàn, Cơ quan, Lĩnh vực, then `extra` ({label: value}); empty ones are left out."""
    out = {UI["mt_filter_period"]: period.label if period is not None else None,
           UI["filter_unit"]: unit_name, UI["filter_agency"]: agency_name, UI["filter_area"]: area_label,
           **dict(extra or {})}
    return {k: str(v) for k, v in out.items() if v not in (None, "")}
