"""The segments domain's part of a person: the frozen snapshots they are in."""

from __future__ import annotations

from typing import Any

from achterban.people.tables import PersonTag
from achterban.platform.personal import Identity, PersonData
from achterban.segments.tables import Segment, SegmentMember


async def merge(merged_id: int, survivor_id: int) -> None:
    """The survivor is in every snapshot either was in, once."""
    held = {
        r["segment"]
        for r in await SegmentMember.select(SegmentMember.segment).where(
            SegmentMember.person == survivor_id
        )
    }
    await SegmentMember.delete().where(
        (SegmentMember.person == merged_id) & SegmentMember.segment.is_in(list(held) or [0])
    )
    await SegmentMember.update({SegmentMember.person: survivor_id}).where(
        SegmentMember.person == merged_id
    )


ERASED = "[erased]"


def _scrub(node: Any, values: set[str]) -> tuple[Any, bool]:
    """The tree with every condition value that points at the person replaced."""
    if isinstance(node, dict) and "field" in node:
        value = node.get("value")
        items = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and v.strip().lower() in values for v in items):
            return {**node, "value": ERASED}, True
        return node, False
    if isinstance(node, dict):
        changed = False
        out = {}
        for join, items in node.items():
            scrubbed = []
            for item in items if isinstance(items, list) else []:
                new, hit = _scrub(item, values)
                scrubbed.append(new)
                changed = changed or hit
            out[join] = scrubbed
        return out, changed
    return node, False


async def erase(who: Identity) -> None:
    """An erased person leaves every snapshot (it then says fewer than it held), and a
    definition that names them — their e-mail, their name, a tag no one else has — has
    that value replaced (the condition then finds no one)."""
    ids = list(who.person_ids) or [0]
    await SegmentMember.delete().where(SegmentMember.person.is_in(ids))
    tags = {
        r["tag"] for r in await PersonTag.select(PersonTag.tag).where(PersonTag.person.is_in(ids))
    }
    shared = {
        r["tag"]
        for r in await PersonTag.select(PersonTag.tag).where(
            PersonTag.tag.is_in(sorted(tags) or [""]) & PersonTag.person.not_in(ids)
        )
    }
    values = {v.strip().lower() for v in (*who.values, *(tags - shared)) if v.strip()}
    if not values:
        return
    for row in await Segment.select(Segment.id, Segment.definition).output(load_json=True):
        scrubbed, changed = _scrub(row["definition"], values)
        if changed:
            await Segment.update({Segment.definition: scrubbed}).where(Segment.id == row["id"])


async def export(person_id: int) -> dict[str, Any]:
    rows = await SegmentMember.select(SegmentMember.segment).where(
        SegmentMember.person == person_id
    )
    ids = [r["segment"] for r in rows]
    names = (
        await Segment.select(Segment.name, Segment.frozen_at).where(Segment.id.is_in(ids))
        if ids
        else []
    )
    return {"segment_snapshots": [dict(r) for r in names]}


DATA = PersonData("segments", ("segment_member",), merge, erase, export)
