"""When the seat an office serves changes hands: a recorded decision for each open case,
a review of each staff account. Nothing passes to a successor by itself.

Case files belong to the member and the constituent, not to the seat. So when the term of
an office's representative has ended (a newer parliament closed it, or an admin did) each
open case waits for one of two decisions, taken by an administrator or by the office's own
representative: **transfer** it to another office (the successor's, as a rule) once the
constituent has agreed — how they agreed is written down — or **close** it. Each decision is
written in the case's log, its routing history and the audit log. The office's staff
accounts are reviewed by an administrator: each is moved to another office or deactivated
(which ends its sessions and tokens).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from achterban.audit import service as audit
from achterban.casework import rules, service, staff
from achterban.casework.schemas import StaffMember
from achterban.casework.tables import Case as CaseRow
from achterban.casework.tables import RoutingDecision
from achterban.casework.views import now
from achterban.districts import service as districts
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.schemas import Input
from achterban.users import service as users
from achterban.users.schemas import UserUpdate


class HandoverCase(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    topic: str
    status: str
    opened: str  # the date it came in
    assignee: str


class OfficeChoice(msgspec.Struct, kw_only=True):
    id: int
    name: str
    successor: bool  # an office of the seat's holder now


class Handover(msgspec.Struct, kw_only=True):
    office_id: int
    office: str
    seat: str
    seat_status: str  # held, new_holder, vacant, gone
    term_ended: str | None
    cases: list[HandoverCase]
    staff: list[StaffMember]
    offices: list[OfficeChoice]  # where a case or an account may go: successors first


class CaseDecision(Input):
    reference: str
    decision: Literal["transfer", "close"]
    to_office: int | None = None
    consent: bool = False  # the constituent agreed to the transfer
    consent_how: str = ""  # how they agreed: "by phone on 4 January", say
    note: str = ""


class StaffDecision(Input):
    user_id: int
    decision: Literal["move", "deactivate"]
    to_office: int | None = None


async def _office(actor: Actor, office_id: int, *, cases: bool) -> Any:
    """The office whose seat changed hands, for an administrator (or, for its cases, for
    the office's own representative); 404 for anyone else, 409 while the seat is held."""
    own = actor.role == "representative" and actor.office_id == office_id
    if not (actor.has("offices.manage") or (cases and own)):
        raise Problem(404, _("No such office."), kind="not-found")
    office = await districts.describe_office(actor, office_id)
    if office.term_ended is None:
        raise Problem(
            409, _("The representative of this office still holds the seat."), kind="conflict"
        )
    return office


async def _choices(office: Any) -> list[OfficeChoice]:
    """Where a case or an account may go: the successor's offices, and any other active
    office that has staff to take it (a merger's new council group's office, say)."""
    successors = set(office.successor_offices)
    names = await districts.active_office_names(sorted(successors | await users.staffed_offices()))
    choices = [
        OfficeChoice(id=i, name=n, successor=i in successors)
        for i, n in names.items()
        if i != office.id
    ]
    return sorted(choices, key=lambda c: (not c.successor, c.name))


async def handover(actor: Actor, office_id: int) -> Handover:
    """What waits for a decision: the open cases (no contents), the staff, where to."""
    office = await _office(actor, office_id, cases=True)
    rows = await CaseRow.select(
        CaseRow.id, CaseRow.reference, CaseRow.topic, CaseRow.status, CaseRow.created_at,
        CaseRow.assignee_id,
    ).where((CaseRow.office == office_id) & CaseRow.status.is_in(list(rules.OPEN))).order_by(
        CaseRow.created_at
    )  # fmt: skip
    names = await staff.names([r["assignee_id"] for r in rows])
    await audit.record(actor, "office.handover", "office", office_id, {"cases": len(rows)})
    return Handover(
        office_id=office.id, office=office.name, seat=office.seat,
        seat_status=office.seat_status,
        term_ended=office.term_ended.isoformat() if office.term_ended else None,
        cases=[HandoverCase(
            id=r["id"], reference=r["reference"], topic=r["topic"], status=r["status"],
            opened=r["created_at"].date().isoformat(),
            assignee=names.get(r["assignee_id"], "") if r["assignee_id"] else "",
        ) for r in rows],
        staff=await staff.accounts_of(office_id) if actor.has("offices.manage") else [],
        offices=await _choices(office),
    )  # fmt: skip


def _field(key: str, message: str) -> Problem:
    return Problem(400, message, kind="validation", errors=[{"key": key, "message": message}])


async def decide_case(actor: Actor, office_id: int, data: CaseDecision) -> Handover:
    """Transfer (with the constituent's recorded consent) or close one open case."""
    office = await _office(actor, office_id, cases=True)
    row = await CaseRow.select().where(CaseRow.reference == data.reference.strip()).first()
    if row is None or row["office"] != office_id or row["status"] not in rules.OPEN:
        raise _field("reference", _("This office has no open case with that reference."))
    if data.decision == "close":
        async with db.transaction():
            note = data.note.strip() or _("Closed: the representative's term ended.")
            if not rules.allowed(row["status"], "closed"):  # worked on: resolved, then closed
                await service.do_transition(actor, row["id"], "resolved", note)
            await service.do_transition(actor, row["id"], "closed", note, confirm_open_tasks=True)
            await _logged(actor, row["id"], office, data, None)
        return await handover(actor, office_id)
    choices = {c.id: c for c in await _choices(office)}
    if data.to_office is None or data.to_office not in choices:
        raise _field("to_office", _("Pick the office the case goes to."))
    if not data.consent or not data.consent_how.strip():
        raise _field(
            "consent_how", _("A case moves only once the constituent agreed: note how and when.")
        )
    async with db.transaction():
        await CaseRow.update({
            CaseRow.office: data.to_office, CaseRow.assignee_id: None, CaseRow.status: "triaged",
            CaseRow.updated_at: now(),
        }).where(CaseRow.id == row["id"])  # fmt: skip
        reason = (
            f"handover: from office {office_id} to office {data.to_office}, the constituent "
            f"agreed ({data.consent_how.strip()}); decided by {actor.label}"
        )
        await RoutingDecision(
            case=row["id"], office_id=data.to_office, reason=reason, candidates=[],
            actor_id=actor.user_id, at=now(),
        ).save()  # fmt: skip
        await _logged(actor, row["id"], office, data, choices[data.to_office].name)
    return await handover(actor, office_id)


async def _logged(
    actor: Actor, case_id: int, office: Any, data: CaseDecision, to_name: str | None
) -> None:
    detail: dict[str, Any] = {
        "decision": data.decision, "from_office": office.id, "seat": office.seat,
        "seat_status": office.seat_status,
    }  # fmt: skip
    if data.decision == "transfer":
        detail |= {"to_office": data.to_office, "to_office_name": to_name,
                   "consent": {"given": True, "how": data.consent_how.strip()}}  # fmt: skip
    await service.log_event(case_id, actor, "handover", data.note.strip(), detail)
    await audit.record(actor, "case.handover", "case", case_id, detail)


async def review_staff(actor: Actor, office_id: int, data: StaffDecision) -> Handover:
    """Move a staff account of the office to another office, or deactivate it."""
    office = await _office(actor, office_id, cases=False)
    if data.user_id not in {s.id for s in await staff.accounts_of(office_id)}:
        raise _field("user_id", _("That user does not work at this office."))
    if data.decision == "move":
        choices = {c.id for c in await _choices(office)}
        if data.to_office is None or data.to_office not in choices:
            raise _field("to_office", _("Pick the office the account moves to."))
        change = UserUpdate(office_id=data.to_office)
    else:
        change = UserUpdate(active=False)
    async with db.transaction():
        await users.do_update_user(actor, data.user_id, change)
        await audit.record(actor, "office.staff_review", "office", office_id, {
            "user": data.user_id, "decision": data.decision, "to_office": data.to_office,
        })  # fmt: skip
    return await handover(actor, office_id)
