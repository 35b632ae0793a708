"""A look at a person is one audited read; a merged-away record leads to the one it became."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from achterban.audit.tables import AuditEvent
from achterban.casework.tables import Case
from tests.conftest import make_user, signed_in


async def _create(client, **fields):
    body = {"first_name": "Els", "last_name": f"Overzicht{uuid.uuid4().hex[:8]}", **fields}
    response = await client.post("/api/people", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _audit_rows(person_id: int) -> list[dict]:
    rows = await AuditEvent.select().where(
        (AuditEvent.object_type == "person") & (AuditEvent.object_id == str(person_id))
    )

    def detail(value):
        return json.loads(value) if isinstance(value, str) else value

    return [{**r, "detail": detail(r["detail"])} for r in rows]


async def _case_reads(case_id: int) -> int:
    return await AuditEvent.count().where(
        (AuditEvent.action == "case.read") & (AuditEvent.object_id == str(case_id))
    )


async def test_one_view_of_a_person_is_one_audited_read_holding_everything(app, admin_client):
    person = await _create(
        admin_client, emails=["els@example.org"], address="Vismarkt 2, 9712 CB Groningen"
    )
    pid = person["id"]
    await admin_client.post(
        f"/api/people/{pid}/interactions",
        json={"channel": "phone", "direction": "out", "subject": "Thank-you call"},
    )
    await admin_client.post(f"/api/people/{pid}/donations", json={"amount_cents": 25000})
    await admin_client.post(f"/api/people/{pid}/memberships", json={"branch": "Groningen"})
    await admin_client.post(
        f"/api/people/{pid}/consent",
        json={"purpose": "newsletter", "channel": "email", "status": "granted"},
    )
    now = datetime.now(UTC)
    case = Case(
        reference=f"O-{uuid.uuid4().hex[:6]}", person=pid, topic="housing",
        subject="Leaking roof", created_at=now, updated_at=now,
    )  # fmt: skip
    await case.save()
    before = await _audit_rows(pid)
    case_reads_before = await _case_reads(case.id)

    response = await admin_client.get(f"/api/people/{pid}/overview")
    assert response.status_code == 200, response.text
    view = response.json()

    new = [r for r in await _audit_rows(pid) if r["id"] not in {b["id"] for b in before}]
    assert [(r["action"], r["detail"]["view"]) for r in new] == [("person.read", "overview")]
    assert new[0]["detail"]["cases"] == [case.id]  # the case shown is named in the one row
    assert await _case_reads(case.id) == case_reads_before  # and not written again per case

    assert view["person"]["id"] == pid and view["person"]["emails"] == ["els@example.org"]
    assert [m["branch"] for m in view["memberships"]] == ["Groningen"]
    assert [d["amount_cents"] for d in view["donations"]] == [25000]
    assert view["mandates"] == []
    granted = [s for s in view["consent"]["states"] if s["status"] == "granted"]
    assert [(s["purpose"], s["channel"]) for s in granted] == [("newsletter", "email")]
    assert pid in [m["id"] for m in view["household"]["members"]]
    assert view["counts"] == {
        "interactions": 1, "donations": 1, "mandates": 0, "memberships": 1,
        "consent_records": 1, "cases": 1,
    }  # fmt: skip
    by_kind = {e["kind"]: e for e in view["timeline"]}
    # the facts come as fields, for the reader's language; not an English sentence only
    assert (by_kind["interaction"]["channel"], by_kind["interaction"]["direction"]) == (
        "phone", "out",
    )  # fmt: skip
    gift = by_kind["donation"]
    assert (gift["amount_cents"], gift["currency"], gift["gift_kind"]) == (25000, "EUR", "one_off")
    consent = by_kind["consent"]
    assert (consent["purpose"], consent["channel"], consent["status"]) == (
        "newsletter", "email", "granted",
    )  # fmt: skip
    assert by_kind["membership"]["branch"] == "Groningen"
    assert (by_kind["case"]["topic"], by_kind["case"]["status"]) == ("housing", "new")


async def test_a_person_outside_the_readers_region_is_404_with_no_data_and_no_read(
    app, admin_client
):
    outside = await _create(admin_client, address="Markt 1, 9401 AA Assen")
    organiser = await make_user("regional_organiser", regions=["NL-GR"])
    before = len(await _audit_rows(outside["id"]))
    async with signed_in(app, organiser) as client:
        response = await client.get(f"/api/people/{outside['id']}/overview")
        counts = await client.get(f"/api/people/{outside['id']}/counts")
    assert response.status_code == 404 and counts.status_code == 404
    assert outside["last_name"] not in response.text and "Assen" not in response.text
    assert "person" not in response.json() and "timeline" not in response.json()
    assert len(await _audit_rows(outside["id"])) == before  # nothing was read


async def test_the_overview_needs_people_read(app, admin_client, anon):
    person = await _create(admin_client)
    assert (await anon.get(f"/api/people/{person['id']}/overview")).status_code == 401
    async with signed_in(app, await make_user("volunteer")) as client:
        response = await client.get(f"/api/people/{person['id']}/overview")
    assert response.status_code in (403, 404) and person["last_name"] not in response.text


async def test_a_merged_away_record_answers_with_the_survivor(app, admin_client):
    keep = await _create(admin_client, address="Vismarkt 2, 9712 CB Groningen")
    gone = await _create(admin_client, address="Vismarkt 2, 9712 CB Groningen")
    await admin_client.post(
        f"/api/people/{gone['id']}/interactions",
        json={"channel": "email", "direction": "in", "subject": "Question"},
    )
    counts = (await admin_client.get(f"/api/people/{gone['id']}/counts")).json()
    assert counts["interactions"] == 1 and counts["donations"] == 0
    merged = await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": keep["id"], "merged_id": gone["id"]}
    )
    assert merged.status_code == 204
    for path in (f"/api/people/{gone['id']}", f"/api/people/{gone['id']}/overview"):
        response = await admin_client.get(path, headers={"Accept-Language": "nl"})
        assert response.status_code == 404
        problem = response.json()
        assert problem["type"] == "urn:achterban:problem:merged"
        assert problem["merged_into"] == keep["id"]
        assert problem["detail"] == "Deze persoon is samengevoegd met een ander record."
    survivor = (await admin_client.get(f"/api/people/{keep['id']}/overview")).json()
    assert survivor["counts"]["interactions"] == 1


async def test_a_merge_into_someone_out_of_scope_does_not_tell_where(app, admin_client):
    keep = await _create(admin_client, address="Markt 1, 9401 AA Assen")
    gone = await _create(admin_client, address="Vismarkt 2, 9712 CB Groningen")
    await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": keep["id"], "merged_id": gone["id"]}
    )
    organiser = await make_user("regional_organiser", regions=["NL-GR"])
    async with signed_in(app, organiser) as client:
        response = await client.get(f"/api/people/{gone['id']}/overview")
    assert response.status_code == 404 and "merged_into" not in response.json()
