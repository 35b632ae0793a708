"""Fewer indexes for an import to maintain.

``person_postcode`` is covered by ``person_place`` (postcode first), ``household_key`` by the
unique constraint on the same column, and ``external_ref`` is mostly empty: a partial index
skips the rows without one (``external_ref = ANY(...)`` implies IS NOT NULL, so lookups use it).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.engine.finder import engine_finder

ID = "2026-11-30T13:09:33:693332"
VERSION = "1.38.0"
DESCRIPTION = "people: imports maintain fewer indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="Household",
        tablename="household",
        column_name="key",
        db_column_name="key",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Person",
        tablename="person",
        column_name="external_ref",
        db_column_name="external_ref",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Person",
        tablename="person",
        column_name="postcode",
        db_column_name="postcode",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    async def partial_index():
        await engine_finder().run_ddl(
            "CREATE INDEX person_external_ref_set ON person (external_ref) "
            "WHERE external_ref IS NOT NULL"
        )

    manager.add_raw(partial_index)
    return manager
