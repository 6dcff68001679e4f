"""Meeting mode: the decks as data (analytics/meeting.py) on hand-made frames, then pages/trinh-chieu.py through
AppTest on the sample database (every slide renders, Next/Back move the URL, a district deck)."""
from __future__ import annotations

import dataclasses
import html
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import frames as fr
from analytics import meeting as mt
from analytics import slides as sl
from analytics import slides_targets as stg
from analytics import slides_tasks as stk
from analytics import targets as tg
from analytics import task_views as tv
from catalogue import PROGRESS_STATUSES, TASK_STATUSES, UI

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/trinh-chieu.py"

# --- a small province: 3 districts, 2 communes each, 2 departments --------------------------------
DISTRICTS = {"901": "Huyện Một", "902": "Huyện Hai", "903": "Huyện Ba"}
COMMUNES = {"90101": ("Xã Một A", "901"), "90102": ("Xã Một B", "901"), "90201": ("Xã Hai A", "902"),
            "90202": ("Xã Hai B", "902"), "90301": ("Xã Ba A", "903"), "90302": ("Xã Ba B", "903")}
DUE = (date(2024, 12, 31),)  # once, due end of 2024: overdue at Q2 2025 unless reported done


def _units() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [("36", "Tỉnh Thử", "Thử", "province", None)]
    rows += [(c, n, n.split(" ", 1)[1], "district", "36") for c, n in DISTRICTS.items()]
    rows += [(c, n, n.split(" ", 1)[1], "commune", p) for c, (n, p) in COMMUNES.items()]
    units = pd.DataFrame({"code": [r[0] for r in rows], "name": [r[1] for r in rows], "short_name": [r[2] for r in rows],
                          "level": [r[3] for r in rows], "type": "", "valid_from": None, "valid_to": None,
                          "lat": 20.0, "lon": 106.0})
    parents = pd.DataFrame({"code": [r[0] for r in rows if r[4]], "parent_code": [r[4] for r in rows if r[4]],
                            "valid_from": None, "valid_to": None})
    return units, parents


def _agencies() -> pd.DataFrame:
    rows = [("SA", "Sở A", "department", "36", "department"), ("SB", "Sở B", "department", "36", "department")]
    rows += [(f"UBND-{c}", f"UBND {n}", "people_committee", c, "district") for c, n in DISTRICTS.items()]
    rows += [(f"UBND-{c}", f"UBND {n}", "people_committee", c, "commune") for c, (n, _p) in COMMUNES.items()]
    return pd.DataFrame({"code": [r[0] for r in rows], "name": [r[1] for r in rows], "short_name": [r[1] for r in rows],
                         "kind": [r[2] for r in rows], "unit_code": [r[3] for r in rows], "rank_group": [r[4] for r in rows]})


# (output id, area, lead agencies, agencies that reported it done)
OUTPUTS = [
    (1, "procedure", ["SA", "UBND-902", "UBND-90201", "UBND-90202"], ["SA"]),
    (2, "procedure", ["SB", "UBND-902", "UBND-901"], ["SB", "UBND-901"]),
    (3, "egov", ["UBND-901", "UBND-90101", "UBND-903"], ["UBND-901", "UBND-903"]),
    (4, "egov", ["UBND-903", "UBND-90301", "UBND-90302"], ["UBND-903", "UBND-90301", "UBND-90302"]),
    (5, "institution", ["SA", "UBND-90102"], ["UBND-90102"]),
]


def _tasks() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    outputs = pd.DataFrame({
        "output_id": [o[0] for o in OUTPUTS], "ref": [f"T/{o[0]}" for o in OUTPUTS], "output_no": [str(o[0]) for o in OUTPUTS],
        "output": [f"Sản phẩm số {o[0]}" for o in OUTPUTS], "lead_text": "", "partner_text": "", "deadline_text": "Năm 2024",
        "deadline_kind": "once", "sheet": "Phụ lục", "row": 1, "task_id": 1, "task_no": "1", "task": "Nhiệm vụ",
        "area_code": [o[1] for o in OUTPUTS], "area_text": "", "plan_id": 1, "plan_code": "36-2024-1", "plan_title": "KH",
        "plan_number": "1/KH-UBND", "issuer_unit_code": "36", "period_from": 2024, "period_to": 2025,
        "due_dates": [DUE] * len(OUTPUTS)})
    assignments, reports = [], []
    for oid, _area, leads, done in OUTPUTS:
        for agency in leads:
            aid = len(assignments) + 1
            assignments.append({"assignment_id": aid, "output_id": oid, "agency_code": agency, "role": "lead",
                                "via_group": None})
            if agency in done:
                reports.append({"assignment_id": aid, "year": 2024, "quarter": 4, "status": "done", "percent": 100.0,
                                "evidence": "QĐ 1/QĐ-UBND", "note": None, "batch_id": 1})
    aid = len(assignments) + 1  # Sở B also works on output 1 as a partner, and is late there too
    assignments.append({"assignment_id": aid, "output_id": 1, "agency_code": "SB", "role": "partner", "via_group": None})
    return outputs, pd.DataFrame(assignments), pd.DataFrame(reports)


