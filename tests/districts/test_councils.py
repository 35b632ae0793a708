"""Dutch council members, aldermen and mayors load from a documented CSV, by the command line
and through the API: bad rows are reported by line number and the good rows land; loading the
same file again changes nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from achterban.districts import loaders, service
from achterban.districts.tables import Representative
from tests.conftest import make_user, signed_in

FILE = """gemeente,naam,partij,functie,vanaf,tot
Harlingen,Fenna Feenstra,Achterban,raadslid,2026-03-26,
Harlingen,Gerrit Gaastra,Achterban,wethouder,2026-05-01,2030-03-27
Nergenshuizen,Niemand,Achterban,raadslid,2026-03-26,
Harlingen,,Achterban,raadslid,2026-03-26,
Harlingen,Piet Pen,Achterban,griffier,2026-03-26,
Harlingen,Tijs Tijd,Achterban,raadslid,26-03-2026,
Harlingen,Omgekeerd,Achterban,raadslid,2026-03-26,2025-01-01
"""


@pytest.fixture(scope="module")
async def maps(app):
    await loaders.load_nl_pc4()


async def _harlingen() -> list[tuple[str, str, str, date, date | None]]:
    rows = await Representative.select().where(Representative.external_id.like("nl:%"))
    return sorted(
        (r["name"], r["chamber"], r["party"], r["valid_from"], r["valid_to"]) for r in rows
    )


async def test_the_command_line_loads_the_good_rows_and_names_each_bad_line(
    app, maps, tmp_dir, test_env
):
    path = tmp_dir / "raad-harlingen.csv"
    path.write_text(FILE, encoding="utf-8")
    command = [sys.executable, "-m", "achterban.cli", "districts", "load", "nl-council", str(path)]
    first = subprocess.run(command, env=test_env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "NL councils: 2 added, 0 changed, 5 lines not loaded." in first.stdout
    for line, words in [(4, "Nergenshuizen"), (5, "name is empty"), (6, "griffier"),
                        (7, "YYYY-MM-DD"), (8, "an end after it")]:  # fmt: skip
        assert any(s.startswith(f"line {line}: ") and words in s for s in first.stderr.splitlines())
    assert await _harlingen() == [
        ("Fenna Feenstra", "council", "Achterban", date(2026, 3, 26), None),
        ("Gerrit Gaastra", "alderman", "Achterban", date(2026, 5, 1), date(2030, 3, 27)),
    ]
    again = subprocess.run(command, env=test_env, capture_output=True, text=True, timeout=120)
    assert "NL councils: 0 added, 0 changed" in again.stdout
    loaders.invalidate()
    index = await service.index(date(2026, 6, 1))
    code = next(c for c, a in index.by_code.items() if a.name == "Harlingen")
    assert {r.name for r in index.reps[code]} >= {"Fenna Feenstra", "Gerrit Gaastra"}
    # the alderman's term ends: loading the file with an end date changes only that
    path.write_text(FILE.replace("2026-05-01,2030-03-27", "2026-05-01,2027-01-31"))
    changed = subprocess.run(command, env=test_env, capture_output=True, text=True, timeout=120)
    assert "0 added, 1 changed" in changed.stdout


async def test_an_admin_uploads_a_council_file_and_reads_the_bad_lines_in_dutch(
    app, maps, admin_client
):
    response = await admin_client.post(
        "/api/jurisdictions/councils",
        files={"file": ("raad.csv", FILE.replace("Harlingen", "Vlieland").encode(), "text/csv")},
        headers={"Accept-Language": "nl"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["added"], len(body["bad"])) == (2, 5)
    assert body["bad"][0] == {"line": 4, "reason": "Er is geen huidige gemeente Nergenshuizen."}
    missing = await admin_client.post(
        "/api/jurisdictions/councils", files={"file": ("x.csv", b"naam,partij\nA,B\n", "text/csv")}
    )
    assert missing.json()["bad"][0]["line"] == 1
    organiser = await make_user("organiser")
    async with signed_in(app, organiser) as client:
        refused = await client.post(
            "/api/jurisdictions/councils", files={"file": ("raad.csv", FILE.encode(), "text/csv")}
        )
        assert refused.status_code == 403


async def test_an_admin_adds_and_ends_a_representative_by_hand(app, maps, admin_client):
    added = await admin_client.post("/api/representatives", json={
        "jurisdiction": "NL-GM-terschelling", "name": "Tjalling Tuinman", "chamber": "council",
        "party": "Achterban", "valid_from": "2026-03-26",
    })  # fmt: skip
    assert added.status_code == 201, added.text
    rep = added.json()
    assert rep["current"] is True and rep["valid_to"] is None
    listed = await admin_client.get(
        "/api/representatives", params={"jurisdiction": "NL-GM-terschelling"}
    )
    assert rep["id"] in [r["id"] for r in listed.json()]
    backwards = await admin_client.patch(
        f"/api/representatives/{rep['id']}", json={"valid_to": "2025-01-01"}
    )
    assert backwards.status_code == 400 and backwards.json()["errors"][0]["key"] == "valid_to"
    ended = await admin_client.patch(
        f"/api/representatives/{rep['id']}", json={"valid_to": "2026-11-30"}
    )
    assert ended.status_code == 200 and ended.json()["current"] is False
    loaders.invalidate()
    index = await service.index(date(2026, 12, 1))
    assert "Tjalling Tuinman" not in {r.name for r in index.reps.get("NL-GM-terschelling", [])}
    index = await service.index(date(2026, 6, 1))
    assert "Tjalling Tuinman" in {r.name for r in index.reps.get("NL-GM-terschelling", [])}
    entry = await admin_client.get(
        "/api/audit", params={"action": "representative.update", "object_id": str(rep["id"])}
    )
    changes = [e["detail"].get("valid_to") for e in entry.json()["items"]]
    assert {"before": None, "after": "2026-11-30"} in changes
