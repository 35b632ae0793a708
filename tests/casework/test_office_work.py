"""A whole office works its cases: triage by those who hold it, assigning to colleagues,
the constituent of a case, consent before a referral, a log that says who did what."""

from __future__ import annotations

import uuid

import pytest

from achterban.audit.tables import AuditEvent
from achterban.casework.tables import Case
from achterban.districts import loaders
from achterban.districts import service as districts
from tests.casework.test_casework import _office, _shared_zip
from tests.conftest import make_user, signed_in


@pytest.fixture(scope="module")
async def office(app):
    await loaders.load_nl_pc4()
    await loaders.load_us_zccd()
    await loaders.load_us_legislators()
    a, b = await _office("NL-GM-groningen"), await _office("NL-GM-assen")
    people = {
        "lead_a": await make_user("caseworker", office_id=a, name="Anouk Lead"),
        "mate_a": await make_user("caseworker", office_id=a, name="Bram Collega"),
        "worker_b": await make_user("caseworker", office_id=b, name="Cor Assen"),
        "rep_b": await make_user("representative", office_id=b, name="Dina Raad"),
    }
    loaders.invalidate()
    return {"a": a, "b": b, **people}


async def _case(admin_client, **fields) -> dict:
    body = {"subject": "Stoep", "description": "Losse tegels bij de school", "topic": "roads",
            "address": "Vismarkt 2, 9712 CB Groningen", **fields}  # fmt: skip
    created = await admin_client.post("/api/cases", json=body)
    assert created.status_code == 201, created.text
    return created.json()


async def _at(case: dict, office_id: int) -> dict:
    """The case in a given office's queue (routing itself is tested elsewhere; other test
    modules staff offices of the same districts)."""
    await Case.update({Case.office: office_id, Case.status: "triaged"}).where(Case.id == case["id"])
    return {**case, "office_id": office_id}


async def _reads(action: str, object_id: int) -> list[dict]:
    return await AuditEvent.select().where(
        (AuditEvent.action == action) & (AuditEvent.object_id == str(object_id))
    )


async def test_an_organiser_triages_on_routing_only_and_then_loses_sight(app, office, admin_client):
    organiser = await make_user("organiser")
    # a US district office, staffed, among the candidates of an ambiguous ZIP code
    address = f"12 Elm St, Brooklyn, NY {_shared_zip('NY')}"
    resolution = await districts.resolve(address)
    target = resolution.candidates[0].representatives[0].office_ids[0]
    await make_user("caseworker", office_id=target)
    case = await _case(admin_client, address=address, topic="environment",
                       subject="Overstroming", description="Medisch: astma",
                       name="Res Ident")  # fmt: skip
    assert case["status"] == "new" and case["routing"]["code"] == "ambiguous"
    assert case["routing"]["count"] == len(case["candidates"]) >= 2  # districts, not offices
    async with signed_in(app, organiser) as client:
        seen = (await client.get(f"/api/cases/{case['id']}")).json()
        assert seen["may_triage"] is True and seen["contents"] is False
        assert (seen["subject"], seen["description"], seen["address"]) == ("", "", "")
        assert seen["person_id"] is None and seen["sensitive"] is None
        assert {e["kind"] for e in seen["events"]} == {"routing"}
        assert any(o["id"] == target and o["name"] for c in seen["candidates"]
                   for o in c["offices"])  # fmt: skip
        assert (await client.get(f"/api/cases/{case['id']}/constituent")).status_code == 404
        found = (await client.get("/api/cases", params={"q": "Overstroming"})).json()
        assert found["items"] == []  # searching contents is for the office itself
        picked = await client.post(f"/api/cases/{case['id']}/route", json={"office_id": target})
        assert picked.status_code == 200, picked.text
        assert picked.json()["status"] == "triaged"
        assert (await client.get(f"/api/cases/{case['id']}")).status_code == 404
    row = await Case.select().where(Case.id == case["id"]).first()
    assert row["office"] == target


async def test_a_representative_triages_the_cases_of_their_district(app, office, admin_client):
    address = f"7 Oak Ave, Brooklyn, NY {_shared_zip('NY')}"
    resolution = await districts.resolve(address)
    first, second = (c.representatives[0].office_ids[0] for c in resolution.candidates[:2])
    rep = await make_user("representative", office_id=first)
    await make_user("caseworker", office_id=second)
    case = await _case(admin_client, address=address, topic="environment", name="Ann Other")
    async with signed_in(app, rep) as client:
        triage = (await client.get("/api/cases", params={"view": "triage"})).json()
        assert case["id"] in [c["id"] for c in triage["items"]]
        assert (await client.get(f"/api/cases/{case['id']}")).json()["may_triage"] is True
        picked = await client.post(f"/api/cases/{case['id']}/route", json={"office_id": first})
        assert picked.status_code == 200 and picked.json()["contents"] is True
        assert picked.json()["routing"]["code"] == "picked"
        assert picked.json()["routing"]["office_id"] == first
    async with signed_in(app, office["rep_b"]) as elsewhere:  # Assen is no candidate
        other = await _case(admin_client, address=address, topic="environment", name="X Y")
        assert (await elsewhere.get(f"/api/cases/{other['id']}")).status_code == 404
        refused = await elsewhere.post(f"/api/cases/{other['id']}/route",
                                       json={"office_id": first})  # fmt: skip
        assert refused.status_code == 404