def _indicators() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    indicators = pd.DataFrame({"code": ["R1", "R2"], "name": ["Tỷ lệ hồ sơ trực tuyến", "Tỷ lệ số hóa kết quả"],
                               "area_code": ["procedure", "egov"], "unit": "%", "direction": "up", "is_rate": False,
                               "batch_id": 1})
    targets = pd.DataFrame({
        "id": [1, 2, 3], "batch_id": 1, "indicator_code": ["R1", "R1", "R2"], "level": "all", "scope_unit_code": None,
        "year": [2025, 2030, 2025], "kind": "at_least", "value": [80.0, 95.0, 60.0], "value_high": np.nan,
        "baseline_year": np.nan, "step": np.nan, "cap": np.nan, "group_code": None, "relative": False,
        "text": ["Tối thiểu 80%", "Tối thiểu 95%", "Tối thiểu 60%"], "source": "thử", "is_current": True})
    rows = []
    # R1 (online dossiers) crawls from 30 % and moves away in 903: at risk / off track; R2 already above 60 %.
    series = {"36": [30, 36, 42, 48], "901": [30, 40, 50, 60], "902": [30, 32, 34, 36], "903": [40, 38, 36, 34]}
    for unit, vals in series.items():
        for year, v in zip(range(2021, 2025), vals):
            rows.append({"indicator_code": "R1", "unit_code": unit, "year": year, "quarter": np.nan, "value": float(v),
                         "numerator": np.nan, "denominator": np.nan})
            rows.append({"indicator_code": "R2", "unit_code": unit, "year": year, "quarter": np.nan, "value": 70.0,
                         "numerator": np.nan, "denominator": np.nan})
    return indicators, targets, pd.DataFrame(rows)


def _par() -> pd.DataFrame:
    rows = []
    for year, scores in ((2023, {"SA": 80.0, "SB": 85.0, "901": 82.0, "902": 88.0, "903": 70.0}),
                         (2024, {"SA": 90.0, "SB": 84.0, "901": 86.0, "902": 81.0, "903": 75.0})):
        for code, score in scores.items():
            kind = "department" if code.startswith("S") else "district"
            rows.append({"year": year, "subject_kind": kind, "subject_code": code, "component": "procedure",
                         "score": score / 2, "max_score": 50.0, "official_rank": np.nan})
            rows.append({"year": year, "subject_kind": kind, "subject_code": code, "component": "one_stop",
                         "score": score / 2 - 1, "max_score": 50.0, "official_rank": np.nan})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def frames() -> fr.Frames:
    units, parents = _units()
    outputs, assignments, reports = _tasks()
    indicators, targets, values = _indicators()
    return fr.Frames(units=units, parents=parents, agencies=_agencies(), outputs=outputs, assignments=assignments,
                       reports=reports, indicators=indicators, targets=targets, values=values, par=_par())


@pytest.fixture(scope="module")
def inp(frames) -> mt.Inputs:
    return mt.prepare(frames, 2025, 2)


# --- which slides, in which order ----------------------------------------------------------------
@pytest.mark.parametrize("kind,code,expected", [
    ("province", None, ["overview", "targets", "overdue", "rankings", "unit:902", "unit:901", "unit:903"]),
    ("district", "901", ["overview", "targets", "overdue", "rankings", "unit:901"]),
    ("district", "903", ["overview", "targets", "overdue", "rankings", "unit:903"]),
    ("agency", "SA", ["overview", "overdue", "rankings", "agency:SA"]),
    ("agency", "UBND-90201", ["overview", "overdue", "rankings", "agency:UBND-90201"]),
])
def test_outline(inp, kind, code, expected):
    assert mt.outline(inp, kind, code) == expected
    assert [s.key for s in sl.deck(inp, kind, code)] == expected


