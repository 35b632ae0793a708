"""Cases: intake (public, staff, batch), routing with a stored reason, the lifecycle,
the case log and tasks. Every read and write is audited; scope is in ``scope.py``."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.casework import routing, rules, scope
from achterban.casework.schemas import Case, CaseCreate, CaseDetail, CaseEvent, CaseTask
from achterban.casework.tables import Case as CaseRow
from achterban.casework.tables import CaseEvent as EventRow
from achterban.casework.tables import CaseTask as TaskRow
from achterban.casework.tables import RoutingDecision
from achterban.districts import service as districts
from achterban.people import normalise
from achterban.people import service as people
from achterban.people.schemas import PersonCreate
from achterban.people.tables import ContactPoint
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _


def now() -> datetime:
    return datetime.now(UTC)


def _json(value: Any, default: Any) -> Any:
    return (
        json.loads(value) if isinstance(value, str) else (value if value is not None else default)
    )


def new_reference() -> str:
    return f"C-{secrets.token_hex(4).upper()}"


def check_topic(topic: str) -> str:
    if topic not in rules.topics():
        raise Problem(
            400,
            _("Unknown topic {topic}."),
            kind="validation",
            values={"topic": topic},
            errors=[{"key": "topic", "message": f"one of {sorted(rules.topics())}"}],
        )
    return topic


async def _person_for(actor: Actor, data: CaseCreate) -> int | None:
    if data.person_id is not None:
        await people.visible_row(actor, data.person_id)
        return data.person_id
    if not data.email and not data.name:
        return None
    if data.email:
        try:
            email = normalise.normalise_email(data.email)
        except ValueError as exc:
            raise Problem(
                400,
                _("Not a valid e-mail address: {reason}"),
                kind="validation",
                values={"reason": str(exc)},
                errors=[{"key": "email", "message": str(exc)}],
            ) from exc
        match = (
            await ContactPoint.select(ContactPoint.person)
            .where((ContactPoint.kind == "email") & (ContactPoint.value == email))
            .first()
        )
        # a known address outside the actor's scope is a new record: the answer tells nothing
        if match and await people.sees(actor, int(match["person"])):
            return int(match["person"])
    first, infix, last = normalise.split_name(data.name)
    return await people.do_create_person(
        actor,
        PersonCreate(
            first_name=first,
            infix=infix,
            last_name=last,
            emails=[data.email] if data.email else [],
            address=data.address,
            language=data.language,
            source=f"case:{data.source}",
        ),
    )


async def do_create_case(actor: Actor, data: CaseCreate) -> CaseRow:
    """Create and route a case; the routing decision is stored with its reason."""
    check_topic(data.topic)
    resolution = await districts.resolve(data.address)
    choices, candidates = await routing.choices(resolution)
    routed = rules.route(choices, data.topic, resolution.ambiguous, resolution.reason)
    stamp = now()
    async with db.transaction():
        person_id = await _person_for(actor, data)
        case = CaseRow(
            reference=new_reference(),
            person=person_id,
            office=routed.office_id,
            assignee_id=routed.assignee_id,
            status=routed.status,
            topic=data.topic,
            subject=data.subject.strip()[:300],
            description=data.description,
            address_raw=data.address,
            district=routed.district or "",
            candidates=candidates,
            language=data.language,
            channel=data.channel,
            share_with_agencies=data.share_with_agencies,
            sensitive=data.sensitive,
            campaign_key=rules.campaign_key(data.subject, data.description),
            source=data.source,
            due_at=rules.due(stamp, data.topic),
            created_at=stamp,
            updated_at=stamp,
        )
        await case.save()
        await RoutingDecision(
            case=case.id,
            office_id=routed.office_id,
            assignee_id=routed.assignee_id,
            reason=routed.reason,
            candidates=candidates,
            actor_id=actor.user_id,
            at=stamp,
        ).save()
        await _log(case.id, actor, "routing", routed.reason, {"status": routed.status})
        await audit.record(actor, "case.create", "case", case.id, {"status": routed.status})
    return case


async def _log(
    case_id: int,
    actor: Actor,
    kind: str,
    body: str,
    detail: dict[str, Any] | None = None,
    direction: str = "",
    channel: str = "",
) -> None:
    await EventRow(
        case=case_id,
        kind=kind,
        direction=direction,
        channel=channel,
        body=body,
        detail=detail or {},
        actor_id=actor.user_id,
        at=now(),
    ).save()


async def visible_case(actor: Actor, case_id: int) -> dict[str, Any]:
    row = await CaseRow.select().where(CaseRow.id == case_id).first()
    if row is None or not scope.can_see(actor, row):
        raise Problem(404, _("No such case."), kind="not-found")
    return row


async def cases_of_person(actor: Actor, person_id: int) -> list[dict[str, Any]]:
    """The person's cases this actor may see (for their timeline); each read is audited."""
    if not actor.has("cases.read"):
        return []
    query = CaseRow.select(
        CaseRow.id, CaseRow.reference, CaseRow.subject, CaseRow.status, CaseRow.topic,
        CaseRow.created_at,
    ).where(CaseRow.person == person_id)  # fmt: skip
    clause = scope.visible_where(actor)
    if clause is not None:
        query = query.where(clause)
    rows = await query.order_by(CaseRow.id)
    for row in rows:
        await audit.record(actor, "case.read", "case", row["id"], {"view": "person timeline"})
    return rows


