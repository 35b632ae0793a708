"""A party moving from another tool imports that tool's people export as it is written:
columns recognised, names, every e-mail and phone, the address, tags, consent, the old id."""

from __future__ import annotations

from pathlib import Path

from achterban.consent.tables import ConsentEvent
from achterban.imports import mapping
from achterban.people.tables import Interaction, Person
from tests.conftest import run_jobs

EXPORTS = Path(__file__).parent / "exports"


async def _preview(client, path: Path, language: str = "en") -> dict:
    with path.open("rb") as handle:
        response = await client.post(
            "/api/imports/preview", files={"file": (path.name, handle, "text/csv")},
            headers={"Accept-Language": language},
        )  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()


async def _import(client, path: Path) -> dict:
    with path.open("rb") as handle:
        response = await client.post(
            "/api/imports/people", files={"file": (path.name, handle, "text/csv")}
        )
    assert response.status_code == 202, response.text
    await run_jobs()
    status = (await client.get(f"/api/imports/{response.json()['job_key']}")).json()
    assert status["status"] == "done", status
    return status


async def _person(client, external_ref: str) -> dict:
    row = await Person.select(Person.id).where(Person.external_ref == external_ref).first()
    assert row is not None, external_ref
    response = await client.get(f"/api/people/{row['id']}")
    assert response.status_code == 200
    return response.json()


async def _consent(person_id: int) -> dict[tuple[str, str], str]:
    rows = await ConsentEvent.select().where(ConsentEvent.person == person_id)
    return {(r["purpose"], r["channel"]): r["status"] for r in rows}