@pytest.mark.parametrize("cap,units", [(10, ["unit:902", "unit:901", "unit:903"]), (2, ["unit:902", "unit:901"]),
                                       (1, ["unit:902"])])
def test_province_deck_shows_the_units_furthest_behind(inp, monkeypatch, cap, units):
    """On the 2025 map a province has 129 communes directly under it: the deck keeps the MAX_UNIT_SLIDES furthest
    behind (highest overdue rate first), not a slide for each."""
    monkeypatch.setattr(mt, "MAX_UNIT_SLIDES", cap)
    assert mt.outline(inp, "province")[4:] == units


def test_districts_ordered_by_overdue_rate(inp):
    units = mt.district_units(inp)
    # lead assignments of each district's agencies (its UBND and its communes'): 902 4 of 4 overdue, 901 1 of 4, 903 0
    assert list(units["code"]) == ["902", "901", "903"]
    assert list(units["overdue"]) == [4, 1, 0]
    assert list(units["total"]) == [4, 4, 4]
    assert mt.district_order(inp) == ["902", "901", "903"]


@pytest.mark.parametrize("keys,unit,agency,expected", [
    (["overview", "unit:902", "unit:901"], "901", None, 2),
    (["overview", "unit:902", "unit:901"], "903", None, None),
    (["overview", "agency:SA"], None, "SA", 1),
    (["overview"], None, None, None),
])
def test_find_slide(keys, unit, agency, expected):
    assert mt.find_slide(keys, unit=unit, agency=agency) == expected


@pytest.mark.parametrize("kind,code", [("district", "999"), ("district", "90101"), ("agency", "NOPE"), ("town", None)])
def test_unknown_deck_is_refused(inp, kind, code):
    with pytest.raises(mt.DeckError):
        mt.outline(inp, kind, code)


# --- the filters printed on each slide -----------------------------------------------------------
PROVINCE_LINE = "Kỳ: Quý II/2025 · Địa bàn: Tỉnh Thử · Cơ quan: Tất cả"


@pytest.mark.parametrize("kind,code,key,expected", [
    ("province", None, "overview", PROVINCE_LINE),
    ("province", None, "targets", PROVINCE_LINE),
    ("province", None, "overdue", PROVINCE_LINE),
    ("province", None, "rankings", PROVINCE_LINE),
    ("province", None, "unit:902", "Kỳ: Quý II/2025 · Địa bàn: Huyện Hai · Cơ quan: Tất cả"),
    ("district", "901", "overview", "Kỳ: Quý II/2025 · Địa bàn: Huyện Một · Cơ quan: Tất cả"),
    ("district", "901", "unit:901", "Kỳ: Quý II/2025 · Địa bàn: Huyện Một · Cơ quan: Tất cả"),
    ("agency", "SA", "overview", "Kỳ: Quý II/2025 · Địa bàn: Tỉnh Thử · Cơ quan: Sở A"),
    ("agency", "UBND-90201", "agency:UBND-90201", "Kỳ: Quý II/2025 · Địa bàn: Xã Hai A · Cơ quan: UBND Xã Hai A"),
])
def test_filters_text_per_slide(inp, kind, code, key, expected):
    assert mt.filters_text(sl.build_slide(inp, kind, code, key)) == expected


# --- what the slides say -------------------------------------------------------------------------
def test_overview_cards(inp):
    s = sl.build_slide(inp, "province", None, "overview")
    tasks, targets = s.kpis
    # 15 lead assignments: 9 done on time, 6 overdue → on time 9 / 15
    assert [(k.label, k.value) for k in tasks] == [(UI["kpi_on_time"], "60 %"), (UI["cnt_done_total"], "9"),
                                                   (UI["cnt_overdue"], "6")]
    assert tasks[2].symbol == TASK_STATUSES["overdue"].symbol and tasks[2].colour == TASK_STATUSES["overdue"].colour
    counts = {h: tg.indicator_kpis(inp.assessed, h) for h in tg.HORIZONS}
    assert [k.value for k in targets] == [
        str(counts[2025]["achieved"] + counts[2025]["on_track"]), str(counts[2025]["at_risk"] + counts[2025]["off_track"]),
        str(counts[2030]["achieved"] + counts[2030]["on_track"]), str(counts[2030]["at_risk"] + counts[2030]["off_track"])]
    assert all(k.symbol for k in targets)  # readable without colour
    assert s.charts[0].key == "areas_rate" and not s.charts[0].empty


