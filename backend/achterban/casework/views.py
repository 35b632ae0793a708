"""What the case pages read: a case as the actor may see it, the case page's one overview
(one audited read), the case log as structured entries, a case's constituent for its office."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.casework import rules, scope, staff
from achterban.casework.schemas import (
    Candidate,
    CandidateOffice,
    Case,
    CaseDetail,
    CaseEvent,
    CaseTask,
    Constituent,
    ConstituentCase,
    Routing,
)
from achterban.casework.scope import office_case, visible_case
from achterban.casework.tables import Case as CaseRow
from achterban.casework.tables import CaseEvent as EventRow
from achterban.casework.tables import CaseTask as TaskRow
from achterban.people import service as people_service
from achterban.people.tables import ContactPoint
from achterban.people.tables import Person as PersonRow
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _


def now() -> datetime:
    return datetime.now(UTC)


def _json(value: Any, default: Any) -> Any:
    """A JSON column's value (SQLite hands back text)."""
    return (
        json.loads(value) if isinstance(value, str) else (value if value is not None else default)
    )


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
    office_ids += [
        o for r in rows for c in _json(r["candidates"], []) for o in c.get("office_ids") or []
    ]
    offices = await staff.office_names(office_ids)
    contents = {r["id"]: scope.sees_contents(actor, r) for r in rows}
    person_ids = [r["person"] for r in rows if contents[r["id"]] and r["person"] is not None]
    names: dict[int, str] = {}
    if person_ids:
        for p in await PersonRow.select(
            PersonRow.id, PersonRow.first_name, PersonRow.infix, PersonRow.last_name
        ).where(PersonRow.id.is_in(person_ids)):
            names[p["id"]] = people_service.display_name(p)
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
        name=people_service.display_name(person),
        emails=[p["value"] for p in points if p["kind"] == "email"],
        phones=[p["value"] for p in points if p["kind"] == "phone"],
        address=person["address_raw"],
        language=person["language"],
        cases=[ConstituentCase(**c) for c in cases],
    )
