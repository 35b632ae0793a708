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


async def _seal_batch(limit: int) -> int:
    async with db.transaction():
        if db.is_postgres():
            await db.raw("SELECT pg_advisory_xact_lock({})", SEAL_LOCK)
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


async def seal(limit: int = SEAL_BATCH) -> int:
    """Seal every committed event that is not in the chain yet; return how many."""
    total = 0
    while True:
        done = await _seal_batch(limit)
        total += done
        if done < limit:
            return total


_busy = False
_again = False


async def seal_soon() -> None:
    """After a commit: seal now, or let the sealer already running here go round again."""
    global _busy, _again
    if _busy:
        _again = True
        return
    _busy = True
    try:
        while True:
            _again = False
            await seal()
            if not _again:
                return
    finally:
        _busy = False


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
