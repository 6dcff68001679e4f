"""Reference data over time, read from data/reference/*.csv (built by scripts/build_reference.py).

Units and agencies have validity dates (inclusive; None = open); successor tables link an old unit or agency
to the one(s) that carried it on, with a share. "The map at date D" is every unit valid on D with its parent
on D (`map_at`). Names and codes in workbooks are resolved on the map of the row's own date: an official
code (mã ĐVHC) or a name can mean different units before and after 1 July 2025 (the new communes reuse old
codes), so every look-up here takes a date, and a unit that did not exist then comes back as an error that
names its successor (or predecessors).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

import settings
from catalogue import message
from loaders.text import fold
from quarter import Quarter

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
_FAR_PAST, _FAR_FUTURE = date(1900, 1, 1), date(9999, 12, 31)


def vn_date(d: date) -> str:
    """dd/mm/yyyy."""
    return d.strftime("%d/%m/%Y")


def _valid(frame: pd.DataFrame, start: date, end: date | None = None) -> pd.Series:
    """Rows whose validity overlaps [start, end] (end defaults to start)."""
    end = end or start
    return ((frame["valid_from"].isna() | (frame["valid_from"] <= end))
            & (frame["valid_to"].isna() | (frame["valid_to"] >= start)))


@dataclass(frozen=True)
class UnitMatch:
    """A unit named in a row, resolved on the row's period: its key, or the Vietnamese error."""

    code: str | None
    error: str | None = None


