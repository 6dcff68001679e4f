"""Account changes (the Người dùng page and `manage.py user …`): each one transaction with its audit line
(store.accounts); a password change or a disabling also revokes the user's login cookies. An admin cannot lock
themselves out: disabling or demoting the account in use is refused here, for the page and the command line alike."""
from __future__ import annotations

from sqlalchemy import Engine

from catalogue import UI
from store import accounts
from store.passwords import random_password

__all__ = ["add_user", "change_role", "set_disabled", "set_password"]


def add_user(engine: Engine, username: str, name: str, role: str, by: str, password: str | None = None,
             agencies: list[str] | None = None, units: list[str] | None = None) -> str:
    """Create an account; returns its password (generated when none is given). ValueError (Vietnamese) when the
    name is taken or invalid, the role unknown or the password short."""
    password = password or random_password()
    accounts.add_user(username, name or username, role, password, agencies or [], units or [], by=by, engine=engine)
    return password


def set_password(engine: Engine, username: str, by: str, password: str | None = None) -> str:
    """A new password (random when none is given, returned once to show), unlocking the account."""
    password = password or random_password()
    accounts.update_user(username, by=by, engine=engine, password=password)
    return password


def change_role(engine: Engine, username: str, by: str, role: str | None = None, agencies: list[str] | None = None,
                units: list[str] | None = None) -> None:
    """Change a role and/or scope (agencies and units together; None leaves the scope as it is)."""
    values: dict = {}
    if role:
        if username == by and role != "admin" and (accounts.get(username, engine) or {}).get("role") == "admin":
            raise ValueError(UI["users_self"])
        values["role"] = role
    if agencies is not None or units is not None:
        values["agencies"], values["units"] = list(agencies or []), list(units or [])
    if values:
        accounts.update_user(username, by=by, engine=engine, **values)


def set_disabled(engine: Engine, username: str, by: str, disabled: bool) -> None:
    """Disable (revoking the login cookies) or enable an account."""
    if disabled and username == by:
        raise ValueError(UI["users_self"])
    accounts.update_user(username, by=by, engine=engine, disabled=disabled)
