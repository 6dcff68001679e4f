"""Quantitative target sentences of a plan's body turned into target proposals.

A plan states its targets in prose: "Tối thiểu 80% hồ sơ … bằng phương thức điện tử", "80% hồ sơ công
việc tại cấp tỉnh, cấp huyện và 60% … tại cấp xã", "đạt tỷ lệ tối thiểu tương ứng là 30%, 20%, 15%;
… mỗi năm tăng tối thiểu 20% … cho đến khi đạt tỷ lệ 100%", "đạt từ 94 điểm trở lên", "giữ vững vị
trí số 1", "thuộc nhóm khá", "Hoàn thành việc …". Each sentence is cut into one target per figure
(and per level where the figures go by level), worded the way a catalogue cell is worded and parsed
by loaders/targets.py into the same TargetSpec the catalogue uses. The year comes from the sentence
("Đến năm 2025, …"), else from the heading above it ("- Đến năm 2030:"), else from the plan's period.
The indicator is the catalogue's indicator whose name the sentence matches best (weighted word and
word-pair overlap with rapidfuzz as a third opinion, only among indicators whose unit fits the kind
of target); below the threshold a new indicator is proposed. Nothing here writes anything: the
proposals are shown, and only the ones an admin confirms are imported (store/importer.py).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

import model
from loaders.catalogue_sheet import slug
from loaders.plan import PlanMeta, area_of
from loaders.reference import reference
from loaders.targets import parse_target
from loaders.text import clean, fold

CATALOGUE_CSV = Path(__file__).resolve().parent.parent / "data" / "reference" / "seed_targets.csv"
MATCH_THRESHOLD = 50.0  # score (0–100) from which a sentence is taken to name a catalogue indicator


@dataclass
class Proposal:
    """One target read from the body text, not yet confirmed."""

    indicator_code: str | None  # a catalogue indicator, or None for a proposed new one
    indicator_name: str
    unit: str
    area_code: str | None
    level: str  # province | district | commune | all
    scope_unit_code: str | None
    spec: model.TargetSpec
    quote: str
    score: float
    line: int  # index of the body paragraph
    new_code: str | None = None  # the code proposed for a new indicator
    alternatives: list[tuple[str, float]] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.indicator_code is None

    @property
    def code(self) -> str:
        """The indicator code the target would be written under."""
        return self.indicator_code or self.new_code or slug(self.indicator_name)

    def as_json(self) -> dict:
        """The proposal as the dry run prints it."""
        s = self.spec
        return {
            "indicator": self.indicator_code,
            "new_indicator": None if self.indicator_code else {"code": self.code, "name": self.indicator_name,
                                                               "unit": self.unit, "area": self.area_code},
            "indicator_name": self.indicator_name, "score": round(self.score, 1),
            "level": self.level, "scope": self.scope_unit_code, "unit": self.unit, "year": s.year, "kind": s.kind,
            "value": s.value, "value_high": s.value_high, "baseline_year": s.baseline_year, "step": s.step,
            "cap": s.cap, "group": s.group, "text": s.text, "quote": self.quote,
        }


# --- the catalogue the sentences are matched against ----------------------------------------------------
# Matching keeps the diacritics: folded, "phân cấp" and "phần mềm", "sở" and "số" would be one word.
_ABBREVIATIONS = {
    "cchc": "cải cách hành chính", "tthc": "thủ tục hành chính", "vbqppl": "văn bản quy phạm pháp luật",
    "qppl": "quy phạm pháp luật", "csdl": "cơ sở dữ liệu", "cbccvc": "cán bộ công chức viên chức",
    "dvc": "dịch vụ công", "ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "nsnn": "ngân sách nhà nước",
    "đvsncl": "đơn vị sự nghiệp công lập", "cntt": "công nghệ thông tin", "par": "chỉ số cải cách hành chính",
    "index": "",
}
_STOP = frozenset("của và các được cho theo về tại là những tỷ lệ với từ đến trong trên đã đạt đang này khi thì ở bằng "
                  "có ít nhất tối thiểu số hơn phấn đấu tỉnh huyện xã cấp".split())


def match_form(text: object) -> str:
    """Lower-case words with diacritics, abbreviations spelled out (CCHC → cải cách hành chính), for matching."""
    t = clean(str(text).replace("ƣ", "ư").replace("Ƣ", "Ư")).lower()
    words = re.findall(r"[^\W_]+", t)
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words).strip()


def _tokens(text: str) -> list[str]:
    return [w for w in text.split() if w not in _STOP and not w.isdigit() or w.isdigit() and len(w) <= 2 and w not in ("100",)]


@lru_cache(maxsize=1)
def reference_catalogue() -> pd.DataFrame:
    """The indicator catalogue of the reference data (one row per indicator)."""
    df = pd.read_csv(CATALOGUE_CSV, dtype=str).drop_duplicates("indicator_code")
    return pd.DataFrame({"code": df["indicator_code"], "name": df["indicator_name"], "unit": df["unit"],
                         "area_code": df["area"]}).reset_index(drop=True)


class Catalogue:
    """Indicators with their names prepared for matching."""

    def __init__(self, indicators: pd.DataFrame) -> None:
        self.rows = [{"code": str(r["code"]), "name": str(r["name"]), "unit": str(r.get("unit") or "%"),
                      "area_code": (None if pd.isna(r.get("area_code")) else r.get("area_code"))}
                     for r in indicators.to_dict("records")]
        self.forms = [match_form(r["name"]) for r in self.rows]
        self.token_sets = [set(_tokens(f)) for f in self.forms]
        self.bigrams = [_bigrams(_tokens(f)) for f in self.forms]
        df = Counter(t for s in self.token_sets for t in s)
        n = max(len(self.rows), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}

    def score(self, i: int, text: str, tokens: set[str], bigrams: set[tuple[str, str]]) -> float:
        """How well `text` names indicator i (0–100)."""
        names = self.token_sets[i]
        if not names:
            return 0.0
        total = sum(self.idf.get(t, 1.0) for t in names)
        uni = sum(self.idf.get(t, 1.0) for t in names & tokens) / total
        bi = len(self.bigrams[i] & bigrams) / len(self.bigrams[i]) if self.bigrams[i] else uni
        fz = fuzz.token_set_ratio(self.forms[i], text) / 100
        return 100 * (0.5 * uni + 0.3 * bi + 0.2 * fz)

    def best(self, segment: str, context: str, kind: str, unit: str) -> list[tuple[float, int]]:
        """Indicators whose unit fits, best first, scored on the segment (mostly) and its sentence."""
        seg, ctx = match_form(segment), match_form(context)
        st, ct = set(_tokens(seg)), set(_tokens(ctx))
        sb, cb = _bigrams(_tokens(seg)), _bigrams(_tokens(ctx))
        scored = []
        for i, row in enumerate(self.rows):
            if not _unit_fits(row["unit"], kind, unit):
                continue
            s = 0.75 * self.score(i, seg, st, sb) + 0.25 * self.score(i, ctx, ct, cb)
            scored.append((s, i))
        scored.sort(key=lambda x: -x[0])
        return scored


def _bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:]))


def _unit_fits(ind_unit: str, kind: str, unit: str) -> bool:
    """Whether an indicator measured in `ind_unit` can carry a target of this kind and unit."""
    u = fold(ind_unit)
    if kind == "milestone":
        return u == "moc"
    if kind == "rank":
        return u == "hang"
    if kind == "rank_group":
        return u == "nhom"
    if u in ("moc", "hang", "nhom"):
        return False
    if kind == "change":
        return True
    if unit == "% điểm tối đa":
        return u == "% diem toi da"
    if unit == "điểm":
        return u == "diem"
    return u in ("%", "% diem toi da")


# --- reading the text ----------------------------------------------------------------------------------
_BULLET = re.compile(r"^[\s\-+•*–]+")
_HEADING = re.compile(r"^(?:(?P<roman>[IVX]{1,5})\.|(?P<num>\d{1,2}(?:\.\d{1,2})*)\.|(?P<alpha>[a-zđ])\))\s+\S")
_YEAR_HEADING = re.compile(r"^(?:đến|tới|trong)\s+(?:hết\s+)?năm\s+(20\d\d)\s*:?\s*$", re.I)
_SENT_YEAR = re.compile(r"\b(?:đến|tới|trong|phấn đấu đến)\s+(?:hết\s+)?năm\s+(20\d\d)", re.I)
_SPAN = re.compile(r"giai đoạn\s+(20\d\d)\s*[-–]\s*(20\d\d)", re.I)
_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}", re.I)
_BASELINE = re.compile(r"so với\s+(?:cùng kỳ\s+)?(năm\s+20\d\d|giai đoạn\s+20\d\d\s*[-–]\s*20\d\d)", re.I)
_PCT = re.compile(r"(?<![\d.,/])(\d{1,3}(?:[.,]\d{1,2})?)\s*%(?:\s*[-–]\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%)?")
_POINTS = re.compile(r"(?<![\d.,/])(\d{1,3}(?:[.,]\d{1,2})?)\s+điểm(?!\s*%)", re.I)
_QUAL_BEFORE = re.compile(
    r"(tối thiểu|ít nhất|trên|từ|không quá|không vượt quá|tối đa|dưới|không dưới)\s+(?:(?:là|lần lượt là|tương ứng là|lần lượt|tương ứng|mức|tỷ lệ)\s+)*$",
    re.I)
_AFTER = re.compile(r"^\s*(?:%\s*)?(trở lên|trở xuống|điểm tối đa)", re.I)
_CHANGE_VERB = re.compile(r"\b(giảm|tăng)\b(?!\s+cường)", re.I)
_AVERAGE = re.compile(r"bình quân|trung bình", re.I)
_RESPECTIVE = re.compile(r"tương ứng|lần lượt", re.I)
_LEVEL_LIST = re.compile(r"(?:cấp\s+)?(tỉnh|huyện|xã)(?:\s*(?:,|và)\s*(?:cấp\s+)?(?:tỉnh|huyện|xã))+", re.I)
_LEVEL_WORDS = {"tỉnh": "province", "huyện": "district", "xã": "commune"}
_LEVEL_MENTION = re.compile(
    r"(?<!phạm vi )(?<!phạm vi ảnh hưởng )(?:cấp\s+(tỉnh|huyện|xã)(?:\s*,\s*(?!cấp)(tỉnh|huyện|xã)\b)?|tại\s+(huyện|tỉnh)\b|(sở,\s*(?:ban,\s*)?ngành))", re.I)
_LEVEL_LABEL = re.compile(r"(?:(?:ủy ban nhân dân|ubnd)\s+)?(?:cấp\s+)?(tỉnh|huyện|xã)\s*:\s*$", re.I)
_ITEM_LIST = re.compile(r"(\b[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+(\d{1,2})((?:\s*,\s*\d{1,2})*)\s+và\s+(\d{1,2})\b")
_RAMP_STEP = re.compile(r"mỗi năm tăng\s+(?:(tối thiểu|ít nhất)\s+)?(\d{1,3}(?:[.,]\d+)?)\s*%", re.I)
_RAMP_BASE = re.compile(r"\bnăm\s+(20\d\d)\b", re.I)
_RAMP_CAP = re.compile(r"(?:cho\s+)?(?:đến|tới)\s+khi\s+đạt\s+(?:tỷ lệ\s+)?(\d{1,3})\s*%", re.I)
_GROUP = re.compile(r"\b(?:thuộc|trong|nằm trong|đạt|xếp)\s+(?:nhóm|loại)\s+(tốt|khá|trung bình|yếu)\b", re.I)
_RANK = re.compile(r"(?:vị trí|thứ hạng|xếp hạng|hạng)\s+(?:số\s+|thứ\s+)?(\d{1,3})\b", re.I)
_TOP = re.compile(r"(?:nhóm|top)\s+(\d{1,3})\s+(?:[^\W\d_]+\s+){0,3}?(?:dẫn đầu|đứng đầu|đi đầu|cao nhất)", re.I)
_FIRST = re.compile(r"(?<!người )\b(?:đi đầu|dẫn đầu|đứng đầu)\b", re.I)
_MILESTONE = re.compile(r"^(?:(?:đến|trong)\s+năm\s+20\d\d\s*,?\s*)?(hoàn thành|có)\s+\S", re.I)
_PREDICATE = re.compile(r"\s(?:duy trì|giữ vững|đạt|thuộc|nằm trong|xếp|đứng|đi đầu|dẫn đầu)\b", re.I)


@dataclass
class _Heading:
    level: int
    year: int | None
    target: bool  # a "Mục tiêu" / "Chỉ tiêu" section
    area: str | None


@dataclass
class _Context:
    meta: PlanMeta
    stack: list[_Heading] = field(default_factory=list)

    def push(self, level: int, text: str) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        f = fold(text)
        year = None
        m = _YEAR_HEADING.match(_BULLET.sub("", text)) or _SENT_YEAR.search(text)
        if m:
            year = int(m.group(1))
        elif (s := _SPAN.search(text)) is not None:
            year = int(s.group(2))
        target = "muc tieu" in f or "chi tieu" in f or level >= 6 and year is not None
        if not target and ("nhiem vu" in f or "giai phap" in f):
            target = False
        elif not target and self.stack:
            target = self.stack[-1].target
        self.stack.append(_Heading(level, year, target, area_of(text)))

    @property
    def year(self) -> int | None:
        return next((h.year for h in reversed(self.stack) if h.year), None)

    @property
    def in_targets(self) -> bool:
        return bool(self.stack) and self.stack[-1].target

    @property
    def area(self) -> str | None:
        return next((h.area for h in reversed(self.stack) if h.area), None)


@dataclass
class _Raw:
    """One target found in a clause, before the indicator is chosen."""

    wording: str
    segment: str
    context: str
    levels: list[str]
    unit: str
    year: int | None = None


def _heading_level(text: str) -> int | None:
    m = _HEADING.match(text)
    if not m or len(text) > 160 or "%" in text:
        return None
    if m.group("roman"):
        return 1
    if m.group("num"):
        return 1 + m.group("num").count(".") + 1
    return 5


def _num(s: str) -> str:
    return s.replace(",", ".")


def _figures(clause: str) -> list[tuple[int, int, str, str, str | None]]:
    """(start, end, number, unit, high) of each figure: "80%", "25% - 35%", "94 điểm"."""
    out = [(m.start(), m.end(), _num(m.group(1)), "%", _num(m.group(2)) if m.group(2) else None)
           for m in _PCT.finditer(clause)]
    out += [(m.start(), m.end(), _num(m.group(1)), "điểm", None) for m in _POINTS.finditer(clause)
            if not any(a <= m.start() < b for a, b, *_ in out)]
    return sorted(out)


def _mentions(text: str) -> list[str]:
    """Levels a stretch of text names ("cấp tỉnh", "cấp huyện, xã", "tại huyện", "sở, ngành")."""
    out: list[str] = []
    for m in _LEVEL_MENTION.finditer(text):
        words = [g for g in m.groups()[:3] if g]
        if m.group(4):
            out.append("province")
        for w in words:
            out.append(_LEVEL_WORDS[w.lower()])
    return out


def _level_of(mentions: list[str]) -> str:
    distinct = sorted(set(mentions))
    return distinct[0] if len(distinct) == 1 else "all"


def _wording(clause: str, start: int, end: int, number: str, unit: str, high: str | None) -> str:
    """The target worded as a catalogue cell: "Tối thiểu 80%", "Giảm bình quân 10% so với năm 2025" …"""
    before = clause[max(0, start - 40):start]
    after = clause[end:end + 20]
    figure = f"{number}% - {high}%" if high else (f"{number} điểm" if unit == "điểm" else f"{number}%")
    if high:
        return figure
    qual_m = _QUAL_BEFORE.search(before)
    qual = qual_m.group(1).lower() if qual_m else ""
    tail = _AFTER.match(after)
    base = _BASELINE.search(clause)
    verb = None
    for m in _CHANGE_VERB.finditer(clause[:start]):
        verb = m
    if base and verb and unit == "%":
        avg = " bình quân" if _AVERAGE.search(clause[verb.end():start]) else ""
        q = f" {qual}" if qual in ("tối thiểu", "ít nhất") else ""
        return f"{verb.group(1).capitalize()}{q}{avg} {figure} so với {base.group(1)}"
    words = " ".join(w for w in (qual.capitalize(), figure) if w)
    if tail:
        t = tail.group(1).lower()
        if t == "điểm tối đa":
            words = f"{words} điểm tối đa"
        elif not qual:
            words = f"Từ {figure} {t}"
        else:
            words = f"{words} {t}"
    return words


def _split_clauses(text: str) -> list[str]:
    t = re.sub(r",?\s*\btrong (?:số )?đó\b,?\s*", "; ", text, flags=re.I)
    parts = re.split(r";\s+|(?<=[^\d\s][.])\s+(?=[A-ZĐÀ-Ỹ])", t)
    return [p.strip(" .;") for p in parts if p.strip(" .;")]


def _ramp(text: str, ctx_year: int | None) -> list[_Raw] | None:
    """A yearly ramp over levels: "Năm 2021, … tương ứng là 30%, 20%, 15%; … mỗi năm tăng tối thiểu 20% …"""
    step = _RAMP_STEP.search(text)
    if not step:
        return None
    head = text[:step.start()]
    base = _RAMP_BASE.search(head)
    figs = [f for f in _figures(head) if f[3] == "%"]
    if not base or not figs:
        return None
    cap_m = _RAMP_CAP.search(text, step.end())
    cap = cap_m.group(1) if cap_m else "100"
    span = _SPAN.search(text, base.end())
    year = int(span.group(2)) if span else ctx_year
    levels_m = _LEVEL_LIST.search(head)
    levels = [_LEVEL_WORDS[w.lower()] for w in re.findall(r"tỉnh|huyện|xã", levels_m.group(0), re.I)] if levels_m else []
    if len(levels) != len(figs):
        levels = ["all"] * len(figs) if len(figs) == 1 else levels[: len(figs)] + ["all"] * (len(figs) - len(levels))
    q = f" {step.group(1).lower()}" if step.group(1) else ""
    out = []
    for (_s, _e, number, _u, _h), level in zip(figs, levels):
        wording = f"Năm {base.group(1)}: {number}%; mỗi năm tăng{q} {_num(step.group(2))}% đến khi đạt {cap}%"
        out.append(_Raw(wording, head, text, [level], "%", year))
    return out


