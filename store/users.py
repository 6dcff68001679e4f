"""Users, the cookie key, login lockout and the audit log: one import for the callers, split by concern below it.

- store.passwords: bcrypt hashes and random passwords;
- store.cookie_key: the login cookie's signing key (CCHC_COOKIE_KEY, else a value the UI read from Streamlit's
  secrets and passed in, else a key generated into the data folder); the store never reads those secrets;
- store.accounts: the users table, account changes (audited), the first admin, a writer's scope;
- store.login: the authenticator's credentials, failed attempts and lockout, login records, the login cookie;
- store.audit: the append-only audit log.

Changing accounts goes through service.users (the app's page and `manage.py user …`).

Nothing default is committed: the first run creates an admin with a random password printed once on the console
(or CCHC_ADMIN_PASSWORD).
"""
from __future__ import annotations

from store.accounts import (ROLES, add_user, all_users, by_username, default_writer, ensure_admin, get,
                            reset_password, scope_for, update_user, writer_scope)
from store.audit import audit, audit_actions, audit_entries, record
from store.cookie_key import KNOWN_KEYS, MIN_KEY_DISTINCT, MIN_KEY_LENGTH, ConfigError, cookie_key, validate_key
from store.login import (COOKIE_DAYS, LOCKOUT, MAX_ATTEMPTS, REVOKING, after_login_attempt, cookie_accepted,
                         credentials, decode_login_cookie, locked_until, record_login, record_logout, remember_counters)
from store.passwords import check_password, hash_password, random_password

__all__ = ["COOKIE_DAYS", "KNOWN_KEYS", "LOCKOUT", "MAX_ATTEMPTS", "MIN_KEY_DISTINCT", "MIN_KEY_LENGTH", "REVOKING",
           "ROLES", "ConfigError", "add_user", "after_login_attempt", "all_users", "audit", "audit_actions",
           "audit_entries", "by_username", "check_password", "cookie_accepted", "cookie_key", "credentials",
           "decode_login_cookie", "default_writer", "ensure_admin", "get", "hash_password", "locked_until",
           "random_password", "record", "record_login", "record_logout", "remember_counters", "reset_password",
           "scope_for", "update_user", "validate_key", "writer_scope"]
