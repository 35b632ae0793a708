from piccolo.columns import Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from achterban.people.tables import Person


class Membership(Table, tablename="membership"):
    """A membership; its status (new, current, grace, expired, cancelled) is computed by rules."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    branch = Varchar(length=100, default="", index=True)
    plan = Varchar(length=60, default="standard")
    dues_cents = Integer(default=0)
    since = Date()
    until = Date(null=True, default=None)
    cancelled_on = Date(null=True, default=None)
    created_at = Timestamptz()
