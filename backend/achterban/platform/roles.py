"""PostgreSQL rights of the app's role, granted by the owner after every migration.

The owner (``ACHTERBAN_MIGRATE_DATABASE_URL``) owns the schema and runs the migrations.
The app (``ACHTERBAN_DATABASE_URL``) may read and write the ordinary tables but only
append to the audit log: no UPDATE, DELETE or TRUNCATE there, and as it owns nothing it
cannot alter a table or disable a trigger. ``infra/postgres-roles.sql`` creates the roles.
"""

from __future__ import annotations

from urllib.parse import unquote, urlparse

APPEND_ONLY = ("audit_event", "audit_seal")


def role_of(url: str) -> str | None:
    parsed = urlparse(url)
    return unquote(parsed.username) if parsed.username else None


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_statements(app_role: str) -> list[str]:
    role = _ident(app_role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {', '.join(APPEND_ONLY)} "
        f"FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migration FROM {role}",
    ]


async def grant_app_role(owner_url: str, app_url: str) -> str | None:
    """Give the app's role its rights (as the owner); None when both URLs are one role."""
    import asyncpg

    app_role = role_of(app_url)
    if not app_role or app_role == role_of(owner_url):
        return None
    connection = await asyncpg.connect(owner_url.replace("postgres://", "postgresql://", 1))
    try:
        async with connection.transaction():
            for statement in grant_statements(app_role):
                await connection.execute(statement)
    finally:
        await connection.close()
    return app_role
