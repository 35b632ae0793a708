"""Roles follow from data: a member has a current membership, a donor has given, and so on."""

from __future__ import annotations

from datetime import date
from typing import Any

from achterban.donations.tables import Donation, Mandate
from achterban.memberships.rules import GRACE
from achterban.memberships.tables import Membership


def is_loyal_voter(support_level: int | None, voted_for_us: bool) -> bool:
    return bool(voted_for_us and support_level is not None and support_level >= 4)


def current_membership_where(today: date) -> Any:
    return (
        (Membership.since <= today)
        & (Membership.cancelled_on.is_null() | (Membership.cancelled_on > today))
        & (Membership.until.is_null() | (Membership.until >= today - GRACE))
    )


def member_ids_query(today: date) -> Any:
    return Membership.select(Membership.person).where(current_membership_where(today))


def donor_ids_query() -> Any:
    return Donation.select(Donation.person)


async def roles_for(rows: list[dict[str, Any]], today: date | None = None) -> dict[int, list[str]]:
    """Roles of each person row (id, support_level, voted_for_us, is_volunteer, is_ambassador)."""
    today = today or date.today()
    ids = [r["id"] for r in rows]
    members: set[int] = set()
    donors: set[int] = set()
    if ids:
        members = {
            r["person"]
            for r in await Membership.select(Membership.person).where(
                Membership.person.is_in(ids) & current_membership_where(today)
            )
        }
        donors = {
            r["person"]
            for r in await Donation.select(Donation.person).where(Donation.person.is_in(ids))
        }
        donors |= {
            r["person"]
            for r in await Mandate.select(Mandate.person).where(
                Mandate.person.is_in(ids) & (Mandate.status != "cancelled")
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
