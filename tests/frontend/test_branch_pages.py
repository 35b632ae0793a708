"""An admin creates a branch for a municipality in the SPA, in Dutch, sees it listed, and gives
it a chair found by searching the people (Chromium; axe finds nothing)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from achterban.districts import loaders
from tests.frontend.browser import CHROMIUM_ARGS, api_client, assert_accessible
from tests.frontend.test_people_settle import _dutch_only
from tests.frontend.test_staff_pages import _sign_in_nl


@pytest.fixture(scope="module")
async def maps(app):
    await loaders.load_nl_pc4()


@pytest.mark.browser
def test_an_admin_creates_a_branch_in_dutch_sees_it_listed_and_gives_it_a_chair(
    live_server, staff_user, maps
):
    name = f"Afdeling Veendam {uuid.uuid4().hex[:6]}"
    chair = f"Voorzitter{uuid.uuid4().hex[:6]}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        made = client.post("/api/people", json={
            "first_name": "Greet", "last_name": chair, "address": "Markt 1, 9641 AM Veendam",
        })  # fmt: skip
        assert made.status_code == 201, made.text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation").get_by_role("link", name="Afdelingen").click()
        expect(page.get_by_role("heading", name="Afdelingen", exact=True)).to_be_visible()
        form = page.get_by_role("form", name="Nieuwe afdeling")
        form.get_by_label("Naam van de afdeling").fill(name)
        form.get_by_label("Gemeente of provincie").fill("Veendam")
        expect(page.locator("datalist option[value='Veendam']")).to_have_count(1)  # as one types
        form.get_by_role("button", name="Toevoegen").click()
        expect(form.get_by_role("listitem")).to_have_text("Veendam (Gemeente) Veendam weghalen")
        form.get_by_role("button", name="Afdeling aanmaken").click()
        expect(page.get_by_role("status").filter(has_text="aangemaakt")).to_have_text(
            f"Afdeling {name} aangemaakt."
        )
        page.get_by_label("Afdelingen zoeken").fill(name)
        row = page.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text("Veendam")
        expect(row).to_contain_text("Actief")
        _dutch_only(page)
        assert_accessible(page)

        # its chair: a person found by name
        row.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        officer = page.get_by_role("form", name="Bestuurder toevoegen")
        officer.get_by_role("combobox", name="Functie").select_option("chair")
        officer.get_by_label("Persoon zoeken").fill(chair)
        officer.get_by_role("button", name=f"Kies Greet {chair} (Veendam)").click()
        expect(officer.get_by_role("status")).to_have_text(f"Gekozen: Greet {chair}")
        officer.get_by_role("button", name="Bestuurder toevoegen").click()
        posts = page.get_by_role("row").filter(has_text=f"Greet {chair}")
        expect(posts).to_contain_text("Voorzitter")
        expect(
            posts.get_by_role("button", name=f"Termijn van Greet {chair} beëindigen")
        ).to_be_visible()
        _dutch_only(page)
        assert_accessible(page)
        browser.close()
