"""Security headers on every response, including errors and paths no route matches.

Answers of the API hold personal data: nothing may keep them (``no-store``). The SPA may
load only what our own host serves (its content security policy has no inline script),
no page may be framed but the embeddable case form (``/form/embed``), and that only by the
origins ``ACHTERBAN_FORM_FRAME_ANCESTORS`` lists (none by default), and no URL (preference
links carry tokens) leaves in a Referer.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from achterban.settings import get_settings

_APP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# RapiDoc (the API docs page) sets style attributes from its templates: styles may be inline,
# scripts still may not.
DOCS_POLICY = _APP_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
_API_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS_PATHS = ("/api/schema", "/api/schema/")
EMBED_PATHS = ("/form/embed", "/form/embed/")  # the case form a party puts on its own site

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def policy_for(path: str, frame_ancestors: tuple[str, ...] = ()) -> str:
    if path in EMBED_PATHS and frame_ancestors:
        return _APP_POLICY.replace(
            "frame-ancestors 'none'", "frame-ancestors " + " ".join(frame_ancestors)
        )
    if path in DOCS_PATHS:
        return DOCS_POLICY
    if path == "/api" or path.startswith("/api/"):
        return _API_POLICY
    return _APP_POLICY


async def security_headers(message: Message, scope: Scope) -> None:
    """Litestar ``before_send`` hook."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    path = str(scope.get("path", ""))
    ancestors = get_settings().form_frame_ancestors if path in EMBED_PATHS else ()
    for name, value in COMMON.items():
        headers[name] = value
    if ancestors:  # the policy's frame-ancestors names who may frame it; DENY would beat it
        del headers["X-Frame-Options"]
    headers["Content-Security-Policy"] = policy_for(path, ancestors)
    if path == "/api" or path.startswith("/api/") or "cache-control" not in headers:
        headers["Cache-Control"] = "no-store"  # the SPA's files set their own