def _segments(clause: str, figs: list) -> list[tuple[int, int]]:
    """Where each figure's stretch of the clause starts and ends (cut at the comma or "và" before the next figure)."""
    bounds = [0]
    for (_s0, e0, *_), (s1, *_rest) in zip(figs, figs[1:]):
        gap = clause[e0:s1]
        cut = max(gap.rfind(","), gap.rfind(" và "))
        bounds.append(e0 + cut + 1 if cut >= 0 else s1)
    bounds.append(len(clause))
    return list(zip(bounds, bounds[1:]))


def _clause_targets(clause: str, sentence: str, in_targets: bool, first: bool = True) -> list[_Raw]:
    """The targets one clause states (`first`: the clause opens its sentence)."""
    figs = _figures(clause)
    if not figs:
        return _qualitative(clause, sentence, in_targets, milestone=first)
    out: list[_Raw] = []
    # "tương ứng (là) 50%, 40%, 35% … cấp tỉnh, cấp huyện, cấp xã": one figure per level, or per item
    run = [figs[0]]
    for f in figs[1:]:
        if re.fullmatch(r"\s*(?:,|và)\s*", clause[run[-1][1]:f[0]]):
            run.append(f)
    if len(run) >= 2 and _RESPECTIVE.search(clause):
        levels_m = _LEVEL_LIST.search(clause)
        levels = [_LEVEL_WORDS[w.lower()] for w in re.findall(r"tỉnh|huyện|xã", levels_m.group(0), re.I)] if levels_m else []
        items = _ITEM_LIST.search(clause[:run[0][0]])
        for k, (s, e, number, unit, high) in enumerate(run):
            wording = _wording(clause, s, e, number, unit, high)
            if len(levels) == len(run):
                out.append(_Raw(wording, clause, sentence, [levels[k]], unit))
            elif items:
                nums = [items.group(2)] + re.findall(r"\d{1,2}", items.group(3)) + [items.group(4)]
                if len(nums) == len(run):
                    seg = clause[:items.start()] + f"{items.group(1)} {nums[k]}" + clause[items.end():run[0][0]]
                    out.append(_Raw(wording, seg, sentence, [], unit))
            else:
                out.append(_Raw(wording, clause, sentence, [], unit))
        if out:
            return out
    spans = _segments(clause, figs)
    per_segment: list[list[str]] = []
    for (s, e, *_), (a, b) in zip(figs, spans):
        label = _LEVEL_LABEL.search(clause[a:s])
        after = _mentions(clause[s:b])
        per_segment.append(after or ([_LEVEL_WORDS[label.group(1).lower()]] if label else []))
    own = all(per_segment) and len(figs) > 1
    shared = _level_of(_mentions(clause))
    for (s, e, number, unit, high), (a, b), levels in zip(figs, spans, per_segment):
        wording = _wording(clause, s, e, number, unit, high)
        segment = clause[a:b]
        if own:  # the same indicator by level: the whole clause names it
            for level in dict.fromkeys(levels):
                out.append(_Raw(wording, clause, sentence, [level], unit))
        else:
            out.append(_Raw(wording, segment, sentence, [shared], unit))
    # "… đạt từ 94 điểm trở lên, đi đầu trong các huyện": a rank stated beside the figure
    if in_targets and (_FIRST.search(clause) or _RANK.search(clause)) and "chỉ số" in clause.lower():
        out += _qualitative(clause, sentence, True, rank_only=True)
    return out


