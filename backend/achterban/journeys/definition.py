"""A journey as data: the Structs a file in ``campaigns/journeys`` is checked against, and
the registry of step kinds.

A journey has a key, a name in nl and en, a purpose (a consent purpose, or ``service`` for
the messages the law or the person's own action requires), an owner (the party, or an
office: the case-closed follow-up), a trigger, a re-entry policy and its steps. The steps
run top to bottom; a step may jump (``next``), a branch and a task's outcomes go to a step
by its id, and ``end`` ends. Step kinds are a registry (``register``), so a later domain
adds one ("ask for feedback") without touching the loader or the engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args

import msgspec
from msgspec import Meta

from achterban.consent import rules as consent_rules

Slug = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$", max_length=100)]
StepId = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$", max_length=60)]
ContentKey = Annotated[
    str, Meta(pattern=r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$", max_length=200)
]
Days = Annotated[int, Meta(ge=0, le=3650)]
Label = Annotated[str, Meta(min_length=1, max_length=200)]

Event = Literal["became_member", "donation_received", "mandate_created", "debit_collected",
                "case_closed", "entered_segment", "tag_added"]  # fmt: skip
EVENTS: tuple[str, ...] = get_args(Event)
CASEWORK_EVENTS = frozenset({"case_closed"})  # an office's: no party journey waits on them
DateKind = Literal["membership_anniversary", "birthday", "election"]
Purpose = Literal["newsletter", "fundraising", "surveys", "casework_followup", "service"]
PURPOSES: tuple[str, ...] = get_args(Purpose)
CASEWORK_PURPOSE = "casework_followup"
assert set(PURPOSES) == {*consent_rules.PURPOSES, "service"}, "the consent purposes changed"
Owner = Literal["party", "office"]
Channel = Literal["email", "letter", "preferred"]
TaskKind = Literal["call", "card", "visit", "gift"]
Outcome = Literal["done", "no_answer", "wrong_number", "declined", "not_possible"]
StaffRole = Literal["organiser", "regional_organiser", "representative", "caseworker",
                    "volunteer"]  # fmt: skip
OfficerRole = Literal["chair", "secretary", "treasurer", "other"]
Settable = Literal["support_level", "is_volunteer", "is_ambassador", "voted_for_us"]

# what a trigger brings along that a branch can test: ``{field: trigger.amount, ...}``
TRIGGER_DATA: dict[str, dict[str, str]] = {
    "donation_received": {"amount": "euros"},
    "mandate_created": {"amount": "euros"},
    "debit_collected": {"amount": "euros"},
    "tag_added": {"tag": "text"},
}
TRIGGER_OPERATORS = {"euros": ("at_least", "at_most", "less_than"), "text": ("is", "is_not")}


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class Names(Base, kw_only=True):
    nl: Label
    en: Label


# triggers: ``type`` says which
class EventTrigger(Base, kw_only=True, tag_field="type", tag="event"):
    """An event on the person: entered_segment needs the segment (a campaigns/segments key)
    and how often it is evaluated; tag_added the tag."""

    event: Event
    segment: Slug | None = None
    every_hours: Annotated[int, Meta(ge=1, le=744)] | None = None
    tag: Label | None = None


class DateTrigger(Base, kw_only=True, tag_field="type", tag="date"):
    """A day in the person's year (membership anniversary, birthday) or around an election
    day (from the elections staff keep): N days before or after it, for the people of a
    segment or everyone."""

    date: DateKind
    days_before: Days = 0
    days_after: Days = 0
    segment: Slug | None = None  # whom it is for (a campaigns/segments key); none: everyone


class ManualTrigger(Base, kw_only=True, tag_field="type", tag="manual"):
    """Staff enrol a segment (a campaigns/segments key)."""

    segment: Slug


Trigger = EventTrigger | DateTrigger | ManualTrigger


class ReentryAfter(Base, kw_only=True):
    after_days: Annotated[int, Meta(ge=1, le=3650)]


Reentry = Literal["never", "always"] | ReentryAfter


class Journey(Base, kw_only=True):
    """One file of campaigns/journeys. ``steps`` are each of a registered kind (``STEPS``;
    the JSON Schema lists them)."""

    key: Slug
    name: Names
    purpose: Purpose
    owner: Owner
    trigger: Trigger
    reentry: Reentry = "never"
    description: Names | None = None
    steps: Annotated[list[dict[str, Any]], Meta(min_length=1, max_length=200)]


# steps: ``kind`` says which
class Step(Base, kw_only=True, tag_field="kind"):
    id: StepId
    next: StepId | None = None  # where to go after it (otherwise: the step below)


class Wait(Step, kw_only=True, tag="wait"):
    """A duration (days, hours), until a date in the person's year or an election day
    (``until``) or a fixed day (``on_date``), or until an event with a time-out."""

    days: Days | None = None
    hours: Annotated[int, Meta(ge=1, le=8760)] | None = None
    until: DateKind | None = None
    on_date: datetime.date | None = None
    event: Event | None = None
    timeout_days: Annotated[int, Meta(ge=1, le=3650)] | None = None
    on_timeout: StepId | None = None  # where a time-out goes (otherwise: on, as the event)


class Case(Base, kw_only=True):
    when: dict[str, Any]  # the segment condition language, plus trigger.<data>
    goto: StepId


class Branch(Step, kw_only=True, tag="branch"):
    """The first case whose condition holds, else ``otherwise``."""

    cases: Annotated[list[Case], Meta(min_length=1, max_length=20)]
    otherwise: StepId


class Send(Step, kw_only=True, tag="send"):
    """A message from campaigns/content/{nl,en}/<content>.yaml on a channel; ``preferred``
    is the person's preferred channel; ``fallback`` the channels tried next. ``purpose``
    overrides the journey's for this one message (``service``: the mandate confirmation)."""

    channel: Channel
    fallback: list[Literal["email", "letter"]] = []
    content: ContentKey
    purpose: Purpose | None = None
    value_adding: bool = False


