"""A person put through every feature, then erased: the database dump, var/ and the logs
hold none of their values in clear (PostgreSQL: pg_dump; SQLite: the file's bytes)."""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import string
import subprocess
from pathlib import Path

import pytest

from achterban.casework.tables import Case
from achterban.people.tables import Person
from achterban.platform import db
from tests.conftest import TEST_DB, client_for, run_jobs


def _word(prefix: str) -> str:
    return prefix + "".join(random.choices(string.ascii_lowercase, k=8))


def _values() -> dict[str, str]:
    digits = random.choice("12345") + "".join(random.choices(string.digits, k=7))
    tag, last, local = _word("zq"), _word("Quoblin"), _word("zyx")
    return {"gift": f"gift from {last}", "email_local": local,
        "first_name": _word("Zorvath"), "last_name": last,
        "email": f"{local}@example.org", "phone": f"+316{digits}",
        "phone_written": f"06{digits}", "street": _word("Vlorpstraat").capitalize(),
        "date_of_birth": "1931-02-03", "external_ref": _word("EXT"), "tag": tag,
        "interaction": _word("Gesprek"),
        "case_subject": _word("Subjekt"), "case_description": _word("Beschrijving"),
        "sensitive": _word("Gezondheid"), "task": _word("Taak"), "referral": _word("Verwijzing"),
        "note": _word("Notitie"), "agency": _word("Instantie"),
        "dup_first": _word("Dupvoor"), "dup_email": f"{_word('dup')}@example.org",
        "dup_case": _word("Dupzaak"), "dup_street": _word("Dupstraat").capitalize(),
    }  # fmt: skip


def _in_clear(blob: bytes, values: dict[str, str]) -> dict[str, str]:
    low = blob.lower()
    return {k: v for k, v in values.items() if v.lower().encode() in low}


async def _case(client, person_id: int, subject: str, values: dict[str, str]) -> int:
    response = await client.post("/api/cases", json={
        "subject": subject, "description": values["case_description"], "topic": "health",
        "address": f"{values['street']} 17, 9712 CB Groningen", "person_id": person_id,
        "sensitive": {"health": values["sensitive"]},
    })  # fmt: skip
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _upload(client, tmp_dir: Path, name: str, rows: list[str]) -> str:
    path = tmp_dir / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with path.open("rb") as handle:
        response = await client.post(
            "/api/imports/people", files={"file": (name, handle, "text/csv")}
        )
    path.unlink()
    assert response.status_code == 202, response.text
    return str(response.json()["job_key"])


