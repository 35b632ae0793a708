"""What a lower domain needs from a higher one, handed down once (dependency inversion).

A domain imports only the domains below it (docs/architecture.md, "Boundaries"). Where a
lower one needs an answer that a higher one holds, it declares a list or mapping and this
module fills it, like ``app.py`` lists the routers: ``worker.py`` calls ``connect()`` when it
is imported, so the API (``app.py`` imports ``worker``), the workers and the CLI all run
connected. A hook left empty fails loudly rather than answering wrongly.
"""

from __future__ import annotations

from achterban import personal
from achterban.casework import conditions as casework_conditions  # noqa: F401 - registers
from achterban.casework import rules as casework_rules
from achterban.casework import service as casework
from achterban.consent import conditions as consent_conditions  # noqa: F401 - registers
from achterban.dedupe import service as dedupe
from achterban.districts import offices
from achterban.districts import service as districts
from achterban.donations import conditions as donation_conditions  # noqa: F401 - registers
from achterban.donations import service as donations
from achterban.memberships import conditions as membership_conditions  # noqa: F401 - registers
from achterban.memberships import service as memberships
from achterban.people import conditions as people_conditions  # noqa: F401 - registers
from achterban.people import roles, search
from achterban.segments import conditions as segment_conditions  # noqa: F401 - registers
from achterban.segments import service as segments
from achterban.users import service as users


def connect() -> None:
    # people's roles "member" and "donor", and the people list's branch filter
    roles.ROLE_WHERE.update(member=memberships.member_where, donor=donations.donor_where)
    roles.BRANCH_WHERE[:] = [memberships.member_where]
    # a signed-in office user's districts (their scope)
    users.OFFICE_DISTRICTS[:] = [districts.office_districts]
    # the people search finds a case's constituent by the case's reference (its office only)
    search.REFERENCE_PEOPLE[:] = [casework.constituents_with_reference]
    # the people list and exports of a saved segment (segment=)
    search.SEGMENT_WHERE[:] = [segments.clause_of]
    # the topics a caseworker can specialise in
    offices.TOPICS[:] = [casework_rules.topics]
    # an office with open cases is not deactivated before they are moved or closed
    offices.OPEN_CASES[:] = [casework.open_references]
    # what a merge moves: every domain's part of a person
    dedupe.PERSON_DATA[:] = personal.PERSON_DATA
