"""People: create, read (audited), change, interactions. Every write is a ``do_*`` with an actor."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import msgspec

from achterban.addresses import parse as addresses
from achterban.audit import service as audit
from achterban.districts import service as districts
from achterban.households import service as households
from achterban.people import normalise, personal, roles, scope
from achterban.people.schemas import (
    Address,
    Interaction,
    InteractionCreate,
    Person,
    PersonCreate,
    PersonPatch,
)
from achterban.people.tables import ContactPoint, PersonTag
from achterban.people.tables import Interaction as InteractionRow
from achterban.people.tables import Person as PersonRow
from achterban.platform import db, jobs
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.settings import get_settings


def now() -> datetime:
    return datetime.now(UTC)


def display_name(row: dict[str, Any]) -> str:
    parts = [row.get("first_name") or "", row.get("infix") or "", row.get("last_name") or ""]
    return " ".join(p for p in parts if p).strip() or f"#{row['id']}"


def _invalid(key: str, message: str) -> Problem:
    return Problem(
        400,
        _("{field}: {message}"),
        kind="validation",
        values={"field": key, "message": message},
        errors=[{"key": key, "message": message}],
    )


def clean_emails(values: list[str]) -> list[str]:
    result: list[str] = []
    for value in values:
        if not value.strip():
            continue
        try:
            email = normalise.normalise_email(value)
        except ValueError as exc:
            raise _invalid("emails", str(exc)) from exc
        if email not in result:
            result.append(email)
    return result


def clean_phones(values: list[str], region: str) -> list[str]:
    result: list[str] = []
    for value in values:
        if not value.strip():
            continue
        try:
            phone = normalise.normalise_phone(value, region or "NL")
        except ValueError as exc:
            raise _invalid("phones", str(exc)) from exc
        if phone not in result:
            result.append(phone)
    return result


def clean_tags(values: list[str]) -> list[str]:
    return sorted({v.strip().lower()[:80] for v in values if v.strip()})


def address_values(raw: str | None, country: str | None) -> dict[Any, Any]:
    """Person columns for a postal address; an unparseable one is kept raw and flagged."""
    if raw is None or not raw.strip():
        parsed = addresses.ParsedAddress(raw=raw or "", status="none")
    else:
        parsed = addresses.parse_address(raw, country)
    return {
        "address_raw": parsed.raw,
        "street": parsed.street,
        "house_number": parsed.house_number,
        "house_number_addition": parsed.house_number_addition,
        "unit": parsed.unit,
        "postcode": addresses.normalise_postcode(parsed.postcode, parsed.country),
        "city": parsed.city,
        "state": parsed.state,
        "country": parsed.country,
        "address_status": parsed.status,
        "address_note": parsed.note,
        "region": addresses.region_code(parsed),
        "_household_key": addresses.household_key(parsed),
    }


async def _set_contact_points(person_id: int, kind: str, values: list[str]) -> None:
    await ContactPoint.delete().where(
        (ContactPoint.person == person_id) & (ContactPoint.kind == kind)
    )
    if values:
        await ContactPoint.insert(
            *[
                ContactPoint(person=person_id, kind=kind, value=v, is_primary=i == 0)
                for i, v in enumerate(values)
            ]
        )


async def _set_tags(person_id: int, tags: list[str]) -> None:
    await PersonTag.delete().where(PersonTag.person == person_id)
    if tags:
        await PersonTag.insert(*[PersonTag(person=person_id, tag=t) for t in tags])


def _check_scope(actor: Actor, values: dict[str, Any]) -> None:
    if not scope.may_create_in(actor, values.get("region")):
        raise Problem(
            403,
            _("This address lies outside your regions."),
            kind="out-of-scope",
        )


async def _check_point_person(actor: Actor, user_id: int | None) -> None:
    """A point person is a colleague within the actor's own scope, never another office's."""
    if user_id is not None and not await scope.staff_in_reach(actor, user_id):
        raise Problem(
            400,
            _("The point person must be a colleague within your reach."),
            kind="validation",
            errors=[{"key": "point_person_id", "message": "not a colleague within your reach"}],
        )


def _require_identity(names: tuple[str, str, str], emails: list[str], phones: list[str]) -> None:
    """A person is someone: a name, an e-mail address or a phone number, at least one."""
    if any(n.strip() for n in names) or emails or phones:
        return
    message = _("Give a name, an e-mail address or a phone number.")
    raise Problem(
        400,
        message,
        kind="validation",
        errors=[
            {"key": key, "message": message}
            for key in ("first_name", "last_name", "emails", "phones")
        ],
    )


async def do_create_person(
    actor: Actor, data: PersonCreate, *, audit_detail: dict[str, Any] | None = None
) -> int:
    emails = clean_emails(data.emails)
    place = address_values(data.address, data.country)
    phones = clean_phones(data.phones, place["country"] or (data.country or "NL"))
    _require_identity((data.first_name, data.infix, data.last_name), emails, phones)
    place["district"] = await districts.district_of(place["country"], place["postcode"])
    tags = clean_tags(data.tags)
    _check_scope(actor, place)
    await _check_point_person(actor, data.point_person_id)
    key = place.pop("_household_key")
    stamp = now()
    async with db.transaction():
        household_id = await households.attach(key, data.infix, data.last_name)
        row = PersonRow(
            first_name=data.first_name.strip(),
            infix=data.infix.strip(),
            last_name=data.last_name.strip(),
            sort_name=normalise.sort_name(data.first_name, data.infix, data.last_name),
            search_text=normalise.search_text(
                data.first_name,
                data.infix,
                data.last_name,
                emails,
                phones,
                place["postcode"],
                place["city"],
            ),
            language=data.language,
            date_of_birth=data.date_of_birth,
            email=emails[0] if emails else None,
            phone=phones[0] if phones else None,
            support_level=data.support_level,
            voted_for_us=data.voted_for_us,
            is_volunteer=data.is_volunteer,
            is_ambassador=data.is_ambassador,
            point_person=data.point_person_id,
            source=data.source,
            external_ref=data.external_ref,
            household=household_id,
            matches_erased=await personal.matches_erased(emails, phones),  # back on their own
            created_at=stamp,
            updated_at=stamp,
            **place,
        )
        await row.save()
        await _set_contact_points(row.id, "email", emails)
        await _set_contact_points(row.id, "phone", phones)
        await _set_tags(row.id, tags)
        await audit.record(
            actor, "person.create", "person", row.id, audit_detail or {"source": data.source}
        )
        await _ask_for_dedupe_scan(actor)  # someone known again?
    return int(row.id)


async def _ask_for_dedupe_scan(actor: Actor) -> None:
    delay = get_settings().dedupe_delay_seconds
    await jobs.enqueue_once("dedupe_scan", actor_id=actor.user_id, after=delay)


async def read_row(actor: Actor, person_id: int, view: str) -> dict[str, Any]:
    """``visible_row`` for a read that shows part of the record: the read is audited."""
    row = await visible_row(actor, person_id)
    await audit.record(actor, "person.read", "person", person_id, {"view": view})
    return row


async def row_of(person_id: int) -> dict[str, Any] | None:
    """The record by id, unscoped and not audited: for the system's own checks (consent at
    the moment of sending, the person's own preferences link), never to show to staff."""
    return await PersonRow.select().where(PersonRow.id == person_id).first()


