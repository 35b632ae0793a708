"""Who sees which case: an office its own cases; triage staff the unrouted ones; admins all.

A case of another office answers 404 on every route, never 403, so its existence leaks
nothing. Sensitive fields are for the case's own office (and administrators).
"""

from __future__ import annotations

from typing import Any

from achterban.casework.tables import Case
from achterban.platform.auth import Actor


def visible_where(actor: Actor) -> Any | None:
    if actor.has("*"):
        return None
    clauses = []
    if actor.office_id is not None:
        clauses.append(Case.office == actor.office_id)
    if actor.has("cases.triage"):
        clauses.append(Case.office.is_null())
    if not clauses:
        return Case.id == -1
    clause: Any = clauses[0]
    for extra in clauses[1:]:
        clause = clause | extra
    return clause


def can_see(actor: Actor, row: dict[str, Any]) -> bool:
    if actor.has("*"):
        return True
    if actor.office_id is not None and row["office"] == actor.office_id:
        return True
    return actor.has("cases.triage") and row["office"] is None


def sees_sensitive(actor: Actor, row: dict[str, Any]) -> bool:
    return actor.has("*") or (actor.office_id is not None and row["office"] == actor.office_id)
