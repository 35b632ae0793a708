"""Giving conditions for segments (platform/conditions.py): totals and counts in a year,
the largest gift, first and last gift, an active mandate, LYBUNT and SYBUNT. They read the
summaries kept in step with the gifts (donations/summary.py: giving_summary, giving_year),
never the gift history."""

from __future__ import annotations

from datetime import date
from typing import Any

from achterban.donations.tables import Mandate
from achterban.platform.conditions import Context, Field, Operator, Semi, negate, register
from achterban.platform.i18n import _


def _gave(first: int, last: int) -> Any:
    """Gave in a year from ``first`` to ``last``."""
    if first == last:
        return Semi("giving_year", "year = {}", first)
    return Semi("giving_year", "year >= {} AND year <= {}", first, last)


def _compare(op: str) -> str:
    return ">=" if op.endswith("at_least") else "<="


def _year_total(op: str, cents: int, year: int) -> Any:
    return Semi("giving_year", f"year = {{}} AND total_cents {_compare(op)} {{}}", year, cents)


def _summary(column: str, op: str, value: Any) -> Any:
    """A giver's summary column (fixed by the caller) compared with a value."""
    return Semi("giving_summary", f"{column} {_compare(op)} {{}}", value)


def _total_this_year(op: str, value: Any, ctx: Context) -> Any:
    return _year_total(op, value * 100, ctx.today.year)


def _total_last_year(op: str, value: Any, ctx: Context) -> Any:
    return _year_total(op, value * 100, ctx.today.year - 1)


def _largest(op: str, value: Any, ctx: Context) -> Any:
    return _summary("largest_cents", op, value * 100)


def _count(op: str, value: Any, ctx: Context) -> Any:
    return _summary("gift_count", op, value)


def _gave_in(op: str, value: Any, ctx: Context) -> Any:
    where = _gave(value, value)
    return where if op == "in_year" else negate(where)


def _lybunt(op: str, value: Any, ctx: Context) -> Any:
    """Gave last year, but not (yet) this year: the last gift fell in last year."""
    year = ctx.today.year
    return Semi("giving_summary", "last_on >= {} AND last_on < {}",
                date(year - 1, 1, 1), date(year, 1, 1))  # fmt: skip


def _sybunt(op: str, value: Any, ctx: Context) -> Any:
    """Gave some year before last, but neither last year nor this year: the last gift fell
    before last year."""
    return Semi("giving_summary", "last_on < {}", date(ctx.today.year - 1, 1, 1))


def _mandate(op: str, value: Any, ctx: Context) -> Any:
    where = Semi("sepa_mandate", Mandate.status == "active")
    return where if op == "yes" else negate(where)


def _first_last(which: str) -> Any:
    column = "first_on" if which == "first" else "last_on"

    def compile(op: str, value: Any, ctx: Context) -> Any:
        compare = "<" if op == "before" else ">="
        return Semi("giving_summary", f"{column} {compare} {{}}", value)

    return compile


EUROS = (Operator("at_least", _("at least (euros)"), "number"),
         Operator("at_most", _("at most (euros)"), "number"))  # fmt: skip
WHEN = (Operator("before", _("before"), "date"), Operator("after", _("on or after"), "date"))
YES_NO = (Operator("yes", _("yes"), "none"), Operator("no", _("no"), "none"))
READY = (Operator("yes", _("yes"), "none"),)
register(
    Field("gifts_total_this_year", _("Given this year"), "donations", EUROS, _total_this_year),
    Field("gifts_total_last_year", _("Given last year"), "donations", EUROS, _total_last_year),
    Field("largest_gift", _("Largest gift"), "donations", EUROS, _largest),
    Field("gift_count", _("Number of gifts"), "donations",
          (Operator("at_least", _("at least"), "number"),
           Operator("at_most", _("at most"), "number")), _count),
    Field("gave_in_year", _("Gave in the year"), "donations",
          (Operator("in_year", _("gave in"), "year"),
           Operator("not_in_year", _("did not give in"), "year")), _gave_in),
    Field("first_gift", _("First gift"), "donations", WHEN, _first_last("first")),
    Field("last_gift", _("Last gift"), "donations", WHEN, _first_last("last")),
    Field("mandate_active", _("Recurring mandate active"), "donations", YES_NO, _mandate),
    Field("lybunt", _("LYBUNT: gave last year, not this year"), "donations", READY, _lybunt),
    Field("sybunt", _("SYBUNT: gave before, not last year or this year"), "donations", READY,
          _sybunt),
)  # fmt: skip
