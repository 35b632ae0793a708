"""People list latency at scale: the API's search against the same SQL on bare asyncpg.

    ACHTERBAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/achterban_bench \
        python bench/people_search.py --people 1000000 --queries 200

Seeds N people (kept between runs) with Dutch and US postcodes and tags, then runs
filtered lists (postcode prefix + tag, sorted by name, first page with total) through
``people.search.search`` and replays exactly the statements it issued on a bare
asyncpg connection. Each filter is run once untimed first (it records the statements
and warms the cache for both sides), then the two are timed in alternating order.
Last line: p50/p99 of both and ratio = our p99 / bare p99 (target: p99 <= 150 ms and
ratio <= 2). The API's list also writes one audit row per request
(``search.list_people``); that insert is not part of this figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import UTC, datetime
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")

TAGS = [f"tag{i:02d}" for i in range(50)]
NL_PC4 = [str(p) for p in range(1000, 9999, 7)]
US_ZIP = [f"{z:05d}" for z in range(601, 99950, 37)]
LAST = [
    "jansen",
    "de vries",
    "van dijk",
    "bakker",
    "smith",
    "johnson",
    "garcia",
    "visser",
    "meijer",
    "mulder",
]


def _person_rows(start: int, count: int, rng: random.Random) -> list[tuple[Any, ...]]:
    now = datetime.now(UTC)
    rows = []
    for i in range(start, start + count):
        if rng.random() < 0.6:
            postcode = f"{rng.choice(NL_PC4)} {rng.choice('ABCDEFGHJKLMNPRTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRTVWXZ')}"
            country, region = "NL", rng.choice(["NL-GR", "NL-DR", "NL-FR", "NL-NH", "NL-ZH"])
        else:
            postcode, country, region = (
                rng.choice(US_ZIP),
                "US",
                rng.choice(["US-NY", "US-CA", "US-TX"]),
            )
        last = rng.choice(LAST)
        rows.append((
            f"First{i}", "", last, f"{last} first{i}", "nl", postcode, country, region,
            "ok", rng.randint(1, 5), now, now,
        ))  # fmt: skip
    return rows


async def seed(connection: Any, people: int) -> None:
    have = await connection.fetchval("SELECT count(*) FROM person")
    if have >= people:
        return
    rng = random.Random(have)
    batch = 50_000
    columns = [
        "first_name", "infix", "last_name", "sort_name", "language", "postcode", "country",
        "region", "address_status", "support_level", "created_at", "updated_at",
    ]  # fmt: skip
    for start in range(have, people, batch):
        count = min(batch, people - start)
        await connection.copy_records_to_table(
            "person", records=_person_rows(start, count, rng), columns=columns
        )
    ids = await connection.fetch(
        "SELECT id FROM person WHERE id NOT IN (SELECT person FROM person_tag)"
    )
    tag_rows = [(r["id"], t) for r in ids for t in rng.sample(TAGS, rng.randint(0, 3))]
    for start in range(0, len(tag_rows), 200_000):
        await connection.copy_records_to_table(
            "person_tag", records=tag_rows[start : start + 200_000], columns=["person", "tag"]
        )
    await connection.execute(
        "VACUUM ANALYZE"
    )  # a settled database: visibility map set, statistics fresh


class Recorder:
    """Records every statement the engine runs, to replay them on bare asyncpg."""

    def __init__(self, engine: Any) -> None:
        self.cls = type(engine)  # the engine has __slots__: patch its class for the duration
        self.statements: list[tuple[str, list[Any]]] = []
        self._original = self.cls.run_querystring

    def __enter__(self) -> Recorder:
        recorder, original = self, self._original

        async def run_querystring(engine: Any, querystring: Any, in_pool: bool = True) -> Any:
            sql, args = querystring.compile_string(engine_type="postgres")
            recorder.statements.append((sql, args))
            return await original(engine, querystring, in_pool=in_pool)

        self.cls.run_querystring = run_querystring
        return self

    def __exit__(self, *exc: object) -> None:
        self.cls.run_querystring = self._original


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("ACHTERBAN_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set ACHTERBAN_DATABASE_URL to a PostgreSQL database.")

    import asyncpg

    from achterban.people import search
    from achterban.people.schemas import PersonFilter
    from achterban.platform import db
    from achterban.platform.auth import SYSTEM
    from achterban.platform.migrate import migrate

    await migrate()
    bare = await asyncpg.connect(url)
    started = time.perf_counter()
    await seed(bare, args.people)
    print(f"seeded/checked {args.people} people in {time.perf_counter() - started:.1f}s")
    await db.start()
    engine = db.get_engine()
    rng = random.Random(7)
    ours: list[float] = []
    baseline: list[float] = []
    for i in range(args.queries + 10):
        prefix = rng.choice(NL_PC4)[: rng.choice([2, 3, 4])]
        f = PersonFilter(postcode=prefix, tag=rng.choice(TAGS), sort="name")
        # an untimed first call records the statements and brings their pages into memory for
        # both sides; then the two run in turn, each going first every other query, so neither
        # gains from the other having just read the same pages
        with Recorder(engine) as recorder:
            await search.search(SYSTEM, f, limit=50, offset=0)

        async def run_ours(f: PersonFilter = f) -> tuple[float, Any]:
            t0 = time.perf_counter()
            page = await search.search(SYSTEM, f, limit=50, offset=0)
            return time.perf_counter() - t0, page

        async def run_bare(statements: list[Any] = recorder.statements) -> float:
            t0 = time.perf_counter()
            for sql, params in statements:
                await bare.fetch(sql, *params)
            return time.perf_counter() - t0

        if i % 2:
            bare_elapsed = await run_bare()
            elapsed, page = await run_ours()
        else:
            elapsed, page = await run_ours()
            bare_elapsed = await run_bare()
        if i >= 10:  # warm-up
            ours.append(elapsed * 1000)
            baseline.append(bare_elapsed * 1000)
        assert page.total >= len(page.items)
    await bare.close()
    await db.stop()
    p50, p99 = statistics.median(ours), percentile(ours, 99)
    b50, b99 = statistics.median(baseline), percentile(baseline, 99)
    print(
        f"people_search people={args.people} queries={args.queries} p50_ms={p50:.1f} "
        f"p99_ms={p99:.1f} bare_p50_ms={b50:.1f} bare_p99_ms={b99:.1f} ratio={p99 / b99:.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
