"""Which people an actor may see: national staff all, regional organisers their regions.

Representatives and caseworkers see the constituents of their office's districts. Scope
fails closed: a role limited to regions or to an office that has none sees nobody.
"""

from __future__ import annotations

from typing import Any

from achterban.people.tables import Person
from achterban.platform.auth import Actor

# the roles whose reach is limited (users.roles names them; kept here so people does not
# depend on users): a region-scoped role without regions, or an office-scoped one without
# an office, sees nothing rather than everything
REGION_SCOPED = frozenset({"regional_organiser"})
OFFICE_SCOPED = frozenset({"representative", "caseworker"})
NOBODY = Person.id == -1


def office_districts(actor: Actor) -> list[str]:
    """The district codes of the actor's office, resolved when the actor signed in."""
    return list(actor.districts)


def _office_bound(actor: Actor) -> bool:
    return actor.role in OFFICE_SCOPED or (
        actor.office_id is not None and not actor.has("people.write")
    )


def _region_bound(actor: Actor) -> bool:
    return actor.role in REGION_SCOPED or bool(actor.regions)


def reaches_nobody(actor: Actor) -> bool:
    """A scoped actor whose scope is empty: no office (or districts), or no regions."""
    if actor.has("*"):
        return False
    if _office_bound(actor):
        return actor.office_id is None or not actor.districts
    return _region_bound(actor) and not actor.regions


def is_national(actor: Actor) -> bool:
    """Not limited by region or office (administrators and national staff)."""
    return actor.has("*") or not (_office_bound(actor) or _region_bound(actor))


def visible_where(actor: Actor) -> Any | None:
    """A where clause limiting Person to what ``actor`` may see, or None for everyone."""
    if actor.has("*"):
        return None
    if reaches_nobody(actor):
        return NOBODY
    if _office_bound(actor):
        return Person.district.is_in(office_districts(actor))
    if _region_bound(actor):
        return Person.region.is_in(list(actor.regions))
    return None


def can_see(actor: Actor, row: dict[str, Any]) -> bool:
    if actor.has("*"):
        return True
    if reaches_nobody(actor):
        return False
    if _office_bound(actor):
        return row.get("district") in office_districts(actor)
    if _region_bound(actor):
        return row.get("region") in actor.regions
    return True


def may_create_in(actor: Actor, region: str | None) -> bool:
    """May ``actor`` add or move a person to an address in ``region``?"""
    if actor.has("*"):
        return True
    if reaches_nobody(actor):
        return False
    if _region_bound(actor):
        return region in actor.regions
    return True


async def staff_in_reach(actor: Actor, user_id: int) -> bool:
    """Is ``user_id`` an active colleague within ``actor``'s scope (a point person, an
    assignee)? Office staff: their own office; regional staff: users of their regions."""
    from achterban.platform.errors import Problem
    from achterban.users import service as users

    try:
        user = await users.get_user(user_id)
    except Problem:
        return False
    if not user.active:
        return False
    if actor.has("*"):
        return True
    if reaches_nobody(actor):
        return False
    if _office_bound(actor):
        return user.office_id == actor.office_id
    if _region_bound(actor):
        import json

        regions = json.loads(user.regions) if isinstance(user.regions, str) else user.regions
        theirs = regions if isinstance(regions, list) else []
        return bool(theirs) and set(theirs) <= set(actor.regions)
    return True
