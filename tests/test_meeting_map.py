"""The deck on the 2025 map, on the sample data (Nam Định until Quý II/2025, the new Ninh Bình up to Quý III/2026):
its texts name the units of the quarter's map (districts before 01/07/2025, the 129 communes after), and an earlier
quarter shown "theo địa giới hiện nay" counts its tasks against today's heirs on the 129 communes, checked against
tests/reference_counts.py (which shares no code with the deck)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from analytics import meeting as mt
from analytics import slides as sl
from analytics import units as un
from catalogue import UI
from formats import fmt_int

TODAY = date(2026, 12, 2)  # CCHC_TODAY of the page tests (tests/conftest.py SAMPLES_TODAY)


@pytest.fixture(scope="module")
def store(data_dir):
    from tests.stores import read_store

    f, _latest = read_store(data_dir / "cchc.db")
    return f


@pytest.fixture(scope="module")
def decks(store):
    """mt.Inputs per (year, quarter, on today's map), made once per module."""
    made: dict[tuple[int, int, bool], mt.Inputs] = {}

    def get(year: int, quarter: int, current_map: bool = False) -> mt.Inputs:
        key = (year, quarter, current_map)
        if key not in made:
            made[key] = mt.prepare(store, year, quarter, current_map=current_map, today=TODAY)
        return made[key]

    return get


def _texts(slide: mt.Slide) -> list[str]:
    """The words a slide prints besides its data: title, hint, note, list title, chart titles, card labels and notes."""
    out = [slide.title, slide.hint, slide.note, slide.table_title]
    out += [c.title for c in slide.charts if not c.empty and c.key != "target_units"]  # that one names an indicator
    out += [t for k in slide.flat_kpis for t in (k.label, k.note)]
    return [t for t in out if t]


# (quarter, the wording of its map, the units under the province then): Nam Định's districts until 30/06/2025, the
# new province's 129 communes (97 xã, 32 phường) from 01/07/2025
@pytest.mark.parametrize("year,quarter,wording,n_units", [
    (2024, 4, "", 10),
    (2025, 2, "", 9),  # Mỹ Lộc joined Thành phố Nam Định on 01/01/2025
    (2025, 3, "_communes", 129),
    (2026, 3, "_communes", 129),
])
def test_deck_texts_name_the_units_of_the_quarters_map(decks, year, quarter, wording, n_units):
    inp = decks(year, quarter)
    keys = mt.outline(inp, "province")
    slides = {k: sl.build_slide(inp, "province", None, k) for k in keys}
    overdue = slides["overdue"]
    by_key = {c.key: c for c in overdue.charts}
    assert by_key["districts"].title == UI[f"mt_chart_district_overdue{wording}"]
    assert overdue.hint == UI[f"mt_hint_units{wording}"]
    first_unit = next(k for k in keys if k.startswith("unit:"))
    rank_note = slides[first_unit].flat_kpis[-1].note
    assert rank_note == UI[f"mt_note_overdue_rank{wording}"].format(rank=1, n=n_units)
    targets = slides["targets"]
    if targets.charts:
        assert targets.hint == UI[f"mt_hint_targets{wording}"]
        units_chart = next(c for c in targets.charts if c.key == "target_units")
        if units_chart.drill == "unit":  # a province-wide target, judged unit by unit
            prefix = UI[f"mt_chart_target_districts{wording}"].split("{", 1)[0]
            assert units_chart.title.startswith(prefix)
            assert len(units_chart.frame) == min(n_units, mt.MAX_COMMUNES)
    with pytest.raises(mt.DeckError) as refused:
        mt.resolve(inp, "district", "999")
    assert str(refused.value) == UI[f"mt_unknown_unit{wording}"].format(code="999")
    assert mt.unit_text(inp, "mt_deck_district") == UI[f"mt_deck_district{wording}"]
    words = [t.lower() for s in slides.values() for t in _texts(s)]
    if wording:  # no slide calls the new communes districts (the 2024 PAR ranking of the old districts says so)
        old = UI["mt_chart_districts_rank_old"].lower()
        assert not [t for t in words if "huyện" in t and t != old]
    else:
        assert any("huyện" in t for t in words)


# --- an earlier quarter on today's map ("theo địa giới hiện nay") ---------------------------------------------------
NEW = "37-2025"  # the new Ninh Bình


@pytest.fixture(scope="module")
def heirs(data_dir):
    """The reference and its occurrences of Quý IV/2024 with every agency replaced by its heir of today."""
    from dataclasses import replace

    from tests.reference_counts import Reference

    ref = Reference(data_dir / "cchc.db")
    occs = []
    for o in ref.occurrences(2024, 4):
        heir = ref.heir(o.agency, TODAY)
        occs.append(replace(o, agency=heir, agency_unit=ref.agencies[heir][0]) if heir != o.agency else o)
    return ref, occs


def _pair(text: str) -> tuple[int, int]:
    """(overdue, total) from a bar's text "■ 12 % (3/25)"."""
    m = re.search(r"\(([\d.]+)/([\d.]+)\)$", text)
    assert m, text
    return int(m.group(1).replace(".", "")), int(m.group(2).replace(".", ""))


def test_an_earlier_quarter_on_todays_map_counts_the_heirs_on_the_new_communes(decks, store, heirs):
    from tests.reference_counts import counts

    ref, occs = heirs
    inp = decks(2024, 4, True)
    communes = un.children(store.units, store.parents, NEW, TODAY)
    assert inp.province == NEW and not inp.has_districts and len(communes) == 129
    keys = mt.outline(inp, "province")
    units = [k.split(":", 1)[1] for k in keys if k.startswith("unit:")]
    assert len(units) == mt.MAX_UNIT_SLIDES and set(units) <= set(communes["code"])
    # the overdue slide's bars: each commune's overdue and total lead occurrences, as the reference counts them
    overdue = sl.build_slide(inp, "province", None, "overdue")
    assert overdue.filters[UI["filter_map"]] == UI["map_now"]
    bars = next(c for c in overdue.charts if c.key == "districts").frame
    expected = {c: counts(occs, units=ref.units_under(c, TODAY)) for c in communes["code"]}
    assert set(bars["code"]) == {c for c, k in expected.items() if k["total"] > 0} and len(bars) > 0
    for code, text in zip(bars["code"], bars["text"]):
        assert _pair(text) == (expected[code]["overdue"], expected[code]["total"]), code
    # the province's cards are those of the reference (the same as on the quarter's own map)
    whole = counts(occs)
    cards = sl.build_slide(inp, "province", None, "overview").kpis[0]
    assert [k.value for k in cards[1:3]] == [fmt_int(whole["done_total"]), fmt_int(whole["overdue"])]
    assert cards[2].params["map"] == "now"  # its Nhiệm vụ list counts on today's map too
    # the first commune's slide: its own cards
    mine = sl.build_slide(inp, "province", None, f"unit:{units[0]}").kpis[0]
    k = expected[units[0]]
    assert [c.value for c in mine[1:3]] == [fmt_int(k["done_total"]), fmt_int(k["overdue"])] and k["total"] > 0
    # an agency's deck counts its predecessors' work: today's Sở Nội vụ did not exist in Quý IV/2024
    agency = "SNV-37-2025"
    lead = counts(occs, agency=agency)
    assert lead["total"] > 0 and counts(ref.occurrences(2024, 4), agency=agency)["total"] == 0
    cards = sl.build_slide(inp, "agency", agency, "overview").kpis[0]
    assert [c.value for c in cards[1:3]] == [fmt_int(lead["done_total"]), fmt_int(lead["overdue"])]


def test_the_quarters_own_map_is_kept_without_the_choice(decks):
    inp = decks(2024, 4)
    assert inp.province == "36" and inp.has_districts and UI["filter_map"] not in \
        sl.build_slide(inp, "province", None, "overview").filters
    assert len([k for k in mt.outline(inp, "province") if k.startswith("unit:")]) == 10  # Nam Định's ten districts


def _open(**params: str):
    from tests.test_meeting import _open as open_deck

    return open_deck(**params)


def _title(at) -> str:
    from tests.test_meeting import _title as title

    return title(at)


def test_the_deck_on_todays_map_keeps_the_choice_in_its_links(app_env, decks, store):
    names = dict(zip(store.units["code"], store.units["name"]))
    now_keys, own_keys = mt.outline(decks(2024, 4, True), "province"), mt.outline(decks(2024, 4), "province")
    at = _open(period="2024-Q4", map="now", deck="province", slide="5")
    assert at.toggle(key="flt_map").value is True and at.query_params.get("map") == "now"
    assert UI["map_now_caption"] in [c.value for c in at.caption]
    assert names[now_keys[4].split(":", 1)[1]] in _title(at)
    link = next(c.value for c in at.code if c.value.startswith("/trinh-chieu?"))
    assert "map=now" in link and "period=2024-Q4" in link
    # the projector link opens the same deck on today's map, and its bars open slides on it too
    shown = _open(**{k: v for k, v in (("present", "1"), ("deck", "province"), ("slide", "3"), ("period", "2024-Q4"),
                                       ("map", "now"))})
    line = next(m.value for m in shown.markdown if "class='mt-filters'" in m.value)
    assert f"{UI['filter_map']}:</b> {UI['map_now']}" in line
    hrefs = [h for m in shown.markdown for h in re.findall(r"href='(\?[^']*)'", m.value)]
    assert hrefs and all("map=now" in h for h in hrefs)
    # the toggle off: the quarter's own map, Nam Định's districts
    at.toggle(key="flt_map").set_value(False)
    at.run()
    assert not at.exception and "map" not in at.query_params
    assert names[own_keys[4].split(":", 1)[1]] in _title(at)
