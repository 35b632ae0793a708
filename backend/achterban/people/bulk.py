"""Many people at once (imports): match existing records, insert the new ones in bulk.

A record matches an existing person by external reference, else e-mail, else phone,
else name + postcode + house number; a match is updated with the fields present, so
importing the same file twice adds nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from achterban.consent.tables import ConsentEvent
from achterban.households.tables import Household
from achterban.imports.records import Record
from achterban.people.tables import ContactPoint, Person, PersonTag


INSERT_CHUNK = 500


@dataclass(slots=True)
class BatchResult:
    created: list[int]
    updated: list[int]


def _live() -> Any:
    return Person.erased_at.is_null() & Person.merged_into.is_null()


async def _match(records: list[Record]) -> dict[int, int]:
    """Record index → existing person id."""
    found: dict[int, int] = {}
    refs = [r.external_ref for r in records if r.external_ref]
    by_ref = {}
    if refs:
        rows = await Person.select(Person.id, Person.external_ref).where(
            Person.external_ref.is_in(refs) & _live()
        )
        by_ref = {r["external_ref"]: r["id"] for r in rows}
    values = [v for r in records for v in (*r.emails, *r.phones)]
    by_point: dict[str, int] = {}
    if values:
        rows = await ContactPoint.select(ContactPoint.value, ContactPoint.person).where(
            ContactPoint.value.is_in(values)
            & ContactPoint.person.erased_at.is_null()
            & ContactPoint.person.merged_into.is_null()
        )
        by_point = {r["value"]: r["person"] for r in rows}
    keyed = [
        r
        for r in records
        if r.address.get("postcode") and r.address.get("house_number") and r.sort_name
    ]
    by_place: dict[tuple[str, str, str], int] = {}
    if keyed:
        rows = await Person.select(
            Person.id, Person.sort_name, Person.postcode, Person.house_number
        ).where(
            Person.postcode.is_in(list({r.address["postcode"] for r in keyed}))
            & Person.sort_name.is_in(list({r.sort_name for r in keyed}))
            & _live()
        )
        by_place = {(r["sort_name"], r["postcode"], r["house_number"]): r["id"] for r in rows}
    for index, record in enumerate(records):
        match = by_ref.get(record.external_ref) if record.external_ref else None
        for value in (*record.emails, *record.phones):
            match = match or by_point.get(value)
        if match is None and record.address.get("postcode"):
            match = by_place.get(
                (
                    record.sort_name,
                    record.address["postcode"],
                    record.address.get("house_number", ""),
                )
            )
        if match is not None:
            found[index] = match
    return found


async def _households(records: list[Record], families: dict[str, str]) -> dict[str, int]:
    keys = list({r.household_key for r in records if r.household_key})
    if not keys:
        return {}
    existing = {
        r["key"]: r["id"]
        for r in await Household.select(Household.id, Household.key).where(
            Household.key.is_in(keys)
        )
    }
    missing = [k for k in keys if k not in existing]
    if missing:
        now = datetime.now(UTC)
        rows = await Household.insert(
            *[Household(key=k, family_name=families.get(k, ""), created_at=now) for k in missing]
        ).returning(Household.id, Household.key)
        existing.update({r["key"]: r["id"] for r in rows})
    return existing


def _columns(record: Record) -> dict[str, Any]:
    columns: dict[str, Any] = {**record.values, **record.address}
    if record.first_name or record.last_name:
        columns.update(
            first_name=record.first_name,
            infix=record.infix,
            last_name=record.last_name,
            sort_name=record.sort_name,
        )
    if record.emails:
        columns["email"] = record.emails[0]
    if record.phones:
        columns["phone"] = record.phones[0]
    if record.external_ref:
        columns["external_ref"] = record.external_ref
    return columns


async def upsert(
    records: list[Record], *, source: str, source_detail: str, actor_id: int | None
) -> BatchResult:
    """Write one batch; the caller owns the transaction."""
    now = datetime.now(UTC)
    matches = await _match(records)
    families = {
        r.household_key: " ".join(p for p in (r.infix, r.last_name) if p)
        for r in records
        if r.household_key
    }
    households = await _households(records, families)
    new = [(i, r) for i, r in enumerate(records) if i not in matches]
    # the same person twice in one batch (same e-mail) is one person
    seen: dict[str, int] = {}
    first_of: dict[int, int] = {}
    for i, r in new:
        for value in r.emails or r.phones:
            if value in seen:
                first_of[i] = seen[value]
                break
        else:
            for value in r.emails or r.phones:
                seen[value] = i
    inserts = [(i, r) for i, r in new if i not in first_of]
    ids: dict[int, int] = dict(matches)
    if inserts:
        people = [
            Person(
                **{"source": source, **_columns(r)},
                household=households.get(r.household_key or ""),
                created_at=now,
                updated_at=now,
            )
            for _, r in inserts
        ]
        rows = []
        for start in range(0, len(people), INSERT_CHUNK):  # PostgreSQL: at most 32767 arguments
            chunk = people[start : start + INSERT_CHUNK]
            rows += await Person.insert(*chunk).returning(Person.id)
        for (i, _), row in zip(inserts, rows, strict=True):
            ids[i] = row["id"]
    for i, j in first_of.items():
        ids[i] = ids[j]
    for i, person_id in matches.items():
        columns = _columns(records[i])
        if records[i].household_key:
            columns["household"] = households.get(records[i].household_key or "")
        columns["updated_at"] = now
        await Person.update({getattr(Person, k): v for k, v in columns.items()}).where(
            Person.id == person_id
        )
    await _contact_points(records, ids)
    await _tags(records, ids)
    await _consent(records, ids, source_detail, actor_id, now)
    created = sorted({ids[i] for i, _ in inserts})
    return BatchResult(created=created, updated=sorted(set(ids.values()) - set(created)))


async def _contact_points(records: list[Record], ids: dict[int, int]) -> None:
    wanted = {
        (ids[i], kind, v)
        for i, r in enumerate(records)
        for kind, vs in (("email", r.emails), ("phone", r.phones))
        for v in vs
    }
    if not wanted:
        return
    people = list({p for p, _, _ in wanted})
    have = {
        (r["person"], r["kind"], r["value"])
        for r in await ContactPoint.select(
            ContactPoint.person, ContactPoint.kind, ContactPoint.value
        ).where(ContactPoint.person.is_in(people))
    }
    primary = {(p, k) for p, k, _ in have}
    rows = []
    for person_id, kind, value in sorted(wanted - have):
        rows.append(
            ContactPoint(
                person=person_id,
                kind=kind,
                value=value,
                is_primary=(person_id, kind) not in primary,
            )
        )
        primary.add((person_id, kind))
    if rows:
        await ContactPoint.insert(*rows)


async def _tags(records: list[Record], ids: dict[int, int]) -> None:
    wanted = {(ids[i], t) for i, r in enumerate(records) for t in r.tags}
    if not wanted:
        return
    have = {
        (r["person"], r["tag"])
        for r in await PersonTag.select(PersonTag.person, PersonTag.tag).where(
            PersonTag.person.is_in(list({p for p, _ in wanted}))
        )
    }
    missing = sorted(wanted - have)
    if missing:
        await PersonTag.insert(*[PersonTag(person=p, tag=t) for p, t in missing])


async def _consent(
    records: list[Record], ids: dict[int, int], detail: str, actor_id: int | None, now: datetime
) -> None:
    wanted = {(ids[i], p, c): s for i, r in enumerate(records) for (p, c), s in r.consent.items()}
    if not wanted:
        return
    latest: dict[tuple[int, str, str], str] = {}
    for row in (
        await ConsentEvent.select(
            ConsentEvent.person, ConsentEvent.purpose, ConsentEvent.channel, ConsentEvent.status
        )
        .where(ConsentEvent.person.is_in(list({k[0] for k in wanted})))
        .order_by(ConsentEvent.at)
        .order_by(ConsentEvent.id)
    ):
        latest[(row["person"], row["purpose"], row["channel"])] = row["status"]
    rows = [
        ConsentEvent(
            person=p, purpose=purpose, channel=channel, status=status, at=now, source="import",
            source_detail=detail[:300], wording=f"Imported from {detail}", actor_id=actor_id,
        )
        for (p, purpose, channel), status in sorted(wanted.items())
        if latest.get((p, purpose, channel)) != status
    ]  # fmt: skip
    if rows:
        await ConsentEvent.insert(*rows)
