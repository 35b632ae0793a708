"""Lone audit entries on PostgreSQL, written together: one round trip for concurrent writers.

An entry written outside any transaction (a read of a person, a search) is handed to a
flusher that inserts what is waiting in one statement (up to ``IN_FLIGHT`` such
statements at once, so commits overlap as separate writers' would);
``write`` returns once the entry is committed, as a single INSERT's caller would. If the
batch fails (one bad value), each entry of it is written on its own, so one caller's error
is never another's.
"""

from __future__ import annotations

import asyncio
from typing import Any

INSERT_MANY = (
    "INSERT INTO audit_event (at, actor_id, actor_label, action, object_type, object_id, ip,"
    " detail, prev_hash, hash)"
    " SELECT a, b, c, d, e, f, g, h, '', '' FROM unnest($1::timestamptz[], $2::int[],"
    " $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])"
    " WITH ORDINALITY AS r(a, b, c, d, e, f, g, h, n) ORDER BY n"
)
INSERT_ONE = (
    "INSERT INTO audit_event (at, actor_id, actor_label, action, object_type, object_id, ip,"
    " detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', '')"
)


IN_FLIGHT = 2  # batches on their way at once (each on its own connection)


class _Flusher:
    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.waiting: list[tuple[tuple[Any, ...], asyncio.Future[None]]] = []
        self.tasks: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        while self.waiting:  # again when entries came while the connection went back
            batch: list[tuple[tuple[Any, ...], asyncio.Future[None]]] = []
            try:
                # one connection for every round: the pool resets a connection when it
                # goes back, a round trip each batch would otherwise pay
                async with self.pool.acquire() as connection:
                    while True:
                        if not self.waiting:
                            await asyncio.sleep(0)  # writers just answered queue their next
                            if not self.waiting:
                                break
                        batch, self.waiting = self.waiting, []
                        if len(batch) == 1:
                            await connection.execute(INSERT_ONE, *batch[0][0])
                        else:
                            columns = [list(c) for c in zip(*(v for v, _ in batch), strict=True)]
                            await connection.execute(INSERT_MANY, *columns)
                        for _, future in batch:
                            if not future.done():
                                future.set_result(None)
                        batch = []
            except Exception:  # each entry on its own, on fresh connections
                batch, self.waiting = batch + self.waiting, []
                await self._one_by_one(batch)

    async def _one_by_one(self, batch: list[tuple[tuple[Any, ...], asyncio.Future[None]]]) -> None:
        for values, future in batch:
            try:
                async with self.pool.acquire() as connection:
                    await connection.execute(INSERT_ONE, *values)
            except Exception as error:
                if not future.done():
                    future.set_exception(error)
            else:
                if not future.done():
                    future.set_result(None)


_flushers: dict[int, _Flusher] = {}


async def write(pool: Any, values: tuple[Any, ...]) -> None:
    """Insert one entry (outside a transaction) and return once it is committed."""
    loop = asyncio.get_running_loop()
    flusher = _flushers.get(id(pool))
    if flusher is None or flusher.pool is not pool:
        flusher = _flushers[id(pool)] = _Flusher(pool)
    future: asyncio.Future[None] = loop.create_future()
    flusher.waiting.append((values, future))
    flusher.tasks = {t for t in flusher.tasks if not t.done() and t.get_loop() is loop}
    if len(flusher.tasks) < IN_FLIGHT:  # else a running flush takes it on its next round
        flusher.tasks.add(loop.create_task(flusher.run()))
    await future
