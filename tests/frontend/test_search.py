"""Staff find a person in the web app by whatever they know of them."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_DB
from tests.frontend.browser import api_client, chromium_page, sign_in


@pytest.mark.browser
def test_staff_find_a_person_by_what_they_know(live_server, staff_user):
    digits = f"{random.randrange(10**7):07d}"
    local = f"zoe.quist{digits}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        created = client.post("/api/people", json={
            "first_name": "Zoë", "infix": "van der", "last_name": f"Quist{digits}",
            "emails": [f"{local}@example.org"], "phones": [f"06 2{digits}"],
            "address": "Hoofdstraat 5, 7811 EP Emmen",
        })  # fmt: skip
        assert created.status_code == 201, created.text
    name = f"Zoë van der Quist{digits}"

    queries = [
        f"zoe quist{digits}",  # accents and case don't matter
        f"Quist{digits} Zoë",  # a full name in the other order
        f"van der Quist{digits}",  # the surname with its infix
        f"Quist{digits}",  # the surname without it
        f"quist{digits}@exam",  # part of the e-mail address
        f"+31 6 2{digits[:3]} {digits[3:]}",  # the phone number written another way
        f"062{digits}",
    ]
    if TEST_DB == "postgres":
        queries.append(f"Zoe van der Qiust{digits}")  # a small typo
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(live_server + "/people")
        for query in queries:
            page.get_by_label("Search").fill(query)
            page.get_by_role("button", name="Search").click()
            expect(page.get_by_role("link", name=name), query).to_be_visible()

        # a postcode with or without its space, or just its digits, and the city, with the name
        for query in ["7811EP", "7811 ep", "Emmen Zoë", "7811 Zoe"]:
            page.get_by_label("Search").fill(query)
            page.get_by_role("button", name="Search").click()
            expect(page.get_by_role("link", name=name), query).to_be_visible()

        page.get_by_label("Search").fill(f"Quist{digits}")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("status")).to_contain_text(re.compile(r"^1 person ·"))


@pytest.mark.browser
def test_a_case_reference_finds_the_constituent(live_server, staff_user):
    digits = f"{random.randrange(10**7):07d}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        person = client.post("/api/people", json={
            "first_name": "Mirte", "last_name": f"Zaak{digits}",
            "address": "Vismarkt 2, 9712 CB Groningen",
        })  # fmt: skip
        assert person.status_code == 201, person.text
        case = client.post("/api/cases", json={
            "subject": "Stoep", "description": "Losse tegels", "topic": "roads",
            "address": "Vismarkt 2, 9712 CB Groningen", "person_id": person.json()["id"],
        })  # fmt: skip
        assert case.status_code == 201, case.text
    reference = case.json()["reference"]
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(live_server + "/people")
        for query in (reference, reference.lower()):
            page.get_by_label("Search").fill(query)
            page.get_by_role("button", name="Search").click()
            expect(page.get_by_role("link", name=f"Mirte Zaak{digits}"), query).to_be_visible()
            expect(page.get_by_role("status")).to_contain_text(re.compile(r"^1 person ·"))
