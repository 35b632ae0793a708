"""The search column trigram-indexed (PostgreSQL) and filled for everyone already known."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T22:01:35:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: search_text trigram index and backfill"

BATCH = 20_000


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def index_and_fill():
        from achterban.people.service import refresh_search_text
        from achterban.platform import db

        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            await engine.run_ddl(
                "CREATE INDEX person_search_text ON person USING gin (search_text gin_trgm_ops)"
            )
        last = 0
        while True:
            rows = await db.raw(
                "SELECT id FROM person WHERE id > {} AND erased_at IS NULL "
                f"ORDER BY id LIMIT {BATCH}",
                last,
            )
            if not rows:
                break
            await refresh_search_text([r["id"] for r in rows])
            last = rows[-1]["id"]

    manager.add_raw(index_and_fill)
    return manager
