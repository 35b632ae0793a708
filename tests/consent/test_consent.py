"""Consent per purpose and channel: a full history, the latest statement counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from achterban.consent import rules, service


def _event(i, purpose, channel, status, minutes):
    at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    return {"id": i, "purpose": purpose, "channel": channel, "status": status, "at": at}


def test_latest_statement_wins_and_do_not_contact_beats_everything():
    events = [
        _event(1, "newsletter", "email", "granted", 0),
        _event(2, "newsletter", "email", "withdrawn", 5),
        _event(3, "fundraising", "post", "granted", 1),
    ]
    matrix = rules.resolve(events, do_not_contact=False)
    assert matrix[("newsletter", "email")] == "withdrawn"
    assert matrix[("fundraising", "post")] == "granted"
    assert matrix[("surveys", "sms")] == "unknown"
    assert rules.resolve(events, do_not_contact=True)[("fundraising", "post")] == "blocked"


async def test_staff_record_consent_and_the_history_is_kept(app, admin_client):
    person = (await admin_client.post("/api/people", json={"first_name": "Gerda"})).json()
    url = f"/api/people/{person['id']}/consent"
    for status in ("granted", "withdrawn", "granted"):
        response = await admin_client.post(
            url, json={"purpose": "newsletter", "channel": "email", "status": status,
                       "wording": "Ja, stuur mij de nieuwsbrief"},
        )  # fmt: skip
        assert response.status_code == 201
    history = (await admin_client.get(url + "/history")).json()
    assert [h["status"] for h in history] == ["granted", "withdrawn", "granted"]
    assert history[0]["wording"] == "Ja, stuur mij de nieuwsbrief"
    matrix = (await admin_client.get(url)).json()
    state = {(s["purpose"], s["channel"]): s["status"] for s in matrix["states"]}
    assert state[("newsletter", "email")] == "granted"
    assert await service.may_contact(person["id"], "newsletter", "email")
    assert not await service.may_contact(person["id"], "newsletter", "sms")

    await admin_client.patch(f"/api/people/{person['id']}", json={"do_not_contact": True})
    blocked = (await admin_client.get(url)).json()
    assert blocked["do_not_contact"] is True
    assert {s["status"] for s in blocked["states"]} == {"blocked"}
    assert not await service.may_contact(person["id"], "newsletter", "email")


async def test_unknown_purpose_is_refused(app, admin_client):
    person = (await admin_client.post("/api/people", json={"first_name": "Hans"})).json()
    response = await admin_client.post(
        f"/api/people/{person['id']}/consent",
        json={"purpose": "spam", "channel": "email", "status": "granted"},
    )
    assert response.status_code == 400 and response.json()["errors"][0]["key"] == "purpose"


async def _linked_person(client, **fields):
    body = {"first_name": "Wies", "last_name": f"Link{uuid.uuid4().hex[:6]}", "language": "nl",
            "emails": [f"w.{uuid.uuid4().hex[:6]}@example.org"], **fields}  # fmt: skip
    person = (await client.post("/api/people", json=body)).json()
    await client.post(
        f"/api/people/{person['id']}/consent",
        json={"purpose": "newsletter", "channel": "email", "status": "granted"},
    )
    link = await client.get(f"/api/people/{person['id']}/consent/link")
    assert link.status_code == 200
    return person, link.json()["url"].removeprefix("/preferences/")


async def test_a_person_changes_their_own_consent_through_their_link(app, admin_client, anon):
    person, token = await _linked_person(admin_client)
    page = (await anon.get(f"/api/public/preferences/{token}")).json()
    assert page["first_name"] == "Wies" and "last_name" not in page and "email" not in page
    state = {(s["purpose"], s["channel"]): s["status"] for s in page["states"]}
    assert state[("newsletter", "email")] == "granted"

    changed = await anon.post(f"/api/public/preferences/{token}", json={"choices": [
        {"purpose": "newsletter", "channel": "email", "status": "withdrawn"},
        {"purpose": "surveys", "channel": "email", "status": "granted"},
    ]})  # fmt: skip
    assert changed.status_code == 200, changed.text
    history = (await admin_client.get(f"/api/people/{person['id']}/consent/history")).json()
    latest = history[0]
    assert (latest["source"], latest["actor_id"]) == ("link", None)
    assert latest["wording"] == "Door de persoon zelf gekozen op de voorkeurenpagina"
    matrix = (await admin_client.get(f"/api/people/{person['id']}/consent")).json()
    state = {(s["purpose"], s["channel"]): s["status"] for s in matrix["states"]}
    assert state[("newsletter", "email")] == "withdrawn"
    assert state[("surveys", "email")] == "granted"

    # saving the same choices again records nothing new
    again = await anon.post(f"/api/public/preferences/{token}", json={"choices": [
        {"purpose": "newsletter", "channel": "email", "status": "withdrawn"},
    ], "do_not_contact": True})  # fmt: skip
    assert again.json()["do_not_contact"] is True
    assert len((await admin_client.get(
        f"/api/people/{person['id']}/consent/history")).json()) == len(history)  # fmt: skip
    assert (await admin_client.get(f"/api/people/{person['id']}")).json()["do_not_contact"]


async def test_a_tampered_or_erased_link_is_not_found_and_a_merged_one_follows(
    app, admin_client, anon
):
    person, token = await _linked_person(admin_client)
    other = str(int(token.split(".")[0]) + 1) + "." + token.split(".")[1]
    for bad in (other, token[:-1] + ("0" if token[-1] != "0" else "1"), "abc", "1"):
        response = await anon.get(f"/api/public/preferences/{bad}")
        assert response.status_code == 404, bad
        assert response.headers["content-type"] == "application/problem+json"

    survivor, _ = await _linked_person(admin_client, first_name="Blijft")
    await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": survivor["id"], "merged_id": person["id"]}
    )
    assert (await anon.get(f"/api/public/preferences/{token}")).json()["first_name"] == "Blijft"

    await admin_client.post(f"/api/people/{survivor['id']}/erase", json={"reason": "request"})
    assert (await anon.get(f"/api/public/preferences/{token}")).status_code == 404
