"""The domain boundaries (docs/architecture.md, "Boundaries"): import-linter keeps them, and
its contracts really fail when a cycle, a foreign table or another domain's routes come back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(backend: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(backend), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_code_keeps_every_contract() -> None:
    result = lint(ROOT / "backend", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "backend", tmp_path / "backend", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def plant(copy: Path, module: str, line: str) -> None:
    path = copy / "backend" / "achterban" / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # the old cycles, one by one
        ("districts/offices.py", "from achterban.casework import rules", "layered"),
        ("users/service.py", "from achterban.districts import service", "layered"),
        ("people/search.py", "from achterban.memberships.tables import Membership", "layered"),
        ("people/bulk.py", "from achterban.imports.records import Record", "layered"),
        ("districts/service.py", "from achterban.people import normalise", "layered"),
        # a foreign table outside a foreign key or a read model
        (
            "casework/service.py",
            "from achterban.consent.tables import ConsentEvent",
            "consent's tables",
        ),
        # another domain's routes
        ("gdpr/service.py", "from achterban.people.routes import PeopleController", "routes"),
        # another domain's own module
        ("exports/service.py", "from achterban.users import mfa", "users' own modules"),
        ("casework/service.py", "from achterban.people import bulk", "people's batch writer"),
        # platform importing a domain
        ("platform/db.py", "from achterban.people import service", "platform/"),
    ],
)
def test_a_planted_import_breaks_its_contract(
    copy: Path, module: str, line: str, broken: str
) -> None:
    plant(copy, module, line)
    result = lint(copy / "backend", copy)
    assert result.returncode == 1, result.stdout
    report = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in report
    importer = "achterban." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {line.split()[1]}" in report
