from litestar import Controller, get, patch, post
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


class JurisdictionController(Controller):
    path = "/api/jurisdictions"
    tags = ["districts"]

    @get(
        "/", operation_id="listJurisdictions", opt=no_personal_data(),
        guards=[requires("offices.manage")],
        summary="Current jurisdictions by name or code (municipalities, districts…)",
    )  # fmt: skip
    async def list_jurisdictions(
        self, q: FromQuery[str] = "", kind: FromQuery[str | None] = None
    ) -> list[offices.JurisdictionOut]:
        return await offices.jurisdictions(q, kind)

    @get(
        "/versions", operation_id="listDataVersions", opt=no_personal_data(),
        guards=[requires("offices.manage")],
        summary="The loaded maps and parliaments: sources, dates, counts, which is current",
    )  # fmt: skip
    async def list_versions(self) -> list[offices.DataVersion]:
        return await offices.data_versions()


class OfficeController(Controller):
    path = "/api/offices"
    tags = ["districts"]

    @get("/", operation_id="listOffices", opt=no_personal_data(), guards=[requires("cases.read")])
    async def list_offices(self, actor: NamedDependency[Actor]) -> list[offices.OfficeOut]:
        return await offices.listed(actor)

    @post(
        "/", operation_id="createOffice", opt=no_personal_data(),
        guards=[requires("offices.manage")], summary="Set up an office for a jurisdiction",
    )  # fmt: skip
    async def create_office(
        self, actor: NamedDependency[Actor], data: JSONBody[offices.OfficeCreate]
    ) -> offices.OfficeOut:
        return await offices.do_create_office(actor, data)

    @patch(
        "/{office_id:int}", operation_id="updateOffice", opt=no_personal_data(),
        guards=[requires("offices.manage")],
        summary="Change or deactivate an office (refused while it has open cases)",
    )  # fmt: skip
    async def update_office(
        self, actor: NamedDependency[Actor], office_id: FromPath[int],
        data: JSONBody[offices.OfficeUpdate],
    ) -> offices.OfficeOut:  # fmt: skip
        return await offices.do_update_office(actor, office_id, data)

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