async def names_of(person_ids: list[int]) -> dict[int, str]:
    """Display names by id (an erased record reads as its number), unscoped: for a caller
    that audits what it shows (a branch's officers)."""
    rows = await PersonRow.select(
        PersonRow.id, PersonRow.first_name, PersonRow.infix, PersonRow.last_name
    ).where(PersonRow.id.is_in(list(person_ids) or [-1]))
    return {r["id"]: display_name(r) for r in rows}


async def with_email(email: str) -> int | None:
    """The person holding this (normalised) e-mail address, if anyone; unscoped: the caller
    checks that the actor may see them (``sees``) before saying anything about it."""
    match = (
        await ContactPoint.select(ContactPoint.person)
        .where((ContactPoint.kind == "email") & (ContactPoint.value == email))
        .first()
    )
    return int(match["person"]) if match else None


async def set_do_not_contact(person_id: int, value: bool) -> None:
    """The person's own "do not contact me" (their preferences page); the caller audits."""
    await PersonRow.update({PersonRow.do_not_contact: value, PersonRow.updated_at: now()}).where(
        PersonRow.id == person_id
    )


async def sees(actor: Actor, person_id: int) -> bool:
    """Whether ``visible_row`` would give the person to this actor (no 404)."""
    try:
        await visible_row(actor, person_id)
    except Problem:
        return False
    return True


async def visible_row(actor: Actor, person_id: int) -> dict[str, Any]:
    """The person's row, or 404 when it does not exist, was erased or merged, or is out of scope."""
    row = await PersonRow.select().where(PersonRow.id == person_id).first()
    if row is not None and row["merged_into"] is not None:
        survivor = await _survivor(actor, row)
        if survivor is not None:  # the old record's link leads to the one it became
            raise Problem(
                404,
                _("This person was merged into another record."),
                kind="merged",
                merged_into=survivor,
            )
    if (
        row is None
        or row["erased_at"] is not None
        or row["merged_into"] is not None
        or not scope.can_see(actor, row)
    ):
        raise Problem(404, _("No such person."), kind="not-found")
    return row


