"""Personal values in audit details: stored so that nobody reads them from the table.

Two ways, chosen by what the value is:

- A value not tied to one person (a search term, a filter, a file name) is stored as a
  keyed hash (HMAC-SHA-256 with the audit key, ``#h:`` prefix): the same value gives the
  same hash, so an auditor can ask "who searched for this e-mail address", but nobody
  can read it back from the table or a dump.
- A value of one person's record (the fields of a created or changed person) is
  encrypted with that person's own key (AES-GCM, ``#e:<person>:`` prefix). The key lives
  in ``person_key``, wrapped with a key derived from the audit key; erasure calls
  :func:`forget_person`, which deletes it, and the values can never be read again.

The chain's hash covers what is stored (the hash or the ciphertext), so forgetting a key
does not break it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from achterban.audit.tables import PersonKey
from achterban.platform import db
from achterban.settings import get_settings

HASHED = "#h:"
SEALED = "#e:"
SHOWN_HASHED = "[hashed]"
SHOWN_ERASED = "[erased]"

# detail keys whose values are personal wherever they appear
HASHED_KEYS = frozenset(
    {"q", "query", "filters", "filter", "filename", "search", "term", "definition"}
)
# detail keys that belong to the person the entry is about (hashed if there is none)
PERSON_KEYS = frozenset(
    {"fields", "changes", "email", "phone", "name", "first_name", "last_name", "address",
     "street", "postcode", "city", "birth_date", "notes", "note", "subject", "description"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Hashed:
    """Mark a value for a keyed hash (matchable, not readable)."""

    value: Any


@dataclass(frozen=True, slots=True)
class ForPerson:
    """Mark a value for encryption with ``person_id``'s key (unreadable once forgotten)."""

    person_id: int
    value: Any


def _audit_key() -> bytes:
    return get_settings().audit_key.encode()


def hash_term(value: Any) -> str:
    """The stored form of a value not tied to one person; compare with what is stored."""
    text = str(value).strip().casefold()
    digest = hmac.new(_audit_key(), b"term\x00" + text.encode(), hashlib.sha256).hexdigest()
    return HASHED + digest[:40]


def _wrapping_key() -> bytes:
    return hmac.new(_audit_key(), b"person key wrap", hashlib.sha256).digest()


def _wrap(person_id: int, key: bytes) -> str:
    nonce = os.urandom(12)
    ct = AESGCM(_wrapping_key()).encrypt(nonce, key, str(person_id).encode())
    return base64.urlsafe_b64encode(nonce + ct).decode()


def _unwrap(person_id: int, wrapped: str) -> bytes | None:
    raw = base64.urlsafe_b64decode(wrapped)
    try:
        return AESGCM(_wrapping_key()).decrypt(raw[:12], raw[12:], str(person_id).encode())
    except InvalidTag:
        return None


async def _person_key(person_id: int) -> bytes:
    """The person's key, made on first use (in the caller's transaction)."""
    row = await PersonKey.select(PersonKey.wrapped).where(PersonKey.person_id == person_id).first()
    if row is None:
        await db.raw(
            "INSERT INTO person_key (person_id, wrapped, created_at) VALUES ({}, {}, "
            "CURRENT_TIMESTAMP) ON CONFLICT (person_id) DO NOTHING",
            person_id,
            _wrap(person_id, AESGCM.generate_key(bit_length=256)),
        )
        row = (
            await PersonKey.select(PersonKey.wrapped)
            .where(PersonKey.person_id == person_id)
            .first()
        )
    assert row is not None
    key = _unwrap(person_id, row["wrapped"])
    if key is None:
        raise RuntimeError(f"person key {person_id} does not open with the audit key")
    return key


def _encrypt(person_id: int, key: bytes, value: Any) -> str:
    nonce = os.urandom(12)
    plain = json.dumps(value, separators=(",", ":"), default=str).encode()
    ct = AESGCM(key).encrypt(nonce, plain, str(person_id).encode())
    return f"{SEALED}{person_id}:{base64.urlsafe_b64encode(nonce + ct).decode()}"


