"""Database plumbing: engines from a URL, transactions that own side effects.

A request or a job owns its transaction. Work that must only happen once the
data is durable (queueing a job, sending mail) is registered with
:func:`after_commit` and runs when the outermost transaction commits; it is
dropped if the transaction rolls back.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString

log = logging.getLogger(__name__)

AfterCommit = Callable[[], Awaitable[None]]
_after_commit: contextvars.ContextVar[list[AfterCommit] | None] = contextvars.ContextVar(
    "achterban_after_commit", default=None
)


def engine_from_url(url: str) -> Engine:
    """Build a Piccolo engine from ``sqlite:///path`` or ``postgresql://...``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else parsed.path
        return SQLiteEngine(path=path, timeout=30)
    if parsed.scheme in ("postgres", "postgresql"):
        return PostgresEngine(config={
            "dsn": url.replace("postgres://", "postgresql://", 1),
            # JIT compiling pays off for long reports, not for the app's queries: a count
            # over a million people spent more time compiling (about 200 ms) than running.
            # A plan for the values at hand: a statement asyncpg prepared once (a segment's
            # count, a list's filter) is otherwise planned for any value after five runs,
            # and a generic plan for "members in Friesland" read five times the rows
            "server_settings": {"jit": "off", "plan_cache_mode": "force_custom_plan"},
        })  # fmt: skip
    raise ValueError(f"Unsupported database URL scheme: {parsed.scheme!r}")


def get_engine() -> Engine:
    from piccolo.engine.finder import engine_finder

    engine = engine_finder()
    if engine is None:  # pragma: no cover - configuration error
        raise RuntimeError("No Piccolo engine configured (PICCOLO_CONF)")
    return engine


def is_postgres(engine: Engine | None = None) -> bool:
    return (engine or get_engine()).engine_type == "postgres"


def in_transaction() -> bool:
    return get_engine().current_transaction.get() is not None


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """Run the block in a transaction; join the ambient one if there is one.

    SQLite transactions start IMMEDIATE so that two writers never both read
    before writing (the audit chain depends on it).
    """
    engine = get_engine()
    if engine.current_transaction.get() is not None:
        yield
        return
    callbacks: list[AfterCommit] = []
    token = _after_commit.set(callbacks)
    try:
        if isinstance(engine, SQLiteEngine):
            txn: Any = engine.transaction(transaction_type=TransactionType.immediate)
        else:
            txn = engine.transaction()
        async with txn:
            yield
    finally:
        _after_commit.reset(token)
    for callback in callbacks:
        try:
            await callback()
        except Exception:  # a side effect must not undo a committed change
            log.exception("after-commit callback failed")


def after_commit(callback: AfterCommit) -> None:
    """Run ``callback`` once the current transaction commits (now if there is none)."""
    callbacks = _after_commit.get()
    if callbacks is None or not in_transaction():
        raise RuntimeError("after_commit() needs an open transaction()")
    callbacks.append(callback)


async def raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Run SQL written with ``{}`` placeholders on whichever engine is configured."""
    result = await get_engine().run_querystring(QueryString(sql, *args))
    return [dict(row) for row in result or []]


async def pg_execute(sql: str, *args: Any) -> None:
    """Run SQL with $n placeholders straight on asyncpg (bulk paths; PostgreSQL only)."""
    engine = get_engine()
    current = engine.current_transaction.get()
    if current is not None:
        await current.connection.execute(sql, *args)
        return
    assert isinstance(engine, PostgresEngine) and engine.pool is not None
    async with engine.pool.acquire() as connection:
        await connection.execute(sql, *args)


async def pg_copy(table: str, columns: list[str], records: Sequence[Sequence[Any]]) -> None:
    """COPY rows into a table (PostgreSQL's fastest way in), inside the current transaction."""
    engine = get_engine()
    current = engine.current_transaction.get()
    if current is not None:
        await current.connection.copy_records_to_table(table, records=records, columns=columns)
        return
    assert isinstance(engine, PostgresEngine) and engine.pool is not None
    async with engine.pool.acquire() as connection:
        await connection.copy_records_to_table(table, records=records, columns=columns)


async def pg_fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Fetch with $n placeholders straight on asyncpg (bulk paths; PostgreSQL only)."""
    engine = get_engine()
    current = engine.current_transaction.get()
    if current is not None:
        return [dict(r) for r in await current.connection.fetch(sql, *args)]
    assert isinstance(engine, PostgresEngine) and engine.pool is not None
    async with engine.pool.acquire() as connection:
        return [dict(r) for r in await connection.fetch(sql, *args)]


async def start() -> None:
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)


async def stop() -> None:
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
