"""Background jobs: recorded in the database, woken by arq or run in-process.

``enqueue()`` writes a ``JobRun`` row in the caller's transaction and wakes a
worker only after commit, so a job never sees data that was rolled back. With
``ACHTERBAN_REDIS_URL`` set the wake-up goes to arq workers; without it an
asyncio task in this process runs the same job functions. Either way the job
may run more than once (arq's at-least-once delivery, a retry after a crash),
so ``execute()`` skips a job that is already done and job functions are written
to be idempotent.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from achterban.platform import db
from achterban.platform.tables import JobRun

log = logging.getLogger("achterban.jobs")

JobFunction = Callable[..., Awaitable[Any]]
MAX_TRIES = 3
RETRY_DELAYS = (1.0, 5.0)
LOST_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class CronJob:
    name: str
    minutes: frozenset[int]  # run at these minutes of every hour


class Runner:
    """Holds the job registry and how to wake a worker; configured at start-up."""

    def __init__(self) -> None:
        self.functions: dict[str, JobFunction] = {}
        self.crons: list[CronJob] = []
        self.redis_url: str | None = None
        self.queue_name = "achterban:queue"
        self._pool: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._cron_task: asyncio.Task[Any] | None = None

    def configure(
        self,
        functions: dict[str, JobFunction],
        crons: list[CronJob],
        redis_url: str | None,
        queue_name: str,
    ) -> None:
        self.functions = dict(functions)
        self.crons = list(crons)
        self.redis_url = redis_url
        self.queue_name = queue_name

    async def start(self, *, run_crons: bool) -> None:
        if self.redis_url:
            from arq import create_pool
            from arq.connections import RedisSettings

            self._pool = await create_pool(
                RedisSettings.from_dsn(self.redis_url), default_queue_name=self.queue_name
            )
        elif run_crons:
            self._cron_task = asyncio.create_task(self._cron_loop())

    async def stop(self) -> None:
        if self._cron_task:
            self._cron_task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None

    async def wake(self, key: str, after: float = 0.0) -> None:
        """Have a worker run ``key``; arq workers wait ``after`` seconds first.

        The in-process runner (one process, a small database) runs it at once.
        """
        if self._pool is not None:
            await self._pool.enqueue_job(
                "run_job", key, _job_id=f"{self.queue_name}:{key}", _defer_by=after or None
            )
            return
        task = asyncio.create_task(self._run_in_process(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for every in-process job (tests and the CLI use this)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _run_in_process(self, key: str) -> None:
        for attempt in range(MAX_TRIES):
            if await execute({"runner": self}, key, final_try=attempt == MAX_TRIES - 1):
                return
            await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])

    async def _cron_loop(self) -> None:
        last_minute = None
        while True:
            now = datetime.now(UTC)
            stamp = now.replace(second=0, microsecond=0)
            if stamp != last_minute:
                last_minute = stamp
                for cron in self.crons:
                    if now.minute in cron.minutes:
                        await enqueue(cron.name, key=f"cron:{cron.name}:{stamp.isoformat()}")
            await asyncio.sleep(60 - now.second)


runner = Runner()


async def enqueue(
    name: str,
    *,
    key: str | None = None,
    actor_id: int | None = None,
    wake: bool = True,
    after: float = 0.0,
    **arguments: Any,
) -> str:
    """Record a job and wake a worker after commit; the same ``key`` twice is one job.

    ``wake=False`` records it for a caller that runs it itself (the CLI); ``after``
    seconds is how long an arq worker waits before running it.
    """
    if name not in runner.functions:
        raise KeyError(f"unknown job {name!r}")
    key = key or f"{name}:{uuid.uuid4().hex}"
    async with db.transaction():
        existing = await JobRun.select(JobRun.id).where(JobRun.job_key == key).first()
        if existing is not None:
            return key
        await JobRun.insert(
            JobRun(
                job_key=key,
                name=name,
                arguments=arguments,
                actor_id=actor_id,
                created_at=datetime.now(UTC),
            )
        )

        async def wake_worker() -> None:
            await runner.wake(key, after)

        if wake:
            db.after_commit(wake_worker)
    return key


async def enqueue_once(name: str, *, actor_id: int | None = None, after: float = 0.0) -> str:
    """Enqueue ``name`` unless one is still waiting to start: that run will see this change.

    With ``after`` the run waits, so a burst of changes is one run, not one each.
    """
    waiting = (
        await JobRun.select(JobRun.job_key)
        .where((JobRun.name == name) & (JobRun.status == "queued") & _recent())
        .first()
    )
    if waiting is not None:
        return str(waiting["job_key"])
    return await enqueue(name, actor_id=actor_id, after=after)


async def busy(name: str) -> bool:
    """Is a job of this name waiting, running or about to be retried?"""
    return await JobRun.exists().where(
        (JobRun.name == name) & JobRun.status.is_in(["queued", "running", "retrying"]) & _recent()
    )


def _recent() -> Any:
    """A job still unfinished after this long was lost (Redis flushed, a worker killed)."""
    return JobRun.created_at > _now() - LOST_AFTER


async def progress(key: str, done: int, total: int | None = None) -> None:
    values: dict[Any, Any] = {JobRun.done: done}
    if total is not None:
        values[JobRun.total] = total
    await JobRun.update(values).where(JobRun.job_key == key)


async def get(key: str) -> JobRun | None:
    """The recorded job, with its arguments and result as dicts."""
    return await JobRun.objects().where(JobRun.job_key == key).output(load_json=True).first()


async def execute(ctx: dict[str, Any], key: str, *, final_try: bool = True) -> bool:
    """Run one recorded job. Returns False when it failed and may be tried again."""
    job = await get(key)
    if job is None:
        log.warning("job %s is not recorded; skipped", key)
        return True
    if job.status == "done":
        return True
    function = runner.functions.get(job.name)
    if function is None:
        await _finish(key, "failed", error=f"unknown job {job.name!r}")
        return True
    await JobRun.update(
        {JobRun.status: "running", JobRun.attempts: job.attempts + 1, JobRun.started_at: _now()}
    ).where(JobRun.job_key == key)
    try:
        arguments: dict[str, Any] = job.arguments if isinstance(job.arguments, dict) else {}
        result = await function({**ctx, "job_key": key}, **arguments)
    except Exception as exc:
        log.exception("job %s failed (attempt %s)", key, job.attempts + 1)
        await _finish(key, "failed" if final_try else "retrying", error=repr(exc))
        return False
    await _finish(key, "done", result=result if isinstance(result, dict) else {"value": result})
    return True


async def _finish(key: str, status: str, *, result: Any = None, error: str = "") -> None:
    values: dict[Any, Any] = {JobRun.status: status, JobRun.error: error[:4000]}
    if result is not None:
        values[JobRun.result] = result
    if status in ("done", "failed"):
        values[JobRun.finished_at] = _now()
    await JobRun.update(values).where(JobRun.job_key == key)


def _now() -> datetime:
    return datetime.now(UTC)
