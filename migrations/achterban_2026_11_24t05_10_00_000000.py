"""An index for matching imported people by name and address."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-24T05:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: index on (postcode, house_number, sort_name) for import matching"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(
            "CREATE INDEX person_place ON person (postcode, house_number, sort_name)"
        )

    manager.add_raw(run)
    return manager
