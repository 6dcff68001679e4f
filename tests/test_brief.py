"""The PowerPoint brief: structure, footers, native charts and tables, overdue closing slides, PDF conversion."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu, Pt

from tests.office import HAVE_LIBREOFFICE, pdf_pages, pptx_to_pdf

from catalogue import TASK_STATUSES
from exports.brief import (
    MAX_TABLE_ROWS,
    BarChartSpec,
    BriefDeck,
    BriefSlide,
    build_brief,
    cell_text,
    footer_text,
)

TODAY = date(2026, 11, 21)
DISTRICTS = ["Thành phố Nam Định", "Huyện Mỹ Lộc", "Huyện Vụ Bản", "Huyện Ý Yên", "Huyện Nghĩa Hưng",
             "Huyện Nam Trực", "Huyện Trực Ninh", "Huyện Xuân Trường", "Huyện Giao Thủy", "Huyện Hải Hậu"]


def _png(width: int = 320, height: int = 180) -> bytes:
    """A small non-blank PNG standing in for a kaleido chart."""
    img = Image.new("RGB", (width, height), "white")
    img.paste((0, 114, 178), (20, 20, width - 20, height - 20))
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return buffer.getvalue()


def _overdue(n: int) -> pd.DataFrame:
    """n overdue outputs, with one extra column the closing slide must ignore."""
    agencies = ["Sở Tư pháp", "Sở Thông tin và Truyền thông", "Văn phòng UBND tỉnh"]
    return pd.DataFrame({
        "Sản phẩm": [f"Sản phẩm {i + 1}: Kế hoạch rà soát thủ tục hành chính" for i in range(n)],
        "Cơ quan chủ trì": [agencies[i % 3] for i in range(n)],
        "Hạn": [date(2025, 3, 31)] * n,
        "Quý quá hạn": ["2025-Q2"] * n,
        "assignment_id": list(range(n)),
    })


def _province_deck() -> BriefDeck:
    """The province deck: KPIs, a two-series bar chart, a 14-row table, a picture, 15 overdue outputs."""
    on_time = [71.0, 65.5, 80.25, 90.0, 55.0, 60.0, 70.0, 80.0, 40.5, None]
    overdue = [5, 10, 3, 2, 20, 1, 0, 4, 30, 2]
    table = pd.DataFrame({"Cơ quan": [f"Sở số {i + 1}" for i in range(14)], "Số sản phẩm": list(range(1000, 1014)),
                          "Tỷ lệ (%)": [50.0 + i for i in range(14)]})
    return BriefDeck(
        title="Tiến độ cải cách hành chính", scope_label="Tỉnh Nam Định", period_label="Quý II/2025",
        generated_on=TODAY, filters={"Kỳ": "Quý II/2025", "Địa bàn": "Tỉnh Nam Định"},
        slides=[
            BriefSlide("Tổng quan", "kpis", kpis=[("Sản phẩm đúng hạn", "71,0 %", "+3,2 điểm"),
                                                  ("Chỉ tiêu có nguy cơ", "6", "năm 2025"),
                                                  ("Sản phẩm quá hạn", "15", "")], note="Đến hết Quý II/2025."),
            BriefSlide("Tỷ lệ đúng hạn theo huyện", "bar", chart=BarChartSpec(
                DISTRICTS, [("Đúng hạn (%)", on_time), ("Quá hạn", overdue)],
                colours=[TASK_STATUSES["done"].colour, TASK_STATUSES["overdue"].colour], max_value=100)),
            BriefSlide("Các sở", "table", table=table),
            BriefSlide("Biểu đồ", "image", image_png=_png(), note="Ảnh từ trang Tổng quan."),
        ],
        overdue=_overdue(15),
    )


def _district_deck() -> BriefDeck:
    """A district deck: one bar chart and three overdue outputs."""
    communes = ["Thị trấn Quất Lâm", "Xã Giao Thiện", "Xã Bạch Long"]
    return BriefDeck(
        title="Tiến độ cải cách hành chính", scope_label="Huyện Giao Thủy", period_label="Quý II/2025",
        generated_on=TODAY, filters={"Kỳ": "Quý II/2025", "Địa bàn": "Huyện Giao Thủy", "Lĩnh vực": "TTHC"},
        slides=[BriefSlide("Tỷ lệ hồ sơ trực tuyến theo xã", "bar",
                           chart=BarChartSpec(communes, [("Tỷ lệ (%)", [62.5, 48.0, 75.25])], colours=["#D55E00"]))],
        overdue=_overdue(3),
    )


def _open(data: bytes) -> Presentation:
    """Read the bytes back with python-pptx."""
    return Presentation(io.BytesIO(data))


def _texts(slide) -> str:  # noqa: ANN001
    """All text on a slide, tables included."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def _title(slide) -> str:  # noqa: ANN001
    """The text of the shape named "Title"."""
    return next(s for s in slide.shapes if s.name == "Title").text_frame.text


