"""A read model over staff accounts for casework: who did what in the log, and who an
office's cases can go to. Reads ``users`` tables (declared here as a read model); writes none."""

from __future__ import annotations

from collections.abc import Iterable

from achterban.casework.schemas import StaffMember
from achterban.districts.tables import Office
from achterban.people.scope import OFFICE_SCOPED
from achterban.users.tables import StaffUser


async def names(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await StaffUser.select(StaffUser.id, StaffUser.name).where(StaffUser.id.is_in(wanted))
    return {r["id"]: r["name"] for r in rows}


async def office_names(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await Office.select(Office.id, Office.name).where(Office.id.is_in(wanted))
    return {r["id"]: r["name"] for r in rows}


async def of_office(office_id: int | None) -> list[StaffMember]:
    """The active representatives and caseworkers of an office, by name."""
    if office_id is None:
        return []
    rows = (
        await StaffUser.select(StaffUser.id, StaffUser.name, StaffUser.role)
        .where(
            (StaffUser.office_id == office_id)
            & (StaffUser.active == True)  # noqa: E712
            & StaffUser.role.is_in(sorted(OFFICE_SCOPED))
        )
        .order_by(StaffUser.name)
    )
    return [StaffMember(id=r["id"], name=r["name"], role=r["role"]) for r in rows]


async def is_colleague(office_id: int | None, user_id: int) -> bool:
    return any(member.id == user_id for member in await of_office(office_id))


async def accounts_of(office_id: int) -> list[StaffMember]:
    """Every active account bound to an office, whatever its role (for a handover review)."""
    rows = (
        await StaffUser.select(StaffUser.id, StaffUser.name, StaffUser.role)
        .where((StaffUser.office_id == office_id) & (StaffUser.active == True))  # noqa: E712
        .order_by(StaffUser.name)
    )
    return [StaffMember(id=r["id"], name=r["name"], role=r["role"]) for r in rows]
