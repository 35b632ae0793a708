"""Fewer index entries for each person an import writes.

The last value-adding touch is empty for someone new: its index keeps only the people who
have one ("within the last N days" reads it; "not within" reads the table anyway; the list
sorts by the last contact, whose index stays whole). The postcode prefix index is covered by person_live_postcode, which
every list, export and segment uses (they ask for the live people only).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-04T19:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: a partial index on the last touch; no second postcode index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def indexes():
        engine = engine_finder()
        await engine.run_ddl("DROP INDEX IF EXISTS person_last_touch_at")
        await engine.run_ddl(
            "CREATE INDEX person_last_touch_at ON person (last_touch_at) "
            "WHERE last_touch_at IS NOT NULL"
        )
        if engine.engine_type == "postgres":
            await engine.run_ddl("DROP INDEX IF EXISTS person_postcode_prefix")

    manager.add_raw(indexes)
    return manager
