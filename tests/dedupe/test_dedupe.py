"""Duplicates are found with reasons, "not a duplicate" sticks, a merge keeps everything."""

from __future__ import annotations

import uuid

from achterban.dedupe.rules import score
from tests.conftest import run_jobs


def test_evidence_adds_up():
    assert score(["same e-mail address"]) == 0.9
    assert score(["same e-mail address", "same phone number"]) == 0.97
    assert score([]) == 0.0


async def _person(client, **fields):
    response = await client.post("/api/people", json={"first_name": "Dubbel", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def _pairs(client):
    await run_jobs()  # the scan that changes to people asked for
    page = (await client.get("/api/dedupe/candidates", params={"limit": 500})).json()
    assert page["scanning"] is False and page["scanned_at"] is not None
    return {(c["a"]["id"], c["b"]["id"]): c for c in page["items"]}


async def test_candidates_by_email_and_by_name_and_address(app, admin_client):
    email = f"d.{uuid.uuid4().hex[:6]}@example.org"
    last = f"Dup{uuid.uuid4().hex[:6]}"
    a = await _person(admin_client, last_name=last, emails=[email])
    b = await _person(admin_client, last_name="Other", emails=[email.upper()])
    c = await _person(admin_client, last_name=last, address="Markt 7, 9401 AA Assen")
    d = await _person(admin_client, last_name=last, address="Markt 7, 9401 AA Assen")
    pairs = await _pairs(admin_client)
    assert pairs[(a["id"], b["id"])]["reasons"] == ["same e-mail address"]
    assert "same name and address" in pairs[(c["id"], d["id"])]["reasons"]
    assert (a["id"], c["id"]) not in pairs

    response = await admin_client.post(
        "/api/dedupe/not-duplicate", json={"a": d["id"], "b": c["id"]}
    )
    assert response.status_code == 204
    assert (c["id"], d["id"]) not in await _pairs(admin_client)


async def test_merge_keeps_every_record_and_the_merged_id_is_gone(app, admin_client):
    email = f"m.{uuid.uuid4().hex[:6]}@example.org"
    keep = await _person(admin_client, last_name="Keep", emails=[email], tags=["a"])
    gone = await _person(
        admin_client, last_name="Gone", emails=[email], phones=["0687654321"], tags=["a", "b"],
        address="Vismarkt 4, 9712 CB Groningen", support_level=5,
    )  # fmt: skip
    await admin_client.post(
        f"/api/people/{gone['id']}/interactions",
        json={"channel": "phone", "direction": "in", "subject": "Call"},
    )
    await admin_client.post(f"/api/people/{gone['id']}/donations", json={"amount_cents": 1500})
    await admin_client.post(f"/api/people/{gone['id']}/memberships", json={"branch": "Groningen"})
    await admin_client.post(
        f"/api/people/{gone['id']}/consent",
        json={"purpose": "newsletter", "channel": "post", "status": "granted"},
    )
    response = await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": keep["id"], "merged_id": gone["id"]}
    )
    assert response.status_code == 204
    assert (await admin_client.get(f"/api/people/{gone['id']}")).status_code == 404
    person = (await admin_client.get(f"/api/people/{keep['id']}")).json()
    assert person["last_name"] == "Keep" and person["address"]["postcode"] == "9712 CB"
    assert person["emails"] == [email] and person["phones"] == ["+31687654321"]
    assert person["tags"] == ["a", "b"] and person["support_level"] == 5
    assert {"member", "donor"} <= set(person["roles"])
    kinds = [
        e["kind"] for e in (await admin_client.get(f"/api/people/{keep['id']}/timeline")).json()
    ]
    assert sorted(set(kinds)) == ["consent", "donation", "interaction", "membership"]


async def test_a_person_cannot_be_merged_with_themselves(app, admin_client):
    p = await _person(admin_client)
    response = await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": p["id"], "merged_id": p["id"]}
    )
    assert response.status_code == 400


async def test_the_list_is_worked_out_by_a_job_and_a_merge_shows_at_once(app, admin_client):
    email = f"s.{uuid.uuid4().hex[:6]}@example.org"
    a = await _person(admin_client, last_name="Scan", emails=[email])
    b = await _person(admin_client, last_name="Scan", emails=[email])
    waiting = (await admin_client.get("/api/dedupe/candidates", params={"limit": 500})).json()
    assert waiting["scanning"] is True  # asked for by the new people; no worker ran yet
    assert (a["id"], b["id"]) in await _pairs(admin_client)

    await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": a["id"], "merged_id": b["id"]}
    )
    page = (await admin_client.get("/api/dedupe/candidates", params={"limit": 500})).json()
    assert (a["id"], b["id"]) not in {(c["a"]["id"], c["b"]["id"]) for c in page["items"]}

    started = await admin_client.post("/api/dedupe/scan")
    assert started.status_code == 202 and started.json()["job_key"].startswith("dedupe_scan:")
    await run_jobs()
    assert (a["id"], b["id"]) not in await _pairs(admin_client)


async def test_merge_moves_cases_and_the_merged_record_keeps_only_the_pointer(app, admin_client):
    from achterban.households.tables import Household
    from achterban.people.tables import Person

    email = f"c.{uuid.uuid4().hex[:6]}@example.org"
    street = f"Dubbelstraat{uuid.uuid4().hex[:4]}"
    number = int(uuid.uuid4().int % 90000) + 10000  # an address key nobody else has
    keep = await _person(admin_client, last_name="Kept", emails=[email])
    gone = await _person(
        admin_client, last_name=f"Gone{uuid.uuid4().hex[:4]}", emails=[email],
        phones=["0611112222"], address=f"{street} {number}, 9712 CB Groningen",
    )  # fmt: skip
    for person in (keep, gone):
        response = await admin_client.post("/api/cases", json={
            "subject": f"Case of {person['last_name']}", "description": "a matter",
            "topic": "housing", "address": "Vismarkt 2, 9712 CB Groningen",
            "person_id": person["id"],
        })  # fmt: skip
        assert response.status_code == 201, response.text
    merged = await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": keep["id"], "merged_id": gone["id"]}
    )
    assert merged.status_code == 204
    export = (await admin_client.get(f"/api/people/{keep['id']}/subject-access")).json()
    assert sorted(c["subject"] for c in export["cases"]) == sorted(
        [f"Case of {keep['last_name']}", f"Case of {gone['last_name']}"]
    )
    survivor = (await admin_client.get(f"/api/people/{keep['id']}")).json()
    assert survivor["address"]["street"] == street and "+31611112222" in survivor["phones"]
    row = await Person.select().where(Person.id == gone["id"]).first()
    assert row["merged_into"] == keep["id"]
    assert (row["first_name"], row["last_name"], row["email"], row["phone"], row["street"],
            row["address_raw"], row["sort_name"]) == ("", "", None, None, "", "", "")  # fmt: skip
    # the household moved with the address to the survivor, named after them now
    household = await Household.select().where(Household.id == survivor["household_id"]).first()
    assert household["family_name"] == "Kept"
