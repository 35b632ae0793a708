"""Jobs are recorded with the data, woken only after commit, and run by arq or in-process."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from arq.connections import RedisSettings, create_pool

from achterban import worker as worker_module
from achterban.platform import db, jobs
from achterban.platform.tables import JobRun
from achterban.settings import get_settings
from achterban.users.tables import UserSession
from tests.conftest import make_user, run_jobs


async def _expired_session() -> int:
    member = await make_user("volunteer")
    now = datetime.now(UTC)
    row = UserSession(
        token_hash=f"expired-{member.id}".ljust(64, "0"),
        user=member.id,
        csrf_token="x",
        created_at=now - timedelta(days=2),
        expires_at=now - timedelta(days=1),
    )
    await row.save()
    return row.id


async def test_arq_worker_runs_a_job_queued_through_redis(app):
    session_id = await _expired_session()
    key = await jobs.enqueue("purge_expired_sessions")
    await run_jobs()
    job = await jobs.get(key)
    assert job.status == "done" and job.attempts == 1
    assert job.result["removed"] >= 1
    assert not await UserSession.exists().where(UserSession.id == session_id)


async def test_a_job_queued_in_a_rolled_back_transaction_never_exists(app):
    settings = get_settings()
    redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    queued_before = await redis.zcard(settings.job_queue)
    with pytest.raises(RuntimeError):
        async with db.transaction():
            key = await jobs.enqueue("purge_login_throttles")
            raise RuntimeError("the request failed")
    assert not await JobRun.exists().where(JobRun.job_key == key)
    assert await redis.zcard(settings.job_queue) == queued_before
    await redis.aclose()


async def test_the_same_key_is_one_job(app):
    first = await jobs.enqueue("purge_login_throttles", key="purge:once")
    second = await jobs.enqueue("purge_login_throttles", key="purge:once")
    assert first == second
    assert len(await JobRun.select().where(JobRun.job_key == "purge:once")) == 1
    await run_jobs()
    job = await jobs.get("purge:once")
    assert job.status == "done" and job.attempts == 1


async def test_a_job_that_ran_already_is_not_run_twice(app):
    key = await jobs.enqueue("purge_expired_sessions")
    await run_jobs()
    await jobs.execute({}, key)  # delivered again, as arq may do
    job = await jobs.get(key)
    assert job.attempts == 1


async def test_in_process_runner_runs_jobs_without_redis(app):
    session_id = await _expired_session()
    local = jobs.Runner()
    local.configure(worker_module.JOBS, worker_module.CRONS, None, "unused")
    saved, jobs.runner = jobs.runner, local
    try:
        key = await jobs.enqueue("purge_expired_sessions")
        await local.drain()
    finally:
        jobs.runner = saved
    job = await jobs.get(key)
    assert job.status == "done"
    assert not await UserSession.exists().where(UserSession.id == session_id)


async def test_unknown_job_names_are_refused(app):
    with pytest.raises(KeyError):
        await jobs.enqueue("no_such_job")


async def test_a_deferred_job_waits_on_redis_and_enqueue_once_adds_no_second(app):
    settings = get_settings()
    first = await jobs.enqueue_once("purge_login_throttles", after=600)
    again = await jobs.enqueue_once("purge_login_throttles", after=600)
    assert again == first  # still waiting: the change it was asked for is seen by that run
    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    try:
        job_id = f"{settings.job_queue}:{first}"
        due_ms = await pool.zscore(settings.job_queue, job_id)
        assert due_ms is not None and due_ms / 1000 > time.time() + 590
        await pool.zrem(settings.job_queue, job_id)  # let this run's burst workers finish
    finally:
        await pool.aclose()
    await JobRun.update({JobRun.status: "done"}).where(JobRun.job_key == first)


async def test_run_once_wakes_a_waiting_job_whose_wake_up_was_lost(app):
    lost = await jobs.enqueue("purge_login_throttles", wake=False)  # as if Redis lost it
    await JobRun.update({JobRun.created_at: datetime.now(UTC) - timedelta(minutes=5)}).where(
        JobRun.job_key == lost
    )
    assert await jobs.busy("purge_login_throttles")  # it is still going to run
    again = await jobs.enqueue_once("purge_login_throttles")
    assert again == lost  # the same run, now woken: no second one
    await run_jobs()
    job = await jobs.get(lost)
    assert job.status == "done" and job.attempts == 1
