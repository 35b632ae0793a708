"""Staff keep one record per person: create, find, change, see their timeline; reads are audited."""

from __future__ import annotations

import json
import uuid

from achterban.audit.service import hash_term
from achterban.audit.tables import AuditEvent
from tests.conftest import make_user, signed_in


def _unique(prefix: str = "p") -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


async def _create(client, **fields):
    body = {"first_name": "Jan", "last_name": _unique("Jansen"), **fields}
    response = await client.post("/api/people", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_a_dutch_supporter_with_address_contacts_and_tags(app, admin_client):
    person = await _create(
        admin_client,
        first_name="Jan",
        infix="van der",
        last_name="Berg",
        emails=[" Jan.vd.Berg@Example.ORG "],
        phones=["06 12345678"],
        address="Kerkstraat 12-3, 9711 aa Groningen",
        tags=["Volunteer-Interest", "housing"],
        support_level=5,
        voted_for_us=True,
    )
    assert person["display_name"] == "Jan van der Berg"
    assert person["email"] == "jan.vd.berg@example.org"
    assert person["phone"] == "+31612345678"
    address = person["address"]
    assert (address["street"], address["house_number"], address["house_number_addition"]) == (
        "Kerkstraat", "12", "3",
    )  # fmt: skip
    assert address["postcode"] == "9711 AA" and address["status"] == "ok"
    assert address["raw"] == "Kerkstraat 12-3, 9711 aa Groningen"
    assert person["region"] == "NL-GR"
    assert person["tags"] == ["housing", "volunteer-interest"]
    assert "loyal_voter" in person["roles"]
    assert person["household_id"] is not None


async def test_an_address_that_cannot_be_parsed_is_kept_and_flagged(app, admin_client):
    person = await _create(admin_client, address="behind the old mill, past the church")
    assert person["address"]["raw"] == "behind the old mill, past the church"
    assert person["address"]["status"] == "review"
    listed = (await admin_client.get("/api/people", params={"address_status": "review"})).json()
    assert person["id"] in [p["id"] for p in listed["items"]]


async def test_bad_e_mail_is_refused_naming_the_field(app, admin_client):
    response = await admin_client.post(
        "/api/people", json={"first_name": "X", "emails": ["not-an-address"]}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["key"] == "emails"


async def test_support_level_out_of_range_is_refused(app, admin_client):
    response = await admin_client.post("/api/people", json={"first_name": "X", "support_level": 9})
    assert response.status_code == 400
    assert response.json()["errors"][0]["key"] == "support_level"


async def test_search_by_tag_postcode_name_and_email_with_total(app, admin_client):
    tag = _unique("tag")
    last = _unique("Zwart")
    a = await _create(admin_client, last_name=last, tags=[tag], address="Markt 1, 9401 AA Assen")
    b = await _create(admin_client, tags=[tag], address="Vismarkt 2, 9712 CB Groningen")
    await _create(admin_client, address="Vismarkt 3, 9712 CB Groningen")
    page = (await admin_client.get("/api/people", params={"tag": tag, "limit": 1})).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    both = (await admin_client.get("/api/people", params={"tag": tag, "postcode": "9712"})).json()
    assert [p["id"] for p in both["items"]] == [b["id"]]
    by_name = (await admin_client.get("/api/people", params={"q": last.lower()})).json()
    assert [p["id"] for p in by_name["items"]] == [a["id"]]
    email = _unique("e") + "@example.org"
    c = await _create(admin_client, emails=[email])
    by_email = (await admin_client.get("/api/people", params={"q": email.upper()})).json()
    assert [p["id"] for p in by_email["items"]] == [c["id"]]


async def test_update_keeps_raw_and_rebuilds_household(app, admin_client):
    person = await _create(admin_client, address="Markt 1, 9401 AA Assen")
    response = await admin_client.patch(
        f"/api/people/{person['id']}",
        json={"address": "Grote Markt 5, 9711 LV Groningen", "tags": ["moved"]},
    )
    assert response.status_code == 200
    changed = response.json()
    assert changed["address"]["postcode"] == "9711 LV" and changed["region"] == "NL-GR"
    assert changed["household_id"] != person["household_id"]
    assert changed["tags"] == ["moved"]


async def test_people_at_one_address_share_a_household(app, admin_client):
    address = f"Dorpsstraat {uuid.uuid4().int % 900 + 10}, 9401 AA Assen"
    a = await _create(admin_client, first_name="Anna", last_name="de Vries", address=address)
    b = await _create(admin_client, first_name="Bert", last_name="de Vries", address=address)
    assert a["household_id"] == b["household_id"]
    household = (await admin_client.get(f"/api/households/{a['household_id']}")).json()
    assert {m["id"] for m in household["members"]} == {a["id"], b["id"]}
    assert household["salutation"].startswith("Fam.")


async def test_reading_a_person_is_audited(app, admin_client, admin):
    person = await _create(admin_client)
    await admin_client.get(f"/api/people/{person['id']}")
    reads = await AuditEvent.select().where(
        (AuditEvent.action == "person.read") & (AuditEvent.object_id == str(person["id"]))
    )
    assert len(reads) == 1 and reads[0]["actor_id"] == admin.id


async def test_interactions_appear_on_the_timeline_and_set_last_contact(app, admin_client, admin):
    person = await _create(admin_client)
    added = await admin_client.post(
        f"/api/people/{person['id']}/interactions",
        json={"channel": "phone", "direction": "out", "subject": "Thank-you call",
              "notes": "Asked about the town hall", "value_adding": True},
    )  # fmt: skip
    assert added.status_code == 201
    timeline = (await admin_client.get(f"/api/people/{person['id']}/timeline")).json()
    assert timeline[0]["kind"] == "interaction" and "Thank-you call" in timeline[0]["summary"]
    assert timeline[0]["detail"]["by"] == admin.name  # who made the contact
    assert timeline[0]["detail"]["notes"] == "Asked about the town hall"
    again = (await admin_client.get(f"/api/people/{person['id']}")).json()
    assert again["last_contact_at"] is not None


async def test_regional_organiser_sees_only_their_region(app, admin_client):
    tag = _unique("scope")
    inside = await _create(admin_client, tags=[tag], address="Vismarkt 2, 9712 CB Groningen")
    outside = await _create(admin_client, tags=[tag], address="Markt 1, 9401 AA Assen")
    organiser = await make_user("regional_organiser", regions=["NL-GR"])
    async with signed_in(app, organiser) as client:
        page = (await client.get("/api/people", params={"tag": tag})).json()
        assert [p["id"] for p in page["items"]] == [inside["id"]] and page["total"] == 1
        assert (await client.get(f"/api/people/{outside['id']}")).status_code == 404
        assert (await client.get(f"/api/people/{inside['id']}")).status_code == 200
        patch = await client.patch(f"/api/people/{outside['id']}", json={"tags": ["x"]})
        assert patch.status_code == 404
        moved_out = await client.post(
            "/api/people", json={"first_name": "X", "address": "Markt 1, 9401 AA Assen"}
        )
        assert moved_out.status_code == 403


async def test_caseworkers_and_volunteers_cannot_browse_people(app, admin_client):
    person = await _create(admin_client)
    for role in ("volunteer", "caseworker"):
        async with signed_in(app, await make_user(role, office_id=1)) as client:
            assert (await client.get(f"/api/people/{person['id']}")).status_code in (403, 404)


async def test_the_timeline_shows_cases_to_those_who_may_read_them(app, admin_client):
    from datetime import UTC, datetime

    from achterban.casework.tables import Case

    person = await _create(admin_client, address="Vismarkt 2, 9712 CB Groningen")
    now = datetime.now(UTC)
    reference = _unique("T-")
    await Case(
        reference=reference, person=person["id"], topic="housing", subject="Leaking roof",
        created_at=now, updated_at=now,
    ).save()  # fmt: skip
    timeline = (await admin_client.get(f"/api/people/{person['id']}/timeline")).json()
    assert [e["summary"] for e in timeline if e["kind"] == "case"] == [
        f"{reference}: Leaking roof (new)"
    ]
    organiser = await make_user("regional_organiser", regions=["NL-GR"])
    async with signed_in(app, organiser) as client:  # no cases.read
        response = await client.get(f"/api/people/{person['id']}/timeline")
    assert response.status_code == 200
    assert [e["kind"] for e in response.json()] == []


async def test_searching_and_reading_gifts_and_consent_are_audited(app, admin_client, admin):
    person = await _create(admin_client, last_name=_unique("Audit"))
    listed = await admin_client.get("/api/people", params={"q": person["last_name"]})
    assert listed.json()["total"] == 1
    searches = (
        await AuditEvent.select()
        .where((AuditEvent.action == "person.search") & (AuditEvent.actor_id == admin.id))
        .output(load_json=True)
    )
    details = [json.loads(s["detail"]) if isinstance(s["detail"], str) else s["detail"]
               for s in searches]  # fmt: skip
    # the search term is kept as a keyed hash: it can be matched, not read
    assert {"filters": {"q": hash_term(person["last_name"]), "sort": hash_term("relevance")},
            "total": 1, "shown": 1, "offset": 0} in details  # fmt: skip
    for view in ("mandates", "donations", "memberships", "consent"):
        response = await admin_client.get(f"/api/people/{person['id']}/{view}")
        assert response.status_code == 200
    reads = (
        await AuditEvent.select()
        .where((AuditEvent.action == "person.read") & (AuditEvent.object_id == str(person["id"])))
        .output(load_json=True)
    )
    views = {(json.loads(r["detail"]) if isinstance(r["detail"], str) else r["detail"])["view"]
             for r in reads}  # fmt: skip
    assert views == {"mandates", "donations", "memberships", "consent"}
