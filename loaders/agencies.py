"""Resolve the agencies named in a lead or partner cell to canonical agencies and groups.

A cell may name several agencies ("Văn phòng UBND tỉnh, Sở Tư pháp"), groups ("Các Sở, ban,
ngành", "UBND cấp huyện, cấp xã"), abbreviations ("Sở TT&TT", "VP.UBND tỉnh"), a shared prefix
("các sở: Tư pháp, Tài chính, Kế hoạch & ĐT") and misspellings. Every name resolves to one
agency or group, or comes back as an error with the closest suggestions; nothing is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from catalogue import message
from loaders.reference import Reference
from loaders.text import clean, fold, fold_tight

# Abbreviations folded to one spelling before comparing names.
_ABBREV = (
    (r"\buy ban nhan dan\b", "ubnd"),
    (r"\bhoi dong nhan dan\b", "hdnd"),
    (r"\bvan phong\b", "vp"),
    (r"\bthanh pho\b", "tp"),
    (r"\bdai bieu quoc hoi\b", "dbqh"),
    (r"\bcong nghe thong tin\b", "cntt"),
)
_NOISE = re.compile(r"[^0-9a-z]+")


def agency_key(text: str) -> str:
    """Comparison key of an agency name: folded, common abbreviations unified, 'và'/'&' and punctuation dropped."""
    f = fold(text)
    for pattern, repl in _ABBREV:
        f = re.sub(pattern, repl, f)
    f = re.sub(r"\bva\b|&", " ", f)
    return _NOISE.sub("", f)


@dataclass(frozen=True)
class Group:
    """A collective lead ("Các Sở, ban, ngành") and how to find its members."""

    key: str
    label: str
    pattern: str  # regex on the folded cell text
    members: str  # departments | district_ubnd | commune_ubnd | offices | none


# One table drives recognition, labels and expansion. Longer phrases come first.
GROUPS: tuple[Group, ...] = (
    Group("ubnd_all_levels", "UBND các cấp", r"\bubnd cac cap\b|\buy ban nhan dan cac cap\b", "district_ubnd+commune_ubnd"),
    Group("departments", "Các sở, ban, ngành",
          r"\b(?:cac )?so,? ban,? nganh(?:,? doan the)?(?: tinh)?\b|\bcac so nganh\b|\bcac so\b(?!\s*:)", "departments"),
    Group("district_ubnd", "UBND cấp huyện",
          r"\b(?:ubnd|uy ban nhan dan) (?:cap huyen|cac huyen,? (?:thanh pho|tp)|cac huyen)\b", "district_ubnd"),
    Group("commune_ubnd", "UBND cấp xã",
          r"\b(?:(?:ubnd|uy ban nhan dan) )?(?:cap xa|cac xa,? phuong,? thi tran|cac phuong,? xa|cac xa,? thi tran"
          r"|(?:0?\d+ )?phuong,? xa|cac xa)\b", "commune_ubnd"),
    Group("offices", "Các phòng chuyên môn",
          r"\bcac phong(?:,? ban)? chuyen mon(?: co lien quan)?(?: thuoc (?:ubnd )?(?:thanh pho|huyen|tp))?\b", "offices"),
    Group("public_service_units", "Các đơn vị sự nghiệp công lập",
          r"\b(?:cac )?don vi su nghiep(?: cong lap)?(?: thuoc (?:thanh pho|huyen|tp|tinh))?\b", "none"),
    Group("related", "Các cơ quan, đơn vị có liên quan",
          r"\b(?:cac |va )?(?:co quan|don vi|co quan, don vi)(?: co)? lien quan\b", "none"),
)
GROUPS_BY_KEY = {g.key: g for g in GROUPS}
_GROUP_RE = [(g, re.compile(g.pattern)) for g in GROUPS]
_STATED_COUNT = re.compile(r"\b0?(\d+) (?:phuong|xa)")
_SPLIT = re.compile(r"[,;/\n]+")
_BARE_COMMUNE = {"xa", "cap xa", "xa, phuong, thi tran", "phuong", "thi tran"}
_PREFIX_LIST = re.compile(r"^(?:cac )?(so|phong)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Ref:
    """One resolved name: an agency (code) or a group (group key and member agency codes)."""

    name: str  # canonical name (agency) or group label
    code: str | None = None
    group: str | None = None
    members: tuple[str, ...] = ()
    raw: str = ""

    def as_json(self) -> dict:
        return {"name": self.name, "group": self.group is not None}


@dataclass
class Resolution:
    """What a cell resolved to, with Vietnamese errors and warnings."""

    refs: list[Ref] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Resolver:
    """Resolves agency cells in the context of the unit that issued the plan."""

    FUZZY_ACCEPT = 92.0
    FUZZY_SUGGEST = 55.0

    def __init__(self, ref: Reference) -> None:
        self.ref = ref
        ag = ref.agencies
        self.names = dict(zip(ag["code"], ag["name"]))
        self.kind = dict(zip(ag["code"], ag["kind"]))
        self.agency_unit = dict(zip(ag["code"], ag["unit_code"]))
        # key → [(agency_code, scope_unit_code|None)]
        self.keys: dict[str, list[tuple[str, str | None]]] = {}
        # exact names (diacritics kept) win over folded keys: some communes fold alike
        self.exact: dict[str, list[tuple[str, str | None]]] = {}
        for code, name, short, kind, unit in zip(ag["code"], ag["name"], ag["short_name"], ag["kind"], ag["unit_code"]):
            self._add(name, code, None)
            if kind == "district_office":  # "Phòng Nội vụ" means the issuer's own office
                self._add(short, code, unit)
        for alias, code, scope in zip(ref.aliases["alias"], ref.aliases["agency_code"], ref.aliases["scope_unit_code"]):
            self._add(alias, code, scope if isinstance(scope, str) and scope else None)

    def _add(self, name: str, code: str, scope: str | None) -> None:
        e = clean(name).casefold()
        if (code, scope) not in self.exact.setdefault(e, []):
            self.exact[e].append((code, scope))
        k = agency_key(name)
        if k and (code, scope) not in self.keys.setdefault(k, []):
            self.keys[k].append((code, scope))

    # --- single names ------------------------------------------------------------------------
    def _scoped(self, key: str, scopes: tuple[str, ...], exact: str | None = None) -> str | None:
        if exact is not None and exact in self.exact:
            if (code := self._pick(self.exact[exact], scopes)) is not None:
                return code
        return self._pick(self.keys.get(key, []), scopes)

    @staticmethod
    def _pick(hits: list[tuple[str, str | None]], scopes: tuple[str, ...]) -> str | None:
        for scope in scopes:  # nearest scope first
            for code, s in hits:
                if s == scope:
                    return code
        for code, s in hits:
            if s is None:
                return code
        return None

    def _candidates(self, scopes: tuple[str, ...]) -> dict[str, str]:
        return _candidates(self, scopes)

    def resolve_name(self, name: str, scopes: tuple[str, ...]) -> tuple[str | None, str | None, list[str]]:
        """(agency code, warning, suggestions) for one agency name."""
        key = agency_key(name)
        if not key:
            return None, None, []
        code = self._scoped(key, scopes, clean(name).casefold())
        if code:
            return code, None, []
        # "Phòng Nội vụ thành phố", "Sở Tư pháp tỉnh": drop a trailing level word and retry
        trimmed = re.sub(r"(tinh|tp|thanhpho|huyen|thixa)$", "", key)
        if trimmed != key and (code := self._scoped(trimmed, scopes)):
            return code, None, []
        cands = self._candidates(scopes)
        best = process.extract(key, list(cands), scorer=fuzz.WRatio, limit=3)
        if best and best[0][1] >= self.FUZZY_ACCEPT and (len(best) < 2 or best[0][1] - best[1][1] >= 3
                                                          or cands[best[0][0]] == cands[best[1][0]]):
            code = cands[best[0][0]]
            return code, message("agency_fuzzy", name=clean(name), canonical=self.names[code], score=best[0][1]), []
        suggestions = []
        for k, score, _ in best:
            n = self.names[cands[k]]
            if score >= self.FUZZY_SUGGEST and n not in suggestions:
                suggestions.append(n)
        return None, None, suggestions

    # --- groups ------------------------------------------------------------------------------
    def members(self, group: Group, issuer: str, on: date) -> tuple[str, ...]:
        """Agency codes a group expands to for a plan issued by `issuer`, valid on `on`."""
        return _members(self, group.key, issuer, on)

    # --- cells -------------------------------------------------------------------------------
    def resolve_cell(self, value: object, issuer: str, on: date) -> Resolution:
        """Resolve a lead/partner cell for a plan issued by unit `issuer` in force on `on`."""
        return _resolve_cell_cached(self, clean(value), issuer, on)


_RESOLVERS: dict[int, tuple[Reference, Resolver]] = {}


def resolver_for(ref: Reference) -> Resolver:
    """One Resolver per reference data set (building one costs about 0,2 s; it is read-only once built)."""
    hit = _RESOLVERS.get(id(ref))
    if hit is None or hit[0] is not ref:
        hit = (ref, Resolver(ref))
        _RESOLVERS.clear()  # one data set at a time; the tuple keeps `ref` alive so its id stays unique
        _RESOLVERS[id(ref)] = hit
    return hit[1]


@lru_cache(maxsize=64)
def _candidates(resolver: Resolver, scopes: tuple[str, ...]) -> dict[str, str]:
    allowed = set(scopes)
    return {k: next(c for c, s in hits if s is None or s in allowed)
            for k, hits in resolver.keys.items() if any(s is None or s in allowed for _, s in hits)}


@lru_cache(maxsize=256)
def _members(resolver: Resolver, key: str, issuer: str, on: date) -> tuple[str, ...]:
    ref = resolver.ref
    group = GROUPS_BY_KEY[key]
    ag = ref.agencies
    out: list[str] = []
    issuer_level = ref.unit(issuer)["level"] if ref.unit(issuer) is not None else "province"
    for rule in group.members.split("+"):
        if rule == "departments":
            out += list(ag.loc[ag["kind"] == "department", "code"])
        elif rule == "district_ubnd":
            province = issuer if issuer_level == "province" else (ref.ancestors(issuer, on)[-1])
            units = [u for u in ref.descendants(province, on) if _level(ref, u) == "district"]
            out += [f"UBND-{u}" for u in units if f"UBND-{u}" in resolver.names]
        elif rule == "commune_ubnd":
            units = [u for u in ref.descendants(issuer, on) if _level(ref, u) == "commune"]
            out += [f"UBND-{u}" for u in units if f"UBND-{u}" in resolver.names]
        elif rule == "offices":
            out += list(ag.loc[(ag["kind"] == "district_office") & (ag["unit_code"] == issuer), "code"])
    return tuple(dict.fromkeys(out))


def _level(ref: Reference, code: str) -> str | None:
    u = ref.unit(code)
    return None if u is None else str(u["level"])


@lru_cache(maxsize=8192)
def _resolve_cell_cached(resolver: Resolver, text: str, issuer: str, on: date) -> Resolution:
    res = Resolution()
    if not text:
        return res
    scopes = tuple(resolver.ref.ancestors(issuer, on))
    # 1. the whole cell may be one agency ("VP. Đoàn ĐBQH và HĐND tỉnh")
    code = resolver._scoped(agency_key(text), scopes, text.casefold())
    if code:
        res.refs.append(Ref(resolver.names[code], code, raw=text))
        return res
    folded = _fold_keep_separators(text)
    # 2. take out group phrases, remembering where they were
    found: list[tuple[int, Ref]] = []
    spans: list[tuple[int, int]] = []
    for group, rx in _GROUP_RE:
        for m in rx.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in spans):
                continue
            spans.append((m.start(), m.end()))
            members = resolver.members(group, issuer, on)
            found.append((m.start(), Ref(group.label, None, group.key, members, raw=m.group(0))))
            stated = _STATED_COUNT.search(m.group(0))
            if stated and group.key == "commune_ubnd" and int(stated.group(1)) != len(members):
                res.warnings.append(message("group_partial", name=_original_span(text, m.group(0)),
                                            count=len(members), stated=int(stated.group(1))))
    # "UBND cấp huyện, cấp xã": a bare "cấp xã" after a district group is the commune group
    rest = list(folded)
    for a, b in spans:
        rest[a:b] = " " * (b - a)
    remainder = "".join(rest)
    # 3. what is left: individual names separated by , ; / and " và "
    pos = 0
    prefix = None
    for piece in _SPLIT.split(remainder):
        start = remainder.find(piece, pos)
        pos = start + len(piece)
        p = piece.strip(" .-:")
        if not p or p in {"va", "cac", "ubnd", "cac co quan"}:
            continue
        if p in _BARE_COMMUNE:  # "UBND cấp huyện, xã": the level word alone after a district group
            group = GROUPS_BY_KEY["commune_ubnd"]
            found.append((start, Ref(group.label, None, group.key, resolver.members(group, issuer, on), raw=p)))
            continue
        m = _PREFIX_LIST.match(p)
        if m:  # "các sở: Tư pháp, Tài chính" → each item is "Sở <item>"
            prefix = "so" if m.group(1) == "so" else "phong"
            p = m.group(2).strip()
            if not p:
                continue
        names = [p]
        if prefix and not p.startswith(prefix):
            names = [f"{prefix} {p}"]
        for name in names:
            _resolve_piece(resolver, name, scopes, res, found, start, text)
    found.sort(key=lambda t: t[0])
    seen: set[tuple[str | None, str | None]] = set()
    for _, r in found:
        if (r.code, r.group) not in seen:
            seen.add((r.code, r.group))
            res.refs.append(r)
    return res


def _fold_keep_separators(text: str) -> str:
    """fold() each part between , ; / and line breaks, keeping the separators for splitting."""
    parts = re.split(r"([,;/\n])", text)
    joined = "".join(p + " " if p in {",", ";", "/", "\n"} else fold(p) for p in parts)
    return re.sub(r" +", " ", joined).strip()


def _resolve_piece(resolver: Resolver, name: str, scopes: tuple[str, ...], res: Resolution,
                   found: list[tuple[int, Ref]], start: int, original: str) -> None:
    code, warning, suggestions = resolver.resolve_name(name, scopes)
    if code:
        found.append((start, Ref(resolver.names[code], code, raw=name)))
        if warning:
            res.warnings.append(warning)
        return
    # "Sở Tài chính và các cơ quan liên quan", "Văn phòng HĐND-UBND thành phố và UBND 05 phường":
    # only now split on " và ", after the whole piece failed
    if " va " in name:
        for part in name.split(" va "):
            if part.strip():
                _resolve_piece(resolver, part.strip(), scopes, res, found, start, original)
        return
    shown = _original_span(original, name)
    if suggestions:
        res.errors.append(message("agency_unknown", name=shown, suggestions="; ".join(suggestions)))
    else:
        res.errors.append(message("agency_unknown_nosuggest", name=shown))


def _original_span(original: str, folded_piece: str) -> str:
    """The piece as the user wrote it (with diacritics), found by folding word by word."""
    words = original.split()
    target = fold_tight(folded_piece)
    for i in range(len(words)):
        acc: list[str] = []
        for w in words[i:]:
            acc.append(w)
            joined = fold_tight(" ".join(acc))
            if joined == target:
                return " ".join(acc).strip(",;/ ")
            if len(joined) > len(target):
                break
    return folded_piece