def _leaves(value: Any, leaf: Any) -> Any:
    """Apply ``leaf`` to every scalar in ``value``, keeping dict keys and list shape."""
    if isinstance(value, dict):
        return {k: _leaves(v, leaf) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_leaves(v, leaf) for v in value]
    if value is None or isinstance(value, bool):
        return value
    return leaf(value)


def needs_person_key(detail: Any, person_id: int | None) -> bool:
    """Whether storing ``detail`` encrypts a value (and so may create a person's key)."""
    if isinstance(detail, ForPerson):
        return True
    if isinstance(detail, dict):
        return any(
            (person_id is not None and k in PERSON_KEYS) or needs_person_key(v, person_id)
            for k, v in detail.items()
        )
    if isinstance(detail, list | tuple):
        return any(needs_person_key(v, person_id) for v in detail)
    return False


async def protect(detail: dict[str, Any] | None, person_id: int | None) -> dict[str, Any]:
    """The detail as it is stored: personal values hashed or encrypted."""
    keys: dict[int, bytes] = {}

    async def encrypt(pid: int, value: Any) -> Any:
        if pid not in keys:
            keys[pid] = await _person_key(pid)
        return _leaves(value, lambda v: _encrypt(pid, keys[pid], v))

    async def walk(key: str | None, value: Any) -> Any:
        if isinstance(value, Hashed):
            return _leaves(value.value, hash_term)
        if isinstance(value, ForPerson):
            return await encrypt(value.person_id, value.value)
        if key in HASHED_KEYS or (key in PERSON_KEYS and person_id is None):
            return _leaves(value, hash_term)
        if key in PERSON_KEYS and person_id is not None:
            return await encrypt(person_id, value)
        if isinstance(value, dict):
            return {k: await walk(k, v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [await walk(None, v) for v in value]
        return value

    return {k: await walk(k, v) for k, v in (detail or {}).items()}


def _sealed_people(value: Any, found: set[int]) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _sealed_people(v, found)
    elif isinstance(value, list):
        for v in value:
            _sealed_people(v, found)
    elif isinstance(value, str) and value.startswith(SEALED):
        found.add(int(value[len(SEALED) :].split(":", 1)[0]))


async def readable_keys(details: Iterable[Any]) -> dict[int, bytes]:
    """The keys of the people named in these details that have not been forgotten."""
    found: set[int] = set()
    for detail in details:
        _sealed_people(detail, found)
    if not found:
        return {}
    rows = await PersonKey.select().where(PersonKey.person_id.is_in(sorted(found)))
    keys = {int(r["person_id"]): _unwrap(int(r["person_id"]), r["wrapped"]) for r in rows}
    return {pid: key for pid, key in keys.items() if key is not None}


def reveal(detail: Any, keys: dict[int, bytes]) -> Any:
    """The detail as an auditor sees it: decrypted where the person's key is still there."""
    if isinstance(detail, dict):
        return {k: reveal(v, keys) for k, v in detail.items()}
    if isinstance(detail, list):
        return [reveal(v, keys) for v in detail]
    if not isinstance(detail, str):
        return detail
    if detail.startswith(HASHED):
        return SHOWN_HASHED
    if detail.startswith(SEALED):
        pid_text, _, blob = detail[len(SEALED) :].partition(":")
        key = keys.get(int(pid_text))
        if key is None:
            return SHOWN_ERASED
        raw = base64.urlsafe_b64decode(blob)
        try:
            return json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], pid_text.encode()))
        except InvalidTag:
            return SHOWN_ERASED
    return detail


async def forget_person(person_id: int) -> None:
    """Destroy the person's key: their values in the audit log can no longer be read."""
    async with db.transaction():
        await PersonKey.delete().where(PersonKey.person_id == person_id)
