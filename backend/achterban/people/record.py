"""One person as a file gives them: what an import hands to ``bulk.upsert``.

Built by imports (``imports/records.py``) from a line of the file; people writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Record:
    line: int
    first_name: str = ""
    infix: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    address: dict[str, Any] = field(default_factory=dict)
    household_key: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # other person columns present
    tags: list[str] = field(default_factory=list)
    consent: dict[tuple[str, str], str] = field(default_factory=dict)
    external_ref: str | None = None
    sort_name: str = ""
    notes: str = ""
    issues: list[str] = field(default_factory=list)  # values left out, as stored reasons
    search_text: str = ""  # the words they are found by, worked out with the row
