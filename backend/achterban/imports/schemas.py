from datetime import datetime

import msgspec


class Issue(msgspec.Struct, kw_only=True):
    line: int
    reason: str  # in the reader's language (Accept-Language)
    raw: str
    kept: bool = False  # the person was imported, without the value this is about


class IssuePage(msgspec.Struct, kw_only=True):
    items: list[Issue]
    total: int


class Preview(msgspec.Struct, kw_only=True):
    headers: list[str]
    mapping: dict[str, str]  # column → field
    unmapped_columns: list[str]
    rows: list[list[str]]
    delimiter: str
    encoding: str
    fields: list[str]  # every field a column can be mapped to
    labels: dict[str, str] = {}  # field → what a staffer reads, in their language
    format: str | None = None  # the tool whose export this is ("nationbuilder"), if known
    format_name: str | None = None  # its name as the tool spells it ("NationBuilder")


class ImportSummary(msgspec.Struct, kw_only=True):
    job_key: str
    status: str  # queued, running, retrying, done, failed
    filename: str
    done: int
    total: int | None
    created: int
    updated: int
    bad: int
    created_at: datetime
    finished_at: datetime | None


class ImportStatus(ImportSummary, kw_only=True):
    """One import in full: the first bad lines, columns left out, and why it failed."""

    unmapped_columns: list[str]
    issues: list[Issue]
    error: str
