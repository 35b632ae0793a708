"""Offices, their staff and the caseworkers' topic specialisms; set up by an admin."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import date
from typing import Any, Literal

import msgspec

from achterban.audit import service as audit
from achterban.districts import seats
from achterban.districts.tables import CaseworkerTopic, Jurisdiction, Office, Representative
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.schemas import Input
from achterban.users.tables import StaffUser

# The topics a caseworker can specialise in are casework's (casework.rules.topics), and
# casework sits above districts: the catalogue is handed down (wiring.py), not imported.
TOPICS: list[Callable[[], Collection[str]]] = []
# The references of an office's open cases (casework.service.open_references), likewise.
OPEN_CASES: list[Callable[[int], Awaitable[list[str]]]] = []

Kind = Literal["district", "capitol", "municipal", "branch"]
# the chamber of an office's representative, by the kind of jurisdiction it serves
CHAMBERS = {"municipality": "council", "congressional_district": "house", "state": "senate",
            "province": "states", "country": "parliament"}  # fmt: skip


class StaffRef(msgspec.Struct, kw_only=True):
    id: int
    name: str
    role: str
    topics: list[str]


class OfficeOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    address: str
    phone: str
    representative: str
    district: str
    staff: list[StaffRef]
    kind: str = "district"
    active: bool = True
    jurisdiction_name: str = ""
    party: str = ""
    # the term of whom it serves ended: nothing passes to a successor by itself; the open
    # cases (their references) wait for a decision each, and its staff for a review
    term_ended: date | None = None
    open_cases: list[str] = []
    # the seat it serves (chamber and area code) and what became of it: held, new_holder,
    # vacant, or gone (the new map has no such area); the successor's active offices
    seat_chamber: str = ""
    seat: str = ""
    seat_status: str = "held"
    successor_offices: list[int] = []


class OfficeCreate(Input):
    """An office for a representative, a council group or a branch, serving one jurisdiction
    (its code: ``NL-GM0034`` for Almere, ``US-NY-12`` for a House district)."""

    name: str
    jurisdiction: str
    representative: str  # who the office serves: a member, or the council group's leader
    kind: Kind = "municipal"
    party: str = ""
    address: str = ""
    phone: str = ""


class OfficeUpdate(Input):
    name: str | msgspec.UnsetType = msgspec.UNSET
    kind: Kind | msgspec.UnsetType = msgspec.UNSET
    address: str | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class JurisdictionOut(msgspec.Struct, kw_only=True):
    code: str
    name: str
    kind: str


class TopicAssignment(Input):
    user_id: int
    topic: str


def current(on: date) -> Any:
    """Jurisdictions of the map in force on ``on`` (a map loaded for a later date is not)."""
    return (Jurisdiction.valid_from <= on) & (
        Jurisdiction.valid_to.is_null() | (Jurisdiction.valid_to >= on)
    )


async def _visible(actor: Actor, office_id: int) -> dict:  # type: ignore[type-arg]
    row = await Office.select().where(Office.id == office_id).first()
    if row is None or not (actor.has("*") or actor.office_id == office_id):
        raise Problem(404, _("No such office."), kind="not-found")
    return row


async def describe(actor: Actor, office_id: int) -> OfficeOut:
    return (await _described([await _visible(actor, office_id)]))[0]


async def _described(rows: list[dict[str, Any]]) -> list[OfficeOut]:
    """The offices of ``rows`` with whom they serve, their area and staff: a few queries for
    all of them, not a round per office."""
    office_ids = [r["id"] for r in rows] or [0]
    rep_ids = [r["representative"] for r in rows if r["representative"]] or [0]
    reps = {
        r["id"]: r for r in await Representative.select().where(Representative.id.is_in(rep_ids))
    }
    area_ids = [r["jurisdiction"] for r in reps.values()] or [0]
    areas = {
        r["id"]: r
        for r in await Jurisdiction.select(
            Jurisdiction.id, Jurisdiction.code, Jurisdiction.name
        ).where(Jurisdiction.id.is_in(area_ids))
    }
    topics: dict[tuple[int, int], list[str]] = {}
    for t in await CaseworkerTopic.select().where(CaseworkerTopic.office.is_in(office_ids)):
        topics.setdefault((t["office"], t["user_id"]), []).append(t["topic"])
    staff: dict[int, list[StaffRef]] = {}
    for u in await StaffUser.select(
        StaffUser.id, StaffUser.name, StaffUser.role, StaffUser.office_id
    ).where(StaffUser.office_id.is_in(office_ids)):
        office = int(u["office_id"])
        staff.setdefault(office, []).append(StaffRef(
            id=u["id"], name=u["name"], role=u["role"],
            topics=sorted(topics.get((office, u["id"]), [])),
        ))  # fmt: skip
    served = await seats.seats(rows)
    result = []
    for row in rows:
        rep = reps.get(row["representative"]) if row["representative"] else None
        area = areas.get(rep["jurisdiction"]) if rep else None
        seat = served.get(row["id"])
        ended = seat.ended if seat else None
        result.append(OfficeOut(
            id=row["id"], name=row["name"], address=row["address"], phone=row["phone"],
            representative=rep["name"] if rep else "", district=area["code"] if area else "",
            kind=row["kind"], active=bool(row["active"]),
            jurisdiction_name=area["name"] if area else "", party=rep["party"] if rep else "",
            staff=staff.get(row["id"], []), term_ended=ended,
            open_cases=await OPEN_CASES[0](row["id"]) if ended and OPEN_CASES else [],
            seat_chamber=seat.chamber if seat else "", seat=seat.code if seat else "",
            seat_status=seat.status if seat else "held",
            successor_offices=list(seat.successor_offices) if seat else [],
        ))  # fmt: skip
    return result


async def listed(actor: Actor) -> list[OfficeOut]:
    """Every office for those who set offices up; otherwise :func:`staffed`."""
    if not actor.has("offices.manage"):
        return await staffed(actor)
    return await _described(await Office.select().order_by(Office.name))


async def staffed(actor: Actor) -> list[OfficeOut]:
    """Offices with staff (an office-bound user sees only their own)."""
    ids = {
        r["office_id"]
        for r in await StaffUser.select(StaffUser.office_id).where(
            StaffUser.office_id.is_not_null()
        )
    }
    if not actor.has("*"):
        ids &= {actor.office_id} if actor.office_id is not None else set()
    # an account may name an office that is not (or no longer) there: not an office to list
    rows = await Office.select().where(Office.id.is_in(list(ids or {0}))).order_by(Office.id)
    return await _described(rows)


async def do_assign_topic(actor: Actor, office_id: int, data: TopicAssignment) -> OfficeOut:
    if not TOPICS:
        raise RuntimeError("the topic catalogue is not wired (achterban.wiring.connect)")
    if data.topic not in TOPICS[0]():
        raise Problem(400, _("Unknown topic {topic}."), kind="validation", values={"topic": data.topic},  # noqa: E501
                      errors=[{"key": "topic", "message": "unknown"}])  # fmt: skip
    async with db.transaction():
        await _visible(actor, office_id)
        user = (
            await StaffUser.select(StaffUser.office_id).where(StaffUser.id == data.user_id).first()
        )
        if user is None or user["office_id"] != office_id:
            raise Problem(409, _("That user does not work at this office."), kind="conflict")
        await CaseworkerTopic.delete().where(
            (CaseworkerTopic.office == office_id) & (CaseworkerTopic.topic == data.topic)
        )
        await CaseworkerTopic(office=office_id, user_id=data.user_id, topic=data.topic).save()
        await audit.record(
            actor, "office.topic", "office", office_id, {"user": data.user_id, "topic": data.topic}
        )
    return await describe(actor, office_id)


def _unknown_area(code: str) -> Problem:
    return Problem(
        400, _("No current jurisdiction has the code {code}."), kind="validation",
        values={"code": code},
        errors=[{"key": "jurisdiction", "message": _("Pick the area from the list.")}],
    )  # fmt: skip


async def do_create_office(actor: Actor, data: OfficeCreate) -> OfficeOut:
    """A new office and the representative it serves, for a current jurisdiction."""
    code = data.jurisdiction.strip()
    today = date.today()
    # the area of the map in force, or of a map loaded for a later date (a municipality
    # that a merger creates gets its council office before its first day)
    area = (
        await Jurisdiction.select()
        .where((Jurisdiction.code == code) & (current(today) | (Jurisdiction.valid_from > today)))
        .order_by(Jurisdiction.valid_from)
        .first()
    )
    if area is None:
        raise _unknown_area(code)
    missing = [k for k in ("name", "representative") if not getattr(data, k).strip()]
    if missing:
        raise Problem(
            400, _("An office needs a name and the representative it serves."), kind="validation",
            errors=[{"key": k, "message": _("Fill this in.")} for k in missing],
        )  # fmt: skip
    async with db.transaction():
        rep = Representative(
            external_id=f"office:{code}:{today.isoformat()}"[:40], name=data.representative.strip(),
            chamber=CHAMBERS.get(area["kind"], "council"), party=data.party.strip(),
            jurisdiction=area["id"], valid_from=today,
        )  # fmt: skip
        await rep.save()
        office = Office(
            name=data.name.strip(), representative=rep.id, address=data.address.strip(),
            phone=data.phone.strip(), kind=data.kind, active=1,
        )  # fmt: skip
        await office.save()
        after = {"name": office.name, "kind": data.kind, "jurisdiction": code,
                 "representative": rep.name, "party": rep.party}  # fmt: skip
        await audit.record(actor, "office.create", "office", office.id, {"after": after})
        db.after_commit(_map_changed)
    return await describe(actor, int(office.id))


async def do_update_office(actor: Actor, office_id: int, data: OfficeUpdate) -> OfficeOut:
    """Change an office; deactivating one with open cases is refused, listing them."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    async with db.transaction():
        row = await _visible(actor, office_id)
        if changes.get("active") is False and row["active"]:
            if not OPEN_CASES:
                raise RuntimeError("open cases are not wired (achterban.wiring.connect)")
            open_cases = await OPEN_CASES[0](office_id)
            if open_cases:
                raise Problem(
                    409, _("This office still has {count} open cases: move or close them first."),
                    kind="conflict", values={"count": len(open_cases)}, open_cases=open_cases,
                )  # fmt: skip
        values: dict[Any, Any] = {}
        for name, value in changes.items():
            values[getattr(Office, name)] = int(value) if name == "active" else value
        if values:
            await Office.update(values).where(Office.id == office_id)
        logged = {k: {"before": bool(row[k]) if k == "active" else row[k], "after": v}
                  for k, v in changes.items()}  # fmt: skip
        await audit.record(actor, "office.update", "office", office_id, logged)
        db.after_commit(_map_changed)
    return await describe(actor, office_id)


