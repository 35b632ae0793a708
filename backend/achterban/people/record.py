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
    # a new person's columns (NEW_COLUMNS), worked out where the row is checked: the writer
    # only puts the id, source, household, district and times before them
    row: tuple[Any, ...] | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # the parsing process sends records to the writer by the thousand: as a call of the
        # class with its values, unpickling costs a third of the default (slots, then setattr)
        return Record, tuple(getattr(self, name) for name in FIELDS)


FIELDS = tuple(f for f in Record.__slots__ if f != "__weakref__")
# what a new person has where the file says nothing (the table's defaults; a test checks)
VALUE_DEFAULTS: dict[str, Any] = {
    "language": "nl", "date_of_birth": None, "support_level": None, "voted_for_us": False,
    "is_volunteer": False, "do_not_contact": False,
}  # fmt: skip
ADDRESS_DEFAULTS: dict[str, Any] = {
    "address_raw": "", "street": "", "house_number": "", "house_number_addition": "",
    "unit": "", "postcode": "", "city": "", "state": "", "country": "",
    "address_status": "none", "address_note": "", "region": "",
}  # fmt: skip
NEW_COLUMNS = (
    "first_name", "infix", "last_name", "sort_name", "search_text", "email", "phone",
    "external_ref", *VALUE_DEFAULTS, *ADDRESS_DEFAULTS,
)  # fmt: skip


def new_row(record: Record) -> tuple[Any, ...]:
    """The record's values of NEW_COLUMNS: what a new person is inserted with."""
    values, address = record.values, record.address
    return (
        record.first_name, record.infix, record.last_name, record.sort_name,
        record.search_text, record.emails[0] if record.emails else None,
        record.phones[0] if record.phones else None, record.external_ref,
        *[values.get(k, d) for k, d in VALUE_DEFAULTS.items()],
        *[address.get(k, d) for k, d in ADDRESS_DEFAULTS.items()],
    )  # fmt: skip
