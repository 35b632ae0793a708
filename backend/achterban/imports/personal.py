"""The imports domain's part of a person: bad lines that hold them, and kept copies of
files not imported yet (under ``var/imports``)."""

from __future__ import annotations

import re
from typing import Any

from achterban.imports.service import upload_dir
from achterban.imports.tables import ImportIssue
from achterban.platform import db
from achterban.platform.personal import ERASED, Identity, PersonData, like, pattern

QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


async def merge(merged_id: int, survivor_id: int) -> None:
    return None  # a bad line belongs to no record


async def erase(who: Identity) -> None:
    """A bad line that holds the person (their e-mail, phone, name) loses its text, and its
    reason loses the value it quotes (``invalid e-mail address '…'``); the line number and
    the kind of reason stay for whoever fixes the file."""
    ids: set[int] = set()
    for value in who.markers:
        query = f"SELECT id FROM import_issue WHERE {like('raw_line')} OR {like('reason')}"
        ids |= {r["id"] for r in await db.raw(query, pattern(value), pattern(value))}
    # a first name alone is anyone's; beside another of their values (street, date of
    # birth, reference) on the same line it is them
    for first in who.first_names:
        query = f"SELECT id, raw_line FROM import_issue WHERE {like('raw_line')}"
        for row in await db.raw(query, pattern(first)):
            low = row["raw_line"].casefold()
            if any(v.casefold() in low for v in who.other if len(v) >= 3):
                ids.add(row["id"])
    for row in await ImportIssue.select().where(ImportIssue.id.is_in(sorted(ids) or [-1])):
        reason = who.scrub(QUOTED.sub(f"'{ERASED}'", row["reason"]))
        await ImportIssue.update({ImportIssue.raw_line: "", ImportIssue.reason: reason}).where(
            ImportIssue.id == row["id"]
        )
    for path in sorted(upload_dir().glob("*.csv")):
        _drop_lines(path, who)


def _drop_lines(path: Any, who: Identity) -> None:
    """A kept copy of a file still to be imported loses the lines that hold the person."""
    lines = path.read_bytes().split(b"\n")
    kept = lines[:1] + [
        line
        for line in lines[1:]
        if not who.holds(line.decode("utf-8", errors="replace"))
        and not who.holds(line.decode("cp1252", errors="replace"))
    ]
    if len(kept) != len(lines):
        path.write_bytes(b"\n".join(kept))


async def export(person_id: int) -> dict[str, Any]:
    return {}  # a bad line was never linked to the record


DATA = PersonData(
    "imports", ("import_issue",), merge, erase, export,
    notes={"import_issue": "kept as a line number and a reason without the value"},
)  # fmt: skip