async def _survivor(actor: Actor, row: dict[str, Any]) -> int | None:
    """The record a merged one lives on in, when this actor may see it (merges can chain)."""
    target = row["merged_into"]
    for _hop in range(10):
        found = await PersonRow.select().where(PersonRow.id == target).first()
        if found is None or found["erased_at"] is not None:
            return None
        if found["merged_into"] is None:
            return int(found["id"]) if scope.can_see(actor, found) else None
        target = found["merged_into"]
    return None


async def to_schema(row: dict[str, Any]) -> Person:
    points = (
        await ContactPoint.select(ContactPoint.kind, ContactPoint.value)
        .where(ContactPoint.person == row["id"])
        .order_by(ContactPoint.is_primary, ascending=False)
        .order_by(ContactPoint.id)
    )
    tags = [
        t["tag"]
        for t in await PersonTag.select(PersonTag.tag)
        .where(PersonTag.person == row["id"])
        .order_by(PersonTag.tag)
    ]
    person_roles = (await roles.roles_for([row]))[row["id"]]
    return Person(
        id=row["id"],
        display_name=display_name(row),
        first_name=row["first_name"],
        infix=row["infix"],
        last_name=row["last_name"],
        language=row["language"],
        date_of_birth=row["date_of_birth"],
        email=row["email"],
        phone=row["phone"],
        emails=[p["value"] for p in points if p["kind"] == "email"],
        phones=[p["value"] for p in points if p["kind"] == "phone"],
        address=Address(
            raw=row["address_raw"],
            street=row["street"],
            house_number=row["house_number"],
            house_number_addition=row["house_number_addition"],
            unit=row["unit"],
            postcode=row["postcode"],
            city=row["city"],
            state=row["state"],
            country=row["country"],
            status=row["address_status"],
            note=row["address_note"],
        ),
        tags=tags,
        roles=person_roles,
        support_level=row["support_level"],
        voted_for_us=row["voted_for_us"],
        is_volunteer=row["is_volunteer"],
        is_ambassador=row["is_ambassador"],
        point_person_id=row["point_person"],
        source=row["source"],
        household_id=row["household"],
        region=row["region"],
        district=row["district"],
        do_not_contact=row["do_not_contact"],
        matches_erased_identity=row["matches_erased"],
        last_contact_at=row["last_contact_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def read_person(actor: Actor, person_id: int) -> Person:
    """A person's record; the read is audited (political opinion is special-category data)."""
    row = await visible_row(actor, person_id)
    await audit.record(actor, "person.read", "person", person_id)
    return await to_schema(row)


# a change to these may make the person a duplicate of someone (or no longer one)
IDENTIFYING = {"first_name", "infix", "last_name", "address", "country", "emails", "phones"}


async def do_update_person(actor: Actor, person_id: int, data: PersonPatch) -> Person:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    async with db.transaction():
        row = await visible_row(actor, person_id)
        values: dict[Any, Any] = {}
        for name in (
            "first_name",
            "infix",
            "last_name",
            "language",
            "date_of_birth",
            "support_level",
            "voted_for_us",
            "is_volunteer",
            "is_ambassador",
            "do_not_contact",
            "source",
        ):
            if name in changes:
                value = changes[name]
                values[getattr(PersonRow, name)] = (
                    value.strip() if isinstance(value, str) else value
                )
        if "point_person_id" in changes:
            await _check_point_person(actor, changes["point_person_id"])
            values[PersonRow.point_person] = changes["point_person_id"]
        if {"first_name", "infix", "last_name"} & changes.keys():
            merged: dict[str, Any] = {
                **row,
                **{k: changes[k] for k in ("first_name", "infix", "last_name") if k in changes},
            }
            values[PersonRow.sort_name] = normalise.sort_name(
                merged["first_name"], merged["infix"], merged["last_name"]
            )
        country = row["country"]
        if "address" in changes or "country" in changes:
            place = address_values(
                changes.get("address", row["address_raw"]), changes.get("country", country)
            )
            place["district"] = await districts.district_of(place["country"], place["postcode"])
            _check_scope(actor, place)
            key = place.pop("_household_key")
            country = place["country"] or country
            values[PersonRow.household] = await households.attach(
                key, changes.get("infix", row["infix"]), changes.get("last_name", row["last_name"])
            )
            values.update({getattr(PersonRow, k): v for k, v in place.items()})
        emails = clean_emails(changes["emails"]) if "emails" in changes else None
        phones = clean_phones(changes["phones"], country or "NL") if "phones" in changes else None
        if {"first_name", "infix", "last_name", "emails", "phones"} & changes.keys():
            await _require_identity_after(person_id, row, changes, emails, phones)
        if emails is not None:
            values[PersonRow.email] = emails[0] if emails else None
            await _set_contact_points(person_id, "email", emails)
        if phones is not None:
            values[PersonRow.phone] = phones[0] if phones else None
            await _set_contact_points(person_id, "phone", phones)
        if "tags" in changes:
            await _set_tags(person_id, clean_tags(changes["tags"]))
        values[PersonRow.updated_at] = now()
        await PersonRow.update(values).where(PersonRow.id == person_id)
        await refresh_search_text([person_id])
        await audit.record(actor, "person.update", "person", person_id, {"fields": sorted(changes)})
        if IDENTIFYING & changes.keys():
            await _ask_for_dedupe_scan(actor)
        row = await visible_row(actor, person_id)
    return await to_schema(row)


async def _require_identity_after(
    person_id: int,
    row: dict[str, Any],
    changes: dict[str, Any],
    emails: list[str] | None,
    phones: list[str] | None,
) -> None:
    """A change may not leave someone without a name, e-mail address or phone number."""
    names = tuple(str(changes.get(k, row[k]) or "") for k in ("first_name", "infix", "last_name"))
    if emails is None or phones is None:
        have = await ContactPoint.select(ContactPoint.kind).where(ContactPoint.person == person_id)
        kinds = {p["kind"] for p in have}
        emails = emails if emails is not None else (["kept"] if "email" in kinds else [])
        phones = phones if phones is not None else (["kept"] if "phone" in kinds else [])
    _require_identity((names[0], names[1], names[2]), emails, phones)


# --- interactions -----------------------------------------------------------------


def _interaction(row: dict[str, Any]) -> Interaction:
    return Interaction(
        id=row["id"],
        person_id=row["person"],
        at=row["at"],
        channel=row["channel"],
        direction=row["direction"],
        kind=row["kind"],
        subject=row["subject"],
        notes=row["notes"],
        value_adding=row["value_adding"],
        staff_id=row["staff"],
    )


async def do_add_interaction(actor: Actor, person_id: int, data: InteractionCreate) -> Interaction:
    async with db.transaction():
        await visible_row(actor, person_id)
        at = data.at or now()
        row = InteractionRow(
            person=person_id,
            at=at,
            channel=data.channel,
            direction=data.direction,
            kind=data.kind,
            subject=data.subject,
            notes=data.notes,
            value_adding=data.value_adding,
            staff=actor.user_id,
        )
        await row.save()
        await PersonRow.update({PersonRow.last_contact_at: at}).where(
            (PersonRow.id == person_id)
            & (PersonRow.last_contact_at.is_null() | (PersonRow.last_contact_at < at))
        )
        if data.value_adding:
            await PersonRow.update({PersonRow.last_touch_at: at}).where(
                (PersonRow.id == person_id)
                & (PersonRow.last_touch_at.is_null() | (PersonRow.last_touch_at < at))
            )
        await audit.record(
            actor, "interaction.create", "person", person_id, {"channel": data.channel}
        )
    return _interaction(row.to_dict())


async def list_interactions(actor: Actor, person_id: int) -> list[Interaction]:
    await read_row(actor, person_id, "interactions")
    rows = (
        await InteractionRow.select()
        .where(InteractionRow.person == person_id)
        .order_by(InteractionRow.at, ascending=False)
    )
    return [_interaction(r) for r in rows]


def json_list(value: Any) -> list[Any]:
    return list(json.loads(value) if isinstance(value, str) else value or [])


async def refresh_search_text(person_ids: list[int]) -> None:
    """Recompute ``search_text`` from the rows and contact points (imports, merges, backfill)."""
    from achterban.platform import bulk as fast

    if not person_ids:
        return
    rows = await fast.select_in(
        PersonRow, ["id", "first_name", "infix", "last_name", "postcode", "city"],
        {"id": person_ids}, "erased_at IS NULL",
    )  # fmt: skip
    points: dict[int, dict[str, list[str]]] = {r["id"]: {"email": [], "phone": []} for r in rows}
    for point in await fast.select_in(
        ContactPoint, ["person", "kind", "value"], {"person": list(points)}
    ):
        points[point["person"]].setdefault(point["kind"], []).append(point["value"])
    await fast.update(PersonRow, [
        {"id": r["id"], "search_text": normalise.search_text(
            r["first_name"], r["infix"], r["last_name"], points[r["id"]]["email"],
            points[r["id"]]["phone"], r["postcode"], r["city"],
        )}
        for r in rows
    ])  # fmt: skip
