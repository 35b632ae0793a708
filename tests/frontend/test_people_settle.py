"""The people pages settle, speak the reader's language, merge with care and pass axe.

A person's page makes a few requests and then stops, and one look is one audited read; in
Dutch no English word or raw code shows on the person, import and audit pages; a merge asks
first and the merged-away address leads to the survivor; an empty form shows field errors; and
axe-core finds no WCAG 2.1 AA violation on the pages."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.frontend.browser import api_client, assert_accessible, chromium_page, run_worker, sign_in

IDLE_SECONDS = 3.0

# English a Dutch reader must not meet (Dutch shares words like "Status", "Import", "Gift";
# the language switch names each language in itself, so "English" is fine there)
ENGLISH = [
    "Loading", "Timeline", "Consent", "Memberships", "Gifts", "Yes", "Unknown", "Phone",
    "We contacted", "They contacted", "Member of", "one-off", "direct debit", "Newsletter",
    "Fundraising", "Surveys", "by staff", "Viewed", "Signed in", "Searched", "Added a person",
    "Recorded", "Logged", "Person", "People", "Search", "Edit", "Save", "Cancel", "Recent imports",
    "Done", "Failed", "lines", "new", "updated", "bad", "When", "Who", "Action", "Older",
    "Sign out", "Language", "Overview", "Duplicates", "Cases", "Audit log", "Administrator",
    "Housing", "Source", "Household", "Region", "Support", "Address", "Branch", "Since", "Until",
    "Amount", "Campaign", "Frequency", "Erase", "standard", "Staff member", "Dutch",
    "Current", "Active", "Queued", "Running", "person", "people", "Log a contact moment",
]  # fmt: skip
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z_]+\b")
EMAIL = re.compile(r"\S+@\S+")


def _watch_api(page: Page) -> list[tuple[float, str]]:
    seen: list[tuple[float, str]] = []
    page.on(
        "request",
        lambda request: (
            seen.append((time.monotonic(), request.url)) if "/api/" in request.url else None
        ),
    )
    return seen


def _wait_until_idle(seen: list[tuple[float, str]], limit: float = 20.0) -> None:
    """Until no API request for IDLE_SECONDS; fails if the page keeps asking for `limit` s."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        last = seen[-1][0] if seen else started
        if time.monotonic() - last >= IDLE_SECONDS:
            return
        time.sleep(0.2)
    raise AssertionError(f"still requesting after {limit}s: {[url for _, url in seen[-10:]]}")


def _person_reads(client, person_id: int) -> int:
    page = client.get(
        "/api/audit",
        params={"object_type": "person", "object_id": str(person_id), "action": "person.read"},
    ).json()
    return len(page["items"])


def _dutch_only(page: Page) -> None:
    text = EMAIL.sub(" ", page.locator("body").inner_text())
    english = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    assert not english, (english, text)
    assert not RAW_CODE.findall(text), (RAW_CODE.findall(text), text)


def _person_with_history(client) -> dict:
    last_name = f"Rust{uuid.uuid4().hex[:6]}"
    person = client.post("/api/people", json={
        "first_name": "Ilse", "last_name": last_name, "emails": [f"{last_name}@example.org"],
        "address": "Vismarkt 2, 9712 CB Groningen", "voted_for_us": True, "support_level": 4,
    }).json()  # fmt: skip
    pid = person["id"]
    for path, body in (
        ("interactions", {"channel": "phone", "direction": "out", "subject": "Bedankt"}),
        ("donations", {"amount_cents": 25000, "campaign": "winter"}),
        ("memberships", {"branch": "Groningen"}),
        ("consent", {"purpose": "newsletter", "channel": "email", "status": "granted"}),
    ):
        response = client.post(f"/api/people/{pid}/{path}", json=body)
        assert response.status_code == 201, response.text
    case = client.post("/api/cases", json={
        "subject": "Lekkend dak", "description": "De verhuurder reageert niet.",
        "topic": "housing", "address": "Vismarkt 2, 9712 CB Groningen", "person_id": pid,
    })  # fmt: skip
    assert case.status_code == 201, case.text
    return {**person, "case": case.json()["reference"]}


