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


def test_memberships_overlap_only_when_their_days_meet():
    from achterban.memberships.rules import last_day, overlaps

    jan, jun, dec = date(2025, 1, 1), date(2025, 6, 30), date(2025, 12, 31)
    assert overlaps(jan, dec, jun, None)
    assert not overlaps(date(2026, 1, 1), None, jan, dec)  # a renewal after the last day
    assert last_day(dec, jun) == date(2025, 6, 29)  # cancelled on 30 June: member until the 29th
    assert not overlaps(jun, None, jan, last_day(dec, jun))


async def test_a_second_membership_in_the_same_period_is_refused(app, admin_client):
    person = (await admin_client.post("/api/people", json={"first_name": "Dubbel"})).json()
    url = f"/api/people/{person['id']}/memberships"
    first = await admin_client.post(url, json={"branch": "Assen", "since": "2025-01-01"})
    assert first.status_code == 201
    again = await admin_client.post(
        url, json={"branch": "Groningen", "since": "2025-06-01"}, headers={"Accept-Language": "en"}
    )
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "There is already a membership from 2025-01-01 in that period: renew it instead."
    )
    assert again.json()["membership_id"] == first.json()["id"]
    await admin_client.patch(
        f"/api/memberships/{first.json()['id']}", json={"cancelled_on": "2025-03-01"}
    )
    later = await admin_client.post(url, json={"branch": "Groningen", "since": "2025-06-01"})
    assert later.status_code == 201  # after the cancellation the person may join again
    backwards = await admin_client.patch(
        f"/api/memberships/{later.json()['id']}", json={"until": "2025-01-01"}
    )
    assert backwards.status_code == 400
