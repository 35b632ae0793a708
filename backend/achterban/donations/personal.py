"""The donations domain's part of a person: gifts (kept for the books) and mandates."""

from __future__ import annotations

from typing import Any

from achterban.donations import summary
from achterban.donations.tables import Donation, Mandate
from achterban.platform.personal import Identity, PersonData


async def merge(merged_id: int, survivor_id: int) -> None:
    for table in (Donation, Mandate):
        await table.update({table.person: survivor_id}).where(table.person == merged_id)
    await summary.refresh([merged_id, survivor_id])


async def erase(who: Identity) -> None:
    ids = list(who.person_ids)
    # gifts stay for the books; the bank account goes, and the campaign loses their name
    await Mandate.update({Mandate.iban: ""}).where(Mandate.person.is_in(ids))
    for row in await Donation.select(Donation.id, Donation.campaign).where(
        Donation.person.is_in(ids) & (Donation.campaign != "")
    ):
        scrubbed = who.scrub(row["campaign"])
        if scrubbed != row["campaign"]:
            await Donation.update({Donation.campaign: scrubbed}).where(Donation.id == row["id"])


async def export(person_id: int) -> dict[str, Any]:
    return {
        "donations": [dict(r) for r in await Donation.select().where(Donation.person == person_id)],
        "mandates": [dict(r) for r in await Mandate.select().where(Mandate.person == person_id)],
    }


DATA = PersonData(
    "donations", ("donation", "sepa_mandate", "giving_summary", "giving_year"), merge, erase,
    export,
    notes={"donation": "kept for the books, the campaign text without the person's values",
           "sepa_mandate": "kept for the books without the IBAN",
           "giving_summary": "sums of the gifts kept for the books, worked out from them",
           "giving_year": "sums of the gifts kept for the books, worked out from them"},
)  # fmt: skip
