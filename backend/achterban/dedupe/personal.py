"""The dedupe domain's part of a person: pairs proposed or decided about them."""

from __future__ import annotations

from typing import Any

from achterban.dedupe.tables import DedupeCandidate, DedupeDecision
from achterban.platform.personal import Identity, PersonData


async def _forget(ids: list[int]) -> None:
    for table in (DedupeCandidate, DedupeDecision):
        await table.delete().where(table.person_low.is_in(ids) | table.person_high.is_in(ids))


async def merge(merged_id: int, survivor_id: int) -> None:
    """Pairs with the merged record are moot; the next scan proposes the survivor's."""
    await _forget([merged_id])


async def erase(who: Identity) -> None:
    await _forget(list(who.person_ids))


async def export(person_id: int) -> dict[str, Any]:
    return {}  # a pair of ids says nothing about the person the rest of the export does not


DATA = PersonData("dedupe", ("dedupe_candidate", "dedupe_decision"), merge, erase, export)
