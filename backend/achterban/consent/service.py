"""Consent per purpose and channel: a full history, checked at the moment of sending."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.consent import rules
from achterban.consent.schemas import ConsentEvent, ConsentInput, ConsentMatrix, ConsentState
from achterban.consent.tables import ConsentEvent as EventRow
from achterban.people.service import read_row, visible_row
from achterban.people.tables import Person
from achterban.platform import db
from achterban.platform.auth import Actor


async def do_record_consent(actor: Actor, person_id: int, data: ConsentInput) -> ConsentEvent:
    """Append a statement of consent; earlier ones stay in the history."""
    async with db.transaction():
        await visible_row(actor, person_id)
        row = EventRow(
            person=person_id,
            purpose=data.purpose,
            channel=data.channel,
            status=data.status,
            at=datetime.now(UTC),
            source=data.source,
            source_detail=data.source_detail[:300],
            wording=data.wording,
            actor_id=actor.user_id,
        )
        await row.save()
        await audit.record(
            actor, "consent.record", "person", person_id,
            {"purpose": data.purpose, "channel": data.channel, "status": data.status},
        )  # fmt: skip
    return _event(row.to_dict())


def _event(row: dict[str, Any]) -> ConsentEvent:
    return ConsentEvent(
        id=row["id"],
        purpose=row["purpose"],
        channel=row["channel"],
        status=row["status"],
        at=row["at"],
        source=row["source"],
        source_detail=row["source_detail"],
        wording=row["wording"],
        actor_id=row["actor_id"],
    )


async def _events(person_id: int) -> list[dict[str, Any]]:
    return await EventRow.select().where(EventRow.person == person_id).order_by(EventRow.id)


async def current(actor: Actor, person_id: int) -> ConsentMatrix:
    person = await read_row(actor, person_id, "consent")
    matrix = rules.resolve(await _events(person_id), person["do_not_contact"])
    return ConsentMatrix(
        person_id=person_id,
        do_not_contact=person["do_not_contact"],
        states=[ConsentState(purpose=p, channel=c, status=s) for (p, c), s in matrix.items()],
    )


async def history(actor: Actor, person_id: int) -> list[ConsentEvent]:
    await read_row(actor, person_id, "consent history")
    return [_event(r) for r in reversed(await _events(person_id))]


async def may_contact(person_id: int, purpose: str, channel: str) -> bool:
    """Checked by the system at the moment of sending, against the latest state."""
    person = (
        await Person.select(Person.do_not_contact, Person.erased_at)
        .where(Person.id == person_id)
        .first()
    )
    if person is None or person["erased_at"] is not None:
        return False
    return rules.may_contact(await _events(person_id), person["do_not_contact"], purpose, channel)
