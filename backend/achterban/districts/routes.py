from litestar import Controller, get
from litestar.params import FromQuery

from achterban.districts import service
from achterban.districts.schemas import Resolution
from achterban.platform.auth import requires


class DistrictController(Controller):
    path = "/api/districts"
    tags = ["districts"]

    @get(
        "/resolve",
        operation_id="resolveAddress",
        guards=[requires("cases.read")],
        summary="The districts and representatives of an address, and why",
    )
    async def resolve(
        self, address: FromQuery[str], country: FromQuery[str | None] = None
    ) -> Resolution:
        return await service.resolve(address, country)
