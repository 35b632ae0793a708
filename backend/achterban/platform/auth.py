"""Who is asking, and may they: the Actor, permission guards and scopes.

Authentication (turning a cookie or a token into an Actor) is done by the
``users`` domain, which installs a resolver at start-up; this module stays
free of domain imports. Every route declares a guard: :func:`requires` for a
permission, :func:`signed_in` for a user's own account, or ``public()`` in its
``opt``. The contract tests walk every route to hold that line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from achterban.platform.errors import Problem
from achterban.platform.i18n import _


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting user (or the system) for one request or job."""

    user_id: int | None
    label: str
    role: str
    permissions: frozenset[str]
    regions: tuple[str, ...] = ()
    office_id: int | None = None
    districts: tuple[str, ...] = ()  # the districts of the actor's office
    ip: str | None = None
    via: str = "session"
    session_id: int | None = None
    csrf_token: str | None = field(default=None, repr=False)

    def has(self, permission: str) -> bool:
        return "*" in self.permissions or permission in self.permissions

    @property
    def is_national(self) -> bool:
        """Not limited to regions: sees every region."""
        return not self.regions

    def sees_region(self, region: str | None) -> bool:
        return self.is_national or (region is not None and region in self.regions)

    def sees_office(self, office_id: int | None) -> bool:
        if self.has("*"):
            return True
        return self.office_id is not None and self.office_id == office_id


SYSTEM = Actor(
    user_id=None, label="system", role="system", permissions=frozenset({"*"}), via="system"
)

ActorResolver = Callable[[ASGIConnection[Any, Any, Any, Any]], Awaitable[Actor | None]]


def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    actor = connection.scope.get("user")
    return actor if isinstance(actor, Actor) else None


def require_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    actor = current_actor(connection)
    if actor is None:
        raise Problem(401, _("Sign in first."), kind="unauthenticated")
    return actor


def requires(permission: str) -> Guard:
    """A guard: 401 without a signed-in user, 403 without ``permission``."""

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        actor = require_actor(connection)
        if not actor.has(permission):
            raise Problem(
                403,
                _("This needs the permission {permission}."),
                kind="forbidden",
                values={"permission": permission},
            )

    guard.permission = permission  # type: ignore[attr-defined]
    return guard


async def signed_in(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A guard for a user's own account: any signed-in user passes."""
    require_actor(connection)


signed_in.permission = "account.self"  # type: ignore[attr-defined]


def public(*personal: str) -> dict[str, Any]:
    """``opt`` for a route anyone may call without signing in (with ``personal``: the
    audit actions its answer writes, as for :func:`personal_data`)."""
    return {"public": True, "personal_data": personal}


def personal_data(*actions: str) -> dict[str, Any]:
    """``opt`` for a route whose answer holds personal data: a successful call writes an
    audit entry with one of ``actions``, which ``audit/contract.py`` checks on each call."""
    assert actions, "name the audit actions the route writes"
    return {"personal_data": actions}


def no_personal_data() -> dict[str, Any]:
    """``opt`` for a route whose answer holds nobody's personal data."""
    return {"personal_data": ()}


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    """Dependency: the Actor of a guarded route."""
    return require_actor(request)
