"""An independent reference for the task counts: the status of every assignment occurrence derived again from
the database rows (plain SQL and loops, written from the rules in analytics/tasks.py's docstring, sharing no code
with analytics.tasks, analytics.counts or store.queries), then counted per scope. The consistency test compares
every view, the deck, the brief and the handout with it."""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DONE = {"done", "done_late"}


def _q(y: int, q: int) -> int:
    return y * 4 + q - 1


def _q_of(d: date) -> int:
    return _q(d.year, (d.month - 1) // 3 + 1)


def _q_start(i: int) -> date:
    return date(i // 4, 3 * (i % 4) + 1, 1)


def _q_end(y: int, q: int) -> date:
    m = 3 * q
    return date(y, m, 31 if m in (3, 12) else 30)


@dataclass(frozen=True)
class Occ:
    """One assignment occurrence as the reference sees it."""

    assignment_id: int
    output_id: int
    agency: str
    agency_unit: str | None
    role: str
    area: str | None
    status: str


class Reference:
    """The sample database read once; `occurrences(y, q)` derives the statuses of one quarter."""

    def __init__(self, db: Path) -> None:
        con = sqlite3.connect(db)
        self.assignments = con.execute(
            "select a.id, a.output_id, a.agency_code, g.unit_code, a.role, o.deadline_kind, t.area_code, p.period_from "
            "from assignments a join outputs o on o.id = a.output_id join tasks t on t.id = o.task_id "
            "join plans p on p.id = t.plan_id left join agencies g on g.code = a.agency_code").fetchall()
        self.dues: dict[int, list[date]] = defaultdict(list)
        for oid, d in con.execute("select output_id, due_date from output_due_dates"):
            self.dues[oid].append(date.fromisoformat(str(d)[:10]))
        self.reports: dict[int, dict[int, str]] = defaultdict(dict)
        for aid, y, q, st in con.execute("select assignment_id, year, quarter, status from progress_reports "
                                         "where is_current and status is not null order by id"):
            self.reports[aid][_q(y, q)] = st
        self.links = con.execute("select code, parent_code, valid_from, valid_to from unit_parents").fetchall()
        self.agencies = {c: (u, k, vf and str(vf)[:10], vt and str(vt)[:10]) for c, u, k, vf, vt in con.execute(
            "select code, unit_code, kind, valid_from, valid_to from agencies")}
        self.successors: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
        for c, succ, since, share in con.execute("select code, successor_code, valid_from, share "
                                                 "from agency_successors order by id"):
            self.successors[c].append((succ, float(share), str(since)[:10]))
        con.close()
        self._heirs: dict[tuple[str, date], str] = {}

    def _valid(self, agency: str, on: str) -> bool:
        _u, _k, vf, vt = self.agencies[agency]
        return (vf is None or vf <= on) and (vt is None or vt >= on)

    def _carried_to(self, agency: str, on: str) -> dict[str, float]:
        """The agencies in force on `on` that carry `agency`'s work, with their shares (chains multiplied)."""
        out: dict[str, float] = {}
        todo = [(agency, 1.0)]
        while todo:
            cur, weight = todo.pop()
            for succ, share, since in self.successors.get(cur, []):
                if since > on:
                    continue
                if self._valid(succ, on):
                    out[succ] = out.get(succ, 0.0) + weight * share
                else:
                    todo.append((succ, weight * share))
        return {k: v for k, v in out.items() if v > 0}

    def heir(self, agency: str, on: date) -> str:
        """Issue 9: after an agency ended, its assignments count against the successor with the largest share (the
        first listed among equals); an ended district office with no successor of its own, against its UBND's."""
        key = (agency, on)
        if key not in self._heirs:
            day = on.isoformat()
            out = agency
            if agency in self.agencies and not self._valid(agency, day):
                carried = self._carried_to(agency, day)
                if not carried:
                    unit = self.agencies[agency][0]
                    ubnd = next((c for c, (u, k, _f, _t) in self.agencies.items()
                                 if k == "people_committee" and u == unit), None)
                    if ubnd and ubnd != agency:
                        carried = self._carried_to(ubnd, day)
                if carried:
                    best = max(carried.values())
                    out = next(c for c, v in carried.items() if v == best)
            self._heirs[key] = out
        return self._heirs[key]

    def units_under(self, unit: str, on: date) -> set[str]:
        """The unit and everything below it on a date."""
        out, todo = {unit}, [unit]
        while todo:
            cur = todo.pop()
            for code, parent, vf, vt in self.links:
                ok = (vf is None or str(vf)[:10] <= on.isoformat()) and (vt is None or str(vt)[:10] >= on.isoformat())
                if ok and parent == cur and code not in out:
                    out.add(code)
                    todo.append(code)
        return out

    def occurrences(self, year: int, quarter: int) -> list[Occ]:
        """Every live occurrence at the end of the quarter with its status."""
        asof, qend = _q(year, quarter), _q_end(year, quarter)
        out = []
        for aid, oid, agency, unit, role, kind, area, start in self.assignments:
            if start > year:
                continue
            heir = self.heir(agency, qend)
            if heir != agency:
                agency, unit = heir, self.agencies[heir][0]
            reps = {k: v for k, v in self.reports.get(aid, {}).items() if k <= asof}
            dues = sorted(set(self.dues.get(oid, [])))
            if kind == "recurring" and dues:
                starts = []
                for k, d in enumerate(dues):
                    ys = _q(d.year, 1)
                    starts.append(ys if k == 0 else max(ys, min(_q_of(d), _q_of(dues[k - 1]) + 1)))
                later = [k for k, d in enumerate(dues) if d.year == year and d > qend]
                live = [k for k, d in enumerate(dues) if d.year == year and (d <= qend or (later and k == later[0]))]
                for k in live:
                    end = asof if k + 1 == len(dues) else min(max(starts[k], starts[k + 1] - 1), asof)
                    out.append(self._occ(aid, oid, agency, unit, role, area, kind, dues[k], reps, starts[k], end, asof,
                                         qend))
            elif kind == "recurring":
                out.append(self._occ(aid, oid, agency, unit, role, area, kind, None, reps, _q(year, 1), asof, asof, qend))
            else:
                due = dues[-1] if kind == "once" and dues else None
                out.append(self._occ(aid, oid, agency, unit, role, area, kind, due, reps, -10**9, asof, asof, qend))
        return out

    @staticmethod
    def _occ(aid, oid, agency, unit, role, area, kind, due, reps, lo, hi, asof, qend) -> Occ:  # noqa: ANN001
        own = sorted(k for k in reps if lo <= k <= hi)
        counted = own[-1] if own else None
        first_done = None
        if counted is None or reps[counted] not in DONE:
            late = [k for k in sorted(reps) if hi < k <= asof and reps[k] in DONE]
            if late:
                counted = first_done = late[0]
        else:
            first_done = counted
            for k in reversed(own):
                if reps[k] not in DONE:
                    break
                first_done = k
        said = reps[counted] if counted is not None else None
        if said in DONE:
            status = "done_late" if said == "done_late" or (due is not None and _q_start(first_done) > due) else "done"
        elif kind == "continuous":
            status = "continuous" if said else "no_report"
        elif due is not None and due < qend:
            status = "overdue"
        else:
            status = said or "no_report"
        return Occ(aid, oid, agency, unit, role, area, status)


def counts(occs: list[Occ], role: str = "lead", agency: str | None = None, units: set[str] | None = None,
           area: str | None = None) -> dict[str, int]:
    """The reference counts of a scope: per status, done_total, total, the outputs of each, and the due ones."""
    pick = [o for o in occs if (role == "any" or o.role == role) and (agency is None or o.agency == agency)
            and (units is None or o.agency_unit in units) and (area is None or (o.area or "") == area)]
    out: dict[str, int] = defaultdict(int)
    outs: dict[str, set[int]] = defaultdict(set)
    for o in pick:
        keys = [o.status, "total"] + (["done_total"] if o.status in DONE else [])
        for k in keys:
            out[k] += 1
            outs[k].add(o.output_id)
    for k, s in outs.items():
        out[f"outputs_{k}"] = len(s)
    out["due"] = out["done"] + out["done_late"] + out["overdue"]
    return out
