"""Driving the SPA in Debian's Chromium (Playwright never downloads a browser here)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect, sync_playwright

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@contextmanager
def api_client(base: str, email: str, password: str) -> Iterator[httpx.Client]:
    """An API client signed in as the user, for setting up what the page will show."""
    with httpx.Client(base_url=base) as client:
        response = client.post("/api/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield client


@contextmanager
def chromium_page(locale: str = "en-GB") -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            yield browser.new_context(locale=locale).new_page()
        finally:
            browser.close()


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login$"))


def run_worker(env: dict[str, str]) -> None:
    """An arq worker in burst mode: runs what is queued on Redis, as in production, then stops."""
    worker = subprocess.run(
        [sys.executable, "-m", "achterban.cli", "worker", "--burst"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.1 A or AA violation on what the page shows now."""
    # evaluated through the DevTools protocol: the pages' own policy allows no inline script
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
            .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    assert violations == [], violations