def _table_rows(slide) -> list[list[str]]:  # noqa: ANN001
    """The rows of the first table on a slide (header first)."""
    table = next(s for s in slide.shapes if s.has_table).table
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_province_deck_structure() -> None:
    prs = _open(build_brief(_province_deck()))
    assert (Emu(prs.slide_width).inches, round(Emu(prs.slide_height).inches, 2)) == (pytest.approx(13.333, 0.001),
                                                                                    7.5)
    # cover, KPIs, chart, table 14 rows → 2 slides, picture, overdue 15 rows → 2+ slides
    slides = list(prs.slides)
    titles = [_title(s) for s in slides]
    assert titles[0] == "Tiến độ cải cách hành chính"
    assert titles[1:6] == ["Tổng quan", "Tỷ lệ đúng hạn theo huyện", "Các sở (1/2)", "Các sở (2/2)", "Biểu đồ"]
    closing = titles[6:]
    assert len(closing) >= 2 and all(t.startswith("Sản phẩm quá hạn (15)") for t in closing)
    assert len(slides) == 6 + len(closing)
    assert "Tỉnh Nam Định" in _texts(slides[0]) and "Quý II/2025" in _texts(slides[0])


def test_every_slide_has_the_footer_and_page_number() -> None:
    deck = _province_deck()
    footer = footer_text(deck.filters, deck.generated_on)
    assert footer == "Kỳ: Quý II/2025 · Địa bàn: Tỉnh Nam Định · Xuất ngày 21/11/2026"
    prs = _open(build_brief(deck))
    total = len(prs.slides)
    for number, slide in enumerate(prs.slides, start=1):
        texts = {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}
        assert texts["Footer"] == footer
        assert texts["Page number"] == f"{number}/{total}"


def test_bar_slide_is_a_native_clustered_bar_chart() -> None:
    deck = _province_deck()
    chart_slide = _open(build_brief(deck)).slides[2]
    frames = [s for s in chart_slide.shapes if s.has_chart]
    assert len(frames) == 1 and not any(s.shape_type == 13 for s in chart_slide.shapes)  # 13: a picture
    chart = frames[0].chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    plot = chart.plots[0]
    assert list(plot.categories) == DISTRICTS
    spec = deck.slides[1].chart
    assert spec is not None
    assert [s.name for s in plot.series] == ["Đúng hạn (%)", "Quá hạn"]
    assert list(plot.series[0].values) == [71.0, 65.5, 80.25, 90.0, 55.0, 60.0, 70.0, 80.0, 40.5, None]
    assert list(plot.series[1].values) == [5, 10, 3, 2, 20, 1, 0, 4, 30, 2]
    assert plot.has_data_labels and plot.data_labels.number_format == "0.0"
    assert [str(s.format.fill.fore_color.rgb) for s in plot.series] == ["009E73", "D55E00"]
    assert chart.category_axis.reverse_order is True  # first district on top
    assert chart.value_axis.maximum_scale == 100
    assert chart.has_legend


def test_table_slides_are_native_and_paginated() -> None:
    slides = _open(build_brief(_province_deck())).slides
    first, second = _table_rows(slides[3]), _table_rows(slides[4])
    assert first[0] == ["Cơ quan", "Số sản phẩm", "Tỷ lệ (%)"] == second[0]
    assert len(first) - 1 == MAX_TABLE_ROWS and len(second) - 1 == 2
    assert first[1] == ["Sở số 1", "1.000", "50,0"]  # Vietnamese separators
    assert second[-1] == ["Sở số 14", "1.013", "63,0"]


