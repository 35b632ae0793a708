"""The people domain's part of a person: the record, contact points, tags, interactions,
the household they live in, and the keyed hashes that remember an erased identity."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from achterban.households import service as households
from achterban.people import normalise
from achterban.people.tables import (
    ContactPoint,
    ErasedIdentity,
    ErasureLedger,
    Interaction,
    Person,
    PersonTag,
)
from achterban.platform import db
from achterban.platform.personal import Identity, PersonData, digest, like, pattern

# what a record keeps when it is erased or merged away: ids, dates, coarse place (region,
# district, country: counts per area), language; nothing that names or reaches the person
BLANK_PERSON: dict[Any, Any] = {
    Person.first_name: "", Person.infix: "", Person.last_name: "", Person.sort_name: "",
    Person.search_text: "",
    Person.date_of_birth: None, Person.email: None, Person.phone: None, Person.external_ref: None,
    Person.address_raw: "", Person.street: "", Person.house_number: "",
    Person.house_number_addition: "", Person.unit: "", Person.postcode: "", Person.city: "",
    Person.address_note: "", Person.household: None, Person.point_person: None,
    Person.source: "", Person.address_status: "none",
    # what we knew of their politics is special-category data: it goes too
    Person.support_level: None, Person.voted_for_us: False, Person.is_volunteer: False,
    Person.is_ambassador: False,
}  # fmt: skip
ERASED_PERSON: dict[Any, Any] = {**BLANK_PERSON, Person.do_not_contact: True}

FILLABLE = (
    "first_name", "infix", "last_name", "date_of_birth", "email", "phone", "external_ref",
    "address_raw", "street", "house_number", "house_number_addition", "unit", "postcode",
    "city", "state", "country", "region", "district", "household", "point_person",
    "address_status", "address_note", "sort_name",
)  # fmt: skip
ADDRESS = (
    "address_raw", "street", "house_number", "house_number_addition", "unit", "postcode",
    "city", "state", "country", "region", "district", "household", "address_status",
    "address_note",
)  # fmt: skip


async def records_of(person_id: int) -> list[int]:
    """The person and every record merged into them, however many merges deep."""
    ids, todo = [person_id], [person_id]
    while todo:
        rows = await Person.select(Person.id).where(Person.merged_into.is_in(todo))
        todo = [r["id"] for r in rows if r["id"] not in ids]
        ids += todo
    return ids


async def identity(person_id: int) -> Identity:
    """Every value of the person and their merged records, read before anything is blanked."""
    ids = await records_of(person_id)
    rows = await Person.select().where(Person.id.is_in(ids))
    points = await ContactPoint.select(ContactPoint.kind, ContactPoint.value).where(
        ContactPoint.person.is_in(ids)
    )
    emails = {r["email"] for r in rows if r["email"]} | {
        p["value"] for p in points if p["kind"] == "email"
    }
    phones = {r["phone"] for r in rows if r["phone"]} | {
        p["value"] for p in points if p["kind"] == "phone"
    }
    full = set()
    for r in rows:
        full.add(" ".join(p for p in (r["first_name"], r["infix"], r["last_name"]) if p))
        full.add(" ".join(p for p in (r["infix"], r["last_name"]) if p))
        full.add(r["sort_name"])
    other = set()
    for r in rows:
        street = f"{r['street']} {r['house_number']}{r['house_number_addition']}".strip()
        other |= {r["address_raw"], r["street"], street, r["postcode"], r["unit"],
                  r["external_ref"] or "", r["address_note"]}  # fmt: skip
        if r["date_of_birth"]:
            other.add(r["date_of_birth"].isoformat())
    return Identity(
        person_ids=tuple(ids),
        emails=tuple(sorted(emails)),
        phones=tuple(sorted(phones)),
        first_names=tuple(sorted({r["first_name"] for r in rows} - {""})),
        last_names=tuple(sorted({r["last_name"] for r in rows} - {""})),
        full_names=tuple(sorted(full - {""})),
        other=tuple(sorted(other - {""})),
        households=tuple(sorted({r["household"] for r in rows if r["household"]})),
    )


def digests(emails: list[str] | tuple[str, ...], phones: list[str] | tuple[str, ...]) -> set[str]:
    return {digest("email", e) for e in emails} | {digest("phone", p) for p in phones}


async def erased_digests(values: set[str]) -> set[str]:
    """Which of these keyed hashes belong to an erased person."""
    found: set[str] = set()
    ordered = sorted(values)
    for start in range(0, len(ordered), 500):
        rows = await ErasedIdentity.select(ErasedIdentity.digest).where(
            ErasedIdentity.digest.is_in(ordered[start : start + 500])
        )
        found |= {r["digest"] for r in rows}
    return found


async def matches_erased(emails: list[str], phones: list[str]) -> bool:
    return bool(await erased_digests(digests(emails, phones)))


async def remember_erased(who: Identity) -> None:
    """Keep the erased e-mail addresses and phone numbers as keyed hashes only."""
    known = {
        r["digest"]
        for r in await ErasedIdentity.select(ErasedIdentity.digest).where(
            ErasedIdentity.person_id == who.person_ids[0]
        )
    }
    new = sorted(digests(who.emails, who.phones) - known)
    if new:
        await ErasedIdentity.insert(
            *[ErasedIdentity(person_id=who.person_ids[0], digest=d) for d in new]
        )


async def restore_erased(person_id: int, values: list[str]) -> None:
    """Keyed hashes of an erased identity from the ledger file (a restored backup)."""
    known = {
        r["digest"]
        for r in await ErasedIdentity.select(ErasedIdentity.digest).where(
            ErasedIdentity.person_id == person_id
        )
    }
    missing = sorted(set(values) - known)
    if missing:
        await ErasedIdentity.insert(
            *[ErasedIdentity(person_id=person_id, digest=d) for d in missing]
        )


async def log_erasure(
    records: list[int] | tuple[int, ...],
    at: datetime,
    reason: str,
    actor_id: int | None = None,
    *,
    missing_only: bool = False,
) -> None:
    """The erasure ledger's rows: one per record erased (the person and their merged ones);
    with ``missing_only`` (a restored backup) only those not in it already."""
    have: set[int] = set()
    if missing_only and records:
        have = {
            r["person_id"]
            for r in await ErasureLedger.select(ErasureLedger.person_id).where(
                ErasureLedger.person_id.is_in(list(records))
            )
        }
    for record in records:
        if record not in have:
            await ErasureLedger(
                person_id=record, erased_at=at, actor_id=actor_id, reason=reason[:300]
            ).save()


async def ledger() -> list[dict[str, Any]]:
    """The erasure ledger's rows, oldest first."""
    return list(await ErasureLedger.select().order_by(ErasureLedger.id))


