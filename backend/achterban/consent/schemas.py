from datetime import datetime
from typing import Literal

import msgspec

from achterban.platform.schemas import Input

Purpose = Literal["newsletter", "fundraising", "surveys", "casework_followup"]
Channel = Literal["email", "post", "phone", "sms"]
Status = Literal["granted", "withdrawn"]
Source = Literal["form", "import", "staff", "link"]


class ConsentInput(Input):
    purpose: Purpose
    channel: Channel
    status: Status
    source: Source = "staff"
    source_detail: str = ""
    wording: str = ""


class ConsentEvent(msgspec.Struct, kw_only=True):
    id: int
    purpose: str
    channel: str
    status: str
    at: datetime
    source: str
    source_detail: str
    wording: str
    actor_id: int | None


class ConsentState(msgspec.Struct, kw_only=True):
    purpose: str
    channel: str
    status: str  # granted, withdrawn, unknown, blocked


class ConsentMatrix(msgspec.Struct, kw_only=True):
    person_id: int
    do_not_contact: bool
    states: list[ConsentState]


class PreferencesPage(msgspec.Struct, kw_only=True):
    """What a person sees behind their preferences link: no more than they need."""

    first_name: str
    language: str
    do_not_contact: bool
    states: list[ConsentState]


class PreferenceChoice(Input):
    purpose: Purpose
    channel: Channel
    status: Status


class PreferencesInput(Input):
    choices: list[PreferenceChoice] = []
    do_not_contact: bool | None = None


class PreferencesLink(msgspec.Struct, kw_only=True):
    url: str
