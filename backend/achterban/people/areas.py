"""People's districts, worked out again when a newer map comes into force.

A person's ``district`` is the one district of their postcode on the map in force. A map
loaded with a later ``valid_from`` changes nothing until its date; from that date on the
hourly ``apply_due_maps`` asks for one recompute a day (the job's key names the day, so it
runs once however many workers ask), which also gives people added since their district.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from achterban.districts import service as districts
from achterban.people.tables import Person
from achterban.platform import jobs

CHUNK = 500


async def recompute_districts(on: date | None = None) -> dict[str, int]:
    """Set each person's district by the map of ``on``; return how many people changed."""
    rows = (
        await Person.select(Person.country, Person.postcode, Person.district)
        .distinct()
        .where(Person.postcode != "")
    )
    moves: dict[tuple[str, str, str], list[str]] = {}  # (country, old, new) → postcodes
    for row in rows:
        new = await districts.district_of(row["country"], row["postcode"], on)
        if new != row["district"]:
            moves.setdefault((row["country"], row["district"], new), []).append(row["postcode"])
    changed = 0
    for (country, old, new), postcodes in moves.items():
        for start in range(0, len(postcodes), CHUNK):
            where: Any = (
                (Person.country == country)
                & (Person.district == old)
                & Person.postcode.is_in(postcodes[start : start + CHUNK])
            )
            changed += await Person.count().where(where)
            await Person.update({Person.district: new}).where(where)
    return {"changed": changed, "postcodes": sum(len(p) for p in moves.values())}


async def apply_due_maps(on: date | None = None) -> str | None:
    """Ask for today's recompute (once a day), when a map is loaded at all."""
    on = on or date.today()
    if not await districts.map_dates(on):
        return None
    return await jobs.enqueue("recompute_districts", key=f"recompute_districts:{on.isoformat()}")
