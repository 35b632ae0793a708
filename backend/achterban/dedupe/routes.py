from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from achterban.dedupe import service
from achterban.dedupe.schemas import CandidatePage, MergeInput, PairInput, ScanStarted
from achterban.platform.auth import Actor, no_personal_data, personal_data, requires


class DedupeController(Controller):
    path = "/api/dedupe"
    tags = ["dedupe"]
    guards = [requires("people.write")]

    @get("/candidates", operation_id="duplicateCandidates", opt=personal_data("person.search"))
    async def list_candidates(
        self,
        actor: NamedDependency[Actor],
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> CandidatePage:
        return await service.candidates(actor, limit, offset)

    @post(
        "/scan", operation_id="scanForDuplicates", opt=no_personal_data(), status_code=202,
        summary="Look for duplicates again (a job; the list shows when it is done)",
    )  # fmt: skip
    async def scan(self, actor: NamedDependency[Actor]) -> ScanStarted:
        return ScanStarted(job_key=await service.request_scan(actor, at_once=True))

    @post(
        "/not-duplicate",
        operation_id="markNotDuplicate",
        opt=personal_data("person.not_duplicate"),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def not_duplicate(self, actor: NamedDependency[Actor], data: JSONBody[PairInput]) -> None:
        await service.do_mark_not_duplicate(actor, data.a, data.b)

    @post(
        "/merge",
        operation_id="mergePeople",
        opt=personal_data("person.merge"),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def merge(self, actor: NamedDependency[Actor], data: JSONBody[MergeInput]) -> None:
        await service.do_merge(actor, data.survivor_id, data.merged_id)
