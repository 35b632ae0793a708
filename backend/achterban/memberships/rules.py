"""Membership status from dates, and branch names compared and matched, without I/O."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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


# Branches ---------------------------------------------------------------------------------

OFFICER_ROLES = ("chair", "secretary", "treasurer", "other")


def branch_name_key(text: str) -> str:
    """A branch's name as it is compared: accents folded, case and punctuation ignored, a
    leading "afdeling" and a trailing "(Z.)" (how the map tells same-named towns apart) left
    out. "Afdeling Middelburg", "middelburg" and "Middelburg (Z.)" compare equal."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    folded = re.sub(r"\([^)]*\)", " ", folded)
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    if words and words[0] in ("afdeling", "afd"):
        words = words[1:]
    return " ".join(words)


def slug(text: str) -> str:
    """A branch's key from its name: "Bergen (NH)" → "bergen-nh"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return "-".join(re.sub(r"[^a-z0-9]+", " ", folded).split())[:60]


@dataclass(frozen=True)
class Match:
    """What one free-text branch becomes: a branch (``branch_id``), a municipality to make a
    branch for (``area``), or nothing (``candidates`` names why: several, or none)."""

    text: str
    branch_id: int | None = None
    area: str | None = None  # a municipality code
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def match_text(
    text: str, branches: list[tuple[int, str, str]], municipalities: list[tuple[str, str]]
) -> Match:
    """Match ``text`` to one branch (id, name, key) by its compared name or key, else to one
    municipality (code, name) by name; several of either is ambiguous and matches nothing."""
    wanted = branch_name_key(text)
    if not wanted:
        return Match(text)
    found = [(i, n) for i, n, k in branches if branch_name_key(n) == wanted or k == slug(text)]
    if len(found) == 1:
        return Match(text, branch_id=found[0][0])
    if found:
        return Match(text, candidates=tuple(sorted(n for _i, n in found)))
    towns = [(c, n) for c, n in municipalities if branch_name_key(n) == wanted]
    if len(towns) == 1:
        return Match(text, area=towns[0][0])
    return Match(text, candidates=tuple(sorted(f"{n} ({c})" for c, n in towns)))
