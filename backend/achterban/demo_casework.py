"""Demo offices and cases: real House members and Dutch municipalities, staff with
specialisms, and cases in every state of the lifecycle (one in triage, one overdue)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from typing import Any

from achterban.casework import service as cases
from achterban.casework.schemas import CaseCreate
from achterban.casework.tables import Case
from achterban.districts import loaders, offices
from achterban.districts.service import index
from achterban.districts.tables import Jurisdiction, Office, Representative
from achterban.platform.auth import SYSTEM
from achterban.users import service as users
from achterban.users.schemas import UserCreate
from achterban.users.tables import StaffUser

PASSWORD = "achterban-demo"
US_SEATS = ["US-NY-12", "US-CA-11", "US-IL-7", "US-AK-AL"]
NL_COUNCILS = [
    ("NL-GM-groningen", "Gemeenteraadsfractie Groningen"),
    ("NL-GM-assen", "Gemeenteraadsfractie Assen"),
    ("NL-GM-leeuwarden", "Gemeenteraadsfractie Leeuwarden"),
    ("NL-GM-almere", "Gemeenteraadsfractie Almere"),
]


async def _one(query: Any) -> dict[str, Any]:
    """The one row the demo data guarantees."""
    row = await query.first()
    assert row is not None, "the shipped map is not loaded"
    return dict(row)


async def _staff(office_id: int, slug: str, topics: list[str]) -> list[str]:
    made = []
    for role, suffix, topic in [
        ("representative", "rep", None),
        ("caseworker", "housing", topics[0]),
        ("caseworker", "benefits", topics[1]),
    ]:
        email = f"{slug}.{suffix}@achterban.example"
        if not await StaffUser.exists().where(StaffUser.email == email):
            user = await users.do_create_user(
                SYSTEM,
                UserCreate(
                    email=email,
                    name=f"{slug.upper()} {suffix}",
                    role=role,  # type: ignore[arg-type]
                    password=PASSWORD,
                    office_id=office_id,
                ),
            )
            if topic:
                await offices.do_assign_topic(
                    SYSTEM, office_id, offices.TopicAssignment(user_id=user.id, topic=topic)
                )
        made.append(email)
    return made


async def seed_offices() -> list[str]:
    await loaders.load_us_zccd()
    await loaders.load_us_legislators()
    await loaders.load_nl_pc4()
    logins = []
    for code in US_SEATS:
        jurisdiction = await _one(
            Jurisdiction.select(Jurisdiction.id).where(Jurisdiction.code == code)
        )
        rep = await _one(
            Representative.select().where(
                (Representative.jurisdiction == jurisdiction["id"])
                & (Representative.chamber == "house")
            )
        )
        office = await _one(
            Office.select(Office.id).where(Office.representative == rep["id"]).order_by(Office.id)
        )
        logins += await _staff(
            office["id"], code.lower().replace("us-", ""), ["housing", "benefits"]
        )
    for code, name in NL_COUNCILS:  # set up as an admin does it in the SPA (offices.py)
        existing = await Office.select(Office.id).where(Office.name == name).first()
        if existing is None:
            created = await offices.do_create_office(SYSTEM, offices.OfficeCreate(
                name=name, jurisdiction=code, representative=name, kind="municipal",
                party="Achterban",
            ))  # fmt: skip
            office_id = created.id
        else:
            office_id = existing["id"]
        logins += await _staff(office_id, code.split("-")[-1], ["housing", "benefits"])
    loaders.invalidate()
    await index()
    return logins


CASES = [
    (
        "Lekkage in huurwoning",
        "Al maanden lekt het dak en de verhuurder reageert niet.",
        "housing",
        "Vismarkt 2, 9712 CB Groningen",
    ),
    (
        "Uitkering stopgezet",
        "Mijn uitkering is zonder bericht gestopt.",
        "benefits",
        "Oude Ebbingestraat 7, 9712 HA Groningen",
    ),
    (
        "Gat in de weg",
        "Er zit een diep gat in de weg bij de school.",
        "roads",
        "Markt 1, 9401 AA Assen",
    ),
    (
        "Unsafe crossing",
        "Cars speed past the school crossing every morning.",
        "safety",
        "350 W 42nd St, New York, NY 10036",
    ),
    (
        "Visa appointment",
        "My visa interview was cancelled twice.",
        "immigration",
        "1 Main St, Anchorage, AK 99501",
    ),
    (
        "Rent increase",
        "My rent went up 30% this year.",
        "housing",
        "100 Main St, Springfield, IL 62701",
    ),
    (
        "Windmolens",
        "Geen windmolens bij ons dorp!",
        "environment",
        "Nieuwestad 10, 8911 CN Leeuwarden",
    ),
    (
        "Windmolens",
        "Geen windmolens bij ons dorp!",
        "environment",
        "Tweebaksmarkt 3, 8911 KW Leeuwarden",
    ),
    (
        "Windmolens",
        "Geen windmolens bij ons dorp!",
        "environment",
        "Zuiderplein 1, 8911 AN Leeuwarden",
    ),
]


def _shared_zip(state: str) -> str:
    """A ZIP of ``state`` that spans several congressional districts (routing must ask)."""
    districts: dict[str, set[str]] = {}
    with loaders.US_ZCCD.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["state_abbr"] == state:
                districts.setdefault(row["zcta"], set()).add(row["cd"])
    return next(z for z, cds in sorted(districts.items()) if len(cds) > 1)


async def _to(case: Case, status: str) -> None:
    """Move a demo case on to ``status`` if routing did not put it there already."""
    current = (await _one(Case.select(Case.status).where(Case.id == case.id)))["status"]
    if current != status and case.office is not None:
        await cases.do_transition(SYSTEM, case.id, status)


async def seed_cases() -> list[str]:
    if await Case.exists().where(Case.source == "staff"):
        return ["Demo cases are there already."]
    made = []
    for i, (subject, text, topic, address) in enumerate(CASES):
        case = await cases.do_create_case(
            SYSTEM,
            CaseCreate(
                subject=subject,
                description=text,
                topic=topic,
                address=address,
                name=f"Inwoner {i + 1}",
                email=f"inwoner{i + 1}@example.org",
            ),
        )
        made.append(case)
    groningen, benefits, road, crossing, visa = made[:5]
    await _to(benefits, "assigned")
    await cases.do_transition(SYSTEM, benefits.id, "waiting", "Navraag bij het UWV")
    await cases.do_agency_consent(SYSTEM, benefits.id, True, "Telefonisch toegestemd")
    await cases.do_add_event(SYSTEM, benefits.id, "referral", "Doorverwezen", agency="UWV")
    await _to(road, "assigned")
    await cases.do_resolve(SYSTEM, road.id, "De gemeente heeft het gat gedicht.")
    await _to(visa, "assigned")
    await cases.do_resolve(SYSTEM, visa.id, "Appointment rescheduled with the consulate.")
    await cases.do_transition(SYSTEM, visa.id, "closed")
    await _to(crossing, "triaged")
    await cases.do_add_event(
        SYSTEM,
        groningen.id,
        "correspondence",
        "Wij nemen contact op met de verhuurder.",
        "out",
        "email",
    )
    await Case.update({Case.due_at: datetime.now(UTC) - timedelta(days=3)}).where(
        Case.id == groningen.id
    )
    ambiguous = await cases.do_create_case(
        SYSTEM,
        CaseCreate(
            subject="Flooding on our street",
            description="The storm drains overflow.",
            topic="environment",
            address=f"12 Elm St, New York, NY {_shared_zip('NY')}",
            name="Resident Twelve",
            email="resident12@example.org",
        ),
    )
    return [
        f"{len(made) + 1} demo cases in every state; {ambiguous.reference} waits in triage "
        "(its ZIP spans several districts)."
    ]


async def seed_handover() -> list[str]:
    """A council group whose leader stepped down: the old office's seat has a successor,
    its open case and its caseworker wait for a decision (the office's Handover section)."""
    old_name, new_name = "Gemeenteraadsfractie Urk (vorige fractievoorzitter)", "Fractie Urk"
    if await Office.exists().where(Office.name == old_name):
        return []
    old = await offices.do_create_office(SYSTEM, offices.OfficeCreate(
        name=old_name, jurisdiction="NL-GM-urk", representative="Jan Visser", kind="municipal",
        party="Achterban",
    ))  # fmt: skip
    logins = await _staff(old.id, "urk", ["housing", "benefits"])
    case = await cases.do_create_case(SYSTEM, CaseCreate(
        subject="Parkeerplaats bij de haven", description="Er is te weinig plek voor bewoners.",
        topic="housing", address="Wijk 1 12, 8321 AB Urk", name="Inwoner Urk",
        email="inwoner.urk@example.org",
    ))  # fmt: skip
    await _to(case, "assigned")
    row = await _one(Office.select(Office.representative).where(Office.id == old.id))
    await Representative.update(
        {Representative.valid_from: datetime.now(UTC).date() - timedelta(days=400)}
    ).where(Representative.id == row["representative"])  # seated well before
    rep = await offices.do_update_representative(
        SYSTEM, row["representative"],
        offices.RepresentativeUpdate(valid_to=datetime.now(UTC).date() - timedelta(days=1)),
    )  # fmt: skip
    await offices.do_create_office(SYSTEM, offices.OfficeCreate(
        name=new_name, jurisdiction="NL-GM-urk", representative="Grietje Kramer",
        kind="municipal", party="Achterban",
    ))  # fmt: skip
    return [
        f"{old_name}: {rep.name}'s term ended; case {case.reference} and the staff "
        f"({', '.join(logins)}) wait for a decision (Offices → {old_name} → Handover)."
    ]


async def seed_office_segment() -> list[str]:
    """A representative's own segment on their office's casework (never shared)."""
    from achterban.segments import service as segments
    from achterban.segments.schemas import SegmentCreate

    case = await Case.select(Case.office).where(
        Case.office.is_not_null() & Case.status.not_in(["resolved", "closed"])
        & Case.person.is_not_null()
    ).order_by(Case.id).first()  # fmt: skip
    if case is None:
        return []
    user = (
        await StaffUser.objects()
        .where((StaffUser.role == "representative") & (StaffUser.office_id == case["office"]))
        .first()
    )
    if user is None:
        return []
    actor = users.actor_for(user, ip=None, via="demo")
    await segments.create(actor, SegmentCreate(
        name="Inwoners met een open casus", shared=False,
        description="Inwoners van wie het kantoor nu een casus behandelt",
        definition={"all": [{"field": "open_case", "op": "yes", "value": None}]},
    ))  # fmt: skip
    return [f"Segments: {user.email} keeps one on the open cases of their office."]
