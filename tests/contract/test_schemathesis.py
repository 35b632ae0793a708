"""No request breaks the server: schemathesis sends generated requests to every operation.

The requests come from the committed OpenAPI document (``frontend/openapi.json``) and go to
``achterban serve`` on a database and job queue of their own (what they create, merge and
erase touches no other test), once as an administrator with an API token and once
anonymously. Every answer must be below 500, and every error must be Problem Details.
Schemathesis's phases include boundary values: NUL bytes, over-long strings, integers past
the database's range, wrong types. Its seed is fixed (``ACHTERBAN_FUZZ_SEED`` to change it),
so a failure reproduces with the same command; pytest prints the failing request.

``make test`` runs about ten examples per operation and role (over 1,000 requests in all);
the slow variant (``make test-slow``) runs a hundred.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.transport import Response

from tests.conftest import PASSWORD, RUN_ID, TEST_DB, _free_port, _pg_admin, _pg_url

OPENAPI = Path(__file__).resolve().parents[2] / "frontend" / "openapi.json"
SEED = int(os.environ.get("ACHTERBAN_FUZZ_SEED", "20261201"))
FAST_EXAMPLES = 10
SLOW_EXAMPLES = 100

SCHEMA = schemathesis.openapi.from_path(OPENAPI)
SCHEMA.config.seed = SEED
# Requests the administrator must not send to themselves, or the rest of the run is anonymous.
SELF_DEFEATING = {"logout", "revokeToken"}
COUNTS: dict[str, int] = {}


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


ADMIN_EMAIL = "fuzz.admin@test.achterban.example"


def _wait_for(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log.read_text())
        time.sleep(0.2)


@pytest.fixture(scope="session")
def fuzz_target(test_env: dict[str, str], tmp_dir: Path) -> Iterator[tuple[str, int]]:
    """`achterban serve` on a fresh database and queue, with one administrator: (url, id)."""
    if TEST_DB == "postgres":
        name = f"achterban_fuzz_{RUN_ID}"
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        url = _pg_url(name)
    else:
        url = f"sqlite:///{tmp_dir / 'fuzz.sqlite3'}"
    env = {
        **test_env,
        "ACHTERBAN_DATABASE_URL": url,
        "ACHTERBAN_JOB_QUEUE": f"achterban:fuzz:{RUN_ID}",
        "ACHTERBAN_VAR_DIR": str(tmp_dir / "fuzz"),
    }
    (tmp_dir / "fuzz").mkdir(exist_ok=True)
    cli = [sys.executable, "-m", "achterban.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    created = subprocess.run(
        [*cli, "createuser", "--email", ADMIN_EMAIL, "--name", "Fuzz Admin",
         "--role", "admin", "--password", PASSWORD],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    admin_id = int(created.stdout.rsplit("(id ", 1)[1].split(")")[0])
    port = _free_port()
    log = tmp_dir / "fuzz_server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*cli, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(base, process, log)
            yield base, admin_id
        finally:
            process.terminate()
            process.wait(timeout=10)
            if TEST_DB == "postgres":
                asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def live_server(fuzz_target: tuple[str, int]) -> str:
    """Here the server under test is the fuzzing one."""
    return fuzz_target[0]


@pytest.fixture(scope="session")
def fuzz_admin(fuzz_target: tuple[str, int]) -> int:
    return fuzz_target[1]


@pytest.fixture(scope="session")
def admin_session(live_server: str) -> Iterator[requests.Session]:
    """A requests session that authenticates with the administrator's API token."""
    with httpx.Client(base_url=live_server) as client:
        login = client.post("/api/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD})
        assert login.status_code == 200, login.text
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        token = client.post("/api/auth/tokens", json={"name": "fuzzing"})
        assert token.status_code == 201, token.text
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token.json()['secret']}"
        yield session


def _check(case: schemathesis.Case, response: Response) -> None:
    COUNTS[case.operation.label] = COUNTS.get(case.operation.label, 0) + 1
    request = f"{case.method} {response.request.url} body={case.body!r}"
    assert response.status_code < 500, f"{response.status_code} for {request}: {response.text}"
    if response.status_code >= 400 and not case.path.startswith("/api/schema"):
        content_type = (response.headers.get("content-type") or [""])[0]
        assert content_type.startswith("application/problem+json"), (
            f"{response.status_code} without Problem Details for {request}: {response.text}"
        )
        assert response.json()["status"] == response.status_code


def _as_admin(case, live_server, admin_session, fuzz_admin) -> None:
    operation_id = case.operation.definition.raw.get("operationId")
    if operation_id in SELF_DEFEATING:
        pytest.skip("would end the administrator's own token")
    if operation_id == "updateUser" and str(case.path_parameters.get("user_id")) == str(fuzz_admin):
        case.path_parameters["user_id"] = fuzz_admin + 1_000_000  # someone else, or nobody
    _check(case, case.call(base_url=live_server, session=admin_session, timeout=60))


def _as_anonymous(case, live_server) -> None:
    with requests.Session() as session:
        _check(case, case.call(base_url=live_server, session=session, timeout=60))


@SCHEMA.parametrize()
@_settings(FAST_EXAMPLES)
def test_no_request_of_an_administrator_gets_a_server_error(
    case, live_server, admin_session, fuzz_admin
):
    _as_admin(case, live_server, admin_session, fuzz_admin)


@SCHEMA.parametrize()
@_settings(FAST_EXAMPLES)
def test_no_anonymous_request_gets_a_server_error(case, live_server):
    _as_anonymous(case, live_server)


@pytest.mark.slow
@SCHEMA.parametrize()
@_settings(SLOW_EXAMPLES)
def test_many_more_requests_of_an_administrator_get_no_server_error(
    case, live_server, admin_session, fuzz_admin
):
    _as_admin(case, live_server, admin_session, fuzz_admin)


@pytest.mark.slow
@SCHEMA.parametrize()
@_settings(SLOW_EXAMPLES)
def test_many_more_anonymous_requests_get_no_server_error(case, live_server):
    _as_anonymous(case, live_server)


def test_the_generated_requests_were_many_and_reached_every_operation():
    """Runs after the tests above (file order): the run was not quietly empty."""
    if not COUNTS:
        pytest.skip("run together with the tests above")
    print(f"schemathesis: {sum(COUNTS.values())} requests over {len(COUNTS)} operations")
    assert sum(COUNTS.values()) >= 1000, COUNTS
    assert len(COUNTS) == len(list(SCHEMA.get_all_operations())), COUNTS
