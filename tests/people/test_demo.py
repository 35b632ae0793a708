"""The demo is consistent: every demo person with an address has the district it lies in.

The demo is seeded into a database of its own (a fresh SQLite file), as ``make run`` does
on a new clone, so its offices do not change what the other tests' casework routes to.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "achterban.cli", *args],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.mark.slow
def test_demo_people_have_their_district_and_every_sign_in_is_listed(test_env, tmp_path: Path):
    database = tmp_path / "demo.sqlite3"
    env = {
        **test_env,
        "ACHTERBAN_DATABASE_URL": f"sqlite:///{database}",
        "ACHTERBAN_VAR_DIR": str(tmp_path / "var"),
    }
    for command in (("migrate",), ("demo",)):
        result = _cli(env, *command)
        assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT external_ref, postcode, district FROM person "
            "WHERE source = 'demo' AND postcode <> '' AND address_status = 'ok'"
        ).fetchall()
        branches = connection.execute(
            "SELECT b.name, a.code FROM branch b LEFT JOIN branch_area a ON a.branch = b.id"
        ).fetchall()
        members = connection.execute(
            "SELECT count(*) FROM membership WHERE branch_id IS NULL"
        ).fetchone()
        office_segments = connection.execute(
            "SELECT s.name, s.shared, u.role FROM segment s JOIN staff_user u ON u.id = s.owner_id "
            "WHERE s.definition LIKE '%open_case%'"
        ).fetchall()
        chairs = connection.execute(
            "SELECT b.name, p.external_ref FROM branch_officer o JOIN branch b ON b.id = o.branch "
            "JOIN person p ON p.id = o.person WHERE o.role = 'chair'"
        ).fetchall()
    assert len(rows) >= 10
    # the members' branches are data: each covers its municipality (Drenthe its province)
    assert ("Groningen", "NL-GM-groningen") in branches and ("Drenthe", "NL-DR") in branches
    assert all(code for _, code in branches) and members == (0,)
    assert ("Groningen", "D-1001") in chairs
    # a representative keeps a segment on their office's open cases, not shared
    assert office_segments == [("Inwoners met een open casus", 0, "representative")]
    assert any("open cases of their office" in line for line in lines), lines
    missing = [(ref, postcode) for ref, postcode, district in rows if not district]
    # US ZIP codes that span two congressional districts have none, by design
    assert all(not postcode[:1].isdigit() or " " not in postcode for _, postcode in missing)
    districts = {ref: district for ref, _, district in rows}
    assert districts["D-1001"] == "NL-GM-groningen"  # Anna de Vries in Groningen
    assert all(districts[ref] for ref in ("D-1003", "D-1004", "D-1005", "D-1008", "D-1010"))
    listing = tmp_path / "var" / "demo-sign-ins.txt"
    assert any(str(listing) in line for line in lines), lines
    assert not any(line.rstrip().endswith("...") for line in lines)
    signed = listing.read_text().splitlines()
    assert signed[0].startswith("admin@achterban.example")
    assert len(signed) > 10
