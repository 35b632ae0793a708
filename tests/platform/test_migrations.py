"""The tables in code and the migration history agree."""

from piccolo.apps.migrations.commands.new import AutoMigrationManager

from achterban.piccolo_app import APP_CONFIG


async def test_every_table_change_has_a_migration(app):
    alterations = await AutoMigrationManager(auto_input="y").get_alter_statements(APP_CONFIG)
    pending = [s for a in alterations for s in a.statements]
    assert pending == [], "tables changed without a migration: run `piccolo migrations new --auto`"
