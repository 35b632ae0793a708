"""The one Piccolo app: every domain's tables, one linear migration history."""

from piccolo.conf.apps import AppConfig, table_finder

from achterban.settings import get_settings

TABLE_MODULES = [
    "achterban.platform.tables",
    "achterban.users.tables",
    "achterban.audit.tables",
    "achterban.households.tables",
    "achterban.people.tables",
    "achterban.consent.tables",
    "achterban.memberships.tables",
    "achterban.donations.tables",
    "achterban.imports.tables",
    "achterban.dedupe.tables",
    "achterban.districts.tables",
    "achterban.casework.tables",
    "achterban.segments.tables",
    "achterban.journeys.tables",
]

APP_CONFIG = AppConfig(
    app_name="achterban",
    migrations_folder_path=str(get_settings().migrations_dir),
    table_classes=table_finder(modules=TABLE_MODULES, exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
