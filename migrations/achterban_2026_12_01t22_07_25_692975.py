from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Integer, Serial, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T22:07:25:693829"
VERSION = "1.38.0"
DESCRIPTION = "gdpr: erased identities as keyed hashes, and the flag on a person who came back"


def _params(**extra):
    return {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="achterban", description=DESCRIPTION
    )

    manager.add_table(
        class_name="ErasedIdentity",
        tablename="erased_identity",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="ErasedIdentity",
        tablename="erased_identity",
        column_name="id",
        db_column_name="id",
        column_class_name="Serial",
        column_class=Serial,
        params=_params(primary_key=True),
        schema=None,
    )

    manager.add_column(
        table_class_name="ErasedIdentity",
        tablename="erased_identity",
        column_name="person_id",
        db_column_name="person_id",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=0, index=True),
        schema=None,
    )

    manager.add_column(
        table_class_name="ErasedIdentity",
        tablename="erased_identity",
        column_name="digest",
        db_column_name="digest",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(default="", length=64, index=True),
        schema=None,
    )

    manager.add_column(
        table_class_name="Person",
        tablename="person",
        column_name="matches_erased",
        db_column_name="matches_erased",
        column_class_name="Boolean",
        column_class=Boolean,
        params=_params(default=False),
        schema=None,
    )

    return manager
