from datetime import datetime
from typing import Any

import msgspec


class AuditEvent(msgspec.Struct, kw_only=True):
    id: int
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    ip: str | None
    detail: dict[str, Any]


class AuditPage(msgspec.Struct, kw_only=True):
    items: list[AuditEvent]
    next_before_id: int | None


class ChainCheck(msgspec.Struct, kw_only=True):
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str
