"""An admin sets up a Dutch council office in the SPA, gives it a caseworker with a topic, and
a constituent's case from that municipality lands with that caseworker (Chromium, in Dutch)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from achterban.districts import loaders
from tests.frontend.browser import CHROMIUM_ARGS, api_client, assert_accessible
from tests.frontend.test_case_form import _box, _fill
from tests.frontend.test_people_settle import _dutch_only
from tests.frontend.test_staff_pages import _sign_in_nl

LELYSTAD = "Stadhuisplein 2, 8232 ZX Lelystad"


@pytest.fixture(scope="module")
async def maps(app):
    await loaders.load_nl_pc4()


@pytest.mark.browser
def test_an_admin_sets_up_a_council_office_whose_caseworker_gets_the_case(
    live_server, staff_user, maps
):
    worker_email = f"wonen.{uuid.uuid4().hex[:6]}@test.achterban.example"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        nav = page.get_by_role("navigation")
        nav.get_by_role("link", name="Kantoren").click()
        expect(page.get_by_role("heading", name="Kantoren", exact=True)).to_be_visible()
        form = page.get_by_role("form", name="Nieuw kantoor")
        form.get_by_label("Naam van het kantoor").fill("Fractie Lelystad")
        form.get_by_role("combobox", name="Soort", exact=True).select_option("municipal")
        form.get_by_label("Gebied").fill("Lelystad")
        form.get_by_label("Voor wie (volksvertegenwoordiger of fractie)").fill("Fractie Lelystad")
        form.get_by_label("Partij").fill("Achterban")
        expect(page.locator("datalist option[value='Lelystad']")).to_have_count(1)  # as one types
        form.get_by_role("button", name="Kantoor aanmaken").click()
        expect(page.get_by_role("status").filter(has_text="aangemaakt")).to_have_text(
            "Kantoor Fractie Lelystad aangemaakt."
        )
        page.get_by_label("Kantoren zoeken").fill("Lelystad")
        row = page.get_by_role("row").filter(has_text="Fractie Lelystad").first
        expect(row).to_contain_text("Gemeenteraadsfractie")
        expect(row).to_contain_text("Lelystad")
        _dutch_only(page)
        assert_accessible(page)

        nav.get_by_role("link", name="Medewerkers").click()
        account = page.get_by_role("form", name="Nieuw account")
        account.get_by_label("Naam").fill("Wendy Wonen")
        account.get_by_label("E-mailadres").fill(worker_email)
        account.get_by_role("combobox", name="Rol", exact=True).select_option("caseworker")
        account.get_by_role("combobox", name="Kantoor", exact=True).select_option(
            label="Fractie Lelystad"
        )
        account.get_by_role("button", name="Account aanmaken").click()
        expect(page.get_by_role("status").filter(has_text="Wendy Wonen")).to_be_visible()

        nav.get_by_role("link", name="Kantoren").click()
        page.get_by_label("Kantoren zoeken").fill("Lelystad")
        page.get_by_role("link", name="Fractie Lelystad").first.click()
        expect(page.get_by_role("heading", name="Fractie Lelystad")).to_be_visible()
        page.get_by_label("Thema toewijzen: Wendy Wonen").select_option("housing")
        expect(page.get_by_role("row").filter(has_text="Wendy Wonen")).to_contain_text("Wonen")
        assert_accessible(page)

        # a resident of Lelystad sends a case on the public page: it lands with Wendy
        visitor = browser.new_context(locale="nl-NL").new_page()
        visitor.goto(live_server + "/form")
        _fill(visitor, f"Zandstra{uuid.uuid4().hex[:4]}")
        _box(visitor.get_by_role("form", name="Uw zaak"), "Adres").fill(LELYSTAD)
        visitor.get_by_role("button", name="Zaak versturen").click()
        expect(visitor.get_by_role("heading", name="Uw zaak is ontvangen")).to_be_visible()
        reference = visitor.get_by_test_id("case-reference").inner_text().strip()
        with api_client(live_server, staff_user.email, staff_user.password) as client:
            cases = client.get("/api/cases", params={"view": "all", "q": reference}).json()
            office = next(
                o for o in client.get("/api/offices").json() if o["name"] == "Fractie Lelystad"
            )
        found = [c for c in cases["items"] if c["reference"] == reference]
        assert found and found[0]["office_id"] == office["id"], cases
        assert found[0]["assignee_name"] == "Wendy Wonen", found[0]

        # the office with an open case is not deactivated
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Kantoor deactiveren").click()
        expect(page.get_by_text(re.compile(r"Eerst verplaatsen of sluiten"))).to_contain_text(
            reference
        )
        browser.close()


@pytest.mark.browser
def test_the_area_data_page_lists_what_is_loaded_and_loads_a_council_file(
    live_server, staff_user, maps, tmp_path
):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation").get_by_role("link", name="Gebieden").click()
        expect(
            page.get_by_role("heading", name="Gebieden en volksvertegenwoordigers")
        ).to_be_visible()
        municipalities = (
            page.get_by_role("row").filter(has_text="pc4_gemeente.csv").filter(has_text="Gemeente")
        )
        expect(municipalities.first).to_contain_text("1 jan 2026")
        expect(municipalities.first.get_by_role("cell").last).to_have_text("ja")
        assert_accessible(page)
        council = tmp_path / "raad-urk.csv"
        council.write_text(
            "gemeente,naam,partij,functie,vanaf,tot\n"
            "Urk,Ulbe Urker,Achterban,raadslid,2026-03-26,\n"
            "Urk,Wim Wethouder,Achterban,wethouder,2026-05-01,2030-03-27\n"
            "Atlantis,Niemand,Achterban,raadslid,2026-03-26,\n"
        )
        page.get_by_label("Bestand").set_input_files(str(council))
        page.get_by_role("button", name="Laden", exact=True).click()
        loaded = page.get_by_role("status")
        expect(loaded).to_contain_text("2 toegevoegd, 0 gewijzigd, 1 regels niet geladen.")
        expect(loaded).to_contain_text("Regel 4: Er is geen huidige gemeente Atlantis.")
        expect(page.get_by_role("row").filter(has_text="Wethouders").first).to_be_visible()

        reps = page.get_by_role("region", name="Volksvertegenwoordigers van een gebied")
        reps.get_by_label("Gebied").fill("Urk")
        expect(reps.get_by_role("row").filter(has_text="Ulbe Urker")).to_contain_text(
            "Gemeenteraad"
        )
        reps.get_by_label("Laatste dag: Wim Wethouder").fill("2026-11-30")
        reps.get_by_role("row").filter(has_text="Wim Wethouder").get_by_role("button").click()
        expect(reps.get_by_role("row").filter(has_text="Wim Wethouder")).to_contain_text(
            "30 nov 2026"
        )
        add = reps.get_by_role("form", name="Volksvertegenwoordiger toevoegen")
        add.get_by_label("Naam").fill("Willemijn Opvolger")
        add.get_by_role("combobox", name="Wat", exact=True).select_option("alderman")
        add.get_by_label("Geldig vanaf").fill("2026-12-01")
        add.get_by_role("button", name="Volksvertegenwoordiger toevoegen").click()
        expect(reps.get_by_role("row").filter(has_text="Willemijn Opvolger")).to_contain_text(
            "Wethouders"
        )
        assert_accessible(page)
        # file names (zccd.csv, legislators-current.yaml) are read as such, like codes
        page.evaluate("document.querySelectorAll('td code').forEach((c) => c.remove())")
        _dutch_only(page)
        browser.close()


@pytest.mark.browser
def test_an_admin_hands_over_an_office_whose_seat_changed_hands(live_server, staff_user, maps):
    """The office page's Handover, in Dutch: a transfer is refused without the constituent's
    consent and recorded with it; a staff account is deactivated; nothing else moves."""
    from datetime import date, timedelta

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        old = client.post("/api/offices", json={
            "name": "Fractie Meppel (vorige)", "jurisdiction": "NL-GM-meppel",
            "representative": "Mara Meppel", "kind": "municipal",
        }).json()  # fmt: skip
        client.post("/api/users", json={
            "email": f"meppel.{uuid.uuid4().hex[:6]}@test.achterban.example",
            "name": "Mees Meppel", "role": "caseworker", "office_id": old["id"],
        }).raise_for_status()  # fmt: skip
        case = client.post("/api/cases", json={
            "subject": "Speeltuin", "description": "Kapot", "topic": "housing",
            "address": "Hoofdstraat 1, 7941 AA Meppel", "name": "Inge Inwoner",
            "email": f"inge.{uuid.uuid4().hex[:6]}@example.org",
        }).json()  # fmt: skip
        reps = client.get("/api/representatives", params={"jurisdiction": "NL-GM-meppel"}).json()
        rep = next(r for r in reps if r["name"] == "Mara Meppel")
        client.patch(f"/api/representatives/{rep['id']}", json={
            "valid_from": "2026-03-26", "valid_to": yesterday,
        }).raise_for_status()  # fmt: skip
        client.post("/api/offices", json={
            "name": "Fractie Meppel", "jurisdiction": "NL-GM-meppel",
            "representative": "Nico Nieuw", "kind": "municipal",
        }).raise_for_status()  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        page.goto(f"{live_server}/offices/{old['id']}")
        expect(page.get_by_text("De zetel heeft een opvolger.")).to_be_visible()
        handover = page.get_by_role("region", name="Overdracht")
        expect(handover.get_by_role("row").filter(has_text=case["reference"])).to_contain_text(
            "Wonen"
        )
        form = handover.get_by_role("form", name="Besluit over een zaak")
        form.get_by_role("combobox", name="Zaak", exact=True).select_option(case["reference"])
        to_office = form.get_by_role("combobox", name="Naar kantoor")
        to_office.select_option(label="Fractie Meppel (opvolger)")
        form.get_by_role("button", name="Besluit vastleggen").click()
        how = form.get_by_role("textbox", name="Hoe en wanneer stemde de indiener in?")
        expect(how).to_have_attribute("aria-invalid", "true")  # no consent yet: refused
        expect(form.get_by_role("alert")).to_contain_text("noteer hoe en wanneer")
        form.get_by_label("De indiener stemde in met de overdracht").check()
        how.fill("telefonisch, 1 december")
        form.get_by_role("button", name="Besluit vastleggen").click()
        expect(handover.get_by_text("Alle zaken zijn besloten.")).to_be_visible()
        _dutch_only(page)
        assert_accessible(page)
        page.once("dialog", lambda dialog: dialog.accept())
        handover.get_by_role("button", name="Deactiveren").click()
        expect(handover.get_by_text("Alle accounts zijn bekeken.")).to_be_visible()
        browser.close()
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        moved = client.get(f"/api/cases/{case['id']}").json()
        successor = next(o for o in client.get("/api/offices").json()
                         if o["name"] == "Fractie Meppel")  # fmt: skip
    assert moved["office_id"] == successor["id"] and moved["status"] == "triaged"
