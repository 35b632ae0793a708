"""Background jobs: recorded in the database, woken by arq or run in-process.

``enqueue()`` writes a ``JobRun`` row in the caller's transaction and wakes a
worker only after commit, so a job never sees data that was rolled back. With
``ACHTERBAN_REDIS_URL`` set the wake-up goes to arq workers; without it an
asyncio task in this process runs the same job functions.

The row is the truth, Redis only a doorbell, so nothing depends on a wake-up
arriving exactly once:

- ``execute()`` *claims* the row with one conditional UPDATE (waiting, or running
  with a stale heartbeat → running, claimed by this run, one more attempt) and
  runs the job only when that UPDATE changed the row: two deliveries, two workers,
  never two runs at once.
- While it runs, a heartbeat task refreshes ``heartbeat_at``; a run that finds its
  claim taken over stops itself, and its writes (progress, the outcome, an import's
  batches) are conditional on the claim.
- Each job has its own time limit (``Runner.timeouts``); one that overruns is
  cancelled and recorded as retrying or failed with that reason, never left running.
- ``sweep()`` (an arq cron on the workers, the minute loop of the in-process runner)
  wakes waiting jobs whose wake-up was lost (Redis flushed, a server restarted) and
  takes over running jobs whose worker stopped heart-beating (``kill -9``).

Job functions are written to be idempotent or resumable (an import keeps a
checkpoint per committed batch, see ``imports/service.py``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from achterban.platform import db
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, translate
from achterban.platform.tables import JobRun
from achterban.settings import get_settings

log = logging.getLogger("achterban.jobs")

# Why a job did not finish, as message ids with their values, read in the reader's
# language (``error_text``); ``cause`` keeps a crash's own words for the operator.
UNKNOWN_JOB = _("Achterban does not know this kind of job ({job}).")
WORKER_STOPPED = _("Its worker stopped; another worker carries on with it.")
WORKER_STOPPED_AT = _("Its worker stopped during attempt {attempt}.")
OVER_TIME = _("It took longer than its limit of {seconds} seconds and was stopped.")
CRASHED = _("It stopped on an error in Achterban; the server's log names the cause.")


def failure(msgid: str, **values: Any) -> str:
    """What ``job_run.error`` stores: a message id and its values, as JSON."""
    return json.dumps({"msgid": msgid, "values": values}, default=str)


def error_text(stored: str, language: str | None) -> str:
    """``job_run.error`` in ``language`` (older rows hold plain text: shown as written)."""
    if not stored.startswith('{"msgid"'):
        return stored
    try:
        data = json.loads(stored)
        return translate(data["msgid"], language, **dict(data.get("values") or {}))
    except (ValueError, KeyError, IndexError):
        return stored


JobFunction = Callable[..., Awaitable[Any]]
MAX_TRIES = 3  # runs of one job, whether it raised, timed out or lost its worker
RETRY_DELAYS = (1.0, 5.0)
DEFAULT_TIMEOUT = 300.0  # seconds, for a job that declares none
WAITING = ("queued", "retrying")
_ENDED = ("done", "failed")


class ClaimLost(Exception):
    """This run's claim on the job was taken over: it must stop writing."""


@dataclass(frozen=True, slots=True)
class CronJob:
    name: str
    minutes: frozenset[int]  # run at these minutes of every hour


