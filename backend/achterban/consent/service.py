"""Consent per purpose and channel: a full history, checked at the moment of sending."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.consent import current as consent_now
from achterban.consent import rules
from achterban.consent.schemas import (
    ConsentEvent,
    ConsentInput,
    ConsentMatrix,
    ConsentState,
    PreferencesInput,
    PreferencesLink,
    PreferencesPage,
)
from achterban.consent.tables import ConsentEvent as EventRow
from achterban.people import service as people
from achterban.people.service import read_row, visible_row
from achterban.platform import bulk, db, security
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, translate


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
        await consent_now.refresh([person_id])
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
    person = await people.row_of(person_id)
    if person is None or person["erased_at"] is not None:
        return False
    return rules.may_contact(await _events(person_id), person["do_not_contact"], purpose, channel)


# --- the preferences link: a person changes their own consent, without signing in ----------

PREFERENCES = "preferences"
LINK_WORDING = _("Chosen by the person on their preferences page")


def preferences_token(person_id: int) -> str:
    return security.signed(PREFERENCES, person_id)


async def preferences_link(actor: Actor, person_id: int) -> PreferencesLink:
    """For staff to send (and for messages to carry): the person's own preferences page."""
    await read_row(actor, person_id, "preferences link")
    return PreferencesLink(url=f"/preferences/{preferences_token(person_id)}")


async def _person_for(token: str) -> dict[str, Any]:
    person_id = security.unsigned(PREFERENCES, token)
    row = await people.row_of(person_id) if person_id else None
    for _hop in range(5):  # a merged record's link leads to the person it was merged into
        if row is None or row["merged_into"] is None:
            break
        row = await people.row_of(row["merged_into"])
    if row is None or row["erased_at"] is not None or row["merged_into"] is not None:
        raise Problem(404, _("This link is not valid (any more)."), kind="not-found")
    return row


def _link_actor(ip: str | None) -> Actor:
    return Actor(None, "preferences link", "public", frozenset(), ip=ip, via="link")


async def preferences(token: str, ip: str | None = None) -> PreferencesPage:
    """The person's own page, opened by their signed link: a read of their record."""
    row = await _person_for(token)
    await audit.record(
        _link_actor(ip), "person.read", "person", row["id"], {"view": "own preferences"}
    )
    return await _page(row)


async def _page(row: dict[str, Any]) -> PreferencesPage:
    matrix = rules.resolve(await _events(row["id"]), False)
    return PreferencesPage(
        first_name=row["first_name"],
        language=row["language"],
        do_not_contact=row["do_not_contact"],
        states=[ConsentState(purpose=p, channel=c, status=s) for (p, c), s in matrix.items()],
    )


async def do_set_preferences(token: str, data: PreferencesInput, ip: str | None) -> PreferencesPage:
    """Record what changed, as the person's own statement (source "link")."""
    row = await _person_for(token)
    person_id = row["id"]
    actor = _link_actor(ip)
    wording = translate(LINK_WORDING, row["language"])
    async with db.transaction():
        current = rules.resolve(await _events(person_id), False)
        changed = []
        for choice in data.choices:
            if current.get((choice.purpose, choice.channel)) == choice.status:
                continue
            await EventRow(
                person=person_id, purpose=choice.purpose, channel=choice.channel,
                status=choice.status, at=datetime.now(UTC), source="link",
                source_detail="preferences page", wording=wording, actor_id=None,
            ).save()  # fmt: skip
            changed.append(f"{choice.purpose}/{choice.channel}: {choice.status}")
        if data.do_not_contact is not None and data.do_not_contact != row["do_not_contact"]:
            await people.set_do_not_contact(person_id, data.do_not_contact)
            changed.append(f"do not contact: {data.do_not_contact}")
        await consent_now.refresh([person_id])
        await audit.record(actor, "consent.link", "person", person_id, {"changes": changed})
    return await _page(await _person_for(token))


async def record_imported(
    wanted: dict[tuple[int, str, str], str], detail: str, actor_id: int | None
) -> None:
    """An import's consent, (person, purpose, channel) → status: recorded where it differs
    from the person's latest (the caller owns the transaction and audits the batch)."""
    if not wanted:
        return
    now = datetime.now(UTC)
    latest: dict[tuple[int, str, str], str] = {}
    for row in (
        await EventRow.select(EventRow.person, EventRow.purpose, EventRow.channel, EventRow.status)
        .where(EventRow.person.is_in(list({k[0] for k in wanted})))
        .order_by(EventRow.at)
        .order_by(EventRow.id)
    ):
        latest[(row["person"], row["purpose"], row["channel"])] = row["status"]
    await bulk.insert(EventRow, [
        {
            "person": p, "purpose": purpose, "channel": channel, "status": status, "at": now,
            "source": "import", "source_detail": detail[:300],
            "wording": f"Imported from {detail}", "actor_id": actor_id,
        }
        for (p, purpose, channel), status in sorted(wanted.items())
        if latest.get((p, purpose, channel)) != status
    ])  # fmt: skip
    await consent_now.refresh({k[0] for k in wanted})
