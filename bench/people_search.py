"""People list latency at scale: the API's search against the same SQL on bare asyncpg.

    ACHTERBAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/achterban_bench_search \
        python bench/people_search.py --people 1000000 --queries 200

Seeds N people (kept between runs) with common Dutch and US first names, Dutch surnames
with their infix ("de Vries", "van der Berg") and US surnames, e-mail addresses, mobile
and US phone numbers, Dutch postcodes and US ZIP codes, and tags. Then it runs each kind
of list a staffer asks for through ``people.search.search`` (first page with its total; a
search counts up to ``search.TOTAL_CAP`` and says "more than" beyond):

    filter     postcode prefix + tag, sorted by name
    first      a first name ("Anna")
    full       a full name, either order ("Dirk Jansen", "Jansen Dirk")
    infix      a surname with its infix ("de Vries", "van der Berg")
    email      part of an e-mail address ("anna.devries")
    phone      a phone number as typed ("06-12345678", "(212) 555-0143")
    postcode   a postcode with or without space or only its digits ("9712 AB", "9712")

and replays exactly the statements each issued on a bare asyncpg connection. Each query
is run once untimed first (it records the statements and warms the cache for both sides),
then the two are timed in alternating order. One line per kind with its p99 and ratio;
the last line is the headline over all kinds: p50/p99 of both and ratio = our p99 / bare
p99 (target: p99 <= 150 ms and ratio <= 2 for every kind). The API's list also writes
one audit row per request (``search.list_people``); that insert is not part of this figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")

SOURCE = "bench"
TAGS = [f"tag{i:02d}" for i in range(50)]
NL_PC4 = [str(p) for p in range(1000, 9999, 7)]
US_ZIP = [f"{z:05d}" for z in range(601, 99950, 37)]
LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
NL_FIRST = [
    "Anna",
    "Emma",
    "Julia",
    "Sophie",
    "Lotte",
    "Sanne",
    "Lisa",
    "Eva",
    "Fleur",
    "Femke",
    "Iris",
    "Noa",
    "Zoë",
    "Tess",
    "Sara",
    "Lieke",
    "Maria",
    "Johanna",
    "Cornelia",
    "Wilhelmina",
    "Elisabeth",
    "Hendrika",
    "Ingrid",
    "Marieke",
    "Esther",
    "Anouk",
    "Inge",
    "Jan",
    "Pieter",
    "Dirk",
    "Kees",
    "Henk",
    "Willem",
    "Gerrit",
    "Hendrik",
    "Johannes",
    "Cornelis",
    "Thijs",
    "Daan",
    "Sem",
    "Lucas",
    "Bram",
    "Jesse",
    "Ruben",
    "Sven",
    "Tim",
    "Lars",
    "Joost",
    "Bas",
    "Maarten",
    "Stefan",
    "Jeroen",
    "Rik",
    "Koen",
    "Wouter",
    "Arjen",
]
US_FIRST = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Lisa",
    "Daniel",
    "Nancy",
    "Matthew",
    "Betty",
    "Anthony",
    "Margaret",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Paul",
    "Emily",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
]
NL_LAST = [
    ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"),
    ("", "Bakker"), ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"),
    ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"),
    ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"),
    ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("de", "Bruin"),
    ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"),
    ("", "Koster"), ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"),
    ("", "Huisman"), ("van der", "Berg"), ("", "El Amrani"), ("", "Yilmaz"),
]  # fmt: skip
US_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
]
NL_CITIES = ["Groningen", "Leeuwarden", "Assen", "Zwolle", "Utrecht", "Amsterdam", "Den Haag",
             "Rotterdam", "Eindhoven", "Maastricht", "Middelburg", "Fryslân"]  # fmt: skip
US_CITIES = ["New York", "Brooklyn", "Austin", "San Francisco", "Chicago", "Seattle"]
DOMAINS = ["example.org", "example.net", "mail.example", "post.example"]


def _common(items: list[Any], rng: random.Random) -> Any:
    """Common names are more common, as in a real population: the top name is ~2% of all."""
    weights = _WEIGHTS.setdefault(len(items), [1 / (k + 30) for k in range(len(items))])
    return rng.choices(items, cum_weights=None, weights=weights)[0]


_WEIGHTS: dict[int, list[float]] = {}


def _person(i: int, rng: random.Random) -> tuple[dict[str, Any], list[str], list[str]]:
    from achterban.people import normalise

    dutch = rng.random() < 0.6
    if dutch:
        first = _common(NL_FIRST, rng)
        infix, last = _common(NL_LAST, rng)
        postcode = f"{rng.choice(NL_PC4)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        country, region, city = (
            "NL",
            rng.choice(["NL-GR", "NL-FR", "NL-NH", "NL-ZH"]),
            rng.choice(NL_CITIES),
        )
        digits = f"6{i % 100_000_000:08d}"
        phone, forms = f"+31{digits}", [f"31{digits}", f"0{digits}"]
    else:
        first, infix, last = _common(US_FIRST, rng), "", _common(US_LAST, rng)
        postcode, country, city = rng.choice(US_ZIP), "US", rng.choice(US_CITIES)
        region = rng.choice(["US-NY", "US-CA", "US-TX"])
        digits = f"{rng.choice(['212', '415', '512', '646'])}555{i % 10_000:04d}"
        phone, forms = f"+1{digits}", [f"1{digits}", digits]
    local = ".".join(p for p in (first, infix.replace(" ", "") + last) if p)
    email = f"{normalise.fold(local).replace(' ', '')}{i}@{rng.choice(DOMAINS)}"
    phones = [phone] if rng.random() < 0.7 else []
    text = normalise.search_text(first, infix, last, [email], [], postcode, city)
    if phones:
        text = text.rstrip() + " " + " ".join(forms) + " "
    row = {
        "first_name": first, "infix": infix, "last_name": last,
        "sort_name": normalise.sort_name(first, infix, last), "search_text": text,
        "email": email, "phone": phones[0] if phones else None, "postcode": postcode,
        "city": city, "country": country, "region": region,
    }  # fmt: skip
    return row, [email], phones


async def seed(connection: Any, people: int) -> None:
    have = await connection.fetchval("SELECT count(*) FROM person WHERE source = $1", SOURCE)
    if have >= people:
        return
    others = await connection.fetchval("SELECT count(*) FROM person WHERE source <> $1", SOURCE)
    if others:
        print(f"note: {others} other people in this database (use a database of its own)")
    rng = random.Random(have)
    now = datetime.now(UTC)
    batch = 50_000
    # a trigram index is built faster once than kept up row by row
    await connection.execute("DROP INDEX IF EXISTS person_search_text")
    start_id = await connection.fetchval("SELECT coalesce(max(id), 0) FROM person")
    for start in range(have, people, batch):
        count = min(batch, people - start)
        rows, points, ids = [], [], []
        for offset in range(count):
            person_id = start_id + start - have + offset + 1
            row, emails, phones = _person(start + offset, rng)
            ids.append(person_id)
            rows.append((
                person_id, row["first_name"], row["infix"], row["last_name"], row["sort_name"],
                row["search_text"], "nl", row["email"], row["phone"], row["postcode"],
                row["city"], row["country"], row["region"], "ok", rng.randint(1, 5), SOURCE,
                now, now,
            ))  # fmt: skip
            points += [(person_id, "email", e, True) for e in emails]
            points += [(person_id, "phone", p, True) for p in phones]
        await connection.copy_records_to_table("person", records=rows, columns=[
            "id", "first_name", "infix", "last_name", "sort_name", "search_text", "language",
            "email", "phone", "postcode", "city", "country", "region", "address_status",
            "support_level", "source", "created_at", "updated_at",
        ])  # fmt: skip
        await connection.copy_records_to_table(
            "contact_point", records=points, columns=["person", "kind", "value", "is_primary"]
        )
        tags = [(p, t) for p in ids for t in rng.sample(TAGS, rng.randint(0, 3))]
        await connection.copy_records_to_table(
            "person_tag", records=tags, columns=["person", "tag"]
        )
    await connection.execute(
        "SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT max(id) FROM person))"
    )
    await connection.execute(
        "CREATE INDEX IF NOT EXISTS person_search_text ON person "
        "USING gin (search_text gin_trgm_ops)"
    )
    await connection.execute("VACUUM ANALYZE")  # settled: visibility map set, statistics fresh


async def _samples(connection: Any) -> dict[str, list[str]]:
    """Real people of the seeded database to look for, by each kind of query."""
    rows = await connection.fetch(
        "SELECT first_name, infix, last_name, email, phone, postcode FROM person "
        "WHERE source = $1 ORDER BY random() LIMIT 2000",
        SOURCE,
    )
    nl = [r for r in rows if r["infix"]]
    phones = [r["phone"] for r in rows if r["phone"]]

    def typed(phone: str) -> str:
        if phone.startswith("+31"):
            national = "0" + phone[3:]
            return random.choice(
                [f"{national[:2]}-{national[2:]}", f"+31 6 {phone[4:8]} {phone[8:]}"]
            )
        digits = phone[2:]
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"

    return {
        "first": [r["first_name"] for r in rows],
        "full": [
            f"{r['first_name']} {r['last_name']}" if i % 2 else f"{r['last_name']} {r['first_name']}"
            for i, r in enumerate(rows)
        ],
        "infix": [f"{r['infix']} {r['last_name']}" for r in nl],
        "email": [r["email"].split("@")[0].rstrip("0123456789") for r in rows],
        "phone": [typed(p) for p in phones],
        "postcode": [
            r["postcode"] if i % 3 == 0 else r["postcode"].replace(" ", "") if i % 3 == 1
            else r["postcode"][:4]
            for i, r in enumerate(rows)
        ],
    }  # fmt: skip


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


async def _measure(
    search: Any, engine: Any, bare: Any, filters: list[Any], system: Any
) -> tuple[list[float], list[float]]:
    ours: list[float] = []
    baseline: list[float] = []
    for i, f in enumerate(filters):
        # an untimed first call records the statements and brings their pages into memory for
        # both sides; then the two run in turn, each going first every other query, so neither
        # gains from the other having just read the same pages
        with Recorder(engine) as recorder:
            first = await search.search(system, f, limit=50, offset=0)
        assert first.total > 0 or f.q is None, f  # every query looks for someone who is there

        async def run_ours(f: Any = f) -> tuple[float, Any]:
            t0 = time.perf_counter()
            page = await search.search(system, f, limit=50, offset=0)
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
        if i >= 5:  # warm-up
            ours.append(elapsed * 1000)
            baseline.append(bare_elapsed * 1000)
        assert page.total >= len(page.items)
    return ours, baseline


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200, help="per kind of query")
    args = parser.parse_args()
    url = os.environ.get("ACHTERBAN_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set ACHTERBAN_DATABASE_URL to a PostgreSQL database.")

    import asyncpg

    from achterban import wiring
    from achterban.people import search
    from achterban.people.schemas import PersonFilter
    from achterban.platform import db
    from achterban.platform.auth import SYSTEM
    from achterban.platform.migrate import migrate

    wiring.connect()  # the people list's roles (member, donor) come from other domains
    await migrate()
    bare = await asyncpg.connect(url)
    started = time.perf_counter()
    await seed(bare, args.people)
    print(f"seeded/checked {args.people} people in {time.perf_counter() - started:.1f}s")
    samples = await _samples(bare)
    await db.start()
    engine = db.get_engine()
    rng = random.Random(7)
    count = args.queries + 5
    kinds: dict[str, Callable[[], Any]] = {
        "filter": lambda: PersonFilter(
            postcode=rng.choice(NL_PC4)[: rng.choice([2, 3, 4])], tag=rng.choice(TAGS), sort="name"
        ),
        **{
            kind: (lambda values=values: PersonFilter(q=rng.choice(values), sort="relevance"))
            for kind, values in samples.items()
        },
    }
    all_ours: list[float] = []
    all_bare: list[float] = []
    for kind, make in kinds.items():
        ours, baseline = await _measure(
            search, engine, bare, [make() for _ in range(count)], SYSTEM
        )
        all_ours += ours
        all_bare += baseline
        p99, b99 = percentile(ours, 99), percentile(baseline, 99)
        print(
            f"  {kind:<9} p50_ms={statistics.median(ours):.1f} p99_ms={p99:.1f} "
            f"bare_p99_ms={b99:.1f} ratio={p99 / b99:.2f}"
        )
    await bare.close()
    await db.stop()
    p50, p99 = statistics.median(all_ours), percentile(all_ours, 99)
    b50, b99 = statistics.median(all_bare), percentile(all_bare, 99)
    print(
        f"people_search people={args.people} queries={args.queries}x{len(kinds)} p50_ms={p50:.1f} "
        f"p99_ms={p99:.1f} bare_p50_ms={b50:.1f} bare_p99_ms={b99:.1f} ratio={p99 / b99:.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
