"""arq WorkerSettings: every job and cron listed by name.

Jobs are recorded in the ``job_run`` table (see ``platform/jobs.py``); arq
only carries the job's key. The in-process runner uses the same registry.
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")

from arq import cron
from arq.connections import RedisSettings

from achterban import wiring
from achterban.audit import jobs as audit_jobs
from achterban.dedupe import jobs as dedupe_jobs
from achterban.imports import jobs as import_jobs
from achterban.people import jobs as people_jobs
from achterban.platform import db, jobs
from achterban.platform.jobs import CronJob, JobFunction
from achterban.settings import Settings, get_settings
from achterban.users import jobs as user_jobs

wiring.connect()  # before any job or request runs

JOBS: dict[str, JobFunction] = {
    "purge_expired_sessions": user_jobs.purge_expired_sessions,
    "purge_login_throttles": user_jobs.purge_login_throttles,
    "import_people": import_jobs.import_people,
    "purge_import_leftovers": import_jobs.purge_import_leftovers,
    "dedupe_scan": dedupe_jobs.dedupe_scan,
    "seal_audit_log": audit_jobs.seal_audit_log,
    "apply_due_maps": people_jobs.apply_due_maps,
    "recompute_districts": people_jobs.recompute_districts,
}

# How long one run may take, in seconds; a job not listed has jobs.DEFAULT_TIMEOUT (5 minutes).
# An import of a million rows takes most of an hour on a small server; a scan some minutes.
TIMEOUTS: dict[str, float] = {
    "import_people": 6 * 3600.0,
    "dedupe_scan": 30 * 60.0,
    "recompute_districts": 30 * 60.0,
}

CRONS = [
    CronJob("purge_expired_sessions", frozenset({7})),
    CronJob("purge_login_throttles", frozenset({37})),
    CronJob("purge_import_leftovers", frozenset({47})),
    CronJob("dedupe_scan", frozenset({17})),  # a safety net; changes to people ask for one
    CronJob("seal_audit_log", frozenset(range(3, 60, 5))),  # audited commits seal themselves
    CronJob("apply_due_maps", frozenset({23})),  # people's districts by the map in force
]


def configure_runner(settings: Settings) -> None:
    jobs.runner.configure(JOBS, CRONS, settings.redis_url, settings.job_queue, TIMEOUTS)


async def run_job(ctx: dict[str, Any], key: str) -> None:
    """The one arq function: run the recorded job ``key``; raise so arq retries a failure.

    The job row counts the runs and ends the job after ``jobs.MAX_TRIES``; arq's own
    count of tries of this wake-up does not decide.
    """
    from arq import Retry

    if not await jobs.execute(ctx, key, final_try=False):
        raise Retry(defer=ctx.get("job_try", 1) * 5)


async def sweep(ctx: dict[str, Any]) -> None:
    """Wake jobs whose wake-up was lost, take over jobs whose worker stopped."""
    await jobs.sweep()


def _sweep_seconds() -> set[int]:
    every = get_settings().job_sweep_seconds
    return set(range(0, 60, every)) if 0 < every < 60 else {0}


def _cron_enqueuer(name: str) -> Any:
    async def enqueue_cron(ctx: dict[str, Any]) -> None:
        tick = str(ctx.get("job_id", "")).rsplit(":", 1)[-1]  # arq's id ends in the time
        await jobs.enqueue(name, key=f"cron:{name}:{tick}")

    enqueue_cron.__qualname__ = enqueue_cron.__name__ = f"cron_{name}"
    return enqueue_cron


async def startup(ctx: dict[str, Any]) -> None:
    configure_runner(get_settings())
    await db.start()
    await jobs.runner.start(run_crons=False)  # jobs a job enqueues, and the sweeper's, go to Redis


async def shutdown(ctx: dict[str, Any]) -> None:
    await jobs.runner.stop()
    await db.stop()


class WorkerSettings:
    functions = [run_job]
    # arq keeps a cron tick unique by its name across all of Redis: name it by the queue,
    # or another installation (or test run) on the same Redis takes this queue's ticks
    cron_jobs = [
        cron(
            _cron_enqueuer(c.name), name=f"cron:{get_settings().job_queue}:{c.name}",
            minute=set(c.minutes), unique=True, run_at_startup=False,
        )
        for c in CRONS
    ] + [
        cron(
            sweep, name=f"cron:{get_settings().job_queue}:sweep", second=_sweep_seconds(),
            run_at_startup=True, timeout=60,
        )
    ]  # fmt: skip
    on_startup = startup
    on_shutdown = shutdown
    queue_name = get_settings().job_queue
    max_tries = jobs.MAX_TRIES + 2  # the job row decides; arq only must not give up first
    job_timeout = max(TIMEOUTS.values()) + 60  # each job's own limit ends it before this
    redis_settings = RedisSettings.from_dsn(get_settings().redis_url or "redis://127.0.0.1:6379")
