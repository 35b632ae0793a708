"""Demo supporters: an import with a bad line, households, consent, members, donors, contacts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from achterban.consent import service as consent
from achterban.consent.schemas import ConsentInput
from achterban.districts import service as districts
from achterban.donations import service as donations
from achterban.donations.schemas import GiftCreate, MandateCreate
from achterban.imports import service as imports
from achterban.memberships import branches
from achterban.memberships import service as memberships
from achterban.memberships.schemas import BranchCreate, MembershipCreate, OfficerCreate
from achterban.people import service as people
from achterban.people.schemas import InteractionCreate, PersonCreate, PersonPatch
from achterban.people.tables import Person
from achterban.platform import jobs
from achterban.platform.auth import SYSTEM

DEMO_CSV = Path(__file__).resolve().parent / "data" / "demo" / "people.csv"


async def seed_people() -> list[str]:
    if await Person.exists().where(Person.external_ref == "D-1001"):
        return ["Demo supporters are there already."]
    key = await imports.start_import(SYSTEM, DEMO_CSV, DEMO_CSV.name, None, "demo", wake=False)
    await jobs.execute({}, key)
    status = await imports.status(SYSTEM, key)
    ids = {
        r["external_ref"]: r["id"]
        for r in await Person.select(Person.id, Person.external_ref).where(Person.source == "demo")
    }
    today = date.today()
    seeded = await seed_branches(ids)
    for ref, branch, since, until in (
        ("D-1001", "Groningen", today - timedelta(days=900), today + timedelta(days=200)),
        ("D-1003", "Groningen", today - timedelta(days=10), None),
        ("D-1005", "Leeuwarden", today - timedelta(days=800), today - timedelta(days=20)),
        ("D-1010", "Middelburg", today - timedelta(days=2000), today - timedelta(days=400)),
    ):
        await memberships.do_create(
            SYSTEM,
            ids[ref],
            MembershipCreate(branch_id=seeded[branch], dues_cents=3000, since=since, until=until),
        )
    await donations.do_add_gift(
        SYSTEM, ids["D-1004"], GiftCreate(amount_cents=25000, campaign="verkiezingen")
    )
    await donations.do_add_gift(
        SYSTEM, ids["D-1012"], GiftCreate(amount_cents=10000, currency="USD")
    )
    # gifts of earlier years: LYBUNT (last year, not this year) and SYBUNT (before that)
    for ref, cents, years_ago in (("D-1002", 5000, 1), ("D-1005", 2500, 1), ("D-1007", 7500, 3)):
        await donations.do_add_gift(SYSTEM, ids[ref], GiftCreate(
            amount_cents=cents, campaign="jaaractie",
            received_on=date(today.year - years_ago, 11, 15),
        ))  # fmt: skip
    # who voted for us at the last election (with their support level: the loyal voters)
    for ref in ("D-1001", "D-1002", "D-1005", "D-1006", "D-1011"):
        await people.do_update_person(SYSTEM, ids[ref], PersonPatch(voted_for_us=True))
    await donations.do_create_mandate(
        SYSTEM, ids["D-1008"],
        MandateCreate(iban="NL91ABNA0417164300", amount_cents=1000, frequency="monthly"),
    )  # fmt: skip
    await consent.do_record_consent(
        SYSTEM, ids["D-1009"],
        ConsentInput(purpose="fundraising", channel="phone", status="withdrawn", source="form",
                     wording="Bel mij niet voor geld."),
    )  # fmt: skip
    contacts = [
        ("D-1001", InteractionCreate(channel="phone", direction="out", value_adding=True,
                                     subject="Bedankt voor tien jaar lidmaatschap")),
        ("D-1003", InteractionCreate(channel="visit", direction="out", value_adding=True,
                                     subject="Kennismaking nieuwe vrijwilliger")),
        ("D-1011", InteractionCreate(channel="email", direction="out", value_adding=True,
                                     subject="Town hall invitation")),
        ("D-1004", InteractionCreate(channel="post", direction="out", subject="Kwitantie gift")),
    ]  # fmt: skip
    for ref, contact in contacts:
        await people.do_add_interaction(SYSTEM, ids[ref], contact)
    # a staff member enters Anna again by hand: a duplicate to find and merge
    await people.do_create_person(SYSTEM, PersonCreate(
        first_name="Anna", infix="de", last_name="Vries", emails=["a.devries@example.net"],
        address="Vismarkt 12, 9712 CB Groningen", source="demo",
    ))  # fmt: skip
    return [
        f"Branches: {', '.join(seeded)}, with their officers (Afdelingen, /branches).",
        f"Demo supporters imported from {DEMO_CSV.name}: {status.created} people, "
        f"{status.bad} bad line(s) reported (see GET /api/imports/{key}).",
        "Anna de Vries appears twice (a duplicate to merge); Greet Mulder's address needs review.",
        "Anna's own preferences page (the link a newsletter carries): "
        f"http://127.0.0.1:8000/preferences/{consent.preferences_token(ids['D-1001'])}",
    ]


# branch → the municipality (or province) it covers, and its officers by demo reference
BRANCHES = {
    "Groningen": ("Groningen", {"chair": "D-1001", "secretary": "D-1003", "treasurer": "D-1002"}),
    "Leeuwarden": ("Leeuwarden", {"chair": "D-1005"}),
    "Middelburg": ("Middelburg", {"chair": "D-1010"}),
    "Drenthe": ("Drenthe", {"chair": "D-1008"}),  # the province: Assen's people by region
}


async def seed_branches(ids: dict[str, int]) -> dict[str, int]:
    """The demo's branches, for its members' municipalities, through the calls the SPA uses."""
    seeded = {}
    existing = {b.name: b.id for b in await branches.list_branches(SYSTEM)}
    for name, (area, officers) in BRANCHES.items():
        if name in existing:  # a branch of that name set up already (by hand, by a migration)
            seeded[name] = existing[name]
            continue
        found = [a.code for a in await branches.areas(area) if a.name.startswith(area)]
        branch = await branches.do_create_branch(SYSTEM, BranchCreate(name=name, areas=found[:1]))
        for role, ref in officers.items():
            await branches.do_add_officer(
                SYSTEM,
                branch.id,
                OfficerCreate(role=role, person_id=ids[ref]),  # type: ignore[arg-type]
            )
        seeded[name] = branch.id
    return seeded


async def resolve_districts() -> list[str]:
    """Demo people with a postcode but no district (seeded before the maps were loaded)."""
    rows = await Person.select(Person.id, Person.country, Person.postcode).where(
        (Person.source == "demo") & (Person.district == "") & (Person.postcode != "")
    )
    fixed = 0
    for row in rows:
        district = await districts.district_of(row["country"], row["postcode"])
        if district:
            await Person.update({Person.district: district}).where(Person.id == row["id"])
            fixed += 1
    return [f"{fixed} demo people given their district."] if fixed else []
