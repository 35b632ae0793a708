"""A person's timeline (every interaction, consent change, gift, membership) and households.

A read model across domains: it reads their tables and never writes. Each entry carries its
facts as fields (channel, amount, status...) so the SPA says them in the reader's language;
``summary`` is the same line in plain English for scripts reading the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from achterban.audit import service as audit
from achterban.casework import scope as case_scope
from achterban.casework.tables import Case
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
    """The timeline on its own: the person read and each case shown are audited."""
    await read_row(actor, person_id, "timeline")
    entries, case_ids = await entries_of(actor, person_id)
    for case_id in case_ids:
        await audit.record(actor, "case.read", "case", case_id, {"view": "person timeline"})
    return entries


async def entries_of(actor: Actor, person_id: int) -> tuple[list[TimelineEntry], list[int]]:
    """The entries, newest first, and the ids of the cases among them (the caller audits)."""
    entries = [
        *await _interactions(person_id),
        *await _consent(person_id),
        *await _donations(person_id),
        *await _memberships(person_id),
    ]
    cases = await visible_cases(actor, person_id)
    entries += [_case(r) for r in cases]
    return sorted(entries, key=lambda e: e.at, reverse=True), [r["id"] for r in cases]


async def visible_cases(actor: Actor, person_id: int) -> list[dict[str, Any]]:
    """The person's cases whose contents this actor reads: their own office's (admins all).
    Party staff who triage see routing, never a case on a person's page (the wall between
    office and party data, docs/architecture.md)."""
    if not actor.has("cases.read"):
        return []
    query = Case.select(
        Case.id, Case.reference, Case.subject, Case.status, Case.topic, Case.created_at
    ).where(Case.person == person_id)
    clause = case_scope.office_where(actor)
    if clause is not None:
        query = query.where(clause)
    return list(await query.order_by(Case.id))


async def _interactions(person_id: int) -> list[TimelineEntry]:
    rows = await Interaction.select(
        *Interaction.all_columns(), Interaction.staff.name.as_alias("staff_name")
    ).where(Interaction.person == person_id)
    return [
        TimelineEntry(
            at=r["at"],
            kind="interaction",
            channel=r["channel"],
            direction=r["direction"],
            subject=r["subject"],
            summary=f"{r['direction']} {r['channel']}: {r['subject']}".strip(": "),
            detail={
                "id": r["id"],
                "value_adding": r["value_adding"],
                "kind": r["kind"],
                "by": r["staff_name"] or "",
                "notes": r["notes"],
            },
        )
        for r in rows
    ]


async def _consent(person_id: int) -> list[TimelineEntry]:
    rows = await ConsentEvent.select().where(ConsentEvent.person == person_id)
    return [
        TimelineEntry(
            at=r["at"],
            kind="consent",
            purpose=r["purpose"],
            channel=r["channel"],
            status=r["status"],
            source=r["source"],
            summary=f"{r['purpose']} / {r['channel']}: {r['status']} ({r['source']})",
            detail={"source_detail": r["source_detail"]},
        )
        for r in rows
    ]


async def _donations(person_id: int) -> list[TimelineEntry]:
    rows = await Donation.select().where(Donation.person == person_id)
    return [
        TimelineEntry(
            at=_at(r["received_on"]),
            kind="donation",
            amount_cents=r["amount_cents"],
            currency=r["currency"],
            gift_kind=r["kind"],
            campaign=r["campaign"],
            summary=f"{r['amount_cents'] / 100:.2f} {r['currency']} ({r['kind']})",
            detail={"id": r["id"], "campaign": r["campaign"]},
        )
        for r in rows
    ]


async def _memberships(person_id: int) -> list[TimelineEntry]:
    rows = await Membership.select(
        *Membership.all_columns(), Membership.branch_id.name.as_alias("branch_name")
    ).where(Membership.person == person_id)
    for r in rows:  # a linked membership shows its branch's name now
        r["branch"] = r["branch_name"] or r["branch"]
    return [
        TimelineEntry(
            at=_at(r["since"]),
            kind="membership",
            branch=r["branch"] or "",
            plan=r["plan"],
            until=r["until"],
            summary=f"member of {r['branch'] or '-'} ({r['plan']})",
            detail={"id": r["id"], "until": str(r["until"] or ""), "branch_id": r["branch_id"]},
        )
        for r in rows
    ]


def _case(r: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(
        at=r["created_at"], kind="case", reference=r["reference"], subject=r["subject"],
        status=r["status"], topic=r["topic"],
        summary=f"{r['reference']}: {r['subject']} ({r['status']})",
        detail={"id": r["id"], "topic": r["topic"]},
    )  # fmt: skip


def _at(day: date) -> datetime:
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
    await audit.record(
        actor, "household.read", "household", household_id, {"members": len(members)}
    )
    return Household(
        id=household_id,
        salutation=normalise.salutation(row["family_name"], "", language),
        members=await search.summaries(members),
    )
