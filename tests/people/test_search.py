"""Staff find a person by what they know of them: names in any order, infix or not,
part of an e-mail address, a phone number as typed, a postcode with or without its space."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.conftest import make_user, signed_in


def _tag() -> str:
    return "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:8])


async def _create(client, **fields):
    response = await client.post("/api/people", json=fields)
    assert response.status_code == 201, response.text
    return response.json()


async def _found(client, q: str, **params) -> list[int]:
    response = await client.get("/api/people", params={"q": q, "limit": 200, **params})
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


async def test_a_person_is_found_by_every_kind_of_thing_staff_know(app, admin_client):
    town = f"Stad{_tag()}"
    surname = f"Vries{_tag()}"
    anna = await _create(
        admin_client, first_name="Anna", infix="de", last_name=surname,
        emails=[f"anna.de{surname.lower()}@example.org"], phones=["06-12345678"],
        address=f"Vismarkt 3, 9712 CB {town}",
    )  # fmt: skip
    other = await _create(
        admin_client, first_name="Dirk", last_name=surname, address=f"Markt 1, 9401 AA {town}"
    )
    s = surname.lower()
    for q in (
        f"Anna {surname}",
        f"{surname} Anna",
        f"anna de {s}",
        f"de {s}",
        s,
        f"ANNA DE {s.upper()}",
        f"anna.de{s}",
        f"de{s}@example",
        town,
        f"{town} anna",
    ):
        found = await _found(admin_client, q)
        assert anna["id"] in found, q
    assert other["id"] not in await _found(admin_client, f"Anna {surname}")
    assert other["id"] in await _found(admin_client, f"dirk {s}")


async def test_phone_numbers_are_found_however_they_are_written(app, admin_client):
    nl = await _create(
        admin_client, first_name="Piet", last_name=f"Bel{_tag()}", phones=["06-39876543"]
    )
    us = await _create(
        admin_client, first_name="Jane", last_name=f"Doe{_tag()}", phones=["+1 (212) 555-0187"],
        address="350 5th Ave, New York, NY 10118", country="US",
    )  # fmt: skip
    for q in ("06-39876543", "0639876543", "+31 6 3987 6543", "+31639876543", "06 398 765 43"):
        assert nl["id"] in await _found(admin_client, q), q
    for q in ("(212) 555-0187", "212-555-0187", "+1 212 555 0187", "2125550187"):
        assert us["id"] in await _found(admin_client, q), q
    assert nl["id"] not in await _found(admin_client, "06-39876544")


async def test_a_postcode_with_or_without_its_space_or_only_its_digits(app, admin_client):
    surname = f"Post{_tag()}"
    person = await _create(
        admin_client,
        first_name="Els",
        last_name=surname,
        address="Oude Boteringestraat 9, 9712 GH Groningen",
    )
    for q in ("9712 GH", "9712gh", "9712", f"9712 {surname}"):
        assert person["id"] in await _found(admin_client, q), q
    assert person["id"] not in await _found(admin_client, "9713 GH")


async def test_accents_and_case_do_not_matter(app, admin_client):
    surname = f"Brûlé{_tag()}"
    person = await _create(
        admin_client,
        first_name="Zoë",
        last_name=surname,
        address="Tsjerkestrjitte 1, 8401 AB Gorredijk, Fryslân",
    )
    plain = surname.replace("û", "u").replace("é", "e").lower()
    for q in ("zoe " + plain, "ZOË " + plain.upper(), f"Zoë {surname}"):
        assert person["id"] in await _found(admin_client, q), q


async def test_an_infix_surname_with_van_der(app, admin_client):
    surname = f"Berg{_tag()}"
    person = await _create(admin_client, first_name="Jan", infix="van der", last_name=surname)
    for q in (
        f"van der {surname}",
        surname,
        f"jan van der {surname}",
        f"vander{surname}",
    ):
        assert person["id"] in await _found(admin_client, q), q


async def test_best_matches_come_first(app, admin_client):
    tag = _tag()
    later = await _create(admin_client, first_name="Annabel", last_name=f"{tag}aa")
    best = await _create(admin_client, first_name="Anna", last_name=f"{tag}zz")
    # the whole word "anna" before the longer "annabel", though "aa" sorts before "zz"
    assert await _found(admin_client, f"anna {tag}") == [best["id"], later["id"]]
    by_name = await _found(admin_client, f"anna {tag}", sort="name")
    assert by_name == [later["id"], best["id"]]


@pytest.mark.skipif(os.environ.get("ACHTERBAN_TEST_DB") == "sqlite", reason="pg_trgm")
async def test_a_small_typo_still_finds_the_person_on_postgresql(app, admin_client):
    tag = _tag()
    person = await _create(admin_client, first_name="Wilhelmina", last_name=f"Oosterhout{tag}")
    assert person["id"] in await _found(admin_client, f"Oosterhuot{tag}")
    assert person["id"] in await _found(admin_client, f"wilhelmina oosterhuot{tag}")


async def test_search_keeps_to_the_searchers_region(app, admin_client):
    surname = f"Scope{_tag()}"
    inside = await _create(
        admin_client, first_name="Anna", last_name=surname, address="Vismarkt 3, 9712 CB Groningen"
    )
    outside = await _create(
        admin_client, first_name="Anna", last_name=surname, address="Dam 1, 1012 JS Amsterdam"
    )
    organiser = await make_user("regional_organiser", regions=["NL-GR"])
    async with signed_in(app, organiser) as client:
        found = await _found(client, f"anna {surname}")
        assert inside["id"] in found and outside["id"] not in found
        assert outside["id"] not in await _found(client, "1012 JS")


async def test_a_changed_email_is_what_the_person_is_found_by(app, admin_client):
    tag = _tag()
    person = await _create(admin_client, first_name="Kees", emails=[f"old{tag}@example.org"])
    response = await admin_client.patch(
        f"/api/people/{person['id']}", json={"emails": [f"new{tag}@example.org"]}
    )
    assert response.status_code == 200, response.text
    assert person["id"] in await _found(admin_client, f"new{tag}")
    assert person["id"] not in await _found(admin_client, f"old{tag}")


async def test_an_empty_form_is_not_a_person(app, admin_client):
    response = await admin_client.post("/api/people", json={"first_name": "  ", "tags": ["x"]})
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "urn:achterban:problem:validation"
    assert {e["key"] for e in body["errors"]} >= {"first_name", "last_name", "emails", "phones"}
    dutch = await admin_client.post("/api/people", json={}, headers={"Accept-Language": "nl"})
    assert dutch.status_code == 400 and "naam" in dutch.json()["detail"].lower()
    assert (
        await admin_client.post("/api/people", json={"phones": ["0612345670"]})
    ).status_code == 201


async def test_a_change_may_not_leave_nobody(app, admin_client):
    person = await _create(admin_client, first_name="Ans", emails=[f"ans{_tag()}@example.org"])
    cleared = await admin_client.patch(
        f"/api/people/{person['id']}", json={"first_name": "", "emails": []}
    )
    assert cleared.status_code == 400
    assert (await admin_client.get(f"/api/people/{person['id']}")).json()["first_name"] == "Ans"
    kept = await admin_client.patch(f"/api/people/{person['id']}", json={"first_name": ""})
    assert kept.status_code == 200  # the e-mail address still says who this is


async def test_after_a_merge_the_survivor_is_found_by_what_the_other_record_held(app, admin_client):
    tag = _tag()
    keep = await _create(admin_client, first_name="Mies", last_name=f"Merge{tag}")
    gone = await _create(admin_client, first_name="Mies", emails=[f"mies{tag}@example.org"])
    response = await admin_client.post(
        "/api/dedupe/merge", json={"survivor_id": keep["id"], "merged_id": gone["id"]}
    )
    assert response.status_code == 204, response.text
    assert await _found(admin_client, f"mies{tag}") == [keep["id"]]


async def test_an_erased_person_leaves_nothing_to_search_by(app, admin_client):
    from achterban.people.tables import Person

    tag = _tag()
    person = await _create(
        admin_client, first_name="Gone", last_name=f"Erased{tag}", emails=[f"gone{tag}@example.org"]
    )
    response = await admin_client.post(
        f"/api/people/{person['id']}/erase", json={"reason": "request"}
    )
    assert response.status_code in (200, 204), response.text
    row = await Person.select(Person.search_text).where(Person.id == person["id"]).first()
    assert row["search_text"] == ""
    assert await _found(admin_client, f"gone{tag}") == []


async def test_a_search_counts_to_a_limit_and_still_shows_the_best_matches_first(
    app, admin_client, monkeypatch
):
    from achterban.people import search

    tag = _tag()
    # more people start with the word than the search counts; the two who have it whole
    # were added last, so they are not among the first matches read
    longer = [await _create(admin_client, first_name=f"{tag}x", last_name=f"L{i}") for i in "abcd"]
    whole = [await _create(admin_client, first_name=tag, last_name=f"W{i}") for i in "ba"]
    monkeypatch.setattr(search, "TOTAL_CAP", 3)
    response = await admin_client.get("/api/people", params={"q": tag, "limit": 2})
    assert response.status_code == 200, response.text
    page = response.json()
    assert (page["total"], page["total_capped"]) == (3, True)
    assert [p["id"] for p in page["items"]] == [whole[1]["id"], whole[0]["id"]]
    rest = (await admin_client.get("/api/people", params={"q": tag, "offset": 2})).json()
    assert {p["id"] for p in rest["items"]} <= {p["id"] for p in longer}
    assert rest["total_capped"] is True
    # as many as it counts: the exact number
    monkeypatch.setattr(search, "TOTAL_CAP", 6)
    exact = (await admin_client.get("/api/people", params={"q": tag})).json()
    assert (exact["total"], exact["total_capped"]) == (6, False)
    assert [p["id"] for p in exact["items"]][:2] == [whole[1]["id"], whole[0]["id"]]
    assert {p["id"] for p in exact["items"][2:]} == {p["id"] for p in longer}


@pytest.fixture(scope="module")
async def case_offices(app):
    from achterban.districts import loaders
    from tests.casework.test_casework import _office

    await loaders.load_nl_pc4()
    a, b = await _office("NL-GM-groningen"), await _office("NL-GM-assen")
    reps = {
        "rep_a": await make_user("representative", office_id=a),
        "rep_b": await make_user("representative", office_id=b),
    }
    loaders.invalidate()
    return {"a": a, "b": b, **reps}


async def _case_for(admin_client, person: dict, office_id: int) -> str:
    from achterban.casework.tables import Case

    created = await admin_client.post("/api/cases", json={
        "subject": "Stoep", "description": "Losse tegels", "topic": "roads",
        "address": "Vismarkt 2, 9712 CB Groningen", "person_id": person["id"],
    })  # fmt: skip
    assert created.status_code == 201, created.text
    case = created.json()
    await Case.update({Case.office: office_id}).where(Case.id == case["id"])
    return case["reference"]


async def test_a_case_reference_finds_its_constituent_for_the_cases_office_only(
    app, admin_client, case_offices
):
    surname = f"Zaak{_tag()}"
    person = await _create(
        admin_client, first_name="Roos", last_name=surname, address="Vismarkt 2, 9712 CB Groningen"
    )
    reference = await _case_for(admin_client, person, case_offices["a"])
    assert reference.startswith("C-")
    # as shown on the case, or typed in lower case
    for q in (reference, reference.lower(), f" {reference} "):
        assert await _found(admin_client, q) == [person["id"]], q
    async with signed_in(app, case_offices["rep_a"]) as client:
        assert await _found(client, reference) == [person["id"]]
    # the list as a file holds them too
    exported = await admin_client.get(
        "/api/people/export", params={"q": reference, "format": "csv"}
    )
    assert exported.status_code == 200 and surname in exported.text
    # national staff do not read the contents of cases: the reference tells them nothing
    async with signed_in(app, await make_user("organiser")) as client:
        assert person["id"] in await _found(client, surname)
        response = await client.get("/api/people", params={"q": reference})
        assert response.status_code == 200, response.text
        assert (response.json()["items"], response.json()["total"]) == ([], 0)
    # nor does another office, about someone of its own district whose case is not its own
    neighbour = await _create(
        admin_client, first_name="Roos", last_name=surname, address="Markt 1, 9401 AA Assen"
    )
    theirs = await _case_for(admin_client, neighbour, case_offices["a"])
    async with signed_in(app, case_offices["rep_b"]) as client:
        assert await _found(client, surname) == [neighbour["id"]]
        response = await client.get("/api/people", params={"q": theirs})
        assert response.status_code == 200, response.text
        assert (response.json()["items"], response.json()["total"]) == ([], 0)
        assert await _found(client, reference) == []
    # a reference that exists nowhere finds nobody
    assert await _found(admin_client, "C-00000000") == []
