"""Saved segments: a condition tree compiled to one query, within the actor's scope.

A segment is dynamic (its tree, evaluated now, for whoever asks: a regional organiser counts
only their regions) or a frozen snapshot (the exact people at a moment, kept). Counting
while editing reads no one's data and is not audited; every list of people shown is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import msgspec

from achterban.audit import service as audit
from achterban.people import scope as people_scope
from achterban.people import search
from achterban.people.schemas import PersonFilter, PersonPage
from achterban.people.tables import Person
from achterban.platform import bulk, db
from achterban.platform import conditions as engine
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, translate
from achterban.segments.schemas import (
    ChoiceOut,
    FieldOut,
    OperatorOut,
    SegmentCreate,
    SegmentOut,
    SegmentUpdate,
)
from achterban.segments.tables import Segment, SegmentMember
from achterban.users import service as users

CHUNK = 5000


def _now() -> datetime:
    return datetime.now(UTC)


async def fields(actor: Actor, language: str) -> list[FieldOut]:
    """The fields and operators the condition builder offers this actor, in ``language``
    (the tags in use among them: audited)."""
    await audit.record(actor, "segment.read", "segment", "", {"view": "fields"})
    result = []
    for item in engine.FIELDS.values():
        if not item.allowed(actor):
            continue
        choices = None
        if item.choices is not None:
            choices = [
                ChoiceOut(value=c.value, label=_choice_label(c, language))
                for c in await item.choices()
            ]  # fmt: skip
        result.append(FieldOut(
            key=item.key, label=translate(item.label, language), group=item.group,
            operators=[OperatorOut(key=o.key, label=translate(o.label, language), value=o.value)
                       for o in item.operators],
            choices=choices, shareable=item.shareable,
        ))  # fmt: skip
    return result


def _choice_label(choice: engine.Choice, language: str) -> str:
    if choice.labels:
        return choice.labels.get(language) or choice.value
    return translate(choice.label, language) if choice.translate else choice.label


def _tree_problem(exc: engine.TreeError) -> Problem:
    return Problem(
        400, _("The conditions are not valid: {reason}"), kind="validation",
        values={"reason": engine.Mistakes(exc.errors)},
        errors=[{"key": m.path, "message": m} for m in exc.errors],
    )  # fmt: skip


def check(definition: Any, actor: Actor) -> engine.Group:
    try:
        return engine.parse(definition, actor, "definition")
    except engine.TreeError as exc:
        raise _tree_problem(exc) from exc


def _office_only(definition: Any) -> bool:
    """Does a tree use a field that is never shared (casework: the office's own)?"""
    try:
        group = engine.parse(definition)
    except engine.TreeError:
        return False
    return any(not engine.FIELDS[key].shareable for key in engine.fields_used(group))


def _may_use(actor: Actor, row: dict[str, Any]) -> bool:
    if row["owner_id"] == actor.user_id:
        return True
    if row["definition"] and _office_only(row["definition"]):
        return False  # an office's segment on its casework is its owner's alone
    return bool(row["shared"]) or actor.has("*")


def _not_shared(shared: bool, definition: Any) -> None:
    if shared and _office_only(definition):
        raise Problem(400, _("A segment on an office's casework stays with its owner: it "
                             "cannot be shared."), kind="validation",
                      errors=[{"key": "shared", "message": "casework"}])  # fmt: skip


async def _referenced(
    actor: Actor, group: engine.Group, ctx: engine.Context, chain: tuple[int, ...]
) -> None:
    """Compile the segments a tree names into ``ctx.segments``; a cycle is a 400."""
    for segment_id in sorted(engine.segments_named(group)):
        if segment_id in chain:
            raise Problem(400, _("A segment cannot contain itself."), kind="validation",
                          errors=[{"key": "definition", "message": "cycle"}])  # fmt: skip
        if segment_id in ctx.segments:
            continue
        row = await Segment.select().where(Segment.id == segment_id).output(load_json=True).first()
        if row is None or not _may_use(actor, row):
            raise Problem(400, _("No such segment {id}."), kind="validation",
                          values={"id": segment_id},
                          errors=[{"key": "definition", "message": str(segment_id)}])  # fmt: skip
        if row["frozen_at"] is not None:
            ctx.segments[segment_id] = engine.Semi(
                "segment_member", SegmentMember.segment == segment_id
            )
            continue
        inner = check(row["definition"], actor)
        await _referenced(actor, inner, ctx, (*chain, segment_id))
        ctx.segments[segment_id] = engine.compile_group(inner, ctx)


async def where(
    actor: Actor, definition: Any, *, today: date | None = None, own_id: int | None = None
) -> Any:
    """The one where clause of a tree for ``actor``: their scope and the live people."""
    group = check(definition, actor)
    ctx = engine.Context(actor=actor, today=today or date.today())
    await _referenced(actor, group, ctx, (own_id,) if own_id is not None else ())
    return search.combine([*search.conditions(actor, PersonFilter()),
                           engine.compile_group(group, ctx)])  # fmt: skip


async def _segment_where(actor: Actor, row: dict[str, Any]) -> Any:
    if row["frozen_at"] is not None:
        base = search.conditions(actor, PersonFilter())
        members = engine.Semi("segment_member", SegmentMember.segment == row["id"])
        return search.combine([*base, members])
    return await where(actor, row["definition"], own_id=row["id"])


async def clause_of(actor: Actor, segment_id: int) -> Any:
    """The where clause of a saved segment the actor may use (the people list's and an
    export's ``segment=``); 404 for one they may not."""
    row = await _row(actor, segment_id)
    if row["frozen_at"] is not None:
        return engine.Semi("segment_member", SegmentMember.segment == segment_id)
    group = check(row["definition"], actor)
    ctx = engine.Context(actor=actor, today=date.today())
    await _referenced(actor, group, ctx, (segment_id,))
    return engine.compile_group(group, ctx)


async def count(actor: Actor, definition: Any) -> int:
    """A live count while editing: a number, nobody's data (not audited)."""
    if people_scope.reaches_nobody(actor):
        return 0
    return int(await Person.count().where(await where(actor, definition)))


async def _page(clause: Any, limit: int, offset: int) -> PersonPage:
    rows = (
        await Person.select(*search.SUMMARY_COLUMNS)
        .where(clause)
        .order_by(Person.sort_name)
        .order_by(Person.id)
        .limit(limit)
        .offset(offset)
    )
    total = await Person.count().where(clause)
    return PersonPage(items=await search.summaries(rows), total=total, limit=limit, offset=offset)


async def preview(actor: Actor, definition: Any, limit: int = 20) -> PersonPage:
    """The first people of an unsaved tree (audited: it shows people)."""
    if people_scope.reaches_nobody(actor):
        return PersonPage(items=[], total=0, limit=limit, offset=0)
    page = await _page(await where(actor, definition), limit, 0)
    await audit.record(actor, "segment.preview", "segment", "", {
        "total": page.total, "shown": len(page.items),
    })  # fmt: skip
    return page


async def _row(actor: Actor, segment_id: int) -> dict[str, Any]:
    row = await Segment.select().where(Segment.id == segment_id).output(load_json=True).first()
    if row is None or not _may_use(actor, row):
        raise Problem(404, _("No such segment."), kind="not-found")
    return row


async def _out(rows: list[dict[str, Any]]) -> list[SegmentOut]:
    names = await users.names([r["owner_id"] for r in rows if r["owner_id"]])
    return [
        SegmentOut(
            id=r["id"], name=r["name"], description=r["description"], owner_id=r["owner_id"],
            owner_name=names.get(r["owner_id"], "") if r["owner_id"] else "", shared=r["shared"],
            key=r["key"], definition=r["definition"], frozen_at=r["frozen_at"], size=r["size"],
            created_at=r["created_at"], updated_at=r["updated_at"],
        )
        for r in rows
    ]  # fmt: skip


async def listed(actor: Actor) -> list[SegmentOut]:
    rows = await Segment.select().order_by(Segment.name).output(load_json=True)
    shown = [r for r in rows if _may_use(actor, r)]
    await audit.record(actor, "segment.read", "segment", "", {"view": "list", "shown": len(shown)})
    return await _out(shown)


async def get(actor: Actor, segment_id: int) -> SegmentOut:
    await audit.record(actor, "segment.read", "segment", segment_id, {"view": "one"})
    return await _one(actor, segment_id)


async def _one(actor: Actor, segment_id: int) -> SegmentOut:
    return (await _out([await _row(actor, segment_id)]))[0]


def _name(name: str) -> str:
    if not name.strip() or len(name) > 200:
        raise Problem(400, _("A segment needs a name of at most 200 characters."),
                      kind="validation",
                      errors=[{"key": "name", "message": "1 to 200"}])  # fmt: skip
    return name.strip()


async def create(actor: Actor, data: SegmentCreate) -> SegmentOut:
    await where(actor, data.definition)  # checked (and its references) before it is saved
    _not_shared(data.shared, data.definition)
    stamp = _now()
    async with db.transaction():
        row = Segment(
            name=_name(data.name), description=data.description.strip(), owner_id=actor.user_id,
            shared=data.shared, definition=data.definition, created_at=stamp, updated_at=stamp,
        )  # fmt: skip
        await row.save()
        await audit.record(actor, "segment.create", "segment", row.id, {
            "after": {"name": row.name, "shared": data.shared}, "definition": data.definition,
        })  # fmt: skip
    return await _one(actor, int(row.id))


def _may_change(actor: Actor, row: dict[str, Any]) -> None:
    if row["key"]:
        raise Problem(409, _("This segment comes from a file in campaigns/segments."),
                      kind="conflict")  # fmt: skip
    if row["owner_id"] != actor.user_id and not actor.has("*"):
        raise Problem(403, _("Only its owner changes a segment."), kind="forbidden")


async def update(actor: Actor, segment_id: int, data: SegmentUpdate) -> SegmentOut:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    async with db.transaction():
        row = await _row(actor, segment_id)
        _may_change(actor, row)
        if "definition" in changes:
            if row["frozen_at"] is not None:
                raise Problem(409, _("A frozen snapshot keeps its people."), kind="conflict")
            await where(actor, changes["definition"], own_id=segment_id)
        _not_shared(
            changes.get("shared", row["shared"]), changes.get("definition", row["definition"])
        )
        if "name" in changes:
            changes["name"] = _name(changes["name"])
        values: dict[Any, Any] = {getattr(Segment, k): v for k, v in changes.items()}
        values[Segment.updated_at] = _now()
        await Segment.update(values).where(Segment.id == segment_id)
        await audit.record(actor, "segment.update", "segment", segment_id, {
            k: {"before": row[k], "after": v} for k, v in changes.items()
        })  # fmt: skip
    return await _one(actor, segment_id)


async def delete(actor: Actor, segment_id: int) -> None:
    async with db.transaction():
        row = await _row(actor, segment_id)
        _may_change(actor, row)
        await Segment.delete().where(Segment.id == segment_id)
        await audit.record(actor, "segment.delete", "segment", segment_id, {"name": row["name"]})


async def segment_count(actor: Actor, segment_id: int) -> int:
    row = await _row(actor, segment_id)
    if people_scope.reaches_nobody(actor):
        return 0
    return int(await Person.count().where(await _segment_where(actor, row)))


async def people(actor: Actor, segment_id: int, limit: int, offset: int) -> PersonPage:
    """A page of a segment's people (audited: who, which segment, how many)."""
    row = await _row(actor, segment_id)
    if people_scope.reaches_nobody(actor):
        page = PersonPage(items=[], total=0, limit=limit, offset=offset)
    else:
        page = await _page(await _segment_where(actor, row), limit, offset)
    await audit.record(actor, "segment.people", "segment", segment_id, {
        "total": page.total, "shown": len(page.items), "offset": offset,
    })  # fmt: skip
    return page


async def member_ids(actor: Actor, segment_id: int) -> AsyncIterator[list[int]]:
    """A segment's people as chunks of ids, in id order (keyset: never all in memory), for
    journeys, newsletters and exports; the caller audits what it does with them."""
    row = await _row(actor, segment_id)
    if people_scope.reaches_nobody(actor):
        return
    clause = await _segment_where(actor, row)
    after = 0
    while True:
        rows = (
            await Person.select(Person.id)
            .where(clause & (Person.id > after))
            .order_by(Person.id)
            .limit(CHUNK)
        )
        if not rows:
            return
        ids = [r["id"] for r in rows]
        yield ids
        after = ids[-1]


async def freeze(actor: Actor, segment_id: int, name: str | None = None) -> SegmentOut:
    """A snapshot of a segment now: a new segment holding exactly its current people."""
    row = await _row(actor, segment_id)
    stamp = _now()
    async with db.transaction():
        snapshot = Segment(
            name=_name(name or f"{row['name']} — {stamp.date().isoformat()}"),
            description=row["description"], owner_id=actor.user_id, shared=row["shared"],
            definition=row["definition"], frozen_at=stamp, created_at=stamp, updated_at=stamp,
        )  # fmt: skip
        await snapshot.save()
        size = 0
        async for ids in member_ids(actor, segment_id):
            await bulk.insert(SegmentMember, [{"segment": snapshot.id, "person": i} for i in ids])
            size += len(ids)
        await Segment.update({Segment.size: size}).where(Segment.id == snapshot.id)
        await audit.record(actor, "segment.freeze", "segment", snapshot.id, {
            "from": segment_id, "size": size,
        })  # fmt: skip
    return await _one(actor, int(snapshot.id))
