"""What someone who owns the database (or bypasses its triggers) can do to the audit log."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from achterban.audit import chain
from achterban.platform import db

TABLES = ("audit_event", "audit_seal", "audit_pending")
SQLITE_TRIGGERS = {
    "audit_event_no_update": "BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, "
    "'audit_event is append-only'); END",
    "audit_event_no_delete": "BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, "
    "'audit_event is append-only'); END",
    "audit_seal_no_update": "BEFORE UPDATE ON audit_seal BEGIN SELECT RAISE(ABORT, "
    "'audit_seal is append-only'); END",
    "audit_seal_no_delete": "BEFORE DELETE ON audit_seal BEGIN SELECT RAISE(ABORT, "
    "'audit_seal is append-only'); END",
    "audit_event_queue_seal": "AFTER INSERT ON audit_event BEGIN INSERT INTO audit_pending "
    "(event_id) VALUES (NEW.id); END",
}


@asynccontextmanager
async def bypassing_triggers() -> AsyncIterator[None]:
    """A transaction in which the append-only triggers (and the seal queue) do not fire."""
    await chain.drain()
    async with db.transaction():  # SQLite: immediate, so no sealer runs alongside
        if db.is_postgres():
            await db.raw("SELECT pg_advisory_xact_lock({})", chain.SEAL_LOCK)
            await db.raw("SET LOCAL session_replication_role = replica")
            yield
        else:
            for name in SQLITE_TRIGGERS:
                await db.raw(f"DROP TRIGGER {name}")
            yield
            for name, body in SQLITE_TRIGGERS.items():
                await db.raw(f"CREATE TRIGGER {name} {body}")


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    await chain.seal()
    return {t: await db.raw(f"SELECT * FROM {t}") for t in TABLES}


async def restore(saved: dict[str, list[dict[str, Any]]]) -> None:
    """Put the log back exactly as it was, so later tests see an intact chain."""
    async with bypassing_triggers():
        for table in TABLES:
            await db.raw(f"DELETE FROM {table}")
            for row in saved[table]:
                columns = ", ".join(row)
                marks = ", ".join("{}" for _ in row)
                await db.raw(f"INSERT INTO {table} ({columns}) VALUES ({marks})", *row.values())


async def audit_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``achterban audit ...`` once this process's background sealer is done."""
    await chain.drain()
    return subprocess.run(
        [sys.executable, "-m", "achterban.cli", "audit", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


async def checkpoint(env: dict[str, str], path: Path) -> None:
    result = await audit_cli(env, "checkpoint", "--file", str(path))
    assert result.returncode == 0, result.stderr
