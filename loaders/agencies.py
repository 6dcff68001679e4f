"""Resolve the agencies named in a lead or partner cell to canonical agencies and groups.

A cell may name several agencies ("Văn phòng UBND tỉnh, Sở Tư pháp"), groups ("Các Sở, ban,
ngành", "UBND cấp huyện, cấp xã"), abbreviations ("Sở TT&TT", "VP.UBND tỉnh"), a shared prefix
("các sở: Tư pháp, Tài chính, Kế hoạch & ĐT") and misspellings. Every name resolves to one
agency or group, or comes back as an error with the closest suggestions; nothing is dropped.

Names are resolved on the map in force at the plan's date: an agency that did not exist then (merged away
on 1 March 2025, or created only later) is an error that names its successor or predecessors, and a group
("UBND các xã, phường") expands to the members in force on that date. A canonical name containing "và"
("Sở Nông nghiệp và Môi trường") is never split into pieces.
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


# --- abbreviations made of initials, built from the canonical names themselves ---------------------------
# the kind word a name starts with, as it is abbreviated ("Văn phòng" → "VP"; "Sở" stays)
_KIND_WORDS = (("van phong", "VP"), ("uy ban nhan dan", "UBND"), ("so", None), ("phong", None), ("ban", None),
               ("trung tam", None), ("chi cuc", None), ("dai", None), ("thanh tra", None), ("cong an", None))
_LEVEL_WORDS = ("tinh", "huyen", "thanh pho", "tp", "thi xa", "xa", "phuong", "thi tran")
# Vietnamese onsets of more than one letter: an initial that cuts one ("Ngoại" → "N") is a weaker abbreviation
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu")
_WORD_ABBREV = {"uy ban nhan dan": "UBND", "hoi dong nhan dan": "HĐND", "thanh pho": "TP", "van phong": "VP",
                "cong nghe thong tin": "CNTT", "dai bieu quoc hoi": "ĐBQH"}


def _onset(word: str) -> str:
    f = fold(word)
    for o in _ONSETS:
        if f.startswith(o) and len(f) > len(o):
            return word[:len(o)]
    return word[:1]


def _abbreviate_phrases(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase, abbrev in _WORD_ABBREV.items():
            n = len(phrase.split())
            if fold(" ".join(words[i:i + n])) == phrase:
                out.append(abbrev)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def abbreviations(name: str) -> list[tuple[str, int]]:
    """Abbreviated spellings of a canonical agency name, each with its strength (2: every initial is its word's
    whole onset; 1: some initial cuts an onset, "Ngoại" → "N"; onset forms such as "NgV" are 2).

    The kind word ("Sở", "Phòng", "Văn phòng" → "VP") is kept; the words after it are cut into groups at "và",
    "-", "&" and ","; each group is written whole or as the initials of its words, the groups joined by "&"
    (after "và"), "-" or ",": "Sở Lao động - Thương binh và Xã hội" → "Sở LĐ-TB&XH", "Sở LĐ-TB và Xã hội", …;
    a level word at the end ("tỉnh", "huyện X") stays as written: "Văn phòng Ủy ban nhân dân tỉnh" → "VP UBND tỉnh"."""
    text = clean(name)
    words = text.split()
    if len(words) < 2:
        return []
    f = fold(text)
    kind, kind_abbrev, rest = None, None, text
    for k, abbrev in _KIND_WORDS:
        if f.startswith(k + " "):
            n = len(k.split())
            kind, kind_abbrev, rest = " ".join(words[:n]), abbrev, " ".join(words[n:])
            break
    if kind is None:
        return []
    # a level word and the unit's name at the end stay whole ("tỉnh", "huyện Giao Thủy", "thành phố Nam Định")
    tail = ""
    rw = rest.split()
    for i in range(1, len(rw)):
        two = fold(" ".join(rw[i:i + 2])) in ("thanh pho", "thi xa", "thi tran")
        if two or fold(rw[i]) in ("tinh", "huyen", "xa", "phuong"):
            after = rw[i + (2 if two else 1):]
            if all(w[:1].isupper() for w in after):  # "tỉnh", "huyện Giao Thủy"; not "Xã hội"
                tail, rw = " ".join(rw[i:]), rw[:i]
                break
    rw = _abbreviate_phrases(rw)  # "Ủy ban nhân dân" inside the body is written UBND
    body = " ".join(rw)
    parts = re.split(r"\s*(\bvà\b|&|-|,)\s*", body)
    groups = [p for p in parts[0::2] if p]
    seps = [{"và": "&"}.get(x, x) for x in parts[1::2]]
    if not groups or len(groups) > 5 or len(groups) != len(seps) + 1:
        return []

    def initials(group: str, onsets: bool) -> tuple[str, bool]:
        out, exact = [], True
        for w in group.split():
            if w.isupper() and len(w) > 1:  # already an abbreviation (UBND, HĐND)
                out.append(w)
                continue
            o = _onset(w)
            exact &= len(o) == 1
            out.append(o.capitalize() if onsets else w[:1].upper())
        return "".join(out), exact or onsets

    heads = [kind] + ([kind_abbrev] if kind_abbrev else [])
    seen: dict[str, int] = {}
    for mask in range(1 << len(groups)):
        if mask == 0:
            continue  # every group whole: the name itself
        for onsets in (False, True):
            strength = 2
            pieces = []
            for i, g in enumerate(groups):
                if mask >> i & 1 and len(g.split()) >= 1 and not (g.isupper() and len(g) > 1):
                    ini, exact = initials(g, onsets)
                    strength = min(strength, 2 if exact else 1)
                    pieces.append(ini)
                else:
                    pieces.append(g)
            joined = pieces[0] + "".join(sep + (" " if sep == "," else "") + p for sep, p in zip(seps, pieces[1:]))
            for h in heads:
                a = " ".join(x for x in (h, joined, tail) if x)
                if a != text and seen.get(a, 0) < strength:
                    seen[a] = strength
    if kind_abbrev:  # "VP UBND tỉnh": the kind word abbreviated, the rest as written
        seen.setdefault(" ".join(x for x in (kind_abbrev, body, tail) if x), 2)
    return list(seen.items())


@dataclass(frozen=True)
class Group:
    """A collective lead ("Các Sở, ban, ngành") and how to find its members."""

    key: str
    label: str
    pattern: str  # regex on the folded cell text
    members: str  # departments | district_ubnd | commune_ubnd | offices | by_level | police | none


# One table drives recognition, labels and expansion. Longer phrases come first.
GROUPS: tuple[Group, ...] = (
    Group("ubnd_all_levels", "UBND các cấp", r"\bubnd cac cap\b|\buy ban nhan dan cac cap\b", "district_ubnd+commune_ubnd"),
    Group("departments", "Các sở, ban, ngành",
          r"\b(?:cac )?so,? ban,? nganh(?:,? doan the)?(?: tinh)?\b|\bcac so,? nganh(?: tinh)?\b|\bcac so\b(?!\s*:)"
          r"|\bcac co quan chuyen mon (?:thuoc|truc thuoc) (?:ubnd|uy ban nhan dan) tinh\b", "departments"),
    Group("district_ubnd", "UBND cấp huyện",
          r"\b(?:ubnd|uy ban nhan dan) (?:cap huyen|cac huyen,? (?:thanh pho|tp)|cac huyen)\b", "district_ubnd"),
    Group("commune_ubnd", "UBND cấp xã",
          r"\b(?:(?:ubnd|uy ban nhan dan) )?(?:cap xa|cac xa,? phuong,? thi tran|cac xa,? phuong(?:,? dac khu)?"
          r"|cac phuong,? xa|cac xa,? thi tran|(?:0?\d+ )?phuong,? xa|cac xa)\b", "commune_ubnd"),
    Group("offices", "Các phòng chuyên môn",
          r"\bcac phong(?:,? ban)?(?: chuyen mon)?(?: co lien quan)?(?: (?:thuoc|truc thuoc) (?:ubnd )?(?:thanh pho|huyen|tp|thi xa))?\b(?!\s*:)"
          r"|\bcac co quan chuyen mon (?:thuoc|truc thuoc) (?:ubnd|uy ban nhan dan) (?:huyen|thanh pho|tp|thi xa)\b", "offices"),
    # by the plan's level: a province's specialised agencies are its departments, a district's its offices
    Group("specialised", "Các cơ quan chuyên môn",
          r"\bcac co quan chuyen mon(?: (?:thuoc|truc thuoc) (?:ubnd|uy ban nhan dan)(?: cung cap)?)?\b", "by_level"),
    # the police of the plan's own unit ("Công an huyện" in a district plan), of a level in a province plan
    Group("local_police", "Công an cấp huyện",
          r"\bcong an (?:cap huyen|cac huyen(?:,? (?:thanh pho|tp))?|huyen|thanh pho|tp|thi xa)\b", "police"),
    Group("commune_police", "Công an cấp xã", r"\bcong an (?:cap xa|cac xa(?:,? phuong,? thi tran)?|xa)\b", "none"),
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
            # a department's bare name ("Sở Nội vụ") means the one of the province it is read in
            self._add(name, code, unit if kind in NAME_SCOPED_KINDS else None)
            if kind == "district_office":  # "Phòng Nội vụ" means the issuer's own office
                self._add(short, code, unit)
        for alias, code, scope in zip(ref.aliases["alias"], ref.aliases["agency_code"], ref.aliases["scope_unit_code"]):
            self._add(alias, code, scope if isinstance(scope, str) and scope else None)
        self._add_abbreviations(ag)

    def _add_abbreviations(self, ag) -> None:  # noqa: ANN001 - the agencies DataFrame
        """The initials of every agency's canonical name (see `abbreviations`), where no real name or alias has
        the same key. Two agencies of one scope with the same abbreviation: the stronger one takes it (Nội vụ's
        "NV" over Ngoại vụ's, whose initial cuts the onset "Ng"), neither when they are equal."""
        claims: dict[tuple[str, str | None], dict[str, int]] = {}  # (key, scope) → {code: strength}
        spelled: dict[tuple[str, str | None], str] = {}
        for code, name, short, kind, unit in zip(ag["code"], ag["name"], ag["short_name"], ag["kind"], ag["unit_code"]):
            if kind in NAME_SCOPED_KINDS:
                sources, scope = [name], unit
            elif kind == "district_office":
                sources, scope = [short], unit
            elif kind == "people_committee":
                sources, scope = [], unit
                u = self.ref.unit(unit)
                if u is not None and u["level"] == "district":  # "UBND huyện", "UBND TP" in that unit's own plans
                    typ = fold(u["type"])
                    for spelled_as in ({"thanh pho": ("UBND thành phố", "UBND TP"), "thi xa": ("UBND thị xã", "UBND TX")}
                                       .get(typ, ("UBND huyện",))):
                        k = agency_key(spelled_as)
                        claims.setdefault((k, scope), {})[code] = 2
                        spelled[(k, scope)] = spelled_as
                continue
            else:
                continue
            for src in sources:
                for a, strength in abbreviations(src):
                    k = agency_key(a)
                    if not k:
                        continue
                    slot = claims.setdefault((k, scope), {})
                    slot[code] = max(slot.get(code, 0), strength)
                    spelled.setdefault((k, scope), a)
        for (k, scope), codes in claims.items():
            if any(s2 == scope or s2 is None for _c, s2 in self.keys.get(k, [])):
                continue  # a real name or alias already spelled this way
            top = max(codes.values())
            best = [c for c, v in codes.items() if v == top]
            if len(best) == 1:
                self._add(spelled[(k, scope)], best[0], scope)

    def _add(self, name: str, code: str, scope: str | None) -> None:
        e = clean(name).casefold()
        if (code, scope) not in self.exact.setdefault(e, []):
            self.exact[e].append((code, scope))
        k = agency_key(name)
        if k and (code, scope) not in self.keys.setdefault(k, []):
            self.keys[k].append((code, scope))

    # --- single names ------------------------------------------------------------------------
    def _scoped(self, key: str, scopes: tuple[str, ...], exact: str | None = None, on: date | None = None,
                in_force: bool = True) -> str | None:
        """The agency a name means in these scopes (nearest first): in force on `on` (in_force), or, to explain
        why a name cannot be used, one that is not."""
        if exact is not None and exact in self.exact:
            if (code := self._pick(self.exact[exact], scopes, on, in_force)) is not None:
                return code
        return self._pick(self.keys.get(key, []), scopes, on, in_force)

    def _pick(self, hits: list[tuple[str, str | None]], scopes: tuple[str, ...], on: date | None = None,
              in_force: bool = True) -> str | None:
        if on is not None:
            hits = [(c, s) for c, s in hits if self.ref.agency_valid(c, on) == in_force]
        elif not in_force:
            return None
        for scope in scopes:  # nearest scope first
            for code, s in hits:
                if s == scope:
                    return code
        for code, s in hits:
            if s is None:
                return code
        return None

    def _candidates(self, scopes: tuple[str, ...], on: date | None = None) -> dict[str, str]:
        return _candidates(self, scopes, on)

    def historic_scopes(self, scopes: tuple[str, ...]) -> tuple[str, ...]:
        """The scopes and the units they came from or became (with the units above those), to explain a name
        of another period ("Sở KH&ĐT" in a 2026 plan of the new province was Nam Định's)."""
        return _historic_scopes(self, scopes)

    def out_of_force(self, name: str, scopes: tuple[str, ...], on: date) -> str | None:
        """The Vietnamese error for a name that means an agency not in force on `on`, or None."""
        key = agency_key(name)
        if not key:
            return None
        exact = clean(name).casefold()
        for sc in (scopes, self.historic_scopes(scopes)):
            code = self._scoped(key, sc, exact, on, in_force=False)
            trimmed = re.sub(r"(tinh|tp|thanhpho|huyen|thixa)$", "", key)
            if code is None and trimmed != key:
                code = self._scoped(trimmed, sc, None, on, in_force=False)
            if code is not None:
                return self.ref.agency_not_in_force(code, on)
        return None

    def known(self, name: str, scopes: tuple[str, ...], on: date | None) -> bool:
        """Whether a name is an agency's name or spelling here, in force or not (no fuzzy matching)."""
        key = agency_key(name)
        if not key:
            return False
        if self._scoped(key, scopes, clean(name).casefold(), on) is not None:
            return True
        return on is not None and self.out_of_force(name, scopes, on) is not None

    def resolve_name(self, name: str, scopes: tuple[str, ...], on: date | None = None,
                     ) -> tuple[str | None, str | None, list[str]]:
        """(agency code, warning, suggestions) for one agency name, in force on `on` when given."""
        key = agency_key(name)
        if not key:
            return None, None, []
        code = self._scoped(key, scopes, clean(name).casefold(), on)
        if code:
            return code, None, []
        # "Phòng Nội vụ thành phố", "Sở Tư pháp tỉnh": drop a trailing level word and retry
        trimmed = re.sub(r"(tinh|tp|thanhpho|huyen|thixa)$", "", key)
        if trimmed != key and (code := self._scoped(trimmed, scopes, None, on)):
            return code, None, []
        if on is not None and self.out_of_force(name, scopes, on):
            return None, None, []  # resolve_cell reports why (not a spelling to correct)
        cands = self._candidates(scopes, on)
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
        text = _cell_text(value)
        res = _resolve_cell_cached(self, text, issuer, on)
        if "\n" in text and res.errors:
            # a name wrapped onto two lines ("Sở Nông nghiệp và\nPhát triển nông thôn") reads as one line
            joined = _resolve_cell_cached(self, clean(value), issuer, on)
            if not joined.errors:
                return joined
        return res


NAME_SCOPED_KINDS = ("department", "provincial_other")


def _cell_text(value: object) -> str:
    """A lead or partner cell cleaned line by line: a line break separates two names."""
    raw = "" if value is None else str(value)
    if "\n" not in raw and "\r" not in raw:
        return clean(raw)
    lines = [clean(x) for x in re.split(r"[\r\n]+", raw)]
    return "\n".join(x for x in lines if x)


@lru_cache(maxsize=4)
def resolver_for(ref: Reference) -> Resolver:
    """One resolver per reference (building its name index takes a quarter of a second at three provinces'
    scale; it and its caches are read-only, so every parse shares it)."""
    return Resolver(ref)


@lru_cache(maxsize=64)
def _candidates(resolver: Resolver, scopes: tuple[str, ...], on: date | None = None) -> dict[str, str]:
    allowed = set(scopes)
    valid = (lambda c: True) if on is None else (lambda c: resolver.ref.agency_valid(c, on))  # noqa: E731
    out = {}
    for k, hits in resolver.keys.items():
        ok = [c for c, s in hits if (s is None or s in allowed) and valid(c)]
        if ok:
            out[k] = ok[0]
    return out


@lru_cache(maxsize=256)
def _historic_scopes(resolver: Resolver, scopes: tuple[str, ...]) -> tuple[str, ...]:
    ref = resolver.ref
    seen: dict[str, None] = dict.fromkeys(scopes)
    frontier = list(scopes)
    while frontier:
        c = frontier.pop()
        related = [p for p, _ in ref.predecessors(c)] + [s for s, _ in ref.successors(c)]
        for r in related:
            if r in seen:
                continue
            seen[r] = None
            frontier.append(r)
            last = ref.end_of(r)
            if last is not None:  # the district and province it was in on its last day
                for a in ref.ancestors(r, last)[1:]:
                    if a not in seen:
                        seen[a] = None
                        frontier.append(a)
    return tuple(seen)


@lru_cache(maxsize=256)
def _members(resolver: Resolver, key: str, issuer: str, on: date) -> tuple[str, ...]:
    ref = resolver.ref
    group = GROUPS_BY_KEY[key]
    ag = ref.agencies
    out: list[str] = []
    if ref.unit_level(issuer) is None:  # no issuer known: the province of the plan's date
        issuer = ref.province_at(on)
    province = ref.ancestors(issuer, on)[-1]
    valid = lambda code: ref.agency_valid(code, on)  # noqa: E731
    for rule in group.members.split("+"):  # "police", "none": a lead that reports as itself, no members
        if rule == "departments":  # the departments of the issuer's province in force on that date
            out += [c for c in ag.loc[(ag["kind"] == "department") & (ag["unit_code"] == province), "code"] if valid(c)]
        elif rule == "district_ubnd":
            units = [u for u in ref.descendants(province, on) if _level(ref, u) == "district"]
            out += [f"UBND-{u}" for u in units if f"UBND-{u}" in resolver.names and valid(f"UBND-{u}")]
        elif rule == "commune_ubnd":
            units = [u for u in ref.descendants(issuer, on) if _level(ref, u) == "commune"]
            out += [f"UBND-{u}" for u in units if f"UBND-{u}" in resolver.names and valid(f"UBND-{u}")]
        elif rule == "offices":
            out += [c for c in ag.loc[(ag["kind"] == "district_office") & (ag["unit_code"] == issuer), "code"] if valid(c)]
    return tuple(dict.fromkeys(out))


def _by_level(resolver: Resolver, group: Group, issuer: str, on: date) -> tuple[Group, str]:
    """The group a level-dependent lead means in a plan of `issuer`, and its label: "Các cơ quan chuyên môn" are
    a province's departments and a district's offices; "Công an huyện" in a district's plan is that district's
    police (named after it: "Công an huyện Giao Thủy"), in a province's plan the police of every district."""
    ref = resolver.ref
    level = ref.unit_level(issuer)
    if group.members == "by_level":
        g = GROUPS_BY_KEY["offices" if level in ("district", "commune") else "departments"]
        return g, g.label
    if group.members == "police":
        if level == "district":
            u = ref.unit(issuer)
            if u is not None:
                name = str(u["name"])
                return group, "Công an " + name[:1].lower() + name[1:]
        return group, group.label
    return group, group.label


def _level_gone(resolver: Resolver, group: Group, issuer: str, on: date) -> str | None:
    """The error for a group of a level that no longer exists on `on` ("UBND cấp huyện" after 30/06/2025)."""
    if "district_ubnd" not in group.members.split("+") or "commune_ubnd" in group.members:
        return None
    ref = resolver.ref
    since = ref.meta.get("map_from")
    if not since or on < date.fromisoformat(since):
        return None
    return message("group_level_gone", name=group.label, level="cấp huyện",
                   since=date.fromisoformat(since).strftime("%d/%m/%Y"))


def _level(ref: Reference, code: str) -> str | None:
    return ref.unit_level(code)


@lru_cache(maxsize=8192)
def _resolve_cell_cached(resolver: Resolver, text: str, issuer: str, on: date) -> Resolution:
    res = Resolution()
    if not text:
        return res
    ref = resolver.ref
    # the issuer and the units above it; without an issuer, the provinces of the plan's date
    scopes = tuple(ref.ancestors(issuer, on)) if ref.unit_level(issuer) is not None else ref.province_scopes(on)
    # 1. the whole cell may be one agency ("VP. Đoàn ĐBQH và HĐND tỉnh")
    code = resolver._scoped(agency_key(text), scopes, text.casefold(), on)
    if code:
        res.refs.append(Ref(resolver.names[code], code, raw=text))
        return res
    if (gone := resolver.out_of_force(text, scopes, on)) is not None:
        res.errors.append(gone)
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
            group, label = _by_level(resolver, group, issuer, on)
            members = resolver.members(group, issuer, on)
            if not members and (gone := _level_gone(resolver, group, issuer, on)):
                res.errors.append(gone)
                continue
            found.append((m.start(), Ref(label, None, group.key, members, raw=m.group(0))))
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
            _resolve_piece(resolver, name, scopes, res, found, start, text, on)
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
                   found: list[tuple[int, Ref]], start: int, original: str, on: date | None = None) -> None:
    code, warning, suggestions = resolver.resolve_name(name, scopes, on)
    if code:
        found.append((start, Ref(resolver.names[code], code, raw=name)))
        if warning:
            res.warnings.append(warning)
        return
    if on is not None and (gone := resolver.out_of_force(name, scopes, on)) is not None:
        res.errors.append(gone)  # a real name of another period: say so, never split it at "và"
        return
    # "Sở Tài chính và Sở Nông nghiệp và Môi trường", "Văn phòng HĐND-UBND thành phố và UBND 05 phường":
    # only now split on " và ", after the whole piece failed, and never inside a known name
    if " va " in name:
        for part in _split_va(resolver, name, scopes, on):
            _resolve_piece(resolver, part, scopes, res, found, start, original, on)
        return
    shown = _original_span(original, name)
    if suggestions:
        res.errors.append(message("agency_unknown", name=shown, suggestions="; ".join(suggestions)))
    else:
        res.errors.append(message("agency_unknown_nosuggest", name=shown))


def _split_va(resolver: Resolver, name: str, scopes: tuple[str, ...], on: date | None) -> list[str]:
    """Pieces of a folded name split at " va ", keeping together the longest runs that name an agency."""
    parts = [p.strip() for p in name.split(" va ")]
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i + 1, -1):  # the longest known run starting at i (two parts or more)
            if j - i < len(parts) and resolver.known(" va ".join(parts[i:j]), scopes, on):
                out.append(" va ".join(parts[i:j]))
                i = j
                break
        else:
            if parts[i]:
                out.append(parts[i])
            i += 1
    return out


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
