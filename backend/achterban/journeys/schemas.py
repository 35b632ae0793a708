from datetime import datetime
from typing import Any

import msgspec


class JourneySummary(msgspec.Struct, kw_only=True):
    key: str
    name: str  # in the reader's language
    owner: str  # party or office
    purpose: str  # a consent purpose, or service
    trigger: str  # what starts it, in the reader's language
    version: int  # the current version (a changed file makes the next)
    loaded_at: datetime  # when that version was loaded
    paused: bool
    steps: int


class JourneyOut(JourneySummary, kw_only=True):
    description: str
    reentry: str  # never, always, or after N days ("after_days:90")
    trigger_definition: dict[str, Any]
    # the current version's steps as the file gives them, every default written out
    step_definitions: list[dict[str, Any]]
