"""Gifts and SEPA mandates: valid IBANs only, failing collections noticed, donors known."""

from __future__ import annotations

from achterban.audit.tables import AuditEvent
from achterban.donations.rules import mask_iban
from tests.conftest import make_user, signed_in


async def _person(client, **fields):
    body = {"first_name": "Gever", "address": "Vismarkt 2, 9712 CB Groningen", **fields}
    return (await client.post("/api/people", json=body)).json()


def test_iban_is_masked_for_display():
    assert mask_iban("NL91ABNA0417164300") == "NL91 **** **** **** 4300"


async def test_one_off_gift_makes_a_donor(app, admin_client):
    person = await _person(admin_client)
    gift = await admin_client.post(
        f"/api/people/{person['id']}/donations", json={"amount_cents": 5000, "campaign": "winter"}
    )
    assert gift.status_code == 201
    assert "donor" in (await admin_client.get(f"/api/people/{person['id']}")).json()["roles"]
    negative = await admin_client.post(
        f"/api/people/{person['id']}/donations", json={"amount_cents": -5}
    )
    assert negative.status_code == 400 and negative.json()["errors"][0]["key"] == "amount_cents"


async def test_mandate_lifecycle_with_failures(app, admin_client):
    person = await _person(admin_client)
    bad = await admin_client.post(
        f"/api/people/{person['id']}/mandates",
        json={"iban": "NL91ABNA0417164301", "amount_cents": 1000, "frequency": "monthly"},
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["key"] == "iban"
    created = await admin_client.post(
        f"/api/people/{person['id']}/mandates",
        json={"iban": "nl91 abna 0417 1643 00", "amount_cents": 1000, "frequency": "monthly",
              "reference": f"REF-{person['id']}"},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    mandate = created.json()
    assert mandate["iban"] == "NL91ABNA0417164300" and mandate["status"] == "active"
    duplicate = await admin_client.post(
        f"/api/people/{person['id']}/mandates",
        json={"iban": "NL91ABNA0417164300", "amount_cents": 1000, "frequency": "monthly",
              "reference": f"REF-{person['id']}"},
    )  # fmt: skip
    assert duplicate.status_code == 409
    for _attempt in range(3):
        failed = await admin_client.post(f"/api/mandates/{mandate['id']}/failures")
    assert failed.json()["status"] == "failing" and failed.json()["failures"] == 3
    collected = await admin_client.post(f"/api/mandates/{mandate['id']}/collections", json={})
    assert collected.status_code == 201 and collected.json()["kind"] == "recurring"
    mandates = (await admin_client.get(f"/api/people/{person['id']}/mandates")).json()
    assert mandates[0]["status"] == "active" and mandates[0]["failures"] == 0
    cancelled = await admin_client.post(f"/api/mandates/{mandate['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    refused = await admin_client.post(f"/api/mandates/{mandate['id']}/collections", json={})
    assert refused.status_code == 409
    actions = {r["action"] for r in await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_id == str(person["id"]))}  # fmt: skip
    assert {"mandate.create", "mandate.failure", "mandate.collect", "mandate.cancel"} <= actions


async def test_gifts_of_people_outside_my_region_are_not_found(app, admin_client):
    person = await _person(admin_client)
    await admin_client.post(
        f"/api/people/{person['id']}/mandates",
        json={"iban": "NL91ABNA0417164300", "amount_cents": 1000, "frequency": "yearly"},
    )
    organiser = await make_user("regional_organiser", regions=["NL-DR"])
    async with signed_in(app, organiser) as client:
        assert (await client.get(f"/api/people/{person['id']}/mandates")).status_code == 404
        assert (await client.get(f"/api/people/{person['id']}/donations")).status_code == 404


async def test_a_refused_iban_says_why_in_the_readers_language(app, admin_client):
    person = await _person(admin_client)
    url = f"/api/people/{person['id']}/mandates"
    body = {"amount_cents": 1000, "frequency": "monthly"}
    typo = await admin_client.post(
        url, json={**body, "iban": "NL91ABNA0417164301"}, headers={"Accept-Language": "nl"}
    )
    assert typo.status_code == 400
    assert typo.json()["detail"] == (
        "Dit IBAN wordt geweigerd: de controlecijfers kloppen niet, misschien een tikfout."
    )
    short = await admin_client.post(
        url, json={**body, "iban": "NL61ABNA041716"}, headers={"Accept-Language": "en"}
    )
    assert short.json()["detail"] == (
        "This IBAN is refused: its length or characters do not fit its country."
    )
    spaced = await admin_client.post(
        url, json={**body, "iban": "NL91ABNA0417164300", "reference": "MY REF 1"}
    )
    assert spaced.status_code == 400 and spaced.json()["errors"][0]["key"] == "reference"


async def test_failures_reported_at_the_same_moment_are_all_counted(app, admin_client):
    import asyncio

    person = await _person(admin_client)
    mandate = (await admin_client.post(
        f"/api/people/{person['id']}/mandates",
        json={"iban": "NL91ABNA0417164300", "amount_cents": 1000, "frequency": "monthly"},
    )).json()  # fmt: skip
    responses = await asyncio.gather(
        *(admin_client.post(f"/api/mandates/{mandate['id']}/failures") for _ in range(3))
    )
    assert [r.status_code for r in responses] == [201, 201, 201]
    mandates = (await admin_client.get(f"/api/people/{person['id']}/mandates")).json()
    assert (mandates[0]["failures"], mandates[0]["status"]) == (3, "failing")
