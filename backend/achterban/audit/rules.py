"""The audit hash chain, without I/O: each row's hash covers its fields and the hash before it."""

from __future__ import annotations

import hashlib
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
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    return str(value)


def row_hash(row: Mapping[str, Any], prev_hash: str) -> str:
    payload = {name: row.get(name) for name in HASHED_FIELDS}
    payload["at"] = _stamp(row["at"])
    payload["detail"] = row.get("detail") or "{}"
    payload["prev"] = prev_hash
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    last_hash: str = GENESIS


def verify(
    rows: Iterable[Mapping[str, Any]], prev_hash: str = GENESIS, checked: int = 0
) -> ChainReport:
    """Walk rows in id order; report the first row that was edited or whose predecessor is gone."""
    for row in rows:
        if row["prev_hash"] != prev_hash:
            return ChainReport(
                False, checked, row["id"], "the row before it was removed or changed"
            )
        if row_hash(row, prev_hash) != row["hash"]:
            return ChainReport(
                False, checked, row["id"], "the row was changed after it was written"
            )
        prev_hash = row["hash"]
        checked += 1
    return ChainReport(True, checked, last_hash=prev_hash)
