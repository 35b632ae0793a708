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


class CaseEvent(msgspec.Struct, kw_only=True):
    id: int
    kind: str
    direction: str
    channel: str
    body: str
    detail: dict[str, Any]
    actor_id: int | None
    at: datetime


class CaseTask(msgspec.Struct, kw_only=True):
    id: int
    title: str
    assignee_id: int | None
    due_at: datetime | None
    done_at: datetime | None


class Case(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    person_id: int | None
    office_id: int | None
    assignee_id: int | None
    status: str
    topic: str
    subject: str
    description: str
    address: str
    district: str
    candidates: list[dict[str, Any]]
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


class CaseDetail(Case, kw_only=True):
    events: list[CaseEvent]
    tasks: list[CaseTask]


class CasePage(msgspec.Struct, kw_only=True):
    items: list[Case]
    total: int
    counts: dict[str, int]


class IntakeReceipt(msgspec.Struct, kw_only=True):
    reference: str
    message: str


class ImportResult(msgspec.Struct, kw_only=True):
    created: list[str]
    errors: list[dict[str, Any]]
