"""Exports of a filtered list: the right people, safe cells, scoped, audited."""

from __future__ import annotations

import csv
import io
import json
import uuid

from openpyxl import load_workbook

from achterban.audit.service import hash_term
from achterban.audit.tables import AuditEvent
from achterban.exports.rules import safe_cell
from tests.conftest import make_user, signed_in


def test_cells_that_would_run_as_formulas_are_text():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+31612345678") == "'+31612345678"
    assert [safe_cell(v) for v in ("-1", "@SUM(A1)", "plain", 3, None)] == [
        "'-1", "'@SUM(A1)", "plain", 3, "",
    ]  # fmt: skip


async def _people(client, tag):
    made = []
    for first, address in (("=cmd()", "Vismarkt 2, 9712 CB Groningen"),
                           ("Wim", "Markt 1, 9401 AA Assen")):  # fmt: skip
        response = await client.post("/api/people", json={
            "first_name": first, "last_name": "Export", "tags": [tag], "address": address,
            "phones": ["0612345678"],
        })  # fmt: skip
        made.append(response.json())
    return made


async def test_csv_export_of_a_filter_is_safe_and_audited(app, admin_client, admin):
    tag = f"exp{uuid.uuid4().hex[:6]}"
    await _people(admin_client, tag)
    response = await admin_client.get("/api/people/export", params={"tag": tag, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["first_name"] for r in rows) == ["'=cmd()", "Wim"]
    assert {r["phone"] for r in rows} == {"'+31612345678"}
    assert {r["tags"] for r in rows} == {tag}
    entry = (
        await AuditEvent.select()
        .where((AuditEvent.action == "person.export") & (AuditEvent.actor_id == admin.id))
        .first()
    )
    assert entry is not None and tag not in entry["detail"]  # kept as a keyed hash
    assert hash_term(tag) in entry["detail"]
    newest = (
        await AuditEvent.select()
        .where((AuditEvent.action == "person.export") & (AuditEvent.actor_id == admin.id))
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    detail = json.loads(newest["detail"]) if isinstance(newest["detail"], str) else newest["detail"]
    assert detail["people"] == 2 and detail["format"] == "csv"  # how many it held


async def test_xlsx_export_reads_back(app, admin_client, tmp_dir):
    tag = f"xls{uuid.uuid4().hex[:6]}"
    await _people(admin_client, tag)
    response = await admin_client.get("/api/people/export", params={"tag": tag, "format": "xlsx"})
    assert response.status_code == 200
    path = tmp_dir / f"{tag}.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path).active
    values = list(sheet.values)
    assert values[0][:4] == ("id", "first_name", "infix", "last_name")
    assert sorted(row[1] for row in values[1:]) == ["'=cmd()", "Wim"]


async def test_export_keeps_to_the_organisers_region(app, admin_client):
    tag = f"reg{uuid.uuid4().hex[:6]}"
    await _people(admin_client, tag)
    organiser = await make_user("regional_organiser", regions=["NL-DR"])
    async with signed_in(app, organiser) as client:
        response = await client.get("/api/people/export", params={"tag": tag})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["first_name"] for r in rows] == ["Wim"]


async def test_volunteers_cannot_export(app):
    async with signed_in(app, await make_user("volunteer")) as client:
        assert (await client.get("/api/people/export")).status_code == 403


async def test_an_export_with_a_refused_filter_is_a_400_before_any_byte(app, admin_client):
    for fmt in ("csv", "xlsx"):
        response = await admin_client.get(
            "/api/people/export", params={"format": fmt, "address_status": "null"}
        )
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["key"] == "address_status"
