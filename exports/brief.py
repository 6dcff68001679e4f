"""The PowerPoint brief for leadership meetings: native charts and tables, big type, filters on every slide.

Deck order: a cover, the requested slides (tables and KPI grids paginate), and a closing
list of overdue outputs. Every slide carries the same footer, e.g.
"Kỳ: Quý II/2025 · Địa bàn: Huyện Giao Thủy · Xuất ngày 21/11/2026", and a page number.
Fonts are Arial (LibreOffice substitutes the metric-compatible Liberation Sans, which has
Vietnamese glyphs); body text is at least 14 pt and titles at least 28 pt.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd
from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from catalogue import OVERDUE_COLUMNS
from formats import (
    MISSING,
    fmt_date,
    fmt_filters,
    fmt_int,
    fmt_number,
    fmt_quarter,
    is_missing,
    parse_quarter_key,
)

SlideKind = Literal["kpis", "bar", "table", "image"]
KINDS: tuple[str, ...] = ("kpis", "bar", "table", "image")

# geometry (16:9, inches)
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
TITLE_TOP, TITLE_H = 0.3, 0.95
BODY_TOP = 1.35
NOTE_H = 0.55
FOOTER_TOP, FOOTER_H = 6.9, 0.45
BODY_BOTTOM = 6.75
# type (points)
FONT = "Arial"
AXIS_FORMAT = "0"  # value axis ticks: whole numbers (0–100, never "0.00–100.00")
COVER_TITLE_PT, TITLE_PT, SUBTITLE_PT = 40, 30, 28
BODY_PT, TABLE_HEADER_PT, NOTE_PT, FOOTER_PT = 16, 16, 16, 14
TABLE_PT = 14
KPI_VALUE_PT, KPI_LABEL_PT, KPI_NOTE_PT = 44, 18, 14
# colours
INK, GREY, ACCENT, HEADER_BG, CARD_BG = "111111", "444444", "0072B2", "1F4E79", "EEF3F8"
DEFAULT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
# pagination
MAX_TABLE_ROWS = 12
MAX_KPIS = 8
MAX_CELL_CHARS = 160
CHAR_W_IN = 0.09  # average glyph width at 14 pt, inches (measured ≈ 0.08 in LibreOffice)
LINE_H_IN = 0.25   # line height at 14 pt, inches
CELL_PAD_IN = 0.1  # top + bottom cell margins
OVERDUE_TITLE = "Sản phẩm quá hạn"
NO_OVERDUE = "Không có sản phẩm quá hạn."
_QUARTER_KEY = re.compile(r"^\d{4}-[Qq][1-4]$")


@dataclass
class BarChartSpec:
    """A native clustered bar chart: categories, named series of values, a colour per series."""

    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    colours: list[str] | None = None
    number_format: str = "0.0"
    horizontal: bool = True
    max_value: float | None = None
    decimals: int = 1  # the data labels are written as Vietnamese text with this many decimals ("35,5 %")
    unit: str = ""  # what follows each value: " %", " điểm" (formats.unit_suffix)
    axis_title: str = ""  # the metric and its unit, under the value axis

    def __post_init__(self) -> None:
        """Check that every series has one value per category."""
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(f"series {name!r} has {len(values)} values for {len(self.categories)} categories")


@dataclass
class BriefSlide:
    """One requested slide: a KPI grid, a native bar chart, a native table or a picture."""

    title: str
    kind: SlideKind
    kpis: list[tuple[str, str, str]] = field(default_factory=list)
    chart: BarChartSpec | None = None
    table: pd.DataFrame | None = None
    image_png: bytes | None = None
    note: str = ""
    filters: dict[str, str] | None = None  # this slide's own scope for its footer (a district's slide: the district)

    def __post_init__(self) -> None:
        """Check that the content matches the kind."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown slide kind {self.kind!r}; expected one of {KINDS}")
        missing = {"kpis": not self.kpis, "bar": self.chart is None, "table": self.table is None,
                   "image": not self.image_png}[self.kind]
        if missing:
            raise ValueError(f"slide {self.title!r} of kind {self.kind!r} has no content")