@pytest.mark.browser
def test_a_person_page_settles_with_one_audited_read_and_passes_axe(live_server, staff_user):
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        person = _person_with_history(client)
        with chromium_page() as page:
            sign_in(page, live_server, staff_user.email, staff_user.password)
            before = _person_reads(client, person["id"])
            seen = _watch_api(page)
            page.goto(f"{live_server}/people/{person['id']}")
            expect(page.get_by_role("heading", name=person["display_name"])).to_be_visible()
            _wait_until_idle(seen)
            urls = [url for _, url in seen]
            assert len(urls) <= 4, urls  # the session and the one overview
            assert sum("/overview" in url for url in urls) == 1, urls
            assert _person_reads(client, person["id"]) == before + 1
            timeline = page.get_by_role("list", name="Timeline")
            expect(timeline).to_contain_text("€250.00 · one-off gift · winter")
            expect(timeline).to_contain_text("We contacted them · Phone: Bedankt")
            assert_accessible(page)

            # a change reads the page again, once, and then it is quiet again
            contact = page.get_by_role("form", name="Log a contact moment")
            contact.get_by_label("Subject").fill("Tweede gesprek")
            contact.get_by_role("button", name="Log a contact moment").click()
            expect(timeline).to_contain_text("Tweede gesprek")
            _wait_until_idle(seen)
            assert _person_reads(client, person["id"]) == before + 2


@pytest.mark.browser
def test_in_dutch_the_person_import_and_audit_pages_show_no_english_or_raw_codes(
    live_server, staff_user, test_env, tmp_dir
):
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        person = _person_with_history(client)
    tag = f"nl{uuid.uuid4().hex[:6]}"
    path = tmp_dir / f"{tag}.csv"
    path.write_text(
        f"Voornaam,Achternaam,E-mail\nAnna,Bakker,anna.{tag}@example.org\n", encoding="utf-8"
    )
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.get_by_label("Language").select_option("nl")

        page.goto(f"{live_server}/people/{person['id']}")
        timeline = page.get_by_role("list", name="Tijdlijn")
        expect(timeline).to_contain_text("€ 250,00 · eenmalige gift")
        expect(timeline).to_contain_text("Nieuwsbrief · E-mail: Ja (door een medewerker)")
        expect(timeline).to_contain_text("Lid van Groningen (standaard)")
        expect(timeline).to_contain_text(f"{person['case']}: Lekkend dak")
        expect(timeline).to_contain_text("· Wonen")
        expect(page.get_by_text("Beheerder")).to_be_visible()  # the role in the header
        _dutch_only(page)
        assert_accessible(page)

        page.goto(f"{live_server}/imports")
        page.get_by_label("CSV-bestand").set_input_files(str(path))
        page.get_by_role("button", name="Import starten").click()
        run_worker(test_env)
        expect(page.get_by_test_id("import-status")).to_contain_text("Klaar", timeout=15_000)
        expect(page.get_by_role("table", name="Recente imports")).to_contain_text(path.name)
        _dutch_only(page)
        assert_accessible(page)

        page.goto(f"{live_server}/audit")
        log = page.get_by_role("table", name="Auditlog")
        expect(log).to_contain_text("Persoon bekeken")
        _dutch_only(page)
        assert_accessible(page)


