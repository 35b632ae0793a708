"""A user builds a segment in the SPA, in Dutch: picks conditions from what the API offers,
sees the count and the first people change as they edit, saves it, lands on the people list
of the segment, and finds it listed with its count (Chromium; axe finds nothing)."""

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
def test_a_segment_is_built_counted_saved_and_opened_in_dutch(live_server, staff_user, maps):
    tag = f"seg{uuid.uuid4().hex[:6]}"
    name = f"Groningers {tag}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        for first, address in (("Gerda", "Vismarkt 2, 9712 CB Groningen"),
                               ("Ad", "Markt 1, 9401 AA Assen"),
                               ("Geert", "Herestraat 1, 9711 LA Groningen")):  # fmt: skip
            made = client.post("/api/people", json={
                "first_name": first, "last_name": "Segmentproef", "tags": [tag],
                "address": address,
            })  # fmt: skip
            assert made.status_code == 201, made.text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation").get_by_role("link", name="Segmenten").click()
        form = page.get_by_role("form", name="Nieuw segment")
        form.get_by_label("Naam van het segment").fill(name)
        form.get_by_label("Voorwaarde 1: gegeven").select_option(label="Label")
        form.get_by_label("Voorwaarde 1: waarde").select_option(tag)
        count = form.get_by_role("status")
        expect(count).to_have_text("3 mensen")
        form.get_by_role("button", name="Voorwaarde toevoegen").click()
        form.get_by_label("Voorwaarde 2: gegeven").select_option(label="Regio (provincie of staat)")
        form.get_by_label("Voorwaarde 2: waarde").fill("NL-GR")
        expect(count).to_have_text("2 mensen")  # the count follows the edit
        preview = form.get_by_role("list", name="De eersten van het segment")
        expect(preview.get_by_role("listitem")).to_have_count(2)
        expect(preview).not_to_contain_text("Ad ")
        _dutch_only(page)
        assert_accessible(page)
        form.get_by_role("button", name="Segment opslaan").click()
        # the people list of the segment
        expect(page.get_by_role("note")).to_contain_text(f"Alleen de mensen van het segment {name}")
        expect(page.get_by_role("link", name="Gerda Segmentproef")).to_be_visible()
        expect(page.get_by_role("link", name="Ad Segmentproef")).to_have_count(0)
        assert_accessible(page)
        page.get_by_role("navigation").get_by_role("link", name="Segmenten").click()
        row = page.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text("2 mensen")
        browser.close()