@dataclass
class BriefDeck:
    """The whole brief: scope, period, filters, requested slides and the overdue outputs for the closing slide."""

    title: str
    scope_label: str
    period_label: str
    generated_on: date
    filters: dict[str, str]
    slides: list[BriefSlide]
    overdue: pd.DataFrame


def footer_text(filters: dict[str, str], generated_on: date) -> str:
    """The footer line: "Kỳ: Quý II/2025 · Địa bàn: … · Xuất ngày 21/11/2026"."""
    stamp = f"Xuất ngày {fmt_date(generated_on)}"
    line = fmt_filters(filters)
    return f"{line} · {stamp}" if line else stamp


def _rgb(colour: str) -> RGBColor:
    """An RGBColor from "#RRGGBB" or "RRGGBB"."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def _write(frame: TextFrame, lines: list[tuple[str, float, bool, str]], align: PP_ALIGN = PP_ALIGN.LEFT,
           anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    """Replace a text frame's text with lines of (text, size pt, bold, colour)."""
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        run.font.name, run.font.size, run.font.bold = FONT, Pt(size), bold
        run.font.color.rgb = _rgb(colour)


def _textbox(slide: Slide, left: float, top: float, width: float, height: float,
             lines: list[tuple[str, float, bool, str]], name: str, align: PP_ALIGN = PP_ALIGN.LEFT,
             anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    """Add a named text box (inches) with the given lines."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    box.name = name
    _write(box.text_frame, lines, align, anchor)


def _new_slide(prs: PresentationType, title: str | None) -> Slide:
    """A blank slide with an optional title."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    if title is not None:
        _textbox(slide, MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H, [(title, TITLE_PT, True, INK)],
                 "Title", anchor=MSO_ANCHOR.MIDDLE)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(MARGIN), Inches(TITLE_TOP + TITLE_H),
                                     Inches(1.2), Inches(0.06))
        bar.name = "Rule"
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(ACCENT)
        bar.line.fill.background()
    return slide


def _body_bottom(note: str) -> float:
    """Where the body ends: above the note line when there is one."""
    return BODY_BOTTOM - NOTE_H if note else BODY_BOTTOM


def _add_note(slide: Slide, note: str) -> None:
    """The slide's caption line just above the footer."""
    if note:
        _textbox(slide, MARGIN, BODY_BOTTOM - NOTE_H, SLIDE_W - 2 * MARGIN, NOTE_H,
                 [(note, NOTE_PT, False, GREY)], "Note", anchor=MSO_ANCHOR.MIDDLE)


def _paged_title(title: str, page: int, pages: int) -> str:
    """A title with "(2/3)" when the content runs over several slides."""
    return f"{title} ({page}/{pages})" if pages > 1 else title


def _cover(prs: PresentationType, deck: BriefDeck) -> None:
    """The cover: deck title, scope and period."""
    slide = _new_slide(prs, None)
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.35), prs.slide_height)
    band.name = "Band"
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(ACCENT)
    band.line.fill.background()
    _textbox(slide, 1.0, 1.6, SLIDE_W - 2.0, 2.2, [(deck.title, COVER_TITLE_PT, True, INK)], "Title",
             anchor=MSO_ANCHOR.BOTTOM)
    _textbox(slide, 1.0, 4.0, SLIDE_W - 2.0, 1.6,
             [(deck.scope_label, SUBTITLE_PT, False, INK), (deck.period_label, SUBTITLE_PT, True, ACCENT)],
             "Subtitle")


def _kpi_slides(prs: PresentationType, spec: BriefSlide) -> None:
    """KPI cards (label, value, note), up to eight per slide in rows of four."""
    chunks = [spec.kpis[i:i + MAX_KPIS] for i in range(0, len(spec.kpis), MAX_KPIS)]
    for page, chunk in enumerate(chunks, start=1):
        slide = _new_slide(prs, _paged_title(spec.title, page, len(chunks)))
        per_row = min(4, len(chunk)) if len(chunk) <= 4 else math.ceil(len(chunk) / 2)
        rows = math.ceil(len(chunk) / per_row)
        gap = 0.3
        top, bottom = BODY_TOP + 0.25, _body_bottom(spec.note) - 0.1
        width = (SLIDE_W - 2 * MARGIN - gap * (per_row - 1)) / per_row
        height = min(2.6, (bottom - top - gap * (rows - 1)) / rows)
        for i, (label, value, note) in enumerate(chunk):
            r, c = divmod(i, per_row)
            card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(MARGIN + c * (width + gap)),
                                          Inches(top + r * (height + gap)), Inches(width), Inches(height))
            card.name = f"KPI {i + 1}"
            card.fill.solid()
            card.fill.fore_color.rgb = _rgb(CARD_BG)
            card.line.color.rgb = _rgb(ACCENT)
            card.line.width = Pt(2)
            lines = [(value, KPI_VALUE_PT, True, INK), (label, KPI_LABEL_PT, False, INK)]
            if note:
                lines.append((note, KPI_NOTE_PT, False, GREY))
            _write(card.text_frame, lines, PP_ALIGN.CENTER, MSO_ANCHOR.MIDDLE)
        _add_note(slide, spec.note)