async def to_schema(actor: Actor, row: dict[str, Any], group_size: int = 1) -> Case:
    decision = (
        await RoutingDecision.select(RoutingDecision.reason)
        .where(RoutingDecision.case == row["id"])
        .order_by(RoutingDecision.id, ascending=False)
        .first()
    )
    return Case(
        id=row["id"],
        reference=row["reference"],
        person_id=row["person"],
        office_id=row["office"],
        assignee_id=row["assignee_id"],
        status=row["status"],
        topic=row["topic"],
        subject=row["subject"],
        description=row["description"],
        address=row["address_raw"],
        district=row["district"],
        candidates=_json(row["candidates"], []),
        language=row["language"],
        channel=row["channel"],
        share_with_agencies=row["share_with_agencies"],
        sensitive=_json(row["sensitive"], {}) if scope.sees_sensitive(actor, row) else None,
        campaign_key=row["campaign_key"],
        group_size=group_size,
        due_at=row["due_at"],
        overdue=rules.is_overdue(row["status"], row["due_at"], now()),
        resolution=row["resolution"],
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        routing_reason=decision["reason"] if decision else "",
    )


async def read_case(actor: Actor, case_id: int) -> CaseDetail:
    row = await visible_case(actor, case_id)
    await audit.record(actor, "case.read", "case", case_id)
    events = await EventRow.select().where(EventRow.case == case_id).order_by(EventRow.id)
    tasks = await TaskRow.select().where(TaskRow.case == case_id).order_by(TaskRow.id)
    group = await CaseRow.count().where(CaseRow.campaign_key == row["campaign_key"])
    base = await to_schema(actor, row, group)
    return CaseDetail(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        events=[
            CaseEvent(
                id=e["id"],
                kind=e["kind"],
                direction=e["direction"],
                channel=e["channel"],
                body=e["body"],
                detail=_json(e["detail"], {}),
                actor_id=e["actor_id"],
                at=e["at"],
            )
            for e in events
        ],
        tasks=[
            CaseTask(
                id=t["id"],
                title=t["title"],
                assignee_id=t["assignee_id"],
                due_at=t["due_at"],
                done_at=t["done_at"],
            )
            for t in tasks
        ],
    )


async def do_transition(actor: Actor, case_id: int, status: str, note: str = "") -> None:
    async with db.transaction():
        row = await visible_case(actor, case_id)
        if not rules.allowed(row["status"], status):
            raise Problem(
                409,
                _("A case cannot go from {current} to {target}."),
                kind="transition",
                values={"current": row["status"], "target": status},
            )
        if status in ("assigned", "triaged", "waiting", "resolved") and row["office"] is None:
            raise Problem(409, _("Route the case to an office first."), kind="transition")
        stamp = now()
        values: dict[Any, Any] = {CaseRow.status: status, CaseRow.updated_at: stamp}
        if status == "waiting":
            values[CaseRow.paused_at] = stamp
        if row["status"] == "waiting" and row["paused_at"] is not None:
            values[CaseRow.due_at] = rules.resumed_due(row["due_at"], row["paused_at"], stamp)
            values[CaseRow.paused_seconds] = row["paused_seconds"] + int(
                (stamp - row["paused_at"]).total_seconds()
            )
            values[CaseRow.paused_at] = None
        if status == "assigned" and row["assignee_id"] is None:
            values[CaseRow.assignee_id] = actor.user_id
        if status == "closed":
            values[CaseRow.closed_at] = stamp
        if row["status"] in ("resolved", "closed") and status in ("assigned", "triaged"):
            values[CaseRow.closed_at] = None
        await CaseRow.update(values).where(CaseRow.id == case_id)
        detail = {"from": row["status"], "to": status}
        if status == "closed":
            detail["feedback"] = "requested"  # the feedback loop picks this up
        await _log(case_id, actor, "status", note, detail)
        await audit.record(actor, f"case.{status}", "case", case_id, detail)