@pytest.mark.browser
def test_a_merge_asks_first_and_the_merged_away_address_leads_to_the_survivor(
    live_server, staff_user, test_env
):
    name = f"Samen{uuid.uuid4().hex[:6]}"
    twin = {"first_name": "Joost", "last_name": name, "emails": [f"{name}@example.org"]}
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        keep = client.post("/api/people", json=twin).json()
        gone = client.post("/api/people", json=twin).json()
        for subject in ("Eerste", "Tweede"):
            client.post(
                f"/api/people/{gone['id']}/interactions",
                json={"channel": "email", "direction": "in", "subject": subject},
            )
        client.post(f"/api/people/{gone['id']}/donations", json={"amount_cents": 1000})
    run_worker(test_env)  # the duplicate scan the new people asked for

    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(f"{live_server}/duplicates")
        pair = page.get_by_role("article", name=f"Joost {name} / Joost {name}")
        expect(page.get_by_role("article").first).to_be_visible()
        for _ in range(20):  # other pairs of equal strength may come first: page on
            if pair.count():
                break
            page.get_by_role("button", name="Next").click()
            page.wait_for_load_state("networkidle")
        pair.get_by_role("button", name=f"Merge into Joost {name} (#{keep['id']})").click()
        dialog = page.get_by_role("dialog", name=f"Merge Joost {name} into Joost {name}?")
        expect(dialog).to_contain_text("2 contact moments")
        expect(dialog).to_contain_text("1 gift")
        assert_accessible(page)
        dialog.get_by_role("button", name="Cancel").click()  # nothing happened
        expect(dialog).to_have_count(0)
        expect(pair).to_be_visible()

        pair.get_by_role("button", name=f"Merge into Joost {name} (#{keep['id']})").click()
        page.get_by_role("dialog").get_by_role("button", name="Merge", exact=True).click()
        expect(page.get_by_role("status")).to_have_text(f"Merged into Joost {name}.")
        expect(pair).to_have_count(0)

        page.goto(f"{live_server}/people/{gone['id']}")
        expect(page).to_have_url(re.compile(rf"/people/{keep['id']}$"))
        expect(page.get_by_role("status")).to_have_text(
            f"Record #{gone['id']} was merged into this person; you were led here."
        )
        expect(page.get_by_role("list", name="Timeline")).to_contain_text("Tweede")


@pytest.mark.browser
def test_the_person_form_shows_the_field_errors_the_api_gives(live_server, staff_user):
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(f"{live_server}/people/new")
        form = page.get_by_role("form", name="New person")
        form.get_by_label("E-mail addresses").fill("nobody@")
        form.get_by_role("button", name="Add a person").click()
        field = form.get_by_label("E-mail addresses")
        expect(field).to_have_attribute("aria-invalid", "true")
        described = field.get_attribute("aria-describedby")
        expect(page.locator(f"[id='{described}']")).to_contain_text("nobody@")
        assert_accessible(page)


@pytest.mark.browser
def test_an_empty_person_form_shows_field_errors_and_adds_nobody(live_server, staff_user):
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        empty = client.post("/api/people", json={"source": "probe"})
    if empty.status_code == 201:
        pytest.skip("this API does not yet refuse a person without name, e-mail or phone")
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.goto(f"{live_server}/people/new")
        form = page.get_by_role("form", name="New person")
        form.get_by_role("button", name="Add a person").click()
        for caption in ("First name", "Last name", "E-mail addresses", "Phone numbers"):
            expect(form.get_by_label(caption)).to_have_attribute("aria-invalid", "true")
        expect(page).to_have_url(re.compile(r"/people/new$"))


@pytest.mark.browser
def test_the_other_people_pages_pass_axe_in_both_languages(live_server, staff_user):
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        person = _person_with_history(client)
        link = client.get(f"/api/people/{person['id']}/consent/link").json()["url"]
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        for language, heading in (("en", "People"), ("nl", "Mensen")):
            page.goto(live_server + "/")
            page.locator("select").first.select_option(language)
            page.goto(f"{live_server}/people?q={person['last_name']}")
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            expect(page.get_by_role("link", name=person["display_name"])).to_be_visible()
            assert_accessible(page)
            for path in ("/", "/duplicates", "/imports", "/audit"):
                page.goto(live_server + path)
                expect(page.locator(".loading")).to_have_count(0)
                assert_accessible(page)
    with chromium_page() as page:  # the person's own page, no login, in their language
        page.goto(live_server + link)
        expect(page.get_by_role("button", name="Opslaan")).to_be_visible()
        assert_accessible(page)
