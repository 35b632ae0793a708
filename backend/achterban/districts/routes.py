from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from achterban.districts import offices, service
from achterban.districts.schemas import Resolution
from achterban.platform.auth import Actor, no_personal_data, requires


class DistrictController(Controller):
    path = "/api/districts"
    tags = ["districts"]

    @get(
        "/resolve",
        operation_id="resolveAddress",
        opt=no_personal_data(),
        guards=[requires("cases.read")],
        summary="The districts and representatives of an address, and why",
    )
    async def resolve(
        self, address: FromQuery[str], country: FromQuery[str | None] = None
    ) -> Resolution:
        return await service.resolve(address, country)


class OfficeController(Controller):
    path = "/api/offices"
    tags = ["districts"]

    @get("/", operation_id="listOffices", opt=no_personal_data(), guards=[requires("cases.read")])
    async def list_offices(self, actor: NamedDependency[Actor]) -> list[offices.OfficeOut]:
        return await offices.staffed(actor)

    @get(
        "/{office_id:int}",
        operation_id="getOffice",
        opt=no_personal_data(),
        guards=[requires("cases.read")],
    )
    async def get_office(
        self, actor: NamedDependency[Actor], office_id: FromPath[int]
    ) -> offices.OfficeOut:
        return await offices.describe(actor, office_id)

    @post(
        "/{office_id:int}/topics",
        operation_id="assignTopic",
        opt=no_personal_data(),
        guards=[requires("offices.manage")],
        status_code=200,
    )
    async def assign_topic(
        self,
        actor: NamedDependency[Actor],
        office_id: FromPath[int],
        data: JSONBody[offices.TopicAssignment],
    ) -> offices.OfficeOut:
        return await offices.do_assign_topic(actor, office_id, data)
