"""Someone with write access to the database tries to rewrite the audit log unnoticed.

Each attack is committed for real (bypassing the append-only triggers, as the owner or a
superuser could), ``achterban audit verify`` is run against it, and the log is restored.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from achterban.audit import rules, service
from achterban.audit.tables import AuditEvent, AuditSeal
from achterban.platform import db
from achterban.platform.auth import Actor
from tests.audit.tampering import audit_cli, bypassing_triggers, checkpoint, restore, snapshot

WRITER = Actor(7, "tamper-test", "admin", frozenset({"*"}), ip="10.7.7.7")


async def _entries(n: int) -> None:
    for i in range(n):
        await service.record(WRITER, "person.read", "person", 900_000 + i, {"view": "tamper"})
    await service.seal()


async def _events_by_seq() -> list[dict]:
    seals = await AuditSeal.select().order_by(AuditSeal.seq)
    events = {e["id"]: e for e in await AuditEvent.select()}
    return [dict(events[s["event_id"]], seq=s["seq"]) for s in seals]


async def test_an_intact_log_verifies_with_and_without_a_checkpoint(app, test_env, tmp_dir):
    await _entries(3)
    path = tmp_dir / f"cp-{uuid.uuid4().hex[:6]}.json"
    await checkpoint(test_env, path)
    head = json.loads(path.read_text())
    assert head["count"] == head["seq"] == await AuditSeal.count() > 0
    plain = await audit_cli(test_env, "verify")
    against = await audit_cli(test_env, "verify", "--checkpoint", str(path))
    assert plain.returncode == 0 and "intact" in plain.stdout, plain.stderr
    assert against.returncode == 0 and "reaches the checkpoint" in against.stdout, against.stderr


async def test_an_edited_entry_makes_verify_fail(app, test_env):
    await _entries(3)
    victim = (await _events_by_seq())[-2]["id"]
    saved = await snapshot()
    try:
        async with bypassing_triggers():
            await db.raw(
                "UPDATE audit_event SET actor_label = 'someone else' WHERE id = {}", victim
            )
        report = await service.verify_chain()
        result = await audit_cli(test_env, "verify")
    finally:
        await restore(saved)
    assert report.ok is False and report.first_bad_id == victim and "changed" in report.reason
    assert result.returncode == 1 and f"BROKEN at entry {victim}" in result.stderr
    assert (await service.verify_chain()).ok


async def _rewrite_chain(digest) -> None:
    """Replace every seal with one computed by ``digest`` (the attacker has no key)."""
    events = await _events_by_seq()
    async with bypassing_triggers():
        await db.raw("DELETE FROM audit_seal")
        prev = rules.GENESIS
        for seq, event in enumerate(events, start=1):
            forged = digest(event, seq, prev)
            await db.raw(
                "INSERT INTO audit_seal (seq, event_id, prev_hash, hash, sealed_at) "
                "VALUES ({}, {}, {}, {}, CURRENT_TIMESTAMP)",
                seq, event["id"], prev, forged,
            )  # fmt: skip
            prev = forged


def _plain_sha256(event, seq, prev):
    payload = {name: event.get(name) for name in rules.HASHED_FIELDS}
    payload.update(at=rules._stamp(event["at"]), detail=event["detail"], event=event["id"],
                   seq=seq, prev=prev)  # fmt: skip
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _wrong_key(event, seq, prev):
    return rules.seal_hash(b"a key guessed by the attacker", event, seq, prev)


async def test_a_chain_rewritten_without_the_key_makes_verify_fail(app, test_env):
    await _entries(3)
    for digest in (_plain_sha256, _wrong_key):
        saved = await snapshot()
        try:
            async with bypassing_triggers():  # and they change what an entry says
                await db.raw("UPDATE audit_event SET object_id = 'forged' WHERE id = "
                             "(SELECT MAX(id) FROM audit_event)")  # fmt: skip
            await _rewrite_chain(digest)
            report = await service.verify_chain()
            result = await audit_cli(test_env, "verify")
        finally:
            await restore(saved)
        assert report.ok is False and "changed" in report.reason, digest.__name__
        assert result.returncode == 1 and "BROKEN" in result.stderr, digest.__name__
    assert (await service.verify_chain()).ok


async def test_removing_the_newest_entries_is_caught_by_the_checkpoint(app, test_env, tmp_dir):
    await _entries(25)
    path = tmp_dir / f"cp-{uuid.uuid4().hex[:6]}.json"
    await checkpoint(test_env, path)
    newest = [e["id"] for e in (await _events_by_seq())[-20:]]
    saved = await snapshot()
    try:
        async with bypassing_triggers():
            ids = ", ".join(str(i) for i in newest)
            await db.raw(f"DELETE FROM audit_seal WHERE event_id IN ({ids})")
            await db.raw(f"DELETE FROM audit_event WHERE id IN ({ids})")
        without = await audit_cli(test_env, "verify")
        against = await audit_cli(test_env, "verify", "--checkpoint", str(path))
    finally:
        await restore(saved)
    # what is left is a valid chain; only the head kept outside the database shows the loss
    assert without.returncode == 0, without.stderr
    assert against.returncode == 1, against.stdout
    assert "newest entries were removed" in against.stderr, against.stderr


async def test_a_head_rewritten_after_the_checkpoint_is_caught(app, test_env, tmp_dir):
    """Remove the newest entries and write as many new ones: the count is right, the head not."""
    await _entries(3)
    path = tmp_dir / f"cp-{uuid.uuid4().hex[:6]}.json"
    await checkpoint(test_env, path)
    last = (await _events_by_seq())[-1]
    saved = await snapshot()
    try:
        async with bypassing_triggers():
            await db.raw("DELETE FROM audit_seal WHERE seq = {}", last["seq"])
            await db.raw("DELETE FROM audit_event WHERE id = {}", last["id"])
        await service.record(WRITER, "person.read", "person", 1, {"view": "replacement"})
        against = await audit_cli(test_env, "verify", "--checkpoint", str(path))
    finally:
        await restore(saved)
    assert against.returncode == 1, against.stdout
    assert "no longer reaches the checkpoint" in against.stderr, against.stderr


async def test_an_entry_removed_from_the_middle_is_detected(app):
    await _entries(3)
    middle = (await _events_by_seq())[-2]
    saved = await snapshot()
    try:
        async with bypassing_triggers():
            await db.raw("DELETE FROM audit_event WHERE id = {}", middle["id"])
        gone_event = await service.verify_chain()
        async with bypassing_triggers():
            await db.raw("DELETE FROM audit_seal WHERE seq = {}", middle["seq"])
        gone_both = await service.verify_chain()
    finally:
        await restore(saved)
    assert gone_event.ok is False and gone_event.first_bad_id == middle["id"]
    assert "removed" in gone_event.reason
    assert gone_both.ok is False and "removed" in gone_both.reason


async def test_an_entry_kept_out_of_the_seal_queue_is_reported(app):
    """Deleting an entry's place in the queue does not let it stay outside the chain."""
    saved = await snapshot()
    try:
        async with db.transaction():
            await service.record(WRITER, "person.read", "person", 5, {"view": "hidden"})
            row = (
                await AuditEvent.select(AuditEvent.id)
                .order_by(AuditEvent.id, ascending=False)
                .first()
            )
            await db.raw("DELETE FROM audit_pending WHERE event_id = {}", row["id"])
        report = await service.verify_chain()
    finally:
        await restore(saved)
    assert report.ok is False and report.first_bad_id == row["id"]
    assert "missing from the chain" in report.reason