async def do_resolve(actor: Actor, case_id: int, resolution: str) -> None:
    async with db.transaction():
        await visible_case(actor, case_id)
        await CaseRow.update({CaseRow.resolution: resolution}).where(CaseRow.id == case_id)
        await do_transition(actor, case_id, "resolved", resolution)


async def do_pick_route(actor: Actor, case_id: int, office_id: int) -> None:
    """Triage: staff pick one of the stored candidates, never anything else."""
    async with db.transaction():
        row = await visible_case(actor, case_id)
        candidates = _json(row["candidates"], [])
        allowed = {o: c["district"] for c in candidates for o in c.get("office_ids", [])}
        if office_id not in allowed:
            raise Problem(
                409, _("That office is not one of the candidates."), kind="not-a-candidate"
            )
        await CaseRow.update(
            {
                CaseRow.office: office_id,
                CaseRow.district: allowed[office_id],
                CaseRow.status: "triaged",
                CaseRow.updated_at: now(),
            }
        ).where(CaseRow.id == case_id)
        reason = f"triage: picked office {office_id} ({allowed[office_id]}) by {actor.label}"
        await RoutingDecision(
            case=case_id,
            office_id=office_id,
            reason=reason,
            candidates=candidates,
            actor_id=actor.user_id,
            at=now(),
        ).save()
        await _log(case_id, actor, "routing", reason)
        await audit.record(actor, "case.route", "case", case_id, {"office": office_id})


async def do_add_event(
    actor: Actor,
    case_id: int,
    kind: str,
    body: str,
    direction: str = "",
    channel: str = "",
    agency: str = "",
) -> None:
    async with db.transaction():
        await visible_case(actor, case_id)
        if kind == "correspondence" and direction not in ("in", "out"):
            raise Problem(
                400,
                _("Correspondence goes in or out."),
                kind="validation",
                errors=[{"key": "direction", "message": "in or out"}],
            )
        if kind == "referral" and not agency.strip():
            raise Problem(
                400,
                _("Name the agency."),
                kind="validation",
                errors=[{"key": "agency", "message": "required"}],
            )
        await _log(
            case_id, actor, kind, body, {"agency": agency} if agency else {}, direction, channel
        )
        await CaseRow.update({CaseRow.updated_at: now()}).where(CaseRow.id == case_id)
        await audit.record(actor, f"case.{kind}", "case", case_id)


async def do_add_task(
    actor: Actor, case_id: int, title: str, assignee_id: int | None, due_at: datetime | None
) -> None:
    async with db.transaction():
        await visible_case(actor, case_id)
        await TaskRow(
            case=case_id, title=title, assignee_id=assignee_id, due_at=due_at, created_at=now()
        ).save()
        await audit.record(actor, "case.task", "case", case_id)


async def do_update_task(actor: Actor, case_id: int, task_id: int, done: bool) -> None:
    async with db.transaction():
        await visible_case(actor, case_id)
        if not await TaskRow.exists().where((TaskRow.id == task_id) & (TaskRow.case == case_id)):
            raise Problem(404, _("No such task."), kind="not-found")
        await TaskRow.update({TaskRow.done_at: now() if done else None}).where(
            TaskRow.id == task_id
        )
        await audit.record(
            actor, "case.task_done" if done else "case.task_reopened", "case", case_id
        )


async def do_answer_group(actor: Actor, campaign_key: str, body: str, channel: str) -> int:
    """One answer to every case of a campaign group in the actor's reach."""
    where = CaseRow.campaign_key == campaign_key
    visible = scope.visible_where(actor)
    rows = await CaseRow.select(CaseRow.id).where(where & visible if visible is not None else where)
    async with db.transaction():
        for row in rows:
            await _log(
                row["id"], actor, "correspondence", body, {"group": campaign_key}, "out", channel
            )
            await audit.record(actor, "case.group_answer", "case", row["id"])
    return len(rows)
