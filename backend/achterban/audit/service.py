"""The audit log: append in the caller's transaction, page through it, verify the chain."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from achterban.audit import rules
from achterban.audit.schemas import AuditEvent as AuditEventOut
from achterban.audit.schemas import AuditPage, ChainCheck
from achterban.audit.tables import AuditEvent
from achterban.platform import db
from achterban.platform.auth import Actor

CHAIN_LOCK = 727_001  # pg_advisory_xact_lock key that serialises appends
VERIFY_BATCH = 5000


async def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int | None = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry; joins the caller's transaction so it commits with the change."""
    async with db.transaction():
        if db.is_postgres():
            await db.raw("SELECT pg_advisory_xact_lock({})", CHAIN_LOCK)
        last = (
            await AuditEvent.select(AuditEvent.hash)
            .order_by(AuditEvent.id, ascending=False)
            .first()
        )
        prev_hash = last["hash"] if last else rules.GENESIS
        row: dict[str, Any] = {
            "at": datetime.now(UTC),
            "actor_id": actor.user_id,
            "actor_label": actor.label,
            "action": action,
            "object_type": object_type,
            "object_id": "" if object_id is None else str(object_id),
            "ip": actor.ip,
            "detail": rules.canonical_detail(detail),
        }
        await AuditEvent.insert(
            AuditEvent(**row, prev_hash=prev_hash, hash=rules.row_hash(row, prev_hash))
        )


async def page(
    *,
    limit: int = 50,
    before_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
) -> AuditPage:
    query = AuditEvent.select().order_by(AuditEvent.id, ascending=False).limit(limit + 1)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    rows = await query
    items = [
        AuditEventOut(
            id=r["id"],
            at=r["at"],
            actor_id=r["actor_id"],
            actor_label=r["actor_label"],
            action=r["action"],
            object_type=r["object_type"],
            object_id=r["object_id"],
            ip=r["ip"],
            detail=json.loads(r["detail"] or "{}"),
        )
        for r in rows[:limit]
    ]
    return AuditPage(items=items, next_before_id=items[-1].id if len(rows) > limit else None)


async def verify_chain() -> ChainCheck:
    """Check every row in id order, in batches, from the first to the last."""
    report = rules.ChainReport(True, 0)
    after_id = 0
    while True:
        rows = (
            await AuditEvent.select()
            .where(AuditEvent.id > after_id)
            .order_by(AuditEvent.id)
            .limit(VERIFY_BATCH)
        )
        if not rows:
            break
        report = rules.verify(rows, report.last_hash, report.checked)
        if not report.ok:
            break
        after_id = rows[-1]["id"]
    return ChainCheck(
        ok=report.ok, checked=report.checked, first_bad_id=report.first_bad_id, reason=report.reason
    )