@dataclass(frozen=True, eq=False)
class Reference:
    """The reference tables as DataFrames, with the look-ups loaders need (all of them date-aware)."""

    units: pd.DataFrame  # code, official_code, name, short_name, level, type, province_code, valid_from, valid_to, lat, lon, area_km2
    parents: pd.DataFrame  # code, parent_code, valid_from, valid_to
    agencies: pd.DataFrame  # code, name, short_name, kind, unit_code, rank_group, valid_from, valid_to
    aliases: pd.DataFrame  # alias, agency_code, scope_unit_code
    unit_successors: pd.DataFrame = field(default_factory=pd.DataFrame)  # code, successor_code, valid_from, share, basis
    agency_successors: pd.DataFrame = field(default_factory=pd.DataFrame)  # code, successor_code, valid_from, share, note
    meta: dict = field(default_factory=dict)  # build.json

    # --- the deployment's province -------------------------------------------------------------------------
    @property
    def province(self) -> str:
        """Key of the province served (the 2025-map unit, e.g. "37-2025")."""
        return str(self.meta.get("province_key") or self.units.loc[self.units["level"] == "province", "code"].iloc[-1])

    @property
    def history_province(self) -> str:
        """Key of the old province whose history this deployment carries (e.g. "36", Nam Định)."""
        return str(self.meta.get("history_province") or self.province)

    def lineage_provinces(self) -> list[str]:
        """The province served and every old province it was made of, history province first."""
        old = sorted({str(c) for c, _s in self._unit_preds.get(self.province, [])})
        return [self.province, *sorted(old, key=lambda c: c != self.history_province)]

    def province_scopes(self, on: date) -> tuple[str, ...]:
        """The lineage's provinces valid on a date, history province first (e.g. 2024 → 36, 35, 37)."""
        return tuple(p for p in self.lineage_provinces() if self.unit_valid(p, on)) or (self.province,)

    def province_at(self, on: date) -> str:
        """The province whose data a file of that date belongs to: the province served, or before it existed
        the history province."""
        return self.province if self.unit_valid(self.province, on) else self.history_province

    # --- units ------------------------------------------------------------------------------------------------
    @cached_property
    def _unit_rows(self) -> dict[str, dict]:
        return {str(r["code"]): r for r in self.units.to_dict("records")}

    def unit(self, code: str) -> pd.Series | None:
        """The unit row for a key, or None."""
        row = self._unit_rows.get(code)
        return None if row is None else pd.Series(row, name=code)

    def unit_level(self, code: str) -> str | None:
        """province | district | commune, or None for an unknown key."""
        row = self._unit_rows.get(code)
        return None if row is None else str(row["level"])

    def unit_name(self, code: str) -> str:
        """The official name of a unit key ("Tỉnh Nam Định"), or the key itself."""
        row = self._unit_rows.get(code)
        return str(row["name"]) if row else code

    def unit_valid(self, code: str, start: date, end: date | None = None) -> bool:
        """Whether a unit existed on some day of [start, end]."""
        row = self._unit_rows.get(code)
        if row is None:
            return False
        return _overlaps(row["valid_from"], row["valid_to"], start, end or start)

    def valid_units(self, on: date, level: str | None = None) -> pd.DataFrame:
        """Units that exist on `on`, optionally of one level."""
        u = self.units
        ok = _valid(u, on)
        if level:
            ok &= u["level"] == level
        return u[ok]

    def map_at(self, on: date, level: str | None = None) -> pd.DataFrame:
        """The map in force on a date: the deployment's units valid then (the province served and its
        predecessors), with `parent_code` on that date; ordered province, districts, communes."""
        lineage = set(self.lineage_provinces())
        u = self.valid_units(on, level)
        u = u[u["province_code"].isin(lineage)] if "province_code" in u else u
        parents = self.parents_on(on).drop_duplicates("code").set_index("code")["parent_code"]
        out = u.assign(parent_code=u["code"].map(parents))
        return out.sort_values("level", key=lambda s: s.map(LEVEL_ORDER), kind="stable").reset_index(drop=True)

    @cached_property
    def _parent_periods(self) -> dict[str, list[tuple[str, date, date]]]:
        out: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
        for code, parent, vf, vt in zip(self.parents["code"], self.parents["parent_code"], self.parents["valid_from"],
                                        self.parents["valid_to"]):
            out[str(code)].append((str(parent), _date_or_none(vf) or _FAR_PAST, _date_or_none(vt) or _FAR_FUTURE))
        return dict(out)

    @cached_property
    def _trees(self) -> dict[date, dict[str, list[str]]]:
        return {}

    def _tree(self, on: date) -> dict[str, list[str]]:
        """parent → its children on a date (both the link and the child in force), in table order."""
        tree = self._trees.get(on)
        if tree is None:
            tree = defaultdict(list)
            for code, periods in self._parent_periods.items():
                if not self.unit_valid(code, on):
                    continue
                for parent, vf, vt in periods:
                    if vf <= on <= vt:
                        tree[parent].append(code)
            tree = {k: sorted(v) for k, v in tree.items()}
            if len(self._trees) > 64:
                self._trees.clear()
            self._trees[on] = tree
        return tree

    def parent_of(self, code: str, on: date) -> str | None:
        """The parent unit of `code` on a date."""
        for parent, vf, vt in self._parent_periods.get(code, []):
            if vf <= on <= vt:
                return parent
        return None

    def parents_on(self, on: date) -> pd.DataFrame:
        """code → parent_code valid on a date."""
        p = self.parents
        return p.loc[_valid(p, on), ["code", "parent_code"]]

    def ancestors(self, code: str, on: date) -> list[str]:
        """`code` and every unit above it on a date, nearest first."""
        chain = [code]
        seen = {code}
        while (parent := self.parent_of(chain[-1], on)) and parent not in seen:
            chain.append(parent)
            seen.add(parent)
        return chain

    def children(self, code: str, on: date) -> list[str]:
        """Units directly below `code` on a date that themselves exist on that date."""
        return list(self._tree(on).get(code, []))

    def descendants(self, code: str, on: date) -> list[str]:
        """Every unit below `code` on a date."""
        out: list[str] = []
        frontier = [code]
        while frontier:
            nxt = []
            for c in frontier:
                nxt.extend(self.children(c, on))
            out.extend(nxt)
            frontier = nxt
        return out

    # --- lineage ----------------------------------------------------------------------------------------------
    @cached_property
    def _unit_succ(self) -> dict[str, list[tuple[str, float, date]]]:
        return _links(self.unit_successors)

    @cached_property
    def _unit_preds(self) -> dict[str, list[tuple[str, float]]]:
        out: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for code, links in self._unit_succ.items():
            for succ, share, _on in links:
                out[succ].append((code, share))
        return dict(out)

    def successors(self, code: str) -> list[tuple[str, float]]:
        """Direct successors of a unit with the share of it each took (empty for a unit still in force or an
        abolished district: see territory_successors)."""
        return [(s, share) for s, share, _on in self._unit_succ.get(code, [])]

    def predecessors(self, code: str) -> list[tuple[str, float]]:
        """Direct predecessors of a unit, each with the share of the predecessor that went into it."""
        return list(self._unit_preds.get(code, []))

    def successors_on(self, code: str, on: date) -> dict[str, float]:
        """The units valid on `on` that carry `code` on, following successor chains (shares multiplied)."""
        return _follow(code, on, self._unit_succ, self.unit_valid)

    def end_of(self, code: str) -> date | None:
        """The last day of a unit (None while in force)."""
        row = self._unit_rows.get(code)
        return None if row is None else _date_or_none(row["valid_to"])

    def territory_successors(self, code: str, on: date) -> dict[str, float]:
        """Where an ended unit's territory is on `on`: its own successors, or for an abolished district its
        communes' successors (each commune weighted by one, a divided one by its shares)."""
        direct = self.successors_on(code, on)
        if direct:
            return direct
        end = self.end_of(code)
        if end is None:
            return {}
        communes = [c for c in self.descendants(code, end) if self._unit_rows[c]["level"] == "commune"]
        out: dict[str, float] = defaultdict(float)
        for c in communes:
            for s, share in self.successors_on(c, on).items():
                out[s] += share / len(communes)
        return dict(out)

    # --- resolving units in rows ------------------------------------------------------------------------------
    @cached_property
    def _by_official(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for code, official in zip(self.units["code"], self.units.get("official_code", self.units["code"])):
            out[str(official)].append(str(code))
        return dict(out)

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for code, name, short in zip(self.units["code"], self.units["name"], self.units["short_name"]):
            for k in dict.fromkeys((fold(name), fold(short))):
                out[k].append(str(code))
        return dict(out)

    def _code_candidates(self, text: str) -> list[str]:
        t = text.strip()
        if t.endswith(".0") and t[:-2].isdigit():  # a code typed as a number
            t = t[:-2]
        hits = list(self._by_official.get(t, []))
        if not hits and t.isdigit():
            hits = list(self._by_official.get(t.lstrip("0") or "0", []))
        if t in self._unit_rows and t not in hits:
            hits.append(t)  # a key ("14215-2025") typed as such
        return hits

    def _name_candidates(self, text: str) -> list[str]:
        f = fold(text)
        hits = self._by_name.get(f, [])
        if not hits:  # "UBND xã Hải Hậu" names the commune too
            for prefix in ("ubnd", "uybannhandan"):
                if f.startswith(prefix) and (hits := self._by_name.get(f[len(prefix):], [])):
                    break
        return list(hits)

    @cached_property
    def _pair_cache(self) -> dict[tuple[str, str], tuple[tuple[str, ...], str | None]]:
        return {}

    def _candidates_for(self, code_t: str, name_t: str) -> tuple[tuple[str, ...], str | None]:
        """The units a (code, name) pair can mean at some date, or why none: "mismatch" | "unknown"."""
        key = (code_t, name_t)
        hit = self._pair_cache.get(key)
        if hit is None:
            by_code = self._code_candidates(code_t) if code_t else []
            by_name = self._name_candidates(name_t) if name_t else []
            if by_code and by_name:
                both = [c for c in by_code if c in by_name]
                hit = (tuple(both), None) if both else (tuple(by_code), "mismatch")
            else:
                cands = by_code or by_name
                hit = (tuple(cands), None if cands else "unknown")
            self._pair_cache[key] = hit
        return hit

    def match_unit(self, code: object = None, name: object = None, start: date | None = None,
                   end: date | None = None) -> UnitMatch:
        """The unit a row names by official code and/or name, on the map of its period [start, end].

        The code decides; a name that names another unit is an error. Several units in force (a code reused in
        a year that spans 1 July 2025, or "Nam Định" for the province and the city) → the higher level, else an
        error. None in force → an error naming the successor (ended) or the predecessors (not yet)."""
        start = start or settings.today()
        end = end or start
        code_t, name_t = _text(code), _text(name)
        cands, why = self._candidates_for(code_t, name_t)
        if why == "mismatch":
            shown = [c for c in cands if self.unit_valid(c, start, end)] or list(cands)
            return UnitMatch(None, message("unit_code_name_mismatch", code=code_t,
                                           code_name=" / ".join(self.unit_name(c) for c in shown), name=name_t))
        if why == "unknown":
            return UnitMatch(None, message("unit_unknown", name=name_t or code_t))
        valid = [c for c in cands if self.unit_valid(c, start, end)]
        if valid:
            top = min(LEVEL_ORDER.get(self._unit_rows[c]["level"], 9) for c in valid)
            best = [c for c in valid if LEVEL_ORDER.get(self._unit_rows[c]["level"], 9) == top]
            if len(best) == 1:
                return UnitMatch(best[0])
            options = "; ".join(f"{self.unit_name(c)} ({_span(self._unit_rows[c])})" for c in best)
            return UnitMatch(None, message("unit_ambiguous", text=name_t or code_t, period=_period(start, end),
                                           options=options))
        if len(cands) > 1:  # "Phường Quang Trung" of several old towns: say which is which
            return UnitMatch(None, " ".join(self.not_in_force(c, start, end, qualify=True) for c in cands[:4]))
        return UnitMatch(None, self.not_in_force(cands[0], start, end))

    def not_in_force(self, code: str, start: date, end: date | None = None, qualify: bool = False) -> str:
        """Why a unit cannot be used for [start, end]: ended (naming the successor) or not yet (predecessors)."""
        end = end or start
        row = self._unit_rows[code]
        name = str(row["name"])
        if qualify and (last := self.end_of(code) or _date_or_none(row["valid_from"])):
            parent = self.parent_of(code, last)
            name = f"{name} ({self.unit_name(parent)})" if parent else name
        valid_to, valid_from = _date_or_none(row["valid_to"]), _date_or_none(row["valid_from"])
        if valid_to is not None and valid_to < start:
            since = vn_date(valid_to + timedelta(days=1))
            direct = self.successors_on(code, end)
            if direct:
                return message("unit_ended", name=name, since=since, successors=self._names(direct))
            territory = self.territory_successors(code, end)
            if territory:
                return message("unit_ended_territory", name=name, since=since, successors=self._names(territory))
            return message("unit_ended_nosuccessor", name=name, since=since)
        since = vn_date(valid_from) if valid_from else "?"
        preds = dict(self.predecessors(code))
        if preds:
            return message("unit_not_yet", name=name, since=since, predecessors=self._names(preds))
        return message("unit_not_yet_nopredecessor", name=name, since=since)

    def _names(self, codes: dict[str, float]) -> str:
        return ", ".join(self.unit_name(c) for c in _ordered(codes, self._unit_rows))

    def resolve_unit_rows(self, codes: pd.Series | None, names: pd.Series | None, year: pd.Series,
                          quarter: pd.Series) -> tuple[pd.Series, pd.Series]:
        """match_unit over the rows of a values sheet (a NaN quarter = the whole year): (unit key or None,
        error or None), same index. The hot path of 100k-row uploads: each distinct (code, name) is looked up
        once, a pair naming one unit is checked against the periods with numpy, and only the rest (errors,
        codes reused across 1 July 2025) goes through match_unit per distinct (pair, year, quarter)."""
        index = year.index
        n = len(index)
        code_ids, code_u = _factor(codes, n)
        name_ids, name_u = _factor(names, n)
        pair_flat = code_ids * len(name_u) + name_ids
        pairs, pair_of_row = np.unique(pair_flat, return_inverse=True)
        # each row's period as day ordinals (first and last day); rows without a year are left alone
        y = pd.to_numeric(year, errors="coerce").to_numpy(dtype=float)
        q = pd.to_numeric(quarter, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):  # a year or quarter no calendar has is no period: other rules name it
            has_year = (~np.isnan(y) & (y >= 1) & (y <= 9999) & (y == np.floor(y))
                        & (np.isnan(q) | np.isin(q, (1.0, 2.0, 3.0, 4.0))))
        yq = np.where(has_year, np.nan_to_num(y) * 10 + np.nan_to_num(q, nan=0.0), -1)
        periods, period_of_row = np.unique(yq, return_inverse=True)
        bounds = [(_bounds(int(v // 10), int(v % 10) or None) if v >= 0 else (None, None)) for v in periods]
        p_start = np.array([b[0].toordinal() if b[0] else 0 for b in bounds], dtype=np.int64)[period_of_row]
        p_end = np.array([b[1].toordinal() if b[1] else 0 for b in bounds], dtype=np.int64)[period_of_row]
        found = np.full(n, None, dtype=object)
        why = np.full(n, None, dtype=object)
        slow = np.zeros(n, dtype=bool)
        order = np.argsort(pair_of_row, kind="stable")
        cuts = np.searchsorted(pair_of_row[order], np.arange(len(pairs) + 1))
        for i, flat in enumerate(pairs):
            rows = order[cuts[i]:cuts[i + 1]]
            rows = rows[has_year[rows]]
            if not len(rows):
                continue
            c_raw, n_raw = code_u[flat // len(name_u)], name_u[flat % len(name_u)]
            cands, reason = self._candidates_for(_text(c_raw), _text(n_raw))
            levels = {self._unit_rows[c]["level"] for c in cands}
            if reason is None and len(levels) == 1:  # one unit, or old and new units of one level (a reused code)
                ok = np.zeros((len(cands), len(rows)), dtype=bool)
                for j, c in enumerate(cands):
                    row = self._unit_rows[c]
                    vf = (_date_or_none(row["valid_from"]) or _FAR_PAST).toordinal()
                    vt = (_date_or_none(row["valid_to"]) or _FAR_FUTURE).toordinal()
                    ok[j] = (p_start[rows] <= vt) & (p_end[rows] >= vf)
                one = ok.sum(axis=0) == 1
                found[rows[one]] = np.array(cands, dtype=object)[ok[:, one].argmax(axis=0)]
                slow[rows[~one]] = True
            else:
                slow[rows] = True
        if slow.any():  # one match_unit per distinct (pair, period)
            combo = pair_of_row[slow].astype(np.int64) * len(periods) + period_of_row[slow]
            uniq, inverse = np.unique(combo, return_inverse=True)
            results = []
            for c in uniq:
                flat, (a, b) = pairs[c // len(periods)], bounds[c % len(periods)]
                m = self.match_unit(_text(code_u[flat // len(name_u)]) or None,
                                    _text(name_u[flat % len(name_u)]) or None, a, b)
                results.append((m.code, m.error))
            found[slow] = np.array([r[0] for r in results], dtype=object)[inverse]
            why[slow] = np.array([r[1] for r in results], dtype=object)[inverse]
        return pd.Series(found, index=index, dtype=object), pd.Series(why, index=index, dtype=object)

    def find_unit(self, text: str, on: date | None = None) -> str | None:
        """The key of a unit named or coded in `text` ("356", "Huyện Nghĩa Hưng", "Nghĩa Hưng"), in force on
        `on` when given (else any date, the higher level and the older unit first)."""
        t = str(text).strip()
        if on is not None:
            m = self.match_unit(t if _looks_like_code(t) else None, None if _looks_like_code(t) else t, on)
            return m.code
        if t in self._unit_rows:
            return t
        hits = self._code_candidates(t) if _looks_like_code(t) else self._name_candidates(t)
        if not hits:
            return None
        order = {c: i for i, c in enumerate(self.units["code"])}
        return min(hits, key=lambda c: (LEVEL_ORDER.get(self._unit_rows[c]["level"], 9), order[c]))

    # --- agencies ---------------------------------------------------------------------------------------------
    @cached_property
    def _agency_rows(self) -> dict[str, dict]:
        return {str(r["code"]): r for r in self.agencies.to_dict("records")}

    @cached_property
    def _agency_succ(self) -> dict[str, list[tuple[str, float, date]]]:
        return _links(self.agency_successors)

    @cached_property
    def _agency_preds(self) -> dict[str, list[tuple[str, float]]]:
        out: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for code, links in self._agency_succ.items():
            for succ, share, _on in links:
                out[succ].append((code, share))
        return dict(out)

    def agency_valid(self, code: str, start: date, end: date | None = None) -> bool:
        """Whether an agency existed on some day of [start, end]."""
        row = self._agency_rows.get(code)
        if row is None:
            return False
        return _overlaps(row.get("valid_from"), row.get("valid_to"), start, end or start)

    def valid_agencies(self, on: date) -> pd.DataFrame:
        """Agencies that exist on a date."""
        a = self.agencies
        return a[_valid(a, on)] if "valid_from" in a else a

    def agency_successors_of(self, code: str) -> list[tuple[str, float, str]]:
        """Direct successors of an agency: (code, share, what moved)."""
        notes = {}
        s = self.agency_successors
        if not s.empty:
            for c, succ, note in zip(s["code"], s["successor_code"], s["note"]):
                if c == code:
                    notes[succ] = note
        return [(succ, share, notes.get(succ, "")) for succ, share, _on in self._agency_succ.get(code, [])]

    def agency_predecessors(self, code: str) -> list[tuple[str, float]]:
        """Direct predecessors of an agency with their shares."""
        return list(self._agency_preds.get(code, []))

    def agency_successors_on(self, code: str, on: date) -> dict[str, float]:
        """The agencies valid on `on` that carry `code` on (shares multiplied along the chain; 0 = functions only)."""
        return _follow(code, on, self._agency_succ, self.agency_valid)

    def agency_label(self, code: str, home_unit: str | None = None) -> str:
        """An agency's name, with its province when that is not `home_unit` ("Sở Tài chính tỉnh Ninh Bình");
        an old province named like a later one gets its end date ("tỉnh Ninh Bình (đến 30/06/2025)")."""
        row = self._agency_rows[code]
        name, unit = str(row["name"]), str(row["unit_code"])
        if unit == home_unit or row["kind"] not in ("department", "provincial_other"):
            return name
        u = self._unit_rows.get(unit)
        if u is None:
            return name
        label = f"{name} {str(u['type']).lower()} {u['short_name']}"
        end = _date_or_none(u["valid_to"])
        if end is not None and len(self._by_name.get(fold(str(u["name"])), [])) > 1:
            label += f" (đến {vn_date(end)})"
        return label

    def agency_not_in_force(self, code: str, on: date) -> str:
        """Why an agency cannot be named on a date: ended (successors) or not yet (predecessors)."""
        row = self._agency_rows[code]
        name = str(row["name"])
        valid_to, valid_from = _date_or_none(row.get("valid_to")), _date_or_none(row.get("valid_from"))
        agency_name = lambda c: self.agency_label(c, str(row["unit_code"]))  # noqa: E731
        if valid_to is not None and valid_to < on:
            since = vn_date(valid_to + timedelta(days=1))
            succ = self.agency_successors_on(code, on)
            main = {c: s for c, s in succ.items() if s > 0}
            partial = {c: s for c, s in succ.items() if s == 0 and c not in main}
            if not main:
                return message("agency_ended_nosuccessor", name=name, since=since)
            names = ", ".join(agency_name(c) for c in _ordered(main, self._agency_rows))
            if partial:
                return message("agency_ended_partial", name=name, since=since, successors=names,
                               partial=", ".join(agency_name(c) for c in _ordered(partial, self._agency_rows)))
            return message("agency_ended", name=name, since=since, successors=names)
        since = vn_date(valid_from) if valid_from else "?"
        preds = [c for c, s in self.agency_predecessors(code) if s > 0]
        if preds:
            return message("agency_not_yet", name=name, since=since,
                           predecessors=", ".join(agency_name(c) for c in dict.fromkeys(preds)))
        return message("agency_not_yet_nopredecessor", name=name, since=since)


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _looks_like_code(t: str) -> bool:
    return bool(t) and (t.replace("-", "").isdigit() or (t.endswith(".0") and t[:-2].isdigit()))


def _date_or_none(v: object) -> date | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT or v == "":
        return None
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def _overlaps(valid_from: object, valid_to: object, start: date, end: date) -> bool:
    vf, vt = _date_or_none(valid_from) or _FAR_PAST, _date_or_none(valid_to) or _FAR_FUTURE
    return vf <= end and vt >= start


def _links(frame: pd.DataFrame) -> dict[str, list[tuple[str, float, date]]]:
    out: dict[str, list[tuple[str, float, date]]] = defaultdict(list)
    if frame is None or frame.empty:
        return {}
    for code, succ, on, share in zip(frame["code"], frame["successor_code"], frame["valid_from"], frame["share"]):
        out[str(code)].append((str(succ), float(share), on))
    return dict(out)


def _follow(code: str, on: date, links: dict[str, list[tuple[str, float, date]]], valid) -> dict[str, float]:  # noqa: ANN001
    """Successors in force on `on`, following chains of links effective by then."""
    out: dict[str, float] = defaultdict(float)
    frontier = [(code, 1.0)]
    seen = 0
    while frontier and seen < 10_000:
        c, weight = frontier.pop()
        seen += 1
        for succ, share, since in links.get(c, []):
            if since is not None and since > on:
                continue
            if valid(succ, on):
                out[succ] += weight * share
            else:
                frontier.append((succ, weight * share))
    return dict(out)


def _ordered(codes: dict[str, float], rows: dict[str, dict]) -> list[str]:
    """Largest share first, then in table order."""
    order = {c: i for i, c in enumerate(rows)}
    return sorted(codes, key=lambda c: (-codes[c], order.get(c, 0)))


def _span(row: dict) -> str:
    vf, vt = _date_or_none(row["valid_from"]), _date_or_none(row["valid_to"])
    if vf and vt:
        return f"{vn_date(vf)}–{vn_date(vt)}"
    if vt:
        return f"đến {vn_date(vt)}"
    if vf:
        return f"từ {vn_date(vf)}"
    return "mọi thời kỳ"


def _period(start: date, end: date) -> str:
    if start == end:
        return f"ngày {vn_date(start)}"
    if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
        return f"năm {start.year}"
    if (end - start).days < 100 and start.day == 1 and start.month in (1, 4, 7, 10):
        return f"Quý {Quarter.of(start).quarter}/{start.year}"
    return f"{vn_date(start)}–{vn_date(end)}"


def _bounds(year: int, quarter: int | None) -> tuple[date, date]:
    """First and last day of a quarter, or of the year when quarter is None."""
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    q = Quarter(year, quarter)
    return q.start, q.end


def _factor(s: pd.Series | None, n: int) -> tuple[np.ndarray, list]:
    """(ids, uniques) with id 0 = missing; a None series is all missing."""
    if s is None:
        return np.zeros(n, dtype=np.int64), [None]
    ids, uniq = pd.factorize(s, use_na_sentinel=True)
    values = [None if (isinstance(v, float) and np.isnan(v)) else v for v in uniq]
    return ids.astype(np.int64) + 1, [None, *values]


def _dates(df: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
    for c in cols:
        if c in df:
            df[c] = df[c].map(lambda v: date.fromisoformat(v) if isinstance(v, str) and v else None)
    return df


def read_reference(folder: Path | None = None) -> Reference:
    """Read the reference CSVs (codes kept as strings)."""
    folder = folder or settings.reference_dir()
    if not (folder / "units.csv").exists():
        raise FileNotFoundError(message("reference_missing", province=settings.province(), folder=folder))

    def read(name: str) -> pd.DataFrame:
        path = folder / name
        if not path.exists():
            return pd.DataFrame()
        return pd.read_csv(path, dtype=str, keep_default_na=False)  # empty strings mean "none"

    units = _dates(read("units.csv"), ("valid_from", "valid_to"))
    units["lat"] = pd.to_numeric(units["lat"], errors="coerce")
    units["lon"] = pd.to_numeric(units["lon"], errors="coerce")
    if "official_code" not in units:
        units["official_code"] = units["code"]
    if "area_km2" in units:
        units["area_km2"] = pd.to_numeric(units["area_km2"], errors="coerce")
    parents = _dates(read("unit_parents.csv"), ("valid_from", "valid_to"))
    agencies = _dates(read("agencies.csv"), ("valid_from", "valid_to"))
    if "valid_from" not in agencies:
        agencies["valid_from"] = None
        agencies["valid_to"] = None
    aliases = read("aliases.csv")
    unit_succ = _dates(read("unit_successors.csv"), ("valid_from",))
    agency_succ = _dates(read("agency_successors.csv"), ("valid_from",))
    for frame in (unit_succ, agency_succ):
        if not frame.empty:
            frame["share"] = frame["share"].astype(float)
    meta_path = folder / "build.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return Reference(units, parents, agencies, aliases, unit_succ, agency_succ, meta)


@lru_cache(maxsize=4)
def _reference(folder: Path) -> Reference:
    return read_reference(folder)


def reference() -> Reference:
    """The reference data of the province served, read once per process (and per folder)."""
    return _reference(settings.reference_dir())
