"""Data-subject rights: everything we hold about a person, and erasure that stays erased."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.audit.tables import AuditEvent
from achterban.casework.tables import Case, CaseEvent
from achterban.consent.tables import ConsentEvent
from achterban.donations.tables import Donation, Mandate
from achterban.households.tables import Household
from achterban.imports import service as imports
from achterban.memberships.tables import Membership
from achterban.people.service import visible_row
from achterban.people.tables import ContactPoint, ErasureLedger, Interaction, Person, PersonTag
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _

ERASED_PERSON: dict[Any, Any] = {
    Person.first_name: "", Person.infix: "", Person.last_name: "", Person.sort_name: "",
    Person.search_text: "",
    Person.date_of_birth: None, Person.email: None, Person.phone: None, Person.external_ref: None,
    Person.address_raw: "", Person.street: "", Person.house_number: "",
    Person.house_number_addition: "", Person.unit: "", Person.postcode: "", Person.city: "",
    Person.address_note: "", Person.household: None, Person.point_person: None,
    Person.source: "", Person.do_not_contact: True,
    # what we knew of their politics is special-category data: it goes too
    Person.support_level: None, Person.voted_for_us: False, Person.is_volunteer: False,
    Person.is_ambassador: False,
}  # fmt: skip

ERASED_CASE: dict[Any, Any] = {
    Case.subject: "", Case.description: "", Case.address_raw: "", Case.sensitive: {},
    Case.resolution: "",
}  # fmt: skip


def _plain(rows: list[dict[str, Any]], drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in drop} for r in rows]


async def access_export(actor: Actor, person_id: int) -> dict[str, Any]:
    """Everything held about the person, including who read or changed their record."""
    person = await visible_row(actor, person_id)
    household = None
    if person["household"]:
        household = await Household.select().where(Household.id == person["household"]).first()
    reads = await AuditEvent.select(
        AuditEvent.at, AuditEvent.actor_label, AuditEvent.action, AuditEvent.detail
    ).where((AuditEvent.object_type == "person") & (AuditEvent.object_id == str(person_id)))
    export = {
        "generated_at": datetime.now(UTC),
        "person": person,
        "contact_points": _plain(
            await ContactPoint.select().where(ContactPoint.person == person_id)
        ),
        "tags": [
            r["tag"]
            for r in await PersonTag.select(PersonTag.tag).where(PersonTag.person == person_id)
        ],
        "consent": _plain(
            await ConsentEvent.select()
            .where(ConsentEvent.person == person_id)
            .order_by(ConsentEvent.id)
        ),
        "memberships": _plain(await Membership.select().where(Membership.person == person_id)),
        "donations": _plain(await Donation.select().where(Donation.person == person_id)),
        "mandates": _plain(await Mandate.select().where(Mandate.person == person_id)),
        "interactions": _plain(
            await Interaction.select()
            .where(Interaction.person == person_id)
            .order_by(Interaction.at)
        ),
        "household": household,
        "cases": await _cases(person_id),
        "record_access": [{**r, "detail": json.loads(r["detail"] or "{}")} for r in reads],
    }
    await audit.record(actor, "person.subject_access", "person", person_id)
    return export


async def _cases(person_id: int) -> list[dict[str, Any]]:
    cases = _plain(
        await Case.select().where(Case.person == person_id).order_by(Case.id),
        drop=("assignee_id", "candidates", "campaign_key"),
    )
    for case in cases:
        case["events"] = _plain(
            await CaseEvent.select(CaseEvent.at, CaseEvent.kind, CaseEvent.direction,
                                   CaseEvent.channel, CaseEvent.body)
            .where(CaseEvent.case == case["id"]).order_by(CaseEvent.at)
        )  # fmt: skip
    return cases


async def _erase_rows(person_id: int) -> None:
    person = (
        await Person.select(Person.first_name, Person.last_name)
        .where(Person.id == person_id)
        .first()
    )
    emails = await ContactPoint.select(ContactPoint.value).where(
        (ContactPoint.person == person_id) & (ContactPoint.kind == "email")
    )
    await imports.forget_lines(
        [r["value"] for r in emails],
        (person["first_name"], person["last_name"]) if person else None,
    )
    await Person.update({**ERASED_PERSON, Person.erased_at: datetime.now(UTC)}).where(
        Person.id == person_id
    )
    await ContactPoint.delete().where(ContactPoint.person == person_id)
    await PersonTag.delete().where(PersonTag.person == person_id)
    # the history of consent identifies the person; the do-not-contact flag replaces it
    await ConsentEvent.delete().where(ConsentEvent.person == person_id)
    # interactions stay as counts per channel and date, without what was said or by whom
    await Interaction.update(
        {Interaction.subject: "", Interaction.notes: "", Interaction.staff: None}
    ).where(Interaction.person == person_id)
    # gifts stay for the books; the bank account goes
    await Mandate.update({Mandate.iban: ""}).where(Mandate.person == person_id)
    # a case stays as a count per topic and office; what the person told us goes
    case_ids = [r["id"] for r in await Case.select(Case.id).where(Case.person == person_id)]
    if case_ids:
        await Case.update(ERASED_CASE).where(Case.id.is_in(case_ids))
        await CaseEvent.update({CaseEvent.body: "", CaseEvent.detail: {}}).where(
            CaseEvent.case.is_in(case_ids)
        )


async def do_erase(actor: Actor, person_id: int, reason: str) -> None:
    async with db.transaction():
        await visible_row(actor, person_id)
        await _erase_rows(person_id)
        await ErasureLedger(
            person_id=person_id, erased_at=datetime.now(UTC), actor_id=actor.user_id,
            reason=reason[:300],
        ).save()  # fmt: skip
        await audit.record(actor, "person.erase", "person", person_id)


async def reapply_erasures(actor: Actor) -> int:
    """After restoring a backup: erase again everyone in the ledger who holds data again."""
    cleaned = 0
    for entry in await ErasureLedger.select(ErasureLedger.person_id).order_by(ErasureLedger.id):
        person_id = entry["person_id"]
        row = await Person.select().where(Person.id == person_id).first()
        if row is None:
            continue
        holds_data = any(row[c._meta.name] != value for c, value in ERASED_PERSON.items())
        holds_data = holds_data or row["erased_at"] is None
        holds_data = holds_data or await ContactPoint.exists().where(
            ContactPoint.person == person_id
        )
        if holds_data:
            async with db.transaction():
                await _erase_rows(person_id)
                await audit.record(actor, "person.erase_reapplied", "person", person_id)
            cleaned += 1
    return cleaned


def require_reason(reason: str) -> str:
    if not reason.strip():
        raise Problem(400, _("Say why the person is erased."), kind="validation",
                      errors=[{"key": "reason", "message": "required"}])  # fmt: skip
    return reason.strip()


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value
