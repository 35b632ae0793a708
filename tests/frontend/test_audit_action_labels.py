"""Every action the backend writes to the audit log is in the SPA's list of labelled actions.

The SPA's Vitest test checks that each code of ``AUDIT_ACTIONS`` (frontend/src/labels.ts) has
an nl and an en label; this one checks that the list holds every code the backend writes, so a
new ``audit.record(...)`` without a label fails here."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from achterban.casework import schemas as casework

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "backend" / "achterban"
LABELS = ROOT / "frontend" / "src" / "labels.ts"
CODE = re.compile(r'f?"([a-z_]+\.(?:[a-z_]+|\{[a-z_]+\}))"')
# the values a templated code takes: f"case.{status}", f"case.{kind}"
TEMPLATES = {
    "case.{status}": typing.get_args(casework.Status),
    "case.{kind}": typing.get_args(typing.get_type_hints(casework.EventCreate)["kind"]),
}


def backend_actions() -> set[str]:
    found: set[str] = set()
    for path in BACKEND.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # the audit domain calls its own record() without the module's name
        own = r"(?<![\w.])record\(" if path.parent.name == "audit" else r"audit\.record\("
        for call in re.finditer(own, text):
            window = text[call.end() : call.end() + 300]
            depth, end = 1, len(window)
            for index, char in enumerate(window):
                depth += {"(": 1, ")": -1}.get(char, 0)
                if depth == 0:
                    end = index
                    break
            found.update(CODE.findall(window[:end]))
        # an action chosen before the call: action = "a.b" if ... else "a.c"
        for assignment in re.finditer(r"^\s*action = (.+)$", text, re.M):
            found.update(CODE.findall(assignment.group(1)))
    actions: set[str] = set()
    for code in found:
        if code in TEMPLATES:
            prefix = code.split(".")[0]
            actions.update(f"{prefix}.{value}" for value in TEMPLATES[code])
        elif "{" not in code:
            actions.add(code)
    return actions


def spa_actions() -> set[str]:
    text = LABELS.read_text(encoding="utf-8")
    block = re.search(r"AUDIT_ACTIONS = \[(.*?)\] as const", text, re.S)
    assert block, "frontend/src/labels.ts exports AUDIT_ACTIONS"
    return set(re.findall(r'"([^"]+)"', block.group(1)))


def test_every_audit_action_the_backend_writes_has_a_label_in_the_spa():
    backend = backend_actions()
    assert {"person.read", "case.closed", "case.referral", "membership.renew"} <= backend
    assert not backend - spa_actions(), "add these to AUDIT_ACTIONS and both catalogs"


def test_the_spa_lists_no_action_the_backend_never_writes():
    assert not spa_actions() - backend_actions()
