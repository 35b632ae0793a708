from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from achterban.platform.schemas import Input

Language = Literal["nl", "en"]
SupportLevel = Annotated[int, msgspec.Meta(ge=1, le=5)]
Role = Literal["loyal_voter", "member", "donor", "volunteer", "ambassador", "constituent"]
SortKey = Literal[
    "relevance", "name", "-name", "created", "-created", "last_contact", "-last_contact", "postcode"
]
Channel = Literal["email", "phone", "post", "sms", "visit", "event", "web", "social"]


class PersonCreate(Input):
    first_name: str = ""
    infix: str = ""
    last_name: str = ""
    language: Language = "nl"
    date_of_birth: date | None = None
    emails: list[str] = []
    phones: list[str] = []
    address: str | None = None
    country: str | None = None
    tags: list[str] = []
    support_level: SupportLevel | None = None
    voted_for_us: bool = False
    is_volunteer: bool = False
    is_ambassador: bool = False
    point_person_id: int | None = None
    source: str = ""
    external_ref: str | None = None


class PersonPatch(Input):
    first_name: str | msgspec.UnsetType = msgspec.UNSET
    infix: str | msgspec.UnsetType = msgspec.UNSET
    last_name: str | msgspec.UnsetType = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    date_of_birth: date | msgspec.UnsetType | None = msgspec.UNSET
    emails: list[str] | msgspec.UnsetType = msgspec.UNSET
    phones: list[str] | msgspec.UnsetType = msgspec.UNSET
    address: str | msgspec.UnsetType | None = msgspec.UNSET
    country: str | msgspec.UnsetType | None = msgspec.UNSET
    tags: list[str] | msgspec.UnsetType = msgspec.UNSET
    support_level: SupportLevel | msgspec.UnsetType | None = msgspec.UNSET
    voted_for_us: bool | msgspec.UnsetType = msgspec.UNSET
    is_volunteer: bool | msgspec.UnsetType = msgspec.UNSET
    is_ambassador: bool | msgspec.UnsetType = msgspec.UNSET
    point_person_id: int | msgspec.UnsetType | None = msgspec.UNSET
    do_not_contact: bool | msgspec.UnsetType = msgspec.UNSET
    source: str | msgspec.UnsetType = msgspec.UNSET


class Address(msgspec.Struct, kw_only=True):
    raw: str
    street: str
    house_number: str
    house_number_addition: str
    unit: str
    postcode: str
    city: str
    state: str
    country: str
    status: str
    note: str


class Person(msgspec.Struct, kw_only=True):
    id: int
    display_name: str
    first_name: str
    infix: str
    last_name: str
    language: str
    date_of_birth: date | None
    email: str | None
    phone: str | None
    emails: list[str]
    phones: list[str]
    address: Address
    tags: list[str]
    roles: list[str]
    support_level: int | None
    voted_for_us: bool
    is_volunteer: bool
    is_ambassador: bool
    point_person_id: int | None
    source: str
    household_id: int | None
    region: str
    district: str
    do_not_contact: bool
    # their e-mail address or phone number is an erased person's: someone who came back
    matches_erased_identity: bool
    last_contact_at: datetime | None
    created_at: datetime
    updated_at: datetime


class PersonSummary(msgspec.Struct, kw_only=True):
    id: int
    display_name: str
    email: str | None
    phone: str | None
    postcode: str
    city: str
    region: str
    district: str
    tags: list[str]
    roles: list[str]
    support_level: int | None
    last_contact_at: datetime | None
    address_status: str


class PersonPage(msgspec.Struct, kw_only=True):
    items: list[PersonSummary]
    # with total_capped, more people match than total (a search counts up to 1,000)
    total: int
    total_capped: bool = False
    limit: int
    offset: int


class PersonFilter(msgspec.Struct, kw_only=True):
    """The filters of the people list; also what an export or a segment stores."""

    q: str | None = None
    email: str | None = None
    phone: str | None = None
    postcode: str | None = None
    district: str | None = None
    region: str | None = None
    tag: str | None = None
    role: Role | None = None
    support_level_min: int | None = None
    branch: str | None = None  # a membership's free-text branch (before it is migrated)
    branch_id: int | None = None  # current members of the branch
    segment: int | None = None  # the people of a saved segment (its id)
    last_contact_before: datetime | None = None
    last_contact_after: datetime | None = None
    address_status: str | None = None
    sort: SortKey = "name"


class InteractionCreate(Input):
    channel: Channel
    direction: Literal["in", "out"]
    subject: str = ""
    notes: str = ""
    kind: str = ""
    value_adding: bool = False
    at: datetime | None = None


class Interaction(msgspec.Struct, kw_only=True):
    id: int
    person_id: int
    at: datetime
    channel: str
    direction: str
    kind: str
    subject: str
    notes: str
    value_adding: bool
    staff_id: int | None


TimelineKind = Literal["interaction", "consent", "donation", "membership", "case"]


class TimelineEntry(msgspec.Struct, kw_only=True):
    """One line of a person's timeline, as fields a client renders in the reader's language.

    ``summary`` is the same line in plain English for scripts reading the API."""

    at: datetime
    kind: TimelineKind
    summary: str
    detail: dict[str, object] = {}
    channel: str = ""  # interaction: contact channel; consent: consent channel
    direction: str = ""  # interaction: in, out
    subject: str = ""  # interaction, case
    purpose: str = ""  # consent
    status: str = ""  # consent: granted, withdrawn; case: its status
    source: str = ""  # consent: staff, link, import, ...
    amount_cents: int | None = None  # donation
    currency: str = ""  # donation
    gift_kind: str = ""  # donation: one_off, recurring
    campaign: str = ""  # donation
    branch: str = ""  # membership
    plan: str = ""  # membership
    until: date | None = None  # membership
    reference: str = ""  # case
    topic: str = ""  # case


class Household(msgspec.Struct, kw_only=True):
    id: int
    salutation: str
    members: list[PersonSummary]
