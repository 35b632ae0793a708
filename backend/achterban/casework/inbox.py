"""The case inbox: my cases, my office's queue, triage, overdue; filters and column counts."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from piccolo.query.functions.aggregate import Count

from achterban.audit import service as audit
from achterban.casework import rules, scope
from achterban.casework.schemas import CasePage
from achterban.casework.service import now, to_schema
from achterban.casework.tables import Case
from achterban.exports.rules import safe_cell
from achterban.platform import db
from achterban.platform.auth import Actor


def _where(
    actor: Actor, view: str, topic: str | None, district: str | None, q: str | None
) -> list[Any]:
    where: list[Any] = []
    visible = scope.visible_where(actor)
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
    if q:
        term = q.strip().replace("%", "")
        # SQLite's LIKE ignores case already; PostgreSQL needs ILIKE
        match = Case.subject.ilike if db.is_postgres() else Case.subject.like
        where.append(match(f"%{term}%") | (Case.reference == term.upper()))
    return where


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
    base = _where(actor, view, topic, district, q)
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
    return CasePage(items=[await to_schema(actor, r) for r in rows], total=total, counts=counts)


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


async def export(actor: Actor) -> AsyncIterator[bytes]:
    rows = await Case.select(*[getattr(Case, c) for c in COLUMNS]).where(
        _all(_where(actor, "all", None, None, None))
    )
    await audit.record(actor, "case.export", "case", "", {"count": len(rows)})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row[c]) for c in COLUMNS])
    yield out.getvalue().encode()