def _bar_slide(prs: PresentationType, spec: BriefSlide) -> None:
    """A native clustered bar chart with data labels and the spec's colours."""
    chart_spec = spec.chart
    assert chart_spec is not None
    slide = _new_slide(prs, spec.title)
    data = CategoryChartData(number_format=chart_spec.number_format)
    data.categories = [str(c) for c in chart_spec.categories]
    for name, values in chart_spec.series:
        data.add_series(str(name), [None if is_missing(v) else float(v) for v in values])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart_spec.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    bottom = _body_bottom(spec.note)
    frame = slide.shapes.add_chart(kind, Inches(MARGIN), Inches(BODY_TOP + 0.1), Inches(SLIDE_W - 2 * MARGIN),
                                   Inches(bottom - BODY_TOP - 0.1), data)
    frame.name = "Chart"
    chart = frame.chart
    chart.font.name, chart.font.size = FONT, Pt(BODY_PT)
    chart.has_title = False
    chart.has_legend = len(chart_spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(BODY_PT)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = chart_spec.number_format, False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size, labels.font.bold = Pt(BODY_PT), True
    colours = chart_spec.colours or list(DEFAULT_COLOURS)
    for i, series in enumerate(plot.series):
        series.invert_if_negative = False
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(colours[i % len(colours)])
        # a number format's decimal mark is the viewer's locale (LibreOffice in English shows 35.5): each label is
        # written as Vietnamese text instead, so every viewer reads "35,5 %"
        for j, value in enumerate(chart_spec.series[i][1]):
            if is_missing(value):
                continue
            label = series.points[j].data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            label.text_frame.text = fmt_number(value, chart_spec.decimals) + chart_spec.unit
            for run in label.text_frame.paragraphs[0].runs:
                run.font.size, run.font.bold, run.font.name = Pt(BODY_PT), True, FONT
    values_axis, category_axis = chart.value_axis, chart.category_axis
    values_axis.tick_labels.number_format = AXIS_FORMAT  # whole numbers: no decimal mark to get wrong
    values_axis.tick_labels.number_format_is_linked = False
    if chart_spec.axis_title:
        values_axis.has_title = True
        values_axis.axis_title.text_frame.text = chart_spec.axis_title
        for run in values_axis.axis_title.text_frame.paragraphs[0].runs:
            run.font.size, run.font.bold, run.font.name = Pt(TABLE_PT), False, FONT
    values_axis.has_major_gridlines = True
    values_axis.major_gridlines.format.line.color.rgb = _rgb("D9D9D9")
    if chart_spec.max_value is not None:
        values_axis.maximum_scale = chart_spec.max_value
    category_axis.tick_labels.font.size = Pt(BODY_PT)
    values_axis.tick_labels.font.size = Pt(TABLE_PT)
    if chart_spec.horizontal:  # first category on top, value axis kept at the bottom
        category_axis.reverse_order = True
        category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM
    _add_note(slide, spec.note)


def cell_text(value: Any) -> str:
    """A table cell in Vietnamese: numbers 1.234,5, dates dd/mm/yyyy, quarter keys "Quý III/2024"."""
    if is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "Có" if value else "Không"
    if isinstance(value, (int, np.integer)):
        return fmt_int(value)
    if isinstance(value, (float, np.floating, Decimal)):
        return fmt_number(value)
    if isinstance(value, (date, datetime, np.datetime64)):
        return fmt_date(value)
    text = str(value).strip()
    if _QUARTER_KEY.match(text):
        return fmt_quarter(*parse_quarter_key(text))
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS - 1].rstrip() + "…"


