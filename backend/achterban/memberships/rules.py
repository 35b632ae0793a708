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
