"""Duplicate scoring, without I/O: which evidence says two records are one person."""

from __future__ import annotations

from collections.abc import Iterable

WEIGHTS = {
    "same e-mail address": 0.9,
    "same name and address": 0.8,
    "same phone number": 0.7,
    "same name in the same household": 0.6,
}


def score(reasons: Iterable[str]) -> float:
    """Independent evidence adds up: 1 - product of (1 - weight), capped at 1."""
    remaining = 1.0
    for reason in set(reasons):
        remaining *= 1 - WEIGHTS.get(reason, 0.0)
    return round(min(1.0, 1 - remaining), 3)


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)
