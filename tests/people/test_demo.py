"""The demo is consistent: every demo person with an address has the district it lies in."""

from __future__ import annotations

from achterban import demo
from achterban.districts import service as districts
from achterban.people.tables import Person
from achterban.settings import get_settings


async def test_demo_people_have_their_district_and_every_sign_in_is_listed(app):
    lines = await demo.seed()
    people = await Person.select(
        Person.external_ref, Person.first_name, Person.country, Person.postcode, Person.district
    ).where((Person.source == "demo") & (Person.postcode != ""))
    assert people
    for person in people:
        expected = await districts.district_of(person["country"], person["postcode"])
        assert person["district"] == expected, person
    anna = next(p for p in people if p["external_ref"] == "D-1001")
    assert anna["district"] != ""  # Anna de Vries in Groningen
    listing = get_settings().var_dir / "demo-sign-ins.txt"
    assert any(str(listing) in line for line in lines)
    assert not any(line.rstrip().endswith("...") for line in lines)
    signed = listing.read_text().splitlines()
    assert any(line.startswith("admin@achterban.example") for line in signed)
    assert len(signed) > 6
