"""People imports: start one (a recorded job), run it in batches, report bad lines."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from achterban.audit import service as audit
from achterban.imports import mapping, reader, records
from achterban.imports.schemas import ImportStatus, Issue, IssuePage, Preview
from achterban.imports.tables import ImportIssue
from achterban.people import bulk
from achterban.platform import db, jobs
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.settings import get_settings

BATCH = 1000
Progress = Callable[[int, int | None], Awaitable[None]]


def upload_dir() -> Path:
    path = get_settings().var_dir / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bad_file(exc: Exception) -> Problem:
    return Problem(
        400,
        _("The file cannot be imported: {reason}"),
        kind="import-file",
        values={"reason": str(exc)},
    )


def prepare(path: Path, overrides: dict[str, str] | None) -> tuple[list[str], dict[int, str]]:
    try:
        headers = reader.header(path)
        return headers, mapping.build(headers, overrides)
    except (reader.FileError, mapping.MappingError, UnicodeError) as exc:
        raise _bad_file(exc) from exc


def preview(path: Path, overrides: dict[str, str] | None) -> Preview:
    headers, columns = prepare(path, overrides)
    encoding, delimiter = reader.sniff(path)
    return Preview(
        headers=headers,
        mapping={headers[i]: f for i, f in columns.items()},
        unmapped_columns=mapping.unmapped(headers, columns),
        rows=reader.first_rows(path, 5),
        delimiter=delimiter,
        encoding=encoding,
    )


async def start_import(
    actor: Actor, path: Path, filename: str, overrides: dict[str, str] | None = None,
    source: str = "", *, wake: bool = True,
) -> str:  # fmt: skip
    """Keep a copy of the file and record the import job; a worker picks it up after commit."""
    headers, columns = prepare(path, overrides)
    key = f"import_people:{uuid.uuid4().hex}"
    stored = upload_dir() / f"{key.split(':')[1]}.csv"
    if path.resolve() != stored.resolve():
        shutil.copyfile(path, stored)
    arguments = {
        "path": str(stored), "filename": filename,
        "mapping": {str(i): f for i, f in columns.items()},
        "unmapped": mapping.unmapped(headers, columns), "source": source or f"import:{filename}",
    }  # fmt: skip
    async with db.transaction():
        await jobs.enqueue("import_people", key=key, actor_id=actor.user_id, wake=wake, **arguments)
        await audit.record(actor, "import.start", "import", key, {"filename": filename})
    return key


async def run_import(
    key: str, path: str, filename: str, mapping: dict[str, str], source: str,
    actor_id: int | None = None, progress: Progress | None = None, **_ignored: Any,
) -> dict[str, int]:  # fmt: skip
    """Stream the file in batches; a bad row becomes an issue with its line number."""
    columns = {int(i): f for i, f in mapping.items()}
    file = Path(path)
    total = max(reader.count_lines(file) - 1, 0)
    report = progress or (lambda done, total: jobs.progress(key, done, total))
    await ImportIssue.delete().where(ImportIssue.job_key == key)  # a retried job starts over
    created = updated = bad = done = 0
    batch: list[records.Record] = []
    issues: list[ImportIssue] = []
    actor = Actor(actor_id, f"import:{filename}", "system", frozenset({"*"}), via="job")

    async def flush() -> None:
        nonlocal created, updated
        async with db.transaction():
            result = await bulk.upsert(
                batch, source=source, source_detail=filename, actor_id=actor_id
            )
            if issues:
                await ImportIssue.insert(*issues)
            await audit.record(actor, "person.import", "import", key, {
                "created": len(result.created), "updated": len(result.updated), "bad": len(issues),
            })  # fmt: skip
        created += len(result.created)
        updated += len(result.updated)
        batch.clear()
        issues.clear()
        await report(done, total)

    for line, cells in reader.rows(file):
        done += 1
        row = {field: cells[i] for i, field in columns.items() if i < len(cells)}
        try:
            batch.append(records.build(line, row))
        except records.RowError as exc:
            bad += 1
            issues.append(
                ImportIssue(
                    job_key=key,
                    line=line,
                    reason=str(exc)[:500],
                    raw_line=reader.raw_line(cells)[:2000],
                )
            )
        if len(batch) + len(issues) >= BATCH:
            await flush()
    await flush()
    await report(done, done)
    return {"created": created, "updated": updated, "bad": bad, "rows": done}


async def status(actor: Actor, key: str) -> ImportStatus:
    job = await jobs.get(key)
    if job is None or job.name != "import_people" or not _may_see(actor, job.actor_id):
        raise Problem(404, _("No such import."), kind="not-found")
    result: dict[str, Any] = job.result if isinstance(job.result, dict) else {}
    first = (
        await ImportIssue.select()
        .where(ImportIssue.job_key == key)
        .order_by(ImportIssue.line)
        .limit(100)
    )
    arguments: dict[str, Any] = job.arguments if isinstance(job.arguments, dict) else {}
    return ImportStatus(
        job_key=key, status=job.status, filename=arguments.get("filename", ""), done=job.done,
        total=job.total, created=result.get("created", 0), updated=result.get("updated", 0),
        bad=await ImportIssue.count().where(ImportIssue.job_key == key),
        unmapped_columns=arguments.get("unmapped", []),
        issues=[Issue(line=r["line"], reason=r["reason"], raw=r["raw_line"]) for r in first],
        error=job.error, created_at=job.created_at, finished_at=job.finished_at,
    )  # fmt: skip


async def issues(actor: Actor, key: str, limit: int, offset: int) -> IssuePage:
    await status(actor, key)
    rows = (
        await ImportIssue.select()
        .where(ImportIssue.job_key == key)
        .order_by(ImportIssue.line)
        .limit(limit)
        .offset(offset)
    )
    return IssuePage(
        items=[Issue(line=r["line"], reason=r["reason"], raw=r["raw_line"]) for r in rows],
        total=await ImportIssue.count().where(ImportIssue.job_key == key),
    )


def _may_see(actor: Actor, owner: int | None) -> bool:
    return actor.has("*") or actor.is_national or owner == actor.user_id
