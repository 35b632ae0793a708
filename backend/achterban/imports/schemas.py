from datetime import datetime

import msgspec


class Issue(msgspec.Struct, kw_only=True):
    line: int
    reason: str
    raw: str


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
