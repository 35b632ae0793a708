"""Housekeeping jobs for sign-in state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from achterban.users import service
from achterban.users.tables import LoginThrottle


async def purge_expired_sessions(ctx: dict[str, Any]) -> dict[str, int]:
    return {"removed": await service.purge_expired_sessions()}


async def purge_login_throttles(ctx: dict[str, Any]) -> dict[str, int]:
    """Forget failures older than a day whose block has ended."""
    cutoff = datetime.now(UTC) - timedelta(days=1)
    stale = await LoginThrottle.select(LoginThrottle.id).where(
        LoginThrottle.last_failure_at < cutoff
    )
    if stale:
        await LoginThrottle.delete().where(LoginThrottle.id.is_in([r["id"] for r in stale]))
    return {"removed": len(stale)}
