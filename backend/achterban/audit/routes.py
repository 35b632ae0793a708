from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from achterban.audit import service
from achterban.audit.schemas import AuditPage, ChainCheck
from achterban.platform.auth import Actor, no_personal_data, personal_data, requires


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]
    guards = [requires("audit.read")]

    @get(
        "/",
        operation_id="listAuditEvents",
        opt=personal_data("audit.read"),
        summary="Page through the audit log, newest first",
    )
    async def list_events(
        self,
        actor: NamedDependency[Actor],
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        before_id: FromQuery[int | None] = None,
        object_type: FromQuery[str | None] = None,
        object_id: FromQuery[str | None] = None,
        actor_id: FromQuery[int | None] = None,
        action: FromQuery[str | None] = None,
    ) -> AuditPage:
        return await service.read_page(
            actor,
            limit=limit,
            before_id=before_id,
            object_type=object_type,
            object_id=object_id,
            actor_id=actor_id,
            action=action,
        )

    @get(
        "/verify",
        operation_id="verifyAuditChain",
        opt=no_personal_data(),
        summary="Check the audit hash chain",
    )
    async def verify(self) -> ChainCheck:
        return await service.verify_chain()
