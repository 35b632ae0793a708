from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from achterban.consent import service
from achterban.consent.schemas import (
    ConsentEvent,
    ConsentInput,
    ConsentMatrix,
    PreferencesInput,
    PreferencesLink,
    PreferencesPage,
)
from achterban.platform.auth import Actor, personal_data, public, requires


class ConsentController(Controller):
    path = "/api/people/{person_id:int}/consent"
    tags = ["consent"]

    @get(
        "/",
        operation_id="getConsent",
        opt=personal_data("person.read"),
        guards=[requires("people.read")],
    )
    async def get_consent(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> ConsentMatrix:
        return await service.current(actor, person_id)

    @get(
        "/history",
        operation_id="consentHistory",
        opt=personal_data("person.read"),
        guards=[requires("people.read")],
    )
    async def consent_history(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> list[ConsentEvent]:
        return await service.history(actor, person_id)

    @post(
        "/",
        operation_id="recordConsent",
        opt=personal_data("consent.record"),
        guards=[requires("people.write")],
    )
    async def record_consent(
        self, actor: NamedDependency[Actor], person_id: FromPath[int], data: JSONBody[ConsentInput]
    ) -> ConsentEvent:
        return await service.do_record_consent(actor, person_id, data)

    @get(
        "/link",
        operation_id="preferencesLink",
        opt=personal_data("consent.link", "person.read"),
        guards=[requires("people.write")],
    )
    async def preferences_link(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> PreferencesLink:
        return await service.preferences_link(actor, person_id)


class PreferencesController(Controller):
    """The person's own preferences page, reached by the signed link in what we send them."""

    path = "/api/public/preferences/{token:str}"
    tags = ["consent"]
    opt = public()

    @get(
        "/",
        operation_id="getPreferences",
        opt=public("person.read"),
        summary="A person's own consent (no login)",
    )
    async def get_preferences(
        self, request: Request[Any, Any, Any], token: FromPath[str]
    ) -> PreferencesPage:
        return await service.preferences(token, request.client.host if request.client else None)

    @post("/", operation_id="setPreferences", opt=public("consent.link"), status_code=200,
          summary="A person changes their own consent (no login)")  # fmt: skip
    async def set_preferences(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        data: JSONBody[PreferencesInput],
    ) -> PreferencesPage:
        ip = request.client.host if request.client else None
        return await service.do_set_preferences(token, data, ip)
