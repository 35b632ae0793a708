"""One view of a person: everything the person page shows, as one audited read.

A read model across domains (like the timeline): it reads their tables through their own
converters and writes nothing but the one audit row. The page used to call seven endpoints,
each audited on its own; now a look at a person is one ``person.read`` (view "overview")
naming the cases it showed."""

from __future__ import annotations

import msgspec

from achterban.audit import service as audit
from achterban.consent import rules as consent_rules
from achterban.consent.schemas import ConsentMatrix, ConsentState
from achterban.consent.tables import ConsentEvent
from achterban.donations import service as donations
from achterban.donations.schemas import Donation, Mandate
from achterban.donations.tables import Donation as DonationRow
from achterban.donations.tables import Mandate as MandateRow
from achterban.memberships import service as memberships
from achterban.memberships.schemas import Membership
from achterban.memberships.tables import Membership as MembershipRow
from achterban.people import service
from achterban.people.schemas import Household, Person, TimelineEntry
from achterban.people.tables import Interaction
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.readmodels import timeline


class PersonCounts(msgspec.Struct, kw_only=True):
    """What a person's record holds: what moves with it when it is merged into another."""

    interactions: int
    donations: int
    mandates: int
    memberships: int
    consent_records: int
    cases: int | None  # None: the reader may not see cases


class PersonOverview(msgspec.Struct, kw_only=True):
    person: Person
    timeline: list[TimelineEntry]
    consent: ConsentMatrix
    memberships: list[Membership]
    donations: list[Donation]
    mandates: list[Mandate]
    household: Household | None
    counts: PersonCounts


async def overview(actor: Actor, person_id: int) -> PersonOverview:
    row = await service.visible_row(actor, person_id)
    entries, case_ids = await timeline.entries_of(actor, person_id)
    detail: dict[str, object] = {"view": "overview"}
    if case_ids:
        detail["cases"] = case_ids  # the cases whose subject and status the page showed
    await audit.record(actor, "person.read", "person", person_id, detail)

    events = list(
        await ConsentEvent.select()
        .where(ConsentEvent.person == person_id)
        .order_by(ConsentEvent.id)
    )
    matrix = consent_rules.resolve(events, row["do_not_contact"])
    member_rows = (
        await MembershipRow.select()
        .where(MembershipRow.person == person_id)
        .order_by(MembershipRow.since, ascending=False)
    )
    gift_rows = (
        await DonationRow.select()
        .where(DonationRow.person == person_id)
        .order_by(DonationRow.received_on, ascending=False)
    )
    mandate_rows = (
        await MandateRow.select().where(MandateRow.person == person_id).order_by(MandateRow.id)
    )
    household = None
    if row["household"] is not None:
        try:
            household = await timeline.household(actor, row["household"])
        except Problem:  # no member of it is in the reader's scope
            household = None
    counts = PersonCounts(
        interactions=sum(1 for e in entries if e.kind == "interaction"),
        donations=len(gift_rows),
        mandates=len(mandate_rows),
        memberships=len(member_rows),
        consent_records=len(events),
        cases=len(case_ids) if actor.has("cases.read") else None,
    )
    return PersonOverview(
        person=await service.to_schema(row),
        timeline=entries,
        consent=ConsentMatrix(
            person_id=person_id,
            do_not_contact=row["do_not_contact"],
            states=[ConsentState(purpose=p, channel=c, status=s) for (p, c), s in matrix.items()],
        ),
        memberships=[memberships.to_schema(r) for r in member_rows],
        donations=[donations._donation(r) for r in gift_rows],
        mandates=[donations._mandate(r, actor) for r in mandate_rows],
        household=household,
        counts=counts,
    )


async def counts(actor: Actor, person_id: int) -> PersonCounts:
    """What merging this person away would move; audited as a read of the record."""
    await service.read_row(actor, person_id, "counts")
    cases = await timeline.visible_cases(actor, person_id)

    async def count(table: type, column: object) -> int:
        return int(await table.count().where(column == person_id))  # type: ignore[attr-defined]

    return PersonCounts(
        interactions=await count(Interaction, Interaction.person),
        donations=await count(DonationRow, DonationRow.person),
        mandates=await count(MandateRow, MandateRow.person),
        memberships=await count(MembershipRow, MembershipRow.person),
        consent_records=await count(ConsentEvent, ConsentEvent.person),
        cases=len(cases) if actor.has("cases.read") else None,
    )
