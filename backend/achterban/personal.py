"""Every domain that holds data about a person, by name, in the order erasure runs them.

Merging (``dedupe``) and the data-subject rights (``gdpr``) go through this list and
nothing else, as ``app.py`` lists the routers; ``tests/gdpr/test_person_data.py`` fails
when a table that refers to a person is not covered here. People come last: the others
need the record's values (gathered first, in an ``Identity``) and its household.
"""

from __future__ import annotations

from achterban.audit import person_data as audit
from achterban.casework import personal as casework
from achterban.consent import personal as consent
from achterban.dedupe import personal as dedupe
from achterban.donations import personal as donations
from achterban.imports import personal as imports
from achterban.memberships import personal as memberships
from achterban.people import personal as people
from achterban.platform.personal import JOB_RUNS, PersonData
from achterban.segments import personal as segments

PERSON_DATA: list[PersonData] = [
    casework.DATA,
    consent.DATA,
    segments.DATA,
    memberships.DATA,
    donations.DATA,
    imports.DATA,
    dedupe.DATA,
    JOB_RUNS,
    audit.DATA,
    people.DATA,
]

# tables that hold no data about a person even though a column could suggest it
NOT_PERSONAL: dict[str, str] = {
    "audit_event": "who did what when; its values are the audit domain's (forget_person)",
}
