from datetime import datetime
from typing import Any

import msgspec

from achterban.platform.schemas import Input


class OperatorOut(msgspec.Struct, kw_only=True):
    key: str
    label: str
    value: str  # none, text, choice, choices, number, days, date, year, segment


class ChoiceOut(msgspec.Struct, kw_only=True):
    value: str
    label: str


class FieldOut(msgspec.Struct, kw_only=True):
    key: str
    label: str
    group: str
    operators: list[OperatorOut]
    choices: list[ChoiceOut] | None = None
    # may a segment using it be shared with the organisation (an office's casework: never)
    shareable: bool = True


class Definition(Input):
    """A condition tree: {"all"|"any"|"none": [conditions or groups]}."""

    definition: dict[str, Any]


class SegmentCreate(Input):
    name: str
    definition: dict[str, Any]
    description: str = ""
    shared: bool = False


class SegmentUpdate(Input):
    name: str | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    shared: bool | msgspec.UnsetType = msgspec.UNSET
    definition: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


class SegmentOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    description: str
    owner_id: int | None
    owner_name: str
    shared: bool
    key: str | None  # from campaigns/segments: edited in the file, not here
    definition: dict[str, Any]
    frozen_at: datetime | None
    size: int | None
    created_at: datetime
    updated_at: datetime


class Count(msgspec.Struct, kw_only=True):
    count: int
