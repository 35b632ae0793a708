"""A person with a unique value in every field, put through every feature: the world the
erasure test and the personal-data contract test look for."""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import Any

from achterban.journeys import files as journey_files
from achterban.segments import files as segment_files
from achterban.settings import get_settings
from tests.conftest import run_jobs


def word(prefix: str) -> str:
    return prefix + "".join(random.choices(string.ascii_lowercase, k=8))


def _birthday() -> str:
    return f"19{random.randint(10, 69)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"


def unique_values() -> dict[str, str]:
    digits = random.choice("12345") + "".join(random.choices(string.digits, k=7))
    tag, last, local = word("zq"), word("Quoblin"), word("zyx")
    return {"gift": f"gift from {last}", "email_local": local,
        "first_name": word("Zorvath"), "last_name": last,
        "email": f"{local}@example.org", "phone": f"+316{digits}",
        "phone_written": f"06{digits}", "street": word("Vlorpstraat").capitalize(),
        "date_of_birth": _birthday(), "external_ref": word("EXT"), "tag": tag,
        "interaction": word("Gesprek"),
        "case_subject": word("Subjekt"), "case_description": word("Beschrijving"),
        "sensitive": word("Gezondheid"), "task": word("Taak"), "referral": word("Verwijzing"),
        "note": word("Notitie"), "agency": word("Instantie"),
        "dup_first": word("Dupvoor"), "dup_email": f"{word('dup')}@example.org",
        "dup_case": word("Dupzaak"), "dup_street": word("Dupstraat").capitalize(),
    }  # fmt: skip


def in_clear(blob: bytes, values: dict[str, str]) -> dict[str, str]:
    low = blob.lower()
    return {k: v for k, v in values.items() if v.lower().encode() in low}


async def new_case(client, person_id: int, subject: str, values: dict[str, str]) -> int:
    response = await client.post("/api/cases", json={
        "subject": subject, "description": values["case_description"], "topic": "health",
        "address": f"{values['street']} 17, 9712 CB Groningen", "person_id": person_id,
        "sensitive": {"health": values["sensitive"]},
    })  # fmt: skip
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def upload(client, tmp_dir: Path, name: str, rows: list[str]) -> str:
    path = tmp_dir / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with path.open("rb") as handle:
        response = await client.post(
            "/api/imports/people", files={"file": (name, handle, "text/csv")}
        )
    path.unlink()
    assert response.status_code == 202, response.text
    return str(response.json()["job_key"])


async def everything(client, tmp_dir: Path, v: dict[str, str]) -> dict[str, Any]:
    """The person through every feature; returns the ids of what was made."""
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
    # the duplicate holds a post in a branch: the merge hands it to the survivor
    branch = await client.post("/api/branches", json={"name": word("Afdeling ")})
    assert branch.status_code == 201, branch.text
    branch_id = int(branch.json()["id"])
    post = await client.post(
        f"/api/branches/{branch_id}/officers", json={"role": "treasurer", "person_id": dup_id}
    )
    assert post.status_code == 201, post.text
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
    case_id = await new_case(client, pid, v["case_subject"], v)
    await new_case(client, dup_id, v["dup_case"], v)
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
    keys = [await upload(client, tmp_dir, f"lijst-{v['last_name']}.csv", [
        "first_name,last_name,email,phone,consent_newsletter_email",
        f"{v['first_name']},{v['last_name']},{bad},{v['phone_written']},yes",
        f"Buur,Neighbour,{word('buur')}@example.org,,yes",  # imported from the file too
    ])]  # fmt: skip
    await run_jobs()
    keys.append(await upload(client, tmp_dir, f"nieuw-{v['last_name']}.csv", [
        "first_name,last_name,email", f"{v['first_name']},{v['last_name']},{v['email']}",
    ]))  # fmt: skip
    # searches and exports by their values
    for params in ({"q": v["email"]}, {"email": v["email"]}, {"q": v["last_name"]},
                   {"phone": v["phone_written"]}):  # fmt: skip
        assert (await client.get("/api/people", params=params)).status_code == 200
    for fmt in ("csv", "xlsx"):
        export = await client.get("/api/people/export", params={"q": v["email"], "format": fmt})
        assert export.status_code == 200
    # a segment that finds them by their tag, and its frozen snapshot, which holds them
    segment = await client.post("/api/segments", json={
        "name": "Met het label", "shared": True,
        "definition": {"all": [{"field": "tag", "op": "has", "value": v["tag"]}]},
    })  # fmt: skip
    assert segment.status_code == 201, segment.text
    snapshot = await client.post(f"/api/segments/{segment.json()['id']}/snapshot")
    assert snapshot.status_code == 201 and snapshot.json()["size"] == 1, snapshot.text
    assert (await client.get(f"/api/people/{pid}/subject-access")).status_code == 200
    # the shipped journeys, loaded as at start-up (the donor welcome is paused and resumed)
    campaigns = get_settings().campaigns_dir
    await journey_files.sync(campaigns, {s.key for s in segment_files.read(campaigns / "segments")})
    for action in ("pause", "resume"):
        answer = await client.post(f"/api/journeys/new-donor-welcome/{action}")
        assert answer.status_code == 200, answer.text
    return {
        "person": pid,
        "case": case_id,
        "branch": branch_id,
        "task": int(task.json()["id"]),
        "imports": keys,
        "segment": int(snapshot.json()["id"]),
        "journey": "new-donor-welcome",
    }
