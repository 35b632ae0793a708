"""A synthetic next term on top of the shipped data, loaded as files with no code change: a
House member replaced (NH-1), a seat left vacant (NH-2), a district redrawn (ZIP 03032
moves from NH-1 to NH-2), two Dutch municipalities merged (Urk and Noordoostpolder). Before
its date nothing changes; from its date the seats, the offices' flags, routing and people's
districts follow the new files, and the open cases wait for a decision each."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import yaml

from achterban.casework.tables import Case
from achterban.districts import loaders, seats, service
from achterban.districts.tables import Jurisdiction, Office, Representative
from achterban.people import areas
from achterban.people import service as people
from achterban.people.schemas import PersonCreate
from achterban.people.tables import Person
from achterban.platform.auth import SYSTEM
from tests.conftest import client_for, make_user

NEXT = date.today() + timedelta(days=30)  # the new term's first day
BEFORE, AFTER = date.today(), NEXT + timedelta(days=1)
PAPPAS, GOODLANDER = "P000614", "G000604"
MERGED = "Urk en Noordoostpolder"
URK_ADDRESS = "Wijk 1 12, 8321 AB Urk"
NH_ADDRESS = "12 Main St, Auburn, NH 03032"


def _next_files(tmp: Path) -> dict[str, Path]:
    """The shipped files as the next term's publisher would write them."""
    members = yaml.load(loaders.US_LEGISLATORS.read_text(), Loader=loaders.Loader)
    kept = [m for m in members if m["id"]["bioguide"] not in (PAPPAS, GOODLANDER)]
    newcomer = {
        "id": {"bioguide": "N999001"}, "name": {"official_full": "Nora Newcomer"},
        "terms": [{"type": "rep", "state": "NH", "district": 1, "party": "Independent"}],
    }  # fmt: skip
    offices = yaml.load(loaders.US_OFFICES.read_text(), Loader=loaders.Loader)
    offices.append({"id": {"bioguide": "N999001"}, "offices": [{
        "address": "1 Elm St", "city": "Manchester", "state": "NH", "zip": "03101",
    }]})  # fmt: skip
    files = {name: tmp / f"next-{name}" for name in ("members.yaml", "offices.yaml",
                                                       "zccd-nh.csv", "pc4.csv")}  # fmt: skip
    files["members.yaml"].write_text(yaml.safe_dump([*kept, newcomer]))
    files["offices.yaml"].write_text(yaml.safe_dump(offices))
    with loaders.US_ZCCD.open(newline="") as src, files["zccd-nh.csv"].open("w") as out:
        writer = csv.writer(out)
        writer.writerow(["state_fips", "state_abbr", "zcta", "cd"])
        for row in csv.DictReader(src):
            if row["state_abbr"] == "NH":  # the redrawn state's new map alone
                cd = "2" if row["zcta"] == "03032" else row["cd"]
                writer.writerow([row["state_fips"], "NH", row["zcta"], cd])
    with (
        loaders.NL_PC4.open(newline="", encoding="utf-8") as src,
        files["pc4.csv"].open("w", encoding="utf-8") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(["pc4", "gemeente", "provincie", "n_addresses"])
        for row in csv.DictReader(src):
            place = MERGED if row["gemeente"] in ("Urk", "Noordoostpolder") else row["gemeente"]
            writer.writerow([row["pc4"], place, row["provincie"], row["n_addresses"]])
    return files


async def _rep(bioguide: str) -> dict:
    return (await Representative.select().where(Representative.external_id == bioguide))[0]


async def _holders(code: str, on: date) -> list[str]:
    loaders.invalidate()
    return sorted(r.name for r in (await service.index(on)).reps.get(code, []))


async def _district(address: str, on: date) -> str:
    loaders.invalidate()
    return service.district_for(await service.resolve(address, on=on))


async def _person_district(person_id: int) -> str:
    return (await Person.select(Person.district).where(Person.id == person_id))[0]["district"]


async def test_a_synthetic_next_term_loads_as_data(app, tmp_dir, admin_client):
    await loaders.load_us_zccd()
    await loaders.load_us_legislators()
    await loaders.load_nl_pc4()
    # an admin sets up Urk's council office; a case from Urk and one from NH-1 come in
    urk = await admin_client.post("/api/offices", json={
        "name": "Raadsgroep Urk", "jurisdiction": "NL-GM-urk", "representative": "Raadsgroep Urk",
        "kind": "municipal",
    })  # fmt: skip
    assert urk.status_code == 201, urk.text
    urk_office = urk.json()["id"]
    await make_user("caseworker", office_id=urk_office)
    pappas = await _rep(PAPPAS)
    pappas_offices = {
        o["id"] for o in await Office.select(Office.id).where(Office.representative == pappas["id"])
    }
    await make_user("caseworker", office_id=min(pappas_offices))  # his staffed district office
    async with client_for(app) as anon:
        cases = {}
        for key, address in (("urk", URK_ADDRESS), ("nh", NH_ADDRESS)):
            receipt = await anon.post("/api/public/cases", json={
                "name": "Sam Synthetic", "email": f"sam.{key}@example.org", "subject": "Help",
                "description": "A question", "topic": "housing", "address": address,
                "follow_up_consent": True,
            })  # fmt: skip
            assert receipt.status_code == 202, receipt.text
            cases[key] = receipt.json()["reference"]
    routed = {
        r["reference"]: r["office"]
        for r in await Case.select(Case.reference, Case.office).where(
            Case.reference.is_in(list(cases.values()))
        )
    }
    assert routed == {cases["urk"]: urk_office, cases["nh"]: min(pappas_offices)}
    nh_person = await people.do_create_person(SYSTEM, PersonCreate(
        first_name="Nia", last_name="Hampshire", address=NH_ADDRESS, country="US",
    ))  # fmt: skip
    urk_person = await people.do_create_person(SYSTEM, PersonCreate(
        first_name="Udo", last_name="Urker", address=URK_ADDRESS, country="NL",
    ))  # fmt: skip
    await areas.recompute_districts()
    assert await _person_district(nh_person) == "US-NH-1"
    assert await _person_district(urk_person) == "NL-GM-urk"

    # the next term's files, with its date; the merged municipality's office set up ahead
    files = _next_files(tmp_dir)
    await loaders.load_us_zccd(files["zccd-nh.csv"], valid_from=NEXT)
    await loaders.load_us_legislators(files["members.yaml"], files["offices.yaml"], NEXT)
    await loaders.load_nl_pc4(files["pc4.csv"], valid_from=NEXT)
    picked = await admin_client.get("/api/jurisdictions", params={"q": "Urk en"})
    assert [j["code"] for j in picked.json()] == ["NL-GM-urk-en-noordoostpolder"]
    merged = await admin_client.post("/api/offices", json={
        "name": "Fractie Urk en Noordoostpolder", "representative": "Fractie U&N",
        "jurisdiction": "NL-GM-urk-en-noordoostpolder", "kind": "municipal",
    })  # fmt: skip
    assert merged.status_code == 201, merged.text

    # representatives: who holds each seat before and after the date
    assert await _holders("US-NH-1", BEFORE) == ["Chris Pappas"]
    assert await _holders("US-NH-1", AFTER) == ["Nora Newcomer"]
    assert await _holders("US-NH-2", BEFORE) == ["Maggie Goodlander"]
    assert await _holders("US-NH-2", AFTER) == []  # vacant
    assert (await _rep(PAPPAS))["valid_to"] == NEXT - timedelta(days=1)
    assert await _holders("NL-GM-urk", AFTER) == []  # the seat is gone with the municipality
    assert await _holders("NL-GM-urk-en-noordoostpolder", AFTER) == ["Fractie U&N"]
    # the maps: Urk and Noordoostpolder end the day before, the merged one begins
    for code in ("NL-GM-urk", "NL-GM-noordoostpolder"):
        rows = await Jurisdiction.select().where(Jurisdiction.code == code)
        assert [r["valid_to"] for r in rows] == [NEXT - timedelta(days=1)], code
    # other states' districts are untouched by the redrawn state's file
    ny = await Jurisdiction.select().where(Jurisdiction.code == "US-NY-12")
    assert [r["valid_to"] for r in ny] == [None]

    # offices: flagged from the date on, nothing moved by itself
    rows = await Office.select(Office.id, Office.representative).where(
        Office.id.is_in([urk_office, *pappas_offices])
    )
    now, then = await seats.seats(rows, BEFORE), await seats.seats(rows, AFTER)
    assert {s.status for s in now.values()} == {"held"}
    assert then[urk_office].status == "gone"
    newcomer_offices = {
        o["id"] for o in await Office.select(Office.id).where(
            Office.representative == (await _rep("N999001"))["id"]
        )
    }  # fmt: skip
    for office in pappas_offices:
        assert then[office].status == "new_holder"
        assert set(then[office].successor_offices) == newcomer_offices
    goodlander = await Office.select(Office.id, Office.representative).where(
        Office.representative == (await _rep(GOODLANDER))["id"]
    )
    assert {s.status for s in (await seats.seats(goodlander, AFTER)).values()} == {"vacant"}
    still = await Case.select(Case.reference, Case.office).where(
        Case.reference.is_in(list(cases.values()))
    )
    assert {r["reference"]: r["office"] for r in still} == routed

    # routing: an address resolves by the map of the day
    assert await _district(NH_ADDRESS, BEFORE) == "US-NH-1"
    assert await _district(NH_ADDRESS, AFTER) == "US-NH-2"
    assert await _district(URK_ADDRESS, BEFORE) == "NL-GM-urk"
    assert await _district(URK_ADDRESS, AFTER) == "NL-GM-urk-en-noordoostpolder"
    loaders.invalidate()
    after = await service.resolve(URK_ADDRESS, on=AFTER)
    assert [r.name for r in after.candidates[0].representatives] == ["Fractie U&N"]
    assert after.candidates[0].representatives[0].office_ids == [merged.json()["id"]]

    # people's districts: recomputed by the map in force
    await areas.recompute_districts(AFTER)
    assert await _person_district(nh_person) == "US-NH-2"
    assert await _person_district(urk_person) == "NL-GM-urk-en-noordoostpolder"
    await areas.recompute_districts(BEFORE)  # today's map again, for the tests after this one
    assert await _person_district(nh_person) == "US-NH-1"
