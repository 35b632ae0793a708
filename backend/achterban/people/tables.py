from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from achterban.households.tables import Household
from achterban.users.tables import StaffUser


class Person(Table, tablename="person"):
    """One record per supporter, whatever roles they have.

    The primary postal address is kept on the row both parsed and raw;
    ``address_status`` is ``ok``, ``review`` (kept raw, flagged) or ``none``.
    """

    id = Serial(primary_key=True)
    first_name = Varchar(length=100, default="")
    infix = Varchar(length=30, default="")  # Dutch tussenvoegsel: "van der", "de"
    last_name = Varchar(length=150, default="")
    sort_name = Varchar(length=300, default="", index=True)  # lower-case "last first infix"
    # the words a person is found by (normalise.search_text); trigram-indexed on PostgreSQL
    search_text = Text(default="")
    language = Varchar(length=2, default="nl")
    date_of_birth = Date(null=True, default=None)
    # the primary ones, for display; searching uses ContactPoint
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=20, null=True, default=None)
    support_level = Integer(null=True, default=None)
    voted_for_us = Boolean(default=False)
    is_volunteer = Boolean(default=False)
    is_ambassador = Boolean(default=False)
    point_person = ForeignKey(
        references=StaffUser, null=True, default=None, on_delete=OnDelete.set_null
    )
    source = Varchar(length=100, default="")
    external_ref = Varchar(length=100, null=True, default=None)  # partial index, see migrations
    # the postal address, structured and raw
    address_raw = Text(default="")
    street = Varchar(length=200, default="")
    house_number = Varchar(length=20, default="")
    house_number_addition = Varchar(length=20, default="")
    unit = Varchar(length=60, default="")
    postcode = Varchar(length=12, default="")  # indexed: person_place, person_live_postcode
    city = Varchar(length=100, default="")
    state = Varchar(length=60, default="")
    country = Varchar(length=2, default="")
    address_status = Varchar(length=10, default="none")
    address_note = Varchar(length=300, default="")
    region = Varchar(length=10, default="", index=True)  # scope: "NL-GR", "US-NY"
    district = Varchar(length=40, default="", index=True)  # filled by districts when it lands
    household = ForeignKey(
        references=Household, null=True, default=None, on_delete=OnDelete.set_null
    )
    do_not_contact = Boolean(default=False)
    last_contact_at = Timestamptz(null=True, default=None, index=True)
    # the last value-adding touch (the contact gap), kept in step with ``interaction``
    last_touch_at = Timestamptz(null=True, default=None, index=True)
    merged_into = Integer(null=True, default=None)
    erased_at = Timestamptz(null=True, default=None)
    # their e-mail address or phone number is one of an erased person: staff see it
    matches_erased = Boolean(default=False)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ContactPoint(Table, tablename="contact_point"):
    """Every e-mail address and phone number of a person, normalised."""

    id = Serial(primary_key=True)
    # indexed by (person, kind, value) and (kind, value): see the search-index migration
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade)
    kind = Varchar(length=10)  # email | phone
    value = Varchar(length=254)
    label = Varchar(length=40, default="")
    is_primary = Boolean(default=False)


class PersonTag(Table, tablename="person_tag"):
    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    tag = Varchar(length=80)  # indexed by (tag, person): see the search-index migration


class Interaction(Table, tablename="interaction"):
    """A contact moment: who, when, how, about what, and whether it added value."""

    id = Serial(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(index=True)
    channel = Varchar(length=20)  # email, phone, post, sms, visit, event, web
    direction = Varchar(length=3)  # in | out
    kind = Varchar(length=40, default="")
    subject = Varchar(length=300, default="")
    notes = Text(default="")
    value_adding = Boolean(default=False)
    staff = ForeignKey(references=StaffUser, null=True, default=None, on_delete=OnDelete.set_null)


class ErasureLedger(Table, tablename="erasure_ledger"):
    """Who was erased when, so a restored backup can be cleaned again."""

    id = Serial(primary_key=True)
    person_id = Integer(index=True)
    erased_at = Timestamptz()
    actor_id = Integer(null=True, default=None)
    reason = Varchar(length=300, default="")


class ErasedIdentity(Table, tablename="erased_identity"):
    """The keyed hash (platform.personal.digest) of an erased person's e-mail or phone,
    so an import does not bring them back and a return on their own is flagged."""

    id = Serial(primary_key=True)
    person_id = Integer(index=True)
    digest = Varchar(length=64, index=True)
