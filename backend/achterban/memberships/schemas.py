from datetime import date

import msgspec

from achterban.platform.schemas import Input


class MembershipCreate(Input):
    branch: str
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
    branch: str
    plan: str
    dues_cents: int
    since: date
    until: date | None
    cancelled_on: date | None
    status: str
