"""The signing key of the login cookie: from CCHC_COOKIE_KEY, else a value the UI read from Streamlit's secrets and
passed in, else a random key generated once into the data folder (git-ignored). Unsafe keys are refused.

The store never reads Streamlit's secrets itself: components/auth.py reads `cookie_key` there and passes it down."""
from __future__ import annotations

import secrets
from pathlib import Path

import settings

MIN_KEY_LENGTH = 32
MIN_KEY_DISTINCT = 10
# keys seen in tutorials and the library's examples: refused even when padded to length
KNOWN_KEYS = {"some_key", "some_signature_key", "abcdef", "random_signature_key", "secret", "changeme",
              "your_secret_key", "cookie_key", "streamlit", "password", "signature", "random", "key",
              "abc", "123", "qwerty", "test", "example", "default"}


class ConfigError(RuntimeError):
    """A setting is unsafe (short or well-known cookie key)."""


def validate_key(key: str) -> str:
    """Refuse short, repetitive or well-known cookie keys (also a known key padded or repeated to length)."""
    rest = key.lower()
    for known in sorted(KNOWN_KEYS, key=len, reverse=True):
        rest = rest.replace(known, "")
    rest = rest.strip("_-. 0123456789")
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < MIN_KEY_DISTINCT or len(rest) < MIN_KEY_LENGTH // 2:
        raise ConfigError(f"Khóa cookie không an toàn: cần ít nhất {MIN_KEY_LENGTH} ký tự ngẫu nhiên, không dùng khóa "
                          "mẫu của tài liệu (đặt CCHC_COOKIE_KEY, ví dụ: python -c \"import secrets; "
                          "print(secrets.token_urlsafe(48))\").")
    return key


def _key_file() -> Path:
    return settings.data_dir() / "cookie_key"


def cookie_key(secrets_value: str | None = None) -> str:
    """CCHC_COOKIE_KEY, else `secrets_value` (the app's secrets' cookie_key, read by the UI), else a generated key
    kept under data/."""
    key = settings.get("CCHC_COOKIE_KEY") or secrets_value
    if key:
        return validate_key(str(key))
    path = _key_file()
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return validate_key(path.read_text(encoding="utf-8").strip())
