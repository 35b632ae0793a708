"""Piccolo configuration: the engine comes from ACHTERBAN_DATABASE_URL."""

from piccolo.conf.apps import AppRegistry

from achterban.platform.db import engine_from_url
from achterban.settings import get_settings

DB = engine_from_url(get_settings().database_url)

APP_REGISTRY = AppRegistry(apps=["achterban.piccolo_app"])
