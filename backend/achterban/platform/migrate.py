"""Apply the Piccolo migrations to the configured database."""

from __future__ import annotations

import contextlib
import io
import os

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")


async def migrate(quiet: bool = True) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from achterban.platform import db
    from achterban.settings import get_settings

    settings = get_settings()
    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        path = settings.database_url[len("sqlite:///") :]
        if os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
        await db.raw("PRAGMA journal_mode=WAL")
    owner_url = settings.migrate_database_url
    if owner_url and not settings.is_sqlite:  # migrate as the owner, then grant the app role
        from achterban import piccolo_conf

        app_engine = piccolo_conf.DB
        piccolo_conf.DB = db.engine_from_url(owner_url)
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext():
            result = await run_forwards(app_name="achterban", migration_id="all")
    finally:
        if owner_url and not settings.is_sqlite:
            piccolo_conf.DB = app_engine
    if not result.success:
        raise RuntimeError(f"Migrations failed: {result.message}\n{sink.getvalue()}")
    if owner_url and not settings.is_sqlite:
        from achterban.platform.roles import grant_app_role

        await grant_app_role(owner_url, settings.database_url)
