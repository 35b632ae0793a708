from piccolo.columns import BigInt, Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from achterban.people.tables import Person


class Mandate(Table, tablename="sepa_mandate"):
    """A recurring SEPA direct-debit mandate."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    iban = Varchar(length=34)
    reference = Varchar(length=35, unique=True)
    amount_cents = Integer()
    currency = Varchar(length=3, default="EUR")
    frequency = Varchar(length=10)  # monthly | quarterly | yearly
    status = Varchar(length=10, default="active")  # active | failing | cancelled
    signed_on = Date()
    failures = Integer(default=0)
    created_at = Timestamptz()


class Donation(Table, tablename="donation"):
    """A gift received: one-off, or one collection of a mandate."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    amount_cents = Integer()
    currency = Varchar(length=3, default="EUR")
    received_on = Date(index=True)
    kind = Varchar(length=10, default="one_off")  # one_off | recurring
    mandate = ForeignKey(references=Mandate, null=True, default=None, on_delete=OnDelete.set_null)
    campaign = Varchar(length=100, default="")
    created_at = Timestamptz()


class GivingSummary(Table, tablename="giving_summary"):
    """A giver's gifts at a glance, kept in step with ``donation`` in the same transaction
    (donations/summary.py): what segment conditions read instead of the gift history."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True)
    first_on = Date()
    last_on = Date()
    gift_count = Integer()
    largest_cents = BigInt()
    total_cents = BigInt()


class GivingYear(Table, tablename="giving_year"):
    """A giver's gifts in one calendar year (totals, LYBUNT and SYBUNT read these)."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    total_cents = BigInt()
    gift_count = Integer()
