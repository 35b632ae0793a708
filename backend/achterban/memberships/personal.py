"""The memberships domain's part of a person: their memberships (kept: branch counts) and the
posts they hold in a branch (moved with a merge, removed by erasure)."""

from __future__ import annotations

from typing import Any

from achterban.memberships.tables import BranchOfficer, Membership
from achterban.platform.personal import Identity, PersonData


async def merge(merged_id: int, survivor_id: int) -> None:
    await Membership.update({Membership.person: survivor_id}).where(Membership.person == merged_id)
    await BranchOfficer.update({BranchOfficer.person: survivor_id}).where(
        BranchOfficer.person == merged_id
    )


async def erase(who: Identity) -> None:
    """A membership holds dates, a branch, a plan and dues: no free text, nothing to blank.
    It stays, on the blank record, so retention per branch still adds up. A post in a branch
    names the person as its holder: it goes (the branch then has that post open)."""
    await BranchOfficer.delete().where(BranchOfficer.person.is_in(list(who.person_ids)))


async def export(person_id: int) -> dict[str, Any]:
    rows = await Membership.select().where(Membership.person == person_id)
    posts = await BranchOfficer.select(
        BranchOfficer.id, BranchOfficer.branch.name.as_alias("branch"), BranchOfficer.role,
        BranchOfficer.since, BranchOfficer.until,
    ).where(BranchOfficer.person == person_id)  # fmt: skip
    return {"memberships": [dict(r) for r in rows], "branch_posts": [dict(p) for p in posts]}


DATA = PersonData(
    "memberships", ("membership", "branch_officer"), merge, erase, export,
    notes={"membership": "kept (dates, branch, plan, dues) on the blank record: retention",
           "branch_officer": "removed: the post names its holder"},
)  # fmt: skip
