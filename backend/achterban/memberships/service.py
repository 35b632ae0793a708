"""Memberships: join, renew, cancel; the status follows from the dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.memberships import rules
from achterban.memberships.schemas import (
    Branch,
    Membership,
    MembershipChange,
    MembershipCreate,
    Officer,
)
from achterban.memberships.tables import Branch as BranchRow
from achterban.memberships.tables import Membership as Row
from achterban.people.service import read_row, visible_row
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.conditions import Semi
from achterban.platform.errors import Problem
from achterban.platform.i18n import _


def to_schema(
    row: dict[str, Any], names: dict[int, str] | None = None, today: date | None = None
) -> Membership:
    """``names``: the branches' names by id (a linked membership shows its branch's name)."""
    return Membership(
        id=row["id"], person_id=row["person"], branch=row["branch"], plan=row["plan"],
        dues_cents=row["dues_cents"], since=row["since"], until=row["until"],
        cancelled_on=row["cancelled_on"],
        status=rules.status(row["since"], row["until"], row["cancelled_on"], today or date.today()),
        branch_id=row["branch_id"], branch_name=(names or {}).get(row["branch_id"] or 0, ""),
    )  # fmt: skip


async def branch_names(rows: list[dict[str, Any]]) -> dict[int, str]:
    ids = [r["branch_id"] for r in rows if r["branch_id"]] or [-1]
    return {
        r["id"]: r["name"]
        for r in await BranchRow.select(BranchRow.id, BranchRow.name).where(BranchRow.id.is_in(ids))
    }


def current_where(today: date) -> Any:
    """Memberships current on ``today`` (a lapsed one counts through its grace period)."""
    return (
        (Row.since <= today)
        & (Row.cancelled_on.is_null() | (Row.cancelled_on > today))
        & (Row.until.is_null() | (Row.until >= today - rules.GRACE))
    )


def member_where(person_id: Any, today: date, branch: str | int | None = None) -> Any:
    """The clause "a current member (of ``branch``: its id, or the free text of a membership
    not yet linked to a branch)" on a column of person ids: people's role "member" and the
    people list's branch filter (handed down in wiring.py)."""
    where = current_where(today)
    if isinstance(branch, int):
        where = (Row.branch_id == branch) & where
    elif branch is not None:
        where = (Row.branch == branch) & where
    return Semi("membership", where, outer=person_id)


async def list_for(actor: Actor, person_id: int) -> list[Membership]:
    await read_row(actor, person_id, "memberships")
    rows = await Row.select().where(Row.person == person_id).order_by(Row.since, ascending=False)
    names = await branch_names(rows)
    return [to_schema(r, names) for r in rows]


async def do_create(actor: Actor, person_id: int, data: MembershipCreate) -> Membership:
    if data.dues_cents < 0:
        raise Problem(400, _("Dues cannot be negative."), kind="validation",
                      errors=[{"key": "dues_cents", "message": "negative"}])  # fmt: skip
    since = data.since or date.today()
    if data.until is not None and data.until < since:
        raise Problem(400, _("A membership cannot end before it starts."), kind="validation",
                      errors=[{"key": "until", "message": "before since"}])  # fmt: skip
    from achterban.memberships import branches  # it builds on this module's clauses

    if data.branch_id is None and not data.branch.strip():
        raise Problem(400, _("Pick the branch."), kind="validation",
                      errors=[{"key": "branch_id", "message": "missing"}])  # fmt: skip
    async with db.transaction():
        await visible_row(actor, person_id)
        branch_id, branch = await branches.linked(data.branch_id, data.branch)
        for other in await Row.select().where(Row.person == person_id):
            last = rules.last_day(other["until"], other["cancelled_on"])
            if rules.overlaps(since, data.until, other["since"], last):
                raise Problem(409, _("There is already a membership from {since} in that "
                                     "period: renew it instead."), kind="conflict",
                              values={"since": other["since"].isoformat()},
                              membership_id=other["id"])  # fmt: skip
        row = Row(
            person=person_id, branch=branch, branch_id=branch_id,
            plan=data.plan.strip() or "standard",
            dues_cents=data.dues_cents, since=since, until=data.until,
            created_at=datetime.now(UTC),
        )  # fmt: skip
        await row.save()
        await audit.record(actor, "membership.create", "person", person_id, {"membership": row.id})
    saved = row.to_dict()
    return to_schema(saved, await branch_names([saved]))


async def do_change(actor: Actor, membership_id: int, data: MembershipChange) -> Membership:
    """Renew (a later ``until``) or cancel (``cancelled_on``)."""
    async with db.transaction():
        row = await Row.select().where(Row.id == membership_id).first()
        if row is None:
            raise Problem(404, _("No such membership."), kind="not-found")
        await visible_row(actor, row["person"])
        values: dict[Any, Any] = {}
        if data.until is not None and data.until < row["since"]:
            raise Problem(400, _("A membership cannot end before it starts."), kind="validation",
                          errors=[{"key": "until", "message": "before since"}])  # fmt: skip
        if data.until is not None:
            values[Row.until] = data.until
        if data.cancelled_on is not None:
            values[Row.cancelled_on] = data.cancelled_on
        if values:
            await Row.update(values).where(Row.id == membership_id)
        action = "membership.cancel" if data.cancelled_on else "membership.renew"
        await audit.record(actor, action, "person", row["person"], {"membership": membership_id})
        changed = await Row.select().where(Row.id == membership_id).first()
    assert changed is not None
    return to_schema(changed, await branch_names([changed]))


async def branch_of(person_id: int, on: date | None = None) -> Branch | None:
    """The person's branch (by membership, else by their municipality or region), for
    journeys and tasks: see :func:`achterban.memberships.branches.branch_of`."""
    from achterban.memberships import branches

    return await branches.branch_of(person_id, on)


async def officer_of(branch_id: int, role: str, on: date | None = None) -> Officer | None:
    """Who holds ``role`` in the branch ("the chair of the person's branch")."""
    from achterban.memberships import branches

    return await branches.officer_of(branch_id, role, on)
