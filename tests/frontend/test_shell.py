"""A staff member signs in to the web app in Chromium, finds their way and signs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.frontend.browser import CHROMIUM_ARGS


@pytest.mark.browser
def test_sign_in_see_the_shell_switch_language_read_audit_and_sign_out(live_server, staff_user):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.goto(live_server + "/")
        expect(page).to_have_url(re.compile(r"/login$"))

        page.get_by_label("E-mail address").fill(staff_user.email)
        page.get_by_label("Password").fill("wrong password entirely")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text("Wrong e-mail address or password.")

        page.get_by_label("Password").fill(staff_user.password)
        page.get_by_role("button", name="Sign in").click()
        nav = page.get_by_role("navigation")  # one, named in the language shown
        expect(nav).to_be_visible()
        expect(page.get_by_test_id("current-user")).to_have_text(staff_user.name)
        expect(page.get_by_text("database").first).to_be_visible()

        page.get_by_label("Language").select_option("nl")
        expect(nav.get_by_role("link", name="Overzicht")).to_be_visible()
        expect(nav.get_by_role("link", name="Auditlog")).to_be_visible()

        nav.get_by_role("link", name="Auditlog").click()
        expect(page).to_have_url(re.compile(r"/audit$"))
        row = page.get_by_role("row").filter(has_text="Ingelogd").filter(has_text=staff_user.email)
        expect(row.first).to_be_visible()

        nav.get_by_role("link", name="Zaken").click()
        expect(page.get_by_role("heading", name="Zaken")).to_be_visible()
        expect(page.get_by_role("tab", name="Triage")).to_be_visible()
        expect(page.get_by_role("list", name="Status")).to_contain_text("Wacht op instantie")

        nav.get_by_role("link", name="Auditlog").click()
        page.reload()  # the session survives a reload, and the route is served by the app
        expect(page.get_by_role("heading", name="Auditlog")).to_be_visible()

        page.get_by_role("button", name="Uitloggen").click()
        expect(page).to_have_url(re.compile(r"/login$"))
        page.goto(live_server + "/audit")
        expect(page).to_have_url(re.compile(r"/login$"))
        browser.close()
