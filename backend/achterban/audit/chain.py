"""Sealing the audit log into one keyed chain, checking it, and checkpoints of its head.

Writers insert events and never wait for each other: a trigger queues each new event in
``audit_pending``. A sealer takes the queued events in id order under a short lock (on
PostgreSQL an advisory lock only sealers take; SQLite writes one at a time anyway) and
appends their seals to ``audit_seal`` with the next ``seq``. An event whose transaction
commits late is sealed when it becomes visible, after events with higher ids: the chain's
order is the seal order. The sealer runs after every audited commit, as a cron job and
before every check, so a committed event cannot stay outside the chain.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from achterban.audit import rules
from achterban.audit.tables import AuditEvent, AuditPending, AuditSeal
from achterban.platform import db
from achterban.settings import get_settings

log = logging.getLogger(__name__)

SEAL_LOCK = 727_002  # pg_advisory_xact_lock key taken by sealers only, never by writers
SEAL_BATCH = 2000
SEAL_DELAY = 0.2  # seconds a background seal waits, so that it seals many entries at once
BUSY_RETRIES = 40  # then another process's sealer or the cron will take what is queued
VERIFY_BATCH = 5000


def _key() -> bytes:
    return get_settings().audit_key.encode()


async def _head() -> tuple[int, str]:
    last = (
        await AuditSeal.select(AuditSeal.seq, AuditSeal.hash)
        .order_by(AuditSeal.seq, ascending=False)
        .first()
    )
    return (int(last["seq"]), last["hash"]) if last else (0, rules.GENESIS)


async def _seal_batch(limit: int, wait: bool) -> int | None:
    """Seal up to ``limit`` queued events; None when another sealer holds the lock."""
    async with db.transaction():
        if db.is_postgres():
            if wait:
                await db.raw("SELECT pg_advisory_xact_lock({})", SEAL_LOCK)
            else:
                got = await db.raw("SELECT pg_try_advisory_xact_lock({}) AS got", SEAL_LOCK)
                if not got[0]["got"]:
                    return None
        if db.is_postgres():
            return await _seal_pg(limit)
        pending = (
            await AuditPending.select(AuditPending.event_id)
            .order_by(AuditPending.event_id)
            .limit(limit)
        )
        if not pending:
            return 0
        ids = [int(p["event_id"]) for p in pending]
        events = await AuditEvent.select().where(AuditEvent.id.is_in(ids)).order_by(AuditEvent.id)
        seq, head = await _head()
        seals = rules.seal_rows(_key(), events, seq, head)
        if seals:
            await AuditSeal.insert(*(AuditSeal(**s) for s in seals))
        # an id queued without an event (deleted by someone bypassing the triggers) stays
        # out of the chain; the check reports the sealed neighbours, not this queue
        await AuditPending.delete().where(AuditPending.event_id.is_in(ids))
        return len(pending)


# The queue's oldest ids, taken off it in the statement that reads their events. The
# events are found one by one through their primary key (LATERAL): a join the planner
# may turn into a scan of the whole log, which grows with every entry, on each batch.
# An id whose event is gone (deleted by someone bypassing the triggers) comes back with
# no event; it is dropped from the queue and stays out of the chain.
TAKE_PENDING = (
    "WITH taken AS (DELETE FROM audit_pending WHERE event_id = ANY(ARRAY("
    "SELECT event_id FROM audit_pending ORDER BY event_id LIMIT $1)) RETURNING event_id)"
    " SELECT t.event_id AS queued, e.* FROM taken t"
    " LEFT JOIN LATERAL (SELECT * FROM audit_event WHERE id = t.event_id) e ON true"
    " ORDER BY t.event_id"
)
INSERT_SEALS = (
    "INSERT INTO audit_seal (seq, event_id, prev_hash, hash, sealed_at)"
    " SELECT s, e, p, h, now() FROM unnest($1::bigint[], $2::bigint[], $3::text[],"
    " $4::text[]) AS r(s, e, p, h)"
)


async def _seal_pg(limit: int) -> int:
    """The same on PostgreSQL: take and read the queue in one statement, then one insert."""
    taken = await db.pg_fetch(TAKE_PENDING, limit)
    if not taken:
        return 0
    events = [e for e in taken if e["id"] is not None]
    if events:
        seq, head = await _head()
        seals = rules.seal_rows(_key(), events, seq, head)
        await db.pg_execute(
            INSERT_SEALS,
            [x["seq"] for x in seals], [x["event_id"] for x in seals],
            [x["prev_hash"] for x in seals], [x["hash"] for x in seals],
        )  # fmt: skip
    return len(taken)


async def seal(limit: int = SEAL_BATCH, *, wait: bool = True) -> int:
    """Seal every committed event that is not in the chain yet; return how many.

    ``wait=False`` gives up (returning what it sealed) when another sealer is at work.
    """
    total = 0
    while True:
        done = await _seal_batch(limit, wait)
        if done is None:
            raise SealerBusy(total)
        total += done
        if done < limit:
            return total


class SealerBusy(Exception):
    """Another sealer holds the lock; what was queued stays queued for it or the next."""


async def seal_soon_async() -> None:
    """``seal_soon`` as an after-commit callback."""
    seal_soon()


async def seal_now() -> None:
    """``seal`` as an after-commit callback (SQLite)."""
    await seal()


_task: asyncio.Task[None] | None = None
_again = False


async def _seal_in_background() -> None:
    global _again
    busy = 0
    while True:
        _again = False
        await asyncio.sleep(SEAL_DELAY)  # let the commits of the next moments join the batch
        try:
            await seal(wait=False)
        except SealerBusy:
            busy += 1
            if busy < BUSY_RETRIES:
                _again = True
        except Exception:  # the entries stay queued; the next seal (or the cron) takes them
            log.warning("audit sealing deferred", exc_info=True)
            return
        if not _again:
            return


def seal_soon() -> None:
    """After a commit on PostgreSQL: start sealing here without waiting for it.

    One sealer at a time per process; commits that land while it runs make it go round
    again, so it seals them in batches. It never waits on another process's sealer (it
    retries, then leaves the queue to the cron). SQLite writes one at a time, so there the
    writer seals right after its commit instead.
    """
    global _task, _again
    loop = asyncio.get_running_loop()
    if _task is not None and not _task.done() and _task.get_loop() is loop:
        _again = True
        return
    _task = loop.create_task(_seal_in_background())


async def drain() -> None:
    """Wait for the sealer started here (before stopping the database)."""
    task = _task
    if task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop():
        await task


@dataclass(frozen=True, slots=True)
class Head:
    """The chain's head, written outside the database by ``achterban audit checkpoint``."""

    seq: int
    event_id: int | None
    hash: str
    count: int
    at: str

    @classmethod
    def read(cls, path: Path) -> Head:
        data = json.loads(path.read_text())
        return cls(
            seq=int(data["seq"]), event_id=data.get("event_id"), hash=str(data["hash"]),
            count=int(data["count"]), at=str(data.get("at", "")),
        )  # fmt: skip

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n")
        tmp.replace(path)


