"""Giving at a glance, kept in step with the gifts: after any write to ``donation`` the
writer calls ``refresh`` for the people it touched, inside its own transaction, so segment
conditions (totals, largest gift, first and last gift, LYBUNT) read one row per giver and
year instead of the gift history."""

from __future__ import annotations

from collections.abc import Iterable

from achterban.platform import bulk, db

STATEMENTS = (
    "DELETE FROM giving_summary WHERE person {ids}",
    "INSERT INTO giving_summary (person, first_on, last_on, gift_count, largest_cents, "
    "total_cents) SELECT person, MIN(received_on), MAX(received_on), COUNT(*), "
    "MAX(amount_cents), SUM(amount_cents) FROM donation WHERE person {ids} GROUP BY person",
    "DELETE FROM giving_year WHERE person {ids}",
)
# the year of a date, written for each engine
YEAR = {
    "postgres": "EXTRACT(YEAR FROM received_on)::integer",
    "sqlite": "CAST(strftime('%Y', received_on) AS INTEGER)",
}


def _by_year(engine: str) -> str:
    year = YEAR[engine]
    return (
        "INSERT INTO giving_year (person, year, total_cents, gift_count) "
        f"SELECT person, {year}, SUM(amount_cents), COUNT(*) FROM donation "
        f"WHERE person {{ids}} GROUP BY person, {year}"
    )


async def refresh(person_ids: Iterable[int]) -> None:
    """Recompute the summaries of these people from their gifts (the caller's transaction)."""
    engine = "postgres" if db.is_postgres() else "sqlite"
    await bulk.execute_for((*STATEMENTS, _by_year(engine)), person_ids)