def _subjects(clause: str) -> list[str]:
    """The subject before the predicate, one per "Chỉ số …, chỉ số …" named."""
    m = _PREDICATE.search(clause)
    subject, tail = (clause[:m.start()], clause[m.start():]) if m else (clause, "")
    subject = re.sub(r"^.*?(?:phấn đấu|phân đấu|phân đầu)\s+(?:(?:đến|trong)\s+năm\s+20\d\d\s*,\s*)?", "", subject, flags=re.I)
    subject = re.sub(r"^(?:(?:đến|trong)\s+năm\s+20\d\d\s*,\s*)", "", subject, flags=re.I)
    parts = re.split(r",\s*(?=chỉ số\b)", subject, flags=re.I)
    return [f"{p} {tail}" for p in parts if p.strip()] or [clause]


def _qualitative(clause: str, sentence: str, in_targets: bool, rank_only: bool = False,
                milestone: bool = True) -> list[_Raw]:
    """Rank, rank group and milestone targets (no figure with a unit)."""
    allowed = in_targets or re.search(r"phấn đấu|phân đấu|đến năm 20\d\d", clause, re.I)
    if not allowed:
        return []
    out: list[_Raw] = []
    low = clause.lower()
    if not rank_only and (g := _GROUP.search(clause)):
        for subject in _subjects(clause):
            out.append(_Raw(f"Thuộc nhóm {g.group(1).lower()}", subject, sentence, [], "nhóm"))
        return out
    if "chỉ số" in low or "xếp hạng" in low:
        top = _TOP.search(clause)
        rank = _RANK.search(clause)
        if top:
            wording = f"Top {top.group(1)}"
        elif rank:
            wording = f"Giữ vững vị trí số {rank.group(1)}" if "giữ" in low or "duy trì" in low else f"Vị trí số {rank.group(1)}"
        elif _FIRST.search(clause):
            wording = "Đứng đầu"
        else:
            wording = ""
        if wording:
            for subject in _subjects(clause):
                out.append(_Raw(wording, subject, sentence, [], "hạng"))
            return out
    if rank_only:
        return []
    m = _MILESTONE.match(clause)
    if m and in_targets and milestone:
        wording = "Có" if m.group(1).lower() == "có" else "Hoàn thành"
        out.append(_Raw(wording, clause, sentence, [_level_of(_mentions(clause))], "mốc"))
    return out


