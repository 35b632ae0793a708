from typing import Any

import msgspec


class RepresentativeRef(msgspec.Struct, kw_only=True):
    id: int
    name: str
    chamber: str
    party: str
    office_ids: list[int]


class Candidate(msgspec.Struct, kw_only=True):
    district: str
    name: str
    kind: str
    representatives: list[RepresentativeRef]
    note: str = ""


class Resolution(msgspec.Struct, kw_only=True):
    parsed: dict[str, Any]
    candidates: list[Candidate]
    ambiguous: bool
    reason: str
