"""Finding duplicates, remembering "not a duplicate", merging.

The grouping queries that find duplicates read every person, so they run as the
``dedupe_scan`` job (after changes to people, after imports, and hourly); the
review list reads the stored result and leaves out decided pairs and people who
were merged, erased, or are outside the reader's scope.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime

from achterban.audit import service as audit
from achterban.dedupe import rules
from achterban.dedupe.schemas import Candidate, CandidatePage
from achterban.dedupe.tables import DedupeCandidate, DedupeDecision
from achterban.people import scope, search
from achterban.people import service as people
from achterban.people.service import visible_row
from achterban.people.tables import Person
from achterban.platform import bulk, db, jobs
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.platform.personal import PersonData
from achterban.platform.tables import JobRun
from achterban.settings import get_settings

# What each domain holds about a person, the list in ``achterban.personal``: it names dedupe's
# own part too, so it is handed down (wiring.py) rather than imported, and dedupe stays below it.
PERSON_DATA: list[PersonData] = []

GROUP_LIMIT = 5000
LIVE = "p.erased_at IS NULL AND p.merged_into IS NULL"


async def _groups(sql: str) -> list[list[int]]:
    rows = await db.raw(sql)
    groups = []
    for row in rows:
        ids = row["ids"]
        ids = [int(i) for i in (ids.split(",") if isinstance(ids, str) else ids)]
        groups.append(sorted(set(ids)))
    return groups


def _agg() -> str:
    return "array_agg(p.id)" if db.is_postgres() else "group_concat(p.id)"


async def _evidence() -> dict[tuple[int, int], set[str]]:
    agg = _agg()
    queries = {
        "same e-mail address": (
            f"SELECT {agg} AS ids FROM contact_point c JOIN person p ON p.id = c.person "
            f"WHERE c.kind = 'email' AND {LIVE} GROUP BY c.value HAVING count(DISTINCT p.id) > 1"
        ),
        "same phone number": (
            f"SELECT {agg} AS ids FROM contact_point c JOIN person p ON p.id = c.person "
            f"WHERE c.kind = 'phone' AND {LIVE} GROUP BY c.value HAVING count(DISTINCT p.id) > 1"
        ),
        "same name and address": (
            f"SELECT {agg} AS ids FROM person p WHERE {LIVE} AND p.sort_name <> '' "
            "AND p.postcode <> '' AND p.house_number <> '' "
            "GROUP BY p.sort_name, p.postcode, p.house_number HAVING count(*) > 1"
        ),
        "same name in the same household": (
            f"SELECT {agg} AS ids FROM person p WHERE {LIVE} AND p.household IS NOT NULL "
            "AND p.sort_name <> '' GROUP BY p.household, p.sort_name HAVING count(*) > 1"
        ),
    }
    evidence: dict[tuple[int, int], set[str]] = defaultdict(set)
    for reason, sql in queries.items():
        for ids in await _groups(sql + f" LIMIT {GROUP_LIMIT}"):
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    evidence[(a, b)].add(reason)
    return evidence


async def scan() -> dict[str, int]:
    """Work out every candidate pair again and store them (the ``dedupe_scan`` job)."""
    evidence = await _evidence()
    now = datetime.now(UTC)
    rows = [
        {"person_low": a, "person_high": b, "score": rules.score(reasons),
         "reasons": json.dumps(sorted(reasons)), "found_at": now}
        for (a, b), reasons in evidence.items()
    ]  # fmt: skip
    async with db.transaction():
        if db.is_postgres():  # two scans at once: the second replaces the first, never adds to it
            await db.raw("SELECT pg_advisory_xact_lock(hashtext('dedupe_scan'))")
        await DedupeCandidate.delete(force=True)
        await bulk.insert(DedupeCandidate, rows)
    return {"pairs": len(rows)}


async def request_scan(actor: Actor, *, at_once: bool = False) -> str:
    """Ask for a scan; after a change it waits a little, so a run of merges is one scan."""
    after = 0 if at_once else get_settings().dedupe_delay_seconds
    return await jobs.enqueue_once("dedupe_scan", actor_id=actor.user_id, after=after)


async def candidates(actor: Actor, limit: int = 50, offset: int = 0) -> CandidatePage:
    stored = await DedupeCandidate.select().output(load_json=True)
    decided = {
        (r["person_low"], r["person_high"])
        for r in await DedupeDecision.select(DedupeDecision.person_low, DedupeDecision.person_high)
    }
    scored = sorted(
        ((r["score"], (r["person_low"], r["person_high"]), r["reasons"]) for r in stored
         if (r["person_low"], r["person_high"]) not in decided),
        key=lambda item: (-item[0], -item[1][1], -item[1][0]),  # strongest, then newest first
    )  # fmt: skip
    ids = sorted({i for _, p, _ in scored for i in p})
    where = [Person.id.is_in(ids or [-1]), Person.erased_at.is_null(), Person.merged_into.is_null()]
    visible = scope.visible_where(actor)
    if visible is not None:
        where.append(visible)
    live = {r["id"] for r in await Person.select(Person.id).where(search.combine(where))}
    shown = [item for item in scored if item[1][0] in live and item[1][1] in live]
    page = shown[offset : offset + limit]
    page_ids = sorted({i for _, p, _ in page for i in p})
    rows = await Person.select(*search.SUMMARY_COLUMNS).where(Person.id.is_in(page_ids or [-1]))
    people = {s.id: s for s in await search.summaries(rows)}
    await audit.record(actor, "person.search", "people", "", {
        "view": "duplicates", "total": len(shown), "shown": len(page), "offset": offset,
    })  # fmt: skip
    return CandidatePage(
        items=[
            Candidate(score=score, reasons=reasons, a=people[a], b=people[b])
            for score, (a, b), reasons in page
        ],
        total=len(shown),
        scanned_at=min((r["found_at"] for r in stored), default=None) or await _last_scan(),
        scanning=await jobs.busy("dedupe_scan"),
    )


async def _last_scan() -> datetime | None:
    row = (
        await JobRun.select(JobRun.finished_at)
        .where((JobRun.name == "dedupe_scan") & (JobRun.status == "done"))
        .order_by(JobRun.finished_at, ascending=False)
        .first()
    )
    return row["finished_at"] if row else None


async def do_mark_not_duplicate(actor: Actor, a: int, b: int) -> None:
    low, high = rules.pair(a, b)
    async with db.transaction():
        await visible_row(actor, low)
        await visible_row(actor, high)
        if not await DedupeDecision.exists().where(
            (DedupeDecision.person_low == low) & (DedupeDecision.person_high == high)
        ):
            await DedupeDecision(
                person_low=low, person_high=high, actor_id=actor.user_id, at=datetime.now(UTC)
            ).save()
        await audit.record(actor, "person.not_duplicate", "person", low, {"other": high})


async def do_merge(actor: Actor, survivor_id: int, merged_id: int) -> None:
    """Every domain moves what it holds of ``merged_id`` to ``survivor_id`` (the list in
    ``achterban.personal``); the merged record keeps only the pointer to the survivor."""
    if survivor_id == merged_id:
        raise Problem(400, _("A person cannot be merged with themselves."), kind="validation")
    async with db.transaction():
        await visible_row(actor, survivor_id)
        await visible_row(actor, merged_id)
        if not PERSON_DATA:
            raise RuntimeError("the person data list is not wired (achterban.wiring.connect)")
        for part in PERSON_DATA:
            await part.merge(merged_id, survivor_id)
        # found by the moved e-mail and phone; the merged-away record by nothing
        await people.refresh_search_text([survivor_id, merged_id])
        await audit.record(actor, "person.merge", "person", survivor_id, {"merged": merged_id})
        await request_scan(actor)