class Assign(Base, kw_only=True):
    """Who gets the task: staff with a role, the person's point person, an officer of their
    branch (the chair), the representative of their district, or their office."""

    to: Literal["role", "point_person", "branch_officer", "representative", "office"]
    role: StaffRole | None = None  # to: role
    officer: OfficerRole | None = None  # to: branch_officer


class OutcomeChoice(Base, kw_only=True):
    outcome: Outcome
    goto: StepId | None = None  # otherwise: on to the next step


class Task(Step, kw_only=True, tag="task"):
    """A human step: the first rule of ``assign`` that finds someone gets it, due in
    ``due_days``; ``brief`` (content) says what to do and why; an outcome can branch."""

    task: TaskKind
    assign: Annotated[list[Assign], Meta(min_length=1, max_length=5)]
    due_days: Annotated[int, Meta(ge=0, le=365)]
    brief: ContentKey
    outcomes: Annotated[list[OutcomeChoice], Meta(max_length=5)] = []


class TagStep(Step, kw_only=True, tag="tag"):
    add: list[Label] = []
    remove: list[Label] = []


class SetField(Step, kw_only=True, tag="set_field"):
    field: Settable
    value: int | bool


class Enrol(Step, kw_only=True, tag="enrol"):
    journey: Slug


class End(Step, kw_only=True, tag="end"):
    pass


# -- the registry ---------------------------------------------------------------------------


@dataclass
class Checking:
    """What a step's check sees: the journey, and the problems found (path, reason)."""

    journey: Journey
    path: str  # steps[3]
    content: Callable[[str], list[str]]  # a content key → the languages it is missing in
    condition: Callable[[Any, str], None]  # check a condition tree at a path
    problems: list[tuple[str, str]] = field(default_factory=list)

    def refuse(self, where: str, reason: str) -> None:
        self.problems.append((f"{self.path}.{where}" if where else self.path, reason))

    def needs_content(self, where: str, key: str) -> None:
        missing = self.content(key)
        if missing:
            self.refuse(where, f"the content {key} is missing in {', '.join(missing)} "
                               f"(campaigns/content/<language>/{key}.yaml)")  # fmt: skip


@dataclass(frozen=True)
class StepKind:
    struct: type[Step]
    falls_through: bool = True  # goes on to the step below (or ``next``) when done
    targets: Callable[[Any], list[tuple[str, str]]] = lambda step: []  # (path, step id)
    check: Callable[[Any, Checking], None] = lambda step, checking: None

    @property
    def key(self) -> str:
        return str(self.struct.__struct_config__.tag)


STEPS: dict[str, StepKind] = {}


def register(*kinds: StepKind) -> None:
    for kind in kinds:
        STEPS[kind.key] = kind


