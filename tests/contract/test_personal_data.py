"""Every route says whether its answer holds personal data, and every read of it is audited.

Each route declares in its ``opt`` the audit actions a successful call writes
(``personal_data(...)``) or that it holds nobody's personal data (``no_personal_data()``).
``audit/contract.py`` holds each call to that under ``ACHTERBAN_ENV=test``, so the whole
suite checks it; here every read route is called on a person put through every feature
(route by route: the entry is in the log afterwards), and a route that says it holds no
personal data must not show any of that person's values.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from litestar import Litestar, get
from litestar.routes import HTTPRoute

from achterban.audit.contract import audited_answers
from achterban.audit.tables import AuditEvent
from achterban.districts.tables import Jurisdiction, Office, Representative
from achterban.platform.auth import no_personal_data, personal_data
from tests.conftest import client_for
from tests.world import everything, in_clear, unique_values, word

NOT_AN_API = ("/api/schema",)  # the OpenAPI document and its docs page
QUERIES = {
    "/api/districts/resolve": {"address": "Grote Markt 1, 9712 HN Groningen"},
    "/api/representatives": {"jurisdiction": "NL-GM-groningen"},
}


def _routes(app):
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _kwargs) in route.route_handler_map.items():
            if method not in ("HEAD", "OPTIONS"):
                yield method, route.path, handler


async def test_every_route_declares_whether_it_returns_personal_data(app):
    undeclared = [
        (method, path)
        for method, path, handler in _routes(app)
        if "personal_data" not in handler.opt and not path.startswith(NOT_AN_API)
    ]
    assert undeclared == []


async def test_a_route_that_answers_without_its_audit_entry_is_refused():
    """The check itself: a route that promised an entry and wrote none gets a 500 Problem."""
    from achterban.audit.contract import note

    @get("/forgot", opt=personal_data("person.read"), sync_to_thread=False)
    def forgot() -> dict[str, str]:
        return {"name": "Someone"}

    @get("/kept", opt=personal_data("person.read"), sync_to_thread=False)
    def kept() -> dict[str, str]:
        note("person.read")
        return {"name": "Someone"}

    @get("/other", opt=personal_data("person.read"), sync_to_thread=False)
    def other() -> dict[str, str]:
        note("case.read")  # an entry, but not the one the route promised
        return {"name": "Someone"}

    @get("/nothing", opt=no_personal_data(), sync_to_thread=False)
    def nothing() -> dict[str, str]:
        return {"status": "ok"}

    app = Litestar([forgot, kept, other, nothing], middleware=[audited_answers])
    async with client_for(app) as client:
        assert (await client.get("/forgot")).status_code == 500
        assert "person.read" in (await client.get("/forgot")).json()["detail"]
        assert (await client.get("/other")).status_code == 500
        assert (await client.get("/kept")).json() == {"name": "Someone"}
        assert (await client.get("/nothing")).status_code == 200


@pytest.fixture
async def world(admin_client, admin, tmp_dir):
    values = unique_values()
    made = await everything(admin_client, tmp_dir, values)
    pid = made["person"]
    overview = (await admin_client.get(f"/api/people/{pid}/overview")).json()
    link = (await admin_client.get(f"/api/people/{pid}/consent/link")).json()
    jurisdiction = Jurisdiction(code=word("GM"), name="Gemeente", kind="municipality")
    await jurisdiction.save()
    # a term that ended: the office's handover (its open cases, its staff) can be read
    rep = Representative(external_id=word("rep"), name="Raad", chamber="council",
                         jurisdiction=jurisdiction.id, valid_from=date(2026, 1, 1),
                         valid_to=date(2026, 6, 30))  # fmt: skip
    await rep.save()
    office = Office(name="Fractie", representative=rep.id, kind="municipal")
    await office.save()
    ids = {
        "person_id": pid,
        "case_id": made["case"],
        "household_id": overview["person"]["household_id"],
        "job_key": made["imports"][0],
        "office_id": office.id,
        "branch_id": made["branch"],
        "segment_id": made["segment"],
        "journey_key": made["journey"],
        "user_id": admin.id,
        "token": link["url"].rstrip("/").rsplit("/", 1)[-1],
    }
    return values, ids


def _fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: str(ids[m.group(1)]), path)


async def _entries(action: str) -> int:
    if action.endswith(".*"):
        return await AuditEvent.count().where(AuditEvent.action.like(action[:-1] + "%"))
    return await AuditEvent.count().where(AuditEvent.action == action)


async def test_every_read_of_personal_data_is_audited_route_by_route(app, admin_client, world):
    values, ids = world
    checked, unaudited, undeclared_shows = [], [], []
    for method, path, handler in _routes(app):
        if method != "GET" or path.startswith(NOT_AN_API) or "{path:" in path:
            continue
        actions = handler.opt["personal_data"]
        before = {a: await _entries(a) for a in actions}
        response = await admin_client.get(_fill(path, ids), params=QUERIES.get(path))
        if response.status_code != 200:
            unaudited.append((path, response.status_code, response.text[:200]))
        elif actions:
            after = {a: await _entries(a) for a in actions}
            if not any(after[a] > before[a] for a in actions):
                unaudited.append((path, actions))
        elif shown := in_clear(response.content, values):
            undeclared_shows.append((path, sorted(shown)))
        checked.append(path)
    assert unaudited == []
    assert undeclared_shows == []
    assert len(checked) >= 30


async def test_an_import_preview_is_an_audited_read(admin_client, world, tmp_dir):
    values, _ids = world
    before = await _entries("import.preview")
    body = f"first_name,last_name\n{values['first_name']},{values['last_name']}\n"
    response = await admin_client.post(
        "/api/imports/preview", files={"file": ("lijst.csv", body.encode(), "text/csv")}
    )
    assert response.status_code == 200, response.text
    assert values["last_name"] in response.text
    assert await _entries("import.preview") == before + 1
