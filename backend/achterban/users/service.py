"""Staff users: accounts, sessions, personal API tokens (sign-in itself is in signin.py).

Every change goes through a ``do_*`` function that takes the acting user and
writes the audit entry in the same transaction.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from email_validator import EmailNotValidError, validate_email

from achterban.audit import service as audit
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.security import new_token, token_hash
from achterban.settings import get_settings
from achterban.users import links, mfa, passwords, roles
from achterban.users import throttle as throttle_counts
from achterban.users.schemas import (
    DEFAULT_TOKEN_DAYS,
    MyAccount,
    NewToken,
    PasswordByLink,
    PasswordLink,
    Token,
    TokenCreate,
    User,
    UserCreate,
    UserUpdate,
)
from achterban.users.tables import ApiToken, LoginChallenge, StaffUser, UserSession

TOKEN_PREFIX = "abt_"


def _now() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Problem(
            400, _("Not a valid e-mail address: {reason}"), kind="validation",
            values={"reason": str(exc)}, errors=[{"key": "email", "message": str(exc)}],
        ) from exc  # fmt: skip


def _regions(value: Any) -> list[str]:
    return list(json.loads(value) if isinstance(value, str) else value or [])


def to_schema(user: StaffUser) -> User:
    return User(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        language=user.language,
        regions=_regions(user.regions),
        office_id=user.office_id,
        active=user.active,
        last_login_at=user.last_login_at,
        second_factor=user.totp_enabled_at is not None,
        waiting_for_password=user.password_hash == links.UNUSABLE,
    )


def actor_for(
    user: StaffUser, *, ip: str | None, via: str, districts: tuple[str, ...] = (), **extra: Any
) -> Actor:
    return Actor(
        districts=districts,
        user_id=user.id,
        label=user.email,
        role=user.role,
        permissions=roles.permissions(user.role),
        regions=tuple(_regions(user.regions)) if user.role in roles.REGION_SCOPED else (),
        office_id=user.office_id,
        ip=ip,
        via=via,
        **extra,
    )


# --- sessions ------------------------------------------------------------------


async def start_session(
    user: StaffUser,
    ip: str | None,
    user_agent: str | None,
    *,
    second_factor: bool = False,
    credentials_version: int | None = None,
) -> tuple[str, str]:
    """A new session; it lives while the credentials stay as they were when they were checked."""
    token, csrf = new_token(), secrets.token_urlsafe(24)
    now = _now()
    async with db.transaction():
        await UserSession.insert(
            UserSession(
                token_hash=token_hash(token),
                user=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=get_settings().session_hours),
                ip=ip,
                user_agent=(user_agent or "")[:300],
                credentials_version=credentials_version or user.credentials_version,
                second_factor=second_factor,
            )
        )
        await StaffUser.update({StaffUser.last_login_at: now}).where(StaffUser.id == user.id)
        actor = actor_for(user, ip=ip, via="session")
        await audit.record(
            actor, "auth.login", "staff_user", user.id, {"second_factor": second_factor}
        )
    return token, csrf


async def end_session(actor: Actor) -> None:
    async with db.transaction():
        if actor.session_id is not None:
            await UserSession.delete().where(UserSession.id == actor.session_id)
        await audit.record(actor, "auth.logout", "staff_user", actor.user_id)


async def actor_from_session(token: str, ip: str | None) -> Actor | None:
    row = await UserSession.objects().where(UserSession.token_hash == token_hash(token)).first()
    if row is None or row.expires_at <= _now():
        return None
    user = await _user_for(row.user, row.credentials_version, row.second_factor)
    if user is None:
        return None
    return actor_for(
        user, ip=ip, via="session", districts=await _districts(user),
        session_id=row.id, csrf_token=row.csrf_token,
    )  # fmt: skip


async def actor_from_token(token: str, ip: str | None) -> Actor | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = await ApiToken.objects().where(ApiToken.token_hash == token_hash(token)).first()
    now = _now()
    if row is None or row.revoked_at is not None or token_expires(row) <= now:
        return None
    user = await _user_for(row.user, row.credentials_version, row.second_factor)
    if user is None:
        return None
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row.id)
    return actor_for(user, ip=ip, via="token", districts=await _districts(user))


def token_expires(row: ApiToken) -> datetime:
    """A token made before tokens had to expire lasts the default time from its creation."""
    return row.expires_at or row.created_at + timedelta(days=DEFAULT_TOKEN_DAYS)


async def _user_for(
    user_id: int, credentials_version: int, second_factor: bool
) -> StaffUser | None:
    """The user a session or token belongs to, while it is still good for them.

    A password change or deactivation moves the user's credentials version on, which ends
    every session and token made before it; a role that needs a second factor refuses
    sessions and tokens made without one.
    """
    user = await StaffUser.objects().where(StaffUser.id == user_id).first()
    if user is None or not user.active or user.credentials_version != credentials_version:
        return None
    if not second_factor and await mfa.required(user.role):
        return None
    return user


async def end_credentials(user_id: int, *, keep_session: int | None = None) -> None:
    """End every session (but ``keep_session``), API token and pending sign-in of a user."""
    async with db.transaction():
        rows = await db.raw(
            "UPDATE staff_user SET credentials_version = credentials_version + 1 "
            "WHERE id = {} RETURNING credentials_version",
            user_id,
        )
        sessions = UserSession.delete().where(UserSession.user == user_id)
        if keep_session is not None:
            sessions = sessions.where(UserSession.id != keep_session)
            await UserSession.update(
                {UserSession.credentials_version: rows[0]["credentials_version"]}
            ).where(UserSession.id == keep_session)
        await sessions
        await ApiToken.update({ApiToken.revoked_at: _now()}).where(
            (ApiToken.user == user_id) & ApiToken.revoked_at.is_null()
        )
        await LoginChallenge.delete().where(LoginChallenge.user == user_id)


# The districts an office serves are districts' to say (districts.service.office_districts),
# and districts sits above users (an office lists its staff): the lookup is handed down
# (wiring.py) rather than imported.
OFFICE_DISTRICTS: list[Callable[[int], Awaitable[tuple[str, ...]]]] = []


async def _districts(user: StaffUser) -> tuple[str, ...]:
    if user.office_id is None:
        return ()
    if not OFFICE_DISTRICTS:
        raise RuntimeError("office districts are not wired (achterban.wiring.connect)")
    return await OFFICE_DISTRICTS[0](user.office_id)


async def staffed_offices() -> set[int]:
    """The offices at least one active user works at (where a case can be routed)."""
    rows = await StaffUser.select(StaffUser.office_id).where(
        StaffUser.office_id.is_not_null() & (StaffUser.active == True)  # noqa: E712
    )
    return {r["office_id"] for r in rows}


async def csrf_for(actor: Actor) -> str:
    return actor.csrf_token or ""


async def purge_expired_sessions() -> int:
    """Delete sessions and pending sign-ins that have run out."""
    now = _now()
    expired = await UserSession.select(UserSession.id).where(UserSession.expires_at <= now)
    if expired:
        await UserSession.delete().where(UserSession.id.is_in([r["id"] for r in expired]))
    await LoginChallenge.delete().where(LoginChallenge.expires_at <= now)
    return len(expired)


# --- accounts ----------------------------------------------------------------


async def get_user(user_id: int) -> StaffUser:
    user = await StaffUser.objects().where(StaffUser.id == user_id).first()
    if user is None:
        raise Problem(404, _("No such user."), kind="not-found")
    return user


async def list_users(actor: Actor) -> list[User]:
    users = await StaffUser.objects().order_by(StaffUser.email)
    await audit.record(actor, "user.read", "staff_user", "", {"shown": len(users)})
    return [to_schema(u) for u in users]


async def read_user(actor: Actor, user_id: int) -> User:
    """One staff account, as an admin sees it: a read of a colleague's data, recorded."""
    user = await get_user(user_id)
    await audit.record(actor, "user.read", "staff_user", user_id)
    return to_schema(user)


