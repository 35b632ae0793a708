"""The memberships domain's part of a person: their memberships (kept: branch counts)."""

from __future__ import annotations

from typing import Any

from achterban.memberships.tables import Membership
from achterban.platform.personal import Identity, PersonData


async def merge(merged_id: int, survivor_id: int) -> None:
    await Membership.update({Membership.person: survivor_id}).where(Membership.person == merged_id)


async def erase(who: Identity) -> None:
    """A membership holds dates, a branch, a plan and dues: no free text, nothing to blank.
    It stays, on the blank record, so retention per branch still adds up."""


async def export(person_id: int) -> dict[str, Any]:
    rows = await Membership.select().where(Membership.person == person_id)
    return {"memberships": [dict(r) for r in rows]}


DATA = PersonData(
    "memberships", ("membership",), merge, erase, export,
    notes={"membership": "kept (dates, branch, plan, dues) on the blank record: retention"},
)  # fmt: skip
