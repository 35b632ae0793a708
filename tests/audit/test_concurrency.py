"""Audited writers do not wait for each other, and every committed entry is in the chain."""

from __future__ import annotations

import asyncio

import pytest

from achterban.audit import service
from achterban.audit.tables import AuditEvent, AuditSeal
from achterban.platform import db
from achterban.platform.auth import Actor

pg_only = pytest.mark.skipif(
    not db.is_postgres(), reason="SQLite runs one writer at a time by design"
)


def _actor(i: int) -> Actor:
    return Actor(i, f"concurrent{i}", "admin", frozenset({"*"}), ip="10.8.8.8")


async def _write_in_own_transaction(i: int, n: int) -> None:
    for k in range(n):
        async with db.transaction():
            await service.record(_actor(i), "person.read", "person", i * 1000 + k, {"view": "c"})


async def test_many_concurrent_writers_end_in_one_verified_chain(app):
    before = await AuditEvent.count()
    await asyncio.gather(*(_write_in_own_transaction(i, 25) for i in range(2000, 2008)))
    assert await AuditEvent.count() == before + 200
    report = await service.verify_chain()
    assert report.ok, report.reason
    assert report.checked == await AuditEvent.count() == await AuditSeal.count()


@pg_only
async def test_a_writer_commits_while_another_audited_transaction_is_still_open(app):
    """The old design held one lock from the first audited write until commit."""
    opened, release = asyncio.Event(), asyncio.Event()

    async def slow() -> None:
        async with db.transaction():
            await service.record(_actor(1), "person.read", "person", 1, {"view": "slow"})
            opened.set()
            await release.wait()

    slow_task = asyncio.create_task(slow())
    await opened.wait()
    try:
        await asyncio.wait_for(_write_in_own_transaction(2, 1), timeout=10)
    finally:
        release.set()
        await slow_task
    assert (await service.verify_chain()).ok


@pg_only
async def test_an_entry_whose_transaction_commits_late_is_sealed_after_later_ids(app):
    opened, release = asyncio.Event(), asyncio.Event()

    async def late() -> None:
        async with db.transaction():
            await service.record(_actor(3), "person.read", "person", 3, {"view": "late"})
            opened.set()
            await release.wait()

    late_task = asyncio.create_task(late())
    await opened.wait()
    await _write_in_own_transaction(4, 1)  # a higher id, committed and sealed first
    await service.seal()
    early = await AuditEvent.select().order_by(AuditEvent.id, ascending=False).first()
    assert await AuditSeal.exists().where(AuditSeal.event_id == early["id"])
    release.set()
    await late_task
    await service.seal()
    late_row = await AuditEvent.select().where(AuditEvent.detail.like('%"late"%')).first()
    seals = {
        s["event_id"]: s["seq"]
        for s in await AuditSeal.select().where(
            AuditSeal.event_id.is_in([early["id"], late_row["id"]])
        )
    }
    assert late_row["id"] < early["id"] and seals[late_row["id"]] > seals[early["id"]]
    assert (await service.verify_chain()).ok


@pg_only
async def test_a_bad_entry_among_concurrent_lone_entries_fails_alone(app):
    """Lone entries share INSERTs; one that the database refuses takes no other with it."""
    before = await AuditEvent.count()
    too_long = Actor(3999, "x" * 300, "admin", frozenset({"*"}), ip="10.8.8.8")  # label: 254
    waves = []
    for wave in range(3):
        good = [
            service.record(_actor(i), "person.read", "person", i, {"view": f"lone{wave}"})
            for i in range(3000, 3020)
        ]
        bad = service.record(too_long, "person.read", "person", 1)
        waves.append(asyncio.gather(*good[:10], bad, *good[10:], return_exceptions=True))
    results = [r for wave in await asyncio.gather(*waves) for r in wave]
    failed = [r for r in results if isinstance(r, Exception)]
    assert len(failed) == 3 and all("too long" in str(r) for r in failed)
    assert await AuditEvent.count() == before + 60
    assert not await AuditEvent.exists().where(AuditEvent.actor_label == "x" * 300)
    report = await service.verify_chain()
    assert report.ok, report.reason
