"""Segment conditions over event logs read current state kept in step with the events
(consent now, giving summaries, the last value-adding touch) — through every way the events
change: a statement, the preferences link, a merge, an erasure — and casework conditions
are an office's own: party staff cannot use them, and a segment on them is never shared."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from achterban.casework.tables import Case
from achterban.consent import service as consent
from achterban.consent.tables import ConsentNow
from achterban.districts import loaders
from achterban.donations.tables import GivingSummary, GivingYear
from tests.casework.test_casework import _office
from tests.conftest import make_user, signed_in

TODAY = date.today()


async def _person(client, tag: str, first: str, address: str = "Vismarkt 2, 9712 CB Groningen",
                  email: str | None = None) -> int:  # fmt: skip
    response = await client.post("/api/people", json={
        "first_name": first, "last_name": "Staat", "tags": [tag], "address": address,
        "emails": [email or f"{first.lower()}.{tag}@example.org"],
    })  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _count(client, tag: str, *conditions: dict) -> int:
    tree = {"all": [{"field": "tag", "op": "has", "value": tag}, *conditions]}
    response = await client.post("/api/segments/count", json={"definition": tree})
    assert response.status_code == 200, response.text
    return response.json()["count"]


async def _consent(client, person_id: int, status: str, purpose: str = "newsletter") -> None:
    response = await client.post(f"/api/people/{person_id}/consent", json={
        "purpose": purpose, "channel": "email", "status": status,
    })  # fmt: skip
    assert response.status_code in (200, 201), response.text


async def _merge(client, survivor: int, merged: int) -> None:
    response = await client.post(
        "/api/dedupe/merge", json={"survivor_id": survivor, "merged_id": merged}
    )
    assert response.status_code == 204, response.text


NEWSLETTER = {"field": "consent", "op": "has", "value": "newsletter:email"}


async def test_consent_now_follows_statements_the_link_a_merge_and_an_erasure(app, admin_client):
    tag = f"now{uuid.uuid4().hex[:8]}"
    anna = await _person(admin_client, tag, "Anna")
    assert await _count(admin_client, tag, NEWSLETTER) == 0
    await _consent(admin_client, anna, "granted")
    assert await _count(admin_client, tag, NEWSLETTER) == 1
    await _consent(admin_client, anna, "withdrawn")
    assert await _count(admin_client, tag, NEWSLETTER) == 0
    # the person's own choice on the preferences page
    token = consent.preferences_token(anna)
    page = await admin_client.post(f"/api/public/preferences/{token}", json={
        "choices": [{"purpose": "newsletter", "channel": "email", "status": "granted"}],
    })  # fmt: skip
    assert page.status_code in (200, 201), page.text
    assert await _count(admin_client, tag, NEWSLETTER) == 1
    # a duplicate who had granted fundraising is merged in: the survivor has it now
    bram = await _person(admin_client, tag, "Bram")
    await _consent(admin_client, bram, "granted", "fundraising")
    fundraising = {"field": "consent", "op": "has", "value": "fundraising:email"}
    assert await _count(admin_client, tag, fundraising) == 1
    await _merge(admin_client, anna, bram)
    assert await _count(admin_client, tag, fundraising) == 1
    assert await ConsentNow.count().where(ConsentNow.person == bram) == 0
    # erased: nothing of their consent stays, in the history or the current state
    erased = await admin_client.post(f"/api/people/{anna}/erase", json={"reason": "request"})
    assert erased.status_code == 204, erased.text
    assert await ConsentNow.count().where(ConsentNow.person.is_in([anna, bram])) == 0
    assert await _count(admin_client, tag, NEWSLETTER) == 0


async def test_giving_summaries_follow_gifts_collections_and_a_merge(app, admin_client):
    tag = f"giv{uuid.uuid4().hex[:8]}"
    cor = await _person(admin_client, tag, "Cor")
    dirk = await _person(admin_client, tag, "Dirk")
    last_year = date(TODAY.year - 1, 3, 1).isoformat()
    for who, cents, on in ((cor, 4000, last_year), (dirk, 2500, last_year),
                           (dirk, 9000, TODAY.isoformat())):  # fmt: skip
        response = await admin_client.post(
            f"/api/people/{who}/donations", json={"amount_cents": cents, "received_on": on}
        )
        assert response.status_code == 201, response.text
    lybunt = {"field": "lybunt", "op": "yes", "value": None}
    largest = {"field": "largest_gift", "op": "at_least", "value": 80}
    assert await _count(admin_client, tag, lybunt) == 1  # Cor: Dirk gave this year
    assert await _count(admin_client, tag, largest) == 1
    mandate = await admin_client.post(f"/api/people/{cor}/mandates", json={
        "iban": "NL91ABNA0417164300", "amount_cents": 1000, "frequency": "monthly",
    })  # fmt: skip
    assert mandate.status_code == 201, mandate.text
    collected = await admin_client.post(
        f"/api/mandates/{mandate.json()['id']}/collections", json={"received_on": TODAY.isoformat()}
    )
    assert collected.status_code in (200, 201), collected.text
    assert await _count(admin_client, tag, lybunt) == 0  # Cor gave this year too now
    await _merge(admin_client, dirk, cor)
    summary = await GivingSummary.select().where(GivingSummary.person == dirk).first()
    assert (summary["gift_count"], summary["largest_cents"], summary["total_cents"]) == (
        4,
        9000,
        4000 + 2500 + 9000 + 1000,
    )
    assert await GivingSummary.count().where(GivingSummary.person == cor) == 0
    years = (
        await GivingYear.select(GivingYear.year, GivingYear.total_cents)
        .where(GivingYear.person == dirk)
        .order_by(GivingYear.year)
    )
    assert [(r["year"], r["total_cents"]) for r in years] == [
        (TODAY.year - 1, 6500),
        (TODAY.year, 10000),
    ]
    three = {"field": "gift_count", "op": "at_least", "value": 3}
    assert await _count(admin_client, tag, three) == 1


async def _contact(client, person_id: int, channel: str, days_ago: int, value_adding: bool,
                   kind: str = "") -> None:  # fmt: skip
    at = datetime.now(UTC) - timedelta(days=days_ago)
    response = await client.post(f"/api/people/{person_id}/interactions", json={
        "channel": channel, "direction": "out", "at": at.isoformat(), "kind": kind,
        "subject": "Contact", "value_adding": value_adding,
    })  # fmt: skip
    assert response.status_code == 201, response.text


async def test_the_contact_gap_counts_value_adding_touches_and_contact_by_channel(
    app, admin_client
):
    tag = f"gap{uuid.uuid4().hex[:8]}"
    eva = await _person(admin_client, tag, "Eva")
    frits = await _person(admin_client, tag, "Frits")
    await _person(admin_client, tag, "Gijs")  # never contacted
    await _contact(admin_client, eva, "phone", 5, value_adding=False, kind="reminder")
    await _contact(admin_client, frits, "visit", 10, value_adding=True, kind="house_visit")
    await _contact(admin_client, eva, "email", 200, value_adding=True)
    gap = {"field": "last_touch", "op": "not_within_days", "value": 90}
    contacted = {"field": "last_contact", "op": "within_days", "value": 30}
    assert await _count(admin_client, tag, gap) == 2  # Eva (a reminder is no touch), Gijs
    assert await _count(admin_client, tag, contacted) == 2  # Eva and Frits
    by_phone = {
        "field": "contact_channel",
        "op": "within",
        "value": {"choice": "phone", "days": 30},
    }
    visited = {
        "field": "contact_kind",
        "op": "within",
        "value": {"choice": "house_visit", "days": 30},
    }
    not_mailed = {"field": "contact_channel", "op": "not_within",
                  "value": {"choice": "email", "days": 365}}  # fmt: skip
    assert await _count(admin_client, tag, by_phone) == 1
    assert await _count(admin_client, tag, visited) == 1
    assert await _count(admin_client, tag, not_mailed) == 2  # Frits and Gijs
    fields = (await admin_client.get("/api/segments/fields")).json()
    channel = next(f for f in fields if f["key"] == "contact_channel")
    assert {"value": "email", "label": "E-mail"} in channel["choices"]
    assert channel["operators"][0]["value"] == "choice_days"
    for bad, path in (({"choice": "pigeon", "days": 30}, "definition.all[1].value"),
                      ({"choice": "email", "days": -1}, "definition.all[1].value"),
                      ({"choice": "email"}, "definition.all[1].value")):  # fmt: skip
        tree = {
            "all": [
                {"field": "tag", "op": "has", "value": tag},
                {"field": "contact_channel", "op": "within", "value": bad},
            ]
        }
        response = await admin_client.post("/api/segments/count", json={"definition": tree})
        assert response.status_code == 400, response.text
        assert [e["key"] for e in response.json()["errors"]] == [path]
    # the reader's language: what is wrong, in Dutch, at its place and in the detail
    tree = {"all": [{"field": "contact_channel", "op": "within",
                     "value": {"choice": "email", "days": 99999}}]}  # fmt: skip
    response = await admin_client.post(
        "/api/segments/count", json={"definition": tree}, headers={"Accept-Language": "nl"}
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["errors"] == [
        {
            "key": "definition.all[0].value",
            "message": "deze voorwaarde vraagt een getal van 0 tot 36500",
        }
    ]
    assert body["detail"] == (
        "De voorwaarden kloppen niet: definition.all[0].value: deze "
        "voorwaarde vraagt een getal van 0 tot 36500"
    )


@pytest.fixture(scope="module")
async def office(app):
    await loaders.load_nl_pc4()
    office_id = await _office("NL-GM-groningen")
    rep = await make_user("representative", office_id=office_id, name="Hanna Raad")
    loaders.invalidate()
    return office_id, rep


async def test_casework_conditions_are_the_office_s_own_and_never_shared(app, admin_client, office):
    office_id, rep = office
    tag = f"cas{uuid.uuid4().hex[:8]}"
    ids = [await _person(admin_client, tag, name) for name in ("Ilse", "Joost", "Kees")]
    for person_id, topic, status in ((ids[0], "roads", "triaged"), (ids[1], "housing", "closed")):
        created = await admin_client.post("/api/cases", json={
            "subject": "Stoep", "description": "Losse tegels", "topic": topic,
            "address": "Vismarkt 2, 9712 CB Groningen", "person_id": person_id,
        })  # fmt: skip
        assert created.status_code == 201, created.text
        await Case.update({
            Case.office: office_id, Case.status: status,
            Case.closed_at: datetime.now(UTC) if status == "closed" else None,
        }).where(Case.id == created.json()["id"])  # fmt: skip
    open_case = {"field": "open_case", "op": "yes", "value": None}
    roads = {"field": "case_topic", "op": "has", "value": "roads"}
    closed = {"field": "case_closed", "op": "within_days", "value": 30}
    async with signed_in(app, rep) as client:
        keys = {f["key"] for f in (await client.get("/api/segments/fields")).json()}
        assert {"open_case", "case_topic", "case_closed"} <= keys
        assert await _count(client, tag) == 3
        assert await _count(client, tag, open_case) == 1
        assert await _count(client, tag, roads) == 1
        assert await _count(client, tag, closed) == 1
        shared = await client.post("/api/segments", json={
            "name": f"Open {tag}", "shared": True, "definition": {"all": [open_case]},
        })  # fmt: skip
        assert shared.status_code == 400, shared.text
        assert shared.json()["errors"][0]["key"] == "shared"
        own = await client.post("/api/segments", json={
            "name": f"Open {tag}", "shared": False, "definition": {"all": [open_case]},
        })  # fmt: skip
        assert own.status_code == 201, own.text
        made_shared = await client.patch(f"/api/segments/{own.json()['id']}", json={"shared": True})
        assert made_shared.status_code == 400, made_shared.text
    # party staff, the administrator included, neither use the fields nor see the segment
    organiser = await make_user("organiser")
    for client_of in (signed_in(app, organiser), None):
        if client_of is None:
            client = admin_client
            listed = (await client.get("/api/segments")).json()
            assert own.json()["id"] not in [s["id"] for s in listed]
            assert (await client.get(f"/api/segments/{own.json()['id']}")).status_code == 404
            await _refused(client, tag, open_case)
            continue
        async with client_of as client:
            keys = {f["key"] for f in (await client.get("/api/segments/fields")).json()}
            assert not keys & {"open_case", "case_topic", "case_closed"}
            await _refused(client, tag, open_case)
            assert (await client.get(f"/api/segments/{own.json()['id']}")).status_code == 404


async def _refused(client, tag: str, condition: dict) -> None:
    tree = {"all": [{"field": "tag", "op": "has", "value": tag}, condition]}
    response = await client.post("/api/segments/count", json={"definition": tree})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["key"] == "definition.all[1].field"


async def test_the_people_list_s_filters_are_segment_conditions(app, admin_client):
    tag = f"flt{uuid.uuid4().hex[:8]}"
    lies = await _person(admin_client, tag, "Lies", "Vismarkt 4, 9712 CB Groningen")
    await _person(admin_client, tag, "Maarten", "Markt 1, 9401 AA Assen")
    email = f"nina.{tag}@example.org"
    nina = await _person(admin_client, tag, "Nina", "Herestraat 1, 9711 LA Groningen", email)
    await _contact(admin_client, nina, "phone", 3, value_adding=True)
    filters = {"tag": tag, "postcode": "97", "last_contact_before": "2000-01-01T00:00:00Z"}
    listed = (await admin_client.get("/api/people", params=filters)).json()
    assert [p["id"] for p in listed["items"]] == [lies]  # never contacted counts as before
    week = (datetime.now(UTC) - timedelta(days=7)).isoformat()
    after = {"tag": tag, "postcode": "97", "last_contact_after": week}
    listed = (await admin_client.get("/api/people", params=after)).json()
    assert [p["id"] for p in listed["items"]] == [nina]  # Maarten lives at 9401
    # the same filters, written as a segment, find the same people
    tree = {"all": [{"field": "tag", "op": "has", "value": tag},
                    {"field": "postcode", "op": "starts_with", "value": "97"},
                    {"field": "last_contact", "op": "after", "value": week}]}  # fmt: skip
    preview = await admin_client.post("/api/segments/preview", json={"definition": tree})
    assert [p["id"] for p in preview.json()["items"]] == [nina]
    by_email = (await admin_client.get("/api/people", params={"email": email.upper()})).json()
    assert [p["id"] for p in by_email["items"]] == [nina]
    # a filter the condition language refuses names its parameter, in the reader's language
    bad = await admin_client.get(
        "/api/people", params={"tag": tag, "postcode": " "}, headers={"Accept-Language": "nl"}
    )
    assert bad.status_code == 400, bad.text
    assert bad.json()["errors"] == [{
        "key": "postcode", "message": "deze voorwaarde vraagt een tekst van 1 tot 200 tekens",
    }]  # fmt: skip


async def test_membership_status_as_a_condition_agrees_with_the_rules(app, admin_client):
    """Every status the rules give a membership on a day, the condition finds its member by."""
    from achterban.memberships import rules
    from achterban.memberships.tables import Membership

    tag = f"sts{uuid.uuid4().hex[:8]}"
    day = TODAY
    cases = [  # since, until, cancelled_on: one person each
        (day - timedelta(days=5), None, None),  # new
        (day - timedelta(days=400), None, None),  # current
        (day - timedelta(days=400), day, None),  # current on its last paid day
        (day - timedelta(days=400), day - timedelta(days=1), None),  # grace
        (day - timedelta(days=400), day - rules.GRACE, None),  # grace, its last day
        (day - timedelta(days=400), day - rules.GRACE - timedelta(days=1), None),  # expired
        (day - timedelta(days=400), None, day),  # cancelled today
        (day - timedelta(days=400), None, day + timedelta(days=3)),  # current, to be cancelled
        (day + timedelta(days=3), None, None),  # future
    ]
    expected: dict[str, int] = {}
    for i, (since, until, cancelled) in enumerate(cases):
        person = await _person(admin_client, tag, f"Lid{i}")
        await Membership(person=person, since=since, until=until, cancelled_on=cancelled,
                         created_at=datetime.now(UTC)).save()  # fmt: skip
        status = rules.status(since, until, cancelled, day)
        expected[status] = expected.get(status, 0) + 1
    assert set(expected) == {"new", "current", "grace", "expired", "cancelled", "future"}
    for status in expected:
        found = await _count(
            admin_client, tag, {"field": "member_status", "op": "is", "value": status}
        )
        assert found == expected[status], status
        others = await _count(
            admin_client, tag, {"field": "member_status", "op": "is_not", "value": status}
        )
        assert others == len(cases) - expected[status], status
