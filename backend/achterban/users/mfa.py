"""The second factor: TOTP codes (RFC 6238, pyotp), one-time recovery codes, the role policy.

The TOTP secret is stored sealed with AES-GCM under a key derived from
``ACHTERBAN_SECRET_KEY``, so a copy of the database (a backup) holds no usable second
factor. A code's time step is recorded when it is used, so one code signs in once.
Recovery codes are stored as HMACs and are spent by one atomic UPDATE.

Whether a role needs a second factor is a row in ``security_policy``; without a row the
default holds: administrators need one, except in development and tests
(``ACHTERBAN_ENV=development`` or ``test``), where the demo sign-in stays simple.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import pyotp
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from achterban.audit import service as audit
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.security import token_hash
from achterban.settings import get_settings
from achterban.users import roles
from achterban.users.schemas import RolePolicy
from achterban.users.tables import RecoveryCode, SecurityPolicy, StaffUser

ISSUER = "Achterban"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _now() -> datetime:
    return datetime.now(UTC)


# --- sealing the secret --------------------------------------------------------


def _aead() -> AESGCM:
    key = hmac.new(get_settings().secret_key.encode(), b"achterban totp seal v1", hashlib.sha256)
    return AESGCM(key.digest())


def seal(secret: str) -> str:
    nonce = secrets.token_bytes(12)
    return base64.urlsafe_b64encode(
        nonce + _aead().encrypt(nonce, secret.encode(), b"totp")
    ).decode()


def unseal(sealed: str) -> str:
    raw = base64.urlsafe_b64decode(sealed.encode())
    return _aead().decrypt(raw[:12], raw[12:], b"totp").decode()


# --- TOTP ------------------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def matching_step(secret: str, code: str, at: datetime | None = None) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side), or None."""
    digits = "".join(c for c in code if not c.isspace())
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(at or _now())
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), digits):
            return candidate
    return None


async def use_step(user_id: int, step: int) -> bool:
    """Record ``step`` as used; False when it (or a later one) was used already."""
    async with db.transaction():
        rows = await db.raw(
            "UPDATE staff_user SET totp_last_step = {} WHERE id = {} AND totp_last_step < {} "
            "RETURNING id",
            step,
            user_id,
            step,
        )
    return bool(rows)


# --- recovery codes ----------------------------------------------------------------


def _normalise_code(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _code_hash(user_id: int, code: str) -> str:
    return token_hash(f"recovery:{user_id}:{_normalise_code(code)}")


def looks_like_recovery_code(code: str) -> bool:
    return len(_normalise_code(code)) == 10


async def new_recovery_codes(user_id: int) -> list[str]:
    """Replace the user's recovery codes with ten new ones; the codes are shown once."""
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    now = _now()
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)
    await RecoveryCode.insert(
        *[
            RecoveryCode(user=user_id, code_hash=_code_hash(user_id, c), created_at=now)
            for c in codes
        ]
    )
    return codes


async def spend_recovery_code(user_id: int, code: str) -> bool:
    async with db.transaction():
        rows = await db.raw(
            "UPDATE recovery_code SET used_at = {} "
            'WHERE "user" = {} AND code_hash = {} AND used_at IS NULL RETURNING id',
            _now(),
            user_id,
            _code_hash(user_id, code),
        )
    return bool(rows)


async def recovery_codes_left(user_id: int) -> int:
    return await RecoveryCode.count().where(
        (RecoveryCode.user == user_id) & RecoveryCode.used_at.is_null()
    )


async def verify_code(user: StaffUser, code: str) -> str | None:
    """Check a TOTP code or a recovery code of an enrolled user: "totp", "recovery" or None."""
    if not user.totp_secret or user.totp_enabled_at is None:
        return None
    step = matching_step(unseal(user.totp_secret), code)
    if step is not None:
        return "totp" if await use_step(user.id, step) else None
    if looks_like_recovery_code(code) and await spend_recovery_code(user.id, code):
        return "recovery"
    return None


async def enable(user_id: int, sealed_secret: str, step: int) -> list[str]:
    """Make the enrolment final; the new recovery codes."""
    async with db.transaction():
        await StaffUser.update(
            {
                StaffUser.totp_secret: sealed_secret,
                StaffUser.totp_enabled_at: _now(),
                StaffUser.totp_last_step: step,
            }
        ).where(StaffUser.id == user_id)
        return await new_recovery_codes(user_id)


async def disable(user_id: int) -> None:
    await StaffUser.update(
        {StaffUser.totp_secret: None, StaffUser.totp_enabled_at: None, StaffUser.totp_last_step: 0}
    ).where(StaffUser.id == user_id)
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)


# --- the policy ------------------------------------------------------------------------


def default_required(role: str, env: str | None = None) -> bool:
    """Without a stored setting: administrators need a second factor outside development."""
    return role == "admin" and (env or get_settings().env) not in ("development", "test")


async def required(role: str) -> bool:
    row = (
        await SecurityPolicy.select(SecurityPolicy.mfa_required)
        .where(SecurityPolicy.role == role)
        .first()
    )
    return bool(row["mfa_required"]) if row else default_required(role)


async def policy() -> list[RolePolicy]:
    rows = {r["role"]: r for r in await SecurityPolicy.select()}
    return [
        RolePolicy(
            role=role,
            mfa_required=bool(rows[role]["mfa_required"])
            if role in rows
            else default_required(role),
            is_default=role not in rows,
        )
        for role in roles.ROLES
    ]


async def do_set_policy(actor: Actor, role: str, mfa_required: bool) -> RolePolicy:
    if role not in roles.ROLES:
        raise Problem(404, _("No such role."), kind="not-found")
    async with db.transaction():
        if mfa_required and actor.role == role and actor.user_id is not None:
            me = await StaffUser.objects().where(StaffUser.id == actor.user_id).first()
            if me is None or me.totp_enabled_at is None:
                raise Problem(
                    409,
                    _("Set up a second factor for yourself first: this would sign you out."),
                    kind="conflict",
                )
        now = _now()
        await db.raw(
            "INSERT INTO security_policy (role, mfa_required, updated_at, updated_by) "
            "VALUES ({}, {}, {}, {}) ON CONFLICT (role) DO UPDATE SET "
            "mfa_required = excluded.mfa_required, updated_at = excluded.updated_at, "
            "updated_by = excluded.updated_by",
            role,
            mfa_required,
            now,
            actor.user_id,
        )
        await audit.record(
            actor, "security_policy.update", "security_policy", role,
            {"mfa_required": mfa_required},
        )  # fmt: skip
    return RolePolicy(role=role, mfa_required=mfa_required, is_default=False)
