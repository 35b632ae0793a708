"""Staff users: accounts, sign-in with throttling, sessions, personal API tokens.

Every change goes through a ``do_*`` function that takes the acting user and
writes the audit entry in the same transaction.
"""

from __future__ import annotations

import json
import secrets
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
from achterban.users import passwords, roles
from achterban.users.schemas import NewToken, Token, TokenCreate, User, UserCreate, UserUpdate
from achterban.users.tables import ApiToken, LoginThrottle, StaffUser, UserSession

TOKEN_PREFIX = "abt_"
MAX_BLOCK = timedelta(minutes=15)
IP_FAILURE_FACTOR = 4  # an address may fail for several accounts before it is slowed


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


# --- sign-in ---------------------------------------------------------------


async def _blocked_for(keys: list[str]) -> int:
    rows = await LoginThrottle.select().where(LoginThrottle.key.is_in(keys))
    now = _now()
    waits = [
        (r["blocked_until"] - now).total_seconds()
        for r in rows
        if r["blocked_until"] and r["blocked_until"] > now
    ]
    return int(max(waits)) + 1 if waits else 0


async def _note_failure(key: str, limit: int) -> None:
    async with db.transaction():
        row = await LoginThrottle.objects().where(LoginThrottle.key == key).first()
        now = _now()
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            await row.save()
        failures = row.failures + 1
        blocked_until = None
        if failures >= limit:
            seconds = min(2 ** (failures - limit) * 2, MAX_BLOCK.total_seconds())
            blocked_until = now + timedelta(seconds=seconds)
        await LoginThrottle.update(
            {
                LoginThrottle.failures: failures,
                LoginThrottle.last_failure_at: now,
                LoginThrottle.blocked_until: blocked_until,
            }
        ).where(LoginThrottle.key == key)


async def authenticate(email: str, password: str, ip: str | None) -> StaffUser:
    """Return the user, or raise the same 401 for an unknown user and a wrong password."""
    limit = get_settings().login_max_failures
    email_key, ip_key = f"email:{email.strip().lower()}", f"ip:{ip or '-'}"
    wait = await _blocked_for([email_key, ip_key])
    if wait:
        raise Problem(
            429,
            _("Too many failed sign-ins. Try again in {seconds} seconds."),
            values={"seconds": wait},
            kind="login-throttled",
            headers={"Retry-After": str(wait)},
        )
    user = await StaffUser.objects().where(StaffUser.email == email.strip().lower()).first()
    if not passwords.verify(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        await _note_failure(email_key, limit)
        await _note_failure(ip_key, limit * IP_FAILURE_FACTOR)
        await audit.record(
            Actor(None, email.strip().lower()[:254], "anonymous", frozenset(), ip=ip),
            "auth.login_failed", "staff_user", user.id if user else "",
        )  # fmt: skip
        raise Problem(401, _("Wrong e-mail address or password."), kind="login-failed")
    await LoginThrottle.delete().where(LoginThrottle.key == email_key)
    return user


async def start_session(user: StaffUser, ip: str | None, user_agent: str | None) -> tuple[str, str]:
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
            )
        )
        await StaffUser.update({StaffUser.last_login_at: now}).where(StaffUser.id == user.id)
        actor = actor_for(user, ip=ip, via="session")
        await audit.record(actor, "auth.login", "staff_user", user.id)
    return token, csrf


async def end_session(actor: Actor) -> None:
    async with db.transaction():
        if actor.session_id is not None:
            await UserSession.delete().where(UserSession.id == actor.session_id)
        await audit.record(actor, "auth.logout", "staff_user", actor.user_id)


async def actor_from_session(token: str, ip: str | None) -> Actor | None:
    row = (
        await UserSession.select(
            UserSession.id, UserSession.csrf_token, UserSession.expires_at, UserSession.user.id
        )
        .where(UserSession.token_hash == token_hash(token))
        .first()
    )
    if row is None or row["expires_at"] <= _now():
        return None
    user = await StaffUser.objects().where(StaffUser.id == row["user.id"]).first()
    if user is None or not user.active:
        return None
    return actor_for(
        user, ip=ip, via="session", districts=await _districts(user),
        session_id=row["id"], csrf_token=row["csrf_token"],
    )  # fmt: skip


