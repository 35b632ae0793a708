"""Branches as data: an admin sets one up for its municipalities with its officers, members
belong to it, the people list filters by it, journeys find "the chair of the person's
branch", and the free text of before is migrated with what fits several or none reported."""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys

import pytest

from achterban.audit.tables import AuditEvent
from achterban.districts import loaders
from achterban.memberships import service as memberships
from achterban.memberships.tables import BranchOfficer, Membership
from tests.conftest import make_user, signed_in

GRONINGEN = "NL-GM-groningen"
ASSEN = "NL-GM-assen"


def _word(prefix: str) -> str:
    return prefix + "".join(random.choices(string.ascii_lowercase, k=6))


@pytest.fixture(scope="module")
async def maps(app):
    await loaders.load_nl_pc4()


async def _person(client, first: str, address: str = "Vismarkt 12, 9712 CB Groningen") -> int:
    made = await client.post(
        "/api/people", json={"first_name": first, "last_name": _word("Lid"), "address": address}
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def _branch(client, name: str, areas: list[str]) -> dict:
    made = await client.post("/api/branches", json={"name": name, "areas": areas})
    assert made.status_code == 201, made.text
    return made.json()


async def test_an_admin_sets_up_a_branch_with_its_municipality_and_officers(
    app, maps, admin_client
):
    name = _word("Afdeling Stad ")
    branch = await _branch(admin_client, name, [GRONINGEN])
    assert branch["active"] and branch["areas"] == [
        {"code": GRONINGEN, "name": "Groningen", "kind": "municipality"}
    ]
    listed = (await admin_client.get("/api/branches")).json()
    assert name in [b["name"] for b in listed]
    chair = await _person(admin_client, "Voorzitter")
    added = await admin_client.post(
        f"/api/branches/{branch['id']}/officers", json={"role": "chair", "person_id": chair}
    )
    assert added.status_code == 201, added.text
    officer = added.json()["officers"][0]
    assert officer["role"] == "chair" and officer["person_id"] == chair and officer["current"]
    assert officer["name"].startswith("Voorzitter ")
    # one chair at a time: a second one waits until the first one's term ends
    other = await _person(admin_client, "Tweede")
    refused = await admin_client.post(
        f"/api/branches/{branch['id']}/officers", json={"role": "chair", "person_id": other}
    )
    assert refused.status_code == 409 and refused.json()["officer_id"] == officer["id"]
    ended = await admin_client.patch(f"/api/branches/officers/{officer['id']}", json={})
    assert ended.status_code == 200 and ended.json()["officers"][0]["until"] is not None
    # a rename and new areas are audited with before and after; deactivating keeps it listed
    changed = await admin_client.patch(
        f"/api/branches/{branch['id']}",
        json={"name": name + " e.o.", "areas": [GRONINGEN, ASSEN], "active": False},
    )
    assert changed.status_code == 200, changed.text
    assert [a["code"] for a in changed.json()["areas"]] == [ASSEN, GRONINGEN]
    assert changed.json()["active"] is False
    entry = (
        await AuditEvent.select()
        .where((AuditEvent.action == "branch.update") & (AuditEvent.object_id == str(branch["id"])))
        .first()
    )
    detail = entry["detail"] if isinstance(entry["detail"], dict) else json.loads(entry["detail"])
    assert detail["areas"] == {"before": [GRONINGEN], "after": [ASSEN, GRONINGEN]}
    assert detail["active"] == {"before": True, "after": False}
    assert any(b["id"] == branch["id"] for b in (await admin_client.get("/api/branches")).json())


async def test_bad_input_is_a_problem_naming_the_field(app, maps, admin_client):
    cases = [
        ({"name": "  ", "areas": [GRONINGEN]}, "name"),
        ({"name": "Afdeling " + "x" * 100}, "name"),
        ({"name": "Nergens", "areas": ["NL-GM-atlantis"]}, "areas"),
        ({"name": "Nergens", "areas": ["NL"]}, "areas"),  # a country is not a branch's area
    ]
    for body, key in cases:
        response = await admin_client.post("/api/branches", json=body)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["key"] for e in response.json()["errors"]] == [key]
    unknown = await admin_client.post("/api/branches", json={"name": "X", "colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.text
    branch = await _branch(admin_client, _word("Afdeling Fout "), [])
    bad_role = await admin_client.post(
        f"/api/branches/{branch['id']}/officers", json={"role": "king", "person_id": 1}
    )
    assert bad_role.status_code == 400 and "role" in bad_role.text
    nobody = await admin_client.post(
        f"/api/branches/{branch['id']}/officers", json={"role": "chair", "person_id": 999999}
    )
    assert nobody.status_code == 400 and nobody.json()["errors"][0]["key"] == "person_id"
    same_key = await admin_client.post("/api/branches", json={"name": branch["name"]})
    assert same_key.status_code == 409 and same_key.json()["branch_id"] == branch["id"]


async def test_only_party_staff_see_branches_and_only_national_staff_manage_them(
    app, maps, admin_client
):
    north = await _branch(admin_client, _word("Afdeling Noord "), [GRONINGEN])
    west = await _branch(admin_client, _word("Afdeling West "), ["NL-GM-almere"])
    caseworker = await make_user("caseworker", office_id=1)
    async with signed_in(app, caseworker) as client:
        assert (await client.get("/api/branches")).status_code == 403
        assert (await client.post("/api/branches", json={"name": "Mijn"})).status_code == 403
    regional = await make_user("regional_organiser", regions=["NL-GR"])
    async with signed_in(app, regional) as client:
        shown = [b["id"] for b in (await client.get("/api/branches")).json()]
        assert north["id"] in shown and west["id"] not in shown
        assert (await client.get(f"/api/branches/{west['id']}")).status_code == 404
        assert (await client.post("/api/branches", json={"name": "Eigen"})).status_code == 403
        patched = await client.patch(f"/api/branches/{north['id']}", json={"name": "Anders"})
        assert patched.status_code == 403
    organiser = await make_user("organiser")
    async with signed_in(app, organiser) as client:
        made = await client.post("/api/branches", json={"name": _word("Landelijk ")})
        assert made.status_code == 201, made.text
        picked = (await client.get("/api/branches/areas", params={"q": "gron"})).json()
        assert {"code": GRONINGEN, "name": "Groningen", "kind": "municipality"} in picked
        assert "NL-GR" in [a["code"] for a in picked]  # the province too


async def test_members_belong_to_a_branch_by_id_and_the_people_list_filters_by_it(
    app, maps, admin_client
):
    branch = await _branch(admin_client, _word("Afdeling Lijst "), [GRONINGEN])
    member = await _person(admin_client, "Lid")
    joined = await admin_client.post(
        f"/api/people/{member}/memberships", json={"branch_id": branch["id"], "dues_cents": 2500}
    )
    assert joined.status_code == 201, joined.text
    assert joined.json()["branch_id"] == branch["id"]
    assert joined.json()["branch_name"] == branch["name"]
    # the name typed as before links to the branch of that name too
    typed = await _person(admin_client, "Getypt")
    by_name = await admin_client.post(
        f"/api/people/{typed}/memberships", json={"branch": branch["name"].upper()}
    )
    assert by_name.json()["branch_id"] == branch["id"]
    for path in ("/api/people", "/api/people/export"):  # an id no column holds: 400, not 500
        huge = await admin_client.get(path, params={"branch_id": 2**31})
        assert huge.status_code == 400 and "branch_id" in huge.text
    listed = await admin_client.get("/api/people", params={"branch_id": branch["id"]})
    assert {p["id"] for p in listed.json()["items"]} == {member, typed}
    # free text not linked yet still filters as before
    loose = _word("Losse tekst ")
    other = await _person(admin_client, "Los")
    await admin_client.post(f"/api/people/{other}/memberships", json={"branch": loose})
    old = await admin_client.get("/api/people", params={"branch": loose})
    assert [p["id"] for p in old.json()["items"]] == [other]
    gone = await admin_client.post(
        f"/api/people/{other}/memberships", json={"branch_id": 999999, "since": "2001-01-01",
                                                   "until": "2001-12-31"},
    )  # fmt: skip
    assert gone.status_code == 400 and gone.json()["errors"][0]["key"] == "branch_id"


async def test_the_chair_of_the_persons_branch_by_membership_or_else_by_where_they_live(
    app, maps, admin_client
):
    town = await _branch(admin_client, _word("Afdeling Woonplaats "), ["NL-GM-pekela"])
    province = await _branch(admin_client, _word("Afdeling Drenthe "), ["NL-DR"])
    chair = await _person(admin_client, "Stoel", "Raadhuislaan 1, 9663 AA Nieuwe Pekela")
    await admin_client.post(
        f"/api/branches/{town['id']}/officers", json={"role": "chair", "person_id": chair}
    )
    neighbour = await _person(admin_client, "Buur", "Raadhuislaan 3, 9663 AA Nieuwe Pekela")
    found = await memberships.branch_of(neighbour)
    assert found is not None and found.id == town["id"]
    holder = await memberships.officer_of(found.id, "chair")
    assert holder is not None and holder.person_id == chair
    assert await memberships.officer_of(found.id, "treasurer") is None
    # a member of another branch belongs to that one, wherever they live
    await admin_client.post(
        f"/api/people/{neighbour}/memberships", json={"branch_id": province["id"]}
    )
    assert (await memberships.branch_of(neighbour)).id == province["id"]
    drent = await _person(admin_client, "Drent", "Brink 1, 9401 HS Assen")
    by_region = await memberships.branch_of(drent)
    assert by_region is not None and by_region.id == province["id"]


async def test_free_text_is_migrated_and_what_fits_several_or_none_is_reported(
    app, maps, admin_client, test_env
):
    twin = _word("Tweeling")
    await _branch(admin_client, f"{twin} (NH)", [])
    await _branch(admin_client, f"{twin} (L)", [])
    known = await _branch(admin_client, _word("Afdeling Bekend "), [])
    texts = {
        "ambiguous": twin, "unknown": _word("Nergenshuizen"),
        "known": known["name"].removeprefix("Afdeling ").lower() + "  ",
        "town": "Stadskanaal", "town again": "afdeling stadskanaal",
    }  # fmt: skip
    ids = {}
    for label, text in texts.items():
        person = await _person(admin_client, "Vrij")
        made = await admin_client.post(f"/api/people/{person}/memberships", json={"branch": text})
        assert made.status_code == 201, made.text
        ids[label] = made.json()["id"]
    # the text as written before branches were data: not linked when it was made
    await Membership.update({Membership.branch_id: None}).where(
        Membership.id.is_in(list(ids.values()))
    )
    response = await admin_client.post("/api/branches/migrate")
    assert response.status_code == 200, response.text
    report = response.json()
    ambiguous = next(t for t in report["ambiguous"] if t["text"] == twin)
    assert ambiguous["candidates"] == [f"{twin} (L)", f"{twin} (NH)"]
    assert ambiguous["membership_ids"] == [ids["ambiguous"]]
    assert texts["unknown"] in [t["text"] for t in report["unmatched"]]
    migrated = {t["text"]: t for t in report["migrated"]}
    assert migrated[texts["known"].strip()]["branch_id"] == known["id"]
    # one branch made for the municipality, both ways of writing it linked to it
    town, again = migrated["Stadskanaal"], migrated["afdeling stadskanaal"]
    assert town["branch_name"] == "Stadskanaal" and again["branch_id"] == town["branch_id"]
    assert [town["created"], again["created"]].count(True) == 1
    made = (await admin_client.get(f"/api/branches/{town['branch_id']}")).json()
    assert [a["code"] for a in made["areas"]] == ["NL-GM-stadskanaal"]
    # none lost: every membership kept its text; the unresolved ones have no branch
    rows = {r["id"]: r for r in await Membership.select().where(
        Membership.id.is_in(list(ids.values())))}  # fmt: skip
    assert [rows[ids[k]]["branch"] for k in texts] == [t.strip() for t in texts.values()]
    assert rows[ids["ambiguous"]]["branch_id"] is None
    assert rows[ids["unknown"]]["branch_id"] is None
    # the command says the same; what is left is reported again, nothing linked twice
    result = subprocess.run(
        [sys.executable, "-m", "achterban.cli", "branches", "migrate"],
        env=test_env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"ambiguous '{twin}': 1 memberships ({ids['ambiguous']})" in result.stdout
    assert f"unmatched '{texts['unknown']}'" in result.stdout
    assert "Stadskanaal" not in result.stdout


async def test_a_merged_persons_posts_move_to_the_survivor_and_erasure_removes_them(
    app, maps, admin_client
):
    branch = await _branch(admin_client, _word("Afdeling Fusie "), [GRONINGEN])
    survivor = await _person(admin_client, "Blijft")
    merged = await _person(admin_client, "Gaat")
    await admin_client.post(
        f"/api/branches/{branch['id']}/officers", json={"role": "treasurer", "person_id": merged}
    )
    response = await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": survivor, "merged_id": merged}
    )
    assert response.status_code == 204, response.text
    officers = (await admin_client.get(f"/api/branches/{branch['id']}")).json()["officers"]
    assert [o["person_id"] for o in officers] == [survivor]
    export = (await admin_client.get(f"/api/people/{survivor}/subject-access")).json()
    assert [p["branch"] for p in export["branch_posts"]] == [branch["name"]]
    erased = await admin_client.post(f"/api/people/{survivor}/erase", json={"reason": "request"})
    assert erased.status_code in (200, 204), erased.text
    assert await BranchOfficer.count().where(BranchOfficer.branch == branch["id"]) == 0
    assert (await admin_client.get(f"/api/branches/{branch['id']}")).json()["officers"] == []
