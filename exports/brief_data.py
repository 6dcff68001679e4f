"""The PowerPoint brief and the Excel handout of a meeting, built from the same slides as the projector deck.

`deck_for` turns analytics.meeting's slides into an exports.brief.BriefDeck: a KPI grid per slide with
cards, one native bar chart per chart, the at-risk targets as a table, and the closing list of overdue
outputs with their lead agencies. The footer of every slide carries the deck's filters (Kỳ, Địa bàn,
Cơ quan) and the date; a slide about one district adds its own place in the note line.
Pure: no Streamlit, no SQL (the caller passes the store's frames).
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import meeting as mt
from analytics import slides as sl
from analytics import slides_tasks as stk
from analytics.frames import Frames
from catalogue import UI
from exports.brief import BarChartSpec, BriefDeck, BriefSlide
from exports.excel import frames_to_xlsx
from formats import fmt_filters, fmt_quarter_key, parse_number, unit_suffix

NOTE_CHARS = 150  # the note line holds one line of 16 pt text
MAX_TARGET_ROWS = 8  # at-risk targets listed in the brief (one slide or two); the handout lists them all
TARGET_COLOUR = "#333333"
MIXED_COLOUR = "#0072B2"


def number_format(decimals: int) -> str:
    """An Excel number format with this many decimals ("0", "0.0", "0.00")."""
    return "0" if decimals <= 0 else "0." + "0" * decimals


def bar_spec(chart: mt.Chart) -> BarChartSpec:
    """A native bar chart of a slide chart: the bars (grouped series side by side) and the target markers."""
    f = chart.frame
    labels = list(dict.fromkeys(f["label"]))
    if chart.grouped:
        series_names = list(dict.fromkeys(f["series"]))
        series, colours = [], []
        for name in series_names:
            part = f[f["series"] == name].set_index("label")
            series.append((str(name), [_num(part["value"].get(lab)) for lab in labels]))
            colours.append(str(part["colour"].iloc[0]))
    else:
        by_label = f.drop_duplicates("label").set_index("label")
        series = [(chart.value_title or chart.title, [_num(by_label["value"].get(lab)) for lab in labels])]
        # one series has one colour: the bars' own when they share it, else a neutral one (a green series would
        # tell a projector audience that a 50 % overdue commune is fine)
        shared = set(f["colour"])
        colours = [shared.pop() if len(shared) == 1 else MIXED_COLOUR]
        if f["target"].notna().any():
            series.append((UI["mt_series_target"], [_num(by_label["target"].get(lab)) for lab in labels]))
            colours.append(TARGET_COLOUR)
    unit = unit_suffix(chart.unit)
    metric = chart.value_title or chart.title
    return BarChartSpec(categories=[" ".join(str(x).split()) for x in labels], series=series, colours=colours,
                        number_format=number_format(chart.decimals), horizontal=True, max_value=chart.max_value,
                        decimals=chart.decimals, unit=unit,
                        axis_title=f"{metric} ({unit.strip()})" if unit and f"({unit.strip()})" not in metric else metric)


def _num(v: object) -> float | None:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if x != x else x  # NaN → None


def _note(slide: mt.Slide, deck_filters: dict[str, str]) -> str:
    """The note line: the slide's own filters where they differ from the deck's, then the slide's note."""
    own = {k: v for k, v in slide.filters.items() if deck_filters.get(k) != v}
    text = " · ".join(x for x in (fmt_filters(own), slide.note) if x)
    return mt.short(text, NOTE_CHARS) if text else ""


def brief_slides(slide: mt.Slide, deck_filters: dict[str, str]) -> list[BriefSlide]:
    """The brief's slides for one meeting slide: its cards, each chart, and its list (the overdue list only once,
    on the closing slides; the at-risk targets cut to MAX_TARGET_ROWS, the handout has them all). A district's
    slide is one chart of its communes with its figures in the note line, so a province brief stays short."""
    note = _note(slide, deck_filters)
    out: list[BriefSlide] = []
    cards = slide.flat_kpis
    charts = [c for c in slide.charts if not c.empty]
    if slide.key.startswith("unit:") and charts:
        figures = " · ".join(f"{k.label}: {k.value}" for k in cards)
        line = mt.short(" · ".join(x for x in (figures, note) if x), NOTE_CHARS)
        return [BriefSlide(f"{slide.title}: {charts[0].title}", "bar", chart=bar_spec(charts[0]), note=line,
                           filters=dict(slide.filters))]
    if cards:
        out.append(BriefSlide(slide.title, "kpis", kpis=[(k.label, k.value, k.note) for k in cards], note=note,
                              filters=dict(slide.filters)))
    for chart in charts:
        title = f"{slide.title}: {chart.title}" if cards or len(charts) > 1 else slide.title
        out.append(BriefSlide(title, "bar", chart=bar_spec(chart), note=note, filters=dict(slide.filters)))
    if slide.table is not None and slide.table_kind != "overdue" and not slide.table.empty:
        table, more = slide.table.head(MAX_TARGET_ROWS), len(slide.table) - MAX_TARGET_ROWS
        line = UI["mt_more_in_handout"].format(n=more) if more > 0 else note
        out.append(BriefSlide(slide.table_title or slide.title, "table", table=table, note=line))
    if not out:  # nothing to draw: say why (e.g. no target at risk, no PAR scores)
        out.append(BriefSlide(slide.title, "table", table=pd.DataFrame({UI["mt_col_note"]: [slide.note or UI["no_data"]]}),
                              note=_note(mt.Slide(slide.key, slide.title, slide.filters), deck_filters)))
    return out


