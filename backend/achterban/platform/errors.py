"""Every error leaves the API as RFC 9457 Problem Details, never as a stack trace."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from litestar import Litestar, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from achterban.platform.i18n import _, negotiate, translate

log = logging.getLogger("achterban.errors")

PROBLEM_JSON = "application/problem+json"
_FIELD = re.compile(r"(?:field `([^`]+)`|at `\$\.([^`]+)`)")

TITLES = {
    400: _("Bad request"),
    401: _("Not signed in"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    409: _("Conflict"),
    413: _("Request too large"),
    422: _("Cannot be processed"),
    429: _("Too many requests"),
    500: _("Internal error"),
    503: _("Service unavailable"),
}


class Problem(Exception):
    """A domain error with a stable ``type`` a client can branch on."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str = "",
        headers: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail.format(**values) if values else detail)
        self.status = status
        self.detail = detail
        self.values = values or {}
        self.kind = kind
        self.headers = headers or {}
        self.extra = extra

    def __str__(self) -> str:
        return translate(self.detail, "en", **self.values)


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    detail: str | None,
    *,
    kind: str = "",
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    language = negotiate(request.headers.get("accept-language"))
    title = TITLES.get(status) or HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": f"urn:achterban:problem:{kind}" if kind else "about:blank",
        "title": translate(title, language),
        "status": status,
        "detail": translate(detail, language, **(values or {}))
        if detail
        else translate(title, language),
        "instance": request.url.path,
    }
    body.update(extra or {})
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(exc: ValidationException) -> list[dict[str, Any]]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = []
    for item in extra:
        if isinstance(item, dict):
            error = {k: item.get(k) for k in ("key", "message", "source") if k in item}
            # msgspec reports unknown or invalid body fields in the message: name the field
            named = _FIELD.search(str(item.get("message", "")))
            if named and error.get("key") in (None, "data"):
                error["key"] = named.group(1) or named.group(2)
            errors.append(error)
    return errors


def handle_problem(request: Request[Any, Any, Any], exc: Problem) -> Response[dict[str, Any]]:
    return problem_response(
        request,
        exc.status,
        exc.detail,
        kind=exc.kind,
        headers=exc.headers,
        extra=exc.extra,
        values=exc.values,
    )


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc)
        detail = "; ".join(
            f"{e['key']}: {e['message']}" if e.get("key") not in (None, "data") else e["message"]
            for e in errors
            if e.get("message")
        )
        detail = detail or exc.detail or ""
        return problem_response(request, 400, detail, kind="validation", extra={"errors": errors})
    plain = exc.detail if exc.detail and exc.detail != HTTPStatus(status).phrase else None
    return problem_response(request, status, plain, headers=dict(exc.headers or {}))


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, 500, None)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    Problem: handle_problem,
    HTTPException: handle_http,
    Exception: handle_unexpected,
}


def document_problems(app: Litestar) -> None:
    """Say in the OpenAPI document what errors really are: Problem Details, not Litestar's shape.

    Litestar describes the 400 it adds to every route with parameters in its own format;
    our handlers answer with ``application/problem+json``. Typed clients (the SPA) read this.
    """
    from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Reference, Schema
    from litestar.openapi.spec.enums import OpenAPIType

    document = app.openapi_schema  # built once and kept: the served document is this one
    text = Schema(type=OpenAPIType.STRING)
    document.components.schemas["Problem"] = Schema(
        type=OpenAPIType.OBJECT,
        title="Problem",
        description="RFC 9457 Problem Details, in the reader's language (Accept-Language).",
        required=["type", "title", "status", "detail"],
        properties={
            "type": text, "title": text, "status": Schema(type=OpenAPIType.INTEGER),
            "detail": text, "instance": text,
            "errors": Schema(
                type=OpenAPIType.ARRAY,
                items=Schema(type=OpenAPIType.OBJECT, properties={"key": text, "message": text}),
            ),
        },
    )  # fmt: skip
    problem = {PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    public = {
        (re.sub(r":[^}]+}", "}", route.path), method.lower())
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.opt.get("public")
        for method in getattr(handler, "http_methods", ())
    }
    guarded = {
        "401": _("Not signed in"),
        "403": _("Not allowed"),
    }
    for path, path_item in (document.paths or {}).items():
        for method in ("get", "put", "post", "patch", "delete"):
            operation = getattr(path_item, method, None)
            if operation is None:
                continue
            responses = operation.responses or {}
            for code, response in responses.items():
                if code[0] in "45" and isinstance(response, OpenAPIResponse):
                    response.content = problem
            if (path, method) not in public and path.startswith("/api/"):
                for code, description in guarded.items():
                    responses.setdefault(code, OpenAPIResponse(description, content=problem))
            if "{" in path and path.startswith("/api/"):  # absent, or outside the reader's scope
                responses.setdefault("404", OpenAPIResponse(_("Not found"), content=problem))
            operation.responses = responses
