"""Consent resolution, without I/O: the latest statement per purpose and channel counts,
and "do not contact" beats every grant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PURPOSES = ("newsletter", "fundraising", "surveys", "casework_followup")
CHANNELS = ("email", "post", "phone", "sms")
SOURCES = ("form", "import", "staff", "link")


def resolve(
    events: Iterable[Mapping[str, Any]], do_not_contact: bool
) -> dict[tuple[str, str], str]:
    """Status per (purpose, channel): granted, withdrawn, unknown, or blocked (do not contact)."""
    latest: dict[tuple[str, str], Mapping[str, Any]] = {}
    for event in events:
        key = (event["purpose"], event["channel"])
        current = latest.get(key)
        if current is None or (event["at"], event["id"]) > (current["at"], current["id"]):
            latest[key] = event
    matrix = {}
    for purpose in PURPOSES:
        for channel in CHANNELS:
            if do_not_contact:
                matrix[(purpose, channel)] = "blocked"
            else:
                found = latest.get((purpose, channel))
                matrix[(purpose, channel)] = found["status"] if found else "unknown"
    return matrix


def may_contact(
    events: Iterable[Mapping[str, Any]], do_not_contact: bool, purpose: str, channel: str
) -> bool:
    return resolve(events, do_not_contact).get((purpose, channel)) == "granted"
