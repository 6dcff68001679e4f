"""The deck on the 2025 map, on the sample data (Nam Định until Quý II/2025, the new Ninh Bình up to Quý III/2026):
its texts name the units of the quarter's map (districts before 01/07/2025, the 129 communes after), and an earlier
quarter shown "theo địa giới hiện nay" counts its tasks against today's heirs on the 129 communes, checked against
tests/reference_counts.py (which shares no code with the deck)."""
from __future__ import annotations

from datetime import date

import pytest

from analytics import meeting as mt
from analytics import slides as sl
from catalogue import UI

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
            made[key] = mt.prepare(store, year, quarter)
        return made[key]

    return get


def _texts(slide: mt.Slide) -> list[str]:
    """The words a slide prints besides its data: title, hint, note, list title, chart titles, card labels and notes."""
    out = [slide.title, slide.hint, slide.note, slide.table_title]
    out += [c.title for c in slide.charts if not c.empty]
    out += [t for k in slide.flat_kpis for t in (k.label, k.note)]
    return [t for t in out if t]


# (quarter, the wording of its map, the units under the province then): Nam Định's ten districts until 30/06/2025,
# the new province's 129 communes (97 xã, 32 phường) from 01/07/2025
@pytest.mark.parametrize("year,quarter,wording,n_units", [
    (2024, 4, "", 10),
    (2025, 2, "", 10),
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
