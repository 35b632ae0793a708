"""Membership status follows from the dates; members show up as members."""

from __future__ import annotations

from datetime import date, timedelta

from achterban.memberships.rules import status

TODAY = date(2026, 11, 24)


def test_status_over_a_membership_life():
    since = date(2025, 1, 1)
    assert status(TODAY - timedelta(days=3), None, None, TODAY) == "new"
    assert status(since, date(2026, 12, 31), None, TODAY) == "current"
    assert status(since, TODAY - timedelta(days=10), None, TODAY) == "grace"
    assert status(since, TODAY - timedelta(days=61), None, TODAY) == "expired"
    assert status(since, None, TODAY - timedelta(days=1), TODAY) == "cancelled"
    assert status(since, None, TODAY + timedelta(days=5), TODAY) == "current"


async def test_joining_renewing_and_cancelling(app, admin_client):
    person = (await admin_client.post("/api/people", json={"first_name": "Lid"})).json()
    created = await admin_client.post(
        f"/api/people/{person['id']}/memberships",
        json={
            "branch": "Groningen",
            "dues_cents": 2500,
            "since": "2024-01-01",
            "until": "2024-12-31",
        },
    )
    assert created.status_code == 201, created.text
    membership = created.json()
    assert membership["status"] == "expired"
    assert "member" not in (await admin_client.get(f"/api/people/{person['id']}")).json()["roles"]
    renewed = await admin_client.patch(
        f"/api/memberships/{membership['id']}", json={"until": "2099-12-31"}
    )
    assert renewed.json()["status"] == "current"
    assert "member" in (await admin_client.get(f"/api/people/{person['id']}")).json()["roles"]
    listed = (
        await admin_client.get("/api/people", params={"branch": "Groningen", "role": "member"})
    ).json()
    assert person["id"] in [p["id"] for p in listed["items"]]
    cancelled = await admin_client.patch(
        f"/api/memberships/{membership['id']}", json={"cancelled_on": date.today().isoformat()}
    )
    assert cancelled.json()["status"] == "cancelled"
    assert "member" not in (await admin_client.get(f"/api/people/{person['id']}")).json()["roles"]


async def test_a_membership_cannot_end_before_it_starts(app, admin_client):
    person = (await admin_client.post("/api/people", json={"first_name": "Fout"})).json()
    response = await admin_client.post(
        f"/api/people/{person['id']}/memberships",
        json={"branch": "Assen", "since": "2025-05-01", "until": "2025-01-01"},
    )
    assert response.status_code == 400 and response.json()["errors"][0]["key"] == "until"


async def test_a_member_who_cancels_for_a_later_date_is_a_member_until_then(app, admin_client):
    person = (await admin_client.post("/api/people", json={"first_name": "Opzegger"})).json()
    created = await admin_client.post(
        f"/api/people/{person['id']}/memberships", json={"branch": "Assen", "since": "2024-01-01"}
    )
    later = (date.today() + timedelta(days=30)).isoformat()
    changed = await admin_client.patch(
        f"/api/memberships/{created.json()['id']}", json={"cancelled_on": later}
    )
    assert changed.json()["status"] == "current"
    assert "member" in (await admin_client.get(f"/api/people/{person['id']}")).json()["roles"]