def test_each_tool_is_recognised_by_its_header():
    for name, tool in [
        ("nationbuilder", "NationBuilder"), ("civicrm", "CiviCRM"),
        ("action_network", "Action Network"), ("mailchimp_subscribed", "Mailchimp"),
    ]:  # fmt: skip
        header = (EXPORTS / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        found = mapping.detect(header.split(","))
        assert found is not None and found.name == tool, name
    assert mapping.detect(["Voornaam", "Achternaam", "E-mail"]) is None


async def test_the_preview_names_the_tool_and_labels_fields_in_the_readers_language(
    app, admin_client, tmp_dir
):
    preview = await _preview(admin_client, EXPORTS / "nationbuilder.csv", "nl")
    assert (preview["format"], preview["format_name"]) == ("nationbuilder", "NationBuilder")
    assert preview["mapping"]["prefix"] == "title"  # "Mrs." is a title, not an infix
    assert preview["mapping"]["primary_zip"] == "postcode"
    assert preview["labels"]["consent_casework_followup_email"] == (
        "Toestemming: opvolging van een zaak per e-mail"
    )
    assert preview["labels"]["first_name"] == "Voornaam"
    english = await _preview(admin_client, EXPORTS / "nationbuilder.csv", "en")
    assert english["labels"]["consent_casework_followup_email"] == (
        "Consent: follow-up of a case by e-mail"
    )
    assert set(english["labels"]) == set(english["fields"])
    own = tmp_dir / "own-list.csv"
    own.write_text("Voornaam,Achternaam,E-mail\nAnna,Smit,anna.smit@own.example\n")
    plain = await _preview(admin_client, own)
    assert plain["format"] is None


async def test_a_nationbuilder_export(app, admin_client):
    status = await _import(admin_client, EXPORTS / "nationbuilder.csv")
    assert status["created"] == 3
    # Kees's phone number is no number: he is imported without it, and the report says so
    assert [(i["line"], i["kept"]) for i in status["issues"]] == [(4, True)]
    assert "06 99988877" in status["issues"][0]["reason"]
    margaret = await _person(admin_client, "8812")
    assert (margaret["first_name"], margaret["infix"], margaret["last_name"]) == (
        "Margaret Ann", "", "Hoover",
    )  # fmt: skip
    assert margaret["emails"] == [
        "margaret.hoover@nb.export.example", "m.hoover@work.nb.export.example",
    ]  # fmt: skip
    assert margaret["phones"] == ["+12125550172", "+19175550110", "+12125550198"]
    address = margaret["address"]
    assert (address["street"], address["house_number"], address["unit"], address["city"],
            address["state"], address["postcode"], address["country"]) == (
        "5th Ave", "350", "Apt 12", "New York", "NY", "10118", "US",
    )  # fmt: skip
    assert margaret["tags"] == ["housing", "volunteer lead"]
    assert margaret["is_volunteer"] is True and margaret["date_of_birth"] == "1975-04-12"
    consent = await _consent(margaret["id"])
    assert consent[("newsletter", "email")] == "granted"
    assert consent[("newsletter", "sms")] == "withdrawn"
    note = await Interaction.select().where(Interaction.person == margaret["id"]).first()
    assert note["notes"] == "Met her at the town hall on housing"

    jan = await _person(admin_client, "8813")
    assert (jan["first_name"], jan["last_name"], jan["address"]["postcode"]) == (
        "Jan", "de Vries", "9711 NR",
    )  # fmt: skip
    assert jan["phones"] == ["+31621436587"] and jan["tags"] == ["donor", "groningen"]
    consent = await _consent(jan["id"])
    assert {consent[(p, "phone")] for p in ("newsletter", "fundraising", "casework_followup")} == {
        "withdrawn"
    }
    kees = await _person(admin_client, "8814")
    assert kees["phones"] == [] and kees["do_not_contact"] is True

    again = await _import(admin_client, EXPORTS / "nationbuilder.csv")
    assert (again["created"], again["updated"]) == (0, 3)  # the old id finds them again
    notes = await Interaction.count().where(Interaction.person == margaret["id"])
    assert notes == 1


async def test_a_civicrm_export(app, admin_client):
    status = await _import(admin_client, EXPORTS / "civicrm.csv")
    assert (status["created"], status["issues"]) == (2, [])
    fatima = await _person(admin_client, "204")
    assert (fatima["first_name"], fatima["last_name"]) == ("Fatima", "El Amrani")
    assert fatima["emails"] == ["fatima.elamrani@civi.export.example"]
    assert fatima["phones"] == ["+31503141592"]
    address = fatima["address"]
    assert (address["street"], address["house_number"], address["house_number_addition"],
            address["postcode"], address["city"], address["country"]) == (
        "Oude Ebbingestraat", "12", "A-2", "9712 HA", "Groningen", "NL",
    )  # fmt: skip
    assert fatima["tags"] == ["buurtteam", "volunteer"]
    assert (await _consent(fatima["id"]))[("newsletter", "phone")] == "withdrawn"
    peter = await _person(admin_client, "205")
    assert peter["first_name"] == "Peter J." and peter["phones"] == ["+14155550123"]
    assert peter["address"]["city"] == "San Francisco" and peter["address"]["state"] == "CA"
    consent = await _consent(peter["id"])
    assert consent[("casework_followup", "email")] == "withdrawn"  # do not e-mail: at all
    assert consent[("newsletter", "email")] == "withdrawn"


async def test_an_action_network_export(app, admin_client):
    status = await _import(admin_client, EXPORTS / "action_network.csv")
    assert (status["created"], status["issues"]) == (2, [])
    lucia = await _person(admin_client, "d91b4b2e-48a8-4c29-9d7e-2f1c2b2c6a11")
    assert (lucia["first_name"], lucia["last_name"]) == ("Lucia", "Hernández")
    assert lucia["phones"] == ["+15125550164"]
    address = lucia["address"]
    assert (address["street"], address["house_number"], address["city"], address["state"],
            address["postcode"]) == ("Congress Ave", "1100", "Austin", "TX", "78701")  # fmt: skip
    consent = await _consent(lucia["id"])
    assert consent[("newsletter", "email")] == "granted"
    assert consent[("newsletter", "sms")] == "granted"
    sanne = await _person(admin_client, "7f3e2c10-91b2-4d8e-8a43-5e2a90f4c0d2")
    assert sanne["address"]["postcode"] == "1012 JS" and sanne["phones"] == ["+31655501234"]
    assert (await _consent(sanne["id"]))[("newsletter", "email")] == "withdrawn"


async def test_a_mailchimp_subscribed_export(app, admin_client):
    status = await _import(admin_client, EXPORTS / "mailchimp_subscribed.csv")
    assert (status["created"], status["issues"]) == (2, [])
    zoe = await _person(admin_client, "a1b2c3d4e5")
    assert (zoe["first_name"], zoe["last_name"], zoe["email"]) == (
        "Zoë", "Jansen", "zoe.jansen@mc.export.example",
    )  # fmt: skip
    address = zoe["address"]
    assert (address["street"], address["house_number"], address["postcode"], address["city"]) == (
        "Vismarkt", "4", "9712 CB", "Groningen",
    )  # fmt: skip
    assert address["raw"] == "Vismarkt 4  Groningen    9712 CB  NL"  # kept as written
    assert zoe["phones"] == ["+31681726354"]
    assert zoe["tags"] == ["nieuwsbrief", "vrijwilliger"]
    assert (await _consent(zoe["id"]))[("newsletter", "email")] == "granted"
    bob = await _person(admin_client, "f6g7h8i9j0")
    assert (bob["address"]["city"], bob["address"]["state"], bob["address"]["unit"]) == (
        "New York", "NY", "Apt 12",
    )  # fmt: skip
    assert (await _consent(bob["id"]))[("newsletter", "email")] == "granted"
