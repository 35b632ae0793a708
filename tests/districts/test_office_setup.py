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
