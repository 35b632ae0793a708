"""Import throughput: people imported per second against bare ``usaddress.tag`` on the same addresses.

    ACHTERBAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/achterban_bench \\
        python bench/import.py --rows 200000

Generates a CSV of N people with realistic US addresses (real ZIP/state pairs from the
shipped ZCTA table) and Dutch addresses (real PC4s from the shipped table), new to the
database at each run (their e-mail addresses and addresses are drawn for this run), times
bare ``usaddress.tag`` over the same address strings (in this process, one core) before
and after, then imports the file through the same code path as ``achterban import people``. Last line: rates, ratio = import rate ÷
usaddress.tag rate (target >= 0.7) and peak RSS (target < 400 MB at 1,000,000 rows).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from usaddress_baseline import tag_rate

DATA = Path(__file__).resolve().parents[1] / "backend" / "achterban" / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FIRST = ["Anna", "Bram", "Carla", "Daan", "Emma", "Finn", "Grace", "Henry", "Isla", "James",
         "Kees", "Lotte", "Maria", "Noah", "Olivia", "Pieter", "Quinn", "Ruth", "Sem", "Tess"]  # fmt: skip
LAST = ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smith", "Johnson", "Williams",
        "Brown", "Garcia", "Miller", "Davis", "van der Berg", "Mulder", "de Boer", "Peters"]  # fmt: skip
US_STREETS = ["Main St", "Oak Ave", "Maple Dr", "Washington Blvd", "Park Rd", "Elm St", "Lake Shore Dr",
              "2nd Ave", "Sunset Blvd", "Broadway", "Cedar Ln", "Hillcrest Rd"]  # fmt: skip
SAMPLE = 200_000  # addresses: they measure the baseline's rate well
NL_STREETS = ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Markt",
              "Julianalaan", "Beatrixstraat", "Nieuwstraat", "Vismarkt", "Herestraat"]  # fmt: skip


def _zip_table() -> list[tuple[str, str]]:
    path = DATA / "us" / "zccd.csv"
    if not path.exists():
        path = SHARED / "us-zipcodes-congress" / "zccd.csv"
    with path.open(newline="") as handle:
        return [(r["zcta"], r["state_abbr"]) for r in csv.DictReader(handle)]


def _pc4_table() -> list[tuple[str, str]]:
    with (DATA / "nl" / "pc4_gemeente.csv").open(newline="", encoding="utf-8") as handle:
        return [(r["pc4"], r["gemeente"]) for r in csv.DictReader(handle)]


def generate(path: Path, rows: int, run: str) -> list[str]:
    """Write the CSV of people new to the database (e-mail addresses and addresses of
    this run alone); return its first addresses for the baseline."""
    rng = random.Random(run)
    zips, pc4s = _zip_table(), _pc4_table()
    addresses = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["first_name", "last_name", "email", "address", "tags"])
        for i in range(rows):
            if rng.random() < 0.5:
                zcta, state = rng.choice(zips)
                unit = f" Apt {rng.randint(1, 40)}" if rng.random() < 0.2 else ""
                address = f"{rng.randint(1, 9999)} {rng.choice(US_STREETS)}{unit}, Springfield, {state} {zcta}"
            else:
                pc4, city = rng.choice(pc4s)
                letters = rng.choice("ABCDEFGHJKLMNPRTVWXZ") + rng.choice("ABCDEFGHJKLMNPRTVWXZ")
                addition = rng.choice(["", "", "", "A", "-2", " bis"])
                address = f"{rng.choice(NL_STREETS)} {rng.randint(1, 300)}{addition}, {pc4} {letters} {city}"
            if i < SAMPLE:
                addresses.append(address)
            writer.writerow([
                rng.choice(FIRST), rng.choice(LAST), f"person{i}.{run}@example.org", address,
                rng.choice(["member", "donor", "volunteer", ""]),
            ])  # fmt: skip
    return addresses


async def run_import(path: Path) -> tuple[dict[str, int], float]:
    from achterban import worker
    from achterban.imports import service
    from achterban.platform import db, jobs
    from achterban.platform.auth import SYSTEM
    from achterban.platform.migrate import migrate
    from achterban.settings import get_settings

    await migrate()
    await db.start()
    worker.configure_runner(get_settings())
    try:
        started = time.perf_counter()
        key = await service.start_import(SYSTEM, path, path.name, None, "bench", wake=False)
        await jobs.execute({}, key)
        elapsed = time.perf_counter() - started
        await jobs.runner.drain()  # the duplicate scan the import asked for (not timed)
        job = await jobs.get(key)
        assert job is not None and job.status == "done", job and job.error
        return dict(job.result), elapsed
    finally:
        await db.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    if not os.environ.get("ACHTERBAN_DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set ACHTERBAN_DATABASE_URL to a PostgreSQL database.")
    run = uuid.uuid4().hex[:8]  # each run imports people the database does not hold yet
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        sample = generate(path, args.rows, run)
        # the baseline before and after the import, so a machine whose load changes during the
        # run weighs on both sides alike
        before = tag_rate(sample)
        result, elapsed = asyncio.run(run_import(path))
        after = tag_rate(sample)
    baseline_rate = (before + after) / 2
    rate = result["rows"] / elapsed
    # the importing process and its parsing helper process
    peak = (
        max(
            resource.getrusage(who).ru_maxrss
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        / 1024
    )
    print(f"created={result['created']} updated={result['updated']} bad={result['bad']}")
    print(f"usaddress.tag before={before:.0f}/s after={after:.0f}/s import={elapsed:.1f}s")
    print(
        f"import rows={result['rows']} rate={rate:.0f}/s usaddress_rate={baseline_rate:.0f}/s "
        f"ratio={rate / baseline_rate:.2f} peak_rss_mb={peak:.0f}"
    )


if __name__ == "__main__":
    main()
