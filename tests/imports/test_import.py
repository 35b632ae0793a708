"""Staff import people from CSV: bad rows are reported by line, good rows land, nothing twice."""

from __future__ import annotations

import csv
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from achterban.consent.tables import ConsentEvent
from achterban.imports import mapping
from achterban.imports import service as imports
from achterban.imports.tables import ImportIssue
from achterban.people.tables import Person
from achterban.platform.tables import JobRun
from tests.conftest import SHARED_DATA, make_user, run_jobs, signed_in


def _csv(
    tmp_dir: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    path = tmp_dir / f"people-{uuid.uuid4().hex[:6]}.csv"
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


async def _upload(client, path: Path, **form):
    with path.open("rb") as handle:
        response = await client.post(
            "/api/imports/people", files={"file": (path.name, handle, "text/csv")}, data=form
        )
    assert response.status_code == 202, response.text
    await run_jobs()
    status = await client.get(f"/api/imports/{response.json()['job_key']}")
    return status.json()


def test_headers_in_english_and_dutch_are_recognised():
    guessed = mapping.guess([
        "Voornaam", "Tussenvoegsel", "Achternaam", "E-mailadres", "Telefoon",
        "Straat", "Huisnummer", "Postcode", "Woonplaats", "Notes",
    ])  # fmt: skip
    assert list(guessed.values()) == [
        "first_name", "infix", "last_name", "email", "phone", "street", "house_number",
        "postcode", "city", "notes",
    ]  # fmt: skip
    english = mapping.guess(["First Name", "last_name", "ZIP", "State", "Email Address"])
    assert list(english.values()) == ["first_name", "last_name", "postcode", "state", "email"]
    override = mapping.build(["Name", "Notes"], {"Notes": "tags"})
    assert override == {0: "full_name", 1: "tags"}


async def test_bad_rows_are_reported_by_line_and_good_rows_land(app, admin_client, tmp_dir):
    tag = f"imp{uuid.uuid4().hex[:6]}"
    path = _csv(tmp_dir, [
        ["first_name", "last_name", "email", "phone", "address", "tags", "support_level"],
        ["Anna", "Bakker", f"anna.{tag}@example.org", f"0613{uuid.uuid4().int % 10**6:06d}", "Markt 1, 9401 AA Assen", tag, "4"],  # noqa: E501
        ["Bob", "Smit", "bob@", "", "", tag, ""],
        ["Cor", "Visser", "", "12", "", tag, ""],
        ["", "", "", "", "", "", ""],
        ["Dirk", "Dijk", "", "", "1600 Pennsylvania Ave NW, Washington, DC 20500", tag, "9"],
        ["Eva", "Mulder", "", "", "under the bridge", tag, ""],
    ])  # fmt: skip
    status = await _upload(admin_client, path)
    assert status["status"] == "done"
    # a bad value is left out and reported on its line; the person is imported without it
    assert status["created"] == 5 and status["bad"] == 3
    assert [(i["line"], i["reason"], i["kept"]) for i in status["issues"]] == [
        (3, "E-mailadres: 'bob@' is geen geldig e-mailadres", True),
        (4, "Telefoonnummer: '12' is geen geldig telefoonnummer", True),
        (6, "Steun (1-5): '9' is niet 1 tot en met 5; weggelaten", True),
    ]  # fmt: skip
    english = await admin_client.get(
        f"/api/imports/{status['job_key']}/issues", headers={"Accept-Language": "en"}
    )
    assert english.json()["items"][0]["reason"] == (
        "E-mail address: 'bob@' is not a valid e-mail address"
    )
    assert status["done"] == status["total"] == 5  # the blank line is skipped
    people = (await admin_client.get("/api/people", params={"tag": tag})).json()["items"]
    assert sorted(p["display_name"] for p in people) == [
        "Anna Bakker", "Bob Smit", "Cor Visser", "Dirk Dijk", "Eva Mulder",
    ]  # fmt: skip
    bob = next(p for p in people if p["display_name"] == "Bob Smit")
    assert bob["email"] is None
    eva = next(p for p in people if p["display_name"] == "Eva Mulder")
    assert eva["address_status"] == "review"


async def test_reimporting_the_same_file_adds_nobody_and_consent_is_kept_once(
    app, admin_client, tmp_dir
):
    email = f"c.{uuid.uuid4().hex[:6]}@example.org"
    path = _csv(tmp_dir, [
        ["voornaam", "achternaam", "e-mail", "adres", "consent_newsletter_email"],
        ["Carla", "de Groot", email, "Vismarkt 2, 9712 CB Groningen", "ja"],
    ])  # fmt: skip
    first = await _upload(admin_client, path)
    second = await _upload(admin_client, path)
    assert (first["created"], second["created"], second["updated"]) == (1, 0, 1)
    people = await Person.select(Person.id).where(Person.email == email)
    assert len(people) == 1
    events = await ConsentEvent.select().where(ConsentEvent.person == people[0]["id"])
    assert len(events) == 1
    assert (events[0]["status"], events[0]["source"], events[0]["source_detail"]) == (
        "granted", "import", path.name,
    )  # fmt: skip


async def test_semicolon_latin1_file_from_a_spreadsheet(app, admin_client, tmp_dir):
    tag = f"lat{uuid.uuid4().hex[:6]}"
    path = _csv(
        tmp_dir,
        [["Naam", "Woonplaats", "Postcode", "Straat", "Huisnummer", "Labels"],
         ["José Müller", "Leeuwarden", "8911 AA", "Nieuwestad", "10", tag]],
        delimiter=";", encoding="latin-1",
    )  # fmt: skip
    status = await _upload(admin_client, path)
    assert status["created"] == 1, status
    person = (await admin_client.get("/api/people", params={"tag": tag})).json()["items"][0]
    assert person["display_name"] == "José Müller" and person["postcode"] == "8911 AA"


async def test_unparseable_addresses_are_all_kept(app, admin_client, tmp_dir):
    lines = (SHARED_DATA / "usaddress-labelled/training/unparseable.csv").read_text().splitlines()
    addresses = [line for line in lines if line.strip()]
    assert len(addresses) == 1322
    source = f"unparseable-{uuid.uuid4().hex[:6]}"
    path = _csv(tmp_dir, [["last_name", "address", "source"]]
                + [[f"Resident {i}", a, source] for i, a in enumerate(addresses)])  # fmt: skip
    status = await _upload(admin_client, path)
    assert status["status"] == "done" and status["bad"] == 0
    rows = await Person.select(Person.address_raw, Person.address_status).where(
        Person.source == source
    )
    assert len(rows) == len(addresses)
    assert sorted(r["address_raw"] for r in rows) == sorted(addresses)
    assert {r["address_status"] for r in rows} <= {"ok", "review"}


async def test_unknown_mapping_field_is_a_clear_error(app, admin_client, tmp_dir):
    path = _csv(tmp_dir, [["email"], ["x@example.org"]])
    with path.open("rb") as handle:
        response = await admin_client.post(
            "/api/imports/people", files={"file": (path.name, handle, "text/csv")},
            data={"mapping": '{"email": "e_mail_adres"}'},
        )  # fmt: skip
    assert response.status_code == 400
    assert "unknown field 'e_mail_adres'" in response.json()["detail"]


async def test_the_cli_imports_with_a_summary(app, test_env, tmp_dir):
    email = f"cli.{uuid.uuid4().hex[:6]}@example.org"
    path = _csv(
        tmp_dir, [["Name", "Mail", "Shoe size"], ["Henk de Boer", email, "x"], ["Ina", "nope", ""]]
    )
    result = subprocess.run(
        [sys.executable, "-m", "achterban.cli", "import", "people", str(path),
         "--map", "Mail=email"],
        env=test_env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 people added" in result.stdout and "1 bad rows" in result.stdout
    assert (
        "line 3: E-mail address: 'nope' is not a valid e-mail address (imported without it)"
        in result.stdout
    )
    assert "Columns not imported: Shoe size" in result.stdout
    person = await Person.select().where(Person.email == email).first()
    assert (person["first_name"], person["infix"], person["last_name"]) == ("Henk", "de", "Boer")
    missing = subprocess.run(
        [sys.executable, "-m", "achterban.cli", "import", "people", str(tmp_dir / "absent.csv")],
        env=test_env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (
        missing.returncode != 0 and "Error:" in missing.stderr and "Traceback" not in missing.stderr
    )


async def test_the_same_person_twice_in_one_file_is_one_person(app, admin_client, tmp_dir):
    email = f"twice.{uuid.uuid4().hex[:6]}@example.org"
    path = _csv(
        tmp_dir,
        [["name", "email", "tags"], ["Ria Kok", email, "a"], ["R. Kok", email.upper(), "b"]],
    )
    status = await _upload(admin_client, path)
    assert (status["created"], status["updated"]) == (1, 0)
    person = (await admin_client.get("/api/people", params={"q": email})).json()["items"]
    assert len(person) == 1 and person[0]["tags"] == ["a", "b"]


async def test_people_without_email_or_phone_are_matched_by_name_and_address(
    app, admin_client, tmp_dir
):
    last = f"Plaats{uuid.uuid4().hex[:6]}"
    path = _csv(tmp_dir, [["first_name", "last_name", "address"],
                          ["Saar", last, "Kerkstraat 5, 9401 AA Assen"]])  # fmt: skip
    first = await _upload(admin_client, path)
    again = await _upload(admin_client, path)
    assert (first["created"], again["created"], again["updated"]) == (1, 0, 1)


async def test_a_regional_organiser_imports_only_people_of_their_regions(
    app, admin_client, tmp_dir
):
    from tests.conftest import make_user, signed_in

    email = f"out.{uuid.uuid4().hex[:6]}@example.org"
    outside = (
        await admin_client.post(
            "/api/people",
            json={
                "first_name": "Buiten",
                "emails": [email],
                "address": "Markt 1, 9401 AA Assen",
            },
        )
    ).json()
    tag = f"reg{uuid.uuid4().hex[:6]}"
    path = _csv(
        tmp_dir,
        [
            ["first_name", "email", "address", "tags"],
            ["Binnen", f"in.{tag}@example.org", "Vismarkt 2, 9712 CB Groningen", tag],
            ["Buiten", "", "Markt 3, 9401 AA Assen", tag],
            ["Gewijzigd", email, "Vismarkt 9, 9712 CB Groningen", tag],
        ],
    )
    organiser = await make_user("regional_organiser", regions=["NL-GR"])
    async with signed_in(app, organiser) as client:
        status = await _upload(client, path)
    assert status["bad"] == 1 and "outside your regions" in status["issues"][0]["reason"]
    assert status["issues"][0]["line"] == 3
    untouched = (await admin_client.get(f"/api/people/{outside['id']}")).json()
    assert untouched["first_name"] == "Buiten" and untouched["region"] == "NL-DR"


async def test_the_kept_copy_is_deleted_and_bad_rows_text_expires(app, admin_client, tmp_dir):
    path = _csv(tmp_dir, [
        ["first_name", "last_name", "email"],
        ["Bob", "Smit", "bob@"],
        ["Ria", "Smit", f"ria.{uuid.uuid4().hex[:6]}@example.org"],
    ])  # fmt: skip
    status = await _upload(admin_client, path)
    assert status["created"] == 2 and status["issues"][0]["raw"] == "Bob,Smit,bob@"
    key = status["job_key"]
    assert not (imports.upload_dir() / f"{key.split(':')[1]}.csv").exists()

    await imports.purge_leftovers()  # a recent import keeps the text for whoever fixes it
    issue = await ImportIssue.select().where(ImportIssue.job_key == key).first()
    assert issue["raw_line"] == "Bob,Smit,bob@"
    later = datetime.now(UTC) + timedelta(days=imports.KEEP_RAW_LINES_DAYS + 1)
    await imports.purge_leftovers(now=later)
    issue = await ImportIssue.select().where(ImportIssue.job_key == key).first()
    assert (issue["line"], issue["raw_line"]) == (2, "")
    assert (await JobRun.select().where(JobRun.job_key == key).first())["status"] == "done"


async def test_preview_shows_the_guessed_mapping_and_the_first_rows(app, admin_client, tmp_dir):
    path = _csv(tmp_dir, [
        ["Voornaam", "Achternaam", "E-mail", "Lievelingskleur"],
        ["Anna", "Bakker", "anna@example.org", "blauw"],
    ])  # fmt: skip
    with path.open("rb") as handle:
        response = await admin_client.post(
            "/api/imports/preview", files={"file": (path.name, handle, "text/csv")},
            data={"mapping": '{"Lievelingskleur": "tags"}'},
        )  # fmt: skip
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["mapping"] == {
        "Voornaam": "first_name", "Achternaam": "last_name", "E-mail": "email",
        "Lievelingskleur": "tags",
    }  # fmt: skip
    assert preview["rows"] == [["Anna", "Bakker", "anna@example.org", "blauw"]]
    assert "consent_newsletter_email" in preview["fields"] and "postcode" in preview["fields"]
    with path.open("rb") as handle:
        bad = await admin_client.post(
            "/api/imports/preview", files={"file": (path.name, handle, "text/csv")},
            data={"mapping": '{"Lievelingskleur": "colour"}'},
        )  # fmt: skip
    assert bad.status_code == 400 and "colour" in bad.json()["detail"]


async def test_recent_imports_are_listed_for_who_may_see_them(app, admin_client, tmp_dir):
    path = _csv(tmp_dir, [["first_name", "email"], ["Lijst", f"l.{uuid.uuid4().hex[:6]}@x.org"]])
    status = await _upload(admin_client, path)
    listed = (await admin_client.get("/api/imports")).json()
    mine = next(i for i in listed if i["job_key"] == status["job_key"])
    assert (mine["filename"], mine["status"], mine["created"], mine["bad"]) == (
        path.name, "done", 1, 0,
    )  # fmt: skip
    organiser = await make_user("regional_organiser", regions=["NL-GR"])
    async with signed_in(app, organiser) as client:
        theirs = (await client.get("/api/imports")).json()
    assert status["job_key"] not in {i["job_key"] for i in theirs}


async def test_a_later_file_updates_the_people_it_matches(app, admin_client, tmp_dir):
    email = f"u.{uuid.uuid4().hex[:6]}@example.org"
    first = _csv(tmp_dir, [
        ["first_name", "last_name", "email", "support_level", "address"],
        ["Ugo", "Boer", email, "2", "Markt 1, 9401 AA Assen"],
    ])  # fmt: skip
    await _upload(admin_client, first)
    later = _csv(tmp_dir, [
        ["first_name", "last_name", "email", "support_level", "address"],
        ["Ugo", "Boer", email, "3", "Markt 1, 9401 AA Assen"],
        ["Ugo", "de Boer", email, "5", "Vismarkt 2, 9712 CB Groningen"],  # the later row wins
    ])  # fmt: skip
    status = await _upload(admin_client, later)
    assert (status["created"], status["updated"]) == (0, 1)
    people = (await admin_client.get("/api/people", params={"email": email})).json()["items"]
    assert len(people) == 1
    person = (await admin_client.get(f"/api/people/{people[0]['id']}")).json()
    assert (person["last_name"], person["support_level"], person["address"]["city"]) == (
        "de Boer", 5, "Groningen",
    )  # fmt: skip


async def test_copies_of_imports_that_ended_are_deleted_and_running_ones_kept(app):
    ended, running = f"import_people:{uuid.uuid4().hex}", f"import_people:{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    for key, status in ((ended, "failed"), (running, "running")):
        finished = now if status == "failed" else None
        await JobRun.insert(
            JobRun(job_key=key, name="import_people", status=status, created_at=now,
                   finished_at=finished)
        )  # fmt: skip
        (imports.upload_dir() / f"{key.split(':')[1]}.csv").write_text("first_name\nAnna\n")
    await imports.purge_leftovers()
    assert not (imports.upload_dir() / f"{ended.split(':')[1]}.csv").exists()
    assert (imports.upload_dir() / f"{running.split(':')[1]}.csv").exists()
    await JobRun.update({JobRun.status: "failed"}).where(JobRun.job_key == running)


def test_a_new_person_from_a_file_has_the_defaults_of_any_new_person():
    """The parsing process works out a new person's row without the table at hand: what
    it fills in where the file says nothing is the table's own default."""
    from achterban.people.record import ADDRESS_DEFAULTS, NEW_COLUMNS, VALUE_DEFAULTS

    columns = {c._meta.name: c for c in Person._meta.columns}
    for name, default in {**VALUE_DEFAULTS, **ADDRESS_DEFAULTS}.items():
        assert columns[name].get_default_value() == default, name
    assert set(NEW_COLUMNS) <= set(columns)
