from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from achterban.people.tables import Person


class Segment(Table, tablename="segment"):
    """A saved audience: a condition tree (dynamic, always current) or a frozen snapshot."""

    id = Serial(primary_key=True)
    name = Varchar(length=200)
    description = Text(default="")
    owner_id = Integer(null=True, default=None, index=True)  # a staff user; None: from a file
    shared = Boolean(default=False)  # with the organisation, or private to its owner
    key = Varchar(length=100, null=True, default=None, unique=True)  # a campaigns/segments file
    definition = JSON(default={"all": []})
    frozen_at = Timestamptz(null=True, default=None)  # a snapshot: its members are kept
    size = Integer(null=True, default=None)  # the snapshot's size
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SegmentMember(Table, tablename="segment_member"):
    """One person of a frozen snapshot (who was in it at that moment)."""

    id = Serial(primary_key=True)
    segment = ForeignKey(references=Segment, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
