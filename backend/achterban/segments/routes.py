from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from achterban.people.schemas import PersonPage
from achterban.platform.auth import Actor, no_personal_data, personal_data, requires
from achterban.platform.i18n import negotiate
from achterban.segments import service
from achterban.segments.schemas import (
    Count,
    Definition,
    FieldOut,
    SegmentCreate,
    SegmentOut,
    SegmentUpdate,
)

MANAGE = [requires("segments.manage")]


def _language(request: Request[Any, Any, Any], actor: Actor) -> str:
    return negotiate(request.headers.get("accept-language"))


class SegmentController(Controller):
    path = "/api/segments"
    tags = ["segments"]

    @get("/fields", operation_id="segmentFields", opt=personal_data("segment.read"), guards=MANAGE,
         summary="The conditions a segment can use, labelled in the reader's language")  # fmt: skip
    async def segment_fields(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor]
    ) -> list[FieldOut]:
        return await service.fields(actor, _language(request, actor))

    @post("/count", operation_id="countSegment", status_code=200, opt=no_personal_data(),
          guards=MANAGE, summary="How many people an unsaved tree finds (live)")  # fmt: skip
    async def count_segment(
        self, actor: NamedDependency[Actor], data: JSONBody[Definition]
    ) -> Count:
        return Count(count=await service.count(actor, data.definition))

    @post("/preview", operation_id="previewSegment", status_code=200,
          opt=personal_data("segment.preview"), guards=MANAGE,
          summary="The first people an unsaved condition tree finds")  # fmt: skip
    async def preview_segment(
        self, actor: NamedDependency[Actor], data: JSONBody[Definition],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> PersonPage:  # fmt: skip
        return await service.preview(actor, data.definition, limit)

    # a definition names values (a tag, a postcode) that can point at someone: reads audited
    @get("/", operation_id="listSegments", opt=personal_data("segment.read"), guards=MANAGE)
    async def list_segments(self, actor: NamedDependency[Actor]) -> list[SegmentOut]:
        return await service.listed(actor)

    @post("/", operation_id="createSegment", opt=no_personal_data(), guards=MANAGE)
    async def create_segment(
        self, actor: NamedDependency[Actor], data: JSONBody[SegmentCreate]
    ) -> SegmentOut:
        return await service.create(actor, data)

    @get("/{segment_id:int}", operation_id="getSegment", opt=personal_data("segment.read"),
         guards=MANAGE)  # fmt: skip
    async def get_segment(
        self, actor: NamedDependency[Actor], segment_id: FromPath[int]
    ) -> SegmentOut:
        return await service.get(actor, segment_id)

    @patch("/{segment_id:int}", operation_id="updateSegment", opt=no_personal_data(),
           guards=MANAGE)  # fmt: skip
    async def update_segment(
        self, actor: NamedDependency[Actor], segment_id: FromPath[int],
        data: JSONBody[SegmentUpdate],
    ) -> SegmentOut:  # fmt: skip
        return await service.update(actor, segment_id, data)

    @delete("/{segment_id:int}", operation_id="deleteSegment", opt=no_personal_data(),
            guards=MANAGE)  # fmt: skip
    async def delete_segment(
        self, actor: NamedDependency[Actor], segment_id: FromPath[int]
    ) -> None:
        await service.delete(actor, segment_id)

    @get("/{segment_id:int}/count", operation_id="segmentCount", opt=no_personal_data(),
         guards=MANAGE)  # fmt: skip
    async def segment_count(
        self, actor: NamedDependency[Actor], segment_id: FromPath[int]
    ) -> Count:
        return Count(count=await service.segment_count(actor, segment_id))

    @get("/{segment_id:int}/people", operation_id="segmentPeople",
         opt=personal_data("segment.people"), guards=MANAGE)  # fmt: skip
    async def segment_people(
        self, actor: NamedDependency[Actor], segment_id: FromPath[int],
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
    ) -> PersonPage:  # fmt: skip
        return await service.people(actor, segment_id, limit, offset)

    @post("/{segment_id:int}/snapshot", operation_id="freezeSegment", opt=no_personal_data(),
          guards=MANAGE, summary="Keep the segment's people now as a frozen snapshot")  # fmt: skip
    async def freeze_segment(
        self, actor: NamedDependency[Actor], segment_id: FromPath[int]
    ) -> SegmentOut:
        return await service.freeze(actor, segment_id)
