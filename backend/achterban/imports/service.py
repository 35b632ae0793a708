"""People imports: start one (a recorded job), run it in batches, report bad lines."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import chain, repeat
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from achterban.audit import service as audit
from achterban.consent import service as consent
from achterban.imports import mapping, reader, records
from achterban.imports.schemas import ImportStatus, ImportSummary, Issue, IssuePage, Preview
from achterban.imports.tables import ImportIssue
from achterban.people import bulk
from achterban.people import scope as people_scope
from achterban.platform import bulk as fast
from achterban.platform import db, jobs
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.tables import JobRun
from achterban.settings import get_settings

BATCH = 5000
LARGE_BATCH = 10_000  # after the first LARGE_FROM rows: half the fixed costs per row
LARGE_FROM = 50_000
KEEP_RAW_LINES_DAYS = 30  # a bad row's text is kept this long for the person who fixes it
ERASED_REASON = "matches an erased person"
PARALLEL_FROM = 5000  # rows; below this a second process costs more than it saves
# the first batches' sizes when a second process checks the rows: the first is checked here
# while that process starts, and each is written while the next is checked, so writing
# begins at once and never waits long for the next
RAMP = (2000, 2000, 3000, 4000)
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
        fields=sorted(mapping.FIELDS),
        format=tool.key if (tool := mapping.detect(headers)) else None,
        format_name=tool.name if tool else None,
    )


async def start_import(
    actor: Actor, path: Path, filename: str, overrides: dict[str, str] | None = None,
    source: str = "", *, wake: bool = True,
) -> str:  # fmt: skip
    """Keep a copy of the file and record the import job; a worker picks it up after commit."""
    if people_scope.reaches_nobody(actor):  # a regional organiser without regions
        raise Problem(403, _("Your account has no regions or office yet."), kind="out-of-scope")
    headers, columns = prepare(path, overrides)
    key = f"import_people:{uuid.uuid4().hex}"
    stored = upload_dir() / f"{key.split(':')[1]}.csv"
    if path.resolve() != stored.resolve():
        shutil.copyfile(path, stored)
    arguments: dict[str, Any] = {
        "path": str(stored), "filename": filename,
        "mapping": {str(i): f for i, f in columns.items()},
        "unmapped": mapping.unmapped(headers, columns), "source": source or f"import:{filename}",
        "regions": list(actor.regions),
    }  # fmt: skip
    async with db.transaction():
        await jobs.enqueue("import_people", key=key, actor_id=actor.user_id, wake=wake, **arguments)
        await audit.record(actor, "import.start", "import", key, {"filename": filename})
    return key


Parsed = records.Parsed


def _keep_to_regions(key: str, batch: records.Parsed, regions: set[str]) -> None:
    """A regional organiser imports people of their own regions only; others are reported."""
    kept = []
    for record in batch.records:
        if record.address.get("region") in regions:
            kept.append(record)
        else:
            batch.issues.append({
                "job_key": key, "line": record.line, "raw_line": "",
                "reason": f"the address is outside your regions ({', '.join(sorted(regions))})",
            })  # fmt: skip
    batch.records = kept


async def _keep_out_erased(key: str, batch: records.Parsed) -> None:
    """A row with an erased person's e-mail or phone is a bad line without its text."""
    erased = await bulk.erased_lines(batch.records)
    if erased:
        batch.issues += [
            {"job_key": key, "line": r.line, "raw_line": "", "reason": ERASED_REASON}
            for r in batch.records if r.line in erased
        ]  # fmt: skip
        batch.records = [r for r in batch.records if r.line not in erased]


def _chunks(
    rows: Iterator[tuple[int, list[str]]], sizes: Iterator[int]
) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    size = next(sizes, BATCH)
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
            size = next(sizes, BATCH)
    if chunk:
        yield chunk


