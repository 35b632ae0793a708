"""Staff work with people in the web app: a person's page, an import, the duplicates list."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.frontend.browser import api_client, chromium_page, run_worker, sign_in


@pytest.mark.browser
def test_a_person_page_shows_details_and_takes_a_contact_moment_and_consent(
    live_server, staff_user
):
    last_name = f"Timmer{uuid.uuid4().hex[:6]}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        created = client.post("/api/people", json={
            "first_name": "Ilse", "last_name": last_name, "emails": [f"{last_name}@example.org"],
            "address": "Vismarkt 2, 9712 CB Groningen", "tags": ["browser"], "support_level": 4,
            "voted_for_us": True,
        })  # fmt: skip
        assert created.status_code == 201, created.text

    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(live_server + "/people")
        page.get_by_label("Search").fill(last_name)
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name=f"Ilse {last_name}").click()
        expect(page).to_have_url(re.compile(r"/people/\d+$"))
        expect(page.get_by_role("heading", name=f"Ilse {last_name}")).to_be_visible()
        expect(page.get_by_text("Vismarkt 2, 9712 CB Groningen")).to_be_visible()
        expect(page.get_by_text("Loyal voter")).to_be_visible()  # voted for us, support 4
        expect(page.get_by_text("NL-GR")).to_be_visible()  # the region, from the postcode

        contact = page.get_by_role("form", name="Log a contact moment")
        contact.get_by_label("Subject").fill("Thank-you call after the canvass")
        contact.get_by_label("Of value to them").check()
        contact.get_by_role("button", name="Log a contact moment").click()
        timeline = page.get_by_role("list", name="Timeline")
        expect(timeline).to_contain_text("Thank-you call after the canvass")
        expect(timeline).to_contain_text(f"by {staff_user.name}")

        consent = page.get_by_role("table", name="Consent")
        newsletter = consent.get_by_role("row").filter(has_text="Newsletter")
        expect(newsletter).to_contain_text("Unknown")
        form = page.get_by_role("form", name="Record consent")
        form.get_by_label("Wording shown").fill("May we send you our newsletter?")
        form.get_by_role("button", name="Record consent").click()
        expect(newsletter.get_by_role("cell").nth(0)).to_have_text("Yes")  # the e-mail column
        expect(timeline).to_contain_text("Newsletter · E-mail: Yes (by staff)")

        membership = page.get_by_role("form", name="Add membership")
        membership.get_by_label("Branch").fill("Groningen")
        membership.get_by_role("button", name="Add membership").click()
        expect(page.get_by_role("table", name="Memberships")).to_contain_text("New")
        gift = page.get_by_role("form", name="Record a gift")
        gift.get_by_label("Amount (€)").fill("25,50")
        gift.get_by_label("Campaign").fill("winter")
        gift.get_by_role("button", name="Record a gift").click()
        expect(page.get_by_role("table", name="Gifts and mandates")).to_contain_text("€25.50")
        mandate = page.get_by_role("form", name="New mandate")
        mandate.get_by_label("IBAN").fill("NL91ABNA0417164301")
        mandate.get_by_label("Amount (€)").fill("10")
        mandate.get_by_role("button", name="New mandate").click()
        expect(mandate.get_by_role("alert")).to_have_text(
            "This IBAN is refused: the check digits do not match, perhaps a typing error."
        )
        expect(page.get_by_text("Member", exact=True).first).to_be_visible()
        expect(page.get_by_text("Donor", exact=True).first).to_be_visible()

        page.get_by_label("Language").select_option("nl")
        expect(page.get_by_role("heading", name="Tijdlijn")).to_be_visible()

        page.get_by_role("link", name="← Mensen").click()  # the list comes back as it was
        expect(page.get_by_label("Zoeken")).to_have_value(last_name)
        expect(page.get_by_role("status")).to_contain_text(re.compile(r"^1 persoon ·"))
        page.get_by_label("Rol").select_option("loyal_voter")
        page.get_by_label("Geen contact sinds").fill("2000-01-01")
        page.get_by_role("button", name="Zoeken").click()
        expect(page).to_have_url(re.compile(r"last_contact_before=2000-01-01"))
        expect(page.get_by_text("0 mensen")).to_be_visible()  # just contacted, and no voter


@pytest.mark.browser
def test_an_import_in_the_browser_maps_columns_runs_on_a_worker_and_lists_bad_lines(
    live_server, staff_user, test_env, tmp_dir: Path
):
    tag = f"web{uuid.uuid4().hex[:6]}"
    path = tmp_dir / f"{tag}.csv"
    path.write_text(
        "Voornaam,Achternaam,E-mail,Groep\n"
        f"Anna,Bakker,anna.{tag}@example.org,{tag}\n"
        f"Bob,Smit,bob@,{tag}\n",  # Bob lands without the address, reported on line 3
        encoding="utf-8",
    )
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
        page.get_by_label("CSV file").set_input_files(str(path))
        columns = page.get_by_role("table", name="Columns")
        expect(columns.get_by_label("Voornaam")).to_have_value("first_name")
        expect(columns.get_by_label("Groep")).to_have_value("")  # not recognised
        columns.get_by_label("Groep").select_option("tags")
        page.get_by_role("button", name="Start import").click()
        status = page.get_by_test_id("import-status")
        expect(status).to_be_visible()

        run_worker(test_env)  # the job waits on Redis for a worker, as in production

        expect(status).to_contain_text("Done", timeout=15_000)
        expect(status).to_contain_text("2 of 2 lines · 2 new · 0 updated · 1 bad")
        bad = page.get_by_role("table", name="Bad lines")
        expect(bad.get_by_role("row").nth(1)).to_contain_text("3")
        expect(bad.get_by_role("row").nth(1)).to_contain_text(
            "'bob@' is not a valid e-mail address"
        )

        page.reload()  # the import is still there to come back to
        recent = page.get_by_role("table", name="Recent imports")
        recent.get_by_role("button", name=path.name).click()
        expect(status).to_contain_text("2 of 2 lines · 2 new · 0 updated · 1 bad")

        page.goto(live_server + "/people")
        page.get_by_label("Tag").fill(tag)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("status")).to_contain_text(re.compile(r"^2 people ·"))


@pytest.mark.browser
def test_duplicates_are_listed_and_can_be_kept_apart(live_server, staff_user, test_env):
    name = f"Dubbel{uuid.uuid4().hex[:6]}"
    twin = {
        "first_name": "Kees", "last_name": name, "emails": [f"{name}@example.org"],
        "phones": ["+31612345678"], "address": "Markt 1, 9401 AA Assen",
    }  # fmt: skip
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        for _ in range(2):
            response = client.post("/api/people", json=twin)
            assert response.status_code == 201, response.text
    run_worker(test_env)  # the duplicate scan the new people asked for

    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Duplicates").click()
        pair = page.get_by_role("article", name=f"Kees {name} / Kees {name}")
        expect(pair).to_contain_text("same e-mail address")
        pair.get_by_role("button", name="Not a duplicate").click()
        expect(page.get_by_role("status")).to_have_text(
            "Remembered: these are two different people."
        )
        expect(pair).to_have_count(0)
        page.reload()
        expect(page.get_by_role("heading", name="Duplicates")).to_be_visible()
        expect(page.get_by_role("article", name=f"Kees {name} / Kees {name}")).to_have_count(0)


@pytest.mark.browser
def test_staff_add_a_person_see_a_bad_email_refused_and_change_them(live_server, staff_user):
    last_name = f"Nieuw{uuid.uuid4().hex[:6]}"
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(live_server + "/people")
        page.get_by_role("link", name="Add a person").click()
        form = page.get_by_role("form", name="New person")
        form.get_by_label("First name").fill("Sanne")
        form.get_by_label("Last name").fill(last_name)
        form.get_by_label("E-mail addresses").fill("sanne@")
        form.get_by_label("Address", exact=True).fill("Herestraat 10a, 9711 LM Groningen")
        form.get_by_role("button", name="Add a person").click()
        expect(form.get_by_role("alert")).to_contain_text("sanne@")

        form.get_by_label("E-mail addresses").fill(f"{last_name}@example.org")
        form.get_by_role("button", name="Add a person").click()
        expect(page).to_have_url(re.compile(r"/people/\d+$"))
        expect(page.get_by_role("heading", name=f"Sanne {last_name}")).to_be_visible()
        expect(page.get_by_text("Herestraat 10 A, 9711 LM Groningen")).to_be_visible()

        page.get_by_role("button", name="Edit").click()
        edit = page.get_by_role("form", name="Edit person")
        edit.get_by_label("Support (1-5)").select_option("5")
        edit.get_by_label("Voted for us").check()
        edit.get_by_label("Do not contact").check()
        edit.get_by_role("button", name="Save").click()
        expect(edit).to_have_count(0)
        expect(page.get_by_text("Loyal voter")).to_be_visible()
        expect(page.get_by_text("Do not contact")).to_be_visible()
        consent = page.get_by_role("table", name="Consent")
        expect(consent.get_by_role("row").filter(has_text="Newsletter")).to_contain_text("Blocked")


@pytest.mark.browser
def test_a_person_sets_their_own_preferences_from_their_link(live_server, staff_user):
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        person = client.post("/api/people", json={
            "first_name": "Wies", "last_name": f"Link{uuid.uuid4().hex[:6]}", "language": "nl",
        }).json()  # fmt: skip
        client.post(
            f"/api/people/{person['id']}/consent",
            json={"purpose": "newsletter", "channel": "email", "status": "granted"},
        )

    with chromium_page() as page:  # staff find the link on the person's page
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(f"{live_server}/people/{person['id']}")
        page.get_by_role("button", name="Show the preferences link (to send)").click()
        url = page.get_by_label("Preferences link").input_value()
        assert url.startswith(live_server + "/preferences/")

    with chromium_page(locale="en-GB") as page:  # the person, not signed in, in their language
        page.goto(url)
        expect(page.get_by_role("heading", name="Uw voorkeuren, Wies")).to_be_visible()
        newsletter = page.get_by_label("Nieuwsbrief: E-mail")
        expect(newsletter).to_be_checked()
        newsletter.uncheck()
        page.get_by_label("Enquêtes: Post").check()
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("status")).to_have_text("Opgeslagen. Dank u wel.")
        page.reload()
        expect(page.get_by_label("Nieuwsbrief: E-mail")).not_to_be_checked()
        expect(page.get_by_label("Enquêtes: Post")).to_be_checked()


@pytest.fixture
async def routed_case(app):
    """A case from a constituent, already routed to an office (as routing would)."""
    from achterban.casework import service as cases
    from achterban.casework.schemas import CaseCreate
    from achterban.casework.tables import Case
    from achterban.districts.tables import Office
    from achterban.platform.auth import SYSTEM

    office = Office(name=f"Office {uuid.uuid4().hex[:6]}")
    await office.save()
    subject = f"Mould in the flat {uuid.uuid4().hex[:6]}"
    row = await cases.do_create_case(SYSTEM, CaseCreate(
        subject=subject, description="The landlord does not answer.", topic="housing",
        address="Vismarkt 2, 9712 CB Groningen", name="Els Dijk",
        email=f"els.{uuid.uuid4().hex[:6]}@example.org",
    ))  # fmt: skip
    # new, and with this office (whatever offices other tests left for routing to find)
    await Case.update({Case.office: office.id, Case.status: "new", Case.assignee_id: None}).where(
        Case.id == row.id
    )
    return {"reference": row.reference, "subject": subject}


@pytest.mark.browser
def test_a_caseworker_works_a_case_from_the_inbox_to_closed(live_server, staff_user, routed_case):
    reference, subject = routed_case["reference"], routed_case["subject"]
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
        page.get_by_role("link", name=reference).click()
        expect(page.get_by_role("heading", name=f"{reference}: {subject}")).to_be_visible()
        expect(page.get_by_text("The landlord does not answer.")).to_be_visible()

        log = page.get_by_role("form", name="Add to the log")
        log.get_by_label("Notes").fill("Called the landlord, no answer.")
        log.get_by_role("button", name="Add to the log").click()
        expect(page.get_by_role("list", name="Case log")).to_contain_text(
            "Called the landlord, no answer."
        )
        tasks = page.get_by_role("form", name="Add task")
        tasks.get_by_label("Task").fill("Write to the housing corporation")
        tasks.get_by_role("button", name="Add task").click()
        task = page.get_by_role("list", name="Tasks").get_by_label(
            re.compile("Write to the housing corporation")
        )
        task.click()  # saved, then shown as done
        expect(task).to_be_checked()

        page.get_by_role("button", name="Take it on myself").click()
        expect(page.locator(".badges")).to_contain_text("Assigned")
        resolve = page.get_by_role("form", name="Resolve")
        resolve.get_by_label("Resolution").fill("The corporation will treat the mould.")
        resolve.get_by_role("button", name="Resolve").click()
        expect(page.locator(".badges")).to_contain_text("Resolved")
        expect(page.get_by_text("The corporation will treat the mould.").first).to_be_visible()
        page.get_by_role("button", name="Close").click()
        expect(page.locator(".badges")).to_contain_text("Closed")
