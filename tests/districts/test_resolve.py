"""Addresses resolve to their districts and representatives with the real 119th-Congress map."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict

import pytest
import yaml

from achterban.districts import loaders, service
from achterban.districts.tables import PostcodeArea, Representative
from tests.conftest import make_user, signed_in


@pytest.fixture(scope="module")
async def maps(app):
    await loaders.load_us_zccd()
    await loaders.load_us_legislators()
    await loaders.load_nl_pc4()
    return True


async def test_loading_twice_adds_nothing(maps):
    areas = await PostcodeArea.count()
    reps = await Representative.count()
    assert await loaders.load_us_zccd() == 0 and await loaders.load_nl_pc4() == 0
    assert await loaders.load_us_legislators() == 0
    assert (await PostcodeArea.count(), await Representative.count()) == (areas, reps)
    assert reps >= 537


async def test_every_house_member_is_found_from_their_own_district_office(maps):
    people = yaml.safe_load(loaders.US_LEGISLATORS.read_text())
    house = {p["id"]["bioguide"] for p in people if p["terms"][-1]["type"] == "rep"}
    with loaders.US_ZCCD.open() as handle:
        zctas = {row["zcta"] for row in csv.DictReader(handle)}
    offices = yaml.safe_load(loaders.US_OFFICES.read_text())
    reps = {r["external_id"]: r["id"] for r in await Representative.select()}
    checked = found = 0
    for entry in offices:
        bioguide = entry["id"]["bioguide"]
        if bioguide not in house:
            continue
        for office in entry.get("offices", []):
            zip5 = str(office.get("zip") or "")[:5]
            if zip5 not in zctas:
                continue
            checked += 1
            address = f"{office.get('address', '')}, {office.get('city', '')}, {office['state']} {office['zip']}"  # noqa: E501
            result = await service.resolve(address, "US")
            ids = {r.id for c in result.candidates for r in c.representatives}
            found += reps[bioguide] in ids
    assert checked > 800
    print(f"district offices resolved to their member: {found}/{checked} = {found / checked:.1%}")
    assert found / checked >= 0.97


async def test_every_zip_with_several_districts_is_ambiguous(maps):
    districts = defaultdict(set)
    states = {}
    with loaders.US_ZCCD.open() as handle:
        for row in csv.DictReader(handle):
            districts[row["zcta"]].add((row["state_abbr"], row["cd"]))
            states[row["zcta"]] = row["state_abbr"]
    shared = [z for z, ds in districts.items() if len(ds) > 1]
    assert len(shared) == 7299
    for zcta in shared:
        result = await service.resolve(f"1 Main St, Anytown, {states[zcta]} {zcta}", "US")
        assert result.ambiguous, zcta
        assert len(result.candidates) == len(districts[zcta]), zcta


async def test_a_zip_in_two_states_returns_both(maps):
    with loaders.US_ZCCD.open() as handle:
        by_zip = defaultdict(set)
        for row in csv.DictReader(handle):
            by_zip[row["zcta"]].add(row["state_abbr"])
    zcta, states = next((z, s) for z, s in sorted(by_zip.items()) if len(s) > 1)
    result = await service.resolve(f"1 Main St, Anytown, {sorted(states)[0]} {zcta}", "US")
    assert result.ambiguous and "states" in result.reason
    assert {c.district.split("-")[1] for c in result.candidates} == states


async def test_a_vacant_seat_falls_back_to_the_senators(maps):
    with loaders.US_ZCCD.open() as handle:
        zcta = next(
            r["zcta"] for r in csv.DictReader(handle) if (r["state_abbr"], r["cd"]) == ("TX", "23")
        )
    result = await service.resolve(f"1 Main St, Del Rio, TX {zcta}", "US")
    vacant = next(c for c in result.candidates if c.district == "US-TX-23")
    assert "vacant" in vacant.note and "vacant" in result.reason
    assert {r.chamber for r in vacant.representatives} == {"senate"}
    assert len(vacant.representatives) == 2


async def test_unknown_zip_degrades_to_the_state_and_is_ambiguous(maps):
    result = await service.resolve("PO Box 1234, Albany, NY 12201", "US")
    assert result.ambiguous and "not on the map" in result.reason
    assert [c.district for c in result.candidates] == ["US-NY"]
    assert {r.chamber for r in result.candidates[0].representatives} == {"senate"}


async def test_zip_plus_four_and_a_single_district(maps):
    result = await service.resolve("1 Main St, Anchorage, AK 99501-1234", "US")
    assert not result.ambiguous and result.parsed["plus_four"] == "1234"
    assert [c.district for c in result.candidates] == ["US-AK-AL"]
    assert {r.chamber for r in result.candidates[0].representatives} == {"house"}


async def test_a_dutch_postcode_resolves_to_municipality_and_province(maps):
    result = await service.resolve("Vismarkt 2, 9712 CB Groningen")
    assert not result.ambiguous
    assert [(c.district, c.name) for c in result.candidates] == [("NL-GM-groningen", "Groningen")]
    assert result.parsed["state"] == "Groningen"


async def test_resolve_in_the_api_and_the_cli(maps, app, test_env):
    async with signed_in(app, await make_user("caseworker", office_id=1)) as client:
        response = await client.get(
            "/api/districts/resolve", params={"address": "Markt 1, 9401 AA Assen"}
        )
        assert response.status_code == 200
        assert response.json()["candidates"][0]["name"] == "Assen"
    async with signed_in(app, await make_user("volunteer")) as client:
        assert (
            await client.get("/api/districts/resolve", params={"address": "x"})
        ).status_code == 403
    result = subprocess.run(
        [sys.executable, "-m", "achterban.cli", "resolve", "Vismarkt 2, 9712 CB Groningen"],
        env=test_env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["candidates"][0]["district"] == "NL-GM-groningen"
