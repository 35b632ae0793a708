"""Operators create accounts that will need a second factor, and reset a lost one."""

from __future__ import annotations

import subprocess
import sys

from achterban.settings import get_settings
from achterban.users.tables import StaffUser, UserSession
from tests.conftest import make_user, signed_in
from tests.users.test_mfa import enrol


def _cli(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "achterban.cli", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


async def test_createuser_says_when_the_role_needs_a_second_factor(app, test_env):
    made = _cli(
        # production needs its audit key set: the same one the tests' settings derive
        {**test_env, "ACHTERBAN_ENV": "production", "ACHTERBAN_COOKIE_SECURE": "0",
         "ACHTERBAN_AUDIT_KEY": get_settings().audit_key},
        "createuser", "--email", "first.admin@test.achterban.example", "--name", "First Admin",
        "--role", "admin", "--password", "a long cli password",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "needs a second factor" in made.stdout
    plain = _cli(
        test_env, "createuser", "--email", "plain.admin@test.achterban.example",
        "--name", "Plain Admin", "--role", "admin", "--password", "a long cli password",
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert "second factor" not in plain.stdout


async def test_reset_second_factor_from_the_command_line(app, test_env):
    member = await make_user("organiser")
    await enrol(app, member)
    reset = _cli(test_env, "reset-second-factor", member.email.upper())
    assert reset.returncode == 0, reset.stderr
    user = await StaffUser.objects().where(StaffUser.id == member.id).first()
    assert user.totp_enabled_at is None and user.totp_secret is None
    assert not await UserSession.exists().where(UserSession.user == member.id)
    async with signed_in(app, member):  # the password alone signs in again
        pass
    unknown = _cli(test_env, "reset-second-factor", "nobody@test.achterban.example")
    assert unknown.returncode != 0 and "No user" in unknown.stderr