async def run_import(
    key: str, path: str, filename: str, mapping: dict[str, str], source: str,
    actor_id: int | None = None, progress: Progress | None = None,
    regions: list[str] | None = None, claim: str | None = None, **_ignored: Any,
) -> dict[str, int]:  # fmt: skip
    """Stream the file in batches; a bad row becomes an issue with its line number.

    Parsing the next batch (in a second process for a large file) overlaps writing this
    one (the database); one batch waits at most, so memory stays bounded. Each batch
    commits with a checkpoint on the job (its last line and the counts so far), so a run
    that stopped half-way (a killed worker, a time limit) carries on after the last
    committed batch and the counts stay true. With ``claim`` a batch commits only while
    this run still holds the job.
    """
    columns = {int(i): f for i, f in mapping.items()}
    file = Path(path)
    saved = await _checkpoint(key)
    if saved and not file.exists():  # the run that stopped had finished and removed its copy
        return {name: int(saved.get(name, 0)) for name in ("created", "updated", "bad", "rows")}
    total = max(reader.count_lines(file) - 1, 0)
    report = progress or (lambda done, total: jobs.progress(key, done, total))
    after_line = int(saved.get("line", 0))
    counts = {name: int(saved.get(name, 0)) for name in ("created", "updated", "bad", "rows")}
    # bad lines of committed batches stay; any others belong to no committed batch
    await ImportIssue.delete().where((ImportIssue.job_key == key) & (ImportIssue.line > after_line))
    # not the file's name, which can name a person: the audit entry's object is the job's key
    actor = Actor(actor_id, "import", "system", frozenset({"*"}), via="job")
    loop = asyncio.get_running_loop()
    # a large file is checked in a second process while this one writes to the database;
    # that process ends with this one, however this one ends
    pool = (
        ProcessPoolExecutor(
            1, mp_context=get_context("spawn"), initializer=records.parsing_process,
            initargs=(os.getpid(),),
        )
        if total - counts["rows"] > PARALLEL_FROM
        else None
    )  # fmt: skip
    # with a second process: a small first batch checked here while it starts, a second
    # one there that is ready soon after, so writing begins at once and never waits long
    ramp = RAMP if pool is not None else ()
    steady = (LARGE_FROM - sum(ramp)) // BATCH
    sizes = chain(ramp, repeat(BATCH, steady), repeat(LARGE_BATCH))
    chunks = _chunks((item for item in reader.rows(file) if item[0] > after_line), sizes)

    def parse_next(here: bool = False) -> asyncio.Future[records.Parsed]:
        chunk = next(chunks, [])
        executor = None if here else pool  # None: a thread of this process
        return loop.run_in_executor(executor, records.parse_chunk, key, chunk, columns)

    with fast.fewer_collections():
        try:
            first = parse_next(here=True)
            upcoming = parse_next()  # the second process starts on it now
            await bulk.prepare()  # what the first batch would wait for, while they check
            batch = await first
            while batch.rows:
                try:
                    if regions:
                        _keep_to_regions(key, batch, set(regions))
                    await _keep_out_erased(key, batch)
                    async with db.transaction():
                        await fast.tune_transaction()
                        result = await bulk.upsert(
                            batch.records,
                            source=source,
                            source_detail=filename,
                            regions=regions or None,
                        )
                        await consent.record_imported(
                            records.consent_of(batch.records, result.people), filename, actor_id
                        )
                        await fast.insert(ImportIssue, batch.issues)
                        await audit.record(actor, "person.import", "import", key, {
                            "created": len(result.created), "updated": len(result.updated),
                            "bad": len(batch.issues),
                        })  # fmt: skip
                        after = {
                            "created": counts["created"] + len(result.created),
                            "updated": counts["updated"] + len(result.updated),
                            "bad": counts["bad"] + len(batch.issues),
                            "rows": counts["rows"] + batch.rows,
                        }
                        await jobs.save_checkpoint(
                            key, claim, {"line": batch.last_line, **after}, after["rows"], total
                        )
                except BaseException:
                    upcoming.cancel()
                    raise
                counts = after
                if progress is not None:  # the checkpoint stored done, total and the heartbeat
                    await progress(counts["rows"], total)
                batch = await upcoming
                upcoming = parse_next()
        except BaseException:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            raise
    if pool is not None:
        pool.shutdown()
    await report(counts["rows"], counts["rows"])
    return counts


async def _checkpoint(key: str) -> dict[str, Any]:
    """Where an earlier run of this import stopped: its last committed line and counts."""
    row = (
        await JobRun.select(JobRun.checkpoint)
        .where(JobRun.job_key == key)
        .output(load_json=True)
        .first()
    )
    saved = row["checkpoint"] if row else None
    return saved if isinstance(saved, dict) else {}


