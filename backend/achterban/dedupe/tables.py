from piccolo.columns import JSON, Integer, Real, Serial, Timestamptz, Varchar
from piccolo.table import Table


class DedupeDecision(Table, tablename="dedupe_decision"):
    """A pair staff looked at and called "not a duplicate"; never proposed again."""

    id = Serial(primary_key=True)
    person_low = Integer(index=True)
    person_high = Integer(index=True)
    decision = Varchar(length=20, default="not_duplicate")
    actor_id = Integer(null=True, default=None)
    at = Timestamptz()


class DedupeCandidate(Table, tablename="dedupe_candidate"):
    """A pair the last duplicate scan found, with its score and evidence (replaced each scan)."""

    id = Serial(primary_key=True)
    person_low = Integer()
    person_high = Integer()
    score = Real()
    reasons = JSON(default=[])
    found_at = Timestamptz()
