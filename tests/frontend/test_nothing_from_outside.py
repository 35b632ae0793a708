"""No page loads anything from another host, and the security policy breaks none of them."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.frontend.browser import chromium_page, sign_in


@pytest.mark.browser
def test_the_app_login_and_api_docs_load_only_from_our_own_host(live_server, staff_user):
    own = urlparse(live_server).netloc
    requests: list[str] = []
    refused: list[str] = []
    with chromium_page() as page:
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console",
            lambda message: (
                refused.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text
                else None
            ),
        )
        page.goto(live_server + "/")
        expect(page).to_have_url(re.compile(r"/login$"))
        expect(page.get_by_label("E-mail address")).to_be_visible()
        sign_in(page, live_server, staff_user.email, staff_user.password)
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        page.wait_for_load_state("networkidle")

        page.goto(live_server + "/api/schema")
        expect(page.get_by_text("Health check").first).to_be_visible(timeout=15_000)
        page.wait_for_load_state("networkidle")

    assert any(url.endswith("/vendor/rapidoc-min.js") for url in requests), requests
    assert any("/api/schema/openapi.json" in url for url in requests), requests
    outside = [
        url for url in requests if urlparse(url).netloc != own and not url.startswith("data:")
    ]
    assert outside == [], outside
    assert refused == [], refused
