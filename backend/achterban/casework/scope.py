"""Who sees which case: an office its own cases; triage staff the unrouted ones; admins all.

Triage: national staff holding ``cases.triage`` (organisers) see every unrouted case; a
representative holding it sees the unrouted cases whose candidates include their own
office's district. Triage shows routing only (reference, topic, candidates): the contents
of a case (subject, description, address, constituent, log, sensitive fields) are for the
case's own office and administrators, never for party staff.

A case of another office answers 404 on every route, never 403, so its existence leaks
nothing. Scope fails closed: office staff without an office see no case.
"""

from __future__ import annotations

import json
from typing import Any

from achterban.casework.tables import Case
from achterban.people.scope import OFFICE_SCOPED
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _

NONE = Case.id == -1


def _office_bound(actor: Actor) -> bool:
    return actor.role in OFFICE_SCOPED or actor.office_id is not None


def _candidates(row: dict[str, Any]) -> list[dict[str, Any]]:
    value = row.get("candidates")
    value = json.loads(value) if isinstance(value, str) else value
    return value if isinstance(value, list) else []


def candidate_for(actor: Actor, row: dict[str, Any]) -> bool:
    """Is the actor's office (or its district) among an unrouted case's candidates?"""
    if actor.office_id is None:
        return False
    for candidate in _candidates(row):
        if actor.office_id in (candidate.get("office_ids") or []):
            return True
        if candidate.get("district") and candidate.get("district") in actor.districts:
            return True
    return False


def triages(actor: Actor, row: dict[str, Any]) -> bool:
    """May the actor pick a route for this unrouted case?"""
    if row["office"] is not None or not actor.has("cases.triage"):
        return False
    if actor.has("*") or not _office_bound(actor):
        return True
    return candidate_for(actor, row)


async def visible_where(actor: Actor) -> Any | None:
    if actor.has("*"):
        return None
    clauses: list[Any] = []
    if actor.office_id is not None:
        clauses.append(Case.office == actor.office_id)
    if actor.has("cases.triage"):
        if not _office_bound(actor):
            clauses.append(Case.office.is_null())
        elif actor.office_id is not None:
            rows = await Case.select(Case.id, Case.office, Case.candidates).where(
                Case.office.is_null()
            )
            ids = [r["id"] for r in rows if candidate_for(actor, r)]
            if ids:
                clauses.append(Case.id.is_in(ids))
    if not clauses:
        return NONE
    clause: Any = clauses[0]
    for extra in clauses[1:]:
        clause = clause | extra
    return clause


def office_where(actor: Actor) -> Any | None:
    """The cases whose contents the actor may read (searching subjects, names)."""
    if actor.has("*"):
        return None
    return Case.office == actor.office_id if actor.office_id is not None else NONE


def can_see(actor: Actor, row: dict[str, Any]) -> bool:
    if actor.has("*"):
        return True
    if actor.office_id is not None and row["office"] == actor.office_id:
        return True
    return triages(actor, row)


def sees_contents(actor: Actor, row: dict[str, Any]) -> bool:
    """The case's own office (and administrators) read what the constituent wrote."""
    return actor.has("*") or (actor.office_id is not None and row["office"] == actor.office_id)


sees_sensitive = sees_contents


async def visible_case(actor: Actor, case_id: int) -> dict[str, Any]:
    row = await Case.select().where(Case.id == case_id).first()
    if row is None or not can_see(actor, row):
        raise Problem(404, _("No such case."), kind="not-found")
    return row


async def office_case(actor: Actor, case_id: int) -> dict[str, Any]:
    """A case whose contents the actor works on: their own office's (404 for anyone else,
    triage staff of an unrouted case included)."""
    row = await visible_case(actor, case_id)
    if not sees_contents(actor, row):
        raise Problem(404, _("No such case."), kind="not-found")
    return row
