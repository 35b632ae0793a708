from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from achterban.audit import service as audit
from achterban.casework import handover, inbox, intake, rules, service, staff, views
from achterban.casework.schemas import (
    AgencyConsent,
    Assign,
    Case,
    CaseCreate,
    CaseDetail,
    CasePage,
    CaseTopic,
    Close,
    Constituent,
    EventCreate,
    GroupAnswer,
    ImportResult,
    IntakeReceipt,
    PublicCase,
    Resolve,
    RoutePick,
    StaffMember,
    TaskCreate,
    TaskUpdate,
    Transition,
)
from achterban.platform.auth import Actor, no_personal_data, personal_data, public, requires
from achterban.platform.errors import Problem

READ, WRITE = [requires("cases.read")], [requires("cases.write")]
View = Literal["all", "mine", "office", "triage", "overdue"]


@post(
    "/api/public/cases",
    operation_id="submitCase",
    opt=public(),
    tags=["casework"],
    status_code=202,
    summary="The public case form (no login)",
)
async def submit_case(request: Request[Any, Any, Any], data: JSONBody[PublicCase]) -> IntakeReceipt:
    ip = request.client.host if request.client else None
    receipt = await intake.intake(data, ip)
    return receipt or IntakeReceipt(reference="", message="Thank you.")


@get(
    "/api/public/case-topics",
    operation_id="listCaseTopics",
    opt=public(),
    tags=["casework"],
    summary="The topics the public case form offers (no login)",
)
async def list_case_topics() -> list[CaseTopic]:
    """From campaigns/casework/topics.yaml, in its order; no personal data."""
    return [CaseTopic(code=code, label=rules.topic_label(code)) for code in rules.topics()]


