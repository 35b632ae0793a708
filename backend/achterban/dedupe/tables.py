from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class DedupeDecision(Table, tablename="dedupe_decision"):
    """A pair staff looked at and called "not a duplicate"; never proposed again."""

    id = Serial(primary_key=True)
    person_low = Integer(index=True)
    person_high = Integer(index=True)
    decision = Varchar(length=20, default="not_duplicate")
    actor_id = Integer(null=True, default=None)
    at = Timestamptz()
