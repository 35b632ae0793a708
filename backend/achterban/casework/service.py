"""Cases: intake (public, staff, batch), routing with a stored reason, the lifecycle,
the case log and tasks. Every read and write is audited; scope is in ``scope.py``."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.casework import routing, rules, scope, staff
from achterban.casework.schemas import (
    Candidate,
    CandidateOffice,
    Case,
    CaseCreate,
    CaseDetail,
    CaseEvent,
    CaseTask,
    Constituent,
    ConstituentCase,
    Routing,
)
from achterban.casework.tables import Case as CaseRow
from achterban.casework.tables import CaseEvent as EventRow
from achterban.casework.tables import CaseTask as TaskRow
from achterban.casework.tables import RoutingDecision
from achterban.districts import service as districts
from achterban.people import normalise
from achterban.people import service as people
from achterban.people.schemas import PersonCreate
from achterban.people import scope as people_scope
from achterban.people.tables import ContactPoint
from achterban.people.tables import Person as PersonRow
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
        if match:
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
    if people_scope.reaches_nobody(actor):  # office staff without an office create nothing
        raise Problem(403, _("Your account has no office yet."), kind="out-of-scope")
    check_topic(data.topic)
    resolution = await districts.resolve(data.address)
    choices, candidates = await routing.choices(resolution)
    routed = rules.route(choices, data.topic, resolution.ambiguous, resolution.reason)
    stamp = now()
    async with db.transaction():
        person_id = await _person_for(actor, data)
        case = CaseRow(
            reference=f"C-{secrets.token_hex(4).upper()}",
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
        await _log(
            case.id,
            actor,
            "routing",
            routed.reason,
            {
                "status": routed.status,
                "code": routed.code,
                "district": routed.district,
                "office_id": routed.office_id,
                "assignee_id": routed.assignee_id,
                "count": routed.count or len(candidates),
            },
        )
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


async def office_case(actor: Actor, case_id: int) -> dict[str, Any]:
    """A case whose contents the actor works on: their own office's (404 for anyone else,
    triage staff of an unrouted case included)."""
    row = await visible_case(actor, case_id)
    if not scope.sees_contents(actor, row):
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
    clause = scope.office_where(actor)
    if clause is not None:
        query = query.where(clause)
    rows = await query.order_by(CaseRow.id)
    for row in rows:
        await audit.record(actor, "case.read", "case", row["id"], {"view": "person timeline"})
    return rows


def _routing_code(detail: dict[str, Any], reason: str) -> str:
    """The code of a routing entry; entries written before codes existed by their sentence."""
    if detail.get("code"):
        return str(detail["code"])
    if reason.startswith("triage: picked"):
        return "picked"
    if "no staffed office" in reason:
        return "no_office"
    if "offices could take" in reason:
        return "several_offices"
    if reason.startswith("triage:"):
        return "ambiguous"
    return "specialist" if "→ caseworker" in reason else "office_queue"


def _routing(
    detail: dict[str, Any], reason: str, people: dict[int, str], offices: dict[int, str]
) -> Routing:
    office_id = detail.get("office_id")
    assignee_id = detail.get("assignee_id")
    return Routing(
        code=_routing_code(detail, reason),
        district=str(detail.get("district") or ""),
        office_id=office_id,
        office_name=offices.get(office_id, "") if office_id is not None else "",
        assignee_id=assignee_id,
        assignee_name=people.get(assignee_id, "") if assignee_id is not None else "",
        count=int(detail.get("count") or 0),
    )


def _candidates(row: dict[str, Any], offices: dict[int, str]) -> list[Candidate]:
    return [
        Candidate(
            district=str(c.get("district") or ""),
            name=str(c.get("name") or ""),
            office_ids=list(c.get("office_ids") or []),
            offices=[
                CandidateOffice(id=o, name=offices.get(o, "")) for o in c.get("office_ids") or []
            ],
            note=str(c.get("note") or ""),
        )
        for c in _json(row["candidates"], [])
    ]


async def schemas(actor: Actor, rows: list[dict[str, Any]], group_size: int = 1) -> list[Case]:
    """Cases as the actor may see them; names and routing looked up once for all rows."""
    ids = [r["id"] for r in rows]
    last_routing: dict[int, dict[str, Any]] = {}
    if ids:
        for e in await (
            EventRow.select(EventRow.case, EventRow.body, EventRow.detail)
            .where(EventRow.case.is_in(ids) & (EventRow.kind == "routing"))
            .order_by(EventRow.id)
        ):
            last_routing[e["case"]] = e
    details = {k: _json(v["detail"], {}) for k, v in last_routing.items()}
    people = await staff.names(
        [r["assignee_id"] for r in rows] + [d.get("assignee_id") for d in details.values()]
    )
    office_ids: list[int | None] = [r["office"] for r in rows]
    office_ids += [d.get("office_id") for d in details.values()]
    office_ids += [o for r in rows for c in _json(r["candidates"], []) for o in c.get("office_ids") or []]
    offices = await staff.office_names(office_ids)
    contents = {r["id"]: scope.sees_contents(actor, r) for r in rows}
    person_ids = [r["person"] for r in rows if contents[r["id"]] and r["person"] is not None]
    names: dict[int, str] = {}
    if person_ids:
        for p in await PersonRow.select(
            PersonRow.id, PersonRow.first_name, PersonRow.infix, PersonRow.last_name
        ).where(PersonRow.id.is_in(person_ids)):
            names[p["id"]] = people_display_name(p)
    result = []
    for row in rows:
        seen = contents[row["id"]]
        event = last_routing.get(row["id"])
        result.append(
            Case(
                id=row["id"],
                reference=row["reference"],
                person_id=row["person"] if seen else None,
                constituent_name=names.get(row["person"], "") if seen else "",
                office_id=row["office"],
                office_name=offices.get(row["office"], "") if row["office"] else "",
                assignee_id=row["assignee_id"],
                assignee_name=people.get(row["assignee_id"], "") if row["assignee_id"] else "",
                status=row["status"],
                topic=row["topic"],
                topic_label=rules.topic_label(row["topic"]),
                subject=row["subject"] if seen else "",
                description=row["description"] if seen else "",
                address=row["address_raw"] if seen else "",
                district=row["district"],
                candidates=_candidates(row, offices),
                language=row["language"],
                channel=row["channel"],
                share_with_agencies=row["share_with_agencies"],
                sensitive=_json(row["sensitive"], {}) if seen else None,
                campaign_key=row["campaign_key"] if seen else "",
                group_size=group_size,
                due_at=row["due_at"],
                overdue=rules.is_overdue(row["status"], row["due_at"], now()),
                resolution=row["resolution"] if seen else "",
                created_at=row["created_at"],
                closed_at=row["closed_at"],
                routing_reason=event["body"] if event else "",
                routing=_routing(details[row["id"]], event["body"], people, offices)
                if event
                else None,
                contents=seen,
            )
        )
    return result


def people_display_name(row: dict[str, Any]) -> str:
    return people.display_name(row)


async def to_schema(actor: Actor, row: dict[str, Any], group_size: int = 1) -> Case:
    return (await schemas(actor, [row], group_size))[0]


async def _events(row: dict[str, Any], contents: bool) -> list[CaseEvent]:
    query = EventRow.select().where(EventRow.case == row["id"])
    if not contents:  # triage by party staff: how the case was routed, nothing it says
        query = query.where(EventRow.kind == "routing")
    events = await query.order_by(EventRow.id)
    detail = {e["id"]: _json(e["detail"], {}) for e in events}
    ids: list[int | None] = [e["actor_id"] for e in events]
    ids += [d.get("assignee_id") for d in detail.values()]
    ids += [d.get("to_assignee") for d in detail.values()]
    people = await staff.names(ids)
    offices = await staff.office_names([d.get("office_id") for d in detail.values()])
    result = []
    for e in events:
        d = detail[e["id"]]
        routed = e["kind"] == "routing"
        result.append(
            CaseEvent(
                id=e["id"],
                kind=e["kind"],
                direction=e["direction"],
                channel=e["channel"],
                # a routing entry's sentence is for the record; the SPA words its code
                body="" if routed else e["body"],
                actor_id=e["actor_id"],
                actor_name=people.get(e["actor_id"], "") if e["actor_id"] else "",
                at=e["at"],
                from_status=d.get("from"),
                to_status=d.get("to"),
                agency=str(d.get("agency") or ""),
                assignee_name=people.get(d.get("to_assignee"), "") if d.get("to_assignee") else "",
                consent=d.get("consent"),
                routing=_routing(d, e["body"], people, offices) if routed else None,
                detail=d,
            )
        )
    return result


async def _group_size(row: dict[str, Any]) -> int:
    """Identical messages among the case's own office's cases, never other offices'."""
    if row["office"] is None or not row["campaign_key"]:
        return 1
    return await CaseRow.count().where(
        (CaseRow.campaign_key == row["campaign_key"]) & (CaseRow.office == row["office"])
    )