async def test_a_case_goes_to_a_colleague_and_the_inbox_shows_and_finds_it(
    app, office, admin_client
):
    surname = f"Zoeker{uuid.uuid4().hex[:5]}"
    case = await _at(await _case(admin_client, name=f"Jet {surname}"), office["a"])
    async with signed_in(app, office["lead_a"]) as client:
        colleagues = (await client.get("/api/cases/staff")).json()
        assert {"Anouk Lead", "Bram Collega"} <= {c["name"] for c in colleagues}
        assert "Cor Assen" not in {c["name"] for c in colleagues}
        outside = await client.post(f"/api/cases/{case['id']}/assign",
                                    json={"assignee_id": office["worker_b"].id})  # fmt: skip
        assert outside.status_code == 400
        assert outside.json()["errors"][0]["key"] == "assignee_id"
        given = await client.post(f"/api/cases/{case['id']}/assign",
                                  json={"assignee_id": office["mate_a"].id})  # fmt: skip
        assert given.status_code == 200, given.text
        detail = given.json()
        assert detail["status"] == "assigned" and detail["assignee_name"] == "Bram Collega"
        entry = detail["events"][-1]
        assert (entry["from_status"], entry["to_status"]) == ("triaged", "assigned")
        assert (entry["assignee_name"], entry["actor_name"]) == ("Bram Collega", "Anouk Lead")
        found = (await client.get("/api/cases", params={"q": surname})).json()["items"]
        assert [(c["id"], c["assignee_name"], c["constituent_name"]) for c in found] == [
            (case["id"], "Bram Collega", f"Jet {surname}")
        ]
        by_reference = (await client.get("/api/cases", params={"q": case["reference"]})).json()
        assert [c["id"] for c in by_reference["items"]] == [case["id"]]
        elsewhere = {"title": "Bellen", "assignee_id": office["worker_b"].id}
        task = await client.post(f"/api/cases/{case['id']}/tasks", json=elsewhere)
        assert task.status_code == 400 and task.json()["errors"][0]["key"] == "assignee_id"
        nobody = await client.post(f"/api/cases/{case['id']}/tasks",
                                   json={"title": "Bellen", "assignee_id": 987654})  # fmt: skip
        assert nobody.status_code == 400
    async with signed_in(app, office["worker_b"]) as other:
        assert (await other.get("/api/cases", params={"q": surname})).json()["items"] == []
        reassign = await other.post(f"/api/cases/{case['id']}/assign",
                                    json={"assignee_id": office["worker_b"].id})  # fmt: skip
        assert reassign.status_code == 404


async def test_office_staff_open_the_constituent_of_their_case_wherever_they_live(
    app, office, admin_client
):
    surname = f"Elders{uuid.uuid4().hex[:5]}"
    person = (await admin_client.post("/api/people", json={
        "first_name": "Lies", "last_name": surname, "emails": [f"{surname}@example.org"],
        "phones": ["+31612345678"], "address": "Vismarkt 2, 9712 CB Groningen",
    })).json()  # fmt: skip
    case = await _case(admin_client, person_id=person["id"], address="Markt 1, 9401 AA Assen")
    case = await _at(case, office["b"])
    async with signed_in(app, office["worker_b"]) as client:
        assert (await client.get(f"/api/people/{person['id']}")).status_code == 403
        before = len(await _reads("person.read", person["id"]))
        seen = await client.get(f"/api/cases/{case['id']}/constituent")
        assert seen.status_code == 200, seen.text
        body = seen.json()
        assert body["name"] == f"Lies {surname}" and body["emails"] == [
            f"{surname.lower()}@example.org"
        ]
        assert body["phones"] == ["+31612345678"] and "Vismarkt 2" in body["address"]
        assert [c["reference"] for c in body["cases"]] == [case["reference"]]
        reads = await _reads("person.read", person["id"])
        assert len(reads) == before + 1 and reads[-1]["actor_id"] == office["worker_b"].id
    for stranger in (office["lead_a"], await make_user("organiser")):
        async with signed_in(app, stranger) as client:
            assert (await client.get(f"/api/cases/{case['id']}/constituent")).status_code == 404


async def test_one_view_of_a_case_is_one_audited_read_and_groups_stay_in_the_office(
    app, office, admin_client
):
    subject = f"Windpark {uuid.uuid4().hex[:4]}"
    text = {"subject": subject, "description": "Geen windpark!", "topic": "environment"}
    ours = [await _at(await _case(admin_client, **text, name="A B"), office["a"]) for _ in "ab"]
    await _at(await _case(admin_client, **text, name="C D"), office["b"])
    async with signed_in(app, office["lead_a"]) as client:
        before = len(await _reads("case.read", ours[0]["id"]))
        detail = (await client.get(f"/api/cases/{ours[0]['id']}")).json()
        assert len(await _reads("case.read", ours[0]["id"])) == before + 1
        assert detail["group_size"] == 2  # the Assen office's identical message is not ours
        first = detail["events"][0]
        assert first["kind"] == "routing" and first["body"] == ""  # the sentence: record only
        assert first["routing"]["code"] in {"office_queue", "specialist", "several_offices"}
        if first["routing"]["office_id"] is not None:
            assert first["routing"]["office_name"].startswith("Fractie")
