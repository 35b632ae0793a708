"""A line that is not text does not stop an import: it is reported, the rest lands."""

from __future__ import annotations

import uuid

from achterban.people.tables import Person
from tests.conftest import run_jobs


async def _upload(client, path, language="en"):
    with path.open("rb") as handle:
        response = await client.post(
            "/api/imports/people", files={"file": (path.name, handle, "text/csv")}
        )
    assert response.status_code == 202, response.text
    await run_jobs()
    key = response.json()["job_key"]
    return (await client.get(f"/api/imports/{key}", headers={"Accept-Language": language})).json()


async def test_a_nul_byte_or_a_huge_field_is_one_bad_line(app, admin_client, tmp_dir):
    source = f"nul-{uuid.uuid4().hex[:6]}"
    path = tmp_dir / f"{source}.csv"
    path.write_bytes(
        b"first_name,last_name,source\n"
        b"Anna,Smit," + source.encode() + b"\n"
        b"Bad\x00ly,Written," + source.encode() + b"\n"
        b"Huge," + b"x" * (130 * 1024) + b"," + source.encode() + b"\n"
        b"Cor,Dijk," + source.encode() + b"\n"
    )
    status = await _upload(admin_client, path)
    assert status["status"] == "done" and status["created"] == 2
    assert [(i["line"], i["kept"]) for i in status["issues"]] == [(3, False), (4, False)]
    assert "NUL" in status["issues"][0]["reason"]
    assert "128 KB" in status["issues"][1]["reason"]
    names = await Person.select(Person.first_name).where(Person.source == source)
    assert sorted(r["first_name"] for r in names) == ["Anna", "Cor"]
    dutch = await _upload(admin_client, path, "nl")
    assert "niet geïmporteerd" in dutch["issues"][0]["reason"]


async def test_a_binary_file_is_still_refused_whole(app, admin_client, tmp_dir):
    path = tmp_dir / "photo.csv"
    path.write_bytes(b"\x89PNG\x00\x00\x00\rIHDR" + bytes(2000))
    with path.open("rb") as handle:
        response = await admin_client.post(
            "/api/imports/people", files={"file": (path.name, handle, "text/csv")}
        )
    assert response.status_code == 400


async def test_a_row_with_only_a_bad_e_mail_is_not_a_person_and_says_why(
    app, admin_client, tmp_dir
):
    path = tmp_dir / f"only-{uuid.uuid4().hex[:6]}.csv"
    path.write_text("email,tags\nnot-an-address,x\n")
    status = await _upload(admin_client, path)
    assert status["created"] == 0
    assert [(i["line"], i["kept"]) for i in status["issues"]] == [(2, False), (2, False)]
    reasons = [i["reason"] for i in status["issues"]]
    assert reasons[0] == "no name, e-mail address, phone number or address"
    assert "'not-an-address' is not a valid e-mail address" in reasons[1]