def brief_deck(inp: mt.Inputs, scope: str, code: str | None, generated_on: date,
               slides: list[mt.Slide] | None = None) -> BriefDeck:
    """The BriefDeck of a meeting deck (its slides are built unless given)."""
    who = mt.resolve(inp, scope, code)
    slides = sl.deck(inp, scope, code) if slides is None else slides
    filters = mt.slide_filters(inp, who)
    body = [b for s in slides for b in brief_slides(s, filters)]
    return BriefDeck(title=UI["mt_brief_title"], scope_label=who.name, period_label=inp.period_label,
                     generated_on=generated_on, filters=filters, slides=body, overdue=stk.overdue_outputs(inp, who))


def deck_for(frames: Frames, year: int, quarter: int, scope: str, code: str | None, generated_on: date) -> BriefDeck:
    """The PowerPoint brief of a meeting (province, one district or one agency) at a quarter."""
    return brief_deck(mt.prepare(frames, year, quarter), scope, code, generated_on)


def handout_sheets(inp: mt.Inputs, scope: str, code: str | None,
                   slides: list[mt.Slide] | None = None) -> list[tuple[str, pd.DataFrame, str]]:
    """The Excel handout's sheets (name, table, title): the cards, every chart's numbers, the at-risk targets and
    the overdue outputs with their lead agencies."""
    who = mt.resolve(inp, scope, code)
    slides = sl.deck(inp, scope, code) if slides is None else slides
    page, name_col = UI["mt_pick_slide"], UI["mt_col_name"]
    cards = pd.DataFrame([{page: i, UI["mt_filter_period"] + " / " + UI["filter_unit"]: mt.filters_text(s),
                           UI["col_indicator"]: k.label, **_card_value(k.value), UI["mt_col_note"]: k.note}
                          for i, s in enumerate(slides, 1) for k in s.flat_kpis])
    bars = []
    for i, s in enumerate(slides, 1):
        for c in s.charts:
            for _, r in c.frame.iterrows():
                bars.append({page: i, UI["mt_col_scope"]: mt.filters_text(s), UI["mt_col_chart"]: c.title, name_col: r["label"],
                             UI["col_group"]: r["series"], UI["mt_col_value"]: _num(r["value"]),
                             UI["mt_series_target"]: _num(r["target"]), UI["mt_col_note"]: r["text"]})
    sheets = [(UI["mt_sheet_kpis"], cards, f"{UI['mt_brief_title']}: {who.name}"),
              (UI["mt_sheet_charts"], pd.DataFrame(bars), UI["mt_sheet_charts_title"])]
    targets = next((s.table for s in slides if s.table_kind == "targets" and s.table is not None), None)
    if targets is not None:
        sheets.append((UI["col_indicator"], _quarters(targets), UI["mt_table_targets"]))
    overdue = stk.overdue_outputs(inp, who, max_agencies=10**9)  # the handout lists every lead agency
    sheets.append((UI["mt_table_overdue"], _quarters(overdue), stk.overdue_table_title(inp, who)))
    return sheets


def _card_value(text: str) -> dict[str, object]:
    """A card's value as a number the spreadsheet can sum ("73 %" → 73 and "%"; "619" → 619), with its unit in
    the next column; a value that is no number ("3/18", "–") stays text."""
    parsed = parse_number(text)
    if parsed is None:
        return {UI["mt_col_value"]: text, UI["mt_col_unit"]: ""}
    number, percent = parsed
    return {UI["mt_col_value"]: number, UI["mt_col_unit"]: "%" if percent else ""}


def numeric_columns(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Text columns whose every value is a Vietnamese number ("1.234", "35,5 %") turned into numbers, and the
    Excel format of each (percent columns as percent): the handout's cells can be summed and sorted."""
    out, formats = df.copy(), {}
    for col in df.columns:
        values = [v for v in df[col] if isinstance(v, str) and v.strip() not in ("", "–")]
        if not _is_text(df[col]) or not values:
            continue
        parsed = [parse_number(v) for v in values]
        if any(p is None for p in parsed):
            continue
        out[col] = [parse_number(v)[0] if isinstance(v, str) and parse_number(v) else None for v in df[col]]
        out[col] = out[col].astype("float64")
        formats[str(col)] = "percent" if all(p[1] for p in parsed) else "number"
    return out, formats


def _is_text(series: pd.Series) -> bool:
    """Object or string columns (pandas 3 reads text as its own string dtype)."""
    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype)


def _quarters(df: pd.DataFrame) -> pd.DataFrame:
    """Quarter keys ("2024-Q1") in a table written as people read them ("Quý I/2024")."""
    out = df.copy()
    for col in out.columns:
        if _is_text(out[col]):
            out[col] = out[col].map(fmt_quarter_key).astype(object)
    return out


def handout_for(inp: mt.Inputs, scope: str, code: str | None, generated_on: date,
                slides: list[mt.Slide] | None = None) -> bytes:
    """The Excel handout (.xlsx bytes) with the deck's filters and the date on every sheet."""
    who = mt.resolve(inp, scope, code)
    sheets, formats = [], {}
    for name, df, title in handout_sheets(inp, scope, code, slides):
        df, fmts = numeric_columns(df)
        sheets.append((name, df, title))
        formats[name] = fmts
    return frames_to_xlsx(sheets, mt.slide_filters(inp, who), generated_on, formats)
