"""The journeys an organiser sees: each with its current version and steps, in the reader's
language; pausing and resuming is audited; others are turned away."""

from __future__ import annotations

import pytest

from achterban import wiring  # noqa: F401 - the condition fields branches use
from achterban.audit.tables import AuditEvent
from achterban.journeys import files
from achterban.segments import files as segment_files
from achterban.settings import get_settings
from tests.conftest import make_user, signed_in

CAMPAIGNS = get_settings().campaigns_dir


@pytest.fixture
async def loaded(app):
    await files.sync(CAMPAIGNS, {s.key for s in segment_files.read(CAMPAIGNS / "segments")})


async def test_an_organiser_lists_the_journeys_in_their_language(app, loaded):
    organiser = await make_user("organiser")
    async with signed_in(app, organiser) as client:
        dutch = await client.get("/api/journeys", headers={"Accept-Language": "nl"})
        english = await client.get("/api/journeys", headers={"Accept-Language": "en"})
    assert dutch.status_code == 200, dutch.text
    by_key = {j["key"]: j for j in dutch.json()}
    donor = by_key["new-donor-welcome"]
    assert donor["name"] == "Welkom voor een nieuwe donateur"
    assert donor["owner"] == "party" and donor["purpose"] == "fundraising"
    assert donor["steps"] == 15 and donor["version"] >= 1
    assert donor["trigger"] == "als iemand een machtiging voor automatische incasso geeft"
    english_donor = {j["key"]: j for j in english.json()}["new-donor-welcome"]
    assert english_donor["name"] == "Welcome for a new donor"
    assert english_donor["trigger"] == "when a direct-debit mandate is given"
    countdown = {j["key"]: j for j in english.json()}["election-countdown"]
    assert countdown["trigger"] == "42 days before election day (the segment loyal-voters)"


async def test_a_journey_shows_the_steps_of_its_current_version(app, loaded):
    organiser = await make_user("organiser")
    async with signed_in(app, organiser) as client:
        answer = await client.get("/api/journeys/new-donor-welcome",
                                  headers={"Accept-Language": "en"})  # fmt: skip
        missing = await client.get("/api/journeys/no-such-journey")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    steps = body["step_definitions"]
    assert [s["id"] for s in steps[:4]] == ["thank-you", "collected", "one-week", "by-gift"]
    assert steps[0]["purpose"] == "service" and steps[0]["kind"] == "send"
    branch = steps[3]["cases"][0]
    assert branch["when"] == {"all": [{"field": "trigger.amount", "op": "at_least",
                                       "value": 250}]}  # fmt: skip
    assert body["trigger_definition"]["event"] == "mandate_created"
    assert body["reentry"] == "never" and body["description"].startswith("Thanks within a day")
    assert missing.status_code == 404


async def test_pausing_and_resuming_a_journey_is_audited(app, loaded):
    organiser = await make_user("organiser")
    async with signed_in(app, organiser) as client:
        paused = await client.post("/api/journeys/new-member-welcome/pause")
        listed = {j["key"]: j for j in (await client.get("/api/journeys")).json()}
        again = await client.post("/api/journeys/new-member-welcome/pause")
        resumed = await client.post("/api/journeys/new-member-welcome/resume")
    assert paused.status_code == 200 and paused.json()["paused"] is True
    assert listed["new-member-welcome"]["paused"] is True
    assert again.status_code == 200 and again.json()["paused"] is True
    assert resumed.json()["paused"] is False
    rows = await AuditEvent.select(AuditEvent.action).where(
        (AuditEvent.object_type == "journey") & (AuditEvent.object_id == "new-member-welcome")
        & (AuditEvent.actor_id == organiser.id)
    ).order_by(AuditEvent.id)  # fmt: skip
    assert [r["action"] for r in rows] == ["journey.pause", "journey.resume"]


async def test_a_new_version_keeps_the_pause(app, loaded, tmp_path):
    import shutil

    campaigns = tmp_path / "campaigns"
    shutil.copytree(CAMPAIGNS, campaigns)
    organiser = await make_user("organiser")
    async with signed_in(app, organiser) as client:
        before = (await client.post("/api/journeys/election-countdown/pause")).json()
        path = campaigns / "journeys" / "election-countdown.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("days: 28", "days: 27"))
        await files.sync(campaigns, {s.key for s in segment_files.read(campaigns / "segments")})
        after = (await client.get("/api/journeys/election-countdown")).json()
        assert after["version"] == before["version"] + 1 and after["paused"] is True
        await files.sync(CAMPAIGNS, {s.key for s in segment_files.read(CAMPAIGNS / "segments")})
        await client.post("/api/journeys/election-countdown/resume")


@pytest.mark.parametrize("role,office", [("regional_organiser", None), ("caseworker", 7),
                                         ("representative", 7), ("volunteer", None)])  # fmt: skip
async def test_staff_without_the_right_are_turned_away(app, loaded, role, office):
    member = await make_user(role, regions=["NL-GR"] if role == "regional_organiser" else [],
                             office_id=office)  # fmt: skip
    async with signed_in(app, member) as client:
        for method, url in (("GET", "/api/journeys"), ("GET", "/api/journeys/new-donor-welcome"),
                            ("POST", "/api/journeys/new-donor-welcome/pause")):  # fmt: skip
            answer = await client.request(method, url)
            assert answer.status_code == 403, (method, url, answer.text)
    assert not (await AuditEvent.select(AuditEvent.action).where(
        (AuditEvent.action == "journey.pause") & (AuditEvent.actor_id == member.id)
    ))  # fmt: skip