async def erased_state(ids: list[int]) -> list[dict[str, Any]]:
    """Which of these records exist, and whether each is erased (``erased_at``)."""
    return list(await Person.select(Person.id, Person.erased_at).where(Person.id.is_in(ids)))


async def _families_left(household_id: int) -> list[str]:
    rows = (
        await Person.select(Person.infix, Person.last_name)
        .where(
            (Person.household == household_id)
            & Person.erased_at.is_null()
            & Person.merged_into.is_null()
        )
        .order_by(Person.id)
    )
    return [" ".join(p for p in (r["infix"], r["last_name"]) if p) for r in rows]


async def _refresh_households(household_ids: set[int]) -> None:
    for household_id in sorted(household_ids):
        await households.refresh(household_id, await _families_left(household_id))


async def merge(merged_id: int, survivor_id: int) -> None:
    """The survivor fills its gaps from the merged record, takes its contact points, tags and
    interactions; the merged record keeps only the pointer to the survivor."""
    survivor = await Person.select().where(Person.id == survivor_id).first()
    merged = await Person.select().where(Person.id == merged_id).first()
    if survivor is None or merged is None:  # checked visible by the caller
        return
    await Interaction.update({Interaction.person: survivor_id}).where(
        Interaction.person == merged_id
    )
    await _move_unique(ContactPoint, survivor_id, merged_id, ("kind", "value"))
    await _move_unique(PersonTag, survivor_id, merged_id, ("tag",))
    values: dict[Any, Any] = {
        getattr(Person, f): merged[f] for f in FILLABLE if not survivor[f] and merged[f]
    }
    if not survivor["address_raw"] and merged["address_raw"]:  # an address comes whole
        values.update({getattr(Person, f): merged[f] for f in ADDRESS})
    if values.get(Person.first_name) is not None or values.get(Person.last_name) is not None:
        values[Person.sort_name] = normalise.sort_name(
            str(values.get(Person.first_name, survivor["first_name"])),
            str(values.get(Person.infix, survivor["infix"])),
            str(values.get(Person.last_name, survivor["last_name"])),
        )
    values[Person.support_level] = max(
        (v for v in (survivor["support_level"], merged["support_level"]) if v is not None),
        default=None,
    )
    for flag in ("voted_for_us", "is_volunteer", "is_ambassador", "do_not_contact",
                 "matches_erased"):  # fmt: skip
        values[getattr(Person, flag)] = bool(survivor[flag] or merged[flag])
    for moment in ("last_contact_at", "last_touch_at"):
        if merged[moment] and (not survivor[moment] or merged[moment] > survivor[moment]):
            values[getattr(Person, moment)] = merged[moment]
    values[Person.updated_at] = datetime.now(UTC)
    await Person.update(values).where(Person.id == survivor_id)
    await Person.update(
        {**BLANK_PERSON, Person.merged_into: survivor_id, Person.updated_at: datetime.now(UTC)}
    ).where(Person.id == merged_id)
    if merged["household"]:
        await _refresh_households({merged["household"]})


