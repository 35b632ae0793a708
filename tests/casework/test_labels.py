"""Every code the case pages show has words in nl and en (frontend/src/messages/casework.ts)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from achterban.casework import rules
from achterban.casework.schemas import Channel, EventKind, Status

MESSAGES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "messages" / "casework.ts"


def _catalogs() -> dict[str, set[str]]:
    text = MESSAGES.read_text()
    nl, en = text.split("const en: typeof nl = {")
    keys = re.compile(r"^\s+(\w+):", re.M)
    return {"nl": set(keys.findall(nl)), "en": set(keys.findall(en))}


def test_every_status_channel_log_entry_and_routing_reason_has_both_labels():
    codes = {
        "caseStatus_": typing.get_args(Status),
        "caseChannel_": typing.get_args(Channel),
        "caseEvent_": typing.get_args(EventKind),
        "caseRouting_": typing.get_args(rules.RoutingCode),
    }
    catalogs = _catalogs()
    assert catalogs["nl"] == catalogs["en"]
    missing = [
        f"{lang}:{prefix}{code}"
        for lang, keys in catalogs.items()
        for prefix, values in codes.items()
        for code in values
        if f"{prefix}{code}" not in keys
    ]
    assert missing == []


def test_every_topic_has_a_dutch_and_an_english_name():
    for code in rules.topics():
        label = rules.topic_label(code)
        assert label["nl"] and label["en"] and label["nl"] != code, code
