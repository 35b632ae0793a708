"""Many people at once (imports): match existing records, insert the new ones in bulk.

A record matches an existing person by external reference, else e-mail, else phone,
else name + postcode + house number; a match is updated with the fields present, so
importing the same file twice adds nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from achterban.districts import service as districts
from achterban.households import service as households_service
from achterban.people import normalise, personal
from achterban.people import service as people
from achterban.people.record import NEW_COLUMNS, Record, new_row
from achterban.people.tables import ContactPoint, ErasedIdentity, Interaction, Person, PersonTag
from achterban.platform import bulk


@dataclass(slots=True)
class BatchResult:
    created: list[int]
    updated: list[int]
    people: dict[int, int]  # each record's index → the person it landed on (new or matched)


LIVE = "erased_at IS NULL AND merged_into IS NULL"


async def _match(records: list[Record]) -> dict[int, int]:
    """Record index → existing person id."""
    found: dict[int, int] = {}
    refs = list({r.external_ref for r in records if r.external_ref})
    rows = await bulk.select_in(Person, ["id", "external_ref"], {"external_ref": refs}, LIVE)
    by_ref = {r["external_ref"]: r["id"] for r in rows}
    # erasure deletes contact points and a merge moves them, so these all belong to live people;
    # one kind at a time: (kind, value) pairs of both kinds would probe the index twice as often
    by_point = {}
    for kind in ("email", "phone"):
        values = list({v for r in records for v in (r.emails if kind == "email" else r.phones)})
        rows = await bulk.select_in(
            ContactPoint, ["value", "person"], {"kind": [kind], "value": values}
        )
        by_point.update({r["value"]: r["person"] for r in rows})
    keyed = {
        (r.address["postcode"], r.address["house_number"], r.sort_name)
        for r in records
        if r.address.get("postcode") and r.address.get("house_number") and r.sort_name
    }
    rows = await bulk.select_tuples(
        Person, ["id", "sort_name", "postcode", "house_number"],
        ["postcode", "house_number", "sort_name"], sorted(keyed), LIVE,
    )  # fmt: skip
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


INSERTED = ["id", "source", "household", "district", "created_at", "updated_at", *NEW_COLUMNS]


def _new_row(record: Record) -> tuple[Any, ...]:
    """``Record.row`` for a record whose parser did not work it out (nor its search text)."""
    if not record.search_text:
        record.search_text = normalise.search_text(
            record.first_name, record.infix, record.last_name, record.emails, record.phones,
            record.address.get("postcode", ""), record.address.get("city", ""),
        )  # fmt: skip
    return new_row(record)


def _identity(record: Record) -> list[str]:
    keys = [f"ref:{record.external_ref}"] if record.external_ref else []
    keys += [f"cp:{v}" for v in (*record.emails, *record.phones)]
    place = (record.sort_name, record.address.get("postcode"), record.address.get("house_number"))
    if all(place):
        keys.append("place:" + "|".join(str(p) for p in place))
    return keys


async def erased_lines(records: list[Record]) -> set[int]:
    """Lines whose e-mail address or phone number is an erased person's (keyed hashes):
    an import reports them, it never brings the person back."""
    if not records or not await ErasedIdentity.exists():
        return set()
    lines: dict[str, set[int]] = {}
    for record in records:
        for value in personal.digests(record.emails, record.phones):
            lines.setdefault(value, set()).add(record.line)
    return {line for d in await personal.erased_digests(set(lines)) for line in lines[d]}


async def prepare() -> None:
    """Look up now what the first batch needs (the districts, the id sequences): an import
    calls this while its first rows are being checked."""
    await districts.district_lookup()
    await bulk.sequence(Person)
    await households_service.prepare()


async def upsert(
    records: list[Record],
    *,
    source: str,
    source_detail: str,
    regions: list[str] | None = None,
) -> BatchResult:
    """Write one batch; the caller owns the transaction.

    With ``regions`` (a regional organiser's import) only people of those regions are
    matched and updated; nobody outside them is touched.
    """
    now = datetime.now(UTC)
    district_of = await districts.district_lookup()
    for record in records:
        address = record.address
        if address.get("postcode"):
            address["district"] = district_of(address["country"], address["postcode"])
    matches = await _match(records)
    if regions and matches:
        rows = await bulk.select_in(Person, ["id", "region"], {"id": list(set(matches.values()))})
        inside = {r["id"] for r in rows if r["region"] in regions}
        matches = {i: p for i, p in matches.items() if p in inside}
    families = {
        r.household_key: " ".join(p for p in (r.infix, r.last_name) if p)
        for r in records
        if r.household_key
    }
    households = await households_service.attach_many(families)
    new = [(i, r) for i, r in enumerate(records) if i not in matches]
    # the same person twice in one batch is one person, matched as against the database
    seen: dict[str, int] = {}
    first_of: dict[int, int] = {}
    for i, r in new:
        keys = _identity(r)
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            first_of[i] = earlier
        else:
            seen.update(dict.fromkeys(keys, i))
    inserts = [(i, r) for i, r in new if i not in first_of]
    ids: dict[int, int] = dict(matches)
    if inserts:
        new_ids = await bulk.allocate_ids(Person, len(inserts))
        # as tuples in the table's terms, most of each worked out by the parsing process
        await bulk.insert_rows(Person, INSERTED, [
            (
                person_id, r.values.get("source", source),
                households.get(r.household_key) if r.household_key else None,
                r.address.get("district", ""), now, now, *(r.row or _new_row(r)),
            )
            for person_id, (_, r) in zip(new_ids, inserts, strict=True)
        ])  # fmt: skip
        for (i, _), person_id in zip(inserts, new_ids, strict=True):
            ids[i] = person_id
    for i, j in first_of.items():
        ids[i] = ids[j]
    changes: dict[int, dict[str, Any]] = {}  # the same person twice: the later row wins
    for i, person_id in matches.items():
        columns = _columns(records[i])
        if records[i].household_key:
            columns["household"] = households.get(records[i].household_key or "")
        changes[person_id] = {**columns, "updated_at": now, "id": person_id}
    await bulk.update(Person, list(changes.values()))
    known = set(matches.values())
    await _contact_points(records, ids, known)
    # the found ones (and one person twice in a batch) are searched by all they now hold
    await people.refresh_search_text(sorted(known | {ids[j] for j in first_of.values()}))
    await _tags(records, ids, known)
    await _notes(records, ids, source_detail, now)
    created = sorted({ids[i] for i, _ in inserts})
    return BatchResult(
        created=created, updated=sorted(set(ids.values()) - set(created)), people=ids
    )


async def _contact_points(records: list[Record], ids: dict[int, int], known: set[int]) -> None:
    """Add the e-mail addresses and phone numbers a person does not have yet."""
    wanted = {  # in the file's order: a new person's first e-mail address is the primary one
        (ids[i], kind, v): None
        for i, r in enumerate(records)
        for kind, vs in (("email", r.emails), ("phone", r.phones))
        for v in vs
    }
    people = list({p for p, _, _ in wanted if p in known})  # new people have none yet
    rows = await bulk.select_in(ContactPoint, ["person", "kind", "value"], {"person": people})
    have = {(r["person"], r["kind"], r["value"]) for r in rows}
    primary = {(p, k) for p, k, _ in have}
    new = []
    for person_id, kind, value in wanted:
        if (person_id, kind, value) not in have:
            new.append((person_id, kind, value, (person_id, kind) not in primary))
            primary.add((person_id, kind))
    await bulk.insert_rows(ContactPoint, ["person", "kind", "value", "is_primary"], new)


async def _tags(records: list[Record], ids: dict[int, int], known: set[int]) -> None:
    wanted = {(ids[i], t) for i, r in enumerate(records) for t in r.tags}
    people = list({p for p, _ in wanted if p in known})
    rows = await bulk.select_in(PersonTag, ["person", "tag"], {"person": people})
    have = {(r["person"], r["tag"]) for r in rows}
    await bulk.insert_rows(PersonTag, ["person", "tag"], sorted(wanted - have))


async def _notes(records: list[Record], ids: dict[int, int], detail: str, now: datetime) -> None:
    """The old tool's notes on a person, kept on their timeline once (not again on re-import)."""
    wanted = {(ids[i], r.notes) for i, r in enumerate(records) if r.notes}
    if not wanted:
        return
    rows = await bulk.select_in(
        Interaction, ["person", "notes"], {"person": list({p for p, _ in wanted}),
                                           "kind": ["import_note"]},
    )  # fmt: skip
    have = {(r["person"], r["notes"]) for r in rows}
    await bulk.insert(Interaction, [
        {"person": p, "at": now, "channel": "web", "direction": "in", "kind": "import_note",
         "subject": detail[:300], "notes": text, "value_adding": False}
        for p, text in sorted(wanted - have)
    ])  # fmt: skip
