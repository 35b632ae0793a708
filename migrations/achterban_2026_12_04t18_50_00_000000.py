"""Current state beside the event logs, for segment conditions at a million people.

consent_now holds the latest consent statement per person, purpose and channel;
giving_summary and giving_year a giver's gifts at a glance and per year; person.last_touch_at
the last value-adding contact. The writers keep them in step in their own transaction
(consent/current.py, donations/summary.py); this migration adds their keys and fills them
from the histories already there.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-04T18:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "segments: current state filled from the histories"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def current_state():
        engine = engine_finder()
        postgres = engine.engine_type == "postgres"
        year = (
            "EXTRACT(YEAR FROM received_on)::integer" if postgres
            else "CAST(strftime('%Y', received_on) AS INTEGER)"
        )
        for sql in (
            "CREATE UNIQUE INDEX IF NOT EXISTS consent_now_key "
            "ON consent_now (person, purpose, channel)",
            "CREATE INDEX IF NOT EXISTS consent_now_granted "
            "ON consent_now (purpose, channel, status, person)",
            "CREATE UNIQUE INDEX IF NOT EXISTS giving_year_key ON giving_year (person, year)",
            "CREATE INDEX IF NOT EXISTS giving_year_year ON giving_year (year, person)",
            # contact by channel or kind in a period: the recent moments, from the index
            # alone (an import's notes are no contact moments)
            "CREATE INDEX IF NOT EXISTS interaction_channel_at "
            "ON interaction (channel, at, person) WHERE kind <> 'import_note'",
            "CREATE INDEX IF NOT EXISTS interaction_kind_at "
            "ON interaction (kind, at, person) WHERE kind <> 'import_note'",
            "INSERT INTO consent_now (person, purpose, channel, status, at) "
            "SELECT person, purpose, channel, status, at FROM (SELECT person, purpose, "
            "channel, status, at, ROW_NUMBER() OVER (PARTITION BY person, purpose, channel "
            "ORDER BY at DESC, id DESC) AS n FROM consent_event) latest WHERE n = 1",
            "INSERT INTO giving_summary (person, first_on, last_on, gift_count, "
            "largest_cents, total_cents) SELECT person, MIN(received_on), MAX(received_on), "
            "COUNT(*), MAX(amount_cents), SUM(amount_cents) FROM donation GROUP BY person",
            "INSERT INTO giving_year (person, year, total_cents, gift_count) "
            f"SELECT person, {year}, SUM(amount_cents), COUNT(*) FROM donation "
            f"GROUP BY person, {year}",
            "UPDATE person SET last_touch_at = (SELECT MAX(at) FROM interaction "
            "WHERE interaction.person = person.id AND interaction.value_adding) "
            "WHERE id IN (SELECT person FROM interaction WHERE value_adding)",
        ):
            await engine.run_ddl(sql)

    manager.add_raw(current_state)
    return manager
