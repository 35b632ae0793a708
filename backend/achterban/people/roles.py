"""Roles follow from data: a member has a current membership, a donor has given, and so on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from achterban.people.tables import Person

# Being a member or a donor is decided by memberships and donations, whose tables refer to
# the person: those domains sit above people, so people does not read their tables. Each
# hands down a condition instead (wiring.py, at start-up): given a column of person ids and
# the day, the clause "this person holds the role". BRANCH_WHERE is the same for a current
# member of one branch, by its id or a membership's free text (the people list's filter).
ROLE_WHERE: dict[str, Callable[[Any, date], Any]] = {}
BRANCH_WHERE: list[Callable[[Any, date, str | int], Any]] = []


def is_loyal_voter(support_level: int | None, voted_for_us: bool) -> bool:
    return bool(voted_for_us and support_level is not None and support_level >= 4)


def held_where(role: str, person_id: Any, today: date) -> Any:
    """The clause "``person_id`` holds ``role`` (member, donor) on ``today``"."""
    if role not in ROLE_WHERE:
        raise RuntimeError(f"role {role!r} is not wired (achterban.wiring.connect)")
    return ROLE_WHERE[role](person_id, today)


def branch_member_where(person_id: Any, today: date, branch: str | int) -> Any:
    if not BRANCH_WHERE:
        raise RuntimeError("branch membership is not wired (achterban.wiring.connect)")
    return BRANCH_WHERE[0](person_id, today, branch)


async def roles_for(rows: list[dict[str, Any]], today: date | None = None) -> dict[int, list[str]]:
    """Roles of each person row (id, support_level, voted_for_us, is_volunteer, is_ambassador)."""
    today = today or date.today()
    ids = [r["id"] for r in rows]
    members: set[int] = set()
    donors: set[int] = set()
    if ids:
        members = {
            r["id"]
            for r in await Person.select(Person.id).where(
                Person.id.is_in(ids) & held_where("member", Person.id, today)
            )
        }
        donors = {
            r["id"]
            for r in await Person.select(Person.id).where(
                Person.id.is_in(ids) & held_where("donor", Person.id, today)
            )
        }
    result = {}
    for row in rows:
        roles = []
        if is_loyal_voter(row.get("support_level"), bool(row.get("voted_for_us"))):
            roles.append("loyal_voter")
        if row["id"] in members:
            roles.append("member")
        if row["id"] in donors:
            roles.append("donor")
        if row.get("is_volunteer"):
            roles.append("volunteer")
        if row.get("is_ambassador"):
            roles.append("ambassador")
        result[row["id"]] = roles
    return result
