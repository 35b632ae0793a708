"""Sign-in throttling with atomic counters, keyed so that an attacker cannot lock out an owner.

Attempts are counted per (account, client address) and per client address, never per
account alone: someone hammering an e-mail address from one address slows themselves down,
while the owner signs in from their own address at once.

An attempt is counted *before* the password or code is checked, by one atomic statement
(``INSERT … ON CONFLICT DO UPDATE SET failures = failures + 1 RETURNING failures``, on
SQLite and PostgreSQL alike), so concurrent attempts are all counted and only the allowance
is checked at all: of 50 simultaneous guesses, ``limit`` are tried and the rest get 429. A
success gives its attempt back; a completed sign-in forgets the account's count from that
address. After ``limit`` failures each further attempt waits twice as long as the last
(2 s, 4 s, … at most 15 minutes); a quiet hour forgets the count.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from achterban.platform import db
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.settings import get_settings
from achterban.users.tables import LoginThrottle

MAX_BLOCK = timedelta(minutes=15)
QUIET = timedelta(hours=1)  # failures older than this are forgotten
IP_FAILURE_FACTOR = 4  # an address may fail for several accounts before it is slowed


def _now() -> datetime:
    return datetime.now(UTC)


def account_key(email: str, ip: str | None) -> str:
    """The key of one account from one client address (hashed: no e-mail address kept here)."""
    digest = hashlib.sha256(f"{email.strip().lower()}|{ip or '-'}".encode()).hexdigest()
    return f"account:{digest[:40]}"


def ip_key(ip: str | None) -> str:
    return f"ip:{ip or '-'}"


def sign_in_keys(email: str, ip: str | None) -> list[tuple[str, int]]:
    limit = get_settings().login_max_failures
    return [(account_key(email, ip), limit), (ip_key(ip), limit * IP_FAILURE_FACTOR)]


def backoff(count: int, limit: int) -> timedelta:
    """How long the key waits after its ``count``-th counted attempt."""
    if count < limit:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(count - limit, 20) * 2), MAX_BLOCK)


async def _count(key: str, now: datetime) -> int:
    """Count one attempt on ``key`` atomically; the count including it."""
    async with db.transaction():
        rows = await db.raw(
            'INSERT INTO login_throttle ("key", failures, last_failure_at) VALUES ({}, 1, {}) '
            'ON CONFLICT ("key") DO UPDATE SET failures = login_throttle.failures + 1, '
            "last_failure_at = excluded.last_failure_at RETURNING failures",
            key,
            now,
        )
    return int(rows[0]["failures"])


async def _block(key: str, count: int, until: datetime) -> None:
    """Set the block of the latest count only: a slower request with an older count skips."""
    await LoginThrottle.update({LoginThrottle.blocked_until: until}).where(
        (LoginThrottle.key == key) & (LoginThrottle.failures == count)
    )


async def _forget_if_quiet(row: LoginThrottle, now: datetime) -> int:
    """The count to compare against; a count gone quiet is reset (compare-and-set)."""
    if row.failures and now - row.last_failure_at > QUIET:
        await LoginThrottle.update(
            {LoginThrottle.failures: 0, LoginThrottle.blocked_until: None}
        ).where((LoginThrottle.key == row.key) & (LoginThrottle.failures == row.failures))
        return 0
    return int(row.failures)


def _too_many(seconds: float) -> Problem:
    wait = max(int(seconds) + 1, 1)
    return Problem(
        429,
        _("Too many failed sign-ins. Try again in {seconds} seconds."),
        values={"seconds": wait},
        kind="login-throttled",
        headers={"Retry-After": str(wait)},
    )


async def reserve(keys: list[tuple[str, int]]) -> None:
    """Count an attempt on every key, or raise 429 when one of them is spent.

    An attempt beyond a key's allowance goes ahead only when it is the first since the key's
    wait ran out; attempts that race it are counted and refused.
    """
    now = _now()
    rows = {r.key: r for r in await LoginThrottle.objects().where(
        LoginThrottle.key.is_in([k for k, _limit in keys])
    )}  # fmt: skip
    waits = [
        (r.blocked_until - now).total_seconds()
        for r in rows.values()
        if r.blocked_until and r.blocked_until > now
    ]
    if waits:
        raise _too_many(max(waits))
    refused: list[float] = []
    for key, limit in keys:
        seen = await _forget_if_quiet(rows[key], now) if key in rows else 0
        count = await _count(key, now)
        if count >= limit:
            await _block(key, count, now + backoff(count, limit))
        if count > limit and count != seen + 1:
            refused.append(backoff(count, limit).total_seconds())
    if refused:
        raise _too_many(max(refused))


async def give_back(keys: list[tuple[str, int]]) -> None:
    """A success: return the attempt it counted (and lift a block it alone caused)."""
    for key, limit in keys:
        await db.raw(
            "UPDATE login_throttle SET failures = failures - 1, blocked_until = CASE "
            "WHEN failures - 1 < {} THEN NULL ELSE blocked_until END "
            'WHERE "key" = {} AND failures > 0',
            limit,
            key,
        )


async def forget(key: str) -> None:
    await LoginThrottle.delete().where(LoginThrottle.key == key)


async def hit(key: str, limit: int, window: timedelta) -> int:
    """Count a hit on ``key``; the seconds to wait when it had more than ``limit`` in ``window``."""
    now = _now()
    row = await LoginThrottle.objects().where(LoginThrottle.key == key).first()
    if row is not None:
        if row.blocked_until and row.blocked_until > now:
            return int((row.blocked_until - now).total_seconds()) + 1
        if now - row.last_failure_at > window:
            await LoginThrottle.update(
                {LoginThrottle.failures: 0, LoginThrottle.blocked_until: None}
            ).where((LoginThrottle.key == key) & (LoginThrottle.failures == row.failures))
    count = await _count(key, now)
    if count > limit:
        await _block(key, count, now + window)
        return int(window.total_seconds())
    return 0
