"""Health of the things the app depends on."""

from __future__ import annotations

import logging

from achterban.platform import db
from achterban.settings import get_settings
from achterban.system.schemas import Health

log = logging.getLogger(__name__)


async def health() -> Health:
    database = "ok"
    try:
        await db.raw("SELECT 1")
    except Exception:
        log.exception("database health check failed")
        database = "unavailable"
    redis = "not configured"
    url = get_settings().redis_url
    if url:
        from redis.asyncio import Redis

        client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            await client.ping()
            redis = "ok"
        except Exception:
            log.exception("redis health check failed")
            redis = "unavailable"
        finally:
            await client.aclose()
    ok = database == "ok" and redis in ("ok", "not configured")
    return Health(status="ok" if ok else "degraded", database=database, redis=redis)
