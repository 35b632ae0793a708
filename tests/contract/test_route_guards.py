"""Every route declares who may call it, and the app enforces it.

This walks every route the app has. A route without a permission guard fails
here, and so does a new public or self-service route that is not listed below.
"""

from __future__ import annotations

import re
import uuid

import pytest
from litestar.routes import HTTPRoute

from achterban.users.roles import ROLES
from tests.conftest import client_for, make_user, new_token, with_token

PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/login/code"),  # the pending token from the password step is the credential
    ("POST", "/api/auth/login/enrol"),
    ("POST", "/api/auth/login/enrol/confirm"),
    ("POST", "/api/public/cases"),
    ("POST", "/api/auth/password-link/{token:str}"),  # the signed, expiring link is the credential
    ("GET", "/api/public/case-topics"),  # the form's topics from configuration, no personal data
    ("GET", "/api/public/preferences/{token:str}"),  # the signed link is the credential
    ("POST", "/api/public/preferences/{token:str}"),
    ("GET", "/"),
    ("GET", "/{path:path}"),
}
PUBLIC_PREFIXES = ("/api/schema",)  # the OpenAPI document and its docs page
SELF_SERVICE = {
    ("GET", "/api/auth/me"),
    ("PATCH", "/api/auth/me"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/password"),
    ("GET", "/api/auth/mfa"),
    ("POST", "/api/auth/mfa"),
    ("POST", "/api/auth/mfa/confirm"),
    ("GET", "/api/auth/tokens"),
    ("POST", "/api/auth/tokens"),
    ("DELETE", "/api/auth/tokens/{token_id:int}"),
}
SAMPLE = {"int": "1", "uuid": str(uuid.uuid4()), "str": "sample", "path": "/sample"}


def _routes(app):
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _kwargs) in route.route_handler_map.items():
            if method in ("HEAD", "OPTIONS"):
                continue
            yield method, route.path, handler


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+):(\w+)\}", lambda m: SAMPLE[m.group(2)], path)


def _permission(handler) -> str | None:
    for guard in handler.resolve_guards():
        if hasattr(guard, "permission"):
            return guard.permission
    return None


def _is_public(method, path, handler) -> bool:
    return bool(handler.opt.get("public"))


async def test_every_route_is_public_on_purpose_or_guarded(app):
    public, unguarded, self_service = set(), [], set()
    for method, path, handler in _routes(app):
        if _is_public(method, path, handler):
            public.add((method, path))
        elif _permission(handler) is None:
            unguarded.append((method, path))
        elif _permission(handler) == "account.self":
            self_service.add((method, path))
    assert not unguarded, f"routes without a permission guard: {unguarded}"
    listed = {(m, p) for m, p in public if not p.startswith(PUBLIC_PREFIXES)}
    assert listed == PUBLIC
    assert self_service == SELF_SERVICE


async def test_anonymous_gets_401_on_every_guarded_route(app, anon):
    checked = 0
    for method, path, handler in _routes(app):
        if _is_public(method, path, handler):
            continue
        response = await anon.request(method, _concrete(path), json={})
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        checked += 1
    assert checked >= 10


async def test_a_role_without_the_permission_gets_403_on_every_guarded_route(app):
    tokens: dict[str, str] = {}
    checked = 0
    for method, path, handler in _routes(app):
        permission = _permission(handler)
        if _is_public(method, path, handler) or permission == "account.self":
            continue
        role = next(r for r, perms in ROLES.items() if permission not in perms and "*" not in perms)
        if role not in tokens:
            tokens[role] = await new_token(app, await make_user(role, office_id=999))
        async with client_for(app) as client:
            client.headers["Authorization"] = f"Bearer {tokens[role]}"
            response = await client.request(method, _concrete(path), json={})
        assert response.status_code in (403, 404), (method, path, role, response.text)
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("method,path", sorted(SELF_SERVICE))
async def test_self_service_routes_need_only_a_signed_in_user(app, method, path):
    async with with_token(app, await make_user("volunteer")) as client:
        response = await client.request(method, _concrete(path), json={"name": "mine"})
    assert response.status_code not in (401, 403), response.text
