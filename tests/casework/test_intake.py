"""The public case form never writes on someone else's record, and tells nobody whether
an e-mail address is known; the honeypot answers like a real receipt."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest

from achterban.casework.tables import Case
from achterban.consent.tables import ConsentEvent
from achterban.districts import loaders
from achterban.districts.tables import CaseworkerTopic, Jurisdiction, Office, Representative
from achterban.people.tables import Person
from tests.conftest import client_for, make_user, run_jobs, signed_in


@pytest.fixture(scope="module")
async def leeuwarden(app):
    """A staffed office for Leeuwarden, where no other test's offices are."""
    await loaders.load_nl_pc4()
    jurisdiction = (
        await Jurisdiction.select(Jurisdiction.id)
        .where(Jurisdiction.code == "NL-GM-leeuwarden")
        .first()
    )
    rep = Representative(external_id=f"leeuwarden-{uuid.uuid4().hex[:4]}", name="Raad Leeuwarden",
                         chamber="council", jurisdiction=jurisdiction["id"],
                         valid_from=date(2026, 1, 1))  # fmt: skip
    await rep.save()
    office = Office(name="Fractie Leeuwarden", representative=rep.id, kind="municipal")
    await office.save()
    worker = await make_user("caseworker", office_id=office.id)
    await CaseworkerTopic(office=office.id, user_id=worker.id, topic="housing").save()
    loaders.invalidate()
    return worker


LEEUWARDEN = "Nieuwestad 1, 8911 CS Leeuwarden"


def _form(email: str, **fields):
    return {
        "name": "Stranger Danger", "email": email, "subject": "Please help",
        "description": "It concerns my neighbour", "topic": "housing",
        "address": "Vismarkt 2, 9712 CB Groningen", "follow_up_consent": True, **fields,
    }  # fmt: skip


async def _supporter(client, address: str = "Vismarkt 2, 9712 CB Groningen"):
    email = f"known.{uuid.uuid4().hex[:6]}@example.org"
    response = await client.post("/api/people", json={
        "first_name": "Known", "last_name": f"Supporter{uuid.uuid4().hex[:4]}",
        "emails": [email], "address": address,
    })  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json(), email


async def test_a_known_email_on_the_form_gets_its_own_provisional_person(app, admin_client):
    supporter, email = await _supporter(admin_client)
    async with client_for(app) as anon:
        response = await anon.post("/api/public/cases", json=_form(email))
    assert response.status_code == 202, response.text
    case = await Case.select().where(Case.reference == response.json()["reference"]).first()
    # nothing on the supporter's record: no case, no consent nobody verified
    assert case["person"] != supporter["id"]
    assert not await Case.exists().where(Case.person == supporter["id"])
    assert not await ConsentEvent.exists().where(ConsentEvent.person == supporter["id"])
    # the consent the stranger gave is on the stranger's own record
    consent = await ConsentEvent.select().where(ConsentEvent.person == case["person"])
    assert [(c["purpose"], c["status"]) for c in consent] == [("casework_followup", "granted")]
    provisional = await Person.select().where(Person.id == case["person"]).first()
    assert (provisional["first_name"], provisional["source"]) == ("Stranger", "case:form")
    # and staff are shown the two as a possible duplicate
    await run_jobs()
    page = (await admin_client.get("/api/dedupe/candidates", params={"limit": 500})).json()
    pairs = {(c["a"]["id"], c["b"]["id"]): c["reasons"] for c in page["items"]}
    pair = tuple(sorted((supporter["id"], case["person"])))
    assert pairs[pair] == ["same e-mail address"]


async def test_the_answer_and_the_work_are_the_same_known_or_not(app, admin_client):
    _supporter_row, known = await _supporter(admin_client)
    unknown = f"nobody.{uuid.uuid4().hex[:6]}@example.org"
    answers, people_made = [], []
    for email in (known, unknown):
        before = await Person.count()
        async with client_for(app) as anon:
            response = await anon.post("/api/public/cases", json=_form(email))
        people_made.append(await Person.count() - before)
        body = response.json()
        answers.append((response.status_code, sorted(body), re.sub(r"C-\w+", "C-?", str(body))))
    assert answers[0] == answers[1]
    assert people_made == [1, 1]