def test_targets_slide_lists_the_risky_targets_worst_first(inp):
    s = sl.build_slide(inp, "province", None, "targets")
    risky = stg.risky_targets(inp.assessed)
    assert not risky.empty and set(risky["status"]) <= {"at_risk", "off_track"}
    order = [mt.RISK.index(x) for x in risky["status"]]
    assert order == sorted(order)
    assert len(s.table) == len(risky) and s.table_kind == "targets"
    chart, units = s.charts
    assert chart.drill == "target" and list(chart.frame["code"]) == [str(i) for i in risky["id"].head(mt.MAX_TARGETS)]
    assert chart.frame["target"].notna().all()
    assert units.drill == "unit" and set(units.frame["code"]) == set(DISTRICTS)
    # the symbol of each status is in the text
    for code, text in zip(units.frame["series"], units.frame["text"]):
        assert text.split()[0] in {e.symbol for e in PROGRESS_STATUSES.values()}, (code, text)


def test_targets_slide_follows_the_picked_target(inp):
    risky = stg.risky_targets(inp.assessed)
    last = str(int(risky["id"].iloc[-1]))
    s = sl.build_slide(inp, "province", None, "targets", target=last)
    assert s.extra["target"] == last


def test_district_targets_are_judged_on_the_district(inp):
    a = stg.targets_in_scope(inp, mt.resolve(inp, "district", "902"))
    r1 = a[(a["indicator_code"] == "R1") & (a["year"] == 2025)].iloc[0]
    assert r1["observed"] == pytest.approx(36.0)  # 902's own figure, not the province's 48
    assert r1["status"] in ("at_risk", "off_track")


def test_overdue_slide(inp):
    s = sl.build_slide(inp, "province", None, "overdue")
    districts, agencies = s.charts
    assert list(districts.frame["code"]) == ["902", "901", "903"] and districts.drill == "unit"
    assert list(districts.frame["value"].round(1)) == [100.0, 25.0, 0.0]
    assert agencies.drill == "agency" and agencies.frame["value"].iloc[0] == agencies.frame["value"].max()
    assert s.table_kind == "overdue"


def test_overdue_outputs_name_their_lead_agencies(inp):
    out = stk.overdue_outputs(inp, mt.resolve(inp, "province"))
    assert list(out.columns) == ["Sản phẩm", "Cơ quan chủ trì", "Hạn", "Quý quá hạn"]
    first = out.iloc[0]  # output 1: three lead agencies overdue, the most
    assert first["Sản phẩm"] == "1/KH-UBND – Sản phẩm số 1"
    assert first["Cơ quan chủ trì"] == "UBND Huyện Hai, UBND Xã Hai A, UBND Xã Hai B"
    assert first["Hạn"] == date(2024, 12, 31) and first["Quý quá hạn"] == "2025-Q1"
    assert set(out["Sản phẩm"]) == {f"1/KH-UBND – Sản phẩm số {i}" for i in (1, 2, 3, 5)}


def test_agency_deck_lists_lead_and_partner_outputs(inp):
    out = stk.overdue_outputs(inp, mt.resolve(inp, "agency", "SB"))
    assert list(out[UI["mt_col_role"]]) == [UI["mt_role_partner"]]
    assert "UBND Huyện Hai" in out["Cơ quan chủ trì"].iloc[0]  # the output's lead agencies, not Sở B


def test_rankings_slide(inp):
    s = sl.build_slide(inp, "province", None, "rankings")
    deps, districts = s.charts
    assert list(deps.frame["code"]) == ["SA", "SB"] and deps.drill == "agency"
    assert list(districts.frame["code"]) == ["901", "902", "903"] and districts.drill == "unit"
    assert districts.frame["text"].iloc[0].endswith("▲ 1")  # 901 moved up from 2nd to 1st
    agency = sl.build_slide(inp, "agency", "SA", "rankings")
    assert agency.kpis[0][0].value == "1/2" and agency.charts[0].grouped


