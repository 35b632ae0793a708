from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from achterban.people.tables import Person


class Branch(Table, tablename="branch"):
    """A branch (afdeling) of the party: one or more municipalities, or a region."""

    id = Serial(primary_key=True)
    key = Varchar(length=60, unique=True)  # a slug of the name: "groningen", "bergen-nh"
    name = Varchar(length=100)
    active = Boolean(default=True)
    created_at = Timestamptz()


class BranchArea(Table, tablename="branch_area"):
    """An area a branch covers: a jurisdiction code (a municipality "NL-GM-groningen", a
    province or state "NL-GR", "US-NY"). A code, not a foreign key: a new map version is
    new jurisdiction rows with the same codes, and the branch keeps covering them."""

    id = Serial(primary_key=True)
    branch = ForeignKey(references=Branch, on_delete=OnDelete.cascade, index=True)
    code = Varchar(length=40, index=True)


class BranchOfficer(Table, tablename="branch_officer"):
    """A named person holding a post in a branch (chair, secretary, treasurer, other) for a
    period; ``user_id`` is their staff account when they have one."""

    id = Serial(primary_key=True)
    branch = ForeignKey(references=Branch, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    user_id = Integer(null=True, default=None)
    since = Date()
    until = Date(null=True, default=None)


class Membership(Table, tablename="membership"):
    """A membership; its status (new, current, grace, expired, cancelled) is computed by rules.

    ``branch_id`` is the branch; ``branch`` the branch's name as written when the membership
    was made (the free text of before branches were data, kept for the migration's report)."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    branch = Varchar(length=100, default="", index=True)
    branch_id = ForeignKey(
        references=Branch, null=True, default=None, on_delete=OnDelete.set_null, index=True
    )
    plan = Varchar(length=60, default="standard")
    dues_cents = Integer(default=0)
    since = Date()
    until = Date(null=True, default=None)
    cancelled_on = Date(null=True, default=None)
    created_at = Timestamptz()
