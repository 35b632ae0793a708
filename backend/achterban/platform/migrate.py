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
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="achterban", migration_id="all")
    if not result.success:
        raise RuntimeError(f"Migrations failed: {result.message}\n{sink.getvalue()}")
