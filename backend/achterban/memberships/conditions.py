"""Membership conditions for segments (platform/conditions.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from achterban.memberships import rules
from achterban.memberships.service import current_where, member_where
from achterban.memberships.tables import Branch
from achterban.memberships.tables import Membership as Row
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

YES = Operator("yes", _("yes"), "none")
NO = Operator("no", _("no"), "none")


def _current(op: str, value: Any, ctx: Context) -> Any:
    where = Semi("membership", current_where(ctx.today))
    return where if op == "yes" else negate(where)


def _lapsed(op: str, value: Any, ctx: Context) -> Any:
    """Lapsed in the last N days: a membership ran out (its grace period ended) or was
    cancelled in that window, and no membership is current now."""
    start = ctx.today - timedelta(days=value)
    ended = (
        (Row.until.is_not_null() & (Row.until >= start - rules.GRACE)
         & (Row.until < ctx.today - rules.GRACE))
        | (Row.cancelled_on.is_not_null() & (Row.cancelled_on >= start)
           & (Row.cancelled_on <= ctx.today))
    )  # fmt: skip
    return Semi("membership", ended) & negate(Semi("membership", current_where(ctx.today)))


STATUSES = ("new", "current", "grace", "expired", "cancelled", "future")


def status_where(status: str, today: date) -> Any:
    """Memberships whose status on ``today`` is ``status``, as rules.status gives it."""
    cancelled = Row.cancelled_on.is_not_null() & (Row.cancelled_on <= today)
    if status == "cancelled":
        return cancelled
    standing = Row.cancelled_on.is_null() | (Row.cancelled_on > today)
    if status == "future":
        return standing & (Row.since > today)
    started = standing & (Row.since <= today)
    if status == "grace":
        return started & (Row.until < today) & (Row.until >= today - rules.GRACE)
    if status == "expired":
        return started & (Row.until < today - rules.GRACE)
    running = started & (Row.until.is_null() | (Row.until >= today))
    if status == "new":
        return running & (Row.since > today - rules.NEW_FOR)
    return running & (Row.since <= today - rules.NEW_FOR)


def _status(op: str, value: Any, ctx: Context) -> Any:
    """Has a membership with this status today (a person may hold more than one)."""
    where = Semi("membership", status_where(value, ctx.today))
    return where if op == "is" else negate(where)


async def _statuses() -> list[Choice]:
    labels = {"new": _("New"), "current": _("Current"), "grace": _("In grace"),
              "expired": _("Expired"), "cancelled": _("Cancelled"),
              "future": _("Not started")}  # fmt: skip
    return [Choice(s, labels[s]) for s in STATUSES]


def _since(op: str, value: Any, ctx: Context) -> Any:
    when = (Row.since < value) if op == "before" else (Row.since >= value)
    return Semi("membership", current_where(ctx.today) & when)


def _plan(op: str, value: Any, ctx: Context) -> Any:
    return Semi("membership", current_where(ctx.today) & (Row.plan == value))


def _branch(op: str, value: Any, ctx: Context) -> Any:
    """A current member of the branch (by its id)."""
    where = member_where(Person.id, ctx.today, int(value))
    return where if op == "is" else negate(where)


def _branch_name(op: str, value: Any, ctx: Context) -> Any:
    """A current member whose membership names the branch as written (not linked yet)."""
    return member_where(Person.id, ctx.today, value)


async def _branches() -> list[Choice]:
    active = Branch.active == True  # noqa: E712
    rows = await Branch.select(Branch.id, Branch.name).where(active).order_by(Branch.name)
    return [Choice(str(r["id"]), r["name"], translate=False) for r in rows]


async def _plans() -> list[Choice]:
    rows = await Row.select(Row.plan).distinct().order_by(Row.plan)
    return [Choice(r["plan"], r["plan"], translate=False) for r in rows]


register(
    Field("branch", _("Member of the branch"), "membership",
          (Operator("is", _("is"), "number"), Operator("is_not", _("is not"), "number")),
          _branch, choices=_branches),
    Field("branch_name", _("Branch as written on the membership"), "membership",
          (Operator("is", _("is"), "text"),), _branch_name),
    Field("member_now", _("Member now"), "membership", (YES, NO), _current),
    Field("member_status", _("Membership status"), "membership",
          (Operator("is", _("is"), "choice"), Operator("is_not", _("is not"), "choice")),
          _status, choices=_statuses, check=one_of(STATUSES)),
    Field("member_lapsed", _("Membership lapsed"), "membership",
          (Operator("within_days", _("in the last … days"), "days"),), _lapsed),
    Field("member_since", _("Member since"), "membership",
          (Operator("before", _("before"), "date"), Operator("after", _("on or after"), "date")),
          _since),
    Field("member_plan", _("Membership plan"), "membership",
          (Operator("is", _("is"), "choice"),), _plan, choices=_plans),
)  # fmt: skip
