"""The audit domain's part of a person: the key their values in the log are encrypted with.

The log itself keeps who looked at what when (``audit_event``); erasure destroys the
person's key (``person_key``), so the values written about them can no longer be read.
"""

from __future__ import annotations

from typing import Any

from achterban.audit import service
from achterban.platform.personal import Identity, PersonData


async def merge(merged_id: int, survivor_id: int) -> None:
    """Entries stay under the record they were written about; its key stays with them."""


async def erase(who: Identity) -> None:
    for person_id in who.person_ids:
        await service.forget_person(person_id)


async def export(person_id: int) -> dict[str, Any]:
    return {}  # the log is the controller's record, not part of the subject-access export


DATA = PersonData(
    "audit", ("person_key",), merge, erase, export,
    notes={"person_key": "destroyed on erasure: the person's values in the log become unreadable"},
)  # fmt: skip
