"""Segment counts at a million people: the condition engine against hand-written SQL.

    ACHTERBAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/achterban_bench_segments \
        python bench/segments.py --people 1000000 --runs 15

Seeds N people (kept between runs; a database of its own) on PostgreSQL in realistic
proportions: the twelve Dutch provinces by population, ages, support levels and the vote;
about 6% members (a quarter of them lapsed or cancelled), 18% givers with one to four gifts
over five years and 3% with a mandate, consent for the newsletter by e-mail for about
half (some withdrawn again) and for fundraising and post for fewer, two and a half contact
moments per person over three years (four in ten of them value-adding), and cases for 2%.
The current state beside the histories (consent now, giving summaries, the last touch and
contact) is filled from them as the writers keep it.

Then, for each realistic segment, it counts the people and fetches the first page (20 by
name, with the total) through ``segments.service`` as the SPA's builder does, and runs a
hand-written SQL query of the same meaning on a bare asyncpg connection; it asserts both
count the same people. The two run in turn, each going first every other run, after one
untimed warm-up. One line per segment: p50 of our count and the hand-written one, and of
the first page; the last line is the headline, the worst count ratio (ours / hand-written
p50). Targets: each count <= 250 ms at p50 at 10^6 people and ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")

SOURCE = "bench-segments"
# the provinces and their share of the population (CBS, rounded)
PROVINCES = (
    ("NL-ZH", 0.212), ("NL-NH", 0.166), ("NL-NB", 0.145), ("NL-GE", 0.119), ("NL-UT", 0.077),
    ("NL-OV", 0.067), ("NL-LI", 0.063), ("NL-FR", 0.037), ("NL-GR", 0.034), ("NL-DR", 0.028),
    ("NL-FL", 0.025), ("NL-ZE", 0.022),
)  # fmt: skip
ELECTION = date(2025, 10, 29)  # the last general election


def _province_case() -> str:
    parts, total = [], 0.0
    for code, share in PROVINCES[:-1]:
        total += share
        parts.append(f"WHEN r1 < {total:.3f} THEN '{code}'")
    return f"CASE {' '.join(parts)} ELSE '{PROVINCES[-1][0]}' END"


def _seed_sql(people: int, today: date) -> list[str]:
    """The seed as set-based statements (fixed text: sizes and dates only)."""
    t = today.isoformat()
    return [
        "SELECT setseed(0.42)",
        # people: province, age, language, support level, the vote, flags
        "INSERT INTO person (first_name, last_name, sort_name, language, date_of_birth, "
        "support_level, voted_for_us, is_volunteer, do_not_contact, source, postcode, city, "
        "country, region, address_status, created_at, updated_at) "
        "SELECT 'Naam' || g, 'Bench' || (g % 997), 'bench' || lpad((g % 997)::text, 3, '0') "
        "|| ' naam' || g, CASE WHEN r2 < 0.93 THEN 'nl' ELSE 'en' END, "
        f"DATE '{t}' - (6570 + (r3 * 25550)::int), "
        "CASE WHEN r4 < 0.15 THEN NULL ELSE 1 + (r4 * 4.99)::int END, r5 < 0.45, r6 < 0.04, "
        f"r6 > 0.985, '{SOURCE}', lpad((1000 + (r7 * 8999)::int)::text, 4, '0') || ' AB', "
        f"'Plaats', 'NL', {_province_case()}, 'ok', now(), now() "
        "FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, "
        f"random() AS r5, random() AS r6, random() AS r7 FROM generate_series(1, {people}) g) s",
        # members: 6%, a quarter of them ended (paid until a past date) or cancelled
        "INSERT INTO membership (person, branch, plan, dues_cents, since, until, "
        "cancelled_on, created_at) SELECT id, '', CASE WHEN r2 < 0.8 THEN 'standard' "
        "ELSE 'youth' END, 3000, DATE '2008-01-01' + (r1 * 6500)::int, "
        f"CASE WHEN r3 < 0.2 THEN DATE '{t}' - (r4 * 900)::int END, "
        f"CASE WHEN r3 > 0.95 THEN DATE '{t}' - (r4 * 700)::int END, now() "
        "FROM (SELECT id, random() AS r0, random() AS r1, random() AS r2, random() AS r3, "
        f"random() AS r4 FROM person WHERE source = '{SOURCE}') s WHERE r0 < 0.06",
        # givers: 18%, one to four gifts over five years, now and then a large one
        "INSERT INTO donation (person, amount_cents, currency, received_on, kind, campaign, "
        "created_at) SELECT p.id, CASE WHEN random() < 0.03 THEN 50000 + (random() * 200000)"
        "::int ELSE 500 + (random() * 12000)::int END, 'EUR', "
        f"DATE '{t}' - (random() * 1800)::int, 'one_off', '', now() "
        f"FROM person p CROSS JOIN LATERAL generate_series(1, 1 + (p.id % 4)) k "
        f"WHERE p.source = '{SOURCE}' AND (p.id::bigint * 2654435761 % 1000) < 180 AND k > 0",
        "INSERT INTO sepa_mandate (person, iban, reference, amount_cents, currency, frequency, "
        "status, signed_on, failures, created_at) SELECT id, 'NL91ABNA0417164300', "
        "'BENCH-' || id, 1000, 'EUR', 'monthly', CASE WHEN id % 7 = 0 THEN 'cancelled' "
        f"ELSE 'active' END, DATE '{t}' - 400, 0, now() FROM person "
        f"WHERE source = '{SOURCE}' AND (id::bigint * 40503 % 1000) < 30",
        # consent: newsletter by e-mail for about half (one in ten withdrawn later),
        # fundraising by e-mail and the newsletter by post for fewer
        *[
            "INSERT INTO consent_event (person, purpose, channel, status, at, source, "
            f"source_detail, wording) SELECT id, '{purpose}', '{channel}', 'granted', "
            f"now() - (random() * 1500) * interval '1 day', 'form', '', '' FROM person "
            f"WHERE source = '{SOURCE}' AND random() < {share}"
            for purpose, channel, share in (
                ("newsletter", "email", 0.55),
                ("fundraising", "email", 0.3),
                ("newsletter", "post", 0.2),
                ("surveys", "email", 0.15),
            )
        ],
        "INSERT INTO consent_event (person, purpose, channel, status, at, source, "
        "source_detail, wording) SELECT person, purpose, channel, 'withdrawn', "
        "at + (random() * 100) * interval '1 day', 'link', '', '' FROM consent_event "
        "WHERE random() < 0.1",
        # contact moments: 2.5 per person over three years, 40% value-adding
        "INSERT INTO interaction (person, at, channel, direction, kind, subject, notes, "
        "value_adding) SELECT p.id, now() - (random() * 1100) * interval '1 day', "
        "(ARRAY['email','email','email','phone','post','visit','event','sms'])"
        "[1 + floor(random() * 8)::int], 'out', "
        "(ARRAY['newsletter','thank_you','call','house_visit','survey','invitation'])"
        "[1 + floor(random() * 6)::int], 'Contact', '', random() < 0.4 "
        "FROM person p CROSS JOIN LATERAL generate_series(1, (p.id % 6)) k "
        f"WHERE p.source = '{SOURCE}' AND k > 0",
        # cases: 2% of people, a fifth still open
        "INSERT INTO casework_case (reference, person, status, topic, subject, created_at, "
        "updated_at, closed_at) SELECT 'B-' || id, id, CASE WHEN random() < 0.2 THEN "
        "'triaged' ELSE 'closed' END, (ARRAY['housing','roads','benefits','other'])"
        "[1 + floor(random() * 4)::int], 'Zaak', now(), now(), now() - interval '30 days' "
        f"FROM person WHERE source = '{SOURCE}' AND random() < 0.02",
    ]


# the current state beside the histories, as the writers keep it (consent/current.py,
# donations/summary.py, people/service.py)
CURRENT_STATE = [
    "DELETE FROM consent_now",
    "INSERT INTO consent_now (person, purpose, channel, status, at) "
    "SELECT person, purpose, channel, status, at FROM (SELECT person, purpose, channel, "
    "status, at, ROW_NUMBER() OVER (PARTITION BY person, purpose, channel "
    "ORDER BY at DESC, id DESC) AS n FROM consent_event) latest WHERE n = 1",
    "DELETE FROM giving_summary",
    "INSERT INTO giving_summary (person, first_on, last_on, gift_count, largest_cents, "
    "total_cents) SELECT person, MIN(received_on), MAX(received_on), COUNT(*), "
    "MAX(amount_cents), SUM(amount_cents) FROM donation GROUP BY person",
    "DELETE FROM giving_year",
    "INSERT INTO giving_year (person, year, total_cents, gift_count) "
    "SELECT person, EXTRACT(YEAR FROM received_on)::integer, SUM(amount_cents), COUNT(*) "
    "FROM donation GROUP BY person, EXTRACT(YEAR FROM received_on)::integer",
    "UPDATE person SET last_contact_at = i.contact, last_touch_at = i.touch FROM ("
    "SELECT person, MAX(at) AS contact, MAX(at) FILTER (WHERE value_adding) AS touch "
    "FROM interaction GROUP BY person) i WHERE i.person = person.id",
]


async def seed(connection: Any, people: int, today: date) -> None:
    have = await connection.fetchval("SELECT count(*) FROM person WHERE source = $1", SOURCE)
    if have == people:
        return
    others = await connection.fetchval("SELECT count(*) FROM person WHERE source <> $1", SOURCE)
    if others:
        print(f"note: {others} other people in this database (use a database of its own)")
    if have:
        raise SystemExit(f"this database holds {have} bench people, not {people}: use another")
    async with connection.transaction():  # all of it or nothing: a rerun starts clean
        for sql in (*_seed_sql(people, today), *CURRENT_STATE):
            await connection.execute(sql)
    # settled, as a database after its routine maintenance: the rows the current state's
    # update left behind are gone (otherwise the person table is twice its size)
    await connection.execute("VACUUM FULL person")
    await connection.execute("VACUUM ANALYZE")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, clock(), tzinfo=UTC)


LIVE = "p.erased_at IS NULL AND p.merged_into IS NULL"
MEMBER = (
    "EXISTS (SELECT 1 FROM membership m WHERE m.person = p.id AND m.since <= $1 "
    "AND (m.cancelled_on IS NULL OR m.cancelled_on > $1) "
    "AND (m.until IS NULL OR m.until >= $1::date - 60))"
)


def segments(today: date) -> list[tuple[str, dict[str, Any], str, list[Any]]]:
    """Each segment: its name, its tree, and the hand-written SQL of the same meaning with
    its arguments ($1 is always today)."""
    year = today.year
    cut90 = _midnight(today - timedelta(days=90))
    cut180 = _midnight(today - timedelta(days=180))
    return [
        (
            "friesland_lybunt",  # members in Friesland, no value-adding touch in 90 days,
            {
                "all": [  # who gave last year but not this year
                    {"field": "role", "op": "has", "value": "member"},
                    {"field": "region", "op": "is", "value": "NL-FR"},
                    {"field": "last_touch", "op": "not_within_days", "value": 90},
                    {"field": "lybunt", "op": "yes", "value": None},
                ]
            },
            f"SELECT count(*) FROM person p WHERE {LIVE} AND p.region = 'NL-FR' AND {MEMBER} "
            "AND (p.last_touch_at IS NULL OR p.last_touch_at < $2) "
            "AND EXISTS (SELECT 1 FROM giving_summary g WHERE g.person = p.id "
            "AND g.last_on >= $3 AND g.last_on < $4)",
            [today, cut90, date(year - 1, 1, 1), date(year, 1, 1)],
        ),
        (
            "loyal_newsletter",  # loyal voters with newsletter consent by e-mail and no
            {
                "all": [  # contact since the last election
                    {"field": "role", "op": "has", "value": "loyal_voter"},
                    {"field": "consent", "op": "has", "value": "newsletter:email"},
                    {"field": "last_contact", "op": "before", "value": ELECTION.isoformat()},
                ]
            },
            f"SELECT count(*) FROM person p WHERE {LIVE} AND $1::date IS NOT NULL "
            "AND p.voted_for_us AND p.support_level >= 4 AND NOT p.do_not_contact "
            "AND EXISTS (SELECT 1 FROM consent_now c WHERE c.person = p.id "
            "AND c.purpose = 'newsletter' AND c.channel = 'email' AND c.status = 'granted') "
            "AND (p.last_contact_at IS NULL OR p.last_contact_at < $2)",
            [today, _midnight(ELECTION)],
        ),
        (
            "lapsed_members",  # members who lapsed in the last year
            {"all": [{"field": "member_lapsed", "op": "within_days", "value": 365}]},
            f"SELECT count(*) FROM person p WHERE {LIVE} AND EXISTS (SELECT 1 FROM membership "
            "m WHERE m.person = p.id AND ((m.until IS NOT NULL AND m.until >= $1::date - 365 - 60 "
            "AND m.until < $1::date - 60) OR (m.cancelled_on IS NOT NULL AND m.cancelled_on >= "
            f"$1::date - 365 AND m.cancelled_on <= $1))) AND NOT {MEMBER}",
            [today],
        ),
        (
            "sybunt_no_mandate",  # gave before, not last year or this, and no mandate:
            {
                "all": [  # whom to win back, by e-mail
                    {"field": "sybunt", "op": "yes", "value": None},
                    {"field": "mandate_active", "op": "no", "value": None},
                    {"field": "consent", "op": "has", "value": "fundraising:email"},
                ]
            },
            f"SELECT count(*) FROM person p WHERE {LIVE} AND $1::date IS NOT NULL "
            "AND EXISTS (SELECT 1 FROM giving_summary g WHERE g.person = p.id "
            "AND g.last_on < $2) AND NOT EXISTS (SELECT 1 FROM sepa_mandate s "
            "WHERE s.person = p.id AND s.status = 'active') AND NOT p.do_not_contact "
            "AND EXISTS (SELECT 1 FROM consent_now c WHERE c.person = p.id AND c.purpose = "
            "'fundraising' AND c.channel = 'email' AND c.status = 'granted')",
            [today, date(year - 1, 1, 1)],
        ),
        (
            "north_seniors_phone",  # 65 and over in Groningen or Drenthe, phoned in the
            {
                "all": [  # last half year, or any member there
                    {"field": "region", "op": "in", "value": ["NL-GR", "NL-DR"]},
                    {
                        "any": [
                            {
                                "all": [
                                    {"field": "age", "op": "at_least", "value": 65},
                                    {
                                        "field": "contact_channel",
                                        "op": "within",
                                        "value": {"choice": "phone", "days": 180},
                                    },
                                ]
                            },
                            {"field": "role", "op": "has", "value": "member"},
                        ]
                    },
                ]
            },
            f"SELECT count(*) FROM person p WHERE {LIVE} AND p.region IN ('NL-GR', 'NL-DR') "
            "AND ((p.date_of_birth <= $2 AND EXISTS (SELECT 1 FROM interaction i "
            "WHERE i.person = p.id AND i.channel = 'phone' AND i.at >= $3 "
            f"AND i.kind <> 'import_note')) OR {MEMBER})",
            [today, today.replace(year=today.year - 65), cut180],
        ),
        (
            "major_donors",  # a large gift ever, or more than 500 euros last year
            {
                "any": [
                    {"field": "largest_gift", "op": "at_least", "value": 500},
                    {"field": "gifts_total_last_year", "op": "at_least", "value": 500},
                ]
            },
            f"SELECT count(*) FROM person p WHERE {LIVE} AND $1::date IS NOT NULL AND ("
            "EXISTS (SELECT 1 FROM giving_summary g WHERE g.person = p.id "
            "AND g.largest_cents >= 50000) OR EXISTS (SELECT 1 FROM giving_year y "
            "WHERE y.person = p.id AND y.year = $2 AND y.total_cents >= 50000))",
            [today, year - 1],
        ),
    ]


def _page_sql(count_sql: str) -> str:
    """The hand-written first page of a count: 20 people by name, and the total."""
    where = count_sql.split(" WHERE ", 1)[1]
    return (
        "SELECT p.id, p.first_name, p.infix, p.last_name, p.email, p.phone, p.postcode, "
        "p.city, p.region, p.district, p.support_level, p.voted_for_us, p.is_volunteer, "
        f"p.is_ambassador, p.last_contact_at, p.address_status FROM person p WHERE {where} "
        "ORDER BY p.sort_name, p.id LIMIT 20"
    )


async def _timed(call: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = await call()
    return (time.perf_counter() - t0) * 1000, result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per segment")
    args = parser.parse_args()
    url = os.environ.get("ACHTERBAN_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set ACHTERBAN_DATABASE_URL to a PostgreSQL database.")

    import asyncpg

    from achterban import wiring
    from achterban.audit import chain
    from achterban.platform import db
    from achterban.platform.auth import SYSTEM
    from achterban.platform.migrate import migrate
    from achterban.segments import service

    wiring.connect()
    await migrate()
    today = date.today()
    # the same settings as the app's pool (platform/db.py)
    bare = await asyncpg.connect(
        url, server_settings={"jit": "off", "plan_cache_mode": "force_custom_plan"}
    )
    started = time.perf_counter()
    await seed(bare, args.people, today)
    print(f"seeded/checked {args.people} people in {time.perf_counter() - started:.1f}s")
    await db.start()
    worst = 0.0
    slowest = 0.0
    for name, tree, sql, params in segments(today):
        page_sql = _page_sql(sql)
        ours_count, hand_count, ours_page, hand_page = [], [], [], []

        async def our_count(tree: dict[str, Any] = tree) -> int:
            return await service.count(SYSTEM, tree)

        async def their_count(sql: str = sql, params: list[Any] = params) -> int:
            return int(await bare.fetchval(sql, *params))

        async def our_page(tree: dict[str, Any] = tree) -> Any:
            return await service.preview(SYSTEM, tree, limit=20)

        async def their_page(sql: str = sql, params: list[Any] = params,
                             page_sql: str = page_sql) -> Any:  # fmt: skip
            rows = await bare.fetch(page_sql, *params)
            return rows, await bare.fetchval(sql, *params)

        expected = await their_count()
        got = await our_count()
        assert got == expected, f"{name}: the engine counts {got}, the hand-written SQL {expected}"
        page = await our_page()
        rows, total = await their_page()
        assert page.total == total and [p.id for p in page.items] == [r["id"] for r in rows], name
        for i in range(args.runs):
            pairs = ((our_count, ours_count), (their_count, hand_count),
                     (our_page, ours_page), (their_page, hand_page))  # fmt: skip
            for call, into in pairs if i % 2 == 0 else pairs[::-1]:
                elapsed, _result = await _timed(call)
                into.append(elapsed)
        ours, hand = statistics.median(ours_count), statistics.median(hand_count)
        page_ours, page_hand = statistics.median(ours_page), statistics.median(hand_page)
        ratio = ours / hand
        worst, slowest = max(worst, ratio), max(slowest, ours)
        print(
            f"  {name:<20} people={expected:<7} count_p50_ms={ours:.1f} hand_p50_ms={hand:.1f} "
            f"ratio={ratio:.2f} page_p50_ms={page_ours:.1f} hand_page_p50_ms={page_hand:.1f} "
            f"page_ratio={page_ours / page_hand:.2f}"
        )
    await bare.close()
    await chain.drain()  # the previews' audit entries are sealed before the pool closes
    await db.stop()
    print(
        f"segments people={args.people} segments={len(segments(today))} runs={args.runs} "
        f"slowest_count_p50_ms={slowest:.1f} ratio={worst:.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
