"""Turn a session cookie or a bearer token into an Actor, and check CSRF for cookie sessions."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from achterban.platform.auth import current_actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.security import same
from achterban.users import service

SESSION_COOKIE = "achterban_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def client_ip(scope: Scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def authentication(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["user"] = None
            ip = client_ip(scope)
            authorization = _header(scope, b"authorization") or ""
            if authorization.lower().startswith("bearer "):
                scope["user"] = await service.actor_from_token(authorization[7:].strip(), ip)
            elif token := _cookie(scope, SESSION_COOKIE):
                scope["user"] = await service.actor_from_session(token, ip)
        await app(scope, receive, send)

    return middleware


async def csrf_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A cookie session must echo its CSRF token on every unsafe request."""
    actor = current_actor(connection)
    if actor is None or actor.via != "session" or connection.scope.get("method") in SAFE_METHODS:
        return
    sent = connection.headers.get(CSRF_HEADER) or ""
    if not actor.csrf_token or not same(sent, actor.csrf_token):
        raise Problem(403, _("The CSRF token is missing or wrong; reload the page."), kind="csrf")
