"""Casework rules without I/O: the lifecycle, service-level deadlines that pause while
waiting on an agency, routing as data, and grouping identical campaign messages."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import yaml

from achterban.settings import get_settings

OPEN = ("new", "triaged", "assigned", "waiting")
TRANSITIONS = {
    "new": {"triaged", "assigned"},
    "triaged": {"assigned"},
    "assigned": {"waiting", "resolved", "triaged"},
    "waiting": {"assigned", "resolved"},
    "resolved": {"closed", "assigned"},
    "closed": {"assigned", "triaged"},
}


@functools.cache
def topics() -> dict[str, dict[str, object]]:
    path = get_settings().campaigns_dir / "casework" / "topics.yaml"
    return dict(yaml.safe_load(path.read_text())["topics"])


def topic_label(topic: str) -> dict[str, str]:
    """The topic's name in each language; an unknown code stays itself."""
    entry = topics().get(topic, {})
    return {lang: str(entry.get(lang) or topic) for lang in ("nl", "en")}


def service_days(topic: str) -> int:
    return int(topics().get(topic, topics()["other"])["days"])  # type: ignore[call-overload]


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def due(created: datetime, topic: str) -> datetime:
    return created + timedelta(days=service_days(topic))


def resumed_due(due_at: datetime, paused_at: datetime, now: datetime) -> datetime:
    """Leaving "waiting on agency": the deadline moves by the time spent waiting."""
    return due_at + (now - paused_at)


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    return status in ("new", "triaged", "assigned") and due_at is not None and now > due_at


def campaign_key(subject: str, description: str) -> str:
    """The same text, whatever the spacing, case or punctuation, gets the same key."""
    text = re.sub(r"[\W_]+", " ", f"{subject} {description}".lower()).strip()
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class OfficeChoice:
    office_id: int
    district: str
    caseworkers_by_topic: Mapping[str, int] = field(default_factory=dict)


RoutingCode = Literal[
    "specialist", "office_queue", "ambiguous", "no_office", "several_offices", "picked"
]


@dataclass(frozen=True, slots=True)
class Route:
    status: str  # new (triage), triaged (office queue) or assigned
    office_id: int | None
    assignee_id: int | None
    district: str
    reason: str  # the stored sentence, for the record
    code: RoutingCode = "office_queue"  # what the SPA translates
    count: int = 0  # districts or offices in question, for triage


def route(offices: list[OfficeChoice], topic: str, ambiguous: bool, why: str) -> Route:
    """District → the office of its representative; topic → that office's specialist."""
    if ambiguous or len(offices) != 1:
        if ambiguous:
            code: RoutingCode = "ambiguous"
            problem = why
        elif not offices:
            code, problem = "no_office", "no staffed office for this address"
        else:
            code, problem = "several_offices", f"{len(offices)} offices could take this case"
        # ambiguous: the count is of districts (the candidates), filled in by the caller
        count = 0 if code == "ambiguous" else len(offices)
        return Route("new", None, None, "", f"triage: {problem}", code, count)
    office = offices[0]
    worker = office.caseworkers_by_topic.get(topic)
    if worker is not None:
        return Route(
            "assigned",
            office.office_id,
            worker,
            office.district,
            f"{office.district} → office {office.office_id}; {topic} → caseworker {worker}",
            "specialist",
        )
    return Route(
        "triaged",
        office.office_id,
        None,
        office.district,
        f"{office.district} → office {office.office_id}; no {topic} specialist: office queue",
        "office_queue",
    )
