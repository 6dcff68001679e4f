"""Learned aliases (the answers to a dry run's questions, `manage.py alias`): each change is a batch of its own,
one transaction audited in it (store.aliases), then the new data version's view data is prepared."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from service.imports import refresh_after
from store import aliases as store_aliases
from store import queries
from store.aliases import Choice
from store.authorize import ADMIN, Scope
from store.snapshot import ViewData

__all__ = ["AliasChange", "Choice", "add_aliases", "remove_alias"]


@dataclass
class AliasChange:
    """What an alias command did: the batch written (None when nothing was: refused, or known already), the
    problems of a refusal, and the new version's view data."""

    batch_id: int | None = None
    problems: list = field(default_factory=list)  # Problems (add) or Vietnamese messages (remove)
    view: ViewData | None = None

    @property
    def messages(self) -> list[str]:
        return [p if isinstance(p, str) else p.message for p in self.problems]


def add_aliases(engine: Engine, choices: list[Choice], user: str, scope: Scope = ADMIN, via: str = "app",
                file_name: str = "") -> AliasChange:
    """Keep the choices as learned aliases, in one batch (nothing when every one was known already)."""
    before = queries.data_version(engine)
    batch_id, problems = store_aliases.add(engine, choices, user, scope, via=via, file_name=file_name)
    return AliasChange(batch_id, problems, refresh_after(engine, batch_id, before)[0])


def remove_alias(engine: Engine, alias_id: int, user: str, scope: Scope = ADMIN, via: str = "app") -> AliasChange:
    """Stop reading one learned alias, as a batch of its own (its rollback brings the alias back)."""
    before = queries.data_version(engine)
    batch_id, errors = store_aliases.remove(engine, alias_id, user, scope, via=via)
    return AliasChange(batch_id, list(errors), refresh_after(engine, batch_id, before)[0])
