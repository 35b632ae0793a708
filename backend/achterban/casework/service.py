"""Cases: intake (public, staff, batch), routing with a stored reason, the lifecycle,
the case log and tasks. Every read and write is audited; scope is in ``scope.py``, what
the pages read in ``views.py`` (its reads are named here too, for other domains)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from achterban.audit import service as audit
from achterban.casework import routing, rules, scope, staff
from achterban.casework.schemas import Case, CaseCreate
from achterban.casework.scope import office_case, visible_case
from achterban.casework.tables import Case as CaseRow
from achterban.casework.tables import CaseEvent as EventRow
from achterban.casework.tables import CaseTask as TaskRow
from achterban.casework.tables import RoutingDecision
from achterban.casework.views import (
    _json,
    cases_of_person,
    now,
    read_case,
    read_constituent,
    to_schema,
)
from achterban.districts import service as districts
from achterban.people import normalise
from achterban.people import scope as people_scope
from achterban.people import service as people
from achterban.people.schemas import PersonCreate
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _


def new_reference() -> str:
    return f"C-{secrets.token_hex(4).upper()}"


REFERENCE = re.compile(r"C-[0-9A-F]{8}")


async def constituents_with_reference(actor: Actor, text: str) -> list[int]:
    """The constituent of the case whose reference ``text`` is (as shown on the case, in
    any case), for those who read that case's contents: its own office and administrators.
    Nobody for anyone else, or when ``text`` is no reference. The people search finds them
    by it (wired in by ``wiring.py``); a merged-away constituent is found as the survivor."""
    reference = text.strip().upper()
    if not REFERENCE.fullmatch(reference):
        return []
    clause = (CaseRow.reference == reference) & CaseRow.person.is_not_null()
    own = scope.office_where(actor)
    rows = await CaseRow.select(
        CaseRow.person, CaseRow.person.merged_into.as_alias("survivor")
    ).where(clause & own if own is not None else clause)
    return [r["survivor"] or r["person"] for r in rows]


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
        match = await people.with_email(email)
        # a known address outside the actor's scope is a new record: the answer tells nothing
        if match is not None and await people.sees(actor, match):
            return match
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


log_event = _log  # for casework's own modules (the handover of an office)


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
    return await to_schema(
        actor, {**row, **{"office": office_id, "status": "triaged", "district": allowed[office_id]}}
    )


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
    if not rows:
        audit.nothing_shown()
    return len(rows)


__all__ = [
    "cases_of_person", "now", "office_case", "read_case", "read_constituent", "visible_case",
]  # fmt: skip


async def open_references(office_id: int) -> list[str]:
    """The references of an office's open cases (before it can be deactivated)."""
    rows = await CaseRow.select(CaseRow.reference).where(
        (CaseRow.office == office_id) & CaseRow.status.is_in(list(rules.OPEN))
    )
    return [r["reference"] for r in rows]