def test_closing_slides_list_the_overdue_outputs() -> None:
    deck = _province_deck()
    slides = list(_open(build_brief(deck)).slides)
    closing = [s for s in slides if _title(s).startswith("Sản phẩm quá hạn")]
    assert closing[-1] is slides[-1]
    rows = [row for s in closing for row in _table_rows(s)[1:]]
    assert _table_rows(closing[0])[0] == ["Sản phẩm", "Cơ quan chủ trì", "Hạn", "Quý quá hạn"]
    assert [r[0] for r in rows] == deck.overdue["Sản phẩm"].tolist()
    assert rows[0][1:] == ["Sở Tư pháp", "31/03/2025", "Quý II/2025"]
    assert all(len(_table_rows(s)) - 1 <= MAX_TABLE_ROWS for s in closing)


def test_district_deck_and_fonts_are_large() -> None:
    deck = _district_deck()
    prs = _open(build_brief(deck))
    slides = list(prs.slides)
    assert len(slides) == 3  # cover, chart, overdue list
    assert "Huyện Giao Thủy" in _texts(slides[0])
    footer = "Kỳ: Quý II/2025 · Địa bàn: Huyện Giao Thủy · Lĩnh vực: TTHC · Xuất ngày 21/11/2026"
    assert all(footer in _texts(s) for s in slides)
    chart = next(s for s in slides[1].shapes if s.has_chart).chart
    assert list(chart.plots[0].categories) == ["Thị trấn Quất Lâm", "Xã Giao Thiện", "Xã Bạch Long"]
    assert list(chart.plots[0].series[0].values) == [62.5, 48.0, 75.25]
    assert not chart.has_legend
    assert [r[0] for r in _table_rows(slides[-1])[1:]] == deck.overdue["Sản phẩm"].tolist()
    for slide in slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else \
                [c.text_frame for row in shape.table.rows for c in row.cells] if shape.has_table else []
            for frame in frames:
                for run in (r for p in frame.paragraphs for r in p.runs):
                    assert run.font.size >= Pt(14)
                    if shape.name == "Title":
                        assert run.font.size >= Pt(28)
        assert (next(s for s in slide.shapes if s.name == "Footer").text_frame.paragraphs[0].runs[0].font.size
                >= Pt(14))


def test_department_deck_without_overdue_outputs() -> None:
    deck = BriefDeck("Chỉ số CCHC", "Sở Tư pháp", "Năm 2024", TODAY, {"Cơ quan": "Sở Tư pháp"},
                     [BriefSlide("Xếp hạng", "kpis", kpis=[(f"Chỉ số {i}", str(i), "") for i in range(10)])],
                     overdue=pd.DataFrame(columns=["Sản phẩm", "Cơ quan chủ trì", "Hạn", "Quý quá hạn"]))
    slides = list(_open(build_brief(deck)).slides)
    assert len(slides) == 4  # cover, KPIs over two slides (8 + 2), closing
    assert _title(slides[1]) == "Xếp hạng (1/2)"
    assert "Không có sản phẩm quá hạn." in _texts(slides[-1])
    assert all("Cơ quan: Sở Tư pháp · Xuất ngày 21/11/2026" in _texts(s) for s in slides)


def test_slide_validation() -> None:
    with pytest.raises(ValueError):
        BriefSlide("X", "bar")
    with pytest.raises(ValueError):
        BriefSlide("X", "pie", kpis=[("a", "1", "")])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        BarChartSpec(["a", "b"], [("s", [1.0])])


@pytest.mark.parametrize(("value", "expected"), [
    (1234, "1.234"), (71.04, "71,0"), (None, "–"), (date(2025, 3, 31), "31/03/2025"), ("2024-Q3", "Quý III/2024"),
    ("Thường xuyên", "Thường xuyên"), (True, "Có"),
])
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="libreoffice is not on PATH")
@pytest.mark.parametrize("make", [_province_deck, _district_deck], ids=["province", "district"])
def test_libreoffice_converts_every_slide_to_a_pdf_page(make, tmp_path: Path) -> None:  # noqa: ANN001
    data = build_brief(make())
    pdf, result = pptx_to_pdf(data, tmp_path, "brief")
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), result.stdout + result.stderr
    assert pdf_pages(pdf) == len(_open(data).slides)
