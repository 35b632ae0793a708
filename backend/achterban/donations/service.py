"""Gifts and recurring SEPA mandates; every change audited, scoped through the person."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.donations import rules, summary
from achterban.donations.schemas import Collection, Donation, GiftCreate, Mandate, MandateCreate
from achterban.donations.tables import Donation as DonationRow
from achterban.donations.tables import Mandate as MandateRow
from achterban.people.service import read_row, visible_row
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.conditions import Semi
from achterban.platform.errors import Problem
from achterban.platform.i18n import _


def donor_where(person_id: Any, today: date) -> Any:
    """The clause "has given, or has a mandate that is not cancelled" on a column of person
    ids: people's role "donor" (handed down in wiring.py); a giver is one with a summary."""
    return Semi("giving_summary", outer=person_id) | Semi(
        "sepa_mandate", MandateRow.status != "cancelled", outer=person_id
    )


def _donation(row: dict[str, Any]) -> Donation:
    return Donation(
        id=row["id"], person_id=row["person"], amount_cents=row["amount_cents"],
        currency=row["currency"], received_on=row["received_on"], kind=row["kind"],
        mandate_id=row["mandate"], campaign=row["campaign"],
    )  # fmt: skip


def _mandate(row: dict[str, Any], actor: Actor) -> Mandate:
    iban = row["iban"] if actor.has("people.write") else rules.mask_iban(row["iban"])
    return Mandate(
        id=row["id"], person_id=row["person"], iban=iban, reference=row["reference"],
        amount_cents=row["amount_cents"], currency=row["currency"], frequency=row["frequency"],
        status=row["status"], signed_on=row["signed_on"], failures=row["failures"],
    )  # fmt: skip


async def list_donations(actor: Actor, person_id: int) -> list[Donation]:
    await read_row(actor, person_id, "donations")
    rows = (
        await DonationRow.select()
        .where(DonationRow.person == person_id)
        .order_by(DonationRow.received_on, ascending=False)
    )
    return [_donation(r) for r in rows]


async def do_add_gift(actor: Actor, person_id: int, data: GiftCreate) -> Donation:
    async with db.transaction():
        await visible_row(actor, person_id)
        row = DonationRow(
            person=person_id, amount_cents=data.amount_cents, currency=data.currency,
            received_on=data.received_on or date.today(), kind="one_off",
            campaign=data.campaign.strip(), created_at=datetime.now(UTC),
        )  # fmt: skip
        await row.save()
        await summary.refresh([person_id])
        await audit.record(actor, "donation.create", "person", person_id, {"donation": row.id})
    return _donation(row.to_dict())


async def list_mandates(actor: Actor, person_id: int) -> list[Mandate]:
    await read_row(actor, person_id, "mandates")
    rows = await MandateRow.select().where(MandateRow.person == person_id).order_by(MandateRow.id)
    return [_mandate(r, actor) for r in rows]


async def do_create_mandate(actor: Actor, person_id: int, data: MandateCreate) -> Mandate:
    try:
        iban = rules.normalise_iban(data.iban)
    except rules.BadIban as exc:
        raise Problem(400, _("This IBAN is refused: {reason}."), kind="validation",
                      values={"reason": exc.reason},
                      errors=[{"key": "iban", "message": str(exc)}]) from exc  # fmt: skip
    reference = (data.reference or f"ACH-{person_id}-{secrets.token_hex(4).upper()}").strip()
    if not rules.valid_reference(reference):
        raise Problem(400, _("A mandate reference is 1 to 35 letters, digits or /-?:().,'+ "
                             "without spaces."), kind="validation",
                      errors=[{"key": "reference", "message": "invalid"}])  # fmt: skip
    async with db.transaction():
        await visible_row(actor, person_id)
        if await MandateRow.exists().where(MandateRow.reference == reference):
            raise Problem(409, _("The mandate reference {reference} is in use."), kind="conflict",
                          values={"reference": reference})  # fmt: skip
        row = MandateRow(
            person=person_id, iban=iban, reference=reference, amount_cents=data.amount_cents,
            currency=data.currency, frequency=data.frequency,
            signed_on=data.signed_on or date.today(), created_at=datetime.now(UTC),
        )  # fmt: skip
        await row.save()
        await audit.record(actor, "mandate.create", "person", person_id, {"mandate": row.id})
    return _mandate(row.to_dict(), actor)


async def _mandate_row(actor: Actor, mandate_id: int) -> dict[str, Any]:
    row = await MandateRow.select().where(MandateRow.id == mandate_id).first()
    if row is None:
        raise Problem(404, _("No such mandate."), kind="not-found")
    await visible_row(actor, row["person"])
    return row


async def do_collect(actor: Actor, mandate_id: int, data: Collection) -> Donation:
    """A successful collection: a recurring gift; a failing mandate is active again."""
    async with db.transaction():
        mandate = await _mandate_row(actor, mandate_id)
        if mandate["status"] == "cancelled":
            raise Problem(409, _("The mandate is cancelled."), kind="conflict")
        row = DonationRow(
            person=mandate["person"], amount_cents=mandate["amount_cents"],
            currency=mandate["currency"], received_on=data.received_on or date.today(),
            kind="recurring", mandate=mandate_id, created_at=datetime.now(UTC),
        )  # fmt: skip
        await row.save()
        await summary.refresh([mandate["person"]])
        await MandateRow.update({MandateRow.status: "active", MandateRow.failures: 0}).where(
            MandateRow.id == mandate_id
        )
        await audit.record(
            actor, "mandate.collect", "person", mandate["person"], {"mandate": mandate_id}
        )
    return _donation(row.to_dict())


async def do_report_failure(actor: Actor, mandate_id: int) -> Mandate:
    async with db.transaction():
        mandate = await _mandate_row(actor, mandate_id)
        # counted in the database: two reports at once are two failures, not one
        counted = (
            await MandateRow.update({MandateRow.failures: MandateRow.failures + 1})
            .where(MandateRow.id == mandate_id)
            .returning(MandateRow.failures, MandateRow.status)
        )
        status = rules.status_after_failure(counted[0]["failures"], counted[0]["status"])
        await MandateRow.update({MandateRow.status: status}).where(MandateRow.id == mandate_id)
        await audit.record(
            actor, "mandate.failure", "person", mandate["person"], {"mandate": mandate_id}
        )
        return _mandate(await _mandate_row(actor, mandate_id), actor)


async def do_cancel(actor: Actor, mandate_id: int) -> Mandate:
    async with db.transaction():
        mandate = await _mandate_row(actor, mandate_id)
        await MandateRow.update({MandateRow.status: "cancelled"}).where(MandateRow.id == mandate_id)
        await audit.record(
            actor, "mandate.cancel", "person", mandate["person"], {"mandate": mandate_id}
        )
        return _mandate(await _mandate_row(actor, mandate_id), actor)
