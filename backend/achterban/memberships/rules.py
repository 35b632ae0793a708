"""Membership status from dates, without I/O."""

from __future__ import annotations

from datetime import date, timedelta

NEW_FOR = timedelta(days=30)
GRACE = timedelta(days=60)  # after the paid-until date a member is in grace this long


def status(since: date, until: date | None, cancelled_on: date | None, today: date) -> str:
    """new, current, grace, expired, cancelled (or "future" before it starts)."""
    if cancelled_on is not None and cancelled_on <= today:
        return "cancelled"
    if since > today:
        return "future"
    if until is not None and until < today:
        return "grace" if today - until <= GRACE else "expired"
    return "new" if today - since < NEW_FOR else "current"


def last_day(until: date | None, cancelled_on: date | None) -> date | None:
    """The last day of membership (None: open-ended); a cancellation ends it the day before."""
    ends = [d for d in (until, cancelled_on - timedelta(days=1) if cancelled_on else None) if d]
    return min(ends) if ends else None


def overlaps(since: date, last: date | None, other_since: date, other_last: date | None) -> bool:
    return (other_last is None or since <= other_last) and (last is None or other_since <= last)
