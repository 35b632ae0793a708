"""A person's timeline (every interaction, consent change, gift, membership) and households."""

from __future__ import annotations

from typing import Any

from achterban.casework import service as casework
from achterban.consent.tables import ConsentEvent
from achterban.donations.tables import Donation
from achterban.households.tables import Household as HouseholdRow
from achterban.memberships.tables import Membership
from achterban.people import normalise, scope, search
from achterban.people.schemas import Household, TimelineEntry
from achterban.people.service import read_row
from achterban.people.tables import Interaction, Person
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _


async def timeline(actor: Actor, person_id: int) -> list[TimelineEntry]:
    await read_row(actor, person_id, "timeline")
    entries: list[TimelineEntry] = []
    for r in await Interaction.select(
        *Interaction.all_columns(), Interaction.staff.name.as_alias("staff_name")
    ).where(Interaction.person == person_id):
        entries.append(TimelineEntry(
            at=r["at"], kind="interaction",
            summary=f"{r['direction']} {r['channel']}: {r['subject']}".strip(": "),
            detail={"id": r["id"], "value_adding": r["value_adding"], "kind": r["kind"],
                    "by": r["staff_name"] or "", "notes": r["notes"]},
        ))  # fmt: skip
    for r in await ConsentEvent.select().where(ConsentEvent.person == person_id):
        entries.append(TimelineEntry(
            at=r["at"], kind="consent",
            summary=f"{r['purpose']} / {r['channel']}: {r['status']} ({r['source']})",
            detail={"source_detail": r["source_detail"]},
        ))  # fmt: skip
    for r in await Donation.select().where(Donation.person == person_id):
        entries.append(TimelineEntry(
            at=_at(r["received_on"]), kind="donation",
            summary=f"{r['amount_cents'] / 100:.2f} {r['currency']} ({r['kind']})",
            detail={"id": r["id"], "campaign": r["campaign"]},
        ))  # fmt: skip
    for r in await Membership.select().where(Membership.person == person_id):
        entries.append(TimelineEntry(
            at=_at(r["since"]), kind="membership",
            summary=f"member of {r['branch'] or '-'} ({r['plan']})",
            detail={"id": r["id"], "until": str(r["until"] or "")},
        ))  # fmt: skip
    for r in await casework.cases_of_person(actor, person_id):
        entries.append(TimelineEntry(
            at=r["created_at"], kind="case",
            summary=f"{r['reference']}: {r['subject']} ({r['status']})",
            detail={"id": r["id"], "topic": r["topic"]},
        ))  # fmt: skip
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _at(day: Any) -> Any:
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(12, 0), tzinfo=UTC)


async def household(actor: Actor, household_id: int) -> Household:
    row = await HouseholdRow.select().where(HouseholdRow.id == household_id).first()
    clause = Person.household == household_id
    visible = scope.visible_where(actor)
    if visible is not None:
        clause = clause & visible
    members = await Person.select(*search.SUMMARY_COLUMNS, Person.language).where(
        clause & Person.erased_at.is_null() & Person.merged_into.is_null()
    )
    if row is None or not members:
        raise Problem(404, _("No such household."), kind="not-found")
    language = members[0]["language"]
    return Household(
        id=household_id,
        salutation=normalise.salutation(row["family_name"], "", language),
        members=await search.summaries(members),
    )