async def _visible_job(actor: Actor, key: str) -> Any:
    job = await jobs.get(key)
    if job is None or job.name != "import_people" or not _may_see(actor, job.actor_id):
        raise Problem(404, _("No such import."), kind="not-found")
    return job


async def status(actor: Actor, key: str) -> ImportStatus:
    """Progress, counts and the first bad lines (raw lines hold people's data: audited)."""
    job = await _visible_job(actor, key)
    await audit.record(actor, "import.read", "import", key, {"view": "status"})
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


async def recent(actor: Actor, limit: int = 20) -> list[ImportSummary]:
    """The latest imports this actor may see: their own, or everyone's for national staff."""
    query = JobRun.select().where(JobRun.name == "import_people")
    if not (people_scope.is_national(actor)):
        query = query.where(JobRun.actor_id == actor.user_id)
    rows = await query.order_by(JobRun.id, ascending=False).limit(limit).output(load_json=True)
    await audit.record(actor, "import.read", "import", "", {"view": "list", "shown": len(rows)})
    result = []
    for row in rows:
        outcome = row["result"] if isinstance(row["result"], dict) else {}
        arguments = row["arguments"] if isinstance(row["arguments"], dict) else {}
        result.append(ImportSummary(
            job_key=row["job_key"], status=row["status"], filename=arguments.get("filename", ""),
            done=row["done"], total=row["total"], created=outcome.get("created", 0),
            updated=outcome.get("updated", 0), bad=outcome.get("bad", 0),
            created_at=row["created_at"], finished_at=row["finished_at"],
        ))  # fmt: skip
    return result


async def issues(actor: Actor, key: str, limit: int, offset: int) -> IssuePage:
    await _visible_job(actor, key)
    await audit.record(actor, "import.read", "import", key, {"view": "bad lines", "offset": offset})
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


async def forget_lines(emails: list[str], name: tuple[str, str] | None) -> None:
    """Erasure: blank the text of bad rows that held the person's e-mail or full name."""

    def holds(text: str) -> Any:  # case-insensitive (SQLite's LIKE is, for ASCII)
        pattern = f"%{text.strip()}%"
        column = ImportIssue.raw_line
        return column.ilike(pattern) if db.is_postgres() else column.like(pattern)

    for email in emails:
        await ImportIssue.update({ImportIssue.raw_line: ""}).where(holds(email))
    if name and name[0].strip() and name[1].strip():
        await ImportIssue.update({ImportIssue.raw_line: ""}).where(holds(name[0]) & holds(name[1]))


def discard_copy(path: str) -> None:
    """The kept copy of an uploaded file is deleted as soon as its import has run."""
    stored = Path(path)
    if stored.parent.resolve() == upload_dir().resolve():
        stored.unlink(missing_ok=True)


async def purge_leftovers(now: datetime | None = None) -> dict[str, int]:
    """Delete copies whose import ended without running, and blank old bad rows' text."""
    now = now or datetime.now(UTC)
    copies = {f"import_people:{p.stem}": p for p in upload_dir().glob("*.csv")}
    ended = await JobRun.select(JobRun.job_key).where(
        JobRun.job_key.is_in(list(copies) or ["-"]) & JobRun.status.is_in(["done", "failed"])
    )
    for job in ended:
        copies[job["job_key"]].unlink(missing_ok=True)
    stale = await JobRun.select(JobRun.job_key).where(
        (JobRun.name == "import_people")
        & (JobRun.finished_at < now - timedelta(days=KEEP_RAW_LINES_DAYS))
    )
    lines = 0
    keys = [j["job_key"] for j in stale]
    for start in range(0, len(keys), 500):
        holding = ImportIssue.job_key.is_in(keys[start : start + 500]) & (
            ImportIssue.raw_line != ""
        )
        lines += await ImportIssue.count().where(holding)
        await ImportIssue.update({ImportIssue.raw_line: ""}).where(holding)
    return {"files": len(ended), "raw_lines": lines}


def _may_see(actor: Actor, owner: int | None) -> bool:
    return people_scope.is_national(actor) or owner == actor.user_id
