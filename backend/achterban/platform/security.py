"""Secrets: random tokens and their keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from achterban.settings import get_settings


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """HMAC-SHA256 with the secret key, so a leaked table is no list of live tokens."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def signed(purpose: str, value: int) -> str:
    """``value`` with a keyed signature, for links that need no sign-in (no table, no expiry)."""
    mac = hmac.new(get_settings().secret_key.encode(), f"{purpose}:{value}".encode(), "sha256")
    return f"{value}.{mac.hexdigest()[:32]}"


def unsigned(purpose: str, token: str) -> int | None:
    """The value of a token made by :func:`signed`, or None when it is not genuine."""
    value, _, _mac = token.partition(".")
    if not (value.isascii() and value.isdigit()) or len(value) > 18:  # "²" is a digit too
        return None
    return int(value) if same(signed(purpose, int(value)), token) else None
