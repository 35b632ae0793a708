"""An admin sets up a council office for a Dutch municipality through the API: the office,
its representative, a caseworker with a topic; a constituent's case then lands there. An
office with open cases is not deactivated before they are moved or closed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from achterban.audit.tables import AuditEvent
from achterban.casework.tables import Case
from achterban.districts import loaders
from achterban.districts.tables import Representative
from tests.conftest import client_for, make_user, signed_in

ALMERE = "Stadhuisplein 1, 1315 HR Almere"


@pytest.fixture(scope="module")
async def maps(app):
    await loaders.load_nl_pc4()


def _case(**fields):
    return {
        "name": "Petra Plein", "email": "petra.plein@example.org", "subject": "Huurverhoging",
        "description": "Mijn huur stijgt met 20%", "topic": "housing", "address": ALMERE,
        "follow_up_consent": True, **fields,
    }  # fmt: skip


async def _council_office(admin_client, town: str = "Almere") -> dict:
    found = await admin_client.get("/api/jurisdictions", params={"q": town, "kind": "municipality"})
    assert found.status_code == 200, found.text
    area = next(j for j in found.json() if j["name"] == town)
    created = await admin_client.post("/api/offices", json={
        "name": f"Fractie {town}", "jurisdiction": area["code"], "party": "Achterban",
        "representative": f"Fractie {town}", "address": ALMERE, "kind": "municipal",
    })  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()


async def test_a_council_office_set_up_by_an_admin_receives_its_municipalitys_cases(
    app, maps, admin_client
):
    office = await _council_office(admin_client)
    assert office["jurisdiction_name"] == "Almere" and office["active"] is True
    listed = (await admin_client.get("/api/offices")).json()
    assert office["id"] in [o["id"] for o in listed]  # listed before it has staff
    worker = await admin_client.post("/api/users", json={
        "email": "wonen.almere@test.achterban.example", "name": "Wim Wonen", "role": "caseworker",
        "office_id": office["id"], "password": "a password for wim",
    })  # fmt: skip
    assert worker.status_code == 201, worker.text
    topic = await admin_client.post(
        f"/api/offices/{office['id']}/topics",
        json={"user_id": worker.json()["id"], "topic": "housing"},
    )
    assert topic.status_code == 200, topic.text
    async with client_for(app) as anon:
        receipt = await anon.post("/api/public/cases", json=_case())
    assert receipt.status_code == 202, receipt.text
    case = await Case.select().where(Case.reference == receipt.json()["reference"]).first()
    assert (case["office"], case["assignee_id"]) == (office["id"], worker.json()["id"])
    entry = (
        await AuditEvent.select(AuditEvent.detail)
        .where((AuditEvent.action == "office.create") & (AuditEvent.object_id == str(office["id"])))
        .first()
    )
    assert json.loads(entry["detail"])["after"]["jurisdiction"] == office["district"]


async def test_an_office_with_open_cases_is_not_deactivated_until_they_are_closed(
    app, maps, admin_client
):
    office = await _council_office(admin_client, "Dronten")
    worker = await make_user("caseworker", office_id=office["id"])
    async with client_for(app) as anon:
        receipt = await anon.post("/api/public/cases", json=_case(email="ander@example.org"))
    reference = receipt.json()["reference"]
    case = await Case.select().where(Case.reference == reference).first()
    await Case.update({Case.office: office["id"], Case.status: "assigned",
                       Case.assignee_id: worker.id}).where(Case.id == case["id"])  # fmt: skip
    refused = await admin_client.patch(f"/api/offices/{office['id']}", json={"active": False})
    assert refused.status_code == 409
    assert reference in refused.json()["open_cases"]
    await Case.update({Case.status: "closed"}).where(Case.id == case["id"])
    done = await admin_client.patch(
        f"/api/offices/{office['id']}", json={"active": False, "phone": "036 123 4567"}
    )
    assert done.status_code == 200, done.text
    assert done.json()["active"] is False and done.json()["phone"] == "036 123 4567"
    entry = (
        await AuditEvent.select(AuditEvent.detail)
        .where((AuditEvent.action == "office.update") & (AuditEvent.object_id == str(office["id"])))
        .first()
    )
    assert json.loads(entry["detail"])["active"] == {"before": True, "after": False}


async def test_bad_office_input_gets_field_errors_and_only_admins_set_offices_up(
    app, maps, admin_client
):
    unknown = await admin_client.post("/api/offices", json={
        "name": "Fractie Nergens", "jurisdiction": "NL-GM-nergens", "representative": "Iemand",
    })  # fmt: skip
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["key"] == "jurisdiction"
    blank = await admin_client.post("/api/offices", json={
        "name": " ", "jurisdiction": "NL-GM-almere", "representative": "",
    })  # fmt: skip
    assert blank.status_code == 400
    assert {e["key"] for e in blank.json()["errors"]} == {"name", "representative"}
    for role in ("organiser", "regional_organiser", "representative", "caseworker"):
        member = await make_user(role, regions=["NL-FL"], office_id=1)
        async with signed_in(app, member) as client:
            response = await client.post("/api/offices", json={
                "name": "Eigen kantoor", "jurisdiction": "NL-GM-almere", "representative": "Ik",
            })  # fmt: skip
            assert response.status_code == 403, role
            assert (await client.get("/api/jurisdictions")).status_code == 403


async def test_when_the_term_of_whom_an_office_serves_ends_its_open_cases_wait_for_a_decision(
    app, maps, admin_client
):
    office = await _council_office(admin_client, "Urk")
    assert office["term_ended"] is None and office["open_cases"] == []
    worker = await make_user("caseworker", office_id=office["id"])
    async with client_for(app) as anon:
        receipt = await anon.post("/api/public/cases", json=_case(email="urker@example.org"))
    reference = receipt.json()["reference"]
    await Case.update({Case.office: office["id"], Case.status: "assigned",
                       Case.assignee_id: worker.id}).where(Case.reference == reference)  # fmt: skip
    reps = await admin_client.get(
        "/api/representatives", params={"jurisdiction": office["district"]}
    )
    rep = next(r for r in reps.json() if r["name"] == "Fractie Urk")
    await Representative.update({Representative.valid_from: date(2026, 3, 26)}).where(
        Representative.id == rep["id"]
    )  # the group was seated in March
    ended = await admin_client.patch(
        f"/api/representatives/{rep['id']}", json={"valid_to": "2026-11-30"}
    )
    assert ended.status_code == 200, ended.text
    shown = (await admin_client.get(f"/api/offices/{office['id']}")).json()
    assert shown["term_ended"] == "2026-11-30"
    assert shown["open_cases"] == [reference]  # nothing moved to anyone by itself
    case = await Case.select(Case.office, Case.assignee_id).where(Case.reference == reference)
    assert case == [{"office": office["id"], "assignee_id": worker.id}]


async def test_an_office_whose_seat_changed_hands_decides_each_case_and_reviews_its_staff(
    app, maps, admin_client
):
    """Nothing passes to the successor by itself: each open case is transferred (only with
    the constituent's consent, noted) or closed, each staff account moved or deactivated."""
    old = await _council_office(admin_client, "Goes")
    worker = await make_user("caseworker", office_id=old["id"])
    helper = await make_user("caseworker", office_id=old["id"])
    colleague = await make_user("caseworker", office_id=old["id"])  # tries to decide herself
    references = []
    async with client_for(app) as anon:
        for n in range(2):
            receipt = await anon.post("/api/public/cases", json=_case(
                email=f"goes{n}@example.org", address="Grote Markt 1, 4461 AJ Goes",
            ))  # fmt: skip
            references.append(receipt.json()["reference"])
    await Case.update({
        Case.office: old["id"], Case.status: "assigned", Case.assignee_id: worker.id,
    }).where(Case.reference.is_in(references))  # fmt: skip
    reps = await admin_client.get("/api/representatives", params={"jurisdiction": old["district"]})
    rep = next(r for r in reps.json() if r["name"] == "Fractie Goes")
    # the seat is still held: there is nothing to hand over
    held = await admin_client.get(f"/api/offices/{old['id']}/handover")
    assert held.status_code == 409, held.text
    await Representative.update({Representative.valid_from: date(2026, 3, 26)}).where(
        Representative.id == rep["id"]
    )
    yesterday = date.today().fromordinal(date.today().toordinal() - 1)
    ended = await admin_client.patch(
        f"/api/representatives/{rep['id']}", json={"valid_to": yesterday.isoformat()}
    )
    assert ended.status_code == 200, ended.text
    successor = await _council_office(admin_client, "Goes")  # the group's new leader's office
    shown = (await admin_client.get(f"/api/offices/{old['id']}")).json()
    assert (shown["seat"], shown["seat_status"]) == (old["district"], "new_holder")
    assert shown["successor_offices"] == [successor["id"]]

    page = await admin_client.get(f"/api/offices/{old['id']}/handover")
    assert page.status_code == 200, page.text
    body = page.json()
    assert sorted(c["reference"] for c in body["cases"]) == sorted(references)
    assert "subject" not in body["cases"][0] and "description" not in body["cases"][0]
    assert {s["id"] for s in body["staff"]} == {worker.id, helper.id, colleague.id}
    assert body["offices"][0] == {"id": successor["id"], "name": "Fractie Goes", "successor": True}

    # neither the office's caseworker nor party staff may decide (404: nothing leaks)
    for user in (colleague, await make_user("organiser")):
        async with signed_in(app, user) as client:
            for response in (
                await client.get(f"/api/offices/{old['id']}/handover"),
                await client.post(f"/api/offices/{old['id']}/handover/cases", json={
                    "reference": references[0], "decision": "close",
                }),
            ):  # fmt: skip
                assert response.status_code in (403, 404), (user.role, response.text)

    url = f"/api/offices/{old['id']}/handover/cases"
    no_consent = await admin_client.post(url, json={
        "reference": references[0], "decision": "transfer", "to_office": successor["id"],
    })  # fmt: skip
    assert no_consent.status_code == 400
    assert [e["key"] for e in no_consent.json()["errors"]] == ["consent_how"]
    elsewhere = await admin_client.post(url, json={
        "reference": references[0], "decision": "transfer", "to_office": 999999, "consent": True,
        "consent_how": "by phone",
    })  # fmt: skip
    assert [e["key"] for e in elsewhere.json()["errors"]] == ["to_office"]
    moved = await admin_client.post(url, json={
        "reference": references[0], "decision": "transfer", "to_office": successor["id"],
        "consent": True, "consent_how": "by phone on 2 December",
    })  # fmt: skip
    assert moved.status_code == 200, moved.text
    closed = await admin_client.post(url, json={"reference": references[1], "decision": "close"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["cases"] == []
    rows = {
        r["reference"]: r
        for r in await Case.select(Case.reference, Case.office, Case.status, Case.assignee_id)
        .where(Case.reference.is_in(references))
    }  # fmt: skip
    assert rows[references[0]] | {} == {"reference": references[0], "office": successor["id"],
                                        "status": "triaged", "assignee_id": None}  # fmt: skip
    assert rows[references[1]]["status"] == "closed"
    logged = await AuditEvent.select(AuditEvent.detail).where(AuditEvent.action == "case.handover")
    decisions = [json.loads(d) if isinstance(d, str) else d for d in (r["detail"] for r in logged)]
    assert {
        "decision": "transfer",
        "consent": {"given": True, "how": "by phone on 2 December"},
    }.items() <= next(d for d in decisions if d["decision"] == "transfer").items()

    # the staff review: one account goes to the successor, the other is deactivated
    staff_url = f"/api/offices/{old['id']}/handover/staff"
    async with signed_in(app, helper) as helper_client:
        assert (await helper_client.get("/api/auth/me")).status_code == 200
        assert (await admin_client.post(staff_url, json={
            "user_id": worker.id, "decision": "move", "to_office": successor["id"],
        })).status_code == 200  # fmt: skip
        review = await admin_client.post(staff_url, json={
            "user_id": helper.id, "decision": "deactivate",
        })  # fmt: skip
        assert review.status_code == 200, review.text
        assert [s["id"] for s in review.json()["staff"]] == [colleague.id]
        assert (await helper_client.get("/api/auth/me")).status_code == 401  # session ended
    moved_staff = (await admin_client.get(f"/api/offices/{successor['id']}")).json()["staff"]
    assert [s["id"] for s in moved_staff] == [worker.id]
    await admin_client.post(staff_url, json={"user_id": colleague.id, "decision": "deactivate"})
    # all decided: the old office can now be deactivated
    done = await admin_client.patch(f"/api/offices/{old['id']}", json={"active": False})
    assert done.status_code == 200, done.text