async def read_case(actor: Actor, case_id: int) -> CaseDetail:
    """The case page's overview in one audited read."""
    row = await visible_case(actor, case_id)
    contents = scope.sees_contents(actor, row)
    view = None if contents else {"view": "triage"}
    await audit.record(actor, "case.read", "case", case_id, view)
    tasks = (
        await TaskRow.select().where(TaskRow.case == case_id).order_by(TaskRow.id)
        if contents
        else []
    )
    names = await staff.names([t["assignee_id"] for t in tasks])
    base = await to_schema(actor, row, await _group_size(row) if contents else 1)
    return CaseDetail(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        events=await _events(row, contents),
        tasks=[
            CaseTask(
                id=t["id"],
                title=t["title"],
                assignee_id=t["assignee_id"],
                assignee_name=names.get(t["assignee_id"], "") if t["assignee_id"] else "",
                due_at=t["due_at"],
                done_at=t["done_at"],
            )
            for t in tasks
        ],
        open_tasks=sum(1 for t in tasks if t["done_at"] is None),
        staff=await staff.of_office(row["office"]) if contents else [],
        may_triage=scope.triages(actor, row),
    )


async def read_constituent(actor: Actor, case_id: int) -> Constituent:
    """The constituent of one of the office's cases, wherever they live: name, contact
    points, address and their other cases of this office. Audited as a read of the person."""
    row = await office_case(actor, case_id)
    person = None
    if row["person"] is not None:
        person = await PersonRow.select().where(PersonRow.id == row["person"]).first()
        if person is not None and person["merged_into"] is not None:
            person = await PersonRow.select().where(PersonRow.id == person["merged_into"]).first()
    if person is None or person["erased_at"] is not None:
        raise Problem(404, _("This case has no constituent on record."), kind="not-found")
    points = await (
        ContactPoint.select(ContactPoint.kind, ContactPoint.value)
        .where(ContactPoint.person == person["id"])
        .order_by(ContactPoint.id)
    )
    own = CaseRow.office == row["office"] if row["office"] is not None else CaseRow.id == case_id
    cases = await (
        CaseRow.select(
            CaseRow.id, CaseRow.reference, CaseRow.subject, CaseRow.status, CaseRow.topic,
            CaseRow.created_at,
        )
        .where((CaseRow.person == person["id"]) & own)
        .order_by(CaseRow.id)
    )  # fmt: skip
    await audit.record(
        actor, "person.read", "person", person["id"], {"view": "case constituent", "case": case_id}
    )
    return Constituent(
        person_id=person["id"],
        name=people.display_name(person),
        emails=[p["value"] for p in points if p["kind"] == "email"],
        phones=[p["value"] for p in points if p["kind"] == "phone"],
        address=person["address_raw"],
        language=person["language"],
        cases=[ConstituentCase(**c) for c in cases],
    )


