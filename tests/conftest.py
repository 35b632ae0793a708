"""Test set-up: a throw-away database built by the migrations, real Redis, the app in-process.

``ACHTERBAN_TEST_DB=sqlite`` (default) uses a temporary SQLite file;
``ACHTERBAN_TEST_DB=postgres`` creates a database on ``ACHTERBAN_TEST_DATABASE_URL``
(default ``postgresql://postgres@127.0.0.1:5432/postgres``) and drops it afterwards.
Jobs go to the real Redis at ``ACHTERBAN_TEST_REDIS_URL`` on a queue of this run's own.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

RUN_ID = uuid.uuid4().hex[:10]
TEST_DB = os.environ.get("ACHTERBAN_TEST_DB", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "ACHTERBAN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ACHTERBAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
_tmp = Path(tempfile.mkdtemp(prefix=f"achterban-test-{RUN_ID}-"))


def _pg_url(database: str) -> str:
    return urlunparse(urlparse(PG_ADMIN_URL)._replace(path=f"/{database}"))


async def _pg_admin(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


if TEST_DB == "postgres":
    PG_DATABASE = f"achterban_test_{RUN_ID}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{PG_DATABASE}"'))
    DATABASE_URL = _pg_url(PG_DATABASE)
elif TEST_DB == "sqlite":
    DATABASE_URL = f"sqlite:///{_tmp / 'test.sqlite3'}"
else:  # pragma: no cover
    raise RuntimeError(f"ACHTERBAN_TEST_DB must be sqlite or postgres, not {TEST_DB!r}")

os.environ.update(
    {
        "ACHTERBAN_ENV": "test",
        "ACHTERBAN_DATABASE_URL": DATABASE_URL,
        "ACHTERBAN_REDIS_URL": REDIS_URL,
        "ACHTERBAN_JOB_QUEUE": f"achterban:test:{RUN_ID}",
        "ACHTERBAN_SECRET_KEY": f"test-secret-{RUN_ID}",
        "ACHTERBAN_VAR_DIR": str(_tmp),
        "ACHTERBAN_LOG_FORMAT": "text",
        "ACHTERBAN_DEDUPE_DELAY": "0",  # a burst worker would wait for a deferred scan
        "PICCOLO_CONF": "achterban.piccolo_conf",
    }
)

import httpx  # noqa: E402

from achterban import worker  # noqa: E402
from achterban.app import create_app  # noqa: E402
from achterban.platform import db  # noqa: E402
from achterban.platform.auth import SYSTEM  # noqa: E402
from achterban.platform.jobs import runner  # noqa: E402
from achterban.platform.migrate import migrate  # noqa: E402
from achterban.settings import get_settings  # noqa: E402
from achterban.users import service as users  # noqa: E402
from achterban.users.schemas import UserCreate  # noqa: E402

PASSWORD = "correct horse battery"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
_ips = itertools.count(1)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import shutil

    shutil.rmtree(_tmp, ignore_errors=True)
    if TEST_DB == "postgres":
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))


@pytest.fixture(scope="session")
async def app() -> AsyncIterator[object]:
    """The app with a migrated database and the job runner pointed at the real Redis."""
    await migrate()
    await db.start()
    worker.configure_runner(get_settings())
    await runner.start(run_crons=False)
    try:
        yield create_app()
    finally:
        await runner.stop()
        await db.stop()


@dataclass
class StaffMember:
    id: int
    email: str
    password: str
    role: str
    name: str


async def make_user(
    role: str = "admin",
    *,
    regions: list[str] | None = None,
    office_id: int | None = None,
    name: str | None = None,
) -> StaffMember:
    """Create a staff user with a unique e-mail address."""
    email = f"{role}.{uuid.uuid4().hex[:8]}@test.achterban.example"
    user = await users.do_create_user(
        SYSTEM,
        UserCreate(
            email=email,
            name=name or f"Test {role}",
            role=role,  # type: ignore[arg-type]
            password=PASSWORD,
            regions=regions or [],
            office_id=office_id,
        ),
    )
    return StaffMember(user.id, user.email, PASSWORD, user.role, user.name)


def client_for(app: object, ip: str | None = None) -> httpx.AsyncClient:
    """An HTTP client talking to the app in-process, from its own client address."""
    ip = ip or f"10.1.{next(_ips) // 250}.{next(_ips) % 250 + 1}"
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@asynccontextmanager
async def signed_in(app: object, member: StaffMember) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a cookie session and the CSRF header set, as the SPA has."""
    async with client_for(app) as client:
        response = await client.post(
            "/api/auth/login", json={"email": member.email, "password": member.password}
        )
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield client


async def new_token(app: object, member: StaffMember) -> str:
    async with signed_in(app, member) as session:
        response = await session.post("/api/auth/tokens", json={"name": "tests"})
        assert response.status_code == 201, response.text
        return str(response.json()["secret"])


@asynccontextmanager
async def with_token(app: object, member: StaffMember) -> AsyncIterator[httpx.AsyncClient]:
    """A client that authenticates with a personal API token, as a script would."""
    secret = await new_token(app, member)
    async with client_for(app) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        yield client


@pytest.fixture
async def admin(app: object) -> StaffMember:
    return await make_user("admin", name="Anne Admin")


@pytest.fixture
async def admin_client(app: object, admin: StaffMember) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in(app, admin) as client:
        yield client


@pytest.fixture
async def anon(app: object) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


@pytest.fixture(scope="session")
def test_env() -> dict[str, str]:
    """The environment a subprocess needs to use this run's database and Redis."""
    return {k: v for k, v in os.environ.items()}


@pytest.fixture(scope="session")
def tmp_dir() -> Iterator[Path]:
    yield _tmp


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], name: str) -> Iterator[str]:
    """`achterban serve` in a subprocess with ``env``, once it answers; its output in
    ``<tmp>/<name>.log`` (shown if it does not start)."""
    import subprocess
    import sys
    import time

    port = _free_port()
    path = _tmp / f"{name}.log"
    log = path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "achterban.cli", "serve", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(path.read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def live_server(app: object, test_env: dict[str, str]) -> Iterator[str]:
    """`achterban serve` in a subprocess on this run's database, serving the built SPA."""
    spa = get_settings().spa_dir / "index.html"
    assert spa.is_file(), f"the SPA is not built ({spa}); `make test` builds it first"
    with serving(test_env, "live_server") as base:
        yield base


@pytest.fixture(scope="session")
def embedding_server(live_server: str, test_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """`achterban serve` where a party's site (its origin given here) may frame the case form."""
    party = f"http://127.0.0.1:{_free_port()}"
    env = {**test_env, "ACHTERBAN_FORM_FRAME_ANCESTORS": f"{party} https://www.example.org"}
    with serving(env, "embedding_server") as base:
        yield {"base": base, "party": party}


@pytest.fixture
async def staff_user(app: object) -> StaffMember:
    """An administrator for browser tests."""
    return await make_user("admin", name="Bea Browser")


async def run_jobs() -> None:
    """Run the queued jobs with a real arq worker on Redis, in burst mode."""
    from arq.connections import RedisSettings
    from arq.worker import Worker

    settings = get_settings()
    arq_worker = Worker(
        functions=worker.WorkerSettings.functions,
        queue_name=settings.job_queue,
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        burst=True,
        poll_delay=0.05,
        max_tries=3,
        handle_signals=False,
    )
    try:
        await arq_worker.main()
    finally:
        await arq_worker.close()
