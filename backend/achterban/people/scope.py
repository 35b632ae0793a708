"""Which people an actor may see: national staff all, regional organisers their regions.

Representatives and caseworkers see the constituents of their office's districts.
"""

from __future__ import annotations

from typing import Any

from achterban.people.tables import Person
from achterban.platform.auth import Actor


def office_districts(actor: Actor) -> list[str]:
    """The district codes of the actor's office, resolved when the actor signed in."""
    return list(actor.districts)


def visible_where(actor: Actor) -> Any | None:
    """A where clause limiting Person to what ``actor`` may see, or None for everyone."""
    if actor.has("*"):
        return None
    if actor.office_id is not None and not actor.has("people.write"):
        return Person.district.is_in(office_districts(actor) or ["-"])
    if actor.regions:
        return Person.region.is_in(list(actor.regions))
    return None


def can_see(actor: Actor, row: dict[str, Any]) -> bool:
    if actor.has("*"):
        return True
    if actor.office_id is not None and not actor.has("people.write"):
        return row.get("district") in office_districts(actor)
    if actor.regions:
        return row.get("region") in actor.regions
    return True
