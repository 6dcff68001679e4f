"""The audit log in words: an action's and an actor's catalogue label, and a line's details as a sentence.
Pure (no Streamlit): pages/nhat-ky.py draws it, tests read it."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogue import AUDIT_ACTIONS, AUDIT_ACTORS, AUDIT_COUNTS, AUDIT_FIELDS, AUDIT_VIA, ROLES, UI, label
from formats import fmt_date, fmt_int

HIDDEN = {"password", "password_hash", "sha256"}  # never written out, even as a hash


def action_label(code: str) -> str:
    """"login" → "Đăng nhập" (an unknown action keeps its code)."""
    return label(AUDIT_ACTIONS, code)


def actor_label(username: str | None, names: Mapping[str, str] | None = None) -> str:
    """The one who acted: "Hệ thống (khi cài đặt)" for system, a user's name and login for a user."""
    if not username:
        return label(AUDIT_ACTORS, "system")
    if username in AUDIT_ACTORS:
        return label(AUDIT_ACTORS, username)
    name = (names or {}).get(username)
    return f"{name} ({username})" if name and name != username else username


def scope_text(agencies: list[str] | None, units: list[str] | None, agency_names: Mapping[str, str],
               unit_names: Mapping[str, str]) -> str:
    """An editor's scope by names ("Sở Tư pháp; Huyện Giao Thủy"), codes only where no name is known."""
    parts = [agency_names.get(a, a) for a in agencies or []] + [unit_names.get(u, u) for u in units or []]
    return "; ".join(parts) or UI["au_scope_all"]


def _value(key: str, value: Any, agency_names: Mapping[str, str], unit_names: Mapping[str, str]) -> str:
    if key in HIDDEN:
        return UI["au_hidden"]
    if key == "role":
        return label(ROLES, str(value))
    if isinstance(value, bool) or str(value) in ("True", "False"):
        return UI["au_yes"] if str(value) == "True" else UI["au_no"]
    if key in ("agencies", "units"):
        items = value if isinstance(value, list) else [x.strip(" '\"") for x in str(value).strip("[]").split(",") if x.strip()]
        names = agency_names if key == "agencies" else unit_names
        return ", ".join(names.get(x, x) for x in items) or UI["au_scope_all"]
    return str(value)


def describe(action: str, details: Mapping[str, Any] | None, names: Mapping[str, str] | None = None,
             agency_names: Mapping[str, str] | None = None, unit_names: Mapping[str, str] | None = None) -> str:
    """One audit line's details as a Vietnamese sentence."""
    d = dict(details or {})
    an, un = agency_names or {}, unit_names or {}
    via = label(AUDIT_VIA, str(d.get("via"))) if d.get("via") else ""
    if action == "login":
        return UI["au_login"].format(via=via).replace(" .", ".")
    if action == "login_failed":
        return UI["au_login_failed"].format(attempts=d.get("attempts", "?"), locked=UI["au_locked"] if d.get("locked") else "")
    if action == "logout":
        return UI["au_logout"]
    if action == "sessions_revoked":
        return UI["au_sessions_revoked"].format(by=actor_label(d.get("by"), names))
    if action == "user_add":
        return UI["au_user_add"].format(username=d.get("username", ""), role=label(ROLES, d.get("role")),
                                        scope=scope_text(d.get("agencies"), d.get("units"), an, un))
    if action == "user_update":
        changes = [UI["au_changed"].format(field=label(AUDIT_FIELDS, k), value=_value(k, v, an, un))
                   for k, v in d.items() if k != "username"]
        return UI["au_user_update"].format(username=d.get("username", ""), changes="; ".join(changes) or UI["au_hidden"])
    if action == "import":
        counts = ", ".join(UI["au_count"].format(n=fmt_int(n), what=AUDIT_COUNTS.get(k, k))
                           for k, n in (d.get("counts") or {}).items())
        return UI["au_import"].format(file=d.get("file", ""), batch_id=d.get("batch_id", "?"), via=via,
                                      counts=counts or "–").replace("  ", " ")
    if action == "rollback":
        return UI["au_rollback"].format(batch_id=d.get("batch_id", "?"), file=d.get("file", ""), via=via).replace(" .", ".")
    if action == "pin":
        return UI["au_pin"].format(name=d.get("name", ""), pin_id=d.get("pin_id", "?"),
                                   date=fmt_date(d.get("presented_on")) if d.get("presented_on") else "–")
    if action == "unpin":
        return UI["au_unpin"].format(name=d.get("name", ""), pin_id=d.get("pin_id", "?"))
    return "; ".join(UI["au_other"].format(key=label(AUDIT_FIELDS, k), value=_value(k, v, an, un))
                     for k, v in d.items() if k not in HIDDEN)