async def do_create_user(actor: Actor, data: UserCreate) -> User:
    email = normalise_email(data.email)
    password_hash = passwords.hash_password(data.password) if data.password else links.UNUSABLE
    async with db.transaction():
        if await StaffUser.exists().where(StaffUser.email == email):
            raise Problem(
                409,
                _("A user with e-mail {email} exists already."),
                kind="conflict",
                values={"email": email},
            )
        user = StaffUser(
            email=email,
            name=data.name.strip(),
            password_hash=password_hash,
            role=data.role,
            language=data.language,
            regions=data.regions,
            office_id=data.office_id,
            created_at=_now(),
        )
        await user.save()
        await audit.record(
            actor, "user.create", "staff_user", user.id, {"email": email, "role": data.role}
        )
    return to_schema(user)


async def do_update_user(actor: Actor, user_id: int, data: UserUpdate) -> User:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if user_id == actor.user_id and changes.get("active") is False:
        raise Problem(
            400, _("You cannot deactivate your own account."), kind="validation",
            errors=[{"key": "active", "message": _("You cannot deactivate your own account.")}],
        )  # fmt: skip
    async with db.transaction():
        user = await get_user(user_id)
        before = to_schema(user)
        values: dict[Any, Any] = {}
        for name, value in changes.items():
            if name == "password":
                values[StaffUser.password_hash] = passwords.hash_password(value)
            else:
                values[getattr(StaffUser, name)] = value
        if values:
            await StaffUser.update(values).where(StaffUser.id == user_id)
        if "password" in changes or changes.get("active") is False:
            await end_credentials(user_id)
        logged: dict[str, Any] = {
            k: {"before": getattr(before, k), "after": v}
            for k, v in changes.items()
            if k != "password"
        }
        if "password" in changes:
            logged["password"] = "changed"
        await audit.record(actor, "user.update", "staff_user", user_id, logged)
        user = await get_user(user_id)
    return to_schema(user)


