"""In the browser: setting the second factor up at sign-in, then signing in with a code."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pyotp
import pytest
from playwright.sync_api import expect

from achterban.users.tables import SecurityPolicy
from tests.frontend.browser import chromium_page


def _sign_in(page, base: str, member) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail address").fill(member.email)
    page.get_by_label("Password").fill(member.password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
async def test_a_role_that_needs_it_sets_the_second_factor_up_then_signs_in_with_codes(
    live_server, app
):
    from tests.conftest import make_user

    member = await make_user("volunteer", name="Vera Volunteer")
    await SecurityPolicy.insert(
        SecurityPolicy(role="volunteer", mfa_required=True, updated_at=datetime.now(UTC))
    )
    try:
        await asyncio.to_thread(_drive, live_server, member)
    finally:
        await SecurityPolicy.delete().where(SecurityPolicy.role == "volunteer")


def _drive(base: str, member) -> None:
    with chromium_page() as page:
        _sign_in(page, base, member)
        expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
        key = page.locator("code").first.inner_text().replace(" ", "")
        link = page.get_by_role("link", name="Open in the authenticator app on this device")
        assert link.get_attribute("href").startswith("otpauth://totp/")
        page.get_by_label("Code from the authenticator app").fill("000000")
        page.get_by_role("button", name="Set up and sign in").click()
        expect(page.get_by_role("alert")).to_have_text("That code is not right.")
        page.get_by_label("Code from the authenticator app").fill(pyotp.TOTP(key).now())
        page.get_by_role("button", name="Set up and sign in").click()
        expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        codes = page.get_by_role("listitem").all_inner_texts()
        assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
        page.get_by_role("button", name="I have saved the codes, continue").click()
        expect(page.get_by_test_id("current-user")).to_have_text("Vera Volunteer")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/login$"))

        _sign_in(page, base, member)
        expect(page.get_by_role("heading", name="Second step")).to_be_visible()
        field = page.get_by_label("Code from the authenticator app, or a recovery code")
        field.fill(codes[0])
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_test_id("current-user")).to_have_text("Vera Volunteer")
