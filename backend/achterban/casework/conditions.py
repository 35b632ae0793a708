"""Casework conditions for segments (platform/conditions.py), for office staff only and on
their own office's cases: party staff never select people by casework (the wall between
the party and the offices), and a segment using them is never shared."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from achterban.casework import rules
from achterban.people.scope import OFFICE_SCOPED
from achterban.platform.auth import Actor
from achterban.platform.conditions import (
    FALSE,
    Choice,
    Context,
    Field,
    Operator,
    Semi,
    negate,
    register,
)
from achterban.platform.i18n import _

DONE = ("resolved", "closed")


def office_staff(actor: Actor) -> bool:
    return actor.role in OFFICE_SCOPED and actor.office_id is not None


def _cases(ctx: Context, extra: str, *args: Any) -> Any:
    """People with a case of the actor's own office meeting ``extra`` (fixed SQL)."""
    if not office_staff(ctx.actor):
        return FALSE  # never reached through the API: parse refuses the field
    return Semi("casework_case", f"office = {{}} AND {extra}", ctx.actor.office_id, *args)


def _open(op: str, value: Any, ctx: Context) -> Any:
    where = _cases(ctx, "status NOT IN ('resolved', 'closed')")
    return where if op == "yes" else negate(where)


def _topic(op: str, value: Any, ctx: Context) -> Any:
    where = _cases(ctx, "topic = {}", value)
    return where if op == "has" else negate(where)


def _closed(op: str, value: Any, ctx: Context) -> Any:
    since = datetime.combine(ctx.today - timedelta(days=value), time(), tzinfo=UTC)
    where = _cases(ctx, "closed_at >= {}", since)
    return where if op == "within_days" else negate(where)


async def _topics() -> list[Choice]:
    return [Choice(code, code, labels=rules.topic_label(code)) for code in sorted(rules.topics())]


def _known_topic(value: Any) -> bool:
    return value in rules.topics()


def _office_field(
    key: str, label: str, operators: tuple[Operator, ...], compile: Any,
    choices: Any = None, check: Any = None,
) -> Field:  # fmt: skip
    return Field(key, label, "casework", operators, compile, choices=choices,
                 allowed=office_staff, check=check or (lambda value: True),
                 shareable=False)  # fmt: skip


register(
    _office_field("open_case", _("Has an open case"), (
        Operator("yes", _("yes"), "none"), Operator("no", _("no"), "none")), _open),
    _office_field("case_topic", _("Has a case on the topic"), (
        Operator("has", _("has"), "choice"), Operator("has_not", _("does not have"), "choice")),
        _topic, choices=_topics, check=_known_topic),
    _office_field("case_closed", _("Case closed"), (
        Operator("within_days", _("in the last … days"), "days"),
        Operator("not_within_days", _("not in the last … days"), "days")), _closed),
)  # fmt: skip
