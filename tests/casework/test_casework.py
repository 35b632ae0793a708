"""Cases land with the right office; other offices cannot see them through any route."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from litestar.routes import HTTPRoute

from achterban.audit.tables import AuditEvent
from achterban.casework.tables import Case, RoutingDecision
from achterban.districts import loaders, service
from achterban.districts.tables import CaseworkerTopic, Jurisdiction, Office, Representative
from achterban.users.roles import ROLES
from tests.conftest import client_for, make_user, signed_in


async def _office(code: str) -> int:
    jurisdiction = (
        await Jurisdiction.select(Jurisdiction.id).where(Jurisdiction.code == code).first()
    )
    rep = Representative(
        external_id=f"{code}-{uuid.uuid4().hex[:4]}",
        name=f"Raad {code}",
        chamber="council",
        jurisdiction=jurisdiction["id"],
        valid_from=date(2026, 1, 1),
    )
    await rep.save()
    office = Office(name=f"Fractie {code}", representative=rep.id, kind="municipal")
    await office.save()
    return int(office.id)


@pytest.fixture(scope="module")
async def offices(app):
    await loaders.load_nl_pc4()
    await loaders.load_us_zccd()
    await loaders.load_us_legislators()
    a, b = await _office("NL-GM-groningen"), await _office("NL-GM-assen")
    staff = {
        "worker_a": await make_user("caseworker", office_id=a),
        "housing_a": await make_user("caseworker", office_id=a),
        "worker_b": await make_user("caseworker", office_id=b),
    }
    await make_user("representative", office_id=b)
    await CaseworkerTopic(office=a, user_id=staff["housing_a"].id, topic="housing").save()
    loaders.invalidate()
    return {"a": a, "b": b, **staff}


def _form(**fields):
    return {
        "name": "Jan Burger",
        "email": f"jb.{uuid.uuid4().hex[:6]}@example.org",
        "subject": "Schimmel in huis",
        "description": "Overal schimmel.",
        "topic": "housing",
        "address": "Vismarkt 2, 9712 CB Groningen",
        **fields,
    }


async def test_public_intake_routes_to_the_specialist_of_the_right_office(app, offices):
    async with client_for(app) as anon:
        response = await anon.post("/api/public/cases", json=_form(follow_up_consent=True))
    assert response.status_code == 202, response.text
    reference = response.json()["reference"]
    case = await Case.select().where(Case.reference == reference).first()
    assert (case["office"], case["assignee_id"], case["status"]) == (
        offices["a"],
        offices["housing_a"].id,
        "assigned",
    )
    decision = await RoutingDecision.select().where(RoutingDecision.case == case["id"]).first()
    assert "housing → caseworker" in decision["reason"]
    assert case["person"] is not None


async def test_honeypot_stores_nothing_and_flooding_is_slowed(app, offices):
    async with client_for(app, ip="10.77.0.1") as anon:
        before = await Case.count()
        bot = await anon.post("/api/public/cases", json=_form(website="http://spam.example"))
        assert bot.status_code == 202 and await Case.count() == before
        unknown = await anon.post("/api/public/cases", json={**_form(), "admin": True})
        assert unknown.status_code == 400 and "admin" in unknown.json()["detail"]
        statuses = [
            (await anon.post("/api/public/cases", json=_form())).status_code for _ in range(10)
        ]
    assert statuses[:9] == [202] * 9 and statuses[9] == 429  # the bot counted as the first


async def test_ambiguous_zip_waits_in_triage_and_only_candidates_can_be_picked(app, offices):
    organiser = await make_user("organiser")
    async with (
        signed_in(app, await make_user("admin")) as admin,
        signed_in(app, organiser) as client,
    ):
        created = await admin.post(
            "/api/cases",
            json={
                "subject": "Flooding",
                "description": "Drains overflow",
                "topic": "environment",
                "address": f"12 Elm St, Brooklyn, NY {_shared_zip('NY')}",
                "name": "Res Ident",
            },
        )
        assert created.status_code == 201, created.text
        case = created.json()
        assert case["status"] == "new" and case["office_id"] is None
        assert len(case["candidates"]) >= 2 and "triage" in case["routing_reason"]
        triage = (await client.get("/api/cases", params={"view": "triage"})).json()
        assert case["id"] in [c["id"] for c in triage["items"]]
        wrong = await client.post(
            f"/api/cases/{case['id']}/route", json={"office_id": offices["b"]}
        )
        assert wrong.status_code == 409


async def test_lifecycle_with_deadline_pause_feedback_event_and_reopen(app, offices):
    async with signed_in(app, offices["housing_a"]) as client:
        receipt = await client_for(app).post("/api/public/cases", json=_form())
        case = await Case.select().where(Case.reference == receipt.json()["reference"]).first()
        url = f"/api/cases/{case['id']}"
        waiting = (await client.post(url + "/transitions", json={"status": "waiting"})).json()
        assert waiting["status"] == "waiting" and not waiting["overdue"]
        back = (await client.post(url + "/resume")).json()
        assert back["status"] == "assigned" and back["due_at"] >= waiting["due_at"]
        assert back["events"][-1]["from_status"] == "waiting"
        assert back["events"][-1]["actor_name"] == offices["housing_a"].name
        refer = {"kind": "referral", "body": "Naar woningcorporatie", "agency": "Lefier"}
        no_consent = await client.post(url + "/events", json=refer)
        assert no_consent.status_code == 400
        assert no_consent.json()["type"].endswith(":no-agency-consent")
        consent = await client.post(url + "/agency-consent", json={"given": True})
        assert consent.json()["share_with_agencies"] is True
        referral = await client.post(url + "/events", json=refer)
        assert referral.status_code == 201
        assert referral.json()["events"][-1]["agency"] == "Lefier"
        await client.post(url + "/events", json={"kind": "note", "body": "Intern: eerder gebeld"})
        await client.post(url + "/tasks", json={"title": "Bel huurder terug"})
        resolved = (
            await client.post(url + "/resolve", json={"resolution": "Schimmel verwijderd"})
        ).json()
        assert resolved["status"] == "resolved" and resolved["resolution"] == "Schimmel verwijderd"
        asks = await client.post(url + "/close")
        assert asks.status_code == 409 and asks.json()["open_tasks"] == 1
        closed = (await client.post(url + "/close", json={"confirm_open_tasks": True})).json()
        assert closed["status"] == "closed" and closed["closed_at"]
        assert any(e["detail"].get("feedback") == "requested" for e in closed["events"])
        refused = await client.post(url + "/transitions", json={"status": "waiting"})
        assert refused.status_code == 409
        reopened = (await client.post(url + "/reopen")).json()
        assert reopened["status"] == "assigned" and reopened["closed_at"] is None
        assert [t["title"] for t in reopened["tasks"]] == ["Bel huurder terug"]


def _shared_zip(state: str) -> str:
    """A ZCTA of ``state`` that spans several congressional districts."""
    import csv
    from collections import defaultdict

    seen = defaultdict(set)
    with loaders.US_ZCCD.open() as handle:
        for row in csv.DictReader(handle):
            if row["state_abbr"] == state:
                seen[row["zcta"]].add(row["cd"])
    return next(z for z, cds in sorted(seen.items()) if len(cds) > 1)


BODIES = {
    "transitions": {"status": "assigned"},
    "events": {"kind": "note", "body": "x"},
    "tasks": {"title": "x"},
    "{task_id:int}": {"done": True},
    "route": {"office_id": 1},
    "resolve": {"resolution": "x"},
    "assign": {"assignee_id": 1},
    "agency-consent": {"given": True},
}


def _case_routes(app):
    """Every route of one case, with a body that passes validation, and its permission."""
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path.startswith("/api/cases/{case_id"):
            for method, (handler, _kwargs) in route.route_handler_map.items():
                if method not in ("HEAD", "OPTIONS"):
                    guard = next(g for g in handler.resolve_guards() if hasattr(g, "permission"))
                    body = BODIES.get(route.path.rsplit("/", 1)[-1]) if method != "GET" else None
                    yield method, route.path, body, guard.permission


async def test_another_office_gets_404_on_every_case_route(app, offices):
    async with client_for(app) as anon:
        receipt = await anon.post(
            "/api/public/cases",
            json=_form(
                address="Markt 1, 9401 AA Assen",
                topic="benefits",
                description="Mijn toeslag: medische gegevens",
                subject=f"Toeslag {uuid.uuid4().hex[:4]}",
            ),
        )
    case = await Case.select().where(Case.reference == receipt.json()["reference"]).first()
    assert case["office"] == offices["b"]
    await Case.update({Case.sensitive: {"health": "diagnose"}}).where(Case.id == case["id"])
    routes = list(_case_routes(app))
    assert len(routes) >= 9
    permissions = ROLES["caseworker"]
    async with signed_in(app, offices["worker_a"]) as other:
        for method, path, body, permission in routes:
            url = re.sub(r"\{case_id:int\}", str(case["id"]), path)
            url = re.sub(r"\{task_id:int\}", "1", url)
            response = await other.request(method, url, json=body)
            # a route this role may never use answers 403 whatever the case; all others 404
            expected = 404 if permission in permissions else 403
            assert response.status_code == expected, (method, url, response.text)
        for view in ("all", "office", "overdue", "mine", "triage"):
            page = (
                await other.get("/api/cases", params={"view": view, "q": case["subject"]})
            ).json()
            assert case["id"] not in [c["id"] for c in page["items"]]
        assert case["reference"] not in (await other.get("/api/cases/export")).text
    async with signed_in(app, offices["worker_b"]) as own:
        detail = (await own.get(f"/api/cases/{case['id']}")).json()
        assert detail["sensitive"] == {"health": "diagnose"}
        counts = (await own.get("/api/cases", params={"view": "office"})).json()["counts"]
        assert counts["triaged"] >= 1  # no benefits specialist in office B: its queue
    reads = await AuditEvent.select().where(
        (AuditEvent.object_type == "case")
        & (AuditEvent.object_id == str(case["id"]))
        & (AuditEvent.action == "case.read")
    )
    assert reads and all(r["actor_id"] == offices["worker_b"].id for r in reads)


async def test_one_answer_goes_to_every_identical_message(app, offices):
    subject = f"Windmolens {uuid.uuid4().hex[:4]}"
    async with client_for(app, ip="10.55.0.1") as anon:
        for street in ("Vismarkt 2", "Grote Markt 5", "Herestraat 9"):
            await anon.post(
                "/api/public/cases",
                json=_form(
                    subject=subject,
                    description="Geen windmolens!",
                    topic="environment",
                    address=f"{street}, 9712 CB Groningen",
                ),
            )
    rows = await Case.select().where(Case.subject == subject)
    assert len(rows) == 3 and len({r["campaign_key"] for r in rows}) == 1
    async with signed_in(app, offices["worker_a"]) as client:
        detail = (await client.get(f"/api/cases/{rows[0]['id']}")).json()
        assert detail["group_size"] == 3
        answered = await client.post(
            f"/api/cases/groups/{rows[0]['campaign_key']}/answer",
            json={"body": "Dank voor uw bericht over windmolens."},
        )
        assert answered.json() == {"answered": 3}


async def test_batch_import_reports_bad_rows_and_keeps_good_ones(app, offices):
    async with signed_in(app, offices["worker_a"]) as client:
        response = await client.post(
            "/api/cases/import",
            json=[
                {
                    "subject": "Stoep",
                    "description": "Losse tegels",
                    "topic": "roads",
                    "address": "Vismarkt 2, 9712 CB Groningen",
                },
                {
                    "subject": "X",
                    "description": "Y",
                    "topic": "aliens",
                    "address": "Vismarkt 2, 9712 CB Groningen",
                },
            ],
        )
    body = response.json()
    assert len(body["created"]) == 1 and body["errors"][0]["line"] == 2
    assert "aliens" in body["errors"][0]["reason"]


async def test_resolution_cache_sees_new_offices(app, offices):
    result = await service.resolve("Vismarkt 2, 9712 CB Groningen")
    assert offices["a"] in result.candidates[0].representatives[0].office_ids


async def test_a_representative_sees_the_constituents_of_their_district(app, offices, admin_client):
    inside = (
        await admin_client.post(
            "/api/people",
            json={
                "first_name": "Kiezer",
                "last_name": "Assen",
                "address": "Markt 1, 9401 AA Assen",
            },
        )
    ).json()
    outside = (
        await admin_client.post(
            "/api/people",
            json={
                "first_name": "Kiezer",
                "last_name": "Groningen",
                "address": "Vismarkt 2, 9712 CB Groningen",
            },
        )
    ).json()
    assert (inside["district"], outside["district"]) == ("NL-GM-assen", "NL-GM-groningen")
    representative = await make_user("representative", office_id=offices["b"])
    async with signed_in(app, representative) as client:
        assert (await client.get(f"/api/people/{inside['id']}")).status_code == 200
        assert (await client.get(f"/api/people/{outside['id']}")).status_code == 404
        # "assen" finds the surname and everyone living in Assen: all of them in the district
        listed = (await client.get("/api/people", params={"q": "assen"})).json()["items"]
        assert inside["id"] in [p["id"] for p in listed]
        assert {p["district"] for p in listed} == {"NL-GM-assen"}
        found = (await client.get("/api/people", params={"q": "kiezer groningen"})).json()
        assert outside["id"] not in [p["id"] for p in found["items"]]


async def test_offices_show_staff_and_topics_and_only_admins_assign(app, offices, admin_client):
    async with signed_in(app, offices["worker_a"]) as client:
        listed = (await client.get("/api/offices")).json()
        assert [o["id"] for o in listed] == [offices["a"]]
        assert listed[0]["district"] == "NL-GM-groningen"
        housing = next(s for s in listed[0]["staff"] if s["id"] == offices["housing_a"].id)
        assert housing["topics"] == ["housing"]
        assert (await client.get(f"/api/offices/{offices['b']}")).status_code == 404
        refused = await client.post(
            f"/api/offices/{offices['a']}/topics",
            json={"user_id": offices["worker_a"].id, "topic": "roads"},
        )
        assert refused.status_code == 403
    assigned = await admin_client.post(
        f"/api/offices/{offices['a']}/topics",
        json={"user_id": offices["worker_a"].id, "topic": "roads"},
    )
    assert assigned.status_code == 200
    worker = next(s for s in assigned.json()["staff"] if s["id"] == offices["worker_a"].id)
    assert worker["topics"] == ["roads"]
    stranger = await admin_client.post(
        f"/api/offices/{offices['a']}/topics",
        json={"user_id": offices["worker_b"].id, "topic": "roads"},
    )
    assert stranger.status_code == 409