async def _map_changed() -> None:
    """Routing reads offices through the district map's cache: build it anew."""
    from achterban.districts import loaders

    loaders.invalidate()


async def jurisdictions(q: str, kind: str | None, limit: int = 30) -> list[JurisdictionOut]:
    """Current jurisdictions whose name or code starts a word of ``q`` (for a picker)."""
    today = date.today()
    query = Jurisdiction.select(Jurisdiction.code, Jurisdiction.name, Jurisdiction.kind).where(
        current(today) | (Jurisdiction.valid_from > today)
    )
    if kind:
        query = query.where(Jurisdiction.kind == kind)
    if q.strip():
        term = q.strip().replace("%", "").replace("_", "")
        pg = db.is_postgres()  # SQLite's LIKE ignores case already, and it has no ILIKE
        name = Jurisdiction.name.ilike if pg else Jurisdiction.name.like
        code = Jurisdiction.code.ilike if pg else Jurisdiction.code.like
        query = query.where(name(f"{term}%") | code(f"%{term}%"))
    rows = await query.order_by(Jurisdiction.name).limit(limit * 2)
    # an area of today's map and of a later one is one area to pick
    unique = {r["code"]: r for r in reversed(rows)}
    return sorted((JurisdictionOut(**r) for r in unique.values()), key=lambda j: j.name)[:limit]


