"""Every error leaves the API as RFC 9457 Problem Details, never as a stack trace."""

from __future__ import annotations

import logging
import re
import sqlite3
from http import HTTPStatus
from typing import Any

import asyncpg
from litestar import Litestar, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from achterban.platform.i18n import _, negotiate, translate
from achterban.platform.logs import redact_path
from achterban.platform.schemas import InputError

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
        language: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail.format(**values) if values else detail)
        self.language = language  # the answer's language when the request names its own
        self.status = status
        self.detail = detail
        self.values = values or {}
        self.kind = kind
        self.headers = headers or {}
        self.extra = extra

    def __str__(self) -> str:
        return translate(self.detail, "en", **self.values)


def _localised(value: Any, language: str) -> Any:
    """A value that words itself per language (``text(language)``: the condition engine's
    mistakes) in the answer's language; any other value as it is."""
    text = getattr(value, "text", None)
    return text(language) if callable(text) else value


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    detail: str | None,
    *,
    kind: str = "",
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    language: str | None = None,
) -> Response[dict[str, Any]]:
    language = language or negotiate(request.headers.get("accept-language"))
    values = {k: _localised(v, language) for k, v in (values or {}).items()}
    if extra and isinstance(extra.get("errors"), list):
        extra = {**extra, "errors": [
            {k: _localised(v, language) for k, v in e.items()} if isinstance(e, dict) else e
            for e in extra["errors"]
        ]}  # fmt: skip
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


# What platform/schemas.py refuses, as msgspec reports it, and how a reader is told
_INPUT_MESSAGES = [
    (re.compile(r"must not contain a NUL character"), _("must not contain a NUL character")),
    (re.compile(r"is longer than (?P<n>\d+) characters"), _("is longer than {n} characters")),
    (re.compile(r"is out of range"), _("is out of range")),
    (re.compile(r"nested deeper than (?P<n>\d+) levels"), _("is nested deeper than {n} levels")),
    (re.compile(r"maximum recursion depth"), _("is nested too deeply")),
]
_AT = re.compile(r"at `\$\.?([^`]*)`")


def _field_path(message: str) -> str | None:
    """``field `x` ... - at `$.a[0]``` names ``a[0].x``; either part alone names itself."""
    named = _FIELD.search(message)
    field = (named.group(1) or named.group(2)) if named else None
    at = _AT.search(message)
    parent = at.group(1) if at and named and named.group(1) else ""
    if field and parent:
        return f"{parent}.{field}"
    return field


def _validation_errors(exc: ValidationException, language: str) -> list[dict[str, Any]]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = []
    for item in extra:
        if isinstance(item, dict):
            error = {k: item.get(k) for k in ("key", "message", "source") if k in item}
            message = str(item.get("message", ""))
            # msgspec reports unknown or invalid body fields in the message: name the field
            named = _field_path(message)
            if named and error.get("key") in (None, "data"):
                error["key"] = named
            for pattern, text in _INPUT_MESSAGES:
                found = pattern.search(message)
                if found:
                    error["message"] = translate(text, language, **found.groupdict())
                    break
            errors.append(error)
    return errors


def handle_problem(request: Request[Any, Any, Any], exc: Problem) -> Response[dict[str, Any]]:
    extra = exc.extra
    language = exc.language or negotiate(request.headers.get("accept-language"))
    if isinstance(extra.get("errors"), list):  # a field's message is a message id too
        extra = {**extra, "errors": [
            {**e, "message": translate(e["message"], language)}
            if isinstance(e, dict) and isinstance(e.get("message"), str) else e
            for e in extra["errors"]
        ]}  # fmt: skip
    return problem_response(
        request,
        exc.status,
        exc.detail,
        kind=exc.kind,
        headers=exc.headers,
        extra=extra,
        values=exc.values,
        language=language,
    )


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc, negotiate(request.headers.get("accept-language")))
        detail = "; ".join(
            f"{e['key']}: {e['message']}" if e.get("key") not in (None, "data") else e["message"]
            for e in errors
            if e.get("message")
        )
        detail = detail or exc.detail or ""
        return problem_response(request, 400, detail, kind="validation", extra={"errors": errors})
    plain = exc.detail if exc.detail and exc.detail != HTTPStatus(status).phrase else None
    return problem_response(request, status, plain, headers=dict(exc.headers or {}))


def handle_input_error(
    request: Request[Any, Any, Any], exc: ValueError
) -> Response[dict[str, Any]]:
    """A value refused where a service builds an Input itself (a case form's name split
    into a person's), not where msgspec decodes one: the same 400 as at the door."""
    return handle_http(request, ValidationException(extra=[{"message": str(exc), "key": None}]))


_PG_KEY = re.compile(r"Key \(([^)]+)\)")


def handle_database_refusal(
    request: Request[Any, Any, Any], exc: Exception
) -> Response[dict[str, Any]]:
    """The last line of defence: a value the database refused is the client's error, not ours.

    Input checks (platform/schemas.py) should have caught it first, so it is logged: each
    such line is a check to add where the value comes in.
    """
    # the exception's text may quote the value (personal data): log what kind it was
    kind = f"{type(exc).__name__} {getattr(exc, 'sqlstate', '') or ''}".strip()
    log.warning("the database refused a value on %s %s: %s", request.method,
                redact_path(request.url.path), kind)  # fmt: skip
    field = getattr(exc, "column_name", None)
    if not field:
        named = _PG_KEY.search(str(getattr(exc, "detail", "") or ""))
        field = named.group(1) if named else None
    if isinstance(exc, asyncpg.UniqueViolationError) or "UNIQUE constraint" in str(exc):
        status, detail = 409, _("This already exists.")
    elif isinstance(exc, asyncpg.ForeignKeyViolationError) or "FOREIGN KEY" in str(exc):
        status, detail = 400, _("This refers to a record that does not exist.")
    else:
        status, detail = 400, _("A value is too long, out of range or not allowed.")
    errors = [{"key": field, "message": translate(detail, _language(request))}] if field else []
    return problem_response(request, status, detail, kind="validation", extra={"errors": errors})


def _language(request: Request[Any, Any, Any]) -> str:
    return negotiate(request.headers.get("accept-language"))


def handle_too_deep(
    request: Request[Any, Any, Any], exc: RecursionError
) -> Response[dict[str, Any]]:
    log.warning("too deeply nested input on %s %s", request.method, redact_path(request.url.path))
    detail = _("The request is nested too deeply.")
    return problem_response(request, 400, detail, kind="validation", extra={"errors": []})


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    path = redact_path(request.url.path)
    log.exception("unhandled error on %s %s", request.method, path, exc_info=exc)
    return problem_response(request, 500, None)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    Problem: handle_problem,
    HTTPException: handle_http,
    InputError: handle_input_error,
    # what a database refuses: PostgreSQL (NUL, too long, out of range, missing reference),
    # SQLite (missing reference, an integer past 64 bits)
    asyncpg.DataError: handle_database_refusal,
    asyncpg.IntegrityConstraintViolationError: handle_database_refusal,
    sqlite3.IntegrityError: handle_database_refusal,
    sqlite3.DataError: handle_database_refusal,
    OverflowError: handle_database_refusal,
    RecursionError: handle_too_deep,
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
