"""Data-subject rights: everything we hold about a person, and erasure that stays erased."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from achterban import personal
from achterban.audit import service as audit
from achterban.casework import scope as case_scope
from achterban.exports import service as exports
from achterban.people import personal as people
from achterban.people.service import visible_row
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.personal import Identity
from achterban.settings import get_settings

log = logging.getLogger(__name__)


def ledger_file() -> Path:
    """The erasure ledger outside the database: one JSON line per erasure, ids and keyed
    hashes only. The operator keeps it beside the backups; a backup restored from before
    an erasure is cleaned again from it (``achterban gdpr reapply-erasures``)."""
    return get_settings().var_dir / "erasures.jsonl"


async def access_export(actor: Actor, person_id: int) -> dict[str, Any]:
    """Everything held about the person, domain by domain, and who read or changed it."""
    person = await visible_row(actor, person_id)
    export: dict[str, Any] = {"generated_at": datetime.now(UTC), "person": person}
    for part in personal.PERSON_DATA:
        export.update(await part.export(person_id))
    export["cases"] = [_walled(actor, case) for case in export.get("cases", [])]
    export["record_access"] = await audit.about_person(person_id)
    await audit.record(actor, "person.subject_access", "person", person_id)
    return export


WALLED = ("reference", "office", "status", "created_at")


def _walled(actor: Actor, case: dict[str, Any]) -> dict[str, Any]:
    """A case as this actor may hand it over: in full to its own office (and admins); to
    party staff only that it exists and which office holds it, who answer for its contents
    (the wall between office and party data, docs/architecture.md)."""
    if case_scope.sees_contents(actor, case):
        return case
    return {**{k: case[k] for k in WALLED if k in case}, "contents": "held by the office"}


async def _erase_everywhere(who: Identity) -> None:
    """Every domain's part, the audit log's key included, people last."""
    for part in personal.PERSON_DATA:
        await part.erase(who)


def _append_ledger(person_id: int, who: Identity, stamp: datetime) -> None:
    entry = {
        "person_id": person_id, "records": list(who.person_ids), "erased_at": stamp.isoformat(),
        "digests": sorted(people.digests(who.emails, who.phones)),
    }  # fmt: skip
    path = ledger_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


async def _compact() -> None:
    """SQLite keeps overwritten values in free pages and the write-ahead log until the file
    is rewritten; after an erasure it is (PostgreSQL's dumps and backups hold live rows)."""
    if db.is_postgres():
        return
    try:
        await db.raw("VACUUM")
        await db.raw("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:  # busy: the next erasure or the operator's VACUUM does it
        log.warning("could not compact the SQLite file after an erasure", exc_info=True)


async def do_erase(actor: Actor, person_id: int, reason: str) -> None:
    stamp = datetime.now(UTC)
    async with db.transaction():
        await visible_row(actor, person_id)
        who = await people.identity(person_id)
        await _erase_everywhere(who)
        await people.log_erasure(who.person_ids, stamp, reason, actor.user_id)
        await audit.record(actor, "person.erase", "person", person_id)
        # written before the commit: an erasure asked for is never missing from the file
        _append_ledger(person_id, who, stamp)
    exports.discard_running()
    await _compact()


def _ledger_entries() -> list[dict[str, Any]]:
    path = ledger_file()
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:  # a torn last line of a crash
            continue
    return entries


async def reapply_erasures(actor: Actor) -> int:
    """After restoring a backup: erase again everyone in the ledger (the table and the file
    beside the backups) whose data is back, the ledger rows and hashes included."""
    wanted: dict[int, dict[str, Any]] = {}
    for row in await people.ledger():
        wanted.setdefault(row["person_id"], {"records": [], "digests": [], "erased_at": None})
        wanted[row["person_id"]]["erased_at"] = row["erased_at"]
    for entry in _ledger_entries():
        item = wanted.setdefault(entry["person_id"], {"records": [], "digests": [],
                                                      "erased_at": None})  # fmt: skip
        item["records"] += entry.get("records", [])
        item["digests"] += entry.get("digests", [])
        item["erased_at"] = item["erased_at"] or datetime.fromisoformat(entry["erased_at"])
    cleaned = 0
    for person_id, item in sorted(wanted.items()):
        async with db.transaction():
            if await _reapply(actor, person_id, item):
                cleaned += 1
    if cleaned:
        exports.discard_running()
        await _compact()
    return cleaned


async def _reapply(actor: Actor, person_id: int, item: dict[str, Any]) -> bool:
    ids = sorted(set(await people.records_of(person_id)) | set(item["records"]))
    rows = await people.erased_state(ids)
    if not rows:
        return False
    found = [await people.identity(i) for i in ids]
    who = Identity(
        person_ids=tuple(ids),
        **{k: tuple(sorted({v for f in found for v in getattr(f, k)}))
           for k in ("emails", "phones", "first_names", "last_names", "full_names", "other",
                     "households")},
    )  # fmt: skip
    back = any(r["erased_at"] is None for r in rows) or bool(who.values)
    stamp = item["erased_at"] or datetime.now(UTC)
    await people.log_erasure(ids, stamp, "restored", missing_only=True)
    await people.restore_erased(person_id, item["digests"])
    if not back:
        return False
    await _erase_everywhere(who)
    await audit.record(actor, "person.erase_reapplied", "person", person_id)
    return True


def require_reason(reason: str) -> str:
    if not reason.strip():
        raise Problem(400, _("Say why the person is erased."), kind="validation",
                      errors=[{"key": "reason", "message": "required"}])  # fmt: skip
    return reason.strip()


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value
