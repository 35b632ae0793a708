"""Indexes for searching a million people: postcode and name prefixes, tag lookups."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-24T03:46:08:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: search indexes"

COMMON = [
    "CREATE UNIQUE INDEX person_tag_tag_person ON person_tag (tag, person)",
    "CREATE UNIQUE INDEX contact_point_unique ON contact_point (person, kind, value)",
    "CREATE INDEX contact_point_kind_value ON contact_point (kind, value)",
    "CREATE INDEX consent_event_person_latest ON consent_event (person, purpose, channel, at)",
    "CREATE UNIQUE INDEX dedupe_decision_pair ON dedupe_decision (person_low, person_high)",
]
POSTGRES = [
    "CREATE INDEX person_postcode_prefix ON person (postcode varchar_pattern_ops)",
    "CREATE INDEX person_sort_name_prefix ON person (sort_name varchar_pattern_ops)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        extra = POSTGRES if engine.engine_type == "postgres" else []
        for statement in COMMON + extra:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