def _char_w(size: float, bold: bool = False) -> float:
    """Average glyph width (inches) at a font size."""
    return CHAR_W_IN * size / TABLE_PT * (1.2 if bold else 1.0)


def _column_widths(headers: list[str], rows: list[list[str]], total: float) -> list[float]:
    """Column widths (inches) summing to total: each fits its longest word, the rest follows content length."""
    header_w = _char_w(TABLE_HEADER_PT, bold=True)
    floors, wants = [], []
    for j, header in enumerate(headers):
        cells = [r[j] for r in rows]
        word = max((len(w) for t in cells for w in t.split()), default=1) * CHAR_W_IN
        head = (len(header) if len(header) <= 16 else max(len(w) for w in header.split())) * header_w
        floors.append(min(max(word, head) + 0.3, 3.0))
        wants.append(max(min(max((len(t) for t in cells), default=1), 80) * CHAR_W_IN, len(header) * header_w) + 0.3)
    if sum(floors) >= total:  # too many columns: share the width by the floors
        return [f * total / sum(floors) for f in floors]
    extra = [max(w - f, 0.0) for w, f in zip(wants, floors)]
    spare = total - sum(floors)
    if sum(extra) <= spare:  # every cell fits on one line: share the slack by content
        return [f + spare * w / sum(wants) for f, w in zip(floors, wants)]
    return [f + spare * e / sum(extra) for f, e in zip(floors, extra)]


def _row_height(texts: list[str], widths: list[float], size: float = TABLE_PT, bold: bool = False) -> float:
    """Estimated height (inches) of a table row from wrapped line counts."""
    lines = 1
    for text, width in zip(texts, widths):
        per_line = max(1, int((width - 0.2) / _char_w(size, bold)))
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")))
    return lines * LINE_H_IN * size / TABLE_PT + CELL_PAD_IN


def _pages(rows: list[list[str]], widths: list[float], available: float) -> list[list[list[str]]]:
    """Rows split into pages of at most 12 rows that fit the available height."""
    pages: list[list[list[str]]] = []
    current: list[list[str]] = []
    used = 0.0
    for row in rows:
        height = _row_height(row, widths)
        if current and (len(current) >= MAX_TABLE_ROWS or used + height > available):
            pages.append(current)
            current, used = [], 0.0
        current.append(row)
        used += height
    if current or not pages:
        pages.append(current)
    return pages


