"""Address resolution throughput against bare ``usaddress.tag`` on the same addresses.

    ACHTERBAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/achterban_bench \\
        python bench/resolve.py --addresses 50000

Loads the shipped US map and legislators (idempotent), builds N addresses from real
ZCTA/state pairs, times ``usaddress.tag`` over them, then ``districts.service.resolve``
(parse, map lookup, representatives) over the same strings. Last line: ratio = resolve
rate ÷ usaddress.tag rate (target >= 0.7).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from usaddress_baseline import tag_rate

STREETS = [
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Washington Blvd",
    "Park Rd",
    "Elm St",
    "2nd Ave",
    "Broadway",
]


def addresses(count: int) -> list[str]:
    from achterban.districts.loaders import US_ZCCD

    with US_ZCCD.open(newline="") as handle:
        pairs = [(r["zcta"], r["state_abbr"]) for r in csv.DictReader(handle)]
    rng = random.Random(3)
    result = []
    for _ in range(count):
        zcta, state = rng.choice(pairs)
        result.append(f"{rng.randint(1, 9999)} {rng.choice(STREETS)}, Springfield, {state} {zcta}")
    return result


async def run(lines: list[str]) -> tuple[float, int]:
    from achterban.districts import loaders, service
    from achterban.platform import db
    from achterban.platform.migrate import migrate

    await migrate()
    await db.start()
    try:
        await loaders.load_us_zccd()
        await loaders.load_us_legislators()
        await service.index()  # built once per process, as in the app
        ambiguous = 0
        started = time.perf_counter()
        for line in lines:
            result = await service.resolve(line, "US")
            ambiguous += result.ambiguous
        return len(lines) / (time.perf_counter() - started), ambiguous
    finally:
        await db.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addresses", type=int, default=50_000)
    args = parser.parse_args()
    if not os.environ.get("ACHTERBAN_DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set ACHTERBAN_DATABASE_URL to a PostgreSQL database.")
    lines = addresses(args.addresses)
    baseline_rate = tag_rate(lines)
    rate, ambiguous = asyncio.run(run(lines))
    print(f"ambiguous={ambiguous} of {len(lines)}")
    print(
        f"resolve addresses={len(lines)} rate={rate:.0f}/s usaddress_rate={baseline_rate:.0f}/s ratio={rate / baseline_rate:.2f}"
    )


if __name__ == "__main__":
    main()
