"""The case inbox: my cases, my office's queue, triage, overdue; filters and column counts."""

from __future__ import annotations

import csv
import io
from typing import Any

from piccolo.query.functions.aggregate import Count

from achterban.audit import service as audit
from achterban.casework import rules, scope
from achterban.casework.schemas import CasePage
from achterban.casework.tables import Case
from achterban.casework.views import now, schemas
from achterban.exports.rules import safe_cell
from achterban.platform import db
from achterban.platform.auth import Actor


async def _where(
    actor: Actor, view: str, topic: str | None, district: str | None, q: str | None
) -> list[Any]:
    where: list[Any] = []
    visible = await scope.visible_where(actor)
    if visible is not None:
        where.append(visible)
    if view == "mine":
        where.append(Case.assignee_id == (actor.user_id or -1))
    elif view == "office":
        where.append(Case.office == (actor.office_id or -1))
    elif view == "triage":
        where.append(Case.office.is_null())
    elif view == "overdue":
        where.append(Case.status.is_in(["new", "triaged", "assigned"]) & (Case.due_at < now()))
    if topic:
        where.append(Case.topic == topic)
    if district:
        where.append(Case.district == district)
    if q and q.strip():
        where.append(_search(actor, q))
    return where


def _search(actor: Actor, q: str) -> Any:
    """Reference, subject or the constituent's name, within the office's own cases only:
    a search must not reveal what a triaged case of another office says."""
    term = q.strip().replace("%", "").replace("_", " ")
    # SQLite's LIKE ignores case already; PostgreSQL needs ILIKE
    pg = db.is_postgres()
    clause: Any = None
    for word in term.split()[:6]:
        pattern = f"%{word}%"
        fields = [Case.subject, Case.person.first_name, Case.person.infix, Case.person.last_name]
        matches: Any = None
        for column in fields:
            one = column.ilike(pattern) if pg else column.like(pattern)
            matches = one if matches is None else matches | one
        clause = matches if clause is None else clause & matches
    by_reference = Case.reference == term.upper()
    clause = by_reference if clause is None else clause | by_reference
    own = scope.office_where(actor)
    return clause & own if own is not None else clause


def _all(clauses: list[Any]) -> Any:
    clause = Case.id > 0
    for item in clauses:
        clause = clause & item
    return clause


async def inbox(
    actor: Actor,
    *,
    view: str = "all",
    status: str | None = None,
    topic: str | None = None,
    district: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> CasePage:
    base = await _where(actor, view, topic, district, q)
    counts = {s: 0 for s in rules.TRANSITIONS}
    for row in (
        await Case.select(Case.status, Count(alias="count")).where(_all(base)).group_by(Case.status)
    ):
        counts[row["status"]] = row["count"]
    clauses = [*base, Case.status == status] if status else base
    rows = (
        await Case.select().where(_all(clauses)).order_by(Case.due_at).limit(limit).offset(offset)
    )
    total = await Case.count().where(_all(clauses))
    await audit.record(actor, "case.list", "case", "", {"view": view, "count": len(rows)})
    return CasePage(items=await schemas(actor, rows), total=total, counts=counts)


COLUMNS = [
    "reference",
    "status",
    "topic",
    "subject",
    "district",
    "office",
    "assignee_id",
    "due_at",
    "created_at",
    "closed_at",
]


async def export(actor: Actor) -> bytes:
    """The office's own cases as CSV (it holds contents, subjects): recorded as one read."""
    own = scope.office_where(actor)
    rows = await Case.select(*[getattr(Case, c) for c in COLUMNS]).where(
        _all([*(await _where(actor, "all", None, None, None)), *([own] if own is not None else [])])
    )
    await audit.record(actor, "case.export", "case", "", {"count": len(rows)})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row[c]) for c in COLUMNS])
    return out.getvalue().encode()
