"""The wall between office data and party data, route by route.

An office's cases serve the constituent and the representative's official work; party staff
(organisers, regional organisers, volunteers) never read a case's contents through any route,
and cannot select people by their casework. See "Office data and party data" in
docs/architecture.md.
"""

from __future__ import annotations

import re

import pytest
from litestar.routes import HTTPRoute

from tests.conftest import make_user, signed_in
from tests.world import everything, in_clear, unique_values

PARTY_ROLES = [("organiser", []), ("regional_organiser", ["NL-GR"]), ("volunteer", [])]
CASE_VALUES = ("case_subject", "case_description", "sensitive", "task", "referral", "note",
               "agency", "dup_case")  # fmt: skip
NOT_AN_API = ("/api/schema",)


def _get_routes(app):
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "GET" not in route.route_handler_map:
            continue
        if not route.path.startswith(NOT_AN_API) and "{path:" not in route.path:
            yield route.path


@pytest.fixture
async def world(admin_client, tmp_dir):
    values = unique_values()
    made = await everything(admin_client, tmp_dir, values)
    overview = (await admin_client.get(f"/api/people/{made['person']}/overview")).json()
    ids = {
        "person_id": made["person"], "case_id": made["case"], "job_key": made["imports"][0],
        "household_id": overview["person"]["household_id"], "office_id": 1, "user_id": 1,
        "branch_id": made["branch"], "segment_id": made["segment"], "token": "x",
        "journey_key": made["journey"],
    }  # fmt: skip
    return {k: values[k] for k in CASE_VALUES}, ids


@pytest.mark.parametrize("role,regions", PARTY_ROLES)
async def test_party_staff_read_no_case_contents_through_any_route(app, world, role, regions):
    case_values, ids = world
    member = await make_user(role, regions=regions)
    leaks, seen = [], 0
    async with signed_in(app, member) as client:
        for path in _get_routes(app):
            url = re.sub(r"\{(\w+):\w+\}", lambda m: str(ids[m.group(1)]), path)
            response = await client.get(url)  # exports as CSV, so the text can be read
            seen += 1
            if shown := in_clear(response.content, case_values):
                leaks.append((path, response.status_code, sorted(shown)))
        if role != "volunteer":  # they do see the person: the wall, not scope, keeps the case out
            assert (await client.get(f"/api/people/{ids['person_id']}/overview")).status_code == 200
    assert leaks == []
    assert seen >= 30


async def test_the_people_list_cannot_select_people_by_their_casework(app):
    """No filter of the people list (and so of its export) is about cases."""
    schema = app.openapi_schema.to_schema()
    for path in ("/api/people", "/api/people/export"):
        names = [p["name"] for p in schema["paths"][path]["get"]["parameters"]]
        assert names and not [n for n in names if re.search(r"case|topic|casework|office", n)]


async def test_office_staff_do_read_their_own_case(app, world, admin_client):
    """The other side of the wall: the check above is not passing for want of data."""
    case_values, ids = world
    case = (await admin_client.get(f"/api/cases/{ids['case_id']}")).json()
    assert case_values["case_subject"] in str(case)
