from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from achterban.consent import service
from achterban.consent.schemas import ConsentEvent, ConsentInput, ConsentMatrix
from achterban.platform.auth import Actor, requires


class ConsentController(Controller):
    path = "/api/people/{person_id:int}/consent"
    tags = ["consent"]

    @get("/", operation_id="getConsent", guards=[requires("people.read")])
    async def get_consent(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> ConsentMatrix:
        return await service.current(actor, person_id)

    @get("/history", operation_id="consentHistory", guards=[requires("people.read")])
    async def consent_history(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> list[ConsentEvent]:
        return await service.history(actor, person_id)

    @post("/", operation_id="recordConsent", guards=[requires("people.write")])
    async def record_consent(
        self, actor: NamedDependency[Actor], person_id: FromPath[int], data: JSONBody[ConsentInput]
    ) -> ConsentEvent:
        return await service.do_record_consent(actor, person_id, data)
