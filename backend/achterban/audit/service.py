"""The audit log: append in the caller's transaction, page through it, verify the chain.

Appending is one INSERT and never waits on other writers; the keyed chain is made by
the sealer (``chain.py``) after commit. Personal values in the detail are hashed or
encrypted per person on the way in (``personal.py``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from achterban.audit import batch, chain, contract, personal
from achterban.audit.personal import ForPerson, Hashed, hash_term
from achterban.audit.schemas import AuditEvent as AuditEventOut
from achterban.audit.schemas import AuditPage, ChainCheck
from achterban.audit.tables import AuditEvent
from achterban.platform import db
from achterban.platform.auth import Actor

__all__ = ["ForPerson", "Hashed", "forget_person", "hash_term", "page", "record", "seal"]


def _person_of(object_type: str, object_id: str) -> int | None:
    return int(object_id) if object_type == "person" and object_id.isdigit() else None


async def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int | None = "",
    detail: dict[str, Any] | None = None,
    *,
    person_id: int | None = None,
) -> None:
    """Append one entry; joins the caller's transaction so it commits with the change.

    Values under personal keys (``q``, ``filters``, ``filename``, ``fields``, ``email``…,
    see ``personal.py``) are stored hashed, or encrypted with the key of ``person_id``
    (the entry's person when it is about one); wrap a value in ``Hashed``/``ForPerson``
    to choose yourself.
    """
    contract.note(action)
    object_id = "" if object_id is None else str(object_id)
    person = person_id or _person_of(object_type, object_id)
    engine = db.get_engine()  # looked up once: this is the hottest path in the app
    postgres = engine.engine_type == "postgres"
    if personal.needs_person_key(detail, person) or engine.current_transaction.get() is not None:
        async with db.transaction():
            stored = await personal.protect(detail, person)
            await _insert(engine, postgres, actor, action, object_type, object_id, stored)
            db.after_commit(chain.seal_soon_async if postgres else chain.seal_now)
        return
    # one statement is its own transaction: no BEGIN/COMMIT round trips for a lone entry
    stored = await personal.protect(detail, person)
    await _insert(engine, postgres, actor, action, object_type, object_id, stored)
    if postgres:
        chain.seal_soon()
    else:
        await chain.seal()


def nothing_shown() -> None:
    """A call of a route that declares personal data which, this time, touched nobody's
    (an answer to an empty group, an import of no valid rows): no entry is owed."""
    contract.note(contract.NOTHING)


INSERT = (
    "INSERT INTO audit_event (at, actor_id, actor_label, action, object_type, object_id, ip,"
    " detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', '')"
)


async def _insert(
    engine: Any, postgres: bool, actor: Actor, action: str, object_type: str, object_id: str,
    stored: dict[str, Any],
) -> None:  # fmt: skip
    values = (
        datetime.now(UTC), actor.user_id, actor.label, action, object_type, object_id,
        actor.ip, json.dumps(stored, sort_keys=True, separators=(",", ":"), default=str),
    )  # fmt: skip
    if postgres:  # straight on asyncpg: Piccolo's query building costs more than the insert
        current = engine.current_transaction.get()
        if current is not None:
            await current.connection.execute(INSERT, *values)
        else:
            await batch.write(engine.pool, values)  # concurrent lone entries share a trip
        return
    names = ("at", "actor_id", "actor_label", "action", "object_type", "object_id", "ip", "detail")
    row: dict[str, Any] = dict(zip(names, values, strict=True))
    await AuditEvent.insert(AuditEvent(**row, prev_hash="", hash=""))


async def about_person(person_id: int) -> list[dict[str, Any]]:
    """Who read or changed a person's record, and when (the subject-access export's part)."""
    rows = await AuditEvent.select(
        AuditEvent.at, AuditEvent.actor_label, AuditEvent.action, AuditEvent.detail
    ).where((AuditEvent.object_type == "person") & (AuditEvent.object_id == str(person_id)))
    return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]


async def forget_person(person_id: int) -> None:
    """Erasure: destroy the person's key, so their values in the log read as "[erased]"."""
    await personal.forget_person(person_id)


async def seal() -> int:
    return await chain.seal()


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
    details = [json.loads(r["detail"] or "{}") for r in rows[:limit]]
    keys = await personal.readable_keys(details)
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
            detail=personal.reveal(detail, keys),
        )
        for r, detail in zip(rows[:limit], details, strict=True)
    ]
    return AuditPage(items=items, next_before_id=items[-1].id if len(rows) > limit else None)


async def read_page(actor: Actor, **filters: Any) -> AuditPage:
    """The page an auditor asked for; reading the log is itself recorded."""
    result = await page(**filters)
    shown = {k: v for k, v in filters.items() if v is not None and k != "limit"}
    await record(actor, "audit.read", "audit", "", {"asked": shown, "shown": len(result.items)})
    return result


def _check(report: Any) -> ChainCheck:
    return ChainCheck(
        ok=report.ok, checked=report.checked, first_bad_id=report.first_bad_id, reason=report.reason
    )


async def verify_chain(checkpoint: Path | None = None) -> ChainCheck:
    """Seal what is waiting, then check the whole chain (and its head against a checkpoint)."""
    return _check(await chain.verify(chain.Head.read(checkpoint) if checkpoint else None))


async def write_checkpoint(path: Path | None = None) -> tuple[Path, chain.Head]:
    """Write the chain's head to ``path`` (outside the database), for ``verify --checkpoint``."""
    target = path or chain.default_checkpoint_path()
    head = await chain.head()
    head.write(target)
    return target, head
