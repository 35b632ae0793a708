"""Signing in: the password, then (where set up or required) the second factor.

1. ``sign_in`` checks the password under the throttle. Without a second factor to ask for,
   a session starts. With TOTP set up, a short-lived *pending token* comes back
   (``step="code"``); when the role needs a second factor that is not set up yet, one for
   enrolment (``step="enrol"``). A pending token is good for nothing but the next step.
2. ``sign_in_with_code`` takes a TOTP code or a recovery code with the pending token;
   ``start_enrolment_at_sign_in`` / ``finish_enrolment_at_sign_in`` set TOTP up first.
   Wrong codes count in the same throttle as wrong passwords, and a pending token takes
   five attempts at most.

Signed-in staff can set TOTP up themselves (``start_enrolment`` / ``confirm_enrolment``)
and change their password (which ends their other sessions and every API token).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from achterban.audit import service as audit
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.security import new_token, token_hash
from achterban.users import mfa, passwords, throttle
from achterban.users.schemas import (
    EnrolConfirm,
    Enrolment,
    MfaChallenge,
    MfaStatus,
    PasswordChange,
    RecoveryCodes,
)
from achterban.users.service import end_credentials, get_user, start_session
from achterban.users.tables import LoginChallenge, StaffUser, UserSession

CHALLENGE_TTL = {
    "code": timedelta(minutes=5),
    "enrol": timedelta(minutes=15),
    "setup": timedelta(minutes=15),
}
CHALLENGE_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: StaffUser
    token: str
    csrf: str


def _now() -> datetime:
    return datetime.now(UTC)


def _anonymous(email: str, ip: str | None) -> Actor:
    return Actor(None, email[:254], "anonymous", frozenset(), ip=ip)


def _expired() -> Problem:
    return Problem(401, _("This sign-in has expired; start again."), kind="login-expired")


def _wrong_code(status: int = 401) -> Problem:
    return Problem(
        status, _("That code is not right."), kind="mfa-failed",
        errors=[{"key": "code", "message": "wrong code"}],
    )  # fmt: skip


# --- the password ---------------------------------------------------------------


async def authenticate(email: str, password: str, ip: str | None) -> StaffUser:
    """Return the user, or raise the same 401 for an unknown user and a wrong password."""
    email = email.strip().lower()
    keys = throttle.sign_in_keys(email, ip)
    await throttle.reserve(keys)
    user = await StaffUser.objects().where(StaffUser.email == email).first()
    if not passwords.verify(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        await audit.record(
            _anonymous(email, ip), "auth.login_failed", "staff_user", user.id if user else ""
        )
        raise Problem(401, _("Wrong e-mail address or password."), kind="login-failed")
    await throttle.give_back(keys)
    return user


async def sign_in(
    email: str, password: str, ip: str | None, user_agent: str | None
) -> SignedIn | MfaChallenge:
    user = await authenticate(email, password, ip)
    if user.totp_enabled_at is not None:
        return await _challenge(user, "code", ip)
    if await mfa.required(user.role):
        return await _challenge(user, "enrol", ip)
    await throttle.forget(throttle.account_key(user.email, ip))
    token, csrf = await start_session(user, ip, user_agent)
    return SignedIn(user, token, csrf)


# --- pending sign-ins --------------------------------------------------------------


async def _challenge(user: StaffUser, purpose: str, ip: str | None) -> MfaChallenge:
    token, now = new_token(), _now()
    expires = now + CHALLENGE_TTL[purpose]
    async with db.transaction():
        await LoginChallenge.insert(
            LoginChallenge(
                token_hash=token_hash(token),
                user=user.id,
                purpose=purpose,
                credentials_version=user.credentials_version,
                created_at=now,
                expires_at=expires,
            )
        )
        await audit.record(
            _anonymous(user.email, ip), f"auth.mfa_{purpose}_asked", "staff_user", user.id
        )
    return MfaChallenge(step="code" if purpose == "code" else "enrol", pending_token=token,
                        expires_at=expires)  # fmt: skip


async def _open(
    token: str, purpose: str, user_id: int | None = None
) -> tuple[LoginChallenge, StaffUser]:
    row = (
        await LoginChallenge.objects().where(LoginChallenge.token_hash == token_hash(token)).first()
    )
    if (
        row is None
        or row.purpose != purpose
        or row.expires_at <= _now()
        or (user_id is not None and row.user != user_id)
    ):
        raise _expired()
    user = await StaffUser.objects().where(StaffUser.id == row.user).first()
    if user is None or not user.active or user.credentials_version != row.credentials_version:
        raise _expired()
    return row, user


async def _attempt(row: LoginChallenge, user: StaffUser, ip: str | None) -> list[tuple[str, int]]:
    """Count an attempt at a code: in the sign-in throttle, and on the pending token itself."""
    keys = throttle.sign_in_keys(user.email, ip)
    await throttle.reserve(keys)
    async with db.transaction():
        left = await db.raw(
            "UPDATE login_challenge SET attempts = attempts + 1 "
            "WHERE id = {} AND attempts < {} RETURNING attempts",
            row.id,
            CHALLENGE_ATTEMPTS,
        )
    if not left:
        await LoginChallenge.delete().where(LoginChallenge.id == row.id)
        raise _expired()
    return keys


async def _claim(row: LoginChallenge) -> None:
    """Use the pending token up; of two racing requests only one gets it."""
    async with db.transaction():
        gone = await db.raw("DELETE FROM login_challenge WHERE id = {} RETURNING id", row.id)
    if not gone:
        raise _expired()


async def _failed(user: StaffUser, ip: str | None, action: str) -> None:
    await audit.record(_anonymous(user.email, ip), action, "staff_user", user.id)


async def sign_in_with_code(
    pending_token: str, code: str, ip: str | None, user_agent: str | None
) -> SignedIn:
    row, user = await _open(pending_token, "code")
    keys = await _attempt(row, user, ip)
    how = await mfa.verify_code(user, code)
    if how is None:
        await _failed(user, ip, "auth.mfa_failed")
        raise _wrong_code()
    await throttle.give_back(keys)
    await _claim(row)
    await throttle.forget(throttle.account_key(user.email, ip))
    if how == "recovery":
        await audit.record(_anonymous(user.email, ip), "auth.recovery_code_used", "staff_user",
                           user.id, {"left": await mfa.recovery_codes_left(user.id)})  # fmt: skip
    token, csrf = await start_session(
        user, ip, user_agent, second_factor=True, credentials_version=row.credentials_version
    )
    return SignedIn(user, token, csrf)


# --- enrolment -----------------------------------------------------------------------


async def _new_enrolment(row: LoginChallenge, user: StaffUser, token: str) -> Enrolment:
    secret = mfa.new_secret()
    await LoginChallenge.update({LoginChallenge.totp_secret: mfa.seal(secret)}).where(
        LoginChallenge.id == row.id
    )
    return Enrolment(
        secret=secret,
        provisioning_uri=mfa.provisioning_uri(secret, user.email),
        enrolment_token=token,
        expires_at=row.expires_at,
    )


async def _confirm(row: LoginChallenge, user: StaffUser, code: str, ip: str | None,
                   status: int) -> list[str]:  # fmt: skip
    """Check the first code against the new secret; the recovery codes once it is set up."""
    keys = await _attempt(row, user, ip)
    step = mfa.matching_step(mfa.unseal(row.totp_secret), code) if row.totp_secret else None
    if step is None or row.totp_secret is None:
        await _failed(user, ip, "auth.mfa_enrol_failed")
        raise _wrong_code(status)
    await throttle.give_back(keys)
    await _claim(row)
    codes = await mfa.enable(user.id, row.totp_secret, step)
    await audit.record(_anonymous(user.email, ip), "auth.mfa_enrolled", "staff_user", user.id)
    return codes


async def start_enrolment_at_sign_in(pending_token: str) -> Enrolment:
    row, user = await _open(pending_token, "enrol")
    return await _new_enrolment(row, user, pending_token)


async def finish_enrolment_at_sign_in(
    pending_token: str, code: str, ip: str | None, user_agent: str | None
) -> tuple[SignedIn, list[str]]:
    row, user = await _open(pending_token, "enrol")
    codes = await _confirm(row, user, code, ip, 401)
    await throttle.forget(throttle.account_key(user.email, ip))
    token, csrf = await start_session(
        user, ip, user_agent, second_factor=True, credentials_version=row.credentials_version
    )
    return SignedIn(user, token, csrf), codes


async def mfa_status(actor: Actor) -> MfaStatus:
    user = await get_user(actor.user_id or 0)
    return MfaStatus(
        enabled=user.totp_enabled_at is not None,
        required=await mfa.required(user.role),
        recovery_codes_left=await mfa.recovery_codes_left(user.id),
    )


async def start_enrolment(actor: Actor) -> Enrolment:
    """A signed-in user sets TOTP up (or again, after an administrator reset it)."""
    user = await get_user(actor.user_id or 0)
    if user.totp_enabled_at is not None:
        raise Problem(409, _("A second factor is set up already."), kind="conflict")
    challenge = await _challenge(user, "setup", actor.ip)
    row, user = await _open(challenge.pending_token, "setup", user.id)
    return await _new_enrolment(row, user, challenge.pending_token)


async def confirm_enrolment(actor: Actor, data: EnrolConfirm) -> RecoveryCodes:
    row, user = await _open(data.enrolment_token, "setup", actor.user_id)
    codes = await _confirm(row, user, data.code, actor.ip, 400)
    if actor.session_id is not None:  # this session has now shown the second factor
        await UserSession.update({UserSession.second_factor: True}).where(
            UserSession.id == actor.session_id
        )
    return RecoveryCodes(recovery_codes=codes)


async def do_reset_mfa(actor: Actor, user_id: int) -> None:
    """An administrator removes a user's second factor (a lost phone and lost codes).

    The user's sessions and tokens end; where the role needs a second factor they set up a
    new one at the next sign-in.
    """
    async with db.transaction():
        await get_user(user_id)
        await mfa.disable(user_id)
        await end_credentials(user_id)
        await audit.record(actor, "user.mfa_reset", "staff_user", user_id)


# --- the password, changed by its owner ------------------------------------------------


async def do_change_password(actor: Actor, data: PasswordChange) -> None:
    """Check the current password; the new one ends every other session and every token."""
    user = await get_user(actor.user_id or 0)
    keys = throttle.sign_in_keys(user.email, actor.ip)
    await throttle.reserve(keys)
    if not passwords.verify(user.password_hash, data.current_password):
        await _failed(user, actor.ip, "auth.password_change_failed")
        raise Problem(
            400, _("The current password is not right."), kind="validation",
            errors=[{"key": "current_password", "message": "wrong password"}],
        )  # fmt: skip
    await throttle.give_back(keys)
    new_hash = passwords.hash_field(data.new_password, "new_password")
    async with db.transaction():
        await StaffUser.update({StaffUser.password_hash: new_hash}).where(StaffUser.id == user.id)
        await end_credentials(user.id, keep_session=actor.session_id)
        await audit.record(actor, "user.update", "staff_user", user.id, {"password": "changed"})