class Runner:
    """Holds the job registry and how to wake a worker; configured at start-up."""

    def __init__(self) -> None:
        self.functions: dict[str, JobFunction] = {}
        self.timeouts: dict[str, float] = {}
        self.crons: list[CronJob] = []
        self.redis_url: str | None = None
        self.queue_name = "achterban:queue"
        self._pool: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pending: dict[str, int] = {}  # in-process: key → tasks that will run it
        self._cron_task: asyncio.Task[Any] | None = None

    def configure(
        self,
        functions: dict[str, JobFunction],
        crons: list[CronJob],
        redis_url: str | None,
        queue_name: str,
        timeouts: dict[str, float] | None = None,
    ) -> None:
        self.functions = dict(functions)
        self.timeouts = dict(timeouts or {})
        self.crons = list(crons)
        self.redis_url = redis_url
        self.queue_name = queue_name

    def timeout(self, name: str) -> float:
        """How long one run of the job ``name`` may take, in seconds."""
        return self.timeouts.get(name, DEFAULT_TIMEOUT)

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
            self._cron_task = None
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None

    async def wake(self, key: str, after: float = 0.0, *, again: bool = False) -> None:
        """Have a worker run ``key``; arq workers wait ``after`` seconds first.

        ``again`` (the sweeper, a lost wake-up) sends a wake-up of its own: arq keeps
        the id of one that was delivered to a worker that died for hours. A second
        wake-up of a job that is still waiting is harmless: only one run claims it.
        The in-process runner (one process, a small database) runs it at once.
        """
        if self._pool is not None:
            job_id = f"{self.queue_name}:{key}"
            if again:
                job_id += f"@{uuid.uuid4().hex[:12]}"
            await self._pool.enqueue_job("run_job", key, _job_id=job_id, _defer_by=after or None)
            return
        self._pending[key] = self._pending.get(key, 0) + 1
        task = asyncio.create_task(self._run_in_process(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def woken(self, keys: list[str]) -> set[str]:
        """Those of ``keys`` with a wake-up still on its way to a worker.

        With arq: on the queue and not held by a worker (a worker that took it and
        left the row waiting, or whose heartbeat stopped, has died). In-process: a
        task of this process.
        """
        if self._pool is None:
            return {key for key in keys if self._pending.get(key)}
        wake_ups = await self._wake_ups(keys)
        return {key for key, ids in wake_ups.items() if any(not held for held in ids.values())}

    async def forget(self, key: str) -> None:
        """Drop the wake-ups of ``key`` that a dead worker holds.

        arq would keep them on the queue until its own time-out (hours), and deliver
        them again after it; the job has been taken over by then.
        """
        if self._pool is None:
            return
        from arq.constants import in_progress_key_prefix, job_key_prefix, retry_key_prefix

        for job_id, held in (await self._wake_ups([key])).get(key, {}).items():
            if held:
                await self._pool.zrem(self.queue_name, job_id)
                await self._pool.delete(
                    *(
                        prefix + job_id
                        for prefix in (in_progress_key_prefix, job_key_prefix, retry_key_prefix)
                    )
                )

    async def _wake_ups(self, keys: list[str]) -> dict[str, dict[str, bool]]:
        """key → {arq job id: held by a worker} for the wake-ups of ``keys`` on the queue."""
        if not keys or self._pool is None:
            return {}
        from arq.constants import in_progress_key_prefix

        prefix = f"{self.queue_name}:"
        wanted = set(keys)
        result: dict[str, dict[str, bool]] = {}
        for raw in await self._pool.zrange(self.queue_name, 0, -1):
            job_id = raw.decode() if isinstance(raw, bytes) else str(raw)
            key = job_id[len(prefix) :].rsplit("@", 1)[0] if job_id.startswith(prefix) else ""
            if key in wanted:
                held = bool(await self._pool.exists(in_progress_key_prefix + job_id))
                result.setdefault(key, {})[job_id] = held
        return result

    async def drain(self) -> None:
        """Wait for every in-process job (tests and the CLI use this)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _run_in_process(self, key: str) -> None:
        try:
            for attempt in range(MAX_TRIES):
                if await execute({"runner": self}, key, final_try=False):
                    return
                await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
        finally:
            left = self._pending.get(key, 1) - 1
            if left > 0:
                self._pending[key] = left
            else:
                self._pending.pop(key, None)

    async def _cron_loop(self) -> None:
        """Without Redis: the crons at their minutes, and the sweeper (at once, then often)."""
        every = max(1, get_settings().job_sweep_seconds)
        last_minute = None
        next_sweep = 0.0
        while True:
            now = datetime.now(UTC)
            stamp = now.replace(second=0, microsecond=0)
            if stamp != last_minute:
                last_minute = stamp
                for cron in self.crons:
                    if now.minute in cron.minutes:
                        await enqueue(cron.name, key=f"cron:{cron.name}:{stamp.isoformat()}")
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + every
                try:
                    await sweep()
                except Exception:  # the next round tries again
                    log.exception("the job sweeper failed")
            await asyncio.sleep(min(every, 60 - now.second))


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

    ``wake=False`` records it for a caller that runs it itself (the CLI); should that
    caller never do so, the sweeper wakes it. ``after`` seconds is how long an arq
    worker waits before running it.
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

    With ``after`` the run waits, so a burst of changes is one run, not one each. A
    waiting run whose wake-up was lost is woken again, never handed back idle.
    """
    waiting = (
        await JobRun.select(JobRun.job_key, JobRun.created_at)
        .where((JobRun.name == name) & (JobRun.status == "queued"))
        .order_by(JobRun.id, ascending=False)
        .first()
    )
    if waiting is None:
        return await enqueue(name, actor_id=actor_id, after=after)
    key = str(waiting["job_key"])
    just_queued = waiting["created_at"] > _now() - timedelta(seconds=5)  # woken after commit
    if not just_queued and key not in await runner.woken([key]):
        log.warning("job %s had lost its wake-up; woken again", key)
        await runner.wake(key, after, again=True)
    return key


async def busy(name: str) -> bool:
    """Is a job of this name waiting, running or about to be retried?

    None of these stays so for ever: the sweeper wakes, takes over or fails it.
    """
    return await JobRun.exists().where(
        (JobRun.name == name) & JobRun.status.is_in(["queued", "running", "retrying"])
    )


async def progress(key: str, done: int, total: int | None = None) -> None:
    """Record how far the job got; also a sign that it is alive."""
    values: dict[Any, Any] = {JobRun.done: done, JobRun.heartbeat_at: _now()}
    if total is not None:
        values[JobRun.total] = total
    await JobRun.update(values).where(JobRun.job_key == key)


async def save_checkpoint(
    key: str, claim: str | None, checkpoint: dict[str, Any], done: int, total: int | None
) -> None:
    """Store where a resumed run carries on from, in the caller's transaction.

    Raises ``ClaimLost`` (so the caller's transaction rolls back) when another run
    has taken the job over.
    """
    query = JobRun.update(
        {
            JobRun.checkpoint: checkpoint,
            JobRun.done: done,
            JobRun.total: total,
            JobRun.heartbeat_at: _now(),
        }
    ).where(JobRun.job_key == key)
    if claim is not None:
        query = query.where((JobRun.claimed_by == claim) & (JobRun.status == "running"))
    if not await query.returning(JobRun.id):
        raise ClaimLost(key)


async def get(key: str) -> JobRun | None:
    """The recorded job, with its arguments and result as dicts."""
    return await JobRun.objects().where(JobRun.job_key == key).output(load_json=True).first()


async def claim(key: str, claimant: str) -> int | None:
    """Take the job for ``claimant`` if nobody is running it; its attempt number, or None.

    One conditional UPDATE, so of two workers that try at once exactly one wins, on
    SQLite and PostgreSQL alike.
    """
    now = _now()
    stale = now - timedelta(seconds=get_settings().job_stale_seconds)
    rows = (
        await JobRun.update(
            {
                JobRun.status: "running",
                JobRun.claimed_by: claimant,
                JobRun.attempts: JobRun.attempts + 1,
                JobRun.started_at: now,
                JobRun.heartbeat_at: now,
            }
        )
        .where(
            (JobRun.job_key == key)
            & (
                JobRun.status.is_in(list(WAITING))
                | (
                    (JobRun.status == "running")
                    & (JobRun.heartbeat_at.is_null() | (JobRun.heartbeat_at < stale))
                )
            )
        )
        .returning(JobRun.attempts)
    )
    return int(rows[0]["attempts"]) if rows else None


async def execute(ctx: dict[str, Any], key: str, *, final_try: bool = True) -> bool:
    """Run one recorded job. Returns False when it failed and may be tried again.

    ``final_try=False`` lets a failure be retried until the job has had ``MAX_TRIES``
    runs. A job that has ended, or that another run holds, is left alone.
    """
    job = await get(key)
    if job is None:
        log.warning("job %s is not recorded; skipped", key)
        return True
    if job.status in _ENDED:
        return True
    function = runner.functions.get(job.name)
    if function is None:
        await JobRun.update(
            {JobRun.status: "failed", JobRun.error: failure(UNKNOWN_JOB, job=job.name)}
        ).where(JobRun.job_key == key)
        return True
    claimant = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    attempt = await claim(key, claimant)
    if attempt is None:
        log.info("job %s is running elsewhere or has ended; skipped", key)
        return True
    final = final_try or attempt >= MAX_TRIES
    limit = runner.timeout(job.name)
    arguments: dict[str, Any] = job.arguments if isinstance(job.arguments, dict) else {}
    run_context = {**ctx, "job_key": key, "claim": claimant}

    async def run() -> Any:
        return await function(run_context, **arguments)

    work: asyncio.Task[Any] = asyncio.create_task(run())
    taken_over = asyncio.Event()
    beat = asyncio.create_task(_keep_alive(key, claimant, work, taken_over))
    try:
        result = await asyncio.wait_for(work, limit)
    except (asyncio.CancelledError, ClaimLost):
        lost = not work.cancelled() and isinstance(work.exception(), ClaimLost)
        if taken_over.is_set() or lost:
            log.warning("job %s was taken over by another run; this one stopped", key)
            return True
        # this worker is shutting down: hand the job back for another to carry on
        await asyncio.shield(_finish(key, claimant, "retrying", error=failure(WORKER_STOPPED)))
        raise
    except Exception as exc:
        if isinstance(exc, TimeoutError) and work.cancelled():  # wait_for ended it
            log.error("job %s ran over its limit of %.0f s (attempt %s)", key, limit, attempt)
            error = failure(OVER_TIME, seconds=f"{limit:.0f}")
        elif isinstance(exc, Problem):  # a refusal the job's own code worded for its user
            error = failure(exc.detail, **exc.values)
        else:
            log.exception("job %s failed (attempt %s)", key, attempt)
            error = failure(CRASHED, cause=repr(exc)[:2000])
        await _finish(key, claimant, "failed" if final else "retrying", error=error)
        return False
    finally:
        beat.cancel()
    outcome = result if isinstance(result, dict) else {"value": result}
    await _finish(key, claimant, "done", result=outcome)
    return True


async def _keep_alive(
    key: str, claimant: str, work: asyncio.Task[Any], taken_over: asyncio.Event
) -> None:
    """Refresh the heartbeat while ``work`` runs; stop it if another run took the job."""
    every = get_settings().job_heartbeat_seconds
    while not work.done():
        await asyncio.sleep(every)
        try:
            alive = await (
                JobRun.update({JobRun.heartbeat_at: _now()})
                .where(
                    (JobRun.job_key == key)
                    & (JobRun.claimed_by == claimant)
                    & (JobRun.status == "running")
                )
                .returning(JobRun.id)
            )
        except Exception:  # a missed beat is not yet a lost claim
            log.exception("heartbeat of job %s failed", key)
            continue
        if not alive:
            taken_over.set()
            work.cancel()
            return


async def _finish(
    key: str, claimant: str, status: str, *, result: Any = None, error: str = ""
) -> None:
    values: dict[Any, Any] = {JobRun.status: status, JobRun.error: error[:4000]}
    if result is not None:
        values[JobRun.result] = result
    if status in _ENDED:
        values[JobRun.finished_at] = _now()
    else:
        values[JobRun.claimed_by] = ""
        values[JobRun.heartbeat_at] = _now()
    await JobRun.update(values).where((JobRun.job_key == key) & (JobRun.claimed_by == claimant))


async def sweep() -> dict[str, int]:
    """Wake jobs whose wake-up was lost; take over (or fail) jobs whose worker stopped.

    Safe to run in many processes at once: every change is a conditional UPDATE, and
    a job woken twice still runs once.
    """
    settings = get_settings()
    now = _now()
    stale = now - timedelta(seconds=settings.job_stale_seconds)
    counts = {"taken_over": 0, "failed": 0, "woken": 0}
    silent = (JobRun.status == "running") & (
        JobRun.heartbeat_at.is_null() | (JobRun.heartbeat_at < stale)
    )
    for row in await JobRun.select(JobRun.job_key, JobRun.attempts).where(silent):
        key = str(row["job_key"])
        ended = row["attempts"] >= MAX_TRIES
        changed = await (
            JobRun.update(
                {
                    JobRun.status: "failed" if ended else "retrying",
                    JobRun.claimed_by: "",
                    JobRun.heartbeat_at: now,
                    JobRun.error: failure(WORKER_STOPPED_AT, attempt=row["attempts"]),
                    **({JobRun.finished_at: now} if ended else {}),
                }
            )
            .where((JobRun.job_key == key) & silent)
            .returning(JobRun.id)
        )
        if not changed:
            continue  # it beat in the meantime, or another sweeper got there first
        if ended:
            log.error("job %s failed: its worker stopped %s times", key, row["attempts"])
            await runner.forget(key)
            counts["failed"] += 1
        else:
            log.warning("job %s lost its worker; taken over", key)
            await runner.forget(key)
            await runner.wake(key, again=True)
            counts["taken_over"] += 1
    lost_before = now - timedelta(seconds=settings.job_lost_seconds)
    waiting = await JobRun.select(JobRun.job_key).where(
        JobRun.status.is_in(list(WAITING))
        & (
            (JobRun.heartbeat_at.is_null() & (JobRun.created_at < lost_before))
            | (JobRun.heartbeat_at < lost_before)
        )
    )
    keys = [str(row["job_key"]) for row in waiting]
    woken = await runner.woken(keys)
    for key in keys:
        if key not in woken:
            log.warning("job %s had lost its wake-up; woken again", key)
            await runner.forget(key)
            await runner.wake(key, again=True)
            counts["woken"] += 1
    return counts


def _now() -> datetime:
    return datetime.now(UTC)