def _is_numeric(series: pd.Series) -> bool:
    """True for number columns (right-aligned)."""
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def _table_slides(prs: PresentationType, title: str, df: pd.DataFrame, note: str = "",
                  empty_text: str = "Không có dữ liệu.") -> None:
    """A native table over as many slides as needed (≤ 12 rows each, height-aware)."""
    headers = [str(c) for c in df.columns]
    rows = [[cell_text(v) for v in row] for row in df.itertuples(index=False, name=None)]
    numeric = [_is_numeric(df.iloc[:, j]) for j in range(len(headers))]
    total_w = SLIDE_W - 2 * MARGIN
    widths = _column_widths(headers, rows, total_w) if headers else []
    top = BODY_TOP + 0.2
    bottom = _body_bottom(note)
    header_h = _row_height(headers, widths, TABLE_HEADER_PT, bold=True) if headers else 0.5
    pages = _pages(rows, widths, bottom - top - header_h - 0.15) if rows else [[]]
    for page, chunk in enumerate(pages, start=1):
        slide = _new_slide(prs, _paged_title(title, page, len(pages)))
        if not chunk or not headers:
            _textbox(slide, MARGIN, top, total_w, 1.0, [(empty_text, SUBTITLE_PT, False, INK)], "Empty")
            _add_note(slide, note)
            continue
        heights = [_row_height(r, widths) for r in chunk]
        shape = slide.shapes.add_table(len(chunk) + 1, len(headers), Inches(MARGIN), Inches(top),
                                       Inches(total_w), Inches(header_h + sum(heights)))
        shape.name = "Table"
        table = shape.table
        table.first_row = True
        for j, width in enumerate(widths):
            table.columns[j].width = Emu(int(Inches(width)))
        table.rows[0].height = Emu(int(Inches(header_h)))
        for i, height in enumerate(heights, start=1):
            table.rows[i].height = Emu(int(Inches(height)))
        for j, header in enumerate(headers):
            cell = table.cell(0, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(HEADER_BG)
            _write(cell.text_frame, [(header, TABLE_HEADER_PT, True, "FFFFFF")],
                   PP_ALIGN.RIGHT if numeric[j] else PP_ALIGN.LEFT, MSO_ANCHOR.MIDDLE)
        for i, row in enumerate(chunk, start=1):
            for j, text in enumerate(row):
                cell = table.cell(i, j)
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb("FFFFFF" if i % 2 else "F2F2F2")
                _write(cell.text_frame, [(text, TABLE_PT, False, INK)],
                       PP_ALIGN.RIGHT if numeric[j] else PP_ALIGN.LEFT, MSO_ANCHOR.MIDDLE)
        _add_note(slide, note)


def _image_slide(prs: PresentationType, spec: BriefSlide) -> None:
    """A picture (e.g. a kaleido PNG) fitted into the body, aspect ratio kept, centred."""
    assert spec.image_png is not None
    slide = _new_slide(prs, spec.title)
    with Image.open(io.BytesIO(spec.image_png)) as img:
        px_w, px_h = img.size
    box_w, box_h = SLIDE_W - 2 * MARGIN, _body_bottom(spec.note) - BODY_TOP - 0.1
    scale = min(box_w / px_w, box_h / px_h)
    width, height = px_w * scale, px_h * scale
    picture = slide.shapes.add_picture(io.BytesIO(spec.image_png), Inches(MARGIN + (box_w - width) / 2),
                                       Inches(BODY_TOP + 0.1), Inches(width), Inches(height))
    picture.name = "Picture"
    _add_note(slide, spec.note)


def overdue_table(overdue: pd.DataFrame) -> pd.DataFrame:
    """The closing slide's columns (Sản phẩm, Cơ quan chủ trì, Hạn, Quý quá hạn); absent ones show "–"."""
    out = pd.DataFrame(index=overdue.index)
    for column in OVERDUE_COLUMNS:
        out[column] = overdue[column] if column in overdue.columns else None
    return out.reset_index(drop=True)


def _footers(prs: PresentationType, text: str, own: dict[int, str] | None = None) -> None:
    """The footer (filters and date; a slide with its own scope names it) and a page number on every slide."""
    total = len(prs.slides)
    for number, slide in enumerate(prs.slides, start=1):
        text_here = (own or {}).get(number, text)
        _textbox(slide, MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN - 1.3, FOOTER_H,
                 [(text_here, FOOTER_PT, False, GREY)], "Footer", anchor=MSO_ANCHOR.MIDDLE)
        _textbox(slide, SLIDE_W - MARGIN - 1.2, FOOTER_TOP, 1.2, FOOTER_H,
                 [(f"{number}/{total}", FOOTER_PT, False, GREY)], "Page number", PP_ALIGN.RIGHT, MSO_ANCHOR.MIDDLE)


def build_brief(deck: BriefDeck) -> bytes:
    """The brief as .pptx bytes: cover, requested slides, closing overdue list; footer on every slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    prs.core_properties.title = deck.title
    prs.core_properties.subject = f"{deck.scope_label} – {deck.period_label}"
    _cover(prs, deck)
    own: dict[int, str] = {}
    for spec in deck.slides:
        first = len(prs.slides) + 1
        if spec.kind == "kpis":
            _kpi_slides(prs, spec)
        elif spec.kind == "bar":
            _bar_slide(prs, spec)
        elif spec.kind == "table":
            assert spec.table is not None
            _table_slides(prs, spec.title, spec.table, spec.note)
        else:
            _image_slide(prs, spec)
        if spec.filters:
            for n in range(first, len(prs.slides) + 1):
                own[n] = footer_text(deck.filters | spec.filters, deck.generated_on)
    overdue = overdue_table(deck.overdue)
    _table_slides(prs, f"{OVERDUE_TITLE} ({len(overdue)})" if len(overdue) else OVERDUE_TITLE, overdue,
                  empty_text=NO_OVERDUE)
    _footers(prs, footer_text(deck.filters, deck.generated_on), own)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