async def _move_unique(table: Any, survivor_id: int, merged_id: int, key: tuple[str, ...]) -> None:
    have = {
        tuple(r[k] for k in key)
        for r in await table.select(*[getattr(table, k) for k in key]).where(
            table.person == survivor_id
        )
    }
    for row in await table.select().where(table.person == merged_id):
        if tuple(row[k] for k in key) in have:
            await table.delete().where(table.id == row["id"])
        else:
            values = {table.person: survivor_id}
            if "is_primary" in row:
                values[table.is_primary] = False
            await table.update(values).where(table.id == row["id"])


async def erase(who: Identity) -> None:
    ids = list(who.person_ids)
    stamp = datetime.now(UTC)
    await Person.update({**ERASED_PERSON, Person.erased_at: stamp}).where(
        Person.id.is_in(ids) & Person.erased_at.is_null()
    )
    await Person.update(ERASED_PERSON).where(Person.id.is_in(ids))  # a restored backup, again
    await ContactPoint.delete().where(ContactPoint.person.is_in(ids))
    await PersonTag.delete().where(PersonTag.person.is_in(ids))
    # interactions stay as counts per channel and date, without what was said or by whom
    await Interaction.update(
        {Interaction.subject: "", Interaction.notes: "", Interaction.kind: "",
         Interaction.staff: None}
    ).where(Interaction.person.is_in(ids))  # fmt: skip
    await _refresh_households(set(who.households))
    await remember_erased(who)
    await _scrub_sources(who)


async def _scrub_sources(who: Identity) -> None:
    """Other people imported from a file named after the person carry the file name as
    their source: it loses the person's values."""
    found: set[str] = set()
    for value in who.markers:
        rows = await db.raw(
            f"SELECT DISTINCT source FROM person WHERE {like('source')}", pattern(value)
        )
        found |= {r["source"] for r in rows}
    for source in sorted(found):
        await Person.update({Person.source: who.scrub(source)}).where(Person.source == source)


async def export(person_id: int) -> dict[str, Any]:
    person = await Person.select(Person.household).where(Person.id == person_id).first()
    return {
        "contact_points": [
            dict(r) for r in await ContactPoint.select().where(ContactPoint.person == person_id)
        ],
        "tags": [
            r["tag"]
            for r in await PersonTag.select(PersonTag.tag).where(PersonTag.person == person_id)
        ],
        "interactions": [
            dict(r)
            for r in await Interaction.select()
            .where(Interaction.person == person_id)
            .order_by(Interaction.at)
        ],
        "household": await households.export(person["household"] if person else None),
    }


DATA = PersonData(
    name="people",
    tables=(
        "person",
        "contact_point",
        "person_tag",
        "interaction",
        "household",
        "erased_identity",
        "erasure_ledger",
    ),
    merge=merge,
    erase=erase,
    export=export,
    notes={
        "person": "kept blank: id, dates, region and district (counts), the merge pointer",
        "interaction": "kept as counts per channel and date, without subject, notes or staff",
        "household": "kept with the family name of who still lives there, or deleted",
        "erased_identity": "keyed hashes only, so an import cannot bring the person back",
        "erasure_ledger": "the person's id and when, so a restored backup is cleaned again",
    },
)
