from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody

from achterban.districts import councils, offices, service
from achterban.districts.schemas import Resolution
from achterban.platform.auth import Actor, no_personal_data, requires
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, negotiate, translate


class CouncilUpload(msgspec.Struct, kw_only=True):
    file: UploadFile


class CouncilLine(msgspec.Struct, kw_only=True):
    line: int
    reason: str


class CouncilLoadOut(msgspec.Struct, kw_only=True):
    added: int
    updated: int
    bad: list[CouncilLine]


COUNCIL_FILE_BYTES = 5 * 1024 * 1024


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

    @post(
        "/councils", operation_id="loadCouncils", opt=no_personal_data(),
        guards=[requires("offices.manage")], request_max_body_size=COUNCIL_FILE_BYTES,
        status_code=200,
        summary="Load Dutch council members, aldermen and mayors from a CSV (gemeente,naam,...)",
    )  # fmt: skip
    async def load_councils(
        self, request: Request[Any, Any, Any],
        data: Annotated[CouncilUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> CouncilLoadOut:  # fmt: skip
        try:
            text = (await data.file.read()).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Problem(400, _("The file is not UTF-8 text (CSV)."), kind="validation") from exc
        loaded = await councils.load_nl_council(text)
        language = negotiate(request.headers.get("accept-language"))
        return CouncilLoadOut(
            added=loaded.added, updated=loaded.updated,
            bad=[CouncilLine(line=n, reason=translate(m, language, **v)) for n, m, v in loaded.bad],
        )  # fmt: skip


class RepresentativeController(Controller):
    path = "/api/representatives"
    tags = ["districts"]
    guards = [requires("offices.manage")]

    @get("/", operation_id="listRepresentatives", opt=no_personal_data(),
         summary="Who holds or held a seat for a jurisdiction")  # fmt: skip
    async def list_representatives(
        self, jurisdiction: FromQuery[str]
    ) -> list[offices.RepresentativeOut]:
        return await offices.representatives(jurisdiction)

    @post("/", operation_id="addRepresentative", opt=no_personal_data(),
          summary="Add a representative by hand")  # fmt: skip
    async def add_representative(
        self, actor: NamedDependency[Actor], data: JSONBody[offices.RepresentativeCreate]
    ) -> offices.RepresentativeOut:
        return await offices.do_add_representative(actor, data)

    @patch("/{rep_id:int}", operation_id="updateRepresentative", opt=no_personal_data(),
           summary="Change a representative by hand, or end their term (valid_to)")  # fmt: skip
    async def update_representative(
        self, actor: NamedDependency[Actor], rep_id: FromPath[int],
        data: JSONBody[offices.RepresentativeUpdate],
    ) -> offices.RepresentativeOut:  # fmt: skip
        return await offices.do_update_representative(actor, rep_id, data)


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
