"""On PostgreSQL the app runs as a role that can append to the audit log and nothing more.

The roles and a database are made with ``infra/postgres-roles.sh`` as an operator would,
migrated by ``achterban migrate`` as the owner, and then the app role tries what an
attacker holding the app's credentials would try.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from achterban.audit import chain
from achterban.platform import db
from tests.conftest import PG_ADMIN_URL, RUN_ID

pytestmark = pytest.mark.skipif(not db.is_postgres(), reason="roles are PostgreSQL's")

INFRA = Path(__file__).resolve().parents[2] / "infra" / "postgres-roles.sh"
DATABASE, OWNER, APP = f"achterban_roles_{RUN_ID}", f"ach_owner_{RUN_ID}", f"ach_app_{RUN_ID}"
WRITE_AND_VERIFY = """
from achterban.cli import run
from achterban.audit import service
from achterban.platform.auth import SYSTEM

async def main():
    await service.record(SYSTEM, "person.search", "people", "", {"q": "written by the app"})
    return await service.verify_chain()

report = run(main)
assert report.ok and report.checked >= 1, report
print("verified", report.checked)
"""


def _url(user: str) -> str:
    parsed = urlparse(PG_ADMIN_URL)
    netloc = f"{user}:pw@{parsed.hostname}:{parsed.port or 5432}"
    return urlunparse(parsed._replace(netloc=netloc, path=f"/{DATABASE}"))


async def _admin(statement: str, database: str = "postgres") -> None:
    import asyncpg

    url = urlunparse(urlparse(PG_ADMIN_URL)._replace(path=f"/{database}"))
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
async def roles(test_env):
    env = dict(test_env, ACHTERBAN_OWNER_PASSWORD="pw", ACHTERBAN_APP_PASSWORD="pw",
               PGHOST=urlparse(PG_ADMIN_URL).hostname or "127.0.0.1",
               PGUSER=urlparse(PG_ADMIN_URL).username or "postgres")  # fmt: skip
    made = subprocess.run([str(INFRA), DATABASE, OWNER, APP], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert made.returncode == 0, made.stderr
    env = dict(
        test_env, ACHTERBAN_DATABASE_URL=_url(APP), ACHTERBAN_MIGRATE_DATABASE_URL=_url(OWNER)
    )
    try:
        yield env
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await _admin(f'DROP ROLE IF EXISTS "{APP}"')
        await _admin(f'DROP ROLE IF EXISTS "{OWNER}"')


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


async def test_the_app_role_appends_to_the_log_but_cannot_rewrite_it(app, roles):
    import asyncpg

    await chain.drain()
    migrated = _cli(roles, "-m", "achterban.cli", "migrate")
    assert migrated.returncode == 0, migrated.stderr
    written = _cli(roles, "-c", WRITE_AND_VERIFY)  # the app works as the app role
    assert written.returncode == 0 and "verified" in written.stdout, written.stderr

    connection = await asyncpg.connect(_url(APP))
    try:
        attacks = [
            "UPDATE audit_event SET actor_label = 'forged'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
            "UPDATE audit_seal SET hash = 'forged'",
            "DELETE FROM audit_seal",
            "TRUNCATE audit_seal",
            "ALTER TABLE audit_event DISABLE TRIGGER ALL",
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete",
            "ALTER TABLE audit_seal DISABLE TRIGGER audit_seal_no_update_delete",
            "DROP TRIGGER audit_event_queue_seal ON audit_event",
            "DROP TABLE audit_seal",
            "SET session_replication_role = replica",
            "CREATE TABLE smuggled (id int)",
        ]
        for attack in attacks:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await connection.execute(attack)
        assert await connection.fetchval("SELECT count(*) FROM audit_event") >= 1
        owner_of = await connection.fetchval(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_event'"
        )
        assert owner_of == OWNER
    finally:
        await connection.close()
    # the single-URL set-up (the test run itself) is untouched and still verifies
    assert os.environ["ACHTERBAN_DATABASE_URL"] != roles["ACHTERBAN_DATABASE_URL"]