def _check_wait(step: Wait, c: Checking) -> None:
    ways = [step.days is not None or step.hours is not None, step.until is not None,
            step.on_date is not None, step.event is not None]  # fmt: skip
    if sum(ways) != 1:
        c.refuse("", "a wait is one of: days/hours, until, on_date, or an event")
    if step.event is not None and step.timeout_days is None:
        c.refuse("timeout_days", "a wait for an event needs a time-out (timeout_days)")
    if step.event is None and (step.timeout_days is not None or step.on_timeout is not None):
        c.refuse("timeout_days", "only a wait for an event has a time-out")
    if step.event in CASEWORK_EVENTS and c.journey.owner == "party":
        c.refuse("event", "a party journey does not wait on casework (the wall between an "
                          "office's cases and the party)")  # fmt: skip


def _check_branch(step: Branch, c: Checking) -> None:
    for i, case in enumerate(step.cases):
        c.condition(case.when, f"{c.path}.cases[{i}].when")


def _check_send(step: Send, c: Checking) -> None:
    c.needs_content("content", step.content)
    if step.channel in step.fallback:
        c.refuse("fallback", f"the fallback repeats the channel {step.channel}")
    if len(set(step.fallback)) != len(step.fallback):
        c.refuse("fallback", "a channel is named twice")
    purpose = step.purpose or c.journey.purpose
    if purpose == CASEWORK_PURPOSE and c.journey.owner == "party":
        c.refuse("purpose", "the casework purpose is an office's, not the party's")
    if purpose == "service" and step.value_adding:
        c.refuse("value_adding", "a service message carries no promotional content")


def _check_task(step: Task, c: Checking) -> None:
    c.needs_content("brief", step.brief)
    for i, rule in enumerate(step.assign):
        if (rule.to == "role") != (rule.role is not None):
            c.refuse(f"assign[{i}].role", "a role is named with to: role, and only then")
        if (rule.to == "branch_officer") != (rule.officer is not None):
            c.refuse(f"assign[{i}].officer",
                     "an officer is named with to: branch_officer, and only then")  # fmt: skip
        if rule.to == "office" and c.journey.owner == "party":
            c.refuse(f"assign[{i}].to", "a party journey does not hand work to an office")
    seen = [o.outcome for o in step.outcomes]
    if len(set(seen)) != len(seen):
        c.refuse("outcomes", "an outcome is named twice")


def _check_tag(step: TagStep, c: Checking) -> None:
    if not step.add and not step.remove:
        c.refuse("", "a tag step adds or removes at least one tag")


def _check_set_field(step: SetField, c: Checking) -> None:
    if step.field == "support_level":
        if isinstance(step.value, bool) or not 1 <= step.value <= 5:
            c.refuse("value", "support_level is a whole number from 1 to 5")
    elif not isinstance(step.value, bool):
        c.refuse("value", f"{step.field} is true or false")


def _check_enrol(step: Enrol, c: Checking) -> None:
    if step.journey == c.journey.key:
        c.refuse("journey", "a journey does not enrol in itself")


def _wait_targets(step: Wait) -> list[tuple[str, str]]:
    return [("on_timeout", step.on_timeout)] if step.on_timeout else []


def _branch_targets(step: Branch) -> list[tuple[str, str]]:
    found = [(f"cases[{i}].goto", c.goto) for i, c in enumerate(step.cases)]
    return [*found, ("otherwise", step.otherwise)]


def _task_targets(step: Task) -> list[tuple[str, str]]:
    return [(f"outcomes[{i}].goto", o.goto) for i, o in enumerate(step.outcomes) if o.goto]


register(
    StepKind(Wait, targets=_wait_targets, check=_check_wait),
    StepKind(Branch, falls_through=False, targets=_branch_targets, check=_check_branch),
    StepKind(Send, check=_check_send),
    StepKind(Task, targets=_task_targets, check=_check_task),
    StepKind(TagStep, check=_check_tag),
    StepKind(SetField, check=_check_set_field),
    StepKind(Enrol, check=_check_enrol),
    StepKind(End, falls_through=False),
)


def schema() -> dict[str, Any]:
    """The JSON Schema of a journey file, its steps one of the registered kinds."""
    kinds = [STEPS[k].struct for k in sorted(STEPS)]
    (root, *_), components = msgspec.json.schema_components(
        [Journey, *kinds], ref_template="#/$defs/{name}"
    )
    journey = components["Journey"]
    journey["properties"]["steps"]["items"] = {
        "oneOf": [{"$ref": f"#/$defs/{k.__name__}"} for k in kinds],
        "discriminator": {"propertyName": "kind", "mapping": {
            STEPS[k].key: f"#/$defs/{STEPS[k].struct.__name__}" for k in sorted(STEPS)}},
    }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://achterban.example/campaigns/schema/journey.schema.json",
        "title": "Achterban journey",
        **root,
        "$defs": dict(sorted(components.items())),
    }
