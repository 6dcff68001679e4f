"""The admin's review of target proposals read from a plan document, before anything is written.

All proposals are listed with the sentence each came from. The admin picks the ones to confirm (the
others are dropped) and may edit each picked one: its indicator (a catalogue indicator, or the new one
proposed), the new indicator's name, the level, the year and the target's wording (re-parsed as a
catalogue cell is). Only what this returns is written by the import, in the same batch as the plan.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from catalogue import LEVELS, TARGET_KINDS, UI, label
from loaders.body_targets import Proposal
from loaders.targets import parse_target

LEVEL_CHOICES = ["all", *LEVELS]


def _level_label(code: str) -> str:
    return UI["review_level_all"] if code == "all" else label(LEVELS, code)


def _title(i: int, p: Proposal) -> str:
    """One proposal in a line: number, indicator, level, year, wording."""
    name = p.indicator_code or UI["review_new"].format(code=p.code)
    return f"{i}. {name} · {_level_label(p.level)} · {p.spec.year} · {p.spec.text}"


def _table(props: list[Proposal]) -> pd.DataFrame:
    return pd.DataFrame({
        UI["review_col_no"]: list(range(1, len(props) + 1)),
        UI["col_indicator"]: [p.indicator_code or UI["review_new"].format(code=p.code) for p in props],
        UI["review_col_name"]: [p.indicator_name for p in props],
        UI["col_level"]: [_level_label(p.level) for p in props],
        UI["review_col_year"]: [str(p.spec.year) for p in props],
        UI["review_col_kind"]: [label(TARGET_KINDS, p.spec.kind) for p in props],
        UI["review_col_text"]: [p.spec.text for p in props],
        UI["review_col_score"]: [f"{p.score:.0f}".replace(".", ",") for p in props],
        UI["review_col_quote"]: [p.quote for p in props],
    })


def _edit(i: int, p: Proposal, key: str, codes: dict[str, str]) -> tuple[Proposal | None, str | None]:
    """The widgets of one picked proposal; the edited proposal, or None and the reason."""
    new_choice = UI["review_new"].format(code=p.code)
    options = ([new_choice] if p.is_new else []) + [f"{c} · {n}" for c, n in codes.items()]
    current = new_choice if p.is_new else next((o for o in options if o.startswith(f"{p.indicator_code} · ")), options[0])
    c1, c2, c3, c4 = st.columns([4, 2, 1, 3])
    choice = c1.selectbox(UI["review_indicator"], options, index=options.index(current), key=f"rv_ind_{key}_{i}")
    level = c2.selectbox(UI["col_level"], LEVEL_CHOICES, index=LEVEL_CHOICES.index(p.level), format_func=_level_label,
                         key=f"rv_lvl_{key}_{i}")
    year = c3.number_input(UI["review_col_year"], 2000, 2100, int(p.spec.year), step=1, key=f"rv_year_{key}_{i}")
    text = c4.text_input(UI["review_col_text"], p.spec.text, key=f"rv_text_{key}_{i}")
    name = p.indicator_name
    if choice == new_choice:
        name = st.text_input(UI["review_new_name"], p.indicator_name, key=f"rv_name_{key}_{i}")
    spec, error = parse_target(text, int(year))
    if spec is None:
        return None, error or UI["review_blank"]
    spec = replace(spec, text=text.strip())
    if choice == new_choice:
        return replace(p, spec=spec, level=level, indicator_name=name.strip() or p.indicator_name), None
    code = choice.split(" · ", 1)[0]
    return replace(p, indicator_code=code, indicator_name=codes[code], spec=spec, level=level, new_code=None), None


def review(props: list[Proposal], key: str, is_admin: bool, codes: dict[str, str]) -> tuple[list[Proposal], list[str]]:
    """Show the proposals; return the confirmed (edited) ones and the reasons any picked one is refused."""
    st.markdown(f"**{UI['review_title'].format(count=len(props))}**")
    st.caption(UI["review_intro"])
    st.dataframe(_table(props), hide_index=True, width="stretch",
                 column_config={UI["review_col_quote"]: st.column_config.TextColumn(width="large")})
    if not is_admin:
        st.info(UI["review_admin_only"])
        return [], []
    titles = [_title(i, p) for i, p in enumerate(props, 1)]
    picked = st.multiselect(UI["review_pick"], titles, key=f"rv_pick_{key}", placeholder=UI["review_pick_none"])
    confirmed: list[Proposal] = []
    errors: list[str] = []
    for t in picked:
        i = titles.index(t) + 1
        with st.container(border=True):
            st.caption(UI["review_quote"].format(no=i, quote=props[i - 1].quote))
            edited, error = _edit(i, props[i - 1], key, codes)
        if edited is None:
            errors.append(f"{i}. {error}")
        else:
            confirmed.append(edited)
    return confirmed, errors
