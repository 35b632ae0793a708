"""An admin sets up a colleague's account in the SPA, hands over the invitation link, and the
colleague chooses a password and signs in; a deactivated colleague's open session ends; every
user changes their own language and makes an API token on their account page (Chromium)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.frontend.browser import CHROMIUM_ARGS, api_client, assert_accessible
from tests.frontend.test_people_settle import _dutch_only

NEW_PASSWORD = "een eigen lang wachtwoord"


def _sign_in_nl(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r"/login$"))


@pytest.mark.browser
def test_an_admin_invites_a_colleague_who_sets_a_password_and_signs_in(live_server, staff_user):
    email = f"cas.{uuid.uuid4().hex[:6]}@test.achterban.example"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        admin = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(admin, live_server, staff_user.email, staff_user.password)
        admin.get_by_role("navigation").get_by_role("link", name="Medewerkers").click()
        expect(admin.get_by_role("heading", name="Medewerkers", exact=True)).to_be_visible()
        expect(admin.get_by_role("row").filter(has_text=staff_user.email)).to_contain_text(
            "Beheerder"
        )
        form = admin.get_by_role("form", name="Nieuw account")
        form.get_by_label("Naam").fill("Cas Werker")
        form.get_by_label("E-mailadres").fill(email)
        form.get_by_role("combobox", name="Rol", exact=True).select_option("volunteer")
        form.get_by_role("button", name="Account aanmaken").click()
        handover = admin.get_by_role("status").filter(has_text="Account aangemaakt voor Cas Werker")
        expect(handover).to_be_visible()
        link = handover.get_by_role("textbox").input_value()
        assert re.match(
            re.escape(live_server) + r"/set-password/\d+\.\d+\.\d+\.[0-9a-f]{32}$", link
        )
        row = admin.get_by_role("row").filter(has_text=email)
        expect(row).to_contain_text("Vrijwilliger")
        expect(row).to_contain_text("wacht op wachtwoord")
        expect(row).to_contain_text("nog nooit")
        assert_accessible(admin)
        # the words of the page, not the names in it (other accounts, offices to choose)
        admin.evaluate(
            """() => {
                document.querySelectorAll("tbody").forEach((t) => t.remove());
                for (const label of document.querySelectorAll("label"))
                    if (label.firstChild?.textContent === "Kantoor")
                        label.querySelectorAll("option").forEach((o) => o.remove());
            }"""
        )
        _dutch_only(admin)

        colleague = browser.new_context(locale="nl-NL").new_page()
        colleague.goto(link)
        expect(colleague.get_by_role("heading", name="Kies uw wachtwoord")).to_be_visible()
        assert_accessible(colleague)
        colleague.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
        colleague.get_by_label("Nieuw wachtwoord nogmaals").fill(NEW_PASSWORD + "x")
        expect(colleague.get_by_text("De twee wachtwoorden verschillen.")).to_be_visible()
        colleague.get_by_label("Nieuw wachtwoord nogmaals").fill(NEW_PASSWORD)
        colleague.get_by_role("button", name="Wachtwoord instellen").click()
        expect(colleague.get_by_role("status")).to_have_text("Uw wachtwoord is ingesteld.")
        colleague.get_by_role("link", name="Naar inloggen").click()
        _sign_in_nl(colleague, live_server, email, NEW_PASSWORD)
        expect(colleague.get_by_test_id("current-user")).to_have_text("Cas Werker")

        # the same link again: spent
        spent = browser.new_context(locale="nl-NL").new_page()
        spent.goto(link)
        spent.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
        spent.get_by_label("Nieuw wachtwoord nogmaals").fill(NEW_PASSWORD)
        spent.get_by_role("button", name="Wachtwoord instellen").click()
        expect(spent.get_by_role("alert")).to_contain_text("Deze link werkt niet (meer)")

        # the admin deactivates the colleague: their open session ends at once
        admin.reload()
        admin.get_by_role("link", name="Cas Werker").click()
        expect(admin.get_by_role("heading", name="Cas Werker")).to_be_visible()
        assert_accessible(admin)
        admin.once("dialog", lambda dialog: dialog.accept())
        admin.get_by_role("button", name="Deactiveren").click()
        expect(admin.get_by_text("Gedeactiveerd")).to_be_visible()
        colleague.reload()
        expect(colleague).to_have_url(re.compile(r"/login$"))
        with api_client(live_server, staff_user.email, staff_user.password) as client:
            entries = client.get("/api/audit", params={"action": "user.update"}).json()["items"]
        assert any(e["detail"].get("active") == {"before": True, "after": False} for e in entries)
        browser.close()


@pytest.mark.browser
def test_on_my_account_page_i_keep_my_language_and_make_a_token(live_server, staff_user):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        # on the staff screen one's own account has no reset or deactivate: it points here
        page.goto(f"{live_server}/users/{staff_user.id}")
        expect(page.get_by_role("link", name=re.compile("Dit is uw eigen account"))).to_be_visible()
        expect(page.get_by_role("button", name="Deactiveren")).to_have_count(0)
        page.get_by_test_id("current-user").click()
        expect(page.get_by_role("heading", name="Mijn account")).to_be_visible()
        expect(page.get_by_text("Niet ingesteld.")).to_be_visible()
        _dutch_only(page)
        assert_accessible(page)
        page.get_by_label("Naam van het token").fill("koppeling")
        page.get_by_role("button", name="Token maken").click()
        expect(
            page.get_by_role("status").filter(has_text="Het geheim van koppeling")
        ).to_contain_text("abt_")
        expect(page.get_by_role("row").filter(has_text="koppeling")).to_be_visible()
        page.get_by_role("region", name="Taal van Achterban").get_by_label("Taal").select_option(
            "en"
        )
        expect(page.get_by_role("heading", name="My account")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="Language saved.")).to_be_visible()
        with api_client(live_server, staff_user.email, staff_user.password) as client:
            assert client.get("/api/auth/me").json()["user"]["language"] == "en"
            client.patch("/api/auth/me", json={"language": "nl"})  # as the other tests expect
        browser.close()
