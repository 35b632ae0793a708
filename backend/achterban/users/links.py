"""Invitation and password-reset links: signed, expiring, and spent once used.

A link names the user, their ``credentials_version`` and when it expires, signed with the
secret key. Setting the password ends the user's credentials (the version goes up), so a
link works once; a newer link, a deactivation or any other password change spends it too.
Until Achterban sends e-mail, the admin hands the link over.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.security import same
from achterban.settings import get_settings
from achterban.users.tables import StaffUser

LINK_DAYS = 7
UNUSABLE = "!"  # a password hash no password matches: the account waits for its link


def _mac(user_id: int, version: int, expires: int) -> str:
    message = f"password-link:{user_id}:{version}:{expires}".encode()
    return hmac.new(get_settings().secret_key.encode(), message, "sha256").hexdigest()[:32]


def make(user: StaffUser, now: datetime | None = None) -> tuple[str, datetime]:
    """A token for ``user``'s link, and when it expires."""
    expires = (now or datetime.now(UTC)) + timedelta(days=LINK_DAYS)
    stamp = int(expires.timestamp())
    version = int(user.credentials_version)
    return f"{user.id}.{version}.{stamp}.{_mac(user.id, version, stamp)}", expires


def _invalid() -> Problem:
    return Problem(404, _("This link is not valid (any more)."), kind="not-found")


async def user_for(token: str) -> StaffUser:
    """The active user a genuine, unexpired, unspent link is for."""
    parts = token.split(".")
    if len(parts) != 4 or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts[:3]):
        raise _invalid()
    user_id, version, stamp = (int(p) for p in parts[:3])
    if not same(_mac(user_id, version, stamp), parts[3]):
        raise _invalid()
    if datetime.now(UTC).timestamp() > stamp:
        raise Problem(410, _("This link has expired: ask for a new one."), kind="expired")
    user = await StaffUser.objects().where(StaffUser.id == user_id).first()
    if user is None or not user.active or int(user.credentials_version) != version:
        raise _invalid()
    return user
