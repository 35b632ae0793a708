"""Every answer that holds personal data leaves an audit entry: checked on each request.

Each route declares in its ``opt`` which audit actions a successful call of it writes
(``personal_data("person.read")``), or that its answer holds no personal data
(``no_personal_data()``); see ``platform/auth.py``. This middleware notes the actions
``audit.record`` writes while a request runs; when a route that declared actions answers
2xx without having written one of them, that is a broken promise. Outside tests it is
logged as an error; under ``ACHTERBAN_ENV=test`` the answer is replaced by a 500 Problem,
so every test and the generated-request run over the whole API hold every route to it.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from achterban.settings import get_settings

log = logging.getLogger("achterban.audit")

NOTHING = ""  # noted by a write that, this time, changed and showed nobody's data

_written: ContextVar[list[str] | None] = ContextVar("audit_written", default=None)


def note(action: str) -> None:
    """Called by ``audit.record``: the running request wrote an entry with ``action``."""
    written = _written.get()
    if written is not None:
        written.append(action)


def declared(handler: Any) -> tuple[str, ...] | None:
    """The actions a route promises to write; () for none; None when it declares nothing."""
    if handler is None:
        return None
    actions = handler.opt.get("personal_data")
    return None if actions is None else tuple(actions)


def broken(handler: Any, status: int, written: list[str]) -> str | None:
    """Why this answer breaks the route's promise, or None when it keeps it."""
    actions = declared(handler)
    if not actions or not 200 <= status < 300 or NOTHING in written:
        return None
    if any(_kept(a, written) for a in actions):
        return None
    return f"answered {status} with personal data but wrote no {' or '.join(actions)} entry"


def _kept(action: str, written: list[str]) -> bool:
    if action.endswith(".*"):  # "case.*": any of the domain's actions (a case's transitions)
        return any(w.startswith(action[:-1]) for w in written)
    return action in written


def audited_answers(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: hold each route to the audit entries it declared."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        written: list[str] = []
        token = _written.set(written)
        strict = get_settings().env == "test"
        refused = False

        async def checked_send(message: Message) -> None:
            nonlocal refused
            if refused:
                return
            if message["type"] == "http.response.start":
                handler = scope.get("route_handler")
                reason = broken(handler, message["status"], written)
                if reason:
                    name = getattr(handler, "operation_id", None) or handler.handler_name
                    route = f"{scope.get('method', '')} {name}"
                    log.error("audit contract: %s %s", route, reason)
                    if strict:
                        refused = True
                        await _refuse(send, route, reason)
                        return
            await send(message)

        try:
            await app(scope, receive, checked_send)
        finally:
            _written.reset(token)

    return middleware


async def _refuse(send: Send, route: str, reason: str) -> None:
    body = json.dumps(
        {"type": "about:blank", "status": 500, "title": "Audit contract broken",
         "detail": f"{route}: {reason}"}
    ).encode()  # fmt: skip
    await send({
        "type": "http.response.start", "status": 500,
        "headers": [(b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode())],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body, "more_body": False})
