"""From a parsed address and the map's candidates to a resolution that says why. No I/O.

Never a silent guess: several districts are all returned and marked ambiguous; a vacant
seat falls back to the state's senators and says so; an unknown postcode falls back to
the state (or nothing) and is ambiguous.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from achterban.districts.schemas import Candidate, RepresentativeRef


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str
    kind: str
    parent: str  # the state or province code


RepsFor = Callable[[str], list[RepresentativeRef]]


def candidates_for(areas: list[Area], reps_for: RepsFor) -> list[Candidate]:
    result = []
    for area in sorted(areas, key=lambda a: a.code):
        reps = reps_for(area.code)
        note = ""
        if area.kind == "congressional_district" and not reps:
            reps = reps_for(area.parent)
            note = f"the seat of {area.code} is vacant: the state's senators are shown"
        result.append(Candidate(district=area.code, name=area.name, kind=area.kind,
                                representatives=reps, note=note))  # fmt: skip
    return result


def reason(postcode: str, areas: list[Area], fallback: str) -> tuple[bool, str]:
    if not areas:
        return True, fallback
    states = {a.parent for a in areas}
    if len(areas) == 1:
        return False, f"postcode {postcode} lies in {areas[0].code} only"
    if len(states) > 1:
        return (
            True,
            f"postcode {postcode} spans {len(areas)} districts in {len(states)} states: pick one",
        )
    return True, f"postcode {postcode} spans {len(areas)} districts: pick one"
