"""A plan without a number (the city's 2021-2025 plan in the samples names none) in the PowerPoint brief and the
meeting's overdue list of an agency (the city's Phòng Nội vụ, a partner of its outputs): the product is the
output alone, never "nan – …" (issue 11; the plans' number column has gaps, so pandas holds NaN there)."""
from __future__ import annotations

import io
import shutil

from pptx import Presentation
from sqlalchemy import text


def _texts(prs: Presentation) -> list[str]:
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return out


def test_a_missing_plan_number_is_no_nan(sample_db, tmp_path):
    import settings
    from analytics import meeting as mt
    from analytics import slides_tasks as stk
    from catalogue import OVERDUE_COLUMNS
    from exports.brief import build_brief
    from exports.brief_data import deck_for
    from store import queries as q
    from store.db import make_engine

    path = tmp_path / "cchc.db"
    shutil.copy(sample_db, path)
    eng = make_engine(f"sqlite:///{path}")
    with eng.begin() as conn:
        plans = dict(conn.execute(text("SELECT code, number FROM plans")).all())
    assert plans.get("36-2023-158") and plans.get("356-2021-2025") is None  # one plan with a number, one without
    frames = q.frames(eng)
    year, quarter = 2025, 2  # the city's plan and its Phòng Nội vụ end with Quý II/2025 (the district level went)
    eng.dispose()
    inp = mt.prepare(frames, year, quarter)
    overdue = stk.overdue_outputs(inp, mt.resolve(inp, "agency", "PNV-356"))
    products = overdue[OVERDUE_COLUMNS[0]].tolist()
    outputs = set(inp.status["output"])
    bare = [p for p in products if p in outputs]
    assert bare, products[:5]  # outputs of the plan without a number: the output's own text, nothing before it
    assert not [p for p in products if p.lower().startswith("nan")], products[:5]
    deck = deck_for(frames, year, quarter, "agency", "PNV-356", settings.today())
    texts = _texts(Presentation(io.BytesIO(build_brief(deck))))
    assert any(b[:30] in t for b in bare for t in texts)  # the brief lists them
    assert not [t for t in texts if "nan" in t.lower().replace("–", " ").split()], [t for t in texts if "nan" in t.lower()][:5]
