"""The audit log records who did what, cannot be changed, and shows when it was."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from achterban.audit import chain, service
from achterban.audit.tables import AuditEvent, AuditSeal
from achterban.platform import db
from achterban.platform.auth import Actor
from tests.conftest import client_for, make_user, signed_in


async def test_sign_in_and_user_changes_are_recorded_with_who_and_where(app, admin_client, admin):
    created = await admin_client.post(
        "/api/users",
        json={"email": "audited@test.achterban.example", "name": "Audited", "role": "volunteer",
              "password": "x" * 12},
    )  # fmt: skip
    user_id = created.json()["id"]
    page = (await admin_client.get("/api/audit", params={"actor_id": admin.id})).json()
    actions = [(e["action"], e["object_id"]) for e in page["items"]]
    assert ("user.create", str(user_id)) in actions
    assert ("auth.login", str(admin.id)) in actions
    entry = next(e for e in page["items"] if e["action"] == "user.create")
    assert entry["actor_label"] == admin.email
    assert entry["ip"] and entry["ip"].startswith("10.")
    # a staff member's e-mail address is not a person's record: kept as a keyed hash
    assert entry["detail"] == {"email": "[hashed]", "role": "volunteer"}


async def test_failed_sign_in_is_recorded(app, admin):
    async with client_for(app, ip="10.9.9.9") as client:
        await client.post("/api/auth/login", json={"email": admin.email, "password": "nope nope"})
    rows = await AuditEvent.select().where(
        (AuditEvent.action == "auth.login_failed") & (AuditEvent.ip == "10.9.9.9")
    )
    assert len(rows) == 1 and rows[0]["actor_label"] == admin.email


async def test_admin_pages_through_the_log(app, admin_client):
    first = (await admin_client.get("/api/audit", params={"limit": 2})).json()
    assert len(first["items"]) == 2 and first["next_before_id"] == first["items"][-1]["id"]
    second = (
        await admin_client.get(
            "/api/audit", params={"limit": 2, "before_id": first["next_before_id"]}
        )
    ).json()
    assert all(e["id"] < first["items"][-1]["id"] for e in second["items"])


async def test_others_cannot_read_the_log(app):
    async with signed_in(app, await make_user("organiser")) as client:
        assert (await client.get("/api/audit")).status_code == 403


async def test_the_application_cannot_change_or_delete_entries(app, admin):
    target = await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id).first()
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.update({AuditEvent.action: "forged"}).where(AuditEvent.id == target["id"])
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.delete().where(AuditEvent.id == target["id"])
    if db.is_postgres():
        with pytest.raises(Exception, match="append-only"):
            await db.raw("TRUNCATE audit_event")
    await service.seal()
    seal = await AuditSeal.select(AuditSeal.seq).order_by(AuditSeal.seq).first()
    with pytest.raises(Exception, match="append-only"):
        await AuditSeal.update({AuditSeal.hash: "0" * 64}).where(AuditSeal.seq == seal["seq"])
    with pytest.raises(Exception, match="append-only"):
        await AuditSeal.delete().where(AuditSeal.seq == seal["seq"])
    if db.is_postgres():
        with pytest.raises(Exception, match="append-only"):
            await db.raw("TRUNCATE audit_seal")
    assert await AuditEvent.exists().where(AuditEvent.id == target["id"])
    assert (await service.verify_chain()).ok


async def test_concurrent_writers_keep_one_unbroken_chain(app):
    actors = [Actor(i, f"writer{i}", "admin", frozenset({"*"})) for i in range(1000, 1020)]
    await asyncio.gather(*(service.record(a, "person.read", "person", a.user_id) for a in actors))
    assert (
        len(
            await AuditEvent.select().where(
                (AuditEvent.action == "person.read") & (AuditEvent.actor_label.like("writer%"))
            )
        )
        >= 20
    )
    assert (await service.verify_chain()).ok
    assert await AuditSeal.count() == await AuditEvent.count()


async def test_reading_the_log_is_itself_audited(app, admin_client, admin):
    await admin_client.get("/api/audit", params={"action": "auth.login", "limit": 3})
    reads = await AuditEvent.select().where(
        (AuditEvent.action == "audit.read") & (AuditEvent.actor_id == admin.id)
    )
    assert len(reads) == 1
    assert json.loads(reads[0]["detail"]) == {"asked": {"action": "auth.login"}, "shown": 3}


async def test_audit_verify_command(app, test_env, admin):
    await chain.drain()  # the subprocess must not wait for this process's sealer
    result = subprocess.run(
        [sys.executable, "-m", "achterban.cli", "audit", "verify"],
        env=test_env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Audit chain intact" in result.stdout


async def test_verify_is_available_to_auditors_in_the_api(app, admin_client):
    body = (await admin_client.get("/api/audit/verify")).json()
    assert body["ok"] is True and body["checked"] > 0
