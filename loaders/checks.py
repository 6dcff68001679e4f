"""Whole-file warnings the readers cannot give row by row (one validation: the upload page and the command line
see the same ones, from loaders/parse.py)."""
from __future__ import annotations

from catalogue import REPORT_STATUSES, message
from loaders.learned import key_of
from model import Problem

# the wordings of "done" that need no second look; anything else read as done is worth a warning
PLAIN_DONE = {key_of("status", w) for w in ("hoàn thành", "đã hoàn thành", "hoàn thành đúng hạn", "hoàn thành quá hạn",
                                             "done", "done_late")}


def unusual_done(frame, columns: dict[str, dict[str, str]]) -> list[Problem]:  # noqa: ANN001 - a progress frame
    """A warning per row whose status word, other than the plain wordings, was read as done (or done late):
    "Xong", "Hoàn thành một phần", a word an uploader taught."""
    if frame is None or frame.empty or "status_text" not in frame:
        return []
    out = []
    for sheet, row, status, text in zip(frame["sheet"], frame["row"], frame["status"], frame["status_text"]):
        if status in ("done", "done_late") and key_of("status", text) not in PLAIN_DONE:
            out.append(Problem(sheet, int(row), columns.get(sheet, {}).get("status"), message(
                "status_unusual_done", value=text, status=REPORT_STATUSES[status].label), "warning"))
    return out