def default_checkpoint_path() -> Path:
    return get_settings().var_dir / "audit-checkpoint.json"


async def head() -> Head:
    """Seal what is waiting, then describe the head of the chain."""
    await seal()
    last = await AuditSeal.select().order_by(AuditSeal.seq, ascending=False).first()
    if last is None:
        return Head(0, None, rules.GENESIS, 0, datetime.now(UTC).isoformat())
    return Head(
        seq=int(last["seq"]), event_id=int(last["event_id"]), hash=last["hash"],
        count=int(last["seq"]), at=datetime.now(UTC).isoformat(),
    )  # fmt: skip


async def verify(checkpoint: Head | None = None) -> rules.ChainReport:
    """Seal what is waiting, then check every seal in order, every event, and the head."""
    await seal()
    key = _key()
    report = rules.ChainReport(True, 0)
    at_checkpoint: str | None = None
    while True:
        seals = (
            await AuditSeal.select()
            .where(AuditSeal.seq > report.checked)
            .order_by(AuditSeal.seq)
            .limit(VERIFY_BATCH)
        )
        if not seals:
            break
        ids = [int(s["event_id"]) for s in seals]
        events = {
            int(e["id"]): e for e in await AuditEvent.select().where(AuditEvent.id.is_in(ids))
        }
        report = rules.verify(key, ((s, events.get(int(s["event_id"]))) for s in seals),
                              report.last_hash, report.checked)  # fmt: skip
        if checkpoint is not None and at_checkpoint is None:
            at_checkpoint = next((s["hash"] for s in seals if s["seq"] == checkpoint.seq), None)
        if not report.ok:
            return report
    outside = await db.raw(
        "SELECT e.id FROM audit_event e"
        " WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.event_id = e.id)"
        " AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.event_id = e.id)"
        " ORDER BY e.id LIMIT 1"
    )
    if outside:
        return rules.ChainReport(
            False, report.checked, int(outside[0]["id"]), "the entry is missing from the chain"
        )
    if checkpoint is not None and checkpoint.seq > 0:
        if report.checked < checkpoint.seq:
            return rules.ChainReport(
                False, report.checked, checkpoint.event_id,
                f"the newest entries were removed: the chain has {report.checked}, "
                f"the checkpoint of {checkpoint.at} had {checkpoint.count}",
            )  # fmt: skip
        if at_checkpoint != checkpoint.hash:
            return rules.ChainReport(
                False, report.checked, checkpoint.event_id,
                f"the chain no longer reaches the checkpoint of {checkpoint.at}",
            )  # fmt: skip
    return report


def describe(report: rules.ChainReport) -> dict[str, Any]:
    return {"ok": report.ok, "checked": report.checked, "first_bad_id": report.first_bad_id,
            "reason": report.reason}  # fmt: skip