async def do_issue_password_link(actor: Actor, user_id: int, base_url: str) -> PasswordLink:
    """An invitation (no password yet) or a reset: the old password, sessions and tokens
    stop working now, and the link lets the user choose a new password once."""
    if user_id == actor.user_id:
        raise Problem(400, _("Change your own password on your account page."), kind="validation")
    async with db.transaction():
        user = await get_user(user_id)
        if not user.active:
            raise Problem(
                409, _("This account is deactivated: activate it first."), kind="conflict"
            )
        await StaffUser.update({StaffUser.password_hash: links.UNUSABLE}).where(
            StaffUser.id == user_id
        )
        await end_credentials(user_id)
        user = await get_user(user_id)
        token, expires = links.make(user)
        await audit.record(actor, "user.password_link", "staff_user", user_id, {"expires": expires})
    return PasswordLink(
        user_id=user_id, url=f"{base_url.rstrip('/')}/set-password/{token}", expires_at=expires
    )


async def do_set_password_by_link(token: str, data: PasswordByLink, ip: str | None) -> None:
    """The user behind a link chooses their password; the link is spent by it."""
    user = await links.user_for(token)
    new_hash = passwords.hash_field(data.password, "password")
    actor = Actor(None, "password link", "public", frozenset(), ip=ip, via="link")
    async with db.transaction():
        await StaffUser.update({StaffUser.password_hash: new_hash}).where(StaffUser.id == user.id)
        await end_credentials(user.id)
        await audit.record(actor, "user.update", "staff_user", user.id, {"password": "set by link"})


async def do_update_my_account(actor: Actor, data: MyAccount) -> User:
    """What every signed-in user sets for themselves: their language."""
    async with db.transaction():
        user = await get_user(actor.user_id or 0)
        await StaffUser.update({StaffUser.language: data.language}).where(StaffUser.id == user.id)
        await audit.record(actor, "user.update", "staff_user", user.id, {
            "language": {"before": user.language, "after": data.language},
        })  # fmt: skip
        return to_schema(await get_user(user.id))


# --- API tokens ----------------------------------------------------------------


def _token_schema(row: ApiToken) -> Token:
    return Token(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=token_expires(row),
    )


async def list_tokens(actor: Actor) -> list[Token]:
    rows = await ApiToken.objects().where(
        (ApiToken.user == actor.user_id) & ApiToken.revoked_at.is_null()
    )
    return [_token_schema(r) for r in rows]


async def do_create_token(actor: Actor, data: TokenCreate) -> NewToken:
    secret = new_token(TOKEN_PREFIX)
    now = _now()
    async with db.transaction():
        user = await get_user(actor.user_id or 0)
        session = (
            await UserSession.select(UserSession.second_factor)
            .where(UserSession.id == actor.session_id)
            .first()
            if actor.session_id is not None
            else None
        )
        row = ApiToken(
            user=actor.user_id,
            name=data.name.strip()[:100] or "token",
            prefix=secret[:12],
            token_hash=token_hash(secret),
            created_at=now,
            expires_at=now + timedelta(days=data.expires_in_days),
            credentials_version=user.credentials_version,
            # a token made by a session that passed the second factor carries that with it
            second_factor=bool(session and session["second_factor"]),
        )
        await row.save()
        await audit.record(actor, "token.create", "api_token", row.id, {"name": row.name})
    return NewToken(token=_token_schema(row), secret=secret)


async def do_revoke_token(actor: Actor, token_id: int) -> None:
    async with db.transaction():
        row = (
            await ApiToken.objects()
            .where((ApiToken.id == token_id) & (ApiToken.user == actor.user_id))
            .first()
        )
        if row is None or row.revoked_at is not None:
            raise Problem(404, _("No such token."), kind="not-found")
        await ApiToken.update({ApiToken.revoked_at: _now()}).where(ApiToken.id == token_id)
        await audit.record(actor, "token.revoke", "api_token", token_id)


async def throttle(key: str, limit: int, window: timedelta) -> int:
    """Count a hit on ``key``; the seconds to wait when it had more than ``limit`` in ``window``."""
    return await throttle_counts.hit(key, limit, window)


async def names(ids: list[int]) -> dict[int, str]:
    """Staff users' names by id (an owner, an author)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await StaffUser.select(StaffUser.id, StaffUser.name).where(StaffUser.id.is_in(wanted))
    return {r["id"]: r["name"] for r in rows}