def _year(clause: str, sentence: str, fallback: int | None) -> int | None:
    for text in (clause, sentence):
        t = _BASELINE.sub(" ", _DATE.sub(" ", text))
        m = _SENT_YEAR.search(t)
        if m:
            return int(m.group(1))
    return fallback


def propose(lines: list[str], meta: PlanMeta, indicators: pd.DataFrame | None = None) -> list[Proposal]:
    """Target proposals from a document's body lines, in document order, one per (indicator, level, year)."""
    cat = Catalogue(indicators if indicators is not None else reference_catalogue())
    ctx = _Context(meta)

    ref = reference()
    issuer = ref.unit(meta.unit) if meta.unit else None
    issuer_level = str(issuer["level"]) if issuer is not None else "province"
    scope = meta.unit if issuer is not None and issuer_level != "province" else None
    default_year = meta.period[1] if meta.period else None
    out: list[Proposal] = []
    seen: set[tuple] = set()
    lead_in = ""
    for i, raw_line in enumerate(lines):
        line = clean(raw_line).replace("ƣ", "ư")
        text = _BULLET.sub("", line).strip()
        if not text:
            continue
        level = _heading_level(text)
        if level is not None:
            ctx.push(level, text)
            lead_in = ""
            continue
        if _YEAR_HEADING.match(text):
            ctx.push(6, text)
            continue
        bullet = line != text
        if not bullet:
            lead_in = text if text.endswith(":") else ""
        raws = _ramp(text, ctx.year or default_year)
        if raws is None:
            raws = []
            for k, clause in enumerate(_split_clauses(text)):
                parts = re.split(r",\s*đồng thời,?\s*", clause, flags=re.I)
                found = _clause_targets(parts[0], text, ctx.in_targets, first=k == 0 or bool(_SENT_YEAR.match(clause)))
                raws += found
                for extra in parts[1:]:  # "100% …, đồng thời, hoàn thành việc tích hợp …": the same figure
                    more = _clause_targets(extra, text, ctx.in_targets) if _figures(extra) else [
                        _Raw(r.wording, extra, text, r.levels, r.unit) for r in found[:1]]
                    raws += more
        context = f"{lead_in} {text}" if bullet and lead_in else text
        here: set[tuple] = set()  # one figure per indicator and level within a paragraph
        for r in raws:
            year = r.year or _year(r.segment, text, ctx.year or default_year)
            if year is None:
                continue
            spec, error = parse_target(r.wording, year)
            if spec is None or error:
                continue
            spec = model.TargetSpec(**{**spec.__dict__, "text": r.wording, "extra": dict(spec.extra)})
            ranked = cat.best(r.segment, context, spec.kind, spec.extra.get("unit", r.unit) if r.unit == "%" else r.unit)
            for level in r.levels or ["all"]:
                for k in range(3):  # the best indicator, or the next when a figure before took it
                    prop = _proposal(cat, ranked[k:], r, spec, level, issuer_level, scope, ctx.area, i, text)
                    key = (prop.code, prop.level, prop.scope_unit_code, spec.year)
                    if key not in here or prop.is_new:
                        break
                if key in here or key in seen:
                    continue
                here.add(key)
                seen.add(key)
                out.append(prop)
    return out


