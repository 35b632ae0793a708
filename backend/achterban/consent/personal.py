"""The consent domain's part of a person: every statement of consent they made."""

from __future__ import annotations

from typing import Any

from achterban.consent import current
from achterban.consent.tables import ConsentEvent
from achterban.platform import db
from achterban.platform.personal import Identity, PersonData, like, pattern


async def merge(merged_id: int, survivor_id: int) -> None:
    await ConsentEvent.update({ConsentEvent.person: survivor_id}).where(
        ConsentEvent.person == merged_id
    )
    await current.refresh([merged_id, survivor_id])


async def erase(who: Identity) -> None:
    # the history of consent identifies the person; the do-not-contact flag replaces it
    await ConsentEvent.delete().where(ConsentEvent.person.is_in(list(who.person_ids)))
    await current.refresh(who.person_ids)
    # others' consent from a file named after the person keeps the statement, not the name
    for column, size in ((ConsentEvent.source_detail, 300), (ConsentEvent.wording, None)):
        name = column._meta.name
        found: set[str] = set()
        for value in who.markers:
            rows = await db.raw(
                f"SELECT DISTINCT {name} AS text FROM consent_event WHERE {like(name)}",
                pattern(value),
            )
            found |= {r["text"] for r in rows}
        for text in sorted(found):
            await ConsentEvent.update({column: who.scrub(text)[:size]}).where(column == text)


async def export(person_id: int) -> dict[str, Any]:
    rows = (
        await ConsentEvent.select()
        .where(ConsentEvent.person == person_id)
        .order_by(ConsentEvent.id)
    )
    return {"consent": [dict(r) for r in rows]}


DATA = PersonData(
    "consent", ("consent_event", "consent_now"), merge, erase, export,
    notes={"consent_now": "the latest of the consent history, worked out from it"},
)  # fmt: skip
