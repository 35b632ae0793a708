from datetime import datetime

import msgspec

from achterban.people.schemas import PersonSummary
from achterban.platform.schemas import Input


class Candidate(msgspec.Struct, kw_only=True):
    score: float
    reasons: list[str]
    a: PersonSummary
    b: PersonSummary


class CandidatePage(msgspec.Struct, kw_only=True):
    items: list[Candidate]
    total: int
    scanned_at: datetime | None  # when the list was last worked out; None: never yet
    scanning: bool  # a scan is waiting or running: the list will change


class ScanStarted(msgspec.Struct, kw_only=True):
    job_key: str


class PairInput(Input):
    a: int
    b: int


class MergeInput(Input):
    survivor_id: int
    merged_id: int