# (deck year, agency, the year of the ranking shown or None): SA is scored 2023–2025, SC (a department formed by a
# merger) only from 2025, SB last in 2024
@pytest.mark.parametrize("year, agency, expected", [
    (2023, "SA", 2023), (2024, "SA", 2024), (2025, "SA", 2025),
    (2024, "SC", None), (2025, "SC", 2025), (2026, "SC", 2025),
    (2025, "SB", 2024),
])
def test_an_agency_deck_shows_the_ranking_known_at_its_period(frames, year, agency, expected):
    from types import SimpleNamespace

    from analytics import slides_rankings as srk

    agencies = pd.concat([frames.agencies, frames.agencies[frames.agencies["code"] == "SA"].assign(
        code="SC", name="Sở C", short_name="Sở C")], ignore_index=True)
    later = _par()
    later = later[(later["year"] == 2024) & later["subject_code"].isin(["SA", "SB"])]
    par = pd.concat([_par(), later.assign(year=2025, subject_code=later["subject_code"].replace({"SB": "SC"}))],
                    ignore_index=True)
    par = par.assign(parent_code=np.nan)
    rank = srk.agency_rank(SimpleNamespace(frames=dataclasses.replace(frames, agencies=agencies), par=par, year=year),
                           agency)
    assert (rank["year"] if rank else None) == expected
    if rank:  # the rank row is that year's ranking of the agency's kind
        scored = par[(par["year"] == expected) & (par["subject_kind"] == "department")]
        totals = scored.groupby("subject_code")["score"].sum().sort_values(ascending=False)
        assert int(rank["row"]["rank"]) == list(totals.index).index(agency) + 1
        assert int(rank["row"]["n"]) == len(totals)


def test_unit_slide(inp):
    s = sl.build_slide(inp, "province", None, "unit:902")
    cards = s.kpis[0]
    assert cards[-1].label == UI["mt_kpi_overdue_rate"] and cards[-1].value == "100 %"
    assert cards[-1].note == UI["mt_note_overdue_rank"].format(rank=1, n=3)
    communes, agencies = s.charts
    assert set(communes.frame["code"]) == {"90201", "90202"} and communes.drill is None
    assert set(agencies.frame["code"]) == {"UBND-902", "UBND-90201", "UBND-90202"}


@pytest.mark.parametrize("text,limit,expected", [
    ("Ngắn", 10, "Ngắn"),
    ("Tỷ lệ hồ sơ được xử lý trên môi trường mạng", 20, "Tỷ lệ hồ sơ được xử…"),
    (None, 10, "–"),
    ("  nhiều   khoảng   trắng ", 40, "nhiều khoảng trắng"),
])
def test_short(text, limit, expected):
    assert mt.short(text, limit) == expected


@pytest.mark.parametrize("due,expected", [
    (date(2024, 12, 31), "2025-Q1"), (date(2025, 3, 30), "2025-Q1"), (date(2025, 3, 31), "2025-Q2"), (None, "–"),
])
def test_overdue_since(due, expected):
    assert stk.overdue_since(due) == expected


def test_bucket_symbols_match_the_dashboard_colours():
    buckets = tv.overdue_buckets()
    for code, status in mt.BUCKET_STATUS.items():
        assert buckets[code][1] == PROGRESS_STATUSES[status].colour


# --- the page, through AppTest on the sample database -------------------------------------------
@pytest.fixture(scope="module")
def sample_outline(data_dir) -> dict[str, list[str]]:
    """The decks of the sample database on Quý II/2025, Nam Định's last quarter with its districts (the decks
    tested here are Nam Định's and Giao Thủy's; the samples go on to Quý III/2026 on the 2025 map), computed
    straight from the store."""
    from tests.stores import read_store

    f, _latest = read_store(data_dir / "cchc.db")
    inp = mt.prepare(f, 2025, 2)
    return {"province": mt.outline(inp, "province"), "district": mt.outline(inp, "district", "365")}


