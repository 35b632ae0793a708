"""Turn a district resolution into routing choices: staffed offices and their specialists."""

from __future__ import annotations

from typing import Any

from achterban.casework import rules
from achterban.districts import service as districts
from achterban.districts.schemas import Resolution
from achterban.users import service as users


async def choices(resolution: Resolution) -> tuple[list[rules.OfficeChoice], list[dict[str, Any]]]:
    """The offices that could take the case, and the candidates to store for triage."""
    staffed = await users.staffed_offices()
    candidates = []
    offices: dict[int, str] = {}
    for candidate in resolution.candidates:
        office_ids = sorted(
            {o for r in candidate.representatives for o in r.office_ids if o in staffed}
        )
        candidates.append(
            {
                "district": candidate.district,
                "name": candidate.name,
                "office_ids": office_ids,
                "note": candidate.note,
            }
        )
        for office_id in office_ids:
            offices.setdefault(office_id, candidate.district)
    by_office = await districts.specialists(list(offices))
    result = [
        rules.OfficeChoice(office_id=o, district=d, caseworkers_by_topic=by_office.get(o, {}))
        for o, d in sorted(offices.items())
    ]
    return result, candidates
