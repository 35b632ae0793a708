"""Households: people at one postal address share one, for one printed newsletter each."""

from __future__ import annotations

from datetime import UTC, datetime

from achterban.households.tables import Household
from achterban.platform import bulk


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


async def prepare() -> None:
    """Before ``attach_many`` of an import's first batch: the id sequence, looked up once."""
    await bulk.sequence(Household)


async def attach_many(families: dict[str, str]) -> dict[str, int]:
    """``attach`` for a batch (imports): address key → family name in, key → household id out;
    the missing ones are created in bulk."""
    keys = list(families)
    if not keys:
        return {}
    existing = {
        r["key"]: r["id"] for r in await bulk.select_in(Household, ["id", "key"], {"key": keys})
    }
    missing = [k for k in keys if k not in existing]
    if missing:
        now = datetime.now(UTC)
        ids = await bulk.allocate_ids(Household, len(missing))
        await bulk.insert(Household, [
            {"id": i, "key": k, "family_name": families[k], "created_at": now}
            for i, k in zip(ids, missing, strict=True)
        ])  # fmt: skip
        existing.update(zip(missing, ids, strict=True))
    return existing


async def refresh(household_id: int, families: list[str]) -> None:
    """A member left (erased or merged away): the household takes the family name of who
    still lives there (``families``, oldest member first), or goes when nobody does."""
    if not families:
        await Household.delete().where(Household.id == household_id)
        return
    await Household.update({Household.family_name: families[0]}).where(Household.id == household_id)


async def export(household_id: int | None) -> dict[str, object] | None:
    if household_id is None:
        return None
    row = await Household.select().where(Household.id == household_id).first()
    return dict(row) if row else None
