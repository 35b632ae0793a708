"""Offices, their staff and the caseworkers' topic specialisms."""

from __future__ import annotations

from collections.abc import Callable, Collection

import msgspec

from achterban.audit import service as audit
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


class TopicAssignment(Input):
    user_id: int
    topic: str


async def _visible(actor: Actor, office_id: int) -> dict:  # type: ignore[type-arg]
    row = await Office.select().where(Office.id == office_id).first()
    if row is None or not (actor.has("*") or actor.office_id == office_id):
        raise Problem(404, _("No such office."), kind="not-found")
    return row


async def describe(actor: Actor, office_id: int) -> OfficeOut:
    row = await _visible(actor, office_id)
    rep = None
    if row["representative"]:
        rep = (
            await Representative.select().where(Representative.id == row["representative"]).first()
        )
    district = ""
    if rep:
        found = (
            await Jurisdiction.select(Jurisdiction.code)
            .where(Jurisdiction.id == rep["jurisdiction"])
            .first()
        )
        district = found["code"] if found else ""
    topics: dict[int, list[str]] = {}
    for t in await CaseworkerTopic.select().where(CaseworkerTopic.office == office_id):
        topics.setdefault(t["user_id"], []).append(t["topic"])
    staff = await StaffUser.select(StaffUser.id, StaffUser.name, StaffUser.role).where(
        StaffUser.office_id == office_id
    )
    return OfficeOut(
        id=row["id"], name=row["name"], address=row["address"], phone=row["phone"],
        representative=rep["name"] if rep else "", district=district,
        staff=[StaffRef(id=s["id"], name=s["name"], role=s["role"],
                        topics=sorted(topics.get(s["id"], []))) for s in staff],
    )  # fmt: skip


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
    existing = {
        r["id"] for r in await Office.select(Office.id).where(Office.id.is_in(list(ids or {0})))
    }
    return [await describe(actor, office_id) for office_id in sorted(ids & existing)]


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