def _open(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["name"] = "Quản trị"
    at.session_state["roles"] = ["admin"]
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _title(at: AppTest) -> str:
    hits = [m.value for m in at.markdown if "class='mt-title'" in m.value]
    assert len(hits) == 1, hits
    return hits[0]


def _filters_line(at: AppTest) -> str:
    hits = [m.value for m in at.markdown if "class='mt-filters'" in m.value]
    assert len(hits) == 1, hits
    return hits[0]


def test_every_province_slide_renders(app_env, sample_outline):
    keys = sample_outline["province"]
    assert keys[:4] == ["overview", "targets", "overdue", "rankings"] and len(keys) > 4
    titles = []
    for n in range(1, len(keys) + 1):
        at = _open(present="1", deck="province", slide=str(n), period="2025-Q2")
        titles.append(_title(at))
        line = _filters_line(at)
        assert "Kỳ:</b> Quý II/2025" in line and "Địa bàn:</b>" in line and "Cơ quan:</b>" in line
        assert at.query_params["slide"] == [str(n)] or at.query_params["slide"] == str(n)
        assert f"{n}/{len(keys)}" in " ".join(m.value for m in at.markdown if "mt-counter" in m.value)
    assert len(set(titles)) == len(titles)  # every slide is a different slide
    assert "Huyện Giao Thủy" in titles[4]  # the district furthest behind comes first


def _slide_param(at: AppTest) -> str:
    value = at.query_params["slide"]
    return value[0] if isinstance(value, list) else value


def test_next_and_back_change_the_slide_in_the_url(app_env):
    at = _open(period="2025-Q2", present="1", deck="province", slide="1")
    assert at.button(key="mt_back").disabled
    at.button(key="mt_next").click().run()
    assert _slide_param(at) == "2" and UI["mt_title_targets"] in _title(at)
    at.button(key="mt_next").click().run()
    assert _slide_param(at) == "3"
    at.button(key="mt_back").click().run()
    assert _slide_param(at) == "2"
    assert at.button(key="mt_next").label == UI["mt_next"] and at.button(key="mt_back").label == UI["mt_back"]


def test_last_slide_has_no_next(app_env, sample_outline):
    n = len(sample_outline["province"])
    at = _open(period="2025-Q2", present="1", deck="province", slide=str(n + 5))  # past the end: the last slide
    assert _slide_param(at) == str(n) and at.button(key="mt_next").disabled


def test_district_deck(app_env, sample_outline):
    keys = sample_outline["district"]
    assert keys[-1] == "unit:365"
    for n in range(1, len(keys) + 1):
        at = _open(period="2025-Q2", present="1", deck="district", unit="365", slide=str(n))
        assert "Địa bàn:</b> Huyện Giao Thủy" in _filters_line(at)
    assert "Huyện Giao Thủy" in _title(at)


def test_unit_in_the_url_opens_its_slide_of_the_province_deck(app_env, sample_outline):
    at = _open(period="2025-Q2", present="1", deck="province", unit="365")
    assert _slide_param(at) == str(sample_outline["province"].index("unit:365") + 1)
    assert "Huyện Giao Thủy" in _title(at)


def test_unknown_district_falls_back_to_the_province(app_env):
    at = _open(period="2025-Q2", present="1", deck="district", unit="999", slide="1")
    assert any(UI["mt_unknown_unit"].format(code="999") in m.value for m in at.markdown)
    assert "Tỉnh Nam Định" in _title(at)


def test_agency_deck(app_env):
    for n in range(1, 5):
        at = _open(present="1", deck="agency", agency="STP", slide=str(n))
        assert "Cơ quan:</b> Sở Tư pháp" in _filters_line(at)


def test_normal_view_offers_the_brief_and_the_handout(app_env):
    at = _open(period="2025-Q2", deck="district", unit="365", slide="5")
    assert not any(b.key == "mt_brief_dl" for b in at.get("download_button"))
    at.button(key="mt_brief_make").click().run()
    at.button(key="mt_excel_make").click().run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert UI["mt_brief_download"] in labels and UI["mt_excel_download"] in labels
    assert UI["download_png"] in [b.label for b in at.button]  # the chart's PNG action (components/exporting.py)


def test_cards_that_count_rows_open_them(app_env):
    """A card with a row count is a link to the Nhiệm vụ list of exactly those rows (the count's own link), on the
    projector too; a card without one (a target count) is no link."""
    from tests.stores import read_store

    f, _latest = read_store(app_env / "cchc.db")
    inp = mt.prepare(f, 2025, 2)
    slide = sl.build_slide(inp, "province", None, "overview")
    at = _open(period="2025-Q2", present="1", deck="province", slide="1")
    cards = [m.value for m in at.markdown if "mt-card" in m.value]
    links = [c for c in cards if "<a class='mt-card" in c]
    assert len(cards) == len(slide.flat_kpis) and len(links) == sum(1 for k in slide.flat_kpis if k.params) > 0
    for k in slide.flat_kpis:
        shown = next(c for c in cards if f"<div class='l'>{html.escape(k.label)}</div>" in c)
        if not k.params:
            assert "href=" not in shown
            continue
        href = shown.split("href='", 1)[1].split("'", 1)[0].replace("&amp;", "&")
        assert urlsplit(href).path == "nhiem-vu" and dict(parse_qsl(urlsplit(href).query)) == k.params
