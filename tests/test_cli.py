"""The `achterban` command reads the same settings as the app."""

from __future__ import annotations

import subprocess
import sys

from achterban.users.tables import StaffUser


def _cli(env, *args, input_text=None):
    return subprocess.run(
        [sys.executable, "-m", "achterban.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, input=input_text,
    )  # fmt: skip


async def test_createuser_makes_a_user_who_exists_in_the_app_database(app, test_env):
    result = _cli(
        test_env, "createuser", "--email", "cli.made@test.achterban.example", "--name", "Cli Made",
        "--role", "caseworker", "--office", "3", "--password", "a long cli password",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Created caseworker cli.made@test.achterban.example" in result.stdout
    user = (
        await StaffUser.objects()
        .where(StaffUser.email == "cli.made@test.achterban.example")
        .first()
    )
    assert user.role == "caseworker" and user.office_id == 3


async def test_createuser_reports_bad_input_in_one_line(app, test_env):
    result = _cli(
        test_env, "createuser", "--email", "nope", "--name", "X", "--password", "a long password",
    )  # fmt: skip
    assert result.returncode != 0
    assert "Error: Not a valid e-mail address" in result.stderr
    assert "Traceback" not in result.stderr


async def test_demo_seed_can_run_twice(app, test_env):
    first = _cli(test_env, "demo")
    second = _cli(test_env, "demo")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "admin@achterban.example" in second.stdout
    assert "0 users added" in second.stdout
    assert "The public case form, no sign-in: http://127.0.0.1:8000/form " in second.stdout
    assert await StaffUser.count().where(StaffUser.email == "admin@achterban.example") == 1


async def test_migrate_is_idempotent(app, test_env):
    result = _cli(test_env, "migrate")
    assert result.returncode == 0 and "Migrations applied" in result.stdout


def test_worker_without_redis_says_why(test_env):
    env = {**test_env, "ACHTERBAN_REDIS_URL": ""}
    result = _cli(env, "worker", "--burst")
    assert result.returncode != 0 and "ACHTERBAN_REDIS_URL is not set" in result.stderr
