from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from achterban.people.tables import Person


class ConsentEvent(Table, tablename="consent_event"):
    """One statement of consent for a purpose over a channel; the latest one counts."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=40)  # newsletter, fundraising, surveys, casework_followup
    channel = Varchar(length=10)  # email, post, phone, sms
    status = Varchar(length=10)  # granted | withdrawn
    at = Timestamptz()
    source = Varchar(length=10)  # form, import, staff, link
    source_detail = Varchar(length=300, default="")  # file name, form name
    wording = Text(default="")
    actor_id = Integer(null=True, default=None)


class ConsentNow(Table, tablename="consent_now"):
    """The latest statement per person, purpose and channel, kept in step with
    ``consent_event`` in the same transaction (consent/current.py): what a segment's
    consent condition reads instead of the history."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=40)
    channel = Varchar(length=10)
    status = Varchar(length=10)
    at = Timestamptz()