async def _everything(client, tmp_dir: Path, v: dict[str, str]) -> int:
    """The person through every feature; returns their id."""
    person = await client.post("/api/people", json={
        "first_name": v["first_name"], "last_name": v["last_name"], "emails": [v["email"]],
        "phones": [v["phone_written"]], "address": f"{v['street']} 17, 9712 CB Groningen",
        "date_of_birth": v["date_of_birth"], "external_ref": v["external_ref"],
        "tags": [v["tag"]], "support_level": 5,
    })  # fmt: skip
    assert person.status_code == 201, person.text
    pid = int(person.json()["id"])
    duplicate = await client.post("/api/people", json={
        "first_name": v["dup_first"], "last_name": v["last_name"],
        "emails": [v["dup_email"], v["email"]], "address": f"{v['dup_street']} 4, 9401 AA Assen",
    })  # fmt: skip
    dup_id = int(duplicate.json()["id"])
    await client.post(f"/api/people/{pid}/consent", json={
        "purpose": "newsletter", "channel": "email", "status": "granted",
    })  # fmt: skip
    await client.post(f"/api/people/{pid}/interactions", json={
        "channel": "phone", "direction": "in", "subject": v["interaction"],
        "notes": v["interaction"],
    })  # fmt: skip
    gift = await client.post(
        f"/api/people/{pid}/donations", json={"amount_cents": 2500, "campaign": v["gift"]}
    )
    assert gift.status_code == 201, gift.text
    case_id = await _case(client, pid, v["case_subject"], v)
    await _case(client, dup_id, v["dup_case"], v)
    # a referral needs the constituent's consent to share their details, noted in their words
    consent = await client.post(
        f"/api/cases/{case_id}/agency-consent", json={"given": True, "note": v["note"]}
    )
    assert consent.status_code in (200, 201, 204), consent.text
    for body in (
        {"kind": "referral", "body": v["referral"], "agency": v["agency"]},
        {"kind": "note", "body": v["note"]},
    ):
        response = await client.post(f"/api/cases/{case_id}/events", json=body)
        assert response.status_code in (200, 201, 204), response.text
    task = await client.post(f"/api/cases/{case_id}/tasks", json={"title": v["task"]})
    assert task.status_code in (200, 201), task.text
    merged = await client.post("/api/dedupe/merge", json={"survivor_id": pid, "merged_id": dup_id})
    assert merged.status_code == 204, merged.text
    # an import with a bad line that names them, run; and one still waiting, with their line
    bad = f"{v['email'].split('@')[0]}(at)example.org"
    await _upload(client, tmp_dir, f"lijst-{v['last_name']}.csv", [
        "first_name,last_name,email,phone,consent_newsletter_email",
        f"{v['first_name']},{v['last_name']},{bad},{v['phone_written']},yes",
        f"Buur,Neighbour,{_word('buur')}@example.org,,yes",  # imported from the file too
    ])  # fmt: skip
    await run_jobs()
    await _upload(client, tmp_dir, f"nieuw-{v['last_name']}.csv", [
        "first_name,last_name,email", f"{v['first_name']},{v['last_name']},{v['email']}",
    ])  # fmt: skip
    # searches and exports by their values
    for params in ({"q": v["email"]}, {"email": v["email"]}, {"q": v["last_name"]},
                   {"phone": v["phone_written"]}):  # fmt: skip
        assert (await client.get("/api/people", params=params)).status_code == 200
    for fmt in ("csv", "xlsx"):
        export = await client.get("/api/people/export", params={"q": v["email"], "format": fmt})
        assert export.status_code == 200
    assert (await client.get(f"/api/people/{pid}/subject-access")).status_code == 200
    return pid


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
    values = _values()
    pid = await _everything(admin_client, tmp_dir, values)
    response = await admin_client.post(f"/api/people/{pid}/erase", json={"reason": "request"})
    assert response.status_code == 204, response.text
    return values, pid


async def test_erasure_leaves_no_value_in_the_database_var_or_the_logs(erased, tmp_dir, caplog):
    values, _pid = erased
    assert _in_clear(_database_outside_the_audit_log(), values) == {}
    if TEST_DB == "sqlite":  # the file's bytes, free pages and log included: only the
        raw = _in_clear(_whole_database(), values)  # audit log may still hold a value
        assert _in_clear(_audit_text(), raw) == raw
    for name, blob in _var_files(tmp_dir).items():
        assert _in_clear(blob, values) == {}, name
    app_logs = [r for r in caplog.records if not r.name.startswith("httpx")]
    text = "\n".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in app_logs)
    assert _in_clear(text.encode(), values) == {}


async def test_erasure_leaves_no_value_in_the_audit_log_either(erased):
    values, _pid = erased
    assert _in_clear(_whole_database(), values) == {}


async def test_after_erasure_the_import_reports_the_person_and_a_return_is_flagged(
    app, erased, admin_client, tmp_dir
):
    values, _pid = erased
    key = await _upload(admin_client, tmp_dir, "terug.csv", [
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
            "description": "I am back", "topic": "housing", "address": "",
        })  # fmt: skip
    assert form.status_code == 202, form.text
    case = await Case.select(Case.person).where(Case.reference == form.json()["reference"]).first()
    returned = await Person.select(Person.matches_erased).where(Person.id == case["person"])
    assert returned == [{"matches_erased": True}]
    other = await admin_client.post("/api/people", json={"first_name": "Unrelated"})
    assert other.json()["matches_erased_identity"] is False
    assert db.is_postgres() == (TEST_DB == "postgres")
