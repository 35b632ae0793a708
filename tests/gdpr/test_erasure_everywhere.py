"""A person put through every feature, then erased: the database dump, var/ and the logs
hold none of their values in clear (PostgreSQL: pg_dump; SQLite: the file's bytes)."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from achterban.casework.tables import Case
from achterban.people.tables import Person
from achterban.platform import db
from tests.conftest import TEST_DB, client_for, run_jobs
from tests.world import everything, in_clear, unique_values, upload


def _sqlite_path() -> Path:
    return Path(os.environ["ACHTERBAN_DATABASE_URL"][len("sqlite:///") :])


def _database_outside_the_audit_log() -> bytes:
    if TEST_DB == "postgres":
        return subprocess.run(
            ["pg_dump", "--data-only", "--exclude-table-data=audit_event",
             os.environ["ACHTERBAN_DATABASE_URL"]],
            capture_output=True, check=True, timeout=120,
        ).stdout  # fmt: skip
    with sqlite3.connect(_sqlite_path()) as connection:
        return "\n".join(
            line for line in connection.iterdump() if '"audit_event"' not in line
        ).encode()


def _whole_database() -> bytes:
    if TEST_DB == "postgres":
        return subprocess.run(
            ["pg_dump", os.environ["ACHTERBAN_DATABASE_URL"]],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
    path = _sqlite_path()
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def _audit_text() -> bytes:
    with sqlite3.connect(_sqlite_path()) as connection:
        rows = connection.execute("SELECT detail, object_id FROM audit_event").fetchall()
    return "\n".join(f"{d} {o}" for d, o in rows).encode()


def _var_files(var: Path) -> dict[str, bytes]:
    database = {_sqlite_path().name, f"{_sqlite_path().name}-wal", f"{_sqlite_path().name}-shm"}
    return {
        str(p.relative_to(var)): p.read_bytes()
        for p in var.rglob("*")
        if p.is_file() and (TEST_DB == "postgres" or p.name not in database)
    }


@pytest.fixture
async def erased(app, admin_client, tmp_dir, caplog):
    caplog.set_level(logging.INFO)
    values = unique_values()
    pid = (await everything(admin_client, tmp_dir, values))["person"]
    response = await admin_client.post(f"/api/people/{pid}/erase", json={"reason": "request"})
    assert response.status_code == 204, response.text
    return values, pid


async def test_erasure_leaves_no_value_in_the_database_var_or_the_logs(erased, tmp_dir, caplog):
    values, _pid = erased
    assert in_clear(_database_outside_the_audit_log(), values) == {}
    if TEST_DB == "sqlite":  # the file's bytes, free pages and log included: only the
        raw = in_clear(_whole_database(), values)  # audit log may still hold a value
        assert in_clear(_audit_text(), raw) == raw
    for name, blob in _var_files(tmp_dir).items():
        assert in_clear(blob, values) == {}, name
    app_logs = [r for r in caplog.records if not r.name.startswith("httpx")]
    text = "\n".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in app_logs)
    assert in_clear(text.encode(), values) == {}


async def test_erasure_leaves_no_value_in_the_audit_log_either(erased):
    values, _pid = erased
    assert in_clear(_whole_database(), values) == {}


async def test_after_erasure_the_import_reports_the_person_and_a_return_is_flagged(
    app, erased, admin_client, tmp_dir
):
    values, _pid = erased
    key = await upload(admin_client, tmp_dir, "terug.csv", [
        "first_name,last_name,email", f"Someone,Else,{values['email'].upper()}",
    ])  # fmt: skip
    await run_jobs()
    status = (await admin_client.get(f"/api/imports/{key}")).json()
    assert status["created"] == 0 and status["updated"] == 0
    assert [(i["reason"], i["raw"]) for i in status["issues"]] == [("matches an erased person", "")]
    # someone who comes back on their own is a new record, and staff see the match
    back = await admin_client.post(
        "/api/people", json={"first_name": "New", "phones": [values["phone_written"]]}
    )
    assert back.status_code == 201 and back.json()["matches_erased_identity"] is True
    async with client_for(app) as anon:
        form = await anon.post("/api/public/cases", json={
            "name": "Came Back", "email": values["email"], "subject": "Again",
            "description": "I am back", "topic": "housing", "address": "Markt 1, 9401 AA Assen",
        })  # fmt: skip
    assert form.status_code == 202, form.text
    case = await Case.select(Case.person).where(Case.reference == form.json()["reference"]).first()
    returned = await Person.select(Person.matches_erased).where(Person.id == case["person"])
    assert returned == [{"matches_erased": True}]
    other = await admin_client.post("/api/people", json={"first_name": "Unrelated"})
    assert other.json()["matches_erased_identity"] is False
    assert db.is_postgres() == (TEST_DB == "postgres")