def _refuse_transition(current: str, target: str) -> Problem:
    return Problem(
        409,
        _("A case cannot go from {current} to {target}."),
        kind="transition",
        values={"current": current, "target": target},
    )


async def do_transition(
    actor: Actor,
    case_id: int,
    status: str,
    note: str = "",
    *,
    assignee_id: int | None = None,
    confirm_open_tasks: bool = False,
) -> None:
    async with db.transaction():
        row = await office_case(actor, case_id)
        if not rules.allowed(row["status"], status):
            raise _refuse_transition(row["status"], status)
        if status in ("assigned", "triaged", "waiting", "resolved") and row["office"] is None:
            raise Problem(409, _("Route the case to an office first."), kind="transition")
        if status == "closed" and not confirm_open_tasks:
            open_tasks = await TaskRow.count().where(
                (TaskRow.case == case_id) & TaskRow.done_at.is_null()
            )
            if open_tasks:
                raise Problem(
                    409,
                    _("This case has {count} open tasks. Close it anyway?"),
                    kind="open-tasks",
                    values={"count": open_tasks},
                    open_tasks=open_tasks,
                )
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
        if assignee_id is not None:
            values[CaseRow.assignee_id] = assignee_id
        elif status == "assigned" and row["assignee_id"] is None:
            values[CaseRow.assignee_id] = actor.user_id
        if status == "closed":
            values[CaseRow.closed_at] = stamp
        if row["status"] in ("resolved", "closed") and status in ("assigned", "triaged"):
            values[CaseRow.closed_at] = None
        await CaseRow.update(values).where(CaseRow.id == case_id)
        detail: dict[str, Any] = {"from": row["status"], "to": status}
        if status == "closed":
            detail["feedback"] = "requested"  # the feedback loop picks this up
        if assignee_id is not None:
            detail["to_assignee"] = assignee_id
        await _log(case_id, actor, "status", note, detail)
        await audit.record(actor, f"case.{status}", "case", case_id, detail)


