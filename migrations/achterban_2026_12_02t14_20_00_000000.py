"""The people list by postcode read from an index alone (PostgreSQL).

A list filtered by a postcode prefix (with a tag, a region) picks its page and counts its
people from this index without reading their rows: at a million people a two-digit prefix
is ten thousand of them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-02T14:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: postcode prefix index covering the list's page and count"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def index():
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl(
                "CREATE INDEX IF NOT EXISTS person_live_postcode ON person "
                "(postcode varchar_pattern_ops) INCLUDE (sort_name, id, region, district) "
                "WHERE erased_at IS NULL AND merged_into IS NULL"
            )

    async def drop():
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl("DROP INDEX IF EXISTS person_live_postcode")

    manager.add_raw(index)
    manager.add_raw_backwards(drop)
    return manager
