"""The keyed audit chain: seals are append-only, every new event is queued for sealing.

Entries written before this migration carry the old unkeyed chain. It is checked here
(the upgrade stops if it is broken) and the entries are queued, so the sealer seals them
first, in id order, with the key. From then on they are as safe as any other entry; up to
the upgrade they were only as safe as the unkeyed chain.
"""

import hashlib
import json
from datetime import UTC, datetime

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T22:04:45:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit: seal triggers, unkeyed entries checked and queued"

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION audit_seal_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_seal is append-only' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_seal_no_update_delete BEFORE UPDATE OR DELETE ON audit_seal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_append_only()
    """,
    """
    CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_seal_append_only()
    """,
    """
    CREATE OR REPLACE FUNCTION audit_event_queue_seal() RETURNS trigger AS $$
    BEGIN
        INSERT INTO audit_pending (event_id) VALUES (NEW.id);
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_event_queue_seal AFTER INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_queue_seal()
    """,
]

SQLITE = [
    """
    CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal
    BEGIN SELECT RAISE(ABORT, 'audit_seal is append-only'); END
    """,
    """
    CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal
    BEGIN SELECT RAISE(ABORT, 'audit_seal is append-only'); END
    """,
    """
    CREATE TRIGGER audit_event_queue_seal AFTER INSERT ON audit_event
    BEGIN INSERT INTO audit_pending (event_id) VALUES (NEW.id); END
    """,
]

FIELDS = ("at", "actor_id", "actor_label", "action", "object_type", "object_id", "ip")


def _unkeyed_hash(row, prev_hash):
    """The chain as it was written before the key (frozen here, it never changes)."""
    at = row["at"]
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    payload = {name: row[name] for name in FIELDS}
    payload["at"] = at.astimezone(UTC).isoformat()
    payload["detail"] = row["detail"] or "{}"
    payload["prev"] = prev_hash
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


async def _check_unkeyed_chain(engine):
    prev, after = "0" * 64, 0
    while True:
        rows = await _rows(engine, after)
        if not rows:
            return
        for row in rows:
            if row["prev_hash"] != prev or _unkeyed_hash(row, prev) != row["hash"]:
                raise RuntimeError(
                    f"audit entry {row['id']} does not match the unkeyed chain; the audit "
                    "log was changed before this upgrade, so it is not sealed with the key "
                    "(restore the log from a backup, then migrate)"
                )
            prev = row["hash"]
        after = rows[-1]["id"]


async def _rows(engine, after):
    from piccolo.querystring import QueryString

    result = await engine.run_querystring(
        QueryString("SELECT * FROM audit_event WHERE id > {} ORDER BY id LIMIT 5000", after)
    )
    return [dict(r) for r in result or []]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="achterban", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        await _check_unkeyed_chain(engine)
        for statement in POSTGRES if engine.engine_type == "postgres" else SQLITE:
            await engine.run_ddl(statement)
        await engine.run_ddl("INSERT INTO audit_pending (event_id) SELECT id FROM audit_event")

    manager.add_raw(run)
    return manager