def _proposal(cat: Catalogue, ranked: list[tuple[float, int]], raw: _Raw, spec: model.TargetSpec, level: str,
              issuer_level: str, scope: str | None, area: str | None, line: int, quote: str) -> Proposal:
    if ranked and ranked[0][0] >= MATCH_THRESHOLD:
        score, i = ranked[0]
        row = cat.rows[i]
        if row["area_code"] == "par_index":
            level = issuer_level  # a PAR INDEX is scored for the plan's own unit
        return Proposal(row["code"], row["name"], row["unit"], row["area_code"], level, scope, spec, quote, score,
                        line, alternatives=[(cat.rows[j]["code"], round(s, 1)) for s, j in ranked[1:3]])
    name = _new_name(raw)
    unit = {"mốc": "mốc", "hạng": "hạng", "nhóm": "nhóm"}.get(raw.unit, spec.extra.get("unit") or raw.unit or "%")
    return Proposal(None, name, unit, area, level, scope, spec, quote, ranked[0][0] if ranked else 0.0, line,
                    new_code=slug(name), alternatives=[(cat.rows[j]["code"], round(s, 1)) for s, j in ranked[:3]])


def _new_name(raw: _Raw) -> str:
    """A name for a proposed indicator: the subject of the sentence without the figure and its qualifiers."""
    seg = _PCT.sub(" ", _POINTS.sub(" ", raw.segment))
    seg = re.sub(r"\b(?:tối thiểu|ít nhất|trên|từ|đạt|trở lên|phấn đấu|đến năm 20\d\d)\b", " ", seg, flags=re.I)
    seg = clean(re.sub(r"\s*[,;:]\s*$", "", clean(seg)))
    seg = seg[:1].upper() + seg[1:]
    if raw.unit == "%" and not fold(seg).startswith(("ty le", "muc do")):
        seg = "Tỷ lệ " + seg[:1].lower() + seg[1:]
    return seg[:150]


def as_catalogue_frame(proposals: list[Proposal], indicators: pd.DataFrame | None, source: str) -> pd.DataFrame:
    """Confirmed proposals as the rows an indicator-catalogue sheet gives (store/importer.py writes them the
    same way): existing indicators keep their stored name, unit, area, direction and rate flag."""
    known = {} if indicators is None else {str(r["code"]): r for r in indicators.to_dict("records")}
    records = []
    for p in proposals:
        k = known.get(p.code)
        unit = str(k["unit"]) if k else p.unit
        records.append({
            "sheet": "(văn bản)", "row": p.line + 1, "code": p.code, "name": str(k["name"]) if k else p.indicator_name,
            "area_code": (k.get("area_code") if k else p.area_code), "unit": unit,
            "direction": (k.get("direction") or "up") if k else ("down" if p.spec.kind == "change" and (p.spec.value or 0) < 0 else "up"),
            "is_rate": bool(k.get("is_rate")) if k and "is_rate" in k else unit == "%",
            "level": p.level, "scope_unit_code": p.scope_unit_code, "spec": p.spec, "source": source,
        })
    return pd.DataFrame.from_records(records)
