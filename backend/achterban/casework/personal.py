"""The casework domain's part of a person: their cases, the case log, tasks and routing."""

from __future__ import annotations

from typing import Any

from achterban.casework.tables import Case, CaseEvent, CaseTask, RoutingDecision
from achterban.platform.personal import Identity, PersonData

ERASED_CASE: dict[Any, Any] = {
    Case.subject: "", Case.description: "", Case.address_raw: "", Case.sensitive: {},
    Case.resolution: "", Case.campaign_key: "",
}  # fmt: skip


async def merge(merged_id: int, survivor_id: int) -> None:
    await Case.update({Case.person: survivor_id}).where(Case.person == merged_id)


async def erase(who: Identity) -> None:
    """A case stays as a count per topic, office, status and dates; what the person told
    us, what we wrote down and did about it goes."""
    case_ids = [
        r["id"] for r in await Case.select(Case.id).where(Case.person.is_in(list(who.person_ids)))
    ]
    if not case_ids:
        return
    await Case.update(ERASED_CASE).where(Case.id.is_in(case_ids))
    await CaseEvent.update({CaseEvent.body: "", CaseEvent.detail: {}}).where(
        CaseEvent.case.is_in(case_ids)
    )
    await CaseTask.update({CaseTask.title: ""}).where(CaseTask.case.is_in(case_ids))
    for row in await RoutingDecision.select(RoutingDecision.id, RoutingDecision.reason).where(
        RoutingDecision.case.is_in(case_ids)
    ):
        await RoutingDecision.update({RoutingDecision.reason: who.scrub(row["reason"])}).where(
            RoutingDecision.id == row["id"]
        )


async def export(person_id: int) -> dict[str, Any]:
    cases = [
        {k: v for k, v in r.items() if k not in ("assignee_id", "candidates", "campaign_key")}
        for r in await Case.select().where(Case.person == person_id).order_by(Case.id)
    ]
    for case in cases:
        case["events"] = [
            dict(r)
            for r in await CaseEvent.select(
                CaseEvent.at, CaseEvent.kind, CaseEvent.direction, CaseEvent.channel,
                CaseEvent.body,
            ).where(CaseEvent.case == case["id"]).order_by(CaseEvent.at)
        ]  # fmt: skip
        case["tasks"] = [
            dict(r)
            for r in await CaseTask.select(
                CaseTask.title, CaseTask.due_at, CaseTask.done_at, CaseTask.created_at
            ).where(CaseTask.case == case["id"]).order_by(CaseTask.id)
        ]  # fmt: skip
    return {"cases": cases}


DATA = PersonData(
    "casework", ("casework_case", "case_event", "case_task", "routing_decision"),
    merge, erase, export,
    notes={"casework_case": "kept as a count per topic, office, status and dates",
           "case_event": "kept as a dated entry of its kind, without text",
           "case_task": "kept with its dates, without its title",
           "routing_decision": "kept with the districts and office, their values blanked"},
)  # fmt: skip
