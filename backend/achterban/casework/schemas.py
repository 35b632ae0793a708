from datetime import datetime
from typing import Any, Literal

import msgspec

from achterban.platform.schemas import Input

Status = Literal["new", "triaged", "assigned", "waiting", "resolved", "closed"]
Channel = Literal["email", "phone", "post", "visit"]


class PublicCase(Input):
    """The public intake form."""

    name: str
    email: str
    subject: str
    description: str
    topic: str
    address: str
    phone: str = ""
    language: Literal["nl", "en"] = "nl"
    channel: Channel = "email"
    share_with_agencies: bool = False
    follow_up_consent: bool = False
    website: str = ""  # a honeypot: people leave it empty, bots fill it in


class CaseCreate(Input):
    subject: str
    description: str
    topic: str
    address: str
    person_id: int | None = None
    name: str = ""
    email: str = ""
    language: Literal["nl", "en"] = "nl"
    channel: Channel = "email"
    share_with_agencies: bool = False
    sensitive: dict[str, str] = {}
    source: Literal["staff", "import", "form"] = "staff"


class Transition(Input):
    status: Status
    note: str = ""


class EventCreate(Input):
    kind: Literal["note", "correspondence", "referral"]
    body: str
    direction: Literal["in", "out", ""] = ""
    channel: str = ""
    agency: str = ""


class TaskCreate(Input):
    title: str
    assignee_id: int | None = None
    due_at: datetime | None = None


class TaskUpdate(Input):
    done: bool


class RoutePick(Input):
    office_id: int


class Resolve(Input):
    resolution: str


class GroupAnswer(Input):
    body: str
    channel: str = "email"


class Assign(Input):
    assignee_id: int


class Close(Input):
    confirm_open_tasks: bool = False  # closing with open tasks asks first


class AgencyConsent(Input):
    """The constituent agreed (or no longer agrees) that their details go to agencies."""

    given: bool
    note: str = ""


EventKind = Literal[
    "note", "correspondence", "referral", "status", "routing", "assignment", "consent", "handover"
]


class Routing(msgspec.Struct, kw_only=True):
    """A routing decision as data: the SPA words it in the reader's language."""

    code: str  # specialist, office_queue, ambiguous, no_office, several_offices, picked
    district: str = ""
    office_id: int | None = None
    office_name: str = ""
    assignee_id: int | None = None
    assignee_name: str = ""
    count: int = 0  # districts or offices in question


class CandidateOffice(msgspec.Struct, kw_only=True):
    id: int
    name: str


class Candidate(msgspec.Struct, kw_only=True):
    district: str
    name: str
    office_ids: list[int]
    offices: list[CandidateOffice]
    note: str = ""


class StaffMember(msgspec.Struct, kw_only=True):
    id: int
    name: str
    role: str


class CaseEvent(msgspec.Struct, kw_only=True):
    id: int
    kind: str  # one of EventKind
    direction: str
    channel: str
    body: str
    actor_id: int | None
    actor_name: str  # "" for the system (the public form, routing on arrival)
    at: datetime
    from_status: str | None = None
    to_status: str | None = None
    agency: str = ""
    assignee_name: str = ""
    consent: bool | None = None
    routing: Routing | None = None
    detail: dict[str, Any] = {}


class CaseTask(msgspec.Struct, kw_only=True):
    id: int
    title: str
    assignee_id: int | None
    assignee_name: str
    due_at: datetime | None
    done_at: datetime | None


class Case(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    person_id: int | None  # None also when the actor may not read the case's contents
    constituent_name: str
    office_id: int | None
    office_name: str
    assignee_id: int | None
    assignee_name: str
    status: str
    topic: str
    topic_label: dict[str, str]  # the topic's name per language (nl, en), from topics.yaml
    subject: str
    description: str
    address: str
    district: str
    candidates: list[Candidate]
    language: str
    channel: str
    share_with_agencies: bool
    sensitive: dict[str, str] | None  # only for the case's own office
    campaign_key: str
    group_size: int
    due_at: datetime | None
    overdue: bool
    resolution: str
    created_at: datetime
    closed_at: datetime | None
    routing_reason: str
    routing: Routing | None
    contents: bool  # False: routing only (triage by party staff)


class CaseDetail(Case, kw_only=True):
    """The case page's one overview: one view of a case is one audited read."""

    events: list[CaseEvent]
    tasks: list[CaseTask]
    open_tasks: int
    staff: list[StaffMember]  # colleagues of the case's office, to assign to
    may_triage: bool


class ConstituentCase(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    subject: str
    status: str
    topic: str
    created_at: datetime


class Constituent(msgspec.Struct, kw_only=True):
    """The constituent of a case as its office sees them."""

    person_id: int
    name: str
    emails: list[str]
    phones: list[str]
    address: str
    language: str
    cases: list[ConstituentCase]  # their cases of this office


class CasePage(msgspec.Struct, kw_only=True):
    items: list[Case]
    total: int
    counts: dict[str, int]


class CaseTopic(msgspec.Struct, kw_only=True):
    """A topic the public form offers: its code and its name per language (nl, en)."""

    code: str
    label: dict[str, str]


class IntakeReceipt(msgspec.Struct, kw_only=True):
    reference: str
    message: str


class ImportResult(msgspec.Struct, kw_only=True):
    created: list[str]
    errors: list[dict[str, Any]]
