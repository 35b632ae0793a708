import msgspec

from achterban.people.schemas import PersonSummary
from achterban.platform.schemas import Input


class Candidate(msgspec.Struct, kw_only=True):
    score: float
    reasons: list[str]
    a: PersonSummary
    b: PersonSummary


class PairInput(Input):
    a: int
    b: int


class MergeInput(Input):
    survivor_id: int
    merged_id: int