async def test_the_honeypot_answers_like_a_real_receipt_and_stores_nothing(app):
    email = f"bot.{uuid.uuid4().hex[:6]}@example.org"
    async with client_for(app) as anon:
        real = await anon.post("/api/public/cases", json=_form(f"real.{email}"))
        cases, people = await Case.count(), await Person.count()
        bot = await anon.post("/api/public/cases", json=_form(email, website="http://spam"))
    assert (bot.status_code, bot.headers["content-type"]) == (
        real.status_code, real.headers["content-type"],
    )  # fmt: skip
    assert sorted(bot.json()) == sorted(real.json())
    assert re.fullmatch(r"C-[0-9A-F]{8}", bot.json()["reference"])
    assert bot.json()["message"].replace(bot.json()["reference"], "") == real.json()[
        "message"
    ].replace(real.json()["reference"], "")
    assert (await Case.count(), await Person.count()) == (cases, people)
    assert not await Case.exists().where(Case.reference == bot.json()["reference"])


async def test_staff_learn_nothing_about_an_email_outside_their_scope(app, leeuwarden):
    admin = await make_user("admin")
    async with signed_in(app, admin) as admin_client:
        outside, outside_email = await _supporter(admin_client, "Markt 7, 9401 AA Assen")
        inside, inside_email = await _supporter(admin_client, LEEUWARDEN)
    unknown = f"new.{uuid.uuid4().hex[:6]}@example.org"
    async with signed_in(app, leeuwarden) as worker:
        answers = {}
        for label, email in (("outside", outside_email), ("inside", inside_email),
                             ("unknown", unknown)):  # fmt: skip
            response = await worker.post("/api/cases", json={
                "subject": "Noise", "description": "at night", "topic": "housing",
                "address": LEEUWARDEN, "name": "Some One", "email": email,
            })  # fmt: skip
            assert response.status_code == 201, response.text
            answers[label] = response.json()
    # their own office's constituent is found; the other office's address is a new person
    assert answers["inside"]["person_id"] == inside["id"]
    assert answers["outside"]["person_id"] not in (None, outside["id"])
    assert not await Case.exists().where(Case.person == outside["id"])
    assert sorted(answers["outside"]) == sorted(answers["unknown"])


async def test_empty_and_bad_fields_are_named_in_the_forms_language_and_nothing_is_stored(app):
    before = (await Case.count(), await Person.count())
    async with client_for(app) as anon:
        empty = await anon.post("/api/public/cases", json=_form(
            "", name=" ", subject="", description="", address="", topic="", language="nl",
        ))  # fmt: skip
        bad = await anon.post("/api/public/cases", json=_form(
            "nobody@", phone="call me", topic="gardening", language="en",
        ))  # fmt: skip
    assert empty.status_code == 400 and empty.json()["type"].endswith(":validation")
    assert {e["key"]: e["message"] for e in empty.json()["errors"]} == {
        "name": "Vul uw naam in.",
        "email": "Vul uw e-mailadres in.",
        "address": "Vul uw adres in.",
        "topic": "Kies waar uw zaak over gaat.",
        "subject": "Vul een onderwerp in.",
        "description": "Beschrijf waar uw zaak over gaat.",
    }
    assert bad.status_code == 400
    assert {e["key"]: e["message"] for e in bad.json()["errors"]} == {
        "email": "This is not an e-mail address.",
        "phone": "This is not a phone number.",
        "topic": "Choose what your case is about.",
    }
    assert (await Case.count(), await Person.count()) == before


async def test_the_phone_on_the_form_is_kept_on_the_provisional_person(app, admin_client):
    email = f"phone.{uuid.uuid4().hex[:6]}@example.org"
    async with client_for(app) as anon:
        response = await anon.post("/api/public/cases", json=_form(email, phone="06 12345678"))
    assert response.status_code == 202, response.text
    case = await Case.select(Case.person).where(Case.reference == response.json()["reference"])
    person = (await admin_client.get(f"/api/people/{case[0]['person']}")).json()
    assert person["phones"] == ["+31612345678"]


async def test_the_form_lists_the_configured_topics_in_both_languages(anon):
    response = await anon.get("/api/public/case-topics")
    assert response.status_code == 200
    topics = {t["code"]: t["label"] for t in response.json()}
    assert topics["housing"] == {"nl": "Wonen", "en": "Housing"}
    assert list(topics)[-1] == "other" and len(topics) == 8
