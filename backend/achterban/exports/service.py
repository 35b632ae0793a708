"""Export any filtered people list to CSV or XLSX; memory stays flat, every export is audited."""

from __future__ import annotations

import contextvars
import csv
import io
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
from openpyxl.worksheet import _writer as openpyxl_writer

from achterban.audit import service as audit
from achterban.exports.rules import safe_cell
from achterban.people import roles, search
from achterban.people.schemas import PersonFilter
from achterban.people.tables import Person, PersonTag
from achterban.platform.auth import Actor
from achterban.settings import get_settings

COLUMNS = [
    "id", "first_name", "infix", "last_name", "email", "phone", "street", "house_number",
    "house_number_addition", "postcode", "city", "state", "country", "region", "district",
    "tags", "roles", "support_level", "last_contact_at",
]  # fmt: skip
BATCH = 2000
STALE_SECONDS = 6 * 3600  # a download nobody fetched; its file goes at the next export
_work_dir: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "achterban_export_dir", default=None
)


def tmp_dir() -> Path:
    """Temporary files live under ``var/tmp``, one folder per export in progress."""
    path = get_settings().var_dir / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _new_work_dir() -> Path:
    now = time.time()
    for old in tmp_dir().glob("export-*"):
        if now - old.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    work = tmp_dir() / f"export-{uuid.uuid4().hex}"
    work.mkdir()
    return work


def discard_running() -> None:
    """Erasure: every export in progress or waiting to be downloaded goes (the person is in
    it, or may be); a download under way fails rather than hand them out."""
    for work in tmp_dir().glob("export-*"):
        shutil.rmtree(work, ignore_errors=True)


def _temporary_file(suffix: str = "") -> str:
    """openpyxl's worksheet buffer, in the export's own folder instead of the system's /tmp."""
    work = _work_dir.get()
    if work is None:
        return _system_temporary_file(suffix)
    handle, name = tempfile.mkstemp(suffix=suffix, prefix="openpyxl.", dir=work)
    os.close(handle)
    openpyxl_writer.ALL_TEMP_FILES.append(name)
    return name


_system_temporary_file = openpyxl_writer.create_temporary_file
openpyxl_writer.create_temporary_file = _temporary_file


async def _where(actor: Actor, f: PersonFilter) -> list[Any]:
    """Who an export holds: the filters (a segment among them) within the actor's scope."""
    return search.conditions(
        actor, f, cases=await search.reference_people(actor, f.q),
        extra=await search.segment_clauses(actor, f),
    )  # fmt: skip


async def _batches(actor: Actor, f: PersonFilter) -> AsyncIterator[list[list[Any]]]:
    """Rows in id order, fetched in keyset batches within the actor's scope."""
    where = await _where(actor, f)
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


async def start_csv(actor: Actor, f: PersonFilter) -> AsyncIterator[bytes]:
    """Record the export before its first byte goes out, then hand over the stream (its
    filters and a segment it names are checked first: a 400 or 404 comes before any byte,
    not in the middle)."""
    search.conditions(actor, f)
    await search.segment_clauses(actor, f)
    await _audit(actor, f, "csv")
    return csv_stream(actor, f)


async def _audit(actor: Actor, f: PersonFilter, fmt: str) -> None:
    """Who exported, in which format, by which filters (a segment among them), and how many
    people the export holds (counted as it starts)."""
    filters = {k: str(v) for k, v in msgspec.structs.asdict(f).items() if v is not None}
    people = await Person.count().where(search.combine(await _where(actor, f)))
    await audit.record(actor, "person.export", "person", "",
                       {"format": fmt, "filter": filters, "people": int(people)})  # fmt: skip


async def csv_stream(actor: Actor, f: PersonFilter) -> AsyncIterator[bytes]:
    """The rows as CSV, streamed; call :func:`start_csv` (the audited part) first."""
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
    """The workbook in its own folder under ``var/tmp``; the caller removes the folder once
    it is sent, and it is removed here when writing fails."""
    from openpyxl import Workbook

    await _audit(actor, f, "xlsx")
    work = _new_work_dir()
    token = _work_dir.set(work)
    try:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("People")
        sheet.append(COLUMNS)
        async for batch in _batches(actor, f):
            for row in batch:
                sheet.append([str(v) if not isinstance(v, int | float | str) else v for v in row])
        path = work / "people.xlsx"
        workbook.save(path)
        return path
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        _work_dir.reset(token)
