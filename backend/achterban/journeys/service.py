"""Journeys as data: the loaded definitions, their versions, and pausing one.

The definitions come from ``campaigns/journeys`` (``files.sync`` at start-up); this module
reads them for the API and sets the pause flag. Running journeys is not here yet.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from achterban.audit import service as audit
from achterban.journeys.schemas import JourneyOut, JourneySummary
from achterban.journeys.tables import Journey, JourneyVersion
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, translate

EVENT_LABELS = {
    "became_member": _("when someone becomes a member"),
    "donation_received": _("when a gift is received"),
    "mandate_created": _("when a direct-debit mandate is given"),
    "debit_collected": _("when a direct debit is collected"),
    "case_closed": _("when a case is closed"),
    "entered_segment": _("when someone enters the segment {segment} (checked every {hours} hours)"),
    "tag_added": _("when someone gets the tag {tag}"),
}
DATE_LABELS = {
    "membership_anniversary": _("the membership anniversary"),
    "birthday": _("the birthday"),
    "election": _("election day"),
}


def trigger_summary(trigger: dict[str, Any], language: str) -> str:
    """What starts a journey, in ``language``."""
    if trigger["type"] == "event":
        return translate(EVENT_LABELS[trigger["event"]], language, segment=trigger["segment"],
                         hours=trigger["every_hours"], tag=trigger["tag"])  # fmt: skip
    if trigger["type"] == "manual":
        return translate(_("staff enrol the segment {segment}"), language,
                         segment=trigger["segment"])  # fmt: skip
    day = translate(DATE_LABELS[trigger["date"]], language)
    if trigger["days_before"]:
        text = translate(_("{days} days before {day}"), language, days=trigger["days_before"],
                         day=day)  # fmt: skip
    elif trigger["days_after"]:
        text = translate(_("{days} days after {day}"), language, days=trigger["days_after"],
                         day=day)  # fmt: skip
    else:
        text = translate(_("on {day}"), language, day=day)
    if trigger.get("segment"):
        text += " " + translate(_("(the segment {segment})"), language,
                                segment=trigger["segment"])  # fmt: skip
    return text


def _reentry(value: Any) -> str:
    return value if isinstance(value, str) else f"after_days:{value['after_days']}"


async def _current() -> dict[int, dict[str, Any]]:
    """The latest version of every journey, by journey id."""
    query = JourneyVersion.select(
        JourneyVersion.journey, JourneyVersion.number, JourneyVersion.definition,
        JourneyVersion.loaded_at,
    ).order_by(JourneyVersion.journey).order_by(JourneyVersion.number)  # fmt: skip
    rows = await query.output(load_json=True)
    return {r["journey"]: r for r in rows}


def _summary(row: dict[str, Any], version: dict[str, Any], language: str) -> dict[str, Any]:
    definition = version["definition"]
    return {
        "key": row["key"], "name": definition["name"].get(language) or definition["name"]["nl"],
        "owner": row["owner"], "purpose": definition["purpose"],
        "trigger": trigger_summary(definition["trigger"], language),
        "version": version["number"], "loaded_at": version["loaded_at"],
        "paused": row["paused"], "steps": len(definition["steps"]),
    }  # fmt: skip


async def listed(actor: Actor, language: str) -> list[JourneySummary]:
    """The journeys of the files (not those whose file is gone), by key."""
    versions = await _current()
    rows = await Journey.select().where(Journey.retired_at.is_null()).order_by(Journey.key)
    return [JourneySummary(**_summary(r, versions[r["id"]], language))
            for r in rows if r["id"] in versions]  # fmt: skip


async def _row(key: str) -> dict[str, Any]:
    row = await Journey.select().where(
        (Journey.key == key) & Journey.retired_at.is_null()
    ).first()  # fmt: skip
    if row is None:
        raise Problem(404, _("No such journey."), kind="not-found")
    return row


async def get(actor: Actor, key: str, language: str) -> JourneyOut:
    """A journey with the steps of its current version."""
    row = await _row(key)
    version = (await _current())[row["id"]]
    definition = version["definition"]
    description = definition.get("description") or {}
    return JourneyOut(
        **_summary(row, version, language),
        description=description.get(language) or description.get("nl") or "",
        reentry=_reentry(definition["reentry"]), trigger_definition=definition["trigger"],
        step_definitions=definition["steps"],
    )  # fmt: skip


async def set_paused(actor: Actor, key: str, paused: bool, language: str) -> JourneySummary:
    """Pause or resume a journey (audited; pausing twice changes nothing the second time)."""
    row = await _row(key)
    if row["paused"] != paused:
        await Journey.update({Journey.paused: paused, Journey.updated_at: datetime.now(UTC)}
                             ).where(Journey.id == row["id"])  # fmt: skip
        await audit.record(actor, "journey.pause" if paused else "journey.resume", "journey",
                           key, {"paused": paused})  # fmt: skip
        row = {**row, "paused": paused}
    version = (await _current())[row["id"]]
    return JourneySummary(**_summary(row, version, language))
