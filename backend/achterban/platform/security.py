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
