"""create_app(): the routers by name, lifespan, authentication, errors and OpenAPI."""

from __future__ import annotations

import html
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")

from litestar import Litestar, Request, Router
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, RapidocRenderPlugin
from litestar.types import ControllerRouterHandler

from achterban import __version__, worker
from achterban.audit.contract import audited_answers
from achterban.audit.routes import AuditController
from achterban.casework.routes import (
    CaseController,
    HandoverController,
    list_case_topics,
    submit_case,
)
from achterban.consent.routes import ConsentController, PreferencesController
from achterban.dedupe.routes import DedupeController
from achterban.districts.routes import (
    DistrictController,
    JurisdictionController,
    OfficeController,
    RepresentativeController,
)
from achterban.donations.routes import DonationController
from achterban.exports.routes import export_people
from achterban.gdpr.routes import GdprController
from achterban.imports.routes import ImportController
from achterban.journeys import files as journey_files
from achterban.journeys.routes import JourneyController
from achterban.memberships.routes import BranchController, MembershipController
from achterban.people.routes import PeopleController
from achterban.platform import db, logs
from achterban.platform.auth import provide_actor, public
from achterban.platform.errors import EXCEPTION_HANDLERS, document_problems
from achterban.platform.headers import security_headers
from achterban.platform.jobs import runner
from achterban.platform.schemas import check_request
from achterban.readmodels.routes import HouseholdController, PersonViewController
from achterban.segments import files as segment_files
from achterban.segments.routes import SegmentController
from achterban.settings import get_settings
from achterban.system.routes import health, spa, spa_root
from achterban.users.middleware import authentication, csrf_guard
from achterban.users.routes import AuthController, UserController

ROUTERS: list[ControllerRouterHandler] = [
    health,
    AuthController,
    UserController,
    AuditController,
    export_people,
    PeopleController,
    PersonViewController,
    HouseholdController,
    ConsentController,
    PreferencesController,
    ImportController,
    MembershipController,
    BranchController,
    DonationController,
    DedupeController,
    GdprController,
    DistrictController,
    JurisdictionController,
    OfficeController,
    RepresentativeController,
    CaseController,
    HandoverController,
    SegmentController,
    JourneyController,
    submit_case,
    list_case_topics,
    # the SPA's catch-all stays last
    spa_root,
    spa,
]

# The docs page loads RapiDoc from the built SPA, never from a CDN.
DOCS_JS = "/vendor/rapidoc-min.js"


class DocsPage(RapidocRenderPlugin):
    """RapiDoc with system fonts: it loads nothing from another host (no font CDN), and
    the page has no inline script or style, so its content security policy stays strict."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        spec = html.escape(self.get_openapi_json_route(request))
        return (
            "<!DOCTYPE html>\n<html><head>"
            f"<title>{title}</title>"
            '<meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<script src="{html.escape(self.js_url)}"></script>'
            "</head><body>"
            f'<rapi-doc spec-url="{spec}" load-fonts="false" '
            'regular-font="system-ui, sans-serif" mono-font="ui-monospace, monospace" '
            'show-header="false" allow-spec-url-load="false" allow-spec-file-load="false">'
            "</rapi-doc></body></html>"
        ).encode()


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    settings = get_settings()
    await db.start()
    # the shared segments of campaigns/segments: a bad file stops start-up, naming its line
    await segment_files.sync(settings.campaigns_dir / "segments")
    # the journeys of campaigns/journeys: a bad file stops start-up; a changed one is a new
    # version
    segment_keys = {s.key for s in segment_files.read(settings.campaigns_dir / "segments")}
    await journey_files.sync(settings.campaigns_dir, segment_keys)
    worker.configure_runner(settings)
    await runner.start(run_crons=not settings.redis_url)
    try:
        yield
    finally:
        await runner.stop()
        await db.stop()


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Achterban",
        version=__version__,
        description="Constituent relationship manager for parties and representatives.",
        openapi_router=Router(path="/api/schema", route_handlers=[], opt=public()),
        render_plugins=[
            DocsPage(path="/", js_url=DOCS_JS, favicon=""),
            JsonRenderPlugin(path="/openapi.json"),
        ],
    )


def create_app() -> Litestar:
    settings = get_settings()
    logs.configure(settings.log_format)
    app = Litestar(
        route_handlers=ROUTERS,
        lifespan=[lifespan],
        middleware=[logs.request_logging, DefineMiddleware(authentication), audited_answers],
        guards=[csrf_guard],
        before_request=check_request,
        before_send=[security_headers],
        dependencies={"actor": Provide(provide_actor)},
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,
        debug=False,
    )
    document_problems(app)
    return app
