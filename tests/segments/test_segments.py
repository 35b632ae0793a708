"""Segments: a tree of conditions over person, membership, giving and consent, counted live
within the asker's scope, saved, nested, frozen; bad trees get a 400 naming the path."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from achterban.audit.tables import AuditEvent
from tests.conftest import make_user, signed_in

TODAY = date.today()


@pytest.fixture
async def crowd(admin_client):
    """Six people with one unique tag, each true of a different mix of conditions."""
    tag = f"seg{uuid.uuid4().hex[:8]}"

    async def person(first: str, address: str, **extra) -> int:
        response = await admin_client.post("/api/people", json={
            "first_name": first, "last_name": "Segment", "tags": [tag], "address": address,
            "emails": [f"{first.lower()}.{tag}@example.org"], **extra,
        })  # fmt: skip
        assert response.status_code == 201, response.text
        return response.json()["id"]

    ids = {
        "anna": await person("Anna", "Vismarkt 2, 9712 CB Groningen", support_level=5,
                             voted_for_us=True),
        "bram": await person("Bram", "Markt 1, 9401 AA Assen", support_level=2),
        "carla": await person("Carla", "Nieuwestad 10, 8911 CN Leeuwarden", voted_for_us=True,
                              support_level=4, language="en"),
        "daan": await person("Daan", "Vismarkt 4, 9712 CB Groningen"),
        "emma": await person("Emma", "Markt 3, 9401 AA Assen", is_volunteer=True),
        "finn": await person("Finn", "Herestraat 1, 9711 LA Groningen"),
    }  # fmt: skip
    last_year = date(TODAY.year - 1, 6, 1).isoformat()
    for who, body in (
        ("anna", {"amount_cents": 5000, "received_on": last_year}),
        ("bram", {"amount_cents": 2500, "received_on": last_year}),
        ("bram", {"amount_cents": 10000, "received_on": TODAY.isoformat()}),
        ("daan", {"amount_cents": 1000, "received_on": date(TODAY.year - 3, 2, 1).isoformat()}),
    ):
        response = await admin_client.post(f"/api/people/{ids[who]}/donations", json=body)
        assert response.status_code == 201, response.text
    for who, since, until in (
        ("anna", TODAY - timedelta(days=400), None),
        ("emma", TODAY - timedelta(days=800), TODAY - timedelta(days=100)),  # lapsed (grace 60)
    ):
        response = await admin_client.post(f"/api/people/{ids[who]}/memberships", json={
            "branch": "Groningen", "since": since.isoformat(),
            "until": until.isoformat() if until else None,
        })  # fmt: skip
        assert response.status_code == 201, response.text
    for who, status in (("anna", "granted"), ("carla", "granted"), ("carla", "withdrawn")):
        response = await admin_client.post(f"/api/people/{ids[who]}/consent", json={
            "purpose": "newsletter", "channel": "email", "status": status,
        })  # fmt: skip
        assert response.status_code in (200, 201), response.text
    return tag, ids


def _tree(tag: str, *conditions: dict, join: str = "all") -> dict:
    return {"all": [{"field": "tag", "op": "has", "value": tag}, {join: list(conditions)}]}


async def _count(client, tree: dict) -> int:
    response = await client.post("/api/segments/count", json={"definition": tree})
    assert response.status_code == 200, response.text
    return response.json()["count"]


async def _names(client, tree: dict) -> list[str]:
    response = await client.post("/api/segments/preview", json={"definition": tree})
    assert response.status_code == 200, response.text
    return sorted(p["display_name"].split()[0] for p in response.json()["items"])


async def test_each_kind_of_condition_finds_the_people_it_says(app, admin_client, crowd):
    tag, _ = crowd
    cases = [
        ({"field": "region", "op": "is", "value": "NL-GR"}, ["Anna", "Daan", "Finn"]),
        ({"field": "postcode", "op": "starts_with", "value": "9401"}, ["Bram", "Emma"]),
        ({"field": "language", "op": "is", "value": "en"}, ["Carla"]),
        ({"field": "role", "op": "has", "value": "loyal_voter"}, ["Anna", "Carla"]),
        ({"field": "role", "op": "has", "value": "volunteer"}, ["Emma"]),
        ({"field": "role", "op": "has", "value": "member"}, ["Anna"]),
        ({"field": "member_lapsed", "op": "within_days", "value": 365}, ["Emma"]),
        ({"field": "support_level", "op": "at_least", "value": 4}, ["Anna", "Carla"]),
        ({"field": "lybunt", "op": "yes", "value": None}, ["Anna"]),
        ({"field": "sybunt", "op": "yes", "value": None}, ["Daan"]),
        ({"field": "gifts_total_this_year", "op": "at_least", "value": 100}, ["Bram"]),
        ({"field": "largest_gift", "op": "at_least", "value": 50}, ["Anna", "Bram"]),
        ({"field": "gift_count", "op": "at_least", "value": 2}, ["Bram"]),
        ({"field": "gave_in_year", "op": "in_year", "value": TODAY.year - 1}, ["Anna", "Bram"]),
        # the latest statement counts: Carla withdrew what she granted
        ({"field": "consent", "op": "has", "value": "newsletter:email"}, ["Anna"]),
        ({"field": "last_contact", "op": "not_within_days", "value": 30},
         ["Anna", "Bram", "Carla", "Daan", "Emma", "Finn"]),
    ]  # fmt: skip
    for condition, expected in cases:
        tree = _tree(tag, condition)
        assert await _names(admin_client, tree) == expected, condition
        assert await _count(admin_client, tree) == len(expected), condition
    # groups: any, none, and nesting
    loyal_or_volunteer = _tree(
        tag, {"field": "role", "op": "has", "value": "loyal_voter"},
        {"field": "role", "op": "has", "value": "volunteer"}, join="any",
    )  # fmt: skip
    assert await _names(admin_client, loyal_or_volunteer) == ["Anna", "Carla", "Emma"]
    not_groningen = _tree(tag, {"field": "region", "op": "is", "value": "NL-GR"}, join="none")
    assert await _names(admin_client, not_groningen) == ["Bram", "Carla", "Emma"]
    nested = _tree(tag, {"any": [{"field": "region", "op": "is", "value": "NL-DR"},
                                 {"none": [{"field": "support_level", "op": "is_set",
                                            "value": None}]}]})  # fmt: skip
    assert await _names(admin_client, nested) == ["Bram", "Daan", "Emma", "Finn"]


async def test_a_bad_tree_gets_a_400_naming_each_path(app, admin_client):
    bad = {"all": [
        {"field": "region", "op": "is", "value": "NL-GR"},
        {"any": [{"field": "shoe_size", "op": "is", "value": "42"},
                 {"field": "age", "op": "older_than", "value": 3},
                 {"field": "consent", "op": "has", "value": "newsletter:pigeon"},
                 {"field": "support_level", "op": "at_least", "value": "high"}]},
        {"most": []},
    ]}  # fmt: skip
    response = await admin_client.post("/api/segments/count", json={"definition": bad})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["key"] for e in response.json()["errors"]] == [
        "definition.all[1].any[0].field",
        "definition.all[1].any[1].op",
        "definition.all[1].any[2].value",
        "definition.all[1].any[3].value",
        "definition.all[2]",
    ]
    deep: dict = {"all": []}
    for _ in range(20):
        deep = {"all": [deep]}
    assert (
        await admin_client.post("/api/segments/count", json={"definition": deep})
    ).status_code == 400


async def test_a_saved_segment_nests_refuses_cycles_freezes_and_audits_its_lists(
    app, admin_client, crowd
):
    tag, ids = crowd
    groningen = await admin_client.post("/api/segments", json={
        "name": "Groningers", "shared": True,
        "definition": _tree(tag, {"field": "region", "op": "is", "value": "NL-GR"}),
    })  # fmt: skip
    assert groningen.status_code == 201, groningen.text
    gid = groningen.json()["id"]
    givers = await admin_client.post("/api/segments", json={
        "name": "Groningers who gave", "definition": {"all": [
            {"field": "segment", "op": "in", "value": gid},
            {"field": "gift_count", "op": "at_least", "value": 1},
        ]},
    })  # fmt: skip
    assert givers.status_code == 201, givers.text
    vid = givers.json()["id"]
    assert (await admin_client.get(f"/api/segments/{vid}/count")).json() == {"count": 2}
    # a segment may not contain itself, through another
    cycle = await admin_client.patch(f"/api/segments/{gid}", json={
        "definition": {"all": [{"field": "segment", "op": "in", "value": vid}]},
    })  # fmt: skip
    assert cycle.status_code == 400, cycle.text
    # the snapshot keeps its people while the segment changes
    snapshot = await admin_client.post(f"/api/segments/{gid}/snapshot")
    assert snapshot.status_code == 201, snapshot.text
    assert snapshot.json()["size"] == 3 and snapshot.json()["frozen_at"]
    moved = await admin_client.patch(f"/api/people/{ids['finn']}", json={
        "address": "Markt 5, 9401 AA Assen",
    })  # fmt: skip
    assert moved.status_code == 200, moved.text
    assert (await admin_client.get(f"/api/segments/{gid}/count")).json() == {"count": 2}
    frozen = await admin_client.get(f"/api/segments/{snapshot.json()['id']}/people")
    assert sorted(p["display_name"].split()[0] for p in frozen.json()["items"]) == [
        "Anna",
        "Daan",
        "Finn",
    ]
    logged = await AuditEvent.count().where(
        (AuditEvent.action == "segment.people")
        & (AuditEvent.object_id == str(snapshot.json()["id"]))
    )
    assert logged == 1


async def test_scope_a_regional_organiser_counts_only_their_regions_and_private_stays_private(
    app, admin_client, crowd
):
    tag, _ = crowd
    tree = _tree(tag)
    assert await _count(admin_client, tree) == 6
    drenthe = await make_user("regional_organiser", regions=["NL-DR"])
    nowhere = await make_user("regional_organiser", regions=[])
    private = await admin_client.post("/api/segments", json={"name": "Mine", "definition": tree})
    async with signed_in(app, drenthe) as client:
        assert await _count(client, tree) == 2  # Bram and Emma live in Drenthe
        assert await _names(client, tree) == ["Bram", "Emma"]
        # someone else's private segment: not listed, not readable, not nestable
        assert private.json()["id"] not in [
            s["id"] for s in (await client.get("/api/segments")).json()
        ]
        assert (await client.get(f"/api/segments/{private.json()['id']}")).status_code == 404
        nest = {"all": [{"field": "segment", "op": "in", "value": private.json()["id"]}]}
        assert (
            await client.post("/api/segments/count", json={"definition": nest})
        ).status_code == 400
    async with signed_in(app, nowhere) as client:  # scope fails closed
        assert await _count(client, tree) == 0
    for role in ("caseworker", "volunteer"):
        async with signed_in(app, await make_user(role)) as client:
            response = await client.post("/api/segments/count", json={"definition": tree})
            assert response.status_code == 403, role


@pytest.fixture(scope="module")
async def maps(app):
    from achterban.districts import loaders

    await loaders.load_nl_pc4()


async def test_the_people_list_and_the_export_read_a_segment_and_a_branch_is_a_condition(
    app, admin_client, crowd, maps
):
    tag, ids = crowd
    branch = await admin_client.post("/api/branches", json={
        "name": f"Afdeling {tag}", "areas": ["NL-GR"],
    })  # fmt: skip
    assert branch.status_code == 201, branch.text
    joined = await admin_client.post(f"/api/people/{ids['finn']}/memberships", json={
        "branch_id": branch.json()["id"], "since": (TODAY - timedelta(days=10)).isoformat(),
    })  # fmt: skip
    assert joined.status_code == 201, joined.text
    in_branch = _tree(tag, {"field": "branch", "op": "is", "value": branch.json()["id"]})
    assert await _names(admin_client, in_branch) == ["Finn"]
    saved = await admin_client.post("/api/segments", json={
        "name": "Loyal", "definition": _tree(tag, {"field": "role", "op": "has",
                                                   "value": "loyal_voter"}),
    })  # fmt: skip
    listed = await admin_client.get("/api/people", params={"segment": saved.json()["id"]})
    assert listed.status_code == 200, listed.text
    assert sorted(p["display_name"].split()[0] for p in listed.json()["items"]) == [
        "Anna", "Carla",
    ]  # fmt: skip
    export = await admin_client.get(
        "/api/people/export", params={"segment": saved.json()["id"], "format": "csv"}
    )
    assert export.status_code == 200 and export.text.count("\n") == 3  # header and two
    # someone else's private segment is not theirs to list
    async with signed_in(app, await make_user("organiser")) as client:
        other = await client.get("/api/people", params={"segment": saved.json()["id"]})
        assert other.status_code == 404, other.text