async def actor_from_token(token: str, ip: str | None) -> Actor | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = await ApiToken.objects().where(ApiToken.token_hash == token_hash(token)).first()
    now = _now()
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now):
        return None
    user = await StaffUser.objects().where(StaffUser.id == row.user).first()
    if user is None or not user.active:
        return None
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row.id)
    return actor_for(user, ip=ip, via="token", districts=await _districts(user))


async def _districts(user: StaffUser) -> tuple[str, ...]:
    if user.office_id is None:
        return ()
    from achterban.districts.service import office_districts

    return await office_districts(user.office_id)


async def csrf_for(actor: Actor) -> str:
    return actor.csrf_token or ""


async def purge_expired_sessions() -> int:
    expired = await UserSession.select(UserSession.id).where(UserSession.expires_at <= _now())
    if expired:
        await UserSession.delete().where(UserSession.id.is_in([r["id"] for r in expired]))
    return len(expired)


# --- accounts ----------------------------------------------------------------


async def get_user(user_id: int) -> StaffUser:
    user = await StaffUser.objects().where(StaffUser.id == user_id).first()
    if user is None:
        raise Problem(404, _("No such user."), kind="not-found")
    return user


async def list_users() -> list[User]:
    return [to_schema(u) for u in await StaffUser.objects().order_by(StaffUser.email)]


async def do_create_user(actor: Actor, data: UserCreate) -> User:
    email = normalise_email(data.email)
    password_hash = passwords.hash_password(data.password)
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
    async with db.transaction():
        user = await get_user(user_id)
        values: dict[Any, Any] = {}
        for name, value in changes.items():
            if name == "password":
                values[StaffUser.password_hash] = passwords.hash_password(value)
            else:
                values[getattr(StaffUser, name)] = value
        if values:
            await StaffUser.update(values).where(StaffUser.id == user_id)
        if "password" in changes or changes.get("active") is False:
            await UserSession.delete().where(UserSession.user == user_id)
        logged = {k: v for k, v in changes.items() if k != "password"}
        if "password" in changes:
            logged["password"] = "changed"
        await audit.record(actor, "user.update", "staff_user", user_id, logged)
        user = await get_user(user_id)
    return to_schema(user)


# --- API tokens ----------------------------------------------------------------


def _token_schema(row: ApiToken) -> Token:
    return Token(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
    )


async def list_tokens(actor: Actor) -> list[Token]:
    rows = await ApiToken.objects().where(
        (ApiToken.user == actor.user_id) & ApiToken.revoked_at.is_null()
    )
    return [_token_schema(r) for r in rows]


async def do_create_token(actor: Actor, data: TokenCreate) -> NewToken:
    secret = new_token(TOKEN_PREFIX)
    now = _now()
    expires = now + timedelta(days=data.expires_in_days) if data.expires_in_days else None
    async with db.transaction():
        row = ApiToken(
            user=actor.user_id,
            name=data.name.strip()[:100] or "token",
            prefix=secret[:12],
            token_hash=token_hash(secret),
            created_at=now,
            expires_at=expires,
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
    """Count a hit on ``key``; the seconds to wait when it had ``limit`` hits in ``window``."""
    async with db.transaction():
        row = await LoginThrottle.objects().where(LoginThrottle.key == key).first()
        now = _now()
        if row is None:
            await LoginThrottle(key=key, failures=1, last_failure_at=now).save()
            return 0
        if row.blocked_until and row.blocked_until > now:
            return int((row.blocked_until - now).total_seconds()) + 1
        hits = 1 if now - row.last_failure_at > window else row.failures + 1
        blocked = now + window if hits > limit else None
        await LoginThrottle.update(
            {LoginThrottle.failures: hits, LoginThrottle.last_failure_at: now,
             LoginThrottle.blocked_until: blocked}
        ).where(LoginThrottle.key == key)  # fmt: skip
        return int(window.total_seconds()) if blocked else 0
