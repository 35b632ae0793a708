"""Export any filtered people list to CSV or XLSX; memory stays flat, every export is audited."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec

from achterban.audit import service as audit
from achterban.exports.rules import safe_cell
from achterban.people import roles, search
from achterban.people.schemas import PersonFilter
from achterban.people.tables import Person, PersonTag
from achterban.platform.auth import Actor

COLUMNS = [
    "id", "first_name", "infix", "last_name", "email", "phone", "street", "house_number",
    "house_number_addition", "postcode", "city", "state", "country", "region", "district",
    "tags", "roles", "support_level", "last_contact_at",
]  # fmt: skip
BATCH = 2000


async def _batches(actor: Actor, f: PersonFilter) -> AsyncIterator[list[list[Any]]]:
    """Rows in id order, fetched in keyset batches within the actor's scope."""
    where = search.conditions(actor, f)
    last_id = 0
    person_columns = [getattr(Person, c) for c in COLUMNS if c not in ("tags", "roles")]
    extra = [Person.support_level, Person.voted_for_us, Person.is_volunteer, Person.is_ambassador]
    while True:
        clause = search.combine([*where, Person.id > last_id])
        rows = (
            await Person.select(*person_columns, *extra)
            .where(clause)
            .order_by(Person.id)
            .limit(BATCH)
        )
        if not rows:
            return
        ids = [r["id"] for r in rows]
        tags: dict[int, list[str]] = {i: [] for i in ids}
        for t in await PersonTag.select(PersonTag.person, PersonTag.tag).where(
            PersonTag.person.is_in(ids)
        ):
            tags[t["person"]].append(t["tag"])
        person_roles = await roles.roles_for(rows)
        yield [
            [
                safe_cell(
                    ",".join(sorted(tags[r["id"]])) if c == "tags"
                    else ",".join(person_roles[r["id"]]) if c == "roles"
                    else r[c]
                )
                for c in COLUMNS
            ]
            for r in rows
        ]  # fmt: skip
        last_id = ids[-1]


async def _audit(actor: Actor, f: PersonFilter, fmt: str) -> None:
    filters = {k: str(v) for k, v in msgspec.structs.asdict(f).items() if v is not None}
    await audit.record(actor, "person.export", "person", "", {"format": fmt, "filter": filters})


async def csv_stream(actor: Actor, f: PersonFilter) -> AsyncIterator[bytes]:
    await _audit(actor, f, "csv")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    yield ("\ufeff" + out.getvalue()).encode()  # a BOM so spreadsheets read UTF-8
    async for batch in _batches(actor, f):
        out.seek(0)
        out.truncate()
        writer.writerows(batch)
        yield out.getvalue().encode()


async def xlsx_file(actor: Actor, f: PersonFilter) -> Path:
    from openpyxl import Workbook

    await _audit(actor, f, "xlsx")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("People")
    sheet.append(COLUMNS)
    async for batch in _batches(actor, f):
        for row in batch:
            sheet.append([str(v) if not isinstance(v, int | float | str) else v for v in row])
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook.save(handle.name)
    return Path(handle.name)
