"""What a domain holds about a person: how it is moved (merge), erased and exported.

Each domain that stores data about a person declares one :class:`PersonData` in its
``personal.py``; ``achterban.personal.PERSON_DATA`` lists them by name, the way
``app.py`` lists the routers, and merging (dedupe) and the data-subject rights (gdpr)
go through that list only. A test introspects the tables and fails when one that
refers to a person is not covered by the list.

Erasure needs the person's values to find them in free text (a bad import line, a job's
arguments, a gift's campaign): :class:`Identity` carries them, gathered before anything
is blanked. The job records (``job_run``) are plumbing, so their part lives here.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from achterban.platform import db
from achterban.settings import get_settings

ERASED = "…"  # what stands where an erased value was in free text
MIN_VALUE = 3  # shorter values (initials, "1") would blank everyone's text


@dataclass(frozen=True)
class Identity:
    """An erased person as free text can hold them: every record, every value."""

    person_ids: tuple[int, ...]  # the person and every record merged into them
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    first_names: tuple[str, ...] = ()
    last_names: tuple[str, ...] = ()
    full_names: tuple[str, ...] = ()
    other: tuple[str, ...] = ()  # address parts, date of birth, external reference, IBAN
    households: tuple[int, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        """Every value to blank in text that is about them, longest first."""
        return _longest_first((*self.markers, *self.first_names, *self.other))

    @property
    def markers(self) -> tuple[str, ...]:
        """Values that point to this person in anyone's text (a bad import line, a job):
        e-mail addresses (also the part before the @), phone numbers as written in
        several ways, the last name and the full name. A shared last name blanks a
        stranger's bad line too; that costs a line of text, never a record."""
        return _longest_first((*self.emails, *self.phones, *self._variants(), *self.last_names,
                               *self.full_names))  # fmt: skip

    def _variants(self) -> Iterable[str]:
        for email in self.emails:  # an address written wrongly still names them
            yield email.split("@")[0]
        for phone in self.phones:
            digits = re.sub(r"\D", "", phone)
            yield digits
            if phone.startswith("+31") and len(digits) > 2:
                yield "0" + digits[2:]
            if phone.startswith("+1") and len(digits) > 1:
                yield digits[1:]

    def holds(self, text: str) -> bool:
        low = text.casefold()
        return any(v.casefold() in low for v in self.markers)

    def scrub(self, text: str) -> str:
        """``text`` with every value of the person replaced by an ellipsis."""
        for value in self.values:
            text = re.sub(re.escape(value), ERASED, text, flags=re.IGNORECASE)
        return text


def _longest_first(values: Iterable[str]) -> tuple[str, ...]:
    seen = {v.strip() for v in values if len(v.strip()) >= MIN_VALUE}
    return tuple(sorted(seen, key=lambda v: (-len(v), v)))


@dataclass(frozen=True)
class PersonData:
    """One domain's part of a person; ``tables`` are the tables it answers for."""

    name: str
    tables: tuple[str, ...]
    merge: Callable[[int, int], Awaitable[None]]  # (merged_id, survivor_id)
    erase: Callable[[Identity], Awaitable[None]]
    export: Callable[[int], Awaitable[dict[str, Any]]]
    notes: dict[str, str] = field(default_factory=dict)  # table → what stays and why


def digest(kind: str, value: str) -> str:
    """The keyed hash an erased e-mail address or phone number is remembered by."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"erased:{kind}:{value.strip().lower()}".encode(), "sha256").hexdigest()


def like(column: str) -> str:
    """A case-insensitive ``LIKE`` on text or JSON, on either engine."""
    return f"{column}::text ILIKE {{}}" if db.is_postgres() else f"{column} LIKE {{}}"


def pattern(value: str) -> str:
    return "%" + value.replace("\\", "").replace("%", "") + "%"


async def _nothing(*_args: Any) -> None:
    return None


async def _erase_job_runs(who: Identity) -> None:
    """A job's arguments, result and error lose every value of the person (a file name)."""
    ids: set[int] = set()
    for value in who.markers:
        query = (
            f"SELECT id FROM job_run WHERE {like('arguments')} OR {like('result')} "
            f"OR {like('error')}"
        )
        ids |= {r["id"] for r in await db.raw(query, *([pattern(value)] * 3))}
    for job_id in sorted(ids):
        rows = await db.raw("SELECT arguments, result, error FROM job_run WHERE id = {}", job_id)
        row = rows[0]
        values = [
            json.dumps(_scrub_json(who, _loads(row["arguments"]))),
            json.dumps(_scrub_json(who, _loads(row["result"]))),
            who.scrub(row["error"] or ""),
            job_id,
        ]
        await db.raw(
            "UPDATE job_run SET arguments = {}, result = {}, error = {} WHERE id = {}", *values
        )


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else (value or {})


def _scrub_json(who: Identity, value: Any) -> Any:
    if isinstance(value, str):
        return who.scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_json(who, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(who, v) for v in value]
    return value


async def _no_export(_person_id: int) -> dict[str, Any]:
    return {}


JOB_RUNS = PersonData(
    name="jobs",
    tables=("job_run",),
    merge=_nothing,
    erase=_erase_job_runs,
    export=_no_export,  # a job's arguments are about a run, not about the person
)
