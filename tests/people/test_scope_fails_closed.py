"""A scoped role whose scope is empty (no office, no regions) sees nothing and creates
nothing, through every route; point persons and assignees stay within the actor's scope."""

from __future__ import annotations

import uuid

import pytest

from achterban.districts import loaders
from achterban.platform.jobs import JobRun
from tests.conftest import make_user, signed_in

ADDRESS = "Vismarkt 2, 9712 CB Groningen"


@pytest.fixture(scope="module")
async def loaded(app):
    await loaders.load_nl_pc4()
    loaders.invalidate()


async def _someone(admin_client) -> dict:
    name = f"Scope{uuid.uuid4().hex[:6]}"
    created = await admin_client.post(
        "/api/people",
        json={"first_name": "Open", "last_name": name, "address": ADDRESS,
              "emails": [f"{name}@example.org"]},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("representative", {}),
        ("caseworker", {}),
        ("regional_organiser", {}),
    ],
)
async def test_a_scoped_role_without_office_or_regions_sees_and_creates_nothing(
    app, loaded, admin_client, role, scope
):
    person = await _someone(admin_client)
    case = await admin_client.post(
        "/api/cases",
        json={"subject": "Stoep", "description": "Losse tegels", "topic": "roads",
              "address": ADDRESS, "person_id": person["id"]},
    )  # fmt: skip
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    nobody = await make_user(role, **scope)
    async with signed_in(app, nobody) as client:
        if role != "caseworker":  # caseworkers have no people.read at all
            listed = (await client.get("/api/people", params={"q": person["last_name"]})).json()
            assert listed["total"] == 0 and listed["items"] == []
            everyone = (await client.get("/api/people")).json()
            assert everyone["total"] == 0
            assert (await client.get(f"/api/people/{person['id']}")).status_code == 404
        if role == "regional_organiser":
            exported = await client.get("/api/people/export")
            assert exported.status_code == 200
            assert person["last_name"] not in exported.text
            assert len(exported.text.strip().splitlines()) == 1  # the header only
            refused = await client.post(
                "/api/people", json={"first_name": "Nieuw", "last_name": "Mens",
                                     "address": ADDRESS})  # fmt: skip
            assert refused.status_code == 403
            csv = b"first_name,last_name,email\nIna,Import,ina.import@example.org\n"
            before = await JobRun.count().where(JobRun.name == "import_people")
            started = await client.post(
                "/api/imports/people", files={"file": ("p.csv", csv, "text/csv")}
            )
            assert started.status_code == 403
            assert await JobRun.count().where(JobRun.name == "import_people") == before
            assert (await client.get("/api/imports")).json() == []  # not everyone's imports
        else:
            for view in ("all", "mine", "office", "triage", "overdue"):
                page = (await client.get("/api/cases", params={"view": view})).json()
                assert page["items"] == [] and page["total"] == 0, view
                assert set(page["counts"].values()) == {0}, view
            assert (await client.get(f"/api/cases/{case_id}")).status_code == 404
            task = await client.post(f"/api/cases/{case_id}/tasks", json={"title": "x"})
            assert task.status_code == 404
            assert (await client.get(f"/api/cases/{case_id}/constituent")).status_code == 404
            export = await client.get("/api/cases/export")
            assert export.text.strip().count("\n") == 0  # the header only
            created = await client.post(
                "/api/cases",
                json={"subject": "Mijn zaak", "description": "x", "topic": "roads",
                      "address": ADDRESS, "name": "Iemand Anders"},
            )  # fmt: skip
            assert created.status_code == 403


async def test_a_point_person_is_a_colleague_within_the_actors_regions(app, loaded):
    groningen = await make_user("regional_organiser", regions=["NL-GR"])
    colleague = await make_user("regional_organiser", regions=["NL-GR"])
    elsewhere = await make_user("regional_organiser", regions=["NL-NH"])
    async with signed_in(app, groningen) as client:
        payload = {"first_name": "Punt", "last_name": f"Persoon{uuid.uuid4().hex[:5]}",
                   "address": ADDRESS}  # fmt: skip
        for wrong in (elsewhere.id, 987654321):  # another region's user; nobody at all
            refused = await client.post("/api/people", json={**payload, "point_person_id": wrong})
            assert refused.status_code == 400, refused.text
            assert refused.json()["errors"][0]["key"] == "point_person_id"
        created = await client.post(
            "/api/people", json={**payload, "point_person_id": colleague.id}
        )
        assert created.status_code == 201, created.text
        person_id = created.json()["id"]
        moved = await client.patch(
            f"/api/people/{person_id}", json={"point_person_id": elsewhere.id}
        )
        assert moved.status_code == 400
        assert (await client.get(f"/api/people/{person_id}")).json()["point_person_id"] == (
            colleague.id
        )