async def do_assign(actor: Actor, case_id: int, assignee_id: int) -> None:
    """Give the case to a colleague of its office (from the office queue, or to another)."""
    async with db.transaction():
        row = await office_case(actor, case_id)
        if not await staff.is_colleague(row["office"], assignee_id):
            raise Problem(
                400,
                _("Assign the case to a colleague of its office."),
                kind="validation",
                errors=[{"key": "assignee_id", "message": "not a colleague of this office"}],
            )
        if row["status"] in ("new", "triaged"):
            await do_transition(actor, case_id, "assigned", assignee_id=assignee_id)
            return
        if row["status"] not in ("assigned", "waiting"):
            raise _refuse_transition(row["status"], "assigned")
        await CaseRow.update({CaseRow.assignee_id: assignee_id, CaseRow.updated_at: now()}).where(
            CaseRow.id == case_id
        )
        detail = {"from_assignee": row["assignee_id"], "to_assignee": assignee_id}
        await _log(case_id, actor, "assignment", "", detail)
        await audit.record(actor, "case.assign", "case", case_id, detail)


async def do_resume(actor: Actor, case_id: int) -> None:
    """The agency answered: the case is worked on again and its deadline moves on."""
    row = await office_case(actor, case_id)
    if row["status"] != "waiting":
        raise _refuse_transition(row["status"], "assigned")
    await do_transition(actor, case_id, "assigned", "resumed")


async def do_reopen(actor: Actor, case_id: int) -> None:
    row = await office_case(actor, case_id)
    if row["status"] not in ("resolved", "closed"):
        raise _refuse_transition(row["status"], "assigned")
    await do_transition(actor, case_id, "assigned", "reopened")


