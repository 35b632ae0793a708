"""Personal values in the audit log cannot be read from the table, and erasure ends them."""

from __future__ import annotations

import base64
import uuid

from achterban.audit import personal, service
from achterban.audit.tables import AuditEvent, PersonKey
from achterban.platform import db
from achterban.platform.auth import Actor

STAFF = Actor(11, "personal-test", "admin", frozenset({"*"}), ip="10.6.6.6")


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


async def _stored(action: str) -> str:
    row = (
        await AuditEvent.select()
        .where(AuditEvent.action == action)
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    return str(row["detail"])


async def _shown(client, action: str) -> dict:
    page = (await client.get("/api/audit", params={"action": action, "limit": 1})).json()
    return page["items"][0]["detail"]


async def test_a_search_term_is_stored_as_a_keyed_hash_and_shown_as_hashed(app, admin_client):
    name = _unique("Quoblin")
    assert (await admin_client.get("/api/people", params={"q": name})).status_code == 200
    stored = await _stored("person.search")
    assert name not in stored and name.lower() not in stored
    assert service.hash_term(name) in stored  # an auditor can match it without reading it
    assert (await _shown(admin_client, "person.search"))["filters"]["q"] == "[hashed]"


async def test_a_filename_and_an_email_filter_are_hashed_by_record_itself(app):
    email, filename = _unique("zyx.") + "@example.org", _unique("members-") + ".csv"
    await service.record(STAFF, "person.export", "person", "", {"filter": {"email": email}})
    await service.record(STAFF, "import.start", "import", "k1", {"filename": filename})
    exported, imported = await _stored("person.export"), await _stored("import.start")
    assert email not in exported and service.hash_term(email) in exported
    assert filename not in imported and service.hash_term(filename) in imported


async def test_a_persons_fields_are_readable_until_the_person_is_forgotten(app, admin_client):
    person_id = 8_000_000 + uuid.uuid4().int % 1_000_000
    phone, street = "+3161" + str(uuid.uuid4().int % 10**7).zfill(7), _unique("Kerkstraat ")
    await service.record(
        STAFF, "person.update", "person", person_id,
        {"fields": {"phone": phone, "street": street}, "via": "test"},
    )  # fmt: skip
    stored = await _stored("person.update")
    assert phone not in stored and street not in stored and '"via":"test"' in stored
    shown = await _shown(admin_client, "person.update")
    assert shown == {"fields": {"phone": phone, "street": street}, "via": "test"}

    await service.forget_person(person_id)

    assert not await PersonKey.exists().where(PersonKey.person_id == person_id)
    shown = await _shown(admin_client, "person.update")
    assert shown == {"fields": {"phone": "[erased]", "street": "[erased]"}, "via": "test"}
    assert await _stored("person.update") == stored  # the entry itself is untouched
    assert (await service.verify_chain()).ok  # and the chain still holds


async def test_a_table_dump_holds_no_person_key_in_clear(app):
    """The keys are wrapped with the audit key, which the database does not hold."""
    person_id = 9_000_000 + uuid.uuid4().int % 1_000_000
    await service.record(STAFF, "person.update", "person", person_id, {"fields": ["email"]})
    row = await PersonKey.select().where(PersonKey.person_id == person_id).first()
    raw = base64.urlsafe_b64decode(row["wrapped"])
    assert len(raw) == 12 + 32 + 16  # nonce, wrapped key, tag
    assert personal._unwrap(person_id + 1, row["wrapped"]) is None  # bound to the person


async def test_an_update_through_the_api_keeps_the_changed_fields_readable_to_auditors(
    app, admin_client
):
    created = await admin_client.post(
        "/api/people", json={"first_name": "Wim", "last_name": _unique("Kok"), "source": "manual"}
    )
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]
    changed = await admin_client.patch(f"/api/people/{person_id}", json={"first_name": "Willem"})
    assert changed.status_code == 200, changed.text
    assert (await _shown(admin_client, "person.update"))["fields"] == ["first_name"]
    await service.forget_person(person_id)
    assert (await _shown(admin_client, "person.update"))["fields"] == ["[erased]"]
    rows = await db.raw("SELECT detail FROM audit_event WHERE object_id = {}", str(person_id))
    assert all("first_name" not in r["detail"] for r in rows)
