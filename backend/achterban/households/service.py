"""Households: people at one postal address share one, for one printed newsletter each."""

from __future__ import annotations

from datetime import UTC, datetime

from achterban.households.tables import Household


async def attach(key: str | None, infix: str, last_name: str) -> int | None:
    """The household for an address key, created on first use; None without a usable address."""
    if not key:
        return None
    row = await Household.select(Household.id).where(Household.key == key).first()
    if row is not None:
        return int(row["id"])
    family = " ".join(p for p in (infix.strip(), last_name.strip()) if p)
    household = Household(key=key, family_name=family, created_at=datetime.now(UTC))
    await household.save()
    return int(household.id)
