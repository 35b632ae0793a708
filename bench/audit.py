"""Audited writes per second against bare inserts of the same rows, with concurrent writers.

    ACHTERBAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/achterban_bench \
        python bench/audit.py --rows 20000 --writers 1,8

Migrates the database, then for each writer count runs ``--rows`` audited writes, each in
its own transaction (``audit.service.record``: the insert, the trigger that queues it
for sealing, and the sealing after commit), split over that many concurrent writers. The
clock stops only when every entry is sealed into the chain. The same rows (same columns)
then go into a plain table with one INSERT per transaction on a bare asyncpg pool of the
same size. The two alternate, ``--repeat`` times each, and the best of each counts.
Finally the whole chain is verified. Last line: ``ratio=R`` = audited / bare
writes per second at the largest writer count (target >= 0.5).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import UTC, datetime

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")

BARE_TABLE = """
CREATE TABLE IF NOT EXISTS bench_audit_bare (
    id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, actor_id INTEGER,
    actor_label VARCHAR(254) NOT NULL, action VARCHAR(80) NOT NULL,
    object_type VARCHAR(60) NOT NULL, object_id VARCHAR(80) NOT NULL, ip VARCHAR(64),
    detail TEXT NOT NULL, prev_hash VARCHAR(64) NOT NULL, hash VARCHAR(64) NOT NULL
)"""
BARE_INDEX = "CREATE INDEX IF NOT EXISTS bench_audit_bare_action ON bench_audit_bare (action)"
BARE_INSERT = (
    "INSERT INTO bench_audit_bare (at, actor_id, actor_label, action, object_type, object_id,"
    " ip, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', '')"
)


def _share(rows: int, writers: int, w: int) -> range:
    per = rows // writers + (1 if w < rows % writers else 0)
    start = sum(rows // writers + (1 if i < rows % writers else 0) for i in range(w))
    return range(start, start + per)


async def audited(rows: int, writers: int) -> float:
    from achterban.audit import service
    from achterban.platform.auth import Actor

    async def writer(w: int) -> None:
        actor = Actor(w + 1, f"bench{w}", "admin", frozenset({"*"}), ip="10.0.0.1")
        for i in _share(rows, writers, w):  # each entry its own transaction, as a read's is
            await service.record(actor, "person.read", "person", i, {"view": "bench"})

    start = time.perf_counter()
    await asyncio.gather(*(writer(w) for w in range(writers)))
    await service.seal()  # every entry is in the chain before the clock stops
    return rows / (time.perf_counter() - start)


async def bare(pool: object, rows: int, writers: int) -> float:
    import json

    async def writer(w: int) -> None:
        detail = json.dumps({"view": "bench"}, sort_keys=True, separators=(",", ":"))
        async with pool.acquire() as connection:  # type: ignore[attr-defined]
            for i in _share(rows, writers, w):
                await connection.execute(
                    BARE_INSERT, datetime.now(UTC), w + 1, f"bench{w}", "person.read",
                    "person", str(i), "10.0.0.1", detail,
                )  # fmt: skip

    start = time.perf_counter()
    await asyncio.gather(*(writer(w) for w in range(writers)))
    return rows / (time.perf_counter() - start)


async def main(rows: int, writer_counts: list[int], repeat: int) -> None:
    import asyncpg

    from achterban.audit import service
    from achterban.platform import db
    from achterban.platform.migrate import migrate
    from achterban.settings import get_settings

    url = get_settings().database_url
    if not url.startswith("postgres"):
        raise SystemExit("bench/audit.py needs ACHTERBAN_DATABASE_URL on PostgreSQL")
    await migrate()
    await db.start()
    pool = await asyncpg.create_pool(url.replace("postgres://", "postgresql://", 1),
                                     min_size=1, max_size=10)  # fmt: skip
    try:
        async with pool.acquire() as connection:
            await connection.execute(BARE_TABLE)
            await connection.execute(BARE_INDEX)
        ratio = 0.0
        for writers in writer_counts:
            # alternate the two, best of --repeat each: a shared machine's load comes and goes
            ours, theirs = 0.0, 0.0
            for _ in range(repeat):
                theirs = max(theirs, await bare(pool, rows, writers))
                ours = max(ours, await audited(rows, writers))
            ratio = ours / theirs
            print(f"writers={writers} rows={rows} audited={ours:,.0f}/s bare={theirs:,.0f}/s "
                  f"ratio={ratio:.2f}", flush=True)  # fmt: skip
        start = time.perf_counter()
        report = await service.verify_chain()
        print(f"chain ok={report.ok} checked={report.checked} reason={report.reason!r} "
              f"verify={time.perf_counter() - start:.1f}s", flush=True)  # fmt: skip
        print(
            f"audit writes at {writer_counts[-1]} writers: ratio={ratio:.2f} "
            f"(audited/bare; target >= 0.5) chain={'ok' if report.ok else 'BROKEN'}"
        )
    finally:
        await pool.close()
        await db.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--writers", default="1,8", help="comma-separated writer counts")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, the best counts")
    args = parser.parse_args()
    asyncio.run(main(args.rows, [int(w) for w in args.writers.split(",")], args.repeat))
