from typing import Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from achterban.gdpr import pdf, service
from achterban.platform.auth import Actor, personal_data, requires
from achterban.platform.schemas import Input


class ErasureInput(Input):
    reason: str


class GdprController(Controller):
    path = "/api/people/{person_id:int}"
    tags = ["gdpr"]
    guards = [requires("people.gdpr")]

    @get(
        "/subject-access",
        operation_id="subjectAccessExport",
        opt=personal_data("person.subject_access"),
    )
    async def subject_access(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> dict[str, Any]:
        return service.jsonable(await service.access_export(actor, person_id))  # type: ignore[no-any-return]

    @get(
        "/subject-access.pdf",
        operation_id="subjectAccessPdf",
        opt=personal_data("person.subject_access"),
        media_type="application/pdf",
    )
    async def subject_access_pdf(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> Response[bytes]:
        export = await service.access_export(actor, person_id)
        return Response(
            pdf.render(export),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="person-{person_id}.pdf"'},
        )

    @post(
        "/erase",
        operation_id="erasePerson",
        opt=personal_data("person.erase"),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def erase(
        self, actor: NamedDependency[Actor], person_id: FromPath[int], data: JSONBody[ErasureInput]
    ) -> None:
        await service.do_erase(actor, person_id, service.require_reason(data.reason))
