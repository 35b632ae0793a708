from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from achterban.journeys import service
from achterban.journeys.schemas import JourneyOut, JourneySummary
from achterban.platform.auth import Actor, no_personal_data, requires
from achterban.platform.i18n import negotiate

MANAGE = [requires("journeys.manage")]


def _language(request: Request[Any, Any, Any]) -> str:
    return negotiate(request.headers.get("accept-language"))


class JourneyController(Controller):
    """Journeys as the files in campaigns/journeys define them: party staff who manage them
    (organisers, admins). A definition names no one."""

    path = "/api/journeys"
    tags = ["journeys"]

    @get("/", operation_id="listJourneys", opt=no_personal_data(), guards=MANAGE,
         summary="The journeys, each with its current version")  # fmt: skip
    async def list_journeys(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor]
    ) -> list[JourneySummary]:
        return await service.listed(actor, _language(request))

    @get("/{journey_key:str}", operation_id="getJourney", opt=no_personal_data(),
         guards=MANAGE, summary="A journey with the steps of its current version")  # fmt: skip
    async def get_journey(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor],
        journey_key: FromPath[str],
    ) -> JourneyOut:  # fmt: skip
        return await service.get(actor, journey_key, _language(request))

    @post("/{journey_key:str}/pause", operation_id="pauseJourney", status_code=200,
          opt=no_personal_data(), guards=MANAGE, summary="Pause a journey (audited)")  # fmt: skip
    async def pause_journey(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor],
        journey_key: FromPath[str],
    ) -> JourneySummary:  # fmt: skip
        return await service.set_paused(actor, journey_key, True, _language(request))

    @post("/{journey_key:str}/resume", operation_id="resumeJourney", status_code=200,
          opt=no_personal_data(), guards=MANAGE,
          summary="Resume a paused journey (audited)")  # fmt: skip
    async def resume_journey(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor],
        journey_key: FromPath[str],
    ) -> JourneySummary:  # fmt: skip
        return await service.set_paused(actor, journey_key, False, _language(request))
