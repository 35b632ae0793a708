from datetime import date, datetime
from typing import Literal

import msgspec

from achterban.platform.schemas import Input

OfficerRole = Literal["chair", "secretary", "treasurer", "other"]


class MembershipCreate(Input):
    """A membership of a branch: ``branch_id``, or (as before branches were data) the
    branch's name as free text, linked to the branch of that name when there is one."""

    branch: str = ""
    branch_id: int | None = None
    plan: str = "standard"
    dues_cents: int = msgspec.field(default=0)
    since: date | None = None
    until: date | None = None


class MembershipChange(Input):
    until: date | None = None
    cancelled_on: date | None = None


class Membership(msgspec.Struct, kw_only=True):
    id: int
    person_id: int
    branch: str  # the branch's name (the free text, while it is not linked to a branch)
    plan: str
    dues_cents: int
    since: date
    until: date | None
    cancelled_on: date | None
    status: str
    branch_id: int | None = None
    branch_name: str = ""  # the linked branch's name now ("" when not linked)


class BranchCreate(Input):
    """A branch; ``areas`` are jurisdiction codes: municipalities (``NL-GM-groningen``), or a
    province or state (``NL-GR``, ``US-NY``)."""

    name: str
    key: str = ""  # made from the name when left out
    areas: list[str] = []


class BranchUpdate(Input):
    name: str | msgspec.UnsetType = msgspec.UNSET
    areas: list[str] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class OfficerCreate(Input):
    role: OfficerRole
    person_id: int
    user_id: int | None = None  # their staff account, when they have one
    since: date | None = None


class OfficerEnd(Input):
    until: date | None = None  # today when left out


class BranchArea(msgspec.Struct, kw_only=True):
    code: str
    name: str
    kind: str


class Officer(msgspec.Struct, kw_only=True):
    id: int
    branch_id: int
    role: OfficerRole
    person_id: int
    name: str
    user_id: int | None
    since: date
    until: date | None
    current: bool


class Branch(msgspec.Struct, kw_only=True):
    id: int
    key: str
    name: str
    active: bool
    created_at: datetime
    areas: list[BranchArea]
    officers: list[Officer]
    members: int  # current members


class MigratedText(msgspec.Struct, kw_only=True):
    """A free-text branch linked to a branch (``created``: made for its municipality now)."""

    text: str
    memberships: int
    branch_id: int
    branch_name: str
    created: bool


class UnresolvedText(msgspec.Struct, kw_only=True):
    """A free-text branch left as it was: several branches or municipalities fit it
    (``candidates``), or none. Its memberships keep their text."""

    text: str
    memberships: int
    candidates: list[str]
    membership_ids: list[int]


class BranchMigration(msgspec.Struct, kw_only=True):
    migrated: list[MigratedText]
    ambiguous: list[UnresolvedText]
    unmatched: list[UnresolvedText]
