"""The keyed audit chain, without I/O.

Seal ``seq`` covers one event's fields, the event's id, its own ``seq`` and the hash of
seal ``seq - 1``, as an HMAC-SHA-256 with the audit key. The database never holds that
key, so someone who can write the tables cannot recompute a chain that verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = ("at", "actor_id", "actor_label", "action", "object_type", "object_id", "ip")


def canonical_detail(detail: Mapping[str, Any] | None) -> str:
    return json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), default=str)


def _stamp(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    return str(value)


def _payload(event: Mapping[str, Any], seq: int, prev_hash: str) -> dict[str, Any]:
    payload: dict[str, Any] = {name: event.get(name) for name in HASHED_FIELDS}
    payload["at"] = _stamp(event["at"])
    payload["detail"] = event.get("detail") or "{}"
    payload["event"] = int(event["id"])
    payload["seq"] = seq
    payload["prev"] = prev_hash
    return payload


_SORTED = tuple(sorted((*HASHED_FIELDS, "detail", "event", "seq", "prev")))
_PREFIXES = tuple(("{" if i == 0 else ",") + f'"{name}":' for i, name in enumerate(_SORTED))
_quote = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str


def canonical_payload(event: Mapping[str, Any], seq: int, prev_hash: str) -> str:
    """What a seal's HMAC covers: the payload as compact JSON with its keys sorted.

    Built directly for str, int and None values (the sealer's hot path), the same text
    ``json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)`` gives;
    any other value goes through json.dumps itself.
    """
    payload = _payload(event, seq, prev_hash)
    parts = []
    for prefix, name in zip(_PREFIXES, _SORTED, strict=True):
        value = payload[name]
        kind = type(value)
        if kind is str:
            parts.append(prefix + _quote(value))
        elif kind is int:
            parts.append(prefix + int.__repr__(value))
        elif value is None:
            parts.append(prefix + "null")
        else:
            return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return "".join(parts) + "}"


def seal_hash(key: bytes, event: Mapping[str, Any], seq: int, prev_hash: str) -> str:
    encoded = canonical_payload(event, seq, prev_hash)
    return hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    last_hash: str = GENESIS


def verify(
    key: bytes,
    seals: Iterable[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
    prev_hash: str = GENESIS,
    checked: int = 0,
) -> ChainReport:
    """Walk (seal, event) pairs in ``seq`` order; report the first entry that is wrong.

    ``checked`` seals came before; the next one must be ``checked + 1``.
    """
    for seal, event in seals:
        event_id = int(seal["event_id"])
        if seal["seq"] != checked + 1 or seal["prev_hash"] != prev_hash:
            return ChainReport(
                False, checked, event_id, "the entry before it was removed or changed"
            )
        if event is None:
            return ChainReport(False, checked, event_id, "the entry was removed")
        if not hmac.compare_digest(seal_hash(key, event, seal["seq"], prev_hash), seal["hash"]):
            return ChainReport(
                False, checked, event_id, "the entry was changed after it was written"
            )
        prev_hash = seal["hash"]
        checked += 1
    return ChainReport(True, checked, last_hash=prev_hash)


def seal_rows(
    key: bytes, events: Iterable[Mapping[str, Any]], head_seq: int, head_hash: str
) -> list[dict[str, Any]]:
    """The seals for ``events`` (in the order given), continuing the chain from its head."""
    out = []
    for event in events:
        head_seq += 1
        sealed = seal_hash(key, event, head_seq, head_hash)
        out.append(
            {"seq": head_seq, "event_id": int(event["id"]), "prev_hash": head_hash, "hash": sealed}
        )
        head_hash = sealed
    return out