class CaseController(Controller):
    path = "/api/cases"
    tags = ["casework"]

    @get("/", operation_id="listCases", opt=personal_data("case.list"), guards=READ)
    async def list_cases(
        self,
        actor: NamedDependency[Actor],
        view: FromQuery[View] = "all",
        status: FromQuery[str | None] = None,
        topic: FromQuery[str | None] = None,
        district: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> CasePage:
        return await inbox.inbox(
            actor,
            view=view,
            status=status,
            topic=topic,
            district=district,
            q=q,
            limit=limit,
            offset=offset,
        )

    @post("/", operation_id="createCase", opt=personal_data("case.create"), guards=WRITE)
    async def create_case(
        self, actor: NamedDependency[Actor], data: JSONBody[CaseCreate]
    ) -> CaseDetail:
        case = await service.do_create_case(actor, data)
        return await views.read_case(actor, case.id)

    @post(
        "/import",
        operation_id="importCases",
        opt=personal_data("case.create"),
        guards=WRITE,
        status_code=200,
    )
    async def import_cases(
        self, actor: NamedDependency[Actor], data: JSONBody[list[dict[str, Any]]]
    ) -> ImportResult:
        import msgspec

        created, errors = [], []
        for line, item in enumerate(data, start=1):
            try:
                case = await service.do_create_case(
                    actor, msgspec.convert({**item, "source": "import"}, CaseCreate)
                )
                created.append(case.reference)
            except (msgspec.ValidationError, Problem) as exc:
                errors.append({"line": line, "reason": str(exc)})
        if not created:
            audit.nothing_shown()
        return ImportResult(created=created, errors=errors)

    @get(
        "/export", operation_id="exportCases", opt=personal_data("case.export"), guards=READ,
        media_type="text/csv; charset=utf-8",
    )  # fmt: skip
    async def export_cases(self, actor: NamedDependency[Actor]) -> Response[bytes]:
        return Response(
            await inbox.export(actor),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="cases.csv"'},
        )

    @get("/{case_id:int}", operation_id="getCase", opt=personal_data("case.read"), guards=READ)
    async def get_case(self, actor: NamedDependency[Actor], case_id: FromPath[int]) -> CaseDetail:
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/transitions",
        operation_id="transitionCase",
        opt=personal_data("case.*"),
        guards=WRITE,
        status_code=200,
    )
    async def transition(
        self, actor: NamedDependency[Actor], case_id: FromPath[int], data: JSONBody[Transition]
    ) -> CaseDetail:
        await service.do_transition(actor, case_id, data.status, data.note)
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/events",
        operation_id="addCaseEvent",
        opt=personal_data("case.*"),
        guards=WRITE,
    )
    async def add_event(
        self, actor: NamedDependency[Actor], case_id: FromPath[int], data: JSONBody[EventCreate]
    ) -> CaseDetail:
        await service.do_add_event(
            actor, case_id, data.kind, data.body, data.direction, data.channel, data.agency
        )
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/tasks",
        operation_id="addCaseTask",
        opt=personal_data("case.task"),
        guards=WRITE,
    )
    async def add_task(
        self, actor: NamedDependency[Actor], case_id: FromPath[int], data: JSONBody[TaskCreate]
    ) -> CaseDetail:
        await service.do_add_task(actor, case_id, data.title, data.assignee_id, data.due_at)
        return await views.read_case(actor, case_id)

    @patch(
        "/{case_id:int}/tasks/{task_id:int}",
        operation_id="updateCaseTask",
        opt=personal_data("case.*"),
        guards=WRITE,
    )
    async def update_task(
        self,
        actor: NamedDependency[Actor],
        case_id: FromPath[int],
        task_id: FromPath[int],
        data: JSONBody[TaskUpdate],
    ) -> CaseDetail:
        await service.do_update_task(actor, case_id, task_id, data.done)
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/route",
        operation_id="routeCase",
        opt=personal_data("case.route"),
        guards=[requires("cases.triage")],
        status_code=200,
    )
    async def route(
        self, actor: NamedDependency[Actor], case_id: FromPath[int], data: JSONBody[RoutePick]
    ) -> Case:
        """The case as routed; party staff who triaged it see it no more after this."""
        return await service.do_pick_route(actor, case_id, data.office_id)

    @post(
        "/{case_id:int}/resolve",
        operation_id="resolveCase",
        opt=personal_data("case.*"),
        guards=WRITE,
        status_code=200,
    )
    async def resolve(
        self, actor: NamedDependency[Actor], case_id: FromPath[int], data: JSONBody[Resolve]
    ) -> CaseDetail:
        await service.do_resolve(actor, case_id, data.resolution)
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/close",
        operation_id="closeCase",
        opt=personal_data("case.*"),
        guards=WRITE,
        status_code=200,
    )
    async def close(
        self,
        actor: NamedDependency[Actor],
        case_id: FromPath[int],
        data: JSONBody[Close | None] = None,
    ) -> CaseDetail:
        """Closing a case with open tasks answers 409 (kind open-tasks) unless confirmed."""
        confirm = data.confirm_open_tasks if data is not None else False
        await service.do_transition(actor, case_id, "closed", confirm_open_tasks=confirm)
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/reopen",
        operation_id="reopenCase",
        opt=personal_data("case.*"),
        guards=WRITE,
        status_code=200,
    )
    async def reopen(self, actor: NamedDependency[Actor], case_id: FromPath[int]) -> CaseDetail:
        await service.do_reopen(actor, case_id)
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/resume",
        operation_id="resumeCase",
        opt=personal_data("case.*"),
        guards=WRITE,
        status_code=200,
    )
    async def resume(self, actor: NamedDependency[Actor], case_id: FromPath[int]) -> CaseDetail:
        """The agency answered: back to work, the deadline moved by the time waited."""
        await service.do_resume(actor, case_id)
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/assign",
        operation_id="assignCase",
        opt=personal_data("case.assign", "case.assigned"),
        guards=WRITE,
        status_code=200,
    )
    async def assign(
        self, actor: NamedDependency[Actor], case_id: FromPath[int], data: JSONBody[Assign]
    ) -> CaseDetail:
        await service.do_assign(actor, case_id, data.assignee_id)
        return await views.read_case(actor, case_id)

    @post(
        "/{case_id:int}/agency-consent",
        operation_id="recordAgencyConsent",
        opt=personal_data("case.agency_consent"),
        guards=WRITE,
        status_code=200,
    )
    async def agency_consent(
        self, actor: NamedDependency[Actor], case_id: FromPath[int], data: JSONBody[AgencyConsent]
    ) -> CaseDetail:
        await service.do_agency_consent(actor, case_id, data.given, data.note)
        return await views.read_case(actor, case_id)

    @get(
        "/{case_id:int}/constituent",
        operation_id="getCaseConstituent",
        opt=personal_data("person.read"),
        guards=READ,
    )
    async def constituent(
        self, actor: NamedDependency[Actor], case_id: FromPath[int]
    ) -> Constituent:
        """The constituent of a case of the actor's office, wherever they live (audited)."""
        return await views.read_constituent(actor, case_id)

    @get("/staff", operation_id="listCaseStaff", opt=no_personal_data(), guards=READ)
    async def list_staff(self, actor: NamedDependency[Actor]) -> list[StaffMember]:
        """The colleagues of the actor's office that cases and tasks can go to."""
        return await staff.of_office(actor.office_id)

    @post(
        "/groups/{campaign_key:str}/answer",
        operation_id="answerCaseGroup",
        opt=personal_data("case.group_answer"),
        guards=WRITE,
        status_code=200,
    )
    async def answer_group(
        self,
        actor: NamedDependency[Actor],
        campaign_key: FromPath[str],
        data: JSONBody[GroupAnswer],
    ) -> dict[str, int]:
        return {
            "answered": await service.do_answer_group(actor, campaign_key, data.body, data.channel)
        }


class HandoverController(Controller):
    """An office whose seat changed hands: a decision for each open case, a staff review."""

    path = "/api/offices/{office_id:int}/handover"
    tags = ["casework"]

    @get(
        "/", operation_id="getHandover", opt=personal_data("office.handover"), guards=READ,
        summary="The open cases and staff of an office whose representative's term ended",
    )  # fmt: skip
    async def get_handover(
        self, actor: NamedDependency[Actor], office_id: FromPath[int]
    ) -> handover.Handover:
        return await handover.handover(actor, office_id)

    @post(
        "/cases", operation_id="decideHandoverCase", status_code=200,
        opt=personal_data("office.handover"), guards=READ,
        summary="Transfer an open case (with the constituent's consent) or close it",
    )  # fmt: skip
    async def decide_case(
        self, actor: NamedDependency[Actor], office_id: FromPath[int],
        data: JSONBody[handover.CaseDecision],
    ) -> handover.Handover:  # fmt: skip
        return await handover.decide_case(actor, office_id, data)

    @post(
        "/staff", operation_id="reviewHandoverStaff", status_code=200,
        opt=personal_data("office.handover"), guards=[requires("offices.manage")],
        summary="Move a staff account of the office to another office, or deactivate it",
    )  # fmt: skip
    async def review_staff(
        self, actor: NamedDependency[Actor], office_id: FromPath[int],
        data: JSONBody[handover.StaffDecision],
    ) -> handover.Handover:  # fmt: skip
        return await handover.review_staff(actor, office_id, data)
