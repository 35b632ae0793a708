"""Jobs: a claim, a heartbeat and a checkpoint on each job, so none is lost or run twice."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T22:04:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "jobs: claim, heartbeat and checkpoint"


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
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    manager.add_column(
        table_class_name="JobRun",
        tablename="job_run",
        column_name="heartbeat_at",
        db_column_name="heartbeat_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(default=None, null=True),
        schema=None,
    )

    manager.add_column(
        table_class_name="JobRun",
        tablename="job_run",
        column_name="claimed_by",
        db_column_name="claimed_by",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(default="", length=100),
        schema=None,
    )

    manager.add_column(
        table_class_name="JobRun",
        tablename="job_run",
        column_name="checkpoint",
        db_column_name="checkpoint",
        column_class_name="JSON",
        column_class=JSON,
        params=_params(default="{}"),
        schema=None,
    )

    return manager