async def do_resolve(actor: Actor, case_id: int, resolution: str) -> None:
    async with db.transaction():
        await office_case(actor, case_id)
        await CaseRow.update({CaseRow.resolution: resolution}).where(CaseRow.id == case_id)
        await do_transition(actor, case_id, "resolved", resolution)


async def do_pick_route(actor: Actor, case_id: int, office_id: int) -> Case:
    """Triage: staff pick one of the stored candidates, never anything else."""
    async with db.transaction():
        row = await visible_case(actor, case_id)
        if not scope.triages(actor, row):
            raise Problem(409, _("This case is not waiting in triage."), kind="not-in-triage")
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
        detail = {"code": "picked", "district": allowed[office_id], "office_id": office_id}
        await _log(case_id, actor, "routing", reason, detail)
        await audit.record(actor, "case.route", "case", case_id, {"office": office_id})
        routed = await CaseRow.select().where(CaseRow.id == case_id).first()
    return await to_schema(actor, routed)


async def do_agency_consent(actor: Actor, case_id: int, given: bool, note: str = "") -> None:
    """Record that the constituent agreed (or withdrew) to share their details with agencies."""
    async with db.transaction():
        await office_case(actor, case_id)
        await CaseRow.update({CaseRow.share_with_agencies: given, CaseRow.updated_at: now()}).where(
            CaseRow.id == case_id
        )
        await _log(case_id, actor, "consent", note, {"consent": given})
        await audit.record(actor, "case.agency_consent", "case", case_id, {"given": given})


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
        row = await office_case(actor, case_id)
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
        if kind == "referral" and not row["share_with_agencies"]:
            raise Problem(
                400,
                _(
                    "The constituent has not agreed to share their details with agencies. "
                    "Record their consent first."
                ),
                kind="no-agency-consent",
                errors=[{"key": "agency", "message": "no consent to share with agencies"}],
            )
        await _log(
            case_id, actor, kind, body, {"agency": agency} if agency else {}, direction, channel
        )
        await CaseRow.update({CaseRow.updated_at: now()}).where(CaseRow.id == case_id)
        await audit.record(actor, f"case.{kind}", "case", case_id)


async def _check_task_assignee(row: dict[str, Any], assignee_id: int | None) -> None:
    if assignee_id is not None and not await staff.is_colleague(row["office"], assignee_id):
        raise Problem(
            400,
            _("A task goes to a colleague of the case's office."),
            kind="validation",
            errors=[{"key": "assignee_id", "message": "not a colleague of this office"}],
        )


async def do_add_task(
    actor: Actor, case_id: int, title: str, assignee_id: int | None, due_at: datetime | None
) -> None:
    async with db.transaction():
        row = await office_case(actor, case_id)
        await _check_task_assignee(row, assignee_id)
        await TaskRow(
            case=case_id, title=title, assignee_id=assignee_id, due_at=due_at, created_at=now()
        ).save()
        await audit.record(actor, "case.task", "case", case_id)


async def do_update_task(actor: Actor, case_id: int, task_id: int, done: bool) -> None:
    async with db.transaction():
        await office_case(actor, case_id)
        if not await TaskRow.exists().where((TaskRow.id == task_id) & (TaskRow.case == case_id)):
            raise Problem(404, _("No such task."), kind="not-found")
        await TaskRow.update({TaskRow.done_at: now() if done else None}).where(
            TaskRow.id == task_id
        )
        await audit.record(
            actor, "case.task_done" if done else "case.task_reopened", "case", case_id
        )


async def do_answer_group(actor: Actor, campaign_key: str, body: str, channel: str) -> int:
    """One answer to every case of a campaign group in the actor's own office."""
    where = CaseRow.campaign_key == campaign_key
    own = scope.office_where(actor)
    rows = await CaseRow.select(CaseRow.id).where(where & own if own is not None else where)
    async with db.transaction():
        for row in rows:
            await _log(
                row["id"], actor, "correspondence", body, {"group": campaign_key}, "out", channel
            )
            await audit.record(actor, "case.group_answer", "case", row["id"])
    return len(rows)
