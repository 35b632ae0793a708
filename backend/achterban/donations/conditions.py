"""Giving conditions for segments (platform/conditions.py): totals and counts in a year,
the largest gift, an active mandate, LYBUNT and SYBUNT."""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.columns.combination import WhereRaw

from achterban.donations.tables import Donation, Mandate
from achterban.people.tables import Person
from achterban.platform.conditions import Context, Field, Operator, negate, register
from achterban.platform.i18n import _


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _gave(start: date, end: date) -> Any:
    return Person.id.is_in(
        Donation.select(Donation.person).where(
            (Donation.received_on >= start) & (Donation.received_on <= end)
        )
    )


def _having(aggregate: str, op: str, cents: int, start: date | None, end: date | None) -> Any:
    """People whose gifts (in the period) have SUM/COUNT/MAX of at least or at most a value:
    one grouped subquery, with parameters."""
    period = ""
    args: list[Any] = []
    if start is not None and end is not None:
        period = "WHERE received_on >= {} AND received_on <= {}"
        args += [start, end]
    compare = ">=" if op.endswith("at_least") else "<="
    return WhereRaw(
        f"person.id IN (SELECT person FROM donation {period} GROUP BY person "
        f"HAVING {aggregate} {compare} {{}})",
        *args, cents,
    )  # fmt: skip


def _total_this_year(op: str, value: Any, ctx: Context) -> Any:
    return _having("SUM(amount_cents)", op, value * 100, *_year(ctx.today.year))


def _total_last_year(op: str, value: Any, ctx: Context) -> Any:
    return _having("SUM(amount_cents)", op, value * 100, *_year(ctx.today.year - 1))


def _largest(op: str, value: Any, ctx: Context) -> Any:
    return _having("MAX(amount_cents)", op, value * 100, None, None)


def _count(op: str, value: Any, ctx: Context) -> Any:
    return _having("COUNT(*)", op, value, None, None)


def _gave_in(op: str, value: Any, ctx: Context) -> Any:
    where = _gave(*_year(value))
    return where if op == "in_year" else negate(where)


def _lybunt(op: str, value: Any, ctx: Context) -> Any:
    """Gave last year, but not (yet) this year."""
    year = ctx.today.year
    return _gave(*_year(year - 1)) & negate(_gave(*_year(year)))


def _sybunt(op: str, value: Any, ctx: Context) -> Any:
    """Gave some year before last, but neither last year nor this year."""
    year = ctx.today.year
    return _gave(date(1900, 1, 1), date(year - 2, 12, 31)) & negate(
        _gave(date(year - 1, 1, 1), date(year, 12, 31))
    )


def _mandate(op: str, value: Any, ctx: Context) -> Any:
    where = Person.id.is_in(Mandate.select(Mandate.person).where(Mandate.status == "active"))
    return where if op == "yes" else negate(where)


def _first_last(which: str) -> Any:
    def compile(op: str, value: Any, ctx: Context) -> Any:
        aggregate = "MIN(received_on)" if which == "first" else "MAX(received_on)"
        compare = "<" if op == "before" else ">="
        return WhereRaw(
            f"person.id IN (SELECT person FROM donation GROUP BY person "
            f"HAVING {aggregate} {compare} {{}})",
            value,
        )

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
