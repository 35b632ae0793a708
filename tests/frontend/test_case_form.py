"""The public case form: a visitor without an account asks for help in Dutch and gets a case
number that the office's caseworker then finds in their inbox; an empty subject is named
under its field; the form, framed or not, passes axe and loads nothing from other hosts;
and only the origins the party configured may frame the embeddable form."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from achterban.districts import loaders
from tests.conftest import make_user
from tests.frontend.browser import api_client, assert_accessible, chromium_page, sign_in
from tests.frontend.test_people_settle import _dutch_only

EMMEN = "Raadhuisplein 1, 7811 AP Emmen"
TITLE_NL = "Vraag uw volksvertegenwoordiger om hulp"
# words of this form a Dutch reader must not meet, besides those _dutch_only looks for
ENGLISH = [
    "Name", "E-mail address", "optional", "Topic", "Subject", "Send", "What is it about",
    "Contact your representative", "Choose a topic", "case number", "Thank you", "Your case",
    "By post", "You may", "required", "Fields marked",
]  # fmt: skip


@pytest.fixture(scope="module")
async def emmen(app, live_server):
    """A staffed office for Emmen, where no other test's offices are, with a housing specialist.

    Set up through the served app's API, as an admin would: the server then drops its own
    district map at once (written to the database behind its back, the office would reach its
    routing only when the map it built for an earlier test is a minute old)."""
    await loaders.load_nl_pc4()
    admin = await make_user("admin")
    with api_client(live_server, admin.email, admin.password) as client:
        office = client.post("/api/offices", json={
            "name": "Fractie Emmen", "jurisdiction": "NL-GM-emmen", "kind": "municipal",
            "representative": "Fractie Emmen",
        })  # fmt: skip
        assert office.status_code == 201, office.text
        office_id = office.json()["id"]
        worker = await make_user(
            "caseworker", office_id=office_id, name=f"Eva Emmen {uuid.uuid4().hex[:4]}"
        )
        topic = client.post(
            f"/api/offices/{office_id}/topics", json={"user_id": worker.id, "topic": "housing"}
        )
        assert topic.status_code == 200, topic.text
    return worker


def _no_english(page: Page) -> None:
    _dutch_only(page)
    text = page.locator("body").inner_text()
    found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    assert not found, (found, text)


def _box(page: Page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def _fill(page: Page, surname: str, **leave_out: bool) -> None:
    form = page.get_by_role("form", name="Uw zaak")
    _box(form, "Naam").fill(f"Femke {surname}")
    _box(form, "E-mailadres").fill(f"{surname.lower()}@example.org")
    _box(form, "Telefoonnummer (niet verplicht)").fill("06 12345678")
    _box(form, "Adres").fill(EMMEN)
    form.get_by_role("combobox", name="Thema").select_option(label="Wonen")
    if not leave_out.get("subject"):
        _box(form, "Onderwerp").fill("Schimmel in de slaapkamer")
    _box(form, "Waar gaat het over?").fill("De verhuurder reageert niet op mijn meldingen.")
    form.get_by_label("Per telefoon").check()
    form.get_by_label("U mag later contact met mij opnemen").check()


@pytest.mark.browser
def test_a_visitor_sends_a_case_in_dutch_and_the_office_finds_it_in_its_inbox(live_server, emmen):
    surname = f"Bos{uuid.uuid4().hex[:5]}"
    own = urlparse(live_server).netloc
    requests: list[str] = []
    with chromium_page(locale="nl-NL") as page:
        page.on("request", lambda request: requests.append(request.url))
        page.goto(live_server + "/login")
        page.get_by_role("link", name="Neem contact op met uw volksvertegenwoordiger").click()
        expect(page).to_have_url(re.compile(r"/form$"))
        expect(page.get_by_role("heading", name=TITLE_NL)).to_be_visible()
        thema = page.get_by_role("combobox", name="Thema")
        expect(thema.locator("option", has_text="Wonen")).to_have_count(1)
        _no_english(page)
        assert_accessible(page)

        _fill(page, surname)
        page.get_by_role("button", name="Zaak versturen").click()
        heading = page.get_by_role("heading", name="Uw zaak is ontvangen")
        expect(heading).to_be_focused()
        reference = page.get_by_test_id("case-reference").inner_text()
        assert reference.strip()
        expect(page.get_by_role("status")).to_have_text(f"Dank u. Uw zaaknummer is {reference}.")
        _no_english(page)
        assert_accessible(page)
    outside = [u for u in requests if urlparse(u).netloc != own and not u.startswith("data:")]
    assert outside == [], outside

    with chromium_page() as page:
        sign_in(page, live_server, emmen.email, emmen.password)
        page.goto(live_server + "/cases")
        row = page.get_by_role("row").filter(has_text=reference)
        expect(row).to_contain_text("Schimmel in de slaapkamer")
        expect(row).to_contain_text(f"Femke {surname}")
        expect(row).to_contain_text(emmen.name)  # routed to the office's housing specialist


@pytest.mark.browser
def test_a_missing_subject_is_named_under_its_field_in_dutch(live_server, emmen):
    surname = f"Leeg{uuid.uuid4().hex[:5]}"
    with chromium_page(locale="nl-NL") as page:
        page.goto(live_server + "/form")
        _fill(page, surname, subject=True)
        page.get_by_role("button", name="Zaak versturen").click()
        subject = _box(page, "Onderwerp")
        expect(subject).to_have_attribute("aria-invalid", "true")
        expect(subject).to_be_focused()  # the first field that needs attention
        described = subject.get_attribute("aria-describedby") or ""
        expect(page.locator(f"[id='{described.split()[-1]}']")).to_have_text(
            "Vul een onderwerp in."
        )
        expect(page.get_by_role("alert")).to_have_text("Enkele velden vragen uw aandacht.")
        expect(_box(page, "Naam")).not_to_have_attribute("aria-invalid", "true")
        expect(_box(page, "Naam")).to_have_value(f"Femke {surname}")  # kept
        _no_english(page)
        assert_accessible(page)


@pytest.mark.browser
def test_the_form_and_its_embeddable_version_pass_axe_in_both_languages(live_server):
    with chromium_page(locale="nl-NL") as page:
        for lang, title in (("nl", TITLE_NL), ("en", "Ask your representative for help")):
            page.goto(f"{live_server}/form/embed?lang={lang}")
            expect(page.get_by_role("heading", name=title)).to_be_visible()
            expect(page.locator(".public-header")).to_have_count(0)  # no app chrome
            assert_accessible(page)
        page.goto(live_server + "/form")
        page.get_by_label("Language").select_option("nl")
        expect(page.get_by_role("heading", name=TITLE_NL)).to_be_visible()
        assert_accessible(page)
        # the honeypot is out of reach of people: not in the tab order, hidden from readers
        honeypot = page.locator("input[name=website]")
        expect(honeypot).to_have_attribute("tabindex", "-1")
        expect(page.get_by_role("textbox", name="Laat dit veld leeg")).to_have_count(0)


@pytest.fixture
def party_site(embedding_server, tmp_path):
    """The party's own site, on the origin the embedding server lets frame its form."""
    port = urlparse(embedding_server["party"]).port
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='nl'><title>Partij</title><body><h1>Onze partij</h1>"
        f"<iframe title='Contactformulier' src='{embedding_server['base']}/form/embed?lang=nl'"
        " width='700' height='1200'></iframe>"
        f"<iframe title='Niet ingesloten' src='{embedding_server['base']}/form'></iframe>"
        "</body></html>"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield embedding_server["party"]
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.browser
def test_a_party_site_frames_the_embeddable_form_and_nothing_else(party_site, live_server):
    with chromium_page(locale="nl-NL") as page:
        for _ in range(50):  # the party's little server may take a moment to listen
            try:
                page.goto(party_site + "/")
                break
            except Exception:
                page.wait_for_timeout(100)
        framed = page.frame_locator("iframe[title='Contactformulier']")
        expect(framed.get_by_role("heading", name=TITLE_NL)).to_be_visible()
        expect(_box(framed, "Onderwerp")).to_be_visible()
        # the app's other pages keep DENY, even for the origin that may frame the form
        assert _settled_url(page, "iframe[title='Niet ingesloten']") == REFUSED

        # a server that lists no origin lets no one frame even the embeddable form
        page.set_content(f"<iframe title='x' src='{live_server}/form/embed?lang=nl'></iframe>")
        assert _settled_url(page, "iframe") == REFUSED


REFUSED = "chrome-error://chromewebdata/"  # what Chromium shows in a frame it refused


def _settled_url(page: Page, selector: str, seconds: float = 10.0) -> str:
    """Where the frame ended up, once it left about:blank."""
    deadline = time.monotonic() + seconds
    while True:
        frame = page.locator(selector).element_handle().content_frame()
        if frame is not None and frame.url not in ("", "about:blank"):
            return frame.url
        assert time.monotonic() < deadline, "the frame never loaded"
        page.wait_for_timeout(100)
