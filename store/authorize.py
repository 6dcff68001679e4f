"""Who may write what: the one place where an import's rows are checked against the writer's scope.

Every step of an import (store/importer.py) first matches its rows against the stored data without
writing, and states, for each row or group of rows it would write, a Claim: the kind of row and who
it belongs to (an agency, a unit, a PAR INDEX subject). `authorize` judges every claim of every step
by the one table RULES, before that step writes anything. A step cannot write without passing here:
the importer's pipeline calls `authorize` and only then the step's write.
"""
from __future__ import annotations

from dataclasses import dataclass

from catalogue import MESSAGES, message
from model import Problem

MAX_LISTED = 50  # refusals listed one by one per kind; the rest are counted in one more line


@dataclass(frozen=True)
class Scope:
    """What a user may write: agency codes and unit codes (their own and, for units, every unit below).

    read_only: a viewer (may write nothing); is_admin: everything, including the catalogue."""

    agencies: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    is_admin: bool = False
    read_only: bool = False

    def allows_agency(self, agency_code: str, agency_unit: str | None) -> bool:
        """True when the agency is the user's, or seated in one of the user's units."""
        return not self.read_only and (self.is_admin or agency_code in self.agencies or (agency_unit in self.units))

    def allows_unit(self, unit_code: str) -> bool:
        """True when the unit is one of the user's (or below one)."""
        return not self.read_only and (self.is_admin or unit_code in self.units)


ADMIN = Scope(is_admin=True)
VIEWER = Scope(read_only=True)


@dataclass(frozen=True)
class Claim:
    """Rows an import would write, and whom they belong to, located for the refusal message.

    kind: a key of RULES. owner: an agency code (kind of owner "agency"), a unit code ("unit"), or for a
    PAR INDEX score the subject (agency code of a department, else a unit code); agency_unit: the unit
    an agency is seated in. label: the owner as the file names it (shown in the message)."""

    kind: str
    sheet: str
    row: int | None
    column: str | None
    owner: str | None = None
    owner_kind: str = "unit"  # agency | unit
    agency_unit: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Rule:
    """How one kind of row is judged: by its owner's agency or unit, or an admin's only; the refusal's message."""

    who: str  # owner | admin | writer (anyone who may write at all)
    message: str  # catalogue.MESSAGES key
    what: str = ""  # the thing refused, in the admin-only message


# The rule table: every kind of row an import writes. A kind missing here is refused (see authorize).
RULES: dict[str, Rule] = {
    "plan": Rule("owner", "scope_plan"),  # owner: the issuing unit of the plan (title block)
    "progress": Rule("owner", "out_of_scope"),  # owner: the reporting agency
    "values": Rule("owner", "out_of_scope"),  # owner: the unit the figure is about
    "par": Rule("owner", "scope_par"),  # owner: the scored department (agency) or unit
    "catalogue": Rule("admin", "scope_admin_only", "danh mục chỉ tiêu"),
    "targets": Rule("admin", "scope_admin_only", "mục tiêu của chỉ tiêu"),
    # owner: the agency or unit a learned spelling names (an editor maps names inside their own scope only)
    "aliases": Rule("owner", "scope_alias"),
    "layout": Rule("writer", "scope_read_only"),  # a status word or a header → field mapping: any writer
}


def _allowed(scope: Scope, claim: Claim) -> bool:
    rule = RULES.get(claim.kind)
    if rule is None or scope.read_only:
        return False
    if scope.is_admin or rule.who == "writer":
        return True
    if rule.who == "admin" or claim.owner is None:
        return False
    if claim.owner_kind == "agency":
        return scope.allows_agency(claim.owner, claim.agency_unit)
    return scope.allows_unit(claim.owner)


def permitted(scope: Scope, claim: Claim) -> bool:
    """Whether this scope may write this claim (what the upload page offers an editor)."""
    return _allowed(scope, claim)


def authorize(scope: Scope, claims: list[Claim], user: str = "") -> list[Problem]:
    """The refusals (errors naming sheet, row and column) of the claims this scope does not allow; [] when all are."""
    refused = [c for c in claims if not _allowed(scope, c)]
    if not refused:
        return []
    if scope.read_only:
        c = refused[0]
        return [Problem(c.sheet, c.row, c.column, message("scope_read_only", user=user or "?"))]
    problems: list[Problem] = []
    by_kind: dict[str, list[Claim]] = {}
    for c in refused:
        by_kind.setdefault(c.kind, []).append(c)
    for kind, items in by_kind.items():
        rule = RULES.get(kind) or Rule("admin", "scope_admin_only", kind)
        if rule.who == "admin":
            # one line per sheet: an editor's catalogue file is refused as a whole, not row by row
            sheets: dict[str, list[Claim]] = {}
            for c in items:
                sheets.setdefault(c.sheet, []).append(c)
            for sheet, cs in sheets.items():
                first = cs[0]
                problems.append(Problem(sheet, first.row, first.column, message(
                    "scope_admin_only", what=rule.what, first=first.label, n=len(cs))))
            continue
        for c in items[:MAX_LISTED]:
            problems.append(Problem(c.sheet, c.row, c.column, message(rule.message, agency=c.label or c.owner or "?")))
        if len(items) > MAX_LISTED:
            problems.append(Problem(items[MAX_LISTED].sheet, items[MAX_LISTED].row, items[MAX_LISTED].column,
                                    message("scope_more", n=len(items) - MAX_LISTED)))
    return problems


def scope_prefixes() -> tuple[str, ...]:
    """The fixed openings of every scope refusal's message (the upload page lists those apart)."""
    keys = {r.message for r in RULES.values()} | {"scope_read_only", "scope_more"}
    return tuple(MESSAGES[k].split("{")[0] for k in sorted(keys))


def is_scope_problem(problem: Problem) -> bool:
    """True for a refusal made by `authorize`."""
    return problem.message.startswith(scope_prefixes())
