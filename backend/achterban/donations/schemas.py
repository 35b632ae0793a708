from datetime import date
from typing import Annotated, Literal

import msgspec

from achterban.platform.schemas import Input

Cents = Annotated[int, msgspec.Meta(gt=0, le=100_000_000)]


class GiftCreate(Input):
    amount_cents: Cents
    received_on: date | None = None
    currency: Literal["EUR", "USD"] = "EUR"
    campaign: str = ""


class MandateCreate(Input):
    iban: str
    amount_cents: Cents
    frequency: Literal["monthly", "quarterly", "yearly"]
    signed_on: date | None = None
    reference: str | None = None
    currency: Literal["EUR"] = "EUR"


class Collection(Input):
    received_on: date | None = None


class Donation(msgspec.Struct, kw_only=True):
    id: int
    person_id: int
    amount_cents: int
    currency: str
    received_on: date
    kind: str
    mandate_id: int | None
    campaign: str


class Mandate(msgspec.Struct, kw_only=True):
    id: int
    person_id: int
    iban: str  # masked unless the reader may change people
    reference: str
    amount_cents: int
    currency: str
    frequency: str
    status: str
    signed_on: date
    failures: int