class DataVersion(msgspec.Struct, kw_only=True):
    """One loaded version of a map or a parliament: what, from which file, from when."""

    what: str  # a kind of area (municipality, congressional_district…) or a chamber
    source: str
    valid_from: date
    valid_to: date | None
    count: int
    current: bool


def _rep_source(external_id: str) -> str:
    """Where a representative came from: a loaded file, or "" when entered in Achterban."""
    if external_id.startswith(("hand:", "office:")):
        return ""
    return "nl-council" if external_id.startswith("nl:") else "legislators"


async def data_versions(on: date | None = None) -> list[DataVersion]:
    """Every loaded map version and parliament, newest first, and which is current."""
    on = on or date.today()
    found: dict[tuple[str, str, date, date | None], int] = {}
    for r in await Jurisdiction.select(
        Jurisdiction.kind, Jurisdiction.source, Jurisdiction.valid_from, Jurisdiction.valid_to
    ):
        key = (r["kind"], r["source"], r["valid_from"], r["valid_to"])
        found[key] = found.get(key, 0) + 1
    for r in await Representative.select(
        Representative.chamber, Representative.external_id, Representative.valid_from,
        Representative.valid_to,
    ):  # fmt: skip
        key = (r["chamber"], _rep_source(r["external_id"]), r["valid_from"], r["valid_to"])
        found[key] = found.get(key, 0) + 1
    versions = [
        DataVersion(what=what, source=source, valid_from=start, valid_to=end, count=count,
                    current=start <= on and (end is None or end >= on))
        for (what, source, start, end), count in found.items()
    ]  # fmt: skip
    return sorted(versions, key=lambda v: (v.what, v.valid_from), reverse=True)


