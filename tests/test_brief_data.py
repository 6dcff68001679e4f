"""The meeting brief built from the sample database: the same slides as the projector deck, filters and date on
every slide, native bar charts, a closing list of overdue outputs with their lead agencies, a PDF page per
slide, the Excel handout, and `python manage.py brief`."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from analytics import frames as fr
from analytics import meeting as mt
from analytics import slides as sl
from analytics import slides_tasks as stk
from catalogue import OVERDUE_COLUMNS, UI
from exports.brief import OVERDUE_TITLE, build_brief
from exports.brief_data import bar_spec, brief_slides, deck_for, handout_for, handout_sheets
from tests.office import HAVE_LIBREOFFICE, pdf_pages, pptx_to_pdf

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2025, 7, 15)
STAMP = "Xuất ngày 15/07/2025"
DISTRICT_QUARTER = (2025, 2)


@pytest.fixture(scope="module")
def db_dir(sample_db, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("brief_data")
    shutil.copy(sample_db, d / "cchc.db")
    return d


@pytest.fixture(scope="module")
def store(db_dir) -> tuple[fr.Frames, tuple[int, int]]:
    """The store's frames and the quarter of these briefs, read from a copy of the sample database: Quý II/2025,
    the last quarter of Nam Định and its districts (the samples go on to Quý III/2026 on the 2025 map, where
    Giao Thủy no longer exists)."""
    from tests.stores import read_store

    frames, _latest = read_store(db_dir / "cchc.db")
    return frames, DISTRICT_QUARTER


@pytest.fixture(scope="module")
def inputs(store) -> mt.Inputs:
    f, (year, quarter) = store
    return mt.prepare(f, year, quarter)


@pytest.fixture(scope="module")
def briefs(store) -> dict[str, tuple[object, bytes]]:
    f, (year, quarter) = store
    out = {}
    for name, scope, code in (("province", "province", None), ("district", "district", "365")):
        deck = deck_for(f, year, quarter, scope, code, TODAY)
        out[name] = (deck, build_brief(deck))
    return out


def _texts(slide) -> list[str]:  # noqa: ANN001
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def _footer(slide) -> str:  # noqa: ANN001
    hits = [s.text_frame.text for s in slide.shapes if s.name == "Footer"]
    assert len(hits) == 1
    return hits[0]


def _title(slide) -> str:  # noqa: ANN001
    hits = [s.text_frame.text for s in slide.shapes if s.name == "Title"]
    return hits[0] if hits else ""


@pytest.mark.parametrize("name,place", [("province", "Tỉnh Nam Định"), ("district", "Huyện Giao Thủy")])
def test_every_slide_has_the_filters_and_the_date(briefs, name, place):
    deck, data = briefs[name]
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) > 5
    for i, slide in enumerate(prs.slides, start=1):
        footer = _footer(slide)
        here = _title(slide).split(":")[0] if _title(slide).startswith(("Huyện ", "Thành phố ")) else place
        assert "Kỳ: Quý II/2025" in footer and f"Địa bàn: {here}" in footer and "Cơ quan: Tất cả" in footer, (i, footer)
        assert STAMP in footer, (i, footer)
    assert deck.filters == {"Kỳ": "Quý II/2025", "Địa bàn": place, "Cơ quan": "Tất cả"}


@pytest.mark.parametrize("name", ["province", "district"])
def test_the_brief_follows_the_meeting_deck(briefs, inputs, name):
    deck, data = briefs[name]
    scope, code = ("province", None) if name == "province" else ("district", "365")
    slides = sl.deck(inputs, scope, code)
    titles = [_title(s) for s in Presentation(io.BytesIO(data)).slides]
    for s in slides:  # every meeting slide is in the brief, in order
        assert any(t.startswith(s.title) for t in titles), s.title
    firsts = [next(i for i, t in enumerate(titles) if t.startswith(s.title)) for s in slides]
    assert firsts == sorted(firsts)
    # a district slide of the province deck names its district in the note line
    if name == "province":
        prs = Presentation(io.BytesIO(data))
        giao_thuy = [s for s in prs.slides if _title(s).startswith("Huyện Giao Thủy")]
        assert giao_thuy and all(any("Địa bàn: Huyện Giao Thủy" in t for t in _texts(s)) for s in giao_thuy)


@pytest.mark.parametrize("name", ["province", "district"])
def test_native_bar_charts(briefs, name):
    _deck, data = briefs[name]
    charts = [shape.chart for slide in Presentation(io.BytesIO(data)).slides for shape in slide.shapes
              if shape.has_chart]
    assert len(charts) >= 4
    assert {c.chart_type for c in charts} == {XL_CHART_TYPE.BAR_CLUSTERED}
    assert all(len(list(c.plots[0].categories)) > 0 for c in charts)


@pytest.mark.parametrize("name,scope,code", [("province", "province", None), ("district", "district", "365")])
def test_closing_slides_list_overdue_outputs_and_lead_agencies(briefs, inputs, name, scope, code):
    deck, data = briefs[name]
    expected = stk.overdue_outputs(inputs, mt.resolve(inputs, scope, code))
    assert not expected.empty
    prs = Presentation(io.BytesIO(data))
    closing = [s for s in prs.slides if _title(s).startswith(OVERDUE_TITLE + " (")]
    assert closing and closing[-1] is list(prs.slides)[-1]  # the deck ends with them
    rows = []
    for slide in closing:
        table = next(s.table for s in slide.shapes if s.has_table)
        header = [c.text for c in table.rows[0].cells]
        assert header == list(OVERDUE_COLUMNS)
        rows += [[c.text for c in r.cells] for r in list(table.rows)[1:]]
    assert len(rows) == len(expected)
    for row, (_, want) in zip(rows, expected.iterrows()):
        assert row[1] == want["Cơ quan chủ trì"] and row[1] not in ("", "–")
        assert row[3].startswith("Quý ")
    if name == "district":
        assert any("Giao" in r[1] for r in rows)  # Giao Thủy's own agencies lead them


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="libreoffice is not on PATH")
@pytest.mark.parametrize("name", ["province", "district"])
def test_libreoffice_converts_one_page_per_slide(briefs, name, tmp_path):
    _deck, data = briefs[name]
    pdf, result = pptx_to_pdf(data, tmp_path, f"ban_tin_{name}")
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), result.stdout + result.stderr
    assert "Error" not in result.stderr, result.stderr
    assert pdf_pages(pdf) == len(Presentation(io.BytesIO(data)).slides)


def test_handout_has_the_same_filters_and_lists(inputs):
    data = handout_for(inputs, "district", "365", TODAY)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == UI["mt_sheet_kpis"] and UI["mt_table_overdue"] in wb.sheetnames
    for ws in wb.worksheets:
        assert "Địa bàn: Huyện Giao Thủy" in ws["A2"].value and "Kỳ: Quý II/2025" in ws["A2"].value
        assert "15/07/2025" in ws["A3"].value
    sheets = {name: df for name, df, _t in handout_sheets(inputs, "district", "365")}
    overdue = sheets[UI["mt_table_overdue"]]
    assert wb[UI["mt_table_overdue"]].max_row == 4 + len(overdue)


def test_manage_brief_writes_the_district_brief(db_dir, tmp_path):
    out = tmp_path / "b.pptx"
    env = dict(os.environ, CCHC_DATA_DIR=str(db_dir), CCHC_LOAD_SAMPLES="0", CCHC_TODAY="2025-07-15")
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "brief", "--scope", "district", "--code", "365",
                             "--period", "2025-Q2", "--out", str(out)],  # the district's last quarter
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    prs = Presentation(str(out))
    assert any("Huyện Giao Thủy" in t for t in _texts(list(prs.slides)[0]))  # the cover
    assert all("Địa bàn: Huyện Giao Thủy" in _footer(s) and STAMP in _footer(s) for s in prs.slides)


@pytest.mark.parametrize("args", [["--scope", "district"], ["--scope", "agency", "--code", "NOPE"],
                                  ["--period", "2025-Q9"]])
def test_manage_brief_refuses_wrong_usage(db_dir, tmp_path, args):
    env = dict(os.environ, CCHC_DATA_DIR=str(db_dir), CCHC_LOAD_SAMPLES="0")
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "brief", *args, "--out", str(tmp_path / "x.pptx")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert not (tmp_path / "x.pptx").exists()


# --- slide data → brief slides, on hand-made charts ---------------------------------------------
def _chart(grouped: bool, target: bool) -> mt.Chart:
    rows = [{"label": "A", "code": "a", "series": "S1", "value": 10.0, "colour": "#111111", "text": "10",
             "target": 50.0 if target else None},
            {"label": "B", "code": "b", "series": "S1" if grouped else "S2", "value": 20.0, "colour": "#222222",
             "text": "20", "target": 50.0 if target else None}]
    if grouped:
        rows += [{"label": "A", "code": "a", "series": "S2", "value": 1.0, "colour": "#333333", "text": "1", "target": None},
                 {"label": "B", "code": "b", "series": "S2", "value": 2.0, "colour": "#333333", "text": "2", "target": None}]
    frame = pd.DataFrame(rows, columns=mt.CHART_COLUMNS)
    frame["target"] = pd.to_numeric(frame["target"])
    return mt.Chart("k", "Biểu đồ", frame, decimals=1, grouped=grouped, value_title="Giá trị")


@pytest.mark.parametrize("grouped,target,series,colours", [
    (False, False, [("Giá trị", [10.0, 20.0])], ["#0072B2"]),  # bars of two colours: a neutral series colour
    (False, True, [("Giá trị", [10.0, 20.0]), (UI["mt_series_target"], [50.0, 50.0])], ["#0072B2", "#333333"]),
    (True, False, [("S1", [10.0, 20.0]), ("S2", [1.0, 2.0])], ["#111111", "#333333"]),
])
def test_bar_spec(grouped, target, series, colours):
    spec = bar_spec(_chart(grouped, target))
    assert spec.categories == ["A", "B"] and spec.series == series and spec.number_format == "0.0"
    assert spec.colours[0] == colours[0] and len(spec.colours) == len(colours)


def test_an_empty_slide_still_says_why():
    slide = mt.Slide("targets", "Chỉ tiêu", {"Kỳ": "Quý II/2025"}, note=UI["mt_no_risk_targets"])
    [b] = brief_slides(slide, {"Kỳ": "Quý II/2025"})
    assert b.kind == "table" and b.table.iloc[0, 0] == UI["mt_no_risk_targets"]


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="libreoffice is not on PATH")
def test_the_pdf_shows_vietnamese_numbers_whatever_the_locale(briefs, tmp_path):
    """LibreOffice (English locale here) renders the charts: labels read "35,5", never "35.5", axes never "0.00"."""
    import re
    import subprocess

    from formats import fmt_number

    deck, data = briefs["province"]
    pdf, result = pptx_to_pdf(data, tmp_path, "ban_tin")
    assert result.returncode == 0 and pdf.exists(), result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"\d\.\d{1,2}(?!\d)", text), re.findall(r".{20}\d\.\d{1,2}(?!\d).{5}", text)[:5]
    labels = {fmt_number(v, s.chart.decimals) for s in deck.slides if s.chart is not None
              for _n, values in s.chart.series for v in values if v is not None and v != int(v)}
    assert labels and all(label in text for label in labels), sorted(x for x in labels if x not in text)[:5]


def test_slides_name_their_metric_unit_and_scope(briefs):
    deck, data = briefs["province"]
    prs = Presentation(io.BytesIO(data))
    charts = [(slide, shape.chart) for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    for slide, chart in charts:
        axis = chart.value_axis
        assert axis.has_title and axis.axis_title.text_frame.text.strip(), _title(slide)
        assert axis.tick_labels.number_format == "0"
    district = [(s, c) for s, c in charts if _title(s).startswith("Huyện Giao Thủy")]
    assert district and all("Địa bàn: Huyện Giao Thủy" in _footer(s) for s, _c in district)
    assert all(c.value_axis.axis_title.text_frame.text.endswith("(%)") for _s, c in district)


def test_the_handout_holds_numbers_quarters_and_complete_lists(inputs):
    from formats import parse_number

    data = handout_for(inputs, "province", None, TODAY)
    wb = load_workbook(io.BytesIO(data))
    cards = wb[UI["mt_sheet_kpis"]]
    header = [c.value for c in cards[4]]
    value_col = header.index(UI["mt_col_value"]) + 1
    values = [cards.cell(r, value_col).value for r in range(5, cards.max_row + 1)]
    expected = [k.value for s in sl.deck(inputs, "province", None) for k in s.flat_kpis]
    assert len(values) == len(expected)
    for got, want in zip(values, expected):
        parsed = parse_number(want)
        if parsed is None:
            assert got == want
        else:
            assert isinstance(got, (int, float)) and got == pytest.approx(parsed[0]), (got, want)
    overdue = wb[UI["mt_table_overdue"]]
    rows = list(overdue.iter_rows(min_row=5, values_only=True))
    head = [c.value for c in overdue[4]]
    since = head.index(OVERDUE_COLUMNS[3])
    assert rows and all(str(r[since]).startswith("Quý ") for r in rows)
    leads = head.index(OVERDUE_COLUMNS[1])
    assert not any("cơ quan khác" in str(r[leads]) for r in rows)
    full = stk.overdue_outputs(inputs, mt.resolve(inputs, "province"), max_agencies=10**9)
    longest = max(len(str(r[leads]).split(", ")) for r in rows)
    assert longest == max(len(str(x).split(", ")) for x in full[OVERDUE_COLUMNS[1]]) and longest > 4
    texts = [c for ws in wb.worksheets for row in ws.iter_rows(min_row=5, values_only=True) for c in row
             if isinstance(c, str)]
    assert not any(re.fullmatch(r"\d{4}-Q[1-4]", t) for t in texts)
