"""A journey's version numbers are unique: two servers starting at once cannot both write
version 3 of one journey."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-04T19:36:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "journeys: one version number per journey"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def unique_number():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS journey_version_number "
            "ON journey_version (journey, number)"
        )

    manager.add_raw(unique_number)
    return manager
