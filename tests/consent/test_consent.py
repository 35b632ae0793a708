"""Consent per purpose and channel: a full history, the latest statement counts."""

from __future__ import annotations

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
