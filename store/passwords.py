"""Passwords: bcrypt hashes (never the password itself) and random passwords."""
from __future__ import annotations

import secrets
import string

import bcrypt


def hash_password(password: str) -> str:
    """bcrypt hash of a password."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    """True when the password matches the hash."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def random_password(length: int = 16) -> str:
    """A random password of letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))
