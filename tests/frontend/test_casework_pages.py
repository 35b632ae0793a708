"""A whole office works its cases in the web app: triage by an organiser, assigning to a
colleague, a caseworker opening a case's constituent, a case page that settles after one
audited read, every word in Dutch, and no WCAG 2.1 AA violation found by axe-core."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from achterban.districts import loaders
from tests.casework.test_casework import _office
from tests.conftest import DATABASE_URL, TEST_DB, make_user
from tests.frontend.browser import api_client, assert_accessible, chromium_page, sign_in

# English words (and raw codes) that must not show on a Dutch page
ENGLISH = [
    "case", "cases", "assigned", "assignee", "triaged", "waiting", "resolved", "closed",
    "housing", "roads", "environment", "office queue", "routing", "task", "tasks",
    "assign", "resolve", "reopen", "resume", "close", "referral", "note", "consent", "by",
    "received", "due", "overdue", "nobody", "search", "log", "agency", "constituent",
    "office_queue", "several_offices", "case.read", "email", "the", "and", "to", "of",
]  # fmt: skip


def _sql(statement: str, *args: Any) -> list[tuple]:
    """Plain SQL on the run's database from this (synchronous) test: the app's own pool
    belongs to another event loop."""
    if TEST_DB == "sqlite":
        with sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///")) as connection:
            return connection.execute(statement, args).fetchall()

    async def run() -> list[tuple]:
        import asyncpg

        connection = await asyncpg.connect(DATABASE_URL)
        try:
            numbered = re.sub(r"\?", lambda _m, n=iter(range(1, 99)): f"${next(n)}", statement)
            return [tuple(r) for r in await connection.fetch(numbered, *args)]
        finally:
            await connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="module")
async def desk(app):
    """Two Dutch offices with their staff, an organiser, and an administrator to set up."""
    await loaders.load_nl_pc4()
    a, b = await _office("NL-GM-groningen"), await _office("NL-GM-assen")
    loaders.invalidate()
    tag = uuid.uuid4().hex[:4]
    return {
        "a": a,
        "b": b,
        "lead_a": await make_user("caseworker", office_id=a, name=f"Anouk Lead {tag}"),
        "mate_a": await make_user("caseworker", office_id=a, name=f"Bram Collega {tag}"),
        "worker_b": await make_user("caseworker", office_id=b, name=f"Cor Assen {tag}"),
        "organiser": await make_user("organiser", name=f"Org Aniser {tag}"),
        "admin": await make_user("admin", name=f"Ad Min {tag}"),
    }


def _case(base: str, admin, **fields) -> dict:
    body = {"subject": "Losse stoeptegels", "description": "Bij de school liggen tegels los.",
            "topic": "roads", "address": "Vismarkt 2, 9712 CB Groningen", **fields}  # fmt: skip
    with api_client(base, admin.email, admin.password) as client:
        created = client.post("/api/cases", json=body)
        assert created.status_code == 201, created.text
        return created.json()


def _put(case_id: int, **values: Any) -> None:
    """Place the case where the story needs it (routing itself is tested in tests/casework)."""
    names = ", ".join(f"{k} = ?" for k in values)
    args = [json.dumps(v) if isinstance(v, list) else v for v in values.values()]
    _sql(f"UPDATE casework_case SET {names} WHERE id = ?", *args, case_id)


def _office_of(case_id: int) -> tuple:
    return _sql("SELECT office, status FROM casework_case WHERE id = ?", case_id)[0]


def _reads(action: str, object_id: int) -> int:
    rows = _sql(
        "SELECT count(*) FROM audit_event WHERE action = ? AND object_id = ?",
        action,
        str(object_id),
    )
    return int(rows[0][0])


def _dutch(page: Page) -> None:
    page.add_init_script("localStorage.setItem('achterban.language', 'nl')")


def _no_english(page: Page, allowed: set[str]) -> None:
    text = page.locator("main").inner_text().lower()
    found = [
        w
        for w in ENGLISH
        if w not in allowed and re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", text)
    ]
    assert not found, (found, text)


@pytest.mark.browser
def test_an_organiser_triages_a_case_on_its_routing_only(live_server, desk):
    case = _case(live_server, desk["admin"], subject="Geheim onderwerp", name="Tri Age")
    candidates = [
        {"district": "NL-GM-groningen", "name": "Groningen", "office_ids": [desk["a"]], "note": ""},
        {"district": "NL-GM-assen", "name": "Assen", "office_ids": [desk["b"]], "note": ""},
    ]
    _put(case["id"], office=None, status="new", district="", candidates=candidates)
    with chromium_page() as page:
        sign_in(page, live_server, desk["organiser"].email, desk["organiser"].password)
        page.goto(live_server + "/cases")
        page.get_by_role("tab", name="Triage").click()
        page.get_by_role("link", name=case["reference"]).click()
        expect(page.get_by_text("You see only how this case is routed")).to_be_visible()
        expect(page.get_by_text("Geheim onderwerp")).to_have_count(0)
        expect(page.get_by_text("Bij de school")).to_have_count(0)
        triage = page.get_by_role("group", name="Candidate districts")
        triage.get_by_role("button", name="To Fractie NL-GM-assen").click()
        expect(page.get_by_role("status")).to_have_text("The case went to Fractie NL-GM-assen.")
    assert _office_of(case["id"]) == (desk["b"], "triaged")


@pytest.mark.browser
def test_a_caseworker_assigns_a_case_to_a_colleague_and_finds_it_in_the_inbox(live_server, desk):
    surname = f"Vonk{uuid.uuid4().hex[:5]}"
    case = _case(live_server, desk["admin"], name=f"Jet {surname}")
    _put(case["id"], office=desk["a"], status="triaged", assignee_id=None)
    lead, mate = desk["lead_a"], desk["mate_a"]
    with chromium_page() as page:
        sign_in(page, live_server, lead.email, lead.password)
        page.goto(f"{live_server}/cases/{case['id']}")
        form = page.get_by_role("form", name="Assign")
        form.get_by_label("Assign to").select_option(label=mate.name)
        form.get_by_role("button", name="Assign").click()
        log = page.get_by_role("list", name="Case log")
        expect(log).to_contain_text(
            f"Status: In the office queue → Assigned, assigned to {mate.name}"
        )
        expect(log).to_contain_text(f"by {lead.name}")
        expect(page.get_by_role("button", name="Wait on an agency")).to_be_visible()

        page.goto(live_server + "/cases")
        page.get_by_role("searchbox", name="Search cases").fill(surname)
        page.get_by_role("button", name="Search").click()
        row = page.get_by_role("row").filter(has_text=case["reference"])
        expect(row).to_contain_text(mate.name)
        expect(row).to_contain_text(f"Jet {surname}")
        expect(page.get_by_role("row")).to_have_count(2)  # the header and this case


@pytest.mark.browser
def test_closing_with_open_tasks_asks_first_and_a_referral_needs_consent(live_server, desk):
    case = _case(live_server, desk["admin"], name="Open Taak")
    _put(case["id"], office=desk["a"], status="assigned", assignee_id=desk["lead_a"].id)
    lead = desk["lead_a"]
    with chromium_page() as page:
        sign_in(page, live_server, lead.email, lead.password)
        page.goto(f"{live_server}/cases/{case['id']}")
        add = page.get_by_role("form", name="Add to the log")
        add.get_by_label("Kind").select_option("referral")
        expect(add.get_by_text("has not (yet) agreed")).to_be_visible()
        add.get_by_label("Agency").fill("Woningcorporatie")
        add.get_by_role("button", name="Add to the log").click()
        expect(add.get_by_role("alert")).to_contain_text("Record their consent first")
        consent = page.get_by_role("form", name="Sharing with agencies")
        consent.get_by_label("How did the constituent agree?").fill("Aan de telefoon")
        consent.get_by_role("button", name="Record consent").click()
        expect(page.get_by_text("The constituent agreed that")).to_be_visible()
        add.get_by_role("button", name="Add to the log").click()
        log = page.get_by_role("list", name="Case log")
        expect(log).to_contain_text("Referred to Woningcorporatie")

        tasks = page.get_by_role("form", name="Add task")
        tasks.get_by_label("Task").fill("Huurder terugbellen")
        tasks.get_by_role("button", name="Add task").click()
        expect(page.get_by_role("list", name="Tasks")).to_contain_text("Huurder terugbellen")
        resolve = page.get_by_role("form", name="Resolve")
        resolve.get_by_label("Resolution").fill("Tegels gelegd")
        resolve.get_by_role("button", name="Resolve").click()
        page.get_by_role("button", name="Close", exact=True).click()
        dialog = page.get_by_role("dialog", name="Close a case with open tasks?")
        expect(dialog).to_contain_text("1 open tasks")
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_have_count(0)
        expect(page.get_by_text("Resolved").first).to_be_visible()
        page.get_by_role("button", name="Close", exact=True).click()
        page.get_by_role("dialog").get_by_role("button", name="Close anyway").click()
        expect(page.get_by_role("button", name="Reopen")).to_be_visible()
        expect(log).to_contain_text("Status: Resolved → Closed")


@pytest.mark.browser
def test_a_caseworker_opens_the_constituent_of_their_case_who_lives_elsewhere(live_server, desk):
    surname = f"Elders{uuid.uuid4().hex[:5]}"
    admin = desk["admin"]
    with api_client(live_server, admin.email, admin.password) as client:
        person = client.post("/api/people", json={
            "first_name": "Lies", "last_name": surname, "emails": [f"{surname}@example.org"],
            "address": "Vismarkt 2, 9712 CB Groningen",
        }).json()  # fmt: skip
    case = _case(live_server, admin, person_id=person["id"], address="Markt 1, 9401 AA Assen")
    _put(case["id"], office=desk["b"], status="triaged")
    worker = desk["worker_b"]
    before = _reads("person.read", person["id"])
    with chromium_page() as page:
        sign_in(page, live_server, worker.email, worker.password)
        page.goto(f"{live_server}/cases/{case['id']}")
        page.get_by_role("button", name="Show the constituent").click()
        shown = page.get_by_role("region", name="Constituent")
        expect(shown.get_by_role("heading", name=f"Lies {surname}")).to_be_visible()
        expect(shown).to_contain_text(f"{surname.lower()}@example.org")
        expect(shown).to_contain_text("Vismarkt 2")
        expect(shown.get_by_role("link", name=case["reference"])).to_be_visible()
        # the list of people is not theirs: it says where their constituents are
        page.goto(f"{live_server}/people")
        expect(page.get_by_role("status")).to_contain_text("through your office's cases")
        expect(page.get_by_role("table")).to_have_count(0)
    assert _reads("person.read", person["id"]) == before + 1


@pytest.mark.browser
def test_a_case_page_settles_after_one_audited_read(live_server, desk):
    case = _case(live_server, desk["admin"], name="Rust Ig")
    _put(case["id"], office=desk["a"], status="triaged")
    lead = desk["lead_a"]
    with chromium_page() as page:
        sign_in(page, live_server, lead.email, lead.password)
        before = _reads("case.read", case["id"])
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url) if "/api/" in r.url else None)
        page.goto(f"{live_server}/cases/{case['id']}")
        expect(page.get_by_role("heading", name=re.compile(case["reference"]))).to_be_visible()
        page.wait_for_load_state("networkidle")
        settled = len(requests)
        time.sleep(3)
        assert len(requests) == settled, requests[settled:]
        assert settled <= 4, requests
        assert _reads("case.read", case["id"]) == before + 1

        page.get_by_role("link", name="← Cases").click()  # the inbox settles too
        expect(page.get_by_role("link", name=case["reference"])).to_be_visible()
        page.wait_for_load_state("networkidle")
        settled = len(requests)
        time.sleep(2)
        assert len(requests) == settled, requests[settled:]


@pytest.mark.browser
def test_the_case_page_and_inbox_speak_dutch_and_pass_axe(live_server, desk):
    case = _case(live_server, desk["admin"], name="Nel Neder")
    _put(case["id"], office=desk["a"], status="assigned", assignee_id=desk["mate_a"].id)
    lead = desk["lead_a"]
    with api_client(live_server, lead.email, lead.password) as client:
        url = f"/api/cases/{case['id']}"
        client.post(url + "/agency-consent", json={"given": True, "note": "telefonisch"})
        client.post(url + "/events", json={"kind": "referral", "body": "Doorgestuurd",
                                           "agency": "Gemeente"})  # fmt: skip
        client.post(url + "/events", json={"kind": "correspondence", "body": "Brief verstuurd",
                                           "direction": "out", "channel": "post"})  # fmt: skip
        client.post(url + "/tasks", json={"title": "Nabellen", "assignee_id": lead.id})
        client.post(url + "/transitions", json={"status": "waiting"})
    with chromium_page(locale="nl-NL") as page:
        _dutch(page)
        sign_in_nl(page, live_server, lead.email, lead.password)
        page.goto(f"{live_server}/cases/{case['id']}")
        log = page.get_by_role("list", name="Logboek")
        expect(log).to_contain_text("Doorverwezen naar Gemeente")
        expect(log).to_contain_text("Status: Toegewezen → Wacht op instantie")
        expect(page.get_by_role("button", name="Verder na antwoord instantie")).to_be_visible()
        _no_english(page, allowed=set())
        assert_accessible(page)
        page.goto(live_server + "/cases")
        expect(page.get_by_role("link", name=case["reference"])).to_be_visible()
        _no_english(page, allowed=set())
        assert_accessible(page)


def sign_in_nl(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r"/login$"))