Chamber = Literal["house", "senate", "council", "alderman", "mayor", "states", "parliament"]


class RepresentativeOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    chamber: str
    party: str
    jurisdiction: str
    valid_from: date
    valid_to: date | None
    current: bool


class RepresentativeCreate(Input):
    jurisdiction: str
    name: str
    chamber: Chamber
    valid_from: date
    party: str = ""
    valid_to: date | None = None


class RepresentativeUpdate(Input):
    name: str | msgspec.UnsetType = msgspec.UNSET
    party: str | msgspec.UnsetType = msgspec.UNSET
    valid_from: date | msgspec.UnsetType = msgspec.UNSET  # a corrected start of the term
    valid_to: date | msgspec.UnsetType | None = msgspec.UNSET


def _rep_out(row: dict[str, Any], code: str) -> RepresentativeOut:
    today = date.today()
    return RepresentativeOut(
        id=row["id"], name=row["name"], chamber=row["chamber"], party=row["party"],
        jurisdiction=code, valid_from=row["valid_from"], valid_to=row["valid_to"],
        current=row["valid_from"] <= today and (row["valid_to"] or today) >= today,
    )  # fmt: skip


async def representatives(code: str) -> list[RepresentativeOut]:
    """Everyone who holds or held a seat for the jurisdiction ``code``, newest first."""
    ids = [
        r["id"] for r in await Jurisdiction.select(Jurisdiction.id).where(Jurisdiction.code == code)
    ]
    rows = await Representative.select().where(Representative.jurisdiction.is_in(ids or [0]))
    return sorted(
        (_rep_out(r, code) for r in rows), key=lambda r: (r.valid_from, r.name), reverse=True
    )


def _bad_term(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise Problem(
            400, _("The term needs a start, and an end after it."), kind="validation",
            errors=[{"key": "valid_to", "message": _("Pick a date after the start.")}],
        )  # fmt: skip


async def do_add_representative(actor: Actor, data: RepresentativeCreate) -> RepresentativeOut:
    """A representative entered by hand (a council member between two files, say)."""
    code = data.jurisdiction.strip()
    area = (
        await Jurisdiction.select()
        .where(Jurisdiction.code == code)
        .order_by(Jurisdiction.valid_from, ascending=False)
        .first()
    )
    if area is None:
        raise _unknown_area(code)
    if not data.name.strip():
        raise Problem(400, _("The name is empty."), kind="validation",
                      errors=[{"key": "name", "message": _("Fill this in.")}])  # fmt: skip
    _bad_term(data.valid_from, data.valid_to)
    async with db.transaction():
        rep = Representative(
            external_id=f"hand:{code}:{data.valid_from.isoformat()}"[:40], name=data.name.strip(),
            chamber=data.chamber, party=data.party.strip(), jurisdiction=area["id"],
            valid_from=data.valid_from, valid_to=data.valid_to,
        )  # fmt: skip
        await rep.save()
        after = {"name": rep.name, "chamber": rep.chamber, "party": rep.party, "jurisdiction": code,
                 "valid_from": data.valid_from, "valid_to": data.valid_to}  # fmt: skip
        await audit.record(
            actor, "representative.create", "representative", rep.id, {"after": after}
        )
        db.after_commit(_map_changed)
    return _rep_out(await _rep_row(int(rep.id)), code)


async def _rep_row(rep_id: int) -> dict[str, Any]:
    row = await Representative.select().where(Representative.id == rep_id).first()
    if row is None:
        raise Problem(404, _("No such representative."), kind="not-found")
    return row


async def do_update_representative(
    actor: Actor, rep_id: int, data: RepresentativeUpdate
) -> RepresentativeOut:
    """Change a representative by hand; ending a term is setting ``valid_to``."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    async with db.transaction():
        row = await _rep_row(rep_id)
        if "valid_to" in changes or "valid_from" in changes:
            _bad_term(changes.get("valid_from", row["valid_from"]),
                      changes.get("valid_to", row["valid_to"]))  # fmt: skip
        if changes:
            await Representative.update(
                {getattr(Representative, k): v for k, v in changes.items()}
            ).where(Representative.id == rep_id)
        logged = {k: {"before": row[k], "after": v} for k, v in changes.items()}
        await audit.record(actor, "representative.update", "representative", rep_id, logged)
        db.after_commit(_map_changed)
    row = await _rep_row(rep_id)
    code = await Jurisdiction.select(Jurisdiction.code).where(
        Jurisdiction.id == row["jurisdiction"]
    )
    return _rep_out(row, code[0]["code"] if code else "")
