from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from achterban.districts.tables import Office
from achterban.people.tables import Person


class Case(Table, tablename="casework_case"):
    """A constituent's matter, routed by address to an office, with a service-level deadline."""

    id = Serial(primary_key=True)
    reference = Varchar(length=20, unique=True)
    person = ForeignKey(
        references=Person, null=True, default=None, on_delete=OnDelete.set_null, index=True
    )
    office = ForeignKey(
        references=Office, null=True, default=None, on_delete=OnDelete.set_null, index=True
    )
    assignee_id = Integer(null=True, default=None, index=True)
    status = Varchar(
        length=20, default="new", index=True
    )  # new, triaged, assigned, waiting, resolved, closed
    topic = Varchar(length=40, index=True)
    subject = Varchar(length=300)
    description = Text(default="")
    address_raw = Text(default="")
    district = Varchar(length=40, default="", index=True)
    candidates = JSON(default=[])  # candidate districts/offices when routing was ambiguous
    language = Varchar(length=2, default="nl")
    channel = Varchar(length=10, default="email")
    share_with_agencies = Boolean(default=False)
    sensitive = JSON(default={})  # health, immigration, benefits details: the office only
    campaign_key = Varchar(length=64, default="", index=True)  # identical messages grouped
    source = Varchar(length=20, default="form")  # form, staff, import
    due_at = Timestamptz(null=True, default=None, index=True)
    paused_at = Timestamptz(null=True, default=None)
    paused_seconds = Integer(default=0)
    resolution = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None)


class CaseEvent(Table, tablename="case_event"):
    """The case log: correspondence in and out, internal notes, referrals, status changes."""

    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)  # note, correspondence, referral, status, routing
    direction = Varchar(length=3, default="")  # in | out for correspondence
    channel = Varchar(length=10, default="")
    body = Text(default="")
    detail = JSON(default={})
    actor_id = Integer(null=True, default=None)
    at = Timestamptz()


class CaseTask(Table, tablename="case_task"):
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=300)
    assignee_id = Integer(null=True, default=None, index=True)
    due_at = Timestamptz(null=True, default=None)
    done_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class RoutingDecision(Table, tablename="routing_decision"):
    """Every routing decision with its reason, including triage picks by staff."""

    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, index=True)
    office_id = Integer(null=True, default=None)
    assignee_id = Integer(null=True, default=None)
    reason = Text()
    candidates = JSON(default=[])
    actor_id = Integer(null=True, default=None)
    at = Timestamptz()
