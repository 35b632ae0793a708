"""Consent conditions for segments (platform/conditions.py): consent for a purpose over a
channel now — the latest statement granted (consent_now, kept in step with the history by
consent/current.py), and the person not marked do-not-contact."""

from __future__ import annotations

from typing import Any

from achterban.consent import rules
from achterban.people.tables import Person
from achterban.platform.conditions import (
    Choice,
    Context,
    Field,
    Operator,
    Semi,
    negate,
    one_of,
    register,
)
from achterban.platform.i18n import _

# the latest statement per purpose and channel is a grant (consent_now: kept in step)
GRANTED_NOW = "purpose = {} AND channel = {} AND status = 'granted'"


def _split(value: str) -> tuple[str, str]:
    purpose, _sep, channel = value.partition(":")
    return purpose, channel


def _consent(op: str, value: Any, ctx: Context) -> Any:
    purpose, channel = _split(value)
    granted = Semi("consent_now", GRANTED_NOW, purpose, channel) & (
        Person.do_not_contact == False  # noqa: E712
    )
    return granted if op == "has" else negate(granted)


async def _pairs() -> list[Choice]:
    return [
        Choice(f"{p}:{c}", f"{p}:{c}", translate=False)
        for p in rules.PURPOSES for c in rules.CHANNELS
    ]  # fmt: skip


register(
    Field("consent", _("Consent now (purpose:channel)"), "consent",
          (Operator("has", _("has"), "choice"), Operator("has_not", _("does not have"), "choice")),
          _consent, choices=_pairs,
          check=one_of([f"{p}:{c}" for p in rules.PURPOSES for c in rules.CHANNELS])),
)  # fmt: skip
