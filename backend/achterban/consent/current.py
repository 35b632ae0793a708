"""Consent now, kept in step with the history: after any write to ``consent_event`` the
writer calls ``refresh`` for the people it touched, inside its own transaction, so the
segment condition "has consent for a purpose over a channel" reads one row per person,
purpose and channel instead of working out the latest statement on every count."""

from __future__ import annotations

from collections.abc import Iterable

from achterban.platform import bulk

STATEMENTS = (
    "DELETE FROM consent_now WHERE person {ids}",
    # the latest statement per person, purpose and channel: the newest time, then the
    # newest id (as consent/rules.resolve reads the history)
    "INSERT INTO consent_now (person, purpose, channel, status, at) "
    "SELECT person, purpose, channel, status, at FROM (SELECT person, purpose, channel, "
    "status, at, ROW_NUMBER() OVER (PARTITION BY person, purpose, channel "
    "ORDER BY at DESC, id DESC) AS n FROM consent_event WHERE person {ids}) latest "
    "WHERE n = 1",
)


async def refresh(person_ids: Iterable[int]) -> None:
    """Recompute these people's consent now from their history (the caller's transaction)."""
    await bulk.execute_for(STATEMENTS, person_ids)
